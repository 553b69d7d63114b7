"""Signed checkpoints: the key, the signature, the published form, consistency between checkpoints."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text

from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.integrity import checkpoints
from dreamnexus.integrity.checkpoints import latest_checkpoint, make_checkpoint, public_key_info
from dreamnexus.integrity.merkle import verify_consistency, verify_inclusion
from dreamnexus.integrity.signing import KEY_FILE, checkpoint_message, verify_checkpoint_signature
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import DreamCreate

from .conftest import World

Cli = Callable[..., Result]


def more_dreams(database: Database, world: World, n: int) -> None:
    with database.session() as session:
        for i in range(n):
            journal.create_dream(session, world.dreamer, DreamCreate(text=f"Another dream, {i}."))


def test_key_is_generated_once_with_owner_only_permissions(settings: Settings, world: World) -> None:
    first = public_key_info(settings)
    path = settings.data_dir / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert public_key_info(settings)["public_key"] == first["public_key"]
    assert "PRIVATE" not in first["pem"] and "PUBLIC KEY" in first["pem"]


def test_key_from_the_environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes_raw()
    monkeypatch.setenv("DREAMNEXUS_AUDIT_SIGNING_KEY", base64.b64encode(seed).decode())
    assert public_key_info(settings)["public_key"] == key.public_key().public_bytes_raw().hex()
    assert not (settings.data_dir / KEY_FILE).exists()


def test_checkpoint_command_and_published_checkpoint(
    cli: Cli, database: Database, settings: Settings, world: World
) -> None:
    result = cli("checkpoint")
    assert result.exit_code == 0, result.output
    with database.session() as session:
        published = latest_checkpoint(session)
    assert published is not None
    assert f"tree size {published['tree_size']}, root {published['root_hash']}" in result.output
    # An outside verifier needs only the published key and the checkpoint.
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_info(settings)["public_key"]))
    public.verify(
        bytes.fromhex(published["signature"]),
        checkpoint_message(published["tree_size"], published["root_hash"], published["at"]),
    )
    verified = cli("verify")
    assert verified.exit_code == 0
    assert f"intact: {published['tree_size']} entries, 1 checkpoints" in verified.output


def test_signature_fails_with_another_key_or_a_changed_root(
    database: Database, settings: Settings, world: World
) -> None:
    with database.session() as session:
        cp = make_checkpoint(session, settings)
    assert verify_checkpoint_signature(cp.public_key, cp.tree_size, cp.root_hash, cp.at, cp.signature)
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    assert not verify_checkpoint_signature(other, cp.tree_size, cp.root_hash, cp.at, cp.signature)
    changed = ("0" if cp.root_hash[0] != "0" else "1") + cp.root_hash[1:]
    assert not verify_checkpoint_signature(cp.public_key, cp.tree_size, changed, cp.at, cp.signature)
    assert not verify_checkpoint_signature(cp.public_key, cp.tree_size + 1, cp.root_hash, cp.at, cp.signature)


def test_verify_reports_a_checkpoint_signed_by_another_key(
    cli: Cli, database: Database, settings: Settings, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("checkpoint").exit_code == 0
    intruder = base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()
    monkeypatch.setenv("DREAMNEXUS_AUDIT_SIGNING_KEY", intruder)
    assert cli("checkpoint").exit_code == 0
    monkeypatch.delenv("DREAMNEXUS_AUDIT_SIGNING_KEY")
    result = cli("verify")
    assert result.exit_code == 1
    assert "[checkpoint-signature] checkpoint #2" in result.output
    assert "checkpoint #1" not in result.output


def test_verify_reports_a_changed_root(cli: Cli, database: Database, world: World) -> None:
    assert cli("checkpoint").exit_code == 0
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_checkpoints SET root_hash = :r"), {"r": "ab" * 32})
    result = cli("verify")
    assert result.exit_code == 1
    assert "[checkpoint-signature]" in result.output and "[checkpoint-root]" in result.output


def test_consecutive_checkpoints_are_consistent(
    cli: Cli, database: Database, settings: Settings, world: World
) -> None:
    assert cli("checkpoint").exit_code == 0
    more_dreams(database, world, 5)
    assert cli("checkpoint").exit_code == 0
    with database.session() as session:
        latest = latest_checkpoint(session)
        assert latest is not None
        first_size = latest["tree_size"] - 5
        proof = checkpoints.consistency_proof(session, first_size, latest["tree_size"])
        inclusion = checkpoints.inclusion_proof(session, 2, latest["tree_size"])
        leaves = checkpoints.stored_leaves(session)
    assert proof["second_root"] == latest["root_hash"]
    assert verify_consistency(
        first_size,
        latest["tree_size"],
        bytes.fromhex(proof["first_root"]),
        bytes.fromhex(proof["second_root"]),
        [bytes.fromhex(h) for h in proof["proof"]],
    )
    assert verify_inclusion(
        leaves[1],
        1,
        latest["tree_size"],
        [bytes.fromhex(h) for h in inclusion["proof"]],
        bytes.fromhex(latest["root_hash"]),
    )
    result = cli("verify")
    assert result.exit_code == 0 and "2 checkpoints" in result.output


def test_truncation_below_a_checkpoint_is_caught(cli: Cli, database: Database, world: World) -> None:
    assert cli("checkpoint").exit_code == 0
    with database.engine.begin() as connection:
        end = connection.execute(text("SELECT max(seq) FROM audit_entries")).scalar_one()
        connection.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": end})
        connection.execute(text("UPDATE audit_head SET seq = :s WHERE id = 1"), {"s": end - 1})
        connection.execute(
            text(
                "UPDATE audit_head SET hash = (SELECT entry_hash FROM audit_entries WHERE seq = :s) WHERE id = 1"
            ),
            {"s": end - 1},
        )
    result = cli("verify")
    assert result.exit_code == 1
    assert "covers more entries than the log holds" in result.output
    refused = cli("checkpoint")
    assert refused.exit_code != 0 and "no longer matches checkpoint #1" in refused.output


def test_periodic_checkpoint_only_when_due(database: Database, settings: Settings, world: World) -> None:
    from dreamnexus.integrity.checkpoints import checkpoint_if_due, published

    with database.session() as session:
        first = checkpoint_if_due(session, settings, min_new_entries=1000)
        assert first is not None  # no checkpoint yet: any entry is due
        assert checkpoint_if_due(session, settings, min_new_entries=1) is None  # nothing new
    more_dreams(database, world, 3)
    with database.session() as session:
        assert checkpoint_if_due(session, settings, min_new_entries=10, max_age_s=3600) is None
        second = checkpoint_if_due(session, settings, min_new_entries=3)
        assert second is not None and second.tree_size == first.tree_size + 3
        served = published(session, settings)
    assert served["checkpoint"]["tree_size"] == second.tree_size
    assert served["key"]["public_key"] == second.public_key


def test_migration_upgrades_and_downgrades(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from dreamnexus.db import migrate

    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    config = migrate.alembic_config(url)
    engine = create_engine(url)
    try:
        command.upgrade(config, "0002")
        names = set(inspect(engine).get_table_names())
        assert {"audit_entries", "audit_head", "audit_objects", "audit_blobs", "audit_checkpoints"} <= names
        with engine.connect() as connection:
            assert connection.execute(text("SELECT seq, hash FROM audit_head")).all() == [(0, "0" * 64)]
        command.downgrade(config, "0001")
        assert not {n for n in inspect(engine).get_table_names() if n.startswith("audit_")}
    finally:
        engine.dispose()


def test_migration_matches_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import MetaData, create_engine

    from dreamnexus.db import migrate
    from dreamnexus.integrity import models

    url = f"sqlite:///{tmp_path / 'compare.db'}"
    migrate.upgrade(url)
    ours = MetaData()
    for table in models.Base.metadata.sorted_tables:
        if table.name.startswith("audit_"):
            table.to_metadata(ours)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"include_name": lambda name, kind, parent: kind != "table" or name in ours.tables},
            )
            assert compare_metadata(context, ours) == []
    finally:
        engine.dispose()
