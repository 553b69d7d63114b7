"""`dreamnexus users`: create accounts and grant roles."""

from __future__ import annotations

import sys

import click

from dreamnexus.accounts import service
from dreamnexus.accounts.models import Role
from dreamnexus.cli.context import unit_of_work

ROLES = [r.value for r in Role]


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("No password on standard input.")
    return line.rstrip("\r\n")


@click.group("users")
def users_group() -> None:
    """Accounts and roles."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", default="dreamer", show_default=True, help=f"One of: {', '.join(ROLES)}.")
@click.option(
    "--name", "display_name", default=None, help="Display name (defaults to the e-mail's local part)."
)
def create(email: str, role: str, display_name: str | None) -> None:
    """Create an account. The password comes from a prompt, or from stdin when it is not a terminal."""
    password = _read_password()
    with unit_of_work() as session:
        user = service.register(session, email=email, password=password, display_name=display_name, role=role)
        click.echo(f"Created {user.email} ({user.role}).")


@users_group.command("grant")
@click.argument("email")
@click.argument("role")
def grant(email: str, role: str) -> None:
    """Give EMAIL the role ROLE (dreamer, weaver, researcher or steward)."""
    with unit_of_work() as session:
        user = service.grant_role(session, None, email=email, role=role)
        click.echo(f"{user.email} is now a {user.role}.")
