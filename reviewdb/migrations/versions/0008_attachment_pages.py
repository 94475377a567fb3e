"""attachments.page_count: a PDF's number of pages, as intake found it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 06:00:00

Older rows keep NULL (unknown): intake probes such a PDF again when the same file arrives.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("page_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("page_count")
