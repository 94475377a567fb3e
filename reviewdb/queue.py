"""The review queue as SQL: filters, search and keyset pagination (never OFFSET)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from reviewdb.models import Attachment, Case, CaseRound, Claim, Decision, District, School, User
from reviewdb.types import UTCDateTime

SORT_COLUMNS = {
    "submitted_at": Case.submitted_at,
    "case_no": Case.case_no,
    "student_name": Case.student_name,
    "worst_severity": Case.worst_severity,
    "decided_at": Case.decided_at,
}


@dataclass(frozen=True)
class QueueQuery:
    """What the queue should list. ``districts=None`` means no district scope (admin tools)."""

    districts: tuple[str, ...] | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    district: str | None = None  # code or name
    school: str | None = None  # school name (exact) or id
    search: str | None = None
    holder_id: str | None = None  # claimed by this user (lease still running)
    case_ids: tuple[str, ...] | None = None
    sort: str = "submitted_at"
    descending: bool = False
    min_severity: int = 0
    submitted_before: dt.datetime | None = None  # waiting at least since then
    conflicts_only: bool = False  # cases with a conflict decision nobody has resolved
    now: dt.datetime | None = None


def _binds(name: str, values: tuple[str, ...]) -> list[Any]:
    # One plain bind per value instead of an "expanding" IN: the statement then compiles
    # once, with no per-execution rewriting (the query's values are part of its cache key).
    return [bindparam(f"{name}_{i}", v, type_=String()) for i, v in enumerate(values)]


def _filters(q: QueueQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if q.districts is not None:
        conds.append(
            Case.district_code.in_(_binds("district", q.districts)) if q.districts else false()
        )
    if q.kinds:
        conds.append(Case.kind.in_(_binds("kind", q.kinds)))
    if q.statuses:
        conds.append(Case.status.in_(_binds("status", q.statuses)))
    if q.district:
        conds.append(or_(Case.district_code == q.district, District.name == q.district))
    if q.school:
        if q.school.isdigit():
            conds.append(Case.school_id == int(q.school))
        else:
            conds.append(School.name == q.school)
    if q.min_severity:
        conds.append(Case.worst_severity >= q.min_severity)
    if q.submitted_before is not None:
        conds.append(Case.submitted_at <= q.submitted_before)
    if q.conflicts_only:
        resolved = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
        conds.append(
            Case.id.in_(
                select(Decision.case_id).where(
                    Decision.state == "conflict", Decision.id.not_in(resolved)
                )
            )
        )
    if q.case_ids is not None:
        # Plain binds as for districts: page() runs its statement precompiled, where an
        # "expanding" IN was never expanded (a syntax error at the first use).
        conds.append(Case.id.in_(_binds("case", q.case_ids)) if q.case_ids else false())
    if q.search:
        text = q.search.strip()
        if text:
            conds.append(_search_condition(text))
    if q.holder_id is not None:
        conds.append(
            and_(
                Claim.owner_id == q.holder_id,
                Claim.leased_until > bindparam("now", type_=UTCDateTime()),
            )
        )
    return conds


def _search_condition(text: str) -> ColumnElement[bool]:
    upper = text.upper()
    if "*" in upper:
        # A masked ID as the window shows it (360102********123X): its visible ends.
        head, _, tail = upper.partition("*")
        tail = tail.lstrip("*")
        if all(c.isdigit() or c == "X" for c in head + tail) and len(head + tail) >= 4:
            return and_(
                Case.student_id_number.startswith(head, autoescape=True),
                Case.student_id_number.endswith(tail, autoescape=True),
            )
    if len(upper) >= 4 and all(c.isdigit() or c == "X" for c in upper):
        # Digits: an ID number (its start, or its end: the last four digits are what the
        # masked ID shows) or a case number fragment.
        return or_(
            Case.student_id_number.startswith(upper, autoescape=True),
            Case.student_id_number.endswith(upper, autoescape=True),
            Case.case_no.contains(upper, autoescape=True),
        )
    # autoescape: % and _ typed into the search box are literal characters.
    return or_(
        Case.student_name.contains(text, autoescape=True),
        Case.case_no.contains(upper, autoescape=True),
    )


def _base(q: QueueQuery, columns: Sequence[Any]) -> Select[Any]:
    stmt = (
        select(*columns)
        .select_from(Case)
        .join(School, School.id == Case.school_id)
        .join(District, District.code == Case.district_code)
        .outerjoin(Claim, Claim.case_id == Case.id)
        .outerjoin(User, User.id == Claim.owner_id)
    )
    conds = _filters(q)
    return stmt.where(*conds) if conds else stmt


PDF_MEDIA_TYPE = "application/pdf"

# The picture a case opens on: the first attachment of its current round, when it can be
# shown (a readable photo, or any PDF: the viewer says itself why one cannot be). The
# window starts decoding it the moment a row is chosen, before the case itself is read.
FIRST_PICTURE = (
    select(
        case(
            (
                or_(Attachment.readable, Attachment.media_type == PDF_MEDIA_TYPE),
                Attachment.sha256,
            ),
        )
    )
    .select_from(Attachment)
    .join(CaseRound, CaseRound.id == Attachment.round_id)
    .where(CaseRound.case_id == Case.id, CaseRound.round_no == Case.current_round)
    .order_by(Attachment.ordinal)
    .limit(1)
    .correlate(Case)
    .scalar_subquery()
    .label("first_picture")
)

QUEUE_COLUMNS = (
    Case.id,
    Case.case_no,
    Case.kind,
    Case.status,
    Case.current_round,
    District.name,
    School.name,
    Case.student_name,
    Case.student_id_number,
    Case.submitted_at,
    Case.worst_severity,
    Case.finding_count,
    User.username,
    Claim.leased_until,
    Case.decided_at,
    FIRST_PICTURE,
)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the sort value and id of the last row shown."""

    value: Any
    case_id: str


_RAW_ON_SQLITE = {"submitted_at", "leased_until", "decided_at"}


def _columns(dialect: str) -> tuple[Any, ...]:
    # On SQLite the times come back as their stored text and are parsed only when shown
    # (app.review.cases.QueueRow); per-value type processing was half the cost of a page.
    if dialect != "sqlite":
        return QUEUE_COLUMNS
    return tuple(
        type_coerce(c, String).label(c.key) if c.key in _RAW_ON_SQLITE else c for c in QUEUE_COLUMNS
    )


@functools.lru_cache(maxsize=256)
def _page_statement(
    q: QueueQuery, keyset: bool, limit: int, dialect: str = "sqlite"
) -> Select[Any]:
    # Building a Select costs more than running the page on SQLite; a reviewer scrolls the
    # same query page after page, so the statement is built once and the cursor bound.
    sort_col = SORT_COLUMNS.get(q.sort)
    if sort_col is None:
        raise ValueError(f"unknown sort column {q.sort!r}; choose one of {', '.join(SORT_COLUMNS)}")
    stmt = _base(q, _columns(dialect))
    if keyset:
        key = tuple_(sort_col, Case.id)
        value_type = (
            String() if dialect == "sqlite" and sort_col.key in _RAW_ON_SQLITE else sort_col.type
        )
        bound = tuple_(
            bindparam("after_value", type_=value_type), bindparam("after_id", type_=Case.id.type)
        )
        stmt = stmt.where(key < bound if q.descending else key > bound)
    if q.descending:
        stmt = stmt.order_by(sort_col.desc(), Case.id.desc())
    else:
        stmt = stmt.order_by(sort_col.asc(), Case.id.asc())
    return stmt.limit(limit)


@dataclass(frozen=True)
class _Prepared:
    """A page statement compiled once to driver SQL, its fixed values already converted."""

    sql: str
    order: tuple[str, ...]  # parameter names in placeholder order (positional drivers)
    fixed: dict[str, Any]
    processors: dict[str, Any]


_DYNAMIC = ("after_value", "after_id", "now")


@functools.lru_cache(maxsize=256)
def _prepared(q: QueueQuery, keyset: bool, limit: int, dialect: Dialect) -> _Prepared:
    # The GUI scrolls one query page after page: compiling it once and running the driver
    # SQL directly keeps a page within a small factor of the bare query (the benchmark).
    stmt = _page_statement(q, keyset, limit, dialect.name)
    compiled = stmt.compile(dialect=dialect)
    processors = {name: bind.type.bind_processor(dialect) for name, bind in compiled.binds.items()}
    fixed = {}
    for name, value in compiled.params.items():
        if name in _DYNAMIC:
            continue
        proc = processors.get(name)
        fixed[name] = proc(value) if proc else value
    order = tuple(compiled.positiontup or ()) if compiled.positional else ()
    return _Prepared(compiled.string, order, fixed, processors)


def page(
    session: Session | Connection, q: QueueQuery, *, limit: int = 50, after: Cursor | None = None
) -> list[Any]:
    """One page of queue rows in sort order, starting after ``after`` (keyset)."""
    conn = session.connection() if isinstance(session, Session) else session
    prep = _prepared(q, after is not None, limit, conn.dialect)
    values = dict(prep.fixed)
    dynamic: dict[str, Any] = {}
    if q.holder_id is not None:
        dynamic["now"] = q.now or dt.datetime.now(dt.UTC)
    if after is not None:
        dynamic["after_value"] = after.value
        dynamic["after_id"] = after.case_id
    for name, value in dynamic.items():
        proc = prep.processors.get(name)
        values[name] = proc(value) if proc else value
    params: Any = tuple(values[n] for n in prep.order) if prep.order else values
    return list(conn.exec_driver_sql(prep.sql, params).all())


@functools.lru_cache(maxsize=64)
def _count_statement(q: QueueQuery) -> Select[Any]:
    """The rows :func:`page` would list, counted, joining only what the filters name.

    Every case has its school and district (foreign keys, not null), and the claim and its
    holder are outer joins: so without a filter on them the count reads the cases alone,
    from the queue index. With the page's four joins, counting 60,000 pending cases took
    326 ms (a lookup in each table per row) instead of a few.
    """
    stmt = select(func.count()).select_from(Case)
    if q.school and not q.school.isdigit():
        stmt = stmt.join(School, School.id == Case.school_id)
    if q.district:
        stmt = stmt.join(District, District.code == Case.district_code)
    if q.holder_id is not None:
        stmt = stmt.join(Claim, Claim.case_id == Case.id)
    conds = _filters(q)
    return stmt.where(*conds) if conds else stmt


def count(session: Session | Connection, q: QueueQuery) -> int:
    params: dict[str, Any] = (
        {"now": q.now or dt.datetime.now(dt.UTC)} if q.holder_id is not None else {}
    )
    conn = session.connection() if isinstance(session, Session) else session
    return int(conn.execute(_count_statement(q), params).scalar_one())


def cursor_of(row: Any, sort: str) -> Cursor:
    index = {
        "submitted_at": 9,
        "case_no": 1,
        "student_name": 7,
        "worst_severity": 10,
        "decided_at": 14,
    }.get(sort)
    if index is None:
        raise ValueError(f"no cursor for sort {sort!r}")
    return Cursor(row[index], row[0])
