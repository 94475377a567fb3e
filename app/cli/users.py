"""`reviewdesk user ...`, `reviewdesk audit verify|seal` and `reviewdesk history CASE`.

User commands act as ``--user ADMIN`` (password from a prompt or ``REVIEWDESK_PASSWORD``),
except the very first user of an empty store. A password being set comes from a prompt
asked twice, or from ``REVIEWDESK_NEW_PASSWORD`` for scripts; never from an argument.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from app import auth, config
from app.cli import CommandError, command, json_out, local_only, reader_of, settings_of
from app.store import check_integrity, open_store
from app.sync import audit
from reviewdb.engine import Store


def _inherited(p: argparse.ArgumentParser) -> None:
    # Repeated on each nested parser so `user add X --db URL` works as well as
    # `user --db URL add X`; SUPPRESS keeps a nested default from hiding the outer value.
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    p.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="act as this user (password from prompt or REVIEWDESK_PASSWORD)",
    )


def _open(args: argparse.Namespace, *, writes: bool = False) -> Store:
    """The store; one whose users are kept by a central store is not written here."""
    return open_store(local_only(args, "manage users") if writes else settings_of(args))


def _acting_admin(store: Store, args: argparse.Namespace) -> auth.Actor:
    if not args.user:
        raise CommandError("--user ADMIN is required (an admin must do this)")
    return auth.authenticate_cli(store, args.user)


# --- user -----------------------------------------------------------------


def _user_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME", help="act as this user")
    sub = p.add_subparsers(dest="user_command", metavar="{add,passwd,disable,list}")
    sub.required = True

    add = sub.add_parser("add", help="add a user (the first user needs no --user)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=["reviewer", "supervisor", "admin"])
    add.add_argument(
        "--district",
        metavar="D",
        nargs="+",
        action="extend",
        default=[],
        help="district code or name (repeatable; reviewers and supervisors need one)",
    )
    add.add_argument("--display-name", metavar="X")
    _inherited(add)

    passwd = sub.add_parser("passwd", help="set a password (your own, or anyone's as an admin)")
    passwd.add_argument("name", metavar="NAME")
    _inherited(passwd)

    disable = sub.add_parser("disable", help="disable a user (admin)")
    disable.add_argument("name", metavar="NAME")
    _inherited(disable)

    lst = sub.add_parser("list", help="list users (admin)")
    lst.add_argument("--json", action="store_true")
    _inherited(lst)


@command("user", "manage users: add, passwd, disable, list")(_user_args)
def cmd_user(args: argparse.Namespace) -> int:
    store = _open(args, writes=args.user_command != "list")
    sub = args.user_command
    if sub == "add":
        return _user_add(store, args)
    if sub == "passwd":
        # Without --user you change your own password and prove it with the current one.
        actor = auth.authenticate_cli(store, args.user or args.name)
        auth.set_password(store, actor, args.name, auth.new_password_cli(args.name))
        print(f"password changed for {args.name}")
        return 0
    if sub == "disable":
        actor = _acting_admin(store, args)
        auth.disable_user(store, actor, args.name)
        print(f"user {args.name} disabled")
        return 0
    if sub == "list":
        actor = _acting_admin(store, args)
        if not actor.can_manage_users:
            raise CommandError(f"only an admin may list users ({actor.username} is {actor.role})")
        users = auth.list_users(store)
        if args.json:
            json_out([u.to_json() for u in users])
            return 0
        for u in users:
            state = "disabled" if u.disabled else "active"
            if u.locked_until:
                state += f", locked until {u.locked_until.astimezone():%Y-%m-%d %H:%M}"
            print(
                f"{u.username:16} {u.reviewer_code:6} {u.role:10} "
                f"{','.join(u.districts) or '-':20} {state}  {u.display_name}"
            )
        print(f"{len(users)} users")
        return 0
    raise CommandError(f"unknown user command {sub}", code=2)  # pragma: no cover


def _user_add(store: Store, args: argparse.Namespace) -> int:
    by: auth.Actor | None
    if auth.user_count(store) == 0:
        if args.user:
            raise CommandError("there are no users yet: add the first admin without --user")
        by = None
    else:
        by = _acting_admin(store, args)
    password = auth.new_password_cli(args.name)
    created = auth.create_user(
        store,
        by=by,
        username=args.name,
        role=args.role,
        districts=args.district,
        password=password,
        display_name=args.display_name,
    )
    if by is None and created.role != "admin":
        print(
            f"warning: the first user {created.username} is a {created.role}, not an admin: "
            "no one will be able to add users",
            file=sys.stderr,
        )
    districts = ",".join(created.districts) or "all districts"
    print(f"user {created.username} added: {created.role} {created.reviewer_code} ({districts})")
    return 0


# --- audit ----------------------------------------------------------------


def _audit_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="audit_command", metavar="{verify,seal}")
    sub.required = True
    verify = sub.add_parser(
        "verify", help="check the journal's hash chain, key marks and the central store's seal"
    )
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    verify.add_argument(
        "--central",
        nargs="?",
        const="",
        metavar="URL",
        help="check the central store: its own chain and every workstation chain (default URL: REVIEWDESK_CENTRAL)",
    )
    seal = sub.add_parser(
        "seal",
        help="the central store's owner signs every journal chain's head (run it on a schedule)",
    )
    seal.add_argument(
        "--central",
        nargs="?",
        const="",
        default="",
        metavar="URL",
        help="the central store, as its owner (default URL: REVIEWDESK_CENTRAL)",
    )
    seal.add_argument(
        "--key",
        metavar="FILE",
        type=Path,
        help="the sealing key (Ed25519, made at the first seal; default: "
        "journal-seal.key in the data directory); keep it off the workstations",
    )


def _central_url(args: argparse.Namespace) -> str:
    url = args.central or config.resolve(None).central_url
    if not url:
        raise CommandError("no central store: give --central URL or set REVIEWDESK_CENTRAL")
    return str(url)


@command("audit", "check the audit journal")(_audit_args)
def cmd_audit(args: argparse.Namespace) -> int:
    if args.audit_command == "seal":
        url = _central_url(args)
        print(audit.seal_central(url, args.key or audit.default_seal_key_path()))
        return 0
    if getattr(args, "central", None) is not None:
        ok, message = audit.verify_central_store(_central_url(args))
        print(message, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    store = _open(args)
    # The hash chain can only vouch for what SQLite can read: a damaged file is refused
    # first (one line naming the newest backup), never called "intact".
    check_integrity(store, full=True)
    report = audit.verify_store(store)
    result = report.result
    if args.json:
        json_out(
            {
                "ok": result.ok,
                "checked": result.checked,
                "broken_seq": result.broken_seq,
                "problem": result.problem,
                "unkeyed": result.unkeyed,
                "sealed_seq": result.sealed_seq,
            }
        )
        return 0 if result.ok else 1
    for note in report.notes:  # beside the verdict, not in it (scripts read the verdict)
        print(note, file=sys.stderr)
    print(report.line, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


# --- history --------------------------------------------------------------


def _history_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", help="case number or id")
    p.add_argument("--user", metavar="NAME", help="act as this user (sees only their districts)")


def _summary(payload: dict[str, Any], width: int = 80) -> str:
    parts = []
    for key, value in payload.items():
        shown = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}={shown}")
    line = " ".join(parts)
    return line if len(line) <= width else line[: width - 1] + "…"


@command("history", "a case's journal entries in order")(_history_args)
def cmd_history(args: argparse.Namespace) -> int:
    lines = [
        f"{_local(e.store_time)}  {e.actor or '-'}  {e.action}  {_summary(e.payload)}".rstrip()
        for e in reader_of(args).history(args.case)
    ]
    if not lines:
        print(f"no journal entries for case {args.case}")
        return 0
    for line in lines:
        print(line)
    return 0


def _local(value: dt.datetime) -> str:
    return f"{value.astimezone():%Y-%m-%d %H:%M:%S}"
