"""stations: workstations registered with the central store, for print serial ranges

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reviewdb.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("station_no", sa.Integer(), nullable=False),
        sa.Column("registered_at", reviewdb.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_stations")),
        sa.UniqueConstraint("station_no", name=op.f("uq_stations_station_no")),
    )


def downgrade() -> None:
    op.drop_table("stations")
