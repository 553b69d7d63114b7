"""The pluggable vector index interface and its exact (numpy) implementation.

Every index stores unit-normalised vectors and scores by cosine similarity, so scores from different
backends are comparable and the switch from exact to approximate search is invisible to callers.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from dreamnexus.resonance.features import normalize_rows

__all__ = ["ExactIndex", "ScoredId", "VectorIndex", "check_batch", "top_k"]

ScoredId = tuple[Hashable, float]


@runtime_checkable
class VectorIndex(Protocol):
    """What the resonance functions need from a vector index.

    ``search`` returns at most ``k`` ``(id, cosine score)`` pairs, best first, never an id removed by a
    ``remove`` call that returned before the search produced its result, and only ids in ``allowed``
    when that is given (the caller passes what the viewer may see).
    """

    dim: int

    def add(self, ids: Sequence[Hashable], vectors: np.ndarray) -> None: ...

    def remove(self, ids: Iterable[Hashable]) -> None: ...

    def search(
        self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None
    ) -> list[ScoredId]: ...

    def __len__(self) -> int: ...

    def __contains__(self, item: object) -> bool: ...


def check_batch(ids: Sequence[Hashable], vectors: np.ndarray, dim: int) -> np.ndarray:
    """Validate an ``add`` batch and return its rows normalised; a duplicate id in one batch is an error."""
    rows = normalize_rows(vectors)
    if rows.shape[0] != len(ids):
        raise ValueError(f"{len(ids)} ids but {rows.shape[0]} vectors")
    if rows.shape[0] and rows.shape[1] != dim:
        raise ValueError(f"vectors have dimension {rows.shape[1]}, index has {dim}")
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate id in one add() batch")
    return rows


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest finite scores, best first."""
    k = min(k, scores.shape[0])
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k] if k < scores.shape[0] else np.arange(scores.shape[0])
    order = part[np.argsort(-scores[part], kind="stable")]
    return order[np.isfinite(scores[order])]


class ExactIndex:
    """Brute-force cosine search: exact, incremental, fine up to tens of thousands of vectors."""

    def __init__(self, dim: int, initial_capacity: int = 1024) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.dim = dim
        self._vectors = np.zeros((max(initial_capacity, 1), dim), dtype=np.float32)
        self._alive = np.zeros(self._vectors.shape[0], dtype=bool)
        self._ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._pos)

    def __contains__(self, item: object) -> bool:
        return item in self._pos

    def ids(self) -> list[Hashable]:
        with self._lock:
            return list(self._pos)

    def vectors_of(self, ids: Sequence[Hashable]) -> np.ndarray:
        with self._lock:
            return self._vectors[[self._pos[i] for i in ids]].copy()

    def add(self, ids: Sequence[Hashable], vectors: np.ndarray) -> None:
        rows = check_batch(ids, vectors, self.dim)
        with self._lock:
            fresh = [i for i in ids if i not in self._pos]
            self._reserve(len(self._ids) + len(fresh))
            for ident, row in zip(ids, rows, strict=True):
                pos = self._pos.get(ident)
                if pos is None:
                    pos = len(self._ids)
                    self._ids.append(ident)
                    self._pos[ident] = pos
                self._vectors[pos] = row
                self._alive[pos] = True

    def remove(self, ids: Iterable[Hashable]) -> None:
        with self._lock:
            for ident in ids:
                pos = self._pos.pop(ident, None)
                if pos is not None:
                    self._alive[pos] = False
            # Tombstones cost scan time; compact once they are the majority.
            if len(self._ids) > 64 and len(self._pos) * 2 < len(self._ids):
                self._compact()

    def search(self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None) -> list[ScoredId]:
        query = normalize_rows(vector)[0]
        if query.shape[0] != self.dim:
            raise ValueError(f"query has dimension {query.shape[0]}, index has {self.dim}")
        if k <= 0:
            return []
        with self._lock:
            if allowed is not None:
                rows = np.fromiter(
                    (p for p in (self._pos.get(i) for i in set(allowed)) if p is not None), dtype=np.int64
                )
                scores = self._vectors[rows] @ query
                best = top_k(scores, k)
                return [(self._ids[rows[j]], float(scores[j])) for j in best]
            size = len(self._ids)
            scores = self._vectors[:size] @ query
            scores[~self._alive[:size]] = -np.inf
            return [(self._ids[j], float(scores[j])) for j in top_k(scores, k)]

    def _reserve(self, needed: int) -> None:
        capacity = self._vectors.shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, capacity * 2)
        grown = np.zeros((new_capacity, self.dim), dtype=np.float32)
        grown[:capacity] = self._vectors
        alive = np.zeros(new_capacity, dtype=bool)
        alive[:capacity] = self._alive
        self._vectors, self._alive = grown, alive

    def _compact(self) -> None:
        keep = [self._pos[i] for i in self._pos]
        self._vectors[: len(keep)] = self._vectors[keep]
        self._alive[:] = False
        self._alive[: len(keep)] = True
        self._ids = list(self._pos)
        self._pos = {ident: j for j, ident in enumerate(self._ids)}
