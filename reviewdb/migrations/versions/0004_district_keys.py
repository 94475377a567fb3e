"""district keys: every signing key of a district, current, retired or revoked

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14 10:00:00

Each district that has a public key in ``districts.public_key_pem`` gets it as its key 1
(current). Who made it and when come from the newest ``keys_init`` journal entry with
that district and fingerprint, when there is one; otherwise the time of the upgrade and
no author. ``districts.public_key_pem`` stays as it is: it remains the current key's PEM.

Downgrade drops the table: the current key stays in ``districts.public_key_pem``; retired
and revoked keys are forgotten (slips signed with them no longer verify on that schema).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import serialization

import reviewdb.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _fingerprint(public_pem: str) -> str | None:
    """The same name as ``app.notices.signing.key_fingerprint`` (reviewdb cannot import
    app/): SHA-256 of the raw Ed25519 key, 32 hex digits in groups of 4."""
    try:
        key = serialization.load_pem_public_key(public_pem.encode("ascii"))
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    except (ValueError, TypeError, UnicodeEncodeError):
        return None
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return "SHA256:" + ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def upgrade() -> None:
    op.create_table(
        "district_keys",
        sa.Column("district_code", sa.String(length=12), nullable=False),
        sa.Column("key_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", reviewdb.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("retired_at", reviewdb.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", reviewdb.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("key_id >= 1", name=op.f("ck_district_keys_key_id")),
        sa.CheckConstraint(
            "(revoked_at IS NULL AND revoked_reason IS NULL)"
            " OR (revoked_at IS NOT NULL AND revoked_reason IS NOT NULL)",
            name=op.f("ck_district_keys_revoked_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["district_code"],
            ["districts.code"],
            name=op.f("fk_district_keys_district_code_districts"),
        ),
        sa.PrimaryKeyConstraint("district_code", "key_id", name=op.f("pk_district_keys")),
    )
    _copy_existing_keys()


def _copy_existing_keys() -> None:
    conn = op.get_bind()
    districts = sa.table("districts", sa.column("code", sa.String), sa.column("public_key_pem"))
    journal = sa.table(
        "journal",
        sa.column("seq", sa.BigInteger),
        sa.column("actor", sa.String),
        sa.column("store_time", reviewdb.types.UTCDateTime(timezone=True)),
        sa.column("action", sa.String),
        sa.column("payload", reviewdb.types.JSONText()),
    )
    keys = sa.table(
        "district_keys",
        sa.column("district_code", sa.String),
        sa.column("key_id", sa.Integer),
        sa.column("public_key_pem", sa.Text),
        sa.column("fingerprint", sa.String),
        sa.column("created_at", reviewdb.types.UTCDateTime(timezone=True)),
        sa.column("created_by", sa.String),
    )
    keyed = conn.execute(
        sa.select(districts.c.code, districts.c.public_key_pem)
        .where(districts.c.public_key_pem.is_not(None))
        .order_by(districts.c.code)
    ).all()
    if not keyed:
        return
    # Who made each key: the newest keys_init entry naming the district and fingerprint.
    made: dict[tuple[str, str], tuple[dt.datetime, str | None]] = {}
    for _seq, actor, store_time, payload in conn.execute(
        sa.select(journal.c.seq, journal.c.actor, journal.c.store_time, journal.c.payload)
        .where(journal.c.action == "keys_init")
        .order_by(journal.c.seq)
    ):
        body: Any = payload if isinstance(payload, dict) else {}
        district, fingerprint = body.get("district"), body.get("fingerprint")
        if isinstance(district, str) and isinstance(fingerprint, str):
            made[(district, fingerprint)] = (store_time, actor)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for code, pem in keyed:
        fingerprint = _fingerprint(pem)
        if fingerprint is None:
            continue  # not an Ed25519 public key: nothing could have verified with it
        created_at, created_by = made.get((code, fingerprint), (now, None))
        rows.append(
            {
                "district_code": code,
                "key_id": 1,
                "public_key_pem": pem,
                "fingerprint": fingerprint,
                "created_at": created_at,
                "created_by": created_by,
            }
        )
    if rows:
        op.bulk_insert(keys, rows)


def downgrade() -> None:
    op.drop_table("district_keys")
