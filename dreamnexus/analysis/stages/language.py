"""Language stage: pick the language and its lexicon; languages without one fall back to English rules."""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.language import detect_language
from dreamnexus.analysis.lexicon import get_lexicon


def set_language(doc: Doc, language: str | None) -> None:
    doc.language = language or detect_language(doc.text)
    lex = get_lexicon(doc.language)
    doc.lexicon = lex
    if lex.language != doc.language:
        doc.uncoded.append(f"no lexicon for '{doc.language}': coded with the '{lex.language}' rules")
    doc.uncoded.extend(lex.uncodable)
