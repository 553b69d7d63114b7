"""Festival tables: the event, its fragments (with a gap-free sequence), guest passes and reactions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dreamnexus.crypto.fields import EncryptedText
from dreamnexus.db.base import Base, UTCDateTime, new_public_id, utcnow


class Phase(StrEnum):
    gathering = "gathering"
    weaving = "weaving"
    zenith = "zenith"
    afterglow = "afterglow"


class FragmentStatus(StrEnum):
    woven = "woven"
    accepted = "accepted"
    downweighted = "downweighted"
    excluded = "excluded"  # by automatic screening
    held = "held"  # waiting for a weaver (shield mode, low trust)
    hidden = "hidden"  # a weaver's decision
    rejected = "rejected"  # a weaver's decision


class Festival(Base):
    __tablename__ = "festivals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    phase: Mapped[str] = mapped_column(String(12), default=Phase.gathering.value)
    shield: Mapped[bool] = mapped_column(Boolean, default=False)
    guests_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last sequence number handed out; bumped in the same transaction as the fragments it numbers,
    # so numbers are gap-free even when several processes write (the row lock orders them).
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_weave_id: Mapped[int | None] = mapped_column(
        ForeignKey("space_weaves.id", ondelete="SET NULL"), nullable=True
    )


class FestivalFragment(Base):
    __tablename__ = "festival_fragments"
    __table_args__ = (
        UniqueConstraint("festival_id", "seq", name="uq_festival_fragments_seq"),
        UniqueConstraint("festival_id", "author_key", "client_ref", name="uq_festival_fragments_client_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festivals.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    # "u:<public id>" or "g:<guest pass id>": the engine's author, never an e-mail.
    author_key: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    group: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text)
    trust: Mapped[float] = mapped_column(default=0.5)
    client_ref: Mapped[str] = mapped_column(
        String(40)
    )  # the sender's id, so a resent fragment is not doubled
    status: Mapped[str] = mapped_column(String(14), default=FragmentStatus.accepted.value)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GuestPass(Base):
    __tablename__ = "festival_guest_passes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festivals.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FestivalReaction(Base):
    """A feeling, and with research consent an optional short testimony (sealed: it is private text)."""

    __tablename__ = "festival_reactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    festival_id: Mapped[int] = mapped_column(ForeignKey("festivals.id", ondelete="CASCADE"), index=True)
    author_key: Mapped[str] = mapped_column(String(40))
    feeling: Mapped[str] = mapped_column(String(16))
    research_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    testimony: Mapped[str | None] = mapped_column(EncryptedText("festival.testimony"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
