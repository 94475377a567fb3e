"""The 督导台 window: opened from the main window by supervisors (not reviewers), its
numbers read off the GUI thread and laid out as the store counts them; a failed read
shows a message and the next read recovers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, Decision
from tests.ui.conftest import OffThreadWorkbench, populate_tabs
from tests.workflow_fixtures import World
from ui.desk.charts import BAR_COLOUR, BarChart
from ui.desk.desk_dialog import DeskDialog
from ui.shell import labels
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

LOOK = Path("/tmp/desk_look")


def _column(dialog_table: object, column: int) -> list[str]:
    table = dialog_table  # QTableWidget
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def _open(qtbot: QtBot, world: World, tasks: TaskManager) -> DeskDialog:
    wb = OffThreadWorkbench(Workbench(standalone(world.store), world.sup))
    dialog = DeskDialog(wb, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.reload()
    return dialog


def test_the_desk_shows_the_stores_numbers(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    populate_tabs(world)  # alice: 1 approve, 2 rejects (one confirmed), 1 return; c4 held
    dialog = _open(qtbot, world, tasks)
    with world.store.read() as s:
        open_cases = s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.status.in_(("pending", "confirming", "returned")))
        )
        standing = s.scalar(select(func.count()).select_from(Decision).where(Decision.effective))
    assert open_cases == 4 and standing == 4
    assert dialog.open_card.value.text() == str(open_cases)
    assert "共 4 个决定" in dialog.rates_card.detail.text()
    assert dialog.rates_card.value.text() == "25.0% / 50.0% / 25.0%"
    # 积压: one school, its groups by status; the chart's bar is the same total.
    assert dialog.school_chart.bars() == [("南昌市东湖区育新学校", open_cases)]
    counts = {
        status: int(n)
        for status, n in zip(
            _column(dialog.backlog_table, 3), _column(dialog.backlog_table, 4), strict=True
        )
    }
    assert counts == {"待审核": 2, "待复核": 1, "已退回": 1}
    deadlines = _column(dialog.backlog_table, 7)
    assert deadlines and all("2026-07-31" in t for t in deadlines)
    # 审核人: alice, 4 decisions today; the day chart sums to them.
    assert _column(dialog.reviewer_table, 0) == ["alice"]
    assert _column(dialog.reviewer_table, 1) == ["1"]  # 认领中: c4
    assert _column(dialog.reviewer_table, 2) == ["4"]  # 今日
    assert sum(n for _, n in dialog.day_chart.days()) == 4
    dialog.reviewer_table.selectRow(0)
    assert "alice" in dialog.days_title.text()
    # 结论与理由: NOT_DIVORCED twice.
    assert (labels.reason_title("NOT_DIVORCED"), "2") in zip(
        _column(dialog.reason_table, 1), _column(dialog.reason_table, 2), strict=True
    )
    assert [n for _, n in dialog.outcome_chart.bars()] == [1, 2, 1]
    LOOK.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(LOOK / "desk_offscreen.png"))


def test_a_failed_read_says_so_and_the_next_one_recovers(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    dialog = _open(qtbot, world, tasks)
    assert dialog.open_card.value.text() == "6"
    with world.store.write() as s:  # the store breaks under the desk
        s.execute(text("ALTER TABLE decisions RENAME TO decisions_away"))
    with qtbot.waitSignal(dialog.load_failed, timeout=10_000):
        dialog.reload()
    assert dialog.error_label.isVisible() and "统计读取失败" in dialog.error_label.text()
    assert dialog.open_card.value.text() == "6"  # the last numbers stay
    assert dialog.refresh_button.isEnabled()
    with world.store.write() as s:
        s.execute(text("ALTER TABLE decisions_away RENAME TO decisions"))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_F5)
    assert not dialog.error_label.isVisible()


def test_only_supervisors_and_admins_reach_the_desk(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    reviewer = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(reviewer)
    assert reviewer.desk_action not in reviewer.menuBar().actions()[3].menu().actions()
    assert reviewer.open_desk() is None
    sup = MainWindow(Workbench(standalone(world.store), world.sup), tasks, settings)
    qtbot.addWidget(sup)
    sup.show()
    assert sup.desk_action in sup.menuBar().actions()[3].menu().actions()
    assert sup.desk_action.shortcut().toString() == "Ctrl+Shift+D"
    dialog = sup.open_desk()
    assert isinstance(dialog, DeskDialog)
    qtbot.waitSignal(dialog.loaded, timeout=10_000).wait()
    assert sup.open_desk() is dialog  # one desk, raised again


def test_bar_chart_folds_the_tail_into_one_bar(qtbot: QtBot) -> None:
    chart = BarChart(max_bars=3)
    qtbot.addWidget(chart)
    chart.set_bars([("甲", 9), ("乙", 7), ("丙", 5), ("丁", 2), ("戊", 1)])
    assert chart.bars() == [("甲", 9), ("乙", 7), ("丙", 5), ("其他 2 项", 3)]
    chart.resize(400, chart.sizeHint().height())
    image = chart.grab().toImage()
    # The longest bar is painted in the bar colour; an empty chart paints its text only.
    assert any(
        image.pixelColor(x, 4 + 11).name() == BAR_COLOUR.name() for x in range(image.width())
    )


def test_a_supervisor_gives_a_reviewers_case_to_another_from_the_desk(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    from reviewdb.models import Claim, JournalEntry, User

    cases = populate_tabs(world)  # alice holds c4
    held = cases["mine"][0]
    dialog = _open(qtbot, world, tasks)
    steering = dialog.steering
    assert steering is not None
    dialog.tabs.setCurrentIndex(1)
    dialog.reviewer_table.selectRow(0)
    qtbot.waitUntil(lambda: steering.held() == [held], timeout=10_000)
    qtbot.waitUntil(lambda: steering.to_box.count() > 0, timeout=10_000)
    assert {steering.to_box.itemData(i) for i in range(steering.to_box.count())} == {
        "alice",
        "bob",
        "sup",
        "sup2",
    }  # alice's district's people, not carol (西湖区)
    assert steering.to_box.currentData() != "alice"  # offered someone else first
    assert not steering.reassign_button.isEnabled()  # nothing checked, no reason
    steering.all_button.click()
    steering.to_box.setCurrentIndex(steering.to_box.findData("bob"))
    assert not steering.reassign_button.isEnabled()  # a reason is required
    qtbot.keyClicks(
        steering.reason, "alice "
    )  # QTest types Latin-1 only: the rest as typed by an IME
    steering.reason.insert("请假")
    assert steering.reassign_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        steering.reassign_button.click()
    assert "已处理 1 件" in steering.result_label.text()
    with world.store.read() as s:
        owner = s.scalar(
            select(User.username)
            .join(Claim, Claim.owner_id == User.id)
            .join(Case, Case.id == Claim.case_id)
            .where(Case.case_no == held)
        )
        entry = s.scalars(select(JournalEntry).where(JournalEntry.action == "reassign")).one()
    assert owner == "bob"
    assert entry.payload["reason"] == "alice 请假" and entry.payload["previous_holder"] == "alice"
    holding = dict(
        zip(_column(dialog.reviewer_table, 0), _column(dialog.reviewer_table, 1), strict=True)
    )
    assert holding.get("bob") == "1" and holding.get("alice", "0") == "0"
    # The reader's place is kept across the re-read (rows re-sorted): still alice.
    chosen = dialog.reviewer_table.selectionModel().selectedRows()
    assert [dialog.reviewer_table.item(i.row(), 0).text() for i in chosen] == ["alice"]
    assert "alice" in dialog.days_title.text() and "alice" in steering.title()
    LOOK.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(LOOK / "desk_steering_offscreen.png"))


def test_the_desk_exports_decisions_and_the_backlog(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    import csv
    import datetime as dt

    from openpyxl import load_workbook

    from app.notices.printing import CHINA_TZ

    populate_tabs(world)  # final: c0 approved, c2 rejected (confirmed), c3 returned
    dialog = _open(qtbot, world, tasks)
    today = dt.datetime.now(CHINA_TZ).date()
    target = tmp_path / "结论.xlsx"
    with qtbot.waitSignal(dialog.exports.finished, timeout=20_000) as done:
        dialog.exports.export_decisions(target, today - dt.timedelta(days=1), today)
    assert done.args[0].rows == 3
    sheet = load_workbook(target, read_only=True)["审核结论"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    assert "已导出 3 行" in dialog.export_label.text()
    backlog = tmp_path / "积压.csv"
    with qtbot.waitSignal(dialog.exports.finished, timeout=20_000):
        dialog.exports.export_backlog(backlog)
    with open(backlog, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert written[0][:5] == ["区", "学校", "类型", "状态", "案件数"]
    assert sum(int(r[4]) for r in written[1:]) == int(dialog.open_card.value.text())
    # A name the export cannot take: said, nothing written, the desk still works.
    with qtbot.waitSignal(dialog.exports.failed, timeout=20_000) as failed:
        dialog.exports.export_backlog(tmp_path / "积压.txt")
    assert "xlsx" in failed.args[0] and not (tmp_path / "积压.txt").exists()
    assert not dialog.exports.running


def test_a_supervisor_pauses_and_resumes_a_reviewer_from_the_desk(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    from app.auth import AccountPaused

    populate_tabs(world)
    dialog = _open(qtbot, world, tasks)
    steering = dialog.steering
    assert steering is not None
    dialog.tabs.setCurrentIndex(1)
    dialog.reviewer_table.selectRow(0)  # alice
    qtbot.waitUntil(lambda: len(steering.held()) == 1, timeout=10_000)
    assert steering.pause_button.text() == "暂停账号" and not steering.pause_button.isEnabled()
    steering.reason.setText("休假")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        steering.pause_button.click()
    assert "已暂停" in steering.result_label.text()
    assert _column(dialog.reviewer_table, 0) == ["alice（已暂停）"]
    with pytest.raises(AccountPaused):
        standalone(world.store).login("alice", "alice-pass-1", "ws-test")
    assert steering.pause_button.text() == "恢复账号"
    steering.reason.setText("回来了")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        steering.pause_button.click()
    assert _column(dialog.reviewer_table, 0) == ["alice"]
