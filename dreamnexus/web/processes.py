"""Several server processes on one port, each listening on its own socket (SO_REUSEPORT).

uvicorn's `--workers` shares one listening socket between its processes, and whichever process accepts
first takes the new connections: 64 connections opened at once went 21/43, 25/39 and 64/0 to two
workers (`ss -tnp`), and a run whose connections all landed on one worker served half the requests at
twice the latency (docs/performance.md). With a socket per process in one SO_REUSEPORT group, the
kernel spreads new connections over the processes by a hash of their addresses.

The supervisor restarts a process that dies, except in its first seconds (a process that cannot even
start would only die again: the server stops with its exit code instead). SIGINT and SIGTERM stop all
processes gracefully.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import time
from multiprocessing.process import BaseProcess
from typing import Any

APP = "dreamnexus.web.server:app"
BACKLOG = 2048
STARTUP_S = 10.0
STOP_TIMEOUT_S = 30.0


class PortUnavailable(RuntimeError):
    pass


def _bound(host: str, port: int, *, shared: bool, listen: bool) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        if listen:
            sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        raise PortUnavailable(f"Cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def check_port_free(host: str, port: int) -> None:
    """Bound without SO_REUSEPORT, so that a server already running there (this one started twice
    included) is an error rather than a second group of processes silently taking half the traffic."""
    _bound(host, port, shared=False, listen=False).close()


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening socket on host:port that other processes of this server may bind too."""
    return _bound(host, port, shared=True, listen=True)


def _serve_one(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    uvicorn.Server(uvicorn.Config(APP, **options)).run(sockets=[sock])


def serve_processes(host: str, port: int, processes: int, options: dict[str, Any]) -> int:
    """Run `processes` server processes until a signal stops them; the exit status to return."""
    check_port_free(host, port)
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=_serve_one, args=(host, port, options), daemon=False)
        process.start()
        return process, time.monotonic()

    def stop(_signal: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(processes)]
    status = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for index, (process, started) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started < STARTUP_S:
                    status = process.exitcode or 1
                    stopping = True
                    break
                running[index] = start()
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process, _ in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
