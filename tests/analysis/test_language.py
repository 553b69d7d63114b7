"""Language detection by function words."""

from __future__ import annotations

import pytest

from dreamnexus.analysis.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I was walking with my mother and we were in the house.", "en"),
        ("Ich war mit meiner Mutter im Haus und wir hatten Angst.", "de"),
        ("Meine Freundin hat ein Baby bekommen.", "de"),
        ("Estaba en la casa con mi madre y no sabía que hacer.", "es"),
    ],
)
def test_detects(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_falls_back_to_default() -> None:
    assert detect_language("", default="en") == "en"
    assert detect_language("12345 !!!", default="de") == "de"
