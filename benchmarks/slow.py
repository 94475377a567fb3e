"""Slow-machine mode (``python -m benchmarks --slow``): figures as an old office PC sees them.

The district offices' PCs are two to three times slower than a developer's machine, and a
target that holds only on a fast machine does not hold for the users. This mode pins the
benchmark process (every thread it starts inherits the pinning) to one CPU and runs a busy
competitor pinned to the same CPU: the scheduler gives each about half of that one core.
So the GUI thread, the db lane and the decoders share half a core, where on the developers'
machine they have two whole ones; the floors are measured in the same process, under the
same throttle, so every ratio compares like with like.

Measured on the 2-core development VM: the raw SQL page floor 0.43 → 0.9–1.1 ms and the
12-MP decode floor 28–32 → 58–66 ms, the 2–3x of the slow PC in issue 18.

Not throttled: PostgreSQL's server processes (a separate program, as on a real office
network) and the competitor's own start-up. Linux only (``os.sched_setaffinity``); on
other systems the mode refuses to run rather than print unthrottled figures as slow ones.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

SPIN = """\
import os
parent = {parent}
while os.getppid() == parent:  # a benchmark killed with -9 leaves no spinner behind
    for _ in range(1_000_000):
        pass
"""


class SlowModeUnavailable(RuntimeError):
    """This system cannot pin processes to a CPU."""


@contextlib.contextmanager
def throttled() -> Iterator[str]:
    """Pin this process and a busy competitor to one CPU; yields a line describing it."""
    if not hasattr(os, "sched_setaffinity"):
        raise SlowModeUnavailable("--slow needs os.sched_setaffinity (Linux)")
    before = os.sched_getaffinity(0)
    cpu = max(before)
    os.sched_setaffinity(0, {cpu})
    competitor = subprocess.Popen([sys.executable, "-c", SPIN.format(parent=os.getpid())])
    try:
        os.sched_setaffinity(competitor.pid, {cpu})
        yield (
            f"slow mode: this process pinned to CPU {cpu} of {sorted(before)}, "
            f"sharing it with a busy competitor (pid {competitor.pid})"
        )
    finally:
        competitor.kill()
        competitor.wait()
        os.sched_setaffinity(0, before)
