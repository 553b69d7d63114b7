"""German rules (reduced) and the documented fallback for other languages."""

from __future__ import annotations

from ._helpers import code, party_head


def test_german_is_detected_and_coded() -> None:
    a = code(
        "Ich war mit meiner Mutter im Haus. Ein Mann schlug mich und ich hatte große Angst.", language=None
    )
    assert a.language == "de"
    heads = {c.head.lower(): (c.sex, c.identity) for c in a.characters}
    assert heads == {"mutter": ("female", "family"), "mann": ("male", "stranger")}
    (inter,) = a.interactions
    assert (
        inter.kind == "aggression"
        and party_head(a, inter.initiator) == "mann"
        and inter.recipient == "dreamer"
    )
    assert [e.emotion_class for e in a.emotions] == ["apprehension"]
    assert a.settings[0].location == "indoor"
    assert a.uncoded, "German analyses say what the reduced rules cannot code"


def test_german_friendliness_and_body_parts() -> None:
    a = code("Meine Freundin half mir. Sie umarmte mich. Mein Kopf tat weh.", language="de")
    assert [i.kind for i in a.interactions] == ["friendliness", "friendliness"]
    assert [b.category for b in a.body_parts] == ["head"]


def test_other_language_falls_back_with_a_note() -> None:
    a = code("Je suis allé à la maison avec ma mère.", language="fr")
    assert a.language == "fr"
    assert any("no lexicon for 'fr'" in note for note in a.uncoded)


def test_english_has_nothing_uncoded() -> None:
    assert code("I walked home.").uncoded == []


def test_german_verb_second_subject_after_the_verb() -> None:
    a = code("Dann schlug mich der Mann.", language="de")
    (inter,) = a.interactions
    assert party_head(a, inter.initiator) == "mann" and inter.recipient == "dreamer"


def test_german_subject_before_the_verb_is_kept() -> None:
    a = code("Ich umarmte meine Mutter.", language="de")
    (inter,) = a.interactions
    assert inter.initiator == "dreamer" and party_head(a, inter.recipient) == "mutter"


def test_german_sie_as_object() -> None:
    a = code("Meine Cousine spricht nicht mit mir. Ich beneide sie.", language="de")
    (inter,) = a.interactions
    assert (inter.kind, inter.intensity, inter.initiator) == ("aggression", 1, "dreamer")
    assert party_head(a, inter.recipient) == "cousine"
