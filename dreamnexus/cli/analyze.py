"""`dreamnexus analyze INPUT`: code every dream of a file and write JSON lines with an `analysis` object."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Any

import click
import orjson

from dreamnexus.analysis import pipe
from dreamnexus.research.records import BadRecord, InputError, count_records, read_records


def _report(bad: BadRecord) -> None:
    click.echo(f"line {bad.line}: {bad.reason}", err=True)


@click.command("analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Output .jsonl (stdout)."
)
@click.option("--no-embed", is_flag=True, help="Skip the embedding (coding only).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Coding processes.")
@click.option(
    "--skip-bad", is_flag=True, help="Exit 0 even when some records are bad (they are still reported)."
)
def analyze_command(
    input_path: Path, output: Path | None, no_embed: bool, workers: int, skip_bad: bool
) -> None:
    """Code the dreams in INPUT (.jsonl, .jsonl.gz or .csv with a `text` field)."""
    try:
        total = count_records(input_path) if input_path.is_file() else 0
        records = read_records(input_path)
        bad_count = 0
        pending: deque[dict[str, Any]] = deque()

        def texts() -> Iterator[str]:
            nonlocal bad_count
            for _, item in records:
                if isinstance(item, BadRecord):
                    bad_count += 1
                    _report(item)
                    continue
                pending.append(item)
                yield item["text"]

        out: IO[bytes] = output.open("wb") if output else sys.stdout.buffer
        try:
            with click.progressbar(length=total, label="analysing", file=sys.stderr) as bar:
                for analysis in pipe(texts(), workers=workers, embed=not no_embed):
                    record = pending.popleft()
                    record["analysis"] = analysis.to_dict()
                    out.write(
                        orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_SERIALIZE_NUMPY)
                    )
                    bar.update(1)
        finally:
            out.flush()
            if output:
                out.close()
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    except BrokenProcessPool as exc:
        raise click.ClickException(f"a coding worker process died ({exc}); retry with --workers 1") from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write output: {exc}") from exc
    if bad_count:
        click.echo(f"{bad_count} bad record(s)", err=True)
        if not skip_bad:
            sys.exit(1)
