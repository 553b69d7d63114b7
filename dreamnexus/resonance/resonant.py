"""Resonant dreams: rank candidate dreams by a blend of meaning, emotion, themes and symbols.

The caller passes only the candidates the viewer may see. Each result carries its "why", so the
interface can say *what* two dreams share instead of showing a bare score. In bridge mode dreams from
another language or group that share the query's emotional core are lifted, to connect people who
dream the same fears and hopes in other words.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dreamnexus.resonance.features import (
    HVDC_EMOTIONS,
    DreamFeatures,
    emotion_matrix,
    emotion_vector,
    normalize_rows,
)
from dreamnexus.resonance.index import VectorIndex, top_k

__all__ = [
    "BRIDGE_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "Resonance",
    "ResonanceWeights",
    "Why",
    "explain",
    "resonant_dreams",
    "resonant_from_index",
]


@dataclass(frozen=True, slots=True)
class ResonanceWeights:
    """Blend weights; ``bridge_bonus`` is added for a crossing candidate with the full emotional core."""

    embedding: float = 0.55
    emotion: float = 0.25
    themes: float = 0.12
    symbols: float = 0.08
    bridge_bonus: float = 0.0
    # Emotional-core cosine from which a crossing starts to earn the bonus (it grows linearly to 1).
    core_min: float = 0.75


DEFAULT_WEIGHTS = ResonanceWeights()
# Cross-language embeddings agree less than same-language ones, so bridge mode leans on the emotional
# core, which is language-independent, and rewards crossing a language or group boundary.
BRIDGE_WEIGHTS = ResonanceWeights(embedding=0.35, emotion=0.40, themes=0.15, symbols=0.10, bridge_bonus=0.25)

# An emotion counts as shared when it makes up at least this share of both dreams' emotion mix.
SHARED_EMOTION_MIN = 0.15


@dataclass(frozen=True, slots=True)
class Why:
    shared_themes: tuple[str, ...]
    shared_emotions: tuple[str, ...]
    shared_symbols: tuple[str, ...]
    emotional_core: float
    crosses_language: bool
    crosses_group: bool


@dataclass(frozen=True, slots=True)
class Resonance:
    id: Hashable
    score: float
    similarity: float
    why: Why


def _norm_terms(terms: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for term in terms:
        key = term.strip().casefold()
        if key and key not in out:
            out[key] = term.strip()
    return out


def _shared(query: dict[str, str], other: Iterable[str]) -> tuple[tuple[str, ...], float]:
    """Shared terms in the query's order, and their Jaccard overlap."""
    other_keys = set(_norm_terms(other))
    shared = tuple(label for key, label in query.items() if key in other_keys)
    union = len(query.keys() | other_keys)
    return shared, (len(shared) / union if union else 0.0)


def _emotion_shares(dream: DreamFeatures) -> dict[str, float]:
    weights = {name: max(float(dream.emotions.get(name, 0.0)), 0.0) for name in HVDC_EMOTIONS}
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()} if total > 0 else {}


def _shared_emotions(a: DreamFeatures, b: DreamFeatures) -> tuple[str, ...]:
    sa, sb = _emotion_shares(a), _emotion_shares(b)
    if not sa or not sb:
        return ()
    common = [(min(sa[n], sb[n]), n) for n in HVDC_EMOTIONS if min(sa[n], sb[n]) >= SHARED_EMOTION_MIN]
    return tuple(name for _, name in sorted(common, key=lambda item: -item[0]))


def _differs(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() != b.casefold()


def explain(query: DreamFeatures, other: DreamFeatures) -> Why:
    """What two dreams share: themes, emotions and symbols, the emotional-core cosine, crossings."""
    themes, _ = _shared(_norm_terms(query.themes), other.themes)
    symbols, _ = _shared(_norm_terms(query.symbols), other.symbols)
    q_core = emotion_vector(query.emotions, query.valence)
    core = float(q_core @ emotion_vector(other.emotions, other.valence))
    return Why(
        shared_themes=themes,
        shared_emotions=_shared_emotions(query, other),
        shared_symbols=symbols,
        emotional_core=core,
        crosses_language=_differs(query.language, other.language),
        crosses_group=_differs(query.group, other.group),
    )


def resonant_dreams(
    query: DreamFeatures,
    candidates: Sequence[DreamFeatures],
    k: int = 10,
    *,
    bridge: bool = False,
    weights: ResonanceWeights | None = None,
) -> list[Resonance]:
    """The ``k`` candidates that resonate most with ``query``, best first, each with its "why".

    The query itself (same id) is never returned. ``bridge=True`` uses ``BRIDGE_WEIGHTS`` unless
    ``weights`` is given.
    """
    if weights is None:
        weights = BRIDGE_WEIGHTS if bridge else DEFAULT_WEIGHTS
    pool = [c for c in candidates if c.id != query.id]
    if k <= 0 or not pool:
        return []
    q_vec = normalize_rows(query.vector)[0]
    matrix = normalize_rows(np.stack([np.asarray(c.vector, dtype=np.float32) for c in pool]))
    if matrix.shape[1] != q_vec.shape[0]:
        raise ValueError("candidate vectors and query vector differ in dimension")
    similarity = matrix @ q_vec
    core = emotion_matrix(pool) @ emotion_vector(query.emotions, query.valence)
    q_themes, q_symbols = _norm_terms(query.themes), _norm_terms(query.symbols)
    theme_overlap = np.array([_shared(q_themes, c.themes)[1] for c in pool], dtype=np.float32)
    symbol_overlap = np.array([_shared(q_symbols, c.symbols)[1] for c in pool], dtype=np.float32)
    score = (
        weights.embedding * similarity
        + weights.emotion * core
        + weights.themes * theme_overlap
        + weights.symbols * symbol_overlap
    )
    if weights.bridge_bonus:
        crosses = np.array(
            [_differs(query.language, c.language) or _differs(query.group, c.group) for c in pool], dtype=bool
        )
        strength = np.clip((core - weights.core_min) / max(1.0 - weights.core_min, 1e-6), 0.0, 1.0)
        score = score + weights.bridge_bonus * strength * crosses
    best = top_k(score.astype(np.float64), k)
    return [
        Resonance(pool[j].id, float(score[j]), float(similarity[j]), explain(query, pool[j])) for j in best
    ]


def resonant_from_index(
    index: VectorIndex,
    query: DreamFeatures,
    features_of: Callable[[Sequence[Hashable]], Sequence[DreamFeatures]],
    k: int = 10,
    *,
    allowed: Iterable[Hashable] | None = None,
    depth: int = 200,
    bridge: bool = False,
    weights: ResonanceWeights | None = None,
) -> list[Resonance]:
    """Large-corpus variant: shortlist ``depth`` nearest dreams from the index, then rerank them.

    ``features_of`` loads the features of the shortlisted ids (in any order; missing ids are skipped).
    Bridge candidates whose embedding is far from the query may fall outside the shortlist; raise
    ``depth`` for bridge queries (see docs/resonance.md).
    """
    shortlist = [ident for ident, _ in index.search(query.vector, depth, allowed)]
    live = set(shortlist)
    candidates = [f for f in features_of(shortlist) if f.id in live]
    return resonant_dreams(query, candidates, k, bridge=bridge, weights=weights)
