"""Spaces through the JSON API: creating, joining, invites, contributing, withdrawing, listing."""

from __future__ import annotations

import secrets

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from dreamnexus.db.engine import Database
from dreamnexus.journal.models import Dream


def new_space(client: TestClient, weaver, **fields: object) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/spaces", json={"title": "Night circle", **fields}, headers=weaver.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    ("role", "status"), [("weaver", 201), ("steward", 201), ("dreamer", 403), ("researcher", 403)]
)
def test_only_weavers_create_spaces(
    client: TestClient, make_account, expect_problem, role: str, status: int
) -> None:
    account = make_account(role)
    response = client.post(
        "/api/v1/spaces",
        json={
            "title": "  Lucid   practice ",
            "description": "Practising together.",
            "content_note": "nightmares",
        },
        headers=account.headers,
    )
    if status == 201:
        assert response.status_code == 201, response.text
        space = response.json()
        assert space["title"] == "Lucid practice"
        assert space["is_open"] is True
        assert space["is_member"] is True and space["is_weaver"] is True
        assert space["content_note"] == "nightmares"
    else:
        expect_problem(response, status)
        assert client.get("/api/v1/spaces").json() == []


def test_creating_a_space_needs_a_title_and_sign_in(client: TestClient, make_account, expect_problem) -> None:
    weaver = make_account("weaver")
    expect_problem(client.post("/api/v1/spaces", json={"title": "   "}, headers=weaver.headers), 422)
    expect_problem(client.post("/api/v1/spaces", json={}, headers=weaver.headers), 422)
    expect_problem(
        client.post("/api/v1/spaces", json={"title": "x", "owner": 1}, headers=weaver.headers), 422
    )
    expect_problem(client.post("/api/v1/spaces", json={"title": "Anonymous"}), 401)


def test_anyone_joins_an_open_space_and_can_leave(client: TestClient, make_account, expect_problem) -> None:
    weaver = make_account("weaver")
    dreamer = make_account("dreamer")
    space = new_space(client, weaver)
    url = f"/api/v1/spaces/{space['id']}"
    seen = client.get(url, headers=dreamer.headers).json()
    assert seen["is_member"] is False
    assert client.get(url).status_code == 200  # open spaces are listed to visitors too
    expect_problem(client.get(f"{url}/contributions", headers=dreamer.headers), 403)
    expect_problem(client.post(f"{url}/join"), 401)

    joined = client.post(f"{url}/join", headers=dreamer.headers)
    assert joined.status_code == 200
    assert joined.json()["is_member"] is True and joined.json()["is_weaver"] is False
    assert client.post(f"{url}/join", headers=dreamer.headers).status_code == 200  # joining twice is harmless
    assert client.get(f"{url}/contributions", headers=dreamer.headers).json() == []

    assert client.post(f"{url}/leave", headers=dreamer.headers).status_code == 204
    assert client.get(url, headers=dreamer.headers).json()["is_member"] is False
    expect_problem(client.post(f"{url}/leave", headers=dreamer.headers), 404)
    expect_problem(client.post(f"{url}/leave", headers=weaver.headers), 409)  # the creator stays


def test_an_invite_only_space_is_hidden_from_non_members(
    client: TestClient, make_account, expect_problem
) -> None:
    weaver = make_account("weaver")
    other_weaver = make_account("weaver")
    dreamer = make_account("dreamer")
    space = new_space(client, weaver, title="Closed circle", is_open=False)
    url = f"/api/v1/spaces/{space['id']}"
    missing = f"/api/v1/spaces/{secrets.token_urlsafe(12)}"

    for headers in ({}, dreamer.headers, other_weaver.headers):
        real, made_up = client.get(url, headers=headers), client.get(missing, headers=headers)
        assert real.status_code == made_up.status_code == 404
        assert real.content == made_up.content
        assert all(s["id"] != space["id"] for s in client.get("/api/v1/spaces", headers=headers).json())
    expect_problem(client.post(f"{url}/join", headers=dreamer.headers), 404)
    expect_problem(client.get(f"{url}/contributions", headers=dreamer.headers), 404)
    expect_problem(client.post(f"{url}/invites", headers=other_weaver.headers), 404)
    assert [s["id"] for s in client.get("/api/v1/spaces", headers=weaver.headers).json()] == [space["id"]]


def test_joining_an_invite_only_space_takes_an_invite(
    client: TestClient, make_account, expect_problem
) -> None:
    weaver = make_account("weaver")
    dreamer = make_account("dreamer")
    friend = make_account("dreamer")
    space = new_space(client, weaver, is_open=False)
    url = f"/api/v1/spaces/{space['id']}"

    invite = client.post(f"{url}/invites", headers=weaver.headers)
    assert invite.status_code == 201, invite.text
    token = invite.json()["token"]
    assert token in invite.json()["url"]
    expect_problem(client.post("/api/v1/invites/accept", json={"token": token}), 401)
    expect_problem(
        client.post("/api/v1/invites/accept", json={"token": "made-up"}, headers=dreamer.headers), 404
    )

    accepted = client.post("/api/v1/invites/accept", json={"token": token}, headers=dreamer.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["id"] == space["id"] and accepted.json()["is_member"] is True
    assert client.get(url, headers=dreamer.headers).status_code == 200
    assert client.get(f"{url}/contributions", headers=dreamer.headers).status_code == 200
    # A member who is not the space's weaver cannot invite others.
    expect_problem(client.post(f"{url}/invites", headers=dreamer.headers), 403)
    # The invite link works for more than one person until it expires.
    assert (
        client.post("/api/v1/invites/accept", json={"token": token}, headers=friend.headers).status_code
        == 200
    )


def test_only_the_spaces_weaver_edits_it(client: TestClient, make_account, expect_problem) -> None:
    weaver = make_account("weaver")
    member = make_account("dreamer")
    space = new_space(client, weaver)
    url = f"/api/v1/spaces/{space['id']}"
    client.post(f"{url}/join", headers=member.headers)
    expect_problem(client.patch(url, json={"title": "Taken over"}, headers=member.headers), 403)
    edited = client.patch(url, json={"title": "Renamed", "is_open": False}, headers=weaver.headers)
    assert edited.status_code == 200
    assert edited.json()["title"] == "Renamed" and edited.json()["is_open"] is False


def test_contribution_rules(
    client: TestClient, make_account, create_dream, expect_problem, database: Database
) -> None:
    weaver = make_account("weaver")
    member = make_account("dreamer")
    outsider = make_account("dreamer")
    space = new_space(client, weaver)
    closed = new_space(client, weaver, title="Closed", is_open=False)
    url = f"/api/v1/spaces/{space['id']}/contributions"
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=member.headers)
    private = create_dream(member, "A private dream about a key.")
    shared = create_dream(member, "I found a brass key under the stairs.", visibility="spaces")
    theirs = create_dream(outsider, "Someone else's key dream.", visibility="public")

    problem = expect_problem(client.post(url, json={"dream_id": private["id"]}, headers=member.headers), 422)
    assert "private" in problem["detail"].lower()
    problem = expect_problem(
        client.post(url, json={"dream_id": shared["id"], "excerpt": "a silver key"}, headers=member.headers),
        422,
    )
    assert any(e.get("field") == "excerpt" for e in problem["errors"])
    expect_problem(client.post(url, json={"dream_id": theirs["id"]}, headers=member.headers), 404)
    expect_problem(client.post(url, json={"dream_id": theirs["id"]}, headers=outsider.headers), 403)
    expect_problem(
        client.post(
            f"/api/v1/spaces/{closed['id']}/contributions",
            json={"dream_id": theirs["id"]},
            headers=outsider.headers,
        ),
        404,
    )
    expect_problem(client.post(url, json={"dream_id": shared["id"], "extra": 1}, headers=member.headers), 422)
    expect_problem(client.post(url, json={"dream_id": shared["id"]}), 401)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contributions")).scalar_one() == 0


def test_withdrawing_a_contribution(
    client: TestClient, make_account, create_dream, contribute, expect_problem
) -> None:
    weaver = make_account("weaver")
    member = make_account("dreamer")
    space = new_space(client, weaver)
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=member.headers)
    dream = create_dream(member, "The tide came in over the library.", visibility="spaces")
    contribution_id = contribute(member, space["id"], dream["id"], content_warning="drowning")
    page = client.get(f"/spaces/{space['id']}", headers=weaver.headers).text
    assert "The tide came in over the library." in page

    expect_problem(client.delete(f"/api/v1/contributions/{contribution_id}", headers=weaver.headers), 404)
    expect_problem(client.delete(f"/api/v1/contributions/{contribution_id}"), 401)
    assert (
        client.delete(f"/api/v1/contributions/{contribution_id}", headers=member.headers).status_code == 204
    )
    assert (
        "The tide came in over the library."
        not in client.get(f"/spaces/{space['id']}", headers=weaver.headers).text
    )
    # The dream itself stays in its owner's journal.
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=member.headers).status_code == 200
    # Once withdrawn, it can be contributed again.
    contribute(member, space["id"], dream["id"])


def test_leaving_a_space_withdraws_my_contributions(
    client: TestClient, make_account, create_dream, contribute
) -> None:
    weaver = make_account("weaver")
    member = make_account("dreamer")
    space = new_space(client, weaver)
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=member.headers)
    dream = create_dream(member, "Leaving with my dream.", visibility="spaces")
    contribute(member, space["id"], dream["id"])
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=weaver.headers).status_code == 200
    assert client.post(f"/api/v1/spaces/{space['id']}/leave", headers=member.headers).status_code == 204
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=weaver.headers).status_code == 404


def pseudonym_of(database: Database, dream_id: str) -> str:
    with database.session() as session:
        pseudonym = session.scalar(select(Dream.pseudonym).where(Dream.public_id == dream_id))
    assert pseudonym
    return str(pseudonym)


def test_contributions_are_shown_under_pseudonyms_with_content_warnings(
    client: TestClient, make_account, create_dream, contribute, database: Database
) -> None:
    """On the space's page (the JSON listing is checked below)."""
    weaver = make_account("weaver")
    member = make_account("dreamer", name="grace.hopper")
    space = new_space(client, weaver)
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=member.headers)
    dream = create_dream(member, "A storm broke the windows of my childhood home.", visibility="spaces")
    contribute(
        member, space["id"], dream["id"], excerpt="the windows of my childhood", content_warning="storm"
    )
    pseudonym = pseudonym_of(database, dream["id"])
    # An excerpt shares only its passage: the whole dream stays out of reach.
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=weaver.headers).status_code == 404

    page = client.get(f"/spaces/{space['id']}", headers=weaver.headers).text
    assert pseudonym in page
    assert "storm" in page
    assert "the windows of my childhood" in page
    assert "A storm broke" not in page  # only the excerpt is shared
    assert member.email not in page and member.user.display_name not in page


def test_contributing_and_listing_through_the_api(
    client: TestClient, make_account, create_dream, database: Database
) -> None:
    weaver = make_account("weaver")
    member = make_account("dreamer", name="grace.hopper")
    space = new_space(client, weaver)
    url = f"/api/v1/spaces/{space['id']}/contributions"
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=member.headers)
    dream = create_dream(member, "A storm broke the windows of my childhood home.", visibility="spaces")

    created = client.post(
        url,
        json={"dream_id": dream["id"], "excerpt": "the windows of my childhood", "content_warning": "storm"},
        headers=member.headers,
    )
    assert created.status_code == 201, created.text
    contribution = created.json()
    assert contribution["dream_id"] == dream["id"]
    assert contribution["text"] == "the windows of my childhood" and contribution["is_excerpt"] is True
    assert contribution["content_warning"] == "storm"
    assert contribution["author"] == "you" and contribution["is_mine"] is True
    assert client.post(url, json={"dream_id": dream["id"]}, headers=member.headers).status_code == 409

    listed = client.get(url, headers=weaver.headers)
    assert listed.status_code == 200, listed.text
    [seen] = listed.json()
    assert seen["id"] == contribution["id"]
    assert seen["is_mine"] is False
    assert seen["author"] == pseudonym_of(database, dream["id"])
    assert seen["content_warning"] == "storm"
    assert member.email not in listed.text and member.user.display_name not in listed.text

    assert (
        client.delete(f"/api/v1/contributions/{contribution['id']}", headers=member.headers).status_code
        == 204
    )
    assert client.get(url, headers=weaver.headers).json() == []
