"""The arbiter's atomic operations: claims won by one guarded UPDATE, decisions fenced by token.

These run inside a writing transaction of whichever database arbitrates: the local store
in standalone mode, the central store when a workstation syncs. Times are the arbiter's
own clock (``journal.store_now``), never the workstation's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, exists, insert, select, update
from sqlalchemy.orm import Session

from reviewdb import changes
from reviewdb.errors import Refusal
from reviewdb.journal import store_now
from reviewdb.models import Case, Claim, Decision, User, UserDistrict, table_of
from reviewdb.types import UTCDateTime

OUTCOME_STATUS = {"approve": "approved", "reject": "rejected", "return": "returned"}


class ArbiterRefusal(Refusal):
    """The arbiter said no; ``code`` says why (claimed_by_other, not_holder, id_reused, …)."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def _locked_case(session: Session, case_id: str) -> Case | None:
    """The case row, read afresh (Core statements may have changed it in this session) and
    locked on PostgreSQL; SQLite's writer already holds the database lock (BEGIN IMMEDIATE)."""
    return session.get(
        Case,
        case_id,
        with_for_update=session.get_bind().dialect.name == "postgresql",
        populate_existing=True,
    )


# The hot statements are built once, on the tables (Core): constructing a statement, or
# running it through the ORM's unit of work, costs SQLAlchemy more than SQLite needs to
# run it, and a decision runs a dozen of them. They execute on the session's connection.
_CASES = table_of(Case)
_CLAIMS = table_of(Claim)
_DECISIONS = table_of(Decision)
_USERS = table_of(User)
_cases = _CASES.c
_claims = _CLAIMS.c
_decisions = _DECISIONS.c


def _not_paused(user_id: Any) -> ColumnElement[bool]:
    """A guard for the claim and decision statements: ``user_id`` is not paused.

    A person a supervisor paused neither claims nor decides (rd_check_user's rule). The
    check rides inside the guarded UPDATE each path runs anyway instead of costing every
    claim and decision a SELECT of its own; when that UPDATE matches nothing,
    :func:`refuse_paused` tells a pause apart from the other reasons, before them.
    """
    return ~exists().where(_USERS.c.id == user_id, _USERS.c.paused_at.is_not(None))


_NOT_PAUSED = _not_paused(bindparam("p_user"))
_STAMP_CLAIM = (
    update(_CLAIMS)
    .where(_claims.case_id == bindparam("p_case"))
    .values(change_seq=bindparam("p_seq"))
)
_CLAIM_WIN = (
    update(_CLAIMS)
    .where(
        _claims.case_id == bindparam("p_case"),
        _claims.owner_id.is_(None)
        | (_claims.leased_until < bindparam("p_now", type_=UTCDateTime())),
        _NOT_PAUSED,
    )
    .values(
        owner_id=bindparam("p_user"),
        token=_claims.token + 1,
        leased_until=bindparam("p_until", type_=UTCDateTime()),
        claimed_at=bindparam("p_now", type_=UTCDateTime()),
        workstation=bindparam("p_ws"),
    )
    .returning(_claims.token)
)
# greatest(leased_until, p_until), on both backends: a holder's repeated claim or renewal
# never shortens the lease it has (a checkout's 36 hours survive opening the case).
_KEPT_UNTIL = case(
    (
        _claims.leased_until < bindparam("p_until", type_=UTCDateTime()),
        bindparam("p_until", type_=UTCDateTime()),
    ),
    else_=_claims.leased_until,
)
_CLAIM_KEEP = (
    update(_CLAIMS)
    .where(
        _claims.case_id == bindparam("p_case"),
        _claims.owner_id == bindparam("p_user"),
        _claims.leased_until >= bindparam("p_now", type_=UTCDateTime()),
        _NOT_PAUSED,
    )
    .values(leased_until=_KEPT_UNTIL, workstation=bindparam("p_ws"))
    .returning(_claims.token, _claims.leased_until)
)
_RENEW = (
    update(_CLAIMS)
    .where(
        _claims.case_id == bindparam("p_case"),
        _claims.owner_id == bindparam("p_user"),
        _claims.token == bindparam("p_token"),
        _claims.leased_until >= bindparam("p_now", type_=UTCDateTime()),
        _NOT_PAUSED,
    )
    .values(leased_until=_KEPT_UNTIL)
    .returning(_claims.token, _claims.leased_until)
)
_FENCE = (
    update(_CLAIMS)
    .where(
        _claims.case_id == bindparam("p_case"),
        _claims.token == bindparam("p_token"),
        _claims.owner_id == bindparam("p_user"),
        _NOT_PAUSED,
    )
    .values(owner_id=None, leased_until=None)
    .returning(_claims.token)
)
_LET_GO = (
    update(_CLAIMS)
    .where(_claims.case_id == bindparam("p_case"))
    .values(owner_id=None, leased_until=None)
)
_EFFECTIVE = select(_decisions.id).where(
    _decisions.case_id == bindparam("p_case"),
    _decisions.round_no == bindparam("p_round"),
    _decisions.effective.is_(True),
)
_CASE_STATE = select(_cases.status, _cases.current_round).where(_cases.id == bindparam("p_case"))
_CASE_STATE_LOCKED = _CASE_STATE.with_for_update()
# SQLite: the writer holds the database lock from BEGIN IMMEDIATE to commit, so the change
# counter may be taken first and its value written by the guarded UPDATE itself, one
# statement fewer than stamping the row after it. (PostgreSQL keeps the counter last: its
# row lock is what orders the values, and taking it before the claim row would invert the
# lock order of the other writers.)
_STAMP: dict[str, Any] = {"change_seq": bindparam("p_seq")}
_CLAIM_WIN_STAMPED = _CLAIM_WIN.values(**_STAMP)
_CLAIM_KEEP_STAMPED = _CLAIM_KEEP.values(**_STAMP)
# The fence, stamping the claim and saying whether the round already has an effective
# decision (asked only when the fence holds).
_FENCE_STAMPED = _FENCE.values(**_STAMP).returning(exists(_EFFECTIVE).label("decided"))
_DECIDED = (
    update(_CASES)
    .where(_cases.id == bindparam("p_case"))
    .values(
        status=bindparam("p_status"),
        decided_at=bindparam("p_now", type_=UTCDateTime()),
        updated_at=bindparam("p_now", type_=UTCDateTime()),
    )
)
_DECIDED_STAMPED = _DECIDED.values(change_seq=bindparam("p_seq"))
_STORED = select(
    _decisions.case_id,
    _decisions.round_no,
    _decisions.outcome,
    _decisions.reasons,
    _decisions.comment,
    _decisions.reviewer_id,
    _decisions.claim_token,
    _decisions.state,
    _decisions.effective,
).where(_decisions.id == bindparam("p_id"))
_INSERT_DECISION = insert(_DECISIONS)


def _stamp_claim(session: Session, case_id: str) -> None:
    """Give the claim row the next change number, last, without loading it."""
    value = changes.next_value(session)
    session.connection().execute(_STAMP_CLAIM, {"p_case": case_id, "p_seq": value})


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


def refuse_paused(session: Session, user_id: str) -> None:
    """Refuse a paused person: called where a statement guarded by :func:`_not_paused`
    matched nothing (or none ran), before any other refusal."""
    paused = session.execute(
        select(User.paused_at).where(User.id == user_id, User.paused_at.is_not(None))
    ).first()
    if paused is not None:
        raise ArbiterRefusal("paused", "this account is paused by a supervisor")


def claim(
    session: Session, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
) -> ClaimInfo:
    """Win the case's lease with one guarded UPDATE, or keep (and extend) one already held.

    A new holder gets a new, higher token and ``now + lease``; the holder's own repeated
    claim keeps its token (so a decision already made under it stays valid) and keeps
    ``greatest(leased_until, now + lease)``: opening a checked-out case never shortens the
    checkout's lease. The answer carries the lease as stored.
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
    conn = session.connection()
    stamped = conn.dialect.name == "sqlite"
    if stamped:  # the counter first, its value written by the claim's own UPDATE
        params["p_seq"] = changes.next_value(session)
    won = conn.execute(_CLAIM_WIN_STAMPED if stamped else _CLAIM_WIN, params).first()
    if won is None:
        kept = conn.execute(_CLAIM_KEEP_STAMPED if stamped else _CLAIM_KEEP, params).first()
        if kept is None:
            refuse_paused(session, user_id)
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
        token, until = int(kept[0]), kept[1]
    else:
        token = int(won[0])
    if not stamped:
        _stamp_claim(session, case_id)
    return ClaimInfo(case_id, token, until, user_id)


def renew(
    session: Session, case_id: str, user_id: str, token: int, lease: dt.timedelta
) -> ClaimInfo:
    """Extend the holder's lease to ``greatest(leased_until, now + lease)``, token kept."""
    now = store_now(session)
    done = (
        session.connection()
        .execute(
            _RENEW,
            {
                "p_case": case_id,
                "p_user": user_id,
                "p_token": token,
                "p_now": now,
                "p_until": now + lease,
            },
        )
        .first()
    )
    if done is None:
        refuse_paused(session, user_id)
        holder, held_until = _holder(session, case_id)
        raise ArbiterRefusal(
            "not_holder", "the lease is no longer yours", holder=holder, until=held_until
        )
    _stamp_claim(session, case_id)
    return ClaimInfo(case_id, token, done[1], user_id)


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
        .where(Claim.case_id == case_id, _not_paused(user_id))
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
        refuse_paused(session, user_id)
        raise ArbiterRefusal("no_case", f"no claim row for case {case_id}")
    _stamp_claim(session, case_id)
    return ClaimInfo(case_id, int(won[0]), until, user_id)


@dataclass(frozen=True)
class Reassigned:
    """A supervisor moved a case's lease: to ``info.holder`` (None: released)."""

    info: ClaimInfo | None
    previous_holder: str | None  # user id


def reassign(
    session: Session, case_id: str, to_user_id: str | None, lease: dt.timedelta
) -> Reassigned:
    """A supervisor gives a pending case's lease to ``to_user_id`` or, with None, takes it
    from whoever holds it. The token moves on either way, so a decision the previous
    holder sends later is fenced out and kept as a conflict. The caller checked the
    supervisor's right; the new holder is checked here: an enabled reviewer or supervisor
    of the case's district."""
    case = session.execute(
        select(Case.status, Case.district_code).where(Case.id == case_id)
    ).first()
    if case is None:
        raise ArbiterRefusal("no_case", f"no case {case_id}")
    if case.status != "pending":
        raise ArbiterRefusal("wrong_status", f"case {case_id} is {case.status}, not pending")
    if to_user_id is not None:
        user = session.execute(
            select(User.role, User.disabled).where(User.id == to_user_id)
        ).first()
        in_district = session.scalar(
            select(UserDistrict.user_id).where(
                UserDistrict.user_id == to_user_id,
                UserDistrict.district_code == case.district_code,
            )
        )
        if (
            user is None
            or user.disabled
            or user.role not in ("reviewer", "supervisor")
            or in_district is None
        ):
            raise ArbiterRefusal(
                "not_allowed",
                f"user {to_user_id} cannot hold cases of district {case.district_code}",
            )
    previous = session.scalar(select(Claim.owner_id).where(Claim.case_id == case_id))
    now = store_now(session)
    until = now + lease if to_user_id is not None else None
    values: dict[str, Any] = {
        "owner_id": to_user_id,
        "token": Claim.token + 1,
        "leased_until": until,
    }
    if to_user_id is not None:
        values.update(claimed_at=now, workstation=None)
    moved = session.execute(
        update(Claim).where(Claim.case_id == case_id).values(**values).returning(Claim.token)
    ).first()
    if moved is None:
        raise ArbiterRefusal("no_case", f"no claim row for case {case_id}")
    _stamp_claim(session, case_id)
    info = (
        ClaimInfo(case_id, int(moved[0]), until, to_user_id)
        if to_user_id is not None and until is not None
        else None
    )
    return Reassigned(info, previous)


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

    def values(
        self,
        *,
        state: str,
        effective: bool,
        store_time: dt.datetime,
        round_no: int | None = None,
        supersedes_id: str | None = None,
        change_seq: int | None = None,
    ) -> dict[str, Any]:
        """The decision's stored columns, in the given state."""
        return {
            "id": self.decision_id,
            "case_id": self.case_id,
            "round_no": self.round_no if round_no is None else round_no,
            "outcome": self.outcome,
            "reasons": self.reasons,
            "comment": self.comment,
            "reviewer_id": self.reviewer_id,
            "claim_token": self.claim_token,
            "device_time": self.device_time,
            "store_time": store_time,
            "state": state,
            "effective": effective,
            "confirmed_by": None,
            "confirmed_at": None,
            "supersedes_id": supersedes_id,
            "workstation": self.workstation,
            "change_seq": change_seq,
        }

    @property
    def case_status(self) -> str:
        """The case's status once this decision stands."""
        return "confirming" if self.needs_confirmation else OUTCOME_STATUS[self.outcome]

    def body(self) -> dict[str, Any]:
        """What must be identical when the same id arrives twice."""
        return _body_of(self)

    def to_wire(self) -> dict[str, Any]:
        """The decision as it travels (outbox item body): JSON-safe, read by from_wire."""
        return {
            "decision_id": self.decision_id,
            **self.body(),
            "device_time": self.device_time.isoformat(),
            "workstation": self.workstation,
            "needs_confirmation": self.needs_confirmation,
        }

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> DecisionRecord:
        return cls(
            decision_id=body["decision_id"],
            case_id=body["case_id"],
            round_no=int(body["round_no"]),
            outcome=body["outcome"],
            reasons=body["reasons"],
            comment=body.get("comment"),
            reviewer_id=body["reviewer_id"],
            claim_token=int(body["claim_token"]),
            device_time=dt.datetime.fromisoformat(body["device_time"]),
            workstation=body["workstation"],
            needs_confirmation=bool(body["needs_confirmation"]),
        )


# What makes two arrivals of one decision id "the same decision".
_BODY_FIELDS = (
    "case_id",
    "round_no",
    "outcome",
    "reasons",
    "comment",
    "reviewer_id",
    "claim_token",
)


def _body_of(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _BODY_FIELDS}


@dataclass(frozen=True)
class Submitted:
    """The arbiter's answer to a decision: its state, and the case's status after it."""

    decision_id: str
    state: str
    effective: bool
    case_status: str


def _case_state(session: Session, case_id: str) -> tuple[str, int] | None:
    """The case's status and round; on PostgreSQL the row stays locked until commit
    (SQLite's writer already holds the database lock: BEGIN IMMEDIATE)."""
    conn = session.connection()
    stmt = _CASE_STATE_LOCKED if conn.dialect.name == "postgresql" else _CASE_STATE
    row = conn.execute(stmt, {"p_case": case_id}).first()
    return (str(row[0]), int(row[1])) if row else None


def submit_decision(
    session: Session,
    rec: DecisionRecord,
    *,
    fresh: bool = False,
    known: tuple[str, int] | None = None,
) -> Submitted:
    """Accept a decision against the current claim token, or keep it as a conflict.

    Idempotent by ``decision_id``: the same id with the same body returns what was stored;
    the same id with a different body is refused loudly (it means a client bug or
    tampering, never something to ignore).

    ``known``: the case's (status, round) as the caller read it in this transaction. On
    SQLite the writer has held the database lock since BEGIN IMMEDIATE, so it is still
    current and is not read again; on PostgreSQL the row is read again under lock.

    A paused reviewer is refused before anything else: the fence carries the check, and
    the paths that end before it (a resend, no such case) ask on their own.
    """
    conn = session.connection()
    # ``fresh``: the caller just made the id in this transaction (standalone decide), so
    # there is nothing to be idempotent about; resends (sync) always look.
    stored = None if fresh else conn.execute(_STORED, {"p_id": rec.decision_id}).first()
    sqlite_writer = known is not None and conn.dialect.name == "sqlite"
    case = known if sqlite_writer else _case_state(session, rec.case_id)
    if case is None:
        refuse_paused(session, rec.reviewer_id)
        raise ArbiterRefusal("no_case", f"no case {rec.case_id}")
    status, current_round = case
    if stored is not None:
        refuse_paused(session, rec.reviewer_id)
        if _body_of(stored) != rec.body():
            raise ArbiterRefusal(
                "id_reused", f"decision {rec.decision_id} arrived twice with different content"
            )
        return Submitted(rec.decision_id, stored.state, bool(stored.effective), status)
    now = store_now(session)
    # The fence: the claim row must still carry this reviewer and this token, and the
    # reviewer must not be paused. Clearing the owner in the same UPDATE releases the
    # lease and locks the row until commit.
    fence = {"p_case": rec.case_id, "p_token": rec.claim_token, "p_user": rec.reviewer_id}
    if sqlite_writer:
        # SQLite's writer: the counter first; the fence stamps the claim and answers
        # whether the round already has an effective decision.
        seq = changes.next_value(session)
        fenced = conn.execute(
            _FENCE_STAMPED, {**fence, "p_seq": seq, "p_round": rec.round_no}
        ).first()
    else:
        fenced = conn.execute(_FENCE, fence).first()
    if fenced is None:
        refuse_paused(session, rec.reviewer_id)
    accepted = (
        fenced is not None
        and rec.round_no == current_round
        and status == "pending"
        and not (
            fenced.decided
            if sqlite_writer
            else conn.execute(_EFFECTIVE, {"p_case": rec.case_id, "p_round": rec.round_no}).first()
            is not None
        )
    )
    if not sqlite_writer:
        # The change counter once the outcome is decided; its row stays locked until
        # commit.
        seq = changes.next_value(session)
    state = (
        ("pending_confirmation" if rec.needs_confirmation else "accepted")
        if accepted
        else "conflict"
    )
    conn.execute(
        _INSERT_DECISION,
        rec.values(state=state, effective=accepted, store_time=now, change_seq=seq),
    )
    if accepted:
        status = rec.case_status
        conn.execute(
            _DECIDED_STAMPED,
            {"p_case": rec.case_id, "p_status": status, "p_now": now, "p_seq": seq},
        )
    if fenced is None or not sqlite_writer:
        conn.execute(_STAMP_CLAIM, {"p_case": rec.case_id, "p_seq": seq})
    return Submitted(rec.decision_id, state, accepted, status)


def record_for_upload(session: Session, rec: DecisionRecord) -> str:
    """A workstation with a central arbiter: the decision is kept locally as ``submitted``
    and the case shows its outcome at once (the central answer replaces both when it
    arrives). Returns the case's status; the caller writes the outbox item beside it."""
    conn = session.connection()
    now = store_now(session)
    conn.execute(_INSERT_DECISION, rec.values(state="submitted", effective=False, store_time=now))
    status = rec.case_status
    conn.execute(_DECIDED, {"p_case": rec.case_id, "p_status": status, "p_now": now})
    conn.execute(_LET_GO, {"p_case": rec.case_id})
    return status


def effective_decision(session: Session, case_id: str, round_no: int) -> Decision | None:
    return session.scalars(
        select(Decision).where(
            Decision.case_id == case_id, Decision.round_no == round_no, Decision.effective.is_(True)
        )
    ).first()


def confirm(session: Session, decision: Decision, supervisor_id: str, accept: bool) -> str:
    """Second pair of eyes: make a waiting decision final, or send the case back to the queue.

    Returns the case's status after it."""
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
    return case.status


def undo(session: Session, decision: Decision) -> str:
    """The decider takes the decision back; returns the case's status after it."""
    now = store_now(session)
    case = _locked_case(session, decision.case_id)
    assert case is not None
    decision.state = "undone"
    decision.effective = False
    case.status = "pending"
    case.decided_at = None
    case.updated_at = now
    changes.stamp(session, [decision, case])
    return case.status


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
    return _supersede(session, rec, conflict.round_no, conflict_id)


def overturn(
    session: Session, standing_id: str, rec: DecisionRecord, also: Sequence[Any] = ()
) -> Decision:
    """A supervisor replaces a standing decision with their own (a 抽查 disagreement).

    The same supersede as :func:`resolve_conflict`: the standing decision becomes
    ``superseded`` and the new one, pointing at it, is effective. ``also``: rows of the
    caller's that take this transaction's change number with them (the sample).
    """
    standing = session.get(Decision, standing_id, populate_existing=True)
    if standing is None or not standing.effective or standing.case_id != rec.case_id:
        raise ArbiterRefusal("state", f"decision {standing_id} no longer stands on this case")
    return _supersede(session, rec, standing.round_no, standing_id, also)


def _supersede(
    session: Session,
    rec: DecisionRecord,
    round_no: int,
    supersedes_id: str,
    also: Sequence[Any] = (),
) -> Decision:
    """The one way a decided round gets a new decision: what stood becomes ``superseded``,
    the new decision (pointing at ``supersedes_id``) is effective, the case follows it."""
    now = store_now(session)
    case = _locked_case(session, rec.case_id)
    assert case is not None
    touched: list[Any] = [case, *also]
    standing = effective_decision(session, rec.case_id, round_no)
    if standing is not None:
        standing.state = "superseded"
        standing.effective = False
        touched.append(standing)
        session.flush()
    row = Decision(
        **rec.values(
            state="accepted",
            effective=True,
            store_time=now,
            round_no=round_no,
            supersedes_id=supersedes_id,
        )
    )
    session.add(row)
    touched.append(row)
    case.status = OUTCOME_STATUS[rec.outcome]
    case.decided_at = now
    case.updated_at = now
    changes.stamp(session, touched)
    return row


@dataclass(frozen=True)
class Paused:
    """A person's pause as the arbiter now holds it (``paused_at`` None: not paused)."""

    user_id: str
    username: str
    paused_at: dt.datetime | None
    paused_by: str | None


def set_paused(session: Session, supervisor_id: str, user_id: str, pause: bool) -> Paused:
    """A supervisor pauses (or resumes) a reviewer who shares a district with them. An
    admin's ``disabled`` is never touched: a pause is lifted, a disable is not. The caller
    checked that the acting person is a supervisor."""
    target = session.execute(
        select(User.username, User.role, User.paused_at, User.paused_by).where(User.id == user_id)
    ).first()
    if target is None:
        raise ArbiterRefusal("no_user", f"no user {user_id}")
    if target.role != "reviewer":
        raise ArbiterRefusal("not_allowed", f"only a reviewer's account is paused ({target.role})")
    shared = session.scalar(
        select(UserDistrict.district_code)
        .where(
            UserDistrict.user_id == user_id,
            UserDistrict.district_code.in_(
                select(UserDistrict.district_code).where(UserDistrict.user_id == supervisor_id)
            ),
        )
        .limit(1)
    )
    if shared is None:
        raise ArbiterRefusal(
            "not_allowed", f"{target.username} works in none of this supervisor's districts"
        )
    if pause == (target.paused_at is not None):
        return Paused(user_id, target.username, target.paused_at, target.paused_by)
    by = session.scalar(select(User.username).where(User.id == supervisor_id)) if pause else None
    at = store_now(session) if pause else None
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(paused_at=at, paused_by=by, change_seq=changes.next_value(session))
    )
    return Paused(user_id, target.username, at, by)
