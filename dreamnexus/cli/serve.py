"""`dreamnexus serve` and `dreamnexus worker`."""

from __future__ import annotations

import time

import click

from dreamnexus.cli.context import open_database
from dreamnexus.config import load_settings
from dreamnexus.db import migrate


def _require_migrated(url: str) -> None:
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(migrate.alembic_config(url)).get_heads())
    try:
        current = migrate.current_heads(url)
    except Exception as error:  # an unreachable database, reported plainly
        raise click.ClickException(f"Cannot reach the database: {error}") from None
    if current != heads:
        raise click.ClickException(
            "The database schema is not up to date: run `dreamnexus db upgrade` first."
        )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo", is_flag=True, help="Seed the demo accounts, dreams and spaces first (idempotent).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
def serve_command(host: str, port: int, demo: bool, workers: int) -> None:
    """Serve the web site and the API."""
    import uvicorn

    from dreamnexus.festival.wire import FestivalProtocol
    from dreamnexus.web.processes import APP, PortUnavailable, serve_processes

    settings = load_settings()
    _require_migrated(settings.database_url)
    if demo:
        from dreamnexus.demo.seed import seed_demo

        database = open_database()
        try:
            accounts = seed_demo(database, settings.data_dir)
        finally:
            database.dispose()
        click.echo("Demo accounts (also in var/demo-credentials.json):")
        for account in accounts:
            click.echo(f"  {account['role']:<11} {account['email']:<34} password: {account['password']}")
        click.echo("Weavers, researchers and stewards set up two-factor authentication at first sign-in.")
    options = {
        "log_level": "info",
        "proxy_headers": False,
        "access_log": False,
        # uvicorn's sans-I/O WebSockets, with the festival's one-write-per-client fan-out (festival/wire.py).
        "ws": FestivalProtocol,
    }
    click.echo(f"Dream Nexus on http://{host}:{port}")
    if workers == 1:
        uvicorn.run(APP, host=host, port=port, **options)
        return
    # A listening socket per process, so that the kernel spreads connections over them (web/processes.py).
    try:
        status = serve_processes(host, port, workers, options)
    except PortUnavailable as error:
        raise click.ClickException(str(error)) from None
    if status:
        raise click.ClickException(f"A server process could not start (exit status {status}); see above.")


@click.command("worker")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the queue.")
@click.option("--once", is_flag=True, help="Analyse what is pending, then exit.")
def worker_command(poll: float, once: bool) -> None:
    """Analyse saved dreams in a separate process (set DREAMNEXUS_ANALYSIS_MODE=worker for the server)."""
    from dreamnexus.journal.analysis_jobs import analyse_pending, requeue_outdated

    settings = load_settings()
    _require_migrated(settings.database_url)
    database = open_database()
    try:
        requeued = requeue_outdated(database)
        if requeued:
            click.echo(f"{requeued} dream(s) analysed by older rules are queued again", err=True)
        while True:
            stored = analyse_pending(database)
            if stored:
                click.echo(f"analysed {stored} dream(s)", err=True)
            elif once:
                break
            else:
                time.sleep(poll)
    except KeyboardInterrupt:
        pass
    finally:
        database.dispose()
