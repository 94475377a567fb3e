"""A claim and a decision on SQLite: the statements they cost, and that the fewer statements
still number every row they touch (change_seq) and keep the journal's chain whole."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import arbiter, journal, migrate
from reviewdb.arbiter import DecisionRecord
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision, JournalEntry
from tests.workflow_fixtures import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    store = Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "blobs")
    migrate.upgrade(store)
    (tmp_path / "pk").mkdir()
    yield build_world(store, tmp_path / "pk", n_cases=3)
    store.dispose()


def _counter(world: World) -> int:
    with world.store.read() as s:
        return int(s.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar_one())


def test_claim_and_decide_statements_and_their_numbers(world: World) -> None:
    desk = Workbench(standalone(world.store), world.alice)
    ref = world.cases[0]
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(world.store.engine, "before_cursor_execute", record)
    try:
        before = _counter(world)
        seen.clear()
        desk.claim(ref)
        claim_sql = list(seen)
        seen.clear()
        desk.decide(ref, DecisionInput("approve"))
        decide_sql = list(seen)
    finally:
        event.remove(world.store.engine, "before_cursor_execute", record)
    # claim: the case, the published lease limit, the counter, the guarded UPDATE (which
    # stamps the claim), the journal's head and key, the entry.
    assert len(claim_sql) == 7, claim_sql  # with BEGIN IMMEDIATE
    # decide: the case, the counter, the fence (stamping the claim, asking for an effective
    # decision), the decision, the case's status, the journal's head and key, the entry.
    assert len(decide_sql) == 8, decide_sql
    assert not any(sql.startswith("SELECT decisions.id") for sql in decide_sql)
    with world.store.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == ref)).one()
        claim = s.get(Claim, case.id)
        decision = s.scalars(select(Decision).where(Decision.case_id == case.id)).one()
        entries = s.scalars(
            select(JournalEntry).where(JournalEntry.case_id == case.id).order_by(JournalEntry.seq)
        ).all()
        assert journal.verify(s).ok
    assert claim is not None and claim.owner_id is None and claim.token == 1
    assert decision.state == "accepted" and decision.effective and case.status == "approved"
    # Two transactions, two counter values: the claim's, then the decision's (which the
    # case and the released claim carry too).
    assert _counter(world) == before + 2
    assert decision.change_seq == case.change_seq == claim.change_seq == before + 2
    assert [(e.action, e.payload.get("token")) for e in entries][-2:] == [
        ("claim", 1),
        ("decide", 1),
    ]


def test_a_repeated_claim_is_numbered_too(world: World) -> None:
    desk = Workbench(standalone(world.store), world.alice)
    ref = world.cases[1]
    first = desk.claim(ref)
    again = desk.claim(ref)  # the holder's own claim keeps its token
    assert again.token == first.token
    with world.store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.case_no == ref)).one()
        claim = s.get(Claim, case_id)
    assert claim is not None and claim.change_seq == _counter(world)


def test_a_fenced_decision_on_a_decided_round_is_a_conflict(world: World) -> None:
    """The fence holds (same holder, same token) but the round already has an effective
    decision: kept as a conflict, the case untouched, the claim numbered."""
    desk = Workbench(standalone(world.store), world.alice)
    ref = world.cases[2]
    desk.claim(ref)
    desk.decide(ref, DecisionInput("approve"))
    now = dt.datetime.now(dt.UTC)
    with world.store.write() as s:
        case = s.scalars(select(Case).where(Case.case_no == ref)).one()
        s.execute(
            text(
                "UPDATE claims SET owner_id = :u, leased_until = :t, token = token "
                "WHERE case_id = :c"
            ),
            {"u": world.alice.user_id, "t": now + dt.timedelta(hours=1), "c": case.id},
        )
    with world.store.write() as s:
        claim = s.get(Claim, case.id)
        assert claim is not None
        rec = DecisionRecord(
            decision_id=str(uuid.uuid4()),
            case_id=case.id,
            round_no=case.current_round,
            outcome="reject",
            reasons={},
            comment=None,
            reviewer_id=world.alice.user_id,
            claim_token=claim.token,
            device_time=now,
            workstation="ws",
            needs_confirmation=False,
        )
        done = arbiter.submit_decision(s, rec, fresh=True, known=("pending", case.current_round))
    assert done.state == "conflict" and not done.effective
    with world.store.read() as s:
        kept = s.get(Decision, rec.decision_id)
        claim = s.get(Claim, case.id)
        status = s.scalars(select(Case.status).where(Case.id == case.id)).one()
    assert kept is not None and kept.state == "conflict" and not kept.effective
    assert status == "approved"
    assert claim is not None and claim.owner_id is None
    assert claim.change_seq == kept.change_seq == _counter(world)
