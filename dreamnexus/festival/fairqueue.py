"""A bounded round-robin queue across groups, so a flooding group cannot starve the others.

Each group has its own FIFO with a cap; `pop` serves the groups in turn, one item each. A group that
floods fills only its own FIFO (further pushes are refused), while every other group still gets one
turn in each round.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    def __init__(self, per_group: int = 256, total: int = 20_000) -> None:
        if per_group < 1 or total < 1:
            raise ValueError("limits must be positive")
        self.per_group = per_group
        self.total = total
        self._groups: OrderedDict[str, deque[T]] = OrderedDict()  # order = turn order
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, group: str, item: T) -> bool:
        """Queue an item; False when its group (or the whole queue) is full: the caller refuses it."""
        if self._size >= self.total:
            return False
        fifo = self._groups.get(group)
        if fifo is None:
            fifo = self._groups[group] = deque()
        elif len(fifo) >= self.per_group:
            return False
        fifo.append(item)
        self._size += 1
        return True

    def pop(self) -> tuple[str, T] | None:
        if not self._groups:
            return None
        group, fifo = next(iter(self._groups.items()))
        item = fifo.popleft()
        self._size -= 1
        # The group just served goes to the back of the turn order; an emptied one leaves it.
        del self._groups[group]
        if fifo:
            self._groups[group] = fifo
        return group, item

    def pop_many(self, limit: int) -> list[tuple[str, T]]:
        out: list[tuple[str, T]] = []
        while len(out) < limit and (entry := self.pop()) is not None:
            out.append(entry)
        return out

    def depth(self, group: str) -> int:
        fifo = self._groups.get(group)
        return len(fifo) if fifo else 0
