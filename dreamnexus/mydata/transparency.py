"""Live public counts: moderation actions, data requests and blocked abuse, by day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database
from dreamnexus.events import Change
from dreamnexus.mydata.models import PublicCounter

# Which changes the public sees counted, under which heading.
COUNTED_ACTIONS = {
    "space.exclude": "moderation_actions",
    "weave.revise": "weave_revisions",
    "user.export": "data_exports",
    "user.delete": "account_deletions",
    "exchange.block": "blocks",
}
LABELS = {
    "moderation_actions": "Contributions kept out of weaves by weavers",
    "weave_revisions": "Weave versions published because someone withdrew or revoked consent",
    "data_exports": "Exports of personal data",
    "account_deletions": "Accounts erased at their owner's request",
    "blocks": "Dreamers blocked in dream exchanges",
    "rate_limited": "Requests refused for coming too fast (floods, password guessing)",
}


def bump(session: Session, name: str, times: int = 1) -> None:
    day = utcnow().date()
    key = (PublicCounter.name == name, PublicCounter.day == day)
    if session.execute(update(PublicCounter).where(*key).values(count=PublicCounter.count + times)).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(PublicCounter(name=name, day=day, count=times))
    except IntegrityError:
        session.execute(update(PublicCounter).where(*key).values(count=PublicCounter.count + times))


def count_change(session: Session, change: Change) -> None:
    """In-transaction listener: a counted action commits together with its count."""
    name = COUNTED_ACTIONS.get(change.action)
    if name is not None:
        bump(session, name)


def bump_detached(database: Database, name: str) -> None:
    """For events outside any change (a refused request), in a transaction of its own."""
    with database.session() as session:
        bump(session, name)


def totals(session: Session, days: int = 30) -> list[tuple[str, str, int, int]]:
    """(name, label, last `days` days, all time) for every counter, in a stable order."""
    since = utcnow().date() - timedelta(days=days)
    recent = dict(
        session.execute(
            select(PublicCounter.name, func.sum(PublicCounter.count))
            .where(PublicCounter.day >= since)
            .group_by(PublicCounter.name)
        ).all()
    )
    overall = dict(
        session.execute(
            select(PublicCounter.name, func.sum(PublicCounter.count)).group_by(PublicCounter.name)
        ).all()
    )
    return [
        (name, label, int(recent.get(name) or 0), int(overall.get(name) or 0))
        for name, label in LABELS.items()
    ]
