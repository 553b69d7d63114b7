"""`dreamnexus festival`: serve festivals and simulate a crowd against one."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group("festival")
def festival_group() -> None:
    """Live festivals: many people weaving one dream at once."""


@festival_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--tick-hz", default=2.0, show_default=True, type=click.FloatRange(0.5, 10))
@click.option("--bus", default=None, help="redis://host:port/db to let several processes serve one festival.")
def serve_command(host: str, port: int, tick_hz: float, bus: str | None) -> None:
    """Serve the site with festivals (one process; add --bus for more)."""
    from dreamnexus.config import load_settings
    from dreamnexus.festival.server import build_app, serve

    settings = load_settings()
    app = build_app(
        settings.database_url,
        Path(settings.data_dir),
        tick_hz=tick_hz,
        secret_key=settings.secret_key,
        bus=bus,
    )
    serve(app, host, port)


@festival_group.command("simulate")
@click.option("--participants", required=True, type=click.IntRange(1, 20_000))
@click.option("--duration", required=True, type=click.FloatRange(1, 600), help="Seconds of activity.")
@click.option("--attackers", default=0.0, show_default=True, type=click.FloatRange(0, 0.95))
@click.option("--processes", default=2, show_default=True, type=click.IntRange(1, 16))
@click.option("--url", default=None, help="Target a running server on 127.0.0.1 instead of starting one.")
@click.option(
    "--database-url", default=None, help="With --url: the server's database (participants are made there)."
)
@click.option(
    "--interval",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.5, 600),
    help="Mean seconds between an honest participant's fragments.",
)
@click.option("--tick-hz", default=2.0, show_default=True, type=click.FloatRange(0.5, 10))
@click.option(
    "--kill-at", default=None, type=float, help="kill -9 the server this many seconds in, then restart it."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def simulate_command(
    participants: int,
    duration: float,
    attackers: float,
    processes: int,
    url: str | None,
    database_url: str | None,
    interval: float,
    tick_hz: float,
    kill_at: float | None,
    as_json: bool,
) -> None:
    """Start a server on loopback (or use --url) and drive N real WebSocket clients at it."""
    from dreamnexus.festival.simulate import simulate

    try:
        report = simulate(
            participants,
            duration,
            attackers=attackers,
            processes=processes,
            url=url,
            database_url=database_url,
            interval=interval,
            tick_hz=tick_hz,
            kill_at=kill_at,
        )
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if as_json:
        click.echo(json.dumps(report))
    else:
        for key, value in report.items():
            click.echo(f"{key}: {value}")
