"""Dream Nexus analysis engine: Hall–Van de Castle content coding of dream reports.

A pure library (no web, no database): `analyze(text)` codes one report, `pipe(texts)` streams many.
"""

from dreamnexus.analysis.pipeline import analyze, pipe
from dreamnexus.analysis.result import ANALYSIS_VERSION, DreamAnalysis

__all__ = ["ANALYSIS_VERSION", "DreamAnalysis", "analyze", "pipe"]
