"""`audit verify` detects each kind of tampering precisely; `audit repair` undoes tampering of rows."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result
from sqlalchemy import func, select, text

from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.integrity.chain import derive_key, entry_fields, entry_hash, entry_mac
from dreamnexus.integrity.models import AuditEntry
from dreamnexus.journal.models import Dream, DreamTag
from dreamnexus.spaces.models import Contribution, Space

from .conftest import SECRET, World

Cli = Callable[..., Result]


def sql(database: Database, statement: str, **params: object) -> None:
    """Tampering as an intruder with database access would do it: raw SQL, bypassing the application."""
    with database.engine.begin() as connection:
        connection.execute(text(statement), params)


def last_seq(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.max(AuditEntry.seq))) or 0)


def dream_text(database: Database, public_id: str) -> str | None:
    with database.session() as session:
        return session.scalar(select(Dream.text).where(Dream.public_id == public_id))


def test_an_untouched_history_is_intact(cli: Cli, database: Database, world: World) -> None:
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"intact: {last_seq(database)} entries, 0 checkpoints"
    repaired = cli("repair")
    assert repaired.exit_code == 0 and "nothing to repair" in repaired.output


def test_modified_entry_field(cli: Cli, database: Database, world: World) -> None:
    sql(database, "UPDATE audit_entries SET action = 'dream.update' WHERE seq = 3")
    result = cli("verify")
    assert result.exit_code == 1
    assert "[entry-modified] seq 3:" in result.output
    assert "the chain cannot be trusted from seq 3" in result.output


def test_modified_digest_of_an_entry(cli: Cli, database: Database, world: World) -> None:
    sql(database, "UPDATE audit_entries SET digest = :d WHERE seq = 4", d="ab" * 32)
    result = cli("verify")
    assert result.exit_code == 1
    assert "[entry-modified] seq 4:" in result.output


def test_deleted_entry(cli: Cli, database: Database, world: World) -> None:
    sql(database, "DELETE FROM audit_entries WHERE seq = 5")
    result = cli("verify")
    assert result.exit_code == 1
    assert "[entry-deleted] seq 5: seq 5 missing from the chain" in result.output


def test_deleted_last_entry(cli: Cli, database: Database, world: World) -> None:
    end = last_seq(database)
    sql(database, "DELETE FROM audit_entries WHERE seq = :s", s=end)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"[entry-deleted] seq {end}: the chain head says {end} entries" in result.output


def test_swapped_entries(cli: Cli, database: Database, world: World) -> None:
    sql(database, "UPDATE audit_entries SET seq = -1 WHERE seq = 4")
    sql(database, "UPDATE audit_entries SET seq = 4 WHERE seq = 5")
    sql(database, "UPDATE audit_entries SET seq = 5 WHERE seq = -1")
    result = cli("verify")
    assert result.exit_code == 1
    assert "[entry-reordered] seq 4:" in result.output and "was written as seq 5" in result.output
    assert "[entry-reordered] seq 5:" in result.output and "was written as seq 4" in result.output


def _forge(database: Database, key: bytes, dream_id: str, update_head: bool) -> int:
    """A forged entry with a correct hash and link: only the instance's seal can tell it apart."""
    with database.session() as session:
        tail = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert tail is not None
        seq, prev = tail.seq + 1, tail.entry_hash
    fields = entry_fields(
        seq, "2026-01-01T00:00:00.000000Z", None, "dream.update", "dream", dream_id, "cd" * 32, prev
    )
    forged = entry_hash(fields)
    sql(
        database,
        "INSERT INTO audit_entries (seq, at, actor, action, object_type, object_id, digest, prev_hash, entry_hash, mac) "
        "VALUES (:seq, :at, NULL, 'dream.update', 'dream', :oid, :digest, :prev, :hash, :mac)",
        seq=seq,
        at=fields["at"],
        oid=dream_id,
        digest=fields["digest"],
        prev=prev,
        hash=forged,
        mac=entry_mac(key, forged),
    )
    if update_head:
        sql(database, "UPDATE audit_head SET seq = :seq, hash = :h WHERE id = 1", seq=seq, h=forged)
    return seq


def test_inserted_forged_entry(cli: Cli, database: Database, world: World) -> None:
    seq = _forge(database, derive_key("a guessed secret", "mac"), world.dream_ids[2], update_head=True)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"[entry-forged] seq {seq}:" in result.output


def test_inserted_entry_without_head(cli: Cli, database: Database, world: World) -> None:
    """Even an intruder who holds the instance key is caught by the chain head if they forget it."""
    seq = _forge(database, derive_key(SECRET, "mac"), world.dream_ids[2], update_head=False)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"[entry-inserted] seq {seq}:" in result.output


def test_modified_dream_text_is_detected_and_repaired(
    cli: Cli, database: Database, settings: Settings, world: World
) -> None:
    target = world.dream_ids[1]
    original = dream_text(database, target)
    sql(database, "UPDATE dreams SET text = 'planted words' WHERE public_id = :p", p=target)
    result = cli("verify")
    assert result.exit_code == 1
    assert "[content-modified] seq" in result.output and f"dream {target}:" in result.output
    repaired = cli("repair")
    assert repaired.exit_code == 0, repaired.output
    assert f"restored dream {target}" in repaired.output
    assert dream_text(database, target) == original
    after = cli("verify")
    assert after.exit_code == 0, after.output


def test_deleted_contribution_is_detected_and_repaired(cli: Cli, database: Database, world: World) -> None:
    sql(database, "DELETE FROM contributions WHERE public_id = :p", p=world.contribution_id)
    result = cli("verify")
    assert result.exit_code == 1
    assert "[row-deleted]" in result.output and f"contribution {world.contribution_id}" in result.output
    repaired = cli("repair")
    assert repaired.exit_code == 0, repaired.output
    with database.session() as session:
        row = session.scalar(select(Contribution).where(Contribution.public_id == world.contribution_id))
        assert row is not None and row.content_warning == "heights" and row.withdrawn_at is None
    assert cli("verify").exit_code == 0


def test_un_withdrawn_contribution_is_repaired(cli: Cli, database: Database, world: World) -> None:
    from dreamnexus.spaces import service as spaces

    with database.session() as session:
        spaces.withdraw(session, world.dreamer, world.contribution_id)
    sql(
        database, "UPDATE contributions SET withdrawn_at = NULL WHERE public_id = :p", p=world.contribution_id
    )
    assert cli("verify").exit_code == 1
    assert cli("repair").exit_code == 0
    with database.session() as session:
        withdrawn = session.scalar(
            select(Contribution.withdrawn_at).where(Contribution.public_id == world.contribution_id)
        )
    assert withdrawn is not None


def test_deleted_dream_with_its_cascade_is_restored(cli: Cli, database: Database, world: World) -> None:
    target = world.dream_ids[0]  # the contributed one: deleting it cascades to tags and the contribution
    original = dream_text(database, target)
    sql(database, "DELETE FROM dreams WHERE public_id = :p", p=target)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"dream {target}" in result.output and f"contribution {world.contribution_id}" in result.output
    repaired = cli("repair")
    assert repaired.exit_code == 0, repaired.output
    assert dream_text(database, target) == original
    with database.session() as session:
        dream_id = session.scalar(select(Dream.id).where(Dream.public_id == target))
        tags = sorted(session.scalars(select(DreamTag.tag).where(DreamTag.dream_id == dream_id)))
        assert tags == ["city 0", "flying"]
        assert session.scalar(select(Contribution.id).where(Contribution.public_id == world.contribution_id))
    assert cli("verify").exit_code == 0


def test_modified_space_is_repaired(cli: Cli, database: Database, world: World) -> None:
    sql(
        database,
        "UPDATE spaces SET is_open = :f, title = 'Hijacked' WHERE public_id = :p",
        f=False,
        p=world.space_id,
    )
    result = cli("verify")
    assert result.exit_code == 1 and f"space {world.space_id}" in result.output
    assert cli("repair").exit_code == 0
    with database.session() as session:
        space = session.scalar(select(Space).where(Space.public_id == world.space_id))
        assert space is not None and space.title == "Night flights" and space.is_open
    assert cli("verify").exit_code == 0


def test_role_escalation_is_reported_for_a_human(cli: Cli, database: Database, world: World) -> None:
    sql(database, "UPDATE users SET role = 'steward' WHERE id = :i", i=world.dreamer.id)
    result = cli("verify")
    assert result.exit_code == 1 and f"user {world.dreamer.public_id}" in result.output
    repaired = cli("repair")
    assert repaired.exit_code == 1
    assert "needs a human" in repaired.output and "not restorable automatically" in repaired.output


def test_row_inserted_outside_the_services_is_reported(cli: Cli, database: Database, world: World) -> None:
    sql(
        database,
        "INSERT INTO spaces (public_id, title, description, is_open, guidelines, content_note, created_by, created_at) "
        "VALUES ('forgedspace', 'x', '', :t, '', '', :u, :now)",
        t=True,
        u=world.weaver.id,
        now="2026-01-01 00:00:00",
    )
    result = cli("verify")
    assert result.exit_code == 1
    assert "[row-unaudited]" in result.output and "space forgedspace" in result.output


def test_repair_does_not_rewrite_a_tampered_chain(cli: Cli, database: Database, world: World) -> None:
    sql(database, "DELETE FROM audit_entries WHERE seq = 2")
    target = world.dream_ids[2]
    sql(database, "UPDATE dreams SET title = 'changed' WHERE public_id = :p", p=target)
    before = last_seq(database)
    repaired = cli("repair")
    assert repaired.exit_code == 1
    assert "the audit chain itself was tampered from seq 2" in repaired.output
    assert "untrusted part of the chain" in repaired.output
    assert last_seq(database) == before
    with database.session() as session:
        assert session.scalar(select(Dream.title).where(Dream.public_id == target)) == "changed"


def test_weave_versions_are_audited_and_repaired(cli: Cli, database: Database, world: World) -> None:
    from dreamnexus import wiring
    from dreamnexus.journal import service as journal
    from dreamnexus.journal.schemas import ConsentsPatch, DreamUpdate
    from dreamnexus.spaces import service as spaces
    from dreamnexus.spaces import weaves
    from dreamnexus.spaces.schemas import ContributionCreate
    from dreamnexus.spaces.weave_models import SpaceWeave, WeaveSource

    with database.session() as session:
        for dream_id in world.dream_ids[1:]:
            spaces.contribute(session, world.dreamer, world.space_id, ContributionCreate(dream_id=dream_id))
    published = []
    for seed in (1, 2):
        with database.session() as session:
            draft = weaves.create_draft(
                session, world.weaver, world.space_id, weaves.WeaveRequest(seed=seed), "s"
            )
            published.append(weaves.publish(session, world.weaver, draft.public_id).public_id)
    wiring.install()  # as the app does: a revocation then revises the published weave in the same transaction
    with database.session() as session:
        woven = session.scalar(
            select(Dream.public_id)
            .join(WeaveSource, WeaveSource.dream_id == Dream.id)
            .join(SpaceWeave, SpaceWeave.id == WeaveSource.weave_id)
            .where(SpaceWeave.public_id == published[-1])
            .limit(1)
        )
        assert woven is not None
        journal.update_dream(
            session, world.dreamer, woven, DreamUpdate(consents=ConsentsPatch(weaving=False))
        )
    with database.session() as session:
        notes = list(session.scalars(select(SpaceWeave.note).where(SpaceWeave.status == "published")))
    assert len(notes) == 1 and notes[0].startswith("automatic")
    intact = cli("verify")
    assert intact.exit_code == 0, intact.output
    first = published[0]
    sql(database, "UPDATE space_weaves SET status = 'published' WHERE public_id = :p", p=first)
    result = cli("verify")
    assert (
        result.exit_code == 1
        and "[content-modified] seq" in result.output
        and f"weave {first}" in result.output
    )
    assert cli("repair").exit_code == 0
    with database.session() as session:
        assert session.scalar(select(SpaceWeave.status).where(SpaceWeave.public_id == first)) == "superseded"
    assert cli("verify").exit_code == 0


def test_baseline_records_rows_that_predate_the_log(cli: Cli, database: Database, settings: Settings) -> None:
    from dreamnexus.integrity import audit as audit_module
    from dreamnexus.journal import service as journal
    from dreamnexus.journal.schemas import DreamCreate

    from .conftest import make_user

    audit_module.uninstall()
    user = make_user(database, "early")
    with database.session() as session:
        journal.create_dream(session, user, DreamCreate(text="Written before the audit log was on."))
    before = cli("verify")
    assert before.exit_code == 1 and before.output.count("[row-unaudited]") == 2
    first = cli("baseline")
    assert first.exit_code == 0 and "recorded 2 existing object(s)" in first.output
    assert cli("baseline").output.startswith("recorded 0 ")
    assert cli("verify").exit_code == 0
