"""Effect size and significance of a difference between two proportions, as DreamSAT reports them."""

from __future__ import annotations

import math


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h = 2·asin√p1 − 2·asin√p2 for proportions in [0, 1]."""
    return 2 * math.asin(math.sqrt(min(1.0, max(0.0, p1)))) - 2 * math.asin(math.sqrt(min(1.0, max(0.0, p2))))


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def proportion_test(x1: int, n1: int, p2: float, n2: int | None = None) -> float | None:
    """Two-sided p of the difference between x1/n1 and p2.

    With `n2` (the norm's denominator) this is the pooled two-proportion z test; without it the norm is
    taken as a fixed population value (one-sample z test), which is what remains when the norm table
    publishes percentages only.
    """
    if n1 <= 0:
        return None
    p1 = x1 / n1
    if n2:
        x2 = p2 * n2
        pooled = (x1 + x2) / (n1 + n2)
        var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    else:
        var = p2 * (1 - p2) / n1
    if var <= 0:
        return 1.0 if p1 == p2 else 0.0
    return _two_sided_p((p1 - p2) / math.sqrt(var))
