"""One task manager: database work, image decoding and PDF rendering off the GUI thread.

Work goes to a *lane*: ``db`` is a single worker thread (one SQLite writer at a time,
and ORM objects never cross threads: tasks return frozen values), ``cpu`` is a small
pool for decoding and rendering. Each task's result or error comes back to the GUI
thread through a queued signal. A task may carry a ``generation`` context: when the
reviewer has moved on (another case selected), results of the old generation are
dropped instead of painting stale data.

In tests, ``TaskManager(inline=True)`` runs tasks synchronously on the calling thread
and still delivers through the same callbacks (after the call returns, via the event
loop), so widgets are tested with their real code paths.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

GIL_SWITCH_SECONDS = 0.001
"""How long a thread running Python may keep the others waiting (CPython's default is
5 ms). A worker's Python (the ORM, a decoder's header parsing) would otherwise hold the
GUI thread up to 5 ms at a time, and the GUI thread a worker about to hand a decode to
C code that runs without the lock."""


class Generation:
    """A token for "what the user is looking at now"; ``advance()`` makes older results stale."""

    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def advance(self) -> int:
        with self._lock:
            self._value += 1
            return self._value

    @property
    def current(self) -> int:
        return self._value


class ProgressCounter:
    """Progress a worker thread reports and a GUI timer reads (no widget crosses threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0

    def report(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = done, total

    def read(self) -> tuple[int, int]:
        with self._lock:
            return self._done, self._total


class _Bridge(QObject):
    """Lives on the GUI thread; worker threads emit into it (queued connection)."""

    finished = Signal(int, object, object)  # task id, result, error


class TaskManager(QObject):
    """Runs callables off the GUI thread and calls back on the GUI thread."""

    task_failed = Signal(object)  # an error nobody handled: the main window shows it
    busy_changed = Signal(bool)

    def __init__(
        self, parent: QObject | None = None, *, inline: bool = False, cpu_workers: int = 2
    ) -> None:
        super().__init__(parent)
        if not inline and sys.getswitchinterval() > GIL_SWITCH_SECONDS:
            sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self._inline = inline
        self._ids = itertools.count(1)
        self._pending: dict[
            int, tuple[Callback | None, ErrorCallback | None, Generation | None, int]
        ] = {}
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._db = None if inline else ThreadPoolExecutor(max_workers=1, thread_name_prefix="rd-db")
        self._cpu = (
            None
            if inline
            else ThreadPoolExecutor(max_workers=cpu_workers, thread_name_prefix="rd-cpu")
        )
        self._closed = False

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        lane: str = "db",
        generation: Generation | None = None,
    ) -> int:
        """Queue ``fn``; ``on_done(result)`` or ``on_error(exc)`` run later on the GUI thread.

        With ``generation``, the callbacks are skipped if ``generation`` advanced meanwhile.
        Returns a task id.
        """
        if self._closed:
            raise RuntimeError("task manager is shut down")
        task_id = next(self._ids)
        self._pending[task_id] = (
            on_done,
            on_error,
            generation,
            generation.current if generation else 0,
        )
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if self._inline:
            result, error = self._call(fn)
            # Deliver through the event loop, as in production: callers never see a
            # callback run inside their own run() call.
            QTimer.singleShot(0, lambda: self._deliver(task_id, result, error))
            return task_id
        executor = self._db if lane == "db" else self._cpu
        assert executor is not None
        future: Future[None] = executor.submit(self._work, task_id, fn)
        future.add_done_callback(lambda f: None)
        return task_id

    @staticmethod
    def _call(fn: Callable[[], Any]) -> tuple[Any, BaseException | None]:
        try:
            return fn(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
            exc.__dict__.setdefault("_rd_traceback", traceback.format_exc())
            return None, exc

    def _work(self, task_id: int, fn: Callable[[], Any]) -> None:
        result, error = self._call(fn)
        # The bridge is gone when the application is closing: nothing left to tell.
        with contextlib.suppress(RuntimeError):
            self._bridge.finished.emit(task_id, result, error)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: Any) -> None:
        entry = self._pending.pop(task_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if entry is None:
            return
        on_done, on_error, generation, started_at = entry
        if generation is not None and generation.current != started_at:
            return  # the user has moved on: a result for a case already left is dropped
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error(
                    "background task failed: %s\n%s", error, getattr(error, "_rd_traceback", "")
                )
                self.task_failed.emit(error)
            return
        if on_done is not None:
            on_done(result)

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        for executor in (self._db, self._cpu):
            if executor is not None:
                executor.shutdown(wait=wait, cancel_futures=True)
