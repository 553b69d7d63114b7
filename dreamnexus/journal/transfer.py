"""Reading dream records from JSONL / JSONL.gz / CSV files, and writing a journal out as JSONL.

Reading is a stream of (line number, record or error) so that a bad row is reported and skipped,
never fatal, and never half-imported.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from dreamnexus.errors import validation_messages
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import DreamCreate

IMPORTED_FIELDS = ("text", "title", "dreamt_on", "tags", "lucid", "mood", "language")
SUPPORTED = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".ndjson")


@dataclass(frozen=True)
class RawRecord:
    line: int
    record: dict[str, Any] | None
    error: str | None = None


class UnsupportedFile(ValueError):
    pass


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".json.gz")):
        return "jsonl"
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    raise UnsupportedFile(f"{path.name}: expected a .jsonl, .jsonl.gz or .csv file")


def read_records(path: Path) -> Iterator[RawRecord]:
    """Yield every record of the file with its line number; undecodable or malformed ones as errors."""
    kind = file_kind(path)
    with _open_binary(path) as handle:
        if kind == "jsonl":
            yield from _read_jsonl(handle)
        else:
            yield from _read_csv(handle)


def _read_jsonl(handle: IO[bytes]) -> Iterator[RawRecord]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield RawRecord(number, None, "not valid UTF-8")
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield RawRecord(number, None, f"malformed JSON ({error.msg})")
            continue
        if not isinstance(value, dict):
            yield RawRecord(number, None, "a record must be a JSON object")
            continue
        yield RawRecord(number, value)


def _read_csv(handle: IO[bytes]) -> Iterator[RawRecord]:
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.DictReader(text)
    try:
        for row in reader:
            number = reader.line_num
            if None in row:
                yield RawRecord(number, None, "more values than columns")
                continue
            values = {k: v for k, v in row.items() if k is not None}
            if any(isinstance(v, str) and _has_surrogates(v) for v in values.values()):
                yield RawRecord(number, None, "not valid UTF-8")
                continue
            yield RawRecord(number, values)
    except csv.Error as error:
        yield RawRecord(reader.line_num, None, f"malformed CSV ({error})")


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def to_dream_input(record: dict[str, Any]) -> DreamCreate:
    """Map a foreign record onto a new private dream; fields we do not know are left behind."""
    values: dict[str, Any] = {k: record[k] for k in IMPORTED_FIELDS if record.get(k) not in (None, "")}
    if "dreamt_on" not in values and record.get("date"):
        values["dreamt_on"] = record["date"]
    if isinstance(values.get("tags"), str):
        values["tags"] = [t for t in values["tags"].split(",") if t.strip()]
    if isinstance(values.get("lucid"), str):
        values["lucid"] = values["lucid"].strip().lower() in {"1", "true", "yes", "y"}
    if isinstance(values.get("mood"), str):
        values["mood"] = (
            int(values["mood"]) if values["mood"].strip().lstrip("-").isdigit() else values["mood"]
        )
    if "text" not in values:
        raise ValueError("no 'text' field")
    if not isinstance(values["text"], str):
        raise ValueError("'text' must be a string")
    return DreamCreate(**values)


def describe(error: ValidationError | ValueError) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(validation_messages(error))
    return str(error)


def export_record(dream: Dream) -> dict[str, Any]:
    return {
        "id": dream.public_id,
        "title": dream.title,
        "text": dream.text,
        "dreamt_on": dream.dreamt_on.isoformat() if isinstance(dream.dreamt_on, date) else dream.dreamt_on,
        "tags": dream.tag_names,
        "lucid": dream.lucid,
        "mood": dream.mood,
        "language": dream.language,
        "visibility": dream.visibility,
        "consents": dream.consents(),
        "created_at": dream.created_at.isoformat(),
        "updated_at": dream.updated_at.isoformat(),
    }
