"""Full-text search over one owner's dreams: SQLite FTS5 or PostgreSQL tsvector, behind one function."""

from __future__ import annotations

import re

from sqlalchemy import Integer, Select, column, text
from sqlalchemy.orm import Session

from dreamnexus.journal.models import Dream

_TERM = re.compile(r"\w+", re.UNICODE)


def fts_terms(query: str) -> list[str]:
    return _TERM.findall(query.lower())[:12]


def _fts5_query(terms: list[str]) -> str:
    # Each term quoted so that user input is never parsed as FTS5 syntax; prefix match on the last.
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def index_dream(session: Session, dream: Dream) -> None:
    """Keep the SQLite FTS table in step with the dream (PostgreSQL indexes an expression instead)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("DELETE FROM dream_fts WHERE rowid = :id"), {"id": dream.id})
    session.execute(
        text("INSERT INTO dream_fts(rowid, title, body, tags) VALUES (:id, :title, :body, :tags)"),
        {"id": dream.id, "title": dream.title, "body": dream.text, "tags": " ".join(dream.tag_names)},
    )


def unindex_dream(session: Session, dream_id: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM dream_fts WHERE rowid = :id"), {"id": dream_id})


def restrict_to_matches(session: Session, statement: Select, query: str) -> Select:
    terms = fts_terms(query)
    if not terms:
        return statement
    if session.get_bind().dialect.name == "sqlite":
        matching = (
            text("SELECT rowid FROM dream_fts WHERE dream_fts MATCH :q")
            .bindparams(q=_fts5_query(terms))
            .columns(column("rowid", Integer))
        )
        return statement.where(Dream.id.in_(matching))
    tsquery = " & ".join(f"{t}:*" for t in terms)
    condition = text(
        "to_tsvector('simple', coalesce(dreams.title, '') || ' ' || dreams.text) "
        "@@ to_tsquery('simple', :tsq)"
    ).bindparams(tsq=tsquery)
    return statement.where(condition)
