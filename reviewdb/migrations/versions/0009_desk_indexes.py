"""supervisor desk: cases.admission_year, a covering index for the backlog, partial indexes
on standing decisions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:00:00

The desk's aggregates read open cases and standing decisions only; without these they
scanned every decision (superseded ones included), joined each to its case, and joined
every open case to its application for the season's year. cases.admission_year is
filled from the applications here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both backends: a batch (copy-and-swap) of cases on SQLite would
    # drop a table every other table refers to.
    op.add_column("cases", sa.Column("admission_year", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE cases SET admission_year = (SELECT a.admission_year FROM applications a "
        "WHERE a.id = cases.application_id)"
    )
    op.create_index(
        "ix_cases_backlog",
        "cases",
        ["status", "district_code", "school_id", "kind", "admission_year", "submitted_at"],
    )
    op.create_index(
        "ix_decisions_standing",
        "decisions",
        ["reviewer_id", "outcome", "store_time"],
        sqlite_where=sa.text("effective = 1"),
        postgresql_where=sa.text("effective"),
    )
    op.create_index(
        "ix_decisions_reasoned",
        "decisions",
        ["case_id", "reasons"],
        sqlite_where=sa.text("effective = 1 AND outcome <> 'approve'"),
        postgresql_where=sa.text("effective AND outcome <> 'approve'"),
    )
    op.create_index(
        "ix_decisions_conflicts",
        "decisions",
        ["case_id"],
        sqlite_where=sa.text("state = 'conflict'"),
        postgresql_where=sa.text("state = 'conflict'"),
    )


def downgrade() -> None:
    op.drop_index("ix_decisions_conflicts", table_name="decisions")
    op.drop_index("ix_decisions_reasoned", table_name="decisions")
    op.drop_index("ix_decisions_standing", table_name="decisions")
    op.drop_index("ix_cases_backlog", table_name="cases")
    op.drop_column("cases", "admission_year")  # SQLite ≥ 3.35 drops a column in place
