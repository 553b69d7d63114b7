"""One SQLite writer at a time, queued on a lock file instead of SQLite's busy handler.

SQLite allows one write transaction at a time. A connection that finds the database locked waits in
SQLite's busy handler, which sleeps in steps of up to 100 ms however soon the lock is free: with two
server processes writing, `POST /api/v1/dreams` answered at p99 1.1 s while the server was half idle
(docs/performance.md). Here a connection takes an exclusive `flock` on `<database>-writelock` just
before its first writing statement and gives it back right after its commit or rollback. Waiters poll
in steps of at most 2 ms, so the next writer starts almost as soon as the previous one commits.

The lock is advisory: it only orders writers of this code base. Anything else (the sqlite3 shell, a
backup) still meets SQLite's own lock and busy timeout, as before. After WAIT_LIMIT_S (SQLite's busy
timeout here) a writer goes ahead without the lock and SQLite's busy timeout decides, as it would have
without this module.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, event

WAIT_LIMIT_S = 10.0
_FIRST_SLEEP_S = 0.0002
_LONGEST_SLEEP_S = 0.002
# Statements that only read; anything else (INSERT, UPDATE, DELETE, DDL, ...) writes.
_READS = ("SELECT", "PRAGMA", "EXPLAIN")


class WriteOrderedConnection(sqlite3.Connection):
    """A sqlite3 connection that holds the writer lock from its first write to its commit or rollback.
    The lock file is opened per connection: flock conflicts between open files, so two connections of
    one process queue like two processes do."""

    lock_path: str | None = None
    _lock_fd: int | None = None
    _holds_lock = False

    def begin_write(self) -> None:
        if self._holds_lock or self.lock_path is None:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + WAIT_LIMIT_S
        sleep = _FIRST_SLEEP_S
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._holds_lock = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(sleep)
                sleep = min(sleep * 2, _LONGEST_SLEEP_S)

    def _end_write(self) -> None:
        if self._holds_lock and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._holds_lock = False

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._end_write()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._end_write()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._end_write()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None


def _writes(statement: str) -> bool:
    return not statement.lstrip()[:8].upper().startswith(_READS)


def install(engine: Engine, database_path: str) -> None:
    """Order the writers of `engine`, made with `connect_args={"factory": WriteOrderedConnection}`,
    through `<database_path>-writelock`."""
    lock_path = f"{database_path}-writelock"

    @event.listens_for(engine, "connect")
    def _name_the_lock(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, WriteOrderedConnection):
            dbapi_connection.lock_path = lock_path

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if isinstance(dbapi_connection, WriteOrderedConnection) and _writes(statement):
            dbapi_connection.begin_write()
