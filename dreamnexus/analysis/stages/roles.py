"""Who does what to whom: the subject and object of a predicate, found without a parser.

The subject is the nearest nominative pronoun before the predicate, or a noun phrase that opens a clause,
or the antecedent of a relative pronoun ("the man who chased me"). The object is the first party after the
predicate within the clause. Passives ("I was chased by a dog") swap the two.
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.lexicon.base import Lexicon, words

_MAX_BACK = 30
_MAX_FORWARD = 7
_BOUNDARY = frozenset('.!?;:()[]"“”…—–')


def _clause_start(doc: Doc, first: int) -> bool:
    if first == 0:
        return True
    prev = doc.tokens[first - 1]
    return (not prev.is_word) or prev.base in doc.lex.clause_openers or prev.base in doc.lex.relative_pronouns


def find_subject(doc: Doc, i: int) -> str | None:
    """Party of the subject of the predicate at token i, or None if none is found in the sentence."""
    toks = doc.tokens
    lex = doc.lex
    sent = toks[i].sent
    j = i - 1
    steps = 0
    while j >= 0 and toks[j].sent == sent and steps < _MAX_BACK:
        tok = toks[j]
        steps += 1
        if tok.is_word and tok.base in lex.relative_pronouns and i - j <= 4:
            # "the man who hit me": the antecedent just before the relative pronoun
            k = j - 1
            while k >= 0 and k >= j - 2:
                mention = doc.mentions.get(k)
                if mention is not None and not mention.possessive:
                    return mention.party
                k -= 1
        mention = doc.mentions.get(j)
        if mention is not None and (tok.base in _OBJECT_FORMS or tok.base in lex.dreamer_object):
            j -= 1
            continue  # "ran after me, teasing me": an object pronoun is never the subject
        if (
            mention is not None
            and not mention.possessive
            and (mention.nominative or _clause_start(doc, mention.first) or _adjacent(doc, j, i))
        ):
            antecedent = _relative_clause_antecedent(doc, j) if i - j > 2 else None
            return antecedent if antecedent is not None else mention.party
        j -= 1
    return None


def _relative_clause_antecedent(doc: Doc, j: int) -> str | None:
    """ "a stranger whom I was with had shot": a subject inside a relative clause is not the main subject."""
    toks = doc.tokens
    if j < 2 or toks[j - 1].lower not in ("whom", "that", "who"):
        return None
    mention = doc.mentions.get(j - 2)
    return mention.party if mention is not None and not mention.possessive else None


_DETERMINERS = words("a an the this that these those my his her their our your its")

AUX = words(
    "was were is are had has have would could will did then also just suddenly started began to kept "
    "seemed still again be been being not never"
)


_OBJECT_FORMS = frozenset({"me", "myself", "him", "them", "us", "her", "himself", "herself", "themselves"})


def _adjacent(doc: Doc, j: int, i: int) -> bool:
    """A noun right before the predicate is its subject: "a woman screaming at", "the man had hit"."""
    if doc.tokens[j].base in _OBJECT_FORMS or doc.tokens[j].base in doc.lex.dreamer_object:
        return False
    return all(doc.tokens[k].is_word and doc.tokens[k].lower in AUX for k in range(j + 1, i))


def _pronouns(lex: Lexicon) -> frozenset[str]:
    return (
        lex.dreamer_subject
        | lex.dreamer_object
        | lex.dreamer_group
        | lex.male_pronouns
        | lex.female_pronouns
        | lex.plural_pronouns
    )


def subject_after(doc: Doc, i: int) -> tuple[str | None, int]:
    """Verb-second languages: the first nominative pronoun, or a noun, within the clause after the verb."""
    toks = doc.tokens
    lex = doc.lex
    for j in range(i + 1, min(len(toks), i + 6)):
        tok = toks[j]
        if not tok.is_word or tok.base in lex.clause_openers:
            break
        mention = doc.mentions.get(j)
        if mention is None or mention.possessive:
            continue
        pronoun = tok.base in _pronouns(lex)
        if tok.base in lex.subject_pronouns or not pronoun:
            return mention.party, j
    return None, -1


def find_object(doc: Doc, i: int, allow_possessive: bool = False) -> tuple[str | None, int]:
    """Party of the first object after token i in the clause (and its token index), or (None, -1)."""
    toks = doc.tokens
    lex = doc.lex
    j = i + 1
    while j < len(toks) and j - i <= _MAX_FORWARD:
        tok = toks[j]
        if not tok.is_word:
            if tok.text in _BOUNDARY or tok.text == ",":
                break
            j += 1
            continue
        mention = doc.mentions.get(j)
        # a predicate ends the clause, unless a determiner makes it a modifier ("a hit skip driver")
        verb = tok.base in lex.interaction_verbs and toks[j - 1].lower not in _DETERMINERS
        ends_clause = tok.base in lex.clause_openers or verb
        if mention is None and j > i + 1 and ends_clause:
            break
        if mention is not None:
            # "my grandfather's cart": a noun with 's owns the object, it is not the object
            if mention.possessive or (tok.possessive and not mention.nominative):
                if allow_possessive:
                    return mention.party, j
            elif mention.nominative and not (lex.verb_second and tok.base in lex.female_pronouns):
                return None, -1  # a new clause started: "... that he ran" (German "sie" may be an object)
            else:
                return mention.party, j
        j += 1
    return None, -1


def agent_after(doc: Doc, i: int) -> str | None:
    """In a passive clause, the party after "by"."""
    toks = doc.tokens
    for j in range(i + 1, min(len(toks), i + _MAX_FORWARD)):
        if toks[j].base in doc.lex.agent_marker:
            party, _ = find_object(doc, j)
            return party
        if not toks[j].is_word:
            break
    return None


def is_passive(doc: Doc, i: int) -> bool:
    toks = doc.tokens
    tok = toks[i]
    if not (tok.lower.endswith(("ed", "en")) or tok.lower in doc.lex.participles):
        return False
    if i + 1 < len(toks) and toks[i + 1].base in doc.lex.agent_marker and doc.mentions.get(i + 2) is not None:
        return True  # "running, pursued by a dog": a participle with a personal agent
    for j in range(i - 1, max(-1, i - 4), -1):
        prev = toks[j]
        if not prev.is_word:
            return False
        if prev.base in doc.lex.passive_aux or prev.lower in ("was", "were"):
            return True
        if prev.base not in doc.lex.skip_words and not prev.lower.endswith("ly"):
            return False
    return False


def negated(doc: Doc, i: int, window: int = 3) -> bool:
    toks = doc.tokens
    sent = toks[i].sent
    for j in range(i - 1, max(-1, i - window - 1), -1):
        tok = toks[j]
        if tok.sent != sent or not tok.is_word:
            return False
        if tok.lower in doc.lex.negations or tok.lower.endswith("n't"):
            return True
    return False


def subject_or_object(doc: Doc, i: int) -> str:
    """Owner of a state word: "it scared me" -> me; "I was scared" -> I."""
    obj, j = find_object(doc, i)
    if obj is not None and j == i + 1:
        return obj
    return find_subject(doc, i) or "unknown"


def hypothetical(doc: Doc, i: int) -> bool:
    """ "he might bite me", "he was going to kill me", "kill or be killed": feared or planned, not done.

    HVdC codes interactions that take place in the dream; an attempt ("tried to hit me") is coded, an act
    only expected, wished or possible is not.
    """
    toks = doc.tokens
    lex = doc.lex
    sent = toks[i].sent
    for j in range(i - 1, max(-1, i - 5), -1):
        tok = toks[j]
        if tok.sent != sent or not tok.is_word:
            return False
        low = tok.lower
        if low in lex.hypothetical_modals:
            return True
        if low == "to" and j > 0 and toks[j - 1].lower in lex.hypothetical_intents:
            return True
        if low == "to" and j > 1 and toks[j - 1].lower == "able" and toks[j - 2].lower == "be":
            return True  # "might be able to give me": a possibility ("was able to" is an act)
        if low in ("be", "being") and j > 0 and toks[j - 1].lower in lex.hypothetical_before_being:
            return True
        if j in doc.mentions and tok.base in lex.subject_pronouns:
            # "if they would give me", "whether he had hit me": the clause is a condition or a question
            return j > 0 and toks[j - 1].lower in lex.hypothetical_modals
        if low not in AUX and low not in lex.skip_words and not low.endswith("ly"):
            return False
    return False
