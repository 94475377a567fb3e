"""Print preview of a notice PDF: the real pages, printed exactly as previewed.

A notice is recorded (serial, copy, journal) only when it is sent to a printer or saved to
a file, not when it is previewed: the preview shows the notices as the job would issue them
now (``Workbench.preview_cases``), and 打印… / 另存为 PDF… record them
(``Workbench.record_cases``), which refuses when they are no longer the very PDF shown (then
nothing is recorded and the reviewer opens the preview again). Closing the preview records
nothing. A notice printed before is previewed as its next copy (补打); its reason is asked
when it is printed or saved.

Every page the reviewer sees and every page the printer gets is rasterised by PDFium
(pypdfium2) from the very PDF that was recorded: one renderer for both, so what prints is
what was previewed. Rendering runs in the task manager's cpu lane, one page at a time
(a 600 dpi A4 page is ~140 MB of pixels), and only the painting happens on the GUI thread.
QtPdf would also do, but it ships in the large PySide6-Addons wheel; pypdfium2 is small
and already used for the tests' read-back (docs/printing.md).

:func:`open_print_for_case` is what the case view / main window call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.auth import Actor
from app.notices.printing import (
    AlreadyPrinted,
    NoFinalDecision,
    NoSigningKey,
    NothingToPrint,
    PageImage,
    PrintError,
    PrintResult,
    pdf_page_count,
    render_pdf_page,
    write_pdf_atomically,
)
from app.review.cases import CaseNotFound
from app.workbench import NoticeChanged
from ui.shell import labels
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import Generation, TaskManager

log = logging.getLogger(__name__)

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
FIT_WIDTH = 0.0  # the zoom box's "适合宽度" entry
SCREEN_DPI = 96.0
A4_WIDTH_IN = 595.2756 / 72.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("print_preview", text)


class Preview(Protocol):
    """Notices as they would be issued (:class:`app.workbench.NoticePreview`)."""

    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...

    @property
    def case_nos(self) -> tuple[str, ...]: ...

    @property
    def serials(self) -> tuple[str, ...]: ...

    @property
    def reprints(self) -> tuple[str, ...]: ...

    @property
    def skipped(self) -> tuple[str, ...]: ...

    @property
    def serial_range(self) -> str: ...


class CanPrint(Protocol):
    """What printing needs of the workbench (:class:`app.workbench.Workbench`)."""

    @property
    def actor(self) -> Actor: ...

    def preview_cases(self, refs: Sequence[str]) -> Preview: ...

    def record_cases(
        self,
        refs: Sequence[str],
        previewed: bytes,
        *,
        reprint_reason: str | None = None,
        deliver: Callable[[bytes], None] | None = None,
    ) -> PrintResult: ...

    def preview_batch(self, **options: Any) -> Preview: ...

    def record_batch(
        self, previewed: bytes, *, deliver: Callable[[bytes], None] | None = None, **options: Any
    ) -> PrintResult: ...


# Records the previewed notices (db lane): (reprint reason or None, deliver or None).
Recorder = Callable[[str | None, Callable[[bytes], None] | None], PrintResult]


def page_to_qimage(page: PageImage) -> QImage:
    """A QImage owning its pixels (safe to make on a worker thread: QImage is reentrant)."""
    image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGBX8888)
    owned = image.copy()
    dots_per_metre = round(page.dpi / 0.0254)
    owned.setDotsPerMeterX(dots_per_metre)
    owned.setDotsPerMeterY(dots_per_metre)
    return owned


def describe_print_error(exc: BaseException) -> str:
    """The Chinese headline for a print refusal, with the exact message below it."""
    if isinstance(exc, NoSigningKey):
        head = _tr("本区尚无可用的签名密钥，通知单不能签发。请管理员生成或复制密钥后再打印。")
    elif isinstance(exc, NoFinalDecision):
        head = _tr("该案件还没有最终审核结论（待复核的结论不能打印）。")
    elif isinstance(exc, AlreadyPrinted):
        head = _tr("该通知单已打印过，补打须填写原因。")
    elif isinstance(exc, NoticeChanged):
        head = _tr(
            "预览之后通知单已有变化（其他工作站刚打印或改动了这些案件），"
            "没有记录，也没有打印。请关闭预览后重新打开。"
        )
    elif isinstance(exc, NothingToPrint):
        head = _tr("没有符合条件、尚未打印的通知单。")
    elif isinstance(exc, CaseNotFound):
        head = _tr("找不到该案件（或不属于您的辖区）。")
    else:
        head = _tr("无法打印。")
    # The technical detail is English (and names commands): shown in English only.
    return head if labels.source_language() else f"{head}\n\n{exc}"


def printers_available() -> bool:
    """Whether this computer has a printer installed (else Qt would quietly print to a file)."""
    return bool(QPrinterInfo.availablePrinters())


class PrintPreviewDialog(QDialog):
    """A notice PDF's pages with navigation and zoom, 打印 and 另存为 PDF.

    With a ``recorder`` (the case or batch job that made the PDF), printing or saving
    records the notices first; nothing is recorded otherwise (closing the preview).
    ``reprints`` names the cases whose notice is a 补打: its reason is asked then.
    """

    page_shown = Signal(int)  # index of the page now on screen
    printing_finished = Signal(int)  # pages sent to the printer
    printing_failed = Signal(str)
    saved = Signal(str)  # path written
    recorded = Signal(object)  # PrintResult: the notices are issued (recorded, journaled)
    record_failed = Signal(str)  # the message shown

    def __init__(
        self,
        pdf_bytes: bytes,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        suggested_name: str = "通知单.pdf",
        recorder: Recorder | None = None,
        reprints: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("打印预览"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._pdf = pdf_bytes
        self._tasks = tasks
        self._suggested_name = suggested_name
        self._recorder = recorder
        self._reprints = tuple(reprints)
        self._recording = False
        self.record: PrintResult | None = None  # set once printing or saving recorded it
        self.message_box: QMessageBox | None = None  # the last question or refusal shown
        # _generation: the page wanted on screen; _lifetime: this dialog. Both advance when
        # the dialog closes, so a late result never reaches a deleted widget.
        self._generation = Generation()
        self._lifetime = Generation()
        generations = (self._generation, self._lifetime)
        self.destroyed.connect(lambda *_: [g.advance() for g in generations])
        self._page_count = 0
        self._current = 0
        self._image: QImage | None = None
        self._printing = False

        self._prev = QPushButton(self.tr("上一页"))
        self._next = QPushButton(self.tr("下一页"))
        self._page_box = QSpinBox()
        self._page_box.setMinimum(1)
        self._page_box.setMaximum(1)
        self._of_label = QLabel("/ …")
        self._zoom = QComboBox()
        for z in ZOOMS:
            self._zoom.addItem(f"{round(z * 100)}%", z)
        self._zoom.addItem(self.tr("适合宽度"), FIT_WIDTH)
        self._zoom.setCurrentIndex(ZOOMS.index(1.0))
        self._save = QPushButton(self.tr("另存为 PDF…"))
        self._print = QPushButton(self.tr("打印…"))
        self._print.setDefault(True)
        for b in (self._prev, self._next, self._save, self._print):
            b.setEnabled(False)

        bar = QHBoxLayout()
        bar.addWidget(self._prev)
        bar.addWidget(self._page_box)
        bar.addWidget(self._of_label)
        bar.addWidget(self._next)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("缩放")))
        bar.addWidget(self._zoom)
        bar.addStretch(1)
        bar.addWidget(self._save)
        bar.addWidget(self._print)

        self._page_label = QLabel(self.tr("正在生成预览…"))
        self._page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._page_label.setStyleSheet("background: white;")
        self._scroll = QScrollArea()
        self._scroll.setWidget(self._page_label)
        self._scroll.setWidgetResizable(False)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._scroll.setStyleSheet("QScrollArea { background: #6b6b6b; }")
        self._status = QLabel()
        self._status.setWordWrap(True)
        self._record_note = QLabel(self)
        self._record_note.setObjectName("recordNote")
        self._record_note.setWordWrap(True)
        self._record_note.setStyleSheet("color:#5f6368;")
        if recorder is not None:
            note = self.tr("预览不计为打印：点“打印…”或“另存为 PDF…”时才登记编号。")
            if self._reprints:
                note += self.tr("这是补打（%1），打印时须填写补打原因。").replace(
                    "%1", "、".join(self._reprints)
                )
            self._record_note.setText(note)
        self._record_note.setVisible(recorder is not None)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._record_note)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._status)
        fit_window(self, 900, 1000)

        self._prev.clicked.connect(lambda: self.show_page(self._current - 1))
        self._next.clicked.connect(lambda: self.show_page(self._current + 1))
        self._page_box.valueChanged.connect(lambda v: self.show_page(int(v) - 1))
        self._zoom.currentIndexChanged.connect(lambda _i: self.show_page(self._current))
        # 适合宽度 follows the window: re-render once the resizing has settled.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._refit.timeout.connect(lambda: self.show_page(self._current))
        self._save.clicked.connect(self._ask_save)
        self._print.clicked.connect(self._ask_print)

        pdf = self._pdf
        self._tasks.run(
            lambda: pdf_page_count(pdf),
            self._on_count,
            self._on_render_error,
            lane="cpu",
            generation=self._lifetime,
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._page_count and self._zoom.currentData() == FIT_WIDTH:
            self._refit.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._printing:
            # The printer's painter must be ended by the job: stay open until it is.
            self._status.setText(self.tr("正在打印，请等待打印完成后再关闭。"))
            event.ignore()
            return
        self._generation.advance()
        self._lifetime.advance()
        super().closeEvent(event)

    # --- state for callers and tests --------------------------------------------

    @property
    def pdf_bytes(self) -> bytes:
        return self._pdf

    @property
    def page_count(self) -> int:
        return self._page_count

    @property
    def current_page(self) -> int:
        return self._current

    @property
    def current_image(self) -> QImage | None:
        return self._image

    @property
    def status_text(self) -> str:
        return self._status.text()

    def set_zoom(self, zoom: float) -> None:
        """Choose a zoom from :data:`ZOOMS` (or :data:`FIT_WIDTH`)."""
        index = self._zoom.findData(zoom)
        if index < 0:
            raise ValueError(f"zoom {zoom} is not offered")
        self._zoom.setCurrentIndex(index)

    # --- preview -------------------------------------------------------------------

    def _on_count(self, count: int) -> None:
        self._page_count = int(count)
        self._page_box.blockSignals(True)
        self._page_box.setMaximum(max(1, self._page_count))
        self._page_box.blockSignals(False)
        self._of_label.setText(f"/ {self._page_count}")
        self._save.setEnabled(True)
        self._print.setEnabled(self._page_count > 0)
        self.show_page(0)

    def _preview_dpi(self) -> float:
        zoom = float(self._zoom.currentData())
        if zoom == FIT_WIDTH:
            width = max(200, self._scroll.viewport().width() - 24)
            zoom = width / (A4_WIDTH_IN * SCREEN_DPI)
        return zoom * SCREEN_DPI * self.devicePixelRatioF()

    def show_page(self, index: int) -> None:
        """Render page ``index`` (0-based) at the current zoom off the GUI thread."""
        if self._page_count == 0:
            return
        index = max(0, min(index, self._page_count - 1))
        self._current = index
        self._page_box.blockSignals(True)
        self._page_box.setValue(index + 1)
        self._page_box.blockSignals(False)
        self._prev.setEnabled(index > 0)
        self._next.setEnabled(index < self._page_count - 1)
        dpi = self._preview_dpi()
        pdf = self._pdf
        self._generation.advance()  # a page asked for earlier is no longer wanted
        self._tasks.run(
            lambda: page_to_qimage(render_pdf_page(pdf, index, dpi)),
            lambda image: self._on_page(index, image),
            self._on_render_error,
            lane="cpu",
            generation=self._generation,
        )

    def _on_page(self, index: int, image: QImage) -> None:
        self._image = image
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self._page_label.setPixmap(pixmap)
        self._page_label.resize(pixmap.deviceIndependentSize().toSize())
        self._status.setText(self.tr("第 {0} 页，共 {1} 页").format(index + 1, self._page_count))
        self.page_shown.emit(index)

    def _on_render_error(self, exc: BaseException) -> None:
        log.error("preview rendering failed: %s", exc)
        self._page_label.setText(self.tr("无法显示此 PDF：{0}").format(exc))
        self._status.setText(str(exc))

    # --- saving --------------------------------------------------------------------

    def _ask_save(self) -> None:
        ok, reason = self._ask_reprint_reason()
        if not ok:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), self._suggested_name, "PDF (*.pdf)"
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_to(Path(path), reprint_reason=reason)

    def save_to(self, path: Path, *, reprint_reason: str | None = None) -> None:
        """Write the PDF (temp file + rename) off the GUI thread; ``saved`` when done.

        With a recorder the notices are recorded in the same transaction as the file is
        written: a failed write records nothing, a refused record writes nothing.
        """
        pdf = self._pdf
        self._status.setText(self.tr("正在保存…"))

        def failed(exc: BaseException) -> None:
            if self._recorder is not None and isinstance(exc, PrintError | CaseNotFound):
                self._record_refused(exc)
                return
            self._status.setText(self.tr("保存失败：{0}").format(exc))
            self._show_box(
                QMessageBox.Icon.Warning,
                self.tr("保存失败"),
                f"{path}\n\n{exc}\n\n" + self.tr("没有记录打印。请换一个位置或检查磁盘后再试。"),
            )

        def done(result: object) -> None:
            if isinstance(result, PrintResult):
                self._recorded(result)
            self._status.setText(self.tr("已保存到 {0}").format(path))
            self.saved.emit(str(path))

        recorder = self._recorder
        if recorder is not None:
            if not self._start_recording():
                return
            self._tasks.run(
                lambda: recorder(reprint_reason, lambda data: write_pdf_atomically(path, data)),
                done,
                failed,
                lane="db",
                generation=self._lifetime,
            )
            return
        self._tasks.run(
            lambda: write_pdf_atomically(path, pdf),
            done,
            failed,
            lane="cpu",
            generation=self._lifetime,
        )

    # --- printing ------------------------------------------------------------------

    def _ask_print(self) -> None:
        if not printers_available():
            self._no_printer()
            return
        ok, reason = self._ask_reprint_reason()
        if not ok:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer)
        printer.setFromTo(1, max(1, self._page_count))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印通知单"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages: Sequence[int] = range(self._page_count)
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(1, printer.fromPage())
            last = min(self._page_count, printer.toPage() or self._page_count)
            pages = range(first - 1, last)
        self.print_to(printer, pages, reprint_reason=reason)

    def _no_printer(self) -> None:
        """No printer on this computer: say so (Qt would default to a PDF file silently)."""
        text = self.tr(
            "这台电脑没有安装打印机，通知单没有打印，也没有登记。\n"
            "可以“另存为 PDF”，再到有打印机的电脑上打印；或请管理员安装打印机后再试。"
        )
        self._status.setText(self.tr("没有找到打印机"))
        box = self._show_box(QMessageBox.Icon.Warning, self.tr("没有找到打印机"), text, ask=True)
        save = box.addButton(self.tr("另存为 PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _r: self._ask_save() if box.clickedButton() is save else None)
        box.open()

    def print_to(
        self,
        printer: QPrinter,
        pages: Sequence[int] | None = None,
        *,
        reprint_reason: str | None = None,
    ) -> None:
        """Record the notices (with a recorder), then paint ``pages`` on ``printer``."""
        recorder = self._recorder
        if recorder is None:
            self.print_pages(printer, pages)
            return
        if not self._start_recording():
            return

        def recorded(result: PrintResult) -> None:
            self._recorded(result)
            self.print_pages(printer, pages)

        self._tasks.run(
            lambda: recorder(reprint_reason, None),
            recorded,
            self._record_refused,
            lane="db",
            generation=self._lifetime,
        )

    def _ask_reprint_reason(self) -> tuple[bool, str | None]:
        """For a 补打: the reason (asked now, when it is printed or saved)."""
        if not self._reprints or self._recorder is None:
            return True, None
        reason, ok = QInputDialog.getText(
            self,
            self.tr("补打通知单"),
            self.tr("{0} 的通知单已打印过，这一份是补打。\n补打原因：").format(
                "、".join(self._reprints)
            ),
        )
        if not ok:
            return False, None
        if not reason.strip():
            self._status.setText(self.tr("补打须填写原因：没有打印，也没有登记。"))
            return False, None
        return True, reason.strip()

    def _start_recording(self) -> bool:
        if self._recording or self.record is not None:
            return False
        self._recording = True
        self._print.setEnabled(False)
        self._save.setEnabled(False)
        self._status.setText(self.tr("正在登记通知单…"))
        return True

    def _recorded(self, result: PrintResult) -> None:
        self._recording = False
        self.record = result
        self._record_note.setText(
            self.tr("已登记：编号 %1。再次打印请重新打开预览（将作为补打）。").replace(
                "%1", result.serial_range
            )
        )
        self._record_note.setVisible(True)
        self.recorded.emit(result)

    def _record_refused(self, exc: BaseException) -> None:
        self._recording = False
        self._print.setEnabled(self._page_count > 0)
        self._save.setEnabled(True)
        if not isinstance(exc, PrintError | CaseNotFound):
            self._status.setText(self.tr("内部错误：{0}").format(exc))
            self.record_failed.emit(str(exc))
            self._tasks.task_failed.emit(exc)
            return
        text = describe_print_error(exc)
        if isinstance(exc, NoticeChanged):
            self._print.setEnabled(False)
            self._save.setEnabled(False)
        self._status.setText(text.split("\n")[0])
        self._show_box(QMessageBox.Icon.Warning, self.tr("无法打印"), text).open()
        self.record_failed.emit(text)

    def _show_box(
        self, icon: QMessageBox.Icon, title: str, text: str, *, ask: bool = False
    ) -> QMessageBox:
        box = QMessageBox(
            icon,
            title,
            text,
            QMessageBox.StandardButton.NoButton if ask else QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        if not ask:
            box.open()
        return box

    @property
    def record_note(self) -> str:
        return self._record_note.text()

    def print_pages(self, printer: QPrinter, pages: Sequence[int] | None = None) -> None:
        """Print ``pages`` (0-based; all by default) on ``printer``, no dialog, no record.

        Each page is rasterised by PDFium at the printer's resolution (capped at 600 dpi)
        in the cpu lane, then painted on the printer's painter here, one page at a time.
        """
        if self._printing:
            return
        wanted = list(range(self._page_count) if pages is None else pages)
        if not wanted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            message = self.tr("打印机无法开始打印")
            if self.record is not None:
                message += self.tr("（通知单已登记：请以补打重新打印）")
            self._status.setText(message)
            self.printing_failed.emit(message)
            return
        self._printing = True
        self._print.setEnabled(False)
        dpi = float(printer.resolution())
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        pdf = self._pdf
        done = 0

        def finish(error: BaseException | None) -> None:
            painter.end()
            self._printing = False
            self._print.setEnabled(self.record is None and self._recorder is None)
            if error is None:
                self._status.setText(self.tr("已发送 {0} 页到打印机").format(done))
                self.printing_finished.emit(done)
            else:
                self._status.setText(self.tr("打印失败：{0}").format(error))
                self.printing_failed.emit(str(error))

        def render(position: int) -> None:
            index = wanted[position]
            self._status.setText(self.tr("正在打印 {0}/{1}…").format(position + 1, len(wanted)))
            self._tasks.run(
                lambda: page_to_qimage(render_pdf_page(pdf, index, dpi)),
                lambda image: paint(position, image),
                finish,
                lane="cpu",
                generation=self._lifetime,
            )

        def paint(position: int, image: QImage) -> None:
            nonlocal done
            if position > 0 and not printer.newPage():
                finish(RuntimeError(self.tr("打印机拒绝了新的一页")))
                return
            painter.drawImage(target, image)
            done += 1
            if position + 1 < len(wanted):
                render(position + 1)
            else:
                finish(None)

        render(0)


def prepare_printer(printer: QPrinter) -> None:
    """A4 portrait, full page: the page image already carries the notice's own margins."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName("审核通知单")


def open_print_for_case(
    parent: QWidget | None,
    workbench: CanPrint,
    tasks: TaskManager,
    case_id: str,
    *,
    on_preview: Callable[[PrintPreviewDialog], Any] | None = None,
) -> None:
    """Preview the case's notice (db lane; nothing is recorded), printing or saving it from
    the preview records it. A notice printed before is previewed as its 补打 copy.

    Refusals are shown in a message box; anything unexpected goes to the task manager's
    crash handler.
    """

    def done(preview: Preview) -> None:
        number = ", ".join(preview.case_nos)
        if preview.reprints:
            title = _tr("补打通知单 {0}").format(number)
        else:
            title = _tr("打印通知单 {0}").format(number)
        dialog = PrintPreviewDialog(
            preview.pdf,
            tasks,
            parent,
            title=title,
            suggested_name=f"{preview.serials[0]}.pdf",
            recorder=lambda reason, deliver: workbench.record_cases(
                [case_id], preview.pdf, reprint_reason=reason, deliver=deliver
            ),
            reprints=preview.reprints,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if on_preview is not None:
            on_preview(dialog)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, PrintError | CaseNotFound):
            QMessageBox.warning(parent, _tr("无法打印"), describe_print_error(exc))
            return
        tasks.task_failed.emit(exc)

    tasks.run(lambda: workbench.preview_cases([case_id]), done, failed, lane="db")
