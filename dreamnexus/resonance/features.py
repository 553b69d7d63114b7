"""Plain-data description of a dream as the resonance engine sees it.

The engine never reads text, the database or the analysis pipeline: callers hand it ids, embedding
vectors and the already computed per-dream features below, so this package stays pure and testable.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "EMOTION_DIM",
    "HVDC_EMOTIONS",
    "DreamFeatures",
    "emotion_matrix",
    "emotion_vector",
    "normalize_rows",
]

# The five Hall–Van de Castle emotion classes, in a fixed order for vector encodings.
HVDC_EMOTIONS: tuple[str, ...] = ("anger", "apprehension", "sadness", "confusion", "happiness")
# Five classes plus valence split into a positive and a negative part, so that every coordinate is
# non-negative and a cosine of 1 means "the same emotional core".
EMOTION_DIM = len(HVDC_EMOTIONS) + 2


@dataclass(frozen=True, slots=True)
class DreamFeatures:
    """One dream: its id, embedding and the features the resonance functions compare.

    ``emotions`` maps HVdC class names to non-negative weights (missing classes count as 0; unknown
    names are ignored); ``valence`` lies in [-1, 1].
    """

    id: Hashable
    vector: np.ndarray
    language: str | None = None
    group: str | None = None
    emotions: Mapping[str, float] = field(default_factory=dict)
    valence: float = 0.0
    themes: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()


def emotion_vector(emotions: Mapping[str, float], valence: float = 0.0) -> np.ndarray:
    """The L2-normalised emotional-core vector of a dream (all zeros when it carries no emotion)."""
    raw = np.zeros(EMOTION_DIM, dtype=np.float32)
    for i, name in enumerate(HVDC_EMOTIONS):
        weight = float(emotions.get(name, 0.0))
        if weight < 0 or not np.isfinite(weight):
            raise ValueError(f"emotion weight for {name!r} must be a finite non-negative number")
        raw[i] = weight
    # Normalise the class mix first so that valence weighs the same whatever the scale of the weights.
    total = raw[: len(HVDC_EMOTIONS)].sum()
    if total > 0:
        raw[: len(HVDC_EMOTIONS)] /= total
    valence = float(np.clip(valence, -1.0, 1.0))
    raw[-2] = max(valence, 0.0)
    raw[-1] = max(-valence, 0.0)
    norm = float(np.linalg.norm(raw))
    return raw / norm if norm > 0 else raw


def emotion_matrix(dreams: Iterable[DreamFeatures]) -> np.ndarray:
    """``emotion_vector`` of many dreams at once, one row each."""
    dreams = list(dreams)
    raw = np.zeros((len(dreams), EMOTION_DIM), dtype=np.float64)
    if not dreams:
        return raw.astype(np.float32)
    k = len(HVDC_EMOTIONS)
    raw[:, :k] = [[float(d.emotions.get(name, 0.0)) for name in HVDC_EMOTIONS] for d in dreams]
    if not np.all(np.isfinite(raw)) or np.any(raw < 0):
        raise ValueError("emotion weights must be finite non-negative numbers")
    totals = raw[:, :k].sum(axis=1, keepdims=True)
    np.divide(raw[:, :k], totals, out=raw[:, :k], where=totals > 0)
    valence = np.clip(np.array([float(d.valence) for d in dreams]), -1.0, 1.0)
    raw[:, -2] = np.maximum(valence, 0.0)
    raw[:, -1] = np.maximum(-valence, 0.0)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    np.divide(raw, norms, out=raw, where=norms > 0)
    return raw.astype(np.float32)


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """Float32 copy with unit-length rows; zero rows stay zero instead of becoming NaN."""
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise ValueError("vectors must be a 2-D array (one row per item)")
    if not np.all(np.isfinite(arr)):
        raise ValueError("vectors must be finite")
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return np.divide(arr, norms, out=np.zeros_like(arr), where=norms > 0)
