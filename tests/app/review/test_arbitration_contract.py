"""One contract, every arbiter: the same sequence of claims, decisions, undos and
confirmations gives the same outcomes whether the local store decides alone (SQLite or
PostgreSQL) or a central store does (PostgreSQL, or a central SQLite file).

Each step is driven through the facade the window and the commands use
(:class:`app.workbench.Workbench`), and the outcome is written down as ``ok <status>`` or
``refused <code>``; the four transcripts must equal one expected transcript. With a
central store, what was decided must also be at the central store afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth import Actor
from app.review.workflow import DecisionInput, WorkflowError
from app.runtime import Workstation, standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.models import Case, Decision
from tests.integration.sync_fixtures import central_world, workstation
from tests.workflow_fixtures import World, build_world


@dataclass
class Setup:
    desk: Workstation
    world: World
    central: Store | None  # where decisions must end up, when there is a central store


def _standalone(url: str, tmp_path: Path) -> Setup:
    store = Store(url, tmp_path / "blobs")
    migrate.upgrade(store)
    world = build_world(store, tmp_path / "pkgs", n_cases=4)
    return Setup(standalone(store), world, None)


def _central(url: str, tmp_path: Path) -> Setup:
    central, world = central_world(url, tmp_path, n_cases=4)
    return Setup(workstation(central, tmp_path).desk, world, central)


SETUPS: dict[str, Callable[[pytest.FixtureRequest, Path], Setup]] = {
    "standalone-sqlite": lambda r, p: _standalone(f"sqlite:///{p / 'store.db'}", p),
    "standalone-postgres": lambda r, p: _standalone(r.getfixturevalue("pg_url"), p),
    "central-postgres": lambda r, p: _central(r.getfixturevalue("pg_url"), p),
    "central-sqlite-file": lambda r, p: _central(f"sqlite:///{p / 'central.db'}", p),
}


@pytest.fixture(
    params=[
        pytest.param("standalone-sqlite"),
        pytest.param("standalone-postgres", marks=pytest.mark.postgres),
        pytest.param("central-postgres", marks=pytest.mark.postgres),
        pytest.param("central-sqlite-file"),
    ]
)
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Setup:
    return SETUPS[request.param](request, tmp_path)


def _run(transcript: list[str], label: str, action: Callable[[], object]) -> None:
    try:
        result = action()
    except WorkflowError as exc:
        transcript.append(f"{label}: refused {exc.code}")
        return
    status = getattr(result, "case_status", None)
    state = getattr(result, "state", None)
    transcript.append(f"{label}: ok" + (f" {state} {status}" if status else ""))


EXPECTED = [
    # a claim is won once; the holder's repeat keeps it; others are refused
    "alice claims 0: ok",
    "bob claims 0: refused claimed_by_other",
    "alice renews 0: ok",
    "bob decides 0: refused claimed_by_other",
    "bob releases 0: refused not_holder",
    # an approval needs no second pair of eyes; undo within the window goes back
    "alice approves 0: ok accepted approved",
    "bob claims 0 after the decision: refused state",
    "bob undoes alice's decision: refused not_decider",
    "alice undoes 0: ok undone pending",
    # a rejection of a custody case waits for a supervisor (four-eyes)
    "alice claims 0 again: ok",
    "alice rejects without a reason: refused reason_required",
    "alice rejects 0: ok pending_confirmation confirming",
    "alice confirms her own decision: refused role",
    "sup confirms 0: ok confirmed rejected",
    "sup confirms 0 twice: refused state",
    # a release gives the case back; a supervisor takes a case over with a reason
    "bob claims 1: ok",
    "bob releases 1: ok",
    "alice claims 1: ok",
    "bob takes over 1: refused role",
    "sup takes over 1 without a reason: refused reason_required",
    "sup takes over 1: ok",
    "alice approves 1 after the takeover: refused claimed_by_other",
    "carol claims 2 (another district): refused no_case",
]


def test_every_arbiter_gives_the_same_outcomes(setup: Setup) -> None:
    world = setup.world
    desks: dict[str, Workbench] = {}

    def desk(actor: Actor) -> Workbench:
        if actor.username not in desks:
            desks[actor.username] = Workbench(setup.desk, actor)
        return desks[actor.username]

    alice, bob, sup, carol = desk(world.alice), desk(world.bob), desk(world.sup), desk(world.carol)
    c0, c1, c2 = world.cases[0], world.cases[1], world.cases[2]
    approve = DecisionInput("approve")
    reject = DecisionInput("reject", reasons=("PHOTO_UNCLEAR",))
    steps: list[tuple[str, Callable[[], object]]] = [
        ("alice claims 0", lambda: alice.claim(c0)),
        ("bob claims 0", lambda: bob.claim(c0)),
        ("alice renews 0", lambda: alice.renew(c0)),
        ("bob decides 0", lambda: bob.decide(c0, approve)),
        ("bob releases 0", lambda: bob.release(c0)),
        ("alice approves 0", lambda: alice.decide(c0, approve)),
        ("bob claims 0 after the decision", lambda: bob.claim(c0)),
        ("bob undoes alice's decision", lambda: bob.undo(c0)),
        ("alice undoes 0", lambda: alice.undo(c0)),
        ("alice claims 0 again", lambda: alice.claim(c0)),
        ("alice rejects without a reason", lambda: alice.decide(c0, DecisionInput("reject"))),
        ("alice rejects 0", lambda: alice.decide(c0, reject)),
        ("alice confirms her own decision", lambda: alice.confirm(c0)),
        ("sup confirms 0", lambda: sup.confirm(c0)),
        ("sup confirms 0 twice", lambda: sup.confirm(c0)),
        ("bob claims 1", lambda: bob.claim(c1)),
        ("bob releases 1", lambda: bob.release(c1)),
        ("alice claims 1", lambda: alice.claim(c1)),
        ("bob takes over 1", lambda: bob.takeover(c1, "reason")),
        ("sup takes over 1 without a reason", lambda: sup.takeover(c1, " ")),
        ("sup takes over 1", lambda: sup.takeover(c1, "alice is ill")),
        ("alice approves 1 after the takeover", lambda: alice.decide(c1, approve)),
        ("carol claims 2 (another district)", lambda: _carol_claims(carol, c2)),
    ]
    transcript: list[str] = []
    for label, action in steps:
        _run(transcript, label, action)
    assert transcript == EXPECTED

    if setup.central is not None:
        # What the workstation was told is what the central store holds.
        with setup.central.read() as s:
            status = s.scalar(select(Case.status).where(Case.case_no == c0))
            states = sorted(
                s.scalars(
                    select(Decision.state)
                    .join(Case, Case.id == Decision.case_id)
                    .where(Case.case_no == c0)
                )
            )
        assert status == "rejected"
        assert states == ["confirmed", "undone"]


def _carol_claims(carol: Workbench, case_no: str) -> object:
    """carol works in 西湖区 only: a 东湖区 case does not exist for her."""
    from app.review.cases import CaseNotFound

    try:
        return carol.claim(case_no)
    except CaseNotFound as exc:
        raise WorkflowError("no_case", str(exc)) from exc
