"""What every command shares: the settings, the database, and turning service errors into messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from dreamnexus import integrity, wiring
from dreamnexus.config import load_settings
from dreamnexus.db.engine import Database
from dreamnexus.errors import ServiceError


def open_database() -> Database:
    """The configured database, with every change listener (audit log included) in place."""
    settings = load_settings()
    wiring.install()
    integrity.install(settings)
    return Database(settings.database_url)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction; a service error becomes a CLI message and a non-zero exit, with nothing written."""
    database = open_database()
    try:
        with database.session() as session:
            yield session
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    finally:
        database.dispose()
