"""anchored journal (station keys, keyed entries, signed chain heads)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:00:00

Adds ``journal.mac`` and ``central_journal.mac`` (HMAC of an entry's hash under its
chain's key), ``central_journal.withheld``, ``stations.login_role`` (the login a station is
bound to) and the ``journal_keys`` table. Existing entries stay as they were, unkeyed: a
store with a journal gets its own key now, keyed from the next position, and every chain
the central store already holds is recorded as known from before keys (its key comes with
the workstation's next registration). Signed chain heads are settings rows, no schema.
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from alembic import op

import reviewdb.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_keys",
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=True),
        sa.Column("keyed_from", sa.BigInteger(), nullable=False),
        sa.Column("created_at", reviewdb.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_journal_keys")),
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    with op.batch_alter_table("central_journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("withheld", sa.Text(), nullable=True))
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_role", sa.String(length=63), nullable=True))

    conn = op.get_bind()
    keys = sa.table(
        "journal_keys",
        sa.column("owner", sa.String),
        sa.column("secret", sa.String),
        sa.column("keyed_from", sa.BigInteger),
        sa.column("created_at", reviewdb.types.UTCDateTime(timezone=True)),
    )
    now = dt.datetime.now(dt.UTC)
    # This store's own journal: entries so far are unkeyed; keyed from the next one.
    last = conn.execute(sa.text("SELECT max(seq) FROM journal")).scalar()
    rows: list[dict[str, object]] = []
    if last is not None:
        rows.append(
            {
                "owner": "self",
                "secret": secrets.token_hex(32),
                "keyed_from": int(last) + 1,
                "created_at": now,
            }
        )
    # Chains the central store holds already: known, unkeyed up to their last entry.
    for chain, top in conn.execute(
        sa.text("SELECT chain, max(seq) FROM central_journal GROUP BY chain ORDER BY chain")
    ):
        rows.append({"owner": chain, "secret": None, "keyed_from": int(top) + 1, "created_at": now})
    if rows:
        conn.execute(sa.insert(keys), rows)


def downgrade() -> None:
    with op.batch_alter_table("stations", schema=None) as batch_op:
        batch_op.drop_column("login_role")
    with op.batch_alter_table("central_journal", schema=None) as batch_op:
        batch_op.drop_column("withheld")
        batch_op.drop_column("mac")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_column("mac")
    op.drop_table("journal_keys")
