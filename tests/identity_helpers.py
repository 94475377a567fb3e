"""Person tokens for tests that act through a workstation login (reviewdb/sql/identity.sql).

At a real workstation a token comes from ``rd_issue_token`` after PostgreSQL checked the
person's own password (tests/integration/test_person_identity.py runs that against a
private scram-sha-256 cluster). Tests about other things let the owner write the same row
``rd_issue_token`` writes, so they can act as any user of the login's districts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError


def mint_token(owner: Engine, user_id: str, login: str, *, hours: float = 2.0) -> str:
    """A valid token of ``user_id`` for workstation login ``login``, written as the owner."""
    token_id, secret = str(uuid.uuid4()), secrets.token_hex(32)
    now = dt.datetime.now(dt.UTC)
    with owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person_tokens (id, user_id, store_id, login_role, secret_sha256, "
                "issued_at, expires_at) VALUES (:id, :u, 'st-test', :l, :h, :now, :until)"
            ),
            {
                "id": token_id,
                "u": user_id,
                "l": login,
                "h": hashlib.sha256(secret.encode()).hexdigest(),
                "now": now,
                "until": now + dt.timedelta(hours=hours),
            },
        )
    return f"{token_id}.{secret}"


def token_source(owner: Engine, login: str) -> Callable[[str], str | None]:
    """What a workstation's token store answers: one minted token per user, kept; None for
    a user the central store does not know (nobody could have logged in as them)."""
    held: dict[str, str] = {}

    def token(user_id: str) -> str | None:
        if user_id not in held:
            try:
                held[user_id] = mint_token(owner, user_id, login)
            except IntegrityError:
                return None
        return held[user_id]

    return token
