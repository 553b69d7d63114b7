"""Two server processes serve one festival through Redis pub/sub (the real Redis on 127.0.0.1:6379)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import select

from dreamnexus.db.engine import Database
from dreamnexus.festival.models import FestivalFragment

from .conftest import free_port

REDIS_URL = os.environ.get("DREAMNEXUS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEXTS = [
    "I was on a ferry made of paper and my mother was steering it through a storm of letters",
    "A giant owl sat on the roof of my school and asked each of us our secret names",
    "The elevator in my office went sideways into a forest where it was always snowing",
    "I found a door in my bedroom wall that opened onto the beach of my childhood summers",
]


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")


def _serve(database: Database, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
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
            "--tick-hz",
            "5",
            "--ip-rate",
            "0",
            "--bus",
            REDIS_URL,
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
    raise RuntimeError("server did not start")


async def _until(ws: Any, condition: Any, timeout: float = 15.0) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic())))
        except TimeoutError:
            break
        if condition(frames):
            return frames
    raise AssertionError(f"not seen in time: {frames[-3:]}")


def _seen(frames: list[dict[str, Any]]) -> set[int]:
    return {e["seq"] for f in frames if f["type"] in ("tick", "replay") for e in f["events"]}


def test_two_processes_share_one_festival(scene: Any, database: Database, tmp_path: Path) -> None:
    _redis_or_skip()
    ports = [free_port(), free_port()]
    servers = [_serve(database, tmp_path, port) for port in ports]
    fid = scene.festival_id
    try:
        tokens = [
            httpx.post(f"http://127.0.0.1:{p}/api/v1/festivals/{fid}/guest-pass").json()["token"]
            for p in ports
        ]

        async def run() -> tuple[list[int], list[int], dict[str, Any]]:
            a_url, b_url = (f"ws://127.0.0.1:{p}/festivals/{fid}/ws" for p in ports)
            async with (
                websockets.connect(a_url, additional_headers={"Cookie": f"dn_guest={tokens[0]}"}) as a,
                websockets.connect(b_url, additional_headers={"Cookie": f"dn_guest={tokens[1]}"}) as b,
            ):
                await a.recv()
                await b.recv()
                await a.send(json.dumps({"type": "fragment", "text": TEXTS[0], "ref": "a0"}))
                await b.send(json.dumps({"type": "fragment", "text": TEXTS[1], "ref": "b0"}))
                await a.send(json.dumps({"type": "fragment", "text": TEXTS[2], "ref": "a1"}))
                await b.send(json.dumps({"type": "fragment", "text": TEXTS[3], "ref": "b1"}))
                a_frames = await _until(a, lambda fs: len(_seen(fs)) >= 4)
                b_frames = await _until(b, lambda fs: len(_seen(fs)) >= 4)
                a_acks = sorted(f["seq"] for f in a_frames if f["type"] == "ack")
                b_acks = sorted(f["seq"] for f in b_frames if f["type"] == "ack")
                # A weaver closes fragments through process A; process B learns it through the bus.
                weaver = {"Authorization": f"Bearer {scene.weaver.token}"}
                changed = httpx.patch(
                    f"http://127.0.0.1:{ports[0]}/api/v1/festivals/{fid}",
                    json={"phase": "zenith"},
                    headers=weaver,
                )
                assert changed.status_code == 200, changed.text
                await asyncio.sleep(1.0)
                await b.send(
                    json.dumps(
                        {"type": "fragment", "text": "one more dream about the moon and a bell", "ref": "b2"}
                    )
                )
                refused = await _until(b, lambda fs: any(f["type"] == "error" for f in fs))
                return a_acks, b_acks, next(f for f in refused if f["type"] == "error")

        a_acks, b_acks, refused = asyncio.run(run())
        assert len(a_acks) == 2 and len(b_acks) == 2
        assert sorted(a_acks + b_acks) == [1, 2, 3, 4]  # one gap-free sequence across both processes
        assert refused["status"] == 409
        with database.session() as session:
            assert sorted(session.scalars(select(FestivalFragment.seq))) == [1, 2, 3, 4]
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
