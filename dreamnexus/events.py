"""The one place a state change is announced.

Every service function that changes state calls `record_change` inside its unit of work. Listeners
registered with `on_change` run in the same transaction (so an audit entry commits or rolls back with
the change it describes); listeners registered with `after_commit` run once the transaction is durable
(broadcasts, background analysis), and never see a change that was rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from dreamnexus.db.base import utcnow


@dataclass(frozen=True)
class Change:
    action: str  # e.g. "dream.create", "space.contribute"
    object_type: str
    object_id: str
    actor_id: int | None
    state: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)


InTransactionListener = Callable[[Session, Change], None]
AfterCommitListener = Callable[[Change], None]

_in_transaction: list[InTransactionListener] = []
_after_commit: list[AfterCommitListener] = []
_PENDING_KEY = "dreamnexus_pending_changes"


def on_change(listener: InTransactionListener) -> InTransactionListener:
    """Register a listener that runs inside the transaction of each change."""
    _in_transaction.append(listener)
    return listener


def after_commit(listener: AfterCommitListener) -> AfterCommitListener:
    """Register a listener that runs after the change's transaction commits."""
    _after_commit.append(listener)
    return listener


def remove_listener(listener: Callable[..., None]) -> None:
    for registry in (_in_transaction, _after_commit):
        if listener in registry:
            registry.remove(listener)


def record_change(session: Session, change: Change) -> Change:
    for listener in list(_in_transaction):
        listener(session, change)
    session.info.setdefault(_PENDING_KEY, []).append(change)
    return change


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending: list[Change] = session.info.pop(_PENDING_KEY, [])
    for change in pending:
        for listener in list(_after_commit):
            listener(change)


@event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
