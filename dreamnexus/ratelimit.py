"""Sliding-window rate limits kept in process memory.

A multi-process deployment points every process at the same limits through Redis (see RedisLimiter);
the in-memory limiter is the single-process default.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Protocol


class Limiter(Protocol):
    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one event for `key`; return seconds to wait if the limit is exceeded, else None."""

    def peek(self, key: str, limit: int, window_s: float) -> float | None:
        """Like hit, without counting."""

    def reset(self, key: str) -> None: ...


class MemoryLimiter:
    def __init__(self, clock: callable = time.monotonic) -> None:  # type: ignore[valid-type]
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _window(self, key: str, window_s: float) -> deque[float]:
        now = self._clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - window_s:
            events.popleft()
        return events

    def peek(self, key: str, limit: int, window_s: float) -> float | None:
        with self._lock:
            events = self._window(key, window_s)
            if len(events) >= limit:
                return events[0] + window_s - self._clock()
            return None

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        with self._lock:
            events = self._window(key, window_s)
            if len(events) >= limit:
                return events[0] + window_s - self._clock()
            events.append(self._clock())
            return None

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


class RedisLimiter:
    """The same sliding window in a Redis sorted set, shared by every process."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def peek(self, key: str, limit: int, window_s: float) -> float | None:
        now = time.time()
        self._redis.zremrangebyscore(key, 0, now - window_s)
        if self._redis.zcard(key) >= limit:
            oldest = self._redis.zrange(key, 0, 0, withscores=True)
            return float(oldest[0][1]) + window_s - now if oldest else window_s
        return None

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        wait = self.peek(key, limit, window_s)
        if wait is not None:
            return wait
        now = time.time()
        pipe = self._redis.pipeline()
        pipe.zadd(key, {f"{now}:{time.perf_counter_ns()}": now})
        pipe.expire(key, int(window_s) + 1)
        pipe.execute()
        return None

    def reset(self, key: str) -> None:
        self._redis.delete(key)
