"""End-to-end on real dream reports (DreamBank fragments) with 30% adversarial contributions."""

from __future__ import annotations

import gzip
import json
import os
import random
from pathlib import Path

import pytest

from dreamnexus.weaving import WeaveParameters, parse_contribution, verify_weave, weave
from dreamnexus.weaving.adversary import generate_attacks
from dreamnexus.weaving.text import sentence_spans


def _data_file() -> Path:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / ".." / "shared"
    path = base / "data" / "dreambank.jsonl.gz"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"DreamBank data missing at {path} (required in CI)")
        pytest.skip(f"DreamBank data not found at {path}; set DREAMNEXUS_SHARED_DIR")
    return path


def _fragments(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    with gzip.open(_data_file(), "rt", encoding="utf-8") as handle:
        reports = [json.loads(line) for line in handle]
    rng.shuffle(reports)
    groups = ("north", "north", "north", "south", "south", "east", "west")
    out: list[dict] = []
    for k, r in enumerate(reports):
        text = r["text"]
        spans = sentence_spans(text)[:3]
        if not spans:
            continue
        fragment = text[spans[0][0] : spans[-1][1]]
        if len(fragment) < 60:
            continue
        out.append(
            {
                "id": f"h{k}",
                "author": f"dreamer{k}",
                "text": fragment,
                "group": rng.choice(groups),
                "trust": round(rng.uniform(0.3, 1.0), 2),
                "created_at": "2026-06-01T12:00:00Z",
            }
        )
        if len(out) == n:
            break
    return out


def test_dreambank_weave_resists_thirty_percent_attack() -> None:
    honest = _fragments(700, seed=1)
    attacks = generate_attacks(
        300, seed=2, groups=("north", "south", "east", "west"), start=1_780_300_000.0, duration=3600.0
    )
    records = honest + attacks
    w = weave(records, WeaveParameters(size=20), seed=1)
    assert verify_weave(w, [parse_contribution(r) for r in records]) == []
    attack_ids = {a["id"] for a in attacks}
    woven = [p.sources[0].contribution_id for p in w.passages]
    assert len(woven) == 20
    assert not set(woven) & attack_ids
    excluded_honest = [e for e in w.excluded if e.id not in attack_ids]
    assert len(excluded_honest) / len(honest) <= 0.05
    assert w.metrics["representation_gap"] <= 0.10
    assert {"north", "south", "east", "west"} <= {r["group"] for r in records if r["id"] in set(woven)}
