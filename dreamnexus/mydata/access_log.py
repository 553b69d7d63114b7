"""Recording how others saw or used a dream, as daily counts per context."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dreamnexus.db.base import utcnow
from dreamnexus.mydata.models import DreamAccess


def note_access(
    session: Session, *, dream_id: int, owner_id: int, kind: str, context: str, times: int = 1
) -> None:
    """Add to today's count; concurrent first writers of a day race on the unique key and retry as update."""
    day = utcnow().date()
    context = context[:160]
    key = (
        DreamAccess.dream_id == dream_id,
        DreamAccess.kind == kind,
        DreamAccess.context == context,
        DreamAccess.day == day,
    )
    updated = session.execute(update(DreamAccess).where(*key).values(count=DreamAccess.count + times))
    if updated.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(
                DreamAccess(
                    dream_id=dream_id, owner_id=owner_id, kind=kind, context=context, day=day, count=times
                )
            )
    except IntegrityError:
        session.execute(update(DreamAccess).where(*key).values(count=DreamAccess.count + times))


def access_log(session: Session, owner_id: int) -> list[DreamAccess]:
    return list(
        session.scalars(
            select(DreamAccess)
            .where(DreamAccess.owner_id == owner_id)
            .order_by(DreamAccess.day.desc(), DreamAccess.id)
        )
    )
