"""moderation

Revision ID: 0010_moderation
Revises: 0008_encryption
Create Date: 2026-11-26 07:03:49.218203
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0010_moderation"
down_revision = "0008_encryption"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("link", sa.String(length=200), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_user_id"), ["user_id"], unique=False)

    op.create_table(
        "moderation_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("flag_weight", sa.Double(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_moderation_cases_author_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_moderation_cases_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_moderation_cases_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_cases")),
        sa.UniqueConstraint("public_id", name=op.f("uq_moderation_cases_public_id")),
        sa.UniqueConstraint("target_type", "target_id", name=op.f("uq_moderation_cases_target_type")),
    )
    with op.batch_alter_table("moderation_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_cases_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_cases_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_cases_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_cases_target_id"), ["target_id"], unique=False)

    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flagger_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("weight", sa.Double(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_flags_case_id_moderation_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flagger_id"], ["users.id"], name=op.f("fk_flags_flagger_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flags")),
        sa.UniqueConstraint("case_id", "flagger_id", name=op.f("uq_flags_case_id")),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_flagger_id"), ["flagger_id"], unique=False)

    op.create_table(
        "sanctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_cases.id"],
            name=op.f("fk_sanctions_case_id_moderation_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_sanctions_decided_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sanctions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_sanctions_public_id")),
    )
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanctions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("sanction_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("answer", sa.String(length=1000), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_appeals_decided_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["sanction_id"],
            ["sanctions.id"],
            name=op.f("fk_appeals_sanction_id_sanctions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("public_id", name=op.f("uq_appeals_public_id")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_sanction_id"), ["sanction_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_sanction_id"))

    op.drop_table("appeals")
    with op.batch_alter_table("sanctions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanctions_user_id"))

    op.drop_table("sanctions")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_flagger_id"))
        batch_op.drop_index(batch_op.f("ix_flags_case_id"))

    op.drop_table("flags")
    with op.batch_alter_table("moderation_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_cases_target_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_cases_state"))
        batch_op.drop_index(batch_op.f("ix_moderation_cases_space_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_cases_author_id"))

    op.drop_table("moderation_cases")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_user_id"))

    op.drop_table("notices")
