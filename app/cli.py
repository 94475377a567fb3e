"""The `reviewdesk` command line: one clear line per outcome, never a traceback."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app import config
from app.auth import AuthError
from app.cases import CaseNotFound, QueueRow, list_queue, load_case, resolve_case_id
from app.store import init_store, open_store
from reviewdb import queue as rq
from reviewdb.engine import StoreError

log = logging.getLogger("reviewdesk")


class UsageError(Exception):
    """Bad option or argument, explained in one line."""


class CommandError(Exception):
    """A refusal or failure the user can act on (exit code attached)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(
    name: str, help_text: str
) -> Callable[[Callable[[argparse.ArgumentParser], None]], Callable[[Handler], Handler]]:
    """Register a subcommand: ``@command(name, help)(configure)(handler)``."""

    def with_configure(
        configure: Callable[[argparse.ArgumentParser], None],
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            _COMMANDS[name] = (handler, configure, help_text)
            return handler

        return register

    return with_configure


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="URL", help="database URL (default: REVIEWDESK_DB or the local store)"
    )


def _user_arg(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument(
        "--user",
        metavar="NAME",
        required=required,
        help="act as this user (password from prompt or REVIEWDESK_PASSWORD)",
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reviewdesk", description="ReviewDesk 审核工作台")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, (_handler, configure, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        configure(p)
    return parser


def json_out(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


# --- init -----------------------------------------------------------------


@command("init", "create or upgrade the database schema")(lambda p: None)
def cmd_init(args: argparse.Namespace) -> int:
    settings = config.resolve(args.db)
    store, backup = init_store(settings)
    if backup:
        print(f"backup of the previous database: {backup}")
    print(f"database ready: {store.description}")
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
    settings = config.resolve(args.db)
    store = open_store(settings)
    scope = scope_for(store, args)
    query = rq.QueueQuery(
        districts=scope,
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
        page = list_queue(store, query, limit=want, after=after)
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


def scope_for(store: Any, args: argparse.Namespace) -> tuple[str, ...] | None:
    """District scope of the acting user; no ``--user`` means the unscoped admin view."""
    user = getattr(args, "user", None)
    if not user:
        return None
    from app.auth import authenticate_cli

    actor = authenticate_cli(store, user)
    districts: tuple[str, ...] = actor.districts
    return districts


# --- show -----------------------------------------------------------------


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", help="case number")
    p.add_argument("--json", action="store_true")
    _user_arg(p)


@command("show", "show one case")(_show_args)
def cmd_show(args: argparse.Namespace) -> int:
    settings = config.resolve(args.db)
    store = open_store(settings)
    scope = scope_for(store, args)
    with store.read() as session:
        case_id = resolve_case_id(session, args.case, scope)
        detail = load_case(session, case_id)
    if args.json:
        json_out(detail.to_json())
        return 0
    print(f"{detail.case_no}  {detail.kind}  {detail.status}  round {detail.round}")
    print(f"  student: {detail.student_name} {detail.student_id_masked}")
    print(f"  {detail.district} / {detail.school}  submitted {detail.submitted_at:%Y-%m-%d %H:%M}")
    for f in detail.findings:
        print(f"  [{f.severity}] {f.code}: {f.message}")
    for a in detail.attachments:
        state = "ok" if a.readable else f"UNREADABLE: {a.reason}"
        print(f"  attachment {a.label}: {a.media_type} {a.width}x{a.height} {state}")
    return 0


# --- entry point ----------------------------------------------------------


def _load_command_modules() -> None:
    """Import the modules that register further subcommands."""
    import importlib

    for module in (
        "app.cli_intake",
        "app.cli_workflow",
        "app.cli_notices",
        "app.cli_sync",
        "app.cli_gui",
        "app.cli_demo",
        "app.cli_users",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    _load_command_modules()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("--") and argv[0] not in ("-h", "--help"):
        argv = ["gui", *argv] if "gui" in _COMMANDS else argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return 2
        handler = _COMMANDS[args.command][0]
        return handler(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except CommandError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except AuthError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except CaseNotFound as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
