"""Python's cyclic garbage collector, kept off the reviewer's keystrokes.

CPython collects its oldest generation when enough objects have survived the younger
ones; that collection walks every object the process holds (the modules, SQLAlchemy's
mappers, Qt's wrappers: ~150,000 objects once the window is up) with the interpreter's
lock held, so whichever thread triggers it, the GUI thread stops. Measured in the
200-case keyboard session of ``python -m benchmarks --only bench_gui``: one such
collection, 94 ms, was the session's longest stall (docs/performance.md).

What the pacer does, the way long-running Python services do it (``gc.freeze``):

- once the window is built, *freeze* what is alive: those objects move to a permanent
  generation no collection walks again (no collection first: that would be the very
  stall, at the moment the window appears). Automatic collections then walk only what was
  made since, a few thousand objects, a few milliseconds.
- every ``TICK_MS`` it collects the two young generations (small by construction) and
  freezes what survived, so the part automatic collections walk stays small;
- when the application is not in front (the reviewer is in another program or away) and
  ``SWEEP_EVERY_S`` have passed since the last one, and when the window closes, it
  unfreezes and collects *everything*: a cycle that became garbage after it was frozen is
  reclaimed then.

Frozen objects are still freed by reference counting when the last reference goes; only
garbage in reference cycles waits for the next sweep.
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

TICK_MS = 60_000
SWEEP_EVERY_S = 15 * 60


class GcPacer(QObject):
    """Collects at moments of its choosing; see the module's notes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last_sweep = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self.sweeps = 0

    def start(self) -> None:
        """Freeze what is alive now (call once the window is built)."""
        gc.freeze()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        app = QGuiApplication.instance()
        away = (
            isinstance(app, QGuiApplication)
            and QGuiApplication.applicationState() != Qt.ApplicationState.ApplicationActive
        )
        if away and time.monotonic() - self._last_sweep >= SWEEP_EVERY_S:
            self.sweep()
        else:
            self._collect_and_freeze(generation=1)

    def sweep(self) -> None:
        """Everything, frozen or not, collected; then what is alive frozen again."""
        gc.unfreeze()
        self._collect_and_freeze(generation=2)
        self._last_sweep = time.monotonic()
        self.sweeps += 1

    @staticmethod
    def _collect_and_freeze(generation: int) -> None:
        started = time.perf_counter()
        found = gc.collect(generation)
        gc.freeze()
        log.debug(
            "gc: %d unreachable, %d frozen, %.1f ms",
            found,
            gc.get_freeze_count(),
            (time.perf_counter() - started) * 1000,
        )
