"""Reciprocal rank fusion and hybrid (semantic + full-text) search."""

from __future__ import annotations

import numpy as np
import pytest

from dreamnexus.resonance.fusion import hybrid_search, reciprocal_rank_fusion
from dreamnexus.resonance.index import ExactIndex


def test_rrf_scores_follow_the_formula() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], rrf_k=10))
    assert fused["a"] == pytest.approx(1 / 11 + 1 / 12)
    assert fused["b"] == pytest.approx(1 / 12)
    assert fused["c"] == pytest.approx(1 / 13 + 1 / 11)
    order = [i for i, _ in reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], rrf_k=10)]
    assert order == ["a", "c", "b"]


def test_rrf_weights_duplicates_and_limit() -> None:
    fused = reciprocal_rank_fusion([["a", "a", "b"], ["b"]], rrf_k=0, weights=[1.0, 3.0], limit=1)
    assert fused == [("b", pytest.approx(1 / 2 + 3.0))]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_hybrid_search_fuses_and_respects_visibility() -> None:
    index = ExactIndex(3)
    index.add(["fly", "water", "fall", "hidden"], np.array([[1, 0, 0], [0.7, 0.7, 0], [0, 0, 1], [1, 0, 0]]))
    text = {"water": 9.0, "fall": 2.0, "hidden": 50.0, "fly": 0.0}
    hits = hybrid_search(index, np.array([1.0, 0.2, 0]), text, k=3, allowed={"fly", "water", "fall"})
    ids = [h.id for h in hits]
    assert "hidden" not in ids
    assert ids[0] == "water"  # second semantically, first in full text
    by_id = {h.id: h for h in hits}
    assert by_id["fly"].semantic_rank == 1 and by_id["fly"].text_rank is None  # zero text score: no rank
    assert by_id["water"].text_rank == 1
    text_only = hybrid_search(index, None, text, k=2)
    assert [h.id for h in text_only] == ["hidden", "water"]
