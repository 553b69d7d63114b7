"""WAL checkpoints on SQLite (db/checkpoint.py): never inside a writer's commit, made by the Database's own
thread, which ends with the Database."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from dreamnexus.db import checkpoint
from dreamnexus.db.engine import Database

ROW = "x" * 200_000  # about 50 pages of log per row: past 1,000 pages (SQLite's own threshold) in 25 rows


@pytest.fixture
def slow_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread that waits long enough for a test to look at the log before the thread empties it."""
    monkeypatch.setattr(checkpoint, "EVERY_S", 30.0)


def _write_rows(database: Database, count: int) -> None:
    with database.session() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)"))
    for _ in range(count):
        with database.session() as session:
            session.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": ROW})


def test_a_commit_never_checkpoints_itself(tmp_path: Path, slow_checkpoints: None) -> None:
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        _write_rows(database, 40)  # ~2,000 pages of log: SQLite's default would have checkpointed twice
        wal = tmp_path / "c.db-wal"
        assert wal.stat().st_size > 4_000_000
        assert (tmp_path / "c.db").stat().st_size < 200_000  # nothing was copied back into the file
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    finally:
        database.dispose()


def test_the_thread_copies_the_log_into_the_database_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "EVERY_S", 0.05)
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    try:
        _write_rows(database, 40)
        deadline = time.monotonic() + 10
        while (tmp_path / "c.db").stat().st_size < 7_000_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "c.db").stat().st_size >= 7_000_000  # the 40 rows are in the file itself
        with database.session() as session:
            assert session.execute(text("SELECT count(*) FROM notes")).scalar() == 40
    finally:
        database.dispose()


def test_the_thread_ends_with_dispose_and_when_the_database_is_dropped(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    assert database.checkpointer is not None and database.checkpointer.running
    database.dispose()
    assert not database.checkpointer.running

    dropped = Database(f"sqlite:///{tmp_path / 'd.db'}")
    worker = dropped.checkpointer
    assert worker is not None and worker.running
    del dropped
    gc.collect()
    deadline = time.monotonic() + 5
    while worker.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not worker.running


def test_a_missing_database_file_is_not_made_by_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "EVERY_S", 0.02)
    skipped: list[str] = []
    monkeypatch.setattr(checkpoint.log, "debug", lambda message, *args: skipped.append(message % args))
    path = tmp_path / "gone.db"
    database = Database(f"sqlite:///{path}")
    try:
        deadline = time.monotonic() + 10
        while len(skipped) < 3 and time.monotonic() < deadline:  # three turns of the thread, no file there
            time.sleep(0.02)
        assert len(skipped) >= 3 and "gone.db" in skipped[0]
        assert not path.exists()
    finally:
        database.dispose()


def test_postgresql_has_no_checkpoint_thread(postgres_url: str) -> None:
    database = Database(postgres_url)
    try:
        assert database.checkpointer is None
    finally:
        database.dispose()
