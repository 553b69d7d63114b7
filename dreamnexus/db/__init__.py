"""Database engine, sessions, shared column types and migrations."""

from dreamnexus.db.base import Base, new_public_id, utcnow
from dreamnexus.db.engine import Database

__all__ = ["Base", "Database", "new_public_id", "utcnow"]
