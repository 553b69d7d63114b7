"""Canonical JSON: the one byte form that every hash in this package is computed over."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return str(value)


# One encoder for the process: json.dumps with non-default options would build a new one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def canonical_str(value: Any) -> str:
    return _ENCODER.encode(value)


def canonical(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8: equal data gives equal bytes."""
    return _ENCODER.encode(value).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_of(value: Any) -> str:
    return sha256_hex(canonical(value))


def iso_utc(value: datetime | None) -> str | None:
    """Microsecond UTC ISO-8601 with a Z, whatever zone the driver handed back."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
