"""Order chosen fragments along an emotional arc, with related fragments next to each other.

Each fragment is scored against five stages from its HVdC emotion mix, valence and arousal; fragments are
assigned to stages under capacities (so every stage gets its share), then chained inside each stage by
nearest embedding, starting from the fragment closest to the end of the previous stage.
"""

from __future__ import annotations

import math

import numpy as np

from dreamnexus.weaving.features import EMOTION_CLASSES

STAGES: tuple[str, ...] = ("setting", "encounters", "crisis", "resilience", "resolution")
_STAGE_SHARE = np.array([0.2, 0.2, 0.25, 0.15, 0.2])
# Target valence of each stage: the curve arc_fit compares against.
STAGE_VALENCE = np.array([0.0, 0.1, -0.6, 0.0, 0.5])
_E = {name: i for i, name in enumerate(EMOTION_CLASSES)}


def stage_scores(valence: np.ndarray, arousal: np.ndarray, emotions: np.ndarray) -> np.ndarray:
    """(n, 5) affinity of each fragment to each stage."""
    neg = emotions[:, _E["anger"]] + emotions[:, _E["apprehension"]]
    sad = emotions[:, _E["sadness"]]
    conf = emotions[:, _E["confusion"]]
    hap = emotions[:, _E["happiness"]]
    quiet = 1.0 - np.clip(emotions.sum(axis=1), 0, 1)
    out = np.empty((valence.shape[0], len(STAGES)), dtype=np.float64)
    out[:, 0] = quiet + (1 - arousal) * 0.5 - np.abs(valence)
    out[:, 1] = conf + 0.5 * hap * (1 - hap) + 0.4 * arousal - np.abs(valence - 0.1)
    out[:, 2] = neg + 0.5 * sad + arousal - valence
    out[:, 3] = sad + 0.5 * (neg > 0) * (hap > 0) + 0.5 * (1 - np.abs(valence)) * (neg + sad > 0)
    out[:, 4] = hap + valence + 0.3 * (1 - arousal)
    return out


def assign_stages(scores: np.ndarray) -> np.ndarray:
    """Stage index per fragment; capacities proportional to _STAGE_SHARE, highest affinities first."""
    n = scores.shape[0]
    caps = np.array([max(1, math.ceil(n * s)) for s in _STAGE_SHARE]) if n >= len(STAGES) else np.full(5, n)
    stage = np.full(n, -1, dtype=np.int64)
    # Ties (equal scores) resolve by row then stage, which keeps the result deterministic.
    for flat in np.argsort(-scores, axis=None, kind="stable"):
        i, s = divmod(int(flat), len(STAGES))
        if stage[i] < 0 and caps[s] > 0:
            stage[i] = s
            caps[s] -= 1
    return stage


def order_fragments(x: np.ndarray, stage: np.ndarray) -> list[int]:
    """Rows of `x` in narrative order: by stage, and inside a stage a nearest-neighbour chain."""
    order: list[int] = []
    for s in range(len(STAGES)):
        rows = [int(i) for i in np.flatnonzero(stage == s)]
        while rows:
            if order:
                sims = x[rows] @ x[order[-1]]
                pick = rows[int(np.argmax(sims))]
            else:
                # Open on the most typical fragment of the stage.
                centre = x[rows].sum(axis=0)
                pick = rows[int(np.argmax(x[rows] @ centre))]
            order.append(pick)
            rows.remove(pick)
    return order
