"""The Redis relay that lets several processes serve one festival.

Each process numbers and stores its own fragments (the database orders them, see ingest), then
publishes the committed events here; the others take them into their resume ring, their weave and
their next tick. Weavers' changes (phase, shield, guests, moderation) travel the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Any

import orjson

log = logging.getLogger("dreamnexus.festival")
CHANNEL = "dreamnexus:festival"


class RedisBus:
    def __init__(self, url: str) -> None:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("the bus is a redis:// URL")
        self.url = url
        self.origin = secrets.token_hex(8)
        self._redis: Any = None
        self._listener: asyncio.Task[None] | None = None  # kept: an unreferenced task can be collected
        self._sending: set[asyncio.Task[Any]] = set()
        self.received = 0

    async def start(self, hub: Any) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(self.url)
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        self._listener = asyncio.get_running_loop().create_task(self._listen(pubsub, hub))

    async def _listen(self, pubsub: Any, hub: Any) -> None:
        while True:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is None:
                    continue
                data = orjson.loads(message["data"])
                if data.get("origin") == self.origin:
                    continue
                self.received += 1
                hub.on_remote(data)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("festival bus message failed")
                await asyncio.sleep(0.5)

    def publish(self, message: dict[str, Any]) -> None:
        if self._redis is None:
            return
        payload = orjson.dumps({**message, "origin": self.origin})
        task = asyncio.get_running_loop().create_task(self._redis.publish(CHANNEL, payload))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()


def attach_bus(app: Any, url: str) -> None:
    """Make the app's festival hub relay through Redis (called before the first request)."""
    from dreamnexus.festival.transport import hub_of

    hub_of(app).bus = RedisBus(url)
