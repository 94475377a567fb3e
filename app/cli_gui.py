"""`reviewdesk gui [--db URL] [--central URL] [--lang en]`: open the workstation window (the default command).

This module is the GUI's entry point, the one place outside ``ui/`` that starts it. It
loads ``ui.app`` by name, at run time, so that ``app/`` keeps no import of ``ui/`` (or
of Qt's widgets) and the command-line tools run where Qt is not installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from app import config
from app.cli import command

LANGUAGES = ("zh_CN", "en")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="interface language (default: the last one chosen in the Language menu, else zh_CN)",
    )
    p.add_argument(
        "--central",
        metavar="URL",
        default=None,
        help="central store to sync with (default: REVIEWDESK_CENTRAL, else the one set in "
        "File > Settings; none: stand-alone)",
    )


@command("gui", "open the review workstation window (the default when no command is given)")(
    _configure
)
def cmd_gui(args: argparse.Namespace) -> int:
    try:
        gui = importlib.import_module("ui.app")
    except ImportError as exc:
        print(
            f"cannot start the window: {exc} (pip install -e . installs PySide6)", file=sys.stderr
        )
        return 3
    problem = gui.display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 3
    settings = config.resolve(args.db, args.central)
    code: int = gui.run(settings, lang=args.lang)
    return code
