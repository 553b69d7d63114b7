"""Valence (-1..1) and arousal (0..1) from a small hand-written affect lexicon and the coded events.

Coded events weigh more than single words: an aggression or a fear tells more about a dream's tone than
"dark" or "cold". Negated words are skipped. Both scores saturate smoothly so long reports stay in range.
"""

from __future__ import annotations

import math

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.stages.roles import negated

_EMOTION_VALENCE = {"anger": -1.0, "apprehension": -1.0, "sadness": -1.0, "confusion": -0.3, "happiness": 1.0}
_EMOTION_AROUSAL = {"anger": 0.9, "apprehension": 0.9, "sadness": 0.4, "confusion": 0.5, "happiness": 0.6}
_OUTCOME_VALENCE = {"success": 0.7, "failure": -0.6, "misfortune": -0.8, "good_fortune": 0.8, "striving": 0.0}


def code_affect(doc: Doc) -> None:
    lex = doc.lex
    pos = neg = 0.0
    arousal = 0.0
    for i, tok in enumerate(doc.tokens):
        entry = lex.valence.get(tok.lower) if tok.is_word else None
        if entry is None or negated(doc, i):
            continue
        val, aro = entry
        if val > 0:
            pos += val
        else:
            neg -= val
        arousal += aro
    for emotion in doc.emotions:
        val = _EMOTION_VALENCE[emotion.emotion_class]
        pos, neg = (pos + val, neg) if val > 0 else (pos, neg - 2 * val)
        arousal += _EMOTION_AROUSAL[emotion.emotion_class]
    for inter in doc.interactions:
        if inter.kind == "aggression":
            neg += 1.0 + inter.intensity / 8
            arousal += 0.5 + inter.intensity / 8
        else:
            pos += 1.0
            arousal += 0.4
    for outcome in doc.outcomes:
        val = _OUTCOME_VALENCE[outcome.kind]
        pos, neg = (pos + val, neg) if val > 0 else (pos, neg - val)
    total = pos + neg
    doc.valence = 0.0 if total == 0 else max(-1.0, min(1.0, (pos - neg) / (total + 1.0)))
    density = arousal / max(1.0, doc.word_count / 50)
    doc.arousal = max(0.0, min(1.0, 1.0 - math.exp(-density / 2.5)))
