"""`dreamnexus exchange run`: pair everyone who opted in to a dream exchange."""

from __future__ import annotations

import click

from dreamnexus.cli.context import unit_of_work


@click.group("exchange")
def exchange_group() -> None:
    """Dream exchanges."""


@exchange_group.command("run")
def run() -> None:
    """Run one exchange round now and print its figures."""
    from dreamnexus.discovery.service import run_round

    with unit_of_work() as session:
        row = run_round(session)
        worst = "-" if row.worst_quality is None else f"{row.worst_quality:.3f}"
        mean = "-" if row.mean_quality is None else f"{row.mean_quality:.3f}"
        click.echo(
            f"Round {row.public_id}: {row.participants} participant(s), {row.links} link(s), "
            f"{row.unmatched} unmatched; worst quality {worst}, mean {mean}."
        )
