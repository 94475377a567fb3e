"""Smoke tests that also run under a real X server (``make pytest-xvfb``: Xvfb, Qt's xcb
platform; its screens are 1366x768 and 1920x1080): the main window with the demo data
fits both screens, a reviewer logs in with the keyboard alone, F1 opens the sheet.

Offscreen (the first pass) the screens are imagined: the window is given the size a
screen would give it. Under X the window goes on the X screen of that size and the keys
are real X key events (xdotool), so what the X server and the window manager-less xcb
platform do to geometry, focus and input is what is tested.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.auth import Actor
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from tests.ui.test_languages import Demo, demo, store  # noqa: F401 - the shared demo store
from ui.shell.tasks import TaskManager

pytestmark = [pytest.mark.gui, pytest.mark.xvfb]

SCREENS = (QSize(1366, 768), QSize(1920, 1080))


def on_x() -> bool:
    """Whether this run has a real X server (and must have one, under make pytest-xvfb)."""
    name = QGuiApplication.platformName()
    if os.environ.get("REVIEWDESK_XVFB") == "1":
        assert name == "xcb", f"make pytest-xvfb runs on Qt's {name} platform, not xcb"
    return name == "xcb"


def x_screen(size: QSize) -> QScreen | None:
    """The X server's screen of ``size`` (None offscreen)."""
    if not on_x():
        return None
    for screen in QGuiApplication.screens():
        if screen.size() == size:
            return screen
    raise AssertionError(
        f"no {size.width()}x{size.height()} screen on this X server: "
        + ", ".join(f"{s.size().width()}x{s.size().height()}" for s in QGuiApplication.screens())
    )


def xdotool(*args: str) -> None:
    """Real X input: xdotool talks to the X server like a keyboard would."""
    tool = shutil.which("xdotool")
    assert tool, "xdotool is missing: make system-deps installs it"
    subprocess.run([tool, *args], check=True, timeout=30, env=dict(os.environ))


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text`` into the window of ``widget`` (which has the focus)."""
    if on_x():
        xdotool("type", "--delay", "15", text)
        qtbot.waitUntil(lambda: text in _typed(widget), timeout=10_000)
    else:
        QTest.keyClicks(QApplication.focusWidget() or widget, text)


def _typed(widget: QWidget) -> str:
    focus = QApplication.focusWidget()
    return focus.text() if isinstance(focus, QLineEdit) else ""


def press(qtbot: QtBot, widget: QWidget, key: str, qt_key: Qt.Key) -> None:
    if on_x():
        xdotool("key", key)
        qtbot.wait(100)
    else:
        QTest.keyClick(QApplication.focusWidget() or widget, qt_key)


def focus_window(qtbot: QtBot, window: QWidget) -> None:
    """Give ``window`` the keyboard: no window manager under Xvfb, so X focus is set
    directly (as a window manager would on a click)."""
    window.activateWindow()
    window.raise_()
    if on_x():
        xdotool("windowfocus", "--sync", str(int(window.winId())))
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10_000)


def _main_window(
    qtbot: QtBot, on: Store, actor: Actor, tasks: TaskManager, settings: QSettings
) -> object:
    from ui.shell.main_window import MainWindow

    return MainWindow(Workbench(standalone(on), actor), tasks, settings)


def _scrolls(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` sits in a scroll area (scrolled out of view is not cut off)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _clipped(window: QWidget) -> list[str]:
    """Visible controls and labels that the window's edge cuts off."""
    frame = window.rect()
    cut = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QAbstractButton | QLabel | QLineEdit):
            continue
        if _scrolls(widget, window):
            continue
        if widget.width() <= 1 or widget.height() <= 1:
            continue
        top_left = widget.mapTo(window, widget.rect().topLeft())
        rect = QRect(top_left, widget.size())
        if not frame.contains(rect):
            name = widget.objectName() or type(widget).__name__
            text = getattr(widget, "text", lambda: "")()
            cut.append(f"{name} {text!r} at {rect.getRect()} outside {frame.getRect()}")
    return cut


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_main_window_with_the_demo_data_fits_the_screen(
    qtbot: QtBot,
    size: QSize,
    demo: Demo,  # noqa: F811
    store: Store,  # noqa: F811
    tasks: TaskManager,
    tmp_path: Path,
) -> None:
    settings = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    desk = standalone(store)
    actor = desk.login(*demo.reviewer, "ws-smoke")
    window = _main_window(qtbot, store, actor, tasks, settings)
    assert isinstance(window, QWidget)
    qtbot.addWidget(window)
    screen = x_screen(size)
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, *size.toTuple())
    if screen is not None:
        window.setScreen(screen)
    window.show()  # as a first start opens it: no geometry saved yet
    qtbot.waitExposed(window)
    start = getattr(window, "start")  # noqa: B009
    start()
    queue = getattr(window, "queue")  # noqa: B009
    qtbot.waitUntil(lambda: queue.model.is_complete and queue.model.rowCount() > 0, timeout=15_000)

    if screen is not None:
        # A first start opens inside the real screen, on the screen it was put on (the
        # offscreen platform's one imagined screen has no size worth checking against).
        frame = window.frameGeometry()
        assert available.contains(frame), (
            f"the window opens at {frame.getRect()}, outside the screen {available.getRect()}"
        )
        assert window.screen() is screen

    # Filling the screen (as maximised) it is not held larger by its contents …
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= available.width() and minimum.height() <= available.height(), (
        f"the window needs at least {minimum.toTuple()} on a {available.size().toTuple()} screen"
    )
    window.setGeometry(available)
    qtbot.waitUntil(lambda: window.size() == available.size(), timeout=5_000)

    # … and with a case open, nothing is cut off at the window's edge.
    row = queue.model.row_at(0)
    case_view = getattr(window, "case_view")  # noqa: B009
    with qtbot.waitSignal(case_view.case_loaded, timeout=15_000):
        queue.select_case(row.case_id)
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=15_000)
    qtbot.wait(100)
    assert _clipped(window) == []
    assert queue.isVisible() and case_view.isVisible()
    if screen is not None:
        # What the X server shows is the window, not an empty screen.
        shot = screen.grabWindow(0, 0, 0, available.width(), available.height()).toImage()
        assert not shot.isNull()
        colours = {
            shot.pixel(x, y)
            for x in range(0, shot.width(), 97)
            for y in range(0, shot.height(), 89)
        }
        assert len(colours) > 5, "the X screen shows nothing"


def test_login_with_the_keyboard_alone(
    qtbot: QtBot,
    demo: Demo,  # noqa: F811
    store: Store,  # noqa: F811
    tasks: TaskManager,
) -> None:
    from ui.shell.login import LoginDialog

    desk = standalone(store)
    dialog = LoginDialog(desk, tasks, "ws-smoke", store_description=desk.description)
    qtbot.addWidget(dialog)
    screen = x_screen(SCREENS[0])
    if screen is not None:
        dialog.setScreen(screen)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus_window(qtbot, dialog)
    dialog.username.setFocus()
    qtbot.waitUntil(lambda: dialog.username.hasFocus(), timeout=5_000)
    username, password = demo.reviewer
    type_text(qtbot, dialog, username)
    press(qtbot, dialog, "Return", Qt.Key.Key_Return)  # Enter in the name moves on
    qtbot.waitUntil(lambda: dialog.password.hasFocus(), timeout=5_000)
    with qtbot.waitSignal(dialog.logged_in, timeout=15_000) as signal:
        type_text(qtbot, dialog, password)
        press(qtbot, dialog, "Return", Qt.Key.Key_Return)
    actor = signal.args[0]
    assert isinstance(actor, Actor) and actor.username == username
    assert dialog.username.text() == username and dialog.password.text() == password


def test_f1_opens_the_shortcut_sheet(
    qtbot: QtBot,
    demo: Demo,  # noqa: F811
    store: Store,  # noqa: F811
    tasks: TaskManager,
    tmp_path: Path,
) -> None:
    from ui.shell.shortcuts import ShortcutSheet

    settings = QSettings(str(tmp_path / "f1.ini"), QSettings.Format.IniFormat)
    desk = standalone(store)
    window = _main_window(qtbot, store, desk.login(*demo.reviewer, "ws-smoke"), tasks, settings)
    assert isinstance(window, QWidget)
    qtbot.addWidget(window)
    screen = x_screen(SCREENS[0])  # the small screen: the sheet must fit on it too
    if screen is not None:
        window.setScreen(screen)
        window.setGeometry(screen.availableGeometry())
    window.show()
    qtbot.waitExposed(window)
    getattr(window, "start")()  # noqa: B009
    queue, case_view = getattr(window, "queue"), getattr(window, "case_view")  # noqa: B009
    qtbot.waitUntil(lambda: queue.model.is_complete and queue.model.rowCount() > 0, timeout=15_000)
    with qtbot.waitSignal(case_view.case_loaded, timeout=15_000):
        queue.select_case(queue.model.row_at(0).case_id)
    focus_window(qtbot, window)
    case_view.setFocus()
    qtbot.waitUntil(
        lambda: case_view.isAncestorOf(QApplication.focusWidget()) or case_view.hasFocus(),
        timeout=5_000,
    )

    def sheets() -> list[ShortcutSheet]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ShortcutSheet) and w.isVisible()
        ]

    assert sheets() == []
    press(qtbot, window, "F1", Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(sheets()) == 1, timeout=10_000)
    sheet = sheets()[0]
    qtbot.waitExposed(sheet)
    assert sheet.table.rowCount() > 20
    shown = sheet.screen() if screen is not None else None
    if shown is not None:
        assert shown.availableGeometry().contains(sheet.frameGeometry())
    sheet.close()


@pytest.fixture(autouse=True)
def _no_leftover_windows() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
