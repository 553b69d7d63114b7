"""Profiles: indicators per group of records and their comparison with the norms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dreamnexus.analysis.result import DreamAnalysis
from dreamnexus.research.indicators import compute_indicators
from dreamnexus.research.norms import load_norms, normalise_sex
from dreamnexus.research.stats import cohens_h, proportion_test


def compare(indicators: dict[str, Any], sex: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, norm in load_norms().items():
        value = indicators.get(name)
        reference = norm.for_sex(sex)
        row: dict[str, Any] = {"norm": reference, "h": None, "p": None}
        if norm.is_percentage and value is not None and value.denominator > 0:
            p1 = value.numerator / value.denominator
            row["h"] = round(cohens_h(p1, reference / 100), 3)
            p = proportion_test(value.numerator, value.denominator, reference / 100, norm.n_for_sex(sex))
            row["p"] = None if p is None else round(p, 4)
        out[name] = row
    return out


def _group_sex(records: list[dict[str, Any]], mode: str) -> str | None:
    if mode in ("male", "female"):
        return mode
    sexes = {normalise_sex(r.get("sex")) for r in records}
    sexes.discard(None)
    return sexes.pop() if len(sexes) == 1 else None


def profile_groups(
    groups: dict[str, list[tuple[dict[str, Any], DreamAnalysis]]], compare_norms: str | None
) -> dict[str, Any]:
    """{"groups": {name: {"n_dreams", "indicators", "counts", "vs_norms"?}}} for records grouped by name."""
    out: dict[str, Any] = {}
    for name, items in groups.items():
        n_dreams, values = compute_indicators(a for _, a in items)
        entry: dict[str, Any] = {
            "n_dreams": n_dreams,
            "indicators": {k: v.value for k, v in values.items()},
            "counts": {
                k: {"numerator": v.numerator, "denominator": v.denominator} for k, v in values.items()
            },
        }
        if compare_norms:
            sex = _group_sex([r for r, _ in items], compare_norms)
            entry["norms_sex"] = sex
            entry["vs_norms"] = compare(values, sex) if sex else None
        out[name] = entry
    return {"groups": out}


def group_records(
    items: Iterable[tuple[dict[str, Any], DreamAnalysis]], group_by: str | None
) -> dict[str, list[tuple[dict[str, Any], DreamAnalysis]]]:
    groups: dict[str, list[tuple[dict[str, Any], DreamAnalysis]]] = {}
    for record, analysis in items:
        key = "all" if group_by is None else str(record.get(group_by))
        groups.setdefault(key, []).append((record, analysis))
    return groups
