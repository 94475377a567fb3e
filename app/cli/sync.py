"""`reviewdesk central|sync|checkout|conflicts`: the workstation and its central store."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
from typing import Any

from sqlalchemy.exc import DBAPIError

from app import config
from app.cli import CommandError, command, desk_of, json_out, workstation_of
from app.domain import CaseKind
from app.policy.loader import load_policies
from app.review.reasons import REASONS_FILE, VERDICTS, reasons_for
from app.review.workflow import DEFAULT_LEASE, ONSITE_LEASE, DecisionInput
from app.runtime import Workstation
from app.store import init_store
from app.sync.engine import central_store
from reviewdb import central, migrate
from reviewdb.engine import Store, StoreUnavailable

# The limits published with the rules (reviewdb.central.RULES_LIMITS) that the central
# store enforces whatever a workstation sends.
COMMENT_CHARS = 2000  # a decision's comment
NOTE_TO_PARENT_CHARS = 1000  # its note to the parent (printed on notices)
CODE_CHARS = 64  # a reason code, a missing document's code, a verdict
VERDICTS_MAX = 1000  # attachment verdicts in one decision
# A claim carries one lease length, whether it is an ordinary claim (30 min) or a
# checkout (36 h): the central store cannot tell them apart, so it caps every lease at
# 48 h for reviewers and supervisors (both are published; the cap is what is enforced).
MAX_LEASE = dt.timedelta(hours=48)
LEASE_ROLES = ("reviewer", "supervisor")


def rules_document() -> dict[str, Any]:
    """The rules the central store enforces, as settings key -> JSON value.

    Every city/year policy in resources/policies (four-eyes per kind and outcome, undo
    window, checklist codes per kind), the reason library per kind with the verdicts, and
    the limits (texts, leases per role). Read by the rd_* functions and PythonOps.
    """
    kinds = [k.value for k in CaseKind]
    library_version = json.loads(REASONS_FILE.read_text(encoding="utf-8")).get("version")
    doc: dict[str, Any] = {
        central.RULES_LIMITS: {
            "comment_chars": COMMENT_CHARS,
            "note_to_parent_chars": NOTE_TO_PARENT_CHARS,
            "code_chars": CODE_CHARS,
            "verdicts_max": VERDICTS_MAX,
            "lease": {
                role: {
                    "ordinary_seconds": int(DEFAULT_LEASE.total_seconds()),
                    "checkout_seconds": int(ONSITE_LEASE.total_seconds()),
                    "max_seconds": int(MAX_LEASE.total_seconds()),
                }
                for role in LEASE_ROLES
            },
        },
        central.RULES_REASONS: {
            "version": library_version,
            "verdicts": list(VERDICTS),
            "kinds": {
                kind: {
                    "codes": [r.code for r in reasons_for(kind)],
                    "comment_required": [r.code for r in reasons_for(kind) if r.comment_required],
                }
                for kind in kinds
            },
        },
    }
    for (city, year), policy in sorted(load_policies().items()):
        doc[central.rules_key(city, year)] = {
            "policy_id": policy.policy_id,
            "city": city,
            "year": year,
            "undo_window_minutes": policy.undo_window_minutes,
            "four_eyes": {
                k.value: sorted(o.value for o in policy.four_eyes.get(k, frozenset()))
                for k in CaseKind
            },
            "checklists": {
                k.value: [item.code for item in policy.checklists.get(k, ())] for k in CaseKind
            },
            # 抽查: the share of approvals a draw takes, per kind (reviewdb/sql/qa.sql)
            "qa_sample_percent": {k.value: policy.qa_sample_percent[k] for k in CaseKind},
        }
    return doc


def publish_policy(store: Store) -> str:
    """Publish :func:`rules_document` at the central store; one line saying what changed."""
    rules = rules_document()
    policies = sorted(v["policy_id"] for k, v in rules.items() if "policy_id" in v)
    try:
        with store.write() as s:
            done = central.publish_rules(s, rules, actor=None, workstation=config.workstation_id())
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            raise CommandError(
                "only the central store's owner may publish its rules: use the owner's URL"
            ) from exc
        raise
    if not done.changed:
        return f"rules unchanged: {len(policies)} policies ({', '.join(policies)})"
    return (
        f"rules published: {len(policies)} policies ({', '.join(policies)}), reason library, "
        f"limits (comment {COMMENT_CHARS}, note {NOTE_TO_PARENT_CHARS}, code {CODE_CHARS} "
        f"characters; leases at most {MAX_LEASE.total_seconds() / 3600:.0f} h)"
        + (f"; removed {', '.join(done.removed)}" if done.removed else "")
    )


def _central_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    init = sub.add_parser(
        "init", help="create or upgrade a central store and publish the rules it enforces"
    )
    init.add_argument("url", metavar="URL")
    publish = sub.add_parser(
        "publish-policy",
        help="publish the city/year policies, reason library and limits the central store "
        "enforces (run after changing them; `init` does it too)",
    )
    publish.add_argument("url", metavar="URL")
    grant = sub.add_parser(
        "grant", help="PostgreSQL: a database login for one district's workstations"
    )
    grant.add_argument("url", metavar="URL")
    grant.add_argument("--login", required=True, help="the new PostgreSQL login role")
    grant.add_argument("--district", action="append", required=True, metavar="CODE")
    gc = sub.add_parser(
        "gc-chunks",
        help="PostgreSQL: drop image chunks nothing needs (past a verified image's end, of "
        "uploads no case has, of uploads abandoned for --older-than-days)",
    )
    gc.add_argument("url", metavar="URL", help="the central store, as its owner")
    gc.add_argument(
        "--older-than-days",
        type=float,
        default=7.0,
        metavar="DAYS",
        help="an unfinished upload untouched this long is dropped (default 7)",
    )


@command(
    "central", "prepare the central store (PostgreSQL, or a SQLite file for one small office)"
)(_central_args)
def cmd_central(args: argparse.Namespace) -> int:
    settings = config.Settings(db_url=args.url, is_default=False, blob_dir=None, central_url=None)
    if args.action == "init":
        store, backup = init_store(settings, shared_file=True)
        if not store.is_sqlite:
            from reviewdb import central_pg

            central_pg.install(store.engine)
        elif store.url.database:
            print(
                "note: a central SQLite file is for one small office on one LAN; on a network drive it must not use WAL - prefer PostgreSQL"
            )
        print(
            f"central store ready: {store.description}" + (f" (backup: {backup})" if backup else "")
        )
        print(publish_policy(store))
        return 0
    store = central_store(args.url)
    if args.action == "publish-policy":
        current = migrate.current_revision(store)
        if current != migrate.head_revision():
            raise CommandError(
                f"{store.description} is not a current central store: run `reviewdesk central init`"
            )
        print(publish_policy(store))
        return 0
    if args.action == "gc-chunks":
        print(gc_chunks(store, args.older_than_days))
        return 0
    if store.is_sqlite:
        raise CommandError(
            "database logins exist only on PostgreSQL; a central SQLite file is shared as a file"
        )
    from reviewdb import central_pg

    central_pg.create_login(store.engine, args.login, args.district)
    print(f"login {args.login} may now sync districts {', '.join(args.district)}")
    return 0


def gc_chunks(store: Store, older_than_days: float) -> str:
    """``central gc-chunks``: drop the image chunks nothing needs; one line saying what went."""
    if not 0 <= older_than_days <= 36500:  # NaN fails too
        raise CommandError("--older-than-days must be a number of days from 0 to 36500")
    if store.is_sqlite:
        return "nothing to clean: a central SQLite file keeps images as files, not chunks"
    max_age = dt.timedelta(days=older_than_days)
    store.ping()  # an unreachable server or a missing database: one line saying which
    from reviewdb import central_pg

    try:
        gone = central_pg.gc_chunks(store.engine, max_age=max_age)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            raise CommandError(
                "only the central store's owner may clean up image chunks: use the owner's URL"
            ) from exc
        if getattr(exc.orig, "sqlstate", None) == "42883":  # undefined_function
            raise CommandError(
                f"{store.description} is not a current central store: run "
                "`reviewdesk central init` first"
            ) from exc
        raise
    words = {
        "completed": "past the end of a verified image",
        "orphan": "of uploads no case has",
        "stale": f"of uploads untouched for {older_than_days:g} days",
    }
    parts = [
        f"{chunks} {words[reason]} ({images} images)"
        for reason, (images, chunks, _bytes) in gone.items()
        if chunks
    ]
    freed = sum(b for _i, _c, b in gone.values())
    if not parts:
        return "no stray image chunks: nothing to clean"
    return f"dropped image chunks: {'; '.join(parts)}; {freed / (1024 * 1024):.1f} MiB freed"


def _connected(args: argparse.Namespace) -> Workstation:
    ws = workstation_of(args)
    if ws.sync is None:
        raise CommandError(
            "no central store configured: use --central URL, REVIEWDESK_CENTRAL or 设置/Settings"
        )
    return ws


def _sync_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--watch", action="store_true", help="keep syncing every few seconds")
    p.add_argument("--interval", type=float, default=5.0)


@command("sync", "send local work up and bring changes down")(_sync_args)
def cmd_sync(args: argparse.Namespace) -> int:
    engine = _connected(args).sync
    assert engine is not None
    if args.watch:
        stop = threading.Event()
        try:
            engine.watch(args.interval, stop, on_round=lambda line: print(line, flush=True))
        except KeyboardInterrupt:
            stop.set()
        return 0
    try:
        pushed, pulled = engine.sync_once()
    except StoreUnavailable as exc:
        raise CommandError(
            f"offline: {exc}; local work stays queued ({engine.waiting_count()} waiting)"
        ) from exc
    status = engine.status()
    line = f"sent {pushed.sent} items ({pushed.conflicts} conflicts, {pushed.quarantined} quarantined), journal {pushed.journal_sent}"
    line += (
        f"; pulled {pulled.cases} cases, {pulled.claims} claims"
        if pulled
        else "; pull held: local work still waiting"
    )
    print(line)
    for item_id, kind, error in status.quarantined:
        print(f"quarantined {kind} {item_id}: {error}")
    return 0


def _checkout_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", required=True, metavar="S", help="school name or id")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--hours", type=float, default=ONSITE_LEASE.total_seconds() / 3600)


@command(
    "checkout", "on-site mode: claim a school's open cases for the day and fetch their images"
)(_checkout_args)
def cmd_checkout(args: argparse.Namespace) -> int:
    desk = desk_of(args, _connected(args))

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rclaiming {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        done, skipped = desk.checkout(args.school, args.hours, progress)
    except StoreUnavailable as exc:
        raise CommandError(f"checkout needs the central store: {exc}") from exc
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"checked out {len(done)} cases of {args.school} until about {args.hours:.0f} h from now; {len(skipped)} held by others"
    )
    return 0


def _conflicts_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--resolve",
        metavar="CASE",
        help="supervisor: settle this case's conflict with a new decision",
    )
    p.add_argument("--outcome", choices=["approve", "reject", "return"])
    p.add_argument("--reason", action="append", default=[])
    p.add_argument("--missing", action="append", default=[])
    p.add_argument("--comment")


@command("conflicts", "decisions that lost their claim, side by side; supervisors resolve them")(
    _conflicts_args
)
def cmd_conflicts(args: argparse.Namespace) -> int:
    desk = desk_of(args)
    if args.resolve:
        if not args.outcome:
            raise CommandError("--resolve needs --outcome approve|reject|return")
        result = desk.resolve_conflict(
            args.resolve,
            DecisionInput(args.outcome, tuple(args.reason), tuple(args.missing), args.comment),
        )
        print(f"{result.case_no}: conflict resolved, {result.case_status}")
        return 0
    items = desk.conflicts()
    if args.json:
        json_out(
            [
                {
                    "case_id": c.case_no,
                    "conflict": _side_json(c.conflict),
                    "standing": _side_json(c.standing) if c.standing else None,
                }
                for c in items
            ]
        )
        return 0
    if not items:
        print("no conflicts")
    for c in items:
        print(f"{c.case_no}:")
        for label, side in (("  lost    ", c.conflict), ("  standing", c.standing)):
            if side is None:
                print(f"{label} (none)")
                continue
            print(
                f"{label} {side.outcome:7} by {side.reviewer} at {side.device_time:%Y-%m-%d %H:%M} "
                f"(device) / {side.store_time:%Y-%m-%d %H:%M} (store), claim token {side.claim_token}"
                + (f", reasons {', '.join(side.reasons)}" if side.reasons else "")
            )
    return 0


def _side_json(side: object) -> dict[str, object]:
    d = dict(vars(side))
    for k in ("device_time", "store_time"):
        d[k] = d[k].isoformat()
    d["reasons"] = list(d["reasons"])
    return d


def verify_central(url: str) -> tuple[bool, str]:
    """Check the central store's own chain, every uploaded workstation chain and the seal
    of their heads (app.sync.audit)."""
    from app.sync.audit import verify_central_store

    return verify_central_store(url)
