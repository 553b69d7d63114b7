"""Property tests: any Unicode input codes without error and every span points into the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.analysis import DreamAnalysis, analyze

_WORDS = st.sampled_from(
    [
        "I",
        "me",
        "my",
        "he",
        "she",
        "they",
        "we",
        "a",
        "the",
        "man",
        "woman",
        "mother",
        "friend",
        "dog",
        "monster",
        "hit",
        "chased",
        "helped",
        "kissed",
        "yelled",
        "at",
        "scared",
        "happy",
        "angry",
        "sad",
        "confused",
        "house",
        "forest",
        "car",
        "couldn't",
        "find",
        "finally",
        "managed",
        "to",
        "fell",
        "back",
        "hand",
        "heart",
        ".",
        ",",
        "!",
        "?",
        "'",
        '"',
        "—",
        "Mr.",
        "John's",
        "ich",
        "mich",
        "Mutter",
        "Angst",
        "schlug",
    ]
)
_TEXT = st.one_of(st.text(), st.lists(_WORDS, max_size=60).map(" ".join))


def _spans(a: DreamAnalysis) -> list[tuple[int, int]]:
    items = [*a.characters, *a.interactions, *a.emotions, *a.outcomes, *a.body_parts, *a.evidence]
    items += [s for s in a.settings if s.location != "none"]
    return [(x.start, x.end) for x in items]


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.sampled_from([None, "en", "de", "fr"]))
def test_never_crashes_and_spans_are_inside(text: str, language: str | None) -> None:
    a = analyze(text, language=language, embed=False)
    for start, end in _spans(a):
        assert 0 <= start < end <= len(text)
    for ev in a.to_dict()["evidence"]:
        assert ev["end"] - ev["start"] == len(text[ev["start"] : ev["end"]])
    assert -1.0 <= a.valence <= 1.0 and 0.0 <= a.arousal <= 1.0


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_deterministic(text: str) -> None:
    assert analyze(text, embed=False).to_dict() == analyze(text, embed=False).to_dict()


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_round_trip(text: str) -> None:
    d = analyze(text, embed=False).to_dict()
    assert DreamAnalysis.from_dict(d).to_dict() == d
