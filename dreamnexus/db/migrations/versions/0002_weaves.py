"""weaves

Revision ID: 0002_weaves
Revises: 0001
Create Date: 2026-11-26 06:12:42.620530
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0002_weaves"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "space_weaves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_space_weaves_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["space_weaves.id"],
            name=op.f("fk_space_weaves_parent_id_space_weaves"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_weaves_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_weaves")),
        sa.UniqueConstraint("public_id", name=op.f("uq_space_weaves_public_id")),
        sa.UniqueConstraint("space_id", "version", name=op.f("uq_space_weaves_space_id")),
    )
    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_weaves_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_weaves_status"), ["status"], unique=False)

    op.create_table(
        "contribution_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("excluded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contribution_id"],
            ["contributions.id"],
            name=op.f("fk_contribution_exclusions_contribution_id_contributions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["excluded_by"],
            ["users.id"],
            name=op.f("fk_contribution_exclusions_excluded_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_contribution_exclusions_space_id_spaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_exclusions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_contribution_exclusions_public_id")),
    )
    with op.batch_alter_table("contribution_exclusions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_exclusions_contribution_id"), ["contribution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contribution_exclusions_space_id"), ["space_id"], unique=False)

    op.create_table(
        "weave_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weave_id", sa.Integer(), nullable=False),
        sa.Column("contribution_public_id", sa.String(length=32), nullable=False),
        sa.Column("dream_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dream_id"], ["dreams.id"], name=op.f("fk_weave_sources_dream_id_dreams"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["weave_id"],
            ["space_weaves.id"],
            name=op.f("fk_weave_sources_weave_id_space_weaves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weave_sources")),
        sa.UniqueConstraint("weave_id", "contribution_public_id", name=op.f("uq_weave_sources_weave_id")),
    )
    with op.batch_alter_table("weave_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_weave_sources_contribution_public_id"), ["contribution_public_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_weave_sources_dream_id"), ["dream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_weave_sources_weave_id"), ["weave_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("weave_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_weave_sources_weave_id"))
        batch_op.drop_index(batch_op.f("ix_weave_sources_dream_id"))
        batch_op.drop_index(batch_op.f("ix_weave_sources_contribution_public_id"))

    op.drop_table("weave_sources")
    with op.batch_alter_table("contribution_exclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_exclusions_space_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_exclusions_contribution_id"))

    op.drop_table("contribution_exclusions")
    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_weaves_status"))
        batch_op.drop_index(batch_op.f("ix_space_weaves_space_id"))

    op.drop_table("space_weaves")
