"""Reading cases for people: the queue's rows and one case's full view, as frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import CaseKind, CaseStatus
from app.idnumbers import mask_id
from reviewdb import queue as q
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


class CaseNotFound(Exception):
    """No case with that number or id (or not one the user may see)."""


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    case_id: str
    case_no: str
    kind: str
    status: str
    round: int
    district: str
    school: str
    student_name: str
    student_id_masked: str
    submitted_at: dt.datetime
    worst_severity: str | None
    finding_count: int
    holder: str | None
    leased_until: dt.datetime | None
    decided_at: dt.datetime | None

    @property
    def kind_label(self) -> str:
        return CaseKind(self.kind).label

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

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
    now = now or dt.datetime.now(dt.UTC)
    leased_until = row[13]
    holder = row[12] if leased_until is not None and leased_until > now else None
    return QueueRow(
        case_id=row[0],
        case_no=row[1],
        kind=row[2],
        status=row[3],
        round=row[4],
        district=row[5],
        school=row[6],
        student_name=row[7],
        student_id_masked=mask_id(row[8]),
        submitted_at=row[9],
        worst_severity=SEVERITY_NAMES.get(row[10]),
        finding_count=row[11],
        holder=holder,
        leased_until=leased_until if holder else None,
        decided_at=row[14],
    )


def list_queue(
    session: Session, query: q.QueueQuery, *, limit: int = 50, after: q.Cursor | None = None
) -> list[QueueRow]:
    rows = q.page(session, query, limit=limit, after=after)
    now = dt.datetime.now(dt.UTC)
    return [row_from_tuple(r, now) for r in rows]


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str
    message: str
    fact: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "fact": self.fact}


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
                {"round": r.round_no, "submission_id": r.submission_id, "submitted_at": r.submitted_at.isoformat()}
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
        by_round.setdefault(a.round_id, []).append(
            AttachmentView(
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
        )
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
        select(Decision).where(Decision.case_id == case_id).order_by(Decision.store_time, Decision.id)
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
