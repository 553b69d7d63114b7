"""Restore tampered rows to their last audited state from the content-addressed snapshots.

The chain itself is never rewritten: a tampered chain is reported, with the first seq that cannot be
trusted, for a person to investigate. Rows whose last audited entry lies at or after that seq are left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from dreamnexus.config import Settings
from dreamnexus.db.base import utcnow
from dreamnexus.integrity.audit import AuditLog
from dreamnexus.integrity.canonical import iso_utc, sha256_hex
from dreamnexus.integrity.models import AuditBlob
from dreamnexus.integrity.snapshots import KINDS, RESTORE_ORDER
from dreamnexus.integrity.verify import Report, verify

REPAIRABLE = {"content-modified", "row-deleted"}


@dataclass
class RepairResult:
    report: Report
    restored: list[str] = field(default_factory=list)
    needs_human: list[str] = field(default_factory=list)

    @property
    def chain_tampered_from(self) -> int | None:
        return self.report.first_bad_seq


def repair(session: Session, settings: Settings) -> RepairResult:
    report = verify(session, settings)
    result = RepairResult(report)
    first_bad = report.first_bad_seq
    for finding in report.chain_findings:
        result.needs_human.append(f"chain: {finding}")
    log = AuditLog(settings)
    order = {name: i for i, name in enumerate(RESTORE_ORDER)}
    content = sorted(report.content_findings, key=lambda f: order.get(f.object_type or "", len(order)))
    for finding in content:
        kind = KINDS[finding.object_type or ""]
        label = f"{kind.name} {finding.object_id}"
        if finding.kind not in REPAIRABLE or kind.restore is None:
            result.needs_human.append(f"{finding} (not restorable automatically)")
            continue
        seq, digest = report.audited[(kind.name, finding.object_id or "")]
        if first_bad is not None and seq >= first_bad:
            result.needs_human.append(
                f"{finding} (its audited state lies in the untrusted part of the chain)"
            )
            continue
        blob = session.get(AuditBlob, digest)
        if blob is None or sha256_hex(blob.body.encode()) != digest:
            result.needs_human.append(f"{finding} (its snapshot is missing or corrupt in the blob store)")
            continue
        kind.restore(session, json.loads(blob.body))
        log.append(
            session, iso_utc(utcnow()) or "", None, "audit.repair", kind.name, finding.object_id or "", digest
        )
        result.restored.append(f"{label}: restored to its state at seq {seq} ({finding.kind})")
    session.flush()
    return result
