"""1366×768 is a first-class size: the first window fits the screen's available area, the
queue shows 发现 and 状态 without scrolling, the panel's comment box and submit buttons
stay on screen with a return's long lists, facts wrap, Ctrl+B gives the pictures at least
half the width, and every dialog fits (detached viewer, print preview, batch print, settings,
checkout, conflicts, F1 sheet)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.notices import render_batch
from app.notices.samples import sample_notice
from app.notices.signing import generate_keypair
from app.runtime import standalone
from app.workbench import Workbench
from tests.ui.desk_helpers import (
    case_id_of,
    focus_window,
    idle,
    laptop_screen,
    on_x,
    press,
)
from tests.workflow_fixtures import World
from ui.queue.queue_view import QueueModel
from ui.shell.main_window import MainWindow
from ui.shell.screen_fit import fits, refit, room
from ui.shell.tasks import TaskManager

pytestmark = [pytest.mark.gui, pytest.mark.xvfb]


def _inside(widget: QWidget, window: QWidget) -> bool:
    """``widget`` is shown whole inside ``window`` (not cut off by its edge)."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisible() and window.rect().contains(rect)


def test_main_window_at_1366x768(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    area = laptop_screen()
    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(w)
    if not on_x():
        w.fit_to_screen(area)  # offscreen: the imagined laptop screen
    w.show()  # a first start: no saved geometry, it fits the screen it opens on
    qtbot.waitExposed(w)
    w.start()
    qtbot.waitUntil(lambda: w.queue.model.is_complete and w.queue.model.rowCount() > 0)
    focus_window(qtbot, w)
    assert fits(w, area), (w.size().toTuple(), w.minimumSizeHint().toTuple(), area.getRect())
    if on_x():
        assert area.contains(w.frameGeometry())

    # 发现 and 状态 are on screen in the queue, without scrolling sideways.
    table = w.queue.table
    header = table.horizontalHeader()
    for column in (QueueModel.COL_CASE_NO, QueueModel.COL_FINDINGS, QueueModel.COL_STATUS):
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width(), column

    # A case turned to, 退回补充 chosen (the longest panel): comment and buttons on screen.
    view, panel = w.case_view, w.case_view.panel
    view.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        w.queue.select_case(case_id_of(world, world.cases[0]))
    qtbot.waitUntil(lambda: panel.editable, timeout=15_000)
    panel.choose_outcome("return")
    idle(qtbot, tasks)
    qtbot.wait(50)
    for widget in (
        panel.comment_edit,
        panel.submit_next_button,
        panel.submit_button,
        *panel.outcome_buttons.values(),
        view.findings_banner,
    ):
        assert _inside(widget, w), widget.objectName()
    # Facts wrap: nothing wider than the facts pane.
    facts = view.facts
    body = facts.widget()
    assert body is not None and body.width() <= facts.viewport().width()

    # Ctrl+B: the queue goes, the pictures get at least half the window's width.
    pictures = view.attachments
    narrow = pictures.width()
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier, window=w)
    qtbot.waitUntil(lambda: w.queue_collapsed, timeout=5_000)
    qtbot.waitUntil(lambda: pictures.width() >= w.width() // 2, timeout=5_000)
    assert pictures.width() > narrow
    assert w.expand_queue_button.isVisible()
    assert _inside(panel.submit_button, w)
    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier, window=w)
    qtbot.waitUntil(lambda: not w.queue_collapsed and w.queue.isVisible(), timeout=5_000)


def test_a_window_saved_on_a_big_monitor_fits_the_laptop(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    first = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(first)
    first.setGeometry(0, 0, 1900, 1040)
    first.save_state()
    first.deleteLater()
    area = laptop_screen()
    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.fit_to_screen(area, keep_position=True)
    frame = w.frameGeometry()
    space = room(area)
    assert area.contains(frame) or (w.width() <= space.width() and w.height() <= space.height())
    assert w.width() <= area.width() and w.height() <= area.height()


def test_every_dialog_fits_a_1366x768_screen(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    from ui.printing.batch_print import BatchPrintDialog
    from ui.printing.print_preview import PrintPreviewDialog
    from ui.shell.settings_dialog import SettingsDialog
    from ui.shell.shortcuts import ShortcutSheet
    from ui.sync.checkout_dialog import CheckoutDialog
    from ui.sync.conflicts_view import ConflictsDialog
    from ui.sync.sync_status import NetworkLane

    area = laptop_screen()
    wb = Workbench(standalone(world.store), world.alice)
    supervisor = Workbench(standalone(world.store), world.sup)  # sees the 裁决 form too
    key, _ = generate_keypair()
    pdf = render_batch([sample_notice("approval", key, 0)])
    lane = NetworkLane()

    w = MainWindow(wb, tasks, settings)
    qtbot.addWidget(w)
    if not on_x():
        w.fit_to_screen(area)
    w.show()
    qtbot.waitExposed(w)
    w.start()
    view = w.case_view
    view.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        view.show_case(world.cases[0])
    view.toggle_detached()
    detached = view.attachments.window()
    assert detached is not w

    dialogs: dict[str, QWidget] = {
        "detached viewer": detached,
        "print preview": PrintPreviewDialog(pdf, tasks, w),
        "batch print": BatchPrintDialog(wb, tasks, w),
        "settings": SettingsDialog(settings, w),
        "checkout": CheckoutDialog(wb, tasks, lane, w),
        "conflicts": ConflictsDialog(supervisor, tasks, w),
        "shortcuts": ShortcutSheet(w),
    }
    problems = []
    for name, dialog in dialogs.items():
        if dialog is not detached:
            qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if not on_x():
            refit(dialog, area)  # offscreen: fitted to the imagined laptop screen
        qtbot.wait(20)
        if not fits(dialog, area):
            problems.append(
                f"{name}: size {dialog.size().toTuple()}, needs "
                f"{dialog.minimumSizeHint().toTuple()}, screen {area.size().toTuple()}"
            )
        if on_x() and not area.contains(dialog.frameGeometry()):
            problems.append(f"{name}: at {dialog.frameGeometry().getRect()}")
    assert problems == []
    detached.close()
    lane.deleteLater()
