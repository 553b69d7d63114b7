"""Fan-out: the festivals running in this process, their connected clients, and the tick broadcaster.

Every tick (2-5 Hz) builds one frame per festival, encodes it once, and offers the same bytes to every
client. A WebSocket client on the festival protocol (`wire.py`) gets them written straight to its socket;
its backlog is what its transport still holds, bounded by BACKLOG_BYTES. Other clients (SSE, or a
WebSocket on a server without that protocol) have a bounded queue (CLIENT_QUEUE frames) drained by a
task. A client past its bound is dropped (its socket is closed, 1013); it reconnects and resumes from the
last sequence number it saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
import time
from typing import Any, Protocol

import orjson

from dreamnexus.db.engine import Database
from dreamnexus.festival.ingest import FestivalRuntime, festival_row
from dreamnexus.festival.wire import frame_bytes

log = logging.getLogger("dreamnexus.festival")
CLIENT_QUEUE = 32
# A socket's backlog beyond what the kernel took: about 32 ticks of a festival with a changing weave.
BACKLOG_BYTES = 256 * 1024
FANOUT_SLICE = 512
DROP = b""  # the sender closes the connection when it takes this from its queue
SLOW_CLOSE = (1013, "too slow: reconnect and resume")


class Listener(Protocol):
    dropped: bool

    def offer(self, frame: bytes, wire: bytes | None = None) -> bool: ...


class Client:
    """A listener with a bounded queue, drained by its own task (SSE, plain-ASGI WebSockets)."""

    __slots__ = ("dropped", "queue")

    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(CLIENT_QUEUE)
        self.dropped = False

    def offer(self, frame: bytes, wire: bytes | None = None) -> bool:
        if self.dropped:
            return False
        try:
            self.queue.put_nowait(frame)
            return True
        except asyncio.QueueFull:
            self.dropped = True
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(DROP)
            return False


class Socket(Protocol):
    def write_frame(self, wire: bytes) -> int: ...

    def close_now(self, code: int, reason: str) -> None: ...


class SocketClient:
    """A WebSocket listener written to directly (`wire.FestivalProtocol`): no task, no queue.

    `wire` is the frame already framed for the socket (the tick's, framed once for everyone); an
    acknowledgement or error is framed here."""

    __slots__ = ("dropped", "socket")

    def __init__(self, socket: Socket) -> None:
        self.socket = socket
        self.dropped = False

    def offer(self, frame: bytes, wire: bytes | None = None) -> bool:
        if self.dropped:
            return False
        backlog = self.socket.write_frame(frame_bytes(frame) if wire is None else wire)
        if backlog < 0:  # closing: the endpoint detaches it
            return False
        if backlog > BACKLOG_BYTES:
            self.dropped = True
            self.socket.close_now(*SLOW_CLOSE)
            return False
        return True


class Hub:
    def __init__(
        self,
        database: Database,
        *,
        tick_hz: float = 2.0,
        freeze_once_started: bool = False,
        **runtime_options: Any,
    ) -> None:
        if not 0.5 <= tick_hz <= 10:
            raise ValueError("tick_hz must be between 0.5 and 10")
        self.db = database
        self.tick_s = 1.0 / tick_hz
        # gc.freeze() is process-wide: only a served process asks for it (festival/server.py, web/server.py),
        # never a test process, which must keep collecting.
        self.freeze_once_started = freeze_once_started
        self.runtime_options = runtime_options
        self.runtimes: dict[str, FestivalRuntime] = {}
        self.clients: dict[str, set[Listener]] = {}
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.sent_weave: dict[str, int] = {}
        self.dropped = 0
        self.bus: Any = None  # a RedisBus when several processes serve the same festivals
        self._ticker: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.weave_gate = threading.Event()  # cleared while a tick goes out: weaving threads wait
        self.weave_gate.set()

    async def runtime(self, public_id: str) -> FestivalRuntime | None:
        rt = self.runtimes.get(public_id)
        if rt is not None:
            return rt
        async with self._lock:
            rt = self.runtimes.get(public_id)
            if rt is None:
                row = await asyncio.to_thread(festival_row, self.db, public_id)
                if row is None:
                    return None
                rt = FestivalRuntime(
                    self.db, row, on_events=self._collect, weave_gate=self.weave_gate, **self.runtime_options
                )
                await asyncio.to_thread(rt.rebuild)
                rt.start()
                self.runtimes[public_id] = rt
            if self._ticker is None:
                if self.freeze_once_started:
                    # What is loaded by now (modules, the app, the weaving engine's model) lives as long as
                    # the process: frozen out of the collector's sight, the full collections that
                    # thousands of connections trigger walk only what the festival itself makes.
                    gc.collect()
                    gc.freeze()
                self.loop = asyncio.get_running_loop()
                self._ticker = self.loop.create_task(self._tick_loop())
                if self.bus is not None:
                    await self.bus.start(self)
        return rt

    def _collect(self, rt: FestivalRuntime, events: list[dict[str, Any]], fresh: list[Any]) -> None:
        self.pending.setdefault(rt.public_id, []).extend(events)
        if self.bus is not None:
            self.bus.publish({"kind": "events", "festival": rt.public_id, "events": events, "fresh": fresh})

    def on_remote(self, message: dict[str, Any]) -> None:
        """A message from another process through the bus."""
        rt = self.runtimes.get(str(message.get("festival")))
        if rt is None:
            return  # not running here: it reads everything from storage when it starts
        kind = message.get("kind")
        if kind == "events":
            events = message["events"]
            rt.record(events, [tuple(f) for f in message["fresh"]])
            rt.figures.contributions += len(events)
            self.pending.setdefault(rt.public_id, []).extend(events)
        elif kind == "settings":
            rt.phase, rt.shield, rt.guests_allowed = (
                message["phase"],
                message["shield"],
                message["guests_allowed"],
            )
        elif kind == "rebuild" and self.loop is not None:
            self.loop.run_in_executor(None, rt.rebuild)

    def announce(self, rt: FestivalRuntime, kind: str) -> None:
        """Tell the other processes of a weaver's change (phase, shield, guests; or a moderation)."""
        if self.bus is None:
            return
        message: dict[str, Any] = {"kind": kind, "festival": rt.public_id}
        if kind == "settings":
            message.update(phase=rt.phase, shield=rt.shield, guests_allowed=rt.guests_allowed)
        self.bus.publish(message)

    def attach(self, public_id: str, client: Listener) -> None:
        self.clients.setdefault(public_id, set()).add(client)

    def detach(self, public_id: str, client: Listener) -> None:
        self.clients.get(public_id, set()).discard(client)

    def participants(self, public_id: str) -> int:
        return len(self.clients.get(public_id, ()))

    def frame(self, rt: FestivalRuntime, *, full: bool = False) -> dict[str, Any]:
        events = self.pending.pop(rt.public_id, [])
        frame: dict[str, Any] = {
            "type": "tick",
            "t": round(time.time() * 1000, 1),  # emission time, so clients can measure delivery
            "seq": rt.seq,
            "events": events,
            "figures": rt.figures_now(self.participants(rt.public_id)),
        }
        weave = rt.weave_dict
        if full or self.sent_weave.get(rt.public_id) != weave.get("version"):
            frame["weave"] = weave
            self.sent_weave[rt.public_id] = weave.get("version", 0)
        return frame

    def _offer(self, public_id: str, client: Listener, data: bytes, wire: bytes) -> None:
        if not client.offer(data, wire):
            if client.dropped:
                self.dropped += 1
            self.detach(public_id, client)

    async def deliver_in_slices(self, public_id: str, data: bytes) -> None:
        """Offer a frame to everyone, yielding between slices so that acknowledgements (and new
        fragments) interleave with a large fan-out instead of waiting behind all of it."""
        wire = frame_bytes(data)  # framed once: a server's frames are the same bytes for every client
        clients = list(self.clients.get(public_id, ()))
        for start in range(0, len(clients), FANOUT_SLICE):
            for client in clients[start : start + FANOUT_SLICE]:
                self._offer(public_id, client, data, wire)
            await asyncio.sleep(0)

    async def _tick_loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            next_at = max(next_at + self.tick_s, loop.time())  # a late tick is not made up with a burst
            await asyncio.sleep(max(0.0, next_at - loop.time()))
            self.weave_gate.clear()
            try:
                for public_id, rt in list(self.runtimes.items()):
                    if not self.clients.get(public_id):
                        self.pending.pop(public_id, None)
                        continue
                    try:
                        data = orjson.dumps(self.frame(rt))  # encoded once for everyone
                        await self.deliver_in_slices(public_id, data)
                    except Exception:
                        log.exception("festival tick failed")
            finally:
                self.weave_gate.set()

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for rt in self.runtimes.values():
            await rt.stop()
        if self.bus is not None:
            await self.bus.close()
