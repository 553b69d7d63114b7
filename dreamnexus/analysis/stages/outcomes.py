"""Success and failure, misfortune and good fortune, striving; each with whether the dreamer is involved.

Success and failure need striving: "couldn't" codes a failure only before an action, not before thinking
or perceiving ("I couldn't believe it"). Misfortune happens to someone ("I fell", "his car crashed");
the dreamer is involved when the subject or a possessive is the dreamer.
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.lexicon.base import words
from dreamnexus.analysis.result import Outcome
from dreamnexus.analysis.stages.roles import find_subject, hypothetical, negated


def _match(
    doc: Doc, i: int, table: dict[tuple[str, ...], str], index: dict[str, list[tuple[str, ...]]]
) -> int:
    toks = doc.tokens
    best = -1
    for phrase in index.get(toks[i].lower, ()):
        n = len(phrase)
        if i + n <= len(toks) and all(toks[i + k].lower == phrase[k] for k in range(1, n)):
            best = max(best, i + n - 1)
    return best


def _index(table: dict[tuple[str, ...], str]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in table:
        out.setdefault(phrase[0], []).append(phrase)
    return out


_INDEX_CACHE: dict[int, dict[str, dict[str, list[tuple[str, ...]]]]] = {}


def _tables(doc: Doc) -> dict[str, tuple[dict[tuple[str, ...], str], dict[str, list[tuple[str, ...]]]]]:
    lex = doc.lex
    tables = {
        "success": lex.success_phrases,
        "failure": lex.failure_phrases,
        "misfortune": lex.misfortune_phrases,
        "good_fortune": lex.good_fortune_phrases,
        "striving": lex.striving_phrases,
    }
    cached = _INDEX_CACHE.get(id(lex))
    if cached is None:
        cached = {kind: _index(table) for kind, table in tables.items()}
        _INDEX_CACHE[id(lex)] = cached
    return {kind: (tables[kind], cached[kind]) for kind in tables}


def _involves_dreamer(doc: Doc, i: int, last: int, subject: str) -> bool:
    if subject == "dreamer":
        return True
    for j in range(i, min(len(doc.tokens), last + 3)):
        mention = doc.mentions.get(j)
        if mention is not None and mention.party == "dreamer" and doc.tokens[j].sent == doc.tokens[i].sent:
            return True
    return False


def _failure_exempt(doc: Doc, last: int) -> bool:
    """ "was unable to remember", "was able to see": thinking or perceiving is not striving for a goal."""
    toks = doc.tokens
    for j in range(last + 1, min(len(toks), last + 4)):
        if toks[j].is_word and toks[j].lower != "to":
            return toks[j].base in doc.lex.failure_exempt
    return False


_FILLERS = words("not even quite really possibly ever seem just still")


def _modal_failure(doc: Doc, i: int) -> int:
    """Index of the action in "couldn't open", "could not find", "can't reach"; -1 if none."""
    toks = doc.tokens
    lex = doc.lex
    saw_not = toks[i].lower != "could"
    j = i + 1
    while j < len(toks) and j - i <= 3 and toks[j].is_word and toks[j].lower in _FILLERS:
        saw_not = saw_not or toks[j].lower == "not"
        j += 1
    if saw_not and j < len(toks) and toks[j].lower in lex.failure_actions:
        return j
    return -1


_FOUND = frozenset({"found", "find", "finds", "located", "spotted"})
_FOUND_NOT = frozenset({"myself", "himself", "herself", "ourselves", "themselves", "out", "that", "it's"})
# "found my eyes would not move": a finite verb right after the object makes it a clause, a realisation
_CLAUSE_VERBS = frozenset({"was", "were", "would", "could", "had", "is", "are", "wasn't", "weren't"})


def _is_search(doc: Doc, j: int) -> bool:
    toks = doc.tokens
    low = toks[j].lower
    if low in doc.lex.search_words:
        return True
    nxt = toks[j + 1].lower if j + 1 < len(toks) else ""
    return low in doc.lex.look_words and nxt in doc.lex.look_search_particles


def _realisation(doc: Doc, i: int) -> bool:
    """ "found it to be a mess", "found my eyes would not move": what was found is a state of things."""
    toks = doc.tokens
    for j in range(i + 1, min(len(toks), i + 7)):
        tok = toks[j]
        if not tok.is_word or tok.sent != toks[i].sent or tok.base in doc.lex.relative_pronouns:
            return False
        if tok.lower == "to" and j + 1 < len(toks) and toks[j + 1].lower == "be":
            return True
        if tok.lower in _CLAUSE_VERBS and j - i <= 4:
            return True
    return False


def _found_after_search(doc: Doc, i: int) -> bool:
    """ "I looked for my keys ... and found them": finding what one searched for is a success."""
    toks = doc.tokens
    if toks[i].lower not in _FOUND or negated(doc, i):
        return False
    if i > 0 and toks[i - 1].lower == "to":
        return False  # "looked through them to find": the goal, not its attainment
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and (nxt.lower in _FOUND_NOT or nxt.base in doc.lex.subject_pronouns):
        return False  # "found that ...", "found we were alone": a realisation, not a find
    if _realisation(doc, i):
        return False
    sent = toks[i].sent
    for j in range(i - 1, -1, -1):
        if toks[j].sent < sent - 1:
            return False
        if _is_search(doc, j):
            return True
    return False


_STATE_AFTER = words("so very too up sick tired lost worse better")
_PASSIVE_BEFORE = words("was were been being be is are")


def _effort_success(doc: Doc, i: int) -> int:
    """ "I finally killed the enemy", "finally I had reached it": the index of the act reached, or -1.

    Returns -1 for a verb that ends a scene rather than reaches a goal ("finally woke up") and for an act
    negated or expected ("finally I could not", "finally he would").
    """
    toks = doc.tokens
    lex = doc.lex
    start = i + 1
    if toks[i].lower == "at" and start < len(toks) and toks[start].lower == "last":
        start += 1  # "at last" is "finally"
    elif toks[i].lower not in lex.effort_adverbs:
        return -1
    if i > 0 and toks[i - 1].lower in _PASSIVE_BEFORE:
        return -1  # "I was finally called": done to the subject, not reached by it
    for j in range(start, min(len(toks), start + 3)):
        tok = toks[j]
        if not tok.is_word or tok.lower in lex.negations or tok.lower.endswith("n't"):
            return -1
        low = tok.lower
        if low in lex.effort_exempt:
            return -1
        if low.endswith("ed") or low in lex.irregular_achievements:
            nxt = toks[j + 1].lower if j + 1 < len(toks) else ""
            # "finally got so mad", "finally got sick": a state reached, not a goal
            return -1 if nxt in _STATE_AFTER or nxt in lex.emotions else j
        if j not in doc.mentions and low not in ("had", "have", "has"):
            return -1
    return -1


def _clause_opener(doc: Doc, i: int) -> str:
    """The word that opens the clause of token i ("when", "before", ...), or "" if none is near."""
    toks = doc.tokens
    for j in range(i - 1, max(-1, i - 7), -1):
        tok = toks[j]
        if tok.sent != toks[i].sent or not tok.is_word:
            return ""
        if tok.base in doc.lex.clause_openers:
            return tok.base
    return ""


def _reported(doc: Doc, i: int) -> bool:
    """ "told us we couldn't swim there", "I said I couldn't leave him": a prohibition or a refusal told,
    not an effort that failed."""
    toks = doc.tokens
    for j in range(i - 1, max(-1, i - 6), -1):
        tok = toks[j]
        if tok.sent != toks[i].sent or not tok.is_word:
            return False
        if tok.lower in doc.lex.speech_verbs:
            return True
        if j not in doc.mentions and tok.lower != "that":
            return False
    return False


def _conditional(doc: Doc, i: int, last: int) -> bool:
    """ "I couldn't catch him if he fell", "I'd fail": an outcome only expected is not coded."""
    toks = doc.tokens
    prev = toks[i - 1].lower if i > 0 else ""
    if prev == "would" or (prev.endswith("'d") and i - 1 in doc.mentions):
        return True
    for j in range(last + 1, min(len(toks), last + 6)):
        tok = toks[j]
        if tok.sent != toks[i].sent or not tok.is_word:
            return False
        if tok.lower == "if":
            return True
    return False


_ARRIVALS = frozenset({"reached", "made"})


def _unreached_success(doc: Doc, i: int) -> bool:
    """ "before we were able to get off" was not reached; "when we reached the top, ..." sets a scene."""
    opener = _clause_opener(doc, i)
    if opener == "before":
        return True
    return doc.tokens[i].lower in _ARRIVALS and opener in doc.lex.temporal_openers


def code_outcomes(doc: Doc) -> None:
    toks = doc.tokens
    tables = _tables(doc)
    seen: set[tuple[str, str, int]] = set()
    lex = doc.lex
    for i, tok in enumerate(toks):
        if not tok.is_word:
            continue
        if hypothetical(doc, i):
            continue  # "where I could find", "I was about ready to give up": not an outcome yet
        act = _effort_success(doc, i)
        if act >= 0 and not any(
            o.kind == "success" and toks[act].start <= o.start < toks[act].end + 40 for o in doc.outcomes
        ):
            subject = find_subject(doc, act) or "unknown"
            key = ("success", subject, tok.sent)
            if key not in seen:
                seen.add(key)
                doc.outcomes.append(
                    Outcome("success", subject, subject == "dreamer", tok.start, toks[act].end)
                )
            continue
        if _found_after_search(doc, i):
            subject = find_subject(doc, i) or "unknown"
            key = ("success", subject, tok.sent)
            if key not in seen:
                seen.add(key)
                doc.outcomes.append(Outcome("success", subject, subject == "dreamer", tok.start, tok.end))
            continue
        if tok.lower in lex.failure_modals:
            last = _modal_failure(doc, i)
            if last >= 0 and not _reported(doc, i) and not _conditional(doc, i, last):
                subject = find_subject(doc, i) or "unknown"
                key = ("failure", subject, tok.sent)
                if key not in seen:
                    seen.add(key)
                    doc.outcomes.append(
                        Outcome(
                            "failure",
                            subject,
                            _involves_dreamer(doc, i, i, subject),
                            tok.start,
                            toks[last].end,
                        )
                    )
        for kind, (table, index) in tables.items():
            if tok.lower not in index:
                continue
            last = _match(doc, i, table, index)
            if last < 0:
                continue
            if kind in ("failure", "success") and _failure_exempt(doc, last):
                continue
            if kind != "failure" and negated(doc, i):
                continue
            if kind == "failure" and (_reported(doc, i) or _conditional(doc, i, last)):
                continue
            if kind == "success" and _unreached_success(doc, i):
                continue
            subject = find_subject(doc, i) or "unknown"
            key = (kind, subject, tok.sent)
            if key in seen:
                continue
            seen.add(key)
            # the dreamer succeeds only as the subject: "they caught me" is their success
            involved = subject == "dreamer" if kind == "success" else _involves_dreamer(doc, i, last, subject)
            doc.outcomes.append(Outcome(kind, subject, involved, tok.start, toks[last].end))
