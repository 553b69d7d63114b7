"""Vector indexes: exact results, recall of the approximate index, and removals that never come back."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.resonance.auto import AutoIndex
from dreamnexus.resonance.hnsw import HnswIndex, hnswlib_available
from dreamnexus.resonance.index import ExactIndex

needs_hnswlib = pytest.mark.skipif(not hnswlib_available(), reason="hnswlib is not installed")


def clustered(n: int, dim: int, seed: int, clusters: int = 20) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(clusters, dim))
    return (centers[rng.integers(clusters, size=n)] + 0.6 * rng.normal(size=(n, dim))).astype(np.float32)


def brute_force(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit @ (query / np.linalg.norm(query))
    return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


def test_exact_index_matches_brute_force() -> None:
    vectors = clustered(500, 16, seed=1)
    index = ExactIndex(16, initial_capacity=8)  # forces growth
    index.add(list(range(500)), vectors)
    rng = np.random.default_rng(2)
    for _ in range(20):
        query = rng.normal(size=16)
        got = index.search(query, 10)
        assert [i for i, _ in got] == brute_force(vectors, query, 10)
        scores = [s for _, s in got]
        assert scores == sorted(scores, reverse=True)
        assert all(-1.0 - 1e-5 <= s <= 1.0 + 1e-5 for s in scores)


def test_exact_index_allowed_and_update() -> None:
    vectors = clustered(50, 8, seed=3)
    index = ExactIndex(8)
    index.add([f"d{i}" for i in range(50)], vectors)
    allowed = {"d1", "d7", "d9", "missing"}
    got = index.search(vectors[0], 10, allowed=allowed)
    assert {i for i, _ in got} == {"d1", "d7", "d9"}
    index.add(["d7"], vectors[0:1])  # update in place
    assert index.search(vectors[0], 1, allowed=allowed)[0][0] == "d7"
    assert len(index) == 50


def test_bad_input_is_rejected() -> None:
    index = ExactIndex(4)
    with pytest.raises(ValueError, match="dimension"):
        index.add(["a"], np.ones((1, 5)))
    with pytest.raises(ValueError, match="duplicate"):
        index.add(["a", "a"], np.ones((2, 4)))
    with pytest.raises(ValueError, match="finite"):
        index.add(["a"], np.array([[np.nan, 1, 1, 1]]))
    assert index.search(np.ones(4), 5) == []


@needs_hnswlib
def test_hnsw_recall_at_10() -> None:
    vectors = clustered(3000, 32, seed=4)
    index = HnswIndex(32, initial_capacity=100)  # forces resizing
    for start in range(0, 3000, 500):
        index.add(list(range(start, start + 500)), vectors[start : start + 500])
    rng = np.random.default_rng(5)
    hits = 0
    queries = 50
    for _ in range(queries):
        query = vectors[rng.integers(3000)] + 0.1 * rng.normal(size=32)
        got = {i for i, _ in index.search(query, 10)}
        hits += len(got & set(brute_force(vectors, query, 10)))
    assert hits / (10 * queries) >= 0.95


@needs_hnswlib
def test_hnsw_over_fetches_so_k_results_survive_removals() -> None:
    vectors = clustered(400, 8, seed=6)
    index = HnswIndex(8, ef_search=16)
    index.add(list(range(400)), vectors)
    query = vectors[0]
    nearest = [i for i, _ in exact_search(vectors, query, 60)]
    index.remove(nearest[:50])
    got = index.search(query, 10)
    assert len(got) == 10
    assert not {i for i, _ in got} & set(nearest[:50])


def exact_search(vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    exact = ExactIndex(vectors.shape[1])
    exact.add(list(range(len(vectors))), vectors)
    return exact.search(query, k)


@needs_hnswlib
def test_hnsw_small_allowed_set_and_slot_reuse() -> None:
    vectors = clustered(300, 8, seed=7)
    index = HnswIndex(8, exact_allowed_max=20)
    index.add(list(range(300)), vectors)
    got = index.search(vectors[0], 5, allowed=[3, 4, 5])
    assert {i for i, _ in got} == {3, 4, 5}
    big_allowed = set(range(0, 300, 2))  # larger than exact_allowed_max: filtered graph walk
    got = index.search(vectors[0], 10, allowed=big_allowed)
    assert len(got) == 10 and {i for i, _ in got} <= big_allowed
    index.remove(range(100))
    index.add([f"new{i}" for i in range(100)], vectors[:100])  # takes over the removed slots
    assert len(index) == 300
    assert index.search(vectors[0], 1)[0][0] == "new0"


def operations():
    return st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.lists(st.integers(0, 40), min_size=1, max_size=8, unique=True)),
            st.tuples(st.just("remove"), st.lists(st.integers(0, 40), min_size=1, max_size=8)),
        ),
        min_size=1,
        max_size=25,
    )


def run_removal_property(index_factory, ops, seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = index_factory()
    live: set[int] = set()
    removed: set[int] = set()
    for op, ids in ops:
        if op == "add":
            index.add(ids, rng.normal(size=(len(ids), 6)).astype(np.float32))
            live.update(ids)
            removed.difference_update(ids)
        else:
            index.remove(ids)
            removed.update(i for i in ids if i in live)
            live.difference_update(ids)
        query = rng.normal(size=6)
        got = [i for i, _ in index.search(query, 50)]
        assert not set(got) & removed
        assert set(got) == live  # k exceeds the corpus: everything live, nothing else
        allowed = set(rng.choice(41, size=10, replace=False).tolist())
        got_allowed = {i for i, _ in index.search(query, 5, allowed=allowed)}
        assert got_allowed <= allowed & live
        assert len(got_allowed) == min(5, len(allowed & live))


@settings(max_examples=60, deadline=None)
@given(ops=operations(), seed=st.integers(0, 1000))
def test_removed_ids_never_returned_exact(ops, seed: int) -> None:
    run_removal_property(lambda: ExactIndex(6, initial_capacity=2), ops, seed)


@needs_hnswlib
@settings(max_examples=60, deadline=None)
@given(ops=operations(), seed=st.integers(0, 1000))
def test_removed_ids_never_returned_hnsw(ops, seed: int) -> None:
    run_removal_property(lambda: HnswIndex(6, initial_capacity=4, exact_allowed_max=3), ops, seed)


@needs_hnswlib
def test_auto_index_moves_to_hnsw_and_keeps_removals() -> None:
    vectors = clustered(200, 8, seed=8)
    index = AutoIndex(8, exact_max=100)
    index.add(list(range(80)), vectors[:80])
    assert not index.is_approximate
    index.remove([0, 1])
    index.add(list(range(80, 200)), vectors[80:])
    assert index.is_approximate
    assert len(index) == 198
    got = {i for i, _ in index.search(vectors[0], 198)}
    assert 0 not in got and 1 not in got
    assert len(got) == 198
