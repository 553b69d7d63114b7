"""accounts recovery

Revision ID: 0005_recovery
Revises: 0004_exchange
Create Date: 2026-11-26 06:22:45.228201
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0005_recovery"
down_revision = "0004_exchange"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("last_seen_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True)
        )
    # Sessions that exist already get a public id of their own before the column becomes required.
    connection = op.get_bind()
    for (session_id,) in connection.execute(sa.text("SELECT id FROM web_sessions")).all():
        connection.execute(
            sa.text("UPDATE web_sessions SET public_id = :public_id WHERE id = :id"),
            {"public_id": secrets.token_urlsafe(12), "id": session_id},
        )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_web_sessions_public_id"), ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_web_sessions_public_id"), type_="unique")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("public_id")

    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))

    op.drop_table("password_resets")
    op.drop_table("outbox")
