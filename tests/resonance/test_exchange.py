"""Dream exchange: fairness properties, optimality of the worst link, and the greedy baseline."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.resonance.exchange import Participant, exchange_round, greedy_round, pair_quality
from dreamnexus.resonance.features import HVDC_EMOTIONS, DreamFeatures


def make_participants(n: int, seed: int, dim: int = 8, clusters: int = 3) -> list[Participant]:
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(clusters, dim)) * 2
    out = []
    for i in range(n):
        vec = centers[rng.integers(clusters)] + rng.normal(size=dim)
        emo = dict(zip(HVDC_EMOTIONS, rng.dirichlet(np.ones(5)).tolist(), strict=True))
        out.append(
            Participant(
                f"d{i}", DreamFeatures(f"dream{i}", vec, emotions=emo, valence=float(rng.uniform(-1, 1)))
            )
        )
    return out


def key(a: object, b: object) -> frozenset:
    return frozenset((a, b))


def check_round(participants, result, forbidden=()) -> None:
    ids = [p.dreamer for p in participants]
    banned = {key(a, b) for a, b in forbidden}
    paired = [x for link in result.pairs for x in (link.a, link.b)]
    assert len(paired) == len(set(paired)), "a dreamer is in two pairs"
    extras = [link.a for link in result.extras]
    hubs = {link.b for link in result.extras}
    assert hubs <= set(paired), "an extra dreamer must join a member of a pair"
    placed = set(paired) | set(extras)
    assert placed.isdisjoint(result.unmatched)
    assert placed | set(result.unmatched) == set(ids)
    for link in result.links:
        assert key(link.a, link.b) not in banned
        assert link.a != link.b


def brute_force_bottleneck(participants, forbidden=()) -> float:
    """Best worst link over all pairings (odd n: one triple through a hub), by enumeration."""
    n = len(participants)
    q = [[pair_quality(a.dream, b.dream) for b in participants] for a in participants]
    banned = {
        key(participants[a].dreamer, participants[b].dreamer)
        for a in range(n)
        for b in range(n)
        if key(participants[a].dreamer, participants[b].dreamer) in {key(x, y) for x, y in forbidden}
    }
    best = -math.inf

    def ok(a: int, b: int) -> bool:
        return key(participants[a].dreamer, participants[b].dreamer) not in banned

    def pairings(rest: list[int]):
        if not rest:
            yield []
            return
        first = rest[0]
        for other in rest[1:]:
            if ok(first, other):
                remaining = [x for x in rest[1:] if x != other]
                for tail in pairings(remaining):
                    yield [(first, other), *tail]

    singles = [None] if n % 2 == 0 else list(range(n))
    for single in singles:
        rest = [v for v in range(n) if v != single]
        for pairing in pairings(rest):
            worst = min(q[a][b] for a, b in pairing)
            if single is not None:
                hubs = [q[single][h] for pair in pairing for h in pair if ok(single, h)]
                if not hubs:
                    continue
                worst = min(worst, max(hubs))
            best = max(best, worst)
    return best


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 8, 9])
def test_worst_link_is_optimal_on_small_instances(n: int) -> None:
    for seed in range(4):
        people = make_participants(n, seed)
        rng = np.random.default_rng(seed + 100)
        forbidden = [
            (people[a].dreamer, people[b].dreamer)
            for a, b in itertools.combinations(range(n), 2)
            if rng.random() < 0.15
        ]
        result = exchange_round(people, forbidden=forbidden, tolerance=0.0, row_budget=None)
        assert result.worst_is_optimal
        expected = brute_force_bottleneck(people, forbidden)
        check_round(people, result, forbidden)
        if math.isfinite(expected):
            assert not result.unmatched
            assert result.worst_quality == pytest.approx(expected, abs=1e-9)


def test_odd_count_forms_exactly_one_triple() -> None:
    people = make_participants(11, seed=3)
    result = exchange_round(people)
    check_round(people, result)
    assert len(result.pairs) == 5
    assert len(result.extras) == 1
    assert result.unmatched == ()


def test_previous_pairs_are_never_repeated_over_many_rounds() -> None:
    people = make_participants(12, seed=5)
    history: list[tuple[str, str]] = []
    for _ in range(6):
        result = exchange_round(people, previous_pairs=history)
        check_round(people, result, history)
        assert not result.unmatched
        history.extend((link.a, link.b) for link in result.links)
    assert len({key(a, b) for a, b in history}) == len(history)


def test_blocks_are_respected_even_when_they_cost_quality() -> None:
    people = make_participants(6, seed=9)
    free = exchange_round(people)
    best_pair = max(free.pairs, key=lambda link: link.quality)
    blocked = exchange_round(people, forbidden=[(best_pair.b, best_pair.a)])
    check_round(people, blocked, [(best_pair.a, best_pair.b)])


def test_a_dreamer_blocked_with_everyone_is_carried_over() -> None:
    people = make_participants(5, seed=2)
    lonely = people[0].dreamer
    forbidden = [(lonely, p.dreamer) for p in people[1:]]
    result = exchange_round(people, forbidden=forbidden)
    assert result.unmatched == (lonely,)
    assert len(result.pairs) == 2


def test_an_unusual_dream_is_still_matched() -> None:
    people = make_participants(20, seed=4)
    odd_vec = np.zeros(8)
    odd_vec[0] = -50.0
    people.append(Participant("outlier", DreamFeatures("x", odd_vec, emotions={"confusion": 1.0})))
    people.append(Participant("other", DreamFeatures("y", np.ones(8), emotions={"anger": 1.0})))
    result = exchange_round(people)
    check_round(people, result)
    assert "outlier" in {x for link in result.links for x in (link.a, link.b)}


def test_tiny_rounds() -> None:
    assert exchange_round([]).links == ()
    one = make_participants(1, seed=0)
    assert exchange_round(one).unmatched == ("d0",)
    two = make_participants(2, seed=0)
    assert len(exchange_round(two).pairs) == 1
    assert exchange_round(two, forbidden=[("d0", "d1")]).unmatched == ("d0", "d1")


def test_a_dreamer_cannot_opt_in_twice() -> None:
    people = make_participants(3, seed=0)
    with pytest.raises(ValueError, match="only once"):
        exchange_round([*people, people[0]])


def naive_greedy(people, forbidden=()) -> list[tuple[str, str, float]]:
    banned = {key(a, b) for a, b in forbidden}
    edges = sorted(
        (
            (pair_quality(a.dream, b.dream), a.dreamer, b.dreamer)
            for a, b in itertools.combinations(people, 2)
            if key(a.dreamer, b.dreamer) not in banned
        ),
        reverse=True,
    )
    used: set[str] = set()
    out = []
    for w, a, b in edges:
        if a not in used and b not in used:
            used.update((a, b))
            out.append((a, b, w))
    return out


def test_greedy_baseline_pairs_the_best_remaining_pair_first() -> None:
    # 150 dreamers outgrow the 64-long candidate lists, so the lazy full-row refresh is exercised.
    people = make_participants(150, seed=11, clusters=2)
    forbidden = [(people[i].dreamer, people[i + 1].dreamer) for i in range(0, 120, 3)]
    result = greedy_round(people, forbidden=forbidden)
    expected = naive_greedy(people, forbidden)
    assert {key(link.a, link.b) for link in result.pairs} == {key(a, b) for a, b, _ in expected}
    assert len(result.pairs) == len(expected)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=60),
    seed=st.integers(min_value=0, max_value=10_000),
    block_rate=st.floats(min_value=0.0, max_value=0.3),
)
def test_never_worse_than_greedy_and_everyone_placed(n: int, seed: int, block_rate: float) -> None:
    people = make_participants(n, seed, clusters=4)
    rng = np.random.default_rng(seed)
    forbidden = [
        (people[a].dreamer, people[b].dreamer)
        for a, b in itertools.combinations(range(n), 2)
        if rng.random() < block_rate
    ]
    ours = exchange_round(people, forbidden=forbidden, candidates=4)
    greedy = greedy_round(people, forbidden=forbidden)
    check_round(people, ours, forbidden)
    check_round(people, greedy, forbidden)
    assert len(ours.pairs) >= len(greedy.pairs)
    assert len(ours.unmatched) <= len(greedy.unmatched)
    if len(ours.pairs) == len(greedy.pairs) and ours.links:
        assert ours.worst_quality >= greedy.worst_quality - 1e-6


def test_optimality_flag_and_baseline_make_their_claims() -> None:
    people = make_participants(40, seed=8)
    assert greedy_round(people).worst_is_optimal is None
    exact = exchange_round(people, row_budget=None, tolerance=0.0)
    assert exact.worst_is_optimal is True
    budgeted = exchange_round(people)
    assert budgeted.worst_quality <= exact.worst_quality + 1e-9
    if budgeted.worst_is_optimal:
        assert budgeted.worst_quality >= exact.worst_quality - 1e-4
