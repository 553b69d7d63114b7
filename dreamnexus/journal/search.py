"""Full-text search over dreams by blind tokens: SQLite FTS5 or PostgreSQL tsvector, behind one function.

The index holds keyed hashes of words and prefixes (crypto/blind.py), never the words, so the database
file reveals no dream text even through its search index.
"""

from __future__ import annotations

from sqlalchemy import Integer, Select, column, text
from sqlalchemy.orm import Session

from dreamnexus.crypto.blind import index_tokens, query_tokens
from dreamnexus.journal.models import Dream


def fts_terms(query: str) -> list[str]:
    return query_tokens(query)


def refresh_tokens(dream: Dream) -> None:
    dream.search_tokens = index_tokens(dream.title or "", dream.text or "", " ".join(dream.tag_names))


def index_dream(session: Session, dream: Dream) -> None:
    """Keep the SQLite FTS table in step (PostgreSQL indexes the dreams.search_tokens column itself)."""
    refresh_tokens(dream)
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("DELETE FROM dream_fts WHERE rowid = :id"), {"id": dream.id})
    session.execute(
        text("INSERT INTO dream_fts(rowid, title, body, tags) VALUES (:id, '', :body, '')"),
        {"id": dream.id, "body": dream.search_tokens},
    )


def unindex_dream(session: Session, dream_id: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM dream_fts WHERE rowid = :id"), {"id": dream_id})


def restrict_to_matches(session: Session, statement: Select, query: str) -> Select:
    tokens = query_tokens(query)
    if not tokens:
        return statement
    if session.get_bind().dialect.name == "sqlite":
        # Tokens are letters only, quoted anyway so that nothing is ever parsed as FTS5 syntax.
        matching = (
            text("SELECT rowid FROM dream_fts WHERE dream_fts MATCH :q")
            .bindparams(q=" ".join(f'"{t}"' for t in tokens))
            .columns(column("rowid", Integer))
        )
        return statement.where(Dream.id.in_(matching))
    condition = text("to_tsvector('simple', dreams.search_tokens) @@ to_tsquery('simple', :tsq)").bindparams(
        tsq=" & ".join(tokens)
    )
    return statement.where(condition)
