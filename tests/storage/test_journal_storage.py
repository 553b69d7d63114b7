"""Journal and spaces services against both databases: round trips, the ledger, search, deletion, atomicity."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from sqlalchemy import func, select, text

from dreamnexus.accounts.models import User
from dreamnexus.db.engine import Database
from dreamnexus.errors import InvalidInput
from dreamnexus.events import after_commit, remove_listener
from dreamnexus.journal import service as journal
from dreamnexus.journal.models import ConsentEvent, Dream, DreamTag
from dreamnexus.journal.schemas import Consents, ConsentsPatch, DreamCreate, DreamFilters, DreamUpdate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.models import Contribution
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def search(database: Database, owner: User, query: str) -> list[str]:
    with database.session() as session:
        page = journal.list_dreams(session, owner, DreamFilters(q=query, per_page=100))
        return [d.title for d in page.items]


def write(database: Database, owner: User, text_: str, title: str = "", **fields: object) -> Dream:
    with database.session() as session:
        return journal.create_dream(session, owner, DreamCreate(text=text_, title=title, **fields))


def test_a_dream_round_trips(database: Database, make_user) -> None:
    owner = make_user()
    created = write(
        database,
        owner,
        "Línea uno.\nLine two with émoji 🌙 and 中文.",
        "Título",
        dreamt_on=date(2023, 12, 31),
        tags=["Mond", "ñandú"],
        lucid=True,
        mood=-2,
        language="es",
        visibility="public",
    )
    with database.session() as session:
        stored = session.scalar(select(Dream).where(Dream.public_id == created.public_id))
        assert stored is not None
        assert stored.text == "Línea uno.\nLine two with émoji 🌙 and 中文."
        assert stored.title == "Título"
        assert stored.dreamt_on == date(2023, 12, 31)
        assert stored.tag_names == ["mond", "ñandú"]
        assert (stored.lucid, stored.mood, stored.language, stored.visibility) == (True, -2, "es", "public")
        assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == UTC.utcoffset(None)
        assert stored.text_revision == 1
        assert stored.pseudonym and stored.owner_id == owner.id


def test_editing_the_text_bumps_its_revision_and_only_then(database: Database, make_user) -> None:
    owner = make_user()
    dream = write(database, owner, "First version.")
    with database.session() as session:
        journal.update_dream(session, owner, dream.public_id, DreamUpdate(title="A title"))
    with database.session() as session:
        updated = journal.update_dream(session, owner, dream.public_id, DreamUpdate(text="Second version."))
        assert updated.text_revision == 2
        assert updated.analysis_status == "pending"
    with database.session() as session:
        assert journal.own_dream(session, owner, dream.public_id).title == "A title"


def test_the_consent_ledger_records_changes_only(database: Database, make_user) -> None:
    owner = make_user()
    other = make_user()
    dream = write(database, owner, "Ledger dream.", visibility="spaces", consents=Consents(weaving=True))
    write(database, other, "Someone else's.", visibility="public")
    with database.session() as session:
        journal.update_dream(
            session, owner, dream.public_id, DreamUpdate(consents=ConsentsPatch(weaving=True))
        )
        journal.update_dream(
            session,
            owner,
            dream.public_id,
            DreamUpdate(visibility="public", consents=ConsentsPatch(weaving=False, research=True)),
        )
    with database.session() as session:
        ledger = journal.consent_ledger(session, owner)
        entries = sorted((e.kind, e.value) for e in ledger)
        assert entries == sorted(
            [
                ("visibility", "spaces"),
                ("weaving", "granted"),
                ("visibility", "public"),
                ("weaving", "revoked"),
                ("research", "granted"),
            ]
        )
        assert all(e.actor_id == owner.id and e.at.tzinfo is not None for e in ledger)
        assert len(journal.consent_ledger(session, other)) == 1


def test_search_on_both_databases(database: Database, make_user) -> None:
    owner = make_user()
    write(database, owner, "Soñé que cantaba una canción en la montaña.", "Español")
    write(database, owner, "Ich träumte von Brücken über breite Straßen.", "Deutsch")
    write(database, owner, "I was flying above the harbour at dawn.", "English", tags=["seagulls"])
    assert search(database, owner, "canción") == ["Español"]
    assert search(database, owner, "CANCIÓN") == ["Español"]
    assert search(database, owner, "soñé") == ["Español"]
    assert search(database, owner, "Brücken") == ["Deutsch"]
    assert search(database, owner, "straßen") == ["Deutsch"]
    assert search(database, owner, "träumte brücken") == ["Deutsch"]  # every word must match
    assert search(database, owner, "träumte harbour") == []
    assert search(database, owner, "harb") == ["English"]  # prefix
    assert search(database, owner, "brü") == ["Deutsch"]  # prefix with a non-ASCII letter
    assert search(database, owner, "Deutsch") == ["Deutsch"]  # the title is searched
    assert search(database, owner, "seagulls") == ["English"]  # and so are the tags
    assert search(database, owner, "zeppelin") == []


def test_search_ignores_accents_on_both_databases(database: Database, make_user) -> None:
    """People type without accents on phones; both backends must treat 'cancion' like 'canción'."""
    owner = make_user()
    write(database, owner, "Soñé que cantaba una canción en la montaña.", "Español")
    assert search(database, owner, "cancion") == ["Español"]
    assert search(database, owner, "montana") == ["Español"]


def test_editing_and_deleting_keep_search_in_step(database: Database, make_user) -> None:
    owner = make_user()
    weaver = make_user("weaver")
    dream = write(database, owner, "A zebra in the kitchen.", "Zebra", visibility="spaces")
    with database.session() as session:
        space_id = spaces.create_space(session, weaver, SpaceCreate(title="Circle")).public_id
        spaces.join_space(session, owner, space_id)
        spaces.contribute(session, owner, space_id, ContributionCreate(dream_id=dream.public_id))
    with database.session() as session:
        journal.update_dream(session, owner, dream.public_id, DreamUpdate(text="A giraffe in the kitchen."))
    assert search(database, owner, "zebra") == ["Zebra"]  # still in the title
    with database.session() as session:
        journal.update_dream(session, owner, dream.public_id, DreamUpdate(title="Giraffe"))
    assert search(database, owner, "zebra") == []
    assert search(database, owner, "giraffe") == ["Giraffe"]
    assert count(database, Contribution) == 1

    with database.session() as session:
        journal.delete_dream(session, owner, dream.public_id)
    assert search(database, owner, "giraffe") == []
    assert count(database, Dream) == 0
    assert count(database, DreamTag) == 0
    assert count(database, Contribution) == 0
    if database.dialect == "sqlite":
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM dream_fts")).scalar_one() == 0
    with database.session() as session:
        kinds = [(e.kind, e.value) for e in journal.consent_ledger(session, owner)]
    assert ("deletion", "deleted") in kinds  # the ledger keeps the fact, not the dream


def test_a_failed_contribution_writes_nothing(database: Database, make_user) -> None:
    owner = make_user()
    weaver = make_user("weaver")
    with database.session() as session:
        space_id = spaces.create_space(session, weaver, SpaceCreate(title="Circle")).public_id
        spaces.join_space(session, owner, space_id)
    dream = write(database, owner, "A quiet dream about snow.", visibility="spaces")
    with pytest.raises(InvalidInput), database.session() as session:
        # Both steps in one unit of work: the visibility change must roll back with the bad contribution.
        journal.update_dream(session, owner, dream.public_id, DreamUpdate(visibility="public"))
        spaces.contribute(
            session, owner, space_id, ContributionCreate(dream_id=dream.public_id, excerpt="not in the text")
        )
    assert count(database, Contribution) == 0
    with database.session() as session:
        assert journal.own_dream(session, owner, dream.public_id).visibility == "spaces"
        assert [e.value for e in journal.consent_ledger(session, owner)] == ["spaces"]


def test_a_failed_unit_of_work_leaves_no_dream_no_ledger_and_no_broadcast(
    database: Database, make_user
) -> None:
    owner = make_user()
    heard: list[str] = []

    def listener(change) -> None:  # type: ignore[no-untyped-def]
        heard.append(change.action)

    after_commit(listener)
    try:
        with pytest.raises(RuntimeError), database.session() as session:
            journal.create_dream(
                session,
                owner,
                DreamCreate(text="Half-written.", visibility="public", consents=Consents(festival=True)),
            )
            raise RuntimeError("the request failed after the service call")
        assert heard == []
        assert count(database, Dream) == count(database, ConsentEvent) == count(database, DreamTag) == 0
        assert search(database, owner, "half") == []
        write(database, owner, "Fully written.")
        assert heard == ["dream.create"]
    finally:
        remove_listener(listener)


def test_a_reading_unit_of_work_reads_and_refuses_changes(database: Database, make_user) -> None:
    owner = make_user()
    created = write(database, owner, "A lighthouse that hummed in the fog.", title="Lighthouse")
    with database.reading() as session:
        assert session.scalar(select(Dream.title).where(Dream.id == created.id)) == "Lighthouse"
    with pytest.raises(RuntimeError, match="read-only"), database.reading() as session:
        dream = session.get(Dream, created.id)
        assert dream is not None
        dream.title = "Renamed"
    with database.reading() as session:
        assert session.scalar(select(Dream.title).where(Dream.id == created.id)) == "Lighthouse"


def test_a_new_dream_is_held_by_its_session_exactly_as_stored(database: Database, make_user) -> None:
    """create_dream writes the dream and its tags with Core statements and attaches them as if loaded:
    what its session then holds is what a fresh session reads, and nothing is left to load."""
    from sqlalchemy import event

    owner = make_user()
    columns = [c.key for c in Dream.__table__.columns]
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    with database.session() as session:
        dream = journal.create_dream(
            session,
            owner,
            DreamCreate(
                text="An owl read the tide tables aloud.",
                title="Tides",
                tags=["owl", "Moon"],
                visibility="public",
                consents=Consents(weaving=True),
            ),
        )
        event.listen(database.engine, "before_cursor_execute", note)
        try:
            held = {key: getattr(dream, key) for key in columns}
            held_tags = sorted((t.id, t.dream_id, t.tag, t.tag_key) for t in dream.tags)
        finally:
            event.remove(database.engine, "before_cursor_execute", note)
        assert statements == []
    with database.session() as session:
        stored = session.get(Dream, held["id"])
        assert stored is not None
        assert {key: getattr(stored, key) for key in columns} == held
        assert sorted((t.id, t.dream_id, t.tag, t.tag_key) for t in stored.tags) == held_tags
        assert [e.kind for e in session.scalars(select(ConsentEvent).order_by(ConsentEvent.id))] == [
            "visibility",
            "weaving",
        ]
    assert held_tags[0][2:] != held_tags[1][2:] and {t[2] for t in held_tags} == {"owl", "moon"}
