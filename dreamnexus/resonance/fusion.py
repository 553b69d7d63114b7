"""Hybrid search: fuse the semantic ranking of the vector index with the caller's full-text ranking.

Reciprocal rank fusion (Cormack et al., 2009) uses ranks only, so cosine scores and full-text scores
(ts_rank, BM25, ...) never need to be put on a common scale.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dreamnexus.resonance.index import VectorIndex

__all__ = ["DEFAULT_RRF_K", "HybridHit", "hybrid_search", "reciprocal_rank_fusion"]

# The constant of the original paper: damps the head of each ranking so one list cannot dominate.
DEFAULT_RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hashable]],
    *,
    rrf_k: int = DEFAULT_RRF_K,
    weights: Sequence[float] | None = None,
    limit: int | None = None,
) -> list[tuple[Hashable, float]]:
    """Fuse rankings (each a list of ids, best first) into ``(id, score)`` pairs, best first.

    ``score(d) = sum_i weights[i] / (rrf_k + rank_i(d))`` with ranks starting at 1; an id missing from a
    ranking gets nothing from it. Ties keep the order of first appearance, so the result is deterministic.
    """
    if rrf_k < 0:
        raise ValueError("rrf_k must be >= 0")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[Hashable] = set()
        for ident in ranking:
            if ident in seen:  # a duplicate later in the same list neither counts twice nor takes a rank
                continue
            seen.add(ident)
            scores[ident] = scores.get(ident, 0.0) + weight / (rrf_k + len(seen))
    order = sorted(scores.items(), key=lambda item: -item[1])
    return order if limit is None else order[:limit]


@dataclass(frozen=True, slots=True)
class HybridHit:
    id: Hashable
    score: float
    semantic_rank: int | None
    text_rank: int | None


def hybrid_search(
    index: VectorIndex,
    query_vector: np.ndarray | None,
    text_scores: Mapping[Hashable, float],
    k: int = 10,
    *,
    allowed: Iterable[Hashable] | None = None,
    depth: int = 100,
    rrf_k: int = DEFAULT_RRF_K,
    semantic_weight: float = 1.0,
    text_weight: float = 1.0,
) -> list[HybridHit]:
    """Top ``k`` of the fused semantic (``depth`` nearest) and full-text rankings.

    ``text_scores`` maps ids to the caller's full-text relevance (higher is better). Ids outside
    ``allowed`` are dropped from both sides; ``query_vector=None`` means text-only.
    """
    allowed_set = None if allowed is None else set(allowed)
    semantic: list[Hashable] = []
    if query_vector is not None:
        semantic = [ident for ident, _ in index.search(query_vector, depth, allowed_set)]
    text_items = text_scores.items()
    if allowed_set is not None:
        text_items = [(i, s) for i, s in text_items if i in allowed_set]
    text = [ident for ident, score in sorted(text_items, key=lambda item: -item[1]) if score > 0][:depth]
    fused = reciprocal_rank_fusion(
        [semantic, text], rrf_k=rrf_k, weights=[semantic_weight, text_weight], limit=k
    )
    sem_rank = {ident: r for r, ident in enumerate(semantic, start=1)}
    text_rank = {ident: r for r, ident in enumerate(text, start=1)}
    return [HybridHit(i, s, sem_rank.get(i), text_rank.get(i)) for i, s in fused]
