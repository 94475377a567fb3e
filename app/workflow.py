"""The review workflow: who may do what to which case, in one explicit state machine.

Every operation resolves the case inside the actor's districts first (a case elsewhere
does not exist for them), checks the role and the transition, asks the arbiter, and
journals the action in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import Actor
from app.cases import CaseNotFound
from app.policy import policy_for
from app.reasons import VERDICTS, reason_map
from reviewdb import arbiter, journal
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord
from reviewdb.engine import Store
from reviewdb.models import Application, Case, Claim, NoticePrint, User

DEFAULT_LEASE = dt.timedelta(minutes=30)
ONSITE_LEASE = dt.timedelta(hours=36)

# The state machine, explicit: (case status, action) -> status after it. Actions not
# listed for a status are refused. "decide" leads to the outcome's status, or to
# "confirming" when the policy wants four eyes; "confirm" leads to the outcome's status
# (or back to "pending" when the supervisor disagrees).
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("pending", "claim"): ("pending",),
    ("pending", "release"): ("pending",),
    ("pending", "takeover"): ("pending",),
    ("pending", "decide"): ("approved", "rejected", "returned", "confirming"),
    ("confirming", "confirm"): ("approved", "rejected", "returned", "pending"),
    ("confirming", "undo"): ("pending",),
    ("approved", "undo"): ("pending",),
    ("rejected", "undo"): ("pending",),
    ("returned", "undo"): ("pending",),
}
ROLES_FOR = {
    "claim": ("reviewer", "supervisor"),
    "release": ("reviewer", "supervisor"),
    "decide": ("reviewer", "supervisor"),
    "takeover": ("supervisor",),
    "confirm": ("supervisor",),
    "undo": ("reviewer", "supervisor"),
}


class WorkflowError(Exception):
    """A refusal the user can understand; ``code`` lets the GUI choose its wording."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


def allowed(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


@dataclass(frozen=True)
class DecisionInput:
    """What the reviewer chose in the decision panel (or on the command line)."""

    outcome: str
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    comment: str | None = None
    note_to_parent: str | None = None
    verdicts: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionResult:
    decision_id: str
    state: str  # accepted | pending_confirmation | conflict | confirmed | superseded | undone
    case_status: str
    case_no: str

    @property
    def line(self) -> str:
        if self.state == "conflict":
            return f"{self.case_no}: decision kept as a conflict (the claim was no longer yours)"
        if self.state == "pending_confirmation":
            return f"{self.case_no}: decision recorded, waiting for a supervisor's confirmation (four-eyes)"
        return f"{self.case_no}: {self.case_status}"


class Workflow:
    """Review operations for one store; ``arbiter_store`` is where claims and decisions are
    arbitrated (the same store in standalone mode)."""

    def __init__(self, store: Store, arbiter_store: Store | None = None) -> None:
        self.store = store
        self.arbiter_store = arbiter_store or store
        if self.arbiter_store is not self.store:
            raise NotImplementedError("a separate arbiter is configured by app.sync")

    # --- helpers -------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self.store.write() as session:
                yield session
        except ArbiterRefusal as exc:
            raise _translate(exc) from exc

    @staticmethod
    def _case(session: Session, actor: Actor, ref: str, *, lock: bool = False) -> Case:
        case = session.scalars(select(Case).where((Case.case_no == ref) | (Case.id == ref))).first()
        if case is None or case.district_code not in actor.districts:
            # Outside the actor's districts a case does not exist: same words as "no case".
            raise CaseNotFound(f"no case {ref} in your districts")
        return case

    @staticmethod
    def _role(actor: Actor, action: str) -> None:
        if actor.role not in ROLES_FOR[action]:
            who = {
                "admin": "an administrator",
                "reviewer": "a reviewer",
                "supervisor": "a supervisor",
            }[actor.role]
            need = " or ".join(ROLES_FOR[action])
            raise WorkflowError("role", f"{action} needs a {need}; you are {who}")

    @staticmethod
    def _transition(case: Case, action: str) -> None:
        if not allowed(case.status, action):
            raise WorkflowError(
                "state",
                f"{case.case_no} is {case.status}: cannot {action} it now",
                status=case.status,
            )

    @staticmethod
    def _journal(
        session: Session, actor: Actor, action: str, case: Case | None, **payload: Any
    ) -> None:
        journal.append(
            session,
            action=action,
            actor=actor.username,
            workstation=actor.workstation,
            case_id=case.id if case else None,
            payload={"case_no": case.case_no, **payload} if case else payload,
        )

    # --- viewing -------------------------------------------------------------

    def record_view(self, actor: Actor, ref: str) -> None:
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._journal(s, actor, "view", case)

    # --- claims --------------------------------------------------------------

    def claim(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        self._role(actor, "claim")
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._transition(case, "claim")
            info = arbiter.claim(s, case.id, actor.user_id, actor.workstation, lease)
            self._journal(
                s, actor, "claim", case, token=info.token, until=info.leased_until.isoformat()
            )
            return info

    def renew(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        with self._write() as s:
            case = self._case(s, actor, ref)
            current = s.get(Claim, case.id)
            token = current.token if current else 0
            info = arbiter.renew(s, case.id, actor.user_id, token, lease)
            self._journal(
                s, actor, "renew", case, token=info.token, until=info.leased_until.isoformat()
            )
            return info

    def release(self, actor: Actor, ref: str) -> bool:
        self._role(actor, "release")
        with self._write() as s:
            case = self._case(s, actor, ref)
            released = arbiter.release(s, case.id, actor.user_id)
            if not released:
                holder = _holder_name(s, case.id)
                raise WorkflowError(
                    "not_holder",
                    f"{case.case_no} is not claimed by you"
                    + (f" (held by {holder})" if holder else ""),
                )
            self._journal(s, actor, "release", case)
            return True

    def takeover(
        self, actor: Actor, ref: str, reason: str, lease: dt.timedelta = DEFAULT_LEASE
    ) -> ClaimInfo:
        self._role(actor, "takeover")
        if not reason.strip():
            raise WorkflowError("reason_required", "a takeover needs a reason")
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._transition(case, "takeover")
            previous = _holder_name(s, case.id)
            info = arbiter.takeover(s, case.id, actor.user_id, actor.workstation, lease)
            self._journal(
                s,
                actor,
                "takeover",
                case,
                token=info.token,
                previous_holder=previous,
                reason=reason,
            )
            return info

    # --- decisions -----------------------------------------------------------

    def validate(
        self, case: Case, policy_checklist: dict[str, str], decision: DecisionInput
    ) -> None:
        library = reason_map(case.kind)
        if decision.outcome not in ("approve", "reject", "return"):
            raise WorkflowError(
                "outcome", f"unknown outcome {decision.outcome!r}: use approve, reject or return"
            )
        unknown = [code for code in decision.reasons if code not in library]
        if unknown:
            raise WorkflowError(
                "reason_unknown",
                f"unknown reason {', '.join(unknown)} for a {case.kind} case; choose from {', '.join(library)}",
            )
        if decision.outcome == "reject" and not decision.reasons:
            raise WorkflowError(
                "reason_required", "a rejection needs at least one reason (--reason CODE)"
            )
        if (
            any(library[c].comment_required for c in decision.reasons)
            and not (decision.comment or "").strip()
        ):
            raise WorkflowError("comment_required", "reason OTHER needs a comment (--comment TEXT)")
        if decision.outcome == "return":
            if not decision.missing:
                raise WorkflowError(
                    "missing_required", "a return needs the missing documents (--missing ITEM)"
                )
            bad = [m for m in decision.missing if m not in policy_checklist]
            if bad:
                raise WorkflowError(
                    "missing_unknown",
                    f"unknown document {', '.join(bad)}; choose from {', '.join(policy_checklist)}",
                )
        if decision.outcome == "approve" and decision.reasons:
            raise WorkflowError("reason_on_approve", "an approval takes no rejection reasons")
        bad_verdicts = [v for v in decision.verdicts.values() if v not in VERDICTS]
        if bad_verdicts:
            raise WorkflowError(
                "verdict", f"unknown verdict {bad_verdicts[0]}; use {', '.join(VERDICTS)}"
            )

    def checklist(self, session: Session, case: Case) -> dict[str, str]:
        app = session.get(Application, case.application_id)
        assert app is not None
        policy = policy_for(app.city, app.admission_year)
        from app.domain import CaseKind

        return {item.code: item.label for item in policy.checklists.get(CaseKind(case.kind), ())}

    def decide(
        self,
        actor: Actor,
        ref: str,
        decision: DecisionInput,
        *,
        device_time: dt.datetime | None = None,
    ) -> DecisionResult:
        self._role(actor, "decide")
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._transition(case, "decide")
            claim = s.get(Claim, case.id)
            now = journal.store_now(s)
            if (
                claim is None
                or claim.owner_id != actor.user_id
                or claim.leased_until is None
                or claim.leased_until < now
            ):
                holder = (
                    _holder_name(s, case.id)
                    if claim and claim.leased_until and claim.leased_until >= now
                    else None
                )
                if holder:
                    raise WorkflowError(
                        "claimed_by_other",
                        f"{case.case_no} is claimed by {holder} until {claim.leased_until:%Y-%m-%d %H:%M} UTC",  # type: ignore[union-attr]
                        holder=holder,
                    )
                raise WorkflowError(
                    "not_claimed", f"{case.case_no} is not claimed by you: claim it first"
                )
            checklist = self.checklist(s, case)
            self.validate(case, checklist, decision)
            app = s.get(Application, case.application_id)
            assert app is not None
            from app.domain import CaseKind, Outcome

            policy = policy_for(app.city, app.admission_year)
            needs_confirmation = Outcome(decision.outcome) in policy.four_eyes.get(
                CaseKind(case.kind), frozenset()
            )
            rec = DecisionRecord(
                decision_id=str(uuid.uuid4()),
                case_id=case.id,
                round_no=case.current_round,
                outcome=decision.outcome,
                reasons={
                    "codes": list(decision.reasons),
                    "missing": list(decision.missing),
                    "note_to_parent": decision.note_to_parent,
                    "verdicts": {str(k): v for k, v in sorted(decision.verdicts.items())},
                },
                comment=decision.comment,
                reviewer_id=actor.user_id,
                claim_token=claim.token,
                device_time=device_time or dt.datetime.now(dt.UTC),
                workstation=actor.workstation,
                needs_confirmation=needs_confirmation,
            )
            row = arbiter.submit_decision(s, rec)
            self._journal(
                s,
                actor,
                "decide",
                case,
                decision_id=row.id,
                outcome=row.outcome,
                state=row.state,
                reasons=list(decision.reasons),
                missing=list(decision.missing),
                token=rec.claim_token,
                round=rec.round_no,
            )
            return DecisionResult(row.id, row.state, case.status, case.case_no)

    def confirm(
        self, actor: Actor, ref: str, *, accept: bool = True, comment: str | None = None
    ) -> DecisionResult:
        self._role(actor, "confirm")
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._transition(case, "confirm")
            decision = arbiter.effective_decision(s, case.id, case.current_round)
            if decision is None or decision.state != "pending_confirmation":
                raise WorkflowError(
                    "nothing_to_confirm", f"{case.case_no} has no decision waiting for confirmation"
                )
            if decision.reviewer_id == actor.user_id:
                raise WorkflowError(
                    "four_eyes",
                    "four-eyes needs another supervisor: you cannot confirm your own decision",
                )
            arbiter.confirm(s, decision, actor.user_id, accept)
            self._journal(
                s, actor, "confirm", case, decision_id=decision.id, accepted=accept, comment=comment
            )
            return DecisionResult(decision.id, decision.state, case.status, case.case_no)

    def undo(self, actor: Actor, ref: str) -> DecisionResult:
        self._role(actor, "undo")
        with self._write() as s:
            case = self._case(s, actor, ref)
            self._transition(case, "undo")
            decision = arbiter.effective_decision(s, case.id, case.current_round)
            if decision is None:
                raise WorkflowError("nothing_to_undo", f"{case.case_no} has no decision to undo")
            if decision.reviewer_id != actor.user_id:
                raise WorkflowError(
                    "not_decider", "only the reviewer who decided can undo the decision"
                )
            app = s.get(Application, case.application_id)
            assert app is not None
            window = dt.timedelta(
                minutes=policy_for(app.city, app.admission_year).undo_window_minutes
            )
            now = journal.store_now(s)
            if now - decision.store_time > window:
                raise WorkflowError(
                    "undo_window",
                    f"the undo window of {int(window.total_seconds() // 60)} minutes has passed",
                )
            printed = s.scalars(
                select(NoticePrint.id).where(NoticePrint.decision_id == decision.id)
            ).first()
            if printed is not None:
                raise WorkflowError(
                    "printed", "a notice was already printed for this decision: it cannot be undone"
                )
            arbiter.undo(s, decision)
            self._journal(s, actor, "undo", case, decision_id=decision.id)
            return DecisionResult(decision.id, decision.state, case.status, case.case_no)

    def can_undo(self, actor: Actor, ref: str) -> bool:
        try:
            with self.store.read() as s:
                case = self._case(s, actor, ref)
                if not allowed(case.status, "undo"):
                    return False
                decision = arbiter.effective_decision(s, case.id, case.current_round)
                if decision is None or decision.reviewer_id != actor.user_id:
                    return False
                app = s.get(Application, case.application_id)
                assert app is not None
                window = dt.timedelta(
                    minutes=policy_for(app.city, app.admission_year).undo_window_minutes
                )
                if journal.store_now(s) - decision.store_time > window:
                    return False
                return (
                    s.scalars(
                        select(NoticePrint.id).where(NoticePrint.decision_id == decision.id)
                    ).first()
                    is None
                )
        except CaseNotFound:
            return False


def _holder_name(session: Session, case_id: str) -> str | None:
    row = session.execute(
        select(User.username).join(Claim, Claim.owner_id == User.id).where(Claim.case_id == case_id)
    ).first()
    return row[0] if row else None


def _translate(exc: ArbiterRefusal) -> WorkflowError:
    return WorkflowError(exc.code, str(exc), **exc.details)
