"""`dreamnexus audit`: verify the tamper-evident history, sign a checkpoint, repair tampered rows."""

from __future__ import annotations

import click

from dreamnexus.config import load_settings
from dreamnexus.db.engine import Database
from dreamnexus.integrity import models as _models  # noqa: F401  (the audit tables must be mapped)
from dreamnexus.integrity.audit import AuditLog
from dreamnexus.integrity.checkpoints import CheckpointError, make_checkpoint
from dreamnexus.integrity.repair import repair
from dreamnexus.integrity.verify import verify


@click.group("audit")
def audit_group() -> None:
    """Tamper-evident history (honours DREAMNEXUS_DATABASE_URL and DREAMNEXUS_DATA_DIR)."""


@audit_group.command("verify")
def verify_command() -> None:
    """Recompute the chain, checkpoints and audited rows; exit 1 with a report on any tampering."""
    settings = load_settings()
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            report = verify(session, settings)
    finally:
        database.dispose()
    if report.intact:
        click.echo(f"intact: {report.entries} entries, {report.checkpoints} checkpoints")
        return
    click.echo(
        f"TAMPERED: {len(report.findings)} finding(s) in {report.entries} entries, "
        f"{report.checkpoints} checkpoints",
        err=True,
    )
    if report.first_bad_seq is not None:
        click.echo(f"the chain cannot be trusted from seq {report.first_bad_seq}", err=True)
    for finding in report.findings:
        click.echo(f"  {finding}", err=True)
    raise SystemExit(1)


@audit_group.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the Merkle root of the whole log with the instance's Ed25519 key."""
    settings = load_settings()
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            checkpoint = make_checkpoint(session, settings)
    except CheckpointError as error:
        raise click.ClickException(str(error)) from None
    finally:
        database.dispose()
    click.echo(f"checkpoint #{checkpoint.id}: tree size {checkpoint.tree_size}, root {checkpoint.root_hash}")


@audit_group.command("baseline")
def baseline_command() -> None:
    """Record rows that predate the audit log (once, when enabling it on an instance with data)."""
    settings = load_settings()
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            count = AuditLog(settings).baseline(session)
    finally:
        database.dispose()
    click.echo(f"recorded {count} existing object(s) in the audit log")


@audit_group.command("repair")
def repair_command() -> None:
    """Restore tampered dreams, contributions and spaces to their last audited state."""
    settings = load_settings()
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            result = repair(session, settings)
    finally:
        database.dispose()
    for line in result.restored:
        click.echo(f"restored {line}")
    if result.chain_tampered_from is not None:
        click.echo(
            f"the audit chain itself was tampered from seq {result.chain_tampered_from}: "
            "it is not rewritten; a person must investigate",
            err=True,
        )
    for line in result.needs_human:
        click.echo(f"needs a human: {line}", err=True)
    if not result.restored and not result.needs_human:
        click.echo("nothing to repair")
    if result.needs_human:
        raise SystemExit(1)
