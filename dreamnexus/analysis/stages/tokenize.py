"""Words, punctuation and sentences with character offsets into the original text."""

from __future__ import annotations

import re

from dreamnexus.analysis.doc import Doc, Token

_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|[.!?;:,()\[\]\"“”…—–]|(?<!\w)-(?!\w)", re.UNICODE)
_SENT_END = frozenset(".!?…")
_SUFFIXES = ("'s", "'m", "'re", "'ve", "'d", "'ll")
# Abbreviations whose period does not end a sentence.
_ABBREV = frozenset(["mr", "mrs", "ms", "dr", "st", "mt", "prof", "jr", "sr", "vs", "etc", "co"])


def _base(lower: str) -> tuple[str, bool]:
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return lower[: -len(suffix)], suffix == "'s"
    if lower.endswith("s'") and len(lower) > 2:
        return lower[:-1], True
    return lower, False


def tokenize(doc: Doc) -> None:
    tokens: list[Token] = []
    sentences: list[tuple[int, int]] = []
    sent = 0
    sent_start = 0
    new_sentence = True
    for match in _TOKEN.finditer(doc.text):
        text = match.group()
        is_word = text[0].isalnum()
        lower = text.lower().replace("’", "'")
        base, possessive = _base(lower) if is_word else (lower, False)
        tokens.append(
            Token(
                text,
                lower,
                base,
                match.start(),
                match.end(),
                sent,
                is_word,
                possessive,
                new_sentence and is_word,
            )
        )
        if is_word:
            new_sentence = False
        if text in _SENT_END and not (text == "." and len(tokens) > 1 and tokens[-2].lower in _ABBREV):
            sentences.append((sent_start, len(tokens)))
            sent += 1
            sent_start = len(tokens)
            new_sentence = True
    if sent_start < len(tokens):
        sentences.append((sent_start, len(tokens)))
    doc.tokens = tokens
    doc.sentences = sentences
    doc.word_count = sum(1 for t in tokens if t.is_word)
