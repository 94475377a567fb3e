"""Log files for the window and the commands: rotating, in the platform's log directory,
and never holding a resident ID number or a password.

:func:`setup` is called once at the start of every front-end (``app.cli.main`` for the
commands, ``ui.shell.app.run`` for the window). It keeps ``reviewdesk.log`` (1 MB, five
older files beside it) in :func:`app.config.log_dir` — ``REVIEWDESK_DATA/logs`` when that
is set, else the platform's user log directory, where the crash logs go too — and one
short line per warning on standard error, as before.

Every record passes :class:`Redact` on its way to either: 18-character resident ID numbers
are masked as the JSON output masks them (first 6 and last 4 kept,
:func:`app.notices.model.mask_id_number`), and passwords are replaced by ``***``: the
values of ``REVIEWDESK_PASSWORD`` and ``PGPASSWORD``, the password part of a database URL
(``postgresql://user:secret@host``) and ``password=…`` in a connection string.

The version every front-end reports (``reviewdesk --version``, Help → About, the first
line of each run in the log) is :func:`program_version`.
"""

from __future__ import annotations

import functools
import logging
import logging.handlers
import os
import re
import sys
import time
import tomllib
from pathlib import Path

from app import config
from app.notices.model import mask_id_number

__all__ = [
    "BACKUP_COUNT",
    "LOG_FILE",
    "MAX_BYTES",
    "Redact",
    "close",
    "program_version",
    "redact",
    "setup",
]

LOG_FILE = "reviewdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
CONSOLE_FORMAT = "%(message)s"
MASK = "***"
PASSWORD_VARIABLES = (config.ENV_PASSWORD, "PGPASSWORD")
"""Environment variables whose value is a password: never written anywhere."""

# An 18-character resident ID number that is not part of a longer number. Letters around
# it do not protect it (``id360102…``): masking a digit run inside a hash costs nothing.
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
# scheme://user:PASSWORD@host
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*(?=@)")
# password=... / "password": "..." in a connection string or a dumped mapping
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd)\b['\"]?\s*[=:]\s*)(?:'[^']*'|\"[^\"]*\"|[^\s,;)}&]+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """``text`` with resident ID numbers masked and passwords replaced by ``***``."""
    for name in PASSWORD_VARIABLES:
        secret = os.environ.get(name)
        if secret:
            text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    text = _KEYWORD_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)


class Redact(logging.Filter):
    """Masks ID numbers and passwords in a record's message, traceback and stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it as logging does
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _RotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating log that several processes (the window and commands) may share.

    Windows refuses to rename a file another process has open: then this one keeps
    appending and tries again a minute later, instead of losing every line (and an
    older backup with each try). A line that cannot be written is dropped quietly: a
    log must never put a traceback on the reviewer's terminal.
    """

    RETRY_SECONDS = 60.0

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
        self._retry_at = 0.0

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 - logging API
        if time.monotonic() < self._retry_at:
            return False
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:  # noqa: N802 - logging API
        try:
            super().doRollover()
        except OSError:
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            if self.stream is None:
                self.stream = self._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging API
        pass


_MARK = "_reviewdesk_handler"


def _ours(handler: logging.Handler) -> bool:
    return bool(getattr(handler, _MARK, False))


def close() -> None:
    """Remove and close the handlers :func:`setup` added (tests; a clean exit needs nothing)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(handler)
        handler.close()


def setup(front_end: str, *, directory: Path | None = None) -> Path | None:
    """Send this process's log records to the rotating file (INFO and up) and warnings to
    standard error; returns the log file, or None when its directory cannot be made.

    Safe to call again (each test of the commands calls ``main``): the handlers this
    function added before are replaced, not doubled. Standard error gets a handler only
    when nothing else (a test runner) handles the root logger, as ``basicConfig`` did.
    """
    close()
    root = logging.getLogger()
    redact_filter = Redact()
    if not root.handlers and sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter(CONSOLE_FORMAT))
        console.addFilter(redact_filter)
        setattr(console, _MARK, True)
        root.addHandler(console)
    folder = directory or config.log_dir()
    path: Path | None = folder / LOG_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _RotatingFile(folder / LOG_FILE)
    except OSError:
        path = None  # a read-only or full disk: the program works on without a log file
    else:
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
        handler.addFilter(redact_filter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger("reviewdesk").info(
        "reviewdesk %s %s started (python %s, %s)",
        program_version(),
        front_end,
        sys.version.split()[0],
        "bundle" if getattr(sys, "frozen", False) else sys.platform,
    )
    return path


@functools.lru_cache(maxsize=1)
def program_version() -> str:
    """This program's version.

    In a source tree, ``pyproject.toml`` beside the packages says it (an editable install's
    metadata may be older); otherwise the installed package's metadata — which, in the
    PyInstaller bundle, is the ``reviewdesk-<version>.dist-info`` that
    ``build_installer.spec`` bakes in from ``pyproject.toml`` at build time.
    """
    from importlib.metadata import PackageNotFoundError, version

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "reviewdesk" and project.get("version"):
            return str(project["version"])
    except (OSError, ValueError):
        pass
    try:
        return version("reviewdesk")
    except PackageNotFoundError:
        return "unknown"
