"""The central PostgreSQL store's guard: a workstation role that can read its districts and
act only through functions that keep the arbiter's invariants.

Design (the "Security" part of the architecture):

- One NOLOGIN **group role** per database (``group_role_name(dbname)``, e.g.
  ``rdws_reviewdesk``): roles are cluster-wide, so the name follows the database. Each
  district office gets a LOGIN role in that group (:func:`create_login`) and rows in
  ``db_role_districts`` naming the districts it serves.
- The group role has SELECT and nothing else on the tables (no INSERT, UPDATE, DELETE,
  TRUNCATE): it cannot rewrite decisions, claims or either journal. Row-level security
  limits what it reads to cases of its districts and everything hanging off them
  (rounds, facts, attachments, findings, claims, decisions, prints, applications,
  students, property uses, journal entries), users sharing a district and its own
  ``db_role_districts`` rows; images (blobs, blob chunks) only through an attachment of a
  case of its districts; users without their verifier columns (identity.sql). Reference
  tables (districts, schools, change counter, settings, alembic_version) are readable whole;
  person logins, person tokens, acting sessions and journal keys not at all. The owner is not
  affected (RLS is enabled, not forced).
- Every write goes through a ``SECURITY DEFINER`` PL/pgSQL function (``rd_*``) with a
  fixed ``search_path``. Each one checks that the case is in a district mapped to
  ``session_user`` (skipped when the caller is a superuser or the tables' owner) and
  that the acting user exists, is not disabled and belongs to that district, then does
  exactly what :mod:`reviewdb.arbiter` does, with the server's clock, and takes the
  change counter last, stamping ``change_seq`` on the rows it touched.
- Only the owner may create objects in schema ``public`` (install revokes CREATE from
  PUBLIC), so nothing a workstation makes can shadow what the definer functions call.
- The rules are the central store's, not the workstation's: the city/year policies
  (four-eyes per kind and outcome, undo window, checklists), the reason library and the
  limits (text lengths, lease maximum per role) are published as JSON rows of
  ``settings`` (:func:`reviewdb.central.publish_rules`, ``reviewdesk central
  publish-policy``; ``central init`` publishes too). Once published, ``rd_submit_decision``
  computes four-eyes itself (its ``p_needs_confirmation`` is ignored), ``rd_undo`` uses the
  published window (``p_window_minutes`` ignored), ``rd_claim``/``rd_renew``/``rd_takeover``
  clamp the lease to the role's maximum and return the clamped until, and decisions (also
  ``rd_resolve_conflict``) with unknown reason codes or documents, or texts over the
  limits, are refused (``reason_unknown``, ``missing_unknown``, ``text_too_long``, …). A
  store that never published keeps the old behaviour; once it has, a case whose city/year
  has no published policy is refused (``rules_missing``). Workstations can read the rules
  (``settings`` is readable) but only the owner writes them.
- Refusals are ``RAISE EXCEPTION 'rd:<code>:<text>'`` with a JSON DETAIL; the
  :class:`PgArbiter` wrapper turns them into :class:`reviewdb.arbiter.ArbiterRefusal`.

The SQL itself is in ``reviewdb/sql/``: the ``rd_*`` functions by concern
(``helpers.sql``, ``claims.sql``, ``decisions.sql``, ``journal_prints.sql``,
``blobs.sql``), then ``grants.sql`` (schema, functions) and ``policies.sql`` (what each
table shows a workstation). This module fills in their placeholders and runs them.

:func:`install` is idempotent; run it (as the owner) after every ``migrate.upgrade``:
tables added later stay unreadable to workstations until it has run (and until
``policies.sql`` lists them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord, Paused, Reassigned
from reviewdb.qa import DrawOutcome

# The SQL lives in reviewdb/sql/ as package data (read with importlib.resources, so an
# installed wheel or a frozen bundle finds it too), one file per concern; each file's
# header names the placeholders it takes. install() runs them in this order: the rd_*
# functions (helpers first: the others call them), then the grants, then the policies.
FUNCTION_FILES = (
    "helpers.sql",  # rd_my_districts and the internal helpers (rd_privileged, rd_fail, ...)
    "identity.sql",  # rd_actor, rd_act_as, rd_issue_token, rd_whoami, rd_revoke_tokens
    "claims.sql",  # rd_claim, rd_renew, rd_release, rd_takeover, rd_reassign
    "decisions.sql",  # rd_submit_decision(s), rd_confirm, rd_undo, rd_resolve_conflict
    "journal_prints.sql",  # rd_append_journal, rd_record_print, rd_register_station
    "blobs.sql",  # rd_put_blob_chunk, rd_complete_blob
    "qa.sql",  # rd_qa_draw, rd_qa_verdict, rd_qa_uphold, rd_qa_overturn (抽查)
)
GRANTS_FILE = "grants.sql"  # schema, tables' baseline, EXECUTE on the rd_* functions
POLICIES_FILE = "policies.sql"  # row-level security and SELECT, table by table

# Filled into the function files with str.replace (@NAME@; the PL/pgSQL is full of
# braces and %, so no format-style templating there).
# @MAX_LEASE@ in helpers.sql: the ceiling while no rules are published (refused above
# it); published rules clamp to the role's own maximum (48 h for reviewers and supervisors).
MAX_LEASE_SECONDS = 7 * 24 * 3600
# @MAX_CHUNK@ in blobs.sql: the chunk layout of every upload, equal to
# reviewdb.blobs.CHUNK_BYTES (chunk i is bytes [i, i + 1) MiB of the image; at most 32).
MAX_CHUNK_BYTES = 1024 * 1024
# Filled into grants.sql and policies.sql with psycopg.sql ({name}), next to {group}.
# MINE is an InitPlan (evaluated once per query), not a per-row function call.
MINE = "(SELECT public.rd_my_districts())::text[]"  # {mine}
POLICY_NAME = "rd_ws_select"  # {policy}

# The most decisions one rd_submit_decisions call takes (the function refuses more).
BATCH_MAX = 1000
# rd_submit_decisions' arrays, each sent as one JSON array and unpacked in the calling
# statement: psycopg writes a text[] literal in Python, escaping every quote of every
# reasons text (~45 us a decision, more than the function's checks); json.dumps is C.
_BATCH_ARRAYS = (
    ("ids", "text"),
    ("cases", "text"),
    ("rounds", "integer"),
    ("outcomes", "text"),
    ("reasons", "text"),
    ("comments", "text"),
    ("reviewers", "text"),
    ("tokens", "bigint"),
    ("device_times", "timestamptz"),
    ("workstations", "text"),
    ("needs", "boolean"),
)
_SUBMIT_DECISIONS = "SELECT rd_submit_decisions({})".format(
    ", ".join(
        f"ARRAY(SELECT CAST(x.e AS {sql_type}) "
        f"FROM json_array_elements_text(CAST(:{name} AS json)) WITH ORDINALITY AS x(e, k) "
        "ORDER BY x.k)"
        for name, sql_type in _BATCH_ARRAYS
    )
)
_INSTALL_LOCK = 0x52445F494E5354  # "RD_INST": serialises concurrent installs
_IDENT_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# Every rd_* function in schema public (what uninstall drops, what install checks).
_RD_FUNCTIONS = (
    "SELECT p.oid::regprocedure::text FROM pg_proc p "
    "WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'rd\\_%'"
)


# -- installation -------------------------------------------------------------------


def sql_text(name: str) -> str:
    """One file of ``reviewdb/sql/`` as shipped, placeholders not filled in."""
    return (files("reviewdb") / "sql" / name).read_text(encoding="utf-8")


def functions_sql() -> str:
    """The script that creates (or replaces) every ``rd_*`` function."""
    script = "\n".join(sql_text(name) for name in FUNCTION_FILES)
    return script.replace("@MAX_LEASE@", str(MAX_LEASE_SECONDS)).replace(
        "@MAX_CHUNK@", str(MAX_CHUNK_BYTES)
    )


def group_role_name(dbname: str) -> str:
    """The workstations' NOLOGIN group role of one database (roles are cluster-wide)."""
    base = re.sub(r"[^a-z0-9_]", "_", dbname.lower())
    name = f"rdws_{base}"
    if len(name) > 63:
        digest = hashlib.sha256(dbname.encode()).hexdigest()[:8]
        name = f"{name[:54]}_{digest}"
    return name


def people_role_name(dbname: str) -> str:
    """The NOLOGIN group of the persons' own logins of one database (see identity.sql)."""
    return "rdpp_" + group_role_name(dbname)[len("rdws_") :]


def _quote_ident(name: str) -> str:
    return f'"{_plain_ident(name)}"'


def _plain_ident(name: str) -> str:
    if not _IDENT_RE.match(name):
        raise ValueError(f"not a plain PostgreSQL role name: {name!r}")
    return name


def _run_script(conn: Connection, script: str | sql.Composable) -> None:
    """Run several statements at once on the connection's own transaction.

    The raw DB-API cursor is used with no parameters, so psycopg sends the script as
    is (``%`` in ``format()`` calls stays literal).
    """
    cursor = conn.connection.cursor()
    try:
        cursor.execute(script)
    finally:
        cursor.close()


def _database(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_database()")).scalar_one())


def _role_exists(conn: Connection, role: str) -> bool:
    return (
        conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        is not None
    )


def _security_sql(group: str, people: str) -> sql.Composed:
    """grants.sql then policies.sql, with their placeholders filled in for ``group``."""
    names = {
        "group": sql.Identifier(_plain_ident(group)),
        "people": sql.Identifier(_plain_ident(people)),
        "policy": sql.Identifier(POLICY_NAME),
        "mine": sql.SQL(MINE),
    }
    return sql.Composed(
        [sql.SQL(sql_text(name)).format(**names) for name in (GRANTS_FILE, POLICIES_FILE)]
    )


def _check_revoked(conn: Connection) -> None:
    """Refuse (rolling the install back) while PUBLIC may still call an ``rd_*`` function.

    A function added to a function file but not revoked in grants.sql would be callable
    by every login of the cluster, workstation or not.
    """
    exposed = (
        conn.execute(
            text(
                f"{_RD_FUNCTIONS} AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1"
            )
        )
        .scalars()
        .all()
    )
    names = ", ".join(exposed)
    if names:
        raise RuntimeError(f"PUBLIC may execute {names}: revoke it in reviewdb/sql/{GRANTS_FILE}")


def _install_pgcrypto(conn: Connection) -> None:
    """pgcrypto in schema public: rd_append_journal checks each entry's mark with its hmac().

    A trusted extension (PostgreSQL 13+): the database's owner may create it. Refused with
    what to do when the server lacks it or keeps it in another schema (the rd_* functions
    look only in public).
    """
    try:
        with conn.begin_nested():
            _run_script(conn, "CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public;")
    except DBAPIError as exc:
        raise RuntimeError(
            "the central store needs PostgreSQL's pgcrypto extension (package "
            "postgresql-contrib): install it, or have a superuser run CREATE EXTENSION "
            f"pgcrypto in this database, then run this again ({exc.orig})"
        ) from exc
    schema = conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pgcrypto'"
        )
    ).scalar_one()
    if schema != "public":
        raise RuntimeError(
            f"pgcrypto is installed in schema {schema}, not public: the rd_* functions look "
            "only in public (ALTER EXTENSION pgcrypto SET SCHEMA public)"
        )


def install(engine: Engine) -> str:
    """Create or refresh the group role, functions, grants and policies; returns the role.

    Run as the tables' owner after ``migrate.upgrade``; safe to run again.
    """
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INSTALL_LOCK})
        group = group_role_name(_database(conn))
        people = people_role_name(_database(conn))
        for role in (group, people):
            if not _role_exists(conn, role):
                _run_script(conn, f"CREATE ROLE {_quote_ident(role)} NOLOGIN;")
        _install_pgcrypto(conn)
        _run_script(conn, functions_sql())
        _run_script(conn, _security_sql(group, people))
        _check_revoked(conn)
    return group


def uninstall(engine: Engine) -> None:
    """Remove policies, functions and the group role (tests; or before dropping a database).

    What to remove is read from the catalogs (every policy named ``POLICY_NAME``, every
    ``rd_*`` function in public), so the SQL files stay the one list of what install makes.
    Logins made with :func:`create_login` should be dropped first (:func:`drop_login`).
    """
    with engine.begin() as conn:
        group = group_role_name(_database(conn))
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_policies WHERE schemaname = 'public' "
                    "AND policyname = :p ORDER BY tablename"
                ),
                {"p": POLICY_NAME},
            )
            .scalars()
            .all()
        )
        functions = conn.execute(text(f"{_RD_FUNCTIONS} ORDER BY 1")).scalars().all()
        policy = sql.Identifier(POLICY_NAME)
        parts: list[sql.Composable] = []
        for table in tables:
            t = sql.Identifier(table)
            parts += [
                sql.SQL("DROP POLICY IF EXISTS {} ON {};").format(policy, t),
                sql.SQL("ALTER TABLE {} DISABLE ROW LEVEL SECURITY;").format(t),
            ]
        for signature in functions:
            # regprocedure's text is already quoted as PostgreSQL needs it.
            parts.append(sql.SQL("DROP FUNCTION IF EXISTS {};").format(sql.SQL(signature)))
        # The persons' own logins (identity.sql), then both group roles.
        persons = conn.execute(text("SELECT role_name FROM person_logins ORDER BY 1")).scalars()
        roles = [*persons, people_role_name(_database(conn)), group]
        for role in roles:
            if _role_exists(conn, role):
                r = sql.Identifier(role)
                parts += [
                    sql.SQL("DROP OWNED BY {};").format(r),
                    sql.SQL("DROP ROLE {};").format(r),
                ]
        if parts:
            _run_script(conn, sql.SQL("\n").join(parts))


def create_login(
    engine: Engine, login_name: str, districts: Iterable[str], password: str | None = None
) -> None:
    """Create (or update) a district office's LOGIN role in the group and map its districts."""
    codes = sorted(set(districts))
    ident = _quote_ident(login_name)
    with engine.begin() as conn:
        group = _quote_ident(group_role_name(_database(conn)))
        statements: list[sql.Composable] = []
        if _role_exists(conn, login_name):
            statements.append(sql.SQL(f"GRANT {group} TO {ident}"))
            if password is not None:
                statements.append(sql.SQL(f"ALTER ROLE {ident} PASSWORD ") + sql.Literal(password))
        elif password is not None:
            statements.append(
                sql.SQL(f"CREATE ROLE {ident} LOGIN PASSWORD ")
                + sql.Literal(password)
                + sql.SQL(f" IN ROLE {group}")
            )
        else:
            statements.append(sql.SQL(f"CREATE ROLE {ident} LOGIN IN ROLE {group}"))
        cursor = conn.connection.cursor()
        try:
            for statement in statements:
                # The password is quoted by psycopg as a literal, never interpolated.
                cursor.execute(statement)
        finally:
            cursor.close()
        conn.execute(text("DELETE FROM db_role_districts WHERE role_name = :r"), {"r": login_name})
        if codes:
            conn.execute(
                text("INSERT INTO db_role_districts (role_name, district_code) VALUES (:r, :d)"),
                [{"r": login_name, "d": code} for code in codes],
            )


def drop_login(engine: Engine, login_name: str) -> None:
    """Remove a login's district mapping and the role itself (its sessions should be gone)."""
    ident = _quote_ident(login_name)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM db_role_districts WHERE role_name = :r"), {"r": login_name})
        if _role_exists(conn, login_name):
            _run_script(conn, f"DROP OWNED BY {ident}; DROP ROLE {ident};")


def gc_chunks(
    engine: Engine,
    *,
    max_age: dt.timedelta = dt.timedelta(days=7),
    grace: dt.timedelta = dt.timedelta(hours=1),
) -> dict[str, tuple[int, int, int]]:
    """Drop image chunks nothing needs (``rd_gc_blob_chunks``, as the owner); returns
    reason -> (images, chunks, bytes) for ``completed``, ``orphan`` and ``stale``.

    ``completed``: chunks past the end of a verified image; ``orphan``: an unfinished
    upload of an image no attachment is, untouched for ``grace``; ``stale``: an unfinished
    upload untouched for ``max_age`` (sending the image again starts it over).
    """
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT reason, images, chunks, bytes FROM rd_gc_blob_chunks("
                "CAST(:age AS double precision), CAST(:grace AS double precision))"
            ),
            {"age": max_age.total_seconds(), "grace": grace.total_seconds()},
        ).all()
    return {str(r[0]): (int(r[1]), int(r[2]), int(r[3])) for r in rows}


# -- the wrapper ----------------------------------------------------------------------


def _canonical_json(value: Any) -> str:
    # Same bytes as reviewdb.types.JSONText writes, so both backends store identical text.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: pass an aware (UTC) datetime")
    return value.astimezone(dt.UTC)


def _refusal(exc: DBAPIError) -> ArbiterRefusal | None:
    """The ArbiterRefusal an ``rd:<code>:<text>`` exception stands for, or None."""
    orig = exc.orig
    if not isinstance(orig, psycopg.Error):
        return None
    message = orig.diag.message_primary or ""
    if not message.startswith("rd:"):
        return None
    code, _, human = message[3:].partition(":")
    details: dict[str, Any] = {}
    raw_detail = orig.diag.message_detail
    if raw_detail:
        try:
            loaded = json.loads(raw_detail)
        except ValueError:
            loaded = {"detail": raw_detail}
        if isinstance(loaded, dict):
            details = loaded
    until = details.get("until")
    if isinstance(until, str):
        details["until"] = dt.datetime.fromisoformat(until).astimezone(dt.UTC)
    return ArbiterRefusal(code, human, **details)


class PgArbiter:
    """The arbiter's operations on the central PostgreSQL store, through the ``rd_*`` functions.

    Works on a SQLAlchemy ``Connection`` or ``Session`` whose transaction the caller
    commits. With ``savepoints`` (the default) each call runs in a savepoint, so a
    refusal leaves the surrounding transaction usable (one poisoned item in an upload
    batch does not sink the rest); pass ``savepoints=False`` on hot single-call paths.
    """

    def __init__(
        self,
        db: Connection | Session,
        *,
        savepoints: bool = True,
        tokens: Callable[[str], str | None] | None = None,
    ) -> None:
        self._db = db
        self._savepoints = savepoints
        # A workstation login's proof of each person (reviewdb/sql/identity.sql): before
        # every call that acts for a user, that user's token goes to rd_act_as in the same
        # transaction. None for the tables' owner (administration, intake, tests), whom the
        # functions trust, and for a store that decides alone.
        self._tokens = tokens

    def _act(self, user_id: str, *, savepoint: bool | None = None) -> None:
        """Prove ``user_id`` to the central store for the rest of this transaction."""
        if self._tokens is None:
            return
        token = self._tokens(user_id)
        if token is None:
            raise ArbiterRefusal(
                "no_identity",
                "this workstation holds no valid proof of this person: log in again while "
                "the central store is reachable",
                user_id=user_id,
            )
        self._call("SELECT rd_act_as(:t)", {"t": token}, savepoint=savepoint)

    def _call(
        self, statement: str, params: Mapping[str, Any], *, savepoint: bool | None = None
    ) -> Sequence[Any]:
        try:
            if self._savepoints if savepoint is None else savepoint:
                with self._db.begin_nested():
                    return self._db.execute(text(statement), dict(params)).all()
            return self._db.execute(text(statement), dict(params)).all()
        except DBAPIError as exc:
            refusal = _refusal(exc)
            if refusal is None:
                raise
            raise refusal from exc

    def _scalar(self, statement: str, params: Mapping[str, Any]) -> Any:
        rows = self._call(statement, params)
        return rows[0][0]

    def _claim_info(self, statement: str, params: Mapping[str, Any], user_id: str) -> ClaimInfo:
        rows = self._call(statement, params)
        token, until = rows[0]
        return ClaimInfo(str(params["case_id"]), int(token), _utc(until), user_id)

    # claims

    def claim(self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta) -> ClaimInfo:
        self._act(user_id)
        return self._claim_info(
            "SELECT token, leased_until FROM rd_claim(:case_id, :user_id, :ws, "
            "CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "ws": workstation,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    def renew(self, case_id: str, user_id: str, token: int, lease: dt.timedelta) -> ClaimInfo:
        self._act(user_id)
        return self._claim_info(
            "SELECT token, leased_until FROM rd_renew(:case_id, :user_id, "
            "CAST(:token AS bigint), CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "token": token,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    def release(self, case_id: str, user_id: str) -> bool:
        self._act(user_id)
        return bool(
            self._scalar(
                "SELECT rd_release(:case_id, :user_id)", {"case_id": case_id, "user_id": user_id}
            )
        )

    def takeover(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo:
        self._act(user_id)
        return self._claim_info(
            "SELECT token, leased_until FROM rd_takeover(:case_id, :user_id, :ws, "
            "CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "user_id": user_id,
                "ws": workstation,
                "lease": lease.total_seconds(),
            },
            user_id,
        )

    def reassign(
        self, case_id: str, supervisor_id: str, to_user_id: str | None, lease: dt.timedelta
    ) -> Reassigned:
        self._act(supervisor_id)
        rows = self._call(
            "SELECT token, leased_until, previous FROM rd_reassign(:case_id, :supervisor, "
            ":to_user, CAST(:lease AS double precision))",
            {
                "case_id": case_id,
                "supervisor": supervisor_id,
                "to_user": to_user_id,
                "lease": lease.total_seconds(),
            },
        )
        token, until, previous = rows[0]
        info = (
            ClaimInfo(case_id, int(token), _utc(until), to_user_id)
            if to_user_id is not None
            else None
        )
        return Reassigned(info, previous)

    def set_paused(self, supervisor_id: str, user_id: str, pause: bool) -> Paused:
        self._act(supervisor_id)
        rows = self._call(
            "SELECT paused_at, paused_by FROM rd_pause_user(:supervisor, :user_id, :pause)",
            {"supervisor": supervisor_id, "user_id": user_id, "pause": pause},
        )
        at, by = rows[0]
        # The name is the caller's to know (it named the person); the arbiter says the state.
        return Paused(user_id, "", _utc(at) if at is not None else None, by)

    # decisions

    def submit_decision(self, rec: DecisionRecord) -> str:
        """The stored state: accepted, pending_confirmation or conflict (idempotent by id).

        ``rec.needs_confirmation`` is sent for a store that never published rules; once
        rules are published the function decides four-eyes itself and ignores it.
        """
        self._act(rec.reviewer_id)
        return str(
            self._scalar(
                "SELECT rd_submit_decision(:id, :case_id, CAST(:round AS integer), :outcome, "
                ":reasons, :comment, :reviewer, CAST(:token AS bigint), "
                "CAST(:device_time AS timestamptz), :ws, CAST(:needs AS boolean))",
                {**_decision_params(rec), "needs": rec.needs_confirmation},
            )
        )

    def submit_decisions(self, recs: Sequence[DecisionRecord]) -> list[str]:
        """Several decisions at once (``rd_submit_decisions``): their states, in order, each
        what :meth:`submit_decision` would have answered for it, called for each in turn.

        All or nothing: when one is refused (ArbiterRefusal), or its person cannot be proven,
        none of them is stored (with ``savepoints``; otherwise the caller rolls back) and
        the caller sends them one by one to learn which. Each run of one person's decisions
        is proven once (``rd_act_as``) and goes in one call, at most ``BATCH_MAX`` at a time.
        """
        if not recs:
            return []
        if self._savepoints:
            with self._db.begin_nested():
                return self._submit_runs(recs)
        return self._submit_runs(recs)

    def _submit_runs(self, recs: Sequence[DecisionRecord]) -> list[str]:
        states: list[str] = []
        start = 0
        while start < len(recs):
            reviewer = recs[start].reviewer_id
            end = start + 1
            while end < len(recs) and end - start < BATCH_MAX and recs[end].reviewer_id == reviewer:
                end += 1
            run = [_decision_params(rec) for rec in recs[start:end]]
            arrays = {
                "ids": [p["id"] for p in run],
                "cases": [p["case_id"] for p in run],
                "rounds": [p["round"] for p in run],
                "outcomes": [p["outcome"] for p in run],
                "reasons": [p["reasons"] for p in run],
                "comments": [p["comment"] for p in run],
                "reviewers": [p["reviewer"] for p in run],
                "tokens": [p["token"] for p in run],
                "device_times": [p["device_time"].isoformat() for p in run],
                "workstations": [p["ws"] for p in run],
                "needs": [rec.needs_confirmation for rec in recs[start:end]],
            }
            self._act(reviewer, savepoint=False)
            rows = self._call(
                _SUBMIT_DECISIONS,
                {name: json.dumps(values, ensure_ascii=False) for name, values in arrays.items()},
                savepoint=False,
            )
            answered = [str(state) for state in rows[0][0]]
            if len(answered) != end - start:  # pragma: no cover - the function's contract
                raise RuntimeError("rd_submit_decisions answered for another number of decisions")
            states += answered
            start = end
        return states

    def confirm(self, decision_id: str, supervisor_id: str, accept: bool) -> str:
        self._act(supervisor_id)
        return str(
            self._scalar(
                "SELECT rd_confirm(:id, :sup, CAST(:accept AS boolean))",
                {"id": decision_id, "sup": supervisor_id, "accept": accept},
            )
        )

    def undo(self, decision_id: str, user_id: str, window_minutes: int) -> str:
        """Undo one's own effective decision within the window (minutes, the city policy's).

        ``window_minutes`` counts only at a store that never published rules: the published
        window of the case's city/year applies otherwise.
        """
        self._act(user_id)
        return str(
            self._scalar(
                "SELECT rd_undo(:id, :user_id, CAST(:minutes AS integer))",
                {"id": decision_id, "user_id": user_id, "minutes": int(window_minutes)},
            )
        )

    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str:
        """A supervisor's new decision supersedes what stood for the conflict's round."""
        self._act(rec.reviewer_id)
        return str(
            self._scalar(
                "SELECT rd_resolve_conflict(:conflict, :id, :case_id, CAST(:round AS integer), "
                ":outcome, :reasons, :comment, :reviewer, CAST(:token AS bigint), "
                "CAST(:device_time AS timestamptz), :ws)",
                {"conflict": conflict_id, **_decision_params(rec)},
            )
        )

    # 抽查 (reviewdb/sql/qa.sql): the districts are the drawer's own at the central store

    def qa_draw(
        self,
        drawer_id: str,
        districts: Sequence[str] | None,
        seed: str,
        override: Mapping[str, float],
        fallback: Mapping[str, Any],
    ) -> DrawOutcome:
        del districts  # the central store reads them itself
        self._act(drawer_id)
        raw = self._scalar(
            "SELECT rd_qa_draw(:user_id, :seed, :override, :fallback)",
            {
                "user_id": drawer_id,
                "seed": seed,
                "override": _canonical_json(dict(override)),
                "fallback": _canonical_json(dict(fallback)),
            },
        )
        return DrawOutcome.from_json(seed, str(raw))

    def qa_verdict(
        self, user_id: str, decision_id: str, agree: bool, comment: str | None
    ) -> dt.datetime:
        self._act(user_id)
        return _utc(
            self._scalar(
                "SELECT rd_qa_verdict(:user_id, :decision, :agree, :comment)",
                {"user_id": user_id, "decision": decision_id, "agree": agree, "comment": comment},
            )
        )

    def qa_uphold(self, supervisor_id: str, decision_id: str) -> dt.datetime:
        self._act(supervisor_id)
        return _utc(
            self._scalar(
                "SELECT rd_qa_uphold(:supervisor, :decision)",
                {"supervisor": supervisor_id, "decision": decision_id},
            )
        )

    def qa_overturn(self, decision_id: str, rec: DecisionRecord) -> str:
        self._act(rec.reviewer_id)
        return str(
            self._scalar(
                "SELECT rd_qa_overturn(:sample, :id, :case_id, CAST(:round AS integer), "
                ":outcome, :reasons, :comment, :reviewer, CAST(:token AS bigint), "
                "CAST(:device_time AS timestamptz), :ws)",
                {"sample": decision_id, **_decision_params(rec)},
            )
        )

    # journal, prints, blobs

    def append_journal(self, entries: Iterable[Mapping[str, Any]]) -> None:
        """Append uploaded chain entries; repeats are no-ops, a changed repeat is refused."""
        for entry in entries:
            self.append_journal_entry(entry)

    def append_journal_entry(self, entry: Mapping[str, Any]) -> bool:
        """Append one entry; True when it was new.

        The entry has chain, seq, entry_id, actor, workstation, device_time, store_time,
        action, case_id, payload (a dict, or payload_text), prev_hash, hash, mac (the
        workstation key's mark; None only before keys) and withheld (None, or why only the
        position is sent: then actor, case and payload are not).
        """
        payload_text = entry.get("payload_text")
        if payload_text is None:
            payload_text = _canonical_json(entry.get("payload") or {})
        inserted = self._scalar(
            "SELECT rd_append_journal(:chain, CAST(:seq AS bigint), :entry_id, :actor, :ws, "
            "CAST(:device_time AS timestamptz), CAST(:store_time AS timestamptz), :action, "
            ":case_id, :payload, :prev_hash, :hash, :mac, :withheld)",
            {
                "chain": entry["chain"],
                "seq": entry["seq"],
                "entry_id": entry["entry_id"],
                "actor": entry.get("actor"),
                "ws": entry["workstation"],
                "device_time": _utc(entry["device_time"]),
                "store_time": _utc(entry["store_time"]),
                "action": entry["action"],
                "case_id": entry.get("case_id"),
                "payload": payload_text,
                "prev_hash": entry["prev_hash"],
                "hash": entry["hash"],
                "mac": entry.get("mac"),
                "withheld": entry.get("withheld"),
            },
        )
        return bool(inserted)

    def record_print(self, row: Mapping[str, Any]) -> None:
        """Store a print record (NoticePrint columns); a repeat is a no-op."""
        self.record_print_once(row)

    def register_station(self, store_id: str, key: str, keyed_from: int) -> int:
        """Register this workstation: its print serial range (the same number for the same
        store id), its journal key (``key``, hex; marks required from ``keyed_from``) and,
        for a workstation login, the binding of its chain to that login."""
        return int(
            self._scalar(
                "SELECT rd_register_station(:s, :k, CAST(:f AS bigint))",
                {"s": store_id, "k": key, "f": keyed_from},
            )
        )

    def record_print_once(self, row: Mapping[str, Any]) -> bool:
        """Store a print record; True when it was new, False when it was already there."""
        self._act(str(row["printed_by"]))
        return bool(
            self._scalar(
                "SELECT rd_record_print(:id, :serial, :case_id, CAST(:round_no AS integer), "
                ":decision_id, :template, :template_version, CAST(:copy_no AS integer), "
                ":reprint_reason, :printed_by, CAST(:device_time AS timestamptz), :ws)",
                {
                    "id": row["id"],
                    "serial": row["serial"],
                    "case_id": row["case_id"],
                    "round_no": row["round_no"],
                    "decision_id": row.get("decision_id"),
                    "template": row["template"],
                    "template_version": row["template_version"],
                    "copy_no": row["copy_no"],
                    "reprint_reason": row.get("reprint_reason"),
                    "printed_by": row["printed_by"],
                    "device_time": _utc(row["device_time"]),
                    "ws": row["workstation"],
                },
            )
        )

    def put_blob_chunk(self, sha256: str, idx: int, data: bytes) -> None:
        self._call(
            "SELECT rd_put_blob_chunk(:sha, CAST(:idx AS integer), CAST(:data AS bytea))",
            {"sha": sha256, "idx": idx, "data": data},
        )

    def complete_blob(self, sha256: str, size: int, media_type: str) -> bool:
        """True when the chunks hash to ``sha256`` and add up to ``size`` (blob now present)."""
        return bool(
            self._scalar(
                "SELECT rd_complete_blob(:sha, CAST(:size AS bigint), :media_type)",
                {"sha": sha256, "size": size, "media_type": media_type},
            )
        )


def _decision_params(rec: DecisionRecord) -> dict[str, Any]:
    """A decision as the rd_* functions take it (one place for both of them)."""
    return {
        "id": rec.decision_id,
        "case_id": rec.case_id,
        "round": rec.round_no,
        "outcome": rec.outcome,
        "reasons": _canonical_json(rec.reasons),
        "comment": rec.comment,
        "reviewer": rec.reviewer_id,
        "token": rec.claim_token,
        "device_time": _utc(rec.device_time),
        "ws": rec.workstation,
    }
