"""The print preview and the batch dialog, offscreen, with real task threads and real PDFs."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.notices import BatchCancelled, printing, render_batch
from app.notices.printing import PrintResult, init_district_key
from app.notices.samples import sample_notice
from app.notices.signing import generate_keypair
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import NoticePrint
from tests.integration.test_printing import decide_all
from tests.ui.conftest import OffThreadWorkbench
from tests.workflow_fixtures import World
from ui.printing.batch_print import BatchPrintDialog, open_batch_print
from ui.printing.print_preview import PrintPreviewDialog, open_print_for_case, prepare_printer
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    key, _ = generate_keypair()
    return render_batch(
        [sample_notice(t, key, i) for i, t in enumerate(("approval", "rejection", "missing"))]
    )


def save_look(image: QImage, tmp_path: Path, name: str) -> bool:
    """Save a screenshot (also to $REVIEWDESK_LOOK_DIR when set, for a person to look at)."""
    ok = image.save(str(tmp_path / name))
    look = os.environ.get("REVIEWDESK_LOOK_DIR")
    if look:
        Path(look).mkdir(parents=True, exist_ok=True)
        ok = image.save(str(Path(look) / name)) and ok
    return ok and not image.isNull()


def ink_fraction(image: QImage, step: int = 7) -> float:
    """Share of sampled pixels that are not white: 0 for a blank page."""
    inked = total = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = QColor(image.pixel(x, y))
            total += 1
            if c.red() + c.green() + c.blue() < 600:
                inked += 1
    return inked / max(total, 1)


def red_fraction(image: QImage, step: int = 5) -> float:
    red = total = 0
    for y in range(0, image.height() // 8, step):  # the red letterhead is in the top eighth
        for x in range(0, image.width(), step):
            c = QColor(image.pixel(x, y))
            total += 1
            if c.red() > 150 and c.green() < 100 and c.blue() < 100:
                red += 1
    return red / max(total, 1)


def test_preview_shows_every_page_of_the_real_pdf(
    qtbot: QtBot, tasks: TaskManager, three_pages: bytes, tmp_path: Path
) -> None:
    dialog = PrintPreviewDialog(three_pages, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.page_shown, timeout=10_000) as shown:
        pass
    assert shown.args == [0]
    assert dialog.page_count == 3
    first = dialog.current_image
    assert first is not None
    # an A4 page at 100 % on a 96 dpi screen
    assert abs(first.width() - 794) <= 2 and abs(first.height() - 1123) <= 2
    assert 0.01 < ink_fraction(first) < 0.6, "the first page is blank (or solid)"
    assert red_fraction(first) > 0.002, "the red letterhead is missing"

    with qtbot.waitSignal(dialog.page_shown, timeout=10_000) as shown:
        dialog._next.click()
    assert shown.args == [1] and dialog.current_page == 1
    with qtbot.waitSignal(dialog.page_shown, timeout=10_000) as shown:
        dialog.show_page(99)  # clamps to the last page
    assert shown.args == [2]
    assert not dialog._next.isEnabled() and dialog._prev.isEnabled()

    with qtbot.waitSignal(dialog.page_shown, timeout=10_000):
        dialog.set_zoom(2.0)
    image = dialog.current_image
    assert image is not None and abs(image.width() - 2 * 794) <= 4

    assert save_look(dialog.grab().toImage(), tmp_path, "preview_dialog.png")

    saved = tmp_path / "saved.pdf"
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_to(saved)
    assert saved.read_bytes() == three_pages


def test_printing_paints_every_page_at_printer_resolution(
    qtbot: QtBot,
    tasks: TaskManager,
    three_pages: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A PDF printer stands in for the real one: its output has the same pages."""
    dialog = PrintPreviewDialog(three_pages, tasks)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.page_shown, timeout=10_000):
        dialog.show()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    prepare_printer(printer)
    rendered: list[float] = []
    real = printing.render_pdf_page

    def spy(pdf: bytes, index: int, dpi: float) -> printing.PageImage:
        assert threading.current_thread() is not threading.main_thread()
        rendered.append(dpi)
        return real(pdf, index, dpi)

    monkeypatch.setattr("ui.printing.print_preview.render_pdf_page", spy)
    with qtbot.waitSignal(dialog.printing_finished, timeout=30_000) as done:
        dialog.print_pages(printer)
    assert done.args == [3]
    assert rendered == [float(printer.resolution())] * 3
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo (poppler-utils) is required"
    info = subprocess.run([pdfinfo, str(target)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+3$", info.stdout, re.M)
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert m and abs(float(m.group(1)) - 595.3) < 2 and abs(float(m.group(2)) - 841.9) < 2


# --- with a store --------------------------------------------------------------------


@pytest.fixture
def decided(world: World) -> tuple[World, dict[str, str]]:
    init_district_key(world.store, "东湖区")
    return world, decide_all(world)


def _previews() -> list[PrintPreviewDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreviewDialog)]


def test_open_print_for_case_previews_and_records_only_when_saved(
    qtbot: QtBot,
    tasks: TaskManager,
    decided: tuple[World, dict[str, str]],
    monkeypatch: Any,
    tmp_path: Path,
) -> None:
    world, outcomes = decided
    wb = OffThreadWorkbench(Workbench(standalone(world.store), world.alice))
    shown: list[PrintPreviewDialog] = []
    open_print_for_case(None, wb, tasks, outcomes["approval"], on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    qtbot.waitUntil(lambda: shown[0].page_count == 1, timeout=10_000)
    with world.store.read() as s:
        assert s.scalars(select(NoticePrint)).all() == []  # a preview is not a print
    target = tmp_path / "notice.pdf"
    with qtbot.waitSignal(shown[0].recorded, timeout=15_000):
        shown[0].save_to(target)
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    assert target.read_bytes() == shown[0].pdf_bytes
    with world.store.read() as s:
        assert [r.copy_no for r in s.scalars(select(NoticePrint))] == [1]

    # a second time previews the 补打 copy and asks for its reason when it is saved
    asked: list[str] = []

    def answer(_parent: Any, _title: str, label: str, *args: Any, **kw: Any) -> tuple[str, bool]:
        asked.append(label)
        return "家长遗失", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    open_print_for_case(None, wb, tasks, outcomes["approval"], on_preview=shown.append)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=15_000)
    assert "补打" in shown[1].windowTitle()
    ok, reason = shown[1]._ask_reprint_reason()
    assert ok and reason == "家长遗失" and "已打印过" in asked[0]
    with qtbot.waitSignal(shown[1].recorded, timeout=15_000):
        shown[1].save_to(tmp_path / "copy2.pdf", reprint_reason=reason)
    with world.store.read() as s:
        rows = s.scalars(select(NoticePrint).order_by(NoticePrint.copy_no)).all()
        assert [(r.copy_no, r.reprint_reason) for r in rows] == [(1, None), (2, "家长遗失")]

    # a refusal is a message, not a crash
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: warned.append(text))
    )
    open_print_for_case(None, wb, tasks, outcomes["pending"], on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(warned), timeout=15_000)
    # In Chinese the headline only; the English detail is for the English interface.
    assert "还没有最终审核结论" in warned[0] and "has no final decision" not in warned[0]
    assert len(shown) == 2


def test_batch_dialog_prints_the_day_with_progress(
    qtbot: QtBot, tasks: TaskManager, decided: tuple[World, dict[str, str]], tmp_path: Path
) -> None:
    world, outcomes = decided
    wb = OffThreadWorkbench(Workbench(standalone(world.store), world.alice))
    dialog = open_batch_print(None, wb, tasks)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._school.count() > 1, timeout=10_000)  # schools loaded
    dialog.set_filters(decided_on=printing.china_today())
    with qtbot.waitSignal(dialog.batch_printed, timeout=30_000) as done:
        dialog.start()
        assert dialog.running
    result: PrintResult = done.args[0]
    assert result.pages == 3
    assert set(result.case_nos) == {
        outcomes["approval"],
        outcomes["rejection"],
        outcomes["missing"],
    }
    assert dialog.progress_value == (3, 3)
    assert "已生成 3 份通知单" in dialog.status_text
    assert dialog.preview is not None
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.page_count == 3)
    assert save_look(dialog.grab().toImage(), tmp_path, "batch_dialog.png")
    with world.store.read() as s:
        assert s.scalars(select(NoticePrint)).all() == []  # previewed only
    with qtbot.waitSignal(dialog.preview.recorded, timeout=30_000):
        dialog.preview.save_to(tmp_path / "batch.pdf")
    with world.store.read() as s:
        assert len(s.scalars(select(NoticePrint)).all()) == 3


def test_batch_dialog_shows_progress_and_cancels(qtbot: QtBot, tasks: TaskManager) -> None:
    """A runner that reports progress and then waits to be cancelled, on the db thread."""
    started = threading.Event()
    calls: list[dict[str, Any]] = []

    def runner(**kwargs: Any) -> PrintResult:
        assert threading.current_thread() is not threading.main_thread()
        calls.append(kwargs)
        kwargs["progress"](4, 10)
        started.set()
        for _ in range(1000):
            if kwargs["cancelled"]():
                raise BatchCancelled(4)
            threading.Event().wait(0.01)  # the worker polls; the test thread never sleeps
        raise AssertionError("never cancelled")

    dialog = BatchPrintDialog(runner, tasks, open_preview=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_filters(decided_on=dt.date(2026, 6, 10), kind="kinship", outcome="reject")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress_value == (4, 10), timeout=10_000)
    assert dialog.running and started.is_set()
    with qtbot.waitSignal(dialog.batch_cancelled, timeout=10_000):
        dialog._cancel.click()
    assert not dialog.running
    assert "已取消" in dialog.status_text
    assert calls[0]["decided_on"] == dt.date(2026, 6, 10)
    assert (calls[0]["kind"], calls[0]["outcome"], calls[0]["school"]) == (
        "kinship",
        "reject",
        None,
    )
