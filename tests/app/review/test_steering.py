"""Steering (issue 17): a supervisor gives a reviewer's case to another or releases it
(one, several, all), with a reason, journaled; the same outcomes whichever arbiter
decides (the local store on SQLite or PostgreSQL, a central PostgreSQL or SQLite file),
and the previous holder's late decision is fenced out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.review.workflow import MAX_STEERING_REASON, DecisionInput, WorkflowError
from app.workbench import Workbench
from reviewdb.models import Case, Claim, JournalEntry
from tests.app.review.test_arbitration_contract import Setup, setup  # noqa: F401 - the fixture

EXPECTED = [
    "alice claims 0: ok",
    "alice claims 1: ok",
    "alice claims 2: ok",
    "bob reassigns 0: refused role",
    "sup reassigns 0 without a reason: refused reason_required",
    "sup reassigns 0 to nobody: refused no_user",
    "sup reassigns 0 to carol (another district): refused not_allowed",
    "sup reassigns 0 to bob: ok alice -> bob",
    "alice approves 0 after it moved: refused claimed_by_other",
    "bob approves 0: ok",
    "alice holds: 1 2",
    "sup releases all of alice's: 1 ok, 2 ok",
    "alice holds: -",
    "sup reassigns decided 0: not done",
]


def _outcome(transcript: list[str], label: str, action: Callable[[], object]) -> None:
    try:
        action()
    except WorkflowError as exc:
        transcript.append(f"{label}: refused {exc.code}")
        return
    transcript.append(f"{label}: ok")


def test_every_arbiter_steers_the_same(setup: Setup) -> None:  # noqa: F811 - the fixture
    world = setup.world
    alice = Workbench(setup.desk, world.alice)
    bob = Workbench(setup.desk, world.bob)
    sup = Workbench(setup.desk, world.sup)
    c0, c1, c2 = world.cases[0], world.cases[1], world.cases[2]
    transcript: list[str] = []
    for i, case_no in enumerate((c0, c1, c2)):
        _outcome(transcript, f"alice claims {i}", lambda c=case_no: alice.claim(c))
    _outcome(transcript, "bob reassigns 0", lambda: bob.reassign([c0], "bob", "mine now"))
    _outcome(
        transcript, "sup reassigns 0 without a reason", lambda: sup.reassign([c0], "bob", "  ")
    )
    _outcome(transcript, "sup reassigns 0 to nobody", lambda: sup.reassign([c0], "nobody", "x"))
    moved_to_carol = sup.reassign([c0], "carol", "carol has time")
    transcript.append(
        "sup reassigns 0 to carol (another district): "
        + ("ok" if moved_to_carol[0].done else "refused not_allowed")
    )
    assert "carol" in moved_to_carol[0].message or "district" in moved_to_carol[0].message
    moved = sup.reassign([c0], "bob", "alice is on leave")
    assert moved[0].done
    transcript.append(f"sup reassigns 0 to bob: ok {moved[0].previous_holder} -> bob")
    _outcome(
        transcript,
        "alice approves 0 after it moved",
        lambda: alice.decide(c0, DecisionInput("approve")),
    )
    _outcome(transcript, "bob approves 0", lambda: bob.decide(c0, DecisionInput("approve")))
    held = sup.held_by("alice")
    transcript.append(
        "alice holds: " + (" ".join(sorted(str(world.cases.index(c)) for c in held)) or "-")
    )
    released = sup.reassign(held, None, "alice is on leave")
    transcript.append(
        "sup releases all of alice's: "
        + ", ".join(
            sorted(f"{world.cases.index(o.case_no)} {'ok' if o.done else 'no'}" for o in released)
        )
    )
    held = sup.held_by("alice")
    transcript.append("alice holds: " + (" ".join(held) or "-"))
    late = sup.reassign([c0], "bob", "again")
    transcript.append(f"sup reassigns decided 0: {'done' if late[0].done else 'not done'}")
    assert transcript == EXPECTED

    # Journaled where the workstation keeps its journal, with the reason and both people.
    with setup.desk.store.read() as s:
        entries = s.scalars(
            select(JournalEntry).where(JournalEntry.action == "reassign").order_by(JournalEntry.seq)
        ).all()
    assert [(e.payload["previous_holder"], e.payload["to"]) for e in entries] == [
        ("alice", "bob"),
        ("alice", None),
        ("alice", None),
    ]
    assert {e.payload["reason"] for e in entries} == {"alice is on leave"}
    assert all(e.actor == "sup" for e in entries)

    # The arbiter holds the same: c1, c2 free, c0 decided by bob.
    store = setup.central or setup.desk.store
    with store.read() as s:
        owners = dict(
            s.execute(
                select(Case.case_no, Claim.owner_id)
                .join(Claim, Claim.case_id == Case.id)
                .where(Case.case_no.in_((c1, c2)))
            ).all()
        )
        status = s.scalar(select(Case.status).where(Case.case_no == c0))
    assert owners == {c1: None, c2: None}
    assert status == "approved"


def test_a_reason_is_checked_before_anything_moves(setup: Setup) -> None:  # noqa: F811
    world = setup.world
    sup = Workbench(setup.desk, world.sup)
    Workbench(setup.desk, world.alice).claim(world.cases[0])
    for bad, code in (
        ("x" * (MAX_STEERING_REASON + 1), "text"),
        ("on leave\x00", "text"),
        ("x" * 100_000, "text"),
    ):
        with pytest.raises(WorkflowError) as refused:
            sup.reassign([world.cases[0]], "bob", bad)
        assert refused.value.code == code
        assert "\x00" not in refused.value.message and len(refused.value.message) < 200
    with pytest.raises(WorkflowError) as nul_user:
        sup.reassign([world.cases[0]], "bob\x00", "fine")
    assert nul_user.value.code == "text"
    assert sup.held_by("alice") == [world.cases[0]]  # nothing moved


PAUSE_EXPECTED = [
    "bob pauses alice: refused role",
    "sup pauses alice without a reason: refused reason_required",
    "sup pauses carol (another district): refused not_allowed",
    "sup pauses sup2 (a supervisor): refused not_allowed",
    "sup pauses alice: ok paused by sup",
    "alice claims 0 while paused: refused paused",
    "alice logs in while paused: refused",
    "sup pauses alice again: ok paused by sup",
    "sup resumes alice: ok not paused",
    "alice claims 0 after: ok",
]


def test_every_arbiter_pauses_the_same(setup: Setup) -> None:  # noqa: F811 - the fixture
    from app.auth import AccountPaused

    world = setup.world
    alice = Workbench(setup.desk, world.alice)
    bob = Workbench(setup.desk, world.bob)
    sup = Workbench(setup.desk, world.sup)
    c0 = world.cases[0]
    transcript: list[str] = []

    def pause(label: str, desk: Workbench, who: str, on: bool, reason: str = "leave") -> None:
        try:
            done = desk.set_paused(who, on, reason)
        except WorkflowError as exc:
            transcript.append(f"{label}: refused {exc.code}")
            return
        state = f"paused by {done.paused_by}" if done.paused_at else "not paused"
        transcript.append(f"{label}: ok {state}")

    pause("bob pauses alice", bob, "alice", True)
    pause("sup pauses alice without a reason", sup, "alice", True, " ")
    pause("sup pauses carol (another district)", sup, "carol", True)
    pause("sup pauses sup2 (a supervisor)", sup, "sup2", True)
    pause("sup pauses alice", sup, "alice", True)
    _outcome(transcript, "alice claims 0 while paused", lambda: alice.claim(c0))
    try:
        setup.desk.login("alice", "alice-pass-1", "ws-test")
    except AccountPaused:
        transcript.append("alice logs in while paused: refused")
    else:
        transcript.append("alice logs in while paused: ok")
    pause("sup pauses alice again", sup, "alice", True)
    pause("sup resumes alice", sup, "alice", False, "back")
    _outcome(transcript, "alice claims 0 after", lambda: alice.claim(c0))
    assert transcript == PAUSE_EXPECTED
    with setup.desk.store.read() as s:
        actions = s.scalars(
            select(JournalEntry.action)
            .where(JournalEntry.action.in_(("user_pause", "user_resume")))
            .order_by(JournalEntry.seq)
        ).all()
    assert actions == ["user_pause", "user_pause", "user_resume"]
