"""`reviewdesk backup|restore|doctor`: keeping a workstation's store safe and checking it.

``backup`` and ``restore`` work on the local SQLite store and its images (see
:mod:`app.backups` and docs/operations.md). ``doctor`` prints one line per check,
``ok``/``warn``/``FAIL`` and what to do about a failure; it exits 1 when any check failed.
It runs anywhere — no central store, no printer, no display — and never ends in a
traceback: a check that breaks is itself reported as a failed check.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from app import backups, config
from app.cli import CommandError, command, settings_of
from app.errors import classify, describe, write_crash_log
from app.store import check_integrity, open_store, store_of
from reviewdb import migrate
from reviewdb.engine import Store, StoreUnavailable, default_blob_dir, normalize_url

# --- backup -----------------------------------------------------------------------------


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--to",
        metavar="DIR",
        help="write the backup here (another disk, a USB stick) instead of <data dir>/backups; "
        "backups there are never pruned",
    )


def _local_file(args: argparse.Namespace, what: str) -> tuple[config.Settings, Path]:
    settings = settings_of(args)
    db = backups.sqlite_file(settings.db_url)
    if db is None:
        raise CommandError(
            f"{config.describe(settings.db_url)} is not a SQLite file: {what} works on a "
            "workstation's SQLite store (a PostgreSQL store is backed up with pg_dump, "
            "docs/operations.md)"
        )
    return settings, db


@command("backup", "copy the local store and its images, checked (default: <data dir>/backups)")(
    _backup_args
)
def cmd_backup(args: argparse.Namespace) -> int:
    settings, db = _local_file(args, "backup")
    if not db.is_file():
        raise StoreUnavailable(f"no database at {db}: nothing to back up")
    store = open_store(settings, require_schema=False)
    try:
        result = backups.backup_store(store, Path(args.to).expanduser() if args.to else None)
    finally:
        store.dispose()
    pruned = f"; {len(result.pruned)} older removed (backup_keep)" if result.pruned else ""
    print(result.summary() + pruned)
    return 0


# --- restore ----------------------------------------------------------------------------


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the backup to put back (a .db file)")


@command("restore", "put a backup back in place of the local store (the replaced file is kept)")(
    _restore_args
)
def cmd_restore(args: argparse.Namespace) -> int:
    settings, db = _local_file(args, "restore")
    blob_root = settings.blob_dir or default_blob_dir(normalize_url(settings.db_url))
    result = backups.restore(db, blob_root, Path(args.file))
    then = (
        "; run reviewdesk sync: what already reached the central store comes back"
        if settings.central_url
        else ""
    )
    print(result.summary(config.describe(settings.db_url)) + then)
    return 0


# --- doctor -----------------------------------------------------------------------------

OK, WARN, FAIL = "ok", "warn", "FAIL"
FREE_FAIL_BYTES = 200 * 1024 * 1024
FREE_WARN_BYTES = 1024 * 1024 * 1024
CLOCK_WARN_SECONDS = 120.0
BACKUP_WARN_DAYS = 2
QT_PROBE_ENV = "REVIEWDESK_DOCTOR_QT_PROBE"
QT_PROBE_TIMEOUT = 60
LIBRARIES = (
    "PySide6-Essentials",
    "SQLAlchemy",
    "alembic",
    "psycopg",
    "Pillow",
    "pillow-heif",
    "reportlab",
    "segno",
    "pypdfium2",
    "python-stdnum",
    "platformdirs",
    "argon2-cffi",
    "cryptography",
    "jsonschema",
    "openpyxl",
)


@dataclass(frozen=True)
class Check:
    status: str  # ok / warn / FAIL
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


def _doctor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="the checks as a JSON array")


@command("doctor", "check this computer: Python, Qt, fonts, stores, keys, printers, logs")(
    _doctor_args
)
def cmd_doctor(args: argparse.Namespace) -> int:
    if os.environ.get(QT_PROBE_ENV) == "1":
        # The child process of the Qt check (see _qt_checks): report and stop.
        print(json.dumps(qt_probe()))
        return 0
    checks: list[Check] = []
    for produce in _checks(args):
        for check in _safely(produce):
            checks.append(check)
            if not args.json:
                print(check.line(), flush=True)
    if args.json:
        print(json.dumps([c.__dict__ for c in checks], ensure_ascii=False, indent=2))
    failed = [c for c in checks if c.status == FAIL]
    if not args.json:
        warned = sum(c.status == WARN for c in checks)
        print(
            f"{len(checks)} checks: {len(failed)} failed, {warned} warning{'' if warned == 1 else 's'}"
            if failed or warned
            else f"{len(checks)} checks: all ok"
        )
    return 1 if failed else 0


Producer = Callable[[], list[Check]]


def _safely(produce: Producer) -> list[Check]:
    """A check that breaks is a failed check, never a traceback."""
    name = getattr(produce, "check_name", produce.__name__.strip("_").replace("_", " "))
    try:
        return produce()
    except Exception as exc:
        if classify(exc) == "bug":
            path = write_crash_log(type(exc), exc, exc.__traceback__, context=f"doctor: {name}")
            where = f"; details in {path}" if path else ""
            return [
                Check(
                    FAIL,
                    name,
                    f"internal error ({type(exc).__name__}): {describe(exc)[:200]}{where} - "
                    "please send it to your administrator",
                )
            ]
        return [Check(FAIL, name, describe(exc))]


def _named(name: str) -> Callable[[Producer], Producer]:
    def mark(produce: Producer) -> Producer:
        produce.check_name = name  # type: ignore[attr-defined]
        return produce

    return mark


def _checks(args: argparse.Namespace) -> Iterator[Producer]:
    yield _python_check
    yield _library_check
    yield _font_check
    yield _qt_checks
    yield _log_check
    try:
        settings = settings_of(args)
    except Exception as exc:
        error = exc

        @_named("settings")
        def _bad_settings() -> list[Check]:
            raise error

        yield _bad_settings
        return
    state: dict[str, Any] = {}
    yield _named("local store")(lambda: _local_store_checks(settings, state))
    yield _named("central store")(lambda: _central_checks(settings, state))
    yield _named("signing keys")(lambda: _key_checks(state))


# --- the program and this computer ------------------------------------------------------


@_named("python")
def _python_check() -> list[Check]:
    # (An older Python cannot even load this module: pyproject.toml requires 3.11.)
    version = ".".join(str(p) for p in sys.version_info[:3])
    return [Check(OK, "python", f"Python {version} ({sys.executable})")]


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text.split("+")[0])[:4])


def _requirements() -> dict[str, list[tuple[str, str]]]:
    """The version bounds ReviewDesk was installed with, by distribution name."""
    bounds: dict[str, list[tuple[str, str]]] = {}
    try:
        required = metadata.requires("reviewdesk") or []
    except metadata.PackageNotFoundError:
        return bounds
    for line in required:
        if ";" in line:  # extras (tests, build)
            continue
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", line)
        if not match:
            continue
        name = match[1].lower().replace("_", "-")
        for op, ver in re.findall(r"(>=|<=|==|<|>)\s*([0-9][^,\s]*)", match[3]):
            bounds.setdefault(name, []).append((op, ver))
    return bounds


def _meets(version: str, op: str, bound: str) -> bool:
    have, want = _version_tuple(version), _version_tuple(bound)
    return {
        ">=": have >= want,
        ">": have > want,
        "<=": have <= want,
        "<": have < want,
        "==": have == want,
    }[op]


@_named("libraries")
def _library_check() -> list[Check]:
    bounds = _requirements()
    found, problems = [], []
    for dist in LIBRARIES:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            problems.append(f"{dist} missing")
            continue
        found.append(f"{dist} {version}")
        for op, bound in bounds.get(dist.lower(), []):
            if not _meets(version, op, bound):
                problems.append(f"{dist} {version} (needs {op}{bound})")
    if problems:
        return [
            Check(
                FAIL,
                "libraries",
                f"{', '.join(problems)}: reinstall ReviewDesk (pip install --upgrade reviewdesk)",
            )
        ]
    return [Check(OK, "libraries", ", ".join(found))]


@_named("CJK font")
def _font_check() -> list[Check]:
    from resources import FONT_PATH

    try:
        with FONT_PATH.open("rb") as f:
            head = f.read(4)
        size = FONT_PATH.stat().st_size
    except OSError as exc:
        return [
            Check(
                FAIL,
                "CJK font",
                f"{FONT_PATH}: {exc.strerror or exc}: reinstall ReviewDesk (notices and the "
                "window need it for Chinese text)",
            )
        ]
    if head not in (b"ttcf", b"\x00\x01\x00\x00", b"OTTO") or size < 1024:
        return [Check(FAIL, "CJK font", f"{FONT_PATH} is not a font file: reinstall ReviewDesk")]
    return [Check(OK, "CJK font", f"{FONT_PATH.name} ({size / 1e6:.1f} MB)")]


def qt_probe() -> dict[str, Any]:
    """Runs in a child process: can Qt start (offscreen), and which printers does it see.

    Qt is loaded by name here, in the child only: the commands themselves never load it.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    result: dict[str, Any] = {}
    pyside = importlib.import_module("PySide6")
    qtcore = importlib.import_module("PySide6.QtCore")
    result["pyside6"] = str(pyside.__version__)
    result["qt"] = str(qtcore.qVersion())
    qtgui = importlib.import_module("PySide6.QtGui")
    app = qtgui.QGuiApplication(["reviewdesk-doctor"])
    result["platform"] = str(app.platformName())
    try:
        printing = importlib.import_module("PySide6.QtPrintSupport")
        result["printers"] = [str(n) for n in printing.QPrinterInfo.availablePrinterNames()]
        result["default_printer"] = str(printing.QPrinterInfo.defaultPrinterName())
    except ImportError as exc:
        result["printing_error"] = str(exc)
    return result


def _qt_child_command() -> list[str]:
    if getattr(sys, "frozen", False):  # a packaged build: the executable is ReviewDesk
        return [sys.executable, "doctor"]
    return [sys.executable, "-m", "app", "doctor"]


@_named("Qt")
def _qt_checks() -> list[Check]:
    checks = []
    root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        QT_PROBE_ENV: "1",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
    }
    try:
        done = subprocess.run(
            _qt_child_command(),
            env=env,
            capture_output=True,
            text=True,
            timeout=QT_PROBE_TIMEOUT,
        )
        lines = done.stdout.strip().splitlines()
        probe = json.loads(lines[-1]) if done.returncode == 0 and lines else None
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        probe, reason = None, str(exc)
    if not isinstance(probe, dict):
        checks.append(
            Check(
                FAIL,
                "Qt",
                f"PySide6 cannot start ({reason[:200]}): reinstall ReviewDesk; the commands "
                "work without it, the window does not",
            )
        )
        probe = {}
    else:
        checks.append(
            Check(
                OK,
                "Qt",
                f"PySide6 {probe.get('pyside6')} (Qt {probe.get('qt')}), "
                f"{probe.get('platform')} platform starts",
            )
        )
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        checks.append(
            Check(
                WARN,
                "display",
                "no DISPLAY or WAYLAND_DISPLAY: the window cannot open in this session "
                "(the commands work); start reviewdesk from the desktop",
            )
        )
    else:
        checks.append(Check(OK, "display", "a display is available for the window"))
    checks.append(_printer_check(probe))
    return checks


def _lpstat() -> str | None:
    """CUPS' view of the default printer (Linux, macOS), if lpstat is installed."""
    if os.name == "nt" or shutil.which("lpstat") is None:
        return None
    try:
        done = subprocess.run(["lpstat", "-d"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or done.stderr.strip() or "no answer").splitlines()[0]


def _printer_check(probe: dict[str, Any]) -> Check:
    printers = probe.get("printers") or []
    default = probe.get("default_printer") or ""
    cups = _lpstat()
    cups_note = (
        f"; CUPS: {cups}" if cups else ("" if os.name == "nt" else "; CUPS: lpstat not installed")
    )
    if printers:
        named = ", ".join(printers[:5]) + (" …" if len(printers) > 5 else "")
        default_note = f"default {default}" if default else "no default printer"
        return Check(OK, "printers", f"{len(printers)} ({named}; {default_note}){cups_note}")
    why = probe.get("printing_error")
    return Check(
        WARN,
        "printers",
        ("Qt print support missing: " + why if why else "no printer installed")
        + f"{cups_note}: notices can still be saved as PDF (reviewdesk print … --out F.pdf); "
        "install a printer to print directly",
    )


@_named("log directory")
def _log_check() -> list[Check]:
    directory = config.log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".doctor-", dir=directory)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return [
            Check(
                FAIL,
                "log directory",
                f"{directory} is not writable ({exc.strerror or exc}): crash logs would be "
                f"lost; make it writable or set {config.ENV_DATA}",
            )
        ]
    return [Check(OK, "log directory", f"{directory} is writable")]


# --- the stores -------------------------------------------------------------------------


def _schema_check(name: str, store: Store, *, central: bool) -> Check:
    current = migrate.current_revision(store)
    head = migrate.head_revision()
    init = "reviewdesk central init URL" if central else "reviewdesk init"
    if current is None:
        return Check(FAIL, name, f"{store.description} is not a ReviewDesk store yet: run {init}")
    if current not in migrate.known_revisions():
        return Check(FAIL, name, describe(migrate.too_new(store, current)))
    if current != head:
        return Check(
            FAIL, name, f"at schema {current}, this program needs {head}: run {init} to upgrade it"
        )
    return Check(OK, name, f"schema {current} (current)")


def _free_space_check(where: Path) -> Check:
    usage = shutil.disk_usage(where)
    free = f"{usage.free / 2**30:.1f} GiB free of {usage.total / 2**30:.1f} GiB at {where}"
    if usage.free < FREE_FAIL_BYTES:
        return Check(FAIL, "disk space", f"{free}: free some space now (writes will fail)")
    if usage.free < FREE_WARN_BYTES:
        return Check(WARN, "disk space", f"{free}: free some space soon")
    return Check(OK, "disk space", free)


def _backup_check(db: Path) -> Check:
    found = backups.list_backups(db)
    keep = backups.backup_keep()
    if not found:
        return Check(
            WARN,
            "backups",
            f"no backup of this store in {backups.backups_dir()} yet: run reviewdesk backup "
            "(one is also made at the first start of each day)",
        )
    newest = found[0]
    age = dt.datetime.now() - newest.made
    line = f"newest {newest.made:%Y-%m-%d %H:%M} ({newest.path}); {len(found)} kept (backup_keep {keep})"
    if age > dt.timedelta(days=BACKUP_WARN_DAYS):
        return Check(
            WARN, "backups", f"{line}: older than {BACKUP_WARN_DAYS} days, run reviewdesk backup"
        )
    return Check(OK, "backups", line)


def _local_store_checks(settings: config.Settings, state: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    db = backups.sqlite_file(settings.db_url)
    where = config.describe(settings.db_url)
    if db is not None and not db.is_file():
        return [
            Check(
                FAIL,
                "local store",
                f"no database at {db}: run reviewdesk init"
                + ("" if settings.is_default else f" --db {settings.db_url}"),
            )
        ]
    store = store_of(settings)
    state["local"] = store
    if db is not None:
        size = db.stat().st_size
        checks.append(Check(OK, "local store", f"{where} ({size / 1e6:.1f} MB)"))
        full = backups.full_check_wanted(db)
        try:
            check_integrity(store, full=full)
        except Exception as exc:
            state["unusable"] = True
            checks.append(Check(FAIL, "store integrity", describe(exc)))
            return checks
        checks.append(
            Check(
                OK,
                "store integrity",
                f"SQLite {'integrity_check' if full else 'quick_check'} ok",
            )
        )
    else:
        try:
            store.ping()
        except Exception:
            state["unusable"] = True
            raise
        checks.append(Check(OK, "local store", f"{where} reachable"))
    schema = _schema_check("store schema", store, central=False)
    checks.append(schema)
    state["current"] = schema.status == OK
    if db is not None:
        checks.append(_free_space_check(db.parent))
        checks.append(_backup_check(db))
    return checks


def _central_checks(settings: config.Settings, state: dict[str, Any]) -> list[Check]:
    url = settings.central_url
    if not url:
        return [Check(OK, "central store", "none configured: this computer decides alone")]
    from app.sync.engine import central_store, skewed_clock
    from reviewdb.journal import store_now

    where = config.describe(url)
    central_file = backups.sqlite_file(url)
    if central_file is not None and not central_file.is_file():
        return [
            Check(
                FAIL,
                "central store",
                f"no central store file at {central_file}: check the network drive, or the "
                "URL in 设置/Settings (REVIEWDESK_CENTRAL)",
            )
        ]
    central = central_store(url)
    try:
        try:
            central.ping()
        except Exception as exc:
            return [
                Check(
                    FAIL,
                    "central store",
                    f"{describe(exc)}: check the network and the server; work decided here "
                    "waits on this computer until it is reachable",
                )
            ]
        checks = [Check(OK, "central store", f"{where} reachable")]
        checks.append(_schema_check("central schema", central, central=True))
        if central.is_sqlite:
            checks.append(
                Check(OK, "clock", "a central SQLite file keeps no clock of its own (no offset)")
            )
            return checks
        with central.read() as cs:
            offset = (store_now(cs) - skewed_clock()).total_seconds()
        text_ = f"this computer's clock is {abs(offset):.1f} s {'behind' if offset > 0 else 'ahead of'} the central store"
        if abs(offset) > CLOCK_WARN_SECONDS:
            checks.append(
                Check(
                    WARN,
                    "clock",
                    f"{text_}: set the clock (leases use the central store's time, so work is "
                    "safe, but times shown here are off)",
                )
            )
        else:
            checks.append(Check(OK, "clock", text_))
        return checks
    finally:
        central.dispose()


def _key_checks(state: dict[str, Any]) -> list[Check]:
    store: Store | None = state.get("local")
    try:
        if store is None or state.get("unusable") or not state.get("current"):
            return [Check(WARN, "signing keys", "not checked: the local store is not usable")]
        from sqlalchemy import select

        from app.notices.printing import NoSigningKey, key_path, keys_dir, signing_key
        from reviewdb.models import District

        with store.read() as s:
            districts = list(s.scalars(select(District).order_by(District.code)))
        ready, public_only, mismatched = [], [], []
        for d in districts:
            has_file = key_path(d.code).exists()
            if d.public_key_pem and has_file:
                try:
                    signing_key(d)
                    ready.append(d.name)
                except NoSigningKey:
                    mismatched.append(d.name)
            elif d.public_key_pem:
                public_only.append(d.name)
            elif has_file:
                mismatched.append(d.name)
        parts = []
        if ready:
            parts.append(f"can sign for {', '.join(ready)}")
        if public_only:
            parts.append(
                f"public key only (no private key file in {keys_dir()}) for {', '.join(public_only)}"
            )
        without = len(districts) - len(ready) - len(public_only) - len(mismatched)
        if without:
            parts.append(f"{without} of {len(districts)} districts have no key")
        if mismatched:
            return [
                Check(
                    FAIL,
                    "signing keys",
                    f"the key file does not match the store's public key for {', '.join(mismatched)}: "
                    "copy the district's key file here, or run reviewdesk keys init --district D --overwrite",
                )
            ]
        if not ready:
            return [
                Check(
                    WARN,
                    "signing keys",
                    "; ".join(parts or ["no districts"])
                    + ": this computer cannot print signed notices (reviewdesk keys init --district D)",
                )
            ]
        return [Check(OK, "signing keys", "; ".join(parts))]
    finally:
        if store is not None:
            store.dispose()
