"""encryption

Revision ID: 0008_encryption
Revises: 0007_two_factor
Create Date: 2026-11-26 06:35:38.107983
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_encryption"
down_revision = "0007_two_factor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dream_tags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tag_key", sa.String(length=40), nullable=True))
        batch_op.alter_column(
            "tag", existing_type=sa.VARCHAR(length=40), type_=sa.Text(), existing_nullable=False
        )
        batch_op.drop_index(batch_op.f("ix_dream_tags_tag"))
        batch_op.drop_constraint(batch_op.f("uq_dream_tags_dream_id"), type_="unique")
    # Tags written before encryption get a placeholder key; `dreamnexus keys seal` (run by `db upgrade`)
    # seals them and sets their real blind key.
    op.execute("UPDATE dream_tags SET tag_key = 'legacy-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("dream_tags", schema=None) as batch_op:
        batch_op.alter_column("tag_key", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_dream_tags_dream_id"), ["dream_id", "tag_key"])
        batch_op.create_index(batch_op.f("ix_dream_tags_tag_key"), ["tag_key"], unique=False)

    with op.batch_alter_table("dreams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_tokens", sa.Text(), nullable=False, server_default=""))
        batch_op.alter_column(
            "title", existing_type=sa.VARCHAR(length=200), type_=sa.Text(), existing_nullable=False
        )
        batch_op.alter_column(
            "analysis",
            existing_type=sa.JSON(),
            type_=sa.Text(),
            existing_nullable=True,
            postgresql_using="analysis::text",
        )

    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.alter_column(
            "content",
            existing_type=sa.JSON(),
            type_=sa.Text(),
            existing_nullable=False,
            postgresql_using="content::text",
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_dreams_fulltext")
        op.execute(
            "CREATE INDEX ix_dreams_search_tokens ON dreams USING gin (to_tsvector('simple', search_tokens))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_dreams_search_tokens")
        op.execute(
            "CREATE INDEX ix_dreams_fulltext ON dreams USING gin "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text))"
        )
    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.alter_column(
            "content",
            existing_type=sa.Text(),
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using="content::json",
        )

    with op.batch_alter_table("dreams", schema=None) as batch_op:
        batch_op.alter_column(
            "analysis",
            existing_type=sa.Text(),
            type_=sa.JSON(),
            existing_nullable=True,
            postgresql_using="analysis::json",
        )
        batch_op.alter_column(
            "title", existing_type=sa.Text(), type_=sa.VARCHAR(length=200), existing_nullable=False
        )
        batch_op.drop_column("search_tokens")

    with op.batch_alter_table("dream_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dream_tags_tag_key"))
        batch_op.drop_constraint(batch_op.f("uq_dream_tags_dream_id"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_dream_tags_dream_id"), ["dream_id", "tag"])
        batch_op.create_index(batch_op.f("ix_dream_tags_tag"), ["tag"], unique=False)
        batch_op.alter_column(
            "tag", existing_type=sa.Text(), type_=sa.VARCHAR(length=40), existing_nullable=False
        )
        batch_op.drop_column("tag_key")
