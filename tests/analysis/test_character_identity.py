"""Character rules of hvdc-1.3: who is in the dream, counted once, and whether the dreamer knows them.

HVdC codes each character once per dream, however often and under whatever noun it is named, and only
characters who appear; "known" (K) is anyone the dreamer knows personally. Each rule has a sentence that
must be coded by it and one that must not; the sentences are made up for these tests.
"""

from __future__ import annotations

import pytest

from ._helpers import code, humans


def _people(text: str) -> list[tuple[str, str, str, str]]:
    """(head, identity, sex, number) of each human character, in order."""
    return [(c.head.lower(), c.identity, c.sex, c.number) for c in humans(code(text))]


# --- a bare definite generic noun re-names someone already in the dream ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My date came in late. Then the boy sat down.", [("date", "known", "male", "individual")]),
        (
            "Someone knocked at the door. The person came in.",
            [("someone", "uncertain", "indefinite", "individual")],
        ),
        (
            "A friend of mine met me downtown. Later the woman left.",
            [("friend", "known", "female", "individual")],
        ),
    ],
)
def test_definite_generic_noun_renames_the_latest_person(text: str, expected: list) -> None:
    assert _people(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "My friend came in. Then the other girl sat down.",  # said to be someone else
        "My friend came in. Then the man at the door spoke.",  # restricted: a new person
        "My friend came in. Later the girl I met spoke.",
        "My mother came in. Then the woman sat down.",  # family is not re-named "the woman"
        "Another friend came in. My boyfriend began to fight with this person.",  # not the boyfriend
        "My friend came in. Then the unknown man spoke.",  # unknown is not a friend
    ],
)
def test_definite_generic_noun_that_is_someone_else(text: str) -> None:
    assert len(humans(code(text))) == 2


def test_this_person_after_another_friend_is_that_friend() -> None:
    people = _people("Another friend came to say goodbye. My boyfriend began to fight with this person.")
    assert [p[0] for p in people] == ["friend", "boyfriend"]


# --- one singled out from a group is an individual ---------------------------------------------------


def test_one_of_my_brothers_is_one_known_individual() -> None:
    people = _people("I argued with one of my fraternity brothers. He shot an air rifle.")
    assert people == [("brothers", "known", "male", "individual")]


def test_the_brothers_are_a_group() -> None:
    assert _people("My fraternity brothers were there.") == [("brothers", "known", "male", "group")]


def test_one_of_the_girls_twice_is_one_girl() -> None:
    assert len(humans(code("One of the girls laughed. Then one of the girls sang."))) == 1


# --- capitalised words that are not people -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We walked across the WRU campus.",
        "The voice came over a PA system.",
        "We were near a crossing of two RR lines.",
        "I was with the girls from LEC.",
        "This dream happened in Virginia.",
        "As I rode along Lee Road, it rained.",
        "I was in the Albert gymnasium locker room.",
        "I was at John Adam's football field.",
        "Several other GIs were boarding planes.",
    ],
)
def test_places_and_initials_of_places_are_not_characters(text: str) -> None:
    assert [p for p in _people(text) if p[0] not in ("girls",)] == []


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("I was walking with JS on the main walk.", "js"),
        ("We rode out a road in Bob's car.", "bob's"),
        ("I saw that Rita was the teacher.", "rita"),
        ("Then this Stankey was waiting impatiently.", "stankey"),
    ],
)
def test_names_stay_people(text: str, head: str) -> None:
    assert head in [p[0] for p in _people(text)]


def test_an_adjective_before_a_person_noun_is_not_a_name() -> None:
    assert _people("I saw Christian girls there.") == [("girls", "stranger", "female", "group")]


def test_a_surname_names_the_same_person() -> None:
    assert len(humans(code("Milton Berle gets into an argument. Berle is afraid of the snake."))) == 1


# --- a description in brackets or after a name is the same person ------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some older person (a woman) was there.", [("person", "stranger", "female", "individual")]),
        (
            "A good friend of the family (middle-aged woman) came along.",
            [("friend", "known", "female", "individual"), ("family", "family", "joint", "group")],
        ),
        ("I told my boyfriend, TG, about it.", [("boyfriend", "known", "male", "individual")]),
        ("My cousin (29) Jack was there.", [("cousin", "relative", "male", "individual")]),
        ("My friend (m, 20), Bob, came.", [("friend", "known", "male", "individual")]),
        (
            "I dreamed of Mr. Chapman, my art teacher, at school.",
            [("chapman", "known", "male", "individual")],
        ),
    ],
)
def test_appositions_describe_one_character(text: str, expected: list) -> None:
    assert _people(text) == expected


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("I saw a man, a woman (old) and a boy.", 3),
        ("I saw my mother, Bill, and Jane.", 3),
        ("I saw Bill, my mother and my aunt.", 3),
        ("We (my roommate and I) went out.", 1),
    ],
)
def test_lists_are_several_characters(text: str, n: int) -> None:
    assert len(humans(code(text))) == n


@pytest.mark.parametrize(
    "text",
    [
        "A woman came in. She may have been a teacher.",
        "A man who was a gangster came in. This gangster later ran away.",
    ],
)
def test_a_predicate_describes_the_person_already_there(text: str) -> None:
    assert len(humans(code(text))) == 1


def test_they_were_supposed_to_be_cousins() -> None:
    people = _people("Three boys came up. I believe they were supposed to be cousins.")
    assert people == [("boys", "relative", "male", "group")]


def test_wanting_to_be_a_doctor_is_no_description() -> None:
    assert _people("I wanted to be a doctor.") == [("doctor", "occupational", "indefinite", "individual")]


# --- the same friend met again -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I was with a friend of mine. Later my friend left.",
        "My girlfriend and I sat on a couch. Suddenly my girl pulled a gun.",
    ],
)
def test_the_same_friend_named_again_is_one_character(text: str) -> None:
    assert len(humans(code(text))) == 1


def test_my_girl_is_not_my_sister() -> None:
    assert len(humans(code("My sister came. My girl waved."))) == 2


# --- known from a relative clause; denials win ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Then Mac, a boy I'm dating now, came in.",
        "I had a date with the boy to whom I am pinned.",
        "It was some boy that I work with on Saturdays.",
        "The fellow I was going with had not come.",
        "A woman I work with told me to go.",
    ],
)
def test_a_relationship_in_the_clause_makes_known(text: str) -> None:
    assert "known" in [p[1] for p in _people(text)]


@pytest.mark.parametrize(
    "text",
    [
        "A man whom I did not know came in.",
        "The car was loaded with people, none of whom I could recognize.",
        "I talked to the man, who was no one I recognized.",
        "A fellow in my physics class whom I don't even know sat there.",
        "A boy ran from class to class.",
    ],
)
def test_denied_or_unrelated_is_not_known(text: str) -> None:
    assert "known" not in [p[1] for p in _people(text)]


# --- a possessor decides the identity of a child or partner --------------------------------------------


@pytest.mark.parametrize(
    ("text", "head", "identity"),
    [
        ("I was watching my sister's baby.", "baby", "relative"),
        ("My sister came with her little boy.", "boy", "relative"),
        ("My friend Bob came with his girl.", "girl", "known"),
        ("A woman came with her little boy.", "boy", "stranger"),
    ],
)
def test_owner_decides_identity(text: str, head: str, identity: str) -> None:
    assert {p[0]: p[1] for p in _people(text)}[head] == identity


def test_a_kin_noun_in_a_list_shares_the_owner() -> None:
    people = {p[0]: p[1] for p in _people("She and her parents and brother had bought a cottage.")}
    assert people["brother"] == "stranger"
    assert {p[1] for p in _people("My mother and sister came.")} == {"family"}


# --- a possessive that names a kind of place is no one in the dream -------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("We shot arrows at a women's clothing store.", 0),
        ("I sat in front of someone's home.", 0),
        ("Someone's hand grabbed me.", 1),
        ("The girls' faces were red.", 1),
    ],
)
def test_possessive_place_names(text: str, n: int) -> None:
    assert len(humans(code(text))) == n


def test_a_friend_then_my_friend_is_one_friend() -> None:
    assert len(humans(code("A friend was sitting next to me. Then my friend said hello."))) == 1


@pytest.mark.parametrize(
    "text",
    ["His friend came. My friend laughed.", "A friend came in. Another friend came. My friend left."],
)
def test_my_friend_is_not_someone_elses_friend(text: str) -> None:
    assert len([p for p in _people(text) if p[0] == "friend"]) == 2


# --- a date is an appointment or a person ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "heads"),
    [
        ("I had a date with a boy.", ["boy"]),
        ("We were out on a double date.", []),
        ("I tried to get a date for Friday.", []),
        ("My date was angry with me.", ["date"]),
        ("A date came to pick me up.", ["date"]),
    ],
)
def test_date_as_event_or_person(text: str, heads: list[str]) -> None:
    assert [p[0] for p in _people(text)] == heads


@pytest.mark.parametrize(
    "text", ["Joan came in. She's one of the girls I dated.", "My cousin came. She's a nurse and knows."]
)
def test_a_pronoun_with_a_copula_describes_its_antecedent(text: str) -> None:
    assert len(humans(code(text))) == 1


def test_a_plural_possessive_before_a_place_is_no_one() -> None:
    assert humans(code("I was practicing in the boys' gym.")) == []
