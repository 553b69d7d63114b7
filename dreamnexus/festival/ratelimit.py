"""Token buckets in memory: per participant and per address, checked on every submission."""

from __future__ import annotations

import time


class Buckets:
    def __init__(self, rate: float, burst: float, max_keys: int = 200_000) -> None:
        self.rate = rate  # tokens per second
        self.burst = burst
        self.max_keys = max_keys
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, now: float | None = None) -> float | None:
        """None when allowed; otherwise the seconds to wait."""
        if self.rate <= 0:
            return None
        now = time.monotonic() if now is None else now
        tokens, last = self._state.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._state[key] = (tokens, now)
            return (1.0 - tokens) / self.rate
        if len(self._state) >= self.max_keys and key not in self._state:
            self._state.clear()  # bounded memory: forgetting is the cheap, lenient failure
        self._state[key] = (tokens - 1.0, now)
        return None
