"""Recompute everything: the chain, its seals, the checkpoints and the audited rows' content."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from dreamnexus.config import Settings
from dreamnexus.integrity.canonical import GENESIS, digest_of
from dreamnexus.integrity.chain import derive_key, entry_fields, entry_hash, entry_mac, hash_entry
from dreamnexus.integrity.merkle import MerkleTree, verify_consistency
from dreamnexus.integrity.models import AuditCheckpoint, AuditEntry, AuditHead
from dreamnexus.integrity.signing import load_signing_key, public_key_hex, verify_checkpoint_signature
from dreamnexus.integrity.snapshots import KINDS

ObjectKey = tuple[str, str]


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    seq: int | None = None
    object_type: str | None = None
    object_id: str | None = None

    @property
    def is_chain(self) -> bool:
        return self.object_type is None

    def __str__(self) -> str:
        where = f"seq {self.seq}: " if self.seq is not None else ""
        what = f"{self.object_type} {self.object_id}: " if self.object_type else ""
        return f"[{self.kind}] {where}{what}{self.detail}"


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)
    audited: dict[ObjectKey, tuple[int, str | None]] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def chain_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_chain]

    @property
    def first_bad_seq(self) -> int | None:
        """The first seq from which the chain cannot be trusted (None when the chain is intact)."""
        seqs = [f.seq for f in self.chain_findings if f.seq is not None]
        if seqs:
            return min(seqs)
        return 1 if self.chain_findings else None

    @property
    def content_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_chain]


_ENTRIES: Table = AuditEntry.__table__  # type: ignore[assignment]
_PAGE = 20_000


def _entry_rows(session: Session) -> Iterator[Any]:
    """Every entry in seq order, a page at a time by key (portable, constant memory, no ORM objects)."""
    connection = session.connection()
    page = (
        select(*_ENTRIES.columns)
        .where(_ENTRIES.c.seq > bindparam("after"))
        .order_by(_ENTRIES.c.seq)
        .limit(_PAGE)
    )
    after = -(2**62)
    while True:
        rows = connection.execute(page, {"after": after}).all()
        yield from rows
        if len(rows) < _PAGE:
            return
        after = rows[-1][0]


class _ChainCheck:
    def __init__(self, mac_key: bytes) -> None:
        self.mac_key = mac_key
        self.leaves: list[bytes] = []
        self.suspects: list[Any] = []
        self.findings: list[Finding] = []
        self.last_seq = 0
        self.last_hash = GENESIS

    def run(self, session: Session, report: Report) -> None:
        flagged: set[int] = set()
        expected = 1
        mac_key, audited, leaves = self.mac_key, report.audited, self.leaves
        last_hash = GENESIS
        for row in _entry_rows(session):
            seq, at, actor, action, object_type, object_id, digest, prev, stored, mac = row
            gap = seq != expected
            if seq > expected:
                span = f"seq {expected}" if seq == expected + 1 else f"seqs {expected}..{seq - 1}"
                self.findings.append(Finding("entry-deleted", f"{span} missing from the chain", expected))
            elif seq < expected:
                self.findings.append(Finding("entry-inserted", "an entry with an impossible seq", seq))
            recomputed = hash_entry(seq, at, actor, action, object_type, object_id, digest, prev)
            if recomputed != stored:
                self.suspects.append(row)
                flagged.add(seq)
            elif not hmac.compare_digest(entry_mac(mac_key, stored), mac or ""):
                self.findings.append(
                    Finding(
                        "entry-forged",
                        f"{action} on {object_type} {object_id} lacks this instance's seal "
                        "(inserted or rewritten outside the application)",
                        seq,
                    )
                )
                flagged.add(seq)
            if prev != last_hash and not gap and seq not in flagged and seq - 1 not in flagged:
                self.findings.append(
                    Finding("chain-broken", "its previous-hash does not match the entry before it", seq)
                )
            leaves.append(bytes.fromhex(recomputed))
            audited[(object_type, object_id)] = (seq, digest)
            last_hash = stored
            expected = seq + 1
        self.last_hash = last_hash
        self.last_seq = expected - 1
        report.entries = len(leaves)
        self._classify(session)

    def _classify(self, session: Session) -> None:
        """Tell an entry moved to another seq from one whose fields were edited.

        A moved entry still hashes correctly under its original seq: the seq after the entry its `prev`
        names, or one of the other displaced slots (when entries were swapped, that entry moved too).
        """
        if not self.suspects:
            return
        prevs = {row.prev_hash for row in self.suspects}
        statement = select(AuditEntry.entry_hash, AuditEntry.seq).where(AuditEntry.entry_hash.in_(prevs))
        owner_of = {hash_hex: seq for hash_hex, seq in session.execute(statement)}
        owner_of[GENESIS] = 0
        displaced = {row.seq for row in self.suspects}
        for row in self.suspects:
            candidates = set(displaced)
            if row.prev_hash in owner_of:
                candidates.add(owner_of[row.prev_hash] + 1)
            candidates.discard(row.seq)
            original = next((seq for seq in sorted(candidates) if self._hashes_as(row, seq)), None)
            if original is not None:
                what = f"entry ({row.action} on {row.object_type} {row.object_id})"
                self.findings.append(
                    Finding("entry-reordered", f"{what} was written as seq {original}", row.seq)
                )
            else:
                what = f"now reads {row.action} on {row.object_type} {row.object_id}"
                self.findings.append(
                    Finding("entry-modified", f"its fields no longer match its hash ({what})", row.seq)
                )

    @staticmethod
    def _hashes_as(row: Any, seq: int) -> bool:
        fields = entry_fields(
            seq, row.at, row.actor, row.action, row.object_type, row.object_id, row.digest, row.prev_hash
        )
        return entry_hash(fields) == row.entry_hash


def _check_head(session: Session, chain: _ChainCheck) -> list[Finding]:
    head = session.get(AuditHead, 1)
    if head is None:
        return [] if chain.last_seq == 0 else [Finding("head-missing", "the chain-head row was deleted")]
    if head.seq > chain.last_seq:
        return [
            Finding(
                "entry-deleted",
                f"the chain head says {head.seq} entries but the log ends at {chain.last_seq} (truncated)",
                chain.last_seq + 1,
            )
        ]
    if head.seq != chain.last_seq or head.hash != chain.last_hash:
        return [Finding("entry-inserted", "entries after the recorded chain head", head.seq + 1)]
    return []


def _check_checkpoints(
    session: Session, settings: Settings, chain: _ChainCheck, report: Report
) -> list[Finding]:
    findings: list[Finding] = []
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    report.checkpoints = len(checkpoints)
    if not checkpoints:
        return findings
    instance_key = public_key_hex(load_signing_key(settings))
    tree = MerkleTree(chain.leaves)
    previous: AuditCheckpoint | None = None
    for cp in checkpoints:
        label = f"checkpoint #{cp.id} (size {cp.tree_size})"
        if cp.public_key != instance_key or not verify_checkpoint_signature(
            instance_key, cp.tree_size, cp.root_hash, cp.at, cp.signature
        ):
            findings.append(
                Finding(
                    "checkpoint-signature", f"{label}: signature does not verify with this instance's key"
                )
            )
        if cp.tree_size > tree.size:
            findings.append(
                Finding(
                    "entry-deleted",
                    f"{label} covers more entries than the log holds ({tree.size})",
                    tree.size + 1,
                )
            )
        elif tree.root(cp.tree_size).hex() != cp.root_hash:
            findings.append(
                Finding("checkpoint-root", f"{label}: the entries no longer hash to its signed root", None)
            )
        elif previous is not None and previous.tree_size <= cp.tree_size <= tree.size:
            proof = tree.consistency_proof(previous.tree_size, cp.tree_size)
            if not verify_consistency(
                previous.tree_size,
                cp.tree_size,
                bytes.fromhex(previous.root_hash),
                bytes.fromhex(cp.root_hash),
                proof,
            ):
                findings.append(
                    Finding("checkpoint-inconsistent", f"{label} does not extend checkpoint #{previous.id}")
                )
        if previous is not None and cp.tree_size < previous.tree_size:
            findings.append(
                Finding("checkpoint-inconsistent", f"{label} is smaller than checkpoint #{previous.id}")
            )
        previous = cp
    return findings


def _check_content(session: Session, report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for name, kind in KINDS.items():
        seen: set[str] = set()
        for public_id, snap in kind.load_all(session):
            seen.add(public_id)
            audited = report.audited.get((name, public_id))
            if audited is None:
                findings.append(
                    Finding(
                        "row-unaudited",
                        "this row is in no audit entry (written outside the services)",
                        None,
                        name,
                        public_id,
                    )
                )
                continue
            seq, digest = audited
            if digest is None:
                findings.append(
                    Finding(
                        "row-resurrected", f"deleted at seq {seq} but the row exists", seq, name, public_id
                    )
                )
            elif digest_of(snap) != digest:
                findings.append(
                    Finding(
                        "content-modified",
                        f"does not match its last audited state (seq {seq})",
                        seq,
                        name,
                        public_id,
                    )
                )
        for (object_type, object_id), (seq, digest) in report.audited.items():
            if object_type == name and digest is not None and object_id not in seen:
                findings.append(
                    Finding(
                        "row-deleted",
                        f"the row is gone but seq {seq} recorded it as live",
                        seq,
                        name,
                        object_id,
                    )
                )
    return findings


def verify(session: Session, settings: Settings) -> Report:
    report = Report()
    chain = _ChainCheck(derive_key(settings.secret_key, "mac"))
    chain.run(session, report)
    report.findings.extend(chain.findings)
    report.findings.extend(_check_head(session, chain))
    report.findings.extend(_check_checkpoints(session, settings, chain, report))
    report.findings.extend(_check_content(session, report))
    report.findings.sort(key=lambda f: (not f.is_chain, f.seq if f.seq is not None else 0))
    return report
