"""The live path of one festival: validate, limit, queue fairly, screen, persist in groups, acknowledge,
weave, and hand frames to the broadcaster.

One writer task per festival assigns sequence numbers, so they are gap-free: a batch of fragments is
inserted in one transaction and every sender's acknowledgement is released only after that commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database
from dreamnexus.festival.fairqueue import FairQueue
from dreamnexus.festival.models import Festival, FestivalFragment, FragmentStatus, Phase
from dreamnexus.festival.ratelimit import Buckets
from dreamnexus.festival.screening import Screen
from dreamnexus.weaving import IncrementalWeaver, WeaveParameters
from dreamnexus.weaving.features import EMOTION_CLASSES

log = logging.getLogger("dreamnexus.festival")
MAX_TEXT = 1000
MAX_REF = 40
GROUP_WINDOW_S = 0.004
MAX_BATCH = 500
RING = 20_000  # recent acknowledged events kept in memory for resuming clients
WEAVE_DUTY = 0.35  # share of one core the weaving thread may use
GATE_WAIT_S = 0.5  # the longest weaving waits for a fan-out to finish
OPEN_PHASES = {Phase.gathering.value, Phase.weaving.value}
# Fragments per second per participant (sustained, burst) in each phase that accepts them.
PHASE_RATES = {Phase.gathering.value: (0.2, 3.0), Phase.weaving.value: (0.5, 5.0)}


class Refused(Exception):
    def __init__(self, status: int, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class Participant:
    key: str  # "u:<public id>" | "g:<guest pass id>"
    user_id: int | None
    trust: float
    ip: str
    group: str = ""
    name: str = ""


@dataclass
class Submission:
    who: Participant
    text: str
    client_ref: str
    received: float
    future: asyncio.Future[dict[str, Any]]


@dataclass
class Figures:
    contributions: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=5000))
    emotions: list[float] = field(default_factory=lambda: [0.0] * 5)

    def rate(self, now: float, window: float = 10.0) -> float:
        return sum(1 for t in self.recent if now - t <= window) / window


def validate(text: Any, client_ref: Any) -> tuple[str, str]:
    if not isinstance(text, str) or not text.strip():
        raise Refused(422, "A fragment needs some words.")
    if len(text) > MAX_TEXT:
        raise Refused(422, f"A fragment holds at most {MAX_TEXT} characters.")
    if not isinstance(client_ref, str) or not 1 <= len(client_ref) <= MAX_REF or not client_ref.isprintable():
        raise Refused(422, "client_ref must be 1 to 40 printable characters.")
    return text.strip(), client_ref


class FestivalRuntime:
    def __init__(
        self,
        database: Database,
        festival: Festival,
        *,
        ip_rate: float = 2.0,
        ip_burst: float = 30.0,
        rate_scale: float = 1.0,
        on_events: Any = None,
        weave_gate: threading.Event | None = None,
    ) -> None:
        self.db = database
        self.festival_id = festival.id
        self.public_id = festival.public_id
        self.title = festival.title
        self.phase = festival.phase
        self.shield = festival.shield
        self.guests_allowed = festival.guests_allowed
        self.rate_scale = rate_scale
        self.queue: FairQueue[Submission] = FairQueue()
        self.ip_limit = Buckets(ip_rate, ip_burst)
        self._buckets: dict[str, Buckets] = {}
        self.screen = Screen()
        self.seq = 0
        self.refs: dict[tuple[str, str], dict[str, Any]] = {}
        self.ring: deque[dict[str, Any]] = deque(maxlen=RING)
        self.figures = Figures()
        self.on_events = on_events  # called (in the loop) with each committed batch's events
        self.weaver = IncrementalWeaver(WeaveParameters())
        self.weave_lock = threading.Lock()
        self.weave_version = 0
        self.weave_dict: dict[str, Any] = {"passages": []}
        self.groups_seen: set[str] = set()
        self.outcomes: dict[int, tuple[str, str]] = {}  # seq -> engine status, reason
        self._wake = asyncio.Event()
        self._weave_queue: deque[list[tuple[int, str, str, str, float]]] = deque()
        self._weave_wake = threading.Event()
        # Cleared by the hub while a tick goes out: see _weave_loop.
        self.weave_gate = weave_gate if weave_gate is not None else threading.Event()
        if weave_gate is None:
            self.weave_gate.set()
        self._stop = threading.Event()
        self._writer: asyncio.Task[None] | None = None
        self._weave_thread: threading.Thread | None = None

    # --- start / stop ---------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Restore sequence, duplicates and the weave from storage (after a restart or a moderation).

        Holds the weave lock from the read to the swap, so no fragment committed meanwhile is woven into
        the old weave only (one already read and still queued is refused by the engine as a repeat id).
        """
        with self.weave_lock:
            with self.db.session() as session:
                rows = session.execute(
                    select(
                        FestivalFragment.seq,
                        FestivalFragment.author_key,
                        FestivalFragment.client_ref,
                        FestivalFragment.text,
                        FestivalFragment.group,
                        FestivalFragment.trust,
                        FestivalFragment.status,
                        FestivalFragment.reason,
                    )
                    .where(FestivalFragment.festival_id == self.festival_id)
                    .order_by(FestivalFragment.seq)
                ).all()
            live = []
            ring: deque[dict[str, Any]] = deque(maxlen=RING)
            for r in rows:
                self.refs[(r.author_key, r.client_ref)] = {
                    "type": "ack",
                    "seq": r.seq,
                    "ref": r.client_ref,
                    "status": r.status,
                    "reason": r.reason,
                }
                self.screen.remember(r.text, r.seq)
                ring.append({"seq": r.seq, "status": r.status})
                self.groups_seen.add(r.group)
                if r.status == FragmentStatus.accepted.value:
                    live.append({"id": str(r.seq), "author": r.author_key, "text": r.text, "trust": r.trust})
            newer = [e for e in self.ring if rows and e["seq"] > rows[-1].seq]
            ring.extend(newer)
            self.ring = ring
            self.seq = max(self.seq, rows[-1].seq if rows else 0)
            self.figures.contributions = max(self.figures.contributions, len(rows))
            self.weaver = IncrementalWeaver(WeaveParameters(), initial=live)
            self.outcomes.clear()
            self._publish_weave()

    def start(self) -> None:
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write_loop())
            self._weave_thread = threading.Thread(
                target=self._weave_loop, daemon=True, name=f"weave-{self.public_id}"
            )
            self._weave_thread.start()

    async def stop(self) -> None:
        self._stop.set()
        self._weave_wake.set()
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer

    # --- submission -----------------------------------------------------------------------------------

    def bucket(self) -> Buckets:
        rate, burst = PHASE_RATES.get(self.phase, (0.0, 0.0))
        if self.shield:
            rate, burst = rate / 2, max(1.0, burst / 2)
        key = f"{self.phase}:{self.shield}"
        if key not in self._buckets:
            self._buckets[key] = Buckets(rate * self.rate_scale, burst * max(1.0, self.rate_scale))
        return self._buckets[key]

    def submit(self, who: Participant, text: Any, client_ref: Any) -> asyncio.Future[dict[str, Any]]:
        """Queue a fragment; the future resolves with the acknowledgement once it is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        text, client_ref = validate(text, client_ref)
        known = self.refs.get((who.key, client_ref))
        if known is not None:  # a resend after a lost ack: the same answer, nothing stored twice
            future.set_result(known)
            return future
        if self.phase not in OPEN_PHASES:
            raise Refused(409, f"The festival is in its {self.phase} phase: fragments are closed.")
        if who.key.startswith("g:") and not self.guests_allowed:
            raise Refused(403, "Guest passes are not accepted at this festival.")
        wait = self.bucket().take(who.key)
        if wait is not None:
            self.figures.refused["participant_rate"] += 1
            raise Refused(429, "Slow down: too many fragments from you.", wait)
        wait = self.ip_limit.take(who.ip)
        if wait is not None:
            self.figures.refused["ip_rate"] += 1
            raise Refused(429, "Too many fragments from your network; slow down.", wait)
        if not self.queue.push(
            who.group or who.key, Submission(who, text, client_ref, time.monotonic(), future)
        ):
            self.figures.refused["queue_full"] += 1
            raise Refused(503, "Your group is sending faster than the festival can take; try again.", 2.0)
        self._wake.set()
        return future

    # --- the writer: screen, persist, acknowledge -----------------------------------------------------

    async def _write_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await asyncio.sleep(GROUP_WINDOW_S)  # let a group of fragments gather for one commit
            while len(self.queue):
                batch = [s for _, s in self.queue.pop_many(MAX_BATCH)]
                try:
                    await self._commit(batch)
                except Exception as error:  # the senders get no ack; they resend with the same client_ref
                    log.exception("festival batch failed")
                    for s in batch:
                        if not s.future.done():
                            s.future.set_exception(
                                Refused(503, f"Not stored ({type(error).__name__}); resend.")
                            )

    async def _commit(self, batch: list[Submission]) -> None:
        now = time.monotonic()
        rows, pending = [], []
        for s in batch:
            key = (s.who.key, s.client_ref)
            if key in self.refs:
                s.future.set_result(self.refs[key])
                continue
            verdict = self.screen.judge(s.who.key, s.text, now, hold_low_trust=self.shield, trust=s.who.trust)
            self.screen.remember(s.text, 0)
            rows.append(
                {
                    "festival_id": self.festival_id,
                    "author_key": s.who.key,
                    "user_id": s.who.user_id,
                    "group": s.who.group[:40],
                    "text": s.text,
                    "trust": s.who.trust,
                    "client_ref": s.client_ref,
                    "status": verdict.status,
                    "reason": verdict.reason,
                    "created_at": utcnow(),
                }
            )
            pending.append(s)
        if not rows:
            return
        seqs = await asyncio.to_thread(self._insert, rows)
        acks, fresh, events = [], [], []
        for s, row, seq in zip(pending, rows, seqs, strict=True):
            ack = {
                "type": "ack",
                "seq": seq,
                "ref": s.client_ref,
                "status": row["status"],
                "reason": row["reason"],
            }
            self.refs[(s.who.key, s.client_ref)] = ack
            self.screen.remember(s.text, seq)
            self.groups_seen.add(s.who.group)
            acks.append((s, ack))
            if row["status"] == FragmentStatus.accepted.value and row.get("fresh", True):
                fresh.append((seq, s.who.key, s.text, s.who.group, s.who.trust))
                events.append({"seq": seq, "status": ack["status"]})
            elif row.get("fresh", True):
                events.append({"seq": seq, "status": ack["status"]})
        for s, ack in acks:  # released only now: the rows are committed
            s.future.set_result(ack)
        self.figures.contributions += len(events)
        self.figures.recent.extend([now] * len(events))
        self.record(events, fresh)
        if self.on_events is not None:
            self.on_events(self, events, fresh)

    def record(self, events: list[dict[str, Any]], fresh: list[tuple[int, str, str, str, float]]) -> None:
        """Take committed events (ours or, through a bus, another process's) into the ring and weave."""
        if events:
            self.seq = max(self.seq, max(e["seq"] for e in events))
            self.ring.extend(sorted(events, key=lambda e: e["seq"]))
        if fresh:
            self._weave_queue.append(fresh)
            self._weave_wake.set()

    def _insert(self, rows: list[dict[str, Any]]) -> list[int]:
        """Number and insert a batch in one transaction; returns the sequence numbers in row order.

        The festival row's counter is bumped first, which locks that row until the commit: writers in
        other processes wait, so numbers are gap-free and committed in order.
        """
        try:
            return self._insert_batch(rows)
        except IntegrityError:
            # Some fragment was already stored (a resend that reached another process): one at a time.
            return [self._insert_one(row) for row in rows]

    def _allocate(self, connection: Any, n: int) -> int:
        table = Festival.__table__
        last = connection.execute(
            update(table)
            .where(table.c.id == self.festival_id)
            .values(last_seq=table.c.last_seq + n)
            .returning(table.c.last_seq)
        ).scalar_one()
        return int(last) - n + 1

    def _insert_batch(self, rows: list[dict[str, Any]]) -> list[int]:
        with self.db.engine.begin() as connection:
            first = self._allocate(connection, len(rows))
            numbered = [{**row, "seq": first + i} for i, row in enumerate(rows)]
            connection.execute(insert(FestivalFragment.__table__), numbered)
        return [first + i for i in range(len(rows))]

    def _insert_one(self, row: dict[str, Any]) -> int:
        table = FestivalFragment.__table__
        try:
            with self.db.engine.begin() as connection:
                seq = self._allocate(connection, 1)
                connection.execute(insert(table), [{**row, "seq": seq}])
                return seq
        except IntegrityError:
            with self.db.engine.connect() as connection:
                stored = connection.execute(
                    select(table.c.seq, table.c.status, table.c.reason).where(
                        table.c.festival_id == self.festival_id,
                        table.c.author_key == row["author_key"],
                        table.c.client_ref == row["client_ref"],
                    )
                ).one()
            row.update(status=stored.status, reason=stored.reason, fresh=False)
            return int(stored.seq)

    # --- the weave, off the event loop ----------------------------------------------------------------

    def _weave_loop(self) -> None:
        """Weave committed fragments, using at most WEAVE_DUTY of one core: weaving shares the GIL (and,
        on a small machine, the CPU) with acknowledgement and broadcast, which must not wait for it. Under
        a heavy stream the weave lags behind and catches up when the stream eases."""
        while not self._stop.is_set():
            self._weave_wake.wait(0.5)
            self._weave_wake.clear()
            while self._weave_queue and not self._stop.is_set():
                fresh = self._weave_queue.popleft()
                started = time.thread_time()  # CPU time: waits at the gate are not work
                with self.weave_lock:
                    changed = False
                    for seq, author, text, _group, trust in fresh:
                        # Were this thread runnable during a tick's fan-out, the interpreter would take
                        # the GIL from the event loop every switch interval and the last clients would
                        # get the tick that much later: weaving pauses while a tick goes out (bounded:
                        # it cannot starve).
                        self.weave_gate.wait(GATE_WAIT_S)
                        try:
                            update = self.weaver.add(
                                {"id": str(seq), "author": author, "text": text, "trust": trust}
                            )
                        except Exception:
                            log.exception("weaving a fragment failed")
                            continue
                        self.outcomes[seq] = (update.status, update.reason)
                        changed = changed or update.changed
                    if changed:
                        self._publish_weave()
                busy = time.thread_time() - started
                self._stop.wait(busy * (1.0 - WEAVE_DUTY) / WEAVE_DUTY)

    def _publish_weave(self) -> None:
        woven = self.weaver.weave()
        data = woven.to_dict()
        self.weave_version += 1
        self.weave_dict = {
            "version": self.weave_version,
            "title": data["title"],
            "passages": [
                {
                    "text": p["text"],
                    "seqs": [int(s["contribution_id"]) for s in p["sources"]],
                    "stage": p["stage"],
                }
                for p in data["passages"]
            ],
            "emotions": emotion_mix(self.weaver),
        }
        self.current_weave = woven

    # --- resuming -------------------------------------------------------------------------------------

    def since(self, last_seq: int, limit: int = 5000) -> list[dict[str, Any]] | None:
        """Events after last_seq from memory, or None when memory no longer reaches back that far."""
        if last_seq >= self.seq:
            return []
        if not self.ring or self.ring[0]["seq"] > last_seq + 1:
            return None
        out = [e for e in self.ring if e["seq"] > last_seq]
        return out[-limit:]

    def figures_now(self, participants: int) -> dict[str, Any]:
        emotions = self.weave_dict.get("emotions", [0.0] * 5)
        return {
            "participants": participants,
            "contributions": self.figures.contributions,
            "per_second": round(self.figures.rate(time.monotonic()), 2),
            "groups": len(self.groups_seen),
            "emotion_mix": dict(zip(EMOTION_CLASSES, emotions, strict=True)),
            "phase": self.phase,
            "shield": self.shield,
            "refused": dict(self.figures.refused),
            "queued": len(self.queue),
        }


def emotion_mix(weaver: IncrementalWeaver) -> list[float]:
    """Mean emotion shares of everything woven so far (the engine keeps them per row)."""
    n = weaver._n
    if not n:
        return [0.0] * len(EMOTION_CLASSES)
    return [round(float(v), 3) for v in weaver._emotions[:n].mean(axis=0)]


def festival_row(database: Database, public_id: str) -> Festival | None:
    with database.session() as session:
        return session.scalar(select(Festival).where(Festival.public_id == public_id))


def count_fragments(database: Database, festival_id: int) -> int:
    with database.session() as session:
        return int(
            session.scalar(select(func.count()).where(FestivalFragment.festival_id == festival_id)) or 0
        )
