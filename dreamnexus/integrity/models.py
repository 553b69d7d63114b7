"""Audit tables: the chain, its head, the latest audited state per object, snapshots and checkpoints."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dreamnexus.crypto.fields import EncryptedText
from dreamnexus.db.base import Base

# SQLite only makes INTEGER PRIMARY KEY a rowid alias; PostgreSQL needs 64 bits for a long-lived log.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class AuditEntry(Base):
    """One link of the hash chain. `entry_hash` covers every other column except `mac`."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)  # None: a tombstone
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """A single row (id 1): the lock every writer takes, so that seq stays gap-free under concurrency."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Seq)
    hash: Mapped[str] = mapped_column(String(64))


class AuditObject(Base):
    """Latest audited digest per object: an index of the chain used for cascades and erasure.

    Verification never trusts it; it replays the chain instead.
    """

    __tablename__ = "audit_objects"
    # Clustered on the key in SQLite: one B-tree page touched per write instead of table plus index.
    __table_args__ = {"sqlite_with_rowid": False}

    object_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Seq)
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # read only on account deletion
    parent: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class AuditBlob(Base):
    """Content-addressed snapshots (key = SHA-256 of the canonical JSON body), for repair. A rowid table
    on SQLite, so that new snapshots are appended rather than placed among the others by their random
    digest (migration 0013)."""

    __tablename__ = "audit_blobs"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # read only on erasure
    # Sealed like the dream text it copies (the column is plain TEXT; the type seals on write).
    body: Mapped[str] = mapped_column(EncryptedText("audit.snapshot"))


class AuditCheckpoint(Base):
    """A signed tree head: the Merkle root of the first `tree_size` entries, signed with Ed25519."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree_size: Mapped[int] = mapped_column(Seq)
    root_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
