"""The files people take away (sheets, the audit CSV, the station's day of scans): written
whole or not at all, and with no cell a spreadsheet would run as a formula.

One way to do each, shared by every writer of such a file, so that a fix to one (an
fsync, a cancelled export's leftovers, a new formula prefix) reaches them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Final

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a CSV cell that Excel would take for a formula starts with."""


def csv_text(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: with a leading apostrophe when
    it would take it for a formula (a school or a name someone typed must never run)."""
    return "'" + value if value.startswith(FORMULA_START) else value


@contextmanager
def written_whole(path: Path, *, encoding: str | None = None) -> Iterator[IO[Any]]:
    """A file to write ``path``'s new content to, put in place only when the block ends.

    The file is ``.NAME.part`` beside ``path`` (the same folder, so the rename is atomic),
    opened in binary, or as text in ``encoding`` with ``newline=""`` (as ``csv`` wants).
    When the block ends normally it is flushed, fsynced and renamed onto ``path``; when
    the block raises (an error, a cancel) it is removed and the exception goes on: never
    half a file, and an earlier ``path`` stays as it was.
    """
    part = path.with_name(f".{path.name}.part")
    try:
        with (
            open(part, "w", encoding=encoding, newline="")
            if encoding is not None
            else open(part, "wb")
        ) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
