"""Cohen's h and the proportion tests."""

from __future__ import annotations

import math

import pytest

from dreamnexus.research import cohens_h, proportion_test


def test_cohens_h_formula() -> None:
    assert cohens_h(0.5, 0.5) == 0.0
    assert cohens_h(0.67, 0.48) == pytest.approx(
        2 * math.asin(math.sqrt(0.67)) - 2 * math.asin(math.sqrt(0.48))
    )
    assert cohens_h(1.0, 0.0) == pytest.approx(math.pi)
    assert cohens_h(0.2, 0.4) == pytest.approx(-cohens_h(0.4, 0.2))


def test_two_proportion_test_matches_textbook() -> None:
    # 45/100 vs 60/100: pooled p = .525, z = -2.1234 -> two-sided p = .0337
    assert proportion_test(45, 100, 0.60, 100) == pytest.approx(0.0337, abs=5e-4)


def test_one_sample_test_without_norm_denominator() -> None:
    # 60/100 against 0.5: z = 2.0 -> p = .0455
    assert proportion_test(60, 100, 0.5) == pytest.approx(0.0455, abs=5e-4)
    assert proportion_test(50, 100, 0.5) == pytest.approx(1.0)


def test_no_data() -> None:
    assert proportion_test(0, 0, 0.5) is None
