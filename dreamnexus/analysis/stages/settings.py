"""Settings: indoor / outdoor / ambiguous / none, and familiar / unfamiliar / questionable.

A place noun after a locative preposition ("in the kitchen", "at school") is a setting; each place is
coded once. Vehicles are ambiguous. Familiarity: the dreamer's own places ("my room", "home", "our
school") and places of known characters are familiar; places called strange or unknown, and places
introduced with "a" (the dreamer does not know which), are unfamiliar; the rest is questionable.
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.result import Setting

_OUTSIDE_WORDS = frozenset({"outside", "outdoors", "outdoor"})


def _familiarity(doc: Doc, i: int) -> str:
    lex = doc.lex
    toks = doc.tokens
    tok = toks[i]
    if tok.base in lex.home_words:
        return "familiar"
    for j in range(i - 1, max(-1, i - 4), -1):
        prev = toks[j]
        if not prev.is_word:
            break
        if prev.base in lex.unfamiliar_markers:
            return "unfamiliar"
        if prev.base in lex.dreamer_possessive or prev.possessive:
            return "familiar"
        mention = doc.mentions.get(j)
        if mention is not None and mention.possessive and mention.party.startswith("c"):
            char = doc.characters[int(mention.party[1:]) - 1]
            return "familiar" if char.familiar else "unfamiliar"
        if prev.base in lex.indefinite_determiners:
            return "unfamiliar"
        if prev.base in lex.definite_determiners or prev.base in lex.place_prepositions:
            return "familiar" if tok.base in lex.familiar_places else "questionable"
    return "familiar" if tok.base in lex.familiar_places else "questionable"


def _located(doc: Doc, i: int) -> bool:
    toks = doc.tokens
    lex = doc.lex
    if toks[i].base in _OUTSIDE_WORDS or toks[i].base in lex.home_words:
        return True
    for j in range(i - 1, max(-1, i - 5), -1):
        prev = toks[j]
        if not prev.is_word:
            return False
        if prev.base in lex.place_prepositions:
            return True
    return False


def code_settings(doc: Doc) -> None:
    lex = doc.lex
    seen: set[str] = set()
    for i, tok in enumerate(doc.tokens):
        if not tok.is_word:
            continue
        base = tok.base
        if base in lex.indoor:
            location = "indoor"
        elif base in lex.outdoor:
            location = "outdoor"
        elif base in lex.ambiguous_places:
            location = "ambiguous"
        else:
            continue
        if base in seen or not _located(doc, i):
            continue
        seen.add(base)
        familiarity = "questionable" if base in _OUTSIDE_WORDS else _familiarity(doc, i)
        doc.settings.append(Setting(location, familiarity, tok.text, tok.start, tok.end))
    if not doc.settings:
        doc.settings.append(Setting("none", "questionable", "", 0, 0))
