"""Runs the coder over the HVdC norm series (slow; needs ../shared/data)."""

from __future__ import annotations

import gzip
import json

import pytest

from dreamnexus.analysis import pipe
from dreamnexus.research import compute_indicators, load_norms

from ._shared import shared_data_dir


@pytest.mark.slow
def test_norm_series_are_coded_within_bounds() -> None:
    data = shared_data_dir()
    assert data is not None
    by_series: dict[str, list[str]] = {"norms-m": [], "norms-f": []}
    with gzip.open(data / "dreambank.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["series"] in by_series:
                by_series[record["series"]].append(record["text"])
    norms = load_norms()
    values = {}
    for series, texts in by_series.items():
        n, indicators = compute_indicators(pipe(texts, embed=False))
        assert n == len(texts) > 400
        values[series] = indicators
        sex = "male" if series == "norms-m" else "female"
        for name, norm in norms.items():
            value = indicators[name].value
            assert value is not None
            if norm.verified:
                # a broken rule shows up as a gross miss; the precise comparison is docs/validation.md
                assert abs(value - norm.for_sex(sex)) < 30, name
    assert values["norms-m"]["male_female_pct"].value > values["norms-f"]["male_female_pct"].value
