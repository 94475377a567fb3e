"""抽查 (QA sampling) on SQLite and PostgreSQL: a recorded seed reproduces a draw, only
standing approvals are drawn, nobody checks their own approval or another district's,
and a disagreement reaches a supervisor, the case and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import DEFAULT_QA_PERCENT
from app.review import qa
from app.review.errors import WorkflowError
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Case, Decision, JournalEntry, QaDraw, QaSample, User, UserDistrict
from tests.app.review.test_desk import _west_case
from tests.workflow_fixtures import World, build_world

ALL = {"guardianship": 100.0, "rural_house": 100.0, "kinship": 100.0}


def _bench(world: World, who: str) -> Workbench:
    return Workbench(standalone(world.store), getattr(world, who))


def _approve(world: World, who: str, *case_nos: str) -> None:
    bench = _bench(world, who)
    for case_no in case_nos:
        bench.claim(case_no)
        bench.decide(case_no, DecisionInput("approve"))


def _journal(store: Store, action: str) -> list[JournalEntry]:
    with store.read() as s:
        return list(
            s.scalars(
                select(JournalEntry).where(JournalEntry.action == action).order_by(JournalEntry.seq)
            )
        )


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    return build_world(store, tmp_path, n_cases=8)


def test_a_sampled_approval_flows_to_another_reviewer_and_a_disagreement_reaches_the_report(
    world: World,
) -> None:
    """The issue's Done-when, end to end through the facade."""
    case_no = world.cases[0]
    _approve(world, "alice", case_no)
    sup, bob, alice = _bench(world, "sup"), _bench(world, "bob"), _bench(world, "alice")

    drawn = sup.qa_draw(percent=ALL)
    assert drawn.drawn == (case_no,) and drawn.unassigned == () and drawn.considered == 1
    assert len(drawn.seed) == 32  # made for this draw, and recorded
    with world.store.read() as s:
        row = s.get(QaDraw, drawn.draw_ids[0])
        assert row is not None and row.seed == drawn.seed and row.drawn == 1
        assert row.drawn_by == world.sup.user_id

    # bob (the district's only other reviewer) has it; alice does not check her own.
    assert alice.qa_my_samples() == []
    [sample] = bob.qa_my_samples()
    assert (sample.case_no, sample.approver, sample.kind) == (case_no, "alice", "guardianship")
    assert sample.school == "南昌市东湖区育新学校"

    bob.qa_verdict(case_no, agree=False, comment="离婚协议未写明抚养权归属")
    assert bob.qa_my_samples() == []
    [waiting] = sup.qa_disagreements()
    assert waiting.verdict == "disagree" and waiting.assigned_to == "bob"
    assert waiting.comment == "离婚协议未写明抚养权归属"

    settled = sup.qa_settle(
        case_no, overturn=True, decision=DecisionInput("reject", reasons=("NOT_DIVORCED",))
    )
    assert settled.settlement == "overturned" and settled.case_status == "rejected"
    assert sup.qa_disagreements() == []
    with world.store.read() as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        assert case.status == "rejected"
        decisions = {
            d.id: d for d in s.scalars(select(Decision).where(Decision.case_id == case.id))
        }
        new = decisions[str(settled.decision_id)]
        old = decisions[sample.decision_id]
        assert (new.effective, new.outcome, new.reviewer_id) == (True, "reject", world.sup.user_id)
        assert new.supersedes_id == old.id and (old.state, old.effective) == ("superseded", False)
        stored = s.get(QaSample, sample.decision_id)
        assert stored is not None and stored.overturned_by == new.id
        assert stored.settled_by == world.sup.user_id

    [line] = sup.qa_report()
    assert (line.reviewer, line.approvals, line.sampled, line.verdicts) == ("alice", 1, 1, 1)
    assert (line.agreed, line.disagreed, line.overturned) == (0, 1, 1)
    assert line.disagreement_rate == 1.0

    # Journaled: the draw with its seed and counts, the verdict, the settlement.
    [entry] = _journal(world.store, "qa_draw")
    assert entry.actor == "sup" and entry.payload["seed"] == drawn.seed
    assert entry.payload["considered"] == 1 and entry.payload["drawn"] == [sample.decision_id]
    [verdict] = _journal(world.store, "qa_verdict")
    assert verdict.actor == "bob" and verdict.payload["verdict"] == "disagree"
    assert verdict.payload["case_no"] == case_no
    [settle] = _journal(world.store, "qa_settle")
    assert settle.payload["settlement"] == "overturned"
    assert settle.payload["new_decision_id"] == settled.decision_id


def test_the_same_seed_over_the_same_approvals_draws_the_same_set(world: World) -> None:
    _approve(world, "alice", *world.cases[:4])
    _approve(world, "bob", *world.cases[4:])
    with world.store.read() as s:
        approvals = list(s.scalars(select(Decision.id).where(Decision.outcome == "approve")))
    assert len(approvals) == 8
    seed = "2026-抽查-第1批"
    expected = {d for d in approvals if qa.chosen(seed, d, 50)}
    drawn = _bench(world, "sup").qa_draw(seed=seed, percent={"guardianship": 50})
    with world.store.read() as s:
        got = set(s.scalars(select(QaSample.decision_id)))
    assert got == expected and len(drawn.drawn) == len(expected)
    assert drawn.percents == {
        "nanchang-2026": {"guardianship": 50.0, "rural_house": 10.0, "kinship": 5.0}
    }
    # Every approval is weighed by one draw only: a second draw finds nothing new.
    again = _bench(world, "sup").qa_draw(seed=seed, percent=ALL)
    assert again.considered == 0 and again.drawn == ()


def test_the_hash_is_stable_and_takes_the_share_asked_for() -> None:
    # Pinned: a draw recorded today must be reproducible by any later version.
    assert qa.chosen("seed", "00000000-0000-0000-0000-000000000001", 50) is True
    assert qa.chosen("seed", "00000000-0000-0000-0000-000000000002", 50) is False
    ids = [f"00000000-0000-0000-0000-{n:012d}" for n in range(4000)]
    share = sum(qa.chosen("s", d, DEFAULT_QA_PERCENT) for d in ids) / len(ids)
    assert 0.04 < share < 0.06
    assert all(qa.chosen("s", d, 100) for d in ids) and not any(qa.chosen("s", d, 0) for d in ids)
    pool = ["a", "b", "c"]
    picks = {qa.assignee("s", d, "a", pool) for d in ids[:200]}
    assert picks == {"b", "c"}  # never the approver, and both others get work
    assert qa.assignee("s", ids[0], "a", ["a"]) is None


def test_only_standing_approvals_are_drawn(world: World) -> None:
    alice = _bench(world, "alice")
    _approve(world, "alice", world.cases[0])
    alice.claim(world.cases[1])
    alice.decide(world.cases[1], DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    alice.claim(world.cases[2])
    alice.decide(world.cases[2], DecisionInput("return", missing=("divorce_certificate",)))
    _approve(world, "alice", world.cases[3])
    alice.undo(world.cases[3])  # taken back: no longer an approval
    drawn = _bench(world, "sup").qa_draw(percent=ALL)
    assert drawn.drawn == (world.cases[0],) and drawn.considered == 1


def test_nobody_checks_their_own_approval_nor_another_districts(
    world: World, tmp_path: Path
) -> None:
    west = _west_case(world.store, tmp_path, 0)
    _approve(world, "carol", west)  # carol is 西湖区's only reviewer
    _approve(world, "alice", *world.cases[:3])
    _approve(world, "bob", *world.cases[3:6])
    _approve(world, "sup", world.cases[6])  # a supervisor's approval is sampled too
    drawn = _bench(world, "sup2").qa_draw(percent=ALL)  # sup2: 东湖区 and 西湖区
    assert set(drawn.drawn) == {west, *world.cases[:7]}
    # Nobody but carol reviews in 西湖区: a supervisor of 西湖区 (sup2) checks hers.
    assert drawn.unassigned == ()
    with world.store.read() as s:
        for sample in s.scalars(select(QaSample)):
            case = s.get(Case, sample.case_id)
            assert case is not None
            assert sample.assigned_to != sample.reviewer_id
            if sample.assigned_to is None:
                continue
            checker = s.get(User, sample.assigned_to)
            assert checker is not None
            assert checker.role == ("supervisor" if case.case_no == west else "reviewer")
            districts = set(
                s.scalars(
                    select(UserDistrict.district_code).where(UserDistrict.user_id == checker.id)
                )
            )
            assert case.district_code in districts
    assert [s.case_no for s in _bench(world, "carol").qa_my_samples()] == []
    assert [s.case_no for s in _bench(world, "sup2").qa_my_samples()] == [west]
    assert {s.approver for s in _bench(world, "alice").qa_my_samples()} <= {"bob", "sup"}
    assert {s.approver for s in _bench(world, "bob").qa_my_samples()} <= {"alice", "sup"}


def test_refusals_are_clear(world: World) -> None:
    _approve(world, "alice", world.cases[0], world.cases[1])
    _approve(world, "sup", world.cases[2])
    alice, bob, sup = _bench(world, "alice"), _bench(world, "bob"), _bench(world, "sup")

    with pytest.raises(WorkflowError) as refused:
        alice.qa_draw(percent=ALL)
    assert refused.value.code == "role"
    with pytest.raises(WorkflowError) as refused:
        sup.qa_draw(percent={"guardianship": 101})
    assert refused.value.code == "percent"
    with pytest.raises(WorkflowError) as refused:
        sup.qa_draw(seed="a\x00b")
    assert refused.value.code == "seed"
    sup.qa_draw(seed="fixed", percent=ALL)

    # Wrong assignee: the approver herself, and a reviewer who is not the assignee.
    with pytest.raises(WorkflowError) as refused:
        alice.qa_verdict(world.cases[0], agree=True)
    assert refused.value.code == "not_assignee"
    with world.store.read() as s:
        sample = s.scalars(
            select(QaSample)
            .join(Case, Case.id == QaSample.case_id)
            .where(Case.case_no == world.cases[2])
        ).one()
        checker_of_sups = "alice" if sample.assigned_to == world.alice.user_id else "bob"
    other = "bob" if checker_of_sups == "alice" else "alice"
    with pytest.raises(WorkflowError) as refused:
        _bench(world, other).qa_verdict(world.cases[2], agree=True)
    assert refused.value.code == "not_assignee"

    # Text: a NUL, 100,000 characters, a disagreement without a reason.
    with pytest.raises(WorkflowError) as refused:
        bob.qa_verdict(world.cases[0], agree=False, comment="不\x00对")
    assert refused.value.code == "text"
    with pytest.raises(WorkflowError) as refused:
        bob.qa_verdict(world.cases[0], agree=False, comment="长" * 100_000)
    assert refused.value.code == "text_too_long" and "100,000" in refused.value.message
    with pytest.raises(WorkflowError) as refused:
        bob.qa_verdict(world.cases[0], agree=False, comment="  ")
    assert refused.value.code == "comment_required"

    # A verdict is given once; settling needs a disagreement.
    bob.qa_verdict(world.cases[0], agree=True)
    with pytest.raises(WorkflowError) as refused:
        bob.qa_verdict(world.cases[0], agree=False, comment="改主意了")
    assert refused.value.code == "verdict_given"
    with pytest.raises(WorkflowError) as refused:
        sup.qa_settle(world.cases[0], overturn=False)
    assert refused.value.code == "no_disagreement"

    # A supervisor never settles a sample of their own approval; another one may.
    _bench(world, checker_of_sups).qa_verdict(world.cases[2], agree=False, comment="材料不全")
    with pytest.raises(WorkflowError) as refused:
        sup.qa_settle(world.cases[2], overturn=False)
    assert refused.value.code == "four_eyes"
    sup2 = _bench(world, "sup2")
    with pytest.raises(WorkflowError) as refused:
        sup2.qa_settle(world.cases[2], overturn=True, decision=DecisionInput("approve"))
    assert refused.value.code == "outcome"
    with pytest.raises(WorkflowError) as refused:
        sup2.qa_settle(world.cases[2], overturn=True, decision=DecisionInput("reject"))
    assert refused.value.code == "reason_required"  # the workflow's own validation
    result = sup2.qa_settle(world.cases[2], overturn=False)
    assert result.settlement == "upheld" and result.case_status == "approved"
    with pytest.raises(WorkflowError) as refused:
        sup2.qa_settle(world.cases[2], overturn=False)
    assert refused.value.code == "settled"

    # Reviewers read no report and settle nothing; the admin reads the report.
    with pytest.raises(WorkflowError):
        bob.qa_report()
    with pytest.raises(WorkflowError):
        bob.qa_disagreements()
    with pytest.raises(WorkflowError):
        _bench(world, "admin").qa_settle(world.cases[0], overturn=False)
    report = {line.reviewer: line for line in _bench(world, "admin").qa_report()}
    assert report["alice"].agreed == 1 and report["sup"].disagreed == 1
    assert report["sup"].overturned == 0 and report["alice"].disagreement_rate == 0.0


def test_defaults_come_from_the_policy(world: World) -> None:
    assert _bench(world, "sup").qa_default_percents() == {
        "guardianship": 5.0,
        "rural_house": 10.0,
        "kinship": 5.0,
    }
