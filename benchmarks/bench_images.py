"""Time from ``CaseView.show_case`` to the first picture painted, for a 12-MP phone JPEG.

Two figures, each with its floor measured in the same run:

- cold: nothing cached. The case loads (db lane), the first attachment is decoded at the
  viewer's size (cpu lane) and painted. Floor: ``decode_for_display`` of the same file at
  the same size, alone — the part no amount of GUI work can avoid.
- prefetched: the main window named the case as the next one (``set_next_case``), so its
  first picture was decoded ahead. Floor: one frame at 60 Hz.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
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
from benchmarks.timing import median_ms
from reviewdb import migrate
from reviewdb.engine import Store

FRAME_MS = 1000 / 60


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

    def measure(self, start: Any, timeout_ms: int = 30_000) -> float:
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


def _world(workdir: Path, photos: list[bytes]) -> tuple[Store, Any, list[str]]:
    from tests.integration.test_intake import files, manifest
    from tests.workflow_fixtures import build_world

    store = Store(f"sqlite:///{workdir / 'bench.db'}", workdir / "blobs")
    migrate.upgrade(store)
    world = build_world(store, workdir, n_cases=0)
    cases = []
    for i, photo in enumerate(photos):
        m = manifest(
            f"IMG-{i}",
            student=make_id("360102", dt.date(2019, 11, 1 + i), 700 + i),
            guardians=(
                make_id("360102", dt.date(1985, 1, 1 + i), 710 + i),
                make_id("360102", dt.date(1986, 1, 1 + i), 720 + i),
            ),
            cert=f"赣(2020)南昌市不动产权第{9000000 + i}号",
        )
        out = import_package(
            store,
            write_package(
                workdir / f"pkg{i}", m, files(**{"img/divorce.jpg": photo}), as_zip=False
            ),
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


def run(quick: bool) -> list[Result]:
    from ui.case.case_view import CaseView
    from ui.shell.tasks import TaskManager

    app = gui_app()
    repeat = 3 if quick else 9
    rng = random.Random(2026)
    photos = [render_document("divorce_certificate", {}, rng) for _ in range(2)]
    with tempfile.TemporaryDirectory() as tmp:
        store, actor, cases = _world(Path(tmp), photos)
        tasks = TaskManager()
        view = CaseView(Workbench(standalone(store), actor), tasks)
        view.resize(1680, 1000)
        view.show()
        app.processEvents()
        viewer = view.attachments.viewer
        watch = _PaintWatch(viewer)
        viewer.view.viewport().installEventFilter(watch)
        box = view.attachments.main_feeder.box()

        # Warm up: imports, first-use costs, the db connection.
        watch.measure(lambda: view.show_case(cases[1]))
        _wait_idle(tasks)

        cold: list[float] = []
        warm: list[float] = []
        for i in range(repeat):
            target = cases[i % 2]
            other = cases[(i + 1) % 2]
            view.set_next_case(None)
            view.loader.clear()
            cold.append(watch.measure(lambda t=target: view.show_case(t)))
            _wait_idle(tasks)
            # Now with the next case read ahead, as the main window does.
            view.set_next_case(other)
            _wait_idle(tasks)
            warm.append(watch.measure(lambda o=other: view.show_case(o)))
            _wait_idle(tasks)

        floor = median_ms(lambda: decode_for_display(photos[0], *box), repeat=repeat, warmup=1)
        view.leave_case()
        _wait_idle(tasks)
        tasks.shutdown()
        view.deleteLater()
        store.dispose()

    size = f"{len(photos[0]) / 1e6:.1f} MB 4000×3000 JPEG, box {box[0]}×{box[1]}"
    return [
        Result(
            "case view: show_case → first picture painted (cold)",
            statistics.median(cold),
            "ms",
            floor,
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
