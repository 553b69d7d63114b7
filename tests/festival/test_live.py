"""Real WebSocket clients against a uvicorn server: acknowledgements, ticks, resume, guests, origin."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import select

from dreamnexus.db.engine import Database
from dreamnexus.festival.models import FestivalFragment

TEXTS = [
    "I was swimming in a green sea under a bridge of glass while my sister called my name",
    "A white horse walked through the school corridor and the teachers pretended not to see it",
    "My grandmother's kitchen had become a train station and I could not find my ticket anywhere",
    "I flew above the rooftops at night and the city lights turned into slow fireflies",
]


async def _frames(ws: Any, until: Any, timeout: float = 10.0) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            raw = await asyncio.wait_for(ws.recv(), max(0.05, deadline - time.monotonic()))
        except TimeoutError:
            break
        got.append(json.loads(raw))
        if until(got):
            return got
    raise AssertionError(f"condition not met; frames: {[f.get('type') for f in got]}")


def _guest_cookie(live: Any, fid: str) -> str:
    response = httpx.post(f"{live.http}/api/v1/festivals/{fid}/guest-pass")
    assert response.status_code == 201, response.text
    return response.json()["token"]


def test_fragments_are_acknowledged_after_commit_and_broadcast_in_ticks(
    live: Any, scene: Any, database: Database
) -> None:
    fid = scene.festival_id

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        member = {"Authorization": f"Bearer {scene.member.token}"}
        token = _guest_cookie(live, fid)
        url = f"{live.ws}/festivals/{fid}/ws"
        async with (
            websockets.connect(url, additional_headers=member) as a,
            websockets.connect(url, additional_headers={"Cookie": f"dn_guest={token}"}) as b,
        ):
            hello = json.loads(await a.recv())
            assert hello["type"] == "hello" and hello["you"].startswith("u:")
            assert json.loads(await b.recv())["you"].startswith("g:")
            for i, text in enumerate(TEXTS[:3]):
                await a.send(json.dumps({"type": "fragment", "text": text, "ref": f"a{i}"}))
            await b.send(json.dumps({"type": "fragment", "text": TEXTS[3], "ref": "b0"}))
            acks_a = await _frames(a, lambda fs: sum(f["type"] == "ack" for f in fs) == 3)
            seen_b = await _frames(
                b,
                lambda fs: {e["seq"] for f in fs if f["type"] == "tick" for e in f["events"]} >= {1, 2, 3, 4},
            )
            # A resend with the same ref gets the same answer and stores nothing new.
            await a.send(json.dumps({"type": "fragment", "text": TEXTS[0], "ref": "a0"}))
            again = await _frames(a, lambda fs: any(f["type"] == "ack" for f in fs))
            first = next(f for f in acks_a if f["type"] == "ack" and f["ref"] == "a0")
            assert next(f for f in again if f["type"] == "ack")["seq"] == first["seq"]
            return acks_a, seen_b

    acks, _ = asyncio.run(run())
    acked = sorted(f["seq"] for f in acks if f["type"] == "ack")
    with database.session() as session:
        stored = session.scalars(select(FestivalFragment.seq).where(FestivalFragment.festival_id != 0)).all()
    assert set(acked) <= set(stored)
    assert sorted(stored) == list(range(1, len(stored) + 1))  # gap-free
    assert len(stored) == 4


def test_a_reconnecting_client_resumes_from_its_last_sequence(live: Any, scene: Any) -> None:
    fid = scene.festival_id
    member = {"Authorization": f"Bearer {scene.member.token}"}

    async def run() -> list[dict[str, Any]]:
        url = f"{live.ws}/festivals/{fid}/ws"
        async with websockets.connect(url, additional_headers=member) as a:
            await a.recv()
            for i, text in enumerate(TEXTS[:2]):
                await a.send(json.dumps({"type": "fragment", "text": text, "ref": f"r{i}"}))
            await _frames(a, lambda fs: sum(f["type"] == "ack" for f in fs) == 2)
        async with websockets.connect(url, additional_headers=member) as a:
            await a.recv()
            await a.send(json.dumps({"type": "fragment", "text": TEXTS[2], "ref": "r2"}))
            await _frames(a, lambda fs: any(f["type"] == "ack" for f in fs))
        async with websockets.connect(f"{url}?since=1") as watcher:
            hello = json.loads(await watcher.recv())
            assert hello["you"] is None  # no credentials: may watch, not contribute
            replay = json.loads(await watcher.recv())
            await watcher.send(json.dumps({"type": "fragment", "text": TEXTS[3], "ref": "w"}))
            refused = await _frames(watcher, lambda fs: any(f["type"] == "error" for f in fs))
            return [replay, *refused]

    frames = asyncio.run(run())
    assert frames[0]["type"] == "replay"
    assert [e["seq"] for e in frames[0]["events"]] == [2, 3]
    assert next(f for f in frames if f["type"] == "error")["status"] == 401


def test_cross_site_websocket_is_refused(live: Any, scene: Any) -> None:
    async def run() -> None:
        async with websockets.connect(
            f"{live.ws}/festivals/{scene.festival_id}/ws", origin="https://evil.example"
        ) as ws:
            await ws.recv()

    with pytest.raises((websockets.exceptions.InvalidStatus, websockets.exceptions.ConnectionClosed)):
        asyncio.run(run())


def test_oversized_and_malformed_fragments_are_refused(live: Any, scene: Any) -> None:
    member = {"Authorization": f"Bearer {scene.member.token}"}

    async def run() -> list[dict[str, Any]]:
        async with websockets.connect(
            f"{live.ws}/festivals/{scene.festival_id}/ws", additional_headers=member
        ) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "fragment", "text": "x " * 600, "ref": "big"}))
            await ws.send("not json")
            return await _frames(ws, lambda fs: sum(f["type"] == "error" for f in fs) == 2)

    errors = [f for f in asyncio.run(run()) if f["type"] == "error"]
    assert errors[0]["status"] == 422 and "1000" in errors[0]["reason"]
    assert errors[1]["status"] == 400


def test_sse_streams_the_same_frames(live: Any, scene: Any) -> None:
    member = {"Authorization": f"Bearer {scene.member.token}"}
    fid = scene.festival_id
    posted = httpx.post(
        f"{live.http}/api/v1/festivals/{fid}/fragments",
        json={"text": TEXTS[0], "client_ref": "p1"},
        headers=member,
    )
    assert posted.status_code == 201, posted.text
    assert posted.json()["seq"] == 1
    lines: list[str] = []
    with httpx.stream("GET", f"{live.http}/festivals/{fid}/events?since=0", timeout=10) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                lines.append(line)
            if len(lines) >= 2:
                break
    hello, replay = (json.loads(x[6:]) for x in lines)
    assert hello["type"] == "hello" and hello["seq"] == 1
    assert replay["type"] == "replay" and replay["events"][0]["seq"] == 1
