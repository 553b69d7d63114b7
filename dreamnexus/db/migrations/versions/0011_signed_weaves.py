"""signed weaves

Revision ID: 0011_signed_weaves
Revises: 0010_moderation
Create Date: 2026-11-26 07:13:35.734295
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_signed_weaves"
down_revision = "0010_moderation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manifest", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("space_weaves", schema=None) as batch_op:
        batch_op.drop_column("signature")
        batch_op.drop_column("manifest")
