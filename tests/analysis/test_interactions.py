"""Aggression, friendliness and sexuality: who initiates, who receives, intensity and physicality."""

from __future__ import annotations

import pytest

from ._helpers import code, party_head


def _only(text: str):
    a = code(text)
    assert len(a.interactions) == 1, a.interactions
    inter = a.interactions[0]
    return a, inter


@pytest.mark.parametrize(
    ("text", "initiator", "recipient", "intensity", "physical"),
    [
        ("A man hit me.", "man", "dreamer", 7, True),
        ("I punched the man.", "dreamer", "man", 7, True),
        ("The soldier killed my brother.", "soldier", "brother", 8, True),
        ("A dog was chasing me.", "dog", "dreamer", 6, True),
        ("My sister yelled at me.", "sister", "dreamer", 2, False),
        ("The thief stole my wallet.", "thief", "dreamer", 5, True),
        ("He threatened me.", "he", "dreamer", 4, False),
        ("My boss criticized me.", "boss", "dreamer", 2, False),
        ("I was angry at my father.", "dreamer", "father", 1, False),
    ],
)
def test_aggression(text: str, initiator: str, recipient: str, intensity: int, physical: bool) -> None:
    a, inter = _only(text)
    assert inter.kind == "aggression"
    assert party_head(a, inter.initiator) == initiator
    assert party_head(a, inter.recipient) == recipient
    assert (inter.intensity, inter.physical) == (intensity, physical)


def test_passive_swaps_roles() -> None:
    a, inter = _only("I was attacked by a bear.")
    assert party_head(a, inter.initiator) == "bear" and inter.recipient == "dreamer"


def test_relative_pronoun_subject() -> None:
    a = code("There was a man who chased me.")
    (inter,) = a.interactions
    assert party_head(a, inter.initiator) == "man"


def test_subject_is_not_the_object_of_an_earlier_verb() -> None:
    a = code("I saw the man and hit him.")
    (inter,) = a.interactions
    assert inter.initiator == "dreamer"


@pytest.mark.parametrize(
    "text",
    [
        "He didn't hit me.",
        "I hit the ball.",
        "I was struck by a strange feeling.",
        "We were married last year.",
        "I yelled.",
    ],
)
def test_no_interaction(text: str) -> None:
    assert code(text).interactions == []


def test_reciprocal_fight() -> None:
    a = code("My brother and I had an argument with the neighbor. We fought.")
    kinds = [(i.kind, i.reciprocal) for i in a.interactions]
    assert ("aggression", True) in kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She gave me a ring.", ["friendliness"]),
        ("She gave me the forms.", []),
        ("I asked her to dance.", ["friendliness"]),
        ("I asked her about the time.", []),
        ("He made me leave the room.", ["aggression"]),
        ("It made me sad.", []),
        ("He made fun of me.", ["aggression"]),
        ("I made love to her.", ["sexuality"]),
        ("We watched the shooting.", []),
        ("My teeth hurt me.", []),
    ],
)
def test_conditional_predicates(text: str, expected: list[str]) -> None:
    assert [i.kind for i in code(text).interactions] == expected


def test_object_of_a_relative_clause() -> None:
    a = code("I met a neighbor whom I dislike.")
    (inter,) = a.interactions
    assert inter.initiator == "dreamer" and party_head(a, inter.recipient) == "neighbor"


def test_predicate_noun_is_the_same_party() -> None:
    # "he is a neighbor": the neighbor is the man already there, not a second character
    a = code("He is a neighbor whom I dislike.")
    (inter,) = a.interactions
    assert inter.initiator == "dreamer" and party_head(a, inter.recipient) == "he"
    assert len(a.characters) == 1


def test_negated_permission_is_coercion() -> None:
    a, inter = _only("The guard wouldn't let me in.")
    assert inter.kind == "aggression" and inter.intensity == 3
    assert party_head(a, inter.initiator) == "guard" and inter.recipient == "dreamer"


@pytest.mark.parametrize(
    ("text", "initiator", "recipient", "intensity"),
    [
        ("My friend helped me.", "friend", "dreamer", 5),
        ("I hugged my mother.", "dreamer", "mother", 6),
        ("A woman gave me a present.", "woman", "dreamer", 4),
        ("I thanked the nurse.", "dreamer", "nurse", 2),
        ("He proposed to me.", "he", "dreamer", 7),
    ],
)
def test_friendliness(text: str, initiator: str, recipient: str, intensity: int) -> None:
    a, inter = _only(text)
    assert inter.kind == "friendliness" and not inter.physical
    assert party_head(a, inter.initiator) == initiator
    assert party_head(a, inter.recipient) == recipient
    assert inter.intensity == intensity


def test_kiss_is_sexual_with_a_lover_and_friendly_with_family() -> None:
    _, sexual = _only("My girlfriend kissed me.")
    assert sexual.kind == "sexuality"
    _, friendly = _only("I kissed my mother.")
    assert friendly.kind == "friendliness"


def test_evidence_explains_aggression() -> None:
    text = "A stranger hit me."
    a = code(text)
    (ev,) = [e for e in a.to_dict()["evidence"] if e["code"] == "aggression"]
    assert text[ev["start"] : ev["end"]] == "hit"
    assert "physical aggression" in ev["label"] and "against the dreamer" in ev["label"]


def test_subject_of_the_main_clause_not_the_relative_clause() -> None:
    a = code("A stranger whom I was with had just shot a man.")
    (inter,) = a.interactions
    assert party_head(a, inter.initiator) == "stranger"


@pytest.mark.parametrize("text", ["We stopped in order that he could rest.", "I was tending to wounded men."])
def test_nouns_and_adjectives_are_not_predicates(text: str) -> None:
    assert code(text).interactions == []


def test_hit_as_a_modifier_is_not_coded() -> None:
    text = "She was hurt by a hit skip driver."
    (inter,) = code(text).interactions
    assert text[inter.start : inter.end] == "hurt"
