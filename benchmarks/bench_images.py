"""Time from ``CaseView.show_case`` to the first picture painted, for a 12-MP phone JPEG.

Each figure has its floor measured in the same run:

- photo, cold: nothing cached. The case is opened as the main window opens a queue row,
  which names the case's first picture: its decode (cpu lane) starts first and the
  picture is painted as soon as it is decoded; the case's rows are read (db lane) after
  it. Floor: ``decode_for_display`` of the same
  file at the same size, alone — the part no amount of GUI work can avoid. It is timed
  right after each switch, on the photo that switch opened: the three photos differ in
  size (1.1–1.3 MB), and a shared machine's load drifts during a run.
- photo, prefetched: the main window named the case as the next one (``set_next_case``),
  so its first picture was decoded ahead. Floor: one frame at 60 Hz.
The same for a PDF's first page is :mod:`benchmarks.bench_pdf`. The cases are opened in turn (never the one already shown: opening that again changes
nothing), so every cold figure is a real case switch.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")  # benchmark users, not real passwords

from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.demo.documents import render_document
from app.intake.imaging import decode_for_display
from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.idnumbers import make_id
from app.runtime import standalone
from app.workbench import Workbench
from benchmarks.common import Result, gui_app
from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.queue import QueueQuery

FRAME_MS = 1000 / 60
SWITCHES = 15
"""Cold switches (and floors) per run: one decode alone moves by ±20 % from one call to
the next on a shared machine, and nine made a run's median swing by ±0.05x. The floor is
decoded once after each switch: a second decode of the same bytes right after the first
is faster (caches warm), which the switch's own decode never is."""


class _PaintWatch(QObject):
    """Quits ``loop`` at the first paint of the viewer's viewport showing a picture."""

    def __init__(self, viewer: Any) -> None:
        super().__init__()
        self.viewer = viewer
        self.loop: QEventLoop | None = None
        self.painted_ms: float | None = None
        self.clock = QElapsedTimer()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (
            event.type() == QEvent.Type.Paint
            and self.painted_ms is None
            and self.viewer.has_image
            and self.loop is not None
        ):
            self.painted_ms = self.clock.nsecsElapsed() / 1e6
            # Quit after this paint has been delivered.
            QTimer.singleShot(0, self.loop.quit)
        return False

    def measure(self, start: Callable[[], object], timeout_ms: int = 30_000) -> float:
        self.painted_ms = None
        self.loop = QEventLoop()
        QTimer.singleShot(timeout_ms, self.loop.quit)
        self.clock.start()
        start()
        if self.painted_ms is None:
            self.loop.exec()
        self.loop = None
        if self.painted_ms is None:
            raise TimeoutError("the picture was never painted")
        return self.painted_ms


def _world(workdir: Path, firsts: list[tuple[str, str, bytes]]) -> tuple[Store, Any, list[str]]:
    """One case per entry of ``firsts``: (label, path, content) of its first attachment."""
    from tests.integration.test_intake import files, manifest
    from tests.workflow_fixtures import build_world

    store = Store(f"sqlite:///{workdir / 'bench.db'}", workdir / "blobs")
    migrate.upgrade(store)
    world = build_world(store, workdir, n_cases=0)
    cases = []
    for i, (label, path, content) in enumerate(firsts):
        m = manifest(
            f"IMG-{i}",
            student=make_id("360102", dt.date(2019, 11, 1 + i), 700 + i),
            guardians=(
                make_id("360102", dt.date(1985, 1, 1 + i), 710 + i),
                make_id("360102", dt.date(1986, 1, 1 + i), 720 + i),
            ),
            cert=f"赣(2020)南昌市不动产权第{9000000 + i}号",
        )
        m["attachments"][0] = {"label": label, "path": path}
        package = files(**{path: content})
        if path != "img/divorce.jpg":
            del package["img/divorce.jpg"]
        out = import_package(
            store,
            write_package(workdir / f"pkg{i}", m, package, as_zip=False),
            actor=None,
            workstation="bench",
        )
        assert out.status == "imported", out.line
        cases.append(out.case_no)
    return store, world.alice, cases


def _wait_idle(tasks: Any, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while tasks.pending_count and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


class CaseViewSession:
    """A case view on its own store, with a paint watch on the main viewer."""

    def __init__(self, workdir: Path, firsts: list[tuple[str, str, bytes]]) -> None:
        from ui.case.case_view import CaseView
        from ui.shell.tasks import TaskManager

        self.store, actor, self.cases = _world(workdir, firsts)
        self.tasks = TaskManager()
        workbench = Workbench(standalone(self.store), actor)
        # What the queue's rows say (the main window passes it on as a row is chosen).
        rows = workbench.queue(QueueQuery(), limit=len(self.cases) + 10)
        self.first_pictures = {row.case_no: row.first_picture for row in rows}
        assert all(self.first_pictures.get(c) for c in self.cases), self.first_pictures
        self.view = CaseView(workbench, self.tasks)
        self.view.resize(1680, 1000)
        self.view.show()
        QApplication.processEvents()
        self.viewer = self.view.attachments.viewer
        self.watch = _PaintWatch(self.viewer)
        self.viewer.view.viewport().installEventFilter(self.watch)
        self.box = self.view.attachments.main_feeder.box()
        # Warm up: imports, first-use costs, the db connection.
        self.watch.measure(lambda: self.view.show_case(self.cases[-1]))
        _wait_idle(self.tasks)

    def cold(self, case: str) -> float:
        """show_case → painted with nothing cached.

        The case is opened as the main window opens a queue row: with the row's
        ``first_picture`` (the queue page read it, before the switch).
        """
        self.view.set_next_case(None)
        self.view.loader.clear()
        first = self.first_pictures[case]
        painted = self.watch.measure(lambda: self.view.show_case(case, first_picture=first))
        _wait_idle(self.tasks)
        return painted

    def prefetched(self, case: str) -> float:
        """show_case → painted after ``set_next_case(case)`` read the case ahead."""
        self.view.set_next_case(case)
        _wait_idle(self.tasks)
        painted = self.watch.measure(lambda: self.view.show_case(case))
        _wait_idle(self.tasks)
        return painted

    def close(self) -> None:
        self.view.leave_case()
        _wait_idle(self.tasks)
        self.tasks.shutdown()
        self.view.deleteLater()
        self.store.dispose()


def run(quick: bool) -> list[Result]:
    gui_app()
    repeat = 3 if quick else SWITCHES
    rng = random.Random(2026)
    photos = [render_document("divorce_certificate", {}, rng) for _ in range(3)]

    with tempfile.TemporaryDirectory() as tmp:
        session = CaseViewSession(
            Path(tmp) / "photos", [("离婚证", "img/divorce.jpg", photo) for photo in photos]
        )
        box = session.box
        decode_for_display(photos[0], *box)  # warm-up
        cold: list[float] = []
        warm: list[float] = []
        floor: list[float] = []
        for i in range(repeat):
            # Three cases in turn: the target is never the case already shown.
            target = (2 * i) % 3
            cold.append(session.cold(session.cases[target]))
            started = time.perf_counter()
            decode_for_display(photos[target], *box)
            floor.append((time.perf_counter() - started) * 1000)
            warm.append(session.prefetched(session.cases[(2 * i + 1) % 3]))
        photo_floor = statistics.median(floor)
        session.close()

    size = f"{len(photos[0]) / 1e6:.1f} MB 4000×3000 JPEG, box {box[0]}×{box[1]}"
    return [
        Result(
            "case view: show_case → first picture painted (cold)",
            statistics.median(cold),
            "ms",
            photo_floor,
            higher_is_better=False,
            note=f"floor = decode_for_display alone; {size}",
        ),
        Result(
            "case view: show_case → first picture painted (prefetched)",
            statistics.median(warm),
            "ms",
            FRAME_MS,
            higher_is_better=False,
            note="floor = one frame at 60 Hz",
        ),
    ]


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(result.line())
