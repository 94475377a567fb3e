"""After sync, a decision the central store kept as a conflict shows as one in the window:
the case page says what was not accepted and what stands instead (issue 12)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.review.workflow import DecisionInput
from app.workbench import Workbench
from tests.integration.sync_fixtures import central_world, offline, workstation
from ui.case.case_view import CaseView
from ui.shell.tasks import TaskManager


def test_the_case_page_shows_the_conflict_beside_the_standing_decision(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=1)
    laptop = workstation(central, tmp_path, "laptop")
    office = workstation(central, tmp_path, "office")
    case_no = world.cases[0]
    alice = Workbench(laptop.desk, world.alice)
    alice.claim(case_no)
    office.sync.sync_once()
    sup = Workbench(office.desk, world.sup)
    sup.takeover(case_no, "alice is called away")
    sup.decide(case_no, DecisionInput("approve"))
    with offline(laptop):
        alice.decide(case_no, DecisionInput("return", missing=("hukou_home",)))
    laptop.sync.sync_once()

    view = CaseView(alice, tasks)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        view.show_case(case_no)
    assert view.banner.isVisible()
    text = view.banner.text()
    assert "冲突" in text and "alice" in text and "退回补充" in text
    assert "现行决定：通过（sup）" in text
    assert "已通过" in view.title_label.text()  # the central store's status, not alice's
