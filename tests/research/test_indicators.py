"""Indicators: names match the norms table, counts behind each value, hand-checked small cases."""

from __future__ import annotations

import csv
from pathlib import Path

from dreamnexus.analysis import analyze
from dreamnexus.research import INDICATORS, compute_indicators, load_norms
from dreamnexus.research.profile import compare, group_records, profile_groups

from ._shared import shared_data_dir


def _code(*texts: str):
    return [analyze(t, language="en", embed=False) for t in texts]


def test_indicator_names_are_exactly_the_norms() -> None:
    assert set(INDICATORS) == set(load_norms())


def test_shipped_norms_match_the_published_table() -> None:
    shared = shared_data_dir(required=False)
    if shared is None:
        return
    with (shared / "hvdc_norms.csv").open(encoding="utf-8") as fh:
        rows = {r["indicator"]: r for r in csv.DictReader(fh)}
    norms = load_norms()
    for name, row in rows.items():
        assert norms[name].male == float(row["male"]) and norms[name].female == float(row["female"])


def test_character_indicators() -> None:
    n, v = compute_indicators(
        _code("My mother and a man were there. A dog barked.", "My friend Bob laughed.")
    )
    assert n == 2
    assert (v["male_female_pct"].numerator, v["male_female_pct"].denominator) == (2, 3)
    assert v["male_female_pct"].value == 66.67
    assert (v["family_pct"].numerator, v["family_pct"].denominator) == (1, 3)
    assert (v["friends_pct"].numerator, v["friends_pct"].denominator) == (1, 3)
    assert (v["animal_pct"].numerator, v["animal_pct"].denominator) == (1, 4)
    assert (v["familiarity_pct"].numerator, v["familiarity_pct"].denominator) == (2, 3)


def test_interaction_indicators() -> None:
    n, v = compute_indicators(
        _code("A man hit me. I yelled at him.", "My friend helped me.", "I walked home.")
    )
    assert (v["aggressor_pct"].numerator, v["aggressor_pct"].denominator) == (1, 2)
    assert v["aggressor_pct"].value + v["victimization_pct"].value == 100
    assert (v["physical_aggression_pct"].numerator, v["physical_aggression_pct"].denominator) == (1, 2)
    assert (v["befriender_pct"].numerator, v["befriender_pct"].denominator) == (0, 1)
    assert v["dreams_with_aggression_pct"].value == 33.33
    assert v["ac_index"].value == round(2 / 2, 3)


def test_empty_denominator_is_none() -> None:
    _, v = compute_indicators(_code("I walked home."))
    assert v["male_female_pct"].value is None and v["male_female_pct"].denominator == 0


def test_compare_with_norms() -> None:
    _, v = compute_indicators(_code("My mother and a man were there.", "My father and my sister talked."))
    row = compare(v, "female")["male_female_pct"]
    assert row["norm"] == 48
    assert row["h"] is not None and 0 <= row["p"] <= 1
    assert compare(v, "female")["ac_index"]["h"] is None


def test_profile_groups_auto_sex() -> None:
    items = [({"sex": "M"}, a) for a in _code("A man hit me.")] + [
        ({"sex": "F"}, a) for a in _code("I saw a girl.")
    ]
    out = profile_groups(group_records(items, "sex"), "auto")["groups"]
    assert out["M"]["norms_sex"] == "male" and out["M"]["vs_norms"]["male_female_pct"]["norm"] == 67
    assert out["F"]["vs_norms"]["male_female_pct"]["norm"] == 48
    mixed = profile_groups(group_records(items, None), "auto")["groups"]["all"]
    assert mixed["n_dreams"] == 2 and mixed["vs_norms"] is None


def test_shared_dir_helper_points_to_data() -> None:
    path = shared_data_dir(required=False)
    assert path is None or isinstance(path, Path)
