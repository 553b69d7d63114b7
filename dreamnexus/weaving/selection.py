"""Choose the fragments: proportional to honest contributors per group, covering themes, no near-duplicates.

Greedy: each step serves the group furthest below its share of woven characters (a group with enough
honest contributors that is still absent goes first), then takes that group's best candidate by theme
gain, typicality and length, weighted by trust, skipping near-duplicates of what is already chosen and
authors at their cap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dreamnexus.weaving.params import WeaveParameters


@dataclass
class Pool:
    x: np.ndarray  # (n, d) embeddings
    weights: np.ndarray  # (n,) 0 = excluded
    groups: list[str]
    authors: list[str]
    labels: np.ndarray  # theme cluster per row (-1 for excluded)
    centrality: np.ndarray  # cosine to own theme centroid
    lengths: np.ndarray  # excerpt length in characters (an estimate until exact_length is called)
    words: np.ndarray  # excerpt length in words
    exact_length: Callable[[int], float] | None = None  # the chosen row's real excerpt length


def group_contributors(pool: Pool, honest_weight: float) -> dict[str, int]:
    """Distinct honest authors per group."""
    seen: dict[str, set[str]] = {}
    for i in np.flatnonzero(pool.weights >= honest_weight):
        seen.setdefault(pool.groups[i], set()).add(pool.authors[i])
    return {g: len(a) for g, a in sorted(seen.items())}


def effective_contributors(pool: Pool, params: WeaveParameters) -> dict[str, int]:
    """Honest authors per group; when nobody reaches the honest weight, everyone not excluded counts
    (a weave of only new accounts is still a weave)."""
    return group_contributors(pool, params.honest_weight) or group_contributors(pool, 1e-12)


def theme_mass(pool: Pool, n_themes: int) -> np.ndarray:
    """Share of honest, per-author-normalised weight in each theme cluster."""
    live = np.flatnonzero(pool.labels >= 0)
    per_author: dict[str, int] = {}
    for i in live:
        per_author[pool.authors[i]] = per_author.get(pool.authors[i], 0) + 1
    mass = np.zeros(n_themes, dtype=np.float64)
    for i in live:
        # One person, one voice: a prolific author's posts share a single unit of weight.
        mass[pool.labels[i]] += pool.weights[i] / per_author[pool.authors[i]]
    total = mass.sum()
    return mass / total if total > 0 else mass


def select(pool: Pool, params: WeaveParameters, n_themes: int) -> list[int]:
    n = pool.x.shape[0]
    eligible = pool.weights > 0
    contributors = effective_contributors(pool, params)
    total_contrib = sum(contributors.values())
    share = {g: c / total_contrib for g, c in contributors.items()} if total_contrib else {}
    must = [
        g
        for g, c in sorted(contributors.items(), key=lambda kv: (-kv[1], kv[0]))
        if c >= params.min_group_contributors
    ]
    mass = theme_mass(pool, n_themes)
    covered = np.zeros(n_themes, dtype=np.int64)
    maxsim = np.full(n, -1.0, dtype=np.float32)
    author_ids = {a: k for k, a in enumerate(sorted(set(pool.authors)))}
    author_of = np.fromiter((author_ids[a] for a in pool.authors), dtype=np.int64, count=n)
    author_count = np.zeros(len(author_ids), dtype=np.int64)
    chars: dict[str, float] = dict.fromkeys(share, 0.0)
    group_rows: dict[str, np.ndarray] = {}
    garr = np.asarray(pool.groups, dtype=object)
    for g in share:
        group_rows[g] = np.flatnonzero((garr == g) & eligible)
    exhausted: set[str] = set()
    chosen: list[int] = []
    taken = np.zeros(n, dtype=bool)
    avg_len = float(np.mean(pool.lengths[eligible])) if eligible.any() else 1.0
    length_score = np.minimum(pool.words / 25.0, 1.0) * 0.3 - (pool.words < 6) * 0.5

    while len(chosen) < params.size:
        open_groups = [g for g in share if g not in exhausted]
        if not open_groups:
            break
        absent = [g for g in must if g in open_groups and chars.get(g, 0.0) == 0.0]
        if absent:
            g = absent[0]
        else:
            total = sum(chars.values()) + avg_len
            g = max(open_groups, key=lambda h: (share[h] * total - chars[h], share[h], h))
        rows = group_rows[g]
        ok = ~taken[rows] & (maxsim[rows] < params.dup_threshold)
        ok &= author_count[author_of[rows]] < params.max_per_author
        cand = rows[ok]
        strong = cand[pool.weights[cand] >= params.honest_weight]
        cand = strong if strong.size else cand
        if cand.size == 0:
            exhausted.add(g)
            continue
        lab = pool.labels[cand]
        gain = mass[lab] / (1.0 + 2.0 * covered[lab])
        score = pool.weights[cand] * (
            4.0 * gain
            + 0.5 * pool.centrality[cand]
            + length_score[cand]
            - 0.5 * np.clip(maxsim[cand], 0, None)
        )
        best = int(cand[int(np.argmax(score))])
        chosen.append(best)
        taken[best] = True
        covered[pool.labels[best]] += 1
        author_count[author_of[best]] += 1
        length = pool.exact_length(best) if pool.exact_length else float(pool.lengths[best])
        chars[g] = chars.get(g, 0.0) + length
        np.maximum(maxsim, pool.x @ pool.x[best], out=maxsim)
    return chosen
