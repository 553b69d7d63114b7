"""`dreamnexus db`: schema migrations."""

from __future__ import annotations

import click

from dreamnexus.config import load_settings
from dreamnexus.db import migrate


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade(revision: str) -> None:
    """Create or migrate the database schema (honours DREAMNEXUS_DATABASE_URL)."""
    settings = load_settings()
    try:
        migrate.upgrade(settings.database_url, revision)
    except Exception as error:  # any driver or migration failure, reported without a traceback
        raise click.ClickException(f"Migration failed: {error}") from None
    if revision == "head":
        from dreamnexus.cli.context import open_database
        from dreamnexus.crypto import keyring
        from dreamnexus.crypto.reseal import seal_existing

        database = open_database()
        try:
            sealed = seal_existing(database, keyring.current())
        finally:
            database.dispose()
        if sealed:
            click.echo(f"Sealed {sealed} value(s) written before encryption at rest.")
    click.echo(f"Database at {_safe_url(settings.database_url)} is at revision {revision}.")


def _safe_url(url: str) -> str:
    """The URL without a password, so that secrets never reach the console."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
