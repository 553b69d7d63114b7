"""The fan-out paths: frames written straight to sockets (the festival protocol), slow consumers dropped,
connections handed over by the endpoint, and the plain-ASGI fallback with a queue per client."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.frames import Frame, Opcode

from dreamnexus.db.engine import Database
from dreamnexus.festival.hub import BACKLOG_BYTES, SLOW_CLOSE, Hub, SocketClient
from dreamnexus.festival.transport import hub_of
from dreamnexus.festival.wire import frame_bytes

from .conftest import LiveServer, festival_app
from .test_live import TEXTS, _frames


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_a_frame_is_framed_as_websockets_frames_it(size: int) -> None:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    expected = Frame(Opcode.BINARY, payload).serialize(mask=False, extensions=[])
    assert frame_bytes(payload) == expected


class FakeSocket:
    """Stands in for the festival protocol: a kernel that takes `takes` bytes, then nothing more."""

    def __init__(self, takes: int) -> None:
        self.takes = takes
        self.written: list[bytes] = []
        self.closed: tuple[int, str] | None = None

    def write_frame(self, wire: bytes) -> int:
        if self.closed is not None:
            return -1
        self.written.append(wire)
        return max(0, sum(map(len, self.written)) - self.takes)

    def close_now(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def test_a_slow_consumer_is_dropped_once_its_backlog_passes_the_bound(database: Database) -> None:
    hub = Hub(database)
    fast, slow = FakeSocket(takes=10**9), FakeSocket(takes=0)
    fast_client, slow_client = SocketClient(fast), SocketClient(slow)
    hub.attach("f", fast_client)
    hub.attach("f", slow_client)
    frame = b"x" * 10_000
    ticks = BACKLOG_BYTES // len(frame) + 2
    for _ in range(ticks):
        asyncio.run(hub.deliver_in_slices("f", frame))
    assert slow.closed == SLOW_CLOSE
    assert slow_client.dropped and hub.dropped == 1
    assert hub.clients["f"] == {fast_client}
    # The slow one got frames until its bound, then nothing more; the fast one got every tick.
    assert len(slow.written) == BACKLOG_BYTES // (len(frame) + 4) + 1
    assert len(fast.written) == ticks
    assert fast.written[0] == frame_bytes(frame)


def test_a_closed_socket_is_detached_without_counting_as_dropped(database: Database) -> None:
    hub = Hub(database)
    gone = FakeSocket(takes=10**9)
    gone.closed = (1000, "bye")
    hub.attach("f", SocketClient(gone))
    asyncio.run(hub.deliver_in_slices("f", b"{}"))
    assert hub.participants("f") == 0 and hub.dropped == 0


def _wait(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met")
        time.sleep(0.02)


def test_a_handed_over_connection_is_served_and_forgotten_when_it_closes(
    live: Any, fest_app: Any, scene: Any
) -> None:
    fid = scene.festival_id
    member = {"Authorization": f"Bearer {scene.member.token}"}

    async def run() -> list[dict[str, Any]]:
        async with websockets.connect(f"{live.ws}/festivals/{fid}/ws", additional_headers=member) as ws:
            await ws.recv()
            # The hello is sent before the client is attached: wait for the attachment, not the frame.
            await asyncio.to_thread(_wait, lambda: hub_of(fest_app).participants(fid) == 1)
            # Text frames arrive by callback; a fragmented message takes uvicorn's path to it.
            await ws.send(json.dumps({"type": "fragment", "text": TEXTS[0], "ref": "one"}))
            message = json.dumps({"type": "fragment", "text": TEXTS[1], "ref": "two"})
            await ws.send([message[:20], message[20:]])
            frames = await _frames(
                ws,
                lambda fs: (
                    {f.get("ref") for f in fs if f["type"] == "ack"} == {"one", "two"}
                    and any(f["type"] == "tick" and f["events"] for f in fs)
                ),
            )
            await ws.send(json.dumps({"type": "fragment", "text": "x", "ref": "r" * 5000}))
            with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
            return frames

    frames = asyncio.run(run())
    assert sorted(f["seq"] for f in frames if f["type"] == "ack") == [1, 2]
    _wait(lambda: hub_of(fest_app).participants(fid) == 0)


def test_plain_asgi_websockets_use_a_queue_per_client(tmp_path: Path, database: Database, scene: Any) -> None:
    app = festival_app(tmp_path, database)
    fid = scene.festival_id
    member = {"Authorization": f"Bearer {scene.member.token}"}
    with LiveServer(app, ws="websockets-sansio") as server:

        async def run() -> list[dict[str, Any]]:
            async with websockets.connect(f"{server.ws}/festivals/{fid}/ws", additional_headers=member) as ws:
                await ws.recv()
                await ws.send(json.dumps({"type": "fragment", "text": TEXTS[2], "ref": "q"}))
                return await _frames(
                    ws,
                    lambda fs: (
                        any(f["type"] == "ack" for f in fs)
                        and any(f["type"] == "tick" and f["events"] for f in fs)
                    ),
                )

        frames = asyncio.run(run())
        assert next(f for f in frames if f["type"] == "ack")["seq"] == 1
        _wait(lambda: hub_of(app).participants(fid) == 0)


def test_a_festival_started_in_a_test_process_leaves_the_collector_alone(
    live: Any, fest_app: Any, scene: Any
) -> None:
    """gc.freeze() is process-wide: only served processes ask the hub for it."""
    import gc

    before = gc.get_freeze_count()
    member = {"Authorization": f"Bearer {scene.member.token}"}

    async def run() -> None:
        url = f"{live.ws}/festivals/{scene.festival_id}/ws"
        async with websockets.connect(url, additional_headers=member) as ws:
            await ws.recv()

    asyncio.run(run())
    assert hub_of(fest_app).runtimes and not hub_of(fest_app).freeze_once_started
    assert gc.get_freeze_count() == before


def test_a_served_festival_process_asks_its_hub_to_freeze(
    tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from dreamnexus.festival import server

    app = festival_app(tmp_path, database)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setattr("sys.setswitchinterval", lambda interval: None)
    server.serve(app, "127.0.0.1", 0)
    assert app.state.festival_options["freeze_once_started"] is True
    assert hub_of(app).freeze_once_started
