"""Who sees a dream: private by default, spaces, public under a pseudonym, the consent ledger, and no leaks."""

from __future__ import annotations

import secrets
from datetime import datetime

from fastapi.testclient import TestClient

CONSENTS = {"weaving", "festival", "research", "exchange"}
OWNER_FIELDS = {"owner", "owner_id", "user", "user_id", "email", "display_name", "created_at", "updated_at"}


def test_a_new_dream_is_private_with_every_consent_off(
    client: TestClient, make_account, create_dream
) -> None:
    me = make_account("dreamer")
    dream = create_dream(me)
    assert dream["visibility"] == "private"
    assert dream["consents"] == dict.fromkeys(CONSENTS, False)
    assert client.get("/api/v1/consents", headers=me.headers).json() == []


def test_every_consent_and_visibility_change_is_in_the_ledger(
    client: TestClient, make_account, create_dream
) -> None:
    me = make_account("dreamer")
    dream = create_dream(me, visibility="spaces", consents={"research": True})
    url = f"/api/v1/dreams/{dream['id']}"
    changes = [
        {"visibility": "public"},
        {"consents": {"weaving": True, "festival": True}},
        {"consents": {"research": False}},
        {"consents": {"weaving": True}},  # unchanged: no entry
        {"visibility": "public", "title": "same visibility: no entry"},
        {"visibility": "private", "consents": {"exchange": True}},
    ]
    for change in changes:
        assert client.patch(url, json=change, headers=me.headers).status_code == 200

    ledger = client.get("/api/v1/consents", headers=me.headers).json()
    entries = [(e["kind"], e["value"]) for e in reversed(ledger)]  # the ledger lists the newest first
    assert entries == [
        ("visibility", "spaces"),
        ("research", "granted"),
        ("visibility", "public"),
        ("weaving", "granted"),
        ("festival", "granted"),
        ("research", "revoked"),
        ("visibility", "private"),
        ("exchange", "granted"),
    ]
    assert {e["dream_id"] for e in ledger} == {dream["id"]}
    times = [datetime.fromisoformat(e["at"]) for e in ledger]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times, reverse=True)

    final = client.get(url, headers=me.headers).json()
    assert final["visibility"] == "private"
    assert final["consents"] == {"weaving": True, "festival": True, "research": False, "exchange": True}


def test_the_ledger_is_per_person_and_per_dream(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    other = make_account("dreamer")
    first = create_dream(me, visibility="public")
    second = create_dream(me, consents={"weaving": True})
    theirs = create_dream(other, visibility="public")
    mine = client.get("/api/v1/consents", headers=me.headers).json()
    assert {e["dream_id"] for e in mine} == {first["id"], second["id"]}
    only_first = client.get("/api/v1/consents", params={"dream_id": first["id"]}, headers=me.headers).json()
    assert [(e["kind"], e["value"]) for e in only_first] == [("visibility", "public")]
    # Asking for someone else's dream gives what a made-up id gives: nothing.
    assert client.get("/api/v1/consents", params={"dream_id": theirs["id"]}, headers=me.headers).json() == []


def test_a_public_dream_shows_its_pseudonym_and_never_its_owner(
    client: TestClient, make_account, create_dream
) -> None:
    owner = make_account("dreamer", name="ada.lovelace")
    reader = make_account("dreamer")
    first = create_dream(owner, "A public dream about a carousel.", visibility="public")
    second = create_dream(owner, "Another public dream about a harbour.", visibility="public")

    for viewer_headers in (reader.headers, {}):
        for dream in (first, second):
            response = client.get(f"/api/v1/dreams/{dream['id']}", headers=viewer_headers)
            assert response.status_code == 200
            body = response.json()
            assert body["text"] == dream["text"]
            assert body["is_mine"] is False
            assert body["author"] not in {"you", "", owner.email, owner.user.display_name}
            present = {key for key, value in body.items() if value is not None}
            assert not present & OWNER_FIELDS, present & OWNER_FIELDS
            assert body["visibility"] is None and body["consents"] is None and body["analysis"] is None
            assert owner.email not in response.text
            assert owner.user.display_name not in response.text
            assert owner.user.public_id not in response.text
    pseudonyms = {
        client.get(f"/api/v1/dreams/{d['id']}", headers=reader.headers).json()["author"]
        for d in (first, second)
    }
    assert len(pseudonyms) == 2  # one pseudonym per dream, so two dreams cannot be linked to one person


def test_another_persons_private_dream_is_indistinguishable_from_a_missing_one(
    client: TestClient, make_account, create_dream
) -> None:
    owner = make_account("dreamer")
    snoop = make_account("dreamer")
    secret_word = "zanzibarquill"
    private = create_dream(
        owner, f"A private dream about the {secret_word}.", title="Hidden", tags=["hidden"]
    )
    missing = secrets.token_urlsafe(12)

    def same(method: str, suffix: str = "", body: dict | None = None) -> None:
        responses = []
        for dream_id in (private["id"], missing):
            response = client.request(
                method, f"/api/v1/dreams/{dream_id}{suffix}", headers=snoop.headers, json=body
            )
            responses.append(response)
        real, made_up = responses
        assert real.status_code == made_up.status_code == 404
        assert real.content == made_up.content
        assert real.headers["content-type"] == made_up.headers["content-type"]

    same("GET")
    same("PATCH", body={"title": "mine now"})
    same("DELETE")
    for viewer in ({}, snoop.headers):
        real = client.get(f"/dreams/{private['id']}", headers=viewer)
        made_up = client.get(f"/dreams/{missing}", headers=viewer)
        assert real.status_code == made_up.status_code == 404
        assert real.content == made_up.content

    listing = client.get("/api/v1/dreams", headers=snoop.headers).json()
    assert listing["total"] == 0
    for query in ({"q": secret_word}, {"q": secret_word[:5]}, {"tag": "hidden"}, {"q": "Hidden"}):
        assert client.get("/api/v1/dreams", params=query, headers=snoop.headers).json()["total"] == 0
    contribute = client.post(
        "/api/v1/spaces/whatever/contributions", json={"dream_id": private["id"]}, headers=snoop.headers
    )
    assert secret_word not in contribute.text
    assert secret_word not in client.get("/", headers=snoop.headers).text

    # The dream is untouched by the attempts.
    still = client.get(f"/api/v1/dreams/{private['id']}", headers=owner.headers).json()
    assert still["title"] == "Hidden"


def test_a_spaces_dream_is_seen_only_by_members_and_not_after_withdrawal(
    client: TestClient, make_account, create_dream, contribute
) -> None:
    weaver = make_account("weaver")
    owner = make_account("dreamer")
    member = make_account("dreamer")
    outsider = make_account("dreamer")
    space = client.post("/api/v1/spaces", json={"title": "Night circle"}, headers=weaver.headers).json()
    for account in (owner, member):
        assert client.post(f"/api/v1/spaces/{space['id']}/join", headers=account.headers).status_code == 200
    dream = create_dream(owner, "Shared only with the circle.", visibility="spaces")
    url = f"/api/v1/dreams/{dream['id']}"

    # Visibility 'spaces' alone shows it to nobody: only contributing it does.
    assert client.get(url, headers=member.headers).status_code == 404
    contribution_id = contribute(owner, space["id"], dream["id"])
    seen = client.get(url, headers=member.headers)
    assert seen.status_code == 200
    assert seen.json()["author"] == dream_pseudonym(client, url, weaver.headers)
    assert client.get(url, headers=outsider.headers).status_code == 404
    assert client.get(url).status_code == 404

    withdrawn = client.delete(f"/api/v1/contributions/{contribution_id}", headers=owner.headers)
    assert withdrawn.status_code == 204
    assert client.get(url, headers=member.headers).status_code == 404
    assert client.get(url, headers=weaver.headers).status_code == 404
    assert client.get(url, headers=owner.headers).status_code == 200


def dream_pseudonym(client: TestClient, url: str, headers: dict[str, str]) -> str:
    body = client.get(url, headers=headers).json()
    assert body["author"] != "you"
    return str(body["author"])


def test_making_a_shared_dream_private_hides_it_from_the_space(
    client: TestClient, make_account, create_dream, contribute
) -> None:
    weaver = make_account("weaver")
    owner = make_account("dreamer")
    space = client.post("/api/v1/spaces", json={"title": "Circle"}, headers=weaver.headers).json()
    client.post(f"/api/v1/spaces/{space['id']}/join", headers=owner.headers)
    dream = create_dream(owner, "Soon private again.", visibility="public")
    contribute(owner, space["id"], dream["id"])
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=weaver.headers).status_code == 200
    assert client.get(f"/spaces/{space['id']}", headers=weaver.headers).text.count("Soon private again.") == 1

    client.patch(f"/api/v1/dreams/{dream['id']}", json={"visibility": "private"}, headers=owner.headers)
    assert "Soon private again." not in client.get(f"/spaces/{space['id']}", headers=weaver.headers).text
    assert client.get(f"/api/v1/dreams/{dream['id']}", headers=weaver.headers).status_code == 404
    assert client.get(f"/api/v1/dreams/{dream['id']}").status_code == 404


def test_public_ids_are_not_sequential(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    ids = [create_dream(me, f"Dream {n}.")["id"] for n in range(4)]
    user_id = client.get("/api/v1/me", headers=me.headers).json()["id"]
    space = client.post("/api/v1/spaces", json={"title": "S"}, headers=make_account("weaver").headers).json()
    for value in [*ids, user_id, space["id"]]:
        assert not value.isdigit()
        assert len(value) >= 12
    assert len(set(ids)) == 4
    # Consecutive ids differ well before their last character: no counter hides inside them.
    for before, after in zip(ids, ids[1:], strict=False):
        assert before[:-2] != after[:-2]
