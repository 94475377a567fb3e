"""Queue model and view: tabs and counts, search, paging, scope, selection, never on the GUI thread."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import TABS, QueueFilters, Workbench
from reviewdb.engine import Store
from tests.factories import DISTRICTS
from tests.ui.conftest import OffThreadWorkbench, make_actor, populate_tabs
from tests.workflow_fixtures import World
from ui.queue import queue_view
from ui.queue.queue_view import CaseIdRole, QueueModel, QueueView, format_waiting
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


def _wait_loaded(qtbot: QtBot, model: QueueModel) -> None:
    qtbot.waitUntil(lambda: model.is_complete, timeout=10_000)


def _case_nos(model: QueueModel) -> list[str]:
    return [model.index(r, QueueModel.COL_CASE_NO).data() for r in range(model.rowCount())]


def test_each_tab_lists_its_cases_and_counts(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    expected = populate_tabs(world)
    view = QueueView(Workbench(standalone(world.store), world.alice), tasks)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.counts_changed, timeout=10_000) as counts:
        view.start("pending")
        view.refresh_counts()
    assert counts.args[0] == {tab: len(expected[tab]) for tab in TABS}
    for tab in TABS:
        view.set_tab(tab)
        _wait_loaded(qtbot, view.model)
        assert sorted(_case_nos(view.model)) == sorted(expected[tab]), tab
        n = len(expected[tab])
        assert view.tabs.tabText(TABS.index(tab)).endswith(f" {n}")
    view.set_tab("confirming")
    _wait_loaded(qtbot, view.model)
    row = view.model.index(0, QueueModel.COL_STATUS)
    assert row.data() == "待复核"


def test_columns_show_student_masked_id_waiting_and_findings(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    m = view.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == [
        "案件编号",
        "类型",
        "学生",
        "学校",
        "提交时间",
        "等待时长",
        "发现",
        "状态",
        "处理人",
    ]
    student = m.index(0, QueueModel.COL_STUDENT).data()
    assert "*" in student and len(student.split()[-1]) == 18
    assert m.index(0, QueueModel.COL_KIND).data() == "监护关系"
    waiting = m.index(0, QueueModel.COL_WAITING).data()
    assert waiting.endswith(("小时", "分钟"))


def test_format_waiting() -> None:
    import datetime as dt

    assert format_waiting(dt.timedelta(days=3, hours=4, minutes=5)) == "3天4小时"
    assert format_waiting(dt.timedelta(hours=5)) == "5小时"
    assert format_waiting(dt.timedelta(minutes=12)) == "12分钟"


@pytest.mark.parametrize("how", ["name", "id_prefix", "case_no"])
def test_search(qtbot: QtBot, world: World, view: QueueView, how: str) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    wb = Workbench(standalone(world.store), world.alice)
    rows = wb.queue_page("pending")
    target = rows[2]
    with world.store.read() as s:
        from reviewdb.models import Case

        id_number = s.get(Case, target.case_id).student_id_number  # type: ignore[union-attr]
    text = {
        "name": target.student_name,
        "id_prefix": id_number[:14],
        "case_no": target.case_no[-6:],
    }[how]
    expected = {r.case_no for r in wb.queue_page("pending", QueueFilters(search=text), limit=1000)}
    assert target.case_no in expected
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        # Typed one character at a time (QTest cannot type CJK keys): one query after typing stops.
        for i in range(1, len(text) + 1):
            view.search_box.setText(text[:i])
    _wait_loaded(qtbot, view.model)
    assert set(_case_nos(view.model)) == expected
    if how != "name":
        assert _case_nos(view.model) == [target.case_no]


def test_filter_by_kind_shows_nothing_for_other_kinds(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    assert view.model.rowCount() == 6
    view.kind_box.setCurrentIndex(view.kind_box.findData("kinship"))
    _wait_loaded(qtbot, view.model)
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisible()


def test_case_outside_district_never_appears(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    view = QueueView(Workbench(standalone(world.store), world.carol), tasks)  # carol: 西湖区 only
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.counts_changed, timeout=10_000) as counts:
        view.start("pending")
        view.refresh_counts()
    for tab in TABS:
        view.set_tab(tab)
        _wait_loaded(qtbot, view.model)
        assert view.model.rowCount() == 0
    assert set(counts.args[0].values()) == {0}
    view.search_box.setText(world.cases[0])
    view._search_now()
    _wait_loaded(qtbot, view.model)
    assert view.model.rowCount() == 0


def test_clicking_a_row_emits_case_selected(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    index = view.model.index(1, QueueModel.COL_SCHOOL)
    rect = view.table.visualRect(index)
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as selected:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert selected.args == [index.data(CaseIdRole)]


def test_keyboard_j_k_enter_and_next_previous(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    ids = [view.model.index(r, 0).data(CaseIdRole) for r in range(view.model.rowCount())]
    view.table.setFocus()
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as first:
        view.select_case(ids[0])
    assert first.args == [ids[0]]
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as second:
        qtbot.keyClick(view.table, Qt.Key.Key_J)
    assert second.args == [ids[1]]
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as back:
        qtbot.keyClick(view.table, Qt.Key.Key_K)
    assert back.args == [ids[0]]
    with qtbot.waitSignal(view.case_activated, timeout=5_000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [ids[0]]
    with qtbot.waitSignal(view.case_selected, timeout=1_000) as nxt:
        view.select_next()
    assert nxt.args == [ids[1]]
    with qtbot.waitSignal(view.case_selected, timeout=1_000) as prev:
        view.select_previous()
    assert prev.args == [ids[0]]


def test_ctrl_f_focuses_search(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    view.activateWindow()
    view.table.setFocus()
    view.find_shortcut.activated.emit()
    assert view.search_box.hasFocus() or view.focusWidget() is view.search_box


def test_refresh_after_decision_removes_the_row_and_updates_counts(
    qtbot: QtBot, world: World, view: QueueView
) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    view.select_case(view.model.index(2, 0).data(CaseIdRole))
    decided = view.model.index(0, QueueModel.COL_CASE_NO).data()  # a row above the current one
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(decided)
    from app.review.workflow import DecisionInput

    wb.decide(decided, DecisionInput("approve"))
    current = view.current_case_id()
    with qtbot.waitSignal(view.counts_changed, timeout=10_000) as counts:
        view.refresh()
    _wait_loaded(qtbot, view.model)
    assert decided not in _case_nos(view.model)
    assert view.model.rowCount() == 5
    assert view.current_case_id() == current  # the reviewer's place is kept
    assert counts.args[0]["pending"] == 5 and counts.args[0]["approved"] == 1


@pytest.mark.parametrize("how", ["refresh", "reload"])
def test_a_refresh_before_the_row_moved_to_opens_keeps_the_reviewer_there(
    qtbot: QtBot,
    world: World,
    tasks: TaskManager,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """The reviewer opened one case, then moved to another row; before that row opened
    (the selection waits SELECT_DEBOUNCE_MS), a refresh came back. The reviewer stays on
    the row moved to, and it opens: not thrown back to the case opened before."""
    monkeypatch.setattr(queue_view, "SELECT_DEBOUNCE_MS", 1_500)  # a wide window
    view = QueueView(OffThreadWorkbench(Workbench(standalone(world.store), world.alice)), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.show()
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    ids = view.model.case_ids()
    with qtbot.waitSignal(view.case_selected, timeout=5_000):
        view.select_case(ids[1])  # opened
    decided = view.model.row_at(0)
    assert decided is not None
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(decided.case_no)
    wb.decide(decided.case_no, DecisionInput("approve"))  # a row above goes
    opened: list[str] = []
    view.case_selected.connect(opened.append)
    view.select_case(ids[3])  # moved to, not opened yet
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        getattr(view, how)()
    _wait_loaded(qtbot, view.model)
    assert decided.case_id not in view.model.case_ids()
    assert not opened  # the refresh came first
    assert view.current_case_id() == ids[3]
    qtbot.waitUntil(lambda: opened == [ids[3]], timeout=5_000)
    assert view.current_case_id() == ids[3]


def test_queue_model_never_calls_the_workbench_on_the_gui_thread(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    guarded = OffThreadWorkbench(Workbench(standalone(world.store), world.alice))
    view = QueueView(guarded, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.show()
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    view.table.sortByColumn(QueueModel.COL_CASE_NO, Qt.SortOrder.DescendingOrder)
    _wait_loaded(qtbot, view.model)
    view.search_box.setText("W")
    view._search_now()
    _wait_loaded(qtbot, view.model)
    view.refresh()
    _wait_loaded(qtbot, view.model)
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=10_000)
    assert {"queue_page", "queue_counts", "schools"} <= set(guarded.calls)


def test_sort_is_done_in_sql(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    view.table.sortByColumn(QueueModel.COL_CASE_NO, Qt.SortOrder.DescendingOrder)
    _wait_loaded(qtbot, view.model)
    assert view.model.sort_key == ("case_no", True)
    nos = _case_nos(view.model)
    assert nos == sorted(nos, reverse=True)


def test_paging_fetches_until_all_rows_are_there(
    qtbot: QtBot, big_store: Store, tasks: TaskManager
) -> None:
    actor = make_actor(tuple(code for code, _ in DISTRICTS))
    wb = Workbench(standalone(big_store), actor)
    total = wb.queue_counts()["approved"] + 0
    all_tab = "pending"
    total = wb.queue_counts()[all_tab]
    assert total > 100
    view = QueueView(OffThreadWorkbench(wb), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        view.start(all_tab)
    assert view.model.rowCount() == 100
    table = view.table
    while view.model.rowCount() < total:
        before = view.model.rowCount()
        with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
            table.scrollToBottom()
            table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
            if not view.model.is_loading:
                view.model.fetchMore(QModelIndex())
        assert view.model.rowCount() > before
    _wait_loaded(qtbot, view.model)
    ids = [view.model.index(r, 0).data(CaseIdRole) for r in range(view.model.rowCount())]
    assert len(ids) == total == len(set(ids))
    assert not view.model.canFetchMore(QModelIndex())


def test_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: Any, big_store: Store, tasks: TaskManager
) -> None:
    actor = make_actor(tuple(code for code, _ in DISTRICTS))
    model = QueueModel(Workbench(standalone(big_store), actor), tasks)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.set_tab("pending")
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.page_loaded, timeout=10_000):
        model.refresh()
    qtmodeltester.check(model)
