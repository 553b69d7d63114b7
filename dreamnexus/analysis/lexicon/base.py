"""The shape of a language lexicon and helpers to write one compactly.

Lexicons are hand-written for Dream Nexus from the HVdC category definitions (Hall & Van de Castle 1966,
Domhoff 1996); no third-party word list is copied in. Each language module fills one `Lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PersonNoun:
    sex: str  # "male" | "female" | "joint" | "indefinite"
    identity: str  # HVdC identity class, see characters stage
    plural: bool
    canonical: str


@dataclass(frozen=True, slots=True)
class InteractionVerb:
    kind: str  # "aggression" | "friendliness" | "sexuality"
    intensity: int
    needs: frozenset[str] = frozenset()  # the next word must be one of these (e.g. "yell" + "at")
    reciprocal: bool = False  # "fight", "argue": both sides act
    possession: bool = False  # "steal", "destroy": the victim shows up as a possessive ("my car")
    negated_only: bool = False  # "wouldn't let me": coercion is the refusal itself
    context: bool = False  # "he refused", "a bitter argument": the other party comes from the context
    coerce: bool = False  # "made me go": a person object followed by an action
    invite: bool = False  # "asked her to dance", "took her out": a person object, then a social activity
    gift: bool = False  # "gave me a ring": giving codes friendliness only when a gift is given
    refusal: bool = False  # negated_only, and the negation must be a refusal ("wouldn't", not "couldn't")
    direct: bool = False  # the person object follows at once: "fired me" (dismissed), not "fired a shot"
    expel: bool = False  # "told him to get out": an order that sends the person away (HVdC A3)
    after: frozenset[str] = frozenset()  # "turned me down": the person, then one of these particles
    aim: bool = False  # "threw a rock at him": the recipient is the object of "at", not of the verb


@dataclass(slots=True)
class Lexicon:
    language: str
    dreamer_subject: frozenset[str]
    dreamer_object: frozenset[str]
    dreamer_group: frozenset[str]
    dreamer_possessive: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    subject_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    person_nouns: dict[str, PersonNoun]
    indefinite_persons: dict[str, PersonNoun]
    male_names: frozenset[str]
    female_names: frozenset[str]
    titles: dict[str, str]
    known_modifiers: frozenset[str]
    absence_verbs: frozenset[str]
    absence_links: frozenset[str]
    known_clause: frozenset[str]
    search_words: frozenset[str]
    coerce_exempt: frozenset[str]
    invite_words: frozenset[str]
    gift_words: frozenset[str]
    refusal_negations: frozenset[str]
    refusal_auxiliaries: frozenset[str]
    hedges: frozenset[str]
    speech_verbs: frozenset[str]
    hostile_adverbs: frozenset[str]
    animals: frozenset[str]
    animal_plurals: frozenset[str]
    creatures: frozenset[str]
    creature_plurals: frozenset[str]
    ethnic: frozenset[str]
    dead_markers: frozenset[str]
    prominent_markers: frozenset[str]
    stranger_markers: frozenset[str]
    indefinite_determiners: frozenset[str]
    definite_determiners: frozenset[str]
    group_determiners: frozenset[str]
    other_possessives: frozenset[str]
    simile_markers: frozenset[str]
    non_names: frozenset[str]
    interaction_verbs: dict[str, tuple[InteractionVerb, ...]]
    passive_aux: frozenset[str]
    participles: frozenset[str]
    agent_marker: frozenset[str]
    negations: frozenset[str]
    clause_openers: frozenset[str]
    skip_words: frozenset[str]
    emotions: dict[str, str]
    emotion_phrases: dict[tuple[str, ...], str]
    indoor: frozenset[str]
    outdoor: frozenset[str]
    ambiguous_places: frozenset[str]
    familiar_places: frozenset[str]
    place_prepositions: frozenset[str]
    unfamiliar_markers: frozenset[str]
    home_words: frozenset[str]
    success_phrases: dict[tuple[str, ...], str]
    failure_phrases: dict[tuple[str, ...], str]
    failure_exempt: frozenset[str]
    failure_modals: frozenset[str]
    failure_actions: frozenset[str]
    misfortune_phrases: dict[tuple[str, ...], str]
    good_fortune_phrases: dict[tuple[str, ...], str]
    striving_phrases: dict[tuple[str, ...], str]
    body_parts: dict[str, str]
    body_part_needs_owner: frozenset[str]
    owner_words: frozenset[str]
    valence: dict[str, tuple[float, float]]
    stop_words: frozenset[str]
    uncodable: tuple[str, ...] = field(default_factory=tuple)
    # An act only feared, planned or possible did not happen: "he might bite me", "he was going to kill me".
    hypothetical_modals: frozenset[str] = frozenset()
    # "<word> to <act>": "going to", "about to", "wanted to" name an intention, not an act.
    hypothetical_intents: frozenset[str] = frozenset()
    # "kill or be killed", "the fear of being bitten": the act is a possibility named by a noun or a choice.
    hypothetical_before_being: frozenset[str] = frozenset()
    aim_markers: frozenset[str] = frozenset()  # "at" in "threw a rock at him"
    expel_phrases: frozenset[str] = frozenset()  # "leave", "get out", "shut up" after "told him to"
    # Harm with no one doing it is misfortune, not aggression: "he was hurt", "killed in a crash".
    injury_passives: frozenset[str] = frozenset()
    accident_words: frozenset[str] = frozenset()
    # Aggression needs intent to harm; horseplay is not coded: "we wrestled playfully".
    play_markers: frozenset[str] = frozenset()
    search_particles: frozenset[str] = frozenset()  # "hunting for the animals" is searching
    # "finally killed the enemy": an act the dreamer reaches after effort is a success (HVdC); the verbs
    # that end a scene rather than reach a goal ("finally woke up", "finally left") are listed as exempt.
    effort_adverbs: frozenset[str] = frozenset()
    irregular_achievements: frozenset[str] = frozenset()
    effort_exempt: frozenset[str] = frozenset()
    # "look" is searching only with a particle ("looked for", "looked around"); "looked in the mirror",
    # "looked out of the window", "looked like a tramp" are perceiving, so a later find is no success.
    look_words: frozenset[str] = frozenset()
    look_search_particles: frozenset[str] = frozenset()
    # Success "reached/made it" in a clause opened by these is scene-setting, not a goal reached:
    # "when we reached the top, we got out"; "before we were able to" means it was not reached.
    temporal_openers: frozenset[str] = frozenset()
    non_gifts: frozenset[str] = frozenset()  # "gave me a look": acts and papers, not possessions handed over
    # "pushed through the crowd": a verb followed by one of these is movement, not an act on a person
    motion_prepositions: frozenset[str] = frozenset()
    # "the girls in my dorm": people placed in the dreamer's own group are known to the dreamer
    membership_links: frozenset[str] = frozenset()
    membership_places: frozenset[str] = frozenset()
    # "a girl from school", "a fellow from work": a bare institution is the dreamer's own, so known
    bare_membership_places: frozenset[str] = frozenset()
    # "he was a friend of mine", "both are girls": a person noun after a copula describes a party already
    # there and is not a new character
    copulas: frozenset[str] = frozenset()
    # "the girls", "one of the boys" with no earlier mention: a definite group the reader is not told of
    # is the dreamer's own crowd (dormmates, classmates), so known
    peer_groups: frozenset[str] = frozenset()
    # "a friend of my mother's ... the woman": a bare definite generic noun ("the woman", "this girl")
    # names someone already in the dream (HVdC codes each character once); "the other girl" does not
    generic_persons: frozenset[str] = frozenset()
    # "Lee Road", "the Albert gymnasium", "John Hay High": a name before one of these names a place
    named_places: frozenset[str] = frozenset()
    # "my girl" after "my girlfriend": the dreamer's own girl or boy is the partner already met
    partner_nouns: frozenset[str] = frozenset()
    # "had a date with him", "out on a date": a noun that names a person or an appointment, and the words
    # before it that make it the appointment
    event_nouns: frozenset[str] = frozenset()
    event_verbs: frozenset[str] = frozenset()
    anaphoric_determiners: frozenset[str] = frozenset()
    distinct_markers: frozenset[str] = frozenset()
    # English capitalises names only; German capitalises every noun, so names come from the name lists.
    names_by_case: bool = True
    # German main clauses put the verb second: "Dann schlug mich der Mann" has its subject after the verb.
    verb_second: bool = False


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def verb_forms(spec: str) -> list[str]:
    """Inflect an English verb: "kick" -> kick, kicks, kicked, kicking; "hit|hitting" adds explicit forms.

    Over-generated forms that never occur in English (e.g. "hitted") are harmless: they never match.
    """
    base, *extra = spec.split("|")
    forms = {base, *extra}
    if base.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("e"):
        forms.update({base + "d", base[:-1] + "ing"})
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.update({base[:-1] + "ied", base + "ing"})
    else:
        forms.update({base + "ed", base + "ing", base + base[-1] + "ed", base + base[-1] + "ing"})
    return sorted(forms)


def phrase_table(spec: str) -> dict[tuple[str, ...], str]:
    """Parse lines "label: phrase one / phrase two" into {("phrase","one"): label}."""
    table: dict[tuple[str, ...], str] = {}
    for line in spec.strip().splitlines():
        label, _, rest = line.partition(":")
        for phrase in rest.split("/"):
            key = tuple(phrase.split())
            if key:
                table[key] = label.strip()
    return table
