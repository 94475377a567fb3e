"""Per-person identity at the central PostgreSQL store (the SQL is reviewdb/sql/identity.sql).

Each person has a LOGIN role of their own (:func:`person_role_name`), made or re-keyed by an
administrator with :func:`set_person_password` (``reviewdesk user add|passwd`` at the central
store). Only the SCRAM-SHA-256 verifier reaches the server: it is computed here with libpq
(``PQencryptPasswordConn``), so the password is never in a statement or a server log.

At an online login the workstation calls :func:`issue_token`: it connects *as the person*
(PostgreSQL checks the password) and asks for a token bound to that person and to the
workstation's own login. Connected as its own login, the workstation then proves the person
with ``rd_act_as(token)`` before every action for them (:class:`reviewdb.central_pg.PgArbiter`
does it when given a token source).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from reviewdb.engine import StoreUnavailable
from reviewdb.errors import Refusal

# How long a login waits for the central store before the workstation works offline.
CONNECT_TIMEOUT_SECONDS = 5
# Asked for at a login; the central store caps it (rules.limits' token_hours, else 72).
DEFAULT_TOKEN_HOURS = 72.0
# SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification.
_AUTH_STATES = {"28P01", "28000"}
_AUTH_WORDS = (
    "password authentication failed",
    "does not exist",
    "no password supplied",
    "not permitted to log in",
)


class PersonRefused(Refusal):
    """The central store refused the person's password (or has no login for them)."""


class CentralUnreachable(StoreUnavailable):
    """The central store could not be reached for a login: work offline."""


@dataclass(frozen=True)
class Token:
    """A person token as the central store issued it."""

    user_id: str
    token: str
    expires_at: dt.datetime

    @property
    def token_id(self) -> str:
        return self.token.partition(".")[0]


def person_role_name(dbname: str, user_id: str) -> str:
    """The person's own login role in the cluster (roles are cluster-wide: the database's
    digest keeps two databases' persons apart; the user id's digest keeps it unique)."""
    db = hashlib.sha256(dbname.encode()).hexdigest()[:8]
    readable = re.sub(r"[^a-z0-9]", "", user_id.lower())[:20]
    digest = hashlib.sha256(user_id.encode()).hexdigest()[:12]
    return f"rdp_{db}_{readable}_{digest}"


def _raw(conn: Any) -> psycopg.Connection[Any]:
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    return raw


def installed(conn: Connection) -> bool:
    """Whether this is a central PostgreSQL store with the identity functions installed."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(
        conn.execute(text("SELECT to_regprocedure('rd_revoke_tokens(text)') IS NOT NULL")).scalar()
    )


def set_person_password(conn: Connection, user_id: str, password: str) -> str:
    """Create or re-key the person's login, in the caller's transaction (run as the tables'
    owner, who needs CREATEROLE as for workstation logins); returns the role.

    Every token the person held is revoked: a new password is often a lost one.
    """
    from reviewdb.central_pg import people_role_name

    dbname = str(conn.execute(text("SELECT current_database()")).scalar_one())
    role = person_role_name(dbname, user_id)
    people = people_role_name(dbname)
    raw = _raw(conn)
    verifier = raw.pgconn.encrypt_password(
        password.encode("utf-8"), role.encode(), b"scram-sha-256"
    ).decode()
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    verb = "ALTER" if exists else "CREATE"
    with raw.cursor() as cur:
        cur.execute(
            sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(role), sql.Literal(verifier)
            )
        )
        cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(people), sql.Identifier(role)))
    conn.execute(
        text(
            "INSERT INTO person_logins (user_id, role_name, created_at) "
            "VALUES (:u, :r, clock_timestamp()) ON CONFLICT (user_id) DO NOTHING"
        ),
        {"u": user_id, "r": role},
    )
    conn.execute(text("SELECT rd_revoke_tokens(:u)"), {"u": user_id})
    return role


def disable_person(conn: Connection, user_id: str) -> int:
    """The person's login can no longer connect and every token of theirs ends now."""
    role = conn.execute(
        text("SELECT role_name FROM person_logins WHERE user_id = :u"), {"u": user_id}
    ).scalar()
    if role is not None:
        with _raw(conn).cursor() as cur:
            cur.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
    return revoke_tokens(conn, user_id)


def revoke_tokens(conn: Connection, user_id: str) -> int:
    """End every live token of one person (administration)."""
    return int(conn.execute(text("SELECT rd_revoke_tokens(:u)"), {"u": user_id}).scalar_one())


def _conninfo(central_url: str, role: str, password: str) -> str:
    url = make_url(central_url)
    params: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "dbname": url.database,
        "user": role,
        "password": password,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": "reviewdesk-login",
    }
    query: Mapping[str, Any] = url.query
    for key, value in query.items():
        if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "host", "target_session_attrs"}:
            params[key] = value if isinstance(value, str) else value[-1]
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v is not None})


def _refused_login(exc: psycopg.OperationalError) -> bool:
    if getattr(exc, "sqlstate", None) in _AUTH_STATES:
        return True
    message = str(exc).lower()
    return any(word in message for word in _AUTH_WORDS)


def issue_token(
    central_url: str,
    dbname: str,
    user_id: str,
    password: str,
    *,
    store_id: str,
    login_role: str,
    hours: float = DEFAULT_TOKEN_HOURS,
) -> Token:
    """Connect as the person (the server checks the password) and get a token for them.

    Raises :class:`PersonRefused` for a wrong password, a missing or disabled login and any
    refusal of the central store; :class:`CentralUnreachable` when it cannot be reached.
    """
    role = person_role_name(dbname, user_id)
    try:
        conn = psycopg.connect(_conninfo(central_url, role, password), autocommit=True)
    except psycopg.OperationalError as exc:
        if _refused_login(exc):
            raise PersonRefused("the central store refused this name and password") from None
        raise CentralUnreachable(f"central store unreachable: {str(exc).strip()[:200]}") from exc
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT token, expires_at FROM rd_issue_token(%s, %s, %s)",
                (store_id, login_role, hours),
            )
            row = cur.fetchone()
    except psycopg.errors.RaiseException as exc:
        message = str(exc).split("\n", 1)[0]
        parts = message.split(":", 2)
        raise PersonRefused(parts[2] if len(parts) == 3 else message) from None
    except psycopg.Error as exc:
        raise CentralUnreachable(f"central store unreachable: {str(exc).strip()[:200]}") from exc
    finally:
        conn.close()
    assert row is not None
    return Token(user_id, str(row[0]), row[1])
