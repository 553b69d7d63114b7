"""Quality measures of a weave; all in [0, 1] (representation_gap is a share: 0.1 = 10 points)."""

from __future__ import annotations

import numpy as np

from dreamnexus.weaving.arc import STAGE_VALENCE


def coverage(mass: np.ndarray, chosen_labels: np.ndarray) -> float:
    """Share of honest theme mass whose cluster has at least one woven fragment."""
    if mass.sum() <= 0:
        return 0.0
    covered = np.zeros(mass.shape[0], dtype=bool)
    covered[chosen_labels[chosen_labels >= 0]] = True
    return float(mass[covered].sum() / mass.sum())


def redundancy(x: np.ndarray) -> float:
    """Mean, over woven fragments, of the cosine to their most similar other woven fragment."""
    if x.shape[0] < 2:
        return 0.0
    sim = x @ x.T
    np.fill_diagonal(sim, -1.0)
    return float(np.clip(sim.max(axis=1), 0.0, 1.0).mean())


def coherence(x_in_order: np.ndarray) -> float:
    """Mean cosine between adjacent passages."""
    if x_in_order.shape[0] < 2:
        return 0.0
    sims = np.einsum("ij,ij->i", x_in_order[:-1], x_in_order[1:])
    return float(np.clip(sims, 0.0, 1.0).mean())


def arc_fit(valence_in_order: np.ndarray, stage_in_order: np.ndarray) -> float:
    """1 - mean absolute gap between each passage's valence and its stage's target valence, over 2."""
    if valence_in_order.size == 0:
        return 0.0
    gap = np.abs(valence_in_order - STAGE_VALENCE[stage_in_order])
    return float(1.0 - gap.mean() / 2.0)


def representation_gap(representation: dict[str, dict[str, float]]) -> float:
    if not representation:
        return 0.0
    return float(max(abs(v["woven_share"] - v["contributor_share"]) for v in representation.values()))
