"""Encryption at rest: the stored bytes never hold a private dream's words; search still finds them."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from dreamnexus.crypto import keyring as keyrings
from dreamnexus.crypto.keyring import Keyring, KeyringError, key_id
from dreamnexus.crypto.reseal import rotate_master_key, seal_existing
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import DreamCreate, DreamFilters

MARKER = "zebracorn"
SECRET_TEXT = f"I rode a {MARKER} through my grandmother's garden and whispered the word quetzalfrost."


def _raw_values(database: Database) -> str:
    """Every stored value of every table, as text, as someone reading the database directly would see."""
    dump = []
    with database.engine.connect() as connection:
        tables = [
            t for t in database.engine.dialect.get_table_names(connection) if not t.startswith("alembic")
        ]
        for table in tables:
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                dump.append(json.dumps([str(v) for v in row]))
    return "\n".join(dump)


def test_the_database_never_holds_a_private_dreams_words(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    owner = make_account("dreamer")
    with database.session() as session:
        journal.create_dream(
            session, owner.user, DreamCreate(text=SECRET_TEXT, title=f"The {MARKER}", tags=[MARKER])
        )
    with database.session() as session:
        found = journal.list_dreams(session, owner.user, DreamFilters(q=MARKER[:5]))
        assert [d.text for d in found.items] == [SECRET_TEXT]
        assert journal.list_dreams(session, owner.user, DreamFilters(tag=MARKER)).total == 1
        assert journal.list_dreams(session, owner.user, DreamFilters(q="quetzalfrost")).total == 1
        assert journal.list_dreams(session, owner.user, DreamFilters(q="absent")).total == 0
    raw = _raw_values(database).lower()
    for word in (MARKER, "quetzalfrost", "grandmother"):
        assert word not in raw


def test_the_sqlite_file_and_its_wal_hold_no_private_words(
    tmp_path: Path, sqlite_database: Database, make_account
) -> None:  # type: ignore[no-untyped-def]
    del make_account  # the sqlite_database fixture is used directly here
    from dreamnexus.accounts import service as accounts

    with sqlite_database.session() as session:
        user = accounts.register(session, email="raw@example.org", password="a long enough passphrase here")
        journal.create_dream(session, user, DreamCreate(text=SECRET_TEXT))
    path = Path(sqlite_database.url.split("///", 1)[1])
    for candidate in (path, path.with_name(path.name + "-wal")):
        if candidate.exists():
            data = candidate.read_bytes().lower()
            assert MARKER.encode() not in data and b"quetzalfrost" not in data


def test_rotation_reseals_every_data_key_and_retires_the_old_master(
    tmp_path: Path, database: Database, make_account
) -> None:  # type: ignore[no-untyped-def]
    owner = make_account("dreamer")
    ring = Keyring.generate(tmp_path / "master.keys")
    ring.save()
    previous = keyrings.installed()
    keyrings.install(ring)
    try:
        with database.session() as session:
            dream = journal.create_dream(session, owner.user, DreamCreate(text=SECRET_TEXT))
            dream_id = dream.public_id
        old_master = ring.current
        assert rotate_master_key(database, ring) >= 1
        assert ring.current != old_master and list(ring.keys) == [ring.current]
        reloaded = Keyring.load(tmp_path)
        assert reloaded.current == ring.current
        keyrings.install(reloaded)
        with database.session() as session:
            assert journal.own_dream(session, owner.user, dream_id).text == SECRET_TEXT
    finally:
        keyrings.install(previous)


def test_values_written_in_clear_are_sealed_by_seal_existing(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    owner = make_account("dreamer")
    with database.session() as session:
        dream = journal.create_dream(session, owner.user, DreamCreate(text="placeholder", tags=["old"]))
        dream_id = dream.id
    with database.engine.begin() as connection:  # as a database from before encryption would hold it
        connection.execute(
            text("UPDATE dreams SET text = :t, search_tokens = '' WHERE id = :id"),
            {"t": SECRET_TEXT, "id": dream_id},
        )
        connection.execute(
            text("UPDATE dream_tags SET tag = 'legacy tag', tag_key = 'legacy-1' WHERE dream_id = :id"),
            {"id": dream_id},
        )
    assert MARKER in _raw_values(database)
    assert seal_existing(database, keyrings.current()) >= 2
    assert MARKER not in _raw_values(database)
    with database.session() as session:
        assert journal.list_dreams(session, owner.user, DreamFilters(q=MARKER)).total == 1
        assert journal.list_dreams(session, owner.user, DreamFilters(tag="legacy tag")).total == 1


def test_a_value_moved_to_another_column_or_altered_does_not_open() -> None:
    ring = Keyring.generate()
    sealed = ring.seal(b"secret", "dream.text")
    assert ring.open(sealed, "dream.text") == b"secret"
    with pytest.raises(KeyringError):
        ring.open(sealed, "dream.title")
    tampered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(KeyringError):
        ring.open(tampered, "dream.text")
    with pytest.raises(KeyringError):
        Keyring.generate().open(sealed, "dream.text")


def test_keyring_file_is_private_and_env_key_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Keyring.load(tmp_path)
    assert (tmp_path / "master.keys").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("DREAMNEXUS_MASTER_KEY", "A" * 43)
    env_ring = Keyring.load(tmp_path / "elsewhere")
    assert env_ring.path is None and not (tmp_path / "elsewhere").exists()
    monkeypatch.setenv("DREAMNEXUS_MASTER_KEY", "c2hvcnQ")
    with pytest.raises(KeyringError):
        Keyring.load(tmp_path)


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode], ids=["standard", "url-safe"])
def test_an_environment_key_is_read_in_either_base64_alphabet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encode: Callable[[bytes], bytes]
) -> None:
    master = bytes([0xFB, 0xFF, 0xBF] * 10 + [0xFE, 0xEF])  # encodes to '+' and '/' (or '-' and '_')
    for padded in (True, False):
        text = encode(master).decode()
        monkeypatch.setenv("DREAMNEXUS_MASTER_KEY", text if padded else text.rstrip("="))
        assert Keyring.load(tmp_path).keys == {key_id(master): master}
    monkeypatch.setenv("DREAMNEXUS_MASTER_KEY", "not*base64*at*all")
    with pytest.raises(KeyringError):
        Keyring.load(tmp_path)


def test_a_sealed_value_with_foreign_characters_does_not_open() -> None:
    ring = Keyring.generate()
    sealed = ring.seal(b"secret", "dream.text")
    for damaged in (sealed[:20] + "+" + sealed[21:], sealed[:20] + "*" + sealed[20:], sealed[:-5]):
        with pytest.raises(KeyringError):
            ring.open(damaged, "dream.text")


def test_an_opened_value_is_remembered_without_loosening_any_check() -> None:
    ring = Keyring.generate()
    sealed = ring.seal(b"a remembered secret", "dream.text")
    assert ring.open(sealed, "dream.text") == b"a remembered secret"
    assert len(ring.opened) == 1
    assert ring.open(sealed, "dream.text") == b"a remembered secret"
    assert len(ring.opened) == 1
    with pytest.raises(KeyringError):  # remembered for its own column only
        ring.open(sealed, "dream.title")
    tampered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(KeyringError):
        ring.open(tampered, "dream.text")


def test_opened_values_stay_within_their_byte_budget_oldest_out_first() -> None:
    from dreamnexus.crypto.keyring import _ENTRY_OVERHEAD, OpenedValues

    entry = len("token-00") + 600 + _ENTRY_OVERHEAD
    opened = OpenedValues(64 * entry)  # room for 64 entries of this size
    for i in range(64):
        opened.put("dream.text", f"token-{i:02d}", b"x" * 600)
    assert len(opened) == 64 and opened.size_bytes == 64 * entry
    opened.put("dream.text", "token-64", b"y" * 600)
    assert len(opened) == 64 and opened.size_bytes == 64 * entry
    assert opened.get("dream.text", "token-00") is None  # the first in went first
    assert opened.get("dream.text", "token-01") == b"x" * 600
    assert opened.get("dream.text", "token-64") == b"y" * 600
    opened.put("dream.text", "huge", b"z" * entry)  # larger than a 64th of the budget: not kept
    assert opened.get("dream.text", "huge") is None
    opened.clear()
    assert len(opened) == 0 and opened.size_bytes == 0


def test_a_value_under_a_retired_master_key_no_longer_opens_even_if_remembered() -> None:
    ring = Keyring.generate()
    sealed = ring.seal(b"sealed before rotation", "dream.text")
    assert ring.open(sealed, "dream.text") == b"sealed before rotation"
    ring.add_master()
    assert ring.open(sealed, "dream.text") == b"sealed before rotation"
    ring.retire_others()
    with pytest.raises(KeyringError):
        ring.open(sealed, "dream.text")
