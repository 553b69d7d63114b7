"""Emotions in the five HVdC classes, with whose emotion it is."""

from __future__ import annotations

import pytest

from ._helpers import code, party_head


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("I was furious.", "anger"),
        ("I felt scared.", "apprehension"),
        ("I was very sad.", "sadness"),
        ("I was confused.", "confusion"),
        ("I was so happy.", "happiness"),
        ("I was embarrassed.", "apprehension"),
        ("I didn't know what to do.", "confusion"),
    ],
)
def test_emotion_class(text: str, cls: str) -> None:
    (emotion,) = code(text).emotions
    assert emotion.emotion_class == cls and emotion.subject == "dreamer"


def test_whose_emotion() -> None:
    a = code("My mother was worried.")
    (emotion,) = a.emotions
    assert party_head(a, emotion.subject) == "mother"


def test_object_of_a_causative_feels_it() -> None:
    (emotion,) = code("The noise frightened me.").emotions
    assert emotion.subject == "dreamer"


@pytest.mark.parametrize("text", ["I wasn't afraid.", "I was never angry.", "I walked home."])
def test_no_emotion(text: str) -> None:
    assert code(text).emotions == []


def test_one_emotion_per_class_and_person_per_sentence() -> None:
    assert len(code("I was scared, really scared.").emotions) == 1
    assert len(code("I was scared. Later I was scared again.").emotions) == 2
