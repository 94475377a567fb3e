"""users.paused_at / paused_by: a supervisor's pause of a reviewer's account

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:10:00

Separate from ``disabled`` (an admin's): a supervisor may lift their own kind of stop,
never an admin's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reviewdb.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("paused_at", UTCDateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("paused_by", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "paused_by")
    op.drop_column("users", "paused_at")
