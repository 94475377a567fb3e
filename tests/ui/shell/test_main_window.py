"""Main window: composition, opening cases, message bar, status bar, persisted state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.review.cases import CaseNotFound
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import StoreUnavailable
from tests.ui.conftest import populate_tabs
from tests.workflow_fixtures import World
from ui.queue.queue_view import CaseIdRole
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


def _window(qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings) -> MainWindow:
    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.show()
    return w


def _loaded(qtbot: QtBot, w: MainWindow) -> None:
    qtbot.waitUntil(lambda: w.queue.model.is_complete, timeout=10_000)


def test_window_composes_queue_and_case_view(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    with qtbot.waitSignal(w.queue.counts_changed, timeout=10_000):
        w.start()
    _loaded(qtbot, w)
    assert w.splitter.widget(0) is w.queue and w.splitter.widget(1) is w.case_view
    assert "alice" in w.user_label.text()
    assert w.district_label.text() == "东湖区"
    assert "待审核 6" in w.counts_label.text()
    for name in ("decision_saved", "next_case_requested", "previous_case_requested", "case_loaded"):
        assert hasattr(w.case_view, name)


def test_selecting_a_row_shows_the_case(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    w.start()
    _loaded(qtbot, w)
    case_id = w.queue.model.index(2, 0).data(CaseIdRole)
    with qtbot.waitSignal(w.case_view.case_loaded, timeout=15_000) as loaded:
        w.queue.select_case(case_id)
    assert case_id in loaded.args[0] or loaded.args[0] in (case_id, world.cases)


def test_next_request_from_the_case_view_moves_the_queue(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    w.start()
    _loaded(qtbot, w)
    ids = [w.queue.model.index(r, 0).data(CaseIdRole) for r in range(3)]
    with qtbot.waitSignal(w.queue.case_selected, timeout=5_000):
        w.queue.select_case(ids[0])
    with qtbot.waitSignal(w.queue.case_selected, timeout=5_000) as nxt:
        w.case_view.next_case_requested.emit()
    assert nxt.args == [ids[1]]
    with qtbot.waitSignal(w.queue.case_selected, timeout=5_000) as prev:
        w.case_view.previous_case_requested.emit()
    assert prev.args == [ids[0]]


def test_decision_saved_refreshes_queue_and_counts(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    with qtbot.waitSignal(w.queue.counts_changed, timeout=10_000):
        w.start()
    _loaded(qtbot, w)
    populate_tabs(world)
    with qtbot.waitSignal(w.queue.counts_changed, timeout=10_000) as counts:
        w.case_view.decision_saved.emit(world.cases[0])
    _loaded(qtbot, w)
    assert counts.args[0]["pending"] == 2
    assert w.queue.model.rowCount() == 2
    assert "已通过 1" in w.counts_label.text()


def test_errors_are_messages_not_tracebacks(
    qtbot: QtBot,
    world: World,
    tasks: TaskManager,
    settings: QSettings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    w = _window(qtbot, world, tasks, settings)
    w.show_error(StoreUnavailable("database is locked"))
    assert w.message_bar.isVisible() and w.message_bar.level == "error"
    # The reviewer reads what it means in Chinese; the driver's English words go to the log.
    assert "数据库暂时无法访问" in w.message_bar.text and "Traceback" not in w.message_bar.text
    assert "database is locked" not in w.message_bar.text
    assert "database is locked" in caplog.text
    w.show_error(CaseNotFound("no case X"))
    assert "辖区" in w.message_bar.text


def test_a_failing_task_reaches_the_message_bar(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)

    def fail() -> None:
        raise StoreUnavailable("server went away")

    tasks.run(fail)
    qtbot.waitUntil(lambda: w.message_bar.isVisible(), timeout=5_000)
    assert "数据库暂时无法访问" in w.message_bar.text


def test_last_tab_and_layout_are_persisted(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    path = tmp_path / "persist.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    w = _window(qtbot, world, tasks, settings)
    w.start()
    _loaded(qtbot, w)
    # A size the (offscreen) screen can hold, so restoring the geometry is not clamped.
    available = w.screen().availableGeometry().size()
    w.resize(min(1200, available.width()), min(800, available.height()))
    w.queue.set_tab("approved")
    w.queue.table.horizontalHeader().resizeSection(0, 222)
    w.splitter.setSizes([600, 600])  # far from the default split (about 2:5)
    sizes = w.splitter.sizes()
    w.close()
    reopened_settings = QSettings(str(path), QSettings.Format.IniFormat)
    assert reopened_settings.value("queue/tab") == "approved"
    again = _window(qtbot, world, tasks, reopened_settings)
    again.start()
    _loaded(qtbot, again)
    assert again.queue.current_tab == "approved"
    assert again.queue.model.tab == "approved"
    assert again.queue.table.horizontalHeader().sectionSize(0) == 222
    # The offscreen platform may give the reopened window another width: the split's
    # proportion is what must come back.
    restored = again.splitter.sizes()
    assert abs(restored[0] / sum(restored) - sizes[0] / sum(sizes)) < 0.03, (restored, sizes)


def test_language_menu_saves_the_choice(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = _window(qtbot, world, tasks, settings)
    with qtbot.waitSignal(w.language_chosen, timeout=1_000) as chosen:
        w.language_actions["en"].trigger()
    assert chosen.args == ["en"]
    assert settings.value("ui/language") == "en"
    assert "restart" in w.message_bar.text


def test_crash_handler_logs_and_shows_where_without_quitting(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.shell.app import CrashHandler

    handler = CrashHandler(log_dir=tmp_path / "logs")
    try:
        raise ValueError("a bug")
    except ValueError as exc:
        with qtbot.waitSignal(handler.crashed, timeout=1_000):
            handler.handle(type(exc), exc, exc.__traceback__)
    logs = list((tmp_path / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "ValueError: a bug" in logs[0].read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: handler.message_box is not None and handler.message_box.isVisible())
    box = handler.message_box
    assert box is not None and str(logs[0]) in box.text()
    assert not box.isModal()
    box.close()


def test_a_bug_in_a_task_goes_to_the_crash_handler(
    qtbot: QtBot,
    world: World,
    tasks: TaskManager,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: seen.append(e))
    w = _window(qtbot, world, tasks, settings)
    w.show_error(KeyError("bug"))
    assert seen and isinstance(seen[0], KeyError)
    assert "内部错误" in w.message_bar.text


def test_a_busy_database_says_nothing_was_saved_and_to_try_again(
    qtbot: QtBot,
    world: World,
    tasks: TaskManager,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Another writer holding SQLite's lock past the busy timeout: the reviewer reads that
    the database was busy and the action was not saved (not "cannot be reached"), and the
    same action works once the other writer is done."""
    import sqlite3

    from reviewdb import engine
    from reviewdb.engine import Store

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    store = Store(world.store.url, tmp_path / "blobs")
    wb = Workbench(standalone(store), world.alice)
    w = MainWindow(wb, tasks, settings)
    qtbot.addWidget(w)
    w.show()
    assert world.store.url.database
    other = sqlite3.connect(world.store.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        tasks.run(lambda: wb.claim(world.cases[0]))
        qtbot.waitUntil(lambda: w.message_bar.isVisible(), timeout=5_000)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert w.message_bar.level == "error"
    assert "数据库正忙" in w.message_bar.text and "没有保存" in w.message_bar.text
    assert "无法访问" not in w.message_bar.text
    assert wb.claim(world.cases[0]).owner_id == world.alice.user_id
    store.dispose()
