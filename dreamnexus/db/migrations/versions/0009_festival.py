"""festival

Revision ID: 0009_festival
Revises: 0012_journal_index
Create Date: 2026-11-26 07:02:12.589464
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0009_festival"
down_revision = "0012_journal_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "festivals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("phase", sa.String(length=12), nullable=False),
        sa.Column("shield", sa.Boolean(), nullable=False),
        sa.Column("guests_allowed", sa.Boolean(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_weave_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_festivals_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["published_weave_id"],
            ["space_weaves.id"],
            name=op.f("fk_festivals_published_weave_id_space_weaves"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_festivals_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_festivals")),
        sa.UniqueConstraint("public_id", name=op.f("uq_festivals_public_id")),
    )
    with op.batch_alter_table("festivals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_festivals_space_id"), ["space_id"], unique=False)

    op.create_table(
        "festival_fragments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("festival_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("author_key", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("group", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("trust", sa.Double(), nullable=False),
        sa.Column("client_ref", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=14), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["festival_id"],
            ["festivals.id"],
            name=op.f("fk_festival_fragments_festival_id_festivals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_festival_fragments_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_festival_fragments")),
        sa.UniqueConstraint(
            "festival_id", "author_key", "client_ref", name=op.f("uq_festival_fragments_client_ref")
        ),
        sa.UniqueConstraint("festival_id", "seq", name=op.f("uq_festival_fragments_seq")),
    )
    with op.batch_alter_table("festival_fragments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_festival_fragments_author_key"), ["author_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_festival_fragments_festival_id"), ["festival_id"], unique=False)

    op.create_table(
        "festival_guest_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("festival_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["festival_id"],
            ["festivals.id"],
            name=op.f("fk_festival_guest_passes_festival_id_festivals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_festival_guest_passes")),
        sa.UniqueConstraint("public_id", name=op.f("uq_festival_guest_passes_public_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_festival_guest_passes_token_hash")),
    )
    with op.batch_alter_table("festival_guest_passes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_festival_guest_passes_festival_id"), ["festival_id"], unique=False
        )

    op.create_table(
        "festival_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("festival_id", sa.Integer(), nullable=False),
        sa.Column("author_key", sa.String(length=40), nullable=False),
        sa.Column("feeling", sa.String(length=16), nullable=False),
        sa.Column("research_consent", sa.Boolean(), nullable=False),
        sa.Column("testimony", sa.Text(), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["festival_id"],
            ["festivals.id"],
            name=op.f("fk_festival_reactions_festival_id_festivals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_festival_reactions")),
    )
    with op.batch_alter_table("festival_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_festival_reactions_festival_id"), ["festival_id"], unique=False)


def downgrade() -> None:
    op.drop_table("festival_reactions")
    op.drop_table("festival_guest_passes")
    op.drop_table("festival_fragments")
    op.drop_table("festivals")
