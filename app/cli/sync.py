"""`reviewdesk central|sync|checkout|conflicts`: the workstation and its central store."""

from __future__ import annotations

import argparse
import sys
import threading

from app import config
from app.cli import CommandError, command, desk_of, json_out, workstation_of
from app.review.workflow import ONSITE_LEASE, DecisionInput
from app.runtime import Workstation
from app.store import init_store
from app.sync.engine import central_store
from reviewdb import journal
from reviewdb.engine import StoreUnavailable
from reviewdb.models import CentralJournalEntry


def _central_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True)
    init = sub.add_parser("init", help="create or upgrade a central store")
    init.add_argument("url", metavar="URL")
    grant = sub.add_parser(
        "grant", help="PostgreSQL: a database login for one district's workstations"
    )
    grant.add_argument("url", metavar="URL")
    grant.add_argument("--login", required=True, help="the new PostgreSQL login role")
    grant.add_argument("--district", action="append", required=True, metavar="CODE")


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
        return 0
    store = central_store(args.url)
    if store.is_sqlite:
        raise CommandError(
            "database logins exist only on PostgreSQL; a central SQLite file is shared as a file"
        )
    from reviewdb import central_pg

    central_pg.create_login(store.engine, args.login, args.district)
    print(f"login {args.login} may now sync districts {', '.join(args.district)}")
    return 0


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
    """Check the central store's own chain and every uploaded workstation chain."""
    from sqlalchemy import select

    store = central_store(url)
    with store.read() as s:
        own = journal.verify(s)
        if not own.ok:
            return False, f"central journal broken at entry {own.broken_seq}: {own.problem}"
        chains = list(s.scalars(select(CentralJournalEntry.chain).distinct()))
        total = own.checked
        for chain in chains:
            result = journal.verify_chain(s, chain)
            if not result.ok:
                return False, f"chain {chain} broken at entry {result.broken_seq}: {result.problem}"
            total += result.checked
    return (
        True,
        f"journal intact: {own.checked} central entries and {total - own.checked} entries in {len(chains)} workstation chains",
    )
