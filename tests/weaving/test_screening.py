"""Population defences: floods, reposts, coordinated low-trust bursts, and no silencing of newcomers."""

from __future__ import annotations

import random

from dreamnexus.weaving import WeaveParameters, weave
from dreamnexus.weaving.adversary import generate_attacks, perturb

FLOOD = "I dreamed that the whole city voted for the Silver Party and everyone finally felt safe and happy."


def _flood(n: int, trust: float = 0.05) -> list[dict]:
    import numpy as np

    rng = np.random.default_rng(1)
    return [
        {
            "id": f"f{i}",
            "author": f"bot{i}",
            "text": perturb(FLOOD, rng),
            "group": "south",
            "trust": trust,
            "created_at": f"2026-06-01T12:{i % 60:02d}:00Z",
        }
        for i in range(n)
    ]


def test_flood_of_near_duplicates_is_excluded(make_corpus, featuriser) -> None:
    honest = make_corpus(60)
    w = weave(honest + _flood(40), featuriser=featuriser)
    reasons = {e.id: e.reason for e in w.excluded}
    # The hashing featuriser of the tests is cruder than the real embedder: a copy with two typos can
    # fall below the near-duplicate bar, but it must still not be woven.
    assert sum(reasons.get(f"f{i}") == "flood" for i in range(40)) >= 36
    assert not any(p.sources[0].contribution_id.startswith("f") for p in w.passages)


def test_established_original_survives_a_flood_that_copies_it(make_corpus, featuriser) -> None:
    original = {
        "id": "orig",
        "author": "poet",
        "text": FLOOD,
        "group": "north",
        "trust": 0.9,
        "created_at": "2026-06-01T08:00:00Z",
    }
    w = weave([original, *make_corpus(30), *_flood(20)], featuriser=featuriser)
    reasons = {e.id: e.reason for e in w.excluded}
    assert "orig" not in reasons
    assert sum(r == "flood" for r in reasons.values()) >= 18


def test_same_author_repost_is_a_near_duplicate(make_corpus, featuriser) -> None:
    honest = make_corpus(20)
    repost = dict(honest[0], id="again", created_at="2026-06-01T23:00:00Z")
    w = weave([*honest, repost], featuriser=featuriser)
    reasons = {e.id: e.reason for e in w.excluded}
    assert reasons.get("again") == "near_duplicate"
    assert honest[0]["id"] not in reasons


def test_coordinated_sybil_burst_is_downweighted_and_not_woven(make_corpus, featuriser) -> None:
    honest = make_corpus(120)
    sybils = generate_attacks(
        60, seed=3, groups=("east",), mix={"sybil": 1.0}, start=1_780_000_000.0, duration=3600.0
    )
    w = weave(honest + sybils, featuriser=featuriser)
    flagged = {d["id"]: d["reason"] for d in w.downweighted} | {e.id: e.reason for e in w.excluded}
    assert all(s["id"] in flagged for s in sybils)
    assert {flagged[s["id"]] for s in sybils} <= {"coordinated_low_trust", "near_duplicate", "flood"}
    assert not any(p.sources[0].contribution_id.startswith("adv") for p in w.passages)
    # The east group is judged by its honest members, not taken over.
    assert w.representation["east"]["contributor_share"] < 0.4


def test_burst_of_diverse_honest_newcomers_is_not_flagged(make_corpus, featuriser) -> None:
    newcomers = make_corpus(60, seed=9)
    for i, r in enumerate(newcomers):
        r.update(id=f"new{i}", author=f"newbie{i}", trust=0.05, created_at=f"2026-06-01T20:{i % 10:02d}:00Z")
    w = weave(make_corpus(60) + newcomers, featuriser=featuriser)
    flagged = {d["id"] for d in w.downweighted if d["reason"] == "coordinated_low_trust"}
    assert len(flagged & {r["id"] for r in newcomers}) <= 2


def test_every_attack_kind_is_excluded_or_downweighted_with_a_reason(make_corpus, featuriser) -> None:
    honest = make_corpus(150)
    attacks = generate_attacks(
        120, seed=2, groups=("north", "south", "east"), start=1_780_000_000.0, duration=3600.0
    )
    w = weave(honest + attacks, WeaveParameters(size=20), featuriser=featuriser)
    handled = {e.id: e.reason for e in w.excluded} | {d["id"]: d["reason"] for d in w.downweighted}
    by_kind: dict[str, list[bool]] = {}
    for a in attacks:
        by_kind.setdefault(a["attack"], []).append(a["id"] in handled)
    for kind, caught in by_kind.items():
        # Off-topic questions without filler markers rely on the semantic check, twice-perturbed flood
        # copies on the near-duplicate bar, sybils on unusual similarity: all three are statistical and
        # weaker under the tests' hashing featuriser; none of them may be woven (checked below).
        floor = {"off_topic": 0.5, "flood": 0.8, "sybil": 0.8}.get(kind, 1.0)
        assert sum(caught) / len(caught) >= floor, kind
    assert all(handled[a] for a in handled)
    woven = {p.sources[0].contribution_id for p in w.passages}
    assert not woven & {a["id"] for a in attacks if a["attack"] != "off_topic"}


def test_honest_false_exclusions_are_rare(make_corpus, featuriser) -> None:
    honest = make_corpus(200, seed=random.Random(4).randint(0, 99))
    w = weave(honest, featuriser=featuriser)
    content_reasons = {"spam", "spam_link", "prompt_injection", "abuse", "filler", "too_short", "flood"}
    assert not [e for e in w.excluded if e.reason in content_reasons]
