"""Issue 13: the rules live at the central store, not in what a workstation sends.

Rules are published (``reviewdesk central publish-policy``; ``central init`` does it too)
as JSON rows of the central ``settings`` table. Every test here then sends what a tampered
workstation would — as a district workstation's own PostgreSQL login through the ``rd_*``
functions, and through :class:`reviewdb.central.PythonOps` on a central SQLite file — and
requires it refused or ignored:

- ``needs_confirmation = false`` on a kinship or custody rejection still waits for a second
  supervisor (and ``true`` where the policy wants none is ignored too);
- an undo with a window of 2,147,483,647 minutes 23 minutes after the decision is refused
  (the city's window is 10);
- a 7-day lease (claim, renewal, takeover) is clamped to the published 48 hours;
- unknown reason codes (``NO_SUCH_CODE``, ``<script>``), documents not in the checklist,
  a 100,000-character comment, a long note or code are refused — also when a supervisor
  resolves a conflict.

Publishing itself (``central init``, ``central publish-policy``: journaled once, idempotent,
refused to a workstation login) is tested, and so is the legitimate path with rules
published: the arbitration contract's transcript, and an offline checkout decided by the
rules that arrives with nothing quarantined.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, make_url, select, text, update
from sqlalchemy.exc import DBAPIError

from app.cli import main
from app.cli.sync import rules_document, verify_central
from app.policy.loader import load_policies
from app.review.workflow import DecisionInput
from reviewdb import central, migrate
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord
from reviewdb.central import PythonOps
from reviewdb.central_pg import PgArbiter, create_login, drop_login, install, uninstall
from reviewdb.engine import Store, make_engine
from reviewdb.journal import store_now
from reviewdb.models import Application, Case, Claim, Decision, JournalEntry, Setting
from tests.app.review.test_arbitration_contract import Setup
from tests.app.review.test_arbitration_contract import (
    test_every_arbiter_gives_the_same_outcomes as arbitration_contract,
)
from tests.factories import DISTRICTS, bulk_cases
from tests.identity_helpers import token_source
from tests.integration.sync_fixtures import offline, workstation
from tests.integration.test_central_pg import _add_user, sweep_orphan_roles
from tests.workflow_fixtures import build_world

A = DISTRICTS[0][0]
T = TypeVar("T")
MINUTE = dt.timedelta(minutes=1)
WEEK = dt.timedelta(days=7)
PUBLISHED_MAX = dt.timedelta(hours=48)
KINDS = ("guardianship", "kinship", "rural_house")
# Valid content for each kind and outcome (the reason library and the 南昌市 2026 checklists).
VALID_CODE = {
    "guardianship": "CUSTODY_NOT_STATED",
    "kinship": "NOT_DIRECT_RELATIVE",
    "rural_house": "NO_VILLAGE_PROOF",
}
VALID_MISSING = {
    "guardianship": "divorce_certificate",
    "kinship": "birth_certificate",
    "rural_house": "rural_house_proof",
}


def publish(store: Store) -> None:
    """What `reviewdesk central publish-policy` writes, as the store's owner."""
    with store.write() as s:
        central.publish_rules(s, rules_document(), actor=None, workstation="ws-admin")


@dataclass
class Rig:
    """A central store with published rules, and the way a workstation calls its arbiter."""

    backend: str
    store: Store  # the owner's connection (administration, checks)
    ws: Engine | None  # PostgreSQL: the district workstation's own login
    users: dict[str, str]
    cases: dict[str, list[str]]  # kind -> pending cases of district A
    login: str | None = None  # PostgreSQL: the workstation login's name

    def tokens(self, user_id: str) -> str | None:
        """The workstation's token of each person (as an online login leaves it)."""
        assert self.login is not None
        if not hasattr(self, "_tokens"):
            self._tokens = token_source(self.store.engine, self.login)
        return self._tokens(user_id)

    def call(self, fn: Callable[[Any], T]) -> T:
        """One committed central transaction, as a workstation's upload runs it."""
        if self.ws is not None:
            with self.ws.begin() as conn:
                return fn(PgArbiter(conn, tokens=self.tokens))
        with self.store.write() as s:
            return fn(PythonOps(s))

    def refused(self, fn: Callable[[Any], Any]) -> ArbiterRefusal:
        with pytest.raises(ArbiterRefusal) as info:
            self.call(fn)
        return info.value

    def now(self) -> dt.datetime:
        with self.store.read() as s:
            return store_now(s)

    def case(self, kind: str) -> str:
        return self.cases[kind].pop()

    def claim(self, case_id: str, user: str = "ra") -> int:
        uid = self.users[user]
        info: ClaimInfo = self.call(lambda a: a.claim(case_id, uid, "ws-a", 30 * MINUTE))
        return info.token

    def decision(self, case_id: str) -> Decision | None:
        with self.store.read() as s:
            return s.get(Decision, case_id)

    def status(self, case_id: str) -> str:
        with self.store.read() as s:
            return str(s.scalar(select(Case.status).where(Case.id == case_id)))


def _record(
    case_id: str,
    reviewer: str,
    token: int,
    outcome: str,
    *,
    codes: list[str] | None = None,
    missing: list[str] | None = None,
    note: str | None = None,
    comment: str | None = None,
    needs_confirmation: bool = False,
    reasons: dict[str, Any] | None = None,
) -> DecisionRecord:
    return DecisionRecord(
        decision_id=str(uuid.uuid4()),
        case_id=case_id,
        round_no=1,
        outcome=outcome,
        reasons=reasons
        if reasons is not None
        else {
            "codes": codes or [],
            "missing": missing or [],
            "note_to_parent": note,
            "verdicts": {"0": "fine"},
        },
        comment=comment,
        reviewer_id=reviewer,
        claim_token=token,
        device_time=dt.datetime.now(dt.UTC),
        workstation="ws-a",
        needs_confirmation=needs_confirmation,
    )


def _valid(kind: str, outcome: str) -> dict[str, Any]:
    if outcome == "reject":
        return {"codes": [VALID_CODE[kind]]}
    if outcome == "return":
        return {"missing": [VALID_MISSING[kind]]}
    return {}


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    url = (
        str(request.getfixturevalue("pg_url"))
        if request.param == "postgres"
        else f"sqlite:///{tmp_path / 'central.db'}"
    )
    store = Store(url, tmp_path / "blobs", shared_file=True)  # as central_store() opens it
    is_pg = not store.is_sqlite
    if is_pg:
        sweep_orphan_roles(store.engine)
    migrate.upgrade(store)
    bulk_cases(store, 150, seed=5)
    if is_pg:
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
            }
            ids = list(
                s.scalars(
                    select(Case.id).where(Case.district_code == A).order_by(Case.id).limit(24)
                )
            )
            assert len(ids) == 24
            cases: dict[str, list[str]] = {}
            for i, kind in enumerate(KINDS):
                chunk = ids[i * 8 : (i + 1) * 8]
                s.execute(
                    update(Case)
                    .where(Case.id.in_(chunk))
                    .values(kind=kind, status="pending", decided_at=None)
                )
                cases[kind] = chunk
        publish(store)
        if is_pg:
            create_login(store.engine, login, [A])
            ws = make_engine(make_url(url).set(username=login))
        yield Rig(request.param, store, ws, users, cases, login if is_pg else None)
    finally:
        if ws is not None:
            ws.dispose()
        if is_pg:
            drop_login(store.engine, login)
            uninstall(store.engine)
        store.dispose()


# -- four-eyes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome", "forged", "expected"),
    [
        ("kinship", "reject", False, "pending_confirmation"),
        ("guardianship", "reject", False, "pending_confirmation"),  # custody
        ("kinship", "approve", False, "pending_confirmation"),
        ("rural_house", "reject", False, "pending_confirmation"),
        ("guardianship", "approve", True, "accepted"),  # no four-eyes asked by the policy
        ("rural_house", "return", True, "accepted"),
    ],
)
def test_four_eyes_comes_from_the_published_policy(
    rig: Rig, kind: str, outcome: str, forged: bool, expected: str
) -> None:
    case_id = rig.case(kind)
    token = rig.claim(case_id)
    rec = _record(
        case_id, rig.users["ra"], token, outcome, needs_confirmation=forged, **_valid(kind, outcome)
    )
    assert rig.call(lambda a: a.submit_decision(rec)) == expected
    waiting = expected == "pending_confirmation"
    assert rig.status(case_id) == (
        "confirming" if waiting else {"approve": "approved", "return": "returned"}[outcome]
    )
    if waiting:  # and a second supervisor's confirmation is what settles it
        sa = rig.users["sa"]
        assert rig.call(lambda a: a.confirm(rec.decision_id, sa, True)) == "confirmed"


# -- undo window ----------------------------------------------------------------------------


def _age(rig: Rig, decision_id: str, by: dt.timedelta) -> None:
    """The decision was stored ``by`` earlier (time passing, as the owner can make it)."""
    with rig.store.write() as s:
        row = s.get(Decision, decision_id)
        assert row is not None
        row.store_time = row.store_time - by


def test_undo_uses_the_published_window_not_the_callers(rig: Rig) -> None:
    ra = rig.users["ra"]
    case_id = rig.case("guardianship")
    rec = _record(case_id, ra, rig.claim(case_id), "approve")
    assert rig.call(lambda a: a.submit_decision(rec)) == "accepted"
    _age(rig, rec.decision_id, 23 * MINUTE)
    refusal = rig.refused(lambda a: a.undo(rec.decision_id, ra, 2147483647))
    assert refusal.code == "undo_window"
    assert refusal.details["window_minutes"] == 10  # 南昌市 2026's window
    assert rig.status(case_id) == "approved"
    row = rig.decision(rec.decision_id)
    assert row is not None and row.state == "accepted" and row.effective
    # Inside the window a caller's window of 0 minutes is ignored just the same.
    other = rig.case("guardianship")
    again = _record(other, ra, rig.claim(other), "approve")
    assert rig.call(lambda a: a.submit_decision(again)) == "accepted"
    _age(rig, again.decision_id, 5 * MINUTE)
    assert rig.call(lambda a: a.undo(again.decision_id, ra, 0)) == "undone"
    assert rig.status(other) == "pending"


# -- leases ---------------------------------------------------------------------------------


def _stored_until(rig: Rig, case_id: str) -> dt.datetime:
    with rig.store.read() as s:
        until = s.scalar(select(Claim.leased_until).where(Claim.case_id == case_id))
        assert until is not None
        return until


def _close(a: dt.datetime, b: dt.datetime) -> bool:
    return abs((a - b).total_seconds()) < 60


def _claim(case_id: str, user_id: str, lease: dt.timedelta, ops: Any) -> ClaimInfo:
    info: ClaimInfo = ops.claim(case_id, user_id, "ws-a", lease)
    return info


def _resolve(conflict_id: str, rec: DecisionRecord, ops: Any) -> str:
    return str(ops.resolve_conflict(conflict_id, rec))


def test_a_seven_day_lease_is_clamped_to_the_published_maximum(rig: Rig) -> None:
    ra, sa = rig.users["ra"], rig.users["sa"]
    case_id = rig.case("guardianship")
    claimed = rig.call(lambda a: a.claim(case_id, ra, "ws-a", WEEK))
    now = rig.now()
    assert _close(claimed.leased_until, now + PUBLISHED_MAX), claimed.leased_until - now
    assert claimed.leased_until == _stored_until(rig, case_id)  # the clamped until, returned
    renewed = rig.call(lambda a: a.renew(case_id, ra, claimed.token, WEEK))
    assert _close(renewed.leased_until, rig.now() + PUBLISHED_MAX)
    assert renewed.leased_until == _stored_until(rig, case_id)
    taken = rig.call(lambda a: a.takeover(case_id, sa, "ws-s", dt.timedelta(seconds=2147483647)))
    assert _close(taken.leased_until, rig.now() + PUBLISHED_MAX)
    assert taken.leased_until == _stored_until(rig, case_id)
    # What workstations ask for legitimately is untouched: 30 minutes, a 36-hour checkout.
    for lease in (30 * MINUTE, dt.timedelta(hours=36)):
        other = rig.case("kinship")
        info = rig.call(partial(_claim, other, ra, lease))
        assert _close(info.leased_until, rig.now() + lease)
    refusal = rig.refused(lambda a: a.claim(rig.case("kinship"), ra, "ws-a", -MINUTE))
    assert refusal.code == "invalid"


# -- reasons and texts ----------------------------------------------------------------------

FORGED: list[tuple[str, str, dict[str, Any], str]] = [
    # (kind, outcome, what is forged, the refusal's code)
    ("kinship", "reject", {"codes": ["NO_SUCH_CODE"]}, "reason_unknown"),
    ("kinship", "reject", {"codes": ["<script>"]}, "reason_unknown"),
    ("guardianship", "reject", {"codes": ["<script>alert(1)</script>"]}, "reason_unknown"),
    ("guardianship", "reject", {"codes": ["PROPERTY_USED"]}, "reason_unknown"),  # other kind's
    (
        "kinship",
        "reject",
        {"codes": ["NOT_DIRECT_RELATIVE"], "comment": "x" * 100_000},
        "text_too_long",
    ),
    ("kinship", "approve", {"comment": "审" * 2001}, "text_too_long"),
    ("kinship", "reject", {"codes": ["NOT_DIRECT_RELATIVE"], "note": "家" * 1001}, "text_too_long"),
    ("kinship", "reject", {"codes": ["N" * 65]}, "text_too_long"),
    ("rural_house", "return", {"missing": ["M" * 65]}, "text_too_long"),
    ("rural_house", "return", {"missing": ["passport"]}, "missing_unknown"),
    ("rural_house", "return", {"missing": ["<img src=x>"]}, "missing_unknown"),
    ("rural_house", "return", {}, "missing_required"),
    ("rural_house", "reject", {}, "reason_required"),
    ("rural_house", "approve", {"codes": ["NO_VILLAGE_PROOF"]}, "reason_on_approve"),
    ("rural_house", "reject", {"codes": ["OTHER"]}, "comment_required"),
    ("rural_house", "reject", {"codes": ["OTHER", "OTHER"], "comment": "c"}, "invalid"),
    (
        "guardianship",
        "approve",
        {"reasons": {"codes": [], "missing": [], "x": "y" * 100_000}},
        "invalid",
    ),
    (
        "guardianship",
        "approve",
        {"reasons": {"codes": [], "missing": [], "verdicts": {"0": "<b>ok</b>"}}},
        "verdict_unknown",
    ),
    ("guardianship", "reject", {"reasons": {"codes": "NOT_DIVORCED"}}, "invalid"),
]


@pytest.mark.parametrize(("kind", "outcome", "forged", "code"), FORGED)
def test_unknown_codes_and_long_texts_are_refused(
    rig: Rig, kind: str, outcome: str, forged: dict[str, Any], code: str
) -> None:
    ra = rig.users["ra"]
    case_id = rig.case(kind)
    token = rig.claim(case_id)
    rec = _record(case_id, ra, token, outcome, **forged)
    refusal = rig.refused(lambda a: a.submit_decision(rec))
    assert refusal.code == code, str(refusal)
    assert "<" not in str(refusal)  # the refusal never echoes what was sent
    # Nothing was stored and the lease is still the reviewer's: a good decision goes in.
    assert rig.decision(rec.decision_id) is None
    assert rig.status(case_id) == "pending"
    good = _record(case_id, ra, token, outcome, **_valid(kind, outcome))
    assert rig.call(lambda a: a.submit_decision(good)) in ("accepted", "pending_confirmation")


def test_resolving_a_conflict_is_checked_too(rig: Rig) -> None:
    ra, sa, sa2 = rig.users["ra"], rig.users["sa"], rig.users["sa2"]
    case_id = rig.case("guardianship")
    mine = rig.claim(case_id)
    taken = rig.call(lambda a: a.takeover(case_id, sa, "ws-s", 30 * MINUTE)).token
    stale = _record(case_id, ra, mine, "approve")
    assert rig.call(lambda a: a.submit_decision(stale)) == "conflict"
    standing = _record(case_id, sa, taken, "approve")
    assert rig.call(lambda a: a.submit_decision(standing)) == "accepted"
    for forged, code in (
        ({"codes": ["NO_SUCH_CODE"]}, "reason_unknown"),
        ({"codes": ["<script>"]}, "reason_unknown"),
        ({"codes": ["NOT_DIVORCED"], "comment": "x" * 100_000}, "text_too_long"),
        ({"codes": ["NOT_DIVORCED"], "note": "x" * 1001}, "text_too_long"),
    ):
        settle = _record(case_id, sa2, 0, "reject", **forged)
        refusal = rig.refused(partial(_resolve, stale.decision_id, settle))
        assert refusal.code == code
    settle = _record(case_id, sa2, 0, "reject", codes=["NOT_DIVORCED"])
    assert rig.call(lambda a: a.resolve_conflict(stale.decision_id, settle)) == "accepted"
    assert rig.status(case_id) == "rejected"


def test_a_city_year_without_published_rules_is_refused(rig: Rig) -> None:
    ra = rig.users["ra"]
    case_id = rig.case("guardianship")
    with rig.store.write() as s:
        app_id = s.scalar(select(Case.application_id).where(Case.id == case_id))
        s.execute(update(Application).where(Application.id == app_id).values(admission_year=2031))
    rec = _record(case_id, ra, rig.claim(case_id), "approve")
    refusal = rig.refused(lambda a: a.submit_decision(rec))
    assert refusal.code == "rules_missing"
    assert refusal.details["year"] == 2031


# -- the issue's calls, as written, straight into the functions ------------------------------


@pytest.mark.parametrize(
    "rig", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_the_issue_13_calls_through_rd_functions(rig: Rig) -> None:
    ws = rig.ws
    assert ws is not None
    ra = rig.users["ra"]
    kin = rig.case("kinship")
    with ws.begin() as conn:
        # The workstation proves ra (a token from ra's online login), then forges the rest.
        conn.execute(text("SELECT rd_act_as(:t)"), {"t": rig.tokens(ra)})
        token, until = conn.execute(
            text("SELECT token, leased_until FROM rd_claim(:c, :u, 'ws-a', 604800)"),
            {"c": kin, "u": ra},
        ).one()
    assert _close(until, rig.now() + PUBLISHED_MAX)
    decision_id = str(uuid.uuid4())
    with ws.begin() as conn:
        conn.execute(text("SELECT rd_act_as(:t)"), {"t": rig.tokens(ra)})
        state = conn.execute(
            text(
                "SELECT rd_submit_decision(:id, :c, 1, 'reject', "
                '\'{"codes":["NOT_DIRECT_RELATIVE"],"missing":[]}\', NULL, :u, :t, now(), '
                "'ws-a', p_needs_confirmation => false)"
            ),
            {"id": decision_id, "c": kin, "u": ra, "t": token},
        ).scalar_one()
    assert state == "pending_confirmation"
    assert rig.status(kin) == "confirming"
    # Undone 23 minutes later with a window of 2,147,483,647 minutes: refused.
    _age(rig, decision_id, 23 * MINUTE)
    refused = "rd:undo_window:the undo window of 10 minutes"
    with pytest.raises(DBAPIError, match=refused), ws.begin() as conn:
        conn.execute(text("SELECT rd_act_as(:t)"), {"t": rig.tokens(ra)})
        conn.execute(text("SELECT rd_undo(:d, :u, 2147483647)"), {"d": decision_id, "u": ra})
    assert rig.status(kin) == "confirming"


# -- publishing -----------------------------------------------------------------------------


def _rules_rows(store: Store) -> dict[str, str]:
    with store.read() as s:
        rows = s.scalars(select(Setting).where(Setting.key.startswith("rules.")))
        return {r.key: r.value for r in rows}


def _published_entries(store: Store) -> list[JournalEntry]:
    with store.read() as s:
        return list(s.scalars(select(JournalEntry).where(JournalEntry.action == "publish_policy")))


def test_central_init_publishes_and_publish_policy_republishes(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["central", "init", pg_url]) == 0
    assert "rules published: 4 policies" in capsys.readouterr().out
    store = Store(pg_url, shared_file=True)
    try:
        rows = _rules_rows(store)
        expected = {"rules.limits", "rules.reasons"} | {
            f"rules.{city}.{year}" for city, year in load_policies()
        }
        assert set(rows) == expected
        assert '"undo_window_minutes":10' in rows["rules.南昌市.2026"]
        entries = _published_entries(store)
        assert len(entries) == 1 and entries[0].actor is None
        assert set(entries[0].payload["sha256"]) == expected
        # Publishing the same rules again changes nothing and journals nothing.
        assert main(["central", "publish-policy", pg_url]) == 0
        assert "rules unchanged" in capsys.readouterr().out
        assert len(_published_entries(store)) == 1
        # A rule changed at the store (or a policy file edited) is put back by publishing.
        with store.write() as s:
            row = s.get(Setting, "rules.南昌市.2026")
            assert row is not None
            row.value = row.value.replace('"undo_window_minutes":10', '"undo_window_minutes":9999')
            s.add(Setting(key="rules.nowhere.1999", value="{}"))
        # A workstation's login reads the rules but cannot publish (or repair) them.
        login = f"rdl_{uuid.uuid4().hex[:12]}"
        create_login(store.engine, login, [A])
        ws_url = make_url(pg_url).set(username=login).render_as_string(hide_password=False)
        ws = make_engine(make_url(ws_url))
        try:
            with ws.connect() as conn:
                n = conn.execute(text("SELECT count(*) FROM settings WHERE key LIKE 'rules.%'"))
                assert n.scalar_one() == len(expected) + 1
            assert main(["central", "publish-policy", ws_url]) == 1
            assert "only the central store's owner" in capsys.readouterr().err
        finally:
            ws.dispose()
            drop_login(store.engine, login)
        assert main(["central", "publish-policy", pg_url]) == 0
        out = capsys.readouterr().out
        assert "rules published" in out and "removed rules.nowhere.1999" in out
        assert _rules_rows(store) == rows
        assert len(_published_entries(store)) == 2
        ok, message = verify_central(pg_url)
        assert ok, message
    finally:
        store.dispose()


def test_central_init_publishes_on_a_central_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    assert main(["central", "init", url]) == 0
    assert "rules published" in capsys.readouterr().out
    store = Store(url, shared_file=True)
    try:
        assert "rules.limits" in _rules_rows(store)
        assert len(_published_entries(store)) == 1
    finally:
        store.dispose()


# -- what workstations send legitimately goes through unchanged ----------------------------


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path / 'central.db'}"


def _published_central(url: str, tmp_path: Path, kind: str) -> tuple[Store, Any]:
    store = Store(url, tmp_path / "central-blobs", shared_file=True)
    migrate.upgrade(store)
    if not store.is_sqlite:
        install(store.engine)
    world = build_world(store, tmp_path / "pkgs", n_cases=4, kind=kind)
    publish(store)
    return store, world


def test_the_arbitration_contract_holds_with_published_rules(
    central_url: str, tmp_path: Path
) -> None:
    store, world = _published_central(central_url, tmp_path, "guardianship")
    try:
        arbitration_contract(Setup(workstation(store, tmp_path).desk, world, store))
    finally:
        if not store.is_sqlite:
            uninstall(store.engine)
        store.dispose()


def test_an_offline_checkout_decided_by_the_rules_arrives_whole(
    central_url: str, tmp_path: Path
) -> None:
    store, world = _published_central(central_url, tmp_path, "kinship")
    try:
        laptop = workstation(store, tmp_path, "laptop")
        done, _ = laptop.sync.checkout(
            "南昌市东湖区育新学校",
            world.alice.user_id,
            world.alice.workstation,
            dt.timedelta(hours=36),
        )
        assert sorted(done) == sorted(world.cases)
        with store.read() as s:  # a 36-hour checkout is within the published 48 hours
            now = store_now(s)
            untils = list(s.scalars(select(Claim.leased_until).where(Claim.owner_id.is_not(None))))
        assert len(untils) == 4
        assert all(u is not None and _close(u, now + dt.timedelta(hours=36)) for u in untils)
        decisions = [
            DecisionInput("approve", verdicts={0: "fine"}),  # kinship approval: four-eyes
            DecisionInput(
                "reject", reasons=("NOT_DIRECT_RELATIVE",), note_to_parent="请补充亲属关系证明"
            ),
            DecisionInput("return", missing=("birth_certificate", "kinship_proof")),
            DecisionInput("reject", reasons=("OTHER",), comment="审" * 2000),
        ]
        with offline(laptop):
            made = [
                laptop.workflow.decide(world.alice, c, d)
                for c, d in zip(world.cases, decisions, strict=True)
            ]
        pushed, _ = laptop.sync.sync_once()
        assert (pushed.sent, pushed.conflicts, pushed.quarantined) == (4, 0, 0)
        with store.read() as s:
            states = [s.get(Decision, r.decision_id).state for r in made]  # type: ignore[union-attr]
        assert states == ["pending_confirmation"] * 2 + ["accepted", "pending_confirmation"]
        assert laptop.workflow.confirm(world.sup, world.cases[0]).case_status == "approved"
    finally:
        if not store.is_sqlite:
            uninstall(store.engine)
        store.dispose()
