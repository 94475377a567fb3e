"""Hypothesis stateful test of the workflow: any sequence of actions by any mix of users.

Invariants after every step: never two effective decisions for one case round; every
effective decision was made by the user who held the claim (with that token) at the
time; no decision outside the decider's districts; the journal chain stays intact.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select, update

from app.review.cases import CaseNotFound
from app.review.workflow import DecisionInput, Workflow, WorkflowError
from reviewdb import journal, migrate
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision, UserDistrict
from tests.workflow_fixtures import build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

USERS = ("alice", "bob", "carol", "sup", "sup2", "admin")
DECISIONS = (
    DecisionInput("approve"),
    DecisionInput("reject", reasons=("PHOTO_UNCLEAR",)),
    DecisionInput("reject", reasons=("OTHER",)),  # refused: needs a comment
    DecisionInput("return", missing=("hukou_self",)),
)


class WorkflowMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        tmp = Path(self.tmp.name)
        self.store = Store(f"sqlite:///{tmp / 'wf.db'}", tmp / "blobs")
        migrate.upgrade(self.store)
        self.world = build_world(self.store, tmp, n_cases=3)
        self.actors = {name: getattr(self.world, name) for name in USERS}
        self.wf = Workflow(self.store)
        self.holder: dict[str, tuple[str, int] | None] = {c: None for c in self.world.cases}

    def teardown(self) -> None:
        self.store.dispose()
        self.tmp.cleanup()

    def _try(self, fn):  # type: ignore[no-untyped-def]
        try:
            return fn()
        except (WorkflowError, CaseNotFound):
            return None

    @rule(user=st.sampled_from(USERS), case=st.integers(0, 2))
    def claim(self, user: str, case: int) -> None:
        c = self.world.cases[case]
        info = self._try(lambda: self.wf.claim(self.actors[user], c))
        if info is not None:
            self.holder[c] = (user, info.token)

    @rule(user=st.sampled_from(USERS), case=st.integers(0, 2))
    def release(self, user: str, case: int) -> None:
        c = self.world.cases[case]
        if self._try(lambda: self.wf.release(self.actors[user], c)):
            self.holder[c] = None

    @rule(user=st.sampled_from(USERS), case=st.integers(0, 2), reason=st.text(max_size=3))
    def takeover(self, user: str, case: int, reason: str) -> None:
        c = self.world.cases[case]
        info = self._try(lambda: self.wf.takeover(self.actors[user], c, reason))
        if info is not None:
            self.holder[c] = (user, info.token)

    @rule(case=st.integers(0, 2))
    def lease_expires(self, case: int) -> None:
        c = self.world.cases[case]
        with self.store.write() as s:
            case_id = s.scalars(select(Case.id).where(Case.case_no == c)).one()
            s.execute(
                update(Claim)
                .where(Claim.case_id == case_id, Claim.owner_id.is_not(None))
                .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
            )
        self.holder[c] = None

    @rule(
        user=st.sampled_from(USERS),
        case=st.integers(0, 2),
        choice=st.integers(0, len(DECISIONS) - 1),
    )
    def decide(self, user: str, case: int, choice: int) -> None:
        c = self.world.cases[case]
        before = self.holder[c]
        result = self._try(lambda: self.wf.decide(self.actors[user], c, DECISIONS[choice]))
        if result is not None and result.state != "conflict":
            # Only the holder of a live claim can get a decision accepted.
            assert before is not None and before[0] == user, (user, before)
            with self.store.read() as s:
                d = s.get(Decision, result.decision_id)
                assert d is not None and d.claim_token == before[1]
        if result is not None:
            self.holder[c] = None

    @rule(user=st.sampled_from(USERS), case=st.integers(0, 2), accept=st.booleans())
    def confirm(self, user: str, case: int, accept: bool) -> None:
        self._try(lambda: self.wf.confirm(self.actors[user], self.world.cases[case], accept=accept))

    @rule(user=st.sampled_from(USERS), case=st.integers(0, 2))
    def undo(self, user: str, case: int) -> None:
        self._try(lambda: self.wf.undo(self.actors[user], self.world.cases[case]))

    @invariant()
    def one_effective_decision_per_round(self) -> None:
        with self.store.read() as s:
            rows = s.execute(
                select(Decision.case_id, Decision.round_no, func.count())
                .where(Decision.effective.is_(True))
                .group_by(Decision.case_id, Decision.round_no)
            ).all()
            assert all(n == 1 for _, _, n in rows), rows

    @invariant()
    def decisions_within_districts(self) -> None:
        with self.store.read() as s:
            rows = s.execute(
                select(Decision.id, Case.district_code, Decision.reviewer_id).join(
                    Case, Case.id == Decision.case_id
                )
            ).all()
            for _, district, reviewer in rows:
                allowed = set(
                    s.scalars(
                        select(UserDistrict.district_code).where(UserDistrict.user_id == reviewer)
                    )
                )
                assert district in allowed

    @invariant()
    def status_matches_effective_decision(self) -> None:
        with self.store.read() as s:
            for case in s.scalars(select(Case)).all():
                eff = s.scalars(
                    select(Decision).where(
                        Decision.case_id == case.id, Decision.effective.is_(True)
                    )
                ).first()
                if eff is None:
                    assert case.status == "pending"
                elif eff.state == "pending_confirmation":
                    assert case.status == "confirming"
                else:
                    assert (
                        case.status
                        == {"approve": "approved", "reject": "rejected", "return": "returned"}[
                            eff.outcome
                        ]
                    )

    @invariant()
    def journal_intact(self) -> None:
        with self.store.read() as s:
            assert journal.verify(s).ok


WorkflowMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("REVIEWDESK_STATEFUL_EXAMPLES", "20")),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestWorkflowMachine = WorkflowMachine.TestCase
TestWorkflowMachine.pytestmark = [pytest.mark.slow]  # type: ignore[attr-defined]
