"""Fewer pages written per new dream: audit snapshots appended to a rowid table, two redundant indexes gone.

`audit_blobs` was a WITHOUT ROWID table keyed by a random SHA-256 digest, and a snapshot (a dream's
sealed text) is 1-2 KB: each one was stored at a random place among rows of two or three to a page,
splitting and rebalancing pages as it went, 5.5 pages written per new dream (docs/performance.md). As a
rowid table its rows are appended, and only the small unique index on the digest takes a random page.
`ix_dreams_owner_id` and `ix_dream_tags_dream_id` repeat the first column of `ix_dreams_owner_journal`
and of the (dream_id, tag_key) unique constraint, which serve the same look-ups.

Revision ID: 0013_lean_writes
Revises: 0009_festival
"""

from __future__ import annotations

from alembic import op

revision = "0013_lean_writes"
down_revision = "0009_festival"
branch_labels = None
depends_on = None


def _rebuild_audit_blobs(with_rowid: bool) -> None:
    """SQLite cannot change a table's storage in place: Alembic's batch mode makes the table anew from
    its reflected definition, copies the rows and swaps it in."""
    with op.batch_alter_table(
        "audit_blobs", recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
    ):
        pass


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_audit_blobs(with_rowid=True)
    op.drop_index("ix_dreams_owner_id", table_name="dreams")
    op.drop_index("ix_dream_tags_dream_id", table_name="dream_tags")


def downgrade() -> None:
    op.create_index("ix_dream_tags_dream_id", "dream_tags", ["dream_id"])
    op.create_index("ix_dreams_owner_id", "dreams", ["owner_id"])
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_audit_blobs(with_rowid=False)
