"""Resonance engine: similar dreams, hybrid search, vector indexes and the dream exchange.

Pure library: it takes plain data (ids, vectors, per-dream features) and imports no web, database or
feature-extraction code. See docs/resonance.md for the design and measured figures.
"""

from dreamnexus.resonance.auto import AutoIndex
from dreamnexus.resonance.exchange import (
    ExchangeRound,
    Link,
    Participant,
    exchange_round,
    greedy_round,
    pair_quality,
)
from dreamnexus.resonance.features import HVDC_EMOTIONS, DreamFeatures, emotion_vector
from dreamnexus.resonance.fusion import HybridHit, hybrid_search, reciprocal_rank_fusion
from dreamnexus.resonance.hnsw import HnswIndex, hnswlib_available
from dreamnexus.resonance.index import ExactIndex, VectorIndex
from dreamnexus.resonance.pgvector import PgVectorIndex, PgVectorSql
from dreamnexus.resonance.resonant import (
    BRIDGE_WEIGHTS,
    DEFAULT_WEIGHTS,
    Resonance,
    ResonanceWeights,
    Why,
    explain,
    resonant_dreams,
    resonant_from_index,
)

__all__ = [
    "BRIDGE_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "HVDC_EMOTIONS",
    "AutoIndex",
    "DreamFeatures",
    "ExactIndex",
    "ExchangeRound",
    "HnswIndex",
    "HybridHit",
    "Link",
    "Participant",
    "PgVectorIndex",
    "PgVectorSql",
    "Resonance",
    "ResonanceWeights",
    "VectorIndex",
    "Why",
    "emotion_vector",
    "exchange_round",
    "explain",
    "greedy_round",
    "hnswlib_available",
    "hybrid_search",
    "pair_quality",
    "reciprocal_rank_fusion",
    "resonant_dreams",
    "resonant_from_index",
]
