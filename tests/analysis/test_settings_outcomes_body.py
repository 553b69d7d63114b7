"""Settings, outcomes (success, failure, misfortune, good fortune, striving) and body parts."""

from __future__ import annotations

import pytest

from ._helpers import code


@pytest.mark.parametrize(
    ("text", "location", "familiarity"),
    [
        ("I was in my kitchen.", "indoor", "familiar"),
        ("We walked in a strange forest.", "outdoor", "unfamiliar"),
        ("I was at home.", "indoor", "familiar"),
        ("I was in a building.", "indoor", "unfamiliar"),
        ("I sat in the car.", "ambiguous", "questionable"),
        ("We were at school.", "indoor", "familiar"),
    ],
)
def test_setting(text: str, location: str, familiarity: str) -> None:
    (setting,) = code(text).settings
    assert (setting.location, setting.familiarity) == (location, familiarity)


def test_no_setting() -> None:
    (setting,) = code("I was talking to him.").settings
    assert setting.location == "none"


def test_each_place_once() -> None:
    settings = code("I was in the house. I left the house and went into the house again.").settings
    assert len(settings) == 1


@pytest.mark.parametrize(
    ("text", "kind", "dreamer"),
    [
        ("I finally managed to open the door.", "success", True),
        ("I couldn't find my keys.", "failure", True),
        ("He could not open the window.", "failure", False),
        ("I fell down the stairs.", "misfortune", True),
        ("Luckily the bus was still there.", "good_fortune", False),
        ("I tried to climb the wall.", "striving", True),
    ],
)
def test_outcomes(text: str, kind: str, dreamer: bool) -> None:
    outcomes = [o for o in code(text).outcomes if o.kind == kind]
    assert len(outcomes) == 1
    assert outcomes[0].dreamer_involved is dreamer


@pytest.mark.parametrize(
    "text", ["I couldn't believe it.", "I could not remember his name.", "I walked home."]
)
def test_no_failure_without_striving(text: str) -> None:
    assert [o for o in code(text).outcomes if o.kind == "failure"] == []


@pytest.mark.parametrize(
    ("text", "category", "torso"),
    [
        ("He hurt my back.", "torso", True),
        ("My heart was pounding.", "anatomy", True),
        ("I raised my hand.", "extremities", False),
        ("She touched my face.", "head", False),
    ],
)
def test_body_parts(text: str, category: str, torso: bool) -> None:
    (part,) = code(text).body_parts
    assert part.category == category and part.torso_anatomy is torso


@pytest.mark.parametrize(
    "text", ["I went back home.", "The wall was ten feet high.", "On the other hand, fine."]
)
def test_not_body_parts(text: str) -> None:
    assert code(text).body_parts == []
