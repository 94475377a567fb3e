"""The review workflow on SQLite and PostgreSQL: scope, roles, claims, conflicts, four-eyes, undo."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.review.cases import CaseNotFound
from app.review.workflow import DecisionInput, Workflow, WorkflowError
from reviewdb import arbiter
from reviewdb.arbiter import DecisionRecord
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision, JournalEntry, NoticePrint
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    return build_world(store, tmp_path)


def _status(store: Store, case_no: str) -> str:
    with store.read() as s:
        return s.scalars(select(Case.status).where(Case.case_no == case_no)).one()


def _actions(store: Store, case_no: str) -> list[str]:
    with store.read() as s:
        case_id = s.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        return list(
            s.scalars(
                select(JournalEntry.action)
                .where(JournalEntry.case_id == case_id)
                .order_by(JournalEntry.seq)
            )
        )


def test_approve_flow_is_journaled(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[0]
    wf.claim(world.alice, c)
    result = wf.decide(world.alice, c, DecisionInput("approve"))
    assert (result.state, result.case_status) == ("accepted", "approved")
    assert _status(world.store, c) == "approved"
    assert _actions(world.store, c)[-2:] == ["claim", "decide"]
    with world.store.read() as s:
        claim = s.get(Claim, s.scalars(select(Case.id).where(Case.case_no == c)).one())
        assert claim is not None and claim.owner_id is None  # the decision released the lease


def test_scope_refusals(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[0]
    for op in (
        lambda: wf.claim(world.carol, c),
        lambda: wf.decide(world.carol, c, DecisionInput("approve")),
        lambda: wf.release(world.carol, c),
        lambda: wf.record_view(world.carol, c),
        lambda: wf.undo(world.carol, c),
    ):
        with pytest.raises(CaseNotFound, match="in your districts"):
            op()
    # Guessing the uuid is no better than the number.
    with world.store.read() as s:
        uid = s.scalars(select(Case.id).where(Case.case_no == c)).one()
    with pytest.raises(CaseNotFound):
        wf.claim(world.carol, uid)


def test_role_and_claim_refusals(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[0]
    with pytest.raises(WorkflowError, match="not claimed by you") as e:
        wf.decide(world.alice, c, DecisionInput("approve"))
    assert e.value.code == "not_claimed"
    wf.claim(world.alice, c)
    with pytest.raises(WorkflowError, match="claimed by alice") as e:
        wf.claim(world.bob, c)
    assert e.value.code == "claimed_by_other"
    with pytest.raises(WorkflowError, match="claimed by alice"):
        wf.decide(world.bob, c, DecisionInput("approve"))
    with pytest.raises(WorkflowError) as e:
        wf.claim(world.admin, c)
    assert e.value.code == "role"
    with pytest.raises(WorkflowError) as e:
        wf.takeover(world.bob, c, "she is ill")
    assert e.value.code == "role"
    with pytest.raises(WorkflowError, match="at least one reason"):
        wf.decide(world.alice, c, DecisionInput("reject"))
    with pytest.raises(WorkflowError, match="needs a comment"):
        wf.decide(world.alice, c, DecisionInput("reject", reasons=("OTHER",)))
    with pytest.raises(WorkflowError, match="missing documents"):
        wf.decide(world.alice, c, DecisionInput("return"))
    with pytest.raises(WorkflowError, match="unknown reason"):
        wf.decide(world.alice, c, DecisionInput("reject", reasons=("NOT_A_CODE",)))


def test_takeover_needs_supervisor_and_is_journaled(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[0]
    first = wf.claim(world.alice, c)
    taken = wf.takeover(world.sup, c, "alice is on leave")
    assert taken.token > first.token
    assert _actions(world.store, c)[-1] == "takeover"
    # Alice's lease is gone: her decision is refused before it reaches the arbiter.
    with pytest.raises(WorkflowError, match="claimed by sup"):
        wf.decide(world.alice, c, DecisionInput("approve"))


def test_stale_token_is_kept_as_conflict_not_a_second_decision(world: World) -> None:
    """Two decisions race at the arbiter: the current token wins, the stale one is a conflict."""
    wf = Workflow(world.store)
    c = world.cases[0]
    alice_claim = wf.claim(world.alice, c)
    with world.store.write() as s:  # alice's lease runs out while she is offline
        s.execute(
            update(Claim)
            .where(Claim.case_id == alice_claim.case_id)
            .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    bob_claim = wf.claim(world.bob, c)
    assert bob_claim.token == alice_claim.token + 1
    # Alice's offline decision arrives with her old token.
    stale = DecisionRecord(
        decision_id=str(uuid.uuid4()),
        case_id=alice_claim.case_id,
        round_no=1,
        outcome="approve",
        reasons={"codes": []},
        comment=None,
        reviewer_id=world.alice.user_id,
        claim_token=alice_claim.token,
        device_time=dt.datetime.now(dt.UTC),
        workstation="ws-alice",
        needs_confirmation=False,
    )
    with world.store.write() as s:
        row = arbiter.submit_decision(s, stale)
        assert (row.state, row.effective) == ("conflict", False)
    result = wf.decide(world.bob, c, DecisionInput("approve"))
    assert result.state == "accepted"
    with world.store.read() as s:
        decisions = s.scalars(select(Decision).where(Decision.case_id == alice_claim.case_id)).all()
        assert sorted(d.state for d in decisions) == ["accepted", "conflict"]
        assert sum(d.effective for d in decisions) == 1
    # Idempotent by id: the same stale record again changes nothing; a different body alarms.
    with world.store.write() as s:
        assert arbiter.submit_decision(s, stale).state == "conflict"
    with world.store.write() as s, pytest.raises(arbiter.ArbiterRefusal, match="different content"):
        arbiter.submit_decision(s, DecisionRecord(**{**stale.__dict__, "outcome": "reject"}))
    with world.store.read() as s:
        assert s.execute(select(func.count()).select_from(Decision)).scalar_one() == 2


def test_four_eyes_reject_needs_another_supervisor(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[1]
    wf.claim(world.sup, c)
    result = wf.decide(
        world.sup, c, DecisionInput("reject", reasons=("PHOTO_UNCLEAR", "DOC_MISMATCH"))
    )
    assert (result.state, result.case_status) == ("pending_confirmation", "confirming")
    with pytest.raises(WorkflowError, match="cannot confirm your own") as e:
        wf.confirm(world.sup, c)
    assert e.value.code == "four_eyes"
    with pytest.raises(WorkflowError) as e:
        wf.confirm(world.alice, c)
    assert e.value.code == "role"
    done = wf.confirm(world.sup2, c)
    assert (done.state, done.case_status) == ("confirmed", "rejected")
    assert _actions(world.store, c)[-1] == "confirm"


def test_supervisor_disagreeing_sends_case_back(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[1]
    wf.claim(world.alice, c)
    wf.decide(world.alice, c, DecisionInput("reject", reasons=("PHOTO_UNCLEAR",)))
    wf.confirm(world.sup, c, accept=False, comment="photo is fine")
    assert _status(world.store, c) == "pending"
    wf.claim(world.bob, c)
    assert wf.decide(world.bob, c, DecisionInput("approve")).state == "accepted"


def test_undo_window_and_print_guard(world: World) -> None:
    wf = Workflow(world.store)
    c, c2 = world.cases[0], world.cases[2]
    wf.claim(world.alice, c)
    wf.decide(world.alice, c, DecisionInput("approve"))
    with pytest.raises(WorkflowError, match="only the reviewer who decided"):
        wf.undo(world.bob, c)
    assert wf.can_undo(world.alice, c)
    assert wf.undo(world.alice, c).case_status == "pending"
    assert _actions(world.store, c)[-1] == "undo"
    # Past the window: refused.
    wf.claim(world.alice, c)
    decided = wf.decide(world.alice, c, DecisionInput("approve"))
    with world.store.write() as s:
        s.execute(
            update(Decision)
            .where(Decision.id == decided.decision_id)
            .values(store_time=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
        )
    assert not wf.can_undo(world.alice, c)
    with pytest.raises(WorkflowError, match="undo window"):
        wf.undo(world.alice, c)
    # Printed: refused.
    wf.claim(world.alice, c2)
    d2 = wf.decide(world.alice, c2, DecisionInput("approve"))
    with world.store.write() as s:
        s.add(
            NoticePrint(
                id=str(uuid.uuid4()),
                serial="S-1",
                case_id=s.scalars(select(Case.id).where(Case.case_no == c2)).one(),
                round_no=1,
                decision_id=d2.decision_id,
                template="approval",
                template_version="1",
                copy_no=1,
                printed_by=world.alice.user_id,
                device_time=dt.datetime.now(dt.UTC),
                store_time=dt.datetime.now(dt.UTC),
                workstation="ws",
            )
        )
    with pytest.raises(WorkflowError, match="already printed"):
        wf.undo(world.alice, c2)


def test_return_lists_missing_documents(world: World) -> None:
    wf = Workflow(world.store)
    c = world.cases[2]
    wf.claim(world.alice, c)
    with pytest.raises(WorkflowError, match="unknown document"):
        wf.decide(world.alice, c, DecisionInput("return", missing=("passport",)))
    r = wf.decide(
        world.alice,
        c,
        DecisionInput("return", missing=("hukou_self",), note_to_parent="请补充户口簿本人页"),
    )
    assert r.case_status == "returned"
    with world.store.read() as s:
        d = s.get(Decision, r.decision_id)
        assert d is not None and d.reasons["missing"] == ["hukou_self"]


def test_writers_on_postgres_take_the_counter_and_journal_locks_in_one_order(
    pg_url: str, tmp_path: Path
) -> None:
    """Claims (counter, then journal) and logins (user row, counter, journal) run side by
    side on one PostgreSQL store: if any writer took the journal's advisory lock before the
    change counter, the two would deadlock and PostgreSQL would abort one of them."""
    import threading

    from reviewdb import migrate

    setup = Store(pg_url, tmp_path / "blobs")
    migrate.upgrade(setup)
    world = build_world(setup, tmp_path, n_cases=4)
    setup.dispose()
    failures: list[BaseException] = []
    rounds = 150

    def claims() -> None:
        store = Store(pg_url, tmp_path / "blobs")
        wf = Workflow(store)
        try:
            for i in range(rounds):
                c = world.cases[i % len(world.cases)]
                wf.claim(world.alice, c)
                wf.release(world.alice, c)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            store.dispose()

    def logins() -> None:
        from app.auth import login

        store = Store(pg_url, tmp_path / "blobs")
        try:
            for _ in range(rounds):
                login(store, "bob", "bob-pass-1", "ws-bob")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=claims), threading.Thread(target=logins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, f"{len(failures)} writer(s) failed: {failures[0]!r}"
    check = Store(pg_url, tmp_path / "blobs")
    with check.read() as s:
        actions = list(s.scalars(select(JournalEntry.action)))
    check.dispose()
    assert actions.count("claim") == rounds and actions.count("release") == rounds
    assert actions.count("login") == rounds


NUL_INPUTS = {
    "comment": DecisionInput("reject", reasons=("OTHER",), comment="材料\x00不全"),
    "note_to_parent": DecisionInput(
        "return", missing=("hukou_self",), note_to_parent="请补充\x00户口簿本人页"
    ),
    "reasons[1]": DecisionInput("reject", reasons=("NOT_DIVORCED", "PHOTO\x00_UNCLEAR")),
    "missing[0]": DecisionInput("return", missing=("hukou\x00_self",)),
    "verdicts[0]": DecisionInput("approve", verdicts={0: "ok\x00"}),
}


@pytest.mark.parametrize("field", sorted(NUL_INPUTS))
def test_text_with_a_nul_character_is_refused_where_typed(world: World, field: str) -> None:
    """PostgreSQL refuses NUL in text: a decision holding one would wedge sync, so the
    workflow refuses it by field (without echoing it) and records nothing."""
    wf = Workflow(world.store)
    c = world.cases[0]
    wf.claim(world.alice, c)
    with world.store.read() as s:
        before = s.execute(select(func.count()).select_from(Decision)).scalar_one()
    with pytest.raises(WorkflowError) as info:
        wf.decide(world.alice, c, NUL_INPUTS[field])
    assert info.value.code == "text"
    assert str(info.value) == f"{field}: contains a NUL character; retype it"
    assert "\x00" not in str(info.value)
    with world.store.read() as s:
        assert s.execute(select(func.count()).select_from(Decision)).scalar_one() == before
    assert _status(world.store, c) == "pending"
    assert _actions(world.store, c)[-1] == "claim"
    # Retyped, the same decision goes through.
    retyped = DecisionInput("reject", reasons=("OTHER",), comment="材料不全")
    assert wf.decide(world.alice, c, retyped).state in ("accepted", "pending_confirmation")


def test_resolving_a_conflict_refuses_nul_too(world: World) -> None:
    wf = Workflow(world.store)
    with pytest.raises(WorkflowError, match=r"^comment: contains a NUL character; retype it$"):
        wf.resolve_conflict(world.sup, world.cases[0], DecisionInput("approve", comment="同意\x00"))
