"""`reviewdesk export decisions`: a period's decided case rounds as .xlsx or .csv (issue 17).

The rows, their columns and the totals are :mod:`app.review.export`'s (docs/export.md);
this command only reads the arguments, shows a progress bar on a terminal and says in one
line what was written. A request that cannot be met (dates, format, file name) is a usage
error (exit 2); full ID numbers for someone not an administrator, like any refusal, exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CommandError, ProgressBar, _user_arg, command, date_arg, desk_of
from app.review.export import FORMATS, ExportRefusal, ExportResult, format_of

# Refusals that are about how the command was typed: exit 2, as a bad option is.
_USAGE_REASONS = frozenset({"dates", "format"})


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["decisions"], help="what to export: decisions")
    p.add_argument(
        "--from",
        dest="date_from",
        required=True,
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="first day (China time) of decisions to include",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        required=True,
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="last day (China time, included)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="xlsx (a workbook with a 合计 sheet) or csv (UTF-8 with BOM); "
        "default: the --out file's extension",
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the file to write")
    p.add_argument(
        "--full-ids",
        action="store_true",
        help="unmasked ID numbers (administrators only; journaled)",
    )
    _user_arg(p, required=True)


@command("export", "export decided case rounds of a period for the city (.xlsx or .csv)")(_args)
def cmd_export(args: argparse.Namespace) -> int:
    out: Path = args.out
    fmt = args.format or format_of(out)
    if fmt is None:
        raise CommandError(
            f"export: {out.name} is neither .xlsx nor .csv: name the file so, or give --format",
            2,
        )
    desk = desk_of(args)
    bar = ProgressBar.on_terminal()
    try:
        result = desk.export_decisions(
            out, args.date_from, args.date_to, fmt, full_ids=args.full_ids, progress=bar
        )
    except ExportRefusal as exc:
        if exc.reason in _USAGE_REASONS:
            raise CommandError(f"export: {exc}", 2) from exc
        if exc.reason == "path":
            raise CommandError(str(exc), 1) from exc
        raise CommandError(f"refused: {exc}", 1) from exc
    finally:
        if bar is not None:
            bar.end()
    print(summary(result))
    return 0


def summary(result: ExportResult) -> str:
    """One line: how many rows, of which period, where, and the outcome totals."""
    rounds = "decided round" if result.rows == 1 else "decided rounds"
    outcomes = ", ".join(f"{label} {n}" for label, n in result.totals.by_outcome)
    ids = "full ID numbers (journaled)" if result.full_ids else "ID numbers masked"
    source = "" if result.source == "this store" else f"; from {result.source}"
    return (
        f"exported {result.rows} {rounds} of {result.date_from:%Y-%m-%d} to "
        f"{result.date_to:%Y-%m-%d} to {result.path} ({outcomes}; {ids}{source})"
    )
