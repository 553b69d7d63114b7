"""`dreamnexus weave INPUT …` weaves a file; `dreamnexus weave verify FILE` checks a signed weave."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from dreamnexus.cli.weave import weave_command


class WeaveGroup(click.Group):
    """A group whose first argument is either a subcommand (verify) or the weave command's own INPUT."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        # No name of its own, so usage lines read "dreamnexus weave INPUT", not "weave weave".
        return "", weave_command, args


@click.group(
    "weave",
    cls=WeaveGroup,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    help=(
        "Weave contributions into one narrative, or verify a signed weave.\n\n"
        "  dreamnexus weave INPUT [--size N] [--group-field F] [--seed S] [--format json|md|html]"
        " [-o OUT]\n\n"
        "  dreamnexus weave verify FILE [--public-key HEX]\n\n"
        "See `dreamnexus weave INPUT --help` for the weaving options."
    ),
)
def weave_group() -> None:
    pass


@weave_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "public_key",
    default=None,
    help="The instance's public key in hex (default: this instance's, from its data directory).",
)
def verify(file: Path, public_key: str | None) -> None:
    """Check that FILE, a signed weave (GET /api/v1/weaves/{id}/signed), is authentic and unaltered.

    Exit status 0 when it is, 1 with the problems found otherwise.
    """
    from dreamnexus.spaces import manifest

    try:
        document: Any = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise click.ClickException(f"{file}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{file}: not a JSON document ({error})") from None
    if public_key is None:
        key, _ = manifest.current_signer()
        public_key = manifest.public_key_hex(key)
    problems = manifest.verify_document(document, public_key.strip().lower())
    if problems:
        for problem in problems:
            click.echo(f"INVALID: {problem}", err=True)
        raise SystemExit(1)
    meta = document["manifest"]
    click.echo(
        f"valid: weave {meta['weave']} version {meta['version']} of space {meta['space']}, "
        f"{len(meta['sources'])} source(s), signed by {public_key[:16]}…"
    )
