"""Valence, arousal and themes."""

from __future__ import annotations

from ._helpers import code


def test_valence_sign() -> None:
    assert code("I was so happy, we hugged and laughed at the beautiful party.").valence > 0.3
    assert code("A man attacked me and I was terrified. He killed my dog.").valence < -0.3
    assert code("I walked to the table.").valence == 0.0


def test_arousal_orders_calm_and_violent() -> None:
    calm = code("I sat in the garden and read a book. It was quiet.").arousal
    violent = code("A man chased me, screaming, and shot at me. I was terrified and ran.").arousal
    assert 0.0 <= calm < violent <= 1.0


def test_negated_affect_word_is_ignored() -> None:
    assert code("I was not happy.").valence <= 0.0


def test_themes_are_content_phrases() -> None:
    themes = code("I was flying over a huge purple ocean. The purple ocean was full of whales.").themes
    assert themes and "purple ocean" in themes
    assert all(t not in ("the", "was", "i") for t in themes)
