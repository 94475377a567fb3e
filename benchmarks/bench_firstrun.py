"""First run: from nothing to a workable queue, and `reviewdesk demo --cases 200`.

Each figure against a floor measured in the same run: importing the very same packages,
already written to disk, through the intake (what is left when no photo has to be
rendered). Targets (issue 15): the login within 10 s and a workable queue within 30 s of
the first start; `reviewdesk demo --cases 200` within 60 s on this kind of machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parents[1]


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVIEWDESK_")}
    env.update({"REVIEWDESK_DATA": str(data), "PYTHONPATH": str(ROOT)})
    return env


def _first_start(tmp: Path) -> float:
    """The window's first start, without the window: demo batch, then a queue page."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from app import config\n"
        "from app.cli.demo import FIRST_BATCH, ensure_demo\n"
        "from app.runtime import open_workstation\n"
        "from app.workbench import Workbench\n"
        "from app.auth import login\n"
        "s = config.resolve()\n"
        "ensure_demo(s, first_batch=FIRST_BATCH)\n"
        "ws = open_workstation(s)\n"
        "actor = login(ws.store, 'li.na', 'demo-li.na-2026', 'bench')\n"
        "rows = Workbench(ws, actor).queue_page('pending')\n"
        "assert rows, 'no case to work on'\n"
        "print(time.perf_counter() - t0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp / "first"), capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return float(out.stdout.strip().splitlines()[-1])


def _demo_command(tmp: Path, cases: int) -> float:
    db = f"sqlite:///{tmp / 'demo.db'}"
    env = _env(tmp / "demo")
    subprocess.run([sys.executable, "-m", "app", "init", "--db", db], env=env, check=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "demo", "--cases", str(cases), "--db", db],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def _import_floor(tmp: Path, cases: int, stop: int | None = None, small: bool = False) -> float:
    """The same packages, written beforehand, through `reviewdesk import` (no rendering)."""
    from app.demo.generator import DEFAULT_IMAGE_SIZE, generate
    from app.intake.package import write_package

    folder = tmp / f"packages-{cases}-{stop}"
    size = (1600, 1200) if small else DEFAULT_IMAGE_SIZE
    paths = []
    for pkg in generate(cases, 1, image_size=size, stop=stop):
        paths.append(str(write_package(folder / pkg.name, pkg.manifest, pkg.files, as_zip=False)))
    db = f"sqlite:///{tmp / f'floor-{cases}-{stop}.db'}"
    env = _env(tmp / f"floor-{cases}-{stop}")
    subprocess.run([sys.executable, "-m", "app", "init", "--db", db], env=env, check=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "import", *paths, "--db", db],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def run(quick: bool) -> list[Result]:
    from app.cli.demo import FIRST_BATCH

    cases = 40 if quick else 200
    with tempfile.TemporaryDirectory(prefix="bench-firstrun-") as name:
        tmp = Path(name)
        first = _first_start(tmp)
        first_floor = _import_floor(tmp, 200, stop=FIRST_BATCH, small=True)
        demo = _demo_command(tmp, cases)
        demo_floor = _import_floor(tmp, cases)
    return [
        Result(
            f"first start -> workable queue ({FIRST_BATCH} demo cases, process start included)",
            first,
            "s",
            first_floor,
            False,
            note=f"target <= 10 s: {'met' if first <= 10 else 'NOT met'}",
        ),
        Result(
            f"reviewdesk demo --cases {cases}",
            demo,
            "s",
            demo_floor,
            False,
            note=(
                f"target <= 60 s for 200: {'met' if demo <= 60 else 'NOT met'}"
                if cases == 200
                else "quick size; the target is for 200"
            ),
        ),
    ]
