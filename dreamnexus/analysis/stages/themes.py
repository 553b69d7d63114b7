"""Themes: key phrases by RAKE (runs of content words between stop words, scored by word degree)."""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc

MAX_THEMES = 5
_MAX_PHRASE = 3


def code_themes(doc: Doc) -> None:
    stop = doc.lex.stop_words
    phrases: list[tuple[str, ...]] = []
    current: list[str] = []
    for tok in doc.tokens:
        word = tok.lower
        if not tok.is_word or word in stop or tok.base in stop or len(word) < 3 or word.isdigit():
            if current:
                phrases.append(tuple(current[-_MAX_PHRASE:]))
            current = []
            continue
        current.append(word)
    if current:
        phrases.append(tuple(current[-_MAX_PHRASE:]))
    freq: dict[str, int] = {}
    degree: dict[str, int] = {}
    for phrase in phrases:
        for word in phrase:
            freq[word] = freq.get(word, 0) + 1
            degree[word] = degree.get(word, 0) + len(phrase)
    scores: dict[tuple[str, ...], float] = {}
    for phrase in phrases:
        score = sum(degree[w] / freq[w] for w in phrase) + sum(freq[w] - 1 for w in phrase)
        scores[phrase] = max(scores.get(phrase, 0.0), score)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    doc.themes = [" ".join(p) for p, _ in ranked[:MAX_THEMES]]
