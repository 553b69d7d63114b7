"""The journal through the JSON API: writing, editing, deleting, validation, filters, pages and search."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from dreamnexus.accounts.models import User
from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database

SPANISH = "Soñé que estaba en la casa de mi abuela y había un perro que hablaba conmigo. Era muy extraño."
GERMAN = "Ich träumte, dass ich mit meiner Schwester auf dem Dach war und die Sterne sehr nah waren."


def test_write_read_edit_and_delete_a_dream(client: TestClient, make_account, expect_problem) -> None:
    me = make_account("dreamer")
    payload = {
        "text": "I was flying over a silver lake at night.",
        "title": "  Silver   lake ",
        "dreamt_on": "2024-03-02",
        "tags": ["#Flying", "water", "flying"],
        "lucid": True,
        "mood": 2,
    }
    created = client.post("/api/v1/dreams", json=payload, headers=me.headers)
    assert created.status_code == 201, created.text
    dream = created.json()
    assert dream["title"] == "Silver lake"
    assert dream["text"] == payload["text"]
    assert dream["dreamt_on"] == "2024-03-02"
    assert dream["tags"] == ["flying", "water"]
    assert dream["lucid"] is True
    assert dream["mood"] == 2
    assert dream["language"] == "en"
    assert dream["is_mine"] is True and dream["author"] == "you"

    read = client.get(f"/api/v1/dreams/{dream['id']}", headers=me.headers)
    assert read.status_code == 200
    assert read.json()["text"] == payload["text"]

    edited = client.patch(
        f"/api/v1/dreams/{dream['id']}", json={"title": "Lake", "mood": -1, "tags": []}, headers=me.headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "Lake"
    assert edited.json()["mood"] == -1
    assert edited.json()["tags"] == []
    assert edited.json()["text"] == payload["text"]  # fields left out stay as they were
    assert edited.json()["lucid"] is True

    assert client.delete(f"/api/v1/dreams/{dream['id']}", headers=me.headers).status_code == 204
    expect_problem(client.get(f"/api/v1/dreams/{dream['id']}", headers=me.headers), 404)
    expect_problem(client.delete(f"/api/v1/dreams/{dream['id']}", headers=me.headers), 404)


def test_only_the_text_is_required(client: TestClient, make_account, expect_problem) -> None:
    me = make_account("dreamer")
    before = utcnow().date()
    created = client.post("/api/v1/dreams", json={"text": "A short one."}, headers=me.headers)
    after = utcnow().date()
    assert created.status_code == 201
    dream = created.json()
    assert dream["title"] == ""
    assert date.fromisoformat(dream["dreamt_on"]) in {before, after}
    assert dream["tags"] == [] and dream["lucid"] is False and dream["mood"] is None

    problem = expect_problem(
        client.post("/api/v1/dreams", json={"title": "No text"}, headers=me.headers), 422
    )
    assert "text" in problem["detail"]
    assert any(e["field"] == "text" for e in problem["errors"])
    expect_problem(client.post("/api/v1/dreams", json={"text": "   \n  "}, headers=me.headers), 422)


def test_text_length_limit(client: TestClient, make_account, expect_problem) -> None:
    me = make_account("dreamer")
    longest = "dream " * 3333 + "on"
    assert len(longest) == 20_000
    assert client.post("/api/v1/dreams", json={"text": longest}, headers=me.headers).status_code == 201
    problem = expect_problem(
        client.post("/api/v1/dreams", json={"text": longest + "s"}, headers=me.headers), 422
    )
    assert any(e["field"] == "text" for e in problem["errors"])
    dream = client.post("/api/v1/dreams", json={"text": "short"}, headers=me.headers).json()
    expect_problem(
        client.patch(f"/api/v1/dreams/{dream['id']}", json={"text": longest + "s"}, headers=me.headers), 422
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mood", 3),
        ("mood", -3),
        ("mood", "happy"),
        ("dreamt_on", (date.today() + timedelta(days=30)).isoformat()),
        ("dreamt_on", "2024-02-30"),
        ("lucid", "sometimes"),
        ("tags", ["<script>"]),
        ("language", "english"),
        ("visibility", "friends"),
        ("title", "t" * 201),
    ],
)
def test_invalid_fields_are_422_naming_the_field(
    client: TestClient, make_account, expect_problem, field: str, value: object
) -> None:
    me = make_account("dreamer")
    response = client.post("/api/v1/dreams", json={"text": "A dream.", field: value}, headers=me.headers)
    problem = expect_problem(response, 422)
    assert any(e["field"] == field for e in problem["errors"]), problem
    assert client.get("/api/v1/dreams", headers=me.headers).json()["total"] == 0


def test_mood_range_is_inclusive(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    assert create_dream(me, mood=-2)["mood"] == -2
    assert create_dream(me, mood=2)["mood"] == 2


def test_unknown_fields_are_refused_by_name(
    client: TestClient, make_account, expect_problem, create_dream
) -> None:
    me = make_account("dreamer")
    problem = expect_problem(
        client.post("/api/v1/dreams", json={"text": "A dream.", "colour": "blue"}, headers=me.headers), 422
    )
    assert "colour" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["colour"]
    dream = create_dream(me)
    problem = expect_problem(
        client.patch(f"/api/v1/dreams/{dream['id']}", json={"owner_id": 1}, headers=me.headers), 422
    )
    assert "owner_id" in problem["detail"]
    problem = expect_problem(
        client.patch(
            f"/api/v1/dreams/{dream['id']}", json={"consents": {"telepathy": True}}, headers=me.headers
        ),
        422,
    )
    assert "telepathy" in problem["detail"]


@pytest.mark.parametrize(
    "body",
    [b'{"text": "unfinished', b"text=hello", b'{"text": "a"} trailing', b"{'text': 'single quotes'}"],
    ids=["truncated", "form-encoded", "trailing-garbage", "single-quotes"],
)
def test_malformed_json_is_400(client: TestClient, make_account, expect_problem, body: bytes) -> None:
    me = make_account("dreamer")
    headers = {**me.headers, "Content-Type": "application/json"}
    expect_problem(client.post("/api/v1/dreams", content=body, headers=headers), 400)


@pytest.mark.parametrize("body", [b'{"text": "caf\xe9 at night"}', b"\xff\xfe{"], ids=["latin1", "bom"])
def test_invalid_utf8_is_400(client: TestClient, make_account, expect_problem, body: bytes) -> None:
    me = make_account("dreamer")
    headers = {**me.headers, "Content-Type": "application/json"}
    expect_problem(client.post("/api/v1/dreams", content=body, headers=headers), 400)
    assert client.get("/api/v1/dreams", headers=me.headers).json()["total"] == 0


@pytest.mark.parametrize(
    "body",
    [b'{"text": "\xed\xa0\x80 night"}', b'{"text": "\\ud800 night"}'],
    ids=["raw-bytes", "json-escape"],
)
def test_lone_surrogates_are_refused(client: TestClient, make_account, body: bytes) -> None:
    me = make_account("dreamer")
    headers = {**me.headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/dreams", content=body, headers=headers)
    assert response.status_code in {400, 422}
    assert response.headers["content-type"] == "application/problem+json"


def test_language_is_detected_and_can_be_set(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    assert create_dream(me, SPANISH)["language"] == "es"
    assert create_dream(me, GERMAN)["language"] == "de"
    chosen = create_dream(me, "The dream happened in a language I do not speak.", language="FR")
    assert chosen["language"] == "fr"
    # A chosen language survives an edit of the text; a detected one follows the text.
    edited = client.patch(f"/api/v1/dreams/{chosen['id']}", json={"text": SPANISH}, headers=me.headers).json()
    assert edited["language"] == "fr"
    detected = create_dream(me, "I was at the seaside with my brother and the tide was out.")
    assert detected["language"] == "en"
    edited = client.patch(
        f"/api/v1/dreams/{detected['id']}", json={"text": SPANISH}, headers=me.headers
    ).json()
    assert edited["language"] == "es"


def test_list_filters_by_tag_and_date_range(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    create_dream(me, "Falling down stairs.", dreamt_on="2024-01-05", tags=["falling"])
    march = create_dream(me, "Flying over fields.", dreamt_on="2024-03-10", tags=["flying", "fields"])
    create_dream(me, "Flying over the sea.", dreamt_on="2024-05-20", tags=["flying"])

    def ids(**params: str) -> list[str]:
        response = client.get("/api/v1/dreams", params=params, headers=me.headers)
        assert response.status_code == 200, response.text
        return [d["id"] for d in response.json()["items"]]

    assert len(ids(tag="flying")) == 2
    assert len(ids(tag="FLYING")) == 2
    assert ids(tag="flying", **{"from": "2024-02-01", "to": "2024-04-30"}) == [march["id"]]
    assert len(ids(**{"from": "2024-03-10"})) == 2  # the range includes its ends
    assert len(ids(to="2024-03-10")) == 2
    assert ids(tag="nightmare") == []
    listed = client.get("/api/v1/dreams", headers=me.headers).json()["items"]
    assert [d["dreamt_on"] for d in listed] == ["2024-05-20", "2024-03-10", "2024-01-05"]  # newest first


def test_list_is_paginated(client: TestClient, make_account, create_dream, expect_problem) -> None:
    me = make_account("dreamer")
    created = {
        create_dream(me, f"Dream number {n}.", dreamt_on=f"2024-01-{n + 1:02d}")["id"] for n in range(5)
    }
    seen: list[str] = []
    for page in (1, 2, 3):
        body = client.get("/api/v1/dreams", params={"per_page": 2, "page": page}, headers=me.headers).json()
        assert body["total"] == 5
        assert body["pages"] == 3
        assert body["page"] == page and body["per_page"] == 2
        assert len(body["items"]) == (2 if page < 3 else 1)
        seen += [d["id"] for d in body["items"]]
    assert len(seen) == 5 and set(seen) == created
    beyond = client.get("/api/v1/dreams", params={"per_page": 2, "page": 4}, headers=me.headers).json()
    assert beyond["items"] == [] and beyond["total"] == 5
    expect_problem(client.get("/api/v1/dreams", params={"per_page": 0}, headers=me.headers), 422)
    expect_problem(client.get("/api/v1/dreams", params={"per_page": 101}, headers=me.headers), 422)
    expect_problem(client.get("/api/v1/dreams", params={"page": 0}, headers=me.headers), 422)


def test_search_finds_only_my_own_dreams(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    other = make_account("dreamer")
    mine = create_dream(me, "A lighthouse made of glass stood in the desert.")
    unrelated = create_dream(me, "Nothing about the sea here.")
    theirs = create_dream(other, "My own lighthouse, private and secret.")
    public = create_dream(other, "Another lighthouse, shown to the world.", visibility="public")

    def search(account, query: str) -> list[str]:  # type: ignore[no-untyped-def]
        body = client.get("/api/v1/dreams", params={"q": query}, headers=account.headers).json()
        assert body["total"] == len(body["items"])
        return [d["id"] for d in body["items"]]

    assert search(me, "lighthouse") == [mine["id"]]
    assert search(me, "LIGHTHOUSE glass") == [mine["id"]]
    assert search(me, "lightho") == [mine["id"]]  # prefix
    assert search(me, "secret") == []
    assert search(me, "world") == []
    assert set(search(other, "lighthouse")) == {theirs["id"], public["id"]}
    assert search(me, '"glass* (lighthouse:') == [mine["id"]]  # search syntax is never interpreted
    # A query with no words filters nothing, and still lists only my own dreams.
    assert set(search(me, "!!!")) == {mine["id"], unrelated["id"]}


def test_search_combines_with_filters(client: TestClient, make_account, create_dream) -> None:
    me = make_account("dreamer")
    create_dream(me, "Owls in the attic.", tags=["birds"], dreamt_on="2024-01-01")
    wanted = create_dream(me, "Owls in the garden.", tags=["birds"], dreamt_on="2024-06-01")
    create_dream(me, "Owls everywhere.", dreamt_on="2024-06-02")
    body = client.get(
        "/api/v1/dreams", params={"q": "owls", "tag": "birds", "from": "2024-05-01"}, headers=me.headers
    ).json()
    assert [d["id"] for d in body["items"]] == [wanted["id"]]
    assert body["total"] == 1


def test_every_error_is_problem_json(client: TestClient, make_account, create_dream, expect_problem) -> None:
    me = make_account("dreamer")
    expect_problem(client.get("/api/v1/dreams"), 401)
    expect_problem(client.get("/api/v1/dreams/does-not-exist", headers=me.headers), 404)
    expect_problem(client.put("/api/v1/dreams", headers=me.headers), 405)
    expect_problem(client.get("/api/v1/no-such-route"), 404)
    expect_problem(client.get("/api/v1/dreams", params={"from": "yesterday"}, headers=me.headers), 422)
    expect_problem(client.post("/api/v1/spaces", json={"title": "Mine"}, headers=me.headers), 403)
    expect_problem(client.get("/api/v1/users", headers=me.headers), 403)


def test_the_journal_list_is_read_only_with_a_standing_token_or_session(
    client: TestClient, database: Database, make_account, create_dream, browser_sign_in, expect_problem
) -> None:
    """The list reads an API token's holder on a bare connection and a browser's through the session:
    both give the holder's own dreams, and a revoked token or a deactivated account reads nothing."""
    me, other = make_account(), make_account()
    mine = create_dream(me, text="A lantern floated over the marsh.")
    create_dream(other, text="Someone else's marsh.")
    by_token = client.get("/api/v1/dreams", headers=me.headers)
    assert [item["id"] for item in by_token.json()["items"]] == [mine["id"]]
    browser = browser_sign_in(me.email)
    by_cookie = client.get("/api/v1/dreams", headers=browser.headers)
    assert by_cookie.status_code == 200, by_cookie.text
    assert by_cookie.json() == by_token.json()
    tokens = client.get("/api/v1/tokens", headers=me.headers).json()
    assert client.delete(f"/api/v1/tokens/{tokens[0]['id']}", headers=me.headers).status_code == 204
    expect_problem(client.get("/api/v1/dreams", headers=me.headers), 401)
    assert client.get("/api/v1/dreams", headers=other.headers).json()["total"] == 1
    with database.session() as session:
        session.get(User, other.user.id).is_active = False  # type: ignore[union-attr]
    expect_problem(client.get("/api/v1/dreams", headers=other.headers), 401)
