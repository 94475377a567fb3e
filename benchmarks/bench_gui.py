"""GUI responsiveness on 100,000 cases: queue first paint, and the longest GUI-thread stall.

1. *Queue first paint*: from setting the queue model's tab until the first page of rows is
   in the view and a paint of the table ran, against the raw SQL for the same page (the
   floor: bench_queue's RAW_FIRST_PAGE, at the queue's page size).
2. *Longest stall*: a 5 ms QTimer measures how late it fires while a reviewer works
   through 200 cases with the keyboard — J through the queue, the case opening in the
   case view, approve and next via the decision panel (queue navigation and opening only
   when the case view is not there). The target is < 50 ms; the figure's "floor" is that
   target.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.auth import Actor
from app.runtime import standalone
from app.workbench import Workbench
from benchmarks.bench_queue import RAW_FIRST_PAGE, SCOPE
from benchmarks.common import Result, gui_app
from benchmarks.timing import median_ms
from reviewdb import migrate
from reviewdb.engine import Store
from tests.factories import bulk_cases

STALL_TARGET_MS = 50.0
SESSION_CASES = 200
TICK_MS = 5


def _app() -> QApplication:
    app = gui_app()
    assert isinstance(app, QApplication)
    return app


def _actor(user_id: str = "bench-reviewer") -> Actor:
    return Actor(
        user_id=user_id,
        username="bench",
        display_name="基准测试",
        role="reviewer",
        districts=SCOPE,
        reviewer_code="R900",
        workstation="ws-bench",
    )


def _reviewer(store: Store) -> Actor:
    """A real user row: claims and decisions refer to it."""
    from app.auth import create_user

    admin = create_user(
        store, by=None, username="bench-admin", role="admin", districts=[], password="bench-pass-1"
    )
    user = create_user(
        store,
        by=admin,
        username="bench",
        role="reviewer",
        districts=list(SCOPE),
        password="bench-pass-1",
        display_name="基准测试",
    )
    return _actor(user.user_id)


def _wait(predicate: Callable[[], bool], timeout_ms: int = 30_000) -> bool:
    """Run the event loop until ``predicate()``, as the application's loop runs: idle, it
    waits for the next event (without Python's lock, so the workers run). Spinning
    instead held the lock and made every worker's result arrive milliseconds late."""
    timer = QElapsedTimer()
    timer.start()
    wake = QTimer()
    wake.start(10)  # the predicate may turn true without an event of its own
    try:
        while not predicate():
            if timer.elapsed() > timeout_ms:
                return False
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        wake.stop()
    return True


class _PaintProbe(QObject):
    """Notes when the table viewport finished painting with rows in it."""

    def __init__(self, viewport: Any, model: Any) -> None:
        super().__init__()
        self._model = model
        self.painted_at: float | None = None
        self.armed = False
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.armed and event.type() == QEvent.Type.Paint and self._model.rowCount() > 0:
            self.armed = False
            # Stamp after the paint itself ran: the next turn of the event loop.
            QTimer.singleShot(0, self._stamp)
        return False

    def _stamp(self) -> None:
        self.painted_at = time.perf_counter()


class _StallMeter(QObject):
    """A timer every 5 ms; the worst lateness is how long the GUI thread was unavailable."""

    def __init__(self) -> None:
        super().__init__()
        self.worst_ms = 0.0
        self.samples: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        lag = (now - self._last) * 1000 - TICK_MS
        self._last = now
        self.samples.append(lag)
        self.worst_ms = max(self.worst_ms, lag)


def _raw_floor(db: Path, limit: int) -> float:
    raw = sqlite3.connect(db)
    sql = RAW_FIRST_PAGE.format(scope=", ".join("?" * len(SCOPE)), status="?", extra="").replace(
        "LIMIT 50", f"LIMIT {limit}"
    )
    params = [*SCOPE, "pending"]

    def page() -> int:
        return len(raw.execute(sql, params).fetchall())

    try:
        return median_ms(page)
    finally:
        raw.close()


def _first_paint(store: Store, db: Path, n: int, repeat: int) -> Result:
    from ui.queue.queue_view import PAGE_SIZE, QueueView
    from ui.shell.tasks import TaskManager

    tasks = TaskManager()
    view = QueueView(Workbench(standalone(store), _actor()), tasks)
    view.resize(1400, 900)
    view.show()
    probe = _PaintProbe(view.table.viewport(), view.model)
    samples: list[float] = []
    try:
        for _ in range(repeat + 1):  # the first is a warm-up (statement cache, fonts)
            probe.painted_at = None
            probe.armed = True
            started = time.perf_counter()
            view.model.set_tab("pending")
            if not _wait(lambda: probe.painted_at is not None):
                raise RuntimeError("the queue never painted its first page")
            assert probe.painted_at is not None
            samples.append((probe.painted_at - started) * 1000)
    finally:
        view.close()
        tasks.shutdown()
    floor = _raw_floor(db, PAGE_SIZE)
    return Result(
        f"queue first paint ({n:,} cases, {PAGE_SIZE} rows)",
        statistics.median(samples[1:]),
        "ms",
        floor,
        False,
        note=f"cold {samples[0]:.1f} ms; floor = raw SQL page",
    )


def _session(store: Store, actor: Actor, n: int, cases: int) -> Result:
    from ui.shell.gc_pacer import GcPacer
    from ui.shell.main_window import MainWindow
    from ui.shell.tasks import TaskManager

    tasks = TaskManager()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "bench.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Workbench(standalone(store), actor), tasks, settings)
        window.resize(1920, 1080)
        window.show()
        window.activateWindow()
        window.start()
        pacer = GcPacer(window)  # as the workstation does once the window is up
        pacer.start()
        if not _wait(lambda: window.queue.model.rowCount() > 0):
            raise RuntimeError("queue did not load")
        view = window.case_view
        panel = getattr(view, "panel", None)
        deciding = panel is not None and hasattr(panel, "choose_outcome")
        loaded: list[str] = []
        view.case_loaded.connect(loaded.append)
        table = window.queue.table
        meter = _StallMeter()
        meter.start()
        decided = opened = 0
        started = time.perf_counter()
        try:
            table.setFocus()
            QTest.keyClick(table, Qt.Key.Key_J)  # first row
            for _ in range(cases):
                if not _wait(lambda: bool(loaded)):
                    raise RuntimeError("a case did not open")
                opened += 1
                loaded.clear()
                if deciding:
                    assert panel is not None
                    view.setFocus()  # turning to the case claims it
                    if _wait(lambda: view.holds_claim and panel.editable, 5_000):
                        panel.choose_outcome("approve")
                        panel.submit(and_next=True)  # → next_case_requested → queue J
                        decided += 1
                        continue
                    table.setFocus()
                QTest.keyClick(table, Qt.Key.Key_J)
            _wait(lambda: tasks.pending_count == 0)
        finally:
            meter.stop()
            pacer.stop()
            gc.unfreeze()  # the benchmarks after this one start as they would alone
            elapsed = time.perf_counter() - started
            window.close()
            # Gone before the tasks: a timer of its (the counts after a decision) must not
            # start a task on a shut-down manager while the next benchmark runs the loop.
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            tasks.shutdown()
    what = f"{opened} opened, {decided} approved" if deciding else f"{opened} opened (J only)"
    worst_ticks = sorted(meter.samples)[-3:]
    return Result(
        f"GUI thread longest stall, {cases}-case keyboard session ({n:,} cases)",
        meter.worst_ms,
        "ms",
        STALL_TARGET_MS,
        False,
        note=f"{what} in {elapsed:.1f} s; worst 3: "
        + ", ".join(f"{x:.1f}" for x in worst_ticks)
        + f" ms; floor = target {STALL_TARGET_MS:.0f} ms",
    )


def run(quick: bool) -> list[Result]:
    n = 10_000 if quick else 100_000
    _app()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "gui.db"
        store = Store(f"sqlite:///{db}", Path(tmp) / "blobs")
        try:
            migrate.upgrade(store)
            bulk_cases(store, n, seed=7)
            with store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            results.append(_first_paint(store, db, n, repeat=5 if quick else 15))
            actor = _reviewer(store)
            results.append(_session(store, actor, n, 40 if quick else SESSION_CASES))
        finally:
            store.dispose()
    return results


if __name__ == "__main__":
    for r in run(quick=False):
        print(r.line())
