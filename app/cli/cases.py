"""`reviewdesk init|queue|show`: the store's schema, the list of cases, one case."""

from __future__ import annotations

import argparse

from app.cli import _user_arg, command, json_out, reader_of, settings_of
from app.review.cases import QueueRow
from app.store import init_store
from reviewdb import queue as rq

# --- init -----------------------------------------------------------------


@command("init", "create or upgrade the database schema")(lambda p: None)
def cmd_init(args: argparse.Namespace) -> int:
    store, backup = init_store(settings_of(args))
    if backup:
        print(f"backup of the previous database: {backup}")
    checked = " (SQLite integrity check ok)" if store.is_sqlite else ""
    print(f"database ready: {store.description}{checked}")
    return 0


# --- queue ----------------------------------------------------------------


def _queue_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=["guardianship", "rural_house", "kinship"], action="append")
    p.add_argument(
        "--status",
        choices=["pending", "confirming", "approved", "rejected", "returned"],
        action="append",
    )
    p.add_argument("--district", metavar="D", help="district code or name")
    p.add_argument("--school", metavar="S", help="school name or id")
    p.add_argument("--search", metavar="TEXT", help="student name, ID number or case number")
    p.add_argument("--limit", type=int, default=0, help="at most this many rows (default: all)")
    p.add_argument("--json", action="store_true", help="machine-readable output (see docs/cli.md)")
    _user_arg(p)


@command("queue", "list cases")(_queue_args)
def cmd_queue(args: argparse.Namespace) -> int:
    reader = reader_of(args)
    query = rq.QueueQuery(
        districts=None,
        kinds=tuple(args.kind or ()),
        statuses=tuple(args.status or ()),
        district=args.district,
        school=args.school,
        search=args.search,
    )
    rows: list[QueueRow] = []
    after = None
    while True:
        want = 500 if not args.limit else min(500, args.limit - len(rows))
        if want <= 0:
            break
        page = reader.queue(query, after=after, limit=want)
        rows.extend(page)
        if len(page) < want:
            break
        after = page[-1].cursor()
    if args.json:
        json_out([r.to_json() for r in rows])
        return 0
    if not rows:
        print("no cases")
        return 0
    for r in rows:
        badge = {"error": "!!", "warning": "! ", "info": "i ", None: "  "}[r.worst_severity]
        holder = f" [{r.holder}]" if r.holder else ""
        print(
            f"{r.case_no}  {badge} {r.status_label:4} {r.kind_label:4} r{r.round} "
            f"{r.student_name} {r.student_id_masked}  {r.school}  {r.submitted_at:%Y-%m-%d %H:%M}{holder}"
        )
    print(f"{len(rows)} cases")
    return 0


# --- show -----------------------------------------------------------------


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", help="case number")
    p.add_argument("--json", action="store_true")
    _user_arg(p)


@command("show", "show one case")(_show_args)
def cmd_show(args: argparse.Namespace) -> int:
    detail = reader_of(args).peek_case(args.case)
    if args.json:
        json_out(detail.to_json())
        return 0
    print(f"{detail.case_no}  {detail.kind}  {detail.status}  round {detail.round}")
    print(f"  student: {detail.student_name} {detail.student_id_masked}")
    print(f"  {detail.district} / {detail.school}  submitted {detail.submitted_at:%Y-%m-%d %H:%M}")
    conflict = detail.open_conflict
    if conflict is not None:
        lost, standing = conflict
        print(
            f"  CONFLICT: {lost.outcome} by {lost.reviewer} was not accepted by the central store"
            + (f"; standing: {standing.outcome} by {standing.reviewer}" if standing else "")
            + " - a supervisor settles it (reviewdesk conflicts)"
        )
    for f in detail.findings:
        print(f"  [{f.severity}] {f.code}: {f.message}")
    for a in detail.attachments:
        state = "ok" if a.readable else f"UNREADABLE: {a.reason}"
        print(f"  attachment {a.label}: {a.media_type} {a.width}x{a.height} {state}")
    return 0
