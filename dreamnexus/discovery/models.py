"""Dream exchange tables: opt-ins, rounds, pairs, replies and blocks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dreamnexus.crypto.fields import EncryptedText
from dreamnexus.db.base import Base, UTCDateTime, new_public_id, utcnow


class ExchangeOptIn(Base):
    """A dreamer offers one dream to the next round; consumed when they are paired."""

    __tablename__ = "exchange_optins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dream_id: Mapped[int] = mapped_column(ForeignKey("dreams.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExchangeRound(Base):
    __tablename__ = "exchange_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    participants: Mapped[int] = mapped_column(Integer)
    links: Mapped[int] = mapped_column(Integer)
    unmatched: Mapped[int] = mapped_column(Integer)
    worst_quality: Mapped[float | None] = mapped_column(Float, nullable=True)
    mean_quality: Mapped[float | None] = mapped_column(Float, nullable=True)


class ExchangePair(Base):
    """Two dreamers who receive each other's dream (an extra joins a pair through its hub)."""

    __tablename__ = "exchange_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("exchange_rounds.id", ondelete="CASCADE"), index=True)
    a_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    a_dream_id: Mapped[int | None] = mapped_column(
        ForeignKey("dreams.id", ondelete="SET NULL"), nullable=True
    )
    b_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    b_dream_id: Mapped[int | None] = mapped_column(
        ForeignKey("dreams.id", ondelete="SET NULL"), nullable=True
    )
    quality: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(8), default="pair")  # pair | extra


class ExchangeReply(Base):
    __tablename__ = "exchange_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("exchange_pairs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(EncryptedText("exchange.reply"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExchangeBlock(Base):
    __tablename__ = "exchange_blocks"
    __table_args__ = (UniqueConstraint("user_id", "blocked_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
