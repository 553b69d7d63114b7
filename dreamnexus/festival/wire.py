"""The festival's WebSocket protocol: uvicorn's sans-I/O protocol with shortcuts for the hot paths.

A tick goes to every connected client, so its cost per client decides how many clients one process can
serve, and the memory a connection keeps decides how many fit (docs/festival.md, "Measured"). Through
ASGI each send is a coroutine chain (Starlette's wrapper, uvicorn's `send`, websockets' framing) run by one
sender task per client, each received message goes through an `asyncio.Queue` to the endpoint's task,
and that task keeps the whole middleware and routing stack of the handshake alive as long as the
connection lasts. Here instead:

* **out**: a server frame is not masked (RFC 6455 5.1) and the festival never compresses, so a tick's
  bytes on the wire are the same for every client: the hub frames them once (`frame_bytes`) and
  `write_frame` hands them to each transport, with no task or queue per client. The transport's write
  buffer is the client's backlog; the hub drops a client whose backlog grows past its bound.
* **hand-over**: once the endpoint has authenticated, accepted and greeted a client, it hands the
  connection over (`hand_over`) and returns: messages then go to its `on_text` callback straight from
  `data_received`, the end of the connection to `on_close`, and the ASGI task ends, releasing its frames,
  the Starlette WebSocket, the scope and the handshake's request and response.

The handshake, the closing handshake, pings and disconnects keep uvicorn's own code; the endpoint finds
this object in `scope["extensions"]` and falls back to plain ASGI when another server (or another
uvicorn protocol) runs it. Written against uvicorn 0.54 (pinned); `run_asgi` follows its code.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

log = logging.getLogger("dreamnexus.festival")

EXTENSION = "dreamnexus.festival.socket"
OP_BINARY = 0x2  # every frame the server sends is binary (JSON bytes)
_FIN = 0x80


def frame_bytes(payload: bytes) -> bytes:
    """One final, unmasked, uncompressed binary WebSocket frame (RFC 6455 5.2) carrying `payload`."""
    n = len(payload)
    if n < 126:
        head = bytes((_FIN | OP_BINARY, n))
    elif n < 1 << 16:
        head = struct.pack("!BBH", _FIN | OP_BINARY, 126, n)
    else:
        head = struct.pack("!BBQ", _FIN | OP_BINARY, 127, n)
    return head + payload


class _Inert:
    """Stands in for the receive queue and the `writable` event once nothing reads them (after the
    hand-over): uvicorn still puts its disconnect event there; each real one would keep ~3 KB."""

    __slots__ = ()

    def put_nowait(self, item: object) -> None:
        pass

    def set(self) -> None:
        pass

    def clear(self) -> None:
        pass


_INERT = _Inert()


class FestivalProtocol(WebSocketsSansIOProtocol):
    """Pass as uvicorn's `ws` (`server.serve` does): `ws=FestivalProtocol`."""

    on_text: Callable[[str], None] | None = None
    on_close: Callable[[], None] | None = None
    handed_over = False

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = getattr(self, "scope", None)  # set only when the upgrade was accepted
        if scope is not None:
            # The app's task is created but has not run yet, so it sees this.
            scope["extensions"][EXTENSION] = self

    # --- in ---------------------------------------------------------------------------------------

    def hand_over(self, on_text: Callable[[str], None], on_close: Callable[[], None]) -> None:
        """From now on complete text messages go to `on_text` and the end of the connection to
        `on_close` (called once); the endpoint then returns without closing the connection."""
        pending = []
        while not self.queue.empty():  # what arrived between the accept and now
            pending.append(self.queue.get_nowait())
        self.on_text, self.on_close, self.handed_over = on_text, on_close, True
        self.queue = self.writable = _INERT  # type: ignore[assignment]
        self.request = self.response = None  # type: ignore[assignment]  # only the handshake used them
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        for message in pending:
            if message["type"] == "websocket.disconnect":
                self.loop.call_soon(self._closed)
                return
            data = message.get("text") or (message.get("bytes") or b"").decode(errors="replace")
            self.loop.call_soon(self._deliver, data)
        if self.disconnected:
            self.loop.call_soon(self._closed)

    def _deliver(self, text: str) -> None:
        callback = self.on_text
        if callback is None or self.close_sent:
            return
        try:
            callback(text)
        except Exception:  # a bug in the handler must not break the protocol's read loop
            log.exception("festival message handler failed")
            self.close_now(1011, "internal error")

    def _closed(self) -> None:
        callback = self.on_close
        self.on_text = self.on_close = None  # the closures hold the client: let both go
        if callback is not None:
            callback()

    def handle_text(self, event: Any) -> None:
        if self.on_text is None or not event.fin or self.close_sent:
            super().handle_text(event)
            return
        try:
            text = bytes(event.data).decode()
        except UnicodeDecodeError:
            super().handle_text(event)  # uvicorn's path closes with 1007
            return
        self._deliver(text)

    def send_receive_event_to_app(self) -> None:
        """A fragmented or binary message: after the hand-over it goes to the callback too."""
        if not self.handed_over:
            super().send_receive_event_to_app()
            return
        data = b"".join(self.frames)
        self.frames = []
        try:
            text = data.decode()
        except UnicodeDecodeError:
            self.close_now(1007, "invalid UTF-8")
            return
        self._deliver(text)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._closed()

    async def run_asgi(self) -> None:
        """uvicorn's, except that a connection handed over stays open when the app returns."""
        try:
            result = await self.app(self.scope, self.receive, self.send)
        except ClientDisconnected:
            pass
        except BaseException:
            self.logger.exception("Exception in ASGI application\n")
            self.send_500_response()
        else:
            if not self.handshake_complete:
                self.logger.error("ASGI callable returned without completing handshake.")
                self.send_500_response()
            elif result is not None:
                self.logger.error("ASGI callable should return None, but returned '%s'.", result)
        if self.handed_over:
            self.scope = None  # type: ignore[assignment]  # headers, state: the app is done with them
            return
        if self.close_timer is None:
            self.transport.close()

    # --- out --------------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return (
            self.handshake_complete
            and not self.close_sent
            and not self.disconnected
            and not self.transport.is_closing()
        )

    def write_frame(self, wire: bytes) -> int:
        """Write one frame made by `frame_bytes`; returns the bytes still waiting in the transport's
        buffer (what the kernel did not take yet), or -1 when the connection is closing."""
        if not self.is_open:
            return -1
        self.transport.write(wire)
        return int(self.transport.get_write_buffer_size())

    def close_now(self, code: int, reason: str) -> None:
        """Start the closing handshake from synchronous code (a callback or the tick loop): what
        uvicorn's `send({"type": "websocket.close"})` does, without awaiting."""
        if not self.is_open:
            return
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        self.conn.send_close(code, reason)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)
