"""`dreamnexus import dreams` and `dreamnexus export dreams`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError

from dreamnexus.accounts import service as accounts
from dreamnexus.cli.context import open_database
from dreamnexus.errors import ServiceError
from dreamnexus.journal import service as journal
from dreamnexus.journal import transfer


@click.group("import")
def import_group() -> None:
    """Bring data in."""


@click.group("export")
def export_group() -> None:
    """Take data out."""


def _owner(session: object, email: str) -> object:
    try:
        return accounts.get_user_by_email(session, email)  # type: ignore[arg-type]
    except ServiceError as error:
        raise click.ClickException(error.detail) from None


@import_group.command("dreams")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--owner", "owner_email", required=True, help="E-mail of the account that will own the dreams.")
def import_dreams(file: Path, owner_email: str) -> None:
    """Import dreams from FILE (JSONL, JSONL.gz or CSV with a `text` field) as private dreams.

    Each record is committed on its own; bad records are skipped and reported. Exit status 1 when any
    record was skipped.
    """
    if not file.exists():
        raise click.ClickException(f"{file}: no such file")
    try:
        transfer.file_kind(file)
    except transfer.UnsupportedFile as error:
        raise click.ClickException(str(error)) from None
    database = open_database()
    imported, skipped = 0, []
    try:
        with database.session() as session:
            owner_id = _owner(session, owner_email).id  # type: ignore[attr-defined]
        total = sum(1 for _ in transfer.read_records(file))
        with click.progressbar(
            transfer.read_records(file), length=total, label="Importing", file=click.get_text_stream("stderr")
        ) as records:
            for raw in records:
                if raw.error is not None or raw.record is None:
                    skipped.append((raw.line, raw.error or "empty"))
                    continue
                try:
                    data = transfer.to_dream_input(raw.record)
                except (ValidationError, ValueError) as error:
                    skipped.append((raw.line, transfer.describe(error)))
                    continue
                try:
                    with database.session() as session:
                        owner = session.get(accounts.User, owner_id)
                        journal.create_dream(session, owner, data)
                    imported += 1
                except ServiceError as error:
                    skipped.append((raw.line, error.detail))
    except OSError as error:
        raise click.ClickException(f"{file}: {error}") from None
    finally:
        database.dispose()
    click.echo(f"Imported {imported} dream(s); skipped {len(skipped)}.")
    for line, reason in skipped:
        click.echo(f"  line {line}: skipped: {reason}", err=True)
    if skipped:
        raise SystemExit(1)


@export_group.command("dreams")
@click.option("--owner", "owner_email", required=True, help="E-mail of the account whose journal to export.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
def export_dreams(owner_email: str, output: Path | None) -> None:
    """Export an account's journal as JSON lines (the importer reads them back)."""
    database = open_database()
    try:
        with database.session() as session:
            owner = _owner(session, owner_email)
            records = [transfer.export_record(d) for d in journal.dreams_since(session, owner)]  # type: ignore[arg-type]
    finally:
        database.dispose()
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if output is None:
        click.echo(lines, nl=False)
    else:
        tmp = output.with_name(output.name + ".part")
        tmp.write_text(lines, encoding="utf-8")
        tmp.replace(output)
        click.echo(f"Exported {len(records)} dream(s) to {output}.", err=True)
