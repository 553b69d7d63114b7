"""Social interactions: aggression (HVdC intensity 1-8), friendliness (1-7) and sexuality.

A predicate from the lexicon codes an interaction when a party acts on another party: the initiator is
the subject, the recipient the object (swapped in the passive). Reciprocal verbs ("we fought") with no
object code a reciprocal interaction between the dreamer and the others. Negated predicates are not coded.
Aggression of intensity 5-8 (theft/destruction, chase/confinement, attack, killing) is physical.
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.lexicon.base import InteractionVerb, words
from dreamnexus.analysis.result import Interaction
from dreamnexus.analysis.stages.roles import (
    AUX,
    agent_after,
    find_object,
    find_subject,
    hypothetical,
    is_passive,
    negated,
    subject_after,
)

PHYSICAL_FROM = 5


def _sexual_kiss_to_family(doc: Doc, recipient: str, initiator: str) -> bool:
    for party in (recipient, initiator):
        if party.startswith("c"):
            char = doc.characters[int(party[1:]) - 1]
            if char.identity in ("family", "relative"):
                return True
    return False


def code_interactions(doc: Doc) -> None:
    lex = doc.lex
    toks = doc.tokens
    seen: set[tuple[str, str, str, int]] = set()
    for i, tok in enumerate(toks):
        if not tok.is_word:
            continue
        entries = lex.interaction_verbs.get(tok.lower)
        if entries is None or i in doc.mentions:
            continue  # "nurse" the noun is a character, not an act
        verb = _SEXUAL_LOVE if _makes_love(doc, i) else _choose(doc, i, entries)
        if verb is None or _hedged(doc, i) or (not verb.context and _not_a_predicate(doc, i)):
            continue
        if hypothetical(doc, i) or _searching(doc, i):
            continue
        if verb.kind == "aggression" and _playful(doc, i):
            continue
        head_end = (_needed_word(doc, i, verb.needs) or i + 1) if verb.needs else i
        passive = is_passive(doc, i)
        subject = find_subject(doc, i)
        if verb.aim and not passive:
            marker = _aim_marker(doc, i)
            if marker is None:
                continue  # "threw the ball": nothing aimed at anyone
            head_end = marker
        obj, obj_at = find_object(doc, head_end, allow_possessive=verb.possession)
        if not passive and not verb.needs and not verb.aim and _moves(doc, i):
            continue  # "pushed through to the center of the crowd": the crowd is where, not whom
        if (
            verb.needs
            and not verb.context
            and not passive
            and obj is not None
            and not _next_to(doc, obj_at, head_end)
        ):
            continue  # "taking care of the records explained to us": the person must follow "of" at once
        if verb.direct and not passive and (obj is None or doc.mentions[obj_at].first != head_end + 1):
            continue  # "fired a shot", "kidding around": no person right after the verb
        if lex.verb_second and not passive:
            later, k = subject_after(doc, head_end)
            if later is not None and (subject is None or _verb_second_clause(doc, i)):
                subject = later
                if obj == later:
                    obj, _ = find_object(doc, k, allow_possessive=verb.possession)
        if obj is None:
            obj = _relative_antecedent(doc, i)
        reciprocal = False
        if passive:
            if verb.kind == "friendliness" and verb.intensity == 7:
                continue  # "we were married": a state, not an act
            recipient = subject
            agent = agent_after(doc, head_end)
            if agent is None and _has_by(doc, head_end):
                continue  # "struck by a feeling", "greeted by pistol fire": no social partner
            if agent is None and verb.kind == "aggression" and _misfortune(doc, i):
                continue  # "he was hurt", "killed in a crash": harm without an aggressor is misfortune
            initiator = agent or "unknown"
        else:
            initiator, recipient = subject, obj
            if verb.reciprocal:
                if recipient is None and i + 1 < len(toks) and toks[i + 1].base == "with":
                    recipient, _ = find_object(doc, i + 1)
                if (
                    recipient is None
                    and initiator == "dreamer"
                    and toks[_subject_index(doc, i)].base in lex.dreamer_group
                ):
                    recipient = "unknown"
                reciprocal = recipient is not None
        if verb.coerce and not passive and not _coerces(doc, i):
            continue
        if verb.expel and not _expels(doc, head_end):
            continue
        if verb.invite and not _followed_by(doc, head_end, doc.lex.invite_words, 3):
            continue
        if verb.gift and not _gives(doc, head_end):
            continue
        if not verb.context and (
            _gerund_noun(doc, i) or (not passive and subject is None and _thing_subject(doc, i))
        ):
            continue  # "watched the shooting", "my teeth hurt me": no social initiator
        if verb.context and recipient is None:
            recipient = _context_party(doc, i, exclude=initiator)
            reciprocal = verb.reciprocal and recipient is not None
            if initiator is None and verb.reciprocal and recipient is not None and recipient != "dreamer":
                initiator = "dreamer" if _dreamer_near(doc, i) else None
        if initiator is None:
            initiator = "unknown"
        if recipient == "unknown" and not reciprocal:
            continue  # "pushed them open": an unresolved "them" is as likely a thing as a person
        if (
            recipient is None
            or recipient == initiator
            or "dreamer" not in (initiator, recipient)
            and (initiator == "unknown" and recipient == "unknown")
        ):
            continue
        kind = verb.kind
        intensity = verb.intensity
        if kind == "sexuality" and _sexual_kiss_to_family(doc, recipient, initiator):
            kind, intensity = "friendliness", 6
        key = (kind, initiator, recipient, tok.sent)
        if key in seen:
            continue  # one interaction per pair and kind within a sentence
        seen.add(key)
        doc.interactions.append(
            Interaction(
                kind=kind,
                intensity=intensity,
                physical=kind == "aggression" and intensity >= PHYSICAL_FROM,
                initiator=initiator,
                recipient=recipient,
                reciprocal=reciprocal,
                start=tok.start,
                end=toks[head_end].end,
            )
        )


_ANGER_LINKS = words("at with because that since when toward towards about by")


def code_hostile_speech(doc: Doc) -> None:
    """HVdC A2: speech marked hostile by its manner ("she said angrily", "he answered me sarcastically")."""
    toks = doc.tokens
    lex = doc.lex
    for i, tok in enumerate(toks):
        if not tok.is_word or tok.lower not in lex.speech_verbs:
            continue
        window = range(max(0, i - 2), min(len(toks), i + 4))
        adverb = next((k for k in window if toks[k].lower in lex.hostile_adverbs), None)
        if adverb is None or any(x.start <= tok.start < x.end for x in doc.interactions):
            continue
        speaker = find_subject(doc, i) or "unknown"
        listener, _ = find_object(doc, i)
        if listener is None:
            listener = _context_party(doc, i, exclude=speaker)
        if listener is None or listener == speaker or listener == "unknown":
            continue
        end = max(tok.end, toks[adverb].end) if adverb > i else tok.end
        start = min(tok.start, toks[adverb].start)
        doc.interactions.append(Interaction("aggression", 2, False, speaker, listener, False, start, end))


# Anger-class words that do not aim at anyone: frustration is felt at circumstances.
_NOT_HOSTILITY = words("frustrated frustration exasperated")


def code_covert_hostility(doc: Doc) -> None:
    """HVdC A1: anger felt toward a character present in the scene.

    The target is named after a link ("annoyed with him", "mad because she left") or, failing that, is the
    one other party mentioned in the same sentence ("I was furious. ... my sister" is not enough).
    """
    toks = doc.tokens
    start_index = {t.start: k for k, t in enumerate(toks)}
    for emotion in doc.emotions:
        if emotion.emotion_class != "anger" or emotion.subject == "unknown":
            continue
        if toks[start_index.get(emotion.start, 0)].lower in _NOT_HOSTILITY:
            continue
        i = start_index.get(emotion.start, -1)
        if i < 0 or any(x.start <= emotion.start < x.end for x in doc.interactions):
            continue
        owner = emotion.subject
        recipient = _anger_target(doc, i, owner)
        if recipient is None or any(
            x.kind == "aggression"
            and {x.initiator, x.recipient} == {owner, recipient}
            and toks[start_index.get(x.start, i)].sent == toks[i].sent
            for x in doc.interactions
        ):
            continue
        doc.interactions.append(
            Interaction("aggression", 1, False, owner, recipient, False, emotion.start, emotion.end)
        )


def _anger_target(doc: Doc, i: int, owner: str) -> str | None:
    toks = doc.tokens
    j = i + 1
    if j < len(toks) and toks[j].lower in _ANGER_LINKS:
        recipient, _ = find_object(doc, j)
        if recipient is None and j + 1 < len(toks):
            mention = doc.mentions.get(j + 1)
            recipient = mention.party if mention is not None else None
        return recipient if recipient != owner else None
    sent = toks[i].sent
    lo, hi = doc.sentences[sent]
    others = {
        m.party
        for k in range(lo, hi)
        if (m := doc.mentions.get(k)) is not None and not m.possessive and m.party not in (owner, "unknown")
    }
    return others.pop() if len(others) == 1 else None


def _coerces(doc: Doc, i: int) -> bool:
    """ "made me go", "forced him to leave": a person object, then an action (not "made me sad")."""
    obj, j = find_object(doc, i)
    if obj is None or j != i + 1 or j + 1 >= len(doc.tokens):
        return False
    nxt = doc.tokens[j + 1]
    return nxt.is_word and nxt.lower not in doc.lex.coerce_exempt and not nxt.lower.endswith("ly")


_SEXUAL_LOVE = InteractionVerb("sexuality", 5, frozenset({"to", "with"}))
_MAKE = frozenset({"make", "made", "makes", "making"})


def _makes_love(doc: Doc, i: int) -> bool:
    """ "made love to her" is sexual intercourse, not the covert friendliness of "loved her"."""
    toks = doc.tokens
    return (
        toks[i].lower == "love"
        and i > 0
        and toks[i - 1].lower in _MAKE
        and i + 1 < len(toks)
        and toks[i + 1].lower in _SEXUAL_LOVE.needs
    )


_OBJECT_RELATIVES = words("whom who that")


def _relative_antecedent(doc: Doc, i: int) -> str | None:
    """ "a Frenchman whom I dislike": the object is the antecedent of the relative pronoun."""
    toks = doc.tokens
    for j in range(i - 1, max(-1, i - 5), -1):
        if not toks[j].is_word:
            return None
        if toks[j].lower in _OBJECT_RELATIVES and j + 1 < i and doc.mentions.get(j + 1) is not None:
            prev = doc.mentions.get(j - 1)
            return prev.party if prev is not None and not prev.possessive else None
    return None


def _expels(doc: Doc, i: int) -> bool:
    """ "told him to get out", "told me to leave": a person object, "to", then a phrase that sends away."""
    obj, j = find_object(doc, i)
    toks = doc.tokens
    if obj is None or doc.mentions[j].first != i + 1 or j + 2 >= len(toks) or toks[j + 1].lower != "to":
        return False
    one = toks[j + 2].lower
    two = f"{one} {toks[j + 3].lower}" if j + 3 < len(toks) else one
    return one in doc.lex.expel_phrases or two in doc.lex.expel_phrases


_GIFT_DETERMINERS = words("a an some his her my their our this these two three several")


def _gives(doc: Doc, i: int) -> bool:
    """ "gave me a ring", "gave her a golf club": an object handed over to a person (HVdC F4).

    A listed gift word anywhere after the person counts; otherwise "a/some/his ..." right after the person
    counts unless the phrase names an act or a document rather than a possession ("gave me a look",
    "gave me a shot", "gave me the forms").
    """
    if _followed_by(doc, i, doc.lex.gift_words, 5):
        return True
    obj, j = find_object(doc, i)
    toks = doc.tokens
    if obj is None or j > i + 3 or j + 2 >= len(toks) or toks[j + 1].lower not in _GIFT_DETERMINERS:
        return False
    phrase = [t for t in toks[j + 2 : j + 6] if t.is_word]
    return bool(phrase) and not any(t.lower in doc.lex.non_gifts for t in phrase)


def _object_then(doc: Doc, i: int, wanted: frozenset[str]) -> bool:
    """ "turned me down", "kicked him out": a person right after the verb, then the particle."""
    obj, j = find_object(doc, i)
    toks = doc.tokens
    if obj is None or doc.mentions[j].first != i + 1:
        return False
    return j + 1 < len(toks) and toks[j + 1].lower in wanted


def _followed_by(doc: Doc, i: int, wanted: frozenset[str], window: int) -> bool:
    """A person object right after the predicate, then one of `wanted` ("asked her out", "gave me a ring")."""
    obj, j = find_object(doc, i)
    if obj is None or j > i + 3:
        return False
    toks = doc.tokens
    return any(toks[k].lower in wanted for k in range(j + 1, min(len(toks), j + 1 + window)))


_DETS = words("the a an this that my his her their our your its")


def _gerund_noun(doc: Doc, i: int) -> bool:
    return doc.tokens[i].lower.endswith("ing") and i > 0 and doc.tokens[i - 1].lower in _DETS


_THING_PRONOUNS = frozenset({"it", "this", "that", "which", "what", "something", "nothing", "everything"})


def _thing_subject(doc: Doc, i: int) -> bool:
    """The word before the predicate (auxiliaries skipped) heads a noun phrase that is not a party."""
    toks = doc.tokens
    j = i - 1
    while j >= 0 and toks[j].is_word and (toks[j].lower in AUX or toks[j].lower.endswith("ly")):
        j -= 1
    if j < 0 or not toks[j].is_word or j in doc.mentions:
        return False
    if toks[j].lower in _THING_PRONOUNS:
        return True
    return any(toks[k].is_word and toks[k].lower in _DETS for k in range(max(0, j - 2), j))


def _context_party(doc: Doc, i: int, exclude: str | None) -> str | None:
    """The party last mentioned before token i within this or the previous sentence, other than `exclude`."""
    sent = doc.tokens[i].sent
    for j in range(i - 1, -1, -1):
        if doc.tokens[j].sent < sent - 1:
            break
        mention = doc.mentions.get(j)
        if mention is not None and mention.party not in (exclude, "unknown"):
            return mention.party
    return None


def _dreamer_near(doc: Doc, i: int) -> bool:
    sent = doc.tokens[i].sent
    return any(
        m.party == "dreamer" and sent - 1 <= doc.tokens[m.token].sent <= sent for m in doc.mentions.values()
    )


def _has_by(doc: Doc, i: int) -> bool:
    toks = doc.tokens
    return any(toks[j].base in doc.lex.agent_marker for j in range(i + 1, min(len(toks), i + 3)))


_PARTICLES = frozenset({"back", "down", "up", "over"})


def _needed_word(doc: Doc, i: int, needs: frozenset[str]) -> int | None:
    """Index of the word an entry needs: "yelled at", and "yelled back at", "glared down at" alike."""
    toks = doc.tokens
    for k in (i + 1, i + 2):
        if k >= len(toks):
            return None
        if toks[k].lower in needs:
            return k
        if toks[k].lower not in _PARTICLES:
            return None
    return None


def _aim_marker(doc: Doc, i: int) -> int | None:
    """ "threw a rock at him": the aim word ("at") within the clause, a few words after the verb."""
    toks = doc.tokens
    for k in range(i + 1, min(len(toks), i + 6)):
        if not toks[k].is_word:
            return None
        if toks[k].lower in doc.lex.aim_markers:
            return k
        if toks[k].base in doc.lex.clause_openers:
            return None
    return None


def _next_to(doc: Doc, obj_at: int, k: int) -> bool:
    """The object phrase starts right after token k (a determiner or possessive may open it)."""
    toks = doc.tokens
    start = k + 1
    if start < len(toks) and toks[start].lower in _LINKS:
        start += 1  # "broke up with me", "shook hands with my uncle"
    first = doc.mentions[obj_at].first
    return first == start or (obj_at == start + 1 and toks[start].lower in _DETS)


_LINKS = frozenset({"with", "to", "at", "on", "for", "of"})


def _moves(doc: Doc, i: int) -> bool:
    toks = doc.tokens
    j = i + 1
    while j < len(toks) and toks[j].is_word and toks[j].lower.endswith("ly"):
        j += 1
    return j < len(toks) and toks[j].lower in doc.lex.motion_prepositions


def _searching(doc: Doc, i: int) -> bool:
    """ "hunting for the animals": a search verb with its search particle is not a pursuit."""
    toks = doc.tokens
    return (
        toks[i].lower in doc.lex.search_words
        and i + 1 < len(toks)
        and toks[i + 1].lower in doc.lex.search_particles
    )


_PLAY_BACK = 5
_PLAY_AHEAD = 10  # "pushes me and the cart back (in a spirit of fun)": the manner often closes the clause
_PLAY_LINKS = frozenset({"in", "for", "of", "just"})


def _playful(doc: Doc, i: int) -> bool:
    """ "we began to wrestle playfully", "pushes me back (in a spirit of fun)": horseplay, no intent to harm.

    Bare "fun", "play" and "game" count only after a link ("in fun", "as a game", "for fun"), so that
    "made fun of me" and "playing cards when he hit me" stay aggression.
    """
    toks = doc.tokens
    sent = toks[i].sent
    markers = doc.lex.play_markers
    for k in range(max(0, i - _PLAY_BACK), min(len(toks), i + _PLAY_AHEAD + 1)):
        tok = toks[k]
        if tok.sent != sent or tok.lower not in markers:
            continue
        if tok.lower.endswith("ly"):
            return True
        made_fun_of = k + 1 < len(toks) and toks[k + 1].lower == "of"
        as_a = k > 1 and toks[k - 2].lower == "as" and toks[k - 1].lower == "a"  # "as a game"
        if k > 0 and (toks[k - 1].lower in _PLAY_LINKS or as_a) and not made_fun_of:
            return True
    return False


def _misfortune(doc: Doc, i: int) -> bool:
    """A passive harm with no agent that is an injury or happens in an accident."""
    toks = doc.tokens
    if toks[i].lower in doc.lex.injury_passives:
        return True
    lo, hi = doc.sentences[toks[i].sent]
    return any(toks[k].lower in doc.lex.accident_words for k in range(lo, hi))


def _choose(doc: Doc, i: int, entries: tuple[InteractionVerb, ...]) -> InteractionVerb | None:
    """The entry whose required next word is present (preferred), else the plain entry; negation decides."""
    is_negated = negated(doc, i) or _refused_to(doc, i)
    plain: InteractionVerb | None = None
    for entry in entries:
        if entry.after:
            if entry.negated_only == is_negated and _object_then(doc, i, entry.after):
                return entry
            continue
        if entry.negated_only != is_negated:
            continue
        if entry.refusal and not _refusal(doc, i):
            continue
        if entry.needs:
            if _needed_word(doc, i, entry.needs) is not None:
                return entry
        elif plain is None:
            plain = entry
    return plain


def _refused_to(doc: Doc, i: int) -> bool:
    """ "refused to let me through": the refusal verb negates the act that follows it."""
    toks = doc.tokens
    return i > 1 and toks[i - 1].lower == "to" and toks[i - 2].lower in doc.lex.refusal_negations


def _refusal(doc: Doc, i: int) -> bool:
    """ "wouldn't listen", "didn't let me": a refusal, unlike "couldn't believe" or "tried not to let"."""
    toks = doc.tokens
    lex = doc.lex
    if _refused_to(doc, i):
        return True
    for j in range(i - 1, max(-1, i - 4), -1):
        low = toks[j].lower
        if low in lex.refusal_negations:
            return True
        if low == "not":
            return j > 0 and toks[j - 1].lower in lex.refusal_auxiliaries
        if not toks[j].is_word:
            return False
    return False


_NOMINAL_LEFT = words("in of a an the this that his her their our my your its same heart snow sneak surprise")


def _not_a_predicate(doc: Doc, i: int) -> bool:
    """ "in order that", "a hit skip driver", "tending to wounded men": the word is a noun or an adjective."""
    toks = doc.tokens
    prev = toks[i - 1].lower if i > 0 else ""
    if prev in _NOMINAL_LEFT and not toks[i].lower.endswith("ing"):
        return True
    nxt = doc.mentions.get(i + 1)
    adjective_slot = prev in ("to", "of", "with") and nxt is not None and nxt.first == i + 1
    return toks[i].lower.endswith("ed") and adjective_slot


def _verb_second_clause(doc: Doc, i: int) -> bool:
    """German: the verb follows a clause-initial adverb or object, not its subject ("Dann schlug ...")."""
    if i == 0 or (i - 1) in doc.mentions:
        return False
    toks = doc.tokens
    return (
        i - 1 == 0
        or not toks[i - 2].is_word
        or toks[i - 2].base in doc.lex.clause_openers
        or toks[i - 1].sent_initial
    )


def _hedged(doc: Doc, i: int) -> bool:
    """ "almost hit a kitten", "to avoid hitting her": the act did not happen."""
    toks = doc.tokens
    return any(toks[j].lower in doc.lex.hedges for j in range(max(0, i - 2), i))


def _subject_index(doc: Doc, i: int) -> int:
    for j in range(i - 1, -1, -1):
        if doc.tokens[j].sent != doc.tokens[i].sent:
            break
        mention = doc.mentions.get(j)
        if mention is not None and mention.nominative:
            return j
    return i
