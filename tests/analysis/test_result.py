"""DreamAnalysis serialisation and evidence."""

from __future__ import annotations

import json

import numpy as np

from dreamnexus.analysis import ANALYSIS_VERSION, DreamAnalysis

from ._helpers import code

TEXT = (
    "I was in my house with my mother. A man came in and he hit me. I was scared. "
    "My friend John helped me and we ran outside. I broke my leg."
)


def test_to_dict_is_json_and_round_trips() -> None:
    a = code(TEXT)
    a.embedding = np.arange(4, dtype=np.float32) / 7
    a.embedding_model = "fake-4"
    d = a.to_dict()
    again = DreamAnalysis.from_dict(json.loads(json.dumps(d)))
    assert again.to_dict() == d
    assert again.embedding is not None and again.embedding.dtype == np.float32
    assert d["version"] == ANALYSIS_VERSION and ANALYSIS_VERSION.startswith("hvdc-")


def test_embedding_omitted_when_none() -> None:
    d = code(TEXT).to_dict()
    assert "embedding" not in d and d["embedding_model"] is None


def test_evidence_covers_every_coded_item() -> None:
    a = code(TEXT)
    d = a.to_dict()
    codes = [e["code"] for e in d["evidence"]]
    assert codes.count("character") == len(a.characters)
    assert codes.count("emotion") == len(a.emotions)
    n_inter = sum(codes.count(k) for k in ("aggression", "friendliness", "sexuality"))
    assert n_inter == len(a.interactions)
    for ev in d["evidence"]:
        assert 0 <= ev["start"] < ev["end"] <= len(TEXT)
        assert ev["label"]


def test_contract_attributes() -> None:
    a = code(TEXT)
    assert a.language == "en" and a.word_count == len(TEXT.split())
    assert -1.0 <= a.valence <= 1.0 and 0.0 <= a.arousal <= 1.0
    assert {e.emotion_class for e in a.emotions} <= {
        "anger",
        "apprehension",
        "sadness",
        "confusion",
        "happiness",
    }
    assert isinstance(a.themes, list)
