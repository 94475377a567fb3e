"""抽查 (QA sampling) at the arbiter: the draw, a verdict, a settlement.

The same operations as the ``rd_qa_*`` functions (``reviewdb/sql/qa.sql``), in Python on a
session of the store that decides (standalone: the local store; a central SQLite file):
:class:`reviewdb.central.PythonOps` calls them. Both sides draw with the same arithmetic,
so a recorded seed reproduces a draw wherever it ran:

- an approval is chosen iff the first 8 bytes of ``sha256(seed + "\\x1f" + decision id)``,
  read as an unsigned big-endian number ``u``, satisfy ``u * 10000 < points * 2**64``,
  where ``points`` is the kind's percentage in hundredths (rounded half up): exact integer
  arithmetic, no floating point to disagree on;
- its checker is ``pool[v % len(pool)]`` with ``v`` the next 8 bytes and ``pool`` the
  district's enabled, unpaused reviewers other than the approver, sorted by id (code
  point order; PostgreSQL sorts with ``COLLATE "C"``); when there is no such reviewer
  (a district with one), its supervisors other than the approver, the same way; nobody
  either: unassigned.

Which percentage applies: the supervisor's override for a kind, else the published rules
of the case's city/year (``qa_sample_percent``) once rules are published, else what the
workstation sent for that city/year (``fallback``), else the default.

Journal entries are the caller's (the workflow journals what the arbiter answered).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewdb import arbiter, changes
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.journal import store_now
from reviewdb.models import (
    Application,
    Case,
    Decision,
    QaDraw,
    QaSample,
    Setting,
    User,
    UserDistrict,
)

KINDS = ("guardianship", "rural_house", "kinship")
DEFAULT_PERCENT = 5.0  # a kind no policy names
MAX_COMMENT = 2000  # characters: a verdict's reasons, not a document
MAX_SEED = 128
_SCALE = 2**64
_FALLBACK_DEFAULT = ""  # the fallback's key for "any city/year"


# --- the draw's arithmetic ------------------------------------------------------------


def _digest(seed: str, decision_id: str) -> bytes:
    # A separator no seed or uuid contains keeps ("ab", "c") and ("a", "bc") apart.
    return hashlib.sha256(f"{seed}\x1f{decision_id}".encode()).digest()


def points(percent: float) -> int:
    """A percentage in hundredths of a percent, rounded half up (5 -> 500, 2.345 -> 235)."""
    return int(Decimal(repr(float(percent))).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)


def chosen(seed: str, decision_id: str, percent: float) -> bool:
    """Whether the draw with ``seed`` takes this approval at ``percent`` (0..100)."""
    share = int.from_bytes(_digest(seed, decision_id)[:8], "big")
    return share * 10000 < points(percent) * _SCALE


def assignee(
    seed: str, decision_id: str, approver_id: str, reviewer_ids: Sequence[str]
) -> str | None:
    """The reviewer who checks this approval: one of ``reviewer_ids`` other than the
    approver, picked by the hash (None when there is nobody else)."""
    pool = sorted(r for r in set(reviewer_ids) if r != approver_id)
    if not pool:
        return None
    return pool[int.from_bytes(_digest(seed, decision_id)[8:16], "big") % len(pool)]


# --- what the arbiter answers -----------------------------------------------------------


@dataclass(frozen=True)
class DistrictDraw:
    """One district's draw (one ``qa_draws`` row)."""

    draw_id: str
    district: str
    considered: int
    drawn: tuple[str, ...]  # decision ids
    drawn_cases: tuple[str, ...]  # their case numbers, in the same order
    unassigned: tuple[str, ...]  # case numbers drawn with nobody to check them
    percents: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class DrawOutcome:
    seed: str
    draws: tuple[DistrictDraw, ...]

    @staticmethod
    def from_json(seed: str, raw: str | Mapping[str, Any]) -> DrawOutcome:
        data = json.loads(raw) if isinstance(raw, str) else raw
        return DrawOutcome(
            seed,
            tuple(
                DistrictDraw(
                    str(d["id"]),
                    str(d["district"]),
                    int(d["considered"]),
                    tuple(d["drawn"]),
                    tuple(d["drawn_cases"]),
                    tuple(d["unassigned"]),
                    {k: {kk: float(vv) for kk, vv in v.items()} for k, v in d["percents"].items()},
                )
                for d in data["draws"]
            ),
        )


# --- checks both sides make --------------------------------------------------------------


def check_seed(seed: str) -> str:
    if not seed or not seed.strip():
        raise ArbiterRefusal("seed", "the seed is empty")
    if len(seed) > MAX_SEED:
        raise ArbiterRefusal("seed", f"the seed has {len(seed):,} characters; at most {MAX_SEED}")
    if not seed.isprintable():
        raise ArbiterRefusal("seed", "the seed holds control characters; use letters and digits")
    return seed


def check_shares(shares: Mapping[str, Any], what: str) -> dict[str, float]:
    """kind -> 0..100, every kind known."""
    out: dict[str, float] = {}
    for kind, value in shares.items():
        if kind not in KINDS:
            raise ArbiterRefusal("percent", f"{what}: unknown case kind {kind!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArbiterRefusal("percent", f"{what}: {kind}: {value!r} is not a number")
        number = float(value)
        if not 0 <= number <= 100:  # NaN and infinities fail this too
            raise ArbiterRefusal(
                "percent", f"{what}: {kind}: {value} is not a percentage (0 to 100)"
            )
        out[kind] = number
    return out


def check_comment(comment: str | None, *, required: bool) -> str | None:
    """A verdict's comment: stripped, None when blank; refused when required and blank."""
    if comment is not None and "\x00" in comment:
        raise ArbiterRefusal("text", "the comment holds a NUL character", field="comment")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise ArbiterRefusal(
            "text_too_long",
            f"comment: {len(comment):,} characters; at most {MAX_COMMENT:,}",
            field="comment",
        )
    comment = comment.strip() if comment and comment.strip() else None
    if required and comment is None:
        raise ArbiterRefusal("comment_required", "a disagreement needs a comment saying why")
    return comment


# --- the operations ------------------------------------------------------------------------


def _published_shares(
    session: Session, city: str, year: int | None
) -> tuple[str, dict[str, float]] | None:
    """The published rules' (policy id, shares) for a city/year; None when not published."""
    if session.get(Setting, "rules.limits") is None:
        return None
    row = session.get(Setting, f"rules.{city}.{year}") if year is not None else None
    rules = json.loads(row.value) if row is not None else {}
    shares = rules.get("qa_sample_percent") or {}
    return str(rules.get("policy_id") or "default"), {k: float(v) for k, v in shares.items()}


def draw(
    session: Session,
    drawer_id: str,
    districts: Iterable[str] | None,
    seed: str,
    override: Mapping[str, Any],
    fallback: Mapping[str, Mapping[str, Any]],
) -> DrawOutcome:
    """Draw in ``districts`` (None: every district of the store).

    ``fallback``: ``"city.year"`` (and ``""`` for anything else) -> ``{"policy_id",
    "percents"}``, what the drawer's workstation holds; used only while the store has not
    published rules. Each approval is weighed by exactly one draw of its district: those
    whose change number lies above the previous draw's ``through_seq``.
    """
    seed = check_seed(seed)
    override = check_shares(override, "override")
    # Taken first, held until commit: every transaction with a lower change number has
    # committed (and is seen below), none can commit a lower one while this draw runs.
    through = changes.next_value(session)
    now = store_now(session)
    if districts is None:
        districts = session.scalars(select(Case.district_code).distinct())
    known: dict[tuple[str, int | None], tuple[str, dict[str, float]]] = {}

    def shares_for(city: str, year: int | None) -> tuple[str, dict[str, float]]:
        if (city, year) not in known:
            found = _published_shares(session, city, year)
            if found is None:
                raw = fallback.get(f"{city}.{year}") or fallback.get(_FALLBACK_DEFAULT) or {}
                found = (
                    str(raw.get("policy_id") or "default"),
                    check_shares(raw.get("percents") or {}, "fallback"),
                )
            known[(city, year)] = found
        return known[(city, year)]

    draws: list[DistrictDraw] = []
    for district in sorted(set(districts)):
        after = session.scalar(
            select(func.max(QaDraw.through_seq)).where(QaDraw.district_code == district)
        )
        window = Decision.change_seq < through
        window = (
            window & (Decision.change_seq > after)
            if after is not None
            else window | Decision.change_seq.is_(None)
        )
        rows = session.execute(
            select(
                Decision.id,
                Decision.reviewer_id,
                Case.id,
                Case.case_no,
                Case.kind,
                Application.city,
                Case.admission_year,
            )
            .join(Case, Case.id == Decision.case_id)
            .join(Application, Application.id == Case.application_id)
            .where(
                Case.district_code == district,
                Case.status == "approved",
                Decision.effective.is_(True),
                Decision.outcome == "approve",
                Decision.id.not_in(select(QaSample.decision_id)),
                window,
            )
            .order_by(Decision.id)
        ).all()
        checkers: dict[str, list[str]] = {"reviewer": [], "supervisor": []}
        for user_id, role in session.execute(
            select(User.id, User.role)
            .join(UserDistrict, UserDistrict.user_id == User.id)
            .where(
                UserDistrict.district_code == district,
                User.role.in_(("reviewer", "supervisor")),
                User.disabled.is_(False),
                User.paused_at.is_(None),
            )
        ):
            checkers[role].append(user_id)
        draw_id = str(uuid.uuid4())
        percents: dict[str, dict[str, float]] = {}
        samples: list[QaSample] = []
        cases: list[str] = []
        lacking: list[str] = []
        for decision_id, approver, case_id, case_no, kind, city, year in rows:
            policy_id, shares = shares_for(city, year)
            used = {**{k: shares.get(k, DEFAULT_PERCENT) for k in KINDS}, **override}
            percents[policy_id] = used
            if not chosen(seed, decision_id, used[kind]):
                continue
            who = assignee(seed, decision_id, approver, checkers["reviewer"])
            if who is None:  # nobody else reviews here: a supervisor of the district checks
                who = assignee(seed, decision_id, approver, checkers["supervisor"])
            if who is None:
                lacking.append(case_no)
            cases.append(case_no)
            samples.append(
                QaSample(
                    decision_id=decision_id,
                    case_id=case_id,
                    draw_id=draw_id,
                    reviewer_id=approver,
                    assigned_to=who,
                    change_seq=through,
                )
            )
        session.add(
            QaDraw(
                id=draw_id,
                seed=seed,
                drawn_at=now,
                drawn_by=drawer_id,
                district_code=district,
                percents=percents or ({"override": override} if override else {}),
                considered=len(rows),
                drawn=len(samples),
                unassigned=len(lacking),
                through_seq=through,
                change_seq=through,
            )
        )
        session.flush()  # the draw row before its samples (their foreign key)
        session.add_all(samples)
        session.flush()
        draws.append(
            DistrictDraw(
                draw_id,
                district,
                len(rows),
                tuple(x.decision_id for x in samples),
                tuple(cases),
                tuple(lacking),
                percents,
            )
        )
    return DrawOutcome(seed, tuple(draws))


def _sample(session: Session, decision_id: str) -> QaSample:
    sample = session.get(QaSample, decision_id, populate_existing=True)
    if sample is None:
        raise ArbiterRefusal("no_sample", f"decision {decision_id} was not drawn for 抽查")
    return sample


def _standing(session: Session, decision_id: str) -> bool:
    return bool(
        session.scalar(select(Decision.effective).where(Decision.id == decision_id)) or False
    )


def verdict(
    session: Session, user_id: str, decision_id: str, agree: bool, comment: str | None
) -> dt.datetime:
    """The assignee's verdict on a sampled approval (a disagreement needs a comment)."""
    comment = check_comment(comment, required=not agree)
    sample = _sample(session, decision_id)
    if sample.assigned_to != user_id:
        raise ArbiterRefusal("not_assignee", "this 抽查 sample is not assigned to you")
    if sample.verdict is not None:
        raise ArbiterRefusal(
            "verdict_given",
            f"the verdict ({sample.verdict}) is already recorded",
            verdict=sample.verdict,
        )
    if not _standing(session, decision_id):
        raise ArbiterRefusal("not_standing", "the sampled approval no longer stands")
    sample.verdict = "agree" if agree else "disagree"
    sample.comment = comment
    sample.verdict_at = store_now(session)
    changes.stamp(session, [sample])
    return sample.verdict_at


def _settleable(session: Session, supervisor_id: str, decision_id: str) -> QaSample:
    sample = _sample(session, decision_id)
    if sample.verdict != "disagree":
        raise ArbiterRefusal("no_disagreement", "no 抽查 disagreement to settle")
    if sample.settlement is not None:
        raise ArbiterRefusal(
            "settled",
            f"this disagreement was already {sample.settlement}",
            settlement=sample.settlement,
        )
    if sample.reviewer_id == supervisor_id:
        raise ArbiterRefusal(
            "four_eyes", "four-eyes: you cannot settle a 抽查 sample of your own approval"
        )
    return sample


def uphold(session: Session, supervisor_id: str, decision_id: str) -> dt.datetime:
    """A supervisor keeps the disputed approval."""
    sample = _settleable(session, supervisor_id, decision_id)
    now = store_now(session)
    sample.settled_by = supervisor_id
    sample.settled_at = now
    sample.settlement = "upheld"
    changes.stamp(session, [sample])
    return now


def overturn(session: Session, decision_id: str, rec: DecisionRecord) -> str:
    """A supervisor replaces the disputed approval with ``rec`` (a rejection or a return):
    the workflow's one supersede path, shared with conflict resolution. Returns the new
    decision's state."""
    existing = session.get(Decision, rec.decision_id)
    if existing is not None:  # the same overturn sent again
        sample = _sample(session, decision_id)
        if sample.overturned_by == rec.decision_id:
            return existing.state
        raise ArbiterRefusal(
            "id_reused", f"decision {rec.decision_id} arrived twice with different content"
        )
    if rec.outcome not in ("reject", "return"):
        raise ArbiterRefusal(
            "outcome", "overturning an approval needs a rejection or a return; to keep it, uphold"
        )
    sample = _settleable(session, rec.reviewer_id, decision_id)
    if sample.case_id != rec.case_id:
        raise ArbiterRefusal("state", f"decision {decision_id} is not on this case")
    sample.settled_by = rec.reviewer_id
    sample.settled_at = store_now(session)
    sample.settlement = "overturned"
    row = arbiter.overturn(session, decision_id, rec, also=(sample,))
    sample.overturned_by = row.id  # once the decision row is there
    session.flush()
    return row.state
