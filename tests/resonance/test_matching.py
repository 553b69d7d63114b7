"""Edmonds' blossom search against brute force, including warm starts and lazily revealed edges."""

from __future__ import annotations

import functools
import random

from dreamnexus.resonance.matching import FREE, BlossomMatcher, matching_size


def brute_force_size(n: int, edges: list[tuple[int, int]]) -> int:
    adj = {v: set() for v in range(n)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)

    @functools.cache
    def best(used: int) -> int:
        v = next((v for v in range(n) if not used >> v & 1), None)
        if v is None:
            return 0
        result = best(used | 1 << v)
        for u in adj[v]:
            if not used >> u & 1:
                result = max(result, 1 + best(used | 1 << v | 1 << u))
        return result

    return best(0)


def random_graph(rng: random.Random) -> tuple[int, list[tuple[int, int]], list[list[int]]]:
    n = rng.randint(1, 12)
    p = rng.random()
    edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < p]
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    return n, edges, adj


def assert_valid(match: list[int], adj: list[list[int]]) -> None:
    for v, m in enumerate(match):
        if m != FREE:
            assert match[m] == v
            assert m in adj[v]


def test_maximum_matching_from_random_warm_starts() -> None:
    rng = random.Random(7)
    for _ in range(600):
        n, edges, adj = random_graph(rng)
        match = [FREE] * n
        for a, b in rng.sample(edges, len(edges)):
            if match[a] == FREE and match[b] == FREE and rng.random() < 0.5:
                match[a], match[b] = b, a
        assert BlossomMatcher(n).maximize(adj, match)
        assert_valid(match, adj)
        assert matching_size(match) == brute_force_size(n, edges)


def test_max_free_stops_early_with_a_valid_matching() -> None:
    # A star: one centre, four leaves; at most one pair, so three leaves stay free.
    adj = [[1, 2, 3, 4], [0], [0], [0], [0]]
    match = [FREE] * 5
    assert not BlossomMatcher(5).maximize(adj, match, max_free=1)
    assert_valid(match, adj)
    match = [FREE] * 5
    assert BlossomMatcher(5).maximize(adj, match, max_free=3)
    assert matching_size(match) == 1


def test_expand_reveals_hidden_edges_until_the_proof_is_complete() -> None:
    rng = random.Random(3)
    for _ in range(300):
        n, edges, full = random_graph(rng)
        shown: list[list[int]] = [[] for _ in range(n)]
        revealed = [False] * n

        def expand(even: list[int], shown=shown, revealed=revealed, full=full) -> bool:
            grew = False
            for v in even:
                if not revealed[v]:
                    revealed[v] = True
                    for u in full[v]:
                        if u not in shown[v]:
                            shown[v].append(u)
                            shown[u].append(v)
                            grew = True
            return grew

        match = [FREE] * n
        BlossomMatcher(n).maximize(shown, match, expand=expand)
        assert_valid(match, full)
        assert matching_size(match) == brute_force_size(n, edges)
