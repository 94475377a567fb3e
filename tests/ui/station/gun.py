"""A USB scanner gun, as the station sees one: keystrokes at a fixed pace, then Enter.

Keys are sent from a precise Qt timer while the event loop runs, so the window's own work
(tasks delivering verdicts, repaints) happens between keystrokes as it does with a real
gun; nothing waits on ``sleep``.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

ENTER = "\n"


class ScannerGun(QObject):
    """Types payloads into ``target`` at ``interval_ms`` per key, each followed by Enter."""

    finished = Signal()

    def __init__(self, target: QWidget, interval_ms: int = 2) -> None:
        super().__init__(target)
        self._target = target
        self._keys: deque[str] = deque()
        self.enter_times: list[float] = []  # time.perf_counter() of each Enter
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._press)

    def pull_trigger(self, *payloads: str, enter: bool = True) -> None:
        for payload in payloads:
            self._keys.extend(payload)
            if enter:
                self._keys.append(ENTER)
        self._timer.start()

    @property
    def busy(self) -> bool:
        return self._timer.isActive()

    def _press(self) -> None:
        if not self._keys:
            self._timer.stop()
            self.finished.emit()
            return
        key = self._keys.popleft()
        if key == ENTER:
            self.enter_times.append(time.perf_counter())
            QTest.keyClick(self._target, Qt.Key.Key_Return)
        else:
            QTest.keyClicks(self._target, key)
