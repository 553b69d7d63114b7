"""The reusable attack generators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dreamnexus.weaving.adversary import ATTACK_KINDS, generate_attacks
from dreamnexus.weaving.model import parse_contribution


def test_counts_kinds_and_validity() -> None:
    attacks = generate_attacks(300, seed=1, groups=("a", "b", "c"))
    assert len(attacks) == 300
    assert {a["attack"] for a in attacks} == set(ATTACK_KINDS)
    assert len({a["id"] for a in attacks}) == 300
    for a in attacks:
        c = parse_contribution(a)
        assert 0.0 <= c.trust <= 1.0 and c.created_at is not None and c.group in ("a", "b", "c")
    sybils = [a for a in attacks if a["attack"] == "sybil"]
    assert {a["group"] for a in sybils} == {"c"}  # aimed at the last (smallest) group


def test_deterministic_and_mix() -> None:
    assert generate_attacks(50, seed=2) == generate_attacks(50, seed=2)
    assert generate_attacks(50, seed=2) != generate_attacks(50, seed=3)
    only_spam = generate_attacks(20, seed=0, mix={"spam": 1.0})
    assert {a["attack"] for a in only_spam} == {"spam"}


def test_flood_copies_differ_but_stay_close() -> None:
    floods = [a["text"] for a in generate_attacks(100, seed=4, mix={"flood": 1.0})]
    assert len(set(floods)) > 50
    assert len({f.split()[0] for f in floods}) <= 3


def test_runs_without_any_corpus(tmp_path: Path) -> None:
    # From an empty directory, with the shared-data variable pointing nowhere: nothing to read.
    env = {"DREAMNEXUS_SHARED_DIR": str(tmp_path / "missing"), "PATH": ""}
    code = "from dreamnexus.weaving.adversary import generate_attacks; print(len(generate_attacks(10)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env
    )
    assert out.stdout.strip() == "10"
