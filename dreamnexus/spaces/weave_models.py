"""Tables of woven narratives: drafts and published versions, their sources, and weaver exclusions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dreamnexus.crypto.fields import EncryptedJSON
from dreamnexus.db.base import Base, UTCDateTime, new_public_id, utcnow


class WeaveStatus(StrEnum):
    draft = "draft"
    published = "published"
    superseded = "superseded"
    discarded = "discarded"


class SpaceWeave(Base):
    __tablename__ = "space_weaves"
    __table_args__ = (UniqueConstraint("space_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # set when published
    status: Mapped[str] = mapped_column(String(12), default=WeaveStatus.draft.value, index=True)
    # The engine's Weave.to_dict(), with the weaver's edits applied; sealed, as it quotes people's dreams.
    content: Mapped[dict] = mapped_column(EncryptedJSON("weave.content"))
    parameters: Mapped[dict] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    engine_version: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(300), default="")  # why this version exists
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("space_weaves.id", ondelete="SET NULL"), nullable=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    manifest: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # set when published (manifest.py)
    signature: Mapped[str | None] = mapped_column(String(200), nullable=True)


class WeaveSource(Base):
    """Which contributions (and so which dreams) a weave uses, to find the weaves a revocation touches."""

    __tablename__ = "weave_sources"
    __table_args__ = (UniqueConstraint("weave_id", "contribution_public_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weave_id: Mapped[int] = mapped_column(ForeignKey("space_weaves.id", ondelete="CASCADE"), index=True)
    contribution_public_id: Mapped[str] = mapped_column(String(32), index=True)
    dream_id: Mapped[int | None] = mapped_column(
        ForeignKey("dreams.id", ondelete="SET NULL"), nullable=True, index=True
    )


class ContributionExclusion(Base):
    """A weaver's decision to keep a contribution out of the weave, with a reason its contributor can read."""

    __tablename__ = "contribution_exclusions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    excluded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
