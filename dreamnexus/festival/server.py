"""A process that serves festivals: the site plus the festival routes, on uvicorn with sans-I/O WebSockets
(the festival protocol of `wire.py`).

Used by `dreamnexus festival serve`, by the simulator and by the restart test (`python -m`).
"""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import Any


def build_app(
    database_url: str,
    data_dir: Path,
    *,
    tick_hz: float = 2.0,
    rate_scale: float = 1.0,
    ip_rate: float = 2.0,
    secret_key: str | None = None,
    bus: str | None = None,
) -> Any:
    import dreamnexus.festival.models  # noqa: F401  (registers the tables)
    from dreamnexus.config import Settings
    from dreamnexus.db.engine import Database
    from dreamnexus.festival.transport import router
    from dreamnexus.web.app import create_app

    settings = Settings(
        data_dir=data_dir, database_url=database_url, secret_key=secret_key or secrets.token_urlsafe(32)
    )
    app = create_app(settings, database=Database(database_url))
    app.include_router(router)
    app.state.festival_options = {"tick_hz": tick_hz, "rate_scale": rate_scale, "ip_rate": ip_rate}
    if bus:
        from dreamnexus.festival.bus import attach_bus

        attach_bus(app, bus)
    return app


def serve(app: Any, host: str, port: int) -> None:
    import sys

    import uvicorn

    from dreamnexus.festival.wire import FestivalProtocol

    # The weaving thread runs pure Python: while it is runnable the interpreter hands it the GIL a switch
    # interval at a time (5 ms by default), and the event loop (acknowledgements, a tick's fan-out) waits
    # that long each time. A shorter interval bounds those waits (the hub also pauses weaving during a
    # fan-out).
    sys.setswitchinterval(0.0005)
    # A served process: its hub sets what the first festival loaded aside from the collector (hub.py).
    app.state.festival_options = {**getattr(app.state, "festival_options", {}), "freeze_once_started": True}
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        ws=FestivalProtocol,
        backlog=4096,
        ws_ping_interval=None,
        timeout_keep_alive=30,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tick-hz", type=float, default=2.0)
    parser.add_argument("--rate-scale", type=float, default=1.0)
    parser.add_argument("--ip-rate", type=float, default=2.0)
    parser.add_argument("--bus", default=None)
    args = parser.parse_args(argv)
    app = build_app(
        args.database_url,
        args.data_dir,
        tick_hz=args.tick_hz,
        rate_scale=args.rate_scale,
        ip_rate=args.ip_rate,
        bus=args.bus,
    )
    serve(app, args.host, args.port)


if __name__ == "__main__":
    main()
