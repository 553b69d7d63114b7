"""`dreamnexus research profile INPUT`: HVdC indicators per group, compared with the norms."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from dreamnexus.analysis import DreamAnalysis, pipe
from dreamnexus.research.profile import group_records, profile_groups
from dreamnexus.research.records import BadRecord, InputError, read_records


@click.group("research")
def research_group() -> None:
    """Research indicators (Hall–Van de Castle)."""


def _load(path: Path, workers: int) -> tuple[list[tuple[dict[str, Any], DreamAnalysis]], int]:
    """Records with their analyses; records without an `analysis` object are coded here."""
    items: list[tuple[dict[str, Any], DreamAnalysis | None]] = []
    to_code: list[int] = []
    bad = 0
    for _, item in read_records(path, require_text=False):
        if isinstance(item, BadRecord):
            bad += 1
            click.echo(f"line {item.line}: {item.reason}", err=True)
            continue
        analysis = item.get("analysis")
        if isinstance(analysis, dict):
            try:
                items.append((item, DreamAnalysis.from_dict(analysis)))
            except (TypeError, ValueError, KeyError) as exc:
                bad += 1
                click.echo(f"record {len(items) + bad}: invalid 'analysis' ({exc})", err=True)
            continue
        to_code.append(len(items))
        items.append((item, None))

    def texts() -> Iterator[str]:
        for index in to_code:
            yield items[index][0]["text"]

    for index, analysis in zip(to_code, pipe(texts(), workers=workers, embed=False), strict=True):
        items[index] = (items[index][0], analysis)
    return [(r, a) for r, a in items if a is not None], bad


def _fmt(value: Any) -> str:
    return "" if value is None else str(value)


def _table(result: dict[str, Any]) -> str:
    lines: list[str] = []
    for name, group in result["groups"].items():
        lines.append(f"group {name}: {group['n_dreams']} dreams (norms: {group.get('norms_sex') or '-'})")
        lines.append(f"  {'indicator':32} {'value':>8} {'count':>11} {'norm':>7} {'h':>7} {'p':>7}")
        vs = group.get("vs_norms") or {}
        for indicator, value in group["indicators"].items():
            counts = group["counts"][indicator]
            row = vs.get(indicator, {})
            lines.append(
                f"  {indicator:32} {_fmt(value):>8} {counts['numerator']:>5}/{counts['denominator']:<5} "
                f"{_fmt(row.get('norm')):>7} {_fmt(row.get('h')):>7} {_fmt(row.get('p')):>7}"
            )
    return "\n".join(lines)


def _csv(result: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["group", "n_dreams", "indicator", "value", "numerator", "denominator", "norm", "h", "p"])
    for name, group in result["groups"].items():
        vs = group.get("vs_norms") or {}
        for indicator, value in group["indicators"].items():
            counts = group["counts"][indicator]
            row = vs.get(indicator, {})
            writer.writerow(
                [
                    name,
                    group["n_dreams"],
                    indicator,
                    _fmt(value),
                    counts["numerator"],
                    counts["denominator"],
                    _fmt(row.get("norm")),
                    _fmt(row.get("h")),
                    _fmt(row.get("p")),
                ]
            )
    return buf.getvalue()


@research_group.command("profile")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--group-by", "group_by", help="Record field to group by (one group 'all' without it).")
@click.option(
    "--compare-norms",
    type=click.Choice(["male", "female", "auto"]),
    default="auto",
    show_default=True,
    help="Norms to compare with; auto uses each group's `sex` field.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table", "csv"]), default="json", show_default=True
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--skip-bad", is_flag=True, help="Exit 0 even when some records are bad.")
def profile_command(
    input_path: Path, group_by: str | None, compare_norms: str, fmt: str, workers: int, skip_bad: bool
) -> None:
    """HVdC indicators of the dreams in INPUT (raw or already analysed records)."""
    try:
        items, bad = _load(input_path, workers)
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    result = profile_groups(group_records(items, group_by), compare_norms)
    if fmt == "json":
        click.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    elif fmt == "table":
        click.echo(_table(result))
    else:
        click.echo(_csv(result), nl=False)
    if bad and not skip_bad:
        sys.exit(1)
