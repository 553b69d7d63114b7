"""Trust levels, in the manner of Discourse: new accounts are limited and earn room with good history.

Level 0 (new): under a day old, or nothing written yet. Level 1 (basic): a day old with a dream written.
Level 2 (member): a week old with three contributions. Level 3 (regular): a month old, no sanction in
the last 90 days. Any active sanction drops a person to level 0; stewards are level 4.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import Role, User
from dreamnexus.db.base import UTCDateTime, utcnow
from dreamnexus.journal.models import Dream
from dreamnexus.moderation.models import Sanction
from dreamnexus.spaces.models import Contribution

# Writes a minute (any write, private ones included), and shared contributions a day, by level: what a
# newcomer shares with others is what floods and sybils abuse, so that is where the room is smallest.
WRITES_PER_MINUTE = {0: 60, 1: 90, 2: 120, 3: 240, 4: 600}
CONTRIBUTIONS_PER_DAY = {0: 3, 1: 20, 2: 100, 3: 500, 4: 1000}
TRUST_SCORE = {0: 0.2, 1: 0.45, 2: 0.7, 3: 0.9, 4: 1.0}


@dataclass(frozen=True)
class Standing:
    level: int
    limited: bool
    suspended_until: object | None

    @property
    def score(self) -> float:
        """In [0, 1], what the weaving engine takes as `trust`."""
        return TRUST_SCORE[self.level]


def active_sanctions(session: Session, user_id: int) -> list[Sanction]:
    now = utcnow()
    return list(
        session.scalars(
            select(Sanction).where(
                Sanction.user_id == user_id,
                Sanction.lifted_at.is_(None),
                Sanction.kind.in_(("limit", "suspend")),
                (Sanction.ends_at.is_(None)) | (Sanction.ends_at > now),
            )
        )
    )


def standing(session: Session, user: User) -> Standing:
    sanctions = active_sanctions(session, user.id)
    suspended = [s for s in sanctions if s.kind == "suspend"]
    if suspended:
        ends = [s.ends_at for s in suspended]
        return Standing(0, True, None if None in ends else max(e for e in ends if e is not None))
    if sanctions:
        return Standing(0, True, None)
    if user.role == Role.steward.value:
        return Standing(4, False, None)
    age = utcnow() - user.created_at
    dreams = session.scalar(select(func.count()).select_from(Dream).where(Dream.owner_id == user.id)) or 0
    contributions = (
        session.scalar(
            select(func.count()).select_from(Contribution).where(Contribution.contributor_id == user.id)
        )
        or 0
    )
    recent = session.scalar(
        select(func.count())
        .select_from(Sanction)
        .where(Sanction.user_id == user.id, Sanction.created_at > utcnow() - timedelta(days=90))
    )
    if age >= timedelta(days=30) and contributions >= 3 and not recent:
        return Standing(3, False, None)
    if age >= timedelta(days=7) and contributions >= 3:
        return Standing(2, False, None)
    if age >= timedelta(days=1) and dreams >= 1:
        return Standing(1, False, None)
    return Standing(0, False, None)


# Asked on every change anyone makes; built once, as building the statement cost more than running it.
_SUSPENSIONS = select(Sanction.ends_at).where(
    Sanction.user_id == bindparam("user_id"),
    Sanction.kind == "suspend",
    Sanction.lifted_at.is_(None),
    (Sanction.ends_at.is_(None)) | (Sanction.ends_at > bindparam("now", type_=UTCDateTime)),
)


def suspension_end(session: Session, user_id: int) -> tuple[bool, object | None]:
    """(suspended now, until when or None for open-ended)."""
    ends = list(session.scalars(_SUSPENSIONS, {"user_id": user_id, "now": utcnow()}))
    if not ends:
        return False, None
    return True, None if None in ends else max(ends)


class StandingCache:
    """Trust levels are looked up on every write; they change slowly, so each is kept for a short while."""

    def __init__(self, ttl_s: float = 30.0) -> None:
        self._ttl = ttl_s
        self._clock = time.monotonic
        self._lock = threading.Lock()
        self._entries: dict[int, tuple[float, Standing]] = {}

    def cached(self, user_id: int) -> Standing | None:
        """The user's standing if it is known and fresh, else None: lets a caller skip opening a session."""
        with self._lock:
            cached = self._entries.get(user_id)
        if cached is not None and self._clock() - cached[0] < self._ttl:
            return cached[1]
        return None

    def get(self, session: Session, user: User) -> Standing:
        if (known := self.cached(user.id)) is not None:
            return known
        now = self._clock()
        value = standing(session, user)
        with self._lock:
            if len(self._entries) > 50_000:
                self._entries.clear()
            self._entries[user.id] = (now, value)
        return value
