"""The 抽查 window: a supervisor draws, the other reviewer disagrees in their queue, the
supervisor overturns, the report counts it — every call off the GUI thread, on a real
store; a refusal shows in the window's message line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.review.errors import WorkflowError
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, QaDraw, QaSample
from tests.integration.sync_fixtures import central_world, offline, workstation
from tests.ui.conftest import OffThreadWorkbench
from tests.workflow_fixtures import World
from ui.qa.qa_dialog import QaDialog
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

LOOK = Path("/tmp/qa_look")


def _open(qtbot: QtBot, world: World, tasks: TaskManager, who: str) -> QaDialog:
    wb = OffThreadWorkbench(Workbench(standalone(world.store), getattr(world, who)))
    dialog = QaDialog(wb, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    return dialog


def _cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_draw_disagree_overturn_and_report(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    alice = Workbench(standalone(world.store), world.alice)
    alice.claim(world.cases[0])
    alice.decide(world.cases[0], DecisionInput("approve"))

    sup = _open(qtbot, world, tasks, "sup")
    assert [sup.tabs.tabText(i) for i in range(sup.tabs.count())] == [
        "我的抽查（0）",
        "抽查",
        "分歧",
        "报告",
    ]
    # Prefilled from nanchang-2026's qa_sample_percent.
    assert [box.value() for box in sup.percent_boxes.values()] == [5.0, 10.0, 5.0]
    for box in sup.percent_boxes.values():
        box.setValue(100.0)
    with qtbot.waitSignal(sup.drawn, timeout=10_000) as drawn:
        qtbot.mouseClick(sup.draw_button, Qt.MouseButton.LeftButton)
    seed = drawn.args[0].seed
    assert sup.seed_edit.text() == seed and seed in sup.draw_result.text()
    assert "已抽取 1 件" in sup.draw_result.text()

    bob = _open(qtbot, world, tasks, "bob")
    assert _cells(bob.mine_table, 0) == [world.cases[0]]
    assert _cells(bob.mine_table, 3) == ["alice"]
    assert bob.tabs.count() == 1  # a reviewer sees their queue only
    bob.mine_table.selectRow(0)
    with qtbot.waitSignal(bob.failed, timeout=10_000) as refused:
        qtbot.mouseClick(bob.disagree_button, Qt.MouseButton.LeftButton)
    assert refused.args[0] == "不同意时须填写理由" and bob.message.isVisible()
    bob.verdict_comment.setPlainText("离婚协议未写明抚养权归属")
    with qtbot.waitSignal(bob.loaded, timeout=10_000):
        qtbot.mouseClick(bob.disagree_button, Qt.MouseButton.LeftButton)
    assert bob.mine_table.rowCount() == 0

    with qtbot.waitSignal(sup.loaded, timeout=10_000):
        sup.reload()
    assert _cells(sup.dispute_table, 0) == [world.cases[0]]
    assert _cells(sup.dispute_table, 4) == ["离婚协议未写明抚养权归属"]
    sup.tabs.setCurrentWidget(sup.disputes_tab)
    sup.dispute_table.selectRow(0)  # reads its kind's reasons and its checklist
    qtbot.waitUntil(lambda: sup.reason_list.count() > 0, timeout=10_000)
    codes = [
        sup.reason_list.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(sup.reason_list.count())
    ]
    sup.reason_list.item(codes.index("NOT_DIVORCED")).setCheckState(Qt.CheckState.Checked)
    LOOK.mkdir(parents=True, exist_ok=True)
    sup.grab().save(str(LOOK / "qa_disputes.png"))
    with qtbot.waitSignal(sup.settled, timeout=10_000) as settled:
        qtbot.mouseClick(sup.overturn_button, Qt.MouseButton.LeftButton)
    assert settled.args[0].case_status == "rejected"
    qtbot.waitUntil(lambda: sup.dispute_table.rowCount() == 0, timeout=10_000)
    with world.store.read() as s:
        status = s.scalar(select(Case.status).where(Case.case_no == world.cases[0]))
    assert status == "rejected"
    assert _cells(sup.report_table, 0) == ["alice"]
    row = [sup.report_table.item(0, c).text() for c in range(8)]
    assert row == ["alice", "1", "1", "1", "0", "1", "100.0%", "1"]
    sup.tabs.setCurrentWidget(sup.report_tab)
    sup.grab().save(str(LOOK / "qa_report.png"))
    # The disagreement report, as a file: the same numbers, the rate a share in Excel.
    import csv

    from openpyxl import load_workbook

    for name in ("抽查报告.xlsx", "抽查报告.csv"):
        with qtbot.waitSignal(sup.report_exported, timeout=10_000):
            sup.export_report(tmp_path / name)
    sheet = load_workbook(tmp_path / "抽查报告.xlsx")["抽查报告"]
    assert [c.value for c in sheet[2]] == ["alice", 1, 1, 1, 0, 1, 1.0, 1]
    assert sheet["G2"].number_format == "0.0%"
    with open(tmp_path / "抽查报告.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1] == ["alice", "1", "1", "1", "0", "1", "1.0", "1"]


def test_a_refused_draw_shows_a_message(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    sup = _open(qtbot, world, tasks, "sup")
    sup.seed_edit.setMaxLength(1000)  # past the box's own limit: the facade still refuses
    sup.seed_edit.setText("种" * 200)
    with qtbot.waitSignal(sup.failed, timeout=10_000) as failed:
        qtbot.mouseClick(sup.draw_button, Qt.MouseButton.LeftButton)
    assert "随机种子无效" in failed.args[0]
    assert sup.message.text() == failed.args[0] and sup.draw_button.isEnabled()


def test_the_menu_opens_it_after_the_audit_journal_and_double_click_opens_the_case(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    alice = Workbench(standalone(world.store), world.alice)
    alice.claim(world.cases[0])
    alice.decide(world.cases[0], DecisionInput("approve"))
    Workbench(standalone(world.store), world.sup).qa_draw(seed="s", percent={"guardianship": 100})
    sup = MainWindow(Workbench(standalone(world.store), world.sup), tasks, settings)
    qtbot.addWidget(sup)
    review = sup.menuBar().actions()[3].menu().actions()
    assert review.index(sup.qa_action) == review.index(sup.audit_action) + 1
    window = MainWindow(Workbench(standalone(world.store), world.bob), tasks, settings)
    qtbot.addWidget(window)
    window.show()
    assert window.qa_action in window.menuBar().actions()[3].menu().actions()
    dialog = window.open_qa()
    assert isinstance(dialog, QaDialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
    assert window.open_qa() is dialog
    with world.store.read() as s:
        case_id = s.scalar(select(Case.id).where(Case.case_no == world.cases[0]))
    with qtbot.waitSignal(dialog.case_requested, timeout=5_000) as requested:
        dialog.mine_table.cellDoubleClicked.emit(0, 0)
    assert requested.args == [case_id]
    qtbot.waitUntil(lambda: window.case_view.case_id == case_id, timeout=10_000)


def test_with_a_central_store_a_draw_reaches_it_and_offline_changes_nothing(
    qtbot: QtBot, tasks: TaskManager, tmp_path: Path
) -> None:
    """The window on a workstation of a central store (a central SQLite file): the draw is
    the central store's; with the connection cut, the window says so in Chinese and
    nothing is drawn."""
    central, cworld = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=2)
    ws = workstation(central, tmp_path, "office")
    alice = Workbench(ws.desk, cworld.alice)
    alice.claim(cworld.cases[0])
    alice.decide(cworld.cases[0], DecisionInput("approve"))
    dialog = QaDialog(OffThreadWorkbench(Workbench(ws.desk, cworld.sup)), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    with offline(ws), qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    assert failed.args[0] == "无法连接中心库：抽查须联网进行，本次未作任何更改"
    with central.read() as s:
        assert s.scalar(select(func.count()).select_from(QaDraw)) == 0
    for box in dialog.percent_boxes.values():
        box.setValue(100.0)
    with qtbot.waitSignal(dialog.drawn, timeout=10_000):
        qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    with central.read() as s:
        assert s.scalar(select(func.count()).select_from(QaSample)) == 1


def test_an_overturns_decision_is_refused_in_the_decision_panels_words() -> None:
    """comment_required means "a disagreement needs a comment" for a verdict, and "其他
    needs a comment" for an overturn's decision (the workflow's check, as the panel says
    it); the reasons and documents missing read as they always did."""
    from ui.case.decision_panel import REFUSALS
    from ui.qa.qa_dialog import refusal_text

    bare = WorkflowError("comment_required", "x")
    assert refusal_text(bare) == "不同意时须填写理由"
    assert refusal_text(bare, deciding=True) == REFUSALS["comment_required"]
    for code, words in (
        ("reason_required", "不通过须至少选择一项理由"),
        ("missing_required", "退回补充须至少勾选一项缺少的材料"),
    ):
        assert refusal_text(WorkflowError(code, "x"), deciding=True) == words
    # 抽查's own refusals of a settlement keep 抽查's words.
    assert "四眼原则" in refusal_text(WorkflowError("four_eyes", "x"), deciding=True)
