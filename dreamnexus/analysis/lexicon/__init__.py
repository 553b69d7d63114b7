"""Lexicons per language; unknown languages fall back to English (the analysis says so in `uncoded`)."""

from __future__ import annotations

from dreamnexus.analysis.lexicon.base import Lexicon


def get_lexicon(language: str) -> Lexicon:
    if language == "de":
        from dreamnexus.analysis.lexicon.de import LEXICON as DE

        return DE
    from dreamnexus.analysis.lexicon.en import LEXICON as EN

    return EN


SUPPORTED = ("en", "de")
