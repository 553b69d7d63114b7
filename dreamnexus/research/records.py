"""Reading dream records from .jsonl, .jsonl.gz or .csv, reporting bad records instead of failing."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

SUFFIXES = (".jsonl", ".jsonl.gz", ".csv")


class InputError(Exception):
    """The input cannot be read at all (missing, unreadable, unsupported format)."""


@dataclass(frozen=True, slots=True)
class BadRecord:
    line: int
    reason: str


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="strict", newline="")
    return path.open("r", encoding="utf-8", newline="")


def check_input(path: Path) -> None:
    if not path.name.endswith(SUFFIXES):
        raise InputError(f"{path}: unsupported input; expected one of {', '.join(SUFFIXES)}")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _check_text(record: Any, require_text: bool) -> str | None:
    if not isinstance(record, dict):
        return "record is not a JSON object"
    if "analysis" in record and not require_text:
        return None if isinstance(record["analysis"], dict) else "'analysis' is not an object"
    text = record.get("text")
    if text is None:
        return "missing 'text' field"
    if not isinstance(text, str):
        return "'text' is not a string"
    return None


def read_records(path: Path, require_text: bool = True) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    """Yield (line number, record or BadRecord). Raises InputError when the file itself is unusable."""
    check_input(path)
    try:
        with _open_text(path) as fh:
            if path.name.endswith(".csv"):
                yield from _read_csv(fh, require_text)
            else:
                yield from _read_jsonl(fh, require_text)
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc


def _read_jsonl(fh: IO[str], require_text: bool) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    for line_no, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield line_no, BadRecord(line_no, f"invalid JSON ({exc.msg})")
            continue
        problem = _check_text(record, require_text)
        yield line_no, (BadRecord(line_no, problem) if problem else record)


def _read_csv(fh: IO[str], require_text: bool) -> Iterator[tuple[int, dict[str, Any] | BadRecord]]:
    reader = csv.DictReader(fh)
    if reader.fieldnames is None:
        return
    if "text" not in reader.fieldnames and "analysis" not in reader.fieldnames:
        raise InputError("CSV input has no 'text' column")
    for row in reader:
        line_no = reader.line_num
        if None in row:
            yield line_no, BadRecord(line_no, "more values than columns")
            continue
        record: dict[str, Any] = dict(row)
        if isinstance(record.get("analysis"), str) and record["analysis"]:
            try:
                record["analysis"] = json.loads(record["analysis"])
            except json.JSONDecodeError:
                yield line_no, BadRecord(line_no, "'analysis' column is not JSON")
                continue
        elif "analysis" in record:
            del record["analysis"]
        if record.get("text") is None:
            yield line_no, BadRecord(line_no, "missing 'text' value")
            continue
        problem = _check_text(record, require_text)
        yield line_no, (BadRecord(line_no, problem) if problem else record)


def count_records(path: Path) -> int:
    """Number of data lines, for the progress bar (bad lines included)."""
    try:
        with _open_text(path) as fh:
            if path.name.endswith(".csv"):
                return max(0, sum(1 for _ in csv.reader(fh)) - 1)
            return sum(1 for line in fh if line.strip())
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
