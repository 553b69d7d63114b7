"""`dreamnexus weave INPUT`: weave a JSONL file of contributions into JSON, Markdown or HTML."""

from __future__ import annotations

import json
from typing import Any, TextIO

import click

from dreamnexus.weaving import (
    ContributionError,
    WeaveParameters,
    parse_contribution,
    render_html,
    render_markdown,
    weave,
)
from dreamnexus.weaving.model import Contribution
from dreamnexus.weaving.polish import PolishConfig, polish_weave

_MAX_REPORTED = 20


def read_contributions(handle: TextIO, group_field: str) -> tuple[list[Contribution], list[str]]:
    """Contributions of a JSONL stream and one message per bad line (with its 1-based line number)."""
    rows: list[Contribution] = []
    errors: list[str] = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record: Any = json.loads(line)
            rows.append(parse_contribution(record, group_field=group_field))
        except json.JSONDecodeError as exc:
            errors.append(f"line {number}: invalid JSON ({exc.msg})")
        except ContributionError as exc:
            errors.append(f"line {number}: {exc}")
    return rows, errors


@click.command("weave")
@click.argument("input_file", metavar="INPUT", type=click.File("r", encoding="utf-8"))
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=WeaveParameters.size,
    show_default=True,
    help="Number of passages.",
)
@click.option(
    "--group-field",
    default="group",
    show_default=True,
    help="Field of each line that names the contributor's group.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Output file (default: standard output).",
)
@click.option(
    "--polish-url",
    default=None,
    help="OpenAI-compatible API base URL for transition polish (off by default).",
)
@click.option("--polish-model", default=None, help="Model name for --polish-url.")
def weave_command(
    input_file: TextIO,
    size: int,
    group_field: str,
    seed: int,
    fmt: str,
    output: TextIO,
    polish_url: str | None,
    polish_model: str | None,
) -> None:
    """Weave the contributions in INPUT (JSON lines: id, author, text; optional group, created_at, trust)."""
    rows, errors = read_contributions(input_file, group_field)
    if errors:
        for message in errors[:_MAX_REPORTED]:
            click.echo(f"error: {message}", err=True)
        if len(errors) > _MAX_REPORTED:
            click.echo(f"error: ... and {len(errors) - _MAX_REPORTED} more bad lines", err=True)
        raise click.exceptions.Exit(2)
    if polish_url and not polish_model:
        raise click.UsageError("--polish-url needs --polish-model")
    result = weave(rows, WeaveParameters(size=size), seed=seed)
    if polish_url and polish_model:
        result = polish_weave(result, rows, PolishConfig(url=polish_url, model=polish_model))
        if not result.polish.get("applied"):
            click.echo(f"warning: polish not applied: {result.polish.get('reason')}", err=True)
    if fmt == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = render_markdown(result)
    else:
        text = render_html(result)
    output.write(text)
