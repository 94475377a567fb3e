"""The arbiter's atomic operations: claims won by one guarded UPDATE, decisions fenced by token.

These run inside a writing transaction of whichever database arbitrates: the local store
in standalone mode, the central store when a workstation syncs. Times are the arbiter's
own clock (``journal.store_now``), never the workstation's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from reviewdb import changes
from reviewdb.journal import store_now
from reviewdb.models import Case, Claim, Decision, User
from reviewdb.types import UTCDateTime

OUTCOME_STATUS = {"approve": "approved", "reject": "rejected", "return": "returned"}


class ArbiterRefusal(Exception):
    """The arbiter said no; ``code`` says why (claimed_by_other, not_holder, id_reused, …)."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def _locked_case(session: Session, case_id: str) -> Case | None:
    """The case row, locked on PostgreSQL; SQLite's writer already holds the database lock
    (BEGIN IMMEDIATE), so there a loaded row is reused without another query."""
    if session.get_bind().dialect.name == "postgresql":
        return session.get(Case, case_id, with_for_update=True)
    return session.get(Case, case_id)


# The hot statements are built once with named parameters: constructing a statement costs
# SQLAlchemy more than SQLite needs to run it, and a decision runs a dozen of them.
_NO_SYNC = {"synchronize_session": False}
_STAMP_CLAIM = (
    update(Claim)
    .where(Claim.case_id == bindparam("p_case"))
    .values(change_seq=bindparam("p_seq"))
    .execution_options(**_NO_SYNC)
)
_CLAIM_WIN = (
    update(Claim)
    .where(
        Claim.case_id == bindparam("p_case"),
        Claim.owner_id.is_(None) | (Claim.leased_until < bindparam("p_now", type_=UTCDateTime())),
    )
    .values(
        owner_id=bindparam("p_user"),
        token=Claim.token + 1,
        leased_until=bindparam("p_until", type_=UTCDateTime()),
        claimed_at=bindparam("p_now", type_=UTCDateTime()),
        workstation=bindparam("p_ws"),
    )
    .returning(Claim.token)
    .execution_options(**_NO_SYNC)
)
_CLAIM_KEEP = (
    update(Claim)
    .where(
        Claim.case_id == bindparam("p_case"),
        Claim.owner_id == bindparam("p_user"),
        Claim.leased_until >= bindparam("p_now", type_=UTCDateTime()),
    )
    .values(leased_until=bindparam("p_until", type_=UTCDateTime()), workstation=bindparam("p_ws"))
    .returning(Claim.token)
    .execution_options(**_NO_SYNC)
)
_FENCE = (
    update(Claim)
    .where(
        Claim.case_id == bindparam("p_case"),
        Claim.token == bindparam("p_token"),
        Claim.owner_id == bindparam("p_user"),
    )
    .values(owner_id=None, leased_until=None)
    .returning(Claim.token)
    .execution_options(**_NO_SYNC)
)
_EFFECTIVE = select(Decision.id).where(
    Decision.case_id == bindparam("p_case"),
    Decision.round_no == bindparam("p_round"),
    Decision.effective.is_(True),
)


def _stamp_claim(session: Session, case_id: str) -> None:
    """Give the claim row the next change number, last, without loading it."""
    value = changes.next_value(session)
    session.execute(_STAMP_CLAIM, {"p_case": case_id, "p_seq": value})


@dataclass(frozen=True)
class ClaimInfo:
    case_id: str
    token: int
    leased_until: dt.datetime
    owner_id: str


def _holder(session: Session, case_id: str) -> tuple[str | None, dt.datetime | None]:
    row = session.execute(
        select(User.username, Claim.leased_until)
        .select_from(Claim)
        .outerjoin(User, User.id == Claim.owner_id)
        .where(Claim.case_id == case_id)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def claim(
    session: Session, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
) -> ClaimInfo:
    """Win the case's lease with one guarded UPDATE, or keep (and extend) one already held.

    A new holder gets a new, higher token; the holder's own repeated claim keeps its token
    so a decision already made under it stays valid.
    """
    now = store_now(session)
    until = now + lease
    params = {
        "p_case": case_id,
        "p_user": user_id,
        "p_now": now,
        "p_until": until,
        "p_ws": workstation,
    }
    won = session.execute(_CLAIM_WIN, params).first()
    if won is None:
        kept = session.execute(_CLAIM_KEEP, params).first()
        if kept is None:
            holder, held_until = _holder(session, case_id)
            if holder is None and held_until is None:
                raise ArbiterRefusal("no_case", f"no claim row for case {case_id}")
            raise ArbiterRefusal(
                "claimed_by_other",
                f"claimed by {holder} until {held_until:%Y-%m-%d %H:%M} UTC"
                if held_until
                else "claimed",
                holder=holder,
                until=held_until,
            )
        token = int(kept[0])
    else:
        token = int(won[0])
    _stamp_claim(session, case_id)
    return ClaimInfo(case_id, token, until, user_id)


def renew(
    session: Session, case_id: str, user_id: str, token: int, lease: dt.timedelta
) -> ClaimInfo:
    now = store_now(session)
    until = now + lease
    done = session.execute(
        update(Claim)
        .where(
            Claim.case_id == case_id,
            Claim.owner_id == user_id,
            Claim.token == token,
            Claim.leased_until >= now,
        )
        .values(leased_until=until)
        .returning(Claim.token)
    ).first()
    if done is None:
        holder, held_until = _holder(session, case_id)
        raise ArbiterRefusal(
            "not_holder", "the lease is no longer yours", holder=holder, until=held_until
        )
    _stamp_claim(session, case_id)
    return ClaimInfo(case_id, token, until, user_id)


def release(session: Session, case_id: str, user_id: str) -> bool:
    done = session.execute(
        update(Claim)
        .where(Claim.case_id == case_id, Claim.owner_id == user_id)
        .values(owner_id=None, leased_until=None)
        .returning(Claim.token)
    ).first()
    if done is not None:
        _stamp_claim(session, case_id)
    return done is not None


def takeover(
    session: Session, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
) -> ClaimInfo:
    """Take the lease whoever holds it (the caller checked the supervisor's right)."""
    now = store_now(session)
    until = now + lease
    won = session.execute(
        update(Claim)
        .where(Claim.case_id == case_id)
        .values(
            owner_id=user_id,
            token=Claim.token + 1,
            leased_until=until,
            claimed_at=now,
            workstation=workstation,
        )
        .returning(Claim.token)
    ).first()
    if won is None:
        raise ArbiterRefusal("no_case", f"no claim row for case {case_id}")
    _stamp_claim(session, case_id)
    return ClaimInfo(case_id, int(won[0]), until, user_id)


@dataclass(frozen=True)
class DecisionRecord:
    """A decision as the workstation made it, before the arbiter has seen it."""

    decision_id: str
    case_id: str
    round_no: int
    outcome: str
    reasons: dict[str, Any]
    comment: str | None
    reviewer_id: str
    claim_token: int
    device_time: dt.datetime
    workstation: str
    needs_confirmation: bool

    def row(
        self,
        *,
        state: str,
        effective: bool,
        store_time: dt.datetime,
        round_no: int | None = None,
        supersedes_id: str | None = None,
    ) -> Decision:
        """The decision as a stored row, in the given state."""
        return Decision(
            id=self.decision_id,
            case_id=self.case_id,
            round_no=self.round_no if round_no is None else round_no,
            outcome=self.outcome,
            reasons=self.reasons,
            comment=self.comment,
            reviewer_id=self.reviewer_id,
            claim_token=self.claim_token,
            device_time=self.device_time,
            store_time=store_time,
            state=state,
            effective=effective,
            supersedes_id=supersedes_id,
            workstation=self.workstation,
        )

    def body(self) -> dict[str, Any]:
        """What must be identical when the same id arrives twice."""
        return {
            "case_id": self.case_id,
            "round_no": self.round_no,
            "outcome": self.outcome,
            "reasons": self.reasons,
            "comment": self.comment,
            "reviewer_id": self.reviewer_id,
            "claim_token": self.claim_token,
        }


def _body_of(row: Decision) -> dict[str, Any]:
    return {
        "case_id": row.case_id,
        "round_no": row.round_no,
        "outcome": row.outcome,
        "reasons": row.reasons,
        "comment": row.comment,
        "reviewer_id": row.reviewer_id,
        "claim_token": row.claim_token,
    }


def submit_decision(session: Session, rec: DecisionRecord, *, fresh: bool = False) -> Decision:
    """Accept a decision against the current claim token, or keep it as a conflict.

    Idempotent by ``decision_id``: the same id with the same body returns the stored row;
    the same id with a different body is refused loudly (it means a client bug or
    tampering, never something to ignore).
    """
    # ``fresh``: the caller just made the id in this transaction (standalone decide), so
    # there is nothing to be idempotent about; resends (sync) always look.
    existing = None if fresh else session.get(Decision, rec.decision_id)
    if existing is not None:
        if _body_of(existing) != rec.body():
            raise ArbiterRefusal(
                "id_reused", f"decision {rec.decision_id} arrived twice with different content"
            )
        return existing
    now = store_now(session)
    case = _locked_case(session, rec.case_id)
    if case is None:
        raise ArbiterRefusal("no_case", f"no case {rec.case_id}")
    # The fence: the claim row must still carry this reviewer and this token. Clearing the
    # owner in the same UPDATE releases the lease and locks the row until commit.
    fenced = session.execute(
        _FENCE, {"p_case": rec.case_id, "p_token": rec.claim_token, "p_user": rec.reviewer_id}
    ).first()
    effective_exists = (
        session.scalars(_EFFECTIVE, {"p_case": rec.case_id, "p_round": rec.round_no}).first()
        is not None
    )
    accepted = (
        fenced is not None
        and rec.round_no == case.current_round
        and case.status == "pending"
        and not effective_exists
    )
    state = (
        ("pending_confirmation" if rec.needs_confirmation else "accepted")
        if accepted
        else "conflict"
    )
    row = rec.row(state=state, effective=accepted, store_time=now)
    session.add(row)
    touched: list[Any] = [row]
    if accepted:
        case.status = "confirming" if rec.needs_confirmation else OUTCOME_STATUS[rec.outcome]
        case.decided_at = now
        case.updated_at = now
        touched.append(case)
    claim_row = session.get(Claim, rec.case_id)
    if claim_row is not None:
        touched.append(claim_row)
    changes.stamp(session, touched)
    return row


def effective_decision(session: Session, case_id: str, round_no: int) -> Decision | None:
    return session.scalars(
        select(Decision).where(
            Decision.case_id == case_id, Decision.round_no == round_no, Decision.effective.is_(True)
        )
    ).first()


def confirm(session: Session, decision: Decision, supervisor_id: str, accept: bool) -> Decision:
    """Second pair of eyes: make a waiting decision final, or send the case back to the queue."""
    now = store_now(session)
    case = _locked_case(session, decision.case_id)
    assert case is not None
    decision.confirmed_by = supervisor_id
    decision.confirmed_at = now
    if accept:
        decision.state = "confirmed"
        case.status = OUTCOME_STATUS[decision.outcome]
    else:
        decision.state = "superseded"
        decision.effective = False
        case.status = "pending"
        case.decided_at = None
    case.updated_at = now
    changes.stamp(session, [decision, case])
    return decision


def undo(session: Session, decision: Decision) -> Decision:
    now = store_now(session)
    case = _locked_case(session, decision.case_id)
    assert case is not None
    decision.state = "undone"
    decision.effective = False
    case.status = "pending"
    case.decided_at = None
    case.updated_at = now
    changes.stamp(session, [decision, case])
    return decision


def resolve_conflict(session: Session, conflict_id: str, rec: DecisionRecord) -> Decision:
    """A supervisor settles a conflict with a new decision that supersedes what stood.

    Nothing is edited away: the conflicting decision stays as it was, the one that stood
    becomes ``superseded``, and the new decision (pointing at the conflict) is effective.
    """
    conflict = session.get(Decision, conflict_id)
    if conflict is None or conflict.state != "conflict" or conflict.case_id != rec.case_id:
        raise ArbiterRefusal("state", f"decision {conflict_id} is not a conflict of this case")
    existing = session.get(Decision, rec.decision_id)
    if existing is not None:
        if _body_of(existing) != rec.body() or existing.supersedes_id != conflict_id:
            raise ArbiterRefusal(
                "id_reused", f"decision {rec.decision_id} arrived twice with different content"
            )
        return existing
    resolved = session.scalars(
        select(Decision.id).where(Decision.supersedes_id == conflict_id)
    ).first()
    if resolved is not None:
        raise ArbiterRefusal("state", "this conflict was already resolved")
    now = store_now(session)
    case = _locked_case(session, rec.case_id)
    assert case is not None
    touched: list[Any] = [case]
    standing = effective_decision(session, rec.case_id, conflict.round_no)
    if standing is not None:
        standing.state = "superseded"
        standing.effective = False
        touched.append(standing)
        session.flush()
    row = rec.row(
        state="accepted",
        effective=True,
        store_time=now,
        round_no=conflict.round_no,
        supersedes_id=conflict_id,
    )
    session.add(row)
    touched.append(row)
    case.status = OUTCOME_STATUS[rec.outcome]
    case.decided_at = now
    case.updated_at = now
    changes.stamp(session, touched)
    return row
