"""Workstation ↔ central store on a central SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.review.workflow import DecisionInput, WorkflowError
from reviewdb import journal
from reviewdb.engine import Store, StoreUnavailable
from reviewdb.models import Attachment, Case, CentralJournalEntry, Claim, Decision, OutboxItem, User
from tests.integration.sync_fixtures import central_world, offline, workstation

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")


@pytest.fixture
def central_url(db_url: str) -> str:
    return db_url


def _count(store: Store, model: object, *where: object) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_first_pull_copies_the_partition(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path)
    ws = workstation(central, tmp_path)
    assert _count(ws.local, Case) == 3
    assert _count(ws.local, User) == 6
    with ws.local.read() as s, central.read() as cs:
        for case in cs.scalars(select(Case)):
            local = s.get(Case, case.id)
            assert local is not None and (local.case_no, local.status, local.worst_severity) == (
                case.case_no,
                case.status,
                case.worst_severity,
            )
        shas = list(s.scalars(select(Attachment.sha256)))
        assert shas
    # Images come when looked at, verified by hash.
    sha = shas[0]
    assert not ws.local.blobs.has(sha)
    assert ws.sync.ensure_blob(sha) == central.blobs.get(sha)
    assert ws.local.blobs.verify(sha)


def test_claim_at_central_decide_locally_then_accepted(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path)
    ws1 = workstation(central, tmp_path, "ws1")
    ws2 = workstation(central, tmp_path, "ws2")
    c = world.cases[0]
    ws1.workflow.claim(world.alice, c)
    with pytest.raises(WorkflowError, match="claimed by alice"):
        ws2.workflow.claim(world.bob, c)  # the central store arbitrates across workstations
    result = ws1.workflow.decide(world.alice, c, DecisionInput("approve"))
    assert result.state == "accepted" and result.case_status == "approved"
    with central.read() as cs:
        d = cs.get(Decision, result.decision_id)
        assert d is not None and d.state == "accepted" and d.effective
        assert cs.scalars(select(Case.status).where(Case.case_no == c)).one() == "approved"
    ws2.sync.sync_once()
    with ws2.local.read() as s:
        assert s.scalars(select(Case.status).where(Case.case_no == c)).one() == "approved"
    # The workstation's journal went up with its chain intact.
    ws1.sync.sync_once()
    with central.read() as cs:
        chains = list(cs.scalars(select(CentralJournalEntry.chain).distinct()))
        assert chains and all(journal.verify_chain(cs, ch).ok for ch in chains)
        actions = set(cs.scalars(select(CentralJournalEntry.action)))
        assert {"claim", "decide"} <= actions


def test_offline_checkout_lost_leases_become_conflicts(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=4)
    laptop = workstation(central, tmp_path, "laptop")
    office = workstation(central, tmp_path, "office")
    done, skipped = laptop.sync.checkout(
        "南昌市东湖区育新学校", world.alice.user_id, world.alice.workstation, dt.timedelta(hours=36)
    )
    assert sorted(done) == sorted(world.cases) and skipped == []
    with offline(laptop):
        results = [
            laptop.workflow.decide(world.alice, c, DecisionInput("approve")) for c in world.cases
        ]
        assert all(r.state == "submitted" for r in results)
    # Meanwhile two leases expire at the central store and bob decides those cases.
    lost = world.cases[:2]
    with central.write() as cs:
        ids = list(cs.scalars(select(Case.id).where(Case.case_no.in_(lost))))
        cs.execute(
            update(Claim)
            .where(Claim.case_id.in_(ids))
            .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    office.sync.sync_once()
    for c in lost:
        office.workflow.claim(world.bob, c)
        assert office.workflow.decide(world.bob, c, DecisionInput("approve")).state == "accepted"
    pushed, pulled = laptop.sync.sync_once()
    assert (pushed.sent, pushed.conflicts) == (4, 2)
    with central.read() as cs:
        states = {cs.get(Decision, r.decision_id).state for r in results[:2]}  # type: ignore[union-attr]
        assert states == {"conflict"}
        assert {cs.get(Decision, r.decision_id).state for r in results[2:]} == {"accepted"}  # type: ignore[union-attr]
        assert (
            cs.execute(select(func.count()).select_from(Decision)).scalar_one() == 6
        )  # nothing dropped
    conflicts = laptop.workflow.conflicts(world.sup)
    assert sorted(c.case_no for c in conflicts) == sorted(lost)
    assert all(
        c.standing is not None and c.standing.reviewer == "bob" and c.conflict.reviewer == "alice"
        for c in conflicts
    )
    # A supervisor resolves one with a new decision that supersedes.
    laptop.workflow.resolve_conflict(
        world.sup, lost[0], DecisionInput("reject", reasons=("PHOTO_UNCLEAR",))
    )
    assert [c.case_no for c in laptop.workflow.conflicts(world.sup)] == [lost[1]]
    with central.read() as cs:
        assert cs.scalars(select(Case.status).where(Case.case_no == lost[0])).one() == "rejected"


def test_pull_never_overwrites_local_intent(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path)
    ws = workstation(central, tmp_path)
    c = world.cases[0]
    ws.workflow.claim(world.alice, c)
    with offline(ws):
        ws.workflow.decide(world.alice, c, DecisionInput("approve"))
    # Someone changes the case centrally meanwhile; while our decision waits, pulls hold.
    with central.write() as cs:
        case = cs.scalars(select(Case).where(Case.case_no == c)).one()
        case.student_name = "改了名字"
        from reviewdb import changes

        changes.stamp(cs, [case])
    with offline(ws), pytest.raises(StoreUnavailable):
        ws.sync.sync_once()
    with ws.local.read() as s:
        assert s.scalars(select(Case.status).where(Case.case_no == c)).one() == "approved"
    ws.sync.sync_once()  # online: push first, then pull
    with ws.local.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == c)).one()
        assert (case.status, case.student_name) == ("approved", "改了名字")


def test_poisoned_item_is_quarantined_and_the_rest_flow(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path)
    ws = workstation(central, tmp_path)
    for c in world.cases:
        ws.workflow.claim(world.alice, c)
    with offline(ws):
        results = [
            ws.workflow.decide(world.alice, c, DecisionInput("approve")) for c in world.cases
        ]
    with ws.local.write() as s:  # corrupt one item's body: the central store refuses it for good
        item = s.scalars(
            select(OutboxItem).where(OutboxItem.ref_id == results[1].decision_id)
        ).one()
        item.body = {**item.body, "case_id": "no-such-case"}
    pushed, _ = ws.sync.sync_once()
    assert (pushed.sent, pushed.quarantined) == (2, 1)
    status = ws.sync.status()
    assert len(status.quarantined) == 1 and status.waiting == 0
    with central.read() as cs:
        assert cs.get(Decision, results[0].decision_id) is not None
        assert cs.get(Decision, results[2].decision_id) is not None
        assert cs.get(Decision, results[1].decision_id) is None


def test_offline_only_checked_out_cases_can_be_decided(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path)
    ws = workstation(central, tmp_path)
    ws.workflow.claim(world.alice, world.cases[0])  # online: a normal lease
    with offline(ws):
        with pytest.raises(WorkflowError, match="central store unreachable") as refused:
            ws.workflow.claim(world.alice, world.cases[1])
        assert refused.value.code == "offline"
        with pytest.raises(WorkflowError, match="not claimed by you"):
            ws.workflow.decide(world.alice, world.cases[1], DecisionInput("approve"))
        # The case claimed while online can still be decided; it waits in the outbox.
        assert (
            ws.workflow.decide(world.alice, world.cases[0], DecisionInput("approve")).state
            == "submitted"
        )
    assert ws.sync.waiting_count() == 1
    ws.sync.sync_once()
    assert ws.sync.waiting_count() == 0


def test_workstation_login_role_sees_and_acts_only_in_its_district(
    pg_url: str, tmp_path: Path
) -> None:
    """A district office's workstation syncs through its PostgreSQL login, not as the owner."""
    import uuid

    from app.intake.intake import import_package
    from app.intake.package import write_package
    from reviewdb import central_pg
    from reviewdb.arbiter import ArbiterRefusal
    from tests.integration.test_intake import files, manifest

    central, world = central_world(pg_url, tmp_path)
    other = manifest("XH-1")
    other["district"] = "西湖区"
    other["school"] = "南昌市西湖区朝阳小学"
    out = import_package(
        central,
        write_package(tmp_path / "xh", other, files(), as_zip=False),
        actor=None,
        workstation="ws",
    )
    assert out.status == "imported" and out.case_id
    login = f"rdtest_{uuid.uuid4().hex[:8]}"
    central_pg.create_login(central.engine, login, ["360102"])
    as_login = Store(pg_url.replace("postgres@", f"{login}@"))
    try:
        ws = workstation(as_login, tmp_path, "dh")
        # The people log in on it while online: the central store hands it their tokens.
        assert ws.sync.prove(world.alice.user_id, "alice-pass-1") is True
        assert ws.sync.prove(world.sup2.user_id, "sup2-pass-1") is True
        with ws.local.read() as s:
            assert sorted(s.scalars(select(Case.case_no))) == sorted(world.cases)  # no 西湖区 case
        c = world.cases[0]
        ws.workflow.claim(world.alice, c)
        assert ws.workflow.decide(world.alice, c, DecisionInput("approve")).state == "accepted"
        with pytest.raises(ArbiterRefusal) as refused:  # another district's case, by its id
            ws.sync.central_claim(out.case_id, world.sup2.user_id, "ws", dt.timedelta(minutes=5))
        assert refused.value.code == "not_in_district"
    finally:
        as_login.dispose()
        central_pg.drop_login(central.engine, login)
