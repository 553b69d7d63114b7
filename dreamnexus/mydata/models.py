"""The access log: counts of how others saw or used a person's dreams, by day and context."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dreamnexus.db.base import Base


class DreamAccess(Base):
    """Counts, not identities: a dreamer learns that their dream was read in a space, never by whom."""

    __tablename__ = "dream_access"
    __table_args__ = (UniqueConstraint("dream_id", "kind", "context", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dream_id: Mapped[int] = mapped_column(ForeignKey("dreams.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # viewed | woven | exchanged | festival | research
    context: Mapped[str] = mapped_column(String(160))  # "public", "space: Night Sea", "exchange", ...
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PublicCounter(Base):
    """Daily counts shown on the public transparency page (moderation, data requests, blocked abuse)."""

    __tablename__ = "public_counters"
    __table_args__ = (UniqueConstraint("name", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)
