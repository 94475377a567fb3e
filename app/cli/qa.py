"""`reviewdesk qa draw|list|verdict|disagreements|settle|report`: 抽查 (QA sampling).

The rules are :mod:`app.review.qa`'s (docs/qa.md); every subcommand logs ``--user`` in and
acts through :class:`app.workbench.Workbench` as the 抽查 window does. This module reads the
options, refuses combinations that make no sense before touching the store (exit 2, like a
bad option), and turns a workflow refusal into one line that says what is wrong and what
to do (exit 1).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.cli import CommandError, command, desk_of
from app.domain import KIND_LABELS, CaseKind
from app.errors import describe
from app.notices.printing import CHINA_TZ
from app.review.errors import WorkflowError
from app.review.qa import DrawResult, ReportLine, SampleView
from app.review.workflow import DecisionInput
from app.workbench import Workbench

ACTIONS = ("draw", "list", "verdict", "disagreements", "settle", "report")
KINDS = tuple(kind.value for kind in CaseKind)
SHEET_SUFFIXES = (".xlsx", ".csv")

# Refusals about how the command was typed: exit 2, as a bad option is.
_USAGE_CODES = frozenset({"seed", "percent"})

# What to do next, by the workflow's refusal code (app.review.qa, app.review.workflow).
_HINTS = {
    "role": "ask a supervisor of the district",
    "offline": "nothing was changed; try again when the central store answers",
    "not_assignee": "`reviewdesk qa list` shows the samples assigned to you",
    "no_sample": "`reviewdesk qa list` shows your samples, `qa disagreements` the disputed ones",
    "no_disagreement": "`reviewdesk qa disagreements` lists those waiting to be settled",
    "four_eyes": "another supervisor of the district must settle it",
    "comment_required": "say why with --comment TEXT",
    "text_too_long": "shorten it",
    "verdict_given": "nothing was changed",
    "settled": "nothing was changed",
    "not_standing": "the approval was undone or replaced; there is nothing left to check",
}


# --- options ---------------------------------------------------------------------------


def _inherited(p: argparse.ArgumentParser) -> None:
    # Repeated on each nested parser so `qa draw --db URL` works as well as `qa --db URL
    # draw`; SUPPRESS keeps a nested default from hiding the outer value.
    p.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: REVIEWDESK_DB or the local store)",
    )
    p.add_argument(
        "--central",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="central store (default: REVIEWDESK_CENTRAL, else the one saved in 设置/Settings); "
        "抽查 runs on a standalone store and is refused with one",
    )
    p.add_argument(
        "--user",
        metavar="NAME",
        required=True,
        help="act as this user (password from prompt or REVIEWDESK_PASSWORD)",
    )


def _short(text: str, limit: int = 40) -> str:
    """What was typed, quoted in a message without flooding the terminal."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"


def kind_percent(value: str) -> tuple[str, float]:
    """An argparse ``type`` for ``KIND=PCT`` (``guardianship=10``; a trailing % is allowed)."""
    kind, sep, number = value.partition("=")
    kind, number = kind.strip(), number.strip().removesuffix("%").strip()
    if not sep:
        raise argparse.ArgumentTypeError(
            f"not KIND=PERCENT: {_short(value)} (e.g. guardianship=10)"
        )
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown case kind {_short(kind)}: one of {', '.join(KINDS)}"
        )
    try:
        percent = float(number)
    except ValueError:
        percent = math.nan
    if not math.isfinite(percent) or not 0 <= percent <= 100:
        raise argparse.ArgumentTypeError(
            f"{kind}: {_short(number)} is not a percentage from 0 to 100"
        )
    return kind, percent


def _args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="{" + ",".join(ACTIONS) + "}")
    sub.required = True

    draw = sub.add_parser(
        "draw",
        help="supervisor: draw 抽查 samples from the standing approvals of your districts",
    )
    draw.add_argument(
        "--seed",
        metavar="S",
        help="the draw's seed (recorded; the same seed over the same approvals draws the "
        "same cases); default: a new random one, printed",
    )
    draw.add_argument(
        "--percent",
        metavar="KIND=PCT",
        nargs="+",
        action="extend",
        type=kind_percent,
        default=[],
        help=f"share of a kind's approvals to draw, 0-100 (kinds: {', '.join(KINDS)}); "
        "kinds not named keep the policy's share (default 5%%)",
    )
    _inherited(draw)

    lst = sub.add_parser("list", help="your 抽查 queue: approvals waiting for your verdict")
    _inherited(lst)

    verdict = sub.add_parser("verdict", help="agree or disagree with a sampled approval")
    verdict.add_argument(
        "ref",
        metavar="CASE_OR_DECISION",
        help="case number, or the sampled decision's id (as `qa list` shows it)",
    )
    choice = verdict.add_mutually_exclusive_group(required=True)
    choice.add_argument("--agree", action="store_true", help="the approval was right (同意)")
    choice.add_argument(
        "--disagree", action="store_true", help="it was not (不同意; needs --comment)"
    )
    verdict.add_argument("--comment", metavar="TEXT", help="why (at most 2,000 characters)")
    _inherited(verdict)

    disputes = sub.add_parser(
        "disagreements", help="supervisor: disagreements waiting to be settled"
    )
    _inherited(disputes)

    settle = sub.add_parser(
        "settle",
        help="supervisor: uphold a disputed approval, or overturn it with a rejection or a return",
    )
    settle.add_argument(
        "ref",
        metavar="CASE_OR_DECISION",
        help="case number, or the sampled decision's id (as `qa disagreements` shows it)",
    )
    way = settle.add_mutually_exclusive_group(required=True)
    way.add_argument("--uphold", action="store_true", help="keep the approval (维持)")
    way.add_argument(
        "--overturn",
        action="store_true",
        help="replace it with your decision (改判): --outcome reject|return",
    )
    settle.add_argument("--outcome", choices=["reject", "return"], help="with --overturn")
    settle.add_argument(
        "--reason", action="append", default=[], metavar="CODE", help="reason code (repeatable)"
    )
    settle.add_argument(
        "--missing",
        action="append",
        default=[],
        metavar="ITEM",
        help="missing document code for a return (repeatable)",
    )
    settle.add_argument("--comment", metavar="TEXT", help="why (journaled; kept with a decision)")
    settle.add_argument("--note", metavar="TEXT", help="note to the parent (returns)")
    _inherited(settle)

    report = sub.add_parser(
        "report", help="supervisor: approvals, samples, verdicts and overturns per reviewer"
    )
    report.add_argument(
        "--out", type=Path, metavar="FILE", help="also write the report to FILE (.xlsx or .csv)"
    )
    _inherited(report)


# --- the command -----------------------------------------------------------------------


@command("qa", "抽查 (QA sampling): draw, list, verdict, disagreements, settle, report")(_args)
def cmd_qa(args: argparse.Namespace) -> int:
    action: str = args.action
    _check_combination(args)
    desk = desk_of(args)
    with _refusals(action):
        if action == "draw":
            return _draw(desk, args)
        if action == "list":
            return _list(desk.qa_my_samples(), "no 抽查 samples waiting for you", mine=True)
        if action == "verdict":
            return _verdict(desk, args)
        if action == "disagreements":
            return _list(desk.qa_disagreements(), "no 抽查 disagreements waiting", mine=False)
        if action == "settle":
            return _settle(desk, args)
        return _report(desk, args.out)


def _check_combination(args: argparse.Namespace) -> None:
    """Options that cannot go together: said before logging in, nothing is touched."""
    action = args.action
    if action == "draw":
        kinds = [kind for kind, _ in args.percent]
        twice = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if twice:
            raise CommandError(f"qa draw: --percent names {', '.join(twice)} twice", 2)
    elif action == "verdict":
        if args.disagree and not (args.comment or "").strip():
            raise CommandError("qa verdict: --disagree needs --comment TEXT saying why", 2)
    elif action == "settle":
        if args.uphold:
            extra = [
                option
                for option, value in (
                    ("--outcome", args.outcome),
                    ("--reason", args.reason),
                    ("--missing", args.missing),
                    ("--note", args.note),
                )
                if value
            ]
            if extra:
                raise CommandError(
                    f"qa settle: {', '.join(extra)} go with --overturn; --uphold keeps the "
                    "approval as it is",
                    2,
                )
        elif not args.outcome:
            raise CommandError(
                "qa settle: --overturn needs --outcome reject (with --reason CODE) or "
                "--outcome return (with --missing ITEM)",
                2,
            )
    elif (
        action == "report"
        and args.out is not None
        and args.out.suffix.lower() not in SHEET_SUFFIXES
    ):
        raise CommandError(
            f"qa report: {_short(args.out.name)} is neither .xlsx nor .csv: name the file so", 2
        )


@contextlib.contextmanager
def _refusals(action: str) -> Iterator[None]:
    """A workflow refusal as one line: what is wrong (its message) and what to do."""
    try:
        yield
    except WorkflowError as exc:
        hint = _HINTS.get(exc.code)
        text = describe(exc) + (f"; {hint}" if hint else "")
        if exc.code in _USAGE_CODES:
            raise CommandError(f"qa {action}: {text}", 2) from exc
        raise CommandError(f"refused: {text}", 1) from exc


# --- draw ------------------------------------------------------------------------------


def _draw(desk: Workbench, args: argparse.Namespace) -> int:
    override = dict(args.percent) or None
    result = desk.qa_draw(seed=args.seed, percent=override)
    print("\n".join(draw_lines(result)))
    return 0


def _pct(value: float) -> str:
    return f"{value:g}%"


def draw_lines(result: DrawResult) -> list[str]:
    """The draw's answer: its seed (to reproduce it), shares, counts and case numbers."""
    lines = [f"seed: {result.seed}"]
    for policy_id, shares in sorted(result.percents.items()):
        used = ", ".join(f"{kind} {_pct(shares[kind])}" for kind in KINDS if kind in shares)
        lines.append(f"percent ({policy_id}): {used}")
    lines.append(f"considered: {result.considered} approvals not weighed by an earlier draw")
    lines.append(f"drawn: {len(result.drawn)}")
    lines.extend(f"  {case_no}" for case_no in sorted(result.drawn))
    if result.unassigned:
        lines.append(
            f"unassigned: {len(result.unassigned)} (no other active reviewer in the district "
            "to check them)"
        )
        lines.extend(f"  {case_no}" for case_no in sorted(result.unassigned))
    else:
        lines.append("unassigned: 0")
    return lines


# --- lists -----------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str:
    return "-" if value is None else f"{value.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


def printable(text: str) -> str:
    """Free text typed by someone else, safe on a terminal: one line, no control
    characters (an escape sequence in a comment must not reach the terminal)."""
    flat = " ".join(text.split())
    return "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in flat)


def _kind(kind: str) -> str:
    return KIND_LABELS.get(CaseKind(kind), kind) if kind in KINDS else kind


def _list(samples: Sequence[SampleView], empty: str, *, mine: bool) -> int:
    if not samples:
        print(empty)
        return 0
    for s in samples:
        line = (
            f"{s.case_no}  {_kind(s.kind):4}  {s.school}  approved by {s.approver} "
            f"{_when(s.approved_at)}  decision {s.decision_id}"
        )
        if not mine:
            line += f"  checked by {s.assigned_to or '-'} {_when(s.verdict_at)}"
        print(line)
        if not mine and s.comment:
            print(f"  不同意: {printable(s.comment)}")
    if mine:
        print(
            f"{len(samples)} waiting for your verdict: reviewdesk qa verdict CASE --agree, or "
            "--disagree --comment TEXT"
        )
    else:
        print(
            f"{len(samples)} waiting to be settled: reviewdesk qa settle CASE --uphold, or "
            "--overturn --outcome reject|return"
        )
    return 0


# --- verdict and settlement ------------------------------------------------------------


def _verdict(desk: Workbench, args: argparse.Namespace) -> int:
    sample = desk.qa_verdict(args.ref, agree=args.agree, comment=args.comment)
    if sample.verdict == "agree":
        print(f"{sample.case_no}: 同意 recorded (approval by {sample.approver})")
    else:
        print(
            f"{sample.case_no}: 不同意 recorded (approval by {sample.approver}); a supervisor "
            "settles it"
        )
    return 0


def _settle(desk: Workbench, args: argparse.Namespace) -> int:
    decision = (
        DecisionInput(
            outcome=args.outcome,
            reasons=tuple(args.reason),
            missing=tuple(args.missing),
            comment=args.comment,
            note_to_parent=args.note,
        )
        if args.overturn
        else None
    )
    result = desk.qa_settle(args.ref, args.overturn, decision, args.comment)
    if result.settlement == "overturned":
        print(
            f"{result.case_no}: approval overturned, case now {result.case_status} "
            f"(decision {result.decision_id})"
        )
    else:
        print(f"{result.case_no}: approval upheld, case stays {result.case_status}")
    return 0


# --- report ----------------------------------------------------------------------------


def report_lines(lines: Sequence[ReportLine]) -> list[str]:
    """The report as a table, one reviewer a row (the sheet's columns, in English)."""
    width = max([len("reviewer"), *(len(line.reviewer) for line in lines)])
    out = [
        f"{'reviewer':<{width}}  approvals  sampled  checked  agreed  disagreed  "
        "disagreement rate  overturned"
    ]
    for line in lines:
        rate = line.disagreement_rate
        shown = "-" if rate is None else f"{rate:.1%}"
        out.append(
            f"{line.reviewer:<{width}}  {line.approvals:>9}  {line.sampled:>7}  "
            f"{line.verdicts:>7}  {line.agreed:>6}  {line.disagreed:>9}  {shown:>17}  "
            f"{line.overturned:>10}"
        )
    return out


def _report(desk: Workbench, out: Path | None) -> int:
    # The file first: when it cannot be written the one line says so and nothing else is
    # printed. The facade reads the report for the file and again for the table.
    written = desk.export_qa_report(out) if out is not None else None
    lines = desk.qa_report()
    print("\n".join(report_lines(lines)) if lines else "no approvals in your districts yet")
    if written is not None:
        people = "reviewer" if written == 1 else "reviewers"
        print(f"wrote the 抽查 report ({written} {people}) to {out}")
    return 0
