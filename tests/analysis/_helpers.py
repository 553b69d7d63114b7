"""Shared helpers for the analysis tests."""

from __future__ import annotations

from dreamnexus.analysis import DreamAnalysis, analyze


def code(text: str, language: str | None = "en") -> DreamAnalysis:
    return analyze(text, language=language, embed=False)


def humans(a: DreamAnalysis) -> list:
    return [c for c in a.characters if c.kind == "human"]


def party_head(a: DreamAnalysis, party: str) -> str:
    if party in ("dreamer", "unknown"):
        return party
    char = a.character(party)
    assert char is not None
    return char.head.lower()
