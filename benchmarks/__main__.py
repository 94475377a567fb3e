"""Run every benchmark: `python -m benchmarks [--quick] [--slow] [--only NAME...]` (or
`make bench`).

Each line reads `name: value unit (ratio x vs floor …)`, the floor measured in the same run.
With ``--slow`` every figure and floor is measured on half of one CPU, as on an old office
PC (:mod:`benchmarks.slow`); its lines start with ``[slow]``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import time

MODULES = [
    "bench_queue",
    "bench_intake",
    "bench_decision",
    "bench_notices",
    "bench_gui",
    "bench_images",
    "bench_pdf",
    "bench_sync",
    "bench_firstrun",
    "bench_desk",
    "bench_export",
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", nargs="*", default=None, help="module names, e.g. bench_queue")
    parser.add_argument(
        "--slow",
        action="store_true",
        help="as an old PC: pinned to one CPU shared with a busy competitor",
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with contextlib.ExitStack() as stack:
        prefix = ""
        if args.slow:
            from benchmarks.slow import SlowModeUnavailable, throttled

            try:
                print(f"# {stack.enter_context(throttled())}", flush=True)
            except SlowModeUnavailable as exc:
                print(f"--slow: {exc}", file=sys.stderr)
                return 2
            prefix = "[slow] "
        return _run(args.only or MODULES, args.quick, prefix)


def _run(names: list[str], quick: bool, prefix: str) -> int:
    failed = 0
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"{name}: not present", flush=True)
                continue
            raise
        started = time.perf_counter()
        try:
            for result in module.run(quick):
                print(prefix + result.line(), flush=True)
        except Exception as exc:  # report and go on with the others
            failed += 1
            print(f"{name}: FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"# {name} took {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
