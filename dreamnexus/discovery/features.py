"""Turn a stored analysis into what the resonance engine compares."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from dreamnexus.resonance.features import DreamFeatures


def dream_features(dream_id: int, language: str, analysis: dict[str, Any] | None) -> DreamFeatures | None:
    """Features of an analysed dream; None when it has no embedding yet."""
    if not analysis or not analysis.get("embedding"):
        return None
    emotions = Counter(e.get("emotion_class") for e in analysis.get("emotions", []) if e.get("emotion_class"))
    symbols = {c.get("head", "").lower() for c in analysis.get("characters", [])}
    symbols |= {s.get("head", "").lower() for s in analysis.get("settings", [])}
    return DreamFeatures(
        id=dream_id,
        vector=np.asarray(analysis["embedding"], dtype=np.float32),
        language=language,
        group=language,
        emotions=dict(emotions),
        valence=float(analysis.get("valence", 0.0)),
        themes=tuple(analysis.get("themes", [])),
        symbols=tuple(sorted(s for s in symbols if s)),
    )
