"""The no-JavaScript page, guest passes, reactions and testimonies, and the weaver's console."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from dreamnexus.db.engine import Database
from dreamnexus.festival.models import FestivalFragment, FestivalReaction
from dreamnexus.spaces.weave_models import SpaceWeave

DREAMS = [
    "I was walking along a frozen river and the ice sang a song my father used to hum at night",
    "In the dream our old house had an extra room full of birds that spoke in my teacher's voice",
    "A stranger handed me a key made of bread and told me the sea would open only at dawn",
    "The library was flooded and I swam between shelves reading titles written in moving light",
    "My dog could talk and asked me why I had forgotten the garden behind the hospital",
]


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200, page.text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def _wait_for(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_guest_takes_part_without_javascript(fest_app: Any, scene: Any, database: Database) -> None:
    fid = scene.festival_id
    with TestClient(fest_app) as client:
        token = _csrf(client, f"/festivals/{fid}")
        joined = client.post(f"/festivals/{fid}/guest", data={"csrf_token": token}, follow_redirects=False)
        assert joined.status_code == 303 and "dn_guest" in joined.headers["set-cookie"]
        token = _csrf(client, f"/festivals/{fid}")
        refused = client.post(f"/festivals/{fid}/fragments", data={"csrf_token": "forged", "text": DREAMS[0]})
        assert refused.status_code == 403
        for dream in DREAMS[:3]:
            sent = client.post(
                f"/festivals/{fid}/fragments",
                data={"csrf_token": token, "text": dream},
                follow_redirects=False,
            )
            assert sent.status_code == 303, sent.text
            assert "Received" in sent.headers["location"]
        # The gathering phase lets one participant send a burst of 3, then about one every 5 s.
        limited = client.post(f"/festivals/{fid}/fragments", data={"csrf_token": token, "text": DREAMS[3]})
        assert limited.status_code == 429 and "retry-after" in limited.headers
        hub = fest_app.state.festival_hub
        _wait_for(lambda: len(hub.runtimes[fid].weave_dict["passages"]) > 0)
        page = client.get(f"/festivals/{fid}?mine=1,2", headers={"accept": "text/html"})
        assert "frozen river" in page.text or "extra room" in page.text or "library" in page.text
        assert 'class="mine"' in page.text
    with database.session() as session:
        assert session.scalar(
            select(FestivalFragment).where(FestivalFragment.seq == 3)
        ).author_key.startswith("g:")


def test_user_text_is_escaped_on_the_page(fest_app: Any, scene: Any) -> None:
    fid = scene.festival_id
    with TestClient(fest_app) as client:
        headers = {"Authorization": f"Bearer {scene.member.token}"}
        evil = "<script>alert(1)</script> I dreamt of a tall lighthouse made of mirrors and salt"
        assert (
            client.post(
                f"/api/v1/festivals/{fid}/fragments", json={"text": evil, "client_ref": "x"}, headers=headers
            ).status_code
            == 201
        )
        hub = fest_app.state.festival_hub
        _wait_for(lambda: len(hub.runtimes[fid].weave_dict["passages"]) > 0)
        page = client.get(f"/festivals/{fid}", headers={"accept": "text/html"}).text
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;" in page


def test_testimonies_need_consent_and_are_sealed(fest_app: Any, scene: Any, database: Database) -> None:
    fid = scene.festival_id
    weaver = {"Authorization": f"Bearer {scene.weaver.token}"}
    member = {"Authorization": f"Bearer {scene.member.token}"}
    with TestClient(fest_app) as client:
        early = client.post(
            f"/api/v1/festivals/{fid}/reactions",
            json={"feeling": "calm", "testimony": "moved", "research_consent": True},
            headers=member,
        )
        assert early.status_code == 409
        assert (
            client.patch(f"/api/v1/festivals/{fid}", json={"phase": "afterglow"}, headers=weaver).status_code
            == 200
        )
        closed = client.post(
            f"/api/v1/festivals/{fid}/fragments", json={"text": DREAMS[0], "client_ref": "z"}, headers=member
        )
        assert closed.status_code == 409 and closed.headers["content-type"] == "application/problem+json"
        no_consent = client.post(
            f"/api/v1/festivals/{fid}/reactions",
            json={"feeling": "calm", "testimony": "it felt like home"},
            headers=member,
        )
        assert no_consent.status_code == 422
        assert (
            client.post(
                f"/api/v1/festivals/{fid}/reactions", json={"feeling": "rage"}, headers=member
            ).status_code
            == 422
        )
        ok = client.post(
            f"/api/v1/festivals/{fid}/reactions",
            json={"feeling": "wonder", "testimony": "it felt like home", "research_consent": True},
            headers=member,
        )
        assert ok.status_code == 201
    with database.session() as session:
        assert session.scalar(select(FestivalReaction.testimony)) == "it felt like home"
        raw = session.execute(text("SELECT testimony FROM festival_reactions")).scalar()
        assert raw and "home" not in raw


def test_weaver_moderates_shields_and_publishes(fest_app: Any, scene: Any, database: Database) -> None:
    fid = scene.festival_id
    weaver = {"Authorization": f"Bearer {scene.weaver.token}"}
    member = {"Authorization": f"Bearer {scene.member.token}"}
    with TestClient(fest_app) as client:
        assert (
            client.patch(f"/api/v1/festivals/{fid}", json={"phase": "weaving"}, headers=member).status_code
            == 403
        )
        assert (
            client.patch(f"/api/v1/festivals/{fid}", json={"phase": "weaving"}, headers=weaver).status_code
            == 200
        )
        for i, dream in enumerate(DREAMS[:3]):
            r = client.post(
                f"/api/v1/festivals/{fid}/fragments",
                json={"text": dream, "client_ref": f"m{i}"},
                headers=member,
            )
            assert r.json()["status"] == "accepted"
        dup = client.post(
            f"/api/v1/festivals/{fid}/fragments",
            json={"text": DREAMS[0].upper(), "client_ref": "d"},
            headers=member,
        )
        assert dup.json()["status"] == "excluded" and "duplicate" in dup.json()["reason"]
        assert (
            client.patch(f"/api/v1/festivals/{fid}", json={"shield": True}, headers=weaver).status_code == 200
        )
        assert (
            client.post(f"/api/v1/festivals/{fid}/guest-pass").status_code == 403
        )  # no new guests under shield
        # A guest already inside is held for review under shield.
        assert (
            client.patch(f"/api/v1/festivals/{fid}", json={"shield": False}, headers=weaver).status_code
            == 200
        )
        guest = client.post(f"/api/v1/festivals/{fid}/guest-pass")
        assert guest.status_code == 201
        assert "dn_guest" not in guest.headers.get("set-cookie", "")  # the API never plants a cookie
        client.cookies.set("dn_guest", guest.json()["token"])
        client.patch(f"/api/v1/festivals/{fid}", json={"shield": True}, headers=weaver)
        csrf = _csrf(client, f"/festivals/{fid}")
        held = client.post(
            f"/api/v1/festivals/{fid}/fragments",
            json={"text": DREAMS[3], "client_ref": "g"},
            headers={"x-csrf-token": csrf},
        )
        assert held.status_code == 201, held.text
        assert held.json()["status"] == "held"
        client.cookies.delete("dn_guest")
        seq = held.json()["seq"]
        figures = client.get(f"/api/v1/festivals/{fid}/figures", headers=weaver).json()
        assert figures["contributions"] == 5 and figures["shield"] is True
        assert client.get(f"/api/v1/festivals/{fid}/figures", headers=member).status_code == 403
        approved = client.post(f"/api/v1/festivals/{fid}/fragments/{seq}/approve", headers=weaver)
        assert approved.json()["status"] == "accepted"
        hub = fest_app.state.festival_hub
        _wait_for(lambda: any(seq in p["seqs"] for p in hub.runtimes[fid].weave_dict["passages"]))
        client.post(f"/api/v1/festivals/{fid}/fragments/1/hide", headers=weaver)
        assert not any(1 in p["seqs"] for p in hub.runtimes[fid].weave_dict["passages"])
        published = client.post(f"/api/v1/festivals/{fid}/publish", headers=weaver)
        assert published.status_code == 201, published.text
    with database.session() as session:
        row = session.scalar(select(SpaceWeave).where(SpaceWeave.public_id == published.json()["weave"]))
        assert row.status == "published" and row.version == 1
        text_out = " ".join(p["text"] for p in row.content["passages"])
        assert "frozen river" not in text_out  # hidden by the weaver
        assert all(
            s["author"].startswith("participant") for p in row.content["passages"] for s in p["sources"]
        )
