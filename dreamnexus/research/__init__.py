"""Research indicators: the Hall–Van de Castle indicators of a set of analyses, compared with the norms."""

from dreamnexus.research.indicators import INDICATORS, IndicatorValue, compute_indicators
from dreamnexus.research.norms import Norm, load_norms
from dreamnexus.research.profile import profile_groups
from dreamnexus.research.stats import cohens_h, proportion_test

__all__ = [
    "INDICATORS",
    "IndicatorValue",
    "Norm",
    "cohens_h",
    "compute_indicators",
    "load_norms",
    "profile_groups",
    "proportion_test",
]
