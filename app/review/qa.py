"""QA sampling (抽查): a share of each reviewer's approvals goes to another reviewer.

A supervisor *draws* for their districts. Every standing approval not weighed by an
earlier draw of its district is chosen iff ``sha256(seed, decision id)`` falls under its
kind's percentage (the policy's ``qa_sample_percent``, or the supervisor's override), so
a recorded seed reproduces the draw on any machine. A chosen approval is assigned, from
the same hash, to a reviewer of the case's district who is not the approver (none: left
unassigned and reported). The assignee agrees or disagrees (with a comment); a
disagreement waits for a supervisor, who upholds the approval or overturns it with a
decision of their own — the workflow's one supersede path (``arbiter.overturn``, shared
with conflict resolution), never an edit.

Standalone stores only: with a central store the draw and the verdicts would have to be
arbitrated centrally, and the facade refuses (:meth:`app.workbench.Workbench.qa_draw`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import Actor
from app.domain import DEFAULT_QA_PERCENT, CaseKind
from app.policy.loader import PolicyError, policy_for
from app.review.errors import WorkflowError, refused
from app.review.sheets import write_sheet
from app.review.workflow import (
    DecisionInput,
    Workflow,
    find_case,
    refuse_nul,
    supervisor_record,
)
from reviewdb import arbiter, changes, journal
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Case,
    Decision,
    QaDraw,
    QaSample,
    School,
    User,
    UserDistrict,
)

MAX_COMMENT = 2000  # characters: a verdict's reasons, not a document
MAX_SEED = 128
_SCALE = 2**64


# --- the draw itself: pure functions over (seed, decision id) ------------------------


def _digest(seed: str, decision_id: str) -> bytes:
    # A separator no seed or uuid contains keeps ("ab", "c") and ("a", "bc") apart.
    return hashlib.sha256(f"{seed}\x1f{decision_id}".encode()).digest()


def chosen(seed: str, decision_id: str, percent: float) -> bool:
    """Whether the draw with ``seed`` takes this approval at ``percent`` (0..100)."""
    share = int.from_bytes(_digest(seed, decision_id)[:8], "big") / _SCALE  # [0, 1)
    return share * 100 < percent


def assignee(
    seed: str, decision_id: str, approver_id: str, reviewer_ids: Sequence[str]
) -> str | None:
    """The reviewer who checks this approval: one of ``reviewer_ids`` other than the
    approver, picked by the hash (None when there is nobody else)."""
    pool = sorted(r for r in set(reviewer_ids) if r != approver_id)
    if not pool:
        return None
    return pool[int.from_bytes(_digest(seed, decision_id)[8:16], "big") % len(pool)]


# --- values handed to the front-ends -------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    """What a draw did, over all the supervisor's districts (one ``qa_draws`` row each)."""

    seed: str
    draw_ids: tuple[str, ...]
    considered: int
    drawn: tuple[str, ...]  # case numbers
    unassigned: tuple[str, ...]  # case numbers drawn with no other reviewer to check them
    percents: dict[str, dict[str, float]]  # policy id -> kind -> percent used


@dataclass(frozen=True)
class SampleView:
    """One sampled approval as the 抽查 window lists it."""

    decision_id: str
    case_id: str
    case_no: str
    kind: str
    school: str
    approver: str
    approved_at: dt.datetime
    assigned_to: str | None
    verdict: str | None
    comment: str | None
    verdict_at: dt.datetime | None


@dataclass(frozen=True)
class ReportLine:
    """One approver's 抽查 record."""

    reviewer_id: str
    reviewer: str
    approvals: int
    sampled: int
    verdicts: int
    agreed: int
    disagreed: int
    overturned: int

    @property
    def disagreement_rate(self) -> float | None:
        """Disagreements among the verdicts given (None before any verdict)."""
        return self.disagreed / self.verdicts if self.verdicts else None


@dataclass(frozen=True)
class SettleResult:
    case_no: str
    settlement: str  # upheld | overturned
    case_status: str
    decision_id: str | None  # the supervisor's decision, when overturned


# --- checks --------------------------------------------------------------------------


def _supervising(actor: Actor, what: str) -> None:
    if actor.role not in ("supervisor", "admin"):
        raise WorkflowError("role", f"{what} is for supervisors and admins; you are a reviewer")


def scope_of(actor: Actor) -> tuple[str, ...] | None:
    """The districts a supervisor or admin works on (None: an admin with none, every one)."""
    if actor.role == "admin" and not actor.districts:
        return None
    return actor.districts


def _check_text(field_name: str, text: str | None) -> None:
    refuse_nul(field_name, text)
    if text is not None and len(text) > MAX_COMMENT:
        raise WorkflowError(
            "text_too_long",
            f"{field_name}: {len(text):,} characters; at most {MAX_COMMENT:,}",
            field=field_name,
        )


def check_seed(seed: str) -> str:
    if not seed or not seed.strip():
        raise WorkflowError("seed", "the seed is empty")
    if len(seed) > MAX_SEED:
        raise WorkflowError("seed", f"the seed has {len(seed):,} characters; at most {MAX_SEED}")
    if not seed.isprintable():
        raise WorkflowError("seed", "the seed holds control characters; use letters and digits")
    return seed


def check_percent(percent: Mapping[str, float] | None) -> dict[str, float]:
    """A supervisor's override, kind -> 0..100 (kinds not named keep the policy's share)."""
    out: dict[str, float] = {}
    for kind, value in (percent or {}).items():
        if kind not in {k.value for k in CaseKind}:
            raise WorkflowError("percent", f"unknown case kind {kind!r}")
        number = float(value)
        if not math.isfinite(number) or not 0 <= number <= 100:
            raise WorkflowError("percent", f"{kind}: {value} is not a percentage (0 to 100)")
        out[kind] = number
    return out


def _journal(
    s: Session, actor: Actor, action: str, case: tuple[str, str] | None, **payload: Any
) -> None:
    journal.append(
        s,
        action=action,
        actor=actor.username,
        workstation=actor.workstation,
        case_id=case[0] if case else None,
        payload={"case_no": case[1], **payload} if case else payload,
    )


# --- policy ---------------------------------------------------------------------------


def _policy_percents(city: str, year: int | None) -> tuple[str, dict[str, float]]:
    if year is not None:
        try:
            policy = policy_for(city, year)
        except PolicyError:
            pass
        else:
            return policy.policy_id, {k.value: v for k, v in policy.qa_sample_percent.items()}
    return "default", {k.value: DEFAULT_QA_PERCENT for k in CaseKind}


def default_percents(store: Store, actor: Actor) -> dict[str, float]:
    """The shares a draw would use now (the newest season's policy in the actor's
    districts; the default where there is none): what the draw form starts from."""
    _supervising(actor, "抽查")
    scope = scope_of(actor)
    with store.read() as s:
        stmt = (
            select(Application.city, Case.admission_year)
            .join(Application, Application.id == Case.application_id)
            .order_by(Case.admission_year.desc().nulls_last())
            .limit(1)
        )
        if scope is not None:
            stmt = stmt.where(Case.district_code.in_(scope))
        row = s.execute(stmt).first()
    return _policy_percents(row[0], row[1])[1] if row else _policy_percents("", None)[1]


# --- draw -------------------------------------------------------------------------------


def draw(
    store: Store,
    actor: Actor,
    seed: str | None = None,
    percent: Mapping[str, float] | None = None,
) -> DrawResult:
    """Draw 抽查 samples from the standing approvals of the actor's districts."""
    _supervising(actor, "drawing 抽查 samples")
    override = check_percent(percent)
    seed = check_seed(seed) if seed is not None else secrets.token_hex(16)
    scope = scope_of(actor)
    with store.write() as s:
        # Taken first, held until commit: every transaction with a lower change number has
        # committed (and is seen below), none can commit a lower one while this draw runs.
        through = changes.next_value(s)
        now = journal.store_now(s)
        districts = (
            list(scope)
            if scope is not None
            else list(s.scalars(select(Case.district_code).distinct()))
        )
        draw_ids: list[str] = []
        considered = 0
        drawn: list[str] = []
        unassigned: list[str] = []
        used: dict[str, dict[str, float]] = {}
        for district in sorted(districts):
            after = s.scalar(
                select(func.max(QaDraw.through_seq)).where(QaDraw.district_code == district)
            )
            window = Decision.change_seq < through
            if after is not None:
                window = window & (Decision.change_seq > after)
            rows = s.execute(
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
                    window if after is not None else (window | Decision.change_seq.is_(None)),
                )
                .order_by(Decision.id)
            ).all()
            reviewers = list(
                s.scalars(
                    select(User.id)
                    .join(UserDistrict, UserDistrict.user_id == User.id)
                    .where(
                        UserDistrict.district_code == district,
                        User.role == "reviewer",
                        User.disabled.is_(False),
                    )
                )
            )
            draw_id = str(uuid.uuid4())
            percents: dict[str, dict[str, float]] = {}
            samples: list[QaSample] = []
            lacking: list[str] = []
            for decision_id, approver, case_id, case_no, kind, city, year in rows:
                policy_id, shares = _policy_percents(city, year)
                shares = {**shares, **override}
                percents[policy_id] = shares
                if not chosen(seed, decision_id, shares[kind]):
                    continue
                who = assignee(seed, decision_id, approver, reviewers)
                if who is None:
                    lacking.append(case_no)
                drawn.append(case_no)
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
            s.add(
                QaDraw(
                    id=draw_id,
                    seed=seed,
                    drawn_at=now,
                    drawn_by=actor.user_id,
                    district_code=district,
                    percents=percents or ({"override": override} if override else {}),
                    considered=len(rows),
                    drawn=len(samples),
                    unassigned=len(lacking),
                    through_seq=through,
                    change_seq=through,
                )
            )
            s.flush()  # the draw row before its samples (their foreign key)
            s.add_all(samples)
            s.flush()
            _journal(
                s,
                actor,
                "qa_draw",
                None,
                draw_id=draw_id,
                district=district,
                seed=seed,
                percents=percents,
                override=override,
                considered=len(rows),
                drawn=[x.decision_id for x in samples],
                unassigned=lacking,
            )
            draw_ids.append(draw_id)
            considered += len(rows)
            unassigned.extend(lacking)
            for policy_id, shares in percents.items():
                used[policy_id] = shares
    return DrawResult(
        seed=seed,
        draw_ids=tuple(draw_ids),
        considered=considered,
        drawn=tuple(drawn),
        unassigned=tuple(unassigned),
        percents=used,
    )


# --- listing ---------------------------------------------------------------------------


def _views(s: Session, *where: Any) -> list[SampleView]:
    approver = select(User.username).where(User.id == QaSample.reviewer_id).scalar_subquery()
    checker = select(User.username).where(User.id == QaSample.assigned_to).scalar_subquery()
    rows = s.execute(
        select(
            QaSample.decision_id,
            Case.id,
            Case.case_no,
            Case.kind,
            School.name,
            approver,
            Decision.store_time,
            checker,
            QaSample.verdict,
            QaSample.comment,
            QaSample.verdict_at,
        )
        .join(Case, Case.id == QaSample.case_id)
        .join(School, School.id == Case.school_id)
        .join(Decision, Decision.id == QaSample.decision_id)
        .where(*where)
        .order_by(Decision.store_time, Case.case_no)
    ).all()
    return [SampleView(*row) for row in rows]


def my_samples(store: Store, actor: Actor) -> list[SampleView]:
    """The actor's 抽查 queue: approvals assigned to them, still standing, no verdict yet."""
    with store.read() as s:
        return _views(
            s,
            QaSample.assigned_to == actor.user_id,
            QaSample.verdict.is_(None),
            Decision.effective.is_(True),
            Case.district_code.in_(actor.districts),
        )


def disagreements(store: Store, actor: Actor) -> list[SampleView]:
    """Disagreements waiting for a supervisor in the actor's districts."""
    _supervising(actor, "settling 抽查 disagreements")
    scope = scope_of(actor)
    with store.read() as s:
        return _views(
            s,
            QaSample.verdict == "disagree",
            QaSample.settlement.is_(None),
            *([Case.district_code.in_(scope)] if scope is not None else []),
        )


def _sample(s: Session, actor: Actor, ref: str) -> tuple[QaSample, tuple[str, str]]:
    """The sample ``ref`` names (a decision id, or a case number or id: its newest sample),
    within the actor's districts."""
    sample = s.get(QaSample, ref)
    if sample is None:
        case = find_case(s, actor, ref)
        sample = s.scalars(
            select(QaSample)
            .join(Decision, Decision.id == QaSample.decision_id)
            .where(QaSample.case_id == case.id)
            .order_by(Decision.effective.desc(), Decision.store_time.desc())
        ).first()
        if sample is None:
            raise WorkflowError("no_sample", f"{case.case_no} was not drawn for 抽查")
        return sample, (case.id, case.case_no)
    case = find_case(s, actor, sample.case_id)
    return sample, (case.id, case.case_no)


# --- verdicts and settlements -------------------------------------------------------------


def give_verdict(
    store: Store, actor: Actor, ref: str, agree: bool, comment: str | None = None
) -> SampleView:
    """The assignee's verdict on a sampled approval; a disagreement needs a comment."""
    _check_text("comment", comment)
    comment = comment.strip() if comment and comment.strip() else None
    if not agree and comment is None:
        raise WorkflowError("comment_required", "a disagreement needs a comment saying why")
    with store.write() as s:
        sample, case = _sample(s, actor, ref)
        if sample.assigned_to != actor.user_id:
            raise WorkflowError(
                "not_assignee", f"{case[1]}: this 抽查 sample is not assigned to you"
            )
        if sample.verdict is not None:
            raise WorkflowError(
                "verdict_given", f"{case[1]}: your verdict ({sample.verdict}) is already recorded"
            )
        standing = s.get(Decision, sample.decision_id)
        if standing is None or not standing.effective:
            raise WorkflowError("not_standing", f"{case[1]}: the sampled approval no longer stands")
        sample.verdict = "agree" if agree else "disagree"
        sample.comment = comment
        sample.verdict_at = journal.store_now(s)
        _journal(
            s,
            actor,
            "qa_verdict",
            case,
            decision_id=sample.decision_id,
            verdict=sample.verdict,
            **({"comment": comment} if comment else {}),
        )
        changes.stamp(s, [sample])
        decision_id = sample.decision_id
    with store.read() as s:
        return _views(s, QaSample.decision_id == decision_id)[0]


def settle(
    workflow: Workflow,
    actor: Actor,
    ref: str,
    *,
    overturn: bool,
    decision: DecisionInput | None = None,
    comment: str | None = None,
) -> SettleResult:
    """A supervisor settles a disagreement: upholds the approval, or overturns it with
    ``decision`` (a rejection or a return), which supersedes the approval."""
    if not actor.can_supervise:
        raise WorkflowError("role", "settling a 抽查 disagreement needs a supervisor")
    _check_text("comment", comment)
    if overturn and decision is None:
        raise WorkflowError("decision_required", "overturning needs the decision that replaces it")
    if overturn and decision is not None and decision.outcome == "approve":
        raise WorkflowError(
            "outcome", "overturning an approval needs a rejection or a return; to keep it, uphold"
        )
    if not overturn and decision is not None:
        raise WorkflowError("decision_unexpected", "upholding keeps the approval: no decision")
    try:
        with workflow.store.write() as s:
            sample, case = _sample(s, actor, ref)
            if sample.verdict != "disagree":
                raise WorkflowError("no_disagreement", f"{case[1]}: no 抽查 disagreement to settle")
            if sample.settlement is not None:
                raise WorkflowError(
                    "settled", f"{case[1]}: this disagreement was already {sample.settlement}"
                )
            if sample.reviewer_id == actor.user_id:
                raise WorkflowError(
                    "four_eyes", "four-eyes: you cannot settle a 抽查 sample of your own approval"
                )
            now = journal.store_now(s)
            sample.settled_by = actor.user_id
            sample.settled_at = now
            sample.settlement = "overturned" if overturn else "upheld"
            new_id: str | None = None
            if overturn:
                assert decision is not None
                ref_case = find_case(s, actor, case[0])
                workflow.validate(ref_case, workflow.checklist(ref_case), decision)
                approval = s.get(Decision, sample.decision_id)
                assert approval is not None
                rec = supervisor_record(actor, ref_case, approval.round_no, decision)
                new_id = rec.decision_id
                arbiter.overturn(s, sample.decision_id, rec, also=(sample,))
                sample.overturned_by = new_id  # once the decision row is there
            else:
                changes.stamp(s, [sample])
            _journal(
                s,
                actor,
                "qa_settle",
                case,
                decision_id=sample.decision_id,
                settlement=sample.settlement,
                **({"new_decision_id": new_id, "outcome": decision.outcome} if decision else {}),
                **({"comment": comment} if comment else {}),
            )
            status = s.scalar(
                select(Case.status)
                .where(Case.id == case[0])
                .execution_options(populate_existing=True)
            )
            return SettleResult(case[1], sample.settlement, str(status), new_id)
    except ArbiterRefusal as exc:
        raise refused(exc) from exc


# --- report ------------------------------------------------------------------------------


def qa_report(store: Store, actor: Actor) -> list[ReportLine]:
    """Per approver in the actor's districts: approvals, samples, verdicts, overturns."""
    _supervising(actor, "the 抽查 report")
    scope = scope_of(actor)
    in_scope = [Case.district_code.in_(scope)] if scope is not None else []
    with store.read() as s:
        approvals: dict[str, int] = defaultdict(int)
        for reviewer_id, count in s.execute(
            select(Decision.reviewer_id, func.count())
            .join(Case, Case.id == Decision.case_id)
            .where(
                Decision.effective.is_(True),
                Decision.outcome == "approve",
                Case.status == "approved",
                *in_scope,
            )
            .group_by(Decision.reviewer_id)
        ):
            approvals[reviewer_id] += count
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for reviewer_id, verdict, settlement, count in s.execute(
            select(QaSample.reviewer_id, QaSample.verdict, QaSample.settlement, func.count())
            .join(Case, Case.id == QaSample.case_id)
            .where(*in_scope)
            .group_by(QaSample.reviewer_id, QaSample.verdict, QaSample.settlement)
        ):
            line = stats[reviewer_id]
            line[0] += count
            line[1] += count if verdict is not None else 0
            line[2] += count if verdict == "agree" else 0
            line[3] += count if verdict == "disagree" else 0
            line[4] += count if settlement == "overturned" else 0
            # An overturned approval no longer stands, but it was one.
            approvals[reviewer_id] += count if settlement == "overturned" else 0
        ids = set(approvals) | set(stats)
        names = dict(s.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    lines = [
        ReportLine(rid, names.get(rid, rid), approvals.get(rid, 0), *stats.get(rid, [0] * 5))
        for rid in ids
    ]
    return sorted(lines, key=lambda line: line.reviewer)


REPORT_COLUMNS = ("审核人", "通过", "被抽查", "已复查", "同意", "不同意", "分歧率", "被改判")


def export_report(lines: Sequence[ReportLine], path: Path) -> int:
    """The 抽查 report per reviewer to ``path`` (.xlsx or .csv), the disagreement rate as a
    share (a percentage in Excel). Returns the number of reviewers written."""
    rows = [
        [
            line.reviewer,
            line.approvals,
            line.sampled,
            line.verdicts,
            line.agreed,
            line.disagreed,
            line.disagreement_rate,
            line.overturned,
        ]
        for line in lines
    ]
    return write_sheet(path, "抽查报告", REPORT_COLUMNS, rows, {6: "0.0%"})
