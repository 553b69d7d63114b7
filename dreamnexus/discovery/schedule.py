"""Exchange rounds on a schedule, safe with several server processes.

Each process wakes up now and then; a round runs only if the last one, as recorded in the database, is
older than the interval, so N processes still make one round per interval (a concurrent duplicate
would only pair the few who opted in between the two).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import func, select

from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database
from dreamnexus.discovery.models import ExchangeRound

log = logging.getLogger("dreamnexus.exchange")


def round_due(database: Database, every: timedelta) -> bool:
    with database.session() as session:
        last = session.scalar(select(func.max(ExchangeRound.ran_at)))
    return last is None or utcnow() - last >= every


class ExchangeScheduler:
    def __init__(self, database: Database, every_hours: float, check_s: float = 60.0) -> None:
        self.database = database
        self.every = timedelta(hours=every_hours)
        self.check_s = check_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="dreamnexus-exchange", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def tick(self) -> bool:
        from dreamnexus.discovery.service import run_round

        if not round_due(self.database, self.every):
            return False
        with self.database.session() as session:
            row = run_round(session)
        log.info("exchange round %s: %s participants, %s links", row.public_id, row.participants, row.links)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.check_s):
            try:
                self.tick()
            except Exception:
                log.exception("scheduled exchange round failed; will retry")
