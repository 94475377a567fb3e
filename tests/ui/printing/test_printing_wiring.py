"""The main window's 打印 menu: 打印通知书 for a decided case, 批量打印… for the day's batch."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.notices.printing import init_district_key
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, NoticePrint
from tests.ui.conftest import populate_tabs
from tests.workflow_fixtures import World
from ui.printing.batch_print import BatchPrintDialog
from ui.printing.print_preview import PrintPreviewDialog
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings) -> MainWindow:
    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: w.queue.model.is_complete, timeout=10_000)
    return w


def _case_id(world: World, case_no: str) -> str:
    with world.store.read() as s:
        return str(s.scalars(select(Case.id).where(Case.case_no == case_no)).one())


def _open(qtbot: QtBot, w: MainWindow, tab: str, case_id: str) -> None:
    """Open the case through the queue (as the reviewer does), on the tab that lists it."""
    w.queue.set_tab(tab)
    qtbot.waitUntil(lambda: w.queue.model.row_of(case_id) >= 0, timeout=10_000)
    if w.case_view.case_id == case_id and w.case_view.detail is not None:
        return
    with qtbot.waitSignal(
        w.case_view.case_loaded, timeout=15_000, check_params_cb=lambda c: c == case_id
    ):
        w.queue.select_case(case_id)


def _previews() -> list[PrintPreviewDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, PrintPreviewDialog) and widget.isVisible()
    ]


def test_print_is_disabled_for_a_pending_case(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    tabs = populate_tabs(world)
    w = _window(qtbot, world, tasks, settings)
    assert not w.print_action.isEnabled()  # no case open
    assert w.print_action.shortcut().toString() == "Ctrl+P"
    _open(qtbot, w, "pending", _case_id(world, tabs["pending"][1]))
    assert not w.print_action.isEnabled()
    assert "最终结论" in w.print_action.toolTip()
    _open(
        qtbot, w, "confirming", _case_id(world, tabs["confirming"][0])
    )  # waiting for the supervisor
    assert not w.print_action.isEnabled()
    w.print_action.trigger()  # disabled: nothing happens
    assert not _previews()


def test_print_opens_the_preview_for_an_approved_case(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    init_district_key(world.store, "东湖区")
    tabs = populate_tabs(world)
    w = _window(qtbot, world, tasks, settings)
    approved = tabs["approved"][0]
    _open(qtbot, w, "approved", _case_id(world, approved))
    assert w.print_action.isEnabled()
    w.print_action.trigger()
    qtbot.waitUntil(lambda: bool(_previews()), timeout=30_000)
    preview = _previews()[0]
    assert approved in preview.windowTitle()
    preview.close()
    with world.store.read() as s:
        assert s.scalars(select(NoticePrint)).all() == []  # previewed, not printed


def test_batch_print_menu_opens_the_batch_dialog(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    dialog: Any = w.open_batch_print()
    assert isinstance(dialog, BatchPrintDialog) and dialog.isVisible()
    assert w.batch_print_action.isEnabled()
    dialog.close()
