"""The `dreamnexus` command: the front door to the platform."""

from __future__ import annotations

import click

from dreamnexus import __version__
from dreamnexus.cli.analyze import analyze_command
from dreamnexus.cli.audit import audit_group
from dreamnexus.cli.data import export_group, import_group
from dreamnexus.cli.db import db_group
from dreamnexus.cli.exchange import exchange_group
from dreamnexus.cli.festival import festival_group
from dreamnexus.cli.keys import keys_group
from dreamnexus.cli.research import research_group
from dreamnexus.cli.serve import serve_command, worker_command
from dreamnexus.cli.users import users_group
from dreamnexus.cli.weaves import weave_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dreamnexus")
def main() -> None:
    """Dream Nexus: share dreams, weave them into collective narratives."""


main.add_command(serve_command)
main.add_command(worker_command)
main.add_command(db_group)
main.add_command(users_group)
main.add_command(import_group)
main.add_command(export_group)
main.add_command(exchange_group)
main.add_command(festival_group)
main.add_command(keys_group)
main.add_command(analyze_command)
main.add_command(audit_group)
main.add_command(research_group)
main.add_command(weave_group)
