"""`reviewdesk gui [--db URL] [--central URL] [--lang en]`: open the workstation window (the default command).

This module is the GUI's entry point, the one place outside ``ui/`` that starts it. It
loads ``ui.shell.app`` by name, at run time, so that ``app/`` keeps no import of ``ui/`` (or
of Qt's widgets) and the command-line tools run where Qt is not installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app.cli import command, settings_of

LANGUAGES = ("zh_CN", "en")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="interface language (default: the last one chosen in the Language menu, else zh_CN)",
    )


@command("gui", "open the review workstation window (the default when no command is given)")(
    _configure
)
def cmd_gui(args: argparse.Namespace) -> int:
    try:
        gui = importlib.import_module("ui.shell.app")
    except ImportError as exc:
        print(
            f"cannot start the window: {exc} (pip install -e . installs PySide6)", file=sys.stderr
        )
        return 3
    problem = gui.display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 3
    settings = settings_of(args)
    code: int = gui.run(settings, lang=args.lang)
    return code
