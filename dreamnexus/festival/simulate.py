"""The festival simulator: a server on loopback and N real WebSocket clients in separate processes.

Honest clients send dream-like fragments at human rates; attackers flood, spam, inject and come as
sybils (texts from `dreamnexus.weaving.adversary`). Everything is bounded in time and count and talks
only to 127.0.0.1. The report is one JSON object (see docs/festival.md).
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import math
import multiprocessing
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import orjson

MAX_PARTICIPANTS = 20_000
MAX_DURATION_S = 600.0
CONNECT_CONCURRENCY = 100
GRACE_S = 4.0
NO_PASSWORD = "!"  # noqa: S105 — not a hash any password matches: simulated accounts sign in by API token only
_SYNTH = (
    ("I was", "We were", "My brother was", "A woman I did not know was", "Everyone in my class was"),
    ("walking through", "lost inside", "trying to leave", "flying above", "swimming under"),
    (
        "an old school",
        "a flooded house",
        "a train station",
        "a forest at night",
        "my grandmother's kitchen",
        "a hospital corridor",
        "a city of glass",
        "a beach in winter",
    ),
    (
        "and a dog followed me",
        "while the lights kept changing",
        "and I could not find my shoes",
        "and someone kept calling my name",
        "and the stairs went on forever",
        "and I felt strangely calm",
    ),
)


@dataclass
class Spec:
    url: str
    festival: str
    credentials: list[tuple[str, str, bool, int]]  # (kind "bearer"|"guest", secret, attacker, index)
    duration: float
    interval: float
    texts: list[str]
    attacks: list[str]
    seed: int
    stride: int = 1


@dataclass
class Tally:
    connected: int = 0
    sent: int = 0
    acked: int = 0
    refused: int = 0
    reconnects: int = 0
    dropped: int = 0
    ack_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    visible_ms: list[float] = field(default_factory=list)
    honest_seqs: list[int] = field(default_factory=list)
    attacker_seqs: list[int] = field(default_factory=list)
    honest_excluded: int = 0


def dream_texts(limit: int = 4000, seed: int = 0) -> list[str]:
    """DreamBank reports when the shared research data is present (benchmarks only), else synthetic."""
    shared = os.environ.get("DREAMNEXUS_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / ".." / "shared"
    path = base / "data" / "dreambank.jsonl.gz"
    rng = random.Random(seed)
    if path.exists():
        texts = []
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line).get("text", "")
                if len(text) >= 40:
                    texts.append(text[:900].rsplit(" ", 1)[0])
        rng.shuffle(texts)
        return texts[:limit]
    return [" ".join(rng.choice(part) for part in _SYNTH) + f", number {i}." for i in range(limit)]


def attack_texts(n: int, seed: int = 0) -> list[str]:
    from dreamnexus.weaving.adversary import generate_attacks

    return [a["text"][:1000] for a in generate_attacks(n, seed)]


# --- client processes ------------------------------------------------------------------------------


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Window:
    """The shared clock: the parent sets the start once every client is connected."""

    def __init__(self, start: Any, connected: Any, duration: float) -> None:
        self.start_value = start
        self.connected = connected
        self.duration = duration
        self._start = math.inf  # cached once set: reading the shared value takes its lock

    @property
    def start(self) -> float:
        if self._start == math.inf:
            value = float(self.start_value.value)
            if value > 0:
                self._start = value
        return self._start

    @property
    def end(self) -> float:
        return self.start + self.duration


class Voice:
    """One simulated participant across its connections: what it sent, what it is waiting to see.

    The client is `picows` (a Cython WebSocket client that hands each frame to a callback as it is
    read): the clients share the machine with the server, and a heavier client would be measured
    instead of the server; `websockets`' client also queues frames unboundedly, which hides the
    backlog the delivery figures are meant to show. Sends are timer callbacks, not a task per client."""

    def __init__(
        self,
        spec: Spec,
        cred: tuple[str, str, bool, int],
        tally: Tally,
        rng: random.Random,
        win: Window,
    ) -> None:
        self.spec = spec
        self.kind, self.secret, self.attacker, self.index = cred
        self.tally = tally
        self.rng = rng
        self.win = win
        self.sent_at: dict[str, float] = {}
        self.waiting: dict[int, float] = {}  # seq -> send time, until a tick shows it
        self.last_seq = -1
        self.counter = 0
        self.transport: Any = None
        self.hello: asyncio.Future[dict[str, Any]] | None = None
        self.timer: asyncio.TimerHandle | None = None

    @property
    def headers(self) -> dict[str, str]:
        if self.kind == "bearer":
            return {"Authorization": f"Bearer {self.secret}"}
        return {"Cookie": f"dn_guest={self.secret}"}

    def gap(self) -> float:
        if self.attacker:
            return self.rng.uniform(0.2, 1.0)  # far above any human rate
        return self.rng.expovariate(1.0 / self.spec.interval)

    def begin(self, loop: asyncio.AbstractEventLoop) -> None:
        self.timer = loop.call_later(self.gap(), self.send, loop)

    def send(self, loop: asyncio.AbstractEventLoop) -> None:
        if time.time() >= self.win.end:
            return
        self.timer = loop.call_later(self.gap(), self.send, loop)
        transport = self.transport
        if transport is None or transport.is_disconnected or transport.is_close_frame_sent:
            return  # between connections: this one is not said
        if self.attacker:
            text = self.rng.choice(self.spec.attacks)
        else:
            # Each honest voice has its own texts: real people do not repeat each other.
            text = self.spec.texts[(self.index + self.counter * self.spec.stride) % len(self.spec.texts)]
        self.counter += 1
        ref = f"{self.counter}"
        self.sent_at[ref] = time.perf_counter()
        self.tally.sent += 1
        transport.send(_picows().WSMsgType.TEXT, orjson.dumps({"type": "fragment", "text": text, "ref": ref}))

    def on_frame(self, payload: bytes) -> None:
        now = time.perf_counter()
        frame = orjson.loads(payload)
        kind = frame.get("type")
        tally = self.tally
        if kind == "tick":
            self.last_seq = max(self.last_seq, frame["seq"])
            wall = time.time()
            if self.win.start <= wall <= self.win.end:
                tally.delivery_ms.append(wall * 1000 - frame["t"])
            if self.waiting:
                for event in frame["events"]:
                    t0 = self.waiting.pop(event["seq"], None)
                    if t0 is not None:
                        tally.visible_ms.append((now - t0) * 1000)
        elif kind == "ack":
            t0 = self.sent_at.pop(frame["ref"], None)
            tally.acked += 1
            if self.attacker:
                tally.attacker_seqs.append(frame["seq"])
            else:
                tally.honest_seqs.append(frame["seq"])
                if frame["status"] in ("excluded", "held"):
                    tally.honest_excluded += 1
                if t0 is not None:
                    tally.ack_ms.append((now - t0) * 1000)
                    self.waiting[frame["seq"]] = t0
        elif kind == "error":
            self.sent_at.pop(str(frame.get("ref")), None)
            tally.refused += 1
        elif kind == "hello":
            self.last_seq = max(self.last_seq, frame.get("seq", 0))
            if self.hello is not None and not self.hello.done():
                self.hello.set_result(frame)


@functools.cache
def _picows() -> Any:
    """picows, imported once, in the client processes only (the server never needs it)."""
    import picows

    return picows


@functools.cache
def _listener_class() -> type:
    """One listener class for every voice (a class per voice would be thousands of them)."""
    picows = _picows()
    WSMsgType = picows.WSMsgType  # noqa: N806

    class Listener(picows.WSListener):  # type: ignore[misc,name-defined]
        def __init__(self, voice: Voice) -> None:
            super().__init__()
            self.voice = voice

        def on_ws_frame(self, transport: Any, frame: Any) -> None:
            kind = frame.msg_type
            if kind == WSMsgType.BINARY or kind == WSMsgType.TEXT:
                self.voice.on_frame(frame.get_payload_as_bytes())
            elif kind == WSMsgType.CLOSE:  # dropped as a slow consumer, or the server is going away
                transport.send_close(frame.get_close_code())
                transport.disconnect()

        def on_ws_disconnected(self, transport: Any) -> None:
            hello = self.voice.hello
            if hello is not None and not hello.done():
                hello.set_exception(ConnectionError("closed before hello"))

    return Listener


async def _client(voice: Voice, connect_gate: asyncio.Semaphore) -> None:
    from picows import WSError, ws_connect

    win, tally = voice.win, voice.tally
    loop = asyncio.get_running_loop()
    first = True
    listener = functools.partial(_listener_class(), voice)
    while time.time() < win.end + GRACE_S:
        url = f"{voice.spec.url}/festivals/{voice.spec.festival}/ws"
        if voice.last_seq >= 0:
            url += f"?since={voice.last_seq}"
        try:
            async with connect_gate:
                voice.hello = loop.create_future()
                transport, _ = await ws_connect(
                    listener,
                    url,
                    extra_headers=voice.headers,
                    websocket_handshake_timeout=60,
                    max_frame_size=2**22,
                    read_buffer_init_size=4096,
                )
                try:
                    await asyncio.wait_for(voice.hello, 60)
                except BaseException:
                    transport.disconnect(graceful=False)
                    raise
            voice.transport = transport
            if time.time() >= win.end + GRACE_S:  # connected after the conductor closed the others
                transport.send_close()
                transport.disconnect()
                return
            if first:
                tally.connected += 1
                with win.connected.get_lock():
                    win.connected.value += 1
                first = False
            else:
                tally.reconnects += 1
            await transport.wait_disconnected()
            voice.transport = None
            if time.time() >= win.end + GRACE_S:
                return
            tally.dropped += 1  # dropped as a slow consumer (or the server went away): resume
            await asyncio.sleep(voice.rng.uniform(0.1, 1.0))
        except (OSError, TimeoutError, ConnectionError, WSError):
            voice.transport = None
            await asyncio.sleep(voice.rng.uniform(0.5, 2.0))


async def _conductor(voices: list[Voice], win: Window) -> None:
    """One task per process starts every voice when the clock starts and closes them at the end."""
    loop = asyncio.get_running_loop()
    while win.start == math.inf:
        await asyncio.sleep(0.05)
    await asyncio.sleep(max(0.0, win.start - time.time()))
    for voice in voices:
        voice.begin(loop)
    await asyncio.sleep(max(0.0, win.end + GRACE_S - time.time()))
    for voice in voices:
        if voice.timer is not None:
            voice.timer.cancel()
        if voice.transport is not None and not voice.transport.is_disconnected:
            voice.transport.send_close()
            voice.transport.disconnect()


def _client_process(spec: Spec, out: Any, start: Any, connected: Any) -> None:
    _raise_fd_limit()
    win = Window(start, connected, spec.duration)

    async def main() -> Tally:
        tally = Tally()
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        rng = random.Random(spec.seed)
        voices = [Voice(spec, cred, tally, random.Random(rng.random()), win) for cred in spec.credentials]
        await asyncio.gather(_conductor(voices, win), *(_client(voice, gate) for voice in voices))
        return tally

    tally = asyncio.run(main())
    out.send(tally.__dict__)
    out.close()


# --- set-up of a festival to simulate --------------------------------------------------------------


def prepare(database_url: str, honest: int, attackers: int) -> tuple[str, list[tuple[str, str, bool]]]:
    """A weaver, a space, a festival in its weaving phase; members for honest clients, guest passes
    (sybils) for attackers. Accounts are written directly: hashing 10,000 passwords is not the point."""
    from sqlalchemy import insert

    import dreamnexus.festival.models  # noqa: F401
    from dreamnexus.accounts.models import ApiToken, User
    from dreamnexus.db.base import new_public_id, utcnow
    from dreamnexus.db.engine import Database
    from dreamnexus.festival.models import Festival, GuestPass
    from dreamnexus.spaces.models import Membership, Space
    from dreamnexus.tokens import digest

    database = Database(database_url)
    creds: list[tuple[str, str, bool]] = []
    try:
        with database.session() as session:
            tag = secrets.token_hex(4)
            weaver = User(
                email=f"weaver-{tag}@sim.invalid",
                display_name="Weaver",
                password_hash=NO_PASSWORD,
                role="weaver",
            )
            session.add(weaver)
            session.flush()
            space = Space(title="Simulated festival", created_by=weaver.id)
            session.add(space)
            session.flush()
            session.add(Membership(space_id=space.id, user_id=weaver.id, role="weaver"))
            festival = Festival(
                space_id=space.id,
                title="Simulation",
                phase="weaving",
                guests_allowed=True,
                created_by=weaver.id,
            )
            session.add(festival)
            session.flush()
            now = utcnow()
            users = [
                {
                    "public_id": new_public_id(),
                    "email": f"p{i}-{tag}@sim.invalid",
                    "display_name": f"p{i}",
                    "password_hash": NO_PASSWORD,
                    "role": "dreamer",
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(honest)
            ]
            if users:
                session.execute(insert(User.__table__), users)
            ids = session.scalars(
                User.__table__.select()
                .with_only_columns(User.id)
                .where(User.email.like(f"%-{tag}@sim.invalid"))
                .where(User.id != weaver.id)
                .order_by(User.id)
            ).all()
            tokens, passes = [], []
            for uid in ids:
                raw = secrets.token_urlsafe(24)
                tokens.append(
                    {
                        "public_id": new_public_id(),
                        "user_id": uid,
                        "name": "sim",
                        "token_hash": digest(raw),
                        "prefix": raw[:10],
                        "created_at": now,
                    }
                )
                creds.append(("bearer", raw, False))
            for _ in range(attackers):
                raw = secrets.token_urlsafe(24)
                passes.append(
                    {
                        "public_id": new_public_id(),
                        "festival_id": festival.id,
                        "token_hash": digest(raw),
                        "created_at": now,
                    }
                )
                creds.append(("guest", raw, True))
            if tokens:
                session.execute(insert(ApiToken.__table__), tokens)
            if passes:
                session.execute(insert(GuestPass.__table__), passes)
            return festival.public_id, creds
    finally:
        database.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    database_url: str, data_dir: Path, port: int, *, tick_hz: float = 2.0, bus: str | None = None
) -> subprocess.Popen[bytes]:
    import httpx

    command = [
        sys.executable,
        "-m",
        "dreamnexus.festival.server",
        "--database-url",
        database_url,
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        "--tick-hz",
        str(tick_hz),
        "--ip-rate",
        "0",
    ]  # every simulated client shares 127.0.0.1: an address limit would refuse all
    if bus:
        command += ["--bus", bus]
    process = subprocess.Popen(command)  # noqa: S603 (our own interpreter and module)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/festival-static/festival.js", timeout=1).status_code
                == 200
            ):
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError("the festival server did not start")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))], 1)


def _rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    import psutil

    try:
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    except psutil.Error:
        return None


def final_weave(url: str, festival: str) -> dict[str, Any]:
    import websockets.sync.client

    with websockets.sync.client.connect(f"{url}/festivals/{festival}/ws", open_timeout=30) as ws:
        return json.loads(ws.recv(timeout=30))["weave"]


def simulate(
    participants: int,
    duration: float,
    *,
    attackers: float = 0.0,
    processes: int = 2,
    url: str | None = None,
    database_url: str | None = None,
    interval: float = 30.0,
    tick_hz: float = 2.0,
    seed: int = 0,
    kill_at: float | None = None,
) -> dict[str, Any]:
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise ValueError(f"participants must be 1..{MAX_PARTICIPANTS}")
    if not 0 < duration <= MAX_DURATION_S:
        raise ValueError(f"duration must be in (0, {MAX_DURATION_S:.0f}] seconds")
    if not 0.0 <= attackers < 1.0:
        raise ValueError("attackers is a fraction in [0, 1)")
    processes = max(1, min(processes, 16, participants))
    n_attackers = round(participants * attackers)
    work = Path(tempfile.mkdtemp(prefix="festival-sim-"))
    server = None
    port = 0
    own_server = url is None
    if url is None:
        from dreamnexus.db import migrate

        database_url = database_url or f"sqlite:///{work / 'festival.db'}"
        migrate.upgrade(database_url)
        port = _free_port()
        url = f"ws://127.0.0.1:{port}"
    else:
        host = urlparse(url).hostname
        if host != "127.0.0.1":
            raise ValueError("the simulator only targets 127.0.0.1")
        if database_url is None:
            raise ValueError("--url needs --database-url (the simulator writes its participants there)")
        url = url.replace("http://", "ws://").rstrip("/")
    festival, creds = prepare(database_url, participants - n_attackers, n_attackers)
    if own_server:
        server = start_server(database_url, work, port, tick_hz=tick_hz)
    rss_before = _rss_mb(server.pid if server else None)
    rng = random.Random(seed)
    indexed = [(*c, i) for i, c in enumerate(creds)]
    rng.shuffle(indexed)
    texts, attacks = dream_texts(limit=30_000, seed=seed), attack_texts(2000, seed)
    connect_deadline = time.time() + 30 + participants / 50
    ctx = multiprocessing.get_context("spawn")
    start_value, connected_value = ctx.Value("d", 0.0), ctx.Value("i", 0)
    pipes, procs = [], []
    for p in range(processes):
        spec = Spec(
            url,
            festival,
            indexed[p::processes],
            duration,
            interval,
            texts,
            attacks,
            seed + p,
            stride=participants,
        )
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_client_process, args=(spec, send, start_value, connected_value), daemon=True
        )
        proc.start()
        pipes.append(receive)
        procs.append(proc)
    # The clock starts once every client is connected (or the connect budget is spent), so handshakes
    # do not count against the live figures; the idle memory is read at that moment.
    while connected_value.value < participants and time.time() < connect_deadline:
        time.sleep(0.25)
    time.sleep(2.0)
    connected_at_start = int(connected_value.value)
    idle_rss = _rss_mb(server.pid if server else None)
    start_at = time.time() + 0.5
    start_value.value = start_at
    peak_rss = idle_rss or 0.0
    killed = False
    while time.time() < start_at + duration + GRACE_S + 2:
        time.sleep(0.5)
        now = time.time()
        peak_rss = max(peak_rss, _rss_mb(server.pid if server else None) or 0.0)
        if kill_at is not None and not killed and server is not None and now >= start_at + kill_at:
            server.kill()  # SIGKILL: no shutdown hook runs
            server.wait()
            killed = True
            server = start_server(database_url, work, port, tick_hz=tick_hz)
    tallies = []
    for receive, proc in zip(pipes, procs, strict=True):
        if receive.poll(120):
            tallies.append(receive.recv())
        proc.join(30)
    weave = final_weave(url, festival)
    server_rss = _rss_mb(server.pid if server else None)
    persisted = _persisted(database_url, festival)
    if server is not None:
        server.terminate()
        server.wait(30)
    merged: dict[str, Any] = {k: ([] if isinstance(v, list) else 0) for k, v in Tally().__dict__.items()}
    for t in tallies:
        for k, v in t.items():
            merged[k] += v
    acked = set(merged["honest_seqs"]) | set(merged["attacker_seqs"])
    attacker_seqs = set(merged["attacker_seqs"])
    sources = [s for p in weave.get("passages", []) for s in p["seqs"]]
    honest_acked = len(merged["honest_seqs"])
    connected_idle = connected_at_start
    return {
        "participants": participants,
        "attackers": n_attackers,
        "duration_s": duration,
        "processes": processes,
        "tick_hz": tick_hz,
        "participants_connected": connected_idle,
        "contributions_sent": merged["sent"],
        "contributions_acked": merged["acked"],
        "contributions_refused": merged["refused"],
        "contributions_persisted": len(persisted),
        "lost": len(acked - persisted),
        "delivery_p50_ms": _percentile(merged["delivery_ms"], 50),
        "delivery_p99_ms": _percentile(merged["delivery_ms"], 99),
        "visible_p50_ms": _percentile(merged["visible_ms"], 50),
        "visible_p99_ms": _percentile(merged["visible_ms"], 99),
        "honest_ack_p50_ms": _percentile(merged["ack_ms"], 50),
        "honest_ack_p99_ms": _percentile(merged["ack_ms"], 99),
        "adversarial_share_of_weave": round(sum(s in attacker_seqs for s in sources) / len(sources), 4)
        if sources
        else 0.0,
        "honest_excluded_rate": round(merged["honest_excluded"] / honest_acked, 4) if honest_acked else 0.0,
        "dropped_or_reconnected": merged["dropped"],
        "server_killed_and_restarted": killed,
        "server_rss_mb": server_rss,
        "server_peak_rss_mb": peak_rss or None,
        "server_idle_kb_per_connection": round((idle_rss - rss_before) * 1024 / connected_idle, 1)
        if idle_rss and rss_before and connected_idle and not killed
        else None,
    }


def _persisted(database_url: str, festival: str) -> set[int]:
    from sqlalchemy import select

    from dreamnexus.db.engine import Database
    from dreamnexus.festival.models import Festival, FestivalFragment

    database = Database(database_url)
    try:
        with database.session() as session:
            fid = session.scalar(select(Festival.id).where(Festival.public_id == festival))
            return set(
                session.scalars(select(FestivalFragment.seq).where(FestivalFragment.festival_id == fid))
            )
    finally:
        database.dispose()
