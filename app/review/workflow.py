"""The review workflow: who may do what to which case, in one explicit state machine.

Every operation resolves the case inside the actor's districts first (a case elsewhere
does not exist for them), checks the role and the transition, asks the arbiter (the
:class:`~app.review.arbitration.Arbitration` the workstation was built with), and journals
the action.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.auth import Actor
from app.domain import CaseKind, Outcome, Policy
from app.policy.loader import policy_for
from app.review.arbitration import Arbitration, StandaloneArbitration
from app.review.cases import CaseNotFound
from app.review.errors import WorkflowError as WorkflowError
from app.review.errors import refused
from app.review.reasons import VERDICTS, reason_map
from reviewdb import arbiter, journal
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord, Paused, Reassigned
from reviewdb.central import CentralOps
from reviewdb.engine import Store
from reviewdb.models import Application, Case, Claim, Decision, NoticePrint, User, table_of

DEFAULT_LEASE = dt.timedelta(minutes=30)
MAX_STEERING_REASON = 500  # characters: a supervisor's reason for moving a case
ONSITE_LEASE = dt.timedelta(hours=36)

# The state machine, explicit: (case status, action) -> status after it. Actions not
# listed for a status are refused. "decide" leads to the outcome's status, or to
# "confirming" when the policy wants four eyes; "confirm" leads to the outcome's status
# (or back to "pending" when the supervisor disagrees).
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("pending", "claim"): ("pending",),
    ("pending", "release"): ("pending",),
    ("pending", "takeover"): ("pending",),
    ("pending", "reassign"): ("pending",),
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
    "reassign": ("supervisor",),
    "pause": ("supervisor",),
    "confirm": ("supervisor",),
    "undo": ("reviewer", "supervisor"),
}


# Built once, on the tables: every action looks its case up by number or id, with what
# the workflow decides by (status, round, policy, lease) in the same statement.
_c = table_of(Case).c
_a = table_of(Application).c
_l = table_of(Claim).c
_CASE_BY_REF = (
    select(
        _c.id,
        _c.case_no,
        _c.kind,
        _c.district_code,
        _c.status,
        _c.current_round,
        _a.city,
        _a.admission_year,
        _l.owner_id,
        _l.token,
        _l.leased_until,
    )
    .select_from(
        table_of(Case)
        .join(table_of(Application), _a.id == _c.application_id)
        .outerjoin(table_of(Claim), _l.case_id == _c.id)
    )
    .where((_c.case_no == bindparam("p_ref")) | (_c.id == bindparam("p_ref")))
)


@dataclass(frozen=True)
class CaseRef:
    """A case as the workflow sees it at the start of an action, read in one statement."""

    id: str
    case_no: str
    kind: str
    district_code: str
    status: str
    current_round: int
    city: str
    admission_year: int
    claim_owner: str | None
    claim_token: int
    claim_until: dt.datetime | None

    @property
    def policy(self) -> Policy:
        """The city/year policy the case is judged by (from its application)."""
        return policy_for(self.city, self.admission_year)


def find_case(session: Session, actor: Actor, ref: str) -> CaseRef:
    """The case ``ref`` (number or id) if it lies in the actor's districts."""
    row = session.connection().execute(_CASE_BY_REF, {"p_ref": ref}).first()
    if row is None or row.district_code not in actor.districts:
        # Outside the actor's districts a case does not exist: same words as "no case".
        raise CaseNotFound(f"no case {ref} in your districts")
    return CaseRef(
        id=row.id,
        case_no=row.case_no,
        kind=row.kind,
        district_code=row.district_code,
        status=row.status,
        current_round=row.current_round,
        city=row.city,
        admission_year=row.admission_year,
        claim_owner=row.owner_id,
        claim_token=row.token or 0,
        claim_until=row.leased_until,
    )


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
    # Error findings (code, fact) the reviewer was shown and decided past (an approval
    # despite them): journaled with the decision as ``overrode_findings``. The decision
    # row's ``reasons`` keeps the shape the central store accepts (codes, missing,
    # note_to_parent, verdicts), so the override lives in the journal entry.
    overridden_findings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _PersonTarget:
    """A person a supervisor acts on (no case: nothing to mirror from the central store)."""

    user_id: str
    username: str
    case_id: str | None = None


@dataclass(frozen=True)
class Reassignment:
    """What a supervisor's reassign did: the case, who held it, who holds it now."""

    case_no: str
    previous_holder: str | None  # username
    holder: str | None  # username; None: released
    claim: ClaimInfo | None


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
        if self.state == "submitted":
            return (
                f"{self.case_no}: {self.case_status} - saved on this computer, will be sent "
                "when the central store is reachable"
            )
        if self.state == "pending_confirmation":
            return f"{self.case_no}: decision recorded, waiting for a supervisor's confirmation (four-eyes)"
        return f"{self.case_no}: {self.case_status}"


@dataclass(frozen=True)
class Target:
    """A case at the start of an action, with what the action needs from the local store."""

    case: CaseRef
    decision_id: str | None = None
    holder: str | None = None
    window_minutes: int = 0
    rec: DecisionRecord | None = None
    to_user_id: str | None = None  # reassign: the new holder

    @property
    def case_id(self) -> str:
        return self.case.id


class Workflow:
    """Review operations for the people of one workstation.

    Who arbitrates — the local store alone, or a central store — is the
    :class:`~app.review.arbitration.Arbitration` given here, chosen once when the
    workstation is put together; the operations below read the same either way.
    """

    def __init__(self, store: Store, arbitration: Arbitration | None = None) -> None:
        self.store = store
        self.arbitration = arbitration or StandaloneArbitration(store)

    # --- helpers -------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self.store.write() as session:
                yield session
        except ArbiterRefusal as exc:
            raise refused(exc) from exc

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
    def _transition(case: CaseRef, action: str) -> None:
        if not allowed(case.status, action):
            raise WorkflowError(
                "state",
                f"{case.case_no} is {case.status}: cannot {action} it now",
                status=case.status,
            )

    @staticmethod
    def _journal(
        session: Session, actor: Actor, action: str, case: CaseRef | None, **payload: Any
    ) -> None:
        journal.append(
            session,
            action=action,
            actor=actor.username,
            workstation=actor.workstation,
            case_id=case.id if case else None,
            payload={"case_no": case.case_no, **payload} if case else payload,
        )

    def _checking(self, actor: Actor, ref: str, action: str) -> Callable[[Session], Target]:
        """The usual check: the case in the actor's districts, in a state that allows it."""

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
            self._transition(case, action)
            return Target(case)

        return check

    def _claim_recorder(
        self, actor: Actor, action: str, **extra: Any
    ) -> Callable[[Session, Target, ClaimInfo], ClaimInfo]:
        def record(s: Session, t: Target, info: ClaimInfo) -> ClaimInfo:
            self._journal(
                s,
                actor,
                action,
                t.case,
                token=info.token,
                until=info.leased_until.isoformat(),
                **({"previous_holder": t.holder} if action == "takeover" else {}),
                **extra,
            )
            return info

        return record

    def _held_here(self, actor: Actor) -> Callable[[Target], ClaimInfo]:
        """Offline: a lease this workstation already holds for the actor still counts."""

        def fallback(t: Target) -> ClaimInfo:
            with self.store.read() as s:
                local = s.get(Claim, t.case_id)
                now = self.arbitration.now(s)
            if (
                local is not None
                and local.owner_id == actor.user_id
                and local.leased_until is not None
                and local.leased_until > now
            ):
                return ClaimInfo(t.case_id, local.token, local.leased_until, actor.user_id)
            raise WorkflowError(
                "offline",
                "central store unreachable: offline, only checked-out cases can be decided; "
                "nothing was changed",
            )

        return fallback

    @staticmethod
    def _result(s: Session, decision_id: str, state: str, case_id: str) -> DecisionResult:
        status, case_no = s.execute(
            select(Case.status, Case.case_no)
            .where(Case.id == case_id)
            .execution_options(populate_existing=True)
        ).one()
        return DecisionResult(decision_id, state, status, case_no)

    # --- viewing -------------------------------------------------------------

    def record_view(self, actor: Actor, ref: str) -> None:
        with self._write() as s:
            case = find_case(s, actor, ref)
            self._journal(s, actor, "view", case)

    # --- claims --------------------------------------------------------------

    def claim(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        self._role(actor, "claim")
        return self.arbitration.run(
            self._checking(actor, ref, "claim"),
            lambda ops, t: ops.claim(t.case_id, actor.user_id, actor.workstation, lease),
            self._claim_recorder(actor, "claim"),
            what="claiming a case",
            mirror="claim",
            offline=self._held_here(actor),
        )

    def renew(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        def check(s: Session) -> Target:
            return Target(find_case(s, actor, ref))

        return self.arbitration.run(
            check,
            lambda ops, t: ops.renew(t.case_id, actor.user_id, t.case.claim_token, lease),
            self._claim_recorder(actor, "renew"),
            what="renewing a lease",
            mirror="claim",
            offline=self._held_here(actor),
        )

    def release(self, actor: Actor, ref: str) -> bool:
        self._role(actor, "release")

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
            return Target(case, holder=_holder_name(s, case.id))

        def act(ops: CentralOps, t: Target) -> bool:
            if not ops.release(t.case_id, actor.user_id):
                raise WorkflowError(
                    "not_holder",
                    f"{t.case.case_no} is not claimed by you"
                    + (f" (held by {t.holder})" if t.holder else ""),
                )
            return True

        def record(s: Session, t: Target, released: bool) -> bool:
            self._journal(s, actor, "release", t.case)
            return released

        return self.arbitration.run(check, act, record, what="releasing a case", mirror="claim")

    def takeover(
        self, actor: Actor, ref: str, reason: str, lease: dt.timedelta = DEFAULT_LEASE
    ) -> ClaimInfo:
        self._role(actor, "takeover")
        if not reason.strip():
            raise WorkflowError("reason_required", "a takeover needs a reason")
        _refuse_nul("reason", reason)

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
            self._transition(case, "takeover")
            return Target(case, holder=_holder_name(s, case.id))

        return self.arbitration.run(
            check,
            lambda ops, t: ops.takeover(t.case_id, actor.user_id, actor.workstation, lease),
            self._claim_recorder(actor, "takeover", reason=reason),
            what="a takeover",
            mirror="claim",
        )

    def reassign(
        self,
        actor: Actor,
        ref: str,
        to_username: str | None,
        reason: str,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> Reassignment:
        """A supervisor moves a pending case's lease to ``to_username`` (a reviewer or
        supervisor of the case's district) or, with None, releases it from whoever holds
        it. The previous holder's token is fenced out: a decision of theirs arriving
        later becomes a conflict. Journaled as ``reassign`` with the reason."""
        self._role(actor, "reassign")
        reason = _steering_reason(reason, "reassigning or releasing a case")
        if to_username is not None:
            _refuse_nul("to", to_username)

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
            self._transition(case, "reassign")
            to_id = None
            if to_username is not None:
                to_id = s.scalar(select(User.id).where(User.username == to_username))
                if to_id is None:
                    raise WorkflowError(
                        "no_user", f"no user {to_username[:64]!r}", username=to_username[:64]
                    )
            return Target(case, holder=_holder_name(s, case.id), to_user_id=to_id)

        def act(ops: CentralOps, t: Target) -> Reassigned:
            return ops.reassign(t.case_id, actor.user_id, t.to_user_id, lease)

        def record(s: Session, target: Target, done: Reassigned) -> Reassignment:
            previous = (
                s.scalar(select(User.username).where(User.id == done.previous_holder))
                if done.previous_holder
                else None
            )
            self._journal(
                s,
                actor,
                "reassign",
                target.case,
                to=to_username,
                previous_holder=previous,
                reason=reason,
                token=done.info.token if done.info else None,
            )
            return Reassignment(target.case.case_no, previous, to_username, done.info)

        return self.arbitration.run(check, act, record, what="reassigning a case", mirror="claim")

    def set_paused(self, actor: Actor, username: str, pause: bool, reason: str) -> Paused:
        """A supervisor pauses (or resumes) a reviewer of their districts: while paused the
        person cannot log in, claim or decide (at the central store too); their held cases
        stay where they are (release them with :meth:`reassign`). Journaled as
        ``user_pause`` / ``user_resume`` with the reason."""
        self._role(actor, "pause")
        reason = _steering_reason(reason, "pausing or resuming an account")
        _refuse_nul("username", username)

        def check(s: Session) -> _PersonTarget:
            user_id = s.scalar(select(User.id).where(User.username == username))
            if user_id is None:
                raise WorkflowError("no_user", f"no user {username[:64]!r}", username=username[:64])
            return _PersonTarget(user_id, username)

        def act(ops: CentralOps, t: _PersonTarget) -> Paused:
            return ops.set_paused(actor.user_id, t.user_id, pause)

        def record(s: Session, t: _PersonTarget, done: Paused) -> Paused:
            # The local row follows the arbiter's answer (with a central store, the next
            # pull would bring the same).
            s.execute(
                update(User)
                .where(User.id == t.user_id)
                .values(paused_at=done.paused_at, paused_by=done.paused_by)
            )
            self._journal(
                s,
                actor,
                "user_pause" if pause else "user_resume",
                None,
                username=t.username,
                reason=reason,
            )
            return dataclasses.replace(done, username=t.username)

        return self.arbitration.run(check, act, record, what="pausing an account", mirror="none")

    def held_by(self, actor: Actor, username: str) -> list[str]:
        """The pending cases ``username`` holds a running lease on, in ``actor``'s
        districts (what 释放全部 / 转派全部 acts on), oldest submission first."""
        self._role(actor, "reassign")
        with self.store.read() as s:
            now = self.arbitration.now(s)
            rows = s.execute(
                select(Case.case_no)
                .join(Claim, Claim.case_id == Case.id)
                .join(User, User.id == Claim.owner_id)
                .where(
                    User.username == username,
                    Claim.leased_until > now,
                    Case.status == "pending",
                    Case.district_code.in_(actor.districts),
                )
                .order_by(Case.submitted_at, Case.id)
            ).all()
        return [r[0] for r in rows]

    # --- decisions -----------------------------------------------------------

    def validate(
        self, case: CaseRef, policy_checklist: dict[str, str], decision: DecisionInput
    ) -> None:
        # Refused here, where it is typed: the central store (PostgreSQL) refuses NUL in
        # text, so such a decision would wedge sync. Named by field, never echoed.
        for field_name, text in (
            ("comment", decision.comment),
            ("note_to_parent", decision.note_to_parent),
            *((f"reasons[{i}]", code) for i, code in enumerate(decision.reasons)),
            *((f"missing[{i}]", code) for i, code in enumerate(decision.missing)),
            *((f"verdicts[{k}]", v) for k, v in decision.verdicts.items()),
            *(
                (f"overridden_findings[{i}]", f"{code} {fact}")
                for i, (code, fact) in enumerate(decision.overridden_findings)
            ),
        ):
            _refuse_nul(field_name, text)
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

    @staticmethod
    def checklist(case: CaseRef) -> dict[str, str]:
        """The documents a return may ask for, from the case's policy."""
        return {
            item.code: item.label for item in case.policy.checklists.get(CaseKind(case.kind), ())
        }

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
            case = find_case(s, actor, ref)
            self._transition(case, "decide")
            now = self.arbitration.now(s)
            if (
                case.claim_owner != actor.user_id
                or case.claim_until is None
                or case.claim_until < now
            ):
                holder = (
                    _holder_name(s, case.id)
                    if case.claim_until and case.claim_until >= now
                    else None
                )
                if holder:
                    raise WorkflowError(
                        "claimed_by_other",
                        f"{case.case_no} is claimed by {holder} until {case.claim_until:%Y-%m-%d %H:%M} UTC",
                        holder=holder,
                    )
                raise WorkflowError(
                    "not_claimed", f"{case.case_no} is not claimed by you: claim it first"
                )
            self.validate(case, self.checklist(case), decision)
            needs_confirmation = Outcome(decision.outcome) in case.policy.four_eyes.get(
                CaseKind(case.kind), frozenset()
            )
            rec = _record(
                actor, case.id, case.current_round, case.claim_token, decision, needs_confirmation
            )
            if device_time is not None:
                rec = dataclasses.replace(rec, device_time=device_time)
            done = self.arbitration.submit(s, rec, known=(case.status, case.current_round))
            self._journal(
                s,
                actor,
                "decide",
                case,
                decision_id=rec.decision_id,
                outcome=rec.outcome,
                state=done.state,
                reasons=list(decision.reasons),
                missing=list(decision.missing),
                token=rec.claim_token,
                round=rec.round_no,
                **(
                    {
                        "overrode_findings": [
                            {"code": code, "fact": fact}
                            for code, fact in decision.overridden_findings
                        ]
                    }
                    if decision.overridden_findings
                    else {}
                ),
            )
            result = DecisionResult(rec.decision_id, done.state, done.case_status, case.case_no)
        if self.arbitration.settle():
            # The arbiter answered: report the decision as it now stands here.
            with self.store.read() as s:
                row = s.get(Decision, result.decision_id)
                if row is not None:
                    result = self._result(s, row.id, row.state, row.case_id)
        return result

    def confirm(
        self, actor: Actor, ref: str, *, accept: bool = True, comment: str | None = None
    ) -> DecisionResult:
        self._role(actor, "confirm")
        _refuse_nul("comment", comment)

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
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
            return Target(case, decision_id=decision.id)

        def record(s: Session, t: Target, state: str) -> DecisionResult:
            assert t.decision_id is not None
            self._journal(
                s,
                actor,
                "confirm",
                t.case,
                decision_id=t.decision_id,
                accepted=accept,
                **({"comment": comment} if comment is not None else {}),
            )
            return self._result(s, t.decision_id, state, t.case_id)

        return self.arbitration.run(
            check,
            lambda ops, t: ops.confirm(str(t.decision_id), actor.user_id, accept),
            record,
            what="a confirmation",
            mirror="case",
        )

    def _undoable(self, s: Session, actor: Actor, case: CaseRef) -> Target:
        """The decision ``actor`` may undo on ``case`` now, or the refusal that says why not."""
        self._transition(case, "undo")
        decision = arbiter.effective_decision(s, case.id, case.current_round)
        if decision is None:
            raise WorkflowError("nothing_to_undo", f"{case.case_no} has no decision to undo")
        if decision.reviewer_id != actor.user_id:
            raise WorkflowError(
                "not_decider", "only the reviewer who decided can undo the decision"
            )
        window = case.policy.undo_window_minutes
        if self.arbitration.now(s) - decision.store_time > dt.timedelta(minutes=window):
            raise WorkflowError("undo_window", f"the undo window of {window} minutes has passed")
        printed = s.scalars(
            select(NoticePrint.id).where(NoticePrint.decision_id == decision.id)
        ).first()
        if printed is not None:
            raise WorkflowError(
                "printed", "a notice was already printed for this decision: it cannot be undone"
            )
        return Target(case, decision_id=decision.id, window_minutes=window)

    def undo(self, actor: Actor, ref: str) -> DecisionResult:
        self._role(actor, "undo")

        def record(s: Session, t: Target, state: str) -> DecisionResult:
            assert t.decision_id is not None
            self._journal(s, actor, "undo", t.case, decision_id=t.decision_id)
            return self._result(s, t.decision_id, state, t.case_id)

        return self.arbitration.run(
            lambda s: self._undoable(s, actor, find_case(s, actor, ref)),
            lambda ops, t: ops.undo(str(t.decision_id), actor.user_id, t.window_minutes),
            record,
            what="an undo",
            mirror="case",
        )

    def can_undo(self, actor: Actor, ref: str) -> bool:
        try:
            with self.store.read() as s:
                self._undoable(s, actor, find_case(s, actor, ref))
        except (CaseNotFound, WorkflowError):
            return False
        return True

    # --- conflicts -------------------------------------------------------------

    def conflicts(self, actor: Actor) -> list[ConflictView]:
        """Unresolved conflicts in the actor's districts: both decisions side by side."""
        with self.store.read() as s:
            resolved = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
            rows = s.execute(
                select(Decision, Case)
                .join(Case, Case.id == Decision.case_id)
                .where(
                    Decision.state == "conflict",
                    Decision.id.not_in(resolved),
                    Case.district_code.in_(actor.districts),
                )
                .order_by(Case.case_no, Decision.store_time)
            ).all()
            users = {u.id: u.username for u in s.scalars(select(User))}
            out = []
            for conflict, case in rows:
                standing = arbiter.effective_decision(s, case.id, conflict.round_no)
                out.append(
                    ConflictView(
                        case_no=case.case_no,
                        case_id=case.id,
                        conflict=_side(conflict, users),
                        standing=_side(standing, users) if standing else None,
                    )
                )
            return out

    def resolve_conflict(
        self, actor: Actor, ref: str, decision: DecisionInput, *, conflict_id: str | None = None
    ) -> DecisionResult:
        """A supervisor settles a case's conflict with a new decision that supersedes."""
        if not actor.can_supervise:
            raise WorkflowError("role", "resolving a conflict needs a supervisor")

        def check(s: Session) -> Target:
            case = find_case(s, actor, ref)
            self.validate(case, self.checklist(case), decision)
            resolved = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
            conflict = s.scalars(
                select(Decision).where(
                    Decision.case_id == case.id,
                    Decision.state == "conflict",
                    Decision.id.not_in(resolved),
                    *([Decision.id == conflict_id] if conflict_id else []),
                )
            ).first()
            if conflict is None:
                raise WorkflowError("no_conflict", f"{case.case_no} has no unresolved conflict")
            rec = supervisor_record(actor, case, conflict.round_no, decision)
            return Target(case, decision_id=conflict.id, rec=rec)

        def act(ops: CentralOps, t: Target) -> str:
            assert t.rec is not None and t.decision_id is not None
            ops.resolve_conflict(t.decision_id, t.rec)
            return t.rec.decision_id

        def record(s: Session, t: Target, decision_id: str) -> DecisionResult:
            assert t.rec is not None
            self._journal(
                s,
                actor,
                "resolve_conflict",
                t.case,
                decision_id=decision_id,
                conflict_id=t.decision_id,
                outcome=t.rec.outcome,
            )
            return self._result(s, decision_id, "accepted", t.case_id)

        return self.arbitration.run(check, act, record, what="resolving a conflict", mirror="case")


def supervisor_record(
    actor: Actor, case: CaseRef, round_no: int, decision: DecisionInput
) -> DecisionRecord:
    """A supervisor's decision that supersedes what stood on a decided round (a conflict's
    resolution, a 抽查 overturn): final at once (no second confirmation), per-item verdicts
    not kept. The caller has validated ``decision`` against the case."""
    return _record(
        actor,
        case.id,
        round_no,
        case.claim_token,
        dataclasses.replace(decision, verdicts={}),
        needs_confirmation=False,
    )


def refuse_nul(field_name: str, text: str | None) -> None:
    """Free text with a NUL is refused where it is typed (PostgreSQL refuses it later)."""
    _refuse_nul(field_name, text)


def _steering_reason(reason: str, what: str) -> str:
    """A supervisor's reason for moving a case or pausing a person: stripped, required,
    no NUL, at most MAX_STEERING_REASON characters."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("reason_required", f"{what} needs a reason")
    _refuse_nul("reason", reason)
    if len(reason) > MAX_STEERING_REASON:
        raise WorkflowError(
            "text",
            f"reason: {len(reason)} characters; at most {MAX_STEERING_REASON}",
            field="reason",
        )
    return reason


def _refuse_nul(field_name: str, text: str | None) -> None:
    """Free text with a NUL is refused where it is typed (PostgreSQL refuses it later)."""
    if text is not None and "\x00" in text:
        raise WorkflowError(
            "text", f"{field_name}: contains a NUL character; retype it", field=field_name
        )


def _record(
    actor: Actor,
    case_id: str,
    round_no: int,
    claim_token: int,
    decision: DecisionInput,
    needs_confirmation: bool,
) -> DecisionRecord:
    """The one place a decision the person made becomes the arbiter's record."""
    return DecisionRecord(
        decision_id=str(uuid.uuid4()),
        case_id=case_id,
        round_no=round_no,
        outcome=decision.outcome,
        reasons={
            "codes": list(decision.reasons),
            "missing": list(decision.missing),
            "note_to_parent": decision.note_to_parent,
            "verdicts": {str(k): v for k, v in sorted(decision.verdicts.items())},
        },
        comment=decision.comment,
        reviewer_id=actor.user_id,
        claim_token=claim_token,
        device_time=dt.datetime.now(dt.UTC),
        workstation=actor.workstation,
        needs_confirmation=needs_confirmation,
    )


@dataclass(frozen=True)
class DecisionSide:
    """One side of a conflict: who decided what, when, under which claim token."""

    decision_id: str
    outcome: str
    reasons: tuple[str, ...]
    reviewer: str
    device_time: dt.datetime
    store_time: dt.datetime
    claim_token: int
    state: str


@dataclass(frozen=True)
class ConflictView:
    case_no: str
    case_id: str
    conflict: DecisionSide
    standing: DecisionSide | None


def _side(d: Decision, users: dict[str, str]) -> DecisionSide:
    return DecisionSide(
        decision_id=d.id,
        outcome=d.outcome,
        reasons=tuple(d.reasons.get("codes", [])),
        reviewer=users.get(d.reviewer_id, d.reviewer_id),
        device_time=d.device_time,
        store_time=d.store_time,
        claim_token=d.claim_token,
        state=d.state,
    )


def _holder_name(session: Session, case_id: str) -> str | None:
    row = session.execute(
        select(User.username).join(Claim, Claim.owner_id == User.id).where(Claim.case_id == case_id)
    ).first()
    return row[0] if row else None
