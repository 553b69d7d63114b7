"""Resonant dreams: blended ranking, the "why", and bridge mode."""

from __future__ import annotations

import numpy as np
import pytest

from dreamnexus.resonance.features import DreamFeatures, emotion_vector
from dreamnexus.resonance.index import ExactIndex
from dreamnexus.resonance.resonant import explain, resonant_dreams, resonant_from_index

FEAR = {"apprehension": 0.8, "confusion": 0.2}
JOY = {"happiness": 1.0}


def dream(ident: str, vec, **kw) -> DreamFeatures:
    return DreamFeatures(ident, np.asarray(vec, dtype=np.float32), **kw)


def test_why_lists_shared_themes_emotions_and_symbols() -> None:
    a = dream(
        "a",
        [1, 0],
        emotions={"apprehension": 0.6, "sadness": 0.3, "happiness": 0.1},
        themes=("Falling", "water", "chase"),
        symbols=("Bridge", "dog"),
        language="en",
        group="g1",
    )
    b = dream(
        "b",
        [1, 0],
        emotions={"apprehension": 0.5, "sadness": 0.5},
        themes=("water", "falling ", "flight"),
        symbols=("dog",),
        language="es",
        group="g1",
    )
    why = explain(a, b)
    assert why.shared_themes == ("Falling", "water")  # query's order and spelling, case-insensitive match
    assert why.shared_emotions == ("apprehension", "sadness")  # happiness is only 10% of a's mix
    assert why.shared_symbols == ("dog",)
    assert why.crosses_language and not why.crosses_group
    assert 0.0 < why.emotional_core <= 1.0


def test_why_is_empty_when_nothing_is_shared() -> None:
    why = explain(dream("a", [1, 0], emotions=FEAR, themes=("x",)), dream("b", [0, 1], emotions=JOY))
    assert why.shared_themes == () and why.shared_emotions == () and why.shared_symbols == ()
    assert why.emotional_core == pytest.approx(0.0, abs=1e-6)


def test_ranking_blends_meaning_and_emotion_and_excludes_the_query() -> None:
    query = dream("q", [1, 0, 0], emotions=FEAR, themes=("chase",))
    close_same_feeling = dream("c1", [0.9, 0.1, 0], emotions=FEAR, themes=("chase",))
    close_other_feeling = dream("c2", [0.9, 0.1, 0], emotions=JOY)
    far = dream("c3", [0, 0, 1], emotions=FEAR)
    got = resonant_dreams(query, [far, close_other_feeling, query, close_same_feeling], k=10)
    assert [r.id for r in got] == ["c1", "c2", "c3"]
    assert got[0].why.shared_themes == ("chase",)
    assert got[0].score > got[1].score > got[2].score
    assert len(resonant_dreams(query, [far, close_other_feeling, close_same_feeling], k=2)) == 2
    assert resonant_dreams(query, [], k=3) == []


def test_bridge_prefers_another_language_with_the_same_emotional_core() -> None:
    query = dream("q", [1, 0, 0], emotions=FEAR, valence=-0.7, language="en", group="north")
    same_language = dream("same", [0.95, 0.05, 0], emotions=FEAR, valence=-0.7, language="en", group="north")
    other_language = dream("other", [0.6, 0.4, 0], emotions=FEAR, valence=-0.6, language="pt", group="north")
    other_group = dream("group", [0.6, 0.4, 0], emotions=FEAR, valence=-0.6, language="en", group="south")
    other_feeling = dream("joy", [0.6, 0.4, 0], emotions=JOY, valence=0.8, language="pt", group="south")
    pool = [same_language, other_language, other_group, other_feeling]
    plain = [r.id for r in resonant_dreams(query, pool, k=4)]
    bridged = [r.id for r in resonant_dreams(query, pool, k=4, bridge=True)]
    assert plain[0] == "same"
    assert set(bridged[:2]) == {"other", "group"}
    assert bridged.index("joy") > bridged.index("same")  # crossing alone earns nothing
    why = {r.id: r.why for r in resonant_dreams(query, pool, k=4, bridge=True)}
    assert why["other"].crosses_language and why["group"].crosses_group


def test_dimension_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="dimension"):
        resonant_dreams(dream("q", [1, 0]), [dream("a", [1, 0, 0])])


def test_emotion_vector_validates_and_normalises() -> None:
    vec = emotion_vector({"anger": 2.0, "unknown": 5.0}, valence=3.0)
    assert np.linalg.norm(vec) == pytest.approx(1.0)
    assert np.all(vec >= 0)
    assert not np.any(emotion_vector({}))
    with pytest.raises(ValueError):
        emotion_vector({"anger": -1.0})


def test_resonant_from_index_reranks_a_visible_shortlist() -> None:
    rng = np.random.default_rng(0)
    dreams = {f"d{i}": dream(f"d{i}", rng.normal(size=8), emotions=FEAR) for i in range(50)}
    index = ExactIndex(8)
    index.add(list(dreams), np.stack([d.vector for d in dreams.values()]))
    index.remove(["d3"])
    visible = {f"d{i}" for i in range(0, 50, 2)}
    got = resonant_from_index(index, dreams["d0"], lambda ids: [dreams[i] for i in ids], k=5, allowed=visible)
    ids = [r.id for r in got]
    assert len(ids) == 5 and set(ids) <= visible - {"d0"}
    assert "d3" not in ids
