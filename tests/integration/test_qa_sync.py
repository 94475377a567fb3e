"""抽查 between workstations of one central store (issue 17): a draw made on the
supervisor's computer reaches the checker's through sync, the verdict comes back, and a
computer that pulls later gets every sample with its case, even one its 抽查 pass could
not place yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth import create_user
from app.review.workflow import DecisionInput
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Case, JournalEntry, QaDraw, QaSample
from tests.integration.sync_fixtures import UNREACHABLE, central_world, workstation

ALL = {"guardianship": 100.0, "rural_house": 100.0, "kinship": 100.0}


@pytest.fixture(params=["sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path / 'central.db'}"


def _samples(store: Store) -> dict[str, tuple[str | None, str | None]]:
    with store.read() as s:
        return {
            d: (v, st)
            for d, v, st in s.execute(
                select(QaSample.decision_id, QaSample.verdict, QaSample.settlement)
            )
        }


def test_qa_travels_between_workstations(central_url: str, tmp_path: Path) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=3)
    office = workstation(central, tmp_path, "office")  # alice and the supervisor
    laptop = workstation(central, tmp_path, "laptop")  # bob, elsewhere
    alice, sup = Workbench(office.desk, world.alice), Workbench(office.desk, world.sup)
    bob = Workbench(laptop.desk, world.bob)
    for case_no in world.cases[:2]:
        alice.claim(case_no)
        alice.decide(case_no, DecisionInput("approve"))
    # The laptop catches up with the cases, then only its 抽查 pass runs after the draw
    # (as after an action of its own): the third case was decided after, so its sample
    # cannot be placed yet and is passed over, not lost.
    laptop.sync.sync_once()
    alice.claim(world.cases[2])
    alice.decide(world.cases[2], DecisionInput("approve"))
    drawn = sup.qa_draw(seed="s", percent=ALL)
    assert sorted(drawn.drawn) == sorted(world.cases)
    laptop.sync.refresh_qa()
    assert len(_samples(laptop.local)) == 2
    laptop.sync.sync_once()  # the case's page brings its sample
    assert _samples(laptop.local) == _samples(central)
    assert sorted(s.case_no for s in bob.qa_my_samples()) == sorted(world.cases)

    bob.qa_verdict(world.cases[0], False, "未见户籍证明")
    bob.qa_verdict(world.cases[1], True)
    assert [s.case_no for s in sup.qa_disagreements()] == []  # not pulled yet
    office.sync.sync_once()
    [waiting] = sup.qa_disagreements()
    assert (waiting.case_no, waiting.comment) == (world.cases[0], "未见户籍证明")
    sup.qa_settle(world.cases[0], overturn=False)

    # A computer set up now gets the whole story in its first pull.
    late = workstation(central, tmp_path, "late")
    assert _samples(late.local) == _samples(central) == _samples(office.local)
    with late.local.read() as s, central.read() as c:
        assert s.scalar(select(func.count()).select_from(QaDraw)) == c.scalar(
            select(func.count()).select_from(QaDraw)
        )
    report = {line.reviewer: line for line in Workbench(late.desk, world.sup).qa_report()}
    assert (report["alice"].sampled, report["alice"].agreed, report["alice"].disagreed) == (3, 1, 1)


def test_a_case_brought_down_with_a_sample_by_someone_new_here(
    central_url: str, tmp_path: Path
) -> None:
    """A supervisor added after this computer's last pull draws elsewhere; an undo here
    brings the case down with its sample (which names that supervisor): no failure, and
    the undo is not reported as 'nothing was changed'."""
    central, world = central_world(central_url, tmp_path, n_cases=1)
    office = workstation(central, tmp_path, "office")
    alice = Workbench(office.desk, world.alice)
    alice.claim(world.cases[0])
    alice.decide(world.cases[0], DecisionInput("approve"))
    newcomer = create_user(
        central,
        by=world.admin,
        username="sup3",
        role="supervisor",
        districts=["东湖区"],
        password="sup3-pass-1",
    )
    elsewhere = workstation(central, tmp_path, "elsewhere")
    Workbench(elsewhere.desk, newcomer).qa_draw(seed="s", percent=ALL)
    undone = alice.undo(world.cases[0])
    assert undone.case_status == "pending"
    with office.local.read() as s:
        assert s.scalar(select(func.count()).select_from(QaSample)) == 1


def test_a_connection_lost_after_the_arbiter_acted_is_not_nothing_changed(
    central_url: str, tmp_path: Path
) -> None:
    """The undo is done at the central store; the connection drops before this computer
    copies the case back: the undo is reported done and journaled here, not "offline:
    nothing was changed", and the next sync brings the case."""
    central, world = central_world(central_url, tmp_path, n_cases=1)
    office = workstation(central, tmp_path, "office")
    alice = Workbench(office.desk, world.alice)
    alice.claim(world.cases[0])
    alice.decide(world.cases[0], DecisionInput("approve"))
    copy_back = office.sync.refresh_case
    real = office.sync.central

    def cut_then_copy(case_id: str) -> None:
        office.sync.central = Store(UNREACHABLE)  # the network goes, right now
        copy_back(case_id)

    office.sync.refresh_case = cut_then_copy  # type: ignore[method-assign]
    alice.undo(world.cases[0])
    office.sync.refresh_case = copy_back  # type: ignore[method-assign]
    office.sync.central = real
    with central.read() as s:
        assert s.scalar(select(Case.status)) == "pending"
    with office.local.read() as s:
        assert [e.action for e in s.scalars(select(JournalEntry))][-1] == "undo"
    office.sync.sync_once()
    with office.local.read() as s:
        assert s.scalar(select(Case.status)) == "pending"
