"""QA sampling (抽查): a share of each reviewer's approvals goes to another reviewer.

A supervisor *draws* for their districts. Every standing approval not weighed by an
earlier draw of its district is chosen iff ``sha256(seed, decision id)`` falls under its
kind's percentage (the policy's ``qa_sample_percent``, or the supervisor's override), so
a recorded seed reproduces the draw on any machine (:mod:`reviewdb.qa` has the arithmetic).
A chosen approval is assigned, from the same hash, to a reviewer of the case's district
who is not the approver (none: left unassigned and reported). The assignee agrees or
disagrees (with a comment); a disagreement waits for a supervisor, who upholds the
approval or overturns it with a decision of their own — the workflow's one supersede path
(shared with conflict resolution), never an edit.

The draw, the verdicts and the settlements are arbitrated like claims
(:meth:`app.review.arbitration.Arbitration.run`): by this store when it stands alone, by
the central store otherwise (``rd_qa_*`` on PostgreSQL, :class:`reviewdb.central.PythonOps`
on a central SQLite file), which reads the districts, the published shares and who may do
what itself. The lists and the report read the local store, where sync brings the draws and
samples of the workstation's districts.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import Actor
from app.domain import DEFAULT_QA_PERCENT, CaseKind
from app.policy.loader import PolicyError, load_policies, policy_for
from app.review.errors import WorkflowError, refused
from app.review.sheets import write_sheet
from app.review.workflow import (
    DecisionInput,
    Workflow,
    find_case,
    refuse_nul,
    supervisor_record,
)
from reviewdb import journal
from reviewdb import qa as arbiter_qa
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central import CentralOps
from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Case,
    Decision,
    QaSample,
    School,
    User,
)
from reviewdb.qa import DrawOutcome, assignee, chosen

__all__ = ["assignee", "chosen"]  # the draw's arithmetic, for those who check a draw

MAX_COMMENT = arbiter_qa.MAX_COMMENT
MAX_SEED = arbiter_qa.MAX_SEED


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


@dataclass(frozen=True)
class _Target:
    """What ``check`` hands the arbiter: the sample (its approval's id) and, for the mirror,
    the case to bring down afterwards (None: only 抽查 changed)."""

    decision_id: str | None = None
    case: tuple[str, str] | None = None
    case_id: str | None = None
    rec: DecisionRecord | None = None


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
    try:
        return arbiter_qa.check_seed(seed)
    except ArbiterRefusal as exc:
        raise refused(exc) from exc


def check_percent(percent: Mapping[str, Any] | None) -> dict[str, float]:
    """A supervisor's override, kind -> 0..100 (kinds not named keep the policy's share)."""
    numbers: dict[str, float] = {}
    for kind, value in (percent or {}).items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise WorkflowError(
                "percent", f"{kind}: {str(value)[:40]!r} is not a percentage (0 to 100)"
            ) from None
        numbers[kind] = number  # NaN and infinities are refused by check_shares
    try:
        return arbiter_qa.check_shares(numbers, "percent")
    except ArbiterRefusal as exc:
        raise refused(exc) from exc


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


def _fallback() -> dict[str, dict[str, Any]]:
    """The shares this workstation's policies set, per ``city.year`` (``""``: the default):
    what a store that never published its rules draws by."""
    out: dict[str, dict[str, Any]] = {
        "": {"policy_id": "default", "percents": {k.value: DEFAULT_QA_PERCENT for k in CaseKind}}
    }
    try:
        policies = load_policies()
    except PolicyError:
        return out
    for (city, year), policy in policies.items():
        out[f"{city}.{year}"] = {
            "policy_id": policy.policy_id,
            "percents": {k.value: v for k, v in policy.qa_sample_percent.items()},
        }
    return out


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
    workflow: Workflow,
    actor: Actor,
    seed: str | None = None,
    percent: Mapping[str, float] | None = None,
) -> DrawResult:
    """Draw 抽查 samples from the standing approvals of the actor's districts."""
    _supervising(actor, "drawing 抽查 samples")
    override = check_percent(percent)
    seed = check_seed(seed) if seed is not None else secrets.token_hex(16)
    scope = scope_of(actor)
    fallback = _fallback()

    def act(ops: CentralOps, _target: _Target) -> DrawOutcome:
        return ops.qa_draw(actor.user_id, scope, seed, override, fallback)

    def record(s: Session, _target: _Target, outcome: DrawOutcome) -> DrawResult:
        used: dict[str, dict[str, float]] = {}
        for d in outcome.draws:
            _journal(
                s,
                actor,
                "qa_draw",
                None,
                draw_id=d.draw_id,
                district=d.district,
                seed=seed,
                percents=d.percents,
                override=override,
                considered=d.considered,
                drawn=list(d.drawn),
                unassigned=list(d.unassigned),
            )
            used.update(d.percents)
        return DrawResult(
            seed=seed,
            draw_ids=tuple(d.draw_id for d in outcome.draws),
            considered=sum(d.considered for d in outcome.draws),
            drawn=tuple(c for d in outcome.draws for c in d.drawn_cases),
            unassigned=tuple(c for d in outcome.draws for c in d.unassigned),
            percents=used,
        )

    return workflow.arbitration.run(
        lambda s: _Target(), act, record, what="drawing 抽查 samples", mirror="qa"
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
    workflow: Workflow, actor: Actor, ref: str, agree: bool, comment: str | None = None
) -> SampleView:
    """The assignee's verdict on a sampled approval; a disagreement needs a comment."""
    _check_text("comment", comment)
    comment = comment.strip() if comment and comment.strip() else None
    if not agree and comment is None:
        raise WorkflowError("comment_required", "a disagreement needs a comment saying why")
    verdict = "agree" if agree else "disagree"

    def check(s: Session) -> _Target:
        # What this store knows, said before the arbiter is asked (it checks again).
        sample, case = _sample(s, actor, ref)
        if sample.assigned_to != actor.user_id:
            raise WorkflowError(
                "not_assignee", f"{case[1]}: this 抽查 sample is not assigned to you"
            )
        if sample.verdict is not None:
            raise WorkflowError(
                "verdict_given", f"{case[1]}: your verdict ({sample.verdict}) is already recorded"
            )
        return _Target(sample.decision_id, case)

    def act(ops: CentralOps, target: _Target) -> dt.datetime:
        assert target.decision_id is not None
        return ops.qa_verdict(actor.user_id, target.decision_id, agree, comment)

    def record(s: Session, target: _Target, _at: dt.datetime) -> str:
        _journal(
            s,
            actor,
            "qa_verdict",
            target.case,
            decision_id=target.decision_id,
            verdict=verdict,
            **({"comment": comment} if comment else {}),
        )
        assert target.decision_id is not None
        return target.decision_id

    decision_id = workflow.arbitration.run(check, act, record, what="a 抽查 verdict", mirror="qa")
    with workflow.store.read() as s:
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
    settlement = "overturned" if overturn else "upheld"

    def check(s: Session) -> _Target:
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
        if decision is None:
            return _Target(sample.decision_id, case)
        ref_case = find_case(s, actor, case[0])
        workflow.validate(ref_case, workflow.checklist(ref_case), decision)
        approval = s.get(Decision, sample.decision_id)
        assert approval is not None
        rec = supervisor_record(actor, ref_case, approval.round_no, decision)
        return _Target(sample.decision_id, case, case[0], rec)

    def act(ops: CentralOps, target: _Target) -> str | None:
        assert target.decision_id is not None
        if target.rec is None:
            ops.qa_uphold(actor.user_id, target.decision_id)
            return None
        ops.qa_overturn(target.decision_id, target.rec)
        return target.rec.decision_id

    def record(s: Session, target: _Target, new_id: str | None) -> SettleResult:
        assert target.case is not None
        _journal(
            s,
            actor,
            "qa_settle",
            target.case,
            decision_id=target.decision_id,
            settlement=settlement,
            **({"new_decision_id": new_id, "outcome": decision.outcome} if decision else {}),
            **({"comment": comment} if comment else {}),
        )
        status = s.scalar(
            select(Case.status)
            .where(Case.id == target.case[0])
            .execution_options(populate_existing=True)
        )
        return SettleResult(target.case[1], settlement, str(status), new_id)

    return workflow.arbitration.run(
        check, act, record, what="settling a 抽查 disagreement", mirror="qa"
    )


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
