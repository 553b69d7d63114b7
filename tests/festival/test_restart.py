"""kill -9 of a festival server mid-stream: every acknowledged fragment is stored, and the restarted
server resumes with the weave rebuilt from storage."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets
from sqlalchemy import select

from dreamnexus.db.engine import Database
from dreamnexus.festival.models import FestivalFragment

from .conftest import free_port

WORDS = [
    "sea",
    "bridge",
    "mother",
    "school",
    "forest",
    "train",
    "window",
    "dog",
    "horse",
    "garden",
    "night",
    "house",
    "river",
    "city",
    "light",
    "stairs",
    "teacher",
    "ghost",
    "mirror",
    "bread",
    "key",
    "snow",
    "wedding",
    "car",
    "airport",
    "fire",
    "bird",
    "ocean",
    "tower",
]


def _start(database: Database, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dreamnexus.festival.server",
            "--database-url",
            database.url,
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--rate-scale",
            "1000",
            "--ip-rate",
            "0",
            "--tick-hz",
            "5",
        ],
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/festival-static/festival.js", timeout=1).status_code
                == 200
            ):
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("festival server did not start")


def _text(i: int) -> str:
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12)]
    return f"Dream {i}: I walked through the " + " and the ".join(words)


async def _stream(port: int, fid: str, tokens: list[str], acked: set[int], stop_after: int) -> None:
    """Several guests send fragments as fast as acks return, until killed under them."""

    async def one(token: str, n: int) -> None:
        url = f"ws://127.0.0.1:{port}/festivals/{fid}/ws"
        try:
            async with websockets.connect(url, additional_headers={"Cookie": f"dn_guest={token}"}) as ws:
                await ws.recv()
                i = 0
                while len(acked) < stop_after * 10:
                    await ws.send(
                        json.dumps({"type": "fragment", "text": _text(n * 100_000 + i), "ref": f"{n}-{i}"})
                    )
                    i += 1
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame["type"] == "ack":
                            acked.add(frame["seq"])
                            break
                        if frame["type"] == "error":
                            break
        except (websockets.exceptions.ConnectionClosed, OSError):
            return

    await asyncio.gather(*(one(t, n) for n, t in enumerate(tokens)))


def test_kill_9_loses_no_acknowledged_fragment(scene: Any, database: Database, tmp_path: Path) -> None:
    port = free_port()
    fid = scene.festival_id
    server = _start(database, tmp_path, port)
    try:
        tokens = [
            httpx.post(f"http://127.0.0.1:{port}/api/v1/festivals/{fid}/guest-pass").json()["token"]
            for _ in range(4)
        ]
        acked: set[int] = set()

        def killer() -> None:
            deadline = time.monotonic() + 30
            while len(acked) < 60 and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(server.pid, signal.SIGKILL)

        import threading

        thread = threading.Thread(target=killer)
        thread.start()
        asyncio.run(_stream(port, fid, tokens, acked, stop_after=60))
        thread.join()
        server.wait(10)
        assert len(acked) >= 60
        with database.session() as session:
            stored = set(session.scalars(select(FestivalFragment.seq)).all())
        assert acked <= stored, f"lost: {sorted(acked - stored)[:10]}"
        assert sorted(stored) == list(range(1, len(stored) + 1))

        server = _start(database, tmp_path, port)

        async def resume() -> tuple[dict[str, Any], dict[str, Any]]:
            url = f"ws://127.0.0.1:{port}/festivals/{fid}/ws"
            async with websockets.connect(url, additional_headers={"Cookie": f"dn_guest={tokens[0]}"}) as ws:
                hello = json.loads(await ws.recv())
                await ws.send(json.dumps({"type": "fragment", "text": _text(999_999), "ref": "after"}))
                while True:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "ack":
                        return hello, frame

        hello, ack = asyncio.run(resume())
        assert hello["seq"] == max(stored)
        assert hello["weave"]["passages"], "the weave is rebuilt from storage"
        assert ack["seq"] == max(stored) + 1
    finally:
        server.kill()
        server.wait(10)
