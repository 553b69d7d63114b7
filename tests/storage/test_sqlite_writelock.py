"""SQLite writers queue on the lock file (db/writelock.py): held from the first write to commit or rollback,
never for reads, and many concurrent writers all succeed."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from dreamnexus.db.engine import Database


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'w.db'}")
    with database.session() as session:
        session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield database
    database.dispose()


def lock_is_free(tmp_path: Path) -> bool:
    fd = os.open(tmp_path / "w.db-writelock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_the_lock_is_held_from_the_first_write_to_the_commit(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        session.execute(text("SELECT count(*) FROM notes"))
        assert lock_is_free(tmp_path)  # reading takes no lock
        session.execute(text("INSERT INTO notes (body) VALUES ('a')"))
        assert not lock_is_free(tmp_path)
        session.commit()
        assert lock_is_free(tmp_path)
    with db.session() as session:
        assert session.scalar(text("SELECT count(*) FROM notes")) == 1


def test_a_rollback_gives_the_lock_back_and_keeps_nothing(db: Database, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.execute(text("INSERT INTO notes (body) VALUES ('lost')"))
        assert not lock_is_free(tmp_path)
        raise RuntimeError("the unit of work fails")
    assert lock_is_free(tmp_path)
    with db.session() as session:
        assert session.scalar(text("SELECT count(*) FROM notes")) == 0


def test_the_lock_is_free_after_a_commit_while_the_session_is_still_open(
    db: Database, tmp_path: Path
) -> None:
    with db.session() as outer:
        outer.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        outer.commit()
        assert lock_is_free(tmp_path)
        # As an after-commit listener does: a second unit of work while the first session is open.
        with db.session() as inner:
            inner.execute(text("INSERT INTO notes (body) VALUES ('second')"))
    with db.session() as session:
        assert session.scalar(text("SELECT count(*) FROM notes")) == 2


def test_concurrent_writers_all_commit(db: Database) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                with db.session() as session:
                    session.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": f"{n}-{i}"})
                    session.execute(text("SELECT count(*) FROM notes"))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.session() as session:
        assert session.scalar(text("SELECT count(DISTINCT body) FROM notes")) == 200
