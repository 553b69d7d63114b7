"""Embedding stage: batched, and lazy so the coding works without the embedding module or model."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


_DEFAULT: list[Embedder | None] = []


def default_embedder() -> Embedder | None:
    """The project's default embedder, or None (logged once) when the embedding module is unavailable."""
    if not _DEFAULT:
        try:
            from dreamnexus.analysis.embedding import default_embedder as factory

            _DEFAULT.append(factory())
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            # Coding must not depend on the model files: analyses then carry no embedding.
            log.warning("no embedder available (%s); analyses carry no embedding", exc)
            _DEFAULT.append(None)
    return _DEFAULT[0]


def embed_texts(texts: Sequence[str], embedder: Embedder | None) -> tuple[np.ndarray | None, str | None]:
    if embedder is None or not texts:
        return None, None
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float32)
    return vectors, embedder.name
