"""Journal tables."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dreamnexus.crypto.blind import tag_token
from dreamnexus.crypto.fields import EncryptedJSON, EncryptedText
from dreamnexus.db.base import Base, UTCDateTime, new_public_id, utcnow


class Visibility(StrEnum):
    private = "private"
    spaces = "spaces"
    public = "public"


class Consent(StrEnum):
    weaving = "weaving"
    festival = "festival"
    research = "research"
    exchange = "exchange"


class AnalysisStatus(StrEnum):
    pending = "pending"
    done = "done"
    failed = "failed"
    off = "off"


class Dream(Base):
    __tablename__ = "dreams"
    # The journal's order: a page is read straight from the index, not sorted from all the owner's dreams.
    __table_args__ = (Index("ix_dreams_owner_journal", "owner_id", "dreamt_on", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    # Indexed by ix_dreams_owner_journal, which starts with it.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(EncryptedText("dream.title"), default="")
    text: Mapped[str] = mapped_column(EncryptedText("dream.text"))
    search_tokens: Mapped[str] = mapped_column(Text, default="")  # blind tokens (crypto/blind.py)
    dreamt_on: Mapped[date] = mapped_column(Date, index=True)
    lucid: Mapped[bool] = mapped_column(Boolean, default=False)
    mood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    language_is_set: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default=Visibility.private.value, index=True)
    pseudonym: Mapped[str] = mapped_column(String(60))
    consent_weaving: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_festival: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_research: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_exchange: Mapped[bool] = mapped_column(Boolean, default=False)
    analysis_status: Mapped[str] = mapped_column(String(10), default=AnalysisStatus.pending.value)
    analysis_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Deferred: a list of dreams need not open (and decrypt) each analysis with its embedding.
    analysis: Mapped[dict | None] = mapped_column(
        EncryptedJSON("dream.analysis"), nullable=True, deferred=True
    )
    analysis_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    text_revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tags: Mapped[list[DreamTag]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def tag_names(self) -> list[str]:
        return sorted(t.tag for t in self.tags)

    def consents(self) -> dict[str, bool]:
        return {c.value: bool(getattr(self, f"consent_{c.value}")) for c in Consent}


class DreamTag(Base):
    __tablename__ = "dream_tags"
    __table_args__ = (UniqueConstraint("dream_id", "tag_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed by the (dream_id, tag_key) unique constraint, which starts with it.
    dream_id: Mapped[int] = mapped_column(ForeignKey("dreams.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(EncryptedText("dream.tag"))
    tag_key: Mapped[str] = mapped_column(String(40), index=True)  # blind key, for filtering

    @classmethod
    def of(cls, tag: str) -> DreamTag:
        return cls(tag=tag, tag_key=tag_token(tag))


class ConsentEvent(Base):
    """The consent ledger: every change of a dream's consents or visibility, who made it and when."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dream_public_id: Mapped[str] = mapped_column(String(32), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # a Consent value, or "visibility"
    value: Mapped[str] = mapped_column(String(20))  # "granted" / "revoked" / a visibility
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
