"""The adapter between contributions and the analysis package."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from dreamnexus.weaving.features import (
    EMOTION_CLASSES,
    AnalysisFeaturiser,
    HashingFeaturiser,
    PrecomputedFeaturiser,
    features_from_analyses,
)
from dreamnexus.weaving.model import parse_contribution


class CountingEmbedder:
    name = "fake-embedder"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def test_features_from_analysis_dicts() -> None:
    analyses = [
        {
            "valence": -0.5,
            "arousal": 0.9,
            "themes": ["chase"],
            "emotions": [
                {"emotion_class": "apprehension"},
                {"emotion_class": "apprehension"},
                {"emotion_class": "happiness"},
            ],
        },
        {"valence": 3.0, "arousal": -1.0, "themes": [], "emotions": []},
    ]
    f = features_from_analyses(analyses, np.eye(2, 3, dtype=np.float32))
    assert f.valence.tolist() == [-0.5, 1.0]  # clipped to [-1, 1]
    assert f.arousal[1] == 0.0
    row = dict(zip(EMOTION_CLASSES, f.emotions[0].tolist(), strict=True))
    assert row["apprehension"] == pytest.approx(2 / 3) and row["happiness"] == pytest.approx(1 / 3)
    assert f.emotions[1].sum() == 0.0 and f.themes == [["chase"], []]


def test_supplied_analyses_are_reused_and_foreign_embeddings_recomputed() -> None:
    pytest.importorskip("dreamnexus.analysis")
    embedder = CountingEmbedder()
    feat = AnalysisFeaturiser(embedder=embedder)
    same = {
        "language": "en",
        "word_count": 5,
        "valence": 0.4,
        "arousal": 0.2,
        "themes": ["sea"],
        "embedding": [0.0, 1.0, 0.0, 0.0],
        "embedding_model": "fake-embedder",
    }
    other = dict(same, embedding=[0.0, 0.0, 1.0], embedding_model="another-model")
    rows = [
        parse_contribution({"id": "a", "author": "x", "text": "I swam in a warm sea.", "analysis": same}),
        parse_contribution({"id": "b", "author": "y", "text": "I flew over the town.", "analysis": other}),
        parse_contribution({"id": "c", "author": "z", "text": "I was chased by a dog and I was afraid."}),
    ]
    f = feat.featurise(rows)
    assert f.embeddings[0].tolist() == [0.0, 1.0, 0.0, 0.0]  # reused as supplied
    assert f.embeddings[1].tolist() == [1.0, 0.0, 0.0, 0.0]  # another model: re-embedded
    assert f.valence[0] == pytest.approx(0.4) and f.themes[0] == ["sea"]
    assert sum(len(c) for c in embedder.calls) == 2  # b, and c (analysed here)
    assert feat.name == "analysis+fake-embedder"


def test_precomputed_featuriser_serves_by_id_and_falls_back() -> None:
    rows = [
        parse_contribution({"id": str(i), "author": "a", "text": f"dream number {i} about boats"})
        for i in range(3)
    ]
    base = HashingFeaturiser()
    pre = PrecomputedFeaturiser([r.id for r in rows], base.featurise(rows), "stored")
    sub = pre.featurise([rows[2], rows[0]])
    assert np.array_equal(sub.embeddings, base.featurise([rows[2], rows[0]]).embeddings)
    new = parse_contribution({"id": "new", "author": "b", "text": "a new dream"})
    with pytest.raises(KeyError):
        pre.featurise([new])
    assert len(PrecomputedFeaturiser([], base.featurise([]), "s", fallback=base).featurise([new])) == 1


def test_hashing_featuriser_is_deterministic_and_typo_tolerant() -> None:
    rows = [
        parse_contribution({"id": str(i), "author": "a", "text": t})
        for i, t in enumerate(
            [
                "I was flying over the frozen lake at night",
                "I was flying over the frozne lake at night",
                "My grandmother baked bread in a tiny kitchen",
            ]
        )
    ]
    a = HashingFeaturiser().featurise(rows)
    b = HashingFeaturiser().featurise(rows)
    assert np.array_equal(a.embeddings, b.embeddings)
    sims = a.embeddings @ a.embeddings.T
    assert sims[0, 1] > 0.8 > sims[0, 2]
