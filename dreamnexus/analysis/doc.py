"""The document object every pipeline stage reads from and writes to (spaCy-style)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dreamnexus.analysis.lexicon.base import Lexicon
    from dreamnexus.analysis.result import (
        BodyPart,
        Character,
        Emotion,
        Interaction,
        Outcome,
        Setting,
    )


@dataclass(slots=True)
class Token:
    text: str
    lower: str  # lower case, curly apostrophes made straight
    base: str  # lower without a contraction or possessive suffix ("he's" -> "he", "john's" -> "john")
    start: int
    end: int
    sent: int
    is_word: bool
    possessive: bool = False
    sent_initial: bool = False


@dataclass(slots=True)
class Mention:
    """A reference to a party of an interaction: the dreamer, a character, or a pronoun to resolve."""

    token: int  # index of the head token
    first: int  # index of the first token of the phrase (determiner included)
    party: str  # "dreamer" | "c<N>" | "unknown"
    nominative: bool
    possessive: bool = False


@dataclass(slots=True)
class Doc:
    text: str
    language: str = "en"
    lexicon: Lexicon | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # token index ranges
    mentions: dict[int, Mention] = field(default_factory=dict)  # by head token index
    characters: list[Character] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    emotions: list[Emotion] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    body_parts: list[BodyPart] = field(default_factory=list)
    valence: float = 0.0
    arousal: float = 0.0
    themes: list[str] = field(default_factory=list)
    word_count: int = 0
    uncoded: list[str] = field(default_factory=list)

    @property
    def lex(self) -> Lexicon:
        assert self.lexicon is not None, "the language stage runs first"
        return self.lexicon

    def word_indices(self, sent: int) -> range:
        lo, hi = self.sentences[sent]
        return range(lo, hi)
