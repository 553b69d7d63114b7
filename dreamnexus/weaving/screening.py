"""Population-level defences: near-duplicates and floods, coordinated low-trust bursts, off-topic outliers.

Content rules (links, injection, abuse, filler) run first in `content.py`; what survives them is judged
here against the rest of the population. Floods and reposts are excluded (one honest original may stay);
bursts and outliers are down-weighted, not excluded, so an honest person caught by them can still be
woven when nothing better represents their group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dreamnexus.weaving.params import WeaveParameters
from dreamnexus.weaving.themes import kmeans

# Above this many items the pairwise check runs inside k-means blocks instead of one n x n product.
_BLOCK_ABOVE = 2500
_BLOCK_SIZE = 150


@dataclass
class Screening:
    weights: np.ndarray  # 0 for excluded
    excluded: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (reason, detail)
    downweighted: dict[int, tuple[str, float]] = field(default_factory=dict)


def _leaders(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Connected components of the "near-duplicate" graph, each labelled by its earliest row.

    Components rather than leader balls, because copies perturbed twice may be further from the
    original than from each other: chains of near-copies must end up in one group.
    """
    m = sim.shape[0]
    close = sim >= threshold
    leader = np.arange(m, dtype=np.int64)
    # Most rows have no near-duplicate at all; only rows with a neighbour need the search.
    dup_rows = np.flatnonzero(close.sum(axis=1) > 1)
    seen = np.zeros(m, dtype=bool)
    for i in dup_rows:
        if seen[i]:
            continue
        members = close[i].copy()
        frontier = members.copy()
        while frontier.any():
            reached = close[frontier].any(axis=0)
            frontier = reached & ~members
            members |= reached
        leader[members] = i
        seen |= members
    return leader


def near_duplicate_groups(x: np.ndarray, threshold: float, seed: int) -> list[np.ndarray]:
    """Groups (size >= 2, indices in ascending order) of rows whose cosine with the group leader >= threshold.

    Rows are expected in priority order (earliest first): the leader of a group is its earliest member.
    """
    n = x.shape[0]
    if n < 2:
        return []
    if n <= _BLOCK_ABOVE:
        blocks = [np.arange(n)]
    else:
        labels, _ = kmeans(x, n // _BLOCK_SIZE, seed, iters=3, plus_plus=False)
        order = np.argsort(labels, kind="stable")
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        blocks = np.split(order, bounds)
    groups: list[np.ndarray] = []
    for block in blocks:
        if block.size < 2:
            continue
        block = np.sort(block)
        xb = x[block]
        lead = _leaders(xb @ xb.T, threshold)
        counts = np.bincount(lead, minlength=block.size)
        for leader in np.flatnonzero(counts >= 2):
            groups.append(block[lead == leader])
    groups.sort(key=lambda g: int(g[0]))
    return groups


def screen_population(
    x: np.ndarray,
    ids: list[str],
    authors: list[str],
    trust: np.ndarray,
    times: np.ndarray,
    alive: np.ndarray,
    params: WeaveParameters,
    seed: int,
) -> Screening:
    """Weights and reasons for rows of `x` (priority order); `alive` masks rows not already excluded."""
    weights = np.where(alive, 0.5 + 0.5 * trust, 0.0).astype(np.float64)
    result = Screening(weights=weights)
    idx = np.flatnonzero(alive)

    for group in near_duplicate_groups(x[idx], params.dup_threshold, seed):
        members = idx[group]
        distinct = {authors[i] for i in members}
        if len(distinct) >= params.flood_min_authors:
            first = int(members[0])
            keep = first if trust[first] >= params.established_trust else -1
            for i in members:
                if int(i) != keep:
                    result.excluded[int(i)] = (
                        "flood",
                        f"{len(members)} near-copies from {len(distinct)} authors",
                    )
        else:
            # Same person reposting (or two people): keep the most trusted, earliest copy.
            keep = int(members[np.argmax(trust[members] + 1e-9 * (len(members) - np.arange(len(members))))])
            for i in members:
                if int(i) != keep:
                    result.excluded[int(i)] = ("near_duplicate", f"of {ids[keep]}")
    for i in result.excluded:
        weights[i] = 0.0

    live = np.flatnonzero(weights > 0)
    low = live[trust[live] < params.low_trust]
    if low.size >= params.coord_min_neighbours + 1:
        # The reference pairs come from established accounts, so a campaign cannot raise its own bar.
        ref = live[trust[live] >= params.low_trust]
        threshold = rare_similarity(x[ref if ref.size >= 50 else live], params.coord_quantile, seed)
        for i in coordinated(x, times, low, threshold, params):
            result.downweighted[int(i)] = ("coordinated_low_trust", params.coordinated_weight)
            weights[i] = min(weights[i], params.coordinated_weight)

    live = np.flatnonzero(weights > 0)
    if live.size >= 20:
        centre = (x[live] * weights[live, None]).sum(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        sims = x[live] @ centre
        ref = live[trust[live] >= params.established_trust]
        ref_sims = x[ref] @ centre if ref.size >= 20 else sims
        q1, q3 = np.percentile(ref_sims, [25, 75])
        floor = q1 - params.off_topic_iqr * (q3 - q1)
        for i, s in zip(live, sims, strict=True):
            if s < floor:
                result.downweighted.setdefault(int(i), ("off_topic", params.off_topic_weight))
                weights[i] = min(weights[i], params.off_topic_weight)
    return result


def rare_similarity(x: np.ndarray, quantile: float, seed: int, sample: int = 1500) -> float:
    """The cosine that only a (1 - quantile) share of pairs of independent contributions reach."""
    rng = np.random.default_rng(seed)
    rows = x if x.shape[0] <= sample else x[np.sort(rng.choice(x.shape[0], sample, replace=False))]
    sim = rows @ rows.T
    upper = sim[np.triu_indices(rows.shape[0], k=1)]
    return float(np.quantile(upper, quantile)) if upper.size else 1.0


def coordinated(
    x: np.ndarray, times: np.ndarray, low: np.ndarray, threshold: float, params: WeaveParameters
) -> np.ndarray:
    """Low-trust rows with many unusually similar low-trust rows posted within the burst window.

    Independent dreamers rarely write pairs above `threshold`; a campaign of new accounts on one agenda
    produces many. The bar scales with how many low-trust posts share the window, so a busy hour of
    honest newcomers does not trip it by chance.
    """
    t = times[low]
    known = np.isfinite(t)
    flagged: list[np.ndarray] = []
    for start in range(0, low.size, 1024):
        block = slice(start, min(start + 1024, low.size))
        sim = x[low[block]] @ x[low].T
        near_t = np.abs(t[block, None] - t[None, :]) <= params.burst_window_s
        near_t |= ~known[block, None] | ~known[None, :]
        similar = ((sim >= threshold) & near_t).sum(axis=1) - 1
        window = near_t.sum(axis=1) - 1
        bar = np.maximum(params.coord_min_neighbours, 4.0 * (1.0 - params.coord_quantile) * window)
        flagged.append(low[block][similar >= bar])
    return np.concatenate(flagged) if flagged else np.zeros(0, dtype=np.int64)
