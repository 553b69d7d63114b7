"""`dreamnexus keys`: seal what is stored in clear, and rotate the master key."""

from __future__ import annotations

import click

from dreamnexus.cli.context import open_database
from dreamnexus.crypto import keyring as keyrings
from dreamnexus.crypto import reseal


@click.group("keys")
def keys_group() -> None:
    """Encryption keys of private data."""


@keys_group.command("seal")
def seal() -> None:
    """Seal every private value still stored in clear (idempotent; `db upgrade` runs it too)."""
    database = open_database()
    try:
        changed = reseal.seal_existing(database, keyrings.current())
    finally:
        database.dispose()
    click.echo(f"Sealed {changed} value(s).")


@keys_group.command("rotate")
def rotate() -> None:
    """Make a new master key and re-seal every data key under it; the old master key is then retired."""
    database = open_database()
    try:
        changed = reseal.rotate_master_key(database, keyrings.current())
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    click.echo(f"Rotated the master key; re-sealed {changed} data key(s).")
