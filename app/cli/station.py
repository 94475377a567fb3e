"""`reviewdesk station`: the school door station window, its set-up, and its day's log.

    reviewdesk station                                   # the window (scanner gun, keyboard)
    reviewdesk station --school 育新学校 --name 东门 --key 东湖区.pub --configure
    reviewdesk station --export-log scans.xlsx [--day 2026-09-01]

The station keeps its settings, key files and scans in ``station.db`` in the data dir
(``app/station/scanlog.py``). It checks signatures offline from the district's public key
files (``reviewdesk keys export``); when a review store is configured here (``--db``,
``--central``, REVIEWDESK_DB, the settings) it also asks the store whether the decision
behind a slip still stands, through the same road as ``reviewdesk verify-slip``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from app import config
from app.cli import CommandError, command, date_arg, settings_of
from app.errors import EnvironmentProblem
from app.station.errors import StationRefusal
from app.station.keyring import read_station_key
from app.station.station import Connect, Station, StationSettings
from app.workbench import Reader


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--school", metavar="NAME", help="the school this station checks slips for")
    p.add_argument("--name", metavar="NAME", help="this station's name in the scan log (东门 …)")
    p.add_argument(
        "--key",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="add a district public key file (reviewdesk keys export); repeat for "
        "retired keys whose slips are still in use",
    )
    p.add_argument(
        "--configure",
        action="store_true",
        help="save --school/--name/--key and print the station's settings; no window",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="check signatures only; do not ask any review store for the decisions' state",
    )
    p.add_argument(
        "--export-log",
        type=Path,
        metavar="FILE",
        help="write the day's scans to FILE (.xlsx or .csv) and exit",
    )
    p.add_argument(
        "--day",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="with --export-log: that day's scans (China time; default today)",
    )
    p.add_argument("--lang", choices=("zh_CN", "en"), default=None, help="interface language")


def connect_of(args: argparse.Namespace) -> Connect | None:
    """How the station reaches a review store, or None for a station that has none: a
    school computer with no store of its own (the default store's file does not exist)
    and no central store configured checks offline, without a message about a store."""
    if args.offline:
        return None
    settings = settings_of(args)
    if settings.is_default and not settings.central_url and not config.default_db_path().exists():
        return None

    def connect() -> Reader:
        from app.runtime import open_workstation

        return Reader(open_workstation(settings), None)

    return connect


def settings_lines(settings: StationSettings, station: Station) -> list[str]:
    lines = [
        f"station: {settings.name}",
        f"school:  {settings.school or '(not set: give --school NAME)'}",
    ]
    if not settings.keys:
        lines.append("keys:    none (give --key FILE from reviewdesk keys export)")
    for key in settings.keys:
        lines.append(f"key:     {key.title} {key.fingerprint}")
    lines.append(f"log:     {station.log.path} ({station.count_today()} scans today)")
    return lines


@command("station", "the school door station: check printed slips with a scanner gun")(_configure)
def cmd_station(args: argparse.Namespace) -> int:
    setup = args.school is not None or args.name is not None or bool(args.key)
    if args.export_log is not None and (setup or args.configure or args.lang or args.offline):
        raise CommandError("station --export-log goes alone (with --day only)", 2)
    if args.day is not None and args.export_log is None:
        raise CommandError("station: --day goes with --export-log", 2)
    if args.configure and not setup:
        raise CommandError("station --configure: give --school, --name or --key to save", 2)
    try:
        keys = [read_station_key(path) for path in args.key]
        station = Station.open(connect=None if args.export_log else connect_of(args))
        if args.export_log is not None:
            done = station.export_day(args.export_log, args.day)
            noun = "scan" if done.rows == 1 else "scans"
            print(f"wrote {done.rows} {noun} of {done.day.isoformat()} to {done.path}")
            return 0
        if setup:
            station.configure(school=args.school, name=args.name, add_keys=keys)
    except StationRefusal as exc:
        raise CommandError(str(exc), 1) from exc
    except EnvironmentProblem as exc:
        raise CommandError(str(exc), 1) from exc
    if args.configure:
        print("\n".join(settings_lines(station.settings, station)))
        return 0
    try:
        gui = importlib.import_module("ui.station.app")
    except ImportError as exc:
        print(
            f"cannot start the window: {exc} (pip install -e . installs PySide6)", file=sys.stderr
        )
        return 3
    problem = gui.display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 3
    code: int = gui.run(station, lang=args.lang)
    return code
