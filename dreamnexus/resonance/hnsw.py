"""Approximate cosine search on an HNSW graph (hnswlib), with hard guarantees on removals.

hnswlib keeps removed points in the graph as routing nodes (``mark_deleted``) and never returns them;
on top of that every result is filtered against the live id map under the index lock, so a removed
dream cannot come back even through a race with a concurrent search. Small ``allowed`` sets are
scored exactly, because a graph walk that may only return a few percent of its nodes degrades badly.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from dreamnexus.resonance.features import normalize_rows
from dreamnexus.resonance.index import ScoredId, check_batch, top_k

__all__ = ["HnswIndex", "hnswlib_available"]


def _hnswlib() -> Any:
    try:
        import hnswlib  # optional dependency, imported on first use
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError("HnswIndex needs the optional dependency hnswlib (hnswlib==0.8.0)") from exc
    return hnswlib


def hnswlib_available() -> bool:
    try:
        _hnswlib()
    except ImportError:
        return False
    return True


class HnswIndex:
    """HNSW index over cosine similarity with incremental adds and immediate removals.

    ``ef_search`` trades query time for recall; ``exact_allowed_max`` is the size up to which a search
    restricted to ``allowed`` ids scores those vectors exactly instead of walking the graph.
    """

    def __init__(
        self,
        dim: int,
        *,
        m: int = 16,
        ef_construction: int = 200,
        ef_search: int = 400,  # recall@10 0.959 at 1M vectors, p99 3.3 ms (docs/resonance.md)
        initial_capacity: int = 1024,
        exact_allowed_max: int = 20_000,
        num_threads: int = -1,
        seed: int = 100,
    ) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.exact_allowed_max = exact_allowed_max
        self._num_threads = num_threads
        self._index = _hnswlib().Index(space="ip", dim=dim)
        self._index.init_index(
            max_elements=max(initial_capacity, 16),
            ef_construction=ef_construction,
            M=m,
            random_seed=seed,
            allow_replace_deleted=True,
        )
        self._index.set_ef(ef_search)
        self._label_of: dict[Hashable, int] = {}
        self._id_of: dict[int, Hashable] = {}
        self._next_label = 0
        self._deleted_slots = 0
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._label_of)

    def __contains__(self, item: object) -> bool:
        return item in self._label_of

    def set_ef(self, ef: int) -> None:
        with self._lock:
            self._index.set_ef(ef)

    def add(self, ids: Sequence[Hashable], vectors: np.ndarray) -> None:
        rows = check_batch(ids, vectors, self.dim)
        if not len(ids):
            return
        with self._lock:
            is_update = np.fromiter((i in self._label_of for i in ids), dtype=bool, count=len(ids))
            fresh = [i for i, upd in zip(ids, is_update, strict=True) if not upd]
            reused = min(len(fresh), self._deleted_slots)
            needed = self._index.get_current_count() + len(fresh) - reused
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
            if is_update.any():
                # An update must not take a vacant slot: the old point would stay live under the same label.
                updated = [self._label_of[i] for i, upd in zip(ids, is_update, strict=True) if upd]
                self._index.add_items(
                    rows[is_update], np.asarray(updated, dtype=np.uint64), num_threads=self._num_threads
                )
            if fresh:
                labels = np.arange(self._next_label, self._next_label + len(fresh), dtype=np.uint64)
                self._next_label += len(fresh)
                # replace_deleted lets new points take over the slots of removed ones, so churn does not
                # grow the graph.
                self._index.add_items(
                    rows[~is_update], labels, num_threads=self._num_threads, replace_deleted=True
                )
                for ident, label in zip(fresh, labels.tolist(), strict=True):
                    self._label_of[ident] = label
                    self._id_of[label] = ident
                self._deleted_slots -= reused

    def remove(self, ids: Iterable[Hashable]) -> None:
        with self._lock:
            for ident in ids:
                label = self._label_of.pop(ident, None)
                if label is None:
                    continue
                del self._id_of[label]
                self._index.mark_deleted(label)
                self._deleted_slots += 1

    def search(self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None) -> list[ScoredId]:
        query = normalize_rows(vector)
        if query.shape[1] != self.dim:
            raise ValueError(f"query has dimension {query.shape[1]}, index has {self.dim}")
        if k <= 0:
            return []
        with self._lock:
            if allowed is not None:
                labels = {self._label_of[i] for i in set(allowed) if i in self._label_of}
                if len(labels) <= self.exact_allowed_max:
                    return self._exact(query[0], sorted(labels), k)
                return self._graph_search(query, min(k, len(labels)), labels)
            return self._graph_search(query, min(k, len(self._label_of)), None)

    def _exact(self, query: np.ndarray, labels: list[int], k: int) -> list[ScoredId]:
        if not labels:
            return []
        vectors = self._index.get_items(np.asarray(labels, dtype=np.uint64), return_type="numpy")
        scores = vectors.astype(np.float32) @ query
        return [(self._id_of[labels[j]], float(scores[j])) for j in top_k(scores, k)]

    def _graph_search(self, query: np.ndarray, k: int, labels: set[int] | None) -> list[ScoredId]:
        if k <= 0:
            return []
        live = self._id_of
        accept = labels.__contains__ if labels is not None else None
        try:
            found, distances = self._index.knn_query(query, k=k, filter=accept)
        except RuntimeError:
            # The walk found fewer than k acceptable points (tiny or heavily filtered graph): score exactly.
            pool = sorted(labels) if labels is not None else sorted(live)
            return self._exact(query[0], pool, k)
        out: list[ScoredId] = []
        for label, dist in zip(found[0].tolist(), distances[0].tolist(), strict=True):
            ident = live.get(label)
            if ident is not None:
                out.append((ident, 1.0 - float(dist)))
        return out
