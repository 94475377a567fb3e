"""Errors by kind, caught once: refusals, environment problems, and bugs (crash log).

Every front-end (the window, each command) catches at one place and asks :func:`classify`
what it has:

- ``"refusal"`` — the user can fix it (:class:`Refusal` and its kinds: a workflow refusal,
  a login refused, a package rejected, a print refused). One line; nothing was changed.
- ``"environment"`` — the world got in the way (:class:`EnvironmentProblem`: store down,
  busy, corrupt, future schema; a full disk; a file that cannot be read). One line.
- ``"bug"`` — anything else: :func:`write_crash_log` keeps the traceback in the platform's
  log directory and the user is told where, in one line.
"""

from __future__ import annotations

import datetime as dt
import errno
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Literal

from app import config
from reviewdb.engine import StoreBusy, StoreError, StoreUnavailable
from reviewdb.errors import EnvironmentProblem, Refusal, ReviewDeskError

__all__ = [
    "EXIT_BUG",
    "EnvironmentProblem",
    "Refusal",
    "ReviewDeskError",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "UsageError",
    "classify",
    "describe",
    "write_crash_log",
]

MAX_LINE = 400  # characters of one message line
EXIT_BUG = 70  # EX_SOFTWARE: an internal error, logged
Kind = Literal["refusal", "environment", "bug"]

# OSErrors that the environment causes (a full or read-only disk, a missing or locked file)
# rather than our code.
_ENVIRONMENT_ERRNOS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ENOENT,
        errno.EISDIR,
        errno.ENOTDIR,
        errno.EIO,
        errno.EMFILE,
        errno.ENAMETOOLONG,
        errno.EEXIST,
    }
)


class UsageError(Refusal):
    """A bad option or argument on the command line, explained in one line."""


def classify(error: BaseException) -> Kind:
    """Which of the three kinds ``error`` is."""
    if isinstance(error, Refusal):
        return "refusal"
    if isinstance(error, EnvironmentProblem):
        return "environment"
    if isinstance(error, OSError) and error.errno in _ENVIRONMENT_ERRNOS:
        return "environment"
    if isinstance(error, MemoryError):
        return "environment"
    return "bug"


def describe(error: BaseException) -> str:
    """One line for a refusal or an environment problem."""
    if isinstance(error, OSError) and classify(error) == "environment":
        where = f" {error.filename}" if error.filename else ""
        what = error.strerror or str(error)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return _one_line(
                f"disk full{where}: {what}; free some space and try again (nothing was lost)"
            )
        return _one_line(f"cannot use{where}: {what}")
    return _one_line(str(error) or type(error).__name__)


def _one_line(text: str) -> str:
    """``text`` on one line of at most :data:`MAX_LINE` characters."""
    text = " ".join(text.split()) if "\n" in text else text
    if len(text) > MAX_LINE:
        # A message that quotes what was typed must not flood the terminal with it.
        text = f"{text[: MAX_LINE - 40]}… ({len(text):,} characters in all)"
    return text


def write_crash_log(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    directory: Path | None = None,
    context: str = "",
) -> Path | None:
    """Keep a bug's traceback in a crash file; None when even that cannot be written."""
    from importlib.metadata import PackageNotFoundError, version

    directory = directory or config.log_dir()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = directory / f"crash-{stamp}.log"
    try:
        ours = version("reviewdesk")
    except PackageNotFoundError:
        ours = "?"
    detail = "".join(traceback.format_exception(exc_type, exc, tb))
    worker = getattr(exc, "_rd_traceback", None)  # where a background task failed
    text = (
        f"ReviewDesk {ours} crash log {dt.datetime.now().isoformat()}\n"
        f"python {platform.python_version()} {platform.platform()}\n"
        f"thread {threading.current_thread().name}\n"
        + (f"{context}\n" if context else "")
        + f"\n{detail}"
        + (f"\nin the background task:\n{worker}" if worker else "")
    )
    from app.logs import redact  # a crash log is a log: no ID number, no password

    text = redact(text)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError:
        sys.stderr.write(text)
        return None
    return path
