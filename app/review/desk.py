"""The supervisor desk: how a district's review season stands, as plain values.

Built from the aggregates in :mod:`reviewdb.desk` in one read, then shaped here: labels,
the policy's review deadline for each group of open cases, rates, and a day-by-day series
per reviewer. The window (ui/desk) only lays these out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.domain import KIND_LABELS, STATUS_LABELS, CaseKind, CaseStatus
from app.notices.printing import CHINA_TZ
from app.policy.loader import PolicyError, policy_for
from app.review.reasons import reason_map
from app.review.sheets import write_sheet
from reviewdb import desk as sql
from reviewdb.engine import Store
from reviewdb.models import District

DAYS_SHOWN = 14
"""The per-day throughput covers the last two weeks (today included)."""

OUTCOMES = ("approve", "reject", "return")
OUTCOME_LABELS = {"approve": "通过", "reject": "不通过", "return": "退回补充"}

_NOBODY = sql.Person("", "", False)
"""A reviewer id this store holds no user row for: no username, not paused."""


@dataclass(frozen=True)
class BacklogLine:
    """Open cases of one district, school, kind and status."""

    district: str  # name
    school: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    count: int
    oldest_submitted_at: dt.datetime
    oldest_days: int  # whole days the oldest case has waited
    deadline: dt.date | None  # the policy's review deadline
    days_left: int | None  # negative once the deadline has passed


@dataclass(frozen=True)
class ReviewerLine:
    """One reviewer's standing decisions: the season's by outcome, and per day."""

    reviewer_id: str
    reviewer: str
    by_outcome: dict[str, int]
    per_day: tuple[int, ...]  # DAYS_SHOWN values, oldest day first
    held: int = 0  # pending cases they hold a lease on now
    username: str = ""
    paused: bool = False  # a supervisor paused the account

    @property
    def total(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def today(self) -> int:
        return self.per_day[-1]

    @property
    def last_week(self) -> int:
        return sum(self.per_day[-7:])


@dataclass(frozen=True)
class ReasonLine:
    kind: str | None  # the kind whose own reason it is; None for reasons of every kind
    code: str
    wording: str
    count: int


@dataclass(frozen=True)
class DeskNumbers:
    """Everything the desk shows, read at ``as_of``."""

    as_of: dt.datetime
    days: tuple[dt.date, ...]  # the days of ReviewerLine.per_day
    backlog: tuple[BacklogLine, ...]
    reviewers: tuple[ReviewerLine, ...]
    reasons: tuple[ReasonLine, ...]
    median_claim_to_decision: dt.timedelta | None  # cases decided in ``days``
    conflicts: int
    quarantined: int
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def open_cases(self) -> int:
        return sum(line.count for line in self.backlog)

    @property
    def decided(self) -> int:
        return sum(self.outcomes.values())

    def rate(self, outcome: str) -> float | None:
        """The share of standing decisions with ``outcome`` (None before any decision)."""
        return self.outcomes.get(outcome, 0) / self.decided if self.decided else None

    @property
    def oldest(self) -> BacklogLine | None:
        return min(self.backlog, key=lambda b: b.oldest_submitted_at, default=None)

    @property
    def nearest_deadline(self) -> BacklogLine | None:
        """The open group whose deadline comes first (None when no policy sets one)."""
        dated = [b for b in self.backlog if b.days_left is not None]
        return min(dated, key=lambda b: (b.days_left, b.district), default=None)

    def backlog_by(self, key: str) -> list[tuple[str, int]]:
        """Open cases summed by ``district``, ``school``, ``kind_label`` or
        ``status_label``, largest first."""
        totals: dict[str, int] = defaultdict(int)
        for line in self.backlog:
            totals[getattr(line, key)] += line.count
        return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _label(labels: dict[CaseKind, str] | dict[CaseStatus, str], value: str) -> str:
    for member, text in labels.items():
        if member.value == value:
            return text
    return value


def _deadline(city: str, year: int | None) -> dt.date | None:
    if year is None:
        return None
    try:
        return policy_for(city, year).review_deadline
    except PolicyError:
        return None  # a case of a year without a policy file: no deadline to count down to


def _kind_and_wording(code: str) -> tuple[str | None, str]:
    """The kind whose own reason ``code`` is (None when every kind has it) and its
    wording in the file; a code this version does not know is shown as it is."""
    kinds = [kind for kind in CaseKind if code in reason_map(kind.value)]
    if not kinds:
        return None, code
    reason = reason_map(kinds[0].value)[code]
    return (kinds[0].value if len(kinds) == 1 else None), reason.file_text


def desk_numbers(
    store: Store, districts: Sequence[str] | None, now: dt.datetime | None = None
) -> DeskNumbers:
    """Read the desk's numbers for ``districts`` (None: every district) in one transaction."""
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(CHINA_TZ).date()
    days = tuple(today - dt.timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1))
    since = dt.datetime.combine(days[0], dt.time(), CHINA_TZ).astimezone(dt.UTC)
    with store.read() as s:
        names = {code: name for code, name in s.execute(select(District.code, District.name))}
        scope = sql.effective_scope(s, districts)
        people = sql.people(s)  # once: every figure below names its reviewers from it
        backlog_rows = sql.backlog(s, scope)
        day_rows = sql.reviewer_days(s, scope, since, people)
        outcome_rows = sql.outcomes(s, scope, people)
        reason_rows = sql.reasons(s, scope)
        median = sql.median_claim_to_decision(s, scope, since)
        conflicts = sql.conflicts_waiting(s, scope)
        holding = sql.held(s, scope, now, people)
        quarantined = sql.quarantined_waiting(s)

    deadlines: dict[tuple[str, int | None], dt.date | None] = {}
    backlog: list[BacklogLine] = []
    for r in backlog_rows:
        key = (r.city, r.admission_year)
        if key not in deadlines:
            deadlines[key] = _deadline(*key)
        deadline = deadlines[key]
        backlog.append(
            BacklogLine(
                district=names.get(r.district_code, r.district_code),
                school=r.school,
                kind=r.kind,
                kind_label=_label(KIND_LABELS, r.kind),
                status=r.status,
                status_label=_label(STATUS_LABELS, r.status),
                count=r.count,
                oldest_submitted_at=r.oldest_submitted_at,
                oldest_days=max(0, (now - r.oldest_submitted_at).days),
                deadline=deadline,
                days_left=(deadline - today).days if deadline is not None else None,
            )
        )

    index = {day: i for i, day in enumerate(days)}
    per_day: dict[str, list[int]] = defaultdict(lambda: [0] * DAYS_SHOWN)
    by_outcome: dict[str, dict[str, int]] = defaultdict(dict)
    names_of: dict[str, str] = {}
    totals: dict[str, int] = defaultdict(int)
    for o in outcome_rows:
        names_of[o.reviewer_id] = o.reviewer
        by_outcome[o.reviewer_id][o.outcome] = o.count
        totals[o.outcome] += o.count
    for user_id, (name, _count) in holding.items():
        names_of.setdefault(user_id, name)
    for d in day_rows:
        names_of[d.reviewer_id] = d.reviewer
        if d.day in index:
            per_day[d.reviewer_id][index[d.day]] += d.count
    reviewers = sorted(
        (
            ReviewerLine(
                rid,
                names_of[rid],
                dict(by_outcome[rid]),
                tuple(per_day[rid]),
                holding.get(rid, ("", 0))[1],
                people.get(rid, _NOBODY).username,
                people.get(rid, _NOBODY).paused,
            )
            for rid in names_of
        ),
        key=lambda line: (-line.total, line.reviewer),
    )
    reasons: list[ReasonLine] = []
    for given in reason_rows:
        kind, wording = _kind_and_wording(given.code)
        reasons.append(ReasonLine(kind, given.code, wording, given.count))
    reasons.sort(key=lambda line: (-line.count, line.code))
    return DeskNumbers(
        as_of=now,
        days=days,
        backlog=tuple(backlog),
        reviewers=tuple(reviewers),
        reasons=tuple(reasons),
        median_claim_to_decision=median,
        conflicts=conflicts,
        quarantined=quarantined,
        outcomes={o: totals.get(o, 0) for o in OUTCOMES},
    )


BACKLOG_COLUMNS = (
    "区",
    "学校",
    "类型",
    "状态",
    "案件数",
    "最早提交",
    "等待天数",
    "审核截止",
    "剩余天数",
)


def backlog_rows(numbers: DeskNumbers) -> list[list[object]]:
    """The backlog as the desk's table shows it, one list per group (times in China time,
    without a zone: what a spreadsheet shows)."""
    return [
        [
            line.district,
            line.school,
            line.kind_label,
            line.status_label,
            line.count,
            line.oldest_submitted_at.astimezone(CHINA_TZ).replace(tzinfo=None),
            line.oldest_days,
            line.deadline,
            line.days_left,
        ]
        for line in numbers.backlog
    ]


def export_backlog(numbers: DeskNumbers, path: Path) -> int:
    """Write the backlog the desk shows to ``path`` (.xlsx or .csv, by its extension).
    Returns the number of groups written. (The backlog names no person: nothing to
    journal.)"""
    return write_sheet(
        path,
        "积压",
        BACKLOG_COLUMNS,
        backlog_rows(numbers),
        {5: "yyyy-mm-dd hh:mm", 7: "yyyy-mm-dd"},
    )
