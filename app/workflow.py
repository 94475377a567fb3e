"""The review workflow: who may do what to which case, in one explicit state machine.

Every operation resolves the case inside the actor's districts first (a case elsewhere
does not exist for them), checks the role and the transition, asks the arbiter, and
journals the action in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from app.sync import SyncEngine

from app.auth import Actor
from app.cases import CaseNotFound
from app.domain import CaseKind, Outcome, Policy
from app.policy import policy_for
from app.reasons import VERDICTS, reason_map
from reviewdb import arbiter, journal
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord
from reviewdb.engine import Store, StoreError, StoreUnavailable
from reviewdb.models import Application, Case, Claim, Decision, NoticePrint, User, table_of

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
    """Review operations on one store.

    Standalone, the store is its own arbiter. With ``sync`` (a workstation with a central
    store), claims are won at the central store, and decisions are recorded locally with
    an outbox item and accepted by the central arbiter when they go up: the callers do not
    change.
    """

    def __init__(self, store: Store, sync: SyncEngine | None = None) -> None:
        self.store = store
        self.sync = sync

    def _now(self, session: Session) -> dt.datetime:
        """Arbiter time: the store's clock standalone, the central clock (as measured) in sync mode."""
        return self.sync.server_now() if self.sync is not None else journal.store_now(session)

    def _central(
        self, fn: Callable[[], ClaimInfo], case: CaseRef, actor: Actor, offline_ok: bool
    ) -> ClaimInfo:
        """Run a claim operation at the central store; offline, fall back to a checked-out lease."""
        assert self.sync is not None
        try:
            return fn()
        except ArbiterRefusal as exc:
            raise _translate(exc) from exc
        except (StoreUnavailable, OperationalError, DBAPIError) as exc:
            if offline_ok:
                with self.store.read() as s:
                    local = s.get(Claim, case.id)
                    if (
                        local is not None
                        and local.owner_id == actor.user_id
                        and local.leased_until is not None
                        and local.leased_until > self.sync.server_now()
                    ):
                        return ClaimInfo(case.id, local.token, local.leased_until, actor.user_id)
            raise WorkflowError(
                "offline",
                "the central store cannot be reached: offline, only checked-out cases can be decided",
            ) from exc

    # --- helpers -------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self.store.write() as session:
                yield session
        except ArbiterRefusal as exc:
            raise _translate(exc) from exc

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

    # --- viewing -------------------------------------------------------------

    def record_view(self, actor: Actor, ref: str) -> None:
        with self._write() as s:
            case = find_case(s, actor, ref)
            self._journal(s, actor, "view", case)

    # --- claims --------------------------------------------------------------

    def claim(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        self._role(actor, "claim")
        if self.sync is not None:
            sync = self.sync
            with self.store.read() as s:
                case = find_case(s, actor, ref)
                self._transition(case, "claim")
            info = self._central(
                lambda: sync.central_claim(case.id, actor.user_id, actor.workstation, lease),
                case,
                actor,
                True,
            )
            with self._write() as s:
                self._journal(
                    s, actor, "claim", case, token=info.token, until=info.leased_until.isoformat()
                )
            return info
        with self._write() as s:
            case = find_case(s, actor, ref)
            self._transition(case, "claim")
            info = arbiter.claim(s, case.id, actor.user_id, actor.workstation, lease)
            self._journal(
                s, actor, "claim", case, token=info.token, until=info.leased_until.isoformat()
            )
            return info

    def renew(self, actor: Actor, ref: str, lease: dt.timedelta = DEFAULT_LEASE) -> ClaimInfo:
        if self.sync is not None:
            # The holder's repeated claim at the arbiter extends the lease and keeps the token.
            return self.claim(actor, ref, lease)
        with self._write() as s:
            case = find_case(s, actor, ref)
            info = arbiter.renew(s, case.id, actor.user_id, case.claim_token, lease)
            self._journal(
                s, actor, "renew", case, token=info.token, until=info.leased_until.isoformat()
            )
            return info

    def release(self, actor: Actor, ref: str) -> bool:
        self._role(actor, "release")
        if self.sync is not None:
            sync = self.sync
            with self.store.read() as s:
                case = find_case(s, actor, ref)
            try:
                released = sync.central_release(case.id, actor.user_id)
            except (StoreUnavailable, OperationalError, DBAPIError) as exc:
                raise WorkflowError(
                    "offline", "the central store cannot be reached; the lease runs out by itself"
                ) from exc
            if not released:
                raise WorkflowError("not_holder", f"{case.case_no} is not claimed by you")
            with self._write() as s:
                self._journal(s, actor, "release", case)
            return True
        with self._write() as s:
            case = find_case(s, actor, ref)
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
        if self.sync is not None:
            sync = self.sync
            with self.store.read() as s:
                case = find_case(s, actor, ref)
                self._transition(case, "takeover")
                previous = _holder_name(s, case.id)
            info = self._central(
                lambda: sync.central_claim(
                    case.id, actor.user_id, actor.workstation, lease, takeover=True
                ),
                case,
                actor,
                False,
            )
            with self._write() as s:
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
        with self._write() as s:
            case = find_case(s, actor, ref)
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
        self, case: CaseRef, policy_checklist: dict[str, str], decision: DecisionInput
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
            now = self._now(s)
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
            policy = case.policy
            self.validate(case, self.checklist(case), decision)
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
                claim_token=case.claim_token,
                device_time=device_time or dt.datetime.now(dt.UTC),
                workstation=actor.workstation,
                needs_confirmation=needs_confirmation,
            )
            if self.sync is not None:
                from app.sync import enqueue_decision

                # The decision and its outbox item commit together; the central
                # arbiter's answer replaces the local "submitted" state when it arrives.
                state = "submitted"
                status = arbiter.record_for_upload(s, rec)
                enqueue_decision(s, rec)
            else:
                done = arbiter.submit_decision(s, rec, fresh=True)
                state, status = done.state, done.case_status
            self._journal(
                s,
                actor,
                "decide",
                case,
                decision_id=rec.decision_id,
                outcome=rec.outcome,
                state=state,
                reasons=list(decision.reasons),
                missing=list(decision.missing),
                token=rec.claim_token,
                round=rec.round_no,
            )
            result = DecisionResult(rec.decision_id, state, status, case.case_no)
        if self.sync is not None:
            result = self._upload_now(result)
        return result

    def _upload_now(self, result: DecisionResult) -> DecisionResult:
        """Try to send at once; offline, the outbox keeps it and sync sends it later."""
        assert self.sync is not None
        try:
            self.sync.push()
        except (StoreError, OperationalError, DBAPIError):
            return result
        with self.store.read() as s:
            row = s.get(Decision, result.decision_id)
            case = s.get(Case, row.case_id) if row else None
            if row is None or case is None:
                return result
            return DecisionResult(row.id, row.state, case.status, case.case_no)

    def confirm(
        self, actor: Actor, ref: str, *, accept: bool = True, comment: str | None = None
    ) -> DecisionResult:
        self._role(actor, "confirm")
        if self.sync is not None:
            return self._central_decision_op(actor, ref, "confirm", accept=accept, comment=comment)
        with self._write() as s:
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
            status = arbiter.confirm(s, decision, actor.user_id, accept)
            self._journal(
                s, actor, "confirm", case, decision_id=decision.id, accepted=accept, comment=comment
            )
            return DecisionResult(decision.id, decision.state, status, case.case_no)

    def undo(self, actor: Actor, ref: str) -> DecisionResult:
        self._role(actor, "undo")
        if self.sync is not None:
            return self._central_decision_op(actor, ref, "undo")
        with self._write() as s:
            case = find_case(s, actor, ref)
            self._transition(case, "undo")
            decision = arbiter.effective_decision(s, case.id, case.current_round)
            if decision is None:
                raise WorkflowError("nothing_to_undo", f"{case.case_no} has no decision to undo")
            if decision.reviewer_id != actor.user_id:
                raise WorkflowError(
                    "not_decider", "only the reviewer who decided can undo the decision"
                )
            window = dt.timedelta(minutes=case.policy.undo_window_minutes)
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
            status = arbiter.undo(s, decision)
            self._journal(s, actor, "undo", case, decision_id=decision.id)
            return DecisionResult(decision.id, decision.state, status, case.case_no)

    def _central_decision_op(
        self, actor: Actor, ref: str, action: str, **kw: Any
    ) -> DecisionResult:
        """confirm/undo with a central store: online only, then the case is refreshed."""
        assert self.sync is not None
        with self.store.read() as s:
            case = find_case(s, actor, ref)
            self._transition(case, action)
            decision = arbiter.effective_decision(s, case.id, case.current_round)
            window = case.policy.undo_window_minutes
        if decision is None:
            raise WorkflowError(
                "nothing_to_" + action, f"{case.case_no} has no decision to {action}"
            )
        if action == "confirm" and decision.reviewer_id == actor.user_id:
            raise WorkflowError(
                "four_eyes",
                "four-eyes needs another supervisor: you cannot confirm your own decision",
            )
        try:
            with self.sync.central.write() as cs:
                from reviewdb.central import ops_for

                ops = ops_for(cs)
                if action == "confirm":
                    state = ops.confirm(decision.id, actor.user_id, bool(kw.get("accept", True)))
                else:
                    state = ops.undo(decision.id, actor.user_id, window)
        except ArbiterRefusal as exc:
            raise _translate(exc) from exc
        except (StoreUnavailable, OperationalError, DBAPIError) as exc:
            raise WorkflowError(
                "offline", f"{action} needs the central store, which cannot be reached"
            ) from exc
        self.sync.refresh_case(case.id)
        with self._write() as s:
            self._journal(
                s,
                actor,
                action,
                case,
                decision_id=decision.id,
                **{k: v for k, v in kw.items() if v is not None},
            )
            fresh = s.get(Case, case.id)
            assert fresh is not None
            return DecisionResult(decision.id, state, fresh.status, fresh.case_no)

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
        with self.store.read() as s:
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
            claim = s.get(Claim, case.id)
        rec = DecisionRecord(
            decision_id=str(uuid.uuid4()),
            case_id=case.id,
            round_no=conflict.round_no,
            outcome=decision.outcome,
            reasons={
                "codes": list(decision.reasons),
                "missing": list(decision.missing),
                "note_to_parent": decision.note_to_parent,
                "verdicts": {},
            },
            comment=decision.comment,
            reviewer_id=actor.user_id,
            claim_token=claim.token if claim else 0,
            device_time=dt.datetime.now(dt.UTC),
            workstation=actor.workstation,
            needs_confirmation=False,
        )
        try:
            if self.sync is not None:
                with self.sync.central.write() as cs:
                    from reviewdb.central import ops_for

                    ops_for(cs).resolve_conflict(conflict.id, rec)
                self.sync.refresh_case(case.id)
                with self._write() as s:
                    self._journal(
                        s,
                        actor,
                        "resolve_conflict",
                        case,
                        decision_id=rec.decision_id,
                        conflict_id=conflict.id,
                        outcome=rec.outcome,
                    )
            else:
                with self._write() as s:
                    arbiter.resolve_conflict(s, conflict.id, rec)
                    self._journal(
                        s,
                        actor,
                        "resolve_conflict",
                        case,
                        decision_id=rec.decision_id,
                        conflict_id=conflict.id,
                        outcome=rec.outcome,
                    )
        except ArbiterRefusal as exc:
            raise _translate(exc) from exc
        except (StoreUnavailable, OperationalError, DBAPIError) as exc:
            raise WorkflowError(
                "offline", "resolving a conflict needs the central store, which cannot be reached"
            ) from exc
        with self.store.read() as s:
            fresh = s.get(Case, case.id)
            assert fresh is not None
            return DecisionResult(rec.decision_id, "accepted", fresh.status, fresh.case_no)

    def can_undo(self, actor: Actor, ref: str) -> bool:
        try:
            with self.store.read() as s:
                case = find_case(s, actor, ref)
                if not allowed(case.status, "undo"):
                    return False
                decision = arbiter.effective_decision(s, case.id, case.current_round)
                if decision is None or decision.reviewer_id != actor.user_id:
                    return False
                window = dt.timedelta(minutes=case.policy.undo_window_minutes)
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


def _translate(exc: ArbiterRefusal) -> WorkflowError:
    return WorkflowError(exc.code, str(exc), **exc.details)
