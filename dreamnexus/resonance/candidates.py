"""The exchange's candidate graph: a sparse k-NN graph that completes itself where a proof needs it.

The matching search only ever needs the full neighbourhood of the vertices that end up as even
vertices of a failed alternating tree (see ``matching.BlossomMatcher``); everyone else is served by
their k best partners. ``complete`` fetches full rows for exactly those vertices, so bottleneck answers
are exact for the complete allowed graph while the graph stays sparse.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import numpy as np

from dreamnexus.resonance.matching import FREE

__all__ = ["EPS", "F32_MARGIN", "CandidateGraph", "QualitySource"]

EPS = 1e-9
# float32 scores only pick candidates; this margin makes sure no link at the threshold is missed.
F32_MARGIN = 1e-4
# A full row also brings links somewhat below the threshold: the binary search soon tests lower
# thresholds close by, and would otherwise fetch the same rows again.
_ROW_SLACK = 0.01
_ROW_CHUNK = 512
_FIRST_BATCH = 32


class QualitySource(Protocol):
    n: int
    x: np.ndarray
    x64: np.ndarray
    forbidden: list[set[int]]

    def links(self, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...

    def link(self, a: int, b: int) -> float: ...


class CandidateGraph:
    """Links with their quality, adjacency sorted best first, and a current threshold view ``adj_t``.

    ``complete_above[v]``: every allowed partner of ``v`` whose link quality exceeds that value is in
    the graph (the k-NN lists start it at the k-th best quality; ``complete`` lowers it).
    """

    def __init__(
        self,
        source: QualitySource,
        nbrs: Sequence[Sequence[int]],
        weights: Sequence[Sequence[float]],
        complete_above: Sequence[float],
        extra: Iterable[tuple[int, int]] = (),
        row_budget: int | None = None,
    ) -> None:
        n = self.n = source.n
        self.source = source
        # List links keep the quality their k-NN search computed; only the extra links are computed here.
        heads = np.fromiter((v for v in range(n) for _ in nbrs[v]), dtype=np.int64)
        tails = np.fromiter((u for v in range(n) for u in nbrs[v]), dtype=np.int64, count=len(heads))
        list_w = np.fromiter((w for v in range(n) for w in weights[v]), dtype=np.float64, count=len(heads))
        extra_arr = np.asarray(list(extra), dtype=np.int64).reshape(-1, 2)
        extra_w = source.links(extra_arr[:, 0], extra_arr[:, 1]) if len(extra_arr) else np.zeros(0)
        heads = np.concatenate([heads, extra_arr[:, 0]])
        tails = np.concatenate([tails, extra_arr[:, 1]])
        all_w = np.concatenate([list_w, extra_w])
        all_keys = np.minimum(heads, tails) * n + np.maximum(heads, tails)
        key_arr, first = np.unique(all_keys, return_index=True)
        qualities = all_w[first]
        a_idx, b_idx = np.divmod(key_arr, n)
        self.weight: dict[int, float] = dict(zip(key_arr.tolist(), qualities.tolist(), strict=True))
        self._weight_parts: list[np.ndarray] = [qualities]
        # Both directions of every link, grouped by vertex and sorted best first.
        src = np.concatenate([a_idx, b_idx])
        dst = np.concatenate([b_idx, a_idx])
        neg = -np.concatenate([qualities, qualities])
        order = np.lexsort((neg, src))
        src, dst, neg = src[order], dst[order], neg[order]
        bounds = np.searchsorted(src, np.arange(n + 1)).tolist()
        dst_list, neg_list = dst.tolist(), neg.tolist()
        self.nbrs = [dst_list[bounds[v] : bounds[v + 1]] for v in range(n)]
        self.neg_w = [neg_list[bounds[v] : bounds[v + 1]] for v in range(n)]
        self.complete_above = list(complete_above)
        self.t = -np.inf
        self.adj_t = _ThresholdView(self)
        self.rows_fetched = 0
        # Full rows cost O(n) each; past this many the graph stops growing and a failed search is taken
        # as final without proof (``budget_hit`` records it).
        self.row_budget = row_budget
        self.budget_hit = False

    def weights(self) -> np.ndarray:
        """All link qualities of the graph (one entry per link)."""
        if len(self._weight_parts) > 1:
            self._weight_parts = [np.concatenate(self._weight_parts)]
        return self._weight_parts[0]

    def w(self, a: int, b: int) -> float | None:
        return self.weight.get(a * self.n + b if a < b else b * self.n + a)

    def best(self, v: int) -> float | None:
        return -self.neg_w[v][0] if self.neg_w[v] else None

    def set_threshold(self, t: float) -> None:
        """Restrict ``adj_t`` to links of quality >= t; ``complete`` keeps it up to date."""
        self.t = t
        self.adj_t.clear()

    def prefix(self, v: int) -> list[int]:
        return self.nbrs[v][: bisect_right(self.neg_w[v], -self.t + EPS)]

    def expander(self, match: list[int]) -> Callable[[list[int]], bool]:
        """The ``expand`` callback for ``BlossomMatcher.maximize`` on ``match``.

        A failed search is retried after fetching, in this order: the full rows of the free vertices
        it did not reach (an edge from one of them into the tree is the usual missing link), then of
        the tree's even vertices in search order, in batches that double, so that a near miss costs a
        few rows and only a true dead end pays for its whole tree.
        """
        batch = [_FIRST_BATCH]

        def expand(even: list[int]) -> bool:
            in_tree = set(even)
            free = [v for v in range(self.n) if match[v] == FREE and v not in in_tree]
            if self.complete(free, budgeted=False):
                return True
            todo = [v for v in even if not self.is_complete(v)]
            if not todo:
                return False
            step, batch[0] = batch[0], batch[0] * 2
            return self.complete(todo[:step]) or self.complete(todo[step:])

        return expand

    def is_complete(self, v: int) -> bool:
        return self.complete_above[v] < self.t - EPS

    def complete(self, vertices: list[int], *, budgeted: bool = True) -> bool:
        """Add every allowed link >= the current threshold at these vertices; True if any was new."""
        todo = [v for v in vertices if not self.is_complete(v)]
        if not todo:
            return False
        if budgeted and self.row_budget is not None:
            left = self.row_budget - self.rows_fetched
            if left < len(todo):
                self.budget_hit = True
                todo = todo[: max(left, 0)]
                if not todo:
                    return False
        self.rows_fetched += len(todo)
        floor = self.t - _ROW_SLACK
        touched: set[int] = set()
        for start in range(0, len(todo), _ROW_CHUNK):
            self._add_rows(todo[start : start + _ROW_CHUNK], floor, touched)
        for v in touched:
            self.adj_t.pop(v, None)
        return bool(touched)

    def _add_rows(self, todo: list[int], floor: float, touched: set[int]) -> None:
        source, n = self.source, self.n
        scores = source.x[todo] @ source.x.T
        additions: dict[int, list[tuple[float, int]]] = {}
        for row, v in zip(scores, todo, strict=True):
            keep = row >= floor - F32_MARGIN if np.isfinite(floor) else np.ones(n, dtype=bool)
            keep[v] = False
            if source.forbidden[v]:
                keep[list(source.forbidden[v])] = False
            if self.nbrs[v]:
                keep[self.nbrs[v]] = False
            self.complete_above[v] = floor
            new = np.flatnonzero(keep)
            if not len(new):
                continue
            qualities = row[new].astype(np.float64)
            new_list, neg_list = new.tolist(), (-qualities).tolist()
            keys = np.minimum(new, v) * n + np.maximum(new, v)
            self.weight.update(zip(keys.tolist(), qualities.tolist(), strict=True))
            self._weight_parts.append(qualities)
            for u, neg in zip(new_list, neg_list, strict=True):
                additions.setdefault(u, []).append((neg, v))
            additions.setdefault(v, []).extend(zip(neg_list, new_list, strict=True))
        for u, extra in additions.items():
            merged = sorted([*zip(self.neg_w[u], self.nbrs[u], strict=True), *extra])
            self.neg_w[u] = [w for w, _ in merged]
            self.nbrs[u] = [x for _, x in merged]
            touched.add(u)

    def clip(self, match: list[int], t: float) -> list[int]:
        """The part of ``match`` made of links of quality >= t."""
        out = list(match)
        for v, u in enumerate(match):
            if u > v and (self.w(v, u) or -np.inf) < t - EPS:
                out[v] = out[u] = FREE
        return out

    def strongest_first(self, match: list[int], per_vertex: int = 8) -> None:
        """Add links >= the threshold, strongest first, between vertices both still free.

        Only each vertex's ``per_vertex`` best links take part: the rest would rarely be chosen and
        sorting every link dominates the cost.
        """
        cut = -self.t + EPS
        links = sorted(
            (neg, v, u)
            for v in range(self.n)
            for neg, u in zip(self.neg_w[v][:per_vertex], self.nbrs[v][:per_vertex], strict=True)
            if neg <= cut and v < u
        )
        for _, a, b in links:
            if match[a] == FREE and match[b] == FREE:
                match[a], match[b] = b, a

    def fill_free(self, match: list[int]) -> list[int]:
        """Warm start at the threshold; returns the vertices left free, fewest options first.

        Dreamers with a single possible partner take that partner first (Karp–Sipser), even from
        someone who has other options: near the best threshold the round is decided by such outliers,
        and a search from a stranded outlier would otherwise sweep the whole graph to prove it stuck.
        """
        adj = self.adj_t
        cut = -self.t + EPS
        degree = [bisect_right(neg, cut) for neg in self.neg_w]
        for v in sorted(range(self.n), key=degree.__getitem__):
            if degree[v] > 1:
                break
            if match[v] != FREE or degree[v] == 0:
                continue
            hub = adj[v][0]
            other = match[hub]
            if other == FREE:
                match[v], match[hub] = hub, v
            elif degree[other] > 1:
                match[other] = FREE
                match[v], match[hub] = hub, v
        for v in range(self.n):
            if match[v] != FREE:
                continue
            for u in adj[v]:
                if match[u] == FREE:
                    match[v], match[u] = u, v
                    break
        return sorted((v for v in range(self.n) if match[v] == FREE), key=degree.__getitem__)

    def improve_mean(self, match: list[int], passes: int) -> None:
        """2-swaps (a-b, c-d) -> (a-c, b-d) that raise the total and keep every link >= the threshold.

        An improving swap has a new link stronger than an old link at one of its four endpoints, so
        scanning, at every vertex, only the neighbours better than its current partner finds them all.
        """
        t = self.t
        for _ in range(passes):
            improved = False
            for a in range(self.n):
                b = match[a]
                if b == FREE:
                    continue
                wab = self.w(a, b)
                if wab is None:
                    continue
                for c, neg in zip(self.nbrs[a], self.neg_w[a], strict=True):
                    wac = -neg
                    if wac <= wab + EPS:
                        break
                    d = match[c]
                    if d in (FREE, a):
                        continue
                    wbd = self.w(b, d)
                    wcd = self.w(c, d)
                    if wbd is None or wcd is None or wbd < t - EPS:
                        continue
                    if wac + wbd - wab - wcd > EPS:
                        match[a], match[c], match[b], match[d] = c, a, d, b
                        improved = True
                        break
            if not improved:
                return


class _ThresholdView(dict[int, list[int]]):
    """``view[v]``: the neighbours of ``v`` at the graph's current threshold, computed on first use."""

    def __init__(self, graph: CandidateGraph) -> None:
        super().__init__()
        self._graph = graph

    def __missing__(self, v: int) -> list[int]:
        row = self[v] = self._graph.prefix(v)
        return row
