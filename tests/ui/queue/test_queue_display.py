"""The queue table paints from a mirror held in C++ (QStandardItemModel), row for row with
QueueModel: after a page, a refresh, a reload and a sort; paging, selection and keys through it."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.idnumbers import make_id
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from tests.factories import DISTRICTS
from tests.integration.test_intake import files, manifest
from tests.ui.conftest import OffThreadWorkbench, make_actor
from tests.workflow_fixtures import World
from ui.queue import queue_view
from ui.queue.queue_view import (
    WAITING_STATUSES,
    CaseIdRole,
    CountRole,
    QueueModel,
    QueueView,
    SeverityRole,
    format_waiting,
)
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TIP = Qt.ItemDataRole.ToolTipRole
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _wait_loaded(qtbot: QtBot, model: QueueModel) -> None:
    qtbot.waitUntil(lambda: model.is_complete, timeout=10_000)


def _assert_mirrors(view: QueueView, since: dt.datetime) -> None:
    """The table's rows are QueueModel's: texts, roles, alignment, tooltips, flags.

    A waiting time is the one text that depends on when it was made: anything from
    ``since`` to now.
    """
    model, display = view.model, view.display
    display.flush()  # rows off screen are filled on the next turns of the event loop
    assert view.table.model() is display
    assert display.rowCount() == model.rowCount()
    assert display.columnCount() == model.columnCount() == 9
    now = dt.datetime.now(dt.UTC)
    for row in range(model.rowCount()):
        r = model.row_at(row)
        assert r is not None
        for column in range(model.columnCount()):
            shown, source = display.index(row, column), model.index(row, column)
            if column == QueueModel.COL_WAITING and r.status in WAITING_STATUSES:
                assert shown.data() in {
                    format_waiting(since - r.submitted_at),
                    format_waiting(now - r.submitted_at),
                }, (row, column)
            else:
                assert shown.data() == source.data() == QueueModel.texts_of(r)[column]
            assert shown.data(_ALIGN) == source.data(_ALIGN), (row, column)
            assert shown.data(_TIP) == source.data(_TIP), (row, column)
            assert display.flags(shown) == _ROW_FLAGS
        # The case id, severity and count are QueueModel's alone (the delegate and
        # current_case_id read them there): nothing the view paints.
        for role in (CaseIdRole, SeverityRole, CountRole):
            assert display.index(row, QueueModel.COL_FINDINGS).data(role) is None
        assert model.index(row, 0).data(CaseIdRole) == r.case_id


def _shown_case_nos(view: QueueView) -> list[str]:
    d = view.display
    return [d.index(r, QueueModel.COL_CASE_NO).data() for r in range(d.rowCount())]


def _import_case(world: World, folder: Path, i: int) -> str:
    """One more pending case in 东湖区 (as build_world makes them)."""
    day = dt.timedelta(days=i)
    child = make_id("360102", dt.date(2019, 10, 1) - day, (100 + i) % 1000)
    dad = make_id("360102", dt.date(1988, 3, 1) + day, (200 + i) % 1000)
    mum = make_id("360102", dt.date(1990, 6, 1) + day, (300 + i) % 1000)
    m = manifest(
        f"W-{i}", student=child, guardians=(dad, mum), cert=f"赣(2020)南昌市不动产权第{i:07d}号"
    )
    out = import_package(
        world.store,
        write_package(folder / f"extra{i}", m, files(), as_zip=False),
        actor=None,
        workstation="ws-test",
    )
    assert out.status == "imported", out.line
    return str(out.case_no)


def test_the_table_paints_from_items_held_in_cpp(view: QueueView) -> None:
    display = view.table.model()
    assert display is view.display and display is not view.model
    assert isinstance(display, QStandardItemModel)
    # What the view calls for every cell it paints is Qt's own, not Python.
    for name in ("data", "rowCount", "columnCount", "flags", "headerData", "index", "parent"):
        assert getattr(type(display), name) is getattr(QStandardItemModel, name), name
    header = [display.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert header == [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert header[0] == "案件编号"
    tips = [display.headerData(c, Qt.Orientation.Horizontal, _TIP) for c in range(9)]
    assert tips == [view.model.headerData(c, Qt.Orientation.Horizontal, _TIP) for c in range(9)]
    assert tips[QueueModel.COL_SCHOOL] == "此列不排序" and tips[QueueModel.COL_CASE_NO] is None


def test_mirror_follows_pages_refreshes_reloads_and_sorts(
    qtbot: QtBot, world: World, view: QueueView, tmp_path: Path
) -> None:
    since = dt.datetime.now(dt.UTC)
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    assert view.model.rowCount() == 6
    _assert_mirrors(view, since)

    # A refresh after a decision (a row goes), bob's claim (a row changes: 处理人 and its
    # tooltip) and a new submission (a row comes, at the end: oldest first).
    rows = [view.model.row_at(i) for i in range(view.model.rowCount())]
    decided, shown, claimed = rows[0], rows[3], rows[4]  # a row above the current one
    assert decided is not None and shown is not None and claimed is not None
    view.select_case(shown.case_id)
    current = view.current_case_id()
    assert current == shown.case_id
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(decided.case_no)
    wb.decide(decided.case_no, DecisionInput("approve"))
    assert not claimed.holder
    Workbench(standalone(world.store), world.bob).claim(claimed.case_no)
    added = _import_case(world, tmp_path, 6)
    with qtbot.waitSignal(view.model.refreshed, timeout=10_000):
        view.refresh()
    _wait_loaded(qtbot, view.model)
    assert decided.case_no not in _shown_case_nos(view) and added in _shown_case_nos(view)
    row = view.model.row_of(claimed.case_id)
    assert view.display.index(row, QueueModel.COL_HOLDER).data() == "bob"
    assert view.display.index(row, QueueModel.COL_HOLDER).data(_TIP)
    assert view.current_case_id() == current  # the reviewer's place is kept
    assert view.table.currentIndex().model() is view.display
    _assert_mirrors(view, since)

    # Newest case number first: the next submission comes in at the top.
    view.table.sortByColumn(QueueModel.COL_CASE_NO, Qt.SortOrder.DescendingOrder)
    _wait_loaded(qtbot, view.model)
    assert view.model.sort_key == ("case_no", True)
    _assert_mirrors(view, since)
    view.select_case(view.model.case_ids()[2])
    current = view.current_case_id()
    added = _import_case(world, tmp_path, 7)
    with qtbot.waitSignal(view.model.refreshed, timeout=10_000):
        view.refresh()
    _wait_loaded(qtbot, view.model)
    assert _shown_case_nos(view)[0] == added
    assert view.current_case_id() == current
    _assert_mirrors(view, since)

    view.reload()
    _wait_loaded(qtbot, view.model)
    _assert_mirrors(view, since)


def test_clicking_a_header_sorts_in_sql_and_the_mirror_follows(
    qtbot: QtBot, view: QueueView
) -> None:
    since = dt.datetime.now(dt.UTC)
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    header = view.table.horizontalHeader()
    for _ in range(2):  # one way, then the other
        before = view.model.sort_key
        x = header.sectionViewportPosition(QueueModel.COL_STUDENT) + 5
        with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
            qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        _wait_loaded(qtbot, view.model)
        assert view.model.sort_key[0] == "student_name" and view.model.sort_key != before
        assert header.sortIndicatorSection() == QueueModel.COL_STUDENT
        _assert_mirrors(view, since)


def test_scrolling_to_the_end_fetches_the_next_page(
    qtbot: QtBot, qtmodeltester: Any, big_store: Store, tasks: TaskManager
) -> None:
    since = dt.datetime.now(dt.UTC)
    wb = Workbench(standalone(big_store), make_actor(tuple(code for code, _ in DISTRICTS)))
    total = wb.queue_counts()["pending"]
    assert total > 100
    view = QueueView(OffThreadWorkbench(wb), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        view.start("pending")
    # Qt's model tester stays on the mirror for what follows: pages, a refresh, a reload.
    qtmodeltester.check(view.display)
    assert view.model.rowCount() == 100
    _assert_mirrors(view, since)
    bar = view.table.verticalScrollBar()
    while view.model.rowCount() < total:
        before = view.model.rowCount()
        # Only the view asks for the next page (through the mirror), as when scrolling.
        with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
            bar.setValue(bar.maximum())
        assert view.model.rowCount() > before
        _assert_mirrors(view, since)
    _wait_loaded(qtbot, view.model)
    assert view.display.rowCount() == total
    assert not view.display.canFetchMore(QModelIndex())
    with qtbot.waitSignal(view.model.refreshed, timeout=10_000):
        view.refresh()
    _assert_mirrors(view, since)
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        view.reload()
    # (Qt's model tester itself asks for more pages: it tries fetchMore.)
    qtbot.waitUntil(lambda: not view.model.is_loading, timeout=10_000)
    assert view.display.rowCount() >= 100
    _assert_mirrors(view, since)


def test_keys_and_clicks_open_the_right_cases(qtbot: QtBot, view: QueueView) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    ids = view.model.case_ids()
    table = view.table
    table.setFocus()
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as selected:
        view.select_case(ids[0])
    assert selected.args == [ids[0]]
    for key, expected in ((Qt.Key.Key_J, 1), (Qt.Key.Key_Down, 2), (Qt.Key.Key_K, 1)):
        with qtbot.waitSignal(view.case_selected, timeout=5_000) as selected:
            qtbot.keyClick(table, key)
        assert selected.args == [ids[expected]], key
        assert view.current_case_id() == ids[expected]
        assert table.currentIndex().model() is view.display
    with qtbot.waitSignal(view.case_activated, timeout=5_000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [ids[1]]
    assert view.next_case_id() == ids[2]

    # A QueueModel index (as the rest of the app has them) stands for the table's own.
    source = view.model.index(4, QueueModel.COL_SCHOOL)
    rect = table.visualRect(source)
    assert rect.isValid() and rect == table.visualRect(view.display.index(4, 3))
    table.scrollTo(source)
    with qtbot.waitSignal(view.case_selected, timeout=5_000) as clicked:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [ids[4]]
    assert view.select_case(ids[5]) and view.current_case_id() == ids[5]
    assert table.selectionModel().selectedRows()[0].row() == 5


def test_the_first_page_is_painted_once(qtbot: QtBot, big_store: Store, tasks: TaskManager) -> None:
    wb = Workbench(standalone(big_store), make_actor(tuple(code for code, _ in DISTRICTS)))
    view = QueueView(OffThreadWorkbench(wb), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    painted: list[int] = []
    last_row_then: list[Any] = []
    first_row_then: list[Any] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and view.display.rowCount():
                painted.append(view.display.rowCount())
                first_row_then.append(view.display.index(0, QueueModel.COL_CASE_NO).data())
                last_row_then.append(view.display.index(99, QueueModel.COL_CASE_NO).data())
            return False

    paints = Paints()
    view.table.viewport().installEventFilter(paints)
    qtbot.wait(50)  # the empty table's paints
    with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
        view.start("pending")
    qtbot.waitUntil(lambda: bool(painted), timeout=5_000)
    qtbot.wait(300)
    # Not again for the table's delayed layout, nor for a scroll bar appearing with more
    # rows than fit and the last column stretching back, nor for the rows off screen
    # filled after it.
    assert painted == [100]
    # The rows on screen were filled before that paint, the last row of the page after.
    assert first_row_then == [view.model.index(0, QueueModel.COL_CASE_NO).data()]
    assert last_row_then == [None]
    assert view.display.index(99, QueueModel.COL_CASE_NO).data() == view.model.row_at(99).case_no


class _GatedWorkbench:
    """A Workbench whose queue pages wait for ``gate`` (and fail with ``fail``)."""

    def __init__(self, inner: Workbench) -> None:
        self._inner = inner
        self.gate = threading.Event()
        self.fail: Exception | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def queue_page(self, *args: Any, **kwargs: Any) -> Any:
        self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return self._inner.queue_page(*args, **kwargs)


def test_the_table_shows_itself_loading_only_when_the_page_is_slow(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    wb = _GatedWorkbench(Workbench(standalone(world.store), world.alice))
    view = QueueView(wb, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    viewport = view.table.viewport()
    try:
        view.start("pending")
        # The table keeps its picture a moment: the page usually comes before it would
        # have been painted empty.
        assert not viewport.updatesEnabled()
        qtbot.waitUntil(viewport.updatesEnabled, timeout=5_000)
        assert view.model.is_loading
        assert view.empty_label.isVisible() and view.empty_label.text() == "正在加载…"
        wb.gate.set()
        _wait_loaded(qtbot, view.model)
        assert viewport.updatesEnabled() and not view.empty_label.isVisible()

        view.reload()
        assert not viewport.updatesEnabled()
        with qtbot.waitSignal(view.model.page_loaded, timeout=10_000):
            pass
        assert viewport.updatesEnabled() and view.display.rowCount() == 6

        wb.fail = RuntimeError("disk gone")
        with qtbot.waitSignal(view.error_occurred, timeout=10_000):
            view.reload()
        assert viewport.updatesEnabled()
    finally:
        wb.gate.set()


def test_a_refresh_sets_again_the_waiting_times_that_moved_on(
    qtbot: QtBot, view: QueueView, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.start("pending")
    _wait_loaded(qtbot, view.model)
    waiting = QueueModel.COL_WAITING
    before = [view.display.index(r, waiting).data() for r in range(view.display.rowCount())]
    assert all(text.endswith(("分钟", "小时", "天")) for text in before)
    changes: list[tuple[int, int]] = []
    view.display.dataChanged.connect(lambda tl, br, *_: changes.append((tl.row(), br.row())))
    # Rows read the same an hour later: only their waiting time is set again.
    monkeypatch.setattr(queue_view, "format_waiting", lambda _delta: "1小时")
    with qtbot.waitSignal(view.model.refreshed, timeout=10_000):
        view.refresh()
    assert [view.display.index(r, waiting).data() for r in range(6)] == ["1小时"] * 6
    assert changes == [(0, 5)]
    changes.clear()
    with qtbot.waitSignal(view.model.refreshed, timeout=10_000):
        view.refresh()
    assert changes == []  # nothing moved on: nothing set again
