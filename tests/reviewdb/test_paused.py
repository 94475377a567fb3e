"""Issue 17: a person a supervisor paused neither claims nor decides, on every path of the
Python arbiter (standalone store on SQLite and PostgreSQL, a central SQLite file).

The refusal is ``paused`` whatever else the call would have met (a case held by another, a
stale token, a resend, no such case), nothing stays written, and a resumed person works
again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reviewdb import arbiter, migrate
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central import PythonOps
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision
from tests.workflow_fixtures import World, build_world

LEASE = dt.timedelta(minutes=30)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    store = Store(url, tmp_path / "blobs", shared_file=True)
    migrate.upgrade(store)
    yield build_world(store, tmp_path / "pkgs")
    store.dispose()


def _case_id(w: World, i: int) -> str:
    with w.store.read() as s:
        return str(s.scalars(select(Case.id).where(Case.case_no == w.cases[i])).one())


def _pause(w: World, pause: bool) -> None:
    with w.store.write() as s:
        arbiter.set_paused(s, w.sup.user_id, w.alice.user_id, pause)


def _record(w: World, case_id: str, token: int) -> DecisionRecord:
    return DecisionRecord(
        decision_id=str(uuid.uuid4()),
        case_id=case_id,
        round_no=1,
        outcome="approve",
        reasons={"codes": []},
        comment=None,
        reviewer_id=w.alice.user_id,
        claim_token=token,
        device_time=dt.datetime.now(dt.UTC),
        workstation="ws-alice",
        needs_confirmation=False,
    )


def _refused_paused(w: World, action: Callable[[PythonOps], object]) -> None:
    with pytest.raises(ArbiterRefusal) as refused, w.store.write() as s:
        action(PythonOps(s))
    assert refused.value.code == "paused"
    assert str(refused.value) == "this account is paused by a supervisor"


def _state(w: World) -> tuple[list[tuple[str | None, int]], int, list[str]]:
    """Every claim's holder and token, the number of decisions, every case's status."""
    with w.store.read() as s:
        claims = [
            (owner, int(token))
            for owner, token in s.execute(
                select(Claim.owner_id, Claim.token).order_by(Claim.case_id)
            ).all()
        ]
        decisions = s.scalar(select(func.count()).select_from(Decision))
        statuses = list(s.scalars(select(Case.status).order_by(Case.id)))
    return claims, int(decisions or 0), statuses


def test_a_paused_reviewer_is_refused_on_every_path(world: World) -> None:
    w = world
    alice, bob = w.alice.user_id, w.bob.user_id
    c0, c1, c2 = (_case_id(w, i) for i in range(3))
    with w.store.write() as s:
        held = PythonOps(s).claim(c0, alice, "ws-alice", LEASE)
        bobs = PythonOps(s).claim(c1, bob, "ws-bob", LEASE)
    decided = _record(w, c2, 0)
    with w.store.write() as s:
        won = PythonOps(s).claim(c2, alice, "ws-alice", LEASE)
        decided = dataclasses.replace(decided, claim_token=won.token)
        assert arbiter.submit_decision(s, decided).state == "accepted"
    _pause(w, True)
    before = _state(w)

    _refused_paused(w, lambda ops: ops.claim(c0, alice, "ws-alice", LEASE))  # her own
    _refused_paused(w, lambda ops: ops.claim(c1, alice, "ws-alice", LEASE))  # bob's
    _refused_paused(w, lambda ops: ops.claim("no-such-case", alice, "ws-alice", LEASE))
    _refused_paused(w, lambda ops: ops.renew(c0, alice, held.token, LEASE))
    _refused_paused(w, lambda ops: ops.renew(c0, alice, held.token + 7, LEASE))
    _refused_paused(w, lambda ops: ops.takeover(c1, alice, "ws-alice", LEASE))
    _refused_paused(w, lambda ops: ops.takeover("no-such-case", alice, "ws-alice", LEASE))
    fresh = _record(w, c0, held.token)
    _refused_paused(w, lambda ops: ops.submit_decision(fresh))  # would be accepted
    _refused_paused(w, lambda ops: ops.submit_decision(_record(w, c0, held.token + 7)))
    _refused_paused(w, lambda ops: ops.submit_decision(_record(w, c1, bobs.token)))  # bob holds it
    _refused_paused(w, lambda ops: ops.submit_decision(decided))  # a resend of a stored one
    _refused_paused(w, lambda ops: ops.submit_decision(_record(w, "no-such-case", 1)))
    # The standalone workflow's call: a new id, the case's state as it read it.
    with pytest.raises(ArbiterRefusal, match="paused by a supervisor"), w.store.write() as s:
        arbiter.submit_decision(s, fresh, fresh=True, known=("pending", 1))
    assert _state(w) == before  # nothing stayed

    # Bob, never paused, is not held up by alice's pause.
    with w.store.write() as s:
        PythonOps(s).renew(c1, bob, bobs.token, LEASE)

    _pause(w, False)
    with w.store.write() as s:
        again = PythonOps(s).claim(c0, alice, "ws-alice", LEASE)
        assert again.token == held.token
        assert PythonOps(s).submit_decision(fresh) == "accepted"
