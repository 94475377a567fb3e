"""Run every benchmark: `python -m benchmarks [--quick] [--only NAME...]` (or `make bench`).

Each line reads `name: value unit (ratio x vs floor …)`, the floor measured in the same run.
"""

from __future__ import annotations

import argparse
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
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", nargs="*", default=None, help="module names, e.g. bench_queue")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = 0
    for name in args.only or MODULES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"{name}: not present", flush=True)
                continue
            raise
        started = time.perf_counter()
        try:
            for result in module.run(args.quick):
                print(result.line(), flush=True)
        except Exception as exc:  # report and go on with the others
            failed += 1
            print(f"{name}: FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"# {name} took {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
