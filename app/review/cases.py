"""Reading cases for people: the queue's rows and one case's full view, as frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import CaseKind, CaseStatus
from app.policy.idnumbers import mask_id
from reviewdb import queue as q
from reviewdb.engine import Store
from reviewdb.errors import Refusal
from reviewdb.models import (
    Attachment,
    Case,
    CaseRound,
    Claim,
    Decision,
    District,
    FindingRow,
    School,
    User,
)

SEVERITY_NAMES = {0: None, 1: "info", 2: "warning", 3: "error"}


class CaseNotFound(Refusal):
    """No case with that number or id (or not one the user may see)."""


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


class QueueRow:
    """One line of the queue, read-only.

    It wraps the database row and converts a field only when it is read: the queue
    fetches pages of rows, and the view shows only the ones on screen.
    """

    __slots__ = ("_row", "_now")

    def __init__(self, row: Any, now: dt.datetime) -> None:
        self._row = row
        self._now = now

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueueRow) and tuple(self._row) == tuple(other._row)

    def __hash__(self) -> int:
        return hash(self._row[0])

    def __repr__(self) -> str:
        return f"QueueRow({self.case_no!r}, {self.status!r})"

    case_id = property(lambda self: str(self._row[0]))
    case_no = property(lambda self: str(self._row[1]))
    kind = property(lambda self: str(self._row[2]))
    status = property(lambda self: str(self._row[3]))
    round = property(lambda self: int(self._row[4]))
    district = property(lambda self: str(self._row[5]))
    school = property(lambda self: str(self._row[6]))
    student_name = property(lambda self: str(self._row[7]))
    finding_count = property(lambda self: int(self._row[11]))

    @property
    def student_id_masked(self) -> str:
        return mask_id(self._row[8])

    @property
    def submitted_at(self) -> dt.datetime:
        value = _as_datetime(self._row[9])
        assert value is not None
        return value

    @property
    def worst_severity(self) -> str | None:
        return SEVERITY_NAMES.get(self._row[10])

    @property
    def leased_until(self) -> dt.datetime | None:
        until = _as_datetime(self._row[13])
        return until if until is not None and until > self._now else None

    @property
    def holder(self) -> str | None:
        return self._row[12] if self.leased_until is not None else None

    @property
    def decided_at(self) -> dt.datetime | None:
        return _as_datetime(self._row[14])

    @property
    def first_picture(self) -> str | None:
        """The sha256 of the picture the case opens on (its current round's first
        attachment, when it can be shown): decoding starts as the row is chosen."""
        value = self._row[15] if len(self._row) > 15 else None
        return str(value) if value is not None else None

    @property
    def kind_label(self) -> str:
        return CaseKind(self.kind).label

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    def cursor(self, sort: str = "submitted_at") -> q.Cursor:
        return q.cursor_of(self._row, sort)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_no,
            "uuid": self.case_id,
            "kind": self.kind,
            "status": self.status,
            "round": self.round,
            "district": self.district,
            "school": self.school,
            "student": {"name": self.student_name, "id_masked": self.student_id_masked},
            "submitted_at": self.submitted_at.isoformat(),
            "worst_severity": self.worst_severity,
            "finding_count": self.finding_count,
            "holder": self.holder,
        }


def row_from_tuple(row: Any, now: dt.datetime | None = None) -> QueueRow:
    return QueueRow(row, now or dt.datetime.now(dt.UTC))


def list_queue(
    store: Store, query: q.QueueQuery, *, limit: int = 50, after: q.Cursor | None = None
) -> list[QueueRow]:
    """One page of the queue. A plain connection, not an ORM session: it is the hot path."""
    with store.connection() as conn:
        rows = q.page(conn, query, limit=limit, after=after)
    now = dt.datetime.now(dt.UTC)
    return [row_from_tuple(r, now) for r in rows]


def count_queue(store: Store, query: q.QueueQuery) -> int:
    with store.connection() as conn:
        return q.count(conn, query)


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    message: str
    fact: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fact": self.fact,
        }


@dataclass(frozen=True)
class AttachmentView:
    ordinal: int
    label: str
    filename: str
    sha256: str
    media_type: str
    size: int
    readable: bool
    reason: str | None
    width: int | None
    height: int | None
    orientation: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "size": self.size,
            "readable": self.readable,
            "reason": self.reason,
            "width": self.width,
            "height": self.height,
            "orientation": self.orientation,
        }


@dataclass(frozen=True)
class RoundView:
    round_no: int
    submission_id: str
    submitted_at: dt.datetime
    manifest: dict[str, Any]
    attachments: tuple[AttachmentView, ...]


@dataclass(frozen=True)
class DecisionView:
    decision_id: str
    round_no: int
    outcome: str
    state: str
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    comment: str | None
    reviewer: str
    reviewer_code: str
    claim_token: int
    device_time: dt.datetime
    store_time: dt.datetime
    confirmed_by: str | None
    supersedes_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "round": self.round_no,
            "outcome": self.outcome,
            "state": self.state,
            "reasons": list(self.reasons),
            "missing": list(self.missing),
            "comment": self.comment,
            "reviewer": self.reviewer,
            "claim_token": self.claim_token,
            "device_time": self.device_time.isoformat(),
            "store_time": self.store_time.isoformat(),
            "confirmed_by": self.confirmed_by,
        }


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case view and `reviewdesk show` present about one case."""

    case_id: str
    case_no: str
    kind: str
    status: str
    round: int
    district_code: str
    district: str
    school: str
    student_name: str
    student_id_number: str
    submitted_at: dt.datetime
    findings: tuple[FindingView, ...]
    rounds: tuple[RoundView, ...]
    decisions: tuple[DecisionView, ...]
    holder: str | None
    holder_id: str | None
    leased_until: dt.datetime | None
    claim_token: int

    @property
    def current(self) -> RoundView:
        return self.rounds[-1]

    @property
    def attachments(self) -> tuple[AttachmentView, ...]:
        return self.current.attachments

    @property
    def open_conflict(self) -> tuple[DecisionView, DecisionView | None] | None:
        """A decision of this round the arbiter kept as a conflict and nobody has settled
        yet, with the decision that stands instead (None when none does)."""
        settled = {d.supersedes_id for d in self.decisions if d.supersedes_id}
        lost = [
            d
            for d in self.decisions
            if d.round_no == self.round and d.state == "conflict" and d.decision_id not in settled
        ]
        if not lost:
            return None
        standing = [
            d
            for d in self.decisions
            if d.round_no == self.round
            and d.state in ("accepted", "pending_confirmation", "confirmed")
        ]
        return lost[-1], (standing[-1] if standing else None)

    @property
    def student_id_masked(self) -> str:
        return mask_id(self.student_id_number)

    def to_json(self) -> dict[str, Any]:
        manifest = self.current.manifest
        return {
            "case_id": self.case_no,
            "uuid": self.case_id,
            "kind": self.kind,
            "status": self.status,
            "round": self.round,
            "district": self.district,
            "school": self.school,
            "student": {"name": self.student_name, "id_masked": self.student_id_masked},
            "submitted_at": self.submitted_at.isoformat(),
            "submission_id": self.current.submission_id,
            "residence_basis": manifest.get("residence_basis"),
            "holder": self.holder,
            "findings": [f.to_json() for f in self.findings],
            "attachments": [a.to_json() for a in self.attachments],
            "rounds": [
                {
                    "round": r.round_no,
                    "submission_id": r.submission_id,
                    "submitted_at": r.submitted_at.isoformat(),
                }
                for r in self.rounds
            ],
            "decisions": [d.to_json() for d in self.decisions],
        }


def resolve_case_id(session: Session, ref: str, districts: tuple[str, ...] | None) -> str:
    """Find a case by number or uuid. Outside ``districts`` it does not exist for the caller."""
    stmt = select(Case.id, Case.district_code).where((Case.case_no == ref) | (Case.id == ref))
    row = session.execute(stmt).first()
    if row is None or (districts is not None and row[1] not in districts):
        # Same answer for "no such case" and "not yours": a guessed id tells nothing.
        raise CaseNotFound(f"no case {ref} in your districts")
    return str(row[0])


def _attachment_view(a: Attachment) -> AttachmentView:
    return AttachmentView(
        ordinal=a.ordinal,
        label=a.label,
        filename=a.filename,
        sha256=a.sha256,
        media_type=a.media_type,
        size=a.size,
        readable=a.readable,
        reason=a.unreadable_reason,
        width=a.width,
        height=a.height,
        orientation=a.orientation,
    )


def current_attachments(
    store: Store, ref: str, districts: tuple[str, ...] | None
) -> tuple[AttachmentView, ...]:
    """The attachments of the case's current round (``CaseDetail.attachments``), alone.

    Two small reads instead of :func:`load_case`'s dozen: the case view asks for them
    first, so the first picture is decoding while the rest of the case loads. Outside
    ``districts`` the case does not exist (:class:`CaseNotFound`), as everywhere.
    """
    with store.read() as s:
        case_id = resolve_case_id(s, ref, districts)
        last = (
            select(func.max(CaseRound.round_no))
            .where(CaseRound.case_id == case_id)
            .scalar_subquery()
        )
        rows = s.scalars(
            select(Attachment)
            .join(CaseRound, Attachment.round_id == CaseRound.id)
            .where(CaseRound.case_id == case_id, CaseRound.round_no == last)
            .order_by(Attachment.ordinal)
        ).all()
        return tuple(_attachment_view(a) for a in rows)


def load_case(session: Session, case_id: str, now: dt.datetime | None = None) -> CaseDetail:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id}")
    district = session.get(District, case.district_code)
    school = session.get(School, case.school_id)
    rounds = session.scalars(
        select(CaseRound).where(CaseRound.case_id == case_id).order_by(CaseRound.round_no)
    ).all()
    round_ids = [r.id for r in rounds]
    atts = session.scalars(
        select(Attachment).where(Attachment.round_id.in_(round_ids)).order_by(Attachment.ordinal)
    ).all()
    by_round: dict[str, list[AttachmentView]] = {}
    for a in atts:
        by_round.setdefault(a.round_id, []).append(_attachment_view(a))
    findings = session.scalars(
        select(FindingRow)
        .where(FindingRow.case_id == case_id, FindingRow.round_no == case.current_round)
        .order_by(FindingRow.id)
    ).all()
    severity_rank = {"error": 0, "warning": 1, "info": 2}
    finding_views = sorted(
        (FindingView(f.code, f.severity, f.message, f.fact) for f in findings),
        key=lambda f: severity_rank.get(f.severity, 3),
    )
    users = {u.id: u for u in session.scalars(select(User)).all()}
    decisions = session.scalars(
        select(Decision)
        .where(Decision.case_id == case_id)
        .order_by(Decision.store_time, Decision.id)
    ).all()
    decision_views = tuple(
        DecisionView(
            decision_id=d.id,
            round_no=d.round_no,
            outcome=d.outcome,
            state=d.state,
            reasons=tuple(d.reasons.get("codes", [])),
            missing=tuple(d.reasons.get("missing", [])),
            comment=d.comment,
            reviewer=users[d.reviewer_id].username if d.reviewer_id in users else d.reviewer_id,
            reviewer_code=users[d.reviewer_id].reviewer_code if d.reviewer_id in users else "",
            claim_token=d.claim_token,
            device_time=d.device_time,
            store_time=d.store_time,
            confirmed_by=users[d.confirmed_by].username if d.confirmed_by in users else None,
            supersedes_id=d.supersedes_id,
        )
        for d in decisions
    )
    claim = session.get(Claim, case_id)
    now = now or dt.datetime.now(dt.UTC)
    holder = holder_id = None
    leased_until = None
    if claim is not None and claim.owner_id and claim.leased_until and claim.leased_until > now:
        holder_id = claim.owner_id
        holder = users[claim.owner_id].username if claim.owner_id in users else claim.owner_id
        leased_until = claim.leased_until
    return CaseDetail(
        case_id=case.id,
        case_no=case.case_no,
        kind=case.kind,
        status=case.status,
        round=case.current_round,
        district_code=case.district_code,
        district=district.name if district else case.district_code,
        school=school.name if school else str(case.school_id),
        student_name=case.student_name,
        student_id_number=case.student_id_number,
        submitted_at=case.submitted_at,
        findings=tuple(finding_views),
        rounds=tuple(
            RoundView(
                round_no=r.round_no,
                submission_id=r.submission_id,
                submitted_at=r.submitted_at,
                manifest=r.manifest,
                attachments=tuple(by_round.get(r.id, [])),
            )
            for r in rounds
        ),
        decisions=decision_views,
        holder=holder,
        holder_id=holder_id,
        leased_until=leased_until,
        claim_token=claim.token if claim else 0,
    )
