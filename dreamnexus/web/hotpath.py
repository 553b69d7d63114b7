"""The two busiest API routes, answered without the framework's per-request machinery.

`GET /api/v1/dreams` (a journal page) and `POST /api/v1/dreams` (a new dream) are most of what the API
serves. Routed through FastAPI, the routing, dependency solving, request and response objects and
AnyIO's thread hand-over took about as much of a server process's CPU as the work itself (py-spy of a
server under load, docs/performance.md). This layer answers them with the very functions that the
FastAPI routes call (journal/api.py): the same query and body models, authentication and guards, the
same error responses (web/problems.py), the security headers of the layer around it.

Whatever it cannot answer plainly goes on to the app unchanged, body included: a query or body that
does not validate, a body that is not JSON, is large or arrives without a length, any other method or
path, an app served under a root path. So the routes in journal/api.py stay the reference and the
OpenAPI description, and every error is the app's own; tests/api/test_hotpath.py checks that both give
the same answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import parse_qsl

import orjson
from pydantic import ValidationError
from sqlalchemy.exc import StatementError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dreamnexus.errors import ServiceError
from dreamnexus.journal import api as journal_api
from dreamnexus.journal.schemas import DreamCreate, JournalQuery
from dreamnexus.web import problems

PATH = "/api/v1/dreams"
JSON = b"application/json"
# A dream of 20,000 characters fits several times over, even with every character escaped; a larger body
# goes to the app, which gives the error.
MAX_BODY = 256 * 1024
# The admission layer lets 2 requests per process in at once (web/admission.py): a few threads suffice.
THREADS = 4

Result = TypeVar("Result")


class HotPath:
    """ASGI middleware; innermost of the app's own layers, so admission and security headers apply."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._threads = ThreadPoolExecutor(THREADS, thread_name_prefix="hotpath")
        self._sqlite_writer: asyncio.Semaphore | None = None
        self._read_this_turn = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and not scope.get("root_path"):
            if scope["method"] == "GET":
                await self._journal(scope, receive, send)
                return
            if scope["method"] == "POST":
                await self._create(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _journal(self, scope: Scope, receive: Receive, send: Send) -> None:
        # As Starlette reads a query string: latin-1, then percent-decoding; the last of repeated names wins.
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        try:
            query = JournalQuery.model_validate(dict(pairs))
        except ValidationError:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            if self._may_read_on_the_loop(request):
                body = journal_api.journal_json(request, query.filters())
            else:
                body = await self._in_thread(journal_api.journal_json, request, query.filters())
        except ServiceError as error:
            await (await problems.service_error_handler(request, error))(scope, receive, send)
            return
        await _send_json(send, 200, body)

    async def _create(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type, length = _first_headers(scope)
        if content_type is None or content_type.split(b";", 1)[0].strip().lower() != JSON:
            await self.app(scope, receive, send)
            return
        if length is None or not length.isdigit() or int(length) > MAX_BODY:
            await self.app(scope, receive, send)
            return
        raw = await _read_body(receive)
        if raw is None:
            return  # the client went away before sending its body: there is no one to answer
        try:
            data = DreamCreate.model_validate(orjson.loads(raw))
        except (orjson.JSONDecodeError, ValidationError):
            await self.app(scope, _replay(raw, receive), send)
            return
        request = Request(scope, receive)
        try:
            async with self._writer_turn(request):
                body = await self._in_thread(journal_api.create_dream_json, request, data)
        except ServiceError as error:
            await (await problems.service_error_handler(request, error))(scope, receive, send)
            return
        except (UnicodeEncodeError, StatementError) as error:
            if not problems.is_unencodable_text(error):
                raise
            response: Response = await problems.unencodable_text_handler(request, error)
            await response(scope, receive, send)
            return
        await _send_json(send, 201, body)

    def _writer_turn(self, request: Request) -> contextlib.AbstractAsyncContextManager[object]:
        """On SQLite, one new dream at a time per process. SQLite takes one writer at a time anyway
        (db/writelock.py); a second writing thread of the same process could only take the GIL from the
        one that holds the write lock and make it hold the lock longer. It waits in the event loop."""
        if request.app.state.db.dialect != "sqlite":
            return contextlib.nullcontext()
        if self._sqlite_writer is None:  # made lazily, inside the server's event loop
            self._sqlite_writer = asyncio.Semaphore(1)
        return self._sqlite_writer

    def _may_read_on_the_loop(self, request: Request) -> bool:
        """On SQLite, the first journal read of each turn of the event loop is read on the loop itself,
        and the others of that turn in a thread. A read costs ~1 ms, and the hand-over to a thread and
        back added about a tenth at the goal's rate; but reads all on the loop ran in batches, and a
        connection whose next request came in just after the loop had looked at its sockets waited
        for a whole batch, again and again (docs/performance.md). One per turn keeps the loop turning."""
        if self._read_this_turn or request.app.state.db.dialect != "sqlite":
            return False
        self._read_this_turn = True
        asyncio.get_running_loop().call_soon(self._next_turn)  # runs at the start of the next turn
        return True

    def _next_turn(self) -> None:
        self._read_this_turn = False

    async def _in_thread(self, function: Callable[..., Result], *args: object) -> Result:
        """The database work off the event loop, in one hand-over (asyncio's, lighter than AnyIO's)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, functools.partial(function, *args))


def _first_headers(scope: Scope) -> tuple[bytes | None, bytes | None]:
    """Content-Type and Content-Length, the first of each as Starlette's Headers.get gives them."""
    content_type = length = None
    for name, value in scope["headers"]:
        if name == b"content-type" and content_type is None:
            content_type = value
        elif name == b"content-length" and length is None:
            length = value
    return content_type, length


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives the app the body already read, then the client's own messages."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _send_json(send: Send, status: int, body: bytes) -> None:
    # The headers, and their order, of the Response the FastAPI routes return.
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", JSON)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
