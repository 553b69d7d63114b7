"""Character coding rules: one character per person, number, sex, identity, animals, creatures, dead."""

from __future__ import annotations

import pytest

from ._helpers import code, humans


def test_dreamer_is_not_a_character() -> None:
    a = code("I walked to school and I sat down. We talked.")
    assert a.characters == []


@pytest.mark.parametrize(
    ("text", "sex", "identity"),
    [
        ("I saw a man.", "male", "stranger"),
        ("A woman stood there.", "female", "stranger"),
        ("My mother called.", "female", "family"),
        ("I talked with my uncle.", "male", "relative"),
        ("My friend was there.", "indefinite", "known"),
        ("My boyfriend laughed.", "male", "known"),
        ("A policeman came in.", "male", "occupational"),
        ("A doctor examined the wound.", "indefinite", "occupational"),
        ("The queen waved.", "female", "prominent"),
        ("A Chinese man sold tea.", "male", "ethnic"),
        ("Someone knocked.", "indefinite", "uncertain"),
        ("My teacher smiled.", "indefinite", "known"),
    ],
)
def test_sex_and_identity(text: str, sex: str, identity: str) -> None:
    (char,) = humans(code(text))
    assert (char.sex, char.identity) == (sex, identity)


def test_familiarity_follows_identity() -> None:
    a = code("My sister and a stranger talked. Someone laughed.")
    by_head = {c.head.lower(): c.familiar for c in a.characters}
    assert by_head == {"sister": True, "stranger": False, "someone": None}


def test_each_character_is_coded_once() -> None:
    a = code("My mother was there. Mom smiled. Then my mother left.")
    assert len(a.characters) == 1


def test_definite_reference_reuses_the_character() -> None:
    a = code("A man came in. The man sat down.")
    assert len(a.characters) == 1


def test_indefinite_articles_start_new_characters() -> None:
    a = code("A man came in. Another man sat down.")
    assert len(a.characters) == 2


def test_plural_is_a_group() -> None:
    (char,) = code("Some men were fighting.").characters
    assert char.number == "group" and char.sex == "male"
    (single,) = code("A man was fighting.").characters
    assert single.number == "individual"


def test_parents_are_a_joint_family_group() -> None:
    (char,) = code("My parents were home.").characters
    assert (char.number, char.sex, char.identity) == ("group", "joint", "family")


def test_pronoun_gives_an_indefinite_character_its_sex() -> None:
    (char,) = code("My friend arrived. He was late.").characters
    assert char.sex == "male"


def test_name_with_known_sex() -> None:
    (char,) = code("I went out with Mary and she laughed.").characters
    assert (char.sex, char.identity) == ("female", "known")


def test_title_gives_sex() -> None:
    (char,) = code("I met Mrs. Kowalczyk at the door.").characters
    assert char.sex == "female"


def test_apposition_merges_noun_and_name() -> None:
    (char,) = code("I saw my friend John. John waved.").characters
    assert char.sex == "male" and char.identity == "known"


def test_animals_and_creatures() -> None:
    a = code("A dog barked at a monster.")
    kinds = sorted(c.kind for c in a.characters)
    assert kinds == ["animal", "creature"]


def test_my_dog_is_familiar() -> None:
    (char,) = code("My dog ran away.").characters
    assert char.kind == "animal" and char.familiar is True


def test_simile_is_not_a_character() -> None:
    assert [c for c in code("She ran like a dog.").characters if c.kind == "animal"] == []


def test_pronoun_without_antecedent_is_one_character() -> None:
    a = code("He followed me. Later he called me.")
    (char,) = a.characters
    assert (char.sex, char.identity, char.familiar) == ("male", "uncertain", None)


def test_third_person_report_does_not_make_the_dreamer_a_character() -> None:
    assert code("The dreamer was in a room. He opened a door.").characters == []


def test_hot_dog_is_food() -> None:
    assert code("I ate a hot dog.").characters == []


def test_dead_character() -> None:
    (char,) = code("My dead grandfather was sitting there.").characters
    assert char.dead and char.identity == "relative"


def test_not_dead_by_default() -> None:
    (char,) = code("My grandfather was sitting there.").characters
    assert not char.dead


def test_girl_friend_is_one_female_known_character() -> None:
    (char,) = code("I was with my girl friend.").characters
    assert (char.sex, char.identity) == ("female", "known")


def test_ambiguous_nouns_need_a_determiner() -> None:
    assert code("Judge for yourself.").characters == []
    assert len(code("The judge spoke.").characters) == 1


def test_quantifier_is_not_a_character() -> None:
    (char,) = code("A couple of people walked by.").characters
    assert char.head == "people"


def test_people_only_thought_or_talked_about_are_not_characters() -> None:
    assert code("I thought about my mother all day.").characters == []
    assert code("I got a letter from my girlfriend.").characters == []
    assert len(code("I talked to my mother.").characters) == 1


def test_known_by_relative_clause() -> None:
    (char,) = code("I danced with a girl I used to date.").characters
    assert char.identity == "known"
    (stranger,) = code("I danced with a girl I didn't know.").characters
    assert stranger.identity == "stranger"
