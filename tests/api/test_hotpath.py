"""web/hotpath.py answers GET and POST /api/v1/dreams exactly as the FastAPI routes do, and hands the app
everything it cannot answer plainly, body included."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from dreamnexus.db.engine import Database
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.web.app import create_app
from dreamnexus.web.hotpath import MAX_BODY, HotPath
from tests.conftest import make_settings

DREAM = {"text": "A lighthouse walked into the sea and I followed it.", "tags": ["sea"], "mood": 1}
# Fields that differ between two dreams written alike: their ids and times.
UNIQUE_FIELDS = frozenset({"id", "created_at", "updated_at"})


@pytest.fixture
def reference(tmp_path: Path, database: Database) -> Iterator[TestClient]:
    """The same app on the same database without the hot path: the FastAPI routes answer everything."""
    app = create_app(
        make_settings(tmp_path / "reference", database), database=database, limiter=MemoryLimiter()
    )
    assert any(layer.cls is HotPath for layer in app.user_middleware)  # else both sides would be the same
    app.user_middleware = [layer for layer in app.user_middleware if layer.cls is not HotPath]
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


def _same(hot: httpx.Response, reference: httpx.Response, *, ignore: frozenset[str] = frozenset()) -> None:
    assert hot.status_code == reference.status_code, (hot.text, reference.text)
    drop = {"content-length", "date"} if ignore else {"date"}
    assert {k: v for k, v in hot.headers.items() if k not in drop} == {
        k: v for k, v in reference.headers.items() if k not in drop
    }
    if not ignore:
        assert hot.content == reference.content
        return
    assert {k: v for k, v in hot.json().items() if k not in ignore} == {
        k: v for k, v in reference.json().items() if k not in ignore
    }


@pytest.mark.parametrize(
    "query",
    [
        "",
        "per_page=2",
        "per_page=2&page=2",
        "tag=sea",
        "from=2020-01-01&to=2030-12-31",
        "q=lighthouse",
        "q=light",
        "unknown=ignored&per_page=3",
        "per_page=1&per_page=4",
        "per_page=0",
        "per_page=101",
        "page=abc",
        "from=yesterday",
        "from=",
        "tag=" + "x" * 41,
        "q=" + "q" * 201,
        "tag=%E2%98%83",
    ],
)
def test_a_journal_page_is_the_reference_routes_page(
    client: TestClient, reference: TestClient, make_account, create_dream, query: str
) -> None:
    me = make_account("dreamer")
    for number in range(5):
        create_dream(me, text=f"Dream {number}: a lighthouse by the sea.", tags=["sea"] if number % 2 else [])
    url = "/api/v1/dreams" + (f"?{query}" if query else "")
    _same(client.get(url, headers=me.headers), reference.get(url, headers=me.headers))


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}],
    ids=["anonymous", "bad-token", "other-scheme"],
)
def test_who_may_not_read_gets_the_reference_refusal(
    client: TestClient, reference: TestClient, headers: dict[str, str]
) -> None:
    _same(client.get("/api/v1/dreams", headers=headers), reference.get("/api/v1/dreams", headers=headers))


def test_a_written_dream_is_answered_as_the_reference_answers(
    client: TestClient, reference: TestClient, make_account
) -> None:
    me = make_account("dreamer")
    hot = client.post("/api/v1/dreams", json=DREAM, headers=me.headers)
    slow = reference.post("/api/v1/dreams", json=DREAM, headers=me.headers)
    assert hot.status_code == 201
    _same(hot, slow, ignore=UNIQUE_FIELDS)
    listed = client.get("/api/v1/dreams", headers=me.headers).json()
    assert {item["id"] for item in listed["items"]} == {hot.json()["id"], slow.json()["id"]}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"text": ""}', "application/json"),
        (b'{"text": "x", "mood": 7}', "application/json"),
        (b'{"text": "x", "telepathy": true}', "application/json"),
        (b'{"text": "unfinished', "application/json"),
        (b"[]", "application/json"),
        (b'{"text": "caf\xe9"}', "application/json"),
        (b'{"text": "\\ud800 night"}', "application/json"),
        (b'{"text": "NaN", "mood": NaN}', "application/json"),
        (b"text=hello", "application/x-www-form-urlencoded"),
        (b'{"text": "plain words"}', "text/plain"),
        (b'{"text": "with a charset"}', "application/json; charset=utf-8"),
        (b'{"text": "' + b"y" * 20_001 + b'"}', "application/json"),
    ],
)
def test_a_refused_or_unusual_write_is_the_reference_answer(
    client: TestClient, reference: TestClient, make_account, body: bytes, content_type: str
) -> None:
    me = make_account("dreamer")
    headers = {**me.headers, "Content-Type": content_type}
    hot = client.post("/api/v1/dreams", content=body, headers=headers)
    slow = reference.post("/api/v1/dreams", content=body, headers=headers)
    _same(hot, slow, ignore=UNIQUE_FIELDS if hot.status_code == 201 else frozenset())


def test_a_browser_write_without_its_csrf_header_is_refused_alike(
    client: TestClient, reference: TestClient, make_account, browser_sign_in
) -> None:
    me = make_account("dreamer")
    browser = browser_sign_in(me.email)
    hot = client.post("/api/v1/dreams", json=DREAM, headers=browser.headers)
    slow = reference.post("/api/v1/dreams", json=DREAM, headers=browser.headers)
    assert hot.status_code == 403
    _same(hot, slow)
    with_csrf = {**browser.headers, "X-CSRF-Token": browser.csrf}
    assert client.post("/api/v1/dreams", json=DREAM, headers=with_csrf).status_code == 201


# ------------------------------------------------------------------ what it answers and what it hands on


class Downstream:
    """Stands for the app behind the hot path: records what reaches it and the body it could read."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.seen.append((scope["method"], scope["path"], body))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"downstream"})


@pytest.fixture
def hot_only(client: TestClient, app: FastAPI) -> Iterator[tuple[TestClient, Downstream]]:
    """The hot path alone in front of a recording app; the real app (started by `client`) serves its work."""
    downstream = Downstream()
    hot = HotPath(downstream)

    async def entry(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = app  # as Starlette sets it for the layers inside it
        await hot(scope, receive, send)

    yield TestClient(entry, base_url="http://testserver"), downstream  # no lifespan: the app's is not run


def test_plain_requests_are_answered_without_the_app(hot_only, make_account) -> None:
    client, downstream = hot_only
    me = make_account("dreamer")
    created = client.post("/api/v1/dreams", json=DREAM, headers=me.headers)
    assert created.status_code == 201 and created.json()["text"] == DREAM["text"]
    page = client.get("/api/v1/dreams?per_page=5", headers=me.headers)
    assert page.status_code == 200 and page.json()["total"] == 1
    assert client.get("/api/v1/dreams").status_code == 401  # a refusal by the guards is answered too
    assert downstream.seen == []


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("GET", "/api/v1/dreams?per_page=0", b"", None),
        ("HEAD", "/api/v1/dreams", b"", None),
        ("GET", "/api/v1/dreams/", b"", None),
        ("PUT", "/api/v1/dreams", b"{}", "application/json"),
        ("POST", "/api/v1/dreams", b'{"text": "broken', "application/json"),
        ("POST", "/api/v1/dreams", b'{"text": "x", "mood": 9}', "application/json"),
        ("POST", "/api/v1/dreams", b'{"text": "as text"}', "text/plain"),
        ("POST", "/api/v1/dreams", b'{"text": "no type"}', None),
        ("POST", "/api/v1/dreams", b'{"text": "' + b"z" * MAX_BODY + b'"}', "application/json"),
    ],
    ids=[
        "bad-query",
        "head",
        "trailing-slash",
        "put",
        "bad-json",
        "invalid",
        "text-plain",
        "no-type",
        "large",
    ],
)
def test_what_it_cannot_answer_plainly_goes_to_the_app_body_and_all(
    hot_only, make_account, method: str, path: str, body: bytes, content_type: str | None
) -> None:
    client, downstream = hot_only
    me = make_account("dreamer")
    headers = {**me.headers, **({"Content-Type": content_type} if content_type else {})}
    response = client.request(method, path, content=body or None, headers=headers)
    assert response.status_code == 299
    assert downstream.seen == [(method, path.split("?")[0], body)]


def test_a_chunked_body_goes_to_the_app(hot_only, make_account) -> None:
    client, downstream = hot_only
    me = make_account("dreamer")
    parts: Callable[[], Iterator[bytes]] = lambda: iter([b'{"text": ', b'"in two parts"}'])  # noqa: E731
    headers = {**me.headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/dreams", content=parts(), headers=headers)
    assert response.status_code == 299
    assert json.loads(downstream.seen[0][2]) == {"text": "in two parts"}


def test_an_app_under_a_root_path_is_left_to_the_app(app: FastAPI) -> None:
    downstream = Downstream()
    hot = HotPath(downstream)
    messages: list[Message] = []
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/dreams",
        "root_path": "/dreams-app",
        "query_string": b"",
        "headers": [],
        "app": app,
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    asyncio.run(hot(scope, receive, send))
    assert downstream.seen == [("GET", "/api/v1/dreams", b"")]
    assert messages[0]["status"] == 299


def _busiest_moment_of_concurrent_writes(
    app: FastAPI, account: Any, monkeypatch: pytest.MonkeyPatch, window_s: float
) -> int:
    """Send four dreams at once through the app; return how many of their units of work overlapped.
    Each waits up to `window_s` for a second one to run beside it, and no longer once one has."""
    import threading

    from dreamnexus.journal import api as journal_api

    running = busiest = 0
    guard = threading.Lock()
    overlapped = threading.Event()
    real = journal_api.create_dream_json

    def counting(request: Any, body: Any) -> bytes:
        nonlocal running, busiest
        with guard:
            running += 1
            busiest = max(busiest, running)
            if running == 2:
                overlapped.set()
        overlapped.wait(timeout=window_s)
        with guard:
            running -= 1
        return real(request, body)

    monkeypatch.setattr(journal_api, "create_dream_json", counting)

    async def four_at_once() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            sent = [client.post("/api/v1/dreams", json=DREAM, headers=account.headers) for _ in range(4)]
            return [response.status_code for response in await asyncio.gather(*sent)]

    assert asyncio.run(four_at_once()) == [201] * 4
    return busiest


def test_a_process_writes_one_dream_at_a_time_on_sqlite_only(
    app: FastAPI, database: Database, make_account, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite = database.dialect == "sqlite"
    # SQLite: each write holds its turn 0.3 s and the next waits in the event loop. PostgreSQL: two are
    # let in by admission, and run side by side (each waits, up to 5 s, for the other to arrive).
    window_s = 0.3 if sqlite else 5.0
    busiest = _busiest_moment_of_concurrent_writes(app, make_account("dreamer"), monkeypatch, window_s)
    assert busiest == (1 if sqlite else 2)


def test_on_sqlite_the_first_journal_read_of_each_turn_of_the_loop_is_read_on_it(
    app: FastAPI, database: Database
) -> None:
    from starlette.requests import Request

    hot = HotPath(app)
    request = Request({"type": "http", "app": app, "headers": []})

    async def three_reads_over_two_turns() -> list[bool]:
        first, second = hot._may_read_on_the_loop(request), hot._may_read_on_the_loop(request)
        await asyncio.sleep(0)  # the loop's next turn
        return [first, second, hot._may_read_on_the_loop(request)]

    on_the_loop = database.dialect == "sqlite"  # PostgreSQL reads wait on the network: never on the loop
    assert asyncio.run(three_reads_over_two_turns()) == [on_the_loop, False, on_the_loop]


def test_journal_reads_arriving_together_get_the_same_page_on_the_loop_or_in_a_thread(
    app: FastAPI, database: Database, make_account, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from dreamnexus.journal import api as journal_api

    me = make_account("dreamer")
    reading_threads: list[str] = []
    real = journal_api.journal_json

    def noting(request: Any, filters: Any) -> bytes:
        reading_threads.append(threading.current_thread().name)
        return real(request, filters)

    monkeypatch.setattr(journal_api, "journal_json", noting)

    async def write_then_read_six_at_once() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.post("/api/v1/dreams", json=DREAM, headers=me.headers)).status_code == 201
            pages = [client.get("/api/v1/dreams", headers=me.headers) for _ in range(6)]
            return list(await asyncio.gather(*pages))

    responses = asyncio.run(write_then_read_six_at_once())
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1 and responses[0].json()["total"] == 1
    assert len(reading_threads) == 6 and any(name.startswith("hotpath") for name in reading_threads)
    on_the_loop = threading.main_thread().name in reading_threads  # asyncio.run's loop runs on it here
    assert on_the_loop == (database.dialect == "sqlite")
