"""The supervisor desk's numbers as SQL aggregates: backlog, throughput, outcomes, reasons.

Every figure is one GROUP BY over the store the desk reads (the workstation's local store:
a replica of its districts when a central store is configured, the store itself when not),
narrowed to the supervisor's districts. Nothing is read row by row into Python except the
one row a median needs.

Days are counted in China Standard Time (UTC+8, no daylight saving), as the bureau counts
them; the store keeps UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    text,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from reviewdb.models import Application, Case, Claim, Decision, OutboxItem, School, User

OPEN_STATUSES = ("pending", "confirming", "returned")
"""Cases still on the bureau's books: waiting for review, for a second pair of eyes, or
for the parents' missing documents."""

_c = Case.__table__.c
_a = Application.__table__.c
_s = School.__table__.c
_d = Decision.__table__.c
_u = User.__table__.c
_l = Claim.__table__.c


@dataclass(frozen=True)
class BacklogRow:
    district_code: str
    school: str
    kind: str
    status: str
    city: str
    admission_year: int
    count: int
    oldest_submitted_at: dt.datetime


@dataclass(frozen=True)
class ReviewerDayRow:
    reviewer_id: str
    reviewer: str  # display name
    day: dt.date  # China time
    outcome: str
    count: int


@dataclass(frozen=True)
class OutcomeRow:
    reviewer_id: str
    reviewer: str
    outcome: str
    count: int


@dataclass(frozen=True)
class ReasonRow:
    kind: str
    code: str
    count: int


def _scoped(where: list[Any], districts: Sequence[str] | None) -> list[Any]:
    if districts is not None:
        where.append(_c.district_code.in_(tuple(districts)))
    return where


def _dialect(conn: Session | Connection) -> str:
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    return bind.dialect.name


def _china_day(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return cast(func.timezone("Asia/Shanghai", column), Date)
    return func.date(column, "+8 hours")


def backlog(conn: Session | Connection, districts: Sequence[str] | None) -> list[BacklogRow]:
    """Open cases by district × school × kind × status, with the oldest submission of each
    group and the city/year whose policy sets the group's deadline."""
    stmt = (
        select(
            _c.district_code,
            _s.name,
            _c.kind,
            _c.status,
            _a.city,
            _a.admission_year,
            func.count(),
            func.min(_c.submitted_at),
        )
        .select_from(
            Case.__table__.join(School.__table__, _s.id == _c.school_id).join(
                Application.__table__, _a.id == _c.application_id
            )
        )
        .where(*_scoped([_c.status.in_(OPEN_STATUSES)], districts))
        .group_by(_c.district_code, _s.name, _c.kind, _c.status, _a.city, _a.admission_year)
        .order_by(_c.district_code, _s.name, _c.kind, _c.status)
    )
    rows = conn.execute(stmt).all()
    return [
        BacklogRow(
            district_code=r[0],
            school=r[1],
            kind=r[2],
            status=r[3],
            city=r[4],
            admission_year=int(r[5]),
            count=int(r[6]),
            oldest_submitted_at=r[7],  # min() keeps the column's type: an aware UTC time
        )
        for r in rows
    ]


def _decided(districts: Sequence[str] | None) -> list[Any]:
    """Decisions that stand (accepted, or waiting for their confirmation)."""
    return _scoped([_d.effective == true()], districts)


def reviewer_days(
    conn: Session | Connection, districts: Sequence[str] | None, since: dt.datetime
) -> list[ReviewerDayRow]:
    """Standing decisions per reviewer, China day and outcome, from ``since`` on."""
    day = _china_day(_d.store_time, _dialect(conn)).label("day")
    stmt = (
        select(_d.reviewer_id, _u.display_name, day, _d.outcome, func.count())
        .select_from(
            Decision.__table__.join(Case.__table__, _c.id == _d.case_id).join(
                User.__table__, _u.id == _d.reviewer_id
            )
        )
        .where(*_decided(districts), _d.store_time >= since)
        .group_by(_d.reviewer_id, _u.display_name, day, _d.outcome)
        .order_by(day, _u.display_name)
    )
    return [
        ReviewerDayRow(r[0], r[1], _as_date(r[2]), r[3], int(r[4]))
        for r in conn.execute(stmt).all()
    ]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def outcomes(conn: Session | Connection, districts: Sequence[str] | None) -> list[OutcomeRow]:
    """Standing decisions per reviewer and outcome, the whole season."""
    stmt = (
        select(_d.reviewer_id, _u.display_name, _d.outcome, func.count())
        .select_from(
            Decision.__table__.join(Case.__table__, _c.id == _d.case_id).join(
                User.__table__, _u.id == _d.reviewer_id
            )
        )
        .where(*_decided(districts))
        .group_by(_d.reviewer_id, _u.display_name, _d.outcome)
    )
    return [OutcomeRow(r[0], r[1], r[2], int(r[3])) for r in conn.execute(stmt).all()]


def reasons(conn: Session | Connection, districts: Sequence[str] | None) -> list[ReasonRow]:
    """How often each reason code was given, per kind, in standing decisions."""
    where = " AND ".join(
        ["d.effective"] + (["c.district_code IN :districts"] if districts is not None else [])
    )
    if _dialect(conn) == "postgresql":
        codes = "jsonb_array_elements_text(d.reasons::jsonb -> 'codes') AS j(value)"
    else:
        codes = "json_each(d.reasons, '$.codes') AS j"
    stmt = text(
        f"SELECT c.kind, j.value, count(*) FROM decisions d JOIN cases c ON c.id = d.case_id, "  # noqa: S608 - no user text
        f"{codes} WHERE {where} GROUP BY c.kind, j.value"
    )
    params: dict[str, Any] = {}
    if districts is not None:
        stmt = stmt.bindparams(bindparam("districts", expanding=True))
        params["districts"] = list(districts)
    return [ReasonRow(r[0], str(r[1]), int(r[2])) for r in conn.execute(stmt, params).all()]


def median_claim_to_decision(
    conn: Session | Connection, districts: Sequence[str] | None
) -> dt.timedelta | None:
    """The median time from a claim to the decision it led to, over decided cases.

    A case keeps the time of its last claim (``claims.claimed_at``) and of its last
    decision (``cases.decided_at``): each decided case counts once, with its latest pair.
    None when no case has both.
    """
    seconds: Any
    if _dialect(conn) == "postgresql":
        seconds = func.extract("epoch", _c.decided_at - _l.claimed_at)
    else:
        seconds = (func.julianday(_c.decided_at) - func.julianday(_l.claimed_at)) * literal_column(
            "86400.0"
        )
    spans = (
        select(cast(seconds, Float).label("s"))
        .select_from(Case.__table__.join(Claim.__table__, _l.case_id == _c.id))
        .where(
            *_scoped(
                [
                    _c.decided_at.is_not(None),
                    _l.claimed_at.is_not(None),
                    _c.decided_at >= _l.claimed_at,
                ],
                districts,
            )
        )
    ).subquery()
    n = int(conn.execute(select(func.count()).select_from(spans)).scalar_one())
    if n == 0:
        return None
    middle = conn.execute(
        select(spans.c.s).order_by(spans.c.s).limit(2 - n % 2).offset((n - 1) // 2)
    ).scalars()
    values = [float(v) for v in middle]
    return dt.timedelta(seconds=sum(values) / len(values))


def conflicts_waiting(conn: Session | Connection, districts: Sequence[str] | None) -> int:
    """Decisions kept as conflicts that no supervisor has resolved yet."""
    stmt = (
        select(func.count())
        .select_from(Decision.__table__.join(Case.__table__, _c.id == _d.case_id))
        .where(*_scoped([_d.state == "conflict"], districts))
    )
    return int(conn.execute(stmt).scalar_one())


def quarantined_waiting(conn: Session | Connection) -> int:
    """This workstation's outbox items the central store refused (they wait for a person)."""
    o = OutboxItem.__table__.c
    stmt = select(func.count()).where(o.quarantined.is_(True), o.sent_at.is_(None))
    return int(conn.execute(stmt).scalar_one())
