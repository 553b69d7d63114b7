"""Background analysis of saved dreams.

The queue is the dreams table itself (status 'pending'), so a crash or restart loses nothing: whatever was
not analysed is picked up again. An in-process thread is the default; `dreamnexus worker` runs the same
loop in a separate process. A result is stored only if the text was not edited meanwhile.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select, update

from dreamnexus.db.engine import Database
from dreamnexus.events import Change, after_commit, remove_listener
from dreamnexus.journal.models import AnalysisStatus, Dream

log = logging.getLogger("dreamnexus.analysis")
BATCH = 32


def requeue_outdated(database: Database) -> int:
    """Queue again the dreams analysed by an older version of the coding rules; return how many."""
    from dreamnexus.analysis import ANALYSIS_VERSION

    with database.session() as session:
        outcome = session.execute(
            update(Dream)
            .where(
                Dream.analysis_status == AnalysisStatus.done.value, Dream.analysis_version != ANALYSIS_VERSION
            )
            .values(analysis_status=AnalysisStatus.pending.value)
        )
        return int(outcome.rowcount or 0)  # type: ignore[attr-defined]


def analyse_pending(database: Database, limit: int = BATCH) -> int:
    """Analyse up to `limit` pending dreams; return how many were stored."""
    from dreamnexus.analysis import ANALYSIS_VERSION, analyze

    with database.session() as session:
        pending = session.execute(
            select(Dream.id, Dream.text, Dream.language, Dream.text_revision)
            .where(Dream.analysis_status == AnalysisStatus.pending.value)
            .order_by(Dream.id)
            .limit(limit)
        ).all()
    stored = 0
    for dream_id, text, language, revision in pending:
        try:
            result = analyze(text, language=language).to_dict()
            values = {
                "analysis": result,
                "analysis_status": AnalysisStatus.done.value,
                "analysis_version": ANALYSIS_VERSION,
                "analysis_error": None,
            }
        except Exception as error:  # one bad dream must not stop the queue
            log.exception("analysis of dream %s failed", dream_id)
            values = {"analysis_status": AnalysisStatus.failed.value, "analysis_error": str(error)[:300]}
        with database.session() as session:
            outcome = session.execute(
                update(Dream)
                .where(
                    Dream.id == dream_id,
                    Dream.text_revision == revision,
                    Dream.analysis_status == AnalysisStatus.pending.value,
                )
                .values(**values)
            )
            stored += outcome.rowcount or 0
    return stored


class AnalysisWorker:
    """A daemon thread that analyses pending dreams, woken by each saved text."""

    def __init__(self, database: Database, poll_s: float = 30.0) -> None:
        self.database = database
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _on_change(self, change: Change) -> None:
        if change.action in {"dream.create", "dream.update"}:
            self._wake.set()

    def start(self) -> None:
        after_commit(self._on_change)
        self._thread = threading.Thread(target=self._run, name="dreamnexus-analysis", daemon=True)
        self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        remove_listener(self._on_change)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def run_once(self) -> int:
        total = 0
        while not self._stop.is_set():
            stored = analyse_pending(self.database)
            total += stored
            if stored == 0:
                break
        return total

    def _run(self) -> None:
        try:
            requeue_outdated(self.database)
        except Exception:
            log.exception("could not queue outdated analyses again")
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            try:
                self.run_once()
            except Exception:
                log.exception("analysis worker pass failed; retrying later")
