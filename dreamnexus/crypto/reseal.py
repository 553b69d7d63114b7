"""Sealing values written before encryption was on, and rotating the master key.

Both work on the raw stored text (below the column types), table by table, in batches, each batch in
its own transaction: an interrupted run leaves every row either old-and-readable or new, and running
it again finishes the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dreamnexus.crypto.keyring import PREFIX, Keyring
from dreamnexus.db.engine import Database


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    purpose: str
    key: str = "id"  # the column that orders and addresses rows (audit copies are keyed by digest)


SEALED_COLUMNS = (
    SealedColumn("dreams", "title", "dream.title"),
    SealedColumn("dreams", "text", "dream.text"),
    SealedColumn("dreams", "analysis", "dream.analysis"),
    SealedColumn("dream_tags", "tag", "dream.tag"),
    SealedColumn("contributions", "excerpt", "contribution.excerpt"),
    SealedColumn("space_weaves", "content", "weave.content"),
    SealedColumn("exchange_replies", "text", "exchange.reply"),
    SealedColumn("audit_blobs", "body", "audit.snapshot", key="digest"),
)
BATCH = 500


def _rows(session: Session, column: SealedColumn, after: object | None) -> list[tuple[object, str | None]]:
    c, t, k = column.column, column.table, column.key
    where = f"WHERE {k} > :after " if after is not None else ""
    statement = text(f"SELECT {k}, {c} FROM {t} {where}ORDER BY {k} LIMIT :limit")  # noqa: S608
    return [(r[0], r[1]) for r in session.execute(statement, {"after": after, "limit": BATCH})]


def _update(session: Session, column: SealedColumn, row_key: object, value: str) -> None:
    session.execute(
        text(f"UPDATE {column.table} SET {column.column} = :value WHERE {column.key} = :key"),  # noqa: S608
        {"value": value, "key": row_key},
    )


def _each_column(database: Database, keyring: Keyring, change: callable) -> int:  # type: ignore[valid-type]
    changed = 0
    for column in SEALED_COLUMNS:
        after: object | None = None
        while True:
            with database.session() as session:
                rows = _rows(session, column, after)
                for row_id, value in rows:
                    new = change(column, value)
                    if new is not None and new != value:
                        _update(session, column, row_id, new)
                        changed += 1
            if len(rows) < BATCH:
                break
            after = rows[-1][0]
    return changed


def seal_existing(database: Database, keyring: Keyring) -> int:
    """Seal every value still stored in clear, then give legacy tags and dreams their blind tokens."""

    def seal(column: SealedColumn, value: str | None) -> str | None:
        if value is None or value.startswith(PREFIX):
            return None
        return keyring.seal(value.encode("utf-8"), column.purpose)

    changed = _each_column(database, keyring, seal)
    _refresh_blind_index(database)
    return changed


def _refresh_blind_index(database: Database) -> None:
    from dreamnexus.crypto.blind import tag_token
    from dreamnexus.journal import search
    from dreamnexus.journal.models import Dream, DreamTag

    with database.session() as session:
        legacy_tags = session.scalars(select(DreamTag).where(DreamTag.tag_key.like("legacy-%"))).all()
        for tag in legacy_tags:
            tag.tag_key = tag_token(tag.tag)
        dream_ids = {t.dream_id for t in legacy_tags}
        dream_ids |= set(session.scalars(select(Dream.id).where(Dream.search_tokens == "")))
        for dream in session.scalars(select(Dream).where(Dream.id.in_(dream_ids))):
            search.index_dream(session, dream)


def rotate_master_key(database: Database, keyring: Keyring) -> int:
    """A new master key; every data key re-sealed under it; the old key retired once nothing needs it."""
    if keyring.path is None:
        raise ValueError(
            "The master key comes from DREAMNEXUS_MASTER_KEY; rotation works on the keyring file only."
        )
    keyring.add_master()
    keyring.save()  # both keys are kept until every row is re-sealed, so a crash loses nothing

    def rewrap(column: SealedColumn, value: str | None) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return None
        return keyring.rewrap(value, column.purpose)

    changed = _each_column(database, keyring, rewrap)
    keyring.retire_others()
    keyring.save()
    return changed
