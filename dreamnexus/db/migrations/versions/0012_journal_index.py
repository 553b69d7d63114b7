"""Index the journal's order, so that a page of a journal is read from the index instead of sorted.

Revision ID: 0012_journal_index
Revises: 0011_signed_weaves
"""

from __future__ import annotations

from alembic import op

revision = "0012_journal_index"
down_revision = "0011_signed_weaves"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dreams_owner_journal", "dreams", ["owner_id", "dreamt_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_dreams_owner_journal", table_name="dreams")
