"""The supervisor desk's numbers as SQL aggregates: backlog, throughput, outcomes, reasons.

Every figure is one GROUP BY over the store the desk reads (the workstation's local store:
a replica of its districts when a central store is configured, the store itself when not),
narrowed to the supervisor's districts. Nothing is read row by row into Python except the
one row a median needs, and the users, read once (:func:`people`) to name every figure's
reviewers.

Days are counted in China Standard Time (UTC+8, no daylight saving), as the bureau counts
them; the store keeps UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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

from reviewdb.models import (
    Case,
    Claim,
    Decision,
    District,
    OutboxItem,
    School,
    User,
)

OPEN_STATUSES = ("pending", "confirming", "returned")
"""Cases still on the bureau's books: waiting for review, for a second pair of eyes, or
for the parents' missing documents."""

_c = Case.__table__.c
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
    admission_year: int | None  # None: a case from before the year was kept on cases
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
    code: str
    count: int


@dataclass(frozen=True)
class Person:
    """A user as the desk shows them."""

    name: str  # the display name; the user id when there is none
    username: str
    paused: bool  # a supervisor paused the account


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


def effective_scope(
    conn: Session | Connection, districts: Sequence[str] | None
) -> tuple[str, ...] | None:
    """``districts`` as a filter worth applying: None when every district this store holds
    cases of is in it (a workstation's store holds its people's districts only), so the
    aggregates need not join each decision to its case to look at the district."""
    if districts is None:
        return None
    d = District.__table__.c
    present = conn.execute(
        select(d.code).where(select(_c.id).where(_c.district_code == d.code).exists())
    ).scalars()
    wanted = set(districts)
    return None if all(code in wanted for code in present) else tuple(sorted(wanted))


def backlog(conn: Session | Connection, districts: Sequence[str] | None) -> list[BacklogRow]:
    """Open cases by district × school × kind × status × admission year, with the oldest
    submission of each group: one GROUP BY over ``ix_cases_backlog`` alone. The city whose
    policy sets a group's deadline is its district's."""
    d = District.__table__.c
    groups = conn.execute(
        select(
            _c.district_code,
            _c.school_id,
            _c.kind,
            _c.status,
            _c.admission_year,
            func.count(),
            func.min(_c.submitted_at),
        )
        .where(*_scoped([_c.status.in_(OPEN_STATUSES)], districts))
        .group_by(_c.district_code, _c.school_id, _c.kind, _c.status, _c.admission_year)
    ).all()
    if not groups:
        return []
    schools = dict(conn.execute(select(_s.id, _s.name)).all())
    cities = dict(conn.execute(select(d.code, d.city)).all())
    rows = [
        BacklogRow(
            district_code=g[0],
            school=schools.get(g[1], str(g[1])),
            kind=g[2],
            status=g[3],
            city=cities.get(g[0], ""),
            admission_year=g[4],
            count=int(g[5]),
            oldest_submitted_at=g[6],  # min() keeps the column's type: an aware UTC time
        )
        for g in groups
    ]
    rows.sort(key=lambda b: (b.district_code, b.school, b.kind, b.status, b.admission_year or 0))
    return rows


def _standing(districts: Sequence[str] | None) -> tuple[Any, list[Any]]:
    """Decisions that stand (accepted, or waiting for their confirmation): the FROM and
    WHERE that reach them through ``ix_decisions_standing``, joined to their case only when
    a district filter applies (see :func:`effective_scope`)."""
    where: list[Any] = [_d.effective == true()]
    if districts is None:
        return Decision.__table__, where
    where.append(_c.district_code.in_(tuple(districts)))
    return Decision.__table__.join(Case.__table__, _c.id == _d.case_id), where


def people(conn: Session | Connection) -> dict[str, Person]:
    """Every user, by id: read once per refresh, and handed to the aggregates below that
    name their reviewers (the users are few; the figures many)."""
    rows = conn.execute(select(_u.id, _u.display_name, _u.username, _u.paused_at))
    return {r[0]: Person(r[1] or r[0], r[2], r[3] is not None) for r in rows}


def _name(people: Mapping[str, Person], user_id: str) -> str:
    person = people.get(user_id)
    return person.name if person is not None else user_id


def reviewer_days(
    conn: Session | Connection,
    districts: Sequence[str] | None,
    since: dt.datetime,
    people: Mapping[str, Person],
) -> list[ReviewerDayRow]:
    """Standing decisions per reviewer, China day and outcome, from ``since`` on."""
    day = _china_day(_d.store_time, _dialect(conn)).label("day")
    source, where = _standing(districts)
    rows = conn.execute(
        select(_d.reviewer_id, day, _d.outcome, func.count())
        .select_from(source)
        .where(*where, _d.store_time >= since)
        .group_by(_d.reviewer_id, day, _d.outcome)
    ).all()
    return [
        ReviewerDayRow(r[0], _name(people, r[0]), _as_date(r[1]), r[2], int(r[3])) for r in rows
    ]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def held(
    conn: Session | Connection,
    districts: Sequence[str] | None,
    now: dt.datetime,
    people: Mapping[str, Person],
) -> dict[str, tuple[str, int]]:
    """Pending cases each person holds a running lease on: {user id: (name, count)}."""
    where: list[Any] = [_l.owner_id.is_not(None), _l.leased_until > now, _c.status == "pending"]
    rows = conn.execute(
        select(_l.owner_id, func.count())
        .select_from(Claim.__table__.join(Case.__table__, _c.id == _l.case_id))
        .where(*_scoped(where, districts))
        .group_by(_l.owner_id)
    ).all()
    return {r[0]: (_name(people, r[0]), int(r[1])) for r in rows}


def outcomes(
    conn: Session | Connection, districts: Sequence[str] | None, people: Mapping[str, Person]
) -> list[OutcomeRow]:
    """Standing decisions per reviewer and outcome, the whole season."""
    source, where = _standing(districts)
    rows = conn.execute(
        select(_d.reviewer_id, _d.outcome, func.count())
        .select_from(source)
        .where(*where)
        .group_by(_d.reviewer_id, _d.outcome)
    ).all()
    return [OutcomeRow(r[0], _name(people, r[0]), r[1], int(r[2])) for r in rows]


def reasons(conn: Session | Connection, districts: Sequence[str] | None) -> list[ReasonRow]:
    """How often each reason code was given in standing decisions (approvals carry none:
    ``ix_decisions_reasoned`` holds the others, reasons included, so nothing else is read;
    a code's kind is the reason library's to say, not worth a join to every case)."""
    postgres = _dialect(conn) == "postgresql"
    # Written as the partial index's own WHERE, so that SQLite sees it applies.
    where = " AND ".join(
        ["d.effective" if postgres else "d.effective = 1", "d.outcome <> 'approve'"]
        + (["c.district_code IN :districts"] if districts is not None else [])
    )
    source = "decisions d" if districts is None else "decisions d JOIN cases c ON c.id = d.case_id"
    if postgres:
        codes = "jsonb_array_elements_text(d.reasons::jsonb -> 'codes') AS j(value)"
    else:
        codes = "json_each(d.reasons, '$.codes') AS j"
    stmt = text(
        f"SELECT j.value, count(*) FROM {source}, {codes} WHERE {where} GROUP BY j.value"  # noqa: S608 - no user text
    )
    params: dict[str, Any] = {}
    if districts is not None:
        stmt = stmt.bindparams(bindparam("districts", expanding=True))
        params["districts"] = list(districts)
    return [ReasonRow(str(r[0]), int(r[1])) for r in conn.execute(stmt, params).all()]


def median_claim_to_decision(
    conn: Session | Connection, districts: Sequence[str] | None, since: dt.datetime
) -> dt.timedelta | None:
    """The median time from a claim to the decision it led to, over cases decided from
    ``since`` on (how long a case takes now, not over the whole season).

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
                    _c.decided_at >= since,
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
    source = (
        Decision.__table__
        if districts is None
        else Decision.__table__.join(Case.__table__, _c.id == _d.case_id)
    )
    stmt = (
        select(func.count())
        .select_from(source)
        # The partial index's own WHERE, literally (a bound value would not match it).
        .where(*_scoped([text("decisions.state = 'conflict'")], districts))
    )
    return int(conn.execute(stmt).scalar_one())


def quarantined_waiting(conn: Session | Connection) -> int:
    """This workstation's outbox items the central store refused (they wait for a person)."""
    o = OutboxItem.__table__.c
    stmt = select(func.count()).where(o.quarantined.is_(True), o.sent_at.is_(None))
    return int(conn.execute(stmt).scalar_one())
