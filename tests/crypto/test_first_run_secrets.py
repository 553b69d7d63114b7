"""Secrets made on first run (secret_files.py): server processes starting together on a fresh data
directory all read the same complete key, whichever of them wrote it."""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dreamnexus import config
from dreamnexus.crypto.keyring import Keyring
from dreamnexus.integrity.signing import load_signing_key, public_key_hex
from dreamnexus.secret_files import read_or_create

PROCESSES = 6


@pytest.fixture(autouse=True)
def keys_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every key from its file in this test's data directory (forked processes inherit the setting)."""
    for name in (
        "DREAMNEXUS_MASTER_KEY",
        "DREAMNEXUS_SEARCH_KEY",
        "DREAMNEXUS_SECRET_KEY",
        "DREAMNEXUS_AUDIT_SIGNING_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DREAMNEXUS_DATA_DIR", str(tmp_path))


def test_an_existing_file_is_read_and_never_made_again(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    assert read_or_create(path, lambda: b"first") == b"first"
    assert read_or_create(path, lambda: pytest.fail("made again")) == b"first"


def test_the_file_is_private_and_no_candidate_is_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "secret"
    read_or_create(path, lambda: b"s3cret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret"]


def test_a_process_that_loses_the_race_reads_the_winners_whole_file(tmp_path: Path) -> None:
    """The other process writes its file while this one is still making its own."""
    path = tmp_path / "secret"

    def make_while_another_writes() -> bytes:
        assert read_or_create(path, lambda: b"the winner's key") == b"the winner's key"
        return b"the loser's key"

    assert read_or_create(path, make_while_another_writes) == b"the winner's key"
    assert path.read_bytes() == b"the winner's key"
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]


def test_without_hard_links_the_file_is_still_made_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "secret"
    assert read_or_create(path, lambda: b"made") == b"made"
    assert read_or_create(path, lambda: b"other") == b"made"
    assert [p.name for p in tmp_path.iterdir()] == ["secret"]


def _master_key_id(data_dir: Path) -> str:
    return Keyring.load(data_dir).current.hex()


def _secret_key(data_dir: Path) -> str:
    assert config.load_settings().data_dir == data_dir
    return config.load_settings().secret_key


def _signing_key(data_dir: Path) -> str:
    assert config.load_settings().data_dir == data_dir
    return public_key_hex(load_signing_key(config.load_settings()))


def _at_once(barrier: Any, results: Any, load: Callable[[Path], str], data_dir: Path) -> None:
    barrier.wait()
    try:
        results.put(load(data_dir))
    except Exception as error:  # reported to the test, which fails on it
        results.put(f"error: {error!r}")


@pytest.mark.parametrize("load", [_master_key_id, _secret_key, _signing_key], ids=lambda f: f.__name__)
def test_processes_starting_together_all_get_the_same_key(
    tmp_path: Path, load: Callable[[Path], str]
) -> None:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_at_once, args=(barrier, results, load, tmp_path)) for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    keys = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert not [key for key in keys if key.startswith("error")], keys
    assert len(set(keys)) == 1
    assert load(tmp_path) == keys[0]  # and it is the one on disk
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
