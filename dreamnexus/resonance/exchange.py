"""Dream exchange: pair the dreamers who opted in so that each receives the other's dream.

Rules of a round:

* only dreamers who opted in take part (opting in is the consent; both sides of a pair opted in);
* a forbidden pair (a block in either direction, or a pair from a previous round) is never formed;
* everyone is placed: with an odd count (or when blocks make a full pairing impossible) the remaining
  dreamer joins an existing pair through one member, the *hub*, forming a triple in which the hub and
  the extra dreamer exchange dreams as well (the other member and the extra do not exchange);
  only a dreamer with no allowed partner at all is left unmatched (carried over to the next round);
* the quality of a link is the similarity of the two dreams (embedding cosine blended with the
  emotional-core cosine); a round first maximises its worst link (bottleneck), then its mean.

Method: exact k-NN lists; the exact greedy baseline on them; a sparse candidate graph (k best partners,
every partner near the bottleneck band, the greedy links); a binary search on the worst-link threshold
whose test is a maximum-cardinality matching (Edmonds' blossom search, warm-started, fetching full rows
only where a failed search needs them for a proof); at the best threshold a strongest-first matching
repaired by blossom search and improved by 2-swaps for the mean. docs/resonance.md states the
guarantees: never below greedy's worst link when as many pairs are formed, and optimal over all
allowed pairs when ``ExchangeRound.worst_is_optimal`` is True.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dreamnexus.resonance.candidates import EPS, F32_MARGIN, CandidateGraph
from dreamnexus.resonance.features import DreamFeatures, emotion_matrix, normalize_rows
from dreamnexus.resonance.matching import FREE, BlossomMatcher, matching_size

__all__ = [
    "DEFAULT_CANDIDATES",
    "DEFAULT_EMBEDDING_WEIGHT",
    "ExchangeRound",
    "Link",
    "Participant",
    "exchange_round",
    "greedy_round",
    "pair_quality",
    "quality_vectors",
]

DEFAULT_EMBEDDING_WEIGHT = 0.6
DEFAULT_CANDIDATES = 12
_CHUNK = 1024
# Partners fetched when a greedy candidate list runs out (taken ones are skipped, so this suffices).
_REFRESH = 64
# The greedy baseline walks down each list as partners get taken; longer lists mean fewer full rows.
_GREEDY_LIST = 48
# The candidate graph holds every link within _BAND of the weakest dreamer's best link (up to
# _BAND_LIST per dreamer): the best threshold lies there in practice, and tests inside the band then
# need no extra rows.
_BAND = 0.08
_BAND_LIST = 40
# The threshold search halves the value range down to this width, then halves the list of link values.
_VALUE_STEPS_ABOVE = 0.01


@dataclass(frozen=True, slots=True)
class Participant:
    """A dreamer who opted in to this round with one of their dreams."""

    dreamer: Hashable
    dream: DreamFeatures


@dataclass(frozen=True, slots=True)
class Link:
    """``a`` and ``b`` receive each other's dream; for an extra, ``a`` is the extra and ``b`` the hub."""

    a: Hashable
    b: Hashable
    quality: float


@dataclass(frozen=True, slots=True)
class ExchangeRound:
    """A round's result. ``worst_is_optimal``: the worst link was proven the best possible (within the
    search tolerance) over all allowed pairs; False when the row budget cut a proof short; None for
    the greedy baseline, which makes no such claim."""

    pairs: tuple[Link, ...]
    extras: tuple[Link, ...]
    unmatched: tuple[Hashable, ...]
    worst_is_optimal: bool | None = None

    @property
    def links(self) -> tuple[Link, ...]:
        return self.pairs + self.extras

    @property
    def worst_quality(self) -> float:
        return min((link.quality for link in self.links), default=float("nan"))

    @property
    def mean_quality(self) -> float:
        links = self.links
        return sum(link.quality for link in links) / len(links) if links else float("nan")


def quality_vectors(
    dreams: Sequence[DreamFeatures], embedding_weight: float = DEFAULT_EMBEDDING_WEIGHT
) -> np.ndarray:
    """Rows whose dot product is the link quality ``w * cos(embeddings) + (1 - w) * cos(emotion cores)``."""
    if not 0.0 <= embedding_weight <= 1.0:
        raise ValueError("embedding_weight must lie in [0, 1]")
    if not dreams:
        return np.zeros((0, 0), dtype=np.float32)
    emb = normalize_rows(np.stack([np.asarray(d.vector, dtype=np.float32) for d in dreams]))
    emo = emotion_matrix(dreams)
    parts = [np.sqrt(embedding_weight) * emb, np.sqrt(1.0 - embedding_weight) * emo]
    return np.hstack(parts).astype(np.float32)


def pair_quality(
    a: DreamFeatures, b: DreamFeatures, embedding_weight: float = DEFAULT_EMBEDDING_WEIGHT
) -> float:
    x = quality_vectors([a, b], embedding_weight).astype(np.float64)
    return float((x[0] * x[1]).sum())


class _Problem:
    """Participants as indices, their quality vectors and forbidden pairs."""

    def __init__(
        self,
        participants: Sequence[Participant],
        forbidden: Iterable[tuple[Hashable, Hashable]],
        previous_pairs: Iterable[tuple[Hashable, Hashable]],
        embedding_weight: float,
    ) -> None:
        self.ids = [p.dreamer for p in participants]
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("a dreamer can take part in a round only once")
        self.n = len(self.ids)
        index = {ident: i for i, ident in enumerate(self.ids)}
        self.x = quality_vectors([p.dream for p in participants], embedding_weight)
        self.x64 = self.x.astype(np.float64)
        self.forbidden: list[set[int]] = [set() for _ in range(self.n)]
        for a, b in [*forbidden, *previous_pairs]:
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and i != j:
                self.forbidden[i].add(j)
                self.forbidden[j].add(i)

    def links(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (self.x64[a] * self.x64[b]).sum(axis=1)

    def link(self, a: int, b: int) -> float:
        """The quality of one link, computed the same way everywhere so that reports compare exactly."""
        return float((self.x64[a] * self.x64[b]).sum())

    def row(self, v: int, pool: np.ndarray, limit: int | None = None) -> tuple[list[int], list[float]]:
        """Allowed partners of ``v`` among ``pool`` (a boolean mask), best first, with their qualities.

        With ``limit``, only that many best ones.
        """
        # One full product is cheaper than gathering the pool's rows into a copy first.
        scores = self.x @ self.x[v]
        keep = pool.copy()
        keep[v] = False
        if self.forbidden[v]:
            keep[list(self.forbidden[v])] = False
        members = np.flatnonzero(keep)
        if not len(members):
            return [], []
        if limit is not None and limit < len(members):
            members = members[np.argpartition(-scores[members], limit - 1)[:limit]]
        order = members[np.argsort(-scores[members], kind="stable")]
        return order.tolist(), scores[order].astype(np.float64).tolist()

    def knn(self, k: int) -> tuple[list[list[int]], list[list[float]]]:
        """Each vertex's ``k`` best allowed partners (exact, chunked matrix products)."""
        nbrs: list[list[int]] = []
        wts: list[list[float]] = []
        for start in range(0, self.n, _CHUNK):
            stop = min(start + _CHUNK, self.n)
            scores = self.x[start:stop] @ self.x.T
            scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            extra = max(len(self.forbidden[v]) for v in range(start, stop))
            fetch = min(k + extra, self.n - 1)
            if fetch <= 0:
                nbrs.extend([] for _ in range(start, stop))
                wts.extend([] for _ in range(start, stop))
                continue
            part = np.argpartition(-scores, fetch - 1, axis=1)[:, :fetch]
            part_scores = np.take_along_axis(scores, part, axis=1)
            order = np.argsort(-part_scores, axis=1, kind="stable")
            part = np.take_along_axis(part, order, axis=1)
            part_scores = np.take_along_axis(part_scores, order, axis=1).astype(np.float64)
            for r, v in enumerate(range(start, stop)):
                banned = self.forbidden[v]
                row_n: list[int] = []
                row_w: list[float] = []
                for u, w in zip(part[r].tolist(), part_scores[r].tolist(), strict=True):
                    if u not in banned and len(row_n) < k:
                        row_n.append(u)
                        row_w.append(w)
                nbrs.append(row_n)
                wts.append(row_w)
        return nbrs, wts


def _attach_extras(problem: _Problem, match: list[int]) -> list[tuple[int, int, float]]:
    """Join each free dreamer to the best allowed matched dreamer (the hub)."""
    matched = np.asarray(match) != FREE
    extras = []
    for v in range(problem.n):
        if match[v] != FREE:
            continue
        nbrs, wts = problem.row(v, matched)
        if nbrs:
            extras.append((v, nbrs[0], problem.link(v, nbrs[0])))
    return extras


def _to_round(
    problem: _Problem,
    match: list[int],
    extras: list[tuple[int, int, float]],
    optimal: bool | None = None,
) -> ExchangeRound:
    ids = problem.ids
    pairs = []
    for v, u in enumerate(match):
        if u > v:
            pairs.append(Link(ids[v], ids[u], problem.link(v, u)))
    placed = {v for v, _, _ in extras}
    unmatched = tuple(ids[v] for v in range(problem.n) if match[v] == FREE and v not in placed)
    return ExchangeRound(
        worst_is_optimal=optimal,
        pairs=tuple(pairs),
        extras=tuple(Link(ids[v], ids[h], float(w)) for v, h, w in extras),
        unmatched=unmatched,
    )


def _greedy_match(problem: _Problem, nbrs: list[list[int]], wts: list[list[float]]) -> list[int]:
    """Exact global greedy: repeatedly pair the best remaining allowed pair.

    Each dreamer's heap entry is its best candidate not known to be taken; a stale entry only
    overestimates, so the popped entry with two free ends is the true best remaining pair. A dreamer
    whose candidate list runs out gets a full row over the still-free dreamers.
    """
    n = problem.n
    cand = [list(row) for row in nbrs]
    cand_w = [list(row) for row in wts]
    complete = [len(row) >= n - 1 - len(problem.forbidden[v]) for v, row in enumerate(nbrs)]
    ptr = [0] * n
    match = [FREE] * n
    free = np.ones(n, dtype=bool)
    heap: list[tuple[float, int, int]] = []

    def push_next(v: int) -> None:
        p = ptr[v]
        while True:
            row = cand[v]
            while p < len(row) and match[row[p]] != FREE:
                p += 1
            if p < len(row):
                ptr[v] = p
                heapq.heappush(heap, (-cand_w[v][p], v, row[p]))
                return
            if complete[v]:
                ptr[v] = p
                return
            cand[v], cand_w[v] = problem.row(v, free, _REFRESH)
            # A short refresh covers every free partner only when fewer than _REFRESH remain.
            complete[v] = len(cand[v]) < _REFRESH
            p = 0

    for v in range(n):
        push_next(v)
    while heap:
        _, v, u = heapq.heappop(heap)
        if match[v] != FREE:
            continue
        if match[u] != FREE:
            push_next(v)
            continue
        match[v], match[u] = u, v
        free[v] = free[u] = False
    return match


def greedy_round(
    participants: Sequence[Participant],
    forbidden: Iterable[tuple[Hashable, Hashable]] = (),
    previous_pairs: Iterable[tuple[Hashable, Hashable]] = (),
    *,
    embedding_weight: float = DEFAULT_EMBEDDING_WEIGHT,
    candidates: int = DEFAULT_CANDIDATES,
) -> ExchangeRound:
    """The baseline: repeatedly pair the best remaining pair; leftovers join their best hub."""
    problem = _Problem(participants, forbidden, previous_pairs, embedding_weight)
    nbrs, wts = problem.knn(max(candidates, _GREEDY_LIST))
    match = _greedy_match(problem, nbrs, wts)
    return _to_round(problem, match, _attach_extras(problem, match))


def _banded_lists(
    problem: _Problem, nbrs: list[list[int]], wts: list[list[float]], k: int, band_floor: float
) -> tuple[list[list[int]], list[list[float]], list[float]]:
    """Each dreamer's k best partners plus any further ones down to ``band_floor``, their qualities,
    and from which quality on each list is known to hold every allowed partner."""
    lists: list[list[int]] = []
    weights: list[list[float]] = []
    complete_above: list[float] = []
    for v, (row, row_w) in enumerate(zip(nbrs, wts, strict=True)):
        keep = sum(1 for j, w in enumerate(row_w) if j < k or w >= band_floor)  # rows are sorted
        floor = band_floor if keep < len(row) else -np.inf
        if len(row) < problem.n - 1 - len(problem.forbidden[v]):
            # The fetched list was cut: partners tied with its last one may be missing.
            floor = max(floor, row_w[-1] + F32_MARGIN) if row_w else np.inf
        lists.append(row[:keep])
        weights.append(row_w[:keep])
        complete_above.append(floor)
    return lists, weights, complete_above


def _search_threshold(
    graph: CandidateGraph,
    matcher: BlossomMatcher,
    lower: tuple[float, list[int]],
    high: float,
    *,
    target: int,
    tolerance: float,
) -> tuple[float, list[int]]:
    """The best worst-link threshold at which ``target`` pairs exist, and a matching achieving it.

    ``lower`` is a feasible threshold with its matching; no threshold above ``high`` is feasible.
    """
    low_t, low_match = lower
    high_t = high
    max_free = graph.n - 2 * target
    high_match: list[int] | None = None
    while True:
        # Thresholds are link qualities of the graph, which grows during the search: recompute the
        # levels strictly between the bounds each time so that the binary search stays exact.
        all_w = graph.weights()
        levels = np.unique(all_w[(all_w > low_t + EPS) & (all_w <= high_t + EPS)])
        if len(levels) and high_t - low_t > _VALUE_STEPS_ABOVE:
            # Link qualities crowd near the top, so halve the value range first: a rank median would
            # creep down from the top through many failing (and costly to prove) thresholds.
            t = (low_t + high_t) / 2
        elif len(levels) and high_t - low_t > tolerance:
            t = float(levels[(len(levels) - 1) // 2])
        elif high_t > low_t + max(tolerance, 2 * EPS):
            # No known link lies between the bounds, but links the graph has not fetched yet might: one
            # exact test just above the lower bound settles it (a success brings those links in).
            t = low_t + 2 * EPS
        else:
            break
        trial = graph.clip(low_match, t)
        if high_match is not None and matching_size(high_match) > matching_size(trial):
            trial = list(high_match)
        graph.set_threshold(t)
        roots = graph.fill_free(trial)
        feasible = matcher.maximize(
            graph.adj_t, trial, roots=roots, max_free=max_free, expand=graph.expander(trial), enough=target
        )
        if feasible and matching_size(trial) >= target:
            # The matching found may beat the tested threshold; its own worst link is the new bound.
            low_t = min((graph.w(v, u) or 0.0 for v, u in enumerate(trial) if u > v), default=t)
            low_t = max(low_t, t)
            low_match = trial
        elif graph.budget_hit:
            # Without more rows a failure proves nothing, and further tests would only fail the same way.
            break
        else:
            high_t, high_match = t - 2 * EPS, trial
    return low_t, low_match


def exchange_round(
    participants: Sequence[Participant],
    forbidden: Iterable[tuple[Hashable, Hashable]] = (),
    previous_pairs: Iterable[tuple[Hashable, Hashable]] = (),
    *,
    embedding_weight: float = DEFAULT_EMBEDDING_WEIGHT,
    candidates: int = DEFAULT_CANDIDATES,
    improve_passes: int = 3,
    tolerance: float = 1e-4,
    row_budget: int | None = -1,
) -> ExchangeRound:
    """One fair exchange round (see the module docstring for the rules and the guarantee).

    ``tolerance``: the search for the best worst link stops once it is known to within this much
    (qualities lie in [-1, 1]); 0 asks for the exact optimum. ``row_budget``: how many full rows of
    the quality matrix the proofs may fetch (-1: n // 4, the default; None: unlimited); see
    ``ExchangeRound.worst_is_optimal``.
    """
    problem = _Problem(participants, forbidden, previous_pairs, embedding_weight)
    n = problem.n
    if n < 2:
        return _to_round(problem, [FREE] * n, [], True)
    if row_budget == -1:
        row_budget = n // 4
    nbrs, wts = problem.knn(max(candidates, _GREEDY_LIST, _BAND_LIST))
    greedy = _greedy_match(problem, nbrs, wts)
    greedy_extras = _attach_extras(problem, greedy)
    extra_links = [(v, u) for v, u in enumerate(greedy) if u > v] + [(v, h) for v, h, _ in greedy_extras]
    # Nobody can be placed above their own best link, which the exact k-NN lists hold.
    high = min((row[0] for row in wts if row), default=0.0)
    lists, weights, complete_above = _banded_lists(problem, nbrs, wts, candidates, high - _BAND)
    budget = None if row_budget is None else max(row_budget, 64)
    graph = CandidateGraph(problem, lists, weights, complete_above, extra_links, row_budget=budget)
    matcher = BlossomMatcher(n)

    # How many pairs the round can have at all (every allowed link counts).
    best = list(greedy)
    graph.set_threshold(-np.inf)
    # Certifying a shortfall here would need nearly every full row, so this count is over the candidate
    # graph; it includes every greedy link, hence is at least the greedy baseline's pair count.
    matcher.maximize(graph.adj_t, best, enough=n // 2)
    target = matching_size(best)

    greedy_links = [w for v, u in extra_links if (w := graph.w(v, u)) is not None]
    if matching_size(greedy) == target and greedy_links:
        low, low_match = min(greedy_links), list(greedy)
    else:
        low, low_match = min(graph.weight.values(), default=0.0), best
    t_star, low_match = _search_threshold(
        graph, matcher, (low, low_match), max(low, high), target=target, tolerance=tolerance
    )

    # Rebuild at the best threshold from the strongest links, for a better mean than the search's matching.
    match = [FREE] * n
    graph.set_threshold(t_star)
    graph.strongest_first(match)
    matcher.maximize(graph.adj_t, match, expand=graph.expander(match), enough=target)
    if matching_size(match) < target:  # only when the row budget ran out: keep the searched matching
        match = low_match
    graph.improve_mean(match, improve_passes)
    return _to_round(problem, match, _attach_extras(problem, match), not graph.budget_hit)
