"""Screening before a fragment is stored: the engine's content rules, exact duplicates and bursts."""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass

from dreamnexus.weaving.content import check_text

_SPACE = re.compile(r"\W+")
BURST_WINDOW_S = 10.0
BURST_MAX = 4  # fragments one participant may send inside the window before the rest are held


@dataclass(frozen=True)
class Verdict:
    status: str  # "accepted" | "excluded" | "held"
    reason: str = ""


class Screen:
    """Per-festival memory of what was said and when; cheap enough to run on every submission."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}  # text fingerprint -> first seq
        self._recent: dict[str, deque[float]] = {}

    @staticmethod
    def fingerprint(text: str) -> str:
        return hashlib.blake2b(_SPACE.sub(" ", text.lower()).strip().encode(), digest_size=12).hexdigest()

    def remember(self, text: str, seq: int) -> None:
        """Note a text as said; seq 0 marks one whose number is not yet known (its batch is committing)."""
        key = self.fingerprint(text)
        if not self._seen.get(key):
            self._seen[key] = seq

    def judge(self, author: str, text: str, now: float, *, hold_low_trust: bool, trust: float) -> Verdict:
        finding = check_text(text)
        if finding is not None:
            return Verdict("excluded", f"{finding.reason}: {finding.detail}"[:200])
        first = self._seen.get(self.fingerprint(text))
        if first is not None:
            return Verdict(
                "excluded", f"duplicate of #{first}" if first else "duplicate of a fragment just sent"
            )
        times = self._recent.setdefault(author, deque())
        while times and now - times[0] > BURST_WINDOW_S:
            times.popleft()
        times.append(now)
        if len(times) > BURST_MAX:
            return Verdict("held", f"burst: {len(times)} fragments in {BURST_WINDOW_S:.0f} s")
        if hold_low_trust and trust < 0.3:
            return Verdict("held", "shield: low-trust fragments wait for a weaver")
        return Verdict("accepted")
