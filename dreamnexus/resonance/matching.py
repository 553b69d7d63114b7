"""Maximum-cardinality matching on a general (non-bipartite) sparse graph: Edmonds' blossom search.

Used by the dream exchange, whose "who may meet whom" graph has odd cycles, so bipartite algorithms do
not apply. The search is written for warm starts: the caller passes a matching (often nearly maximum)
and only its free vertices are searched. Two classical facts keep the work small:

* a free vertex with no augmenting path never gets one later in the same graph (the matching only
  grows by augmentation), so each vertex is searched at most once per call;
* the caller can say how many vertices may stay free; once more searches than that have failed the
  answer is known ("too small") and the call stops.

The graph may be given lazily: when a search fails, ``expand`` receives the even (outer) vertices of
the failed alternating tree and may add the edges it had left out. A failure is final only when
``expand`` adds nothing, i.e. when every even vertex of the tree already has its full neighbourhood:
the search then proves that no augmenting path exists in the complete graph either.

Per search the cost is proportional to the part of the graph it explores, not to the graph size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

__all__ = ["BlossomMatcher", "matching_size"]

FREE = -1


def matching_size(match: Sequence[int]) -> int:
    return sum(1 for v, m in enumerate(match) if m > v)


class BlossomMatcher:
    """Augmenting-path search with blossom contraction (Edmonds 1965, array-based form)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._parent = [FREE] * n
        self._base = list(range(n))
        self._even = [False] * n
        # Even vertices of the last failed search: the part of the graph whose completeness proves it.
        self.last_even: list[int] = []

    def maximize(
        self,
        adj: Sequence[Sequence[int]],
        match: list[int],
        *,
        roots: Iterable[int] | None = None,
        max_free: int | None = None,
        expand: Callable[[list[int]], bool] | None = None,
        enough: int | None = None,
    ) -> bool:
        """Augment ``match`` (in place) towards a maximum matching of ``adj``.

        ``adj`` must be symmetric and ``match`` a valid matching in it. Returns False as soon as more
        than ``max_free`` vertices are known to stay free (the matching is then left valid but possibly
        not maximum); True when the search completed within that budget (always, if ``max_free`` is None).
        Stops early, returning True, once the matching has ``enough`` pairs.
        """
        size = matching_size(match)
        if enough is not None and size >= enough:
            return True
        order = list(range(self.n) if roots is None else roots)
        if expand is not None:
            # First the searches the current graph can answer; only those that fail come back with
            # ``expand``, so that its proofs deal with a handful of free vertices, not all of them.
            for root in order:
                if match[root] == FREE and self._augment_from(root, adj, match):
                    size += 1
                    if enough is not None and size >= enough:
                        return True
        failures = 0
        for root in order:
            if match[root] != FREE:
                continue
            if self._search_complete(root, adj, match, expand):
                size += 1
                if enough is not None and size >= enough:
                    return True
                continue
            failures += 1
            if max_free is not None and failures > max_free:
                return False
        return True

    def _search_complete(
        self,
        root: int,
        adj: Sequence[Sequence[int]],
        match: list[int],
        expand: Callable[[list[int]], bool] | None,
    ) -> bool:
        while True:
            if self._augment_from(root, adj, match):
                return True
            if expand is None or not expand(self.last_even):
                return False

    def _augment_from(self, root: int, adj: Sequence[Sequence[int]], match: list[int]) -> bool:
        parent, base, even = self._parent, self._base, self._even
        touched = [root]
        # Vertices of each contracted blossom, by base, so a contraction touches only its own vertices.
        members: dict[int, list[int]] = {}
        even[root] = True
        queue = [root]
        head = 0
        found = FREE
        while head < len(queue) and found == FREE:
            v = queue[head]
            head += 1
            for to in adj[v]:
                if base[v] == base[to] or match[v] == to:
                    continue
                mate = match[to]
                if to == root or (mate != FREE and parent[mate] != FREE):
                    # ``to`` is even too: the edge closes an odd cycle, contract it into its base.
                    self._contract(v, to, match, members, queue)
                elif parent[to] == FREE:
                    parent[to] = v
                    touched.append(to)
                    if mate == FREE:
                        found = to
                        break
                    even[mate] = True
                    touched.append(mate)
                    queue.append(mate)
        if found != FREE:
            v = found
            while v != FREE:
                pv = parent[v]
                next_v = match[pv]
                match[v] = pv
                match[pv] = v
                v = next_v
        self.last_even = [] if found != FREE else [i for i in touched if even[i]]
        for i in touched:
            parent[i] = FREE
            base[i] = i
            even[i] = False
        return found != FREE

    def _contract(
        self, v: int, to: int, match: list[int], members: dict[int, list[int]], queue: list[int]
    ) -> None:
        parent, base, even = self._parent, self._base, self._even
        # Lowest common ancestor of the two even endpoints in the alternating tree.
        path: set[int] = set()
        a = v
        while True:
            a = base[a]
            path.add(a)
            if match[a] == FREE:
                break
            a = parent[match[a]]
        b = to
        while True:
            b = base[b]
            if b in path:
                break
            b = parent[match[b]]
        lca = b
        in_blossom: set[int] = set()
        self._mark_path(v, lca, to, match, in_blossom)
        self._mark_path(to, lca, v, match, in_blossom)
        in_blossom.discard(lca)
        merged = members.setdefault(lca, [lca])
        for old_base in in_blossom:
            for i in members.pop(old_base, None) or [old_base]:
                base[i] = lca
                if not even[i]:
                    even[i] = True
                    queue.append(i)
                merged.append(i)

    def _mark_path(self, v: int, lca: int, child: int, match: list[int], in_blossom: set[int]) -> None:
        parent, base = self._parent, self._base
        while base[v] != lca:
            in_blossom.add(base[v])
            in_blossom.add(base[match[v]])
            parent[v] = child
            child = match[v]
            v = parent[match[v]]
