"""Loopback HTTP load on the JSON API: journal list and dream create, on SQLite and PostgreSQL; prints JSON.

    .venv/bin/python benchmarks/api.py [--duration 10] [--concurrency 64] [--workers 2]
                                      [--databases sqlite,postgresql] [--analysis off]

For each database the script migrates a fresh database (a temporary SQLite file; a PostgreSQL database
created through the admin URL and dropped at the end), seeds accounts, API tokens and ~200 dreams per
reading account, starts the real server (`dreamnexus serve --workers N`) as a subprocess and drives it
from a separate process for a fixed time per scenario:

    journal_list   GET  /api/v1/dreams?per_page=20   (bearer token, rotating over the reading accounts)
    dream_create   POST /api/v1/dreams               (bearer token, rotating over the writing accounts)

The load generator is `wrk` (apt-get install -y wrk) with a Lua script for headers and bodies; without wrk
a raw-asyncio keep-alive client runs instead, which costs the server more of the shared CPU, and the JSON
says so.

Each scenario is measured twice. First its capacity: `--concurrency` connections each sending the next
request as soon as the last is answered (closed loop), giving requests/s; the latency of that run mostly
measures the queue that 64 eager clients build (Little's law: latency = connections / throughput).
Then the latency at the goal's load (`at_goal_rate`): requests due at exactly the goal's rate (1,000
reads/s, 300 writes/s) from the asyncio client on uvloop, each latency counted from when its request was
due, so waiting behind a slow answer counts as well (no coordinated omission). A goal is met when the
capacity reaches its rate without errors and the paced run answers that rate at p99 <= 100 ms.

Analysis is off by default (DREAMNEXUS_ANALYSIS_MODE=off) so that it does not compete for CPU.
Accounts and dreams are seeded through the service layer, not HTTP, because the API's own limits
(20 registrations per address per hour, 120 writes per account per minute) would otherwise throttle
the set-up; one account is still registered and signed in through the API as a check of that path.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get(
    "DREAMNEXUS_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
READ_PATH = "/api/v1/dreams?per_page=20"
WRITE_PATH = "/api/v1/dreams"
PASSWORD = "bench-password-not-secret-42"
GOAL = {
    "journal_list": {"min_rps": 1000.0, "max_p99_ms": 100.0},
    "dream_create": {"min_rps": 300.0, "max_p99_ms": 100.0},
}
# The API allows 120 writes per account per minute (per server process); the writing accounts are
# sized so that even this many writes per second for the whole run would stay under that limit.
WRITE_RPS_HEADROOM = 1500
# A request slower than this counts as an error (wrk records no latency for it).
WRK_TIMEOUT = "5s"
WRITES_PER_ACCOUNT_MINUTE = 120

# Words written for this benchmark, not taken from any corpus.
_STORY = (
    "I was walking through a house with many rooms and the light kept changing my brother stood by "
    "the window holding a lantern we were late for a train that never came the stairs went down into "
    "water then a blue bird spoke to me in my grandmother's voice and the garden grew over the street "
    "I felt calm then afraid then strangely happy someone was calling from the roof the city was made "
    "of glass"
)
_WORDS = tuple(_STORY.split())
_TAGS = ("water", "flying", "house", "family", "train", "school", "animals", "city", "night", "garden")


# --------------------------------------------------------------------------------------------- helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _dream_body(rng: random.Random) -> dict[str, Any]:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(60, 160))]
    return {
        "title": " ".join(rng.sample(_WORDS, 3)).capitalize(),
        "text": " ".join(words).capitalize() + ".",
        "tags": rng.sample(_TAGS, rng.randint(0, 3)),
        "mood": rng.randint(-2, 2),
        "lucid": rng.random() < 0.1,
    }


def _process_tree_cpu_s(root_pid: int) -> float:
    """User+system CPU seconds of a process and all its living descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += ticks.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def _http(
    method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback URL built here
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:300]


# ----------------------------------------------------------------------------------------- databases


@dataclass
class Target:
    name: str
    url: str
    cleanup: Callable[[], None]


def _sqlite_target(work: Path) -> Target:
    return Target("sqlite", f"sqlite:///{work / 'bench.db'}", lambda: None)


def _postgresql_target() -> Target:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    name = f"dn_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return Target("postgresql", url, drop)


# -------------------------------------------------------------------------------------------- seeding


def _register(url: str, emails: Sequence[str]) -> list[str]:
    """Accounts and API tokens through the service layer.

    Every account has the same password, so its argon2 hash (~50 ms) is made once and reused: a real,
    verifiable hash, without a minute of hashing before each run. This patches the seeding process only.
    """
    from dreamnexus.accounts import passwords
    from dreamnexus.accounts import service as accounts
    from dreamnexus.db.engine import Database

    database = Database(url)
    shared_hash = passwords.hash_password(PASSWORD)
    original = accounts.hash_password
    accounts.hash_password = lambda _password: shared_hash  # type: ignore[assignment]
    tokens: list[str] = []
    try:
        for email in emails:
            with database.session() as session:
                user = accounts.register(session, email=email, password=PASSWORD)
                tokens.append(accounts.create_api_token(session, user, "bench")[1])
        return tokens
    finally:
        accounts.hash_password = original  # type: ignore[assignment]
        database.dispose()


def _seed_dreams(url: str, tokens: Sequence[str], per_user: int, rng: random.Random) -> int:
    from dreamnexus.accounts import service as accounts
    from dreamnexus.db.engine import Database
    from dreamnexus.journal import service as journal
    from dreamnexus.journal.schemas import DreamCreate

    database = Database(url)
    created = 0
    try:
        for token in tokens:
            with database.session() as session:
                user = accounts.user_for_api_token(session, token)
                assert user is not None
                for _ in range(per_user):
                    journal.create_dream(session, user, DreamCreate(**_dream_body(rng)))
                    created += 1
    finally:
        database.dispose()
    return created


def _seed(url: str, readers: int, writers: int, per_user: int, rng: random.Random) -> dict[str, Any]:
    from dreamnexus.db import migrate

    started = time.perf_counter()
    migrate.upgrade(url)
    migrated = time.perf_counter()
    tokens = _register(url, [f"bench{i}@example.org" for i in range(max(readers, writers))])
    registered = time.perf_counter()
    dreams = _seed_dreams(url, tokens[:readers], per_user, rng)
    return {
        "tokens": tokens,
        "summary": {
            "accounts": len(tokens),
            "reading_accounts": readers,
            "writing_accounts": writers,
            "dreams": dreams,
            "migrate_s": round(migrated - started, 2),
            "accounts_s": round(registered - migrated, 2),
            "dreams_s": round(time.perf_counter() - registered, 2),
        },
    }


# --------------------------------------------------------------------------------------------- server


class Server:
    def __init__(self, url: str, data_dir: Path, workers: int, analysis: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        env = dict(os.environ)
        env.update(
            {
                "DREAMNEXUS_DATABASE_URL": url,
                "DREAMNEXUS_DATA_DIR": str(data_dir),
                "DREAMNEXUS_ANALYSIS_MODE": analysis,
            }
        )
        executable = REPO / ".venv" / "bin" / "dreamnexus"
        command = [str(executable)] if executable.exists() else [sys.executable, "-m", "dreamnexus.cli"]
        command += ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own CLI, arguments built here
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO
            )
        self.workers = workers

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.tail()}")
            try:
                status, _ = _http("GET", self.base + "/healthz")
                if status == 200:
                    # Every worker imports the whole app; give the others a moment after the first answers.
                    time.sleep(1.0 if self.workers > 1 else 0.0)
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server not ready after {timeout_s:.0f} s: {self.tail()}")

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def cpu_s(self) -> float:
        return _process_tree_cpu_s(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)  # a stalled server never finishes its in-flight requests
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _check_api_path(server: Server) -> dict[str, Any]:
    """Register, sign in, write and list through HTTP once, so that a broken path fails loudly."""
    email = f"api-check-{uuid.uuid4().hex[:8]}@example.org"
    credentials = {"email": email, "password": PASSWORD}
    status, body = _http("POST", server.base + "/api/v1/auth/register", credentials)
    if status != 201:
        raise RuntimeError(f"register through the API answered {status}: {body}")
    status, body = _http("POST", server.base + "/api/v1/auth/token", credentials)
    if status != 201:
        raise RuntimeError(f"sign-in through the API answered {status}: {body}")
    token = body["token"]
    status, body = _http("POST", server.base + WRITE_PATH, _dream_body(random.Random(1)), token)
    if status != 201:
        raise RuntimeError(f"dream create answered {status}: {body}")
    status, body = _http("GET", server.base + READ_PATH, token=token)
    if status != 200 or body.get("total") != 1:
        raise RuntimeError(f"journal list answered {status}: {body}")
    return {"register": 201, "token": 201, "create": 201, "list": 200}


# ------------------------------------------------------------------------------------------ load: wrk

WRK_LUA = r"""
local tokens, bodies = {}, {}
local method, path
local counter = 0

function setup(thread)
  thread:set("thread_no", thread_count or 0)
  thread_count = (thread_count or 0) + 1
end

function init(args)
  method, path = args[1], args[2]
  for line in io.lines(args[3]) do tokens[#tokens + 1] = line end
  if args[4] then for line in io.lines(args[4]) do bodies[#bodies + 1] = line end end
  counter = (thread_no or 0) * 9973
end

function request()
  counter = counter + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1],
                   ["Accept"] = "application/json"}
  local body = nil
  if #bodies > 0 then
    headers["Content-Type"] = "application/json"
    body = bodies[(counter % #bodies) + 1]
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "\nWRK_JSON {\"requests\": %d, \"duration_us\": %d, \"errors_status\": %d, \"errors_socket\": %d, " ..
    "\"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _wrk_version() -> str | None:
    path = shutil.which("wrk")
    if path is None:
        return None
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return (result.stdout + result.stderr).split("Copyright")[0].strip() or "wrk"


def _run_wrk(
    base: str,
    method: str,
    path: str,
    tokens_file: Path,
    bodies_file: Path | None,
    concurrency: int,
    duration_s: float,
    lua: Path,
) -> dict[str, Any]:
    command = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(concurrency),
        "-d",
        f"{max(1, round(duration_s))}s",  # wrk takes whole seconds
        "--timeout",
        WRK_TIMEOUT,
        "-s",
        str(lua),
        base + path,
        "--",
        method,
        path,
        str(tokens_file),
    ]
    if bodies_file is not None:
        command.append(str(bodies_file))
    result = subprocess.run(  # noqa: S603 - wrk from PATH with arguments built here
        command, capture_output=True, text=True, timeout=duration_s + 60, check=False
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-500:]}")
    raw = json.loads(line[len("WRK_JSON ") :])
    return {
        "requests": raw["requests"],
        "duration_s": raw["duration_us"] / 1e6,
        "errors": raw["errors_status"] + raw["errors_socket"],
        "errors_socket": raw["errors_socket"],
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
    }


# -------------------------------------------------------------------------- load: asyncio fallback


def _content_length(head: bytes) -> int:
    """The Content-Length of a response head (status line and headers); 0 when it has none."""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def _asyncio_load(config: dict[str, Any]) -> dict[str, Any]:
    """Closed loop (each connection sends its next request when the last one is answered) or, with
    config["rate"], open loop: requests are due at a fixed rate whatever the server does, and each
    latency counts from when its request was due, so time spent waiting for a free connection behind a
    slow server is counted too (no coordinated omission).

    Callbacks rather than a task per connection: a request costs the client a timer, a write and a
    read, a fifth less CPU than awaiting streams did, and the CPU it takes is the server's to lose."""
    host, port = "127.0.0.1", int(config["port"])
    tokens: list[str] = config["tokens"]
    bodies: list[bytes] = [b.encode() for b in config["bodies"]]
    method, path, duration = config["method"], config["path"], float(config["duration"])
    rate = float(config.get("rate") or 0)
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    counts = {"errors": 0, "socket_errors": 0, "sent": 0}
    free: deque[Exchange] = deque()  # open loop: connections waiting for the next due request
    late: deque[float] = deque()  # open loop: due times that found no free connection
    stop_at = time.perf_counter() + duration
    finished = loop.create_future()

    def build() -> bytes:
        counts["sent"] += 1
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
            f"Authorization: Bearer {tokens[counts['sent'] % len(tokens)]}\r\n"
        )
        if not bodies:
            return (head + "\r\n").encode()
        body = bodies[counts["sent"] % len(bodies)]
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        return head.encode() + body

    def in_flight() -> int:
        return counts["sent"] - len(latencies) - counts["socket_errors"]

    def settle() -> None:
        if not finished.done() and in_flight() <= 0 and (not rate or scheduled_all):
            finished.set_result(None)

    class Exchange(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport: asyncio.Transport = transport  # type: ignore[assignment]
            self.buffer = bytearray()
            self.since: float | None = None

        def send(self, since: float) -> None:
            self.since = since
            self.transport.write(build())

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0 or self.since is None:
                return
            end = head_end + 4 + _content_length(bytes(self.buffer[:head_end]))
            if len(self.buffer) < end:
                return
            latencies.append(time.perf_counter() - self.since)
            if self.buffer[9:10] != b"2":
                counts["errors"] += 1
            del self.buffer[:end]
            self.since = None
            if rate:
                if late:
                    self.send(late.popleft())
                else:
                    free.append(self)
            elif time.perf_counter() < stop_at:
                self.send(time.perf_counter())
            settle()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.since is not None:  # a request was in flight: the server dropped it
                counts["socket_errors"] += 1
                self.since = None
            if self in free:
                free.remove(self)
            settle()

    scheduled_all = False
    started = time.perf_counter()
    exchanges = []
    for _ in range(int(config["concurrency"])):
        try:
            exchanges.append((await loop.create_connection(Exchange, host, port))[1])
        except OSError:
            counts["socket_errors"] += 1
    if rate:
        free.extend(exchanges)
        first = time.perf_counter() + 0.05
        for number in range(int(rate * duration)):
            due_at = first + number / rate
            if (wait := due_at - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            if free:
                free.popleft().send(due_at)
            else:
                late.append(due_at)
        scheduled_all = True
    else:
        for exchange in exchanges:
            exchange.send(time.perf_counter())
    settle()
    # Whatever is still unanswered, or unsent, a minute after the end counts as lost.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(finished, duration + 60)
    elapsed = time.perf_counter() - started
    counts["socket_errors"] += in_flight() + len(late)
    for exchange in exchanges:
        exchange.transport.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else math.nan

    return {
        "requests": len(latencies),
        "duration_s": elapsed,
        "errors": counts["errors"] + counts["socket_errors"],
        "errors_socket": counts["socket_errors"],
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else math.nan,
    }


def _run_asyncio_client(
    port: int,
    method: str,
    path: str,
    tokens: list[str],
    bodies: list[str],
    concurrency: int,
    duration_s: float,
    work: Path,
    rate: float | None = None,
) -> dict[str, Any]:
    config = work / "client.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "method": method,
                "path": path,
                "tokens": tokens,
                "bodies": bodies,
                "concurrency": concurrency,
                "duration": duration_s,
                "rate": rate,
            }
        )
    )
    result = subprocess.run(  # noqa: S603 - this script, as a separate client process
        [sys.executable, __file__, "--client", str(config)],
        capture_output=True,
        text=True,
        timeout=duration_s + 60,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"client failed: {result.stderr[-800:]}")
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------------------ scenarios


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    tokens: list[str]
    bodies: list[str]


def _drive(
    server: Server,
    scenario: Scenario,
    args: argparse.Namespace,
    work: Path,
    wrk: str | None,
    duration_s: float,
    rate: float | None = None,
) -> dict[str, Any]:
    """One measured load: closed loop (wrk, or the asyncio client), or open loop at `rate` requests/s
    (the asyncio client: wrk cannot hold a rate)."""
    load_before = os.getloadavg()[0]
    cpu_before = server.cpu_s()
    if wrk and not rate:
        lua = work / "load.lua"
        lua.write_text(WRK_LUA)
        tokens_file = work / f"{scenario.name}.tokens"
        tokens_file.write_text("\n".join(scenario.tokens) + "\n")
        bodies_file = None
        if scenario.bodies:
            bodies_file = work / f"{scenario.name}.bodies"
            bodies_file.write_text("\n".join(scenario.bodies) + "\n")
        client_before = os.times()
        stats = _run_wrk(
            server.base,
            scenario.method,
            scenario.path,
            tokens_file,
            bodies_file,
            args.concurrency,
            duration_s,
            lua,
        )
    else:
        client_before = os.times()
        stats = _run_asyncio_client(
            server.port,
            scenario.method,
            scenario.path,
            scenario.tokens,
            scenario.bodies,
            args.concurrency,
            duration_s,
            work,
            rate,
        )
    client_after = os.times()
    server_cpu = server.cpu_s() - cpu_before
    client_cpu = (
        client_after.children_user
        + client_after.children_system
        - client_before.children_user
        - client_before.children_system
    )
    rps = stats["requests"] / stats["duration_s"] if stats["duration_s"] else 0.0
    result: dict[str, Any] = {
        "requests": stats["requests"],
        "rps": round(rps, 1),
        "p50_ms": round(stats["p50_ms"], 2),
        "p90_ms": round(stats["p90_ms"], 2),
        "p99_ms": round(stats["p99_ms"], 2),
        "max_ms": round(stats["max_ms"], 2),
        "errors": stats["errors"],
        "errors_socket": stats["errors_socket"],
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_s": round(client_cpu, 2),
        "server_cpu_ms_per_request": (
            round(1000 * server_cpu / stats["requests"], 3) if stats["requests"] else None
        ),
        # The 1-minute load average before and after: well above the core count, other work shared the CPU.
        "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    if rate:
        result = {"offered_rps": rate, **result}
    if stats["requests"] == 0:
        result["stalled"] = True
        result["note"] = "no request completed: the server stopped answering under this load"
    return result


def _goal(scenario: str, capacity: dict[str, Any], at_rate: dict[str, Any] | None) -> dict[str, Any]:
    """Met when the closed-loop run served at least the goal's rate without errors, and the server,
    offered exactly that rate, answered it (98 % of it within the run) at the goal's p99."""
    goal = GOAL[scenario]
    met = (
        capacity["requests"] > 0
        and capacity["rps"] >= goal["min_rps"]
        and capacity["errors"] == 0
        and at_rate is not None
        and at_rate["rps"] >= 0.98 * goal["min_rps"]
        and at_rate["p99_ms"] <= goal["max_p99_ms"]
        and at_rate["errors"] == 0
    )
    return {**goal, "met": met}


def _bench_database(target: Target, args: argparse.Namespace, work: Path, wrk: str | None) -> dict[str, Any]:
    rng = random.Random(20261126)
    writers = max(
        args.concurrency,
        math.ceil(WRITE_RPS_HEADROOM * (args.duration + args.warmup) / WRITES_PER_ACCOUNT_MINUTE),
    )
    seeded = _seed(target.url, args.read_accounts, writers, args.dreams_per_account, rng)
    tokens: list[str] = seeded["tokens"]
    bodies = [json.dumps(_dream_body(rng), separators=(",", ":")) for _ in range(200)]
    scenarios = [
        Scenario("journal_list", "GET", READ_PATH, tokens[: args.read_accounts], []),
        Scenario("dream_create", "POST", WRITE_PATH, tokens[:writers], bodies),
    ]
    scenarios = [s for s in scenarios if s.name in args.scenarios]
    data_dir = work / f"data-{target.name}"
    data_dir.mkdir()
    server = Server(target.url, data_dir, args.workers, args.analysis)
    results: dict[str, Any] = {"status": "ok", "seed": seeded["summary"], "workers": args.workers}
    try:
        server.wait_ready()
        results["api_check"] = _check_api_path(server)
        for scenario in scenarios:
            if args.warmup > 0:
                _drive(server, scenario, args, work, wrk, args.warmup)
            result = _drive(server, scenario, args, work, wrk, args.duration)
            result["workers"] = args.workers
            at_rate = None
            if args.paced:
                rate = GOAL[scenario.name]["min_rps"] * args.paced_fraction
                at_rate = _drive(server, scenario, args, work, None, args.duration, rate)
                result["at_goal_rate"] = at_rate
            if target.name == "sqlite":
                result["goal"] = _goal(scenario.name, result, at_rate)
            results[scenario.name] = result
    finally:
        server.stop()
    return results


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of measured load per scenario")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of unmeasured load before each")
    parser.add_argument("--concurrency", type=int, default=64, help="open keep-alive connections")
    parser.add_argument("--workers", type=int, default=2, help="server processes (serve --workers)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--analysis",
        default="off",
        choices=["off", "inprocess"],
        help="DREAMNEXUS_ANALYSIS_MODE of the server",
    )
    parser.add_argument("--scenarios", default=",".join(GOAL), help="comma-separated: " + ",".join(GOAL))
    parser.add_argument("--read-accounts", type=int, default=5, help="accounts whose journals are listed")
    parser.add_argument("--dreams-per-account", type=int, default=200)
    parser.add_argument(
        "--no-paced",
        dest="paced",
        action="store_false",
        help="skip the open-loop run at each goal's rate (latency at that load, measured from when due)",
    )
    parser.add_argument(
        "--paced-fraction",
        type=float,
        default=1.0,
        help="pace at this fraction of each goal's rate (below 1 the goal cannot be met; to find the load"
        " a p99 holds at)",
    )
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "asyncio"],
        default="auto",
        help="load generator: wrk when installed (auto), or the raw-asyncio fallback",
    )
    args = parser.parse_args(argv)
    if not 0 < args.paced_fraction <= 2:
        parser.error("--paced-fraction must be in (0, 2]")
    if not 0 < args.duration <= 120 or not 1 <= args.concurrency <= 512 or not 1 <= args.workers <= 16:
        parser.error("--duration must be in (0, 120], --concurrency in [1, 512], --workers in [1, 16]")
    unknown = {n.strip() for n in args.databases.split(",")} - {"sqlite", "postgresql", ""}
    if unknown:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}")
    args.scenarios = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    if set(args.scenarios) - set(GOAL):
        parser.error(f"unknown scenario(s): {', '.join(sorted(set(args.scenarios) - set(GOAL)))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--client":
        config = json.loads(Path(sys.argv[2]).read_text())
        try:  # the client's own CPU is taken from the server: uvloop's is the smaller
            import uvloop

            stats = uvloop.run(_asyncio_load(config))
        except ImportError:
            stats = asyncio.run(_asyncio_load(config))
        print(json.dumps(stats))
        return 0
    args = _parse(argv)
    wrk_version = _wrk_version()
    if args.client == "wrk" and wrk_version is None:
        print(json.dumps({"error": "wrk is not installed (apt-get install -y wrk)"}))
        return 2
    wrk = wrk_version if args.client != "asyncio" else None
    if wrk_version is None:
        print(
            "wrk is not installed (apt-get install -y wrk): using the slower asyncio client", file=sys.stderr
        )
    client = (
        f"{wrk} (1 thread, Lua script)"
        if wrk
        else "python raw-asyncio keep-alive client in a separate process"
        + (" (wrk is not installed: apt-get install -y wrk)" if wrk_version is None else "")
    )
    report: dict[str, Any] = {
        "benchmark": "api",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
        },
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "analysis_mode": args.analysis,
            "analysis_note": "analysis off: saved dreams stay pending, no analysis competes for CPU"
            if args.analysis == "off"
            else "analysis runs in each server process",
            "client": client,
            "wrk_missing": wrk_version is None,
            "loopback": "127.0.0.1",
            "read": f"GET {READ_PATH}",
            "write": f"POST {WRITE_PATH}",
        },
        "results": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dn-bench-api-") as tmp:
        work = Path(tmp)
        # Seeding (here) and the server must seal and open dreams with the same keys, and nothing may land
        # in the repository's var/: one data dir and one throw-away master key for the whole run.
        os.environ["DREAMNEXUS_DATA_DIR"] = str(work / "data-seed")
        os.environ["DREAMNEXUS_MASTER_KEY"] = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
        os.environ["DREAMNEXUS_SECRET_KEY"] = uuid.uuid4().hex
        for name in [n.strip() for n in args.databases.split(",") if n.strip()]:
            try:
                target = _sqlite_target(work) if name == "sqlite" else _postgresql_target()
            except Exception as error:  # an unreachable server is reported, not fatal
                report["results"][name] = {"status": "skipped", "reason": f"{type(error).__name__}: {error}"}
                continue
            try:
                report["results"][name] = _bench_database(target, args, work, wrk)
            except Exception as error:  # one database failing must not hide the other's figures
                report["results"][name] = {"status": "failed", "reason": f"{type(error).__name__}: {error}"}
            finally:
                target.cleanup()
    sqlite = report["results"].get("sqlite", {})
    goals = [sqlite[s]["goal"]["met"] for s in GOAL if isinstance(sqlite.get(s), dict)]
    report["goal_met"] = bool(goals) and all(goals)
    report["total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
