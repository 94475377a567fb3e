"""per-person identity at the central store: person logins, person tokens, acting sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 04:00:00

``person_logins`` maps a user to the PostgreSQL login role made for that person;
``person_tokens`` holds the SHA-256 of each token the central store issued;
``acting_sessions`` records which person a central connection acts for in its current
transaction; ``station_tokens`` is the workstation's own copy of the tokens it holds.
All four start empty: existing users get a person login when an admin sets their password
at the central store (``reviewdesk user passwd``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import reviewdb.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _when() -> reviewdb.types.UTCDateTime:
    return reviewdb.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "person_logins",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_person_logins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_person_logins")),
        sa.UniqueConstraint("role_name", name=op.f("uq_person_logins_role_name")),
    )
    op.create_table(
        "person_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("login_role", sa.String(length=63), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", _when(), nullable=False),
        sa.Column("expires_at", _when(), nullable=False),
        sa.Column("revoked_at", _when(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_person_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_tokens")),
    )
    op.create_index(op.f("ix_person_tokens_user_id"), "person_tokens", ["user_id"])
    op.create_table(
        "acting_sessions",
        sa.Column("backend_pid", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("xact", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("backend_pid", name=op.f("pk_acting_sessions")),
    )
    op.create_table(
        "station_tokens",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_id", sa.String(length=36), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("issued_at", _when(), nullable=False),
        sa.Column("expires_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_station_tokens")),
    )


def downgrade() -> None:
    op.drop_table("station_tokens")
    op.drop_table("acting_sessions")
    op.drop_index(op.f("ix_person_tokens_user_id"), table_name="person_tokens")
    op.drop_table("person_tokens")
    op.drop_table("person_logins")
