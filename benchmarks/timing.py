"""Small timing helpers: medians over repeats, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def paired_median_ms(
    app: Callable[[], object], floor: Callable[[], object], repeat: int = 200, warmup: int = 5
) -> tuple[float, float]:
    """Medians of ``app`` and ``floor`` run alternately, so a busy moment hits both alike."""
    for _ in range(warmup):
        app()
        floor()
    a: list[float] = []
    f: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        app()
        t1 = time.perf_counter()
        floor()
        t2 = time.perf_counter()
        a.append((t1 - t0) * 1000)
        f.append((t2 - t1) * 1000)
    return statistics.median(a), statistics.median(f)
