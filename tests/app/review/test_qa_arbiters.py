"""抽查 through every arbiter (issue 17): the same outcomes whether the local store decides
alone (SQLite, PostgreSQL) or a central store does (PostgreSQL functions, a central SQLite
file); the central store draws with the same arithmetic as Python, so a recorded seed
reproduces a draw on any backend."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.review import qa
from app.review.workflow import DecisionInput, WorkflowError
from app.workbench import Workbench
from reviewdb import central_pg, migrate
from reviewdb import qa as arbiter_qa
from reviewdb.engine import Store
from reviewdb.models import Case, Decision, JournalEntry, QaDraw, QaSample
from tests.app.review.test_arbitration_contract import Setup, setup  # noqa: F401 - the fixture

ALL = {"guardianship": 100.0, "rural_house": 100.0, "kinship": 100.0}

EXPECTED = [
    "bob draws: refused role",
    "sup draws at 100%: ok 2 drawn of 2, checked by bob bob",
    "sup draws again: ok 0 drawn of 0, checked by -",
    "bob's queue: 0 1",
    "alice's queue: -",
    "alice judges 0: refused not_assignee",
    "bob agrees with 0: ok",
    "bob agrees with 0 again: refused verdict_given",
    "bob disagrees with 1 without a comment: refused comment_required",
    "bob disagrees with 1: ok",
    "bob's queue: -",
    "sup settles 0: refused no_disagreement",
    "sup overturns 1 approving: refused outcome",
    "sup overturns 1 rejecting: ok overturned rejected",
    "sup upholds 1: refused settled",
    "disagreements waiting: -",
    "report: alice approvals 2, sampled 2, verdicts 2, agreed 1, disagreed 1, overturned 1",
]


def _outcome(transcript: list[str], label: str, action: Callable[[], str]) -> None:
    try:
        said = action()
    except WorkflowError as exc:
        transcript.append(f"{label}: refused {exc.code}")
        return
    transcript.append(f"{label}: ok{' ' + said if said else ''}")


def test_every_arbiter_runs_qa_the_same(setup: Setup) -> None:  # noqa: F811 - the fixture
    world = setup.world
    alice, bob, sup = (Workbench(setup.desk, getattr(world, n)) for n in ("alice", "bob", "sup"))
    c0, c1 = world.cases[0], world.cases[1]
    for case_no in (c0, c1):
        alice.claim(case_no)
        alice.decide(case_no, DecisionInput("approve"))
    index = {c: str(i) for i, c in enumerate(world.cases)}

    def queue(bench: Workbench) -> str:
        return " ".join(sorted(index[s.case_no] for s in bench.qa_my_samples())) or "-"

    def drawn(percent: dict[str, float]) -> str:
        result = sup.qa_draw(seed="2026-抽查-第1批", percent=percent)
        with setup.desk.store.read() as s:
            checkers = [
                s.scalar(
                    select(QaSample.assigned_to)
                    .join(Case, Case.id == QaSample.case_id)
                    .where(Case.case_no == c)
                )
                for c in result.drawn
            ]
        names = {world.bob.user_id: "bob", world.alice.user_id: "alice"}
        who = " ".join(names.get(str(c), str(c)) for c in checkers) or "-"
        return f"{len(result.drawn)} drawn of {result.considered}, checked by {who}"

    def settled(result: qa.SettleResult) -> str:
        return f"{result.settlement} {result.case_status}"

    t: list[str] = []
    _outcome(t, "bob draws", lambda: str(bob.qa_draw(percent=ALL)))
    _outcome(t, "sup draws at 100%", lambda: drawn(ALL))
    _outcome(t, "sup draws again", lambda: drawn(ALL))
    t.append(f"bob's queue: {queue(bob)}")
    t.append(f"alice's queue: {queue(alice)}")
    _outcome(t, "alice judges 0", lambda: (alice.qa_verdict(c0, True), "")[1])
    _outcome(t, "bob agrees with 0", lambda: (bob.qa_verdict(c0, True), "")[1])
    _outcome(t, "bob agrees with 0 again", lambda: (bob.qa_verdict(c0, True), "")[1])
    _outcome(
        t, "bob disagrees with 1 without a comment", lambda: (bob.qa_verdict(c1, False), "")[1]
    )
    _outcome(
        t,
        "bob disagrees with 1",
        lambda: (bob.qa_verdict(c1, False, "离婚协议未写明抚养权归属"), "")[1],
    )
    t.append(f"bob's queue: {queue(bob)}")
    _outcome(t, "sup settles 0", lambda: settled(sup.qa_settle(c0, overturn=False)))
    _outcome(
        t,
        "sup overturns 1 approving",
        lambda: settled(sup.qa_settle(c1, overturn=True, decision=DecisionInput("approve"))),
    )
    reject = DecisionInput("reject", reasons=("NOT_DIVORCED",))
    _outcome(
        t,
        "sup overturns 1 rejecting",
        lambda: settled(sup.qa_settle(c1, overturn=True, decision=reject)),
    )
    _outcome(t, "sup upholds 1", lambda: settled(sup.qa_settle(c1, overturn=False)))
    waiting = " ".join(index[s.case_no] for s in sup.qa_disagreements()) or "-"
    t.append(f"disagreements waiting: {waiting}")
    [line] = sup.qa_report()
    t.append(
        f"report: {line.reviewer} approvals {line.approvals}, sampled {line.sampled}, "
        f"verdicts {line.verdicts}, agreed {line.agreed}, disagreed {line.disagreed}, "
        f"overturned {line.overturned}"
    )
    assert t == EXPECTED

    # The arbiter holds it: the samples with their verdicts, the overturn superseding the
    # approval, the case rejected.
    arbiter = setup.central or setup.desk.store
    with arbiter.read() as s:
        samples = {
            case_no: (verdict, settlement, overturned_by)
            for case_no, verdict, settlement, overturned_by in s.execute(
                select(
                    Case.case_no, QaSample.verdict, QaSample.settlement, QaSample.overturned_by
                ).join(Case, Case.id == QaSample.case_id)
            )
        }
        assert samples[c0] == ("agree", None, None)
        assert samples[c1][:2] == ("disagree", "overturned")
        new = s.get(Decision, samples[c1][2])
        assert new is not None and (new.outcome, new.effective) == ("reject", True)
        assert new.reviewer_id == world.sup.user_id
        old = s.get(Decision, new.supersedes_id)
        assert old is not None and (old.state, old.effective) == ("superseded", False)
        assert s.scalar(select(Case.status).where(Case.case_no == c1)) == "rejected"
        draws = s.scalars(select(QaDraw).order_by(QaDraw.through_seq)).all()
        assert [d.drawn for d in draws] == [2, 0] and {d.seed for d in draws} == {"2026-抽查-第1批"}
    # The workstation's copy agrees (pulled after each act), and its journal holds the story.
    with setup.desk.store.read() as s:
        assert s.scalar(select(Case.status).where(Case.case_no == c1)) == "rejected"
        actions = [
            (e.actor, e.action)
            for e in s.scalars(
                select(JournalEntry)
                .where(JournalEntry.action.startswith("qa_"))
                .order_by(JournalEntry.seq)
            )
        ]
    assert actions == [
        ("sup", "qa_draw"),
        ("sup", "qa_draw"),
        ("bob", "qa_verdict"),
        ("bob", "qa_verdict"),
        ("sup", "qa_settle"),
    ]


def test_a_seed_draws_the_same_set_on_every_arbiter(setup: Setup) -> None:  # noqa: F811
    """Half the approvals by a recorded seed: exactly those Python's arithmetic picks, each
    checked by the reviewer Python's arithmetic names."""
    world = setup.world
    alice = Workbench(setup.desk, world.alice)
    for case_no in world.cases:
        alice.claim(case_no)
        alice.decide(case_no, DecisionInput("approve"))
    sup = Workbench(setup.desk, world.sup)
    seed = "seed-" + uuid.uuid4().hex[:8]
    result = sup.qa_draw(seed=seed, percent={k: 50.0 for k in ALL})
    arbiter = setup.central or setup.desk.store
    with arbiter.read() as s:
        approvals = list(
            s.scalars(select(Decision.id).where(Decision.outcome == "approve", Decision.effective))
        )
        got = dict(s.execute(select(QaSample.decision_id, QaSample.assigned_to)).all())
    expected = {d for d in approvals if qa.chosen(seed, d, 50.0)}
    assert set(got) == expected and len(result.drawn) == len(expected)
    assert result.considered == len(approvals) == len(world.cases)
    for decision_id, checker in got.items():
        assert checker == qa.assignee(
            seed, decision_id, world.alice.user_id, [world.alice.user_id, world.bob.user_id]
        )


@pytest.mark.postgres
def test_postgres_draw_arithmetic_matches_python(pg_url: str, tmp_path: Path) -> None:
    """rd_qa_draw's test, as SQL, against reviewdb.qa's for 2,000 ids and awkward shares
    (0, 0.01, a half hundredth, 33.335, 99.99, 100): the same answer every time."""
    store = Store(pg_url, tmp_path / "blobs")
    migrate.upgrade(store)
    central_pg.install(store.engine)
    rng = random.Random(17)
    cases = [
        (f"s{rng.randrange(10**6)}", str(uuid.UUID(int=rng.getrandbits(128))), pct)
        for pct in (0.0, 0.01, 0.005, 0.015, 5.0, 33.335, 50.0, 99.99, 100.0)
        for _ in range(222)
    ]
    with store.engine.connect() as conn:
        for seed, decision_id, pct in cases:
            row = conn.execute(
                text(
                    "SELECT rd_qa_u64(substring(h FROM 1 FOR 8)) * 10000 "
                    "< round(CAST(:pct AS numeric), 2) * 100 * 18446744073709551616, "
                    "rd_qa_u64(substring(h FROM 9 FOR 8)) % 7 "
                    "FROM (SELECT sha256(convert_to(:seed || chr(31) || :id, 'UTF8')) AS h) x"
                ),
                {"pct": repr(pct), "seed": seed, "id": decision_id},
            ).one()
            assert row[0] is arbiter_qa.chosen(seed, decision_id, pct), (seed, decision_id, pct)
            pool = [str(i) for i in range(8)]  # minus the approver "7": seven to pick from
            assert pool[int(row[1])] == arbiter_qa.assignee(seed, decision_id, "7", pool)
