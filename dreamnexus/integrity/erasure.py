"""Erase a person's snapshots on account deletion: the chain keeps only digests, which reveal no content."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dreamnexus.integrity.models import AuditBlob


def erase_snapshots_of(session: Session, user_id: int) -> int:
    """Delete every stored snapshot of the user's dreams, contributions and spaces; returns how many."""
    result = session.execute(delete(AuditBlob).where(AuditBlob.owner_id == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
