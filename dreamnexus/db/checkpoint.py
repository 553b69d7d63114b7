"""SQLite's WAL checkpoints, made by a thread of their own instead of by whichever write commits.

In WAL mode a commit appends pages to `<database>-wal`; a checkpoint copies them back into the database
file and syncs it. By default SQLite checkpoints inside the commit that takes the log past 1,000 pages,
so that one write in a few dozen also copies and syncs megabytes, while it still holds the writers'
lock (db/writelock.py) and every other writer waits: of 1,400 dream writes in a row, the slowest 1 % of
commits took 8 to 34 ms against 0.15 ms for the median, and made up 63 % of all commit time
(docs/performance.md). Here the connections of a `Database` on a SQLite file do not checkpoint
(`PRAGMA wal_autocheckpoint=0`), and a daemon thread runs a PASSIVE checkpoint every EVERY_S seconds on
a connection of its own: it never waits for writers or readers and never blocks them, and with the GIL
released inside SQLite it takes next to nothing from the process.

Durability is unchanged: with `synchronous=NORMAL` a commit is durable once a checkpoint has synced it,
as before. Closing the last connection still checkpoints and removes the log, as SQLite always does.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

EVERY_S = 0.5

log = logging.getLogger("dreamnexus.db")


class Checkpointer:
    """Checkpoints one SQLite database's write-ahead log in the background until stopped."""

    def __init__(self, database_path: str, every_s: float | None = None) -> None:
        self.database_path = database_path
        self.every_s = EVERY_S if every_s is None else every_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def stop_soon(self) -> None:
        """Ask the thread to end at its next turn, without waiting for it."""
        self._stopping.set()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def checkpoint(self, connection: sqlite3.Connection) -> tuple[int, int, int]:
        """(busy, frames in the log, frames checkpointed), as `PRAGMA wal_checkpoint` reports them."""
        busy, frames, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(frames), int(copied)

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stopping.wait(self.every_s):
                try:
                    if connection is None:
                        # mode=rw: a database file deleted meanwhile is not made again, empty.
                        uri = Path(self.database_path).resolve().as_uri() + "?mode=rw"
                        connection = sqlite3.connect(uri, uri=True, timeout=1, check_same_thread=False)
                    self.checkpoint(connection)
                except sqlite3.Error as error:  # a locked or vanished file: try again at the next turn
                    log.debug("WAL checkpoint of %s skipped: %s", self.database_path, error)
                    if connection is not None:
                        connection.close()
                        connection = None
        finally:
            if connection is not None:
                connection.close()
