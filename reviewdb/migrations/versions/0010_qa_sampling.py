"""QA sampling (抽查): draws of approvals and the samples they chose

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00

Two new tables, nothing existing changes: plain CREATE TABLE on both backends.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reviewdb.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_draws",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seed", sa.String(length=128), nullable=False),
        sa.Column("drawn_at", reviewdb.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("drawn_by", sa.String(length=36), nullable=False),
        sa.Column("district_code", sa.String(length=12), nullable=False),
        sa.Column("percents", reviewdb.types.JSONText(), nullable=False),
        sa.Column("considered", sa.Integer(), nullable=False),
        sa.Column("drawn", sa.Integer(), nullable=False),
        sa.Column("unassigned", sa.Integer(), nullable=False),
        sa.Column("through_seq", sa.BigInteger(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "considered >= 0 AND drawn >= 0 AND unassigned >= 0",
            name=op.f("ck_qa_draws_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["district_code"], ["districts.code"], name=op.f("fk_qa_draws_district_code_districts")
        ),
        sa.ForeignKeyConstraint(
            ["drawn_by"], ["users.id"], name=op.f("fk_qa_draws_drawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_draws")),
    )
    op.create_index(op.f("ix_qa_draws_district_code"), "qa_draws", ["district_code"])
    op.create_index(op.f("ix_qa_draws_change_seq"), "qa_draws", ["change_seq"])

    op.create_table(
        "qa_samples",
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("draw_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_to", sa.String(length=36), nullable=True),
        sa.Column("verdict", sa.String(length=8), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("verdict_at", reviewdb.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settled_by", sa.String(length=36), nullable=True),
        sa.Column("settled_at", reviewdb.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settlement", sa.String(length=12), nullable=True),
        sa.Column("overturned_by", sa.String(length=36), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "verdict IS NULL OR verdict IN ('agree', 'disagree')",
            name=op.f("ck_qa_samples_verdict"),
        ),
        sa.CheckConstraint(
            "settlement IS NULL OR settlement IN ('upheld', 'overturned')",
            name=op.f("ck_qa_samples_settlement"),
        ),
        sa.CheckConstraint(
            "assigned_to IS NULL OR assigned_to <> reviewer_id",
            name=op.f("ck_qa_samples_assignee_not_approver"),
        ),
        sa.CheckConstraint(
            "settlement IS NULL OR verdict = 'disagree'",
            name=op.f("ck_qa_samples_settled_disagreement"),
        ),
        sa.CheckConstraint(
            "settled_by IS NULL OR settled_by <> reviewer_id",
            name=op.f("ck_qa_samples_settler_not_approver"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.id"], name=op.f("fk_qa_samples_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_qa_samples_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_qa_samples_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["qa_draws.id"], name=op.f("fk_qa_samples_draw_id_qa_draws")
        ),
        sa.ForeignKeyConstraint(
            ["overturned_by"], ["decisions.id"], name=op.f("fk_qa_samples_overturned_by_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_qa_samples_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["settled_by"], ["users.id"], name=op.f("fk_qa_samples_settled_by_users")
        ),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_qa_samples")),
    )
    for column in ("case_id", "draw_id", "reviewer_id", "assigned_to", "change_seq"):
        op.create_index(op.f(f"ix_qa_samples_{column}"), "qa_samples", [column])


def downgrade() -> None:
    op.drop_table("qa_samples")  # its indexes go with it
    op.drop_table("qa_draws")
