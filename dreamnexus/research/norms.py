"""The Hall & Van de Castle (1966) norms, shipped as a small table (published research figures)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Norm:
    indicator: str
    formula: str
    male: float
    female: float
    verified: bool
    male_n: int | None = None
    female_n: int | None = None

    @property
    def is_percentage(self) -> bool:
        return self.indicator.endswith("_pct")

    def for_sex(self, sex: str) -> float:
        return self.male if sex == "male" else self.female

    def n_for_sex(self, sex: str) -> int | None:
        return self.male_n if sex == "male" else self.female_n


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


@cache
def load_norms() -> dict[str, Norm]:
    text = resources.files("dreamnexus.research").joinpath("norms.csv").read_text(encoding="utf-8")
    norms: dict[str, Norm] = {}
    for row in csv.DictReader(io.StringIO(text)):
        norms[row["indicator"]] = Norm(
            indicator=row["indicator"],
            formula=row["formula"],
            male=float(row["male"]),
            female=float(row["female"]),
            verified=row["status"].strip() == "verified",
            male_n=_int_or_none(row.get("male_n")),
            female_n=_int_or_none(row.get("female_n")),
        )
    return norms


_SEX_WORDS = {
    "male": "male",
    "m": "male",
    "man": "male",
    "men": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "women": "female",
    "männlich": "male",
    "weiblich": "female",
    "w": "female",
}


def normalise_sex(value: object) -> str | None:
    """ "M", "male", "Female" ... -> "male" / "female"; anything else -> None."""
    if not isinstance(value, str):
        return None
    return _SEX_WORDS.get(value.strip().lower())
