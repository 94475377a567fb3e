"""Drafts: what a reviewer chose and typed on a case is kept while the window is open —
clicking the same queue row, going to other cases and back — and never dropped silently."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.desk_helpers import (
    case_id_of,
    idle,
    journal_of,
    open_window,
    press,
    select_row,
    status_of,
)
from tests.workflow_fixtures import World
from ui.shell.tasks import TaskManager

pytestmark = [pytest.mark.gui, pytest.mark.xvfb]

CTRL = Qt.KeyboardModifier.ControlModifier


def test_draft_survives_reselecting_switching_and_is_never_dropped_silently(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = open_window(qtbot, world, tasks, settings)
    view, panel, queue = w.case_view, w.case_view.panel, w.queue
    top = queue.model.row_at(0)  # the queue's first case: J has somewhere to go
    assert top is not None
    first, first_id = top.case_no, top.case_id

    # Select the first case and turn to it with Enter: it is claimed.
    queue.table.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        select_row(qtbot, w, first_id)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.editable, timeout=15_000)

    # R, reasons 1 and 2, a comment.
    press(qtbot, Qt.Key.Key_R)
    press(qtbot, Qt.Key.Key_1)
    press(qtbot, Qt.Key.Key_2)
    panel.comment_edit.setPlainText("照片反光，请核对")  # QTest/xdotool cannot type CJK
    chosen = ("CUSTODY_NOT_STATED", "CUSTODY_OTHER_PARENT")
    assert panel.outcome == "reject" and panel.selected_reasons() == chosen

    # Clicking the same row again changes nothing: the claim and the draft stay.
    select_row(qtbot, w, first_id)
    qtbot.wait(400)  # longer than the queue's selection debounce
    idle(qtbot, tasks)
    assert view.detail is not None and view.detail.case_no == first
    assert panel.editable and view.holds_claim
    assert panel.outcome == "reject" and panel.selected_reasons() == chosen
    assert panel.comment_edit.toPlainText() == "照片反光，请核对"
    assert "未领取" not in view.claim_label.text()
    assert journal_of(world, first).count("release") == 0

    # J to the next case: the lease goes back, the draft is kept for the case.
    queue.table.setFocus()
    following = queue.next_case_id()
    assert following is not None
    with qtbot.waitSignal(
        view.case_loaded, timeout=15_000, check_params_cb=lambda c: c == following
    ):
        press(qtbot, Qt.Key.Key_J)
    idle(qtbot, tasks)
    assert first_id in view.drafts and panel.outcome is None
    assert journal_of(world, first)[-1] == "release"

    # K back: viewed (focus in the queue), the panel says a draft waits …
    with qtbot.waitSignal(
        view.case_loaded, timeout=15_000, check_params_cb=lambda c: c == first_id
    ):
        press(qtbot, Qt.Key.Key_K)
    assert "草稿" in panel.message()
    # … Enter turns to it: claimed again, the draft is back.
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.editable and panel.outcome == "reject", timeout=15_000)
    assert panel.selected_reasons() == chosen
    assert panel.comment_edit.toPlainText() == "照片反光，请核对"
    assert "已恢复" in panel.message()

    # Closing the window with a draft asks first; 返回继续审核 keeps everything.
    w.close()
    qtbot.waitUntil(lambda: w.drafts_box is not None and w.drafts_box.isVisible(), timeout=5_000)
    box = w.drafts_box
    assert box is not None and first in box.text()
    keep = next(b for b in box.buttons() if b.text() == "返回继续审核")
    keep.click()
    qtbot.waitUntil(lambda: w.drafts_box is None, timeout=5_000)
    assert w.isVisible() and first_id in view.drafts

    # Submitting ends the draft (four-eyes: the case waits for a supervisor).
    focus = QApplication.focusWidget()
    assert focus is not None and (focus is view or view.isAncestorOf(focus))
    with qtbot.waitSignal(view.decision_saved, timeout=15_000):
        press(qtbot, Qt.Key.Key_S, CTRL)
    idle(qtbot, tasks)
    assert first_id not in view.drafts
    assert status_of(world, first) == "confirming"
    assert journal_of(world, first).count("claim") == 2


def test_a_draft_for_a_case_decided_elsewhere_is_not_dropped_silently(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    from app.review.workflow import DecisionInput
    from app.runtime import standalone
    from app.workbench import Workbench

    w = open_window(qtbot, world, tasks, settings)
    view, panel = w.case_view, w.case_view.panel
    first_id = case_id_of(world, world.cases[0])
    view.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        w.queue.select_case(first_id)
    qtbot.waitUntil(lambda: panel.editable, timeout=15_000)
    panel.choose_outcome("approve")
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        w.queue.select_case(case_id_of(world, world.cases[1]))
    idle(qtbot, tasks)
    assert first_id in view.drafts
    # Bob decides it meanwhile (the lease went back when alice left the case).
    bob = Workbench(standalone(world.store), world.bob)
    bob.claim(world.cases[0])
    bob.decide(world.cases[0], DecisionInput("approve"))
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        w.queue.select_case(first_id)
    assert "草稿已不再适用" in panel.message()
    assert first_id not in view.drafts
