"""my data

Revision ID: 0006_mydata
Revises: 0005_recovery
Create Date: 2026-11-26 06:24:53.586584
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_mydata"
down_revision = "0005_recovery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_counters")),
        sa.UniqueConstraint("name", "day", name=op.f("uq_public_counters_name")),
    )
    op.create_table(
        "dream_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dream_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("context", sa.String(length=160), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dream_id"], ["dreams.id"], name=op.f("fk_dream_access_dream_id_dreams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_dream_access_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dream_access")),
        sa.UniqueConstraint("dream_id", "kind", "context", "day", name=op.f("uq_dream_access_dream_id")),
    )
    with op.batch_alter_table("dream_access", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dream_access_dream_id"), ["dream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dream_access_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dream_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dream_access_owner_id"))
        batch_op.drop_index(batch_op.f("ix_dream_access_dream_id"))

    op.drop_table("dream_access")
    op.drop_table("public_counters")
