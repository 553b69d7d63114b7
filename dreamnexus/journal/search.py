"""Full-text search over dreams by blind tokens: SQLite FTS5 or PostgreSQL tsvector, behind one function.

The index holds keyed hashes of words and prefixes (crypto/blind.py), never the words, so the database
file reveals no dream text even through its search index.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, Select, column, text
from sqlalchemy.orm import Session

from dreamnexus.crypto.blind import index_tokens, query_tokens
from dreamnexus.journal.models import Dream


def fts_terms(query: str) -> list[str]:
    return query_tokens(query)


def refresh_tokens(dream: Dream) -> None:
    dream.search_tokens = index_tokens(dream.title or "", dream.text or "", " ".join(dream.tag_names))


def index_dream(session: Session, dream: Dream) -> None:
    """The dream's tokens made again, and the search index in step with them."""
    refresh_tokens(dream)
    write_index_row(session, dream)


# One statement for a new row and for a changed one (FTS5 replaces a row with the same rowid).
_WRITE_FTS_ROW = text(
    "INSERT OR REPLACE INTO dream_fts(rowid, title, body, tags) VALUES (:id, '', :body, '')"
)


def write_index_row(session: Session, dream: Dream) -> None:
    """Keep the SQLite FTS table in step with `dream.search_tokens` (PostgreSQL indexes the column itself).
    The journal's own writes call refresh_tokens before their first write and this after it: on SQLite
    writers take turns (db/writelock.py) from their first write to their commit."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(_WRITE_FTS_ROW, {"id": dream.id, "body": dream.search_tokens})


def unindex_dream(session: Session, dream_id: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM dream_fts WHERE rowid = :id"), {"id": dream_id})


def match_condition(dialect: str) -> ColumnElement[bool]:
    """Dreams whose index matches the parameter `fts_query` (see fts_query), on either database."""
    if dialect == "sqlite":
        matching = text("SELECT rowid FROM dream_fts WHERE dream_fts MATCH :fts_query").columns(
            column("rowid", Integer)
        )
        return Dream.__table__.c.id.in_(matching)
    return text("to_tsvector('simple', dreams.search_tokens) @@ to_tsquery('simple', :fts_query)")  # type: ignore[return-value]


def fts_query(dialect: str, query: str) -> str | None:
    """The value of `fts_query` for a search, or None when the query has no words to look for."""
    tokens = query_tokens(query)
    if not tokens:
        return None
    if dialect == "sqlite":
        # Tokens are letters only, quoted anyway so that nothing is ever parsed as FTS5 syntax.
        return " ".join(f'"{t}"' for t in tokens)
    return " & ".join(tokens)


def restrict_to_matches(session: Session, statement: Select, query: str) -> Select:
    dialect = session.get_bind().dialect.name
    value = fts_query(dialect, query)
    if value is None:
        return statement
    return statement.where(match_condition(dialect)).params(fts_query=value)
