"""The analysis queue: stored with its version, never over a newer text, redone when the rules change."""

from __future__ import annotations

from sqlalchemy import update

from dreamnexus.analysis import ANALYSIS_VERSION
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.analysis_jobs import analyse_pending, requeue_outdated
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import DreamCreate


def test_outdated_analyses_are_redone(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    account = make_account("dreamer")
    with database.session() as session:
        dream = journal.create_dream(
            session, account.user, DreamCreate(text="My brother chased me through the woods.")
        )
        dream_id = dream.id
    assert analyse_pending(database) == 1
    with database.session() as session:
        stored = session.get(Dream, dream_id)
        assert (stored.analysis_status, stored.analysis_version) == ("done", ANALYSIS_VERSION)
        assert stored.analysis["evidence"]
    assert requeue_outdated(database) == 0
    with database.session() as session:
        session.execute(update(Dream).where(Dream.id == dream_id).values(analysis_version="hvdc-0.9"))
    assert requeue_outdated(database) == 1
    assert analyse_pending(database) == 1
    with database.session() as session:
        assert session.get(Dream, dream_id).analysis_version == ANALYSIS_VERSION
