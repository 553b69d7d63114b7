"""HTTP, WebSocket and SSE routes of the festival, and its pages (they work without JavaScript)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Form, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited, ServiceError
from dreamnexus.festival import service
from dreamnexus.festival.access import GUEST_COOKIE, resolve
from dreamnexus.festival.hub import DROP, SLOW_CLOSE, Client, Hub, Listener, SocketClient
from dreamnexus.festival.ingest import FestivalRuntime, Participant, Refused
from dreamnexus.festival.wire import EXTENSION
from dreamnexus.web.deps import api_write, client_ip, get_db, optional_user, require_user
from dreamnexus.web.forms import guard_form, redirect
from dreamnexus.web.security import CSRF_HEADER, check_csrf
from dreamnexus.web.templating import LOADER, add_template_dir, render

router = APIRouter()
STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
GUEST_PASSES_PER_IP_HOUR = 20
MAX_FRAME = 4096
if not any(str(TEMPLATES) in getattr(loader, "searchpath", []) for loader in LOADER.loaders):
    add_template_dir(TEMPLATES)  # until the lead lists this folder in TEMPLATE_DIRS


def hub_of(app: Any) -> Hub:
    hub = getattr(app.state, "festival_hub", None)
    if hub is None:
        options = getattr(app.state, "festival_options", {})
        hub = app.state.festival_hub = Hub(app.state.db, **options)
    return hub


async def _runtime(app: Any, public_id: str) -> FestivalRuntime:
    rt = await hub_of(app).runtime(public_id)
    if rt is None:
        raise NotFound("No such festival.")
    return rt


async def _who(request: Request, public_id: str) -> Participant | None:
    _, who = await asyncio.to_thread(
        resolve,
        request.app.state.db,
        public_id,
        request.cookies,
        request.headers.get("authorization", ""),
        client_ip(request),
    )
    return who


class Busy(ServiceError):
    status = 503
    title = "Busy"


def _refused(error: Refused) -> ServiceError:
    if error.status == 429:
        return RateLimited(error.reason, retry_after=int(error.retry_after or 1) + 1)
    kinds: dict[int, type[ServiceError]] = {
        409: Conflict,
        403: PermissionDenied,
        422: InvalidInput,
        503: Busy,
    }
    return kinds.get(error.status, ServiceError)(error.reason)


async def _contribute(rt: FestivalRuntime, who: Participant, text: Any, ref: Any) -> dict[str, Any]:
    try:
        future = rt.submit(who, text, ref)
        return await asyncio.wait_for(future, 30)
    except Refused as error:
        raise _refused(error) from None


# --- static ---------------------------------------------------------------------------------------


@router.get("/festival-static/{name}", include_in_schema=False)
def static_file(name: str) -> FileResponse:
    if name != "festival.js":
        raise NotFound("No such file.")
    return FileResponse(STATIC / name, media_type="text/javascript", headers={"cache-control": "max-age=300"})


# --- creating and running (weavers) --------------------------------------------------------------


@router.post("/spaces/{space_id}/festivals", include_in_schema=False)
def create_form(
    request: Request,
    space_id: str,
    csrf_token: str = Form(""),
    title: str = Form(""),
    guests_allowed: str = Form(""),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    festival = service.create_festival(db, user, space_id, title, guests_allowed == "on")
    return redirect(f"/festivals/{festival.public_id}/console", "The festival is open.")


@router.post("/api/v1/spaces/{space_id}/festivals", status_code=201)
def create_api(
    space_id: str,
    body: dict[str, Any],
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, Any]:
    festival = service.create_festival(
        db, user, space_id, str(body.get("title", ""))[:200], bool(body.get("guests_allowed", False))
    )
    return {"id": festival.public_id, "phase": festival.phase, "guests_allowed": festival.guests_allowed}


def _apply(app: Any, fid: str, festival: Any) -> None:
    hub = hub_of(app)
    rt = hub.runtimes.get(fid)
    if rt is not None:
        rt.phase, rt.shield, rt.guests_allowed = festival.phase, festival.shield, festival.guests_allowed
        hub.announce(rt, "settings")


@router.post("/festivals/{fid}/console/settings", include_in_schema=False)
async def settings_form(
    request: Request,
    fid: str,
    csrf_token: str = Form(""),
    phase: str = Form(""),
    shield: str = Form(""),
    guests_allowed: str = Form(""),
    user: User = Depends(require_user),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)

    def change() -> Any:
        with request.app.state.db.session() as session:
            return service.update_festival(
                session,
                user,
                fid,
                phase=phase or None,
                shield=shield == "on",
                guests_allowed=guests_allowed == "on",
            )

    festival = await asyncio.to_thread(change)
    _apply(request.app, fid, festival)
    return redirect(f"/festivals/{fid}/console", "Saved.")


@router.patch("/api/v1/festivals/{fid}")
async def settings_api(
    request: Request, fid: str, body: dict[str, Any], user: User = Depends(api_write)
) -> dict[str, Any]:
    def change() -> Any:
        with request.app.state.db.session() as session:
            return service.update_festival(
                session,
                user,
                fid,
                phase=body.get("phase"),
                shield=body.get("shield"),
                guests_allowed=body.get("guests_allowed"),
            )

    festival = await asyncio.to_thread(change)
    _apply(request.app, fid, festival)
    return {"phase": festival.phase, "shield": festival.shield, "guests_allowed": festival.guests_allowed}


async def _moderate(request: Request, user: User, fid: str, seq: int, action: str) -> str:
    def change() -> str:
        with request.app.state.db.session() as session:
            return service.moderate(session, user, fid, seq, action).status

    status = await asyncio.to_thread(change)
    rt = await _runtime(request.app, fid)
    await asyncio.to_thread(rt.rebuild)  # the weave is rebuilt from storage with the decision applied
    hub_of(request.app).announce(rt, "rebuild")
    return status


@router.post("/festivals/{fid}/console/moderate", include_in_schema=False)
async def moderate_form(
    request: Request,
    fid: str,
    csrf_token: str = Form(""),
    seq: int = Form(...),
    action: str = Form(""),
    user: User = Depends(require_user),
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    await _moderate(request, user, fid, seq, action)
    return redirect(f"/festivals/{fid}/console", f"Fragment #{seq}: {action}.")


@router.post("/api/v1/festivals/{fid}/fragments/{seq}/{action}")
async def moderate_api(
    request: Request, fid: str, seq: int, action: str, user: User = Depends(api_write)
) -> dict[str, Any]:
    return {"seq": seq, "status": await _moderate(request, user, fid, seq, action)}


async def _publish(request: Request, user: User, fid: str) -> str:
    rt = await _runtime(request.app, fid)
    weave = rt.weaver.weave()

    def change() -> str:
        with request.app.state.db.session() as session:
            return service.publish(session, user, fid, weave).public_id

    return await asyncio.to_thread(change)


@router.post("/festivals/{fid}/console/publish", include_in_schema=False)
async def publish_form(
    request: Request, fid: str, csrf_token: str = Form(""), user: User = Depends(require_user)
) -> Response:
    guard_form(request, csrf_token, user_id=user.id)
    weave_id = await _publish(request, user, fid)
    return redirect(f"/weaves/{weave_id}", "The festival's weave is published in the space.")


@router.post("/api/v1/festivals/{fid}/publish", status_code=201)
async def publish_api(request: Request, fid: str, user: User = Depends(api_write)) -> dict[str, Any]:
    return {"weave": await _publish(request, user, fid)}


@router.get("/festivals/{fid}/console", include_in_schema=False)
async def console_page(request: Request, fid: str, user: User = Depends(require_user)) -> Response:
    def load() -> tuple[Any, list[Any], dict[str, int]]:
        with request.app.state.db.session() as session:
            festival, _ = service.get_festival(session, user, fid)
            queue = service.moderation_queue(session, user, fid)
            return festival, queue, service.feeling_counts(session, festival)

    festival, queue, feelings = await asyncio.to_thread(load)
    rt = await _runtime(request.app, fid)
    hub = hub_of(request.app)
    figures = rt.figures_now(hub.participants(fid))
    engine = {seq: outcome for seq, outcome in list(rt.outcomes.items())[-200:] if outcome[0] != "woven"}
    return render(
        request,
        "festival_console.html",
        {
            "festival": festival,
            "queue": queue,
            "figures": figures,
            "feelings": feelings,
            "engine": sorted(engine.items(), reverse=True)[:50],
            "rules": service.PHASE_RULES,
        },
    )


@router.get("/api/v1/festivals/{fid}/figures")
async def figures_api(request: Request, fid: str, user: User = Depends(require_user)) -> dict[str, Any]:
    def check() -> None:
        with request.app.state.db.session() as session:
            service.moderation_queue(session, user, fid, limit=1)  # raises unless a weaver of the space

    await asyncio.to_thread(check)
    rt = await _runtime(request.app, fid)
    return rt.figures_now(hub_of(request.app).participants(fid))


# --- taking part -----------------------------------------------------------------------------------


def _set_guest_cookie(request: Request, response: Response, raw: str) -> None:
    response.set_cookie(
        GUEST_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        max_age=60 * 60 * 24,
        secure=request.app.state.settings.secure_cookies,
        path="/",
    )


def _guest_pass(request: Request, fid: str) -> str:
    wait = request.app.state.limiter.hit(
        f"festival-guest:{client_ip(request)}", GUEST_PASSES_PER_IP_HOUR, 3600
    )
    if wait is not None:
        raise RateLimited("Too many guest passes from this address; try later.", retry_after=int(wait) + 1)
    with request.app.state.db.session() as session:
        _, raw = service.issue_guest_pass(session, fid)
    return raw


@router.post("/festivals/{fid}/guest", include_in_schema=False)
def guest_form(request: Request, fid: str, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    raw = _guest_pass(request, fid)
    response = redirect(f"/festivals/{fid}", "Welcome, guest.")
    _set_guest_cookie(request, response, raw)
    return response


@router.post("/api/v1/festivals/{fid}/guest-pass", status_code=201)
def guest_api(request: Request, fid: str) -> Response:
    """A guest pass for an API client, in the body only: a cookie set here could be planted cross-site
    (the page's form, which checks its CSRF token, is what gives browsers the cookie)."""
    raw = _guest_pass(request, fid)
    return JSONResponse({"token": raw, "cookie": GUEST_COOKIE}, status_code=201)


@router.get("/festivals/{fid}", include_in_schema=False)
async def festival_page(request: Request, fid: str, user: User | None = Depends(optional_user)) -> Response:
    def load() -> tuple[Any, Any, bool]:
        with request.app.state.db.session() as session:
            festival, space = service.get_festival(session, user, fid)
            weaver = user is not None and service.is_space_weaver(session, space, user)
            return festival, space, weaver

    festival, space, is_weaver = await asyncio.to_thread(load)
    rt = await _runtime(request.app, fid)
    who = await _who(request, fid)
    mine = {int(s) for s in request.query_params.get("mine", "").split(",") if s.isdigit()}
    return render(
        request,
        "festival.html",
        {
            "festival": festival,
            "space": space,
            "weave": rt.weave_dict,
            "who": who,
            "mine": mine,
            "is_weaver": is_weaver,
            "feelings": service.FEELINGS,
            "rule": service.PHASE_RULES[rt.phase],
            "seq": rt.seq,
            "open": rt.phase in ("gathering", "weaving"),
        },
    )


@router.post("/festivals/{fid}/fragments", include_in_schema=False)
async def fragment_form(
    request: Request, fid: str, csrf_token: str = Form(""), text: str = Form(""), client_ref: str = Form("")
) -> Response:
    check_csrf(request, csrf_token)
    rt = await _runtime(request.app, fid)
    who = await _who(request, fid)
    if who is None:
        raise NotFound("Sign in or take a guest pass to contribute.")
    ack = await _contribute(rt, who, text, client_ref or f"form-{time.time_ns()}")
    mine = ",".join(filter(None, [request.query_params.get("mine", ""), str(ack["seq"])]))[-400:]
    return redirect(f"/festivals/{fid}?mine={mine}", f"Received as #{ack['seq']} ({ack['status']}).")


@router.post("/api/v1/festivals/{fid}/fragments")
async def fragment_api(request: Request, fid: str, body: dict[str, Any]) -> Response:
    who = await _who(request, fid)
    if who is None:
        raise NotFound("Sign in or take a guest pass to contribute.")
    if not request.headers.get("authorization"):
        check_csrf(request, request.headers.get(CSRF_HEADER))  # the cookie authenticated this write
    rt = await _runtime(request.app, fid)
    ack = await _contribute(rt, who, body.get("text"), body.get("client_ref"))
    return JSONResponse(ack, status_code=201)


@router.post("/festivals/{fid}/react", include_in_schema=False)
async def react_form(
    request: Request,
    fid: str,
    csrf_token: str = Form(""),
    feeling: str = Form(""),
    testimony: str = Form(""),
    research_consent: str = Form(""),
) -> Response:
    check_csrf(request, csrf_token)
    await _react(request, fid, feeling, testimony, research_consent == "on")
    return redirect(f"/festivals/{fid}", "Thank you for your reaction.")


@router.post("/api/v1/festivals/{fid}/reactions", status_code=201)
async def react_api(request: Request, fid: str, body: dict[str, Any]) -> dict[str, str]:
    if not request.headers.get("authorization"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    await _react(
        request,
        fid,
        str(body.get("feeling", "")),
        body.get("testimony"),
        bool(body.get("research_consent", False)),
    )
    return {"feeling": str(body.get("feeling"))}


async def _react(request: Request, fid: str, feeling: str, testimony: Any, consent: bool) -> None:
    who = await _who(request, fid)
    if who is None:
        raise NotFound("Sign in or take a guest pass to react.")
    if testimony is not None and not isinstance(testimony, str):
        raise InvalidInput("A testimony is text.")
    wait = request.app.state.limiter.hit(f"festival-react:{who.key}", 30, 60)
    if wait is not None:
        raise RateLimited("Too many reactions; slow down.", retry_after=int(wait) + 1)

    def store() -> None:
        with request.app.state.db.session() as session:
            festival, _ = service.get_festival(
                session, None if who.user_id is None else session.get(User, who.user_id), fid
            )
            service.react(session, festival, who.key, feeling, research_consent=consent, testimony=testimony)

    await asyncio.to_thread(store)


# --- live updates ----------------------------------------------------------------------------------


def _hello(rt: FestivalRuntime, hub: Hub, who: Participant | None) -> bytes:
    return orjson.dumps(
        {
            "type": "hello",
            "seq": rt.seq,
            "you": who.key if who else None,
            "phase": rt.phase,
            "weave": rt.weave_dict,
            "figures": rt.figures_now(hub.participants(rt.public_id)),
        }
    )


def _replay(rt: FestivalRuntime, since: int | None) -> bytes | None:
    if since is None:
        return None
    events = rt.since(since)
    if events is None:
        return orjson.dumps({"type": "reset", "seq": rt.seq})
    return orjson.dumps({"type": "replay", "events": events, "seq": rt.seq})


def _origin_ok(headers: Any) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser: browsers always send Origin on WebSocket handshakes
    host = headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


@router.websocket("/festivals/{fid}/ws")
async def festival_ws(websocket: WebSocket, fid: str) -> None:
    if not _origin_ok(websocket.headers):
        await websocket.close(code=1008, reason="cross-site connection refused")
        return
    app = websocket.app
    try:
        _, who = await asyncio.to_thread(
            resolve,
            app.state.db,
            fid,
            websocket.cookies,
            websocket.headers.get("authorization", ""),
            websocket.client.host if websocket.client else "unknown",
        )
        rt = await _runtime(app, fid)
    except ServiceError:
        await websocket.close(code=1008, reason="no such festival")
        return
    await websocket.accept()
    hub = hub_of(app)
    since = websocket.query_params.get("since")
    await websocket.send_bytes(_hello(rt, hub, who))
    replay = _replay(rt, int(since) if since and since.isdigit() else None)
    if replay is not None:
        await websocket.send_bytes(replay)
    socket = websocket.scope.get("extensions", {}).get(EXTENSION)
    if socket is not None:
        _hand_over(socket, hub, rt, who)
    else:
        await _serve_queued(websocket, hub, rt, who, Client())


def _hand_over(socket: Any, hub: Hub, rt: FestivalRuntime, who: Participant | None) -> None:
    """On the festival protocol: frames are written to the socket by whoever has one (the tick loop,
    an acknowledgement's callback), messages arrive by callback, and this endpoint's task ends here,
    so an idle connection keeps no task, no queue and no middleware frames."""
    fid = rt.public_id
    client = SocketClient(socket)

    def on_text(raw: str) -> None:
        if not _on_message(rt, who, client, raw):
            socket.close_now(1009, "frame too large")

    def on_close() -> None:
        hub.detach(fid, client)

    hub.attach(fid, client)
    socket.hand_over(on_text, on_close)


async def _serve_queued(
    websocket: WebSocket, hub: Hub, rt: FestivalRuntime, who: Participant | None, client: Client
) -> None:
    """Plain ASGI (another server or protocol): a sender task drains the client's bounded queue."""
    fid = rt.public_id
    hub.attach(fid, client)
    sender = asyncio.get_running_loop().create_task(_send_loop(websocket, client))
    try:
        while True:
            raw = await websocket.receive_text()
            if not _on_message(rt, who, client, raw):
                await websocket.close(code=1009, reason="frame too large")
                break
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.detach(fid, client)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender


def _on_message(rt: FestivalRuntime, who: Participant | None, client: Listener, raw: str) -> bool:
    """Handle one client message; False when it is too large (the caller closes with 1009)."""
    if len(raw) > MAX_FRAME:
        return False
    try:
        message = orjson.loads(raw)
    except orjson.JSONDecodeError:
        client.offer(orjson.dumps({"type": "error", "status": 400, "reason": "not JSON"}))
        return True
    if not isinstance(message, dict) or message.get("type") != "fragment":
        client.offer(orjson.dumps({"type": "error", "status": 400, "reason": "unknown message"}))
        return True
    ref = message.get("ref")
    if who is None:
        client.offer(
            orjson.dumps(
                {
                    "type": "error",
                    "ref": ref,
                    "status": 401,
                    "reason": "Sign in or take a guest pass to contribute.",
                }
            )
        )
        return True
    try:
        future = rt.submit(who, message.get("text"), ref)
    except Refused as error:
        client.offer(
            orjson.dumps(
                {
                    "type": "error",
                    "ref": ref,
                    "status": error.status,
                    "reason": error.reason,
                    "retry_after": error.retry_after,
                }
            )
        )
        return True

    def done(f: asyncio.Future[dict[str, Any]]) -> None:
        if f.cancelled():
            return
        error = f.exception()
        if error is not None:
            client.offer(orjson.dumps({"type": "error", "ref": ref, "status": 503, "reason": str(error)}))
        else:
            client.offer(orjson.dumps(f.result()))

    future.add_done_callback(done)
    return True


async def _send_loop(websocket: WebSocket, client: Client) -> None:
    # The server's own send, past Starlette's per-message state checks: this runs once per client per
    # tick, so it is the hottest line of the queued path.
    send = websocket._send
    while True:
        frame = await client.queue.get()
        if frame == DROP:
            await websocket.close(*SLOW_CLOSE)
            return
        await send({"type": "websocket.send", "bytes": frame})


@router.get("/festivals/{fid}/events", include_in_schema=False)
async def festival_sse(request: Request, fid: str) -> Response:
    """Server-sent events for browsers without WebSocket; fragments then go by POST."""
    rt = await _runtime(request.app, fid)
    who = await _who(request, fid)
    hub = hub_of(request.app)
    since = request.headers.get("last-event-id") or request.query_params.get("since")
    client = Client()

    async def stream() -> Any:
        hub.attach(fid, client)
        try:
            yield _sse(_hello(rt, hub, who), rt.seq)
            replay = _replay(rt, int(since) if since and since.isdigit() else None)
            if replay is not None:
                yield _sse(replay, rt.seq)
            while True:
                try:
                    frame = await asyncio.wait_for(client.queue.get(), 15)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if frame == DROP:
                    return
                yield _sse(frame, orjson.loads(frame).get("seq", rt.seq))
        finally:
            hub.detach(fid, client)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


def _sse(data: bytes, seq: int) -> bytes:
    return b"id: " + str(seq).encode() + b"\ndata: " + data + b"\n\n"
