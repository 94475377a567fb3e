"""`reviewdesk import PATH...`: one line per package, exit 1 when any was rejected."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import config
from app.auth import authenticate_cli
from app.cli import command, local_only
from app.intake.intake import import_packages
from app.store import open_store


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="package folders or .zip files")
    p.add_argument("--user", metavar="NAME", help="record this user as the importer")


@command("import", "import submission packages (folders or .zip)")(_args)
def cmd_import(args: argparse.Namespace) -> int:
    store = open_store(local_only(args, "import packages"))
    actor = None
    if args.user:
        actor = authenticate_cli(store, args.user).username
    workstation = config.workstation_id()
    rejected = 0
    # Packages are stored a batch per transaction (each one atomic on its own): a line is
    # printed once its package is committed.
    paths = [Path(raw) for raw in args.paths]
    for outcome in import_packages(store, paths, actor=actor, workstation=workstation):
        print(outcome.line, flush=True)
        rejected += outcome.status == "rejected"
    return 1 if rejected else 0
