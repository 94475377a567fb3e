"""The keys a reviewer uses all day, wherever the focus is: decision and viewer keys, F1 and
Ctrl+Z with the focus in the queue and after the menu; Ctrl+Z undoing the last decision and
going back to its case; Ctrl+S staying on the case; Enter and ↓ from the search box to the
results; tab counts following decisions without F5."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from tests.ui.desk_helpers import (
    case_id_of,
    idle,
    journal_of,
    open_window,
    press,
    status_of,
)
from tests.workflow_fixtures import World
from ui.shell.main_window import MainWindow
from ui.shell.shortcuts import ShortcutSheet
from ui.shell.tasks import TaskManager

pytestmark = [pytest.mark.gui, pytest.mark.xvfb]

CTRL = Qt.KeyboardModifier.ControlModifier


def _sheets() -> list[ShortcutSheet]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutSheet) and w.isVisible()
    ]


def _close_sheets(qtbot: QtBot, w: MainWindow) -> None:
    for sheet in _sheets():
        sheet.close()
    qtbot.waitUntil(lambda: not _sheets(), timeout=5_000)
    from tests.ui.desk_helpers import focus_window

    focus_window(qtbot, w)


def _view_only(qtbot: QtBot, w: MainWindow, case_id: str) -> None:
    """Select the case in the queue (viewed, not claimed), focus staying in the queue."""
    w.queue.table.setFocus()
    if w.case_view.case_id != case_id:
        with qtbot.waitSignal(w.case_view.case_loaded, timeout=15_000):
            w.queue.select_case(case_id)
    qtbot.waitUntil(lambda: w.queue.table.hasFocus(), timeout=5_000)
    assert not w.case_view.holds_claim


def test_decision_viewer_and_help_keys_work_from_the_queue_and_after_the_menu(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = open_window(qtbot, world, tasks, settings)
    view, panel = w.case_view, w.case_view.panel
    case_id = case_id_of(world, world.cases[0])
    _view_only(qtbot, w, case_id)

    # A with the focus in the queue: the case is claimed and 通过 chosen.
    press(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: panel.editable and panel.outcome == "approve", timeout=15_000)
    assert view.holds_claim
    # R and T, focus back in the queue.
    w.queue.table.setFocus()
    press(qtbot, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: panel.outcome == "reject", timeout=5_000)
    w.queue.table.setFocus()
    press(qtbot, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: panel.outcome == "return", timeout=5_000)

    # Viewer keys from the queue: ] and [, C.
    w.queue.table.setFocus()
    view.attachments.select(0)
    press(qtbot, Qt.Key.Key_BracketRight)
    assert view.attachments.current_index == 1
    press(qtbot, Qt.Key.Key_BracketLeft)
    assert view.attachments.current_index == 0
    press(qtbot, Qt.Key.Key_C)
    assert view.attachments.is_comparing
    press(qtbot, Qt.Key.Key_C)
    assert not view.attachments.is_comparing

    # F1 from the queue.
    press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(_sheets()), timeout=5_000)
    _close_sheets(qtbot, w)

    # After the menu: 查看 → 待审核 chosen from the menu with the keyboard.
    view_menu = next(a.menu() for a in w.menuBar().actions() if a.text().startswith("查看"))
    view_menu.popup(w.mapToGlobal(w.rect().topLeft()))
    qtbot.waitUntil(view_menu.isVisible, timeout=5_000)
    qtbot.keyClick(view_menu, Qt.Key.Key_Down)
    qtbot.keyClick(view_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view_menu.isVisible(), timeout=5_000)
    from tests.ui.desk_helpers import focus_window

    focus_window(qtbot, w)
    press(qtbot, Qt.Key.Key_F1, window=w)
    qtbot.waitUntil(lambda: bool(_sheets()), timeout=5_000)
    _close_sheets(qtbot, w)
    press(qtbot, Qt.Key.Key_A, window=w)
    qtbot.waitUntil(lambda: panel.outcome == "approve", timeout=5_000)

    # Ctrl+D detaches the attachments from anywhere in the window.
    w.queue.table.setFocus()
    press(qtbot, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: view.is_detached, timeout=5_000)
    view.attachments.window().close()
    qtbot.waitUntil(lambda: not view.is_detached, timeout=5_000)


def test_ctrl_z_from_the_queue_undoes_the_last_decision_and_goes_back(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = open_window(qtbot, world, tasks, settings)
    view, panel = w.case_view, w.case_view.panel
    top = w.queue.model.row_at(0)  # the queue's first case: another one follows it
    assert top is not None
    first_id, first = top.case_id, top.case_no
    _view_only(qtbot, w, first_id)
    press(qtbot, Qt.Key.Key_Return)  # turn to it
    qtbot.waitUntil(lambda: panel.editable, timeout=15_000)
    following = w.queue.next_case_id()
    assert following is not None

    # A, Ctrl+Enter: decided, the next case is open.
    press(qtbot, Qt.Key.Key_A)
    with qtbot.waitSignals([view.decision_saved, view.case_loaded], timeout=15_000):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert view.case_id == following
    assert status_of(world, first) == "approved"
    qtbot.waitUntil(lambda: w.queue.counts.get("approved") == 1, timeout=10_000)  # no F5

    # Ctrl+Z with the focus in the queue: undone, back on that case, claimed, choices back.
    w.queue.table.setFocus()
    with qtbot.waitSignal(
        view.case_loaded, timeout=15_000, check_params_cb=lambda c: c == first_id
    ):
        press(qtbot, Qt.Key.Key_Z, CTRL)
    assert status_of(world, first) == "pending"
    qtbot.waitUntil(lambda: panel.editable and panel.outcome == "approve", timeout=15_000)
    assert "已撤销" in w.message_bar.text
    qtbot.waitUntil(lambda: w.queue.current_case_id() == first_id, timeout=10_000)
    qtbot.waitUntil(lambda: w.queue.counts.get("approved") == 0, timeout=10_000)
    actions = journal_of(world, first)
    assert "claim" in actions[actions.index("undo") :]  # claimed again to decide

    # Ctrl+S submits and stays: no other case is opened or claimed.
    claims_before = {c: journal_of(world, c).count("claim") for c in world.cases}
    focus = QApplication.focusWidget()
    assert focus is not None and (focus is view or view.isAncestorOf(focus))
    with qtbot.waitSignal(view.decision_saved, timeout=15_000):
        press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.wait(400)  # the queue's refresh and its selection debounce
    idle(qtbot, tasks)
    assert view.case_id == first_id and view.detail is not None
    assert view.detail.status == "approved"
    assert panel.undo_button.isVisible() and panel.undo_button.isEnabled()
    claims_after = {c: journal_of(world, c).count("claim") for c in world.cases}
    assert claims_after == claims_before

    # Nothing left to undo but this one; after undoing it, Ctrl+Z says so.
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        press(qtbot, Qt.Key.Key_Z, CTRL)
    assert status_of(world, first) == "pending"
    w.queue.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: "没有可撤销的决定" in w.message_bar.text, timeout=5_000)


def test_undo_button_for_a_decision_waiting_for_review(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(world.cases[1])
    wb.decide(world.cases[1], DecisionInput("reject", reasons=("NOT_DIVORCED",)))  # four-eyes
    w = open_window(qtbot, world, tasks, settings)
    w.queue.set_tab("confirming")
    case_id = case_id_of(world, world.cases[1])
    qtbot.waitUntil(lambda: w.queue.model.row_of(case_id) >= 0, timeout=10_000)
    with qtbot.waitSignal(w.case_view.case_loaded, timeout=15_000):
        w.queue.select_case(case_id)
    panel = w.case_view.panel
    assert panel.undo_button.isVisible() and panel.undo_button.isEnabled()
    # Ctrl+Z (no decision made in this window yet) undoes the one shown.
    w.queue.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: status_of(world, world.cases[1]) == "pending", timeout=15_000)


def test_search_box_enter_and_down_reach_the_results(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = open_window(qtbot, world, tasks, settings)
    queue = w.queue
    last = queue.model.row_at(queue.model.rowCount() - 1)  # not the case a start may show
    assert last is not None
    target = Workbench(standalone(world.store), world.alice).peek_case(last.case_id)
    last_four = target.student_id_masked[-4:]  # what the masked ID shows
    assert target.student_id_number.endswith(last_four)
    assert w.case_view.case_id != target.case_id

    # Ctrl+F, the last four digits, Enter: the results have the focus, the first one open.
    press(qtbot, Qt.Key.Key_F, CTRL, window=w)
    qtbot.waitUntil(lambda: queue.search_box.hasFocus(), timeout=5_000)
    for digit in last_four:
        press(qtbot, getattr(Qt.Key, f"Key_{digit}"))
    qtbot.waitUntil(lambda: queue.search_box.text().upper() == last_four, timeout=5_000)
    with qtbot.waitSignal(
        w.case_view.case_loaded, timeout=15_000, check_params_cb=lambda c: c == target.case_id
    ):
        press(qtbot, Qt.Key.Key_Return)
    assert queue.table.hasFocus()
    assert queue.model.case_ids() == [target.case_id]
    assert queue.current_case_id() == target.case_id

    # ↓ from the search box does the same.
    queue.search_box.setFocus()
    queue.search_box.clear()
    qtbot.waitUntil(lambda: queue.model.is_complete and queue.model.rowCount() > 1, timeout=10_000)
    queue.table.selectionModel().clearCurrentIndex()
    queue.search_box.setFocus()
    qtbot.waitUntil(lambda: queue.search_box.hasFocus(), timeout=5_000)
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: queue.table.hasFocus(), timeout=5_000)
    qtbot.waitUntil(lambda: queue.table.currentIndex().isValid(), timeout=5_000)
    assert queue.table.currentIndex().row() == 0
