"""An index that is exact while small and moves to HNSW once the corpus passes a threshold."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence

import numpy as np

from dreamnexus.resonance.hnsw import HnswIndex, hnswlib_available
from dreamnexus.resonance.index import ExactIndex, ScoredId, VectorIndex

__all__ = ["DEFAULT_EXACT_MAX", "AutoIndex"]

# Exact numpy search stays under ~5 ms per query up to about this many 256-d vectors on one core.
DEFAULT_EXACT_MAX = 50_000


class AutoIndex:
    """Exact search up to ``exact_max`` vectors, then a one-off migration to an approximate index.

    Without hnswlib installed it simply stays exact (slower on big corpora, never wrong).
    """

    def __init__(
        self,
        dim: int,
        exact_max: int = DEFAULT_EXACT_MAX,
        approximate_factory: Callable[[int], VectorIndex] | None = None,
    ) -> None:
        self.dim = dim
        self.exact_max = exact_max
        self._factory = approximate_factory or (HnswIndex if hnswlib_available() else None)
        self._exact: ExactIndex | None = ExactIndex(dim)
        self._backend: VectorIndex = self._exact

    @property
    def is_approximate(self) -> bool:
        return self._exact is None

    def __len__(self) -> int:
        return len(self._backend)

    def __contains__(self, item: object) -> bool:
        return item in self._backend

    def add(self, ids: Sequence[Hashable], vectors: np.ndarray) -> None:
        self._backend.add(ids, vectors)
        if self._exact is not None and self._factory is not None and len(self._exact) > self.exact_max:
            approximate = self._factory(self.dim)
            live = self._exact.ids()
            for start in range(0, len(live), 65_536):
                chunk = live[start : start + 65_536]
                approximate.add(chunk, self._exact.vectors_of(chunk))
            self._backend, self._exact = approximate, None

    def remove(self, ids: Iterable[Hashable]) -> None:
        self._backend.remove(ids)

    def search(self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None) -> list[ScoredId]:
        return self._backend.search(vector, k, allowed)
