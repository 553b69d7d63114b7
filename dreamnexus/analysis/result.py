"""Result types of the HVdC coding: what a DreamAnalysis holds and how it serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

ANALYSIS_VERSION = "hvdc-1.3"

EMOTION_CLASSES = ("anger", "apprehension", "sadness", "confusion", "happiness")


@dataclass(slots=True)
class Character:
    id: str
    number: str  # "individual" | "group"
    sex: str  # "male" | "female" | "joint" | "indefinite"
    identity: str  # family relative known prominent occupational ethnic stranger uncertain (humans)
    kind: str  # "human" | "animal" | "creature"
    dead: bool
    familiar: bool | None  # None when HVdC cannot tell (uncertain identity)
    head: str
    start: int
    end: int

    @property
    def label(self) -> str:
        if self.kind != "human":
            fam = "familiar" if self.familiar else "unfamiliar"
            return f"{fam} {self.kind}{' group' if self.number == 'group' else ''} ({self.head})"
        sex = "" if self.sex == "indefinite" else f"{self.sex} "
        group = "group of " if self.number == "group" else ""
        dead = "dead " if self.dead else ""
        return f"{dead}{group}{sex}{self.identity} character ({self.head})"


@dataclass(slots=True)
class Interaction:
    kind: str  # "aggression" | "friendliness" | "sexuality"
    intensity: int
    physical: bool
    initiator: str  # "dreamer" | character id | "unknown"
    recipient: str
    reciprocal: bool
    start: int
    end: int

    @property
    def dreamer_involved(self) -> bool:
        return "dreamer" in (self.initiator, self.recipient)


@dataclass(slots=True)
class Emotion:
    emotion_class: str
    subject: str  # "dreamer" | character id | "unknown"
    start: int
    end: int


@dataclass(slots=True)
class Setting:
    location: str  # "indoor" | "outdoor" | "ambiguous" | "none"
    familiarity: str  # "familiar" | "unfamiliar" | "questionable"
    head: str
    start: int
    end: int


@dataclass(slots=True)
class Outcome:
    kind: str  # "success" | "failure" | "misfortune" | "good_fortune" | "striving"
    subject: str  # "dreamer" | character id | "unknown"
    dreamer_involved: bool
    start: int
    end: int


@dataclass(slots=True)
class BodyPart:
    category: str  # "head" | "extremities" | "torso" | "anatomy" | "sex_organs"
    word: str
    start: int
    end: int

    @property
    def torso_anatomy(self) -> bool:
        return self.category in ("torso", "anatomy", "sex_organs")


@dataclass(slots=True)
class Evidence:
    code: str
    label: str
    start: int
    end: int


_LISTS: dict[str, type] = {
    "characters": Character,
    "interactions": Interaction,
    "emotions": Emotion,
    "settings": Setting,
    "outcomes": Outcome,
    "body_parts": BodyPart,
    "evidence": Evidence,
}


@dataclass(slots=True)
class DreamAnalysis:
    language: str
    word_count: int
    characters: list[Character] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    emotions: list[Emotion] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    body_parts: list[BodyPart] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    valence: float = 0.0
    arousal: float = 0.0
    themes: list[str] = field(default_factory=list)
    uncoded: list[str] = field(default_factory=list)  # what this language's rules cannot code
    embedding: np.ndarray | None = None
    embedding_model: str | None = None
    version: str = ANALYSIS_VERSION

    def character(self, party: str) -> Character | None:
        return next((c for c in self.characters if c.id == party), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "language": self.language,
            "word_count": self.word_count,
        }
        for name in _LISTS:
            out[name] = [asdict(item) for item in getattr(self, name)]
        out["valence"] = round(float(self.valence), 4)
        out["arousal"] = round(float(self.arousal), 4)
        out["themes"] = list(self.themes)
        out["uncoded"] = list(self.uncoded)
        if self.embedding is not None:
            out["embedding"] = [float(x) for x in self.embedding]
        out["embedding_model"] = self.embedding_model
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DreamAnalysis:
        kwargs: dict[str, Any] = {}
        for name, item_type in _LISTS.items():
            names = {f.name for f in fields(item_type)}
            kwargs[name] = [
                item_type(**{k: v for k, v in row.items() if k in names}) for row in data.get(name, [])
            ]
        embedding = data.get("embedding")
        return cls(
            language=str(data.get("language", "en")),
            word_count=int(data.get("word_count", 0)),
            valence=float(data.get("valence", 0.0)),
            arousal=float(data.get("arousal", 0.0)),
            themes=list(data.get("themes", [])),
            uncoded=list(data.get("uncoded", [])),
            embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
            embedding_model=data.get("embedding_model"),
            version=str(data.get("version", ANALYSIS_VERSION)),
            **kwargs,
        )
