"""The HVdC indicators of a set of analyses, each with the counts behind it.

Names and formulas follow the norms table (dreamnexus/research/norms.csv). Percentages are 0-100;
the A/C, F/C and S/C indices are ratios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dreamnexus.analysis.result import Character, DreamAnalysis, Interaction


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    numerator: int
    denominator: int
    percentage: bool

    @property
    def value(self) -> float | None:
        if self.denominator == 0:
            return None
        ratio = self.numerator / self.denominator
        return round(100 * ratio, 2) if self.percentage else round(ratio, 3)

    @property
    def proportion(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


@dataclass(slots=True)
class _Tally:
    n_dreams: int = 0
    counts: dict[str, int] | None = None

    def add(self, key: str, amount: int = 1) -> None:
        assert self.counts is not None
        self.counts[key] = self.counts.get(key, 0) + amount


def _humans(a: DreamAnalysis) -> list[Character]:
    return [c for c in a.characters if c.kind == "human"]


def _dreamer_role(inter: Interaction) -> str | None:
    if inter.reciprocal or not inter.dreamer_involved:
        return None
    return "initiator" if inter.initiator == "dreamer" else "recipient"


def _count(analyses: Iterable[DreamAnalysis]) -> _Tally:
    t = _Tally(counts={})
    for a in analyses:
        t.n_dreams += 1
        humans = _humans(a)
        t.add("humans", len(humans))
        t.add("characters", len(a.characters))
        t.add("animals", sum(c.kind == "animal" for c in a.characters))
        t.add("male", sum(c.sex == "male" for c in humans))
        t.add("female", sum(c.sex == "female" for c in humans))
        t.add("familiar", sum(c.familiar is True for c in humans))
        t.add("unfamiliar", sum(c.familiar is False for c in humans))
        t.add("known", sum(c.identity == "known" for c in humans))
        t.add("family", sum(c.identity in ("family", "relative") for c in humans))
        kinds = {"aggression": 0, "friendliness": 0, "sexuality": 0}
        for inter in a.interactions:
            kinds[inter.kind] += 1
            role = _dreamer_role(inter)
            if inter.kind == "aggression":
                t.add("physical", int(inter.physical))
                if role is not None:
                    t.add(f"aggression_{role}")
            elif inter.kind == "friendliness" and role is not None:
                t.add(f"friendliness_{role}")
            if inter.dreamer_involved and inter.kind in ("aggression", "friendliness"):
                t.add(f"dreamer_{inter.kind}")
        for kind, n in kinds.items():
            t.add(kind, n)
            t.add(f"dreams_with_{kind}", int(n > 0))
        t.add("emotions", len(a.emotions))
        t.add("negative_emotions", sum(e.emotion_class != "happiness" for e in a.emotions))
        t.add("dreamer_success", sum(o.kind == "success" and o.dreamer_involved for o in a.outcomes))
        t.add("dreamer_failure", sum(o.kind == "failure" and o.dreamer_involved for o in a.outcomes))
        t.add("dreams_with_misfortune", int(any(o.kind == "misfortune" for o in a.outcomes)))
        t.add("body_parts", len(a.body_parts))
        t.add("torso_anatomy", sum(b.torso_anatomy for b in a.body_parts))
        t.add("indoor", sum(s.location == "indoor" for s in a.settings))
        t.add("outdoor", sum(s.location == "outdoor" for s in a.settings))
        t.add("familiar_setting", sum(s.familiarity == "familiar" for s in a.settings))
        t.add("unfamiliar_setting", sum(s.familiarity == "unfamiliar" for s in a.settings))
    return t


def _ratio(num: str, *den: str, pct: bool = True) -> Callable[[dict[str, int], int], IndicatorValue]:
    def build(c: dict[str, int], n_dreams: int) -> IndicatorValue:
        denominator = n_dreams if den == ("n_dreams",) else sum(c.get(d, 0) for d in den)
        return IndicatorValue(c.get(num, 0), denominator, pct)

    return build


INDICATORS: dict[str, Callable[[dict[str, int], int], IndicatorValue]] = {
    "male_female_pct": _ratio("male", "male", "female"),
    "familiarity_pct": _ratio("familiar", "familiar", "unfamiliar"),
    "friends_pct": _ratio("known", "humans"),
    "family_pct": _ratio("family", "humans"),
    "animal_pct": _ratio("animals", "characters"),
    "befriender_pct": _ratio("friendliness_initiator", "friendliness_initiator", "friendliness_recipient"),
    "aggressor_pct": _ratio("aggression_initiator", "aggression_initiator", "aggression_recipient"),
    "victimization_pct": _ratio("aggression_recipient", "aggression_recipient", "aggression_initiator"),
    "physical_aggression_pct": _ratio("physical", "aggression"),
    "negative_emotions_pct": _ratio("negative_emotions", "emotions"),
    "dreamer_involved_success_pct": _ratio("dreamer_success", "dreamer_success", "dreamer_failure"),
    "torso_anatomy_pct": _ratio("torso_anatomy", "body_parts"),
    "aggression_friendliness_pct": _ratio("dreamer_aggression", "dreamer_aggression", "dreamer_friendliness"),
    "ac_index": _ratio("aggression", "characters", pct=False),
    "fc_index": _ratio("friendliness", "characters", pct=False),
    "sc_index": _ratio("sexuality", "characters", pct=False),
    "indoor_setting_pct": _ratio("indoor", "indoor", "outdoor"),
    "familiar_setting_pct": _ratio("familiar_setting", "familiar_setting", "unfamiliar_setting"),
    "dreams_with_aggression_pct": _ratio("dreams_with_aggression", "n_dreams"),
    "dreams_with_friendliness_pct": _ratio("dreams_with_friendliness", "n_dreams"),
    "dreams_with_misfortune_pct": _ratio("dreams_with_misfortune", "n_dreams"),
}


def compute_indicators(analyses: Iterable[DreamAnalysis]) -> tuple[int, dict[str, IndicatorValue]]:
    """Return (n_dreams, {indicator: IndicatorValue}) for every indicator of the norms table."""
    tally = _count(analyses)
    assert tally.counts is not None
    return tally.n_dreams, {name: build(tally.counts, tally.n_dreams) for name, build in INDICATORS.items()}
