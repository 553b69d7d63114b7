"""Signed checkpoints (tree heads) over the chain, and the proofs that outside verifiers ask for.

Merkle leaf i (0-based) is the 32-byte entry hash of the entry with seq i + 1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dreamnexus.config import Settings
from dreamnexus.db.base import utcnow
from dreamnexus.integrity.canonical import iso_utc
from dreamnexus.integrity.merkle import MerkleTree
from dreamnexus.integrity.models import AuditCheckpoint, AuditEntry
from dreamnexus.integrity.signing import load_signing_key, public_key_hex, public_key_pem, sign_checkpoint


class CheckpointError(Exception):
    pass


def stored_leaves(session: Session, upto: int | None = None) -> list[bytes]:
    statement = select(AuditEntry.entry_hash).order_by(AuditEntry.seq)
    if upto is not None:
        statement = statement.where(AuditEntry.seq <= upto)
    return [bytes.fromhex(h) for h in session.scalars(statement.execution_options(yield_per=20_000))]


def checkpoint_dict(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "at": checkpoint.at,
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
        "algorithm": "Ed25519",
    }


def make_checkpoint(session: Session, settings: Settings) -> AuditCheckpoint:
    """Sign the Merkle root of all entries; refuse if the chain no longer extends the last checkpoint."""
    key = load_signing_key(settings)
    leaves = stored_leaves(session)
    tree = MerkleTree(leaves)
    previous = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    if previous is not None and (
        previous.tree_size > tree.size or tree.root(previous.tree_size).hex() != previous.root_hash
    ):
        raise CheckpointError(
            f"the chain no longer matches checkpoint #{previous.id} (size {previous.tree_size}); "
            "run `dreamnexus audit verify`"
        )
    root = tree.root().hex()
    at = iso_utc(utcnow()) or ""
    checkpoint = AuditCheckpoint(
        tree_size=tree.size,
        root_hash=root,
        at=at,
        public_key=public_key_hex(key),
        signature=sign_checkpoint(key, tree.size, root, at),
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def latest_checkpoint(session: Session) -> dict[str, Any] | None:
    """The newest signed checkpoint, for publication (with the key that signed it)."""
    checkpoint = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    return None if checkpoint is None else checkpoint_dict(checkpoint)


def checkpoint_if_due(
    session: Session, settings: Settings, *, min_new_entries: int = 1000, max_age_s: float = 3600.0
) -> AuditCheckpoint | None:
    """The periodic checkpoint, for a timer or worker: when enough entries, or any entry and enough time."""
    size = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    previous = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    new = size - (previous.tree_size if previous else 0)
    if new <= 0:
        return None
    age = float("inf")
    if previous is not None:
        age = (utcnow() - datetime.fromisoformat(previous.at.replace("Z", "+00:00"))).total_seconds()
    if new >= min_new_entries or age >= max_age_s:
        return make_checkpoint(session, settings)
    return None


def published(session: Session, settings: Settings) -> dict[str, Any]:
    """What a public endpoint serves: the latest signed checkpoint and the key to check it with."""
    return {"checkpoint": latest_checkpoint(session), "key": public_key_info(settings)}


def public_key_info(settings: Settings) -> dict[str, str]:
    key = load_signing_key(settings)
    return {"algorithm": "Ed25519", "public_key": public_key_hex(key), "pem": public_key_pem(key)}


def inclusion_proof(session: Session, seq: int, tree_size: int) -> dict[str, Any]:
    """Proof that the entry `seq` is leaf seq - 1 of the tree of `tree_size` entries."""
    tree = MerkleTree(stored_leaves(session, tree_size))
    if tree.size != tree_size:
        raise ValueError(f"the log holds {tree.size} entries, fewer than {tree_size}")
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": tree_size,
        "root_hash": tree.root().hex(),
        "proof": [h.hex() for h in tree.inclusion_proof(seq - 1)],
    }


def consistency_proof(session: Session, first: int, second: int) -> dict[str, Any]:
    tree = MerkleTree(stored_leaves(session, second))
    if tree.size != second:
        raise ValueError(f"the log holds {tree.size} entries, fewer than {second}")
    return {
        "first": first,
        "second": second,
        "first_root": tree.root(first).hex(),
        "second_root": tree.root().hex(),
        "proof": [h.hex() for h in tree.consistency_proof(first)],
    }
