"""Language identification by function-word profiles.

Dream reports are long enough that the share of very common function words tells the language apart
reliably, with no model to load. Unknown or too-short text falls back to the caller's default.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent closed-class words of each language; overlapping words (e.g. "a") count for both.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and i was a to of in it my that he she we they were is had with on for me her his "
        "there but at this be as you not from have out so all then up when"
    ),
    "es": _words(
        "el la los las y de que en un una yo mi me se con por para era estaba no lo su al del "
        "pero como muy sueño soñé había ella él nosotros cuando también"
    ),
    "de": _words(
        "der die das und ich war ein eine zu in mit mich mir sich nicht es auf ist den dem des "
        "aber wie sehr ein traum träumte hatte sie wir als auch dann noch mein meine meinem meinen "
        "meiner habe hat bin einen einem von"
    ),
    "fr": _words(
        "le la les et je j était un une de des du en dans que qui mon ma me se avec pour pas "
        "mais comme très rêve rêvé avait elle nous quand aussi"
    ),
    "it": _words(
        "il lo la gli le e io ero un una di che in mio mia mi si con per non ma come molto "
        "sogno sognato aveva lei noi quando anche del della"
    ),
    "pt": _words(
        "o a os as e eu era um uma de que em no na meu minha me se com por para não mas como "
        "muito sonho sonhei tinha ela nós quando também do da"
    ),
    "nl": _words(
        "de het een en ik was van in mijn me mij zich niet op is met voor maar als zeer droom "
        "droomde had zij wij toen ook dan nog"
    ),
}

SUPPORTED_LANGUAGES = tuple(FUNCTION_WORDS)


def detect_language(text: str, default: str = "en", min_hits: int = 2) -> str:
    """Return the ISO 639-1 code of the language that `text` is most likely written in."""
    words = [w.lower() for w in _WORD.findall(text[:4000])]
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == default))
    if scores[best] < min(min_hits, len(words)):
        return default
    return best
