"""Properties of the fair queue: nothing lost or reordered within a group, no group starved, bounded."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.festival.fairqueue import FairQueue

pushes = st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 10_000)), max_size=300)


@given(pushes, st.integers(1, 50))
@settings(max_examples=200, deadline=None)
def test_every_accepted_item_comes_out_once_in_group_order(
    items: list[tuple[str, int]], per_group: int
) -> None:
    q: FairQueue[int] = FairQueue(per_group=per_group, total=10_000)
    accepted: dict[str, list[int]] = {}
    for group, value in items:
        if q.push(group, value):
            accepted.setdefault(group, []).append(value)
        else:
            assert q.depth(group) == per_group
    out: dict[str, list[int]] = {}
    while (entry := q.pop()) is not None:
        out.setdefault(entry[0], []).append(entry[1])
    assert out == accepted
    assert len(q) == 0


@given(st.integers(1, 200), st.lists(st.integers(1, 20), min_size=1, max_size=5))
@settings(max_examples=100, deadline=None)
def test_a_flooding_group_cannot_starve_the_others(flood: int, honest: list[int]) -> None:
    q: FairQueue[str] = FairQueue(per_group=1000, total=100_000)
    for i in range(flood):
        q.push("flood", f"f{i}")
    for g, n in enumerate(honest):
        for i in range(n):
            q.push(f"h{g}", f"h{g}-{i}")
    groups = 1 + len(honest)
    served = [group for group, _ in q.pop_many(groups * max(honest))]
    for g, n in enumerate(honest):
        # Each honest group is fully served within n rounds of at most `groups` pops.
        last = max(i for i, group in enumerate(served) if group == f"h{g}")
        assert served.count(f"h{g}") == n
        assert last < n * groups


@given(pushes, st.integers(1, 40))
@settings(max_examples=100, deadline=None)
def test_the_queue_never_exceeds_its_bounds(items: list[tuple[str, int]], total: int) -> None:
    q: FairQueue[int] = FairQueue(per_group=7, total=total)
    for group, value in items:
        q.push(group, value)
        assert len(q) <= total
        assert q.depth(group) <= 7
