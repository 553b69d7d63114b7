"""Weave many people's dreams into one traceable, proportional, attack-resistant narrative.

Public API: :func:`weave`, :class:`WeaveParameters`, :class:`IncrementalWeaver`, :func:`passages_of`,
:func:`verify_weave`, :func:`render_markdown`, :func:`render_html`. See docs/weaving.md.
"""

from dreamnexus.weaving.engine import weave
from dreamnexus.weaving.features import Features, Featuriser, HashingFeaturiser, default_featuriser
from dreamnexus.weaving.incremental import IncrementalWeaver, Update
from dreamnexus.weaving.model import (
    Contribution,
    ContributionError,
    Exclusion,
    Passage,
    Source,
    Weave,
    parse_contribution,
)
from dreamnexus.weaving.params import ENGINE_VERSION, WeaveParameters
from dreamnexus.weaving.polish import PolishConfig, polish_weave
from dreamnexus.weaving.render import render_html, render_markdown
from dreamnexus.weaving.trace import passages_of, verify_weave

__all__ = [
    "ENGINE_VERSION",
    "Contribution",
    "ContributionError",
    "Exclusion",
    "Featuriser",
    "Features",
    "HashingFeaturiser",
    "IncrementalWeaver",
    "Passage",
    "PolishConfig",
    "Source",
    "Update",
    "Weave",
    "WeaveParameters",
    "default_featuriser",
    "parse_contribution",
    "passages_of",
    "polish_weave",
    "render_html",
    "render_markdown",
    "verify_weave",
    "weave",
]
