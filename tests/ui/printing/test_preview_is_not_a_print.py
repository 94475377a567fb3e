"""A print is recorded only when the notice goes to a printer or into a file: opening the
preview and closing it (Esc) records nothing, so the next Ctrl+P asks for no 补打 reason;
a preview made stale by another print records nothing; no printer is said, not guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.notices.printing import init_district_key
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import JournalEntry, NoticePrint
from tests.integration.test_printing import decide_all
from tests.ui.desk_helpers import case_id_of, focus_window, open_window
from tests.workflow_fixtures import World
from ui.printing.print_preview import PrintPreviewDialog, prepare_printer
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def decided(world: World) -> dict[str, str]:
    init_district_key(world.store, "东湖区")
    return decide_all(world)


def recorded(world: World) -> tuple[int, int]:
    """(notice print rows, print journal entries)."""
    with world.store.read() as s:
        rows = s.scalar(select(func.count()).select_from(NoticePrint))
        journal = s.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.action == "print")
        )
    return int(rows or 0), int(journal or 0)


def previews() -> list[PrintPreviewDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PrintPreviewDialog) and w.isVisible()
    ]


def ctrl_p(qtbot: QtBot, w: MainWindow) -> PrintPreviewDialog:
    before = set(map(id, previews()))
    focus_window(qtbot, w)
    qtbot.waitUntil(w.print_action.isEnabled, timeout=10_000)
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(id(p) not in before for p in previews()), timeout=20_000)
    dialog = next(p for p in previews() if id(p) not in before)
    qtbot.waitUntil(lambda: dialog.page_count == 1, timeout=10_000)
    return dialog


def test_preview_then_esc_records_nothing_and_asks_no_reprint_reason(
    qtbot: QtBot,
    world: World,
    decided: dict[str, str],
    tasks: TaskManager,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    asked: list[str] = []

    def reason(_parent: Any, _title: str, label: str, *args: Any, **kw: Any) -> tuple[str, bool]:
        asked.append(label)
        return "家长遗失原件", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(reason))
    w = open_window(qtbot, world, tasks, settings)
    w.queue.set_tab("approved")
    case_id = case_id_of(world, decided["approval"])
    qtbot.waitUntil(lambda: w.queue.model.row_of(case_id) >= 0, timeout=10_000)
    with qtbot.waitSignal(w.case_view.case_loaded, timeout=15_000):
        w.queue.select_case(case_id)

    first = ctrl_p(qtbot, w)
    assert "补打" not in first.windowTitle() and "打印或另存" not in first.windowTitle()
    assert "预览不计为打印" in first.record_note
    qtbot.keyClick(first, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: first not in previews(), timeout=5_000)
    assert recorded(world) == (0, 0)

    # Ctrl+P again: still the first copy, no reason asked.
    second = ctrl_p(qtbot, w)
    assert "补打" not in second.windowTitle()
    assert asked == []
    # Saved to a file: now it is recorded (copy 1), the very PDF previewed.
    target = tmp_path / "notice.pdf"
    with qtbot.waitSignal(second.recorded, timeout=15_000):
        second.save_to(target)
    qtbot.waitUntil(target.exists, timeout=5_000)
    assert target.read_bytes() == second.pdf_bytes
    assert recorded(world) == (1, 1)
    second.close()
    # The decision has a printed notice now: the case view no longer offers undo.
    qtbot.waitUntil(lambda: not w.case_view.panel.undo_button.isEnabled(), timeout=10_000)

    # Now a 补打: previewed as copy 2; its reason is asked when it is printed.
    third = ctrl_p(qtbot, w)
    assert "补打" in third.windowTitle() and asked == []
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    prepare_printer(printer)
    ok, why = third._ask_reprint_reason()
    assert ok and why == "家长遗失原件" and len(asked) == 1
    with qtbot.waitSignal(third.printing_finished, timeout=30_000):
        third.print_to(printer, reprint_reason=why)
    with world.store.read() as s:
        rows = s.scalars(select(NoticePrint).order_by(NoticePrint.copy_no)).all()
        assert [(r.copy_no, r.reprint_reason) for r in rows] == [(1, None), (2, "家长遗失原件")]
    third.close()


def test_a_stale_preview_records_nothing(
    qtbot: QtBot, world: World, decided: dict[str, str], tasks: TaskManager, tmp_path: Path
) -> None:
    from ui.printing.print_preview import open_print_for_case

    wb = Workbench(standalone(world.store), world.alice)
    shown: list[PrintPreviewDialog] = []
    open_print_for_case(None, wb, tasks, decided["approval"], on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    # Another workstation (bob) prints the notice meanwhile.
    other = wb.preview_cases([decided["approval"]])
    Workbench(standalone(world.store), world.bob).record_cases([decided["approval"]], other.pdf)
    assert recorded(world) == (1, 1)
    with qtbot.waitSignal(shown[0].record_failed, timeout=15_000) as failed:
        shown[0].save_to(tmp_path / "stale.pdf")
    assert "已有变化" in failed.args[0]
    assert recorded(world) == (1, 1)
    assert not (tmp_path / "stale.pdf").exists()
    box = shown[0].message_box
    assert box is not None and "没有记录" in box.text()


def test_no_printer_is_said_and_nothing_is_recorded(
    qtbot: QtBot,
    world: World,
    decided: dict[str, str],
    tasks: TaskManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.printing import print_preview

    monkeypatch.setattr(print_preview, "printers_available", lambda: False)
    wb = Workbench(standalone(world.store), world.alice)
    shown: list[PrintPreviewDialog] = []
    print_preview.open_print_for_case(None, wb, tasks, decided["approval"], on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown) and shown[0].page_count == 1, timeout=15_000)
    shown[0]._print.click()
    box = shown[0].message_box
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    assert "没有安装打印机" in box.text()
    assert [b.text() for b in box.buttons()] == ["另存为 PDF…", "取消"]
    assert "没有找到打印机" in shown[0].status_text
    assert recorded(world) == (0, 0)
