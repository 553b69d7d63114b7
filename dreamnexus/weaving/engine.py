"""The extractive weave: screen, select, order, compose. Pure: same input, parameters and seed, same weave."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dreamnexus.weaving import arc, metrics
from dreamnexus.weaving.content import check_text
from dreamnexus.weaving.features import Features, Featuriser, default_featuriser
from dreamnexus.weaving.model import Contribution, Exclusion, Passage, Source, Weave, parse_contribution
from dreamnexus.weaving.params import ENGINE_VERSION, WeaveParameters
from dreamnexus.weaving.render import choose_connectives, compose_passage, title_for
from dreamnexus.weaving.screening import screen_population
from dreamnexus.weaving.selection import Pool, effective_contributors, select, theme_mass
from dreamnexus.weaving.text import excerpt_span, word_count
from dreamnexus.weaving.themes import kmeans

NO_GROUP = "(none)"


@dataclass
class Prepared:
    """Contributions in priority order (earliest, then id) with their features and content verdicts."""

    rows: list[Contribution]
    excluded: dict[int, tuple[str, str]]
    x: np.ndarray
    features: Features
    trust: np.ndarray
    times: np.ndarray
    # Excerpt spans, computed on demand: only the chosen rows (and live rows' lengths) ever need them.
    spans: list[tuple[int, int] | None]
    featuriser: str


def _priority(c: Contribution) -> tuple[float, str]:
    return (c.created_at if c.created_at is not None else math.inf, c.id)


def prepare(
    contributions: Iterable[Any], params: WeaveParameters, featuriser: Featuriser | None = None
) -> tuple[Prepared, list[Exclusion]]:
    featuriser = featuriser or default_featuriser()
    seen: set[str] = set()
    rows: list[Contribution] = []
    early: list[Exclusion] = []
    for raw in contributions:
        c = parse_contribution(raw)
        if c.id in seen:
            early.append(Exclusion(c.id, "duplicate_id", "id already used"))
            continue
        seen.add(c.id)
        rows.append(c)
    rows.sort(key=_priority)
    excluded: dict[int, tuple[str, str]] = {}
    for i, c in enumerate(rows):
        finding = check_text(c.text, params.min_words)
        if finding is not None:
            excluded[i] = (finding.reason, finding.detail)
    alive = [i for i in range(len(rows)) if i not in excluded]
    feats = featuriser.featurise([rows[i] for i in alive])
    dim = feats.embeddings.shape[1] if feats.embeddings.ndim == 2 else 1
    n = len(rows)
    x = np.zeros((n, dim), dtype=np.float32)
    full = Features(
        embeddings=x,
        valence=np.zeros(n, dtype=np.float32),
        arousal=np.zeros(n, dtype=np.float32),
        emotions=np.zeros((n, feats.emotions.shape[1] if len(feats) else 5), dtype=np.float32),
        themes=[[] for _ in range(n)],
    )
    if alive:
        idx = np.asarray(alive)
        x[idx] = feats.embeddings
        full.valence[idx] = feats.valence
        full.arousal[idx] = feats.arousal
        full.emotions[idx] = feats.emotions
        for j, i in enumerate(alive):
            full.themes[i] = feats.themes[j]
    trust = np.array([params.default_trust if c.trust is None else c.trust for c in rows], dtype=np.float64)
    times = np.array([np.nan if c.created_at is None else c.created_at for c in rows], dtype=np.float64)
    spans: list[tuple[int, int] | None] = [None] * n
    return Prepared(rows, excluded, x, full, trust, times, spans, featuriser.name), early


def span_of(prepared: Prepared, i: int, max_chars: int) -> tuple[int, int]:
    span = prepared.spans[i]
    if span is None:
        span = prepared.spans[i] = excerpt_span(prepared.rows[i].text, max_chars)
    return span


def weave(
    contributions: Iterable[Any],
    params: WeaveParameters | None = None,
    seed: int = 0,
    featuriser: Featuriser | None = None,
) -> Weave:
    """Weave contributions (dicts or Contribution) into one narrative; see docs/weaving.md."""
    params = params or WeaveParameters()
    prepared, early = prepare(contributions, params, featuriser)
    return weave_prepared(prepared, params, seed, early)


def weave_prepared(
    prepared: Prepared, params: WeaveParameters, seed: int, early: Sequence[Exclusion] = ()
) -> Weave:
    """Screen, select and assemble prepared contributions (the incremental weaver reuses this)."""
    rows = prepared.rows
    n = len(rows)
    alive = np.ones(n, dtype=bool)
    for i in prepared.excluded:
        alive[i] = False
    authors = [c.author for c in rows]
    screening = screen_population(
        prepared.x, [c.id for c in rows], authors, prepared.trust, prepared.times, alive, params, seed
    )
    excluded = dict(prepared.excluded)
    excluded.update(screening.excluded)
    weights = screening.weights
    for i in excluded:
        weights[i] = 0.0
    groups = [c.group or NO_GROUP for c in rows]
    # An excerpt is the leading sentences within max_excerpt_chars: the head of the text estimates its
    # length for scoring; exact spans are computed for the rows actually chosen.
    cap = params.max_excerpt_chars
    lengths = np.array([min(len(c.text), cap) for c in rows], dtype=np.float64)
    words = np.array([word_count(c.text[:cap]) for c in rows], dtype=np.float64)

    def exact_length(i: int) -> float:
        s, e = span_of(prepared, i, cap)
        lengths[i] = e - s
        return float(e - s)

    live = np.flatnonzero(weights > 0)
    honest = np.flatnonzero(weights >= params.honest_weight)
    basis = honest if honest.size else live
    k = max(1, min(params.n_themes, basis.size))
    labels = np.full(n, -1, dtype=np.int64)
    centrality = np.zeros(n, dtype=np.float32)
    if basis.size:
        _, centroids = kmeans(prepared.x[basis], k, seed, weights=weights[basis])
        sims = prepared.x[live] @ centroids.T
        labels[live] = np.argmax(sims, axis=1)
        centrality[live] = sims[np.arange(live.size), labels[live]]
    pool = Pool(prepared.x, weights, groups, authors, labels, centrality, lengths, words, exact_length)
    chosen = select(pool, params, k)

    contributors = effective_contributors(pool, params)
    chosen_spans: list[tuple[int, int]] = [(0, 0)] * n
    for i in chosen:
        chosen_spans[i] = span_of(prepared, i, cap)
    exclusions = list(early) + [Exclusion(rows[i].id, r, d) for i, (r, d) in sorted(excluded.items())]
    down = tuple(
        {"id": rows[i].id, "reason": r, "weight": w}
        for i, (r, w) in sorted(screening.downweighted.items())
        if i not in excluded
    )
    return assemble(
        rows=rows,
        spans=chosen_spans,
        x=prepared.x,
        feats=prepared.features,
        groups=groups,
        lengths=lengths,
        labels=labels,
        mass=theme_mass(pool, k),
        contributors=contributors,
        chosen=chosen,
        exclusions=exclusions,
        downweighted=down,
        params=params,
        seed=seed,
        featuriser_name=prepared.featuriser,
    )


def assemble(
    *,
    rows: Sequence[Contribution],
    spans: Sequence[tuple[int, int]],
    x: np.ndarray,
    feats: Features,
    groups: Sequence[str],
    lengths: np.ndarray,
    labels: np.ndarray,
    mass: np.ndarray,
    contributors: dict[str, int],
    chosen: Sequence[int],
    exclusions: Sequence[Exclusion],
    downweighted: tuple[dict[str, Any], ...],
    params: WeaveParameters,
    seed: int,
    featuriser_name: str,
) -> Weave:
    """Order the chosen rows along the arc, compose passages and measure the result."""
    chosen = list(chosen)
    chosen_arr = np.asarray(chosen, dtype=np.int64)
    stage = arc.assign_stages(
        arc.stage_scores(feats.valence[chosen_arr], feats.arousal[chosen_arr], feats.emotions[chosen_arr])
    )
    order = [chosen[j] for j in arc.order_fragments(x[chosen_arr], stage)]
    stage_of = {chosen[j]: int(stage[j]) for j in range(len(chosen))}
    stage_names = [arc.STAGES[stage_of[i]] for i in order]
    connectives = choose_connectives(stage_names, seed)
    passages: list[Passage] = []
    for i, name, conn in zip(order, stage_names, connectives, strict=True):
        c = rows[i]
        s, e = spans[i]
        passages.append(compose_passage(conn, c.text[s:e], name, Source(c.id, c.author, (s, e))))

    total_c = sum(contributors.values())
    woven_chars: Counter[str] = Counter()
    for i in order:
        woven_chars[groups[i]] += float(lengths[i])
    total_w = sum(woven_chars.values())
    representation = {
        g: {
            "contributor_share": round(contributors.get(g, 0) / total_c, 4) if total_c else 0.0,
            "woven_share": round(woven_chars.get(g, 0) / total_w, 4) if total_w else 0.0,
        }
        for g in sorted(set(contributors) | set(woven_chars))
    }
    title = title_for([t for i in order for t in dict.fromkeys(feats.themes[i])])
    order_arr = np.asarray(order, dtype=np.int64)
    ordered_x = x[order_arr]
    measured = {
        "coverage": round(metrics.coverage(mass, labels[chosen_arr]), 4),
        "redundancy": round(metrics.redundancy(ordered_x), 4),
        "coherence": round(metrics.coherence(ordered_x), 4),
        "arc_fit": round(
            metrics.arc_fit(feats.valence[order_arr], np.array([stage_of[i] for i in order], dtype=np.int64)),
            4,
        ),
        "representation_gap": round(metrics.representation_gap(representation), 4),
    }
    parameters = params.to_dict() | {"featuriser": featuriser_name}
    return Weave(
        title=title,
        passages=tuple(passages),
        excluded=tuple(exclusions),
        downweighted=downweighted,
        representation=representation,
        metrics=measured,
        engine_version=ENGINE_VERSION,
        parameters=parameters,
        seed=seed,
    )
