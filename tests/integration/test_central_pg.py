"""The central PostgreSQL guard, tried as the workstations' own database role.

Each test connects as a LOGIN role in the workstation group (trust auth: no password)
and tries what a tampered workstation would: write tables directly, read another
district, act for another district's users. The ``rd_*`` functions must then do exactly
what ``reviewdb.arbiter`` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import pytest
from sqlalchemy import Engine, insert, make_url, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewdb import journal, migrate
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central_pg import (
    PgArbiter,
    create_login,
    drop_login,
    group_role_name,
    install,
    uninstall,
)
from reviewdb.engine import Store, make_engine
from reviewdb.models import (
    Blob,
    BlobChunk,
    Case,
    CentralJournalEntry,
    Claim,
    Decision,
    User,
    UserDistrict,
)
from tests.factories import DISTRICTS, bulk_cases
from tests.identity_helpers import token_source

pytestmark = pytest.mark.postgres

A = DISTRICTS[0][0]  # the workstation role's district
B = DISTRICTS[1][0]  # someone else's
LEASE = dt.timedelta(minutes=30)
T = TypeVar("T")


@dataclass
class Central:
    store: Store
    owner: Engine
    ws: Engine
    login: str
    users: dict[str, str]
    pending_a: list[str]
    pending_b: list[str]
    cases_a: list[str]
    cases_b: list[str]

    def call(self, fn: Callable[[PgArbiter], T], *, as_owner: bool = False) -> T:
        """One committed transaction as the workstation role (or the owner)."""
        with (self.owner if as_owner else self.ws).begin() as conn:
            return fn(PgArbiter(conn, tokens=None if as_owner else self.tokens))

    def tokens(self, user_id: str) -> str | None:
        """The workstation's token of each person (minted once, as at an online login)."""
        if not hasattr(self, "_tokens"):
            self._tokens = token_source(self.owner, self.login)
        return self._tokens(user_id)


def _add_user(s: Any, name: str, role: str, districts: list[str], disabled: bool = False) -> str:
    uid = str(uuid.uuid4())
    s.execute(
        insert(User).values(
            id=uid,
            username=name,
            display_name=name,
            role=role,
            reviewer_code=name.upper(),
            password_hash="-",
            disabled=disabled,
            failed_logins=0,
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    for code in districts:
        s.execute(insert(UserDistrict).values(user_id=uid, district_code=code))
    return uid


def sweep_orphan_roles(engine: Engine) -> None:
    """Drop test roles left behind by killed runs (roles outlive the databases they served).

    A group role exists only while its database does (install runs after the database is
    made, uninstall before it is dropped), so one whose database is gone is an orphan; a
    test login always belongs to its group, so one without any membership is too.
    """
    with engine.connect() as conn:
        orphans = (
            conn.execute(
                text(
                    "SELECT r.rolname FROM pg_roles r WHERE "
                    "(r.rolname LIKE 'rdws\\_rd\\_test\\_%' AND NOT EXISTS (SELECT 1 FROM pg_database d "
                    "  WHERE 'rdws_' || d.datname = r.rolname)) "
                    "OR (r.rolname LIKE 'rdl\\_%' AND r.rolcanlogin AND NOT EXISTS "
                    "  (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid))"
                )
            )
            .scalars()
            .all()
        )
    for role in orphans:
        try:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        except DBAPIError:
            pass  # another run's sweep got there first, or it still owns something


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Central]:
    store = Store(pg_url, tmp_path / "blobs")
    sweep_orphan_roles(store.engine)
    migrate.upgrade(store)
    bulk_cases(store, 80, seed=5)
    install(store.engine)
    login = f"rdl_{uuid.uuid4().hex[:12]}"
    ws: Engine | None = None
    try:
        with store.write() as s:
            users = {
                "ra": _add_user(s, "ra", "reviewer", [A]),
                "ra2": _add_user(s, "ra2", "reviewer", [A]),
                "sa": _add_user(s, "sa", "supervisor", [A]),
                "sa2": _add_user(s, "sa2", "supervisor", [A]),
                "rdis": _add_user(s, "rdis", "reviewer", [A], disabled=True),
                "rb": _add_user(s, "rb", "reviewer", [B]),
                "sb": _add_user(s, "sb", "supervisor", [B]),
            }
            rows = s.execute(
                select(Case.id, Case.district_code, Case.status).order_by(Case.id)
            ).all()
        create_login(store.engine, login, [A])
        ws = make_engine(make_url(pg_url).set(username=login))
        yield Central(
            store=store,
            owner=store.engine,
            ws=ws,
            login=login,
            users=users,
            pending_a=[c for c, d, st in rows if d == A and st == "pending"],
            pending_b=[c for c, d, st in rows if d == B and st == "pending"],
            cases_a=[c for c, d, _ in rows if d == A],
            cases_b=[c for c, d, _ in rows if d == B],
        )
    finally:
        if ws is not None:
            ws.dispose()
        drop_login(store.engine, login)
        uninstall(store.engine)
        store.dispose()


def _decision(
    case_id: str,
    reviewer: str,
    token: int,
    *,
    outcome: str = "approve",
    comment: str | None = "ok",
    needs_confirmation: bool = False,
    decision_id: str | None = None,
) -> DecisionRecord:
    return DecisionRecord(
        decision_id=decision_id or str(uuid.uuid4()),
        case_id=case_id,
        round_no=1,
        outcome=outcome,
        reasons={"codes": ["R1"], "missing": []},
        comment=comment,
        reviewer_id=reviewer,
        claim_token=token,
        device_time=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),  # a skewed device clock
        workstation="ws-test",
        needs_confirmation=needs_confirmation,
    )


def _refused(central: Central, fn: Callable[[PgArbiter], Any], *, as_owner: bool = False) -> str:
    with pytest.raises(ArbiterRefusal) as info:
        central.call(fn, as_owner=as_owner)
    return info.value.code


def _decide(central: Central, case_id: str, user: str, **kw: Any) -> tuple[str, str]:
    uid = central.users[user]
    claim = central.call(lambda a: a.claim(case_id, uid, "ws-test", LEASE))
    rec = _decision(case_id, uid, claim.token, **kw)
    return rec.decision_id, central.call(lambda a: a.submit_decision(rec))


# -- the role cannot write, and reads only its district ----------------------------------

DIRECT_WRITES = [
    "UPDATE decisions SET state = 'undone'",
    "DELETE FROM decisions",
    "INSERT INTO decisions (id, case_id, round_no, outcome, reasons, reviewer_id, claim_token,"
    " device_time, store_time, state, effective, workstation) VALUES ('x', 'c', 1, 'approve',"
    " '{}', 'u', 1, now(), now(), 'accepted', true, 'w')",
    "UPDATE central_journal SET hash = 'x'",
    "DELETE FROM central_journal",
    "INSERT INTO central_journal (chain, seq, entry_id, workstation, device_time, store_time,"
    " action, payload, prev_hash, hash, received_at) VALUES ('c', 1, 'e', 'w', now(), now(),"
    " 'a', '{}', 'p', 'h', now())",
    "UPDATE journal SET hash = 'x'",
    "DELETE FROM journal",
    "UPDATE claims SET owner_id = NULL",
    "UPDATE cases SET status = 'approved'",
    "UPDATE change_counter SET value = 0",
    "UPDATE blob_chunks SET data = ''",
    "DELETE FROM blobs",
    "INSERT INTO db_role_districts VALUES (session_user, '360103')",
    "TRUNCATE decisions",
    "SELECT * FROM claims FOR UPDATE",
]


def test_role_cannot_write_any_table_directly(central: Central) -> None:
    decision_id, state = _decide(central, central.pending_a[0], "ra")
    assert state == "accepted"
    for statement in DIRECT_WRITES:
        with pytest.raises(DBAPIError) as info, central.ws.begin() as conn:
            conn.execute(text(statement))
        assert isinstance(info.value.orig, psycopg.errors.InsufficientPrivilege), statement
    with central.store.read() as s:
        row = s.get(Decision, decision_id)
        assert row is not None and row.state == "accepted"


def test_role_reads_only_its_districts(central: Central) -> None:
    # Decisions in both districts, made by the owner (which acts without a mapping).
    _decide(central, central.pending_a[0], "ra")
    uid_b = central.users["rb"]
    case_b = central.pending_b[0]
    claim_b = central.call(lambda a: a.claim(case_b, uid_b, "ws-b", LEASE), as_owner=True)
    central.call(
        lambda a: a.submit_decision(_decision(case_b, uid_b, claim_b.token)), as_owner=True
    )
    with central.ws.connect() as conn:
        districts = conn.execute(text("SELECT DISTINCT district_code FROM cases")).scalars().all()
        assert districts == [A]
        count = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        assert count == len(central.cases_a)
        assert (
            conn.execute(text("SELECT * FROM cases WHERE id = :i"), {"i": case_b}).first() is None
        )
        assert (
            conn.execute(text("SELECT * FROM claims WHERE case_id = :i"), {"i": case_b}).first()
            is None
        )
        for table, n in [
            ("case_rounds", len(central.cases_a)),
            ("claims", len(central.cases_a)),
            ("applications", len(central.cases_a)),
            ("students", len(central.cases_a)),
            ("decisions", 1),
        ]:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == n, table
        users = set(conn.execute(text("SELECT username FROM users")).scalars())
        assert users == {"ra", "ra2", "sa", "sa2", "rdis"}
        assert set(conn.execute(text("SELECT district_code FROM user_districts")).scalars()) == {A}
        assert conn.execute(
            text("SELECT role_name, district_code FROM db_role_districts")
        ).all() == [(central.login, A)]
        # Reference tables are whole.
        assert conn.execute(text("SELECT count(*) FROM districts")).scalar_one() == len(DISTRICTS)
        assert conn.execute(text("SELECT value FROM change_counter")).scalar_one() > 0
        # The district predicate is evaluated once per query (an InitPlan), not per row.
        plan = "\n".join(conn.execute(text("EXPLAIN SELECT * FROM cases")).scalars())
        assert "InitPlan" in plan
    with central.store.read() as s:  # the owner is not filtered
        assert s.scalar(select(Case.id).where(Case.id == case_b)) == case_b


def test_functions_refuse_other_districts_and_users(central: Central) -> None:
    ra, rb, rdis = central.users["ra"], central.users["rb"], central.users["rdis"]
    case_a, case_b = central.pending_a[0], central.pending_b[0]
    assert _refused(central, lambda a: a.claim(case_b, rb, "w", LEASE)) == "not_in_district"
    assert _refused(central, lambda a: a.claim(case_b, ra, "w", LEASE)) == "not_in_district"
    # A user of district B cannot act on district A's case, even through A's workstation.
    assert _refused(central, lambda a: a.claim(case_a, rb, "w", LEASE)) == "not_allowed"
    assert _refused(central, lambda a: a.claim(case_a, rdis, "w", LEASE)) == "not_allowed"
    # Nobody can be proven for an id the central store does not know.
    assert _refused(central, lambda a: a.claim(case_a, "nobody", "w", LEASE)) == "no_identity"
    assert _refused(central, lambda a: a.claim("no-such-case", ra, "w", LEASE)) == "no_case"
    assert (
        _refused(central, lambda a: a.submit_decision(_decision(case_b, rb, 1)))
        == "not_in_district"
    )
    assert _refused(central, lambda a: a.submit_decision(_decision(case_a, rb, 1))) == "not_allowed"
    assert _refused(central, lambda a: a.claim(case_a, ra, "w", dt.timedelta(days=30))) == "invalid"
    entry = _journal_entries("chain-x", 1, case_b)[0]
    assert _refused(central, lambda a: a.append_journal([entry])) == "not_in_district"
    row = _print_row(case_b, None, rb)
    assert _refused(central, lambda a: a.record_print(row)) == "not_in_district"
    # The owner skips the role-district check but never the user-district check.
    info = central.call(lambda a: a.claim(case_b, rb, "admin", LEASE), as_owner=True)
    assert info.token == 1
    assert (
        _refused(central, lambda a: a.claim(central.pending_b[1], ra, "w", LEASE), as_owner=True)
        == "not_allowed"
    )


def test_a_login_with_no_district_sees_and_does_nothing(central: Central, pg_url: str) -> None:
    login = f"rdl_{uuid.uuid4().hex[:12]}"
    create_login(central.owner, login, [])
    engine = make_engine(make_url(pg_url).set(username=login))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == 0
            assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
        with pytest.raises(ArbiterRefusal) as info, engine.begin() as conn:
            PgArbiter(conn).put_blob_chunk("0" * 64, 0, b"x")
        assert info.value.code == "not_in_district"
    finally:
        engine.dispose()
        drop_login(central.owner, login)


# -- the arbiter's semantics through the functions ---------------------------------------


def test_claim_renew_release_takeover(central: Central) -> None:
    ra, ra2, sa = central.users["ra"], central.users["ra2"], central.users["sa"]
    case_id = central.pending_a[0]
    first = central.call(lambda a: a.claim(case_id, ra, "ws-1", LEASE))
    assert first.token == 1 and first.owner_id == ra and first.case_id == case_id
    assert first.leased_until.tzinfo is not None
    again = central.call(lambda a: a.claim(case_id, ra, "ws-1", LEASE))
    assert again.token == 1 and again.leased_until > first.leased_until  # kept and extended
    with pytest.raises(ArbiterRefusal) as info:
        central.call(lambda a: a.claim(case_id, ra2, "ws-2", LEASE))
    assert info.value.code == "claimed_by_other"
    assert info.value.details["holder"] == "ra"
    assert info.value.details["until"] == again.leased_until
    assert "claimed by ra until" in str(info.value)

    renewed = central.call(lambda a: a.renew(case_id, ra, 1, LEASE))
    assert renewed.token == 1 and renewed.leased_until > again.leased_until
    assert _refused(central, lambda a: a.renew(case_id, ra, 7, LEASE)) == "not_holder"
    assert _refused(central, lambda a: a.renew(case_id, ra2, 1, LEASE)) == "not_holder"

    assert central.call(lambda a: a.release(case_id, ra2)) is False
    assert central.call(lambda a: a.release(case_id, ra)) is True
    second = central.call(lambda a: a.claim(case_id, ra2, "ws-2", LEASE))
    assert second.token == 2

    assert _refused(central, lambda a: a.takeover(case_id, ra, "ws-1", LEASE)) == "not_allowed"
    taken = central.call(lambda a: a.takeover(case_id, sa, "ws-3", LEASE))
    assert taken.token == 3 and taken.owner_id == sa

    # An expired lease is won by the next claimant with a new token.
    other = central.pending_a[1]
    central.call(lambda a: a.claim(other, ra, "ws-1", dt.timedelta(seconds=0.2)))
    time.sleep(0.3)
    won = central.call(lambda a: a.claim(other, ra2, "ws-2", LEASE))
    assert won.token == 2 and won.owner_id == ra2
    with central.store.read() as s:
        claim = s.get(Claim, other)
        assert claim is not None and claim.owner_id == ra2 and claim.workstation == "ws-2"


def test_submit_decision_accepted_conflict_idempotent_id_reused(central: Central) -> None:
    ra, sa = central.users["ra"], central.users["sa"]
    case_id = central.pending_a[0]
    claim = central.call(lambda a: a.claim(case_id, ra, "ws-1", LEASE))
    rec = _decision(case_id, ra, claim.token, outcome="reject")
    assert central.call(lambda a: a.submit_decision(rec)) == "accepted"
    assert central.call(lambda a: a.submit_decision(rec)) == "accepted"  # idempotent
    reused = _decision(case_id, ra, claim.token, comment="changed", decision_id=rec.decision_id)
    assert _refused(central, lambda a: a.submit_decision(reused)) == "id_reused"
    with central.store.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.status == "rejected" and case.decided_at is not None
        claim_row = s.get(Claim, case_id)
        assert claim_row is not None and claim_row.owner_id is None  # the fence released it
        stored = s.get(Decision, rec.decision_id)
        assert stored is not None and stored.effective and stored.reasons == rec.reasons
        assert stored.device_time == rec.device_time
        assert abs((stored.store_time - dt.datetime.now(dt.UTC)).total_seconds()) < 60
        assert s.scalar(select(Decision.id).where(Decision.case_id == case_id)) == rec.decision_id

    # A stale token: the supervisor took the case over, the reviewer's decision conflicts
    # and is kept (not dropped); the supervisor's is accepted.
    other = central.pending_a[1]
    mine = central.call(lambda a: a.claim(other, ra, "ws-1", LEASE))
    taken = central.call(lambda a: a.takeover(other, sa, "ws-2", LEASE))
    stale = _decision(other, ra, mine.token)
    assert central.call(lambda a: a.submit_decision(stale)) == "conflict"
    assert central.call(lambda a: a.submit_decision(stale)) == "conflict"
    fresh = _decision(other, sa, taken.token, outcome="return")
    assert central.call(lambda a: a.submit_decision(fresh)) == "accepted"
    # A second decision on a decided round, even with a fresh claim, is a conflict.
    later = central.call(lambda a: a.claim(other, ra, "ws-1", LEASE))
    assert central.call(lambda a: a.submit_decision(_decision(other, ra, later.token))) == (
        "conflict"
    )
    with central.store.read() as s:
        rows = s.scalars(select(Decision).where(Decision.case_id == other)).all()
        states = sorted((r.state, r.effective) for r in rows)
        assert states == [("accepted", True), ("conflict", False), ("conflict", False)]
        case = s.get(Case, other)
        assert case is not None and case.status == "returned"
    with central.ws.connect() as conn:  # the workstation sees its conflicts
        assert (
            conn.execute(
                text("SELECT state FROM decisions WHERE id = :i"), {"i": stale.decision_id}
            ).scalar_one()
            == "conflict"
        )


def test_four_eyes_confirm(central: Central) -> None:
    ra, sa, sa2 = central.users["ra"], central.users["sa"], central.users["sa2"]
    case_id = central.pending_a[0]
    decision_id, state = _decide(central, case_id, "sa", needs_confirmation=True)
    assert state == "pending_confirmation"
    with central.store.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.status == "confirming"
    assert _refused(central, lambda a: a.confirm(decision_id, sa, True)) == "four_eyes"
    assert _refused(central, lambda a: a.confirm(decision_id, ra, True)) == "not_allowed"
    assert _refused(central, lambda a: a.confirm(decision_id, central.users["sb"], True)) == (
        "not_allowed"
    )
    assert _refused(central, lambda a: a.confirm("no-such", sa2, True)) == "no_case"
    assert central.call(lambda a: a.confirm(decision_id, sa2, True)) == "confirmed"
    assert central.call(lambda a: a.confirm(decision_id, sa2, True)) == "confirmed"  # retried
    with central.store.read() as s:
        case = s.get(Case, case_id)
        row = s.get(Decision, decision_id)
        assert case is not None and case.status == "approved"
        assert row is not None and row.confirmed_by == sa2 and row.effective
    # A supervisor who disagrees sends the case back to the queue.
    other = central.pending_a[1]
    second, _ = _decide(central, other, "ra", needs_confirmation=True)
    assert central.call(lambda a: a.confirm(second, sa, False)) == "superseded"
    assert _refused(central, lambda a: a.confirm(second, sa2, True)) == "state"
    with central.store.read() as s:
        case = s.get(Case, other)
        row = s.get(Decision, second)
        assert case is not None and case.status == "pending" and case.decided_at is None
        assert row is not None and not row.effective


def test_undo_window_decider_and_printed(central: Central) -> None:
    ra, ra2 = central.users["ra"], central.users["ra2"]
    case_id = central.pending_a[0]
    decision_id, _ = _decide(central, case_id, "ra")
    window = 10  # minutes
    assert _refused(central, lambda a: a.undo(decision_id, ra2, window)) == "not_allowed"
    time.sleep(0.05)
    assert _refused(central, lambda a: a.undo(decision_id, ra, 0)) == "undo_window"
    assert central.call(lambda a: a.undo(decision_id, ra, window)) == "undone"
    assert central.call(lambda a: a.undo(decision_id, ra, window)) == "undone"  # retried
    with central.store.read() as s:
        case = s.get(Case, case_id)
        row = s.get(Decision, decision_id)
        assert case is not None and case.status == "pending" and case.decided_at is None
        assert row is not None and row.state == "undone" and not row.effective
    # Decided again after the undo; a notice is printed; undo is then refused.
    again, state = _decide(central, case_id, "ra")
    assert state == "accepted"
    printed = _print_row(case_id, again, ra)
    assert central.call(lambda a: a.record_print_once(printed)) is True
    assert central.call(lambda a: a.record_print_once(printed)) is False  # idempotent
    central.call(lambda a: a.record_print(printed))  # the uploader's call: a no-op
    assert _refused(central, lambda a: a.record_print({**printed, "copy_no": 2})) == "id_reused"
    other_id = {**printed, "id": str(uuid.uuid4())}  # the same serial under another id
    assert _refused(central, lambda a: a.record_print(other_id)) == "id_reused"
    assert _refused(central, lambda a: a.undo(again, ra, window)) == "printed"
    with central.ws.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notice_prints")).scalar_one() == 1


def test_resolve_conflict_supersedes_what_stood(central: Central) -> None:
    ra, sa, sa2 = central.users["ra"], central.users["sa"], central.users["sa2"]
    case_id = central.pending_a[0]
    mine = central.call(lambda a: a.claim(case_id, ra, "ws-1", LEASE))
    taken = central.call(lambda a: a.takeover(case_id, sa, "ws-2", LEASE))
    stale = _decision(case_id, ra, mine.token, outcome="reject")
    assert central.call(lambda a: a.submit_decision(stale)) == "conflict"
    standing = _decision(case_id, sa, taken.token, outcome="approve")
    assert central.call(lambda a: a.submit_decision(standing)) == "accepted"
    settle = _decision(case_id, sa2, 0, outcome="return")
    assert (
        _refused(
            central, lambda a: a.resolve_conflict(stale.decision_id, _decision(case_id, ra, 0))
        )
        == "not_allowed"
    )  # a reviewer cannot settle
    assert (
        _refused(central, lambda a: a.resolve_conflict(standing.decision_id, settle)) == "state"
    )  # not a conflict
    assert central.call(lambda a: a.resolve_conflict(stale.decision_id, settle)) == "accepted"
    assert central.call(lambda a: a.resolve_conflict(stale.decision_id, settle)) == "accepted"
    again = _decision(case_id, sa2, 0, outcome="approve")
    assert _refused(central, lambda a: a.resolve_conflict(stale.decision_id, again)) == "state"
    with central.store.read() as s:
        rows = {r.id: r for r in s.scalars(select(Decision).where(Decision.case_id == case_id))}
        assert (rows[stale.decision_id].state, rows[stale.decision_id].effective) == (
            "conflict",
            False,
        )
        assert (rows[standing.decision_id].state, rows[standing.decision_id].effective) == (
            "superseded",
            False,
        )
        new = rows[settle.decision_id]
        assert (new.state, new.effective, new.supersedes_id) == (
            "accepted",
            True,
            stale.decision_id,
        )
        assert rows[standing.decision_id].change_seq == new.change_seq
        case = s.get(Case, case_id)
        assert case is not None and case.status == "returned"
        assert case.change_seq == new.change_seq


def _print_row(case_id: str, decision_id: str | None, user_id: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "serial": f"S-{uuid.uuid4().hex[:10]}",
        "case_id": case_id,
        "round_no": 1,
        "decision_id": decision_id,
        "template": "approval",
        "template_version": "1",
        "copy_no": 1,
        "reprint_reason": None,
        "printed_by": user_id,
        "device_time": dt.datetime.now(dt.UTC),
        "workstation": "ws-test",
    }


def _journal_entries(
    chain: str, n: int, case_id: str | None, key: str | None = None
) -> list[dict[str, Any]]:
    """``n`` linked entries of ``chain``, marked with ``key`` (the workstation's journal key)."""
    now = dt.datetime.now(dt.UTC)
    prev = "0" * 64
    out = []
    for seq in range(1, n + 1):
        digest = hashlib.sha256(f"{chain}{seq}{prev}".encode()).hexdigest()
        out.append(
            {
                "chain": chain,
                "seq": seq,
                "entry_id": str(uuid.uuid4()),
                "actor": "ra",
                "workstation": "ws-test",
                "device_time": now,
                "store_time": now,
                "action": "decide",
                "case_id": case_id,
                "payload": {"n": seq, "文字": "审核"},
                "prev_hash": prev,
                "hash": digest,
                "mac": journal.mac_of(key, digest) if key else None,
            }
        )
        prev = digest
    return out


def test_append_journal_idempotent_and_id_reused(central: Central) -> None:
    chain = f"store-{uuid.uuid4().hex[:8]}"
    key = journal.new_secret()
    for name in (chain, f"{chain}-login"):  # the workstation registers its chains first
        central.call(lambda a, name=name: a.register_station(name, key, 1))
    entries = _journal_entries(chain, 3, central.cases_a[0], key)
    central.call(lambda a: a.append_journal(entries))
    central.call(lambda a: a.append_journal(entries))  # a repeated batch is a no-op
    assert central.call(lambda a: [a.append_journal_entry(e) for e in entries]) == [False] * 3
    tampered = {**entries[1], "payload": {"n": 99}}
    assert _refused(central, lambda a: a.append_journal([tampered])) == "id_reused"
    fork = {**entries[2], "entry_id": str(uuid.uuid4())}
    assert _refused(central, lambda a: a.append_journal([fork])) == "id_reused"
    no_case = _journal_entries(f"{chain}-login", 1, None, key)
    assert central.call(lambda a: a.append_journal_entry(no_case[0])) is True
    with central.store.read() as s:
        rows = s.scalars(
            select(CentralJournalEntry)
            .where(CentralJournalEntry.chain == chain)
            .order_by(CentralJournalEntry.seq)
        ).all()
        assert [r.hash for r in rows] == [e["hash"] for e in entries]
        assert rows[1].payload == entries[1]["payload"]
        assert all(r.received_at is not None for r in rows)
    with central.ws.connect() as conn:  # readable back by the workstation: its own case/actor
        assert conn.execute(text("SELECT count(*) FROM central_journal")).scalar_one() == 4


def _put_chunks(central: Central, sha: str, chunks: list[bytes]) -> None:
    """Each chunk in its own transaction, as a resumable upload sends them."""
    for idx, chunk in enumerate(chunks):
        with central.ws.begin() as conn:
            PgArbiter(conn).put_blob_chunk(sha, idx, chunk)


def _attach(central: Central, sha: str, size: int, media_type: str) -> None:
    """As intake leaves it: a case of district A names the image, not yet uploaded."""
    with central.owner.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO blobs (sha256, size, media_type, present, created_at) "
                "VALUES (:s, :n, :m, false, now())"
            ),
            {"s": sha, "n": size, "m": media_type},
        )
        conn.execute(
            text(
                "INSERT INTO attachments (round_id, ordinal, label, filename, sha256, media_type,"
                " size, readable) SELECT r.id, coalesce((SELECT max(a.ordinal) FROM attachments a"
                " WHERE a.round_id = r.id), 0) + 1, 'photo', 'p.jpg', :s, :m, :n, true"
                " FROM case_rounds r WHERE r.case_id = :c ORDER BY r.round_no LIMIT 1"
            ),
            {"s": sha, "n": size, "m": media_type, "c": central.cases_a[-1]},
        )


def test_blob_chunks_verified_on_completion(central: Central) -> None:
    data = os.urandom(5 * 512 * 1024)  # 2.5 MiB in three chunks of up to 1 MiB
    sha = hashlib.sha256(data).hexdigest()
    _attach(central, sha, len(data), "image/jpeg")
    chunks = [data[i : i + 1024 * 1024] for i in range(0, len(data), 1024 * 1024)]
    assert len(chunks) == 3
    _put_chunks(central, sha, chunks[:2])
    assert central.call(lambda a: a.complete_blob(sha, len(data), "image/jpeg")) is False  # resumes
    central.call(lambda a: a.put_blob_chunk(sha, 2, chunks[2]))
    assert central.call(lambda a: a.complete_blob(sha, len(data) + 1, "image/jpeg")) is False
    assert central.call(lambda a: a.complete_blob(sha, len(data), "image/jpeg")) is True
    with central.store.read() as s:
        blob = s.get(Blob, sha)
        assert blob is not None and blob.present and blob.size == len(data)
    # A verified blob is immutable: a late garbage chunk (of the wrong length) is refused
    # and one of the right length changes nothing.
    assert _refused(central, lambda a: a.put_blob_chunk(sha, 1, b"garbage")) == "invalid"
    central.call(lambda a: a.put_blob_chunk(sha, 1, os.urandom(len(chunks[1]))))
    with central.ws.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT string_agg(data, ''::bytea ORDER BY idx) FROM blob_chunks WHERE sha256 = :s"
            ),
            {"s": sha},
        ).scalar_one()
        assert bytes(stored) == data

    # Another blob with one chunk corrupted on the server: never present.
    other = os.urandom(5 * 512 * 1024)
    other_sha = hashlib.sha256(other).hexdigest()
    _attach(central, other_sha, len(other), "image/png")
    parts = [other[i : i + 1024 * 1024] for i in range(0, len(other), 1024 * 1024)]
    _put_chunks(central, other_sha, parts)
    with central.owner.begin() as conn:
        conn.execute(
            text(
                "UPDATE blob_chunks SET data = set_byte(data, 100, 255 - get_byte(data, 100))"
                " WHERE sha256 = :s AND idx = 1"
            ),
            {"s": other_sha},
        )
    assert central.call(lambda a: a.complete_blob(other_sha, len(other), "image/png")) is False
    with central.store.read() as s:
        pending = s.get(Blob, other_sha)
        assert pending is not None and not pending.present
        n_chunks = s.scalar(
            select(BlobChunk.idx)
            .where(BlobChunk.sha256 == other_sha)
            .order_by(BlobChunk.idx.desc())
        )
        assert n_chunks == 2
    # Sending the chunk again heals it.
    central.call(lambda a: a.put_blob_chunk(other_sha, 1, parts[1]))
    assert central.call(lambda a: a.complete_blob(other_sha, len(other), "image/png")) is True
    assert _refused(central, lambda a: a.put_blob_chunk("not-a-hash", 0, b"x")) == "invalid"


def test_change_seq_stamped_on_touched_rows_and_increasing(central: Central) -> None:
    ra, sa2 = central.users["ra"], central.users["sa2"]
    case_id = central.pending_a[0]

    def seqs() -> tuple[int | None, int | None, int]:
        with central.store.read() as s:
            claim = s.get(Claim, case_id)
            case = s.get(Case, case_id)
            counter = s.execute(text("SELECT value FROM change_counter")).scalar_one()
            assert claim is not None and case is not None
            return claim.change_seq, case.change_seq, int(counter)

    seen: list[int] = []
    claim = central.call(lambda a: a.claim(case_id, ra, "ws-1", LEASE))
    claim_seq, _, counter = seqs()
    assert claim_seq == counter
    seen.append(counter)
    central.call(lambda a: a.renew(case_id, ra, claim.token, LEASE))
    claim_seq, _, counter = seqs()
    assert claim_seq == counter
    seen.append(counter)
    rec = _decision(case_id, ra, claim.token, needs_confirmation=True)
    central.call(lambda a: a.submit_decision(rec))
    claim_seq, case_seq, counter = seqs()
    with central.store.read() as s:
        row = s.get(Decision, rec.decision_id)
        assert row is not None
        assert row.change_seq == case_seq == claim_seq == counter
    seen.append(counter)
    central.call(lambda a: a.confirm(rec.decision_id, sa2, True))
    _, case_seq, counter = seqs()
    with central.store.read() as s:
        row = s.get(Decision, rec.decision_id)
        assert row is not None and row.change_seq == case_seq == counter
    seen.append(counter)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    # A refused call takes no number.
    _refused(central, lambda a: a.renew(case_id, ra, 99, LEASE))
    assert seqs()[2] == counter


def test_a_refusal_leaves_the_batch_transaction_usable(central: Central) -> None:
    ra = central.users["ra"]
    with central.ws.begin() as conn:
        arb = PgArbiter(conn, tokens=central.tokens)
        with pytest.raises(ArbiterRefusal):
            arb.claim(central.pending_b[0], ra, "w", LEASE)
        info = arb.claim(central.pending_a[0], ra, "w", LEASE)
    assert info.token == 1
    with central.store.read() as s:
        claim = s.get(Claim, central.pending_a[0])
        assert claim is not None and claim.owner_id == ra
    # The same through an ORM Session bound to the workstation role.
    with Session(central.ws) as session, session.begin():
        arb = PgArbiter(session, tokens=central.tokens)
        with pytest.raises(ArbiterRefusal) as refused:
            arb.claim(central.pending_a[0], central.users["ra2"], "w", LEASE)
        assert refused.value.code == "claimed_by_other"
        assert arb.release(central.pending_a[0], ra) is True


def test_install_is_idempotent_and_role_named_per_database(central: Central) -> None:
    database = central.store.url.database
    assert database is not None
    group = install(central.owner)
    assert group == group_role_name(database) == f"rdws_{database}"
    assert len(group_role_name("x" * 100)) <= 63
    with central.ws.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar_one() == len(central.cases_a)
        member = conn.execute(text("SELECT pg_has_role(session_user, :g, 'MEMBER')"), {"g": group})
        assert member.scalar_one() is True
