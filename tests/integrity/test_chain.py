"""The chain is appended by the services' own transactions, gap-free, pseudonymous and verifiable."""

from __future__ import annotations

import hashlib
import hmac
import threading

import pytest
from sqlalchemy import func, select, text

from dreamnexus import events
from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.errors import Conflict
from dreamnexus.events import Change
from dreamnexus.integrity import audit as audit_module
from dreamnexus.integrity.audit import AuditLog
from dreamnexus.integrity.canonical import GENESIS
from dreamnexus.integrity.chain import derive_key, entry_fields, entry_hash
from dreamnexus.integrity.models import AuditBlob, AuditEntry
from dreamnexus.integrity.verify import verify
from dreamnexus.journal import service as journal
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import DreamCreate, DreamUpdate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.models import Contribution

from .conftest import SECRET, World, make_user


def entries(database: Database) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_change_appends_a_linked_entry(database: Database, settings: Settings, world: World) -> None:
    log = entries(database)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    prev = GENESIS
    for entry in log:
        fields = entry_fields(
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.digest,
            prev,
        )
        assert entry.prev_hash == prev
        assert entry.entry_hash == entry_hash(fields)
        prev = entry.entry_hash
    actions = [e.action for e in log]
    assert actions.count("dream.create") == 3
    assert "space.contribute" in actions
    with database.session() as session:
        report = verify(session, settings)
    assert report.intact, [str(f) for f in report.findings]
    assert report.entries == len(log)


def test_actor_is_a_keyed_pseudonym(database: Database, world: World) -> None:
    creates = [e for e in entries(database) if e.action == "dream.create"]
    expected = hmac.new(
        derive_key(SECRET, "actor"), str(world.dreamer.id).encode(), hashlib.sha256
    ).hexdigest()[:32]
    assert {e.actor for e in creates} == {expected}
    assert all("example.org" not in (e.actor or "") and e.actor != str(world.dreamer.id) for e in creates)


def test_snapshots_are_content_addressed(database: Database, world: World) -> None:
    with database.session() as session:
        dream = session.scalar(select(Dream).where(Dream.public_id == world.dream_ids[0]))
        assert dream is not None
        entry = session.scalar(
            select(AuditEntry)
            .where(AuditEntry.object_id == dream.public_id)
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        )
        assert entry is not None and entry.digest is not None
        blob = session.get(AuditBlob, entry.digest)
        assert blob is not None
        assert hashlib.sha256(blob.body.encode()).hexdigest() == entry.digest
        assert dream.text in blob.body
        user_blobs = session.scalar(
            select(func.count()).select_from(AuditBlob).where(AuditBlob.object_type == "user")
        )
        assert user_blobs == 0


def test_side_effects_stay_verifiable(database: Database, settings: Settings, world: World) -> None:
    """Withdrawing by leaving, and deleting a contributed dream, change contributions without their own Change."""
    with database.session() as session:
        spaces.leave_space(session, world.dreamer, world.space_id)
    with database.session() as session:
        spaces.join_space(session, world.dreamer, world.space_id)
        spaces.contribute(session, world.dreamer, world.space_id, spaces_contribution(world.dream_ids[1]))
    with database.session() as session:
        journal.update_dream(
            session, world.dreamer, world.dream_ids[1], DreamUpdate(text="A new text", tags=["x"])
        )
    with database.session() as session:
        journal.delete_dream(session, world.dreamer, world.dream_ids[1])
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Contribution)) == 1
        report = verify(session, settings)
    assert report.intact, [str(f) for f in report.findings]
    tombstones = [e for e in entries(database) if e.digest is None]
    assert {e.object_type for e in tombstones} == {"dream", "contribution"}


def spaces_contribution(dream_id: str):  # type: ignore[no-untyped-def]
    from dreamnexus.spaces.schemas import ContributionCreate

    return ContributionCreate(dream_id=dream_id)


def test_a_rolled_back_change_leaves_no_entry(database: Database, audit: AuditLog) -> None:
    user = make_user(database, "solo")
    before = len(entries(database))
    with pytest.raises(Conflict), database.session() as session:
        journal.create_dream(session, user, DreamCreate(text="This one will not be kept."))
        raise Conflict("a later step of the same unit of work fails")
    assert len(entries(database)) == before
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Dream)) == 0


def test_a_failing_listener_rolls_back_the_change_and_its_entry(database: Database, audit: AuditLog) -> None:
    user = make_user(database, "solo")
    before = len(entries(database))

    def fail(session: object, change: Change) -> None:
        raise RuntimeError("listener failure")

    events.on_change(fail)
    try:
        with pytest.raises(RuntimeError), database.session() as session:
            journal.create_dream(session, user, DreamCreate(text="Never stored."))
    finally:
        events.remove_listener(fail)
    assert len(entries(database)) == before
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Dream)) == 0


def test_installing_twice_does_not_double_entries(
    database: Database, settings: Settings, audit: AuditLog
) -> None:
    audit_module.install(settings)
    make_user(database, "once")
    assert len(entries(database)) == 1


def test_concurrent_writers_get_gap_free_unique_seqs(
    database: Database, settings: Settings, audit: AuditLog
) -> None:
    users = [make_user(database, f"writer{i}") for i in range(4)]
    errors: list[BaseException] = []

    def write(user_index: int) -> None:
        try:
            for n in range(8):
                with database.session() as session:
                    journal.create_dream(
                        session, users[user_index], DreamCreate(text=f"Dream {n} of {user_index}")
                    )
        except BaseException as error:  # reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    log = entries(database)
    assert [e.seq for e in log] == list(range(1, 4 + 32 + 1))
    with database.session() as session:
        assert verify(session, settings).intact


def test_account_deletion_tombstones_what_the_database_cascaded(
    database: Database, settings: Settings, world: World
) -> None:
    """An account deletion that records `user.delete` after removing the rows leaves a verifiable history."""
    from dreamnexus.accounts.models import User

    with database.session() as session:
        user = session.get(User, world.dreamer.id)
        assert user is not None
        public_id = user.public_id
        session.delete(user)
        session.flush()  # the database's ON DELETE CASCADE removes dreams, tags and contributions
        events.record_change(session, Change("user.delete", "user", public_id, None))
    with database.session() as session:
        report = verify(session, settings)
    assert report.intact, [str(f) for f in report.findings]
    tombstoned = {(e.object_type, e.object_id) for e in entries(database) if e.digest is None}
    assert {("dream", d) for d in world.dream_ids} <= tombstoned
    assert ("contribution", world.contribution_id) in tombstoned


def test_account_deletion_through_the_service_erases_snapshots(
    database: Database, settings: Settings, world: World
) -> None:
    from dreamnexus.accounts.models import User
    from dreamnexus.mydata.service import delete_account

    from .conftest import PASSWORD

    with database.session() as session:
        assert session.scalar(
            select(func.count()).select_from(AuditBlob).where(AuditBlob.owner_id == world.dreamer.id)
        )
        user = session.get(User, world.dreamer.id)
        assert user is not None
        delete_account(session, user, PASSWORD)
    with database.session() as session:
        report = verify(session, settings)
        assert report.intact, [str(f) for f in report.findings]
        left = session.scalar(
            select(func.count()).select_from(AuditBlob).where(AuditBlob.owner_id == world.dreamer.id)
        )
    assert left == 0
    creates = [e for e in entries(database) if e.action == "dream.create"]
    assert len(creates) == 3 and all(e.digest for e in creates)  # the chain keeps the digests


def test_snapshots_are_sealed_at_rest(database: Database, world: World) -> None:
    with database.engine.connect() as connection:
        bodies = [row[0] for row in connection.execute(text("SELECT body FROM audit_blobs"))]
    assert bodies and all("glass" not in body for body in bodies)
