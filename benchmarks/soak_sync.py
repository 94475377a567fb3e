"""The sync reliability table at full size: `python -m benchmarks.soak_sync [pytest args]`.

Runs tests/integration/test_sync_reliability.py and test_sync_nothing_lost.py (prints
from three workstations, undo after a remote print, a poisoned journal entry among 999
others, a restored backup, one uploader, conflicts shown) with REVIEWDESK_SOAK=1 (2,000 decisions
and 100 kill -9s for the uploader, 20,000 cases for the puller, 1,000 cases in the decision
race, 4 x 400 writers for the cursor, 1,000 items with one poisoned, a 45-second network
cut, 10 images of 20 MiB) and prints every test's counts, then a summary of them.
Single sizes can still be overridden with REVIEWDESK_SYNC_<NAME> (see the test module).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
TEST_FILES = [
    TESTS / "integration/test_sync_reliability.py",
    TESTS / "integration/test_sync_nothing_lost.py",
    TESTS / "integration/test_intake_findings_sync.py",
    TESTS / "ui/sync/test_checkout_navigation.py",
]
MARK = "[sync-reliability]"


class _Tee(io.TextIOBase):
    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream = stream
        self.lines: list[str] = []

    def write(self, s: str) -> int:
        self.stream.write(s)
        self.lines.extend(line for line in s.splitlines() if MARK in line)
        return len(s)

    def flush(self) -> None:
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    import pytest

    os.environ["REVIEWDESK_SOAK"] = "1"
    os.environ.setdefault("REVIEWDESK_SYNC_CUT_SECONDS", "45")
    tee = _Tee(sys.stdout)  # type: ignore[arg-type]
    started = time.perf_counter()
    with contextlib.redirect_stdout(tee):
        rc = pytest.main(
            [*map(str, TEST_FILES), "-s", "-q", "-p", "no:cacheprovider", *(argv or sys.argv[1:])]
        )
    print(f"\n== sync soak: {time.perf_counter() - started:.0f} s, pytest exit {int(rc)} ==")
    for line in tee.lines:
        print(line.split(MARK, 1)[1].strip())
    return int(rc)


if __name__ == "__main__":
    sys.exit(main())
