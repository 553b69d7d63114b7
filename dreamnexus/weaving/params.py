"""Tunable parameters of a weave; all of them are echoed in the output so a weave can be reproduced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

ENGINE_VERSION = "weaving-1.0"


@dataclass(frozen=True)
class WeaveParameters:
    size: int = 24  # fragments (passages) in the weave
    max_per_author: int = 1
    n_themes: int = 8
    max_excerpt_chars: int = 300
    min_words: int = 4
    # Cosine at or above which two contributions count as near-duplicates.
    dup_threshold: float = 0.9
    # A near-duplicate group spanning this many distinct authors is a flood, not a repost.
    flood_min_authors: int = 3
    default_trust: float = 0.5
    low_trust: float = 0.3
    # A representative of a flood survives only if its author is this established.
    established_trust: float = 0.6
    burst_window_s: float = 1800.0
    # Pairs above this quantile of similarity among non-low-trust posts are "unusually similar".
    coord_quantile: float = 0.99
    # A low-trust post with this many unusually similar low-trust posts in its window is coordinated.
    coord_min_neighbours: int = 5
    coordinated_weight: float = 0.05
    off_topic_weight: float = 0.2
    # Off-topic: cosine to the centre below Q1 - off_topic_iqr x IQR of established accounts' cosines.
    off_topic_iqr: float = 2.0
    # Honest weight needed to count as a full contributor (quota, "must appear" rule, first pick).
    honest_weight: float = 0.5
    min_group_contributors: int = 3

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("size must be at least 1")
        if self.max_per_author < 1:
            raise ValueError("max_per_author must be at least 1")
        if not 0.0 < self.dup_threshold <= 1.0:
            raise ValueError("dup_threshold must be in (0, 1]")
        if self.n_themes < 1:
            raise ValueError("n_themes must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WeaveParameters:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
