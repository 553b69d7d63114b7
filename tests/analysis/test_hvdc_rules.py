"""The HVdC coding rules added for the validation round: each with a positive and a negative sentence.

Aggression classes (A1 covert .. A8 killing), friendliness classes (F1 .. F7), success/failure and the
known-character rule, written from the coding manual; the sentences are made up for these tests.
"""

from __future__ import annotations

import pytest

from ._helpers import code, humans, party_head


def _kinds(text: str) -> list[tuple[str, int]]:
    return [(i.kind, i.intensity) for i in code(text).interactions]


def _one(text: str):
    a = code(text)
    assert len(a.interactions) == 1, a.interactions
    return a, a.interactions[0]


# --- acts that did not happen: feared, planned, possible, conditional -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The dog might bite me.",
        "He was going to kill me.",
        "The man was about to grab me.",
        "I wanted to hit him.",
        "I was told I must kill them or be killed.",
        "The fear of being bitten was small.",
        "I asked them if they would give me some bait.",
        "I wondered whether I had shot my friend.",
        "The seals could kill a person.",
        "He might be able to give me a job.",
        "I didn't expect anybody to help me.",
    ],
)
def test_hypothetical_acts_are_not_coded(text: str) -> None:
    assert code(text).interactions == []


@pytest.mark.parametrize(
    ("text", "intensity"),
    [("He tried to hit me.", 7), ("He started to hit me.", 7), ("The man killed my dog.", 8)],
)
def test_attempted_and_actual_acts_are_coded(text: str, intensity: int) -> None:
    assert _kinds(text) == [("aggression", intensity)]


def test_being_able_to_act_is_an_act() -> None:
    assert _kinds("I was able to help my sister.") == [("friendliness", 5)]


# --- non-physical aggression (A2 verbal, A3 rejection/coercion) -------------------------------------


@pytest.mark.parametrize(
    ("text", "initiator", "recipient", "intensity"),
    [
        ("The boss fired me.", "boss", "dreamer", 3),
        ("She turned me down.", "she", "dreamer", 3),
        ("She broke up with me.", "she", "dreamer", 3),
        ("The landlord kicked me out.", "landlord", "dreamer", 3),
        ("My mother sent me away.", "mother", "dreamer", 3),
        ("I told him to get out.", "dreamer", "him", 3),
        ("My sister told me off.", "sister", "dreamer", 2),
        ("The boys called me names.", "boys", "dreamer", 2),
        ("My brother kidded me.", "brother", "dreamer", 2),
        ("The boy picked on me.", "boy", "dreamer", 2),
        ("My father objected to me.", "father", "dreamer", 2),
        ("The teacher scoffed at me.", "teacher", "dreamer", 2),
        ("My aunt berated me.", "aunt", "dreamer", 2),
        ("I yelled back at my father.", "dreamer", "father", 2),
        ("The old man glared down at me.", "man", "dreamer", 2),
        ("The clerk wouldn't speak to me.", "clerk", "dreamer", 3),
        ("The crowd refused to let me through.", "crowd", "dreamer", 3),
        ("My roommate was suspicious of me.", "roommate", "dreamer", 1),
        ("I envied my sister.", "dreamer", "sister", 1),
    ],
)
def test_non_physical_aggression(text: str, initiator: str, recipient: str, intensity: int) -> None:
    a, inter = _one(text)
    assert inter.kind == "aggression" and not inter.physical
    assert party_head(a, inter.initiator) == initiator
    assert party_head(a, inter.recipient) == recipient
    assert inter.intensity == intensity


@pytest.mark.parametrize(
    "text",
    [
        "He fired the gun.",
        "I was kidding around.",
        "He turned down the road.",
        "She told me to sit down.",
        "The man picked on the guitar.",
        "He hurled the baseballs with tremendous force.",
        "I couldn't speak.",
    ],
)
def test_neutral_uses_of_aggression_words(text: str) -> None:
    assert [i for i in code(text).interactions if i.kind == "aggression"] == []


def test_refusal_takes_the_requester_from_context() -> None:
    a = code("I told the man to get out. He refused.")
    refusals = [i for i in a.interactions if i.initiator != "dreamer"]
    assert [(party_head(a, i.initiator), i.recipient, i.intensity) for i in refusals] == [
        ("man", "dreamer", 3)
    ]


def test_forcing_is_coercion_but_force_the_noun_is_not() -> None:
    assert _kinds("The gang forced us to close.") == [("aggression", 3)]
    assert _kinds("The wind hit the house with great force.") == []


# --- physical aggression (A5 possessions, A7 attack) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intensity"),
    [
        ("The man threw a rock at me.", 7),
        ("The robber jumped me.", 7),
        ("The soldier slashed me.", 7),
        ("The man swung at me.", 7),
        ("The boys beat up my brother.", 7),
        ("The boy broke my glasses.", 5),
        ("The guard pushed me into the cell.", 7),
    ],
)
def test_physical_aggression(text: str, intensity: int) -> None:
    (inter,) = code(text).interactions
    assert inter.kind == "aggression" and inter.physical and inter.intensity == intensity


@pytest.mark.parametrize(
    "text",
    [
        "He threw the ball.",
        "I jumped the fence.",
        "I broke my leg.",
        "I pushed my grandfather's cart.",
        "I pushed through to the center of the crowd.",
        "I pushed quickly past the people.",
        "One man died of a heart attack.",
        "We went to the scene of battle.",
        "I bought the same tie for my brother.",
    ],
)
def test_objects_and_nouns_are_not_victims(text: str) -> None:
    assert [i for i in code(text).interactions if i.kind == "aggression"] == []


@pytest.mark.parametrize(
    "text",
    [
        "My friend was hurt in the game.",
        "I was hurt that he left.",
        "She was killed in an automobile crash.",
        "Her engagement was broken.",
    ],
)
def test_harm_without_an_aggressor_is_not_aggression(text: str) -> None:
    assert code(text).interactions == []


def test_harm_with_an_aggressor_is_aggression() -> None:
    a, inter = _one("My friend was shot by a soldier.")
    assert party_head(a, inter.initiator) == "soldier" and party_head(a, inter.recipient) == "friend"


@pytest.mark.parametrize(
    ("text", "coded"),
    [
        ("My brother and I began to wrestle playfully.", False),
        ("My brother pushed me back in a spirit of fun.", False),
        ("My brother pushed me.", True),
        ("He made fun of me.", True),
        ("He hit me while we were playing cards.", True),
        ("He hit me during a game.", True),
        ("We fought as a game.", False),
    ],
)
def test_horseplay_is_not_aggression(text: str, coded: bool) -> None:
    assert bool([i for i in code(text).interactions if i.kind == "aggression"]) is coded


@pytest.mark.parametrize(
    ("text", "coded"), [("I was hunting for the animals.", False), ("We hunted the deer.", True)]
)
def test_hunting_for_is_searching(text: str, coded: bool) -> None:
    assert bool(code(text).interactions) is coded


def test_object_pronoun_is_never_the_subject() -> None:
    a, inter = _one("My brother ran after me, teasing me.")
    assert party_head(a, inter.initiator) == "brother" and inter.recipient == "dreamer"


# --- friendliness, the dreamer as befriender --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intensity"),
    [
        ("I met a girl and gave her a golf club.", 4),
        ("I handed my father a book.", 4),
        ("I apologized to my sister.", 2),
        ("I said hello to my neighbor.", 2),
        ("I shook hands with my uncle.", 2),
        ("I took care of my sister.", 5),
        ("I saw a little boy and soothed him.", 5),
        ("I petted the dog.", 6),
    ],
)
def test_dreamer_befriends(text: str, intensity: int) -> None:
    a = code(text)
    friendly = [i for i in a.interactions if i.kind == "friendliness"]
    assert [(i.initiator, i.intensity) for i in friendly] == [("dreamer", intensity)]


@pytest.mark.parametrize(
    "text",
    [
        "My friend gave me a dirty look.",
        "The nurse gave me a shot.",
        "I gave them the forms.",
        "I shook my head.",
        "The sea was calm.",
        "I took care of the dishes.",
        "The guy who was taking care of the records explained it to us.",
    ],
)
def test_no_friendliness(text: str) -> None:
    assert [i for i in code(text).interactions if i.kind == "friendliness"] == []


# --- success and failure ------------------------------------------------------------------------------


def _outcomes(text: str) -> list[tuple[str, bool]]:
    return [(o.kind, o.dreamer_involved) for o in code(text).outcomes if o.kind in ("success", "failure")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I finally killed the enemy.", [("success", True)]),
        ("Finally I got in.", [("success", True)]),
        ("I was able to open the door.", [("success", True)]),
        ("I was unable to move.", [("failure", True)]),
        ("I looked for my keys and found them.", [("success", True)]),
    ],
)
def test_outcomes_coded(text: str, expected: list[tuple[str, bool]]) -> None:
    assert _outcomes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I finally woke up.",
        "Finally I got so mad that I yelled.",
        "I was about ready to give up.",
        "I was unable to remember it.",
        "I was able to see the house.",
        "I looked around and found we were alone.",
        "I looked at the motor and found it to be a mess.",
        "I asked where I could find a bar.",
    ],
)
def test_no_outcome(text: str) -> None:
    assert _outcomes(text) == []


def test_their_success_against_the_dreamer_is_not_the_dreamers() -> None:
    assert _outcomes("They finally caught me.") == [("success", False)]


# --- characters: members of the dreamer's own group are known ----------------------------------------


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        ("The girls in my dorm were laughing.", "known"),
        ("One of the boys in our class was there.", "known"),
        ("The girls in the park were laughing.", "stranger"),
        ("A man in my car was singing.", "stranger"),
    ],
)
def test_membership_makes_known(text: str, identity: str) -> None:
    (char,) = humans(code(text))
    assert char.identity == identity


# --- success and failure: what counts as reaching a goal (validation round 2) ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I looked in the mirror and found my teeth were gone.",
        "He looked like a tramp. I found a nickel in my purse.",
        "I looked for it, but I found my eyes would not move.",
        "I looked through the pile to find a clean package.",
        "I looked for the boat and found the water level to be very high.",
        "I was finally called to answer a question.",
        "I finally tried the experiment.",
        "At last we saw them.",
        "Before we were able to get off, the boat left.",
        "When we reached the top, we got out of the car.",
        "When we finally arrived, the dance had begun.",
    ],
)
def test_no_success(text: str) -> None:
    assert [o for o in _outcomes(text) if o[0] == "success"] == []


@pytest.mark.parametrize(
    "text",
    [
        "I looked for my keys and found them.",
        "I searched the house and found the letter.",
        "At last I caught the thief.",
        "We were able to get off the boat.",
        "We finally reached the top.",
    ],
)
def test_success(text: str) -> None:
    assert ("success", True) in _outcomes(text)


@pytest.mark.parametrize(
    "text",
    [
        "The instructor told us we couldn't swim there.",
        "I said I couldn't leave my boyfriend.",
        "I told him I couldn't catch him if he fell.",
        "I was worried that I would fail the test.",
        "I failed to notice my father.",
    ],
)
def test_no_failure(text: str) -> None:
    assert [o for o in _outcomes(text) if o[0] == "failure"] == []


@pytest.mark.parametrize(
    "text",
    ["I couldn't swim there.", "I failed the test.", "I looked everywhere but couldn't find my books."],
)
def test_failure(text: str) -> None:
    assert ("failure", True) in _outcomes(text)


# --- characters: known by membership, crowd, predicate -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        ("I met two girls in my Shakespeare class.", "known"),
        ("Two girls from school were there.", "known"),
        ("Two girls from the school were there.", "stranger"),
        ("There were three of us girls walking.", "known"),
        ("Three girls were walking.", "stranger"),
        ("I saw two girls (I know them well).", "known"),
        ("I told the girls that I was tired.", "known"),
        ("Two girls came in. The girls sat down.", "stranger"),
    ],
)
def test_known_groups(text: str, identity: str) -> None:
    (char,) = humans(code(text))
    assert char.identity == identity


@pytest.mark.parametrize(
    ("text", "heads", "identity"),
    [
        ("The man was a friend of mine.", ["man"], "known"),
        ("I saw the woman who was my boss.", ["woman"], "known"),
        ("The man was a soldier.", ["man"], "stranger"),
        ("I was a soldier.", [], None),
        ("It was my mother.", ["mother"], "family"),
        ("There was a girl.", ["girl"], "stranger"),
    ],
)
def test_predicate_noun_describes_a_party(text: str, heads: list[str], identity: str | None) -> None:
    chars = humans(code(text))
    assert [c.head.lower() for c in chars] == heads
    if identity is not None:
        assert chars[0].identity == identity


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        ("I told one of the girls.", "known"),
        ("I watched the procedure of the girls undressing.", "stranger"),
        ("I saw all the young girls.", "stranger"),
        ("I saw some boys I had dated.", "known"),
        ("I saw a man whom I didn't know.", "stranger"),
        ("She asked us two girls to write.", "known"),
        ("A crowd of the dorm kids came in.", "known"),
        ("I played with teammates who were unknown to me.", "stranger"),
        ("My teammates were there.", "known"),
    ],
)
def test_known_and_unknown_groups(text: str, identity: str) -> None:
    (char,) = [c for c in humans(code(text)) if c.identity != "uncertain"]
    assert char.identity == identity


@pytest.mark.parametrize(
    ("text", "identity"),
    [
        ("A woman was screaming at her neighbor.", "stranger"),
        ("My friend was talking to his neighbor.", "known"),
    ],
)
def test_a_strangers_acquaintance_is_a_stranger(text: str, identity: str) -> None:
    assert humans(code(text))[-1].identity == identity


# --- characters: apposition, names and written sex ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I saw Norma (18), a girl who lives in my dorm.", [("known", "female")]),
        ("An elderly man, an old friend of mine, came to visit me.", [("known", "male")]),
        ("I heard a friend of mine, a young boy, shouting.", [("known", "male")]),
        ("The girl was Marcia.", [("known", "female")]),
        (
            "I saw a man, a woman and a boy.",
            [("stranger", "male"), ("stranger", "female"), ("stranger", "male")],
        ),
        (
            "I saw a friend, a boy and a girl.",
            [("known", "indefinite"), ("stranger", "male"), ("stranger", "female")],
        ),
    ],
)
def test_apposition_describes_the_same_character(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.identity, c.sex) for c in humans(code(text))] == expected


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("I met my good friend (m, 20) at a table.", "male"),
        ("A friend of mine (f, 20) came in.", "female"),
        ("A friend (female) came in.", "female"),
        ("A friend (20) came in.", "indefinite"),
        ("A friend came in.", "indefinite"),
    ],
)
def test_sex_written_in_brackets(text: str, sex: str) -> None:
    (char,) = humans(code(text))
    assert char.sex == sex


@pytest.mark.parametrize(
    ("text", "sex"),
    [("Herman came in.", "male"), ("Gladys came in.", "female"), ("Gilbert fell.", "male")],
)
def test_common_given_names_have_a_sex(text: str, sex: str) -> None:
    (char,) = humans(code(text))
    assert char.sex == sex and char.identity == "known"


def test_elided_subject_predicate_is_not_a_new_character() -> None:
    assert len(humans(code("This girl came in but was a common girl."))) == 1
    assert [c.head for c in humans(code("I opened the door and it was my mother."))] == ["mother"]
