"""Findings: the banner at the top of the case (counts, one line each, a click shows the fact
or the attachment), and approving a case with error findings (asked once, naming them; the
override is journaled with the decision)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.central import REASON_KEYS
from reviewdb.models import Decision, JournalEntry
from tests.ui.case.test_case_view import import_case, problem_manifest, truncated_jpeg
from tests.workflow_fixtures import World
from ui.case.case_view import CaseView
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def problem_case(world: World, tmp_path: Path) -> str:
    """Errors on a property date, a permit and a missing document; an unreadable upload."""
    return import_case(
        world.store, tmp_path, problem_manifest(), **{"img/judgment.jpg": truncated_jpeg()}
    )


@pytest.fixture
def view(qtbot: QtBot, world: World, tasks: TaskManager) -> CaseView:
    view = CaseView(Workbench(standalone(world.store), world.alice), tasks)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view


def open_claimed(qtbot: QtBot, view: CaseView, ref: str) -> None:
    view.panel.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=15_000):
        view.show_case(ref)
    qtbot.waitUntil(lambda: view.panel.editable, timeout=15_000)


def key(
    qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), k, modifier)


def decide_journal(world: World, case_no: str) -> list[dict[str, object]]:
    with world.store.read() as s:
        return [
            payload
            for action, payload in s.execute(
                select(JournalEntry.action, JournalEntry.payload).order_by(JournalEntry.seq)
            ).all()
            if action == "decide" and payload.get("case_no") == case_no
        ]


def test_banner_lists_the_findings_and_a_click_shows_the_fact_or_attachment(
    qtbot: QtBot, view: CaseView, problem_case: str
) -> None:
    open_claimed(qtbot, view, problem_case)
    detail = view.detail
    assert detail is not None
    banner = view.findings_banner
    errors = [f for f in detail.findings if f.severity == "error"]
    assert len(errors) >= 2
    assert banner.count("error") == len(errors)
    assert f"错误 {len(errors)}" in banner.summary.text()
    # One line per finding, errors first.
    lines = banner.lines
    assert len(lines) == len(detail.findings)
    severities = [line.finding.severity for line in lines]
    assert severities == sorted(severities, key=("error", "warning", "info").index)
    # The banner is on top of the case, above the facts pane.
    top = banner.mapTo(view, QPoint(0, 0)).y()
    assert top < view.tabs.mapTo(view, QPoint(0, 0)).y()

    # The unreadable upload: the viewer shows that attachment.
    unreadable = next(line for line in lines if line.finding.code == "IMAGE_UNREADABLE")
    assert unreadable.finding.fact == "attachments[1]"
    view.attachments.select(0)
    qtbot.mouseClick(unreadable, Qt.MouseButton.LeftButton)
    assert view.attachments.current_index == 1
    label = view.facts.finding_labels[unreadable.index]
    assert view.facts.highlighted is label

    # A date after the cut-off: the facts tab, scrolled to it, the finding highlighted.
    view.tabs.setCurrentWidget(view.history_view)
    view.facts.verticalScrollBar().setValue(0)
    cutoff = next(line for line in lines if line.finding.code == "CERT_AFTER_CUTOFF")
    qtbot.mouseClick(cutoff, Qt.MouseButton.LeftButton)
    assert view.tabs.currentWidget() is view.facts
    label = view.facts.finding_labels[cutoff.index]
    assert view.facts.highlighted is label
    shown = view.facts.viewport().rect()
    where = label.mapTo(view.facts.viewport(), QPoint(0, 0))
    assert shown.contains(where), "the finding was not scrolled into view"
    # Keyboard: Enter on a line does the same.
    view.tabs.setCurrentWidget(view.history_view)
    cutoff.setFocus()
    qtbot.keyClick(cutoff, Qt.Key.Key_Return)
    assert view.tabs.currentWidget() is view.facts


def test_approving_past_error_findings_asks_once_and_journals_the_override(
    qtbot: QtBot, view: CaseView, world: World, problem_case: str
) -> None:
    open_claimed(qtbot, view, problem_case)
    detail = view.detail
    assert detail is not None
    errors = [f for f in detail.findings if f.severity == "error"]
    panel = view.panel
    asked: list[QMessageBox] = []
    panel.override_asked.connect(asked.append)

    # A, Ctrl+Enter: asked, naming each error; 取消 (the default) keeps it undecided.
    key(qtbot, Qt.Key.Key_A)
    key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5_000)
    box = asked[0]
    assert box.isVisible()
    for finding in errors:
        assert finding.message in box.text()
    assert box.defaultButton() is box.findChild(type(box.defaultButton()), "overrideCancel")
    box.defaultButton().click()
    qtbot.waitUntil(lambda: panel.override_box is None, timeout=5_000)
    assert "未提交" in panel.message()
    with world.store.read() as s:
        assert s.scalars(select(Decision)).all() == []

    # Again, and this time 仍然通过: once asked, once decided.
    with qtbot.waitSignal(view.decision_saved, timeout=15_000):
        key(qtbot, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: len(asked) == 2, timeout=5_000)
        approve = asked[1].findChild(type(asked[1].defaultButton()), "overrideApprove")
        assert approve is not None
        approve.click()
    assert len(asked) == 2
    with world.store.read() as s:
        decision = s.scalars(select(Decision)).one()
    assert decision.outcome == "approve" and decision.state == "accepted"
    # The decision row keeps the shape the central store accepts …
    assert set(decision.reasons) <= set(REASON_KEYS)
    # … and its journal entry says which findings the reviewer decided past.
    (entry,) = decide_journal(world, problem_case)
    overrode = entry["overrode_findings"]
    assert isinstance(overrode, list)
    assert sorted((o["code"], o["fact"]) for o in overrode) == sorted(
        (f.code, f.fact) for f in errors
    )
    qtbot.waitUntil(lambda: view.detail is not None and view.detail.status == "approved")
    history = [
        view.history_view.topLevelItem(i).text(3)
        for i in range(view.history_view.topLevelItemCount())
    ]
    assert any("忽略" in text and str(len(errors)) in text for text in history)


def test_approving_without_error_findings_does_not_ask(
    qtbot: QtBot, view: CaseView, world: World
) -> None:
    open_claimed(qtbot, view, world.cases[0])
    assert view.findings_banner.count("error") == 0
    asked: list[QMessageBox] = []
    view.panel.override_asked.connect(asked.append)
    key(qtbot, Qt.Key.Key_A)
    with qtbot.waitSignal(view.decision_saved, timeout=15_000):
        key(qtbot, Qt.Key.Key_S, CTRL)
    assert asked == []
    (entry,) = decide_journal(world, world.cases[0])
    assert "overrode_findings" not in entry
