"""``python -m benchmarks --slow`` (issue 18): the process really runs on one CPU shared with
a busy competitor while the benchmarks run, and everything is put back afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.slow import throttled

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity"), reason="CPU pinning is Linux-only"
)


def _cpu_of(pid: int) -> set[int]:
    return os.sched_getaffinity(pid)


def _busy(pid: int) -> bool:
    """Whether ``pid`` used CPU time in the last 0.3 s (from /proc/<pid>/stat)."""

    def ticks() -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    before = ticks()
    time.sleep(0.3)
    return ticks() > before


def test_throttle_pins_this_process_and_a_busy_competitor_then_restores() -> None:
    before = os.sched_getaffinity(0)
    if len(before) < 2:
        pytest.skip("needs two CPUs to show the pinning")
    with throttled() as line:
        pinned = os.sched_getaffinity(0)
        assert len(pinned) == 1 and pinned <= before
        pid = int(line.rsplit("pid ", 1)[1].rstrip(")"))
        assert _cpu_of(pid) == pinned
        assert _busy(pid)
    assert os.sched_getaffinity(0) == before
    # The competitor is gone (killed and reaped).
    assert not Path(f"/proc/{pid}").exists()


def test_slow_run_marks_its_lines_and_leaves_no_competitor() -> None:
    # A real run of the command, with a module that does not exist (nothing to measure):
    # the header line says how it was throttled, and no spinning process is left behind.
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--slow", "--only", "bench_nothing_here"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert lines[0].startswith("# slow mode: this process pinned to CPU")
    assert "bench_nothing_here: not present" in lines
    pid = int(lines[0].rsplit("pid ", 1)[1].rstrip(")"))
    assert not Path(f"/proc/{pid}").exists()


def test_a_benchmark_killed_hard_leaves_no_competitor_spinning() -> None:
    # kill -9 skips every finally: the competitor notices its parent is gone and stops.
    code = (
        "import time\n"
        "from benchmarks.slow import throttled\n"
        "with throttled() as line:\n"
        "    print(line, flush=True)\n"
        "    time.sleep(60)\n"
    )
    runner = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert runner.stdout is not None
    line = runner.stdout.readline()
    pid = int(line.rsplit("pid ", 1)[1].rstrip(")\n"))
    assert _busy(pid)
    runner.kill()
    runner.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
