"""Festival fixtures: an app with the festival routes, a live uvicorn server, a space with a festival."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

import dreamnexus.festival.models  # noqa: F401  (registers the tables before any migration)
from dreamnexus.db.engine import Database
from dreamnexus.festival import service
from dreamnexus.festival.transport import router
from dreamnexus.festival.wire import FestivalProtocol
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.schemas import SpaceCreate
from dreamnexus.web.app import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def festival_app(tmp_path: Path, database: Database, **options: Any) -> Any:
    from dreamnexus.config import Settings

    settings = Settings(data_dir=tmp_path, database_url=database.url, secret_key="test-secret-key")
    app = create_app(settings, database=database, limiter=MemoryLimiter())
    app.include_router(router)
    app.state.festival_options = {"tick_hz": 5.0, **options}
    return app


@pytest.fixture
def fest_app(tmp_path: Path, database: Database) -> Any:
    return festival_app(tmp_path, database)


@dataclass
class Scene:
    weaver: Any
    member: Any
    space_id: str
    festival_id: str


@pytest.fixture
def scene(database: Database, make_account: Any) -> Scene:
    weaver = make_account("weaver")
    member = make_account("dreamer")
    with database.session() as session:
        space = spaces.create_space(session, weaver.user, SpaceCreate(title="Night sea"))
        festival = service.create_festival(
            session, weaver.user, space.public_id, "Midsummer", guests_allowed=True
        )
        return Scene(weaver, member, space.public_id, festival.public_id)


class LiveServer:
    def __init__(self, app: Any, ws: Any = FestivalProtocol) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", ws=ws)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live(fest_app: Any) -> Iterator[LiveServer]:
    with LiveServer(fest_app) as server:
        yield server
