"""A reviewer clears part of a queue with the keyboard only (QTest.keyClick, no mouse, no
direct calls after setup), then the store and the journal are checked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QListWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, Decision, JournalEntry
from tests.workflow_fixtures import World
from ui.case.case_view import CaseView
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


class Harness(QWidget):
    """The shell's contract in miniature: selecting a queue row shows the case, Enter
    turns to it, the case view's next/previous requests move the selection."""

    def __init__(self, workbench: Workbench, tasks: TaskManager, cases: list[str]) -> None:
        super().__init__()
        self.cases = cases
        self.queue = QListWidget(self)
        self.queue.addItems(cases)
        self.case_view = CaseView(workbench, tasks, self)
        row = QHBoxLayout(self)
        row.addWidget(self.queue, 1)
        row.addWidget(self.case_view, 5)
        self.queue.currentRowChanged.connect(self._selected)
        self.queue.activated.connect(lambda _index: self.case_view.setFocus())
        self.case_view.next_case_requested.connect(lambda: self._move(1))
        self.case_view.previous_case_requested.connect(lambda: self._move(-1))

    def _selected(self, row: int) -> None:
        self.case_view.show_case(self.cases[row])
        self.case_view.set_next_case(self.cases[row + 1] if row + 1 < len(self.cases) else None)

    def _move(self, step: int) -> None:
        row = self.queue.currentRow() + step
        if 0 <= row < len(self.cases):
            self.queue.setCurrentRow(row)


def key(
    qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None, "keyboard focus was lost"
    qtbot.keyClick(focus, k, modifier)


def test_keyboard_only_session(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    wb = Workbench(standalone(world.store), world.alice)
    harness = Harness(wb, tasks, world.cases)
    qtbot.addWidget(harness)
    harness.resize(1800, 1000)
    harness.show()
    qtbot.waitExposed(harness)
    harness.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is harness)
    view = harness.case_view
    # Focus in the queue, where the shell puts it at start: the list makes its first row
    # current, which shows the case (viewed only, not claimed).
    # (When the window is activated the focus may already land in the list, so the case
    # can load before this line: wait for the state, not for the signal.)
    harness.queue.setFocus()
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.case_no == world.cases[0], timeout=10_000
    )
    assert harness.queue.currentRow() == 0
    assert not view.holds_claim
    # Enter turns to the case: it is claimed.
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.panel.editable, timeout=10_000)
    assert view.detail is not None and view.detail.case_no == world.cases[0]

    # 1: approve, submit and go on.
    key(qtbot, Qt.Key.Key_A)
    with qtbot.waitSignals([view.decision_saved, view.case_loaded], timeout=10_000):
        key(qtbot, Qt.Key.Key_Return, CTRL)
    assert view.detail is not None and view.detail.case_no == world.cases[1]
    assert view.panel.editable  # claimed on arrival: focus stayed in the case view

    # 2: reject with the first two reasons (four-eyes: goes to 待复核).
    key(qtbot, Qt.Key.Key_R)
    key(qtbot, Qt.Key.Key_1)
    key(qtbot, Qt.Key.Key_2)
    assert view.panel.selected_reasons() == ("CUSTODY_NOT_STATED", "CUSTODY_OTHER_PARENT")
    with qtbot.waitSignals([view.decision_saved, view.case_loaded], timeout=10_000):
        key(qtbot, Qt.Key.Key_Return, CTRL)
    assert view.detail is not None and view.detail.case_no == world.cases[2]

    # 3: look at the second photo, mark it unclear, return for the divorce certificate.
    key(qtbot, Qt.Key.Key_BracketRight)
    key(qtbot, Qt.Key.Key_V)
    key(qtbot, Qt.Key.Key_V)
    assert view.panel.verdicts == {1: "unclear"}
    key(qtbot, Qt.Key.Key_T)
    key(qtbot, Qt.Key.Key_1)
    assert view.panel.selected_missing() == ("divorce_certificate",)
    assert view.panel.selected_reasons() == ("PHOTO_UNCLEAR",)  # suggested by the verdict
    with qtbot.waitSignals([view.decision_saved, view.case_loaded], timeout=10_000):
        key(qtbot, Qt.Key.Key_Return, CTRL)
    assert view.detail is not None and view.detail.case_no == world.cases[3]

    # Back to the rejected case with K: it waits for review and cannot be decided again.
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        key(qtbot, Qt.Key.Key_K)
    assert view.detail is not None and view.detail.case_no == world.cases[2]
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        key(qtbot, Qt.Key.Key_K)
    assert view.detail is not None and view.detail.status == "confirming"
    assert view.claim_label.text() == "已提交，等待复核"
    assert not view.panel.editable
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=10_000)

    with world.store.read() as s:
        status = dict(s.execute(select(Case.case_no, Case.status)).all())
        decisions = s.execute(
            select(Case.case_no, Decision.outcome, Decision.state, Decision.reasons).join(
                Case, Case.id == Decision.case_id
            )
        ).all()
        journal = s.execute(
            select(JournalEntry.action, JournalEntry.payload).where(JournalEntry.actor == "alice")
        ).all()
    assert status[world.cases[0]] == "approved"
    assert status[world.cases[1]] == "confirming"
    assert status[world.cases[2]] == "returned"
    assert status[world.cases[3]] == "pending"
    by_case = {case_no: (outcome, state, reasons) for case_no, outcome, state, reasons in decisions}
    assert len(decisions) == 3
    assert by_case[world.cases[0]][:2] == ("approve", "accepted")
    assert by_case[world.cases[1]][:2] == ("reject", "pending_confirmation")
    assert by_case[world.cases[1]][2]["codes"] == ["CUSTODY_NOT_STATED", "CUSTODY_OTHER_PARENT"]
    assert by_case[world.cases[2]][:2] == ("return", "accepted")
    assert by_case[world.cases[2]][2]["missing"] == ["divorce_certificate"]
    assert by_case[world.cases[2]][2]["verdicts"] == {"1": "unclear"}

    def actions_for(case_no: str) -> list[str]:
        return [action for action, payload in journal if payload.get("case_no") == case_no]

    for case_no in world.cases[:3]:
        actions = actions_for(case_no)
        assert actions.count("claim") == 1 and actions.count("decide") == 1, (case_no, actions)
        assert actions.index("claim") < actions.index("decide")
    # Case 4 was claimed on arrival and released when the reviewer went back with K.
    assert actions_for(world.cases[3]) == ["view", "claim", "release"]
