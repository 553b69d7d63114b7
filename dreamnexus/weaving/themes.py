"""Weighted k-means over unit embeddings (cosine), seeded, for theme clusters and for blocking."""

from __future__ import annotations

import numpy as np


def kmeans(
    x: np.ndarray,
    k: int,
    seed: int,
    weights: np.ndarray | None = None,
    iters: int = 8,
    plus_plus: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels (n,) and unit centroids (k, d), seeded by numpy Generator(seed).

    k-means++ seeding for themes; plain random seeding (plus_plus=False) when the clusters only serve as
    blocks for a pairwise search, where k is large and k-means++ would cost k passes over the data.
    """
    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, x.shape[1]), dtype=np.float32)
    k = max(1, min(k, n))
    w = np.ones(n, dtype=np.float64) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.sum() <= 0:
        w = np.ones(n, dtype=np.float64)
    rng = np.random.default_rng(seed)
    if not plus_plus:
        start = np.sort(rng.choice(n, size=k, replace=False))
        return _lloyd(x, x[start].astype(np.float32), w, iters)
    first = int(rng.choice(n, p=w / w.sum()))
    centroids = [x[first]]
    best = 1.0 - x @ x[first]
    for _ in range(1, k):
        p = np.clip(best, 0.0, None) * w
        if p.sum() <= 0:
            break
        nxt = int(rng.choice(n, p=p / p.sum()))
        centroids.append(x[nxt])
        best = np.minimum(best, 1.0 - x @ x[nxt])
    return _lloyd(x, np.asarray(centroids, dtype=np.float32), w, iters)


def _lloyd(x: np.ndarray, c: np.ndarray, w: np.ndarray, iters: int) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[0]
    labels = np.zeros(n, dtype=np.int64)
    for it in range(iters):
        new = np.argmax(x @ c.T, axis=1)
        if it > 0 and np.array_equal(new, labels):
            break
        labels = new
        # One-hot product instead of np.add.at; written as x.T @ onehot because OpenBLAS is an order of
        # magnitude slower on the (k, n) @ (n, d) layout for small k.
        onehot = np.zeros((n, c.shape[0]), dtype=np.float32)
        onehot[np.arange(n), labels] = w
        sums = (x.T @ onehot).T
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        keep = norms[:, 0] > 0
        c[keep] = sums[keep] / norms[keep]
    return labels, c
