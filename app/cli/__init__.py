"""The `reviewdesk` command line: one clear line per outcome, never a traceback.

Every command reaches the store the way the window does: it opens the workstation once
(:func:`workstation_of`: the local store plus, when one is configured, the central store
as arbiter) and acts through :class:`app.workbench.Workbench`. Errors are caught once, in
:func:`main`: refusals and environment problems print one line and exit 1, a bug is kept
in a crash log and named in one line (exit 70).

The command groups live beside this module, one module each (cases, review, intake,
notices, sync, users, demo, gui, export, qa).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from app import config, logs
from app.errors import EXIT_BUG, Refusal, UsageError, classify, describe, write_crash_log
from app.review.errors import WorkflowError
from app.runtime import Workstation, open_workstation
from app.workbench import Reader, Workbench

log = logging.getLogger("reviewdesk")


class CommandError(Refusal):
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


def _central_option(p: argparse.ArgumentParser) -> None:
    if any("--central" in a.option_strings for a in p._actions):
        return  # the command gives --central a meaning of its own
    p.add_argument(
        "--central",
        metavar="URL",
        help="central store (default: REVIEWDESK_CENTRAL, else the one saved in 设置/Settings; "
        "none: this computer's store decides alone)",
    )


def settings_of(args: argparse.Namespace) -> config.Settings:
    return config.resolve(getattr(args, "db", None), getattr(args, "central", None))


def workstation_of(args: argparse.Namespace) -> Workstation:
    """The workstation as the settings describe it: the one road to the store."""
    return open_workstation(settings_of(args))


def desk_of(args: argparse.Namespace, ws: Workstation | None = None) -> Workbench:
    """The facade for ``--user`` (password from a prompt or REVIEWDESK_PASSWORD)."""
    ws = ws or workstation_of(args)
    if not getattr(args, "user", None):
        raise CommandError("--user NAME is required: say who is acting")
    return Workbench(ws, ws.login_cli(args.user))


def reader_of(args: argparse.Namespace) -> Reader:
    """``--user``'s view of the cases, or every district's without ``--user``."""
    ws = workstation_of(args)
    if getattr(args, "user", None):
        return desk_of(args, ws)
    return Reader(ws, None)


def local_only(args: argparse.Namespace, what: str) -> config.Settings:
    """Settings for a command that writes to one store directly (import, users, demo).

    On a workstation that syncs with a central store, writing cases or users into the local
    copy would never reach anyone else: refuse and say where to run it instead.
    """
    settings = settings_of(args)
    if settings.central_url:
        raise CommandError(
            f"this computer syncs with the central store {config.describe(settings.central_url)}: "
            f"{what} there (--db CENTRAL_URL), not into the local copy; nothing was changed"
        )
    return settings


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
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, (_handler, configure, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        configure(p)
        _central_option(p)
    return parser


def json_out(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def date_arg(value: str) -> dt.date:
    """An argparse ``type`` for a day given as YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


class ProgressBar:
    """``\\r[#####     ] 37/100`` on a terminal, for a long command's ``(done, total)``."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._shown = False

    @classmethod
    def on_terminal(cls) -> ProgressBar | None:
        """A bar on standard error when that is a terminal; None otherwise (logs, pipes)."""
        return cls(sys.stderr) if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + " " * (self.WIDTH - filled)
        self._stream.write(f"\r[{bar}] {done}/{total}")
        self._stream.flush()
        self._shown = True

    def end(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()


# --- entry point ----------------------------------------------------------


def _load_command_modules() -> None:
    """Import the modules that register further subcommands."""
    import importlib

    for module in (
        "app.cli.cases",
        "app.cli.intake",
        "app.cli.review",
        "app.cli.notices",
        "app.cli.sync",
        "app.cli.gui",
        "app.cli.demo",
        "app.cli.users",
        "app.cli.ops",
        "app.cli.selftest",
        "app.cli.station",
        "app.cli.export",
        "app.cli.qa",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def check_text(argv: Sequence[str]) -> None:
    """Refuse arguments that are not text: invalid UTF-8 bytes (decoded by Python as lone
    surrogates) or a NUL. Nothing past this point has to think about them."""
    for i, arg in enumerate(argv, 1):
        if "\x00" in arg or any("\ud800" <= ch <= "\udfff" for ch in arg):
            raise UsageError(
                f"reviewdesk: argument {i} is not valid text (invalid UTF-8 bytes or a NUL "
                "character): type it again in plain UTF-8"
            )


def main(argv: Sequence[str] | None = None) -> int:
    logs.setup("command")  # warnings on stderr, the rotating log file (app.logs)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    _load_command_modules()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("--") and argv[0] not in ("-h", "--help", "--version"):
        argv = ["gui", *argv] if "gui" in _COMMANDS else argv
    try:
        check_text(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.version:
            print(f"reviewdesk {logs.program_version()}")
            return 0
        if not args.command:
            parser.print_help()
            return 2
        handler = _COMMANDS[args.command][0]
        return handler(args)
    except UsageError as exc:
        print(describe(exc), file=sys.stderr)
        return 2
    except CommandError as exc:
        print(describe(exc), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): say nothing more, and let exit not flush again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        return report(exc)


def report(exc: BaseException) -> int:
    """The one place a command's failure becomes a line and an exit code."""
    kind = classify(exc)
    if kind == "refusal":
        print(
            f"refused: {describe(exc)}" if isinstance(exc, WorkflowError) else describe(exc),
            file=sys.stderr,
        )
        return 1
    if kind == "environment":
        print(describe(exc), file=sys.stderr)
        return 1
    path = write_crash_log(type(exc), exc, exc.__traceback__, context=f"argv {sys.argv!r}")
    where = f"details in {path}" if path else "details above"
    print(
        f"internal error ({type(exc).__name__}): {describe(exc)[:200]}; {where} - "
        "please send it to your administrator",
        file=sys.stderr,
    )
    return EXIT_BUG
