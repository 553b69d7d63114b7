"""Sentence spans, excerpts and the light grammatical adaptation applied to a contributor's words."""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


# A sentence ends at . ! ? or an ellipsis followed by space; abbreviations are rare in dream reports and a
# wrong split only makes an excerpt shorter.
_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+|$)", re.UNICODE)
_SPACE = re.compile(r"\s+")
_LEADING_JUNK = re.compile(r"^[\s\-–—.…,;:]+")
_LOWERABLE = frozenset(
    _words(
        "the a an and then there it we they he she my our his her their this that these those "
        "suddenly later after before when while now so but all some someone everyone everything "
        "nothing in on at outside inside next soon"
    )
)
_END_PUNCT = ".!?…"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of `text`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
    return spans


def excerpt_span(text: str, max_chars: int) -> tuple[int, int]:
    """The leading whole sentences of `text` that fit in `max_chars` (at least the first sentence)."""
    # Only the head of the text can be excerpted; segmenting all of a long report would be wasted work.
    head = text[: max_chars + 400]
    spans = sentence_spans(head)
    if len(head) < len(text) and len(spans) > 1:
        spans = spans[:-1]
    if not spans:
        return (0, 0)
    start, end = spans[0]
    lead = _LEADING_JUNK.match(text, start)
    if lead and lead.end() < end:
        start = lead.end()
    for _start, e in spans[1:]:
        if e - start > max_chars:
            break
        end = e
    if end - start > max_chars:
        # One very long sentence: cut at a word boundary so the excerpt stays readable.
        cut = text.rfind(" ", start, start + max_chars)
        end = cut if cut > start + max_chars // 2 else start + max_chars
    return (start, end)


def normalise(text: str) -> str:
    """Case- and spacing-insensitive form used to check that woven words are the contributor's words."""
    return _SPACE.sub(" ", text).strip().strip(_END_PUNCT + " ").lower()


def adapt(fragment: str, after_connective: bool) -> str:
    """Collapse whitespace, lower a sentence-initial function word after a connective, close the sentence."""
    out = _SPACE.sub(" ", fragment).strip()
    if not out:
        return out
    if after_connective:
        first = out.split(" ", 1)[0]
        if (
            first.lower().strip(",") in _LOWERABLE
            and first[:1].isupper()
            and not (len(first) > 1 and first.isupper())
        ):
            out = out[0].lower() + out[1:]
    if out[-1] not in _END_PUNCT and out[-1] not in "\"'”’)":
        out += "."
    return out


def word_count(text: str) -> int:
    return len(text.split())
