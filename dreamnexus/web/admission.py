"""A cap on the requests one server process works on at once; the others wait their turn in the event loop."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

# Sync routes run in AnyIO's 40-thread pool and keep a pooled database connection (on SQLite also the write
# lock) across several thread hops: dependencies, endpoint, response validation, commit. With more requests
# in flight than threads, every thread can end up waiting for a connection or lock held by a request that
# waits for a thread: nothing moves until the pool or the busy timeout gives up. Measured on 2 cores with
# 64 connections (docs/performance.md): without this cap `POST /api/v1/dreams` made 4 writes/s on
# PostgreSQL, all 40 threads of a worker waiting for a connection. A few requests at once already keep a
# core busy, and fewer threads fight less over the GIL: with 2 server processes on 2 cores, single runs of
# dream creation on SQLite gave 263 writes/s with 1 request per process, 282-296 with 2, 230 with 3 and
# 188-245 with 4 (docs/performance.md); reads were the same within noise.
DEFAULT_LIMIT = 2


class ConcurrencyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limit: int = DEFAULT_LIMIT) -> None:
        self.app = app
        self.limit = limit
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:  # made lazily, inside the server's event loop
            self._semaphore = asyncio.Semaphore(self.limit)
        async with self._semaphore:
            await self.app(scope, receive, send)
