"""Plain data types of the weaving engine: what goes in (contributions) and what comes out (a Weave)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "Contribution",
    "ContributionError",
    "Exclusion",
    "Passage",
    "Source",
    "Weave",
    "parse_contribution",
]


class ContributionError(ValueError):
    """A contribution record is malformed (missing id/author/text, bad trust or timestamp)."""


@dataclass(frozen=True)
class Contribution:
    id: str
    author: str
    text: str
    group: str | None = None
    created_at: float | None = None  # POSIX seconds; parsed from ISO 8601
    trust: float | None = None
    analysis: Any = None


def _parse_time(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        raise ContributionError(f"created_at must be an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ContributionError(f"created_at is not ISO 8601: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _required_str(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ContributionError(f"field {key!r} must be a non-empty string")
    return value


def parse_contribution(record: Any, group_field: str = "group") -> Contribution:
    """Build a Contribution from a JSON-like dict; unknown fields are ignored."""
    if isinstance(record, Contribution):
        return record
    if not isinstance(record, dict):
        raise ContributionError(f"a contribution must be an object, got {type(record).__name__}")
    cid = _required_str(record, "id")
    author = _required_str(record, "author")
    text = record.get("text")
    if not isinstance(text, str):
        raise ContributionError("field 'text' must be a string")
    group = record.get(group_field)
    if group is not None and not isinstance(group, str):
        if isinstance(group, int | float) and not isinstance(group, bool):
            group = str(group)
        else:
            raise ContributionError(f"field {group_field!r} must be a string")
    trust = record.get("trust")
    if trust is not None:
        if isinstance(trust, bool) or not isinstance(trust, int | float) or not 0.0 <= float(trust) <= 1.0:
            raise ContributionError("field 'trust' must be a number in [0, 1]")
        trust = float(trust)
    return Contribution(
        id=cid,
        author=author,
        text=text,
        group=group or None,
        created_at=_parse_time(record.get("created_at")),
        trust=trust,
        analysis=record.get("analysis"),
    )


@dataclass(frozen=True)
class Source:
    contribution_id: str
    author: str
    span: tuple[int, int]  # [start, end) character offsets into the contribution's text

    def to_dict(self) -> dict[str, Any]:
        return {"contribution_id": self.contribution_id, "author": self.author, "span": list(self.span)}


@dataclass(frozen=True)
class Passage:
    text: str
    sources: tuple[Source, ...]
    stage: str
    connective: str  # engine-written prefix of `text`; everything after it is the contributor's words

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": [s.to_dict() for s in self.sources],
            "stage": self.stage,
            "connective": self.connective,
        }


@dataclass(frozen=True)
class Exclusion:
    id: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "reason": self.reason}
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True)
class Weave:
    title: str
    passages: tuple[Passage, ...]
    excluded: tuple[Exclusion, ...]
    downweighted: tuple[dict[str, Any], ...]
    representation: dict[str, dict[str, float]]
    metrics: dict[str, float]
    engine_version: str
    parameters: dict[str, Any]
    seed: int
    polish: dict[str, Any] = field(default_factory=lambda: {"applied": False})

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "passages": [p.to_dict() for p in self.passages],
            "excluded": [e.to_dict() for e in self.excluded],
            "downweighted": [dict(d) for d in self.downweighted],
            "representation": {g: dict(v) for g, v in self.representation.items()},
            "metrics": dict(self.metrics),
            "engine_version": self.engine_version,
            "parameters": dict(self.parameters),
            "seed": self.seed,
            "polish": dict(self.polish),
        }
