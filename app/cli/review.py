"""`reviewdesk claim|release|decide|confirm|undo|takeover`: one line each, refusals exit 1."""

from __future__ import annotations

import argparse

from app.cli import command, desk_of
from app.review.workflow import DecisionInput


def _user(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--user",
        metavar="NAME",
        required=True,
        help="act as this user (password from prompt or REVIEWDESK_PASSWORD)",
    )


def _case_and_user(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", help="case number")
    _user(p)


@command("claim", "claim a case (a lease) to decide it")(_case_and_user)
def cmd_claim(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    info = desk.claim(args.case)
    print(
        f"{args.case}: claimed by {desk.actor.username} until {info.leased_until:%Y-%m-%d %H:%M} UTC (token {info.token})"
    )
    return 0


@command("release", "give a claimed case back to the queue")(_case_and_user)
def cmd_release(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    desk.release(args.case)
    print(f"{args.case}: released")
    return 0


def _takeover_args(p: argparse.ArgumentParser) -> None:
    _case_and_user(p)
    p.add_argument(
        "--reason", required=True, help="why the case is taken from its holder (journaled)"
    )


@command("takeover", "supervisor: take a case someone else holds")(_takeover_args)
def cmd_takeover(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    info = desk.takeover(args.case, args.reason)
    print(
        f"{args.case}: taken over by {desk.actor.username} until {info.leased_until:%Y-%m-%d %H:%M} UTC (token {info.token})"
    )
    return 0


def _decide_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE")
    p.add_argument("outcome", choices=["approve", "reject", "return"])
    p.add_argument(
        "--reason", action="append", default=[], metavar="CODE", help="reason code (repeatable)"
    )
    p.add_argument(
        "--missing",
        action="append",
        default=[],
        metavar="ITEM",
        help="missing document code for a return (repeatable)",
    )
    p.add_argument("--comment", metavar="TEXT")
    p.add_argument("--note", metavar="TEXT", help="note to the parent (returns)")
    _user(p)


@command("decide", "approve, reject or return a claimed case")(_decide_args)
def cmd_decide(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    decision = DecisionInput(
        outcome=args.outcome,
        reasons=tuple(args.reason),
        missing=tuple(args.missing),
        comment=args.comment,
        note_to_parent=args.note,
    )
    result = desk.decide(args.case, decision)
    print(result.line)
    return 0 if result.state != "conflict" else 1


def _confirm_args(p: argparse.ArgumentParser) -> None:
    _case_and_user(p)
    p.add_argument(
        "--disagree", action="store_true", help="send the case back to the queue instead"
    )
    p.add_argument("--comment", metavar="TEXT")


@command("confirm", "supervisor: confirm a decision waiting for four-eyes")(_confirm_args)
def cmd_confirm(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    result = desk.confirm(args.case, accept=not args.disagree, comment=args.comment)
    print(
        f"{result.case_no}: {'confirmed, ' if not args.disagree else 'not confirmed, '}{result.case_status}"
    )
    return 0


@command("undo", "undo your own decision within the policy's window")(_case_and_user)
def cmd_undo(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    result = desk.undo(args.case)
    print(f"{result.case_no}: decision undone, back to {result.case_status}")
    return 0
