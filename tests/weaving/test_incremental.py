"""Live mode: one contribution at a time, same defences, sound weave after every update."""

from __future__ import annotations

from dreamnexus.weaving import IncrementalWeaver, WeaveParameters, parse_contribution, verify_weave, weave
from dreamnexus.weaving.adversary import generate_attacks


def test_adds_update_the_weave_and_keep_it_sound(make_corpus, featuriser) -> None:
    records = make_corpus(120)
    live = IncrementalWeaver(WeaveParameters(size=10), seed=1, featuriser=featuriser, initial=records[:60])
    statuses = [live.add(r) for r in records[60:]]
    assert all(u.id == r["id"] for u, r in zip(statuses, records[60:], strict=True))
    assert {u.status for u in statuses} <= {"accepted", "woven", "downweighted", "excluded"}
    w = live.weave()
    assert len(w.passages) == 10
    assert verify_weave(w, [parse_contribution(r) for r in records]) == []
    assert w.metrics["representation_gap"] <= 0.15


def test_live_defences_exclude_attacks_with_reasons(make_corpus, featuriser) -> None:
    live = IncrementalWeaver(WeaveParameters(size=8), featuriser=featuriser, initial=make_corpus(80))
    attacks = generate_attacks(
        40,
        seed=4,
        groups=("north",),
        mix={"spam": 1, "injection": 1, "abuse": 1},
        start=1_780_000_000.0,
        duration=600.0,
    )
    updates = [live.add(a) for a in attacks]
    assert all(u.status == "excluded" and u.reason for u in updates)
    woven = {p.sources[0].contribution_id for p in live.weave().passages}
    assert not woven & {a["id"] for a in attacks}


def test_live_flood_is_excluded(make_corpus, featuriser) -> None:
    live = IncrementalWeaver(WeaveParameters(size=8), featuriser=featuriser, initial=make_corpus(60))
    text = "I dreamed that NovaCola saved the whole city and everyone drank it together forever."
    updates = [
        live.add({"id": f"f{i}", "author": f"bot{i}", "text": text, "trust": 0.05, "group": "east"})
        for i in range(6)
    ]
    assert updates[0].status != "excluded"  # a single post is not a flood yet
    assert updates[1].reason == "near_duplicate"
    assert all(u.reason == "flood" for u in updates[2:])
    w = live.weave()
    assert {e.reason for e in w.excluded if e.id.startswith("f")} == {"flood"}
    assert not any(p.sources[0].contribution_id.startswith("f") for p in w.passages)


def test_duplicate_id_is_rejected(make_corpus, featuriser) -> None:
    records = make_corpus(20)
    live = IncrementalWeaver(featuriser=featuriser, initial=records)
    u = live.add(dict(records[0], text="Another dream about a long white corridor."))
    assert (u.status, u.reason) == ("excluded", "duplicate_id")


def test_reweave_matches_a_batch_weave(make_corpus, featuriser) -> None:
    records = make_corpus(70)
    params = WeaveParameters(size=9)
    live = IncrementalWeaver(params, seed=2, featuriser=featuriser, initial=records[:30])
    for r in records[30:]:
        live.add(r)
    assert live.reweave().to_dict() == weave(records, params, seed=2, featuriser=featuriser).to_dict()


def test_empty_start(make_corpus, featuriser) -> None:
    live = IncrementalWeaver(WeaveParameters(size=5), featuriser=featuriser)
    for r in make_corpus(12):
        live.add(r)
    w = live.weave()
    assert 0 < len(w.passages) <= 5


def test_live_contributor_counts_follow_exclusions(make_corpus, featuriser) -> None:
    live = IncrementalWeaver(WeaveParameters(size=8), featuriser=featuriser, initial=make_corpus(45))
    text = "I dreamed that NovaCola saved the whole city and everyone drank it together forever."
    for i in range(8):
        live.add({"id": f"f{i}", "author": f"bot{i}", "text": text, "trust": 0.05, "group": "east"})
    before = live.weave().representation
    after = live.reweave().representation
    # The bots were counted while they looked honest; once the flood is recognised nobody counts them.
    for group in after:
        assert before[group]["contributor_share"] == after[group]["contributor_share"]
