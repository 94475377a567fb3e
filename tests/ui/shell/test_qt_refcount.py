"""Guard against PySide6 6.12.0's refcount bug on Python 3.11.

6.12.0 drops a reference to None/True on every void call or signal emit and aborts the
interpreter (``bool_dealloc``) after a few hundred emits. This runs the pattern in a
subprocess so that a Qt upgrade that brings the bug back fails here, not in a reviewer's
hands.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

class Emitter(QObject):
    fired = Signal()
    flagged = Signal(bool)

app = QApplication(sys.argv)
e = Emitter()
hits = []
e.fired.connect(lambda: hits.append(None))
e.flagged.connect(lambda b: hits.append(b))
for i in range(10_000):
    e.fired.emit()
    e.flagged.emit(True)
w = QWidget()
for i in range(10_000):
    w.resize(100 + i % 50, 80 + i % 30)
    w.setVisible(False)
print("survived", len(hits))
"""


def test_interpreter_survives_many_emits_and_resizes() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "survived 20000"
