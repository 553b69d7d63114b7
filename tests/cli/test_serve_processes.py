"""`dreamnexus serve --workers 2`: a listening socket per process, connections spread over both, a second
server on the same port refused, and a graceful stop on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dreamnexus.web.processes import PortUnavailable, check_port_free

from .conftest import Cli

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    entry = "from dreamnexus.cli import main; main()"
    command = [sys.executable, "-c", entry, "serve", "--port", str(port), "--workers", "2"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


def _wait_until_up(port: int, process: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stdout.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not answer in time")


def _socket_owners(port: int, pids: list[int]) -> dict[int, int]:
    """Established server-side sockets on `port`, counted per process (from /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    counts: dict[int, int] = {}
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        owned = 0
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            match = re.fullmatch(r"socket:\[(\d+)\]", target)
            if match and match.group(1) in inodes:
                owned += 1
        counts[pid] = owned
    return counts


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def served_env(cli: Cli) -> dict[str, str]:
    """The environment of a server on the `cli` fixture's own copy of the migrated database."""
    return {**os.environ, **cli.env, "DREAMNEXUS_ANALYSIS_MODE": "off"}


def _stop(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then SIGKILL if it does not end in time: no test leaves a server behind."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def test_two_processes_share_the_port_and_the_connections(served_env: dict[str, str]) -> None:
    port = _free_port()
    server = _serve(served_env, port)
    second: subprocess.Popen[bytes] | None = None
    try:
        _wait_until_up(port, server)
        with pytest.raises(PortUnavailable):
            check_port_free("127.0.0.1", port)
        second = _serve(served_env, port)
        assert second.wait(timeout=60) != 0  # a second server on the port is refused, not let in
        assert b"Cannot listen" in second.stdout.read()  # type: ignore[union-attr]

        workers = _children(server.pid)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
        try:
            # A connection counts once a worker has accepted it: wait for all 64, however busy the machine.
            deadline = time.monotonic() + 30
            while sum(_socket_owners(port, workers).values()) < 64 and time.monotonic() < deadline:
                time.sleep(0.1)
            counts = {pid: n for pid, n in _socket_owners(port, workers).items() if n}
            # A hash of 64 addresses over two sockets: both take a share (all on one: about 2 in 10^19).
            assert len(counts) == 2, counts
            assert sum(counts.values()) == 64
        finally:
            for client in clients:
                client.close()
    finally:
        if second is not None:
            _stop(second)
        status = _stop(server)
    assert status == 0  # stopped gracefully by SIGTERM


def test_the_served_app_sets_its_start_up_objects_aside_from_the_collector(
    served_env: dict[str, str],
) -> None:
    """In a process of its own: gc.freeze() is global, and this test process must keep collecting."""
    script = (
        "import gc\n"
        "from fastapi.testclient import TestClient\n"
        "from dreamnexus.web.server import app\n"
        "before = gc.get_freeze_count()\n"
        "with TestClient(app) as client:\n"
        "    status = client.get('/healthz').status_code\n"
        "    print(before, gc.get_freeze_count(), status)\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=served_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, frozen, status = (int(value) for value in result.stdout.split()[-3:])
    assert before == 0 and frozen > 10_000 and status == 200
