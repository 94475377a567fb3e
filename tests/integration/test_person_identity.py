"""Per-person identity at the central store, against a cluster that checks passwords.

Each person's actions reach the central store under an identity PostgreSQL itself verified:
a person's own login (scram-sha-256) is the only way to a person token, a token is bound to
one workstation login and expires, and every rd_* function takes the actor from what was
proven in the transaction, never from its argument. Replays the impersonation attempts of
issue 13 as a district login and as a person.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError

from app import auth, runtime
from app.auth import Actor, create_user
from app.review.workflow import DecisionInput
from app.sync.engine import SyncEngine
from app.workbench import Workbench
from reviewdb import central_pg, identity, migrate
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.central_pg import PgArbiter
from reviewdb.engine import Store, make_engine
from reviewdb.models import Case, Decision, StationToken, User
from tests.factories import DISTRICTS, bulk_cases
from tests.integration.scram_cluster import scram_cluster  # noqa: F401  (fixture)
from tests.integration.sync_fixtures import UNREACHABLE

pytestmark = [pytest.mark.postgres]

A, B = DISTRICTS[0][0], DISTRICTS[1][0]
LEASE = dt.timedelta(minutes=30)
WS_PASSWORD = "ws-login-secret-1"
PASSWORDS = {
    "alice": "alice-pass-1",
    "bob": "bob-pass-1",
    "sup": "sup-pass-1",
    "sup2": "sup2-pass-1",
}


@dataclass
class Rig:
    store: Store  # the tables' owner (trusted superuser of the private cluster)
    url: str  # the database, as its owner
    dbname: str
    users: dict[str, Actor]
    pending_a: list[str]

    def login_url(self, login: str, password: str = WS_PASSWORD) -> str:
        return (
            make_url(self.url)
            .set(username=login, password=password)
            .render_as_string(hide_password=False)
        )

    def token(self, name: str, login: str = "ws_a", hours: float = 2.0) -> identity.Token:
        return identity.issue_token(
            self.login_url(login),
            self.dbname,
            self.users[name].user_id,
            PASSWORDS[name],
            store_id="st-test",
            login_role=login,
            hours=hours,
        )

    def as_login(self, login: str = "ws_a") -> psycopg.Connection[tuple[object, ...]]:
        u = make_url(self.url)
        return psycopg.connect(
            host=u.host, port=u.port, dbname=u.database, user=login, password=WS_PASSWORD
        )


@pytest.fixture(scope="module")
def rig(scram_cluster: str) -> Iterator[Rig]:  # noqa: F811
    dbname = f"rd_ident_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        make_url(scram_cluster).render_as_string().replace("+psycopg", ""), autocommit=True
    )
    admin.execute(f'CREATE DATABASE "{dbname}"')
    url = scram_cluster.rsplit("/", 1)[0] + "/" + dbname
    store = Store(url)
    try:
        migrate.upgrade(store)
        central_pg.install(store.engine)
        case_ids = bulk_cases(store, 90, seed=3)
        with store.write() as s:  # numbered as intake numbers them, so workstations pull them
            seq = s.execute(text("SELECT rd_next_change()")).scalar_one()
            s.execute(text("UPDATE cases SET change_seq = :v"), {"v": seq})
        admin_actor = create_user(
            store, by=None, username="admin", role="admin", districts=[], password="admin-pass-1"
        )
        users = {
            name: create_user(
                store,
                by=admin_actor,
                username=name,
                role="supervisor" if name.startswith("sup") else "reviewer",
                districts=[A],
                password=PASSWORDS[name],
            )
            for name in PASSWORDS
        }
        with store.read() as s:
            pending_a = list(
                s.scalars(
                    select(Case.id)
                    .where(Case.id.in_(case_ids), Case.district_code == A, Case.status == "pending")
                    .order_by(Case.id)
                )
            )
        for login, codes in (("ws_a", [A]), ("ws_a2", [A]), ("ws_b", [B])):
            central_pg.create_login(store.engine, login, codes, password=WS_PASSWORD)
        yield Rig(store, url, dbname, users, pending_a)
    finally:
        central_pg.uninstall(store.engine)
        for login in ("ws_a", "ws_a2", "ws_b"):
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')
        store.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


def _refusal(conn: psycopg.Connection[tuple[object, ...]], sql: str, *args: object) -> str:
    """Run one statement in its own transaction; the rd refusal code it raised."""
    with pytest.raises(psycopg.errors.RaiseException) as info, conn.transaction():
        conn.execute(sql, args)
    return str(info.value).split(":", 2)[1]


def test_a_wrong_password_is_refused_by_postgresql_itself(rig: Rig) -> None:
    role = identity.person_role_name(rig.dbname, rig.users["alice"].user_id)
    u = make_url(rig.url)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=role, password="guess")
    with pytest.raises(identity.PersonRefused):
        identity.issue_token(
            rig.login_url("ws_a"),
            rig.dbname,
            rig.users["alice"].user_id,
            "guess",
            store_id="st-x",
            login_role="ws_a",
        )
    # A workstation login's password is no person's: it gets no token.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=u.host, port=u.port, dbname=u.database, user="ws_a", password="guess")
    token = rig.token("alice")
    assert token.user_id == rig.users["alice"].user_id
    assert token.expires_at > dt.datetime.now(dt.UTC)


def test_a_workstation_acts_only_for_the_person_it_proves(rig: Rig) -> None:
    alice, bob = rig.users["alice"].user_id, rig.users["bob"].user_id
    sup2 = rig.users["sup2"].user_id
    case = rig.pending_a[0]
    with rig.as_login() as conn:
        # Nothing proven: any user id the workstation names is refused.
        assert (
            _refusal(conn, "SELECT * FROM rd_claim(%s, %s, 'w', 600)", case, alice) == "no_identity"
        )
        # Alice proven: acting as bob, or as a supervisor, is refused.
        tok = rig.token("alice").token
        with conn.transaction():
            assert conn.execute("SELECT rd_act_as(%s)", (tok,)).fetchone() == (alice,)
            row = conn.execute(
                "SELECT token FROM rd_claim(%s, %s, 'w', 600)", (case, alice)
            ).fetchone()
            assert row == (1,)
        with pytest.raises(psycopg.errors.RaiseException, match="rd:not_you"), conn.transaction():
            conn.execute("SELECT rd_act_as(%s)", (tok,))
            conn.execute("SELECT * FROM rd_takeover(%s, %s, 'w', 600)", (case, sup2))
        with pytest.raises(psycopg.errors.RaiseException, match="rd:not_you"), conn.transaction():
            conn.execute("SELECT rd_act_as(%s)", (tok,))
            conn.execute("SELECT * FROM rd_claim(%s, %s, 'w', 600)", (rig.pending_a[1], bob))
        # A reviewer naming a supervisor to move a case to themselves: refused as well;
        # and as themselves, for want of the supervisor's role.
        with pytest.raises(psycopg.errors.RaiseException, match="rd:not_you"), conn.transaction():
            conn.execute("SELECT rd_act_as(%s)", (tok,))
            conn.execute("SELECT * FROM rd_reassign(%s, %s, %s, 600)", (case, sup2, alice))
        with (
            pytest.raises(psycopg.errors.RaiseException, match="rd:not_allowed"),
            conn.transaction(),
        ):
            conn.execute("SELECT rd_act_as(%s)", (tok,))
            conn.execute("SELECT * FROM rd_reassign(%s, %s, %s, 600)", (case, alice, alice))
        assert (
            _refusal(conn, "SELECT * FROM rd_reassign(%s, %s, NULL, 600)", case, sup2)
            == "no_identity"
        )
        # What was proven does not outlive its transaction.
        assert _refusal(conn, "SELECT rd_release(%s, %s)", case, alice) == "no_identity"
    # The same through the arbiter a workstation uses: one token source, per person.
    held = {alice: tok}
    ws = make_engine(make_url(rig.login_url("ws_a")))
    try:
        with ws.begin() as c:
            arb = PgArbiter(c, tokens=held.get)
            assert arb.release(case, alice) is True
            with pytest.raises(ArbiterRefusal) as refused:
                arb.claim(case, bob, "w", LEASE)  # no token of bob's on this workstation
            assert refused.value.code == "no_identity"
    finally:
        ws.dispose()


def test_a_token_is_worthless_anywhere_else(rig: Rig) -> None:
    alice = rig.users["alice"].user_id
    case = rig.pending_a[2]
    tok = rig.token("alice").token
    token_id, _, secret = tok.partition(".")
    # Another workstation login of the same district, and one of another district.
    for login in ("ws_a2", "ws_b"):
        with rig.as_login(login) as conn:
            assert _refusal(conn, "SELECT rd_act_as(%s)", tok) == "token_not_here"
    with rig.as_login() as conn:
        assert _refusal(conn, "SELECT rd_act_as(%s)", "x" * 100_000) == "token_invalid"
        assert _refusal(conn, "SELECT rd_act_as(%s)", f"{token_id}.{'0' * 64}") == "token_invalid"
        assert _refusal(conn, "SELECT rd_act_as(%s)", f"{uuid.uuid4()}.{secret}") == "token_invalid"
        with pytest.raises(psycopg.DataError):  # NUL is refused before any function runs
            conn.execute("SELECT rd_act_as(%s)", (tok + "\x00",))
    # Expired.
    short = rig.token("alice", hours=1 / 3600).token
    time.sleep(1.2)
    with rig.as_login() as conn:
        assert _refusal(conn, "SELECT rd_act_as(%s)", short) == "token_expired"
    # A person cannot get a token for a login that serves none of their districts.
    with pytest.raises(identity.PersonRefused, match="serves none of your districts"):
        rig.token("alice", login="ws_b")
    # Revoked with a new password: the old token is dead, the person logs in again.
    with rig.store.write() as s:
        identity.set_person_password(s.connection(), alice, PASSWORDS["alice"])
    with rig.as_login() as conn:
        assert _refusal(conn, "SELECT rd_act_as(%s)", tok) == "token_revoked"
    fresh = rig.token("alice").token
    with rig.as_login() as conn, conn.transaction():
        conn.execute("SELECT rd_act_as(%s)", (fresh,))
        conn.execute("SELECT * FROM rd_claim(%s, %s, 'w', 600)", (case, alice))


def test_a_disabled_person_can_neither_log_in_nor_be_proven(rig: Rig) -> None:
    bob = rig.users["bob"].user_id
    tok = rig.token("bob").token
    with rig.store.write() as s:
        s.execute(text("UPDATE users SET disabled = true WHERE id = :u"), {"u": bob})
        identity.disable_person(s.connection(), bob)
    with rig.as_login() as conn:
        assert _refusal(conn, "SELECT rd_act_as(%s)", tok) == "token_revoked"
    with pytest.raises(identity.PersonRefused):
        rig.token("bob")
    with rig.store.write() as s:  # put bob back for the other tests
        s.execute(text("UPDATE users SET disabled = false WHERE id = :u"), {"u": bob})
        identity.set_person_password(s.connection(), bob, PASSWORDS["bob"])


def test_no_login_reads_verifiers_tokens_or_more_than_it_may(rig: Rig) -> None:
    rig.token("alice")  # at least one token row exists
    with rig.as_login() as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] >= 4  # type: ignore[index]
        for sql in (
            "SELECT password_hash FROM users",
            "SELECT failed_logins FROM users",
            "SELECT * FROM users",
            "SELECT * FROM person_tokens",
            "SELECT * FROM person_logins",
            "SELECT * FROM acting_sessions",
            "INSERT INTO acting_sessions VALUES (pg_backend_pid(), txid_current(), 'x', 'y')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)
        # rd_issue_token is for persons only.
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SELECT * FROM rd_issue_token('st', 'ws_a', 1)")
    # A person's own login reads no table and calls nothing but the token functions.
    role = identity.person_role_name(rig.dbname, rig.users["alice"].user_id)
    u = make_url(rig.url)
    with psycopg.connect(
        host=u.host, port=u.port, dbname=u.database, user=role, password=PASSWORDS["alice"]
    ) as conn:
        for sql in ("SELECT count(*) FROM cases", "SELECT * FROM rd_claim('c', 'u', 'w', 60)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)
        who = conn.execute("SELECT user_id, role FROM rd_whoami()").fetchone()
        assert who == (rig.users["alice"].user_id, "reviewer")


def _workstation(rig: Rig, tmp_path: Path, central_url: str) -> runtime.Workstation:
    local = Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "blobs")
    migrate.upgrade(local)
    return runtime.connected(local, SyncEngine(local, Store(central_url)))


def test_a_workstation_logs_in_online_acts_and_later_logs_in_offline(
    rig: Rig, tmp_path: Path
) -> None:
    desk = _workstation(rig, tmp_path, rig.login_url("ws_a"))
    assert desk.sync is not None
    desk.sync.sync_once()
    with desk.store.read() as s:
        # The pull brought every person of the district but nobody's verifier.
        assert {u.username: u.password_hash for u in s.scalars(select(User))}.get("bob") == ""
    with pytest.raises(auth.LoginFailed):
        desk.login("alice", "wrong-password", "ws-t")
    actor = desk.login("alice", PASSWORDS["alice"], "ws-t")
    with desk.store.read() as s:
        assert s.get(StationToken, actor.user_id) is not None
        alice_row = s.get(User, actor.user_id)
        assert alice_row is not None and alice_row.password_hash.startswith("$argon2")
        assert alice_row.failed_logins == 0
    bench = Workbench(desk, actor)
    case = rig.pending_a[5]
    with desk.store.read() as s:
        case_no = s.scalar(select(Case.case_no).where(Case.id == case))
    assert case_no is not None
    bench.claim(case_no)
    bench.decide(case_no, DecisionInput("approve"))
    with rig.store.read() as s:
        decided = s.scalars(select(Decision).where(Decision.case_id == case)).all()
        assert [(d.reviewer_id, d.outcome) for d in decided] == [(actor.user_id, "approve")]
    desk.store.dispose()
    # The same computer, the central store out of reach.
    offline = runtime.connected(
        Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "blobs"),
        SyncEngine(
            Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "blobs"), Store(UNREACHABLE)
        ),
    )
    assert offline.login("alice", PASSWORDS["alice"], "ws-t").user_id == actor.user_id
    with pytest.raises(auth.NoOfflineVerifier):
        offline.login("bob", PASSWORDS["bob"], "ws-t")
    with pytest.raises(auth.LoginFailed):
        offline.login("alice", "wrong-password", "ws-t")
    with pytest.raises(DBAPIError), make_engine(make_url(rig.login_url("ws_a"))).connect() as c:
        c.execute(text("SELECT password_hash FROM users"))
