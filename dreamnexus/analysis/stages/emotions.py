"""Emotions in the five HVdC classes (anger, apprehension, sadness, confusion, happiness) and whose they are.

An emotion word codes an emotion unless negated ("I wasn't afraid"); a character gets one emotion of a
class per sentence, as HVdC codes each expressed emotion once.
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.result import Emotion
from dreamnexus.analysis.stages.roles import negated, subject_or_object


def _phrase_at(doc: Doc, i: int) -> tuple[str, int] | None:
    lex = doc.lex
    toks = doc.tokens
    for phrase, cls in lex.emotion_phrases.items():
        n = len(phrase)
        if (
            toks[i].lower == phrase[0]
            and i + n <= len(toks)
            and all(toks[i + k].lower == phrase[k] for k in range(1, n))
        ):
            return cls, i + n - 1
    return None


def code_emotions(doc: Doc) -> None:
    lex = doc.lex
    toks = doc.tokens
    seen: set[tuple[str, str, int]] = set()
    first_words = {p[0] for p in lex.emotion_phrases}
    i = 0
    while i < len(toks):
        tok = toks[i]
        found: tuple[str, int] | None = None
        if tok.is_word and tok.lower in first_words:
            found = _phrase_at(doc, i)
        if found is None and tok.is_word and tok.lower in lex.emotions:
            found = (lex.emotions[tok.lower], i)
        if found is None or (found[1] == i and negated(doc, i)):
            i += 1
            continue
        cls, last = found
        owner = subject_or_object(doc, last)
        key = (cls, owner, tok.sent)
        if key not in seen:
            seen.add(key)
            doc.emotions.append(Emotion(cls, owner, tok.start, toks[last].end))
        i = last + 1
