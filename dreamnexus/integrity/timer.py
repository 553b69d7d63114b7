"""Signed checkpoints on a timer in the server: after 1,000 new entries, or hourly when anything changed."""

from __future__ import annotations

import logging
import threading

from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.integrity.checkpoints import checkpoint_if_due

log = logging.getLogger("dreamnexus.integrity")


class CheckpointTimer:
    def __init__(self, database: Database, settings: Settings, check_s: float = 60.0) -> None:
        self.database, self.settings, self.check_s = database, settings, check_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="dreamnexus-checkpoints", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.check_s):
            try:
                with self.database.session() as session:
                    made = checkpoint_if_due(session, self.settings)
                if made is not None:
                    log.info("signed audit checkpoint at tree size %s", made.tree_size)
            except Exception:
                log.exception("audit checkpoint failed; will retry")
