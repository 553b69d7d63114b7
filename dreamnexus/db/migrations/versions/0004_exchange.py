"""exchange

Revision ID: 0004_exchange
Revises: 0003_merge
Create Date: 2026-11-26 06:15:19.687769
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0004_exchange"
down_revision = "0003_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("ran_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.Integer(), nullable=False),
        sa.Column("worst_quality", sa.Float(), nullable=True),
        sa.Column("mean_quality", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rounds")),
        sa.UniqueConstraint("public_id", name=op.f("uq_exchange_rounds_public_id")),
    )
    op.create_table(
        "exchange_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("blocked_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_user_id"],
            ["users.id"],
            name=op.f("fk_exchange_blocks_blocked_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exchange_blocks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_blocks")),
        sa.UniqueConstraint("user_id", "blocked_user_id", name=op.f("uq_exchange_blocks_user_id")),
    )
    with op.batch_alter_table("exchange_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_blocks_blocked_user_id"), ["blocked_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exchange_blocks_user_id"), ["user_id"], unique=False)

    op.create_table(
        "exchange_optins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dream_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dream_id"], ["dreams.id"], name=op.f("fk_exchange_optins_dream_id_dreams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exchange_optins_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_optins")),
    )
    with op.batch_alter_table("exchange_optins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_optins_active"), ["active"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_optins_dream_id"), ["dream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_optins_user_id"), ["user_id"], unique=False)

    op.create_table(
        "exchange_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("a_user_id", sa.Integer(), nullable=False),
        sa.Column("a_dream_id", sa.Integer(), nullable=True),
        sa.Column("b_user_id", sa.Integer(), nullable=False),
        sa.Column("b_dream_id", sa.Integer(), nullable=True),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["a_dream_id"],
            ["dreams.id"],
            name=op.f("fk_exchange_pairs_a_dream_id_dreams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["a_user_id"], ["users.id"], name=op.f("fk_exchange_pairs_a_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_dream_id"],
            ["dreams.id"],
            name=op.f("fk_exchange_pairs_b_dream_id_dreams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["b_user_id"], ["users.id"], name=op.f("fk_exchange_pairs_b_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["exchange_rounds.id"],
            name=op.f("fk_exchange_pairs_round_id_exchange_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_pairs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_exchange_pairs_public_id")),
    )
    with op.batch_alter_table("exchange_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_pairs_a_user_id"), ["a_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_pairs_b_user_id"), ["b_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_pairs_round_id"), ["round_id"], unique=False)

    op.create_table(
        "exchange_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_exchange_replies_author_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["exchange_pairs.id"],
            name=op.f("fk_exchange_replies_pair_id_exchange_pairs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_replies")),
    )
    with op.batch_alter_table("exchange_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_replies_pair_id"), ["pair_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exchange_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_replies_pair_id"))

    op.drop_table("exchange_replies")
    with op.batch_alter_table("exchange_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_pairs_round_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_pairs_b_user_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_pairs_a_user_id"))

    op.drop_table("exchange_pairs")
    with op.batch_alter_table("exchange_optins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_optins_user_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_optins_dream_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_optins_active"))

    op.drop_table("exchange_optins")
    with op.batch_alter_table("exchange_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_blocks_user_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_blocks_blocked_user_id"))

    op.drop_table("exchange_blocks")
    op.drop_table("exchange_rounds")
