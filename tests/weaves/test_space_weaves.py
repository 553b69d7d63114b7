"""Weaving a space: consent rules, drafts, edits, versions, and automatic revisions on revocation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dreamnexus import wiring
from dreamnexus.db.engine import Database
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import Consents, DreamCreate, DreamUpdate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces import weaves
from dreamnexus.spaces.models import Contribution
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate

SECRET = "test-secret"
TEXTS = [
    "I was swimming in a dark sea at night and a huge whale rose beside me, and I was afraid of it.",
    "My grandmother was cooking in her old kitchen and she told me not to worry about the exam.",
    "I was flying over the city at dawn and I felt completely free and happy above the rooftops.",
    "A stranger chased me through a train station and I could not find my ticket anywhere at all.",
    "We were all sitting on a beach with my brothers, laughing, while the tide came slowly in.",
    "The house had a door I had never seen; behind it a garden full of lanterns and quiet music.",
]


@pytest.fixture(autouse=True)
def _listeners() -> None:
    wiring.install()


def _dream(session, owner, text: str, *, weaving: bool = True, visibility: str = "spaces"):  # type: ignore[no-untyped-def]
    return journal.create_dream(
        session, owner, DreamCreate(text=text, visibility=visibility, consents=Consents(weaving=weaving))
    )


@pytest.fixture
def woven_space(database: Database, make_account):  # type: ignore[no-untyped-def]
    weaver = make_account("weaver")
    dreamers = [make_account("dreamer") for _ in range(3)]
    with database.session() as session:
        space = spaces.create_space(session, weaver.user, SpaceCreate(title="Night sea"))
        contributions = []
        for i, text in enumerate(TEXTS):
            owner = dreamers[i % 3].user
            if spaces.membership(session, space, owner) is None:
                spaces.join_space(session, owner, space.public_id)
            dream = _dream(session, owner, text, weaving=i != 5)
            contributions.append(
                spaces.contribute(
                    session, owner, space.public_id, ContributionCreate(dream_id=dream.public_id)
                )
            )
        space_id = space.public_id
        ids = [c.public_id for c in contributions]
    return weaver, dreamers, space_id, ids


def _sources(content: dict) -> set[str]:
    return {s["contribution_id"] for p in content["passages"] for s in p["sources"]}


def test_a_draft_weaves_only_contributions_that_consent(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    weaver, _, space_id, ids = woven_space
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=10), SECRET)
        used = _sources(draft.content)
    assert used, "a draft over five consenting contributions weaves something"
    assert ids[5] not in used  # its dream does not consent to weaving
    assert used <= set(ids[:5])


def test_authors_in_a_weave_are_dream_pseudonyms_never_accounts(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, _ = woven_space
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=10), SECRET)
        pseudonyms = {
            c.public_id: d.pseudonym
            for c, d in session.execute(select(Contribution, journal.Dream).join(journal.Dream))
        }
    text = str(draft.content)
    for account in dreamers:
        assert account.email not in text
    for passage in draft.content["passages"]:
        for source in passage["sources"]:
            assert source["author"] == pseudonyms[source["contribution_id"]]


def test_same_seed_same_weave(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    weaver, _, space_id, _ = woven_space
    with database.session() as session:
        first = weaves.create_draft(
            session, weaver.user, space_id, weaves.WeaveRequest(size=6, seed=7), SECRET
        )
        second = weaves.create_draft(
            session, weaver.user, space_id, weaves.WeaveRequest(size=6, seed=7), SECRET
        )
        assert first.content["passages"] == second.content["passages"]


def test_only_the_space_weaver_weaves(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    _, dreamers, space_id, _ = woven_space
    with database.session() as session, pytest.raises(PermissionDenied):
        weaves.create_draft(session, dreamers[0].user, space_id, weaves.WeaveRequest(), SECRET)


def test_edit_reorders_and_drops_then_publish_versions(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, _ = woven_space
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=10), SECRET)
        original = [p["text"] for p in draft.content["passages"]]
        assert len(original) >= 3
        order = list(range(len(original)))[::-1]
        edited = weaves.edit_draft(session, weaver.user, draft.public_id, order=order, drop=[0])
        texts = [p["text"] for p in edited.content["passages"]]
        assert texts == original[::-1][1:]
        with pytest.raises(InvalidInput):
            weaves.edit_draft(session, weaver.user, draft.public_id, order=[0, 0])
        first = weaves.publish(session, weaver.user, draft.public_id)
        assert (first.version, first.status) == (1, "published")
        with pytest.raises(Conflict):
            weaves.edit_draft(session, weaver.user, first.public_id, drop=[0])
        second_draft = weaves.create_draft(
            session, weaver.user, space_id, weaves.WeaveRequest(size=4), SECRET
        )
        second = weaves.publish(session, weaver.user, second_draft.public_id)
        assert second.version == 2
        statuses = {w.version: w.status for w in weaves.list_weaves(session, dreamers[0].user, space_id)}
        assert statuses == {2: "published", 1: "superseded"}
        # Members see published versions, not drafts.
        third_draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=4), SECRET)
        assert third_draft.public_id not in {
            w.public_id for w in weaves.list_weaves(session, dreamers[0].user, space_id)
        }
        with pytest.raises(NotFound):
            weaves.get_weave(session, dreamers[0].user, third_draft.public_id)


def _published(database: Database, weaver, space_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        draft = weaves.create_draft(session, weaver.user, space_id, weaves.WeaveRequest(size=10), SECRET)
        weaves.publish(session, weaver.user, draft.public_id)
        return _sources(draft.content)


def _latest(database: Database, viewer, space_id: str):  # type: ignore[no-untyped-def]
    with database.session() as session:
        rows = weaves.list_weaves(session, viewer.user, space_id)
        return next(r for r in rows if r.status == "published")


def _owner_of(database: Database, contribution_id: str, dreamers):  # type: ignore[no-untyped-def]
    with database.session() as session:
        contribution = session.scalar(select(Contribution).where(Contribution.public_id == contribution_id))
        dream = session.get(journal.Dream, contribution.dream_id)
        return next(d for d in dreamers if d.user.id == contribution.contributor_id), dream.public_id


@pytest.mark.parametrize("revocation", ["withdraw", "consent", "private", "delete", "exclude"])
def test_revocation_publishes_a_version_without_the_fragments(
    database: Database, woven_space, revocation: str
) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, _ = woven_space
    used = _published(database, weaver, space_id)
    victim = sorted(used)[0]
    owner, dream_id = _owner_of(database, victim, dreamers)
    with database.session() as session:
        if revocation == "withdraw":
            spaces.withdraw(session, owner.user, victim)
        elif revocation == "consent":
            journal.update_dream(session, owner.user, dream_id, DreamUpdate(consents={"weaving": False}))
        elif revocation == "private":
            journal.update_dream(session, owner.user, dream_id, DreamUpdate(visibility="private"))
        elif revocation == "delete":
            journal.delete_dream(session, owner.user, dream_id)
        else:
            weaves.exclude(session, weaver.user, space_id, victim, "off the theme of this space")
    latest = _latest(database, weaver, space_id)
    assert latest.version == 2
    assert latest.note.startswith("automatic")
    assert victim not in _sources(latest.content)
    assert _sources(latest.content) == used - {victim}


def test_an_unrelated_edit_makes_no_new_version(database: Database, woven_space) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, _ = woven_space
    used = _published(database, weaver, space_id)
    owner, dream_id = _owner_of(database, sorted(used)[0], dreamers)
    with database.session() as session:
        journal.update_dream(session, owner.user, dream_id, DreamUpdate(title="A new title"))
    assert _latest(database, weaver, space_id).version == 1


def test_contributor_reads_the_reason_of_an_exclusion(database: Database, woven_space, client) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, ids = woven_space
    owner, _ = _owner_of(database, ids[0], dreamers)
    response = client.post(
        f"/api/v1/spaces/{space_id}/exclusions",
        json={"contribution_id": ids[0], "reason": "please keep names of real people out"},
        headers=weaver.headers,
    )
    assert response.status_code == 201
    mine = client.get("/api/v1/exclusions", headers=owner.headers).json()
    assert [(e["contribution_id"], e["reason"]) for e in mine] == [
        (ids[0], "please keep names of real people out")
    ]
    other = next(d for d in dreamers if d is not owner)
    assert client.get("/api/v1/exclusions", headers=other.headers).json() == []
    forbidden = client.post(
        f"/api/v1/spaces/{space_id}/exclusions",
        json={"contribution_id": ids[1], "reason": "no"},
        headers=owner.headers,
    )
    assert forbidden.status_code == 422  # reason too short is checked before anything else
    forbidden = client.post(
        f"/api/v1/spaces/{space_id}/exclusions",
        json={"contribution_id": ids[1], "reason": "because"},
        headers=owner.headers,
    )
    assert forbidden.status_code == 403


def test_weave_api_flow(database: Database, woven_space, client) -> None:  # type: ignore[no-untyped-def]
    weaver, dreamers, space_id, _ = woven_space
    created = client.post(
        f"/api/v1/spaces/{space_id}/weaves", json={"size": 5, "seed": 3}, headers=weaver.headers
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft" and body["weave"]["passages"]
    assert set(body["weave"]) >= {"title", "passages", "excluded", "representation", "metrics"}
    weave_id = body["id"]
    assert client.get(f"/api/v1/weaves/{weave_id}", headers=dreamers[0].headers).status_code == 404
    bad = client.patch(f"/api/v1/weaves/{weave_id}", json={"order": [9, 9]}, headers=weaver.headers)
    assert bad.status_code == 422
    published = client.post(f"/api/v1/weaves/{weave_id}/publish", headers=weaver.headers)
    assert published.json()["version"] == 1
    seen = client.get(f"/api/v1/weaves/{weave_id}", headers=dreamers[0].headers)
    assert seen.status_code == 200 and seen.json()["version"] == 1
    assert (
        client.post(f"/api/v1/spaces/{space_id}/weaves", json={"size": 0}, headers=weaver.headers).status_code
        == 422
    )
    assert (
        client.post(f"/api/v1/spaces/{space_id}/weaves", json={}, headers=dreamers[0].headers).status_code
        == 403
    )


def test_a_contributor_sees_where_their_words_appear(database: Database, woven_space, app) -> None:  # type: ignore[no-untyped-def]
    import re

    from fastapi.testclient import TestClient

    from tests.conftest import PASSWORD

    weaver, dreamers, space_id, _ = woven_space
    published = _published(database, weaver, space_id)  # noqa: F841
    with database.session() as session:
        latest = next(
            w for w in weaves.list_weaves(session, weaver.user, space_id) if w.status == "published"
        )
        source = latest.content["passages"][0]["sources"][0]["contribution_id"]
        contribution = session.scalar(select(Contribution).where(Contribution.public_id == source))
        dream = session.get(journal.Dream, contribution.dream_id)
        owner = next(d for d in dreamers if d.user.id == contribution.contributor_id)
        dream_id, weave_id = dream.public_id, latest.public_id
    with TestClient(app) as browser:
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/signin").text).group(1)
        browser.post("/signin", data={"email": owner.email, "password": PASSWORD, "csrf_token": token})
        page = browser.get(f"/dreams/{dream_id}").text
    assert "Where your words appear" in page and f"/weaves/{weave_id}#passage-0" in page
