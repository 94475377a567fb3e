"""Helpers for the reviewer-workflow GUI tests that also run under a real X server.

Offscreen (the first pass) keys go to the focused widget through QTest; under Xvfb with
the xcb platform (``make pytest-xvfb``) they are real X key events (xdotool) sent to the
window that has the X input focus, so focus and shortcut handling are what a reviewer's
keyboard meets. The 1366×768 screen is the real X screen there and an imagined one
offscreen (the offscreen platform's only screen is 800×800).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.auth import Actor
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, JournalEntry
from tests.workflow_fixtures import World
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

LAPTOP = QRect(0, 0, 1366, 768)

# Qt keys → xdotool key names.
_X_KEYS = {
    Qt.Key.Key_Return: "Return",
    Qt.Key.Key_Enter: "KP_Enter",
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Down: "Down",
    Qt.Key.Key_Up: "Up",
    Qt.Key.Key_F1: "F1",
    Qt.Key.Key_BracketRight: "bracketright",
    Qt.Key.Key_BracketLeft: "bracketleft",
}


def on_x() -> bool:
    """Whether this run has a real X server (xcb): then keys go through it."""
    name = QGuiApplication.platformName()
    if os.environ.get("REVIEWDESK_XVFB") == "1":
        assert name == "xcb", f"make pytest-xvfb runs on Qt's {name} platform, not xcb"
    return name == "xcb"


def laptop_screen() -> QRect:
    """The available area of a 1366×768 screen: the X screen of that size under Xvfb,
    else (offscreen, or a larger X screen) an imagined one the windows are fitted to."""
    if on_x():
        for screen in QGuiApplication.screens():
            area = screen.availableGeometry()
            if area.width() <= LAPTOP.width() and area.height() <= LAPTOP.height():
                return area
    return QRect(LAPTOP)


def xdotool(*args: str) -> None:
    tool = shutil.which("xdotool")
    assert tool, "xdotool is missing: make system-deps installs it"
    subprocess.run([tool, *args], check=True, timeout=30, env=dict(os.environ))


def press(
    qtbot: QtBot,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    *,
    window: QWidget | None = None,
) -> None:
    """One key press, as the reviewer's keyboard gives it."""
    if on_x():
        name = _X_KEYS.get(key) or _x_name(key)
        if modifier & Qt.KeyboardModifier.ControlModifier:
            name = "ctrl+" + name
        if modifier & Qt.KeyboardModifier.AltModifier:
            name = "alt+" + name
        if modifier & Qt.KeyboardModifier.ShiftModifier:
            name = "shift+" + name
        xdotool("key", "--clearmodifiers", name)
        qtbot.wait(60)
        return
    target = QApplication.focusWidget() or window or QApplication.activeWindow()
    assert target is not None, "no widget to send the key to"
    QTest.keyClick(target, key, modifier)


def _x_name(key: Qt.Key) -> str:
    """Letters and digits: Qt.Key.Key_A → "a" (xdotool's keysym)."""
    value = int(key.value)
    if ord("A") <= value <= ord("Z"):
        return chr(value).lower()
    if ord("0") <= value <= ord("9"):
        return chr(value)
    raise ValueError(f"no xdotool name for {key!r}")


def focus_window(qtbot: QtBot, window: QWidget) -> None:
    """Give ``window`` the keyboard (no window manager under Xvfb: X focus set directly)."""
    window.activateWindow()
    window.raise_()
    if on_x():
        xdotool("windowfocus", "--sync", str(int(window.winId())))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)


def open_window(
    qtbot: QtBot,
    world: World,
    tasks: TaskManager,
    settings: QSettings,
    actor: Actor | None = None,
) -> MainWindow:
    """The main window of ``actor`` (alice), shown on a 1366×768 screen, queue loaded."""
    w = MainWindow(Workbench(standalone(world.store), actor or world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.fit_to_screen(laptop_screen())
    w.show()
    qtbot.waitExposed(w)
    w.start()
    qtbot.waitUntil(
        lambda: w.queue.model.is_complete and w.queue.model.rowCount() > 0, timeout=15_000
    )
    focus_window(qtbot, w)
    return w


def case_id_of(world: World, case_no: str) -> str:
    with world.store.read() as s:
        return str(s.scalars(select(Case.id).where(Case.case_no == case_no)).one())


def status_of(world: World, case_no: str) -> str:
    with world.store.read() as s:
        return str(s.scalars(select(Case.status).where(Case.case_no == case_no)).one())


def journal_of(world: World, case_no: str, actor: str = "alice") -> list[str]:
    """The actions ``actor`` journaled on ``case_no``, oldest first."""
    with world.store.read() as s:
        rows = s.execute(
            select(JournalEntry.action, JournalEntry.payload)
            .where(JournalEntry.actor == actor)
            .order_by(JournalEntry.seq)
        ).all()
    return [action for action, payload in rows if payload.get("case_no") == case_no]


def select_row(qtbot: QtBot, w: MainWindow, case_id: str) -> None:
    """Click the queue row of ``case_id`` (as the mouse does)."""
    row = w.queue.model.row_of(case_id)
    assert row >= 0, f"{case_id} is not listed"
    index = w.queue.model.index(row, 0)
    w.queue.table.scrollTo(index)
    rect = w.queue.table.visualRect(index)
    qtbot.mouseClick(w.queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def idle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=15_000)
