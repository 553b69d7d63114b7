"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 06:06:44.851190
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import dreamnexus.db.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("public_id", name=op.f("uq_users_public_id")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("public_id", name=op.f("uq_api_tokens_public_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dream_public_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.Column("at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_consent_events_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_events_dream_public_id"), ["dream_public_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_consent_events_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "dreams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("dreamt_on", sa.Date(), nullable=False),
        sa.Column("lucid", sa.Boolean(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("language_is_set", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("pseudonym", sa.String(length=60), nullable=False),
        sa.Column("consent_weaving", sa.Boolean(), nullable=False),
        sa.Column("consent_festival", sa.Boolean(), nullable=False),
        sa.Column("consent_research", sa.Boolean(), nullable=False),
        sa.Column("consent_exchange", sa.Boolean(), nullable=False),
        sa.Column("analysis_status", sa.String(length=10), nullable=False),
        sa.Column("analysis_version", sa.String(length=40), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.Column("analysis_error", sa.String(length=300), nullable=True),
        sa.Column("text_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_dreams_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dreams")),
        sa.UniqueConstraint("public_id", name=op.f("uq_dreams_public_id")),
    )
    with op.batch_alter_table("dreams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dreams_dreamt_on"), ["dreamt_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_dreams_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dreams_visibility"), ["visibility"], unique=False)

    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("guidelines", sa.Text(), nullable=False),
        sa.Column("content_note", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_spaces_created_by_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spaces")),
        sa.UniqueConstraint("public_id", name=op.f("uq_spaces_public_id")),
    )
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spaces_created_by"), ["created_by"], unique=False)

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("dream_id", sa.Integer(), nullable=False),
        sa.Column("contributor_id", sa.Integer(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.Column("content_warning", sa.String(length=120), nullable=True),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["users.id"],
            name=op.f("fk_contributions_contributor_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dream_id"], ["dreams.id"], name=op.f("fk_contributions_dream_id_dreams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_contributions_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_contributions_public_id")),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contributions_contributor_id"), ["contributor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contributions_dream_id"), ["dream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contributions_space_id"), ["space_id"], unique=False)

    op.create_table(
        "dream_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dream_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["dream_id"], ["dreams.id"], name=op.f("fk_dream_tags_dream_id_dreams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dream_tags")),
        sa.UniqueConstraint("dream_id", "tag", name=op.f("uq_dream_tags_dream_id")),
    )
    with op.batch_alter_table("dream_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dream_tags_dream_id"), ["dream_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dream_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "space_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_space_invites_created_by_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_invites_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_space_invites_token_hash")),
    )
    with op.batch_alter_table("space_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_invites_space_id"), ["space_id"], unique=False)

    op.create_table(
        "space_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("joined_at", dreamnexus.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id"], ["spaces.id"], name=op.f("fk_space_members_space_id_spaces"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_space_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_space_members")),
        sa.UniqueConstraint("space_id", "user_id", name=op.f("uq_space_members_space_id")),
    )
    with op.batch_alter_table("space_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_space_members_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_space_members_user_id"), ["user_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE dream_fts USING fts5"
            "(title, body, tags, tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE INDEX ix_dreams_fulltext ON dreams USING gin "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS dream_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_dreams_fulltext")
    with op.batch_alter_table("space_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_space_members_space_id"))

    op.drop_table("space_members")
    with op.batch_alter_table("space_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_space_invites_space_id"))

    op.drop_table("space_invites")
    with op.batch_alter_table("dream_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dream_tags_tag"))
        batch_op.drop_index(batch_op.f("ix_dream_tags_dream_id"))

    op.drop_table("dream_tags")
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contributions_space_id"))
        batch_op.drop_index(batch_op.f("ix_contributions_dream_id"))
        batch_op.drop_index(batch_op.f("ix_contributions_contributor_id"))

    op.drop_table("contributions")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))

    op.drop_table("web_sessions")
    with op.batch_alter_table("spaces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spaces_created_by"))

    op.drop_table("spaces")
    with op.batch_alter_table("dreams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dreams_visibility"))
        batch_op.drop_index(batch_op.f("ix_dreams_owner_id"))
        batch_op.drop_index(batch_op.f("ix_dreams_dreamt_on"))

    op.drop_table("dreams")
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_events_owner_id"))
        batch_op.drop_index(batch_op.f("ix_consent_events_dream_public_id"))

    op.drop_table("consent_events")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
