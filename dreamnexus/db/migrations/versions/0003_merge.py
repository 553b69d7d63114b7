"""Join the audit log and the weaves branches.

Revision ID: 0003_merge
Revises: 0002, 0002_weaves
"""

from __future__ import annotations

revision = "0003_merge"
down_revision = ("0002", "0002_weaves")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
