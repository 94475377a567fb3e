"""The 审计日志 window: entries listed off the GUI thread as the store holds them, filtered
and paged; a tampered entry named, painted red and jumped to; the CSV written (or
cancelled, leaving no file); unusable filter text refused in words; reviewers kept out."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.auth import Actor
from app.review.audit import CSV_HEADER, AuditFilters, csv_cells
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from tests.ui.conftest import OffThreadWorkbench, populate_tabs
from tests.ui.desk_helpers import laptop_screen
from tests.workflow_fixtures import World
from ui.audit.audit_dialog import BROKEN_BACKGROUND, AuditDialog, open_audit
from ui.shell.main_window import MainWindow
from ui.shell.screen_fit import fits, refit
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

LOOK = Path("/tmp/audit_look")
WAIT = 10_000
EAST = "c.district_code IN (SELECT code FROM districts WHERE name = '东湖区')"


def _sup_seqs(store: Store, where: str = "1=1", **params: object) -> list[int]:
    """The entries sup (东湖区) may read, as the test counts them in SQL, newest first."""
    with store.read() as s:
        return list(
            s.execute(
                text(
                    "SELECT j.seq FROM journal j LEFT JOIN cases c ON c.id = j.case_id "
                    f"WHERE ({EAST} OR (j.case_id IS NULL AND j.actor = 'sup')) AND {where} "
                    "ORDER BY j.seq DESC"
                ),
                params,
            ).scalars()
        )


def _open(
    qtbot: QtBot, world: World, tasks: TaskManager, actor: Actor | None = None
) -> AuditDialog:
    wb = OffThreadWorkbench(Workbench(standalone(world.store), actor or world.sup))
    dialog = AuditDialog(wb, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignals(
        [dialog.verified, dialog.model.page_loaded, dialog.actions_loaded], timeout=WAIT
    ):
        dialog.start()
    return dialog


def _search(qtbot: QtBot, dialog: AuditDialog) -> None:
    with qtbot.waitSignal(dialog.model.page_loaded, timeout=WAIT):
        qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)


def _tamper(store: Store, seq: int) -> None:
    with store.write() as s:
        s.execute(
            text("UPDATE journal SET payload = :p WHERE seq = :s"),
            {"p": '{"case_no":"改过了"}', "s": seq},
        )


def _many_views(world: World, n: int) -> None:
    """``n`` more 东湖区 entries (alice viewing cases), in one transaction."""
    from reviewdb import journal

    with world.store.write() as s:
        ids = list(s.execute(text("SELECT id FROM cases ORDER BY case_no")).scalars())
        for i in range(n):
            journal.append(
                s,
                action="view",
                actor="alice",
                workstation="ws-test",
                case_id=ids[i % len(ids)],
                payload={"case_no": world.cases[i % len(world.cases)]},
            )


def test_the_browser_lists_and_filters_what_the_store_holds(
    qtbot: QtBot, qtmodeltester: Any, world: World, tasks: TaskManager
) -> None:
    populate_tabs(world)
    dialog = _open(qtbot, world, tasks)
    assert dialog.model.seqs() == _sup_seqs(world.store)
    assert dialog.status_label.text().startswith("链完整：已校验")
    assert not dialog.jump_button.isVisible()
    assert dialog.from_edit.text() == "不限" and dialog.to_edit.text() == "不限"
    qtmodeltester.check(dialog.model)
    # 案件编号
    dialog.case_edit.setText(world.cases[0])
    _search(qtbot, dialog)
    assert dialog.model.seqs() == _sup_seqs(world.store, "c.case_no = :n", n=world.cases[0])
    # 操作 (offered from what the journal holds), with the case still set
    assert dialog.action_combo.findData("decide") > 0
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("decide"))
    _search(qtbot, dialog)
    decided = _sup_seqs(world.store, "c.case_no = :n AND j.action = 'decide'", n=world.cases[0])
    assert dialog.model.seqs() == decided and len(decided) == 1
    assert dialog.model.index(0, 4).data() == "作出决定"
    # The selected entry's payload in full.
    dialog.table.selectRow(0)
    detail = dialog.detail.toPlainText()
    assert f"第 {decided[0]} 条" in detail and '"outcome": "approve"' in detail
    assert "人员：alice" in detail
    # 人员, and 清除
    dialog._clear_bar()
    dialog.person_edit.setText("alice")
    _search(qtbot, dialog)
    assert dialog.model.seqs() == _sup_seqs(world.store, "j.actor = 'alice'")
    with qtbot.waitSignal(dialog.model.page_loaded, timeout=WAIT):
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.model.seqs() == _sup_seqs(world.store)
    assert "共" in dialog.message_label.text()
    # Every read went through the facade on the db lane (OffThreadWorkbench checks).
    assert {"journal_page", "journal_actions", "verify_journal"} <= set(dialog._workbench.calls)  # type: ignore[attr-defined]


def test_pages_of_200_load_as_the_table_asks(
    qtbot: QtBot, qtmodeltester: Any, world: World, tasks: TaskManager
) -> None:
    _many_views(world, 450)
    dialog = _open(qtbot, world, tasks)
    expected = _sup_seqs(world.store)
    assert len(expected) > 400
    assert dialog.model.rowCount() in (200, 400)  # the view may ask for a second page itself
    while dialog.model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(dialog.model.page_loaded, timeout=WAIT):
            dialog.model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: dialog.model.is_complete, timeout=WAIT)
    assert dialog.model.seqs() == expected  # every entry once, newest first
    qtmodeltester.check(dialog.model)


def test_a_tampered_entry_is_named_painted_red_and_shown(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    populate_tabs(world)
    target = _sup_seqs(world.store, "j.action = 'decide' AND c.case_no = :n", n=world.cases[0])[0]
    _tamper(world.store, target)
    dialog = _open(qtbot, world, tasks)
    assert dialog.check is not None and dialog.check.broken_seq == target
    assert dialog.status_label.text().startswith(f"第 {target} 条起被改动：内容被改动")
    row = dialog.model.row_of(target)
    assert row >= 0
    assert dialog.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == BROKEN_BACKGROUND
    assert dialog.model.index(row + 1, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.table.currentIndex().row() == row  # selected and scrolled to
    assert "日志链从这一条起不再完整" in dialog.detail.toPlainText()
    assert "改过了" in dialog.detail.toPlainText()
    assert not dialog.jump_button.isVisible()
    dialog.resize(1366 - 16, 720)
    LOOK.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(LOOK / "audit_offscreen.png"))
    # 校验 again: the same verdict.
    with qtbot.waitSignal(dialog.verified, timeout=WAIT):
        qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    assert dialog.check.broken_seq == target


def test_jump_lists_the_journal_from_a_broken_entry_not_loaded_yet(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    first_import = _sup_seqs(world.store, "j.action = 'import'")[-1]
    _many_views(world, 450)
    _tamper(world.store, first_import)
    dialog = _open(qtbot, world, tasks)
    dialog.person_edit.setText("alice")  # leaves the import (nobody's) out
    _search(qtbot, dialog)
    assert dialog.model.row_of(first_import) < 0
    assert dialog.jump_button.isVisible()
    with qtbot.waitSignal(dialog.jumped, timeout=WAIT) as jumped:
        qtbot.mouseClick(dialog.jump_button, Qt.MouseButton.LeftButton)
    assert jumped.args == [first_import]
    assert dialog.model.seqs()[0] == first_import  # listed from it, without the filter
    assert dialog.person_edit.text() == ""
    assert dialog.table.currentIndex().row() == 0
    assert f"从第 {first_import} 条起列出" in dialog.message_label.text()
    assert not dialog.jump_button.isVisible()


def test_a_broken_entry_out_of_the_supervisors_reach_is_said_so(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    with world.store.read() as s:
        user_add = s.execute(
            text("SELECT min(seq) FROM journal WHERE action = 'user_add'")
        ).scalar_one()
    _tamper(world.store, user_add)
    dialog = _open(qtbot, world, tasks)
    assert dialog.check is not None and dialog.check.broken_seq == user_add
    assert dialog.jump_button.isVisible()
    with qtbot.waitSignal(dialog.jumped, timeout=WAIT) as jumped:
        qtbot.mouseClick(dialog.jump_button, Qt.MouseButton.LeftButton)
    assert jumped.args == [-1]
    assert "不在您可查看的范围内" in dialog.message_label.text()
    # The admin sees it at once (a short journal: all of it on the first page).
    admin = _open(qtbot, world, tasks, world.admin)
    row = admin.model.row_of(user_add)
    assert row >= 0 and not admin.jump_button.isVisible()
    assert admin.table.currentIndex().row() == row
    assert admin.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == BROKEN_BACKGROUND


def test_export_writes_the_filtered_entries(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    populate_tabs(world)
    dialog = _open(qtbot, world, tasks)
    dialog.person_edit.setText("alice")
    _search(qtbot, dialog)
    path = tmp_path / "导出"  # no suffix: .csv is added
    with qtbot.waitSignal(dialog.exported, timeout=WAIT) as done:
        dialog.export_csv(str(path))
    written = path.with_suffix(".csv")
    assert done.args[0].path == written and done.args[0].rows == dialog.model.rowCount()
    with open(written, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    loaded = [dialog.model.row_at(r) for r in range(dialog.model.rowCount())]
    assert rows == [list(CSV_HEADER)] + [csv_cells(r) for r in loaded if r is not None]
    assert [int(r[0]) for r in rows[1:]] == _sup_seqs(world.store, "j.actor = 'alice'")
    assert "已导出" in dialog.message_label.text()
    assert dialog.progress_dialog is None and dialog.export_button.isEnabled()


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    dialog = _open(qtbot, world, tasks)
    gate = threading.Event()
    tasks.run(lambda: gate.wait(WAIT / 1000))  # the db lane is busy: the export waits
    path = tmp_path / "journal.csv"
    dialog.export_csv(path)
    assert dialog.progress_dialog is not None and dialog.progress_dialog.isVisible()
    assert not dialog.export_button.isEnabled()
    (cancel,) = dialog.progress_dialog.findChildren(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.message_label.text() == "正在取消导出…"
    with qtbot.waitSignal(dialog.export_cancelled, timeout=WAIT):
        gate.set()
    assert not path.exists() and not list(tmp_path.glob(".*.part"))
    assert dialog.message_label.text() == "已取消导出，没有留下文件。"
    assert dialog.export_button.isEnabled()


def test_unusable_filter_text_is_refused_in_words(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    dialog = _open(qtbot, world, tasks)
    shown = dialog.model.seqs()
    dialog.case_edit.setText("1" * 100_000)
    with qtbot.waitSignal(dialog.filters_refused, timeout=WAIT) as refused:
        dialog.search()
    assert refused.args[0].startswith("案件编号 太长（")
    assert "最多 64 个字符" in refused.args[0]
    assert dialog.model.seqs() == shown  # nothing was asked
    dialog.case_edit.setText("2026\x00")
    with qtbot.waitSignal(dialog.filters_refused, timeout=WAIT) as refused:
        dialog.search()
    assert refused.args[0] == "案件编号 含有空字符（NUL），请重新输入。"
    # The same refusals from the facade, when filters reach it unchecked.
    with qtbot.waitSignal(dialog.filters_refused, timeout=WAIT) as refused:
        dialog.apply_filters(AuditFilters(person="张" * 100_000))
    assert refused.args[0].startswith("人员 太长（100,000 个字符）")
    assert dialog.message_label.text() == refused.args[0]
    # Days reversed.
    dialog._clear_bar()
    dialog.from_edit.setDate(dialog.from_edit.date().currentDate())
    dialog.to_edit.setDate(dialog.from_edit.date().addDays(-1))
    with qtbot.waitSignal(dialog.filters_refused, timeout=WAIT) as refused:
        dialog.search()
    assert refused.args[0] == "起始日期晚于结束日期：请重新选择日期。"
    # And the window goes on working.
    dialog._clear_bar()
    with qtbot.waitSignal(dialog.model.page_loaded, timeout=WAIT):
        dialog.search()
    assert dialog.model.seqs() == _sup_seqs(world.store)


def test_only_supervisors_and_admins_reach_the_audit_browser(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    reviewer = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(reviewer)
    assert reviewer.audit_action not in reviewer.menuBar().actions()[3].menu().actions()
    assert reviewer.open_audit() is None
    sup = MainWindow(Workbench(standalone(world.store), world.sup), tasks, settings)
    qtbot.addWidget(sup)
    sup.show()
    actions = sup.menuBar().actions()[3].menu().actions()
    assert actions.index(sup.audit_action) == actions.index(sup.desk_action) + 1
    assert sup.audit_action.shortcut().toString() == "Ctrl+Shift+J"
    dialog = sup.open_audit()
    assert isinstance(dialog, AuditDialog)
    qtbot.waitSignal(dialog.verified, timeout=WAIT).wait()
    assert sup.open_audit() is dialog  # one browser, raised again


def test_closing_during_a_check_stops_it(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    _many_views(world, 4500)  # more than two of the verifier's batches
    wb = OffThreadWorkbench(Workbench(standalone(world.store), world.sup))
    gate = threading.Event()
    tasks.run(lambda: gate.wait(WAIT / 1000))
    dialog = open_audit(None, wb, tasks)  # type: ignore[arg-type]
    dialog.close()  # before the check began: it stops at once and frees the lane
    finished = threading.Event()
    with qtbot.waitSignal(tasks.busy_changed, timeout=WAIT, check_params_cb=lambda busy: not busy):
        tasks.run(finished.set)
        gate.set()
    assert finished.is_set()


def test_the_browser_fits_a_1366x768_screen(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    area = laptop_screen()
    dialog = _open(qtbot, world, tasks)
    refit(dialog, area)
    qtbot.wait(20)
    assert fits(dialog, area), (dialog.size().toTuple(), dialog.minimumSizeHint().toTuple())
    # The summary column is on screen, not pushed right of the table.
    header = dialog.table.horizontalHeader()
    assert header.sectionViewportPosition(6) < dialog.table.viewport().width() - 100


def test_escape_during_an_export_stops_it(
    qtbot: QtBot, world: World, tasks: TaskManager, tmp_path: Path
) -> None:
    wb = OffThreadWorkbench(Workbench(standalone(world.store), world.sup))
    dialog = open_audit(None, wb, tasks)  # type: ignore[arg-type]
    qtbot.waitSignal(dialog.verified, timeout=WAIT).wait()
    gate = threading.Event()
    tasks.run(lambda: gate.wait(WAIT / 1000))
    path = tmp_path / "journal.csv"
    dialog.export_csv(path)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    with qtbot.waitSignal(tasks.busy_changed, timeout=WAIT, check_params_cb=lambda busy: not busy):
        gate.set()
    assert not path.exists() and not list(tmp_path.glob(".*.part"))


def test_the_windows_summary_sentences_are_the_csvs_to_translate() -> None:
    """Every sentence the CSV's summaries use is offered for translation, word for word."""
    from app.review.audit import SUMMARY_TEMPLATES as CSV_SENTENCES
    from ui.audit.audit_dialog import SUMMARY_TEMPLATES

    assert SUMMARY_TEMPLATES == CSV_SENTENCES
