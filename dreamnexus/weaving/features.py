"""Adapter between contributions and the numbers the engine needs (embedding, valence, arousal, emotions).

The engine never calls the analysis package directly: it asks a *featuriser*. The default one uses
``dreamnexus.analysis`` (HVdC emotions, valence/arousal, themes) and its shipped embedder; a small
deterministic hashing featuriser exists for unit tests and for installs where the analysis cannot load.
"""

from __future__ import annotations

import re
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from dreamnexus.weaving.model import Contribution

EMOTION_CLASSES: tuple[str, ...] = ("anger", "apprehension", "sadness", "confusion", "happiness")
_EMOTION_INDEX = {name: i for i, name in enumerate(EMOTION_CLASSES)}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def _words(text: str) -> list[str]:
    return text.split()


@dataclass
class Features:
    embeddings: np.ndarray  # (n, d) float32, rows unit length (or zero for word-less text)
    valence: np.ndarray  # (n,) in [-1, 1]
    arousal: np.ndarray  # (n,) in [0, 1]
    emotions: np.ndarray  # (n, 5) shares of EMOTION_CLASSES, zero rows when no emotion was found
    themes: list[list[str]]

    def __len__(self) -> int:
        return int(self.embeddings.shape[0])

    def subset(self, index: Sequence[int] | np.ndarray) -> Features:
        idx = np.asarray(index, dtype=np.int64)
        return Features(
            embeddings=self.embeddings[idx],
            valence=self.valence[idx],
            arousal=self.arousal[idx],
            emotions=self.emotions[idx],
            themes=[self.themes[int(i)] for i in idx],
        )


class Featuriser(Protocol):
    name: str

    def featurise(self, contributions: Sequence[Contribution]) -> Features: ...


def _emotion_row(emotions: Any) -> np.ndarray:
    row = np.zeros(len(EMOTION_CLASSES), dtype=np.float32)
    for emo in emotions or ():
        cls = getattr(emo, "emotion_class", None)
        if cls is None and isinstance(emo, dict):
            cls = emo.get("emotion_class")
        if cls in _EMOTION_INDEX:
            row[_EMOTION_INDEX[cls]] += 1.0
    total = row.sum()
    return row / total if total > 0 else row


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def features_from_analyses(analyses: Sequence[Any], embeddings: np.ndarray) -> Features:
    """Assemble Features from DreamAnalysis-like objects (or dicts) and an embedding matrix."""
    n = len(analyses)
    valence = np.zeros(n, dtype=np.float32)
    arousal = np.zeros(n, dtype=np.float32)
    emotions = np.zeros((n, len(EMOTION_CLASSES)), dtype=np.float32)
    themes: list[list[str]] = []
    for i, a in enumerate(analyses):
        valence[i] = float(np.clip(_get(a, "valence", 0.0) or 0.0, -1.0, 1.0))
        arousal[i] = float(np.clip(_get(a, "arousal", 0.0) or 0.0, 0.0, 1.0))
        emotions[i] = _emotion_row(_get(a, "emotions", ()))
        themes.append([str(t) for t in (_get(a, "themes", ()) or ())])
    return Features(np.asarray(embeddings, dtype=np.float32), valence, arousal, emotions, themes)


class AnalysisFeaturiser:
    """Features from ``dreamnexus.analysis``: supplied analyses are reused, missing ones computed.

    Without a usable embedder (model files absent) the HVdC features still come from the analysis and
    the vectors from the hashing featuriser; the name says so ("analysis+hashing-fallback").
    """

    def __init__(self, embedder: Any = None, batch_size: int = 64) -> None:
        import dreamnexus.analysis  # noqa: F401  (fail early if the analysis is absent)

        if embedder is None:
            try:
                from dreamnexus.analysis.embedding import default_embedder

                embedder = default_embedder()
            except Exception as exc:  # noqa: BLE001  (missing or corrupt model files: degrade, loudly)
                warnings.warn(
                    f"no embedder ({exc}); weaving with analysis features and hashed vectors",
                    RuntimeWarning,
                    stacklevel=2,
                )
        self._embedder = embedder
        self._hashing = HashingFeaturiser() if embedder is None else None
        self._batch_size = batch_size
        self.name = f"analysis+{embedder.name if embedder is not None else HashingFeaturiser.name}"

    def _analyse(self, texts: list[str]) -> list[Any]:
        from dreamnexus.analysis import pipe

        embed = self._embedder is not None
        return list(pipe(texts, batch_size=self._batch_size, embed=embed, embedder=self._embedder))

    @staticmethod
    def _coerce(analysis: Any) -> Any:
        if isinstance(analysis, dict):
            from dreamnexus.analysis import DreamAnalysis

            return DreamAnalysis.from_dict(analysis)
        return analysis

    def featurise(self, contributions: Sequence[Contribution]) -> Features:
        analyses: list[Any] = [
            self._coerce(c.analysis) if c.analysis is not None else None for c in contributions
        ]
        missing = [i for i, a in enumerate(analyses) if a is None]
        if missing:
            for i, a in zip(missing, self._analyse([contributions[i].text for i in missing]), strict=True):
                analyses[i] = a
        if self._hashing is not None:
            return features_from_analyses(analyses, self._hashing.featurise(contributions).embeddings)
        dim = int(self._embedder.dim)
        emb = np.zeros((len(analyses), dim), dtype=np.float32)
        reembed: list[int] = []
        for i, a in enumerate(analyses):
            vec = _get(a, "embedding")
            model = _get(a, "embedding_model")
            if vec is None or (model is not None and model != self._embedder.name):
                reembed.append(i)
                continue
            vec = np.asarray(vec, dtype=np.float32)
            if vec.shape != (dim,):
                reembed.append(i)
                continue
            emb[i] = vec
        if reembed:
            # Mixed models cannot share one cosine space: re-embed with the engine's own embedder.
            emb[reembed] = self._embedder.embed([contributions[i].text for i in reembed])
        return features_from_analyses(analyses, emb)


# --- deterministic fallback -------------------------------------------------------------------------

_POSITIVE = frozenset(
    _words(
        "happy happiness joy joyful glad laugh laughed laughing love loved smile smiled smiling "
        "calm peace peaceful safe hope hopeful warm beautiful bright free relief relieved "
        "wonderful delighted fun celebrate celebrated hug hugged together sunlight light"
    )
)
_NEGATIVE = frozenset(
    _words(
        "afraid fear feared scared terrified terror panic dark darkness chase chased chasing "
        "monster blood dead death die died dying cry cried crying sad sadness lost alone angry "
        "anger furious hate hated scream screamed screaming fall fell falling trapped attack "
        "attacked hurt pain worried anxious nightmare fire drown drowning shaking"
    )
)
_EMOTION_WORDS: dict[str, frozenset[str]] = {
    "anger": frozenset(_words("angry anger furious rage mad hate hated yelled shouted annoyed")),
    "apprehension": frozenset(
        _words("afraid fear feared scared terrified terror panic worried anxious nervous frightened chased")
    ),
    "sadness": frozenset(_words("sad sadness cry cried crying lonely alone grief miss missed lost tears")),
    "confusion": frozenset(_words("confused strange weird puzzled lost wondered odd unsure surprised")),
    "happiness": frozenset(
        _words("happy happiness joy joyful glad laugh laughed love loved smile smiled delighted relief")
    ),
}
_STOP = frozenset(
    _words(
        "the a an and or but of to in on at for with was were is are be been it its this that "
        "there then i me my we our us you your he she him her his they them their had have has "
        "did do so as from by into out up down over not no very just about all some one what when "
        "where who which would could like am im"
    )
)


class HashingFeaturiser:
    """Bag of hashed words and letter trigrams; tiny word lists for valence and emotions. Deterministic."""

    name = "hashing-fallback"

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim

    def _vector(self, words: list[str]) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        # Word trigrams of letters as well as whole words, so that a typo only moves a copy a little.
        grams = words + [f"#{w[i : i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
        for gram in grams:
            h = zlib.crc32(gram.encode("utf-8"))
            vec[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def featurise(self, contributions: Sequence[Contribution]) -> Features:
        n = len(contributions)
        emb = np.zeros((n, self.dim), dtype=np.float32)
        valence = np.zeros(n, dtype=np.float32)
        arousal = np.zeros(n, dtype=np.float32)
        emotions = np.zeros((n, len(EMOTION_CLASSES)), dtype=np.float32)
        themes: list[list[str]] = []
        for i, c in enumerate(contributions):
            words = [w.lower() for w in _WORD.findall(c.text)]
            emb[i] = self._vector([w for w in words if w not in _STOP])
            pos = sum(w in _POSITIVE for w in words)
            neg = sum(w in _NEGATIVE for w in words)
            valence[i] = (pos - neg) / max(1.0, pos + neg)
            arousal[i] = min(1.0, (pos + neg) / max(1.0, len(words) / 8))
            for k, name in enumerate(EMOTION_CLASSES):
                emotions[i, k] = sum(w in _EMOTION_WORDS[name] for w in words)
            total = emotions[i].sum()
            if total > 0:
                emotions[i] /= total
            content = [w for w in words if w not in _STOP and len(w) > 3]
            counts: dict[str, int] = {}
            for w in content:
                counts[w] = counts.get(w, 0) + 1
            themes.append([w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]])
        return Features(emb, valence, arousal, emotions, themes)


_DEFAULT: Featuriser | None = None


def default_featuriser() -> Featuriser:
    """The analysis-backed featuriser when ``dreamnexus.analysis`` loads, else the hashing fallback."""
    global _DEFAULT
    if _DEFAULT is None:
        try:
            _DEFAULT = AnalysisFeaturiser()
        except Exception as exc:  # noqa: BLE001  (any failure to load the analysis means: fall back)
            warnings.warn(
                f"dreamnexus.analysis is not usable ({exc!r}); weaving with the hashing fallback featuriser",
                RuntimeWarning,
                stacklevel=2,
            )
            _DEFAULT = HashingFeaturiser()
    return _DEFAULT


class PrecomputedFeaturiser:
    """Serves features computed earlier (e.g. stored analyses), keyed by contribution id.

    Ids it does not know are featurised by `fallback` (when given), so live additions still work.
    """

    def __init__(self, ids: Sequence[str], features: Features, name: str, fallback: Featuriser | None = None):
        self._row = {cid: i for i, cid in enumerate(ids)}
        self._features = features
        self._fallback = fallback
        self.name = name

    def featurise(self, contributions: Sequence[Contribution]) -> Features:
        rows = [self._row.get(c.id) for c in contributions]
        if all(r is not None for r in rows):
            return self._features.subset([r for r in rows if r is not None])
        if self._fallback is None:
            missing = next(c.id for c, r in zip(contributions, rows, strict=True) if r is None)
            raise KeyError(f"no precomputed features for contribution {missing!r}")
        return self._fallback.featurise(contributions)
