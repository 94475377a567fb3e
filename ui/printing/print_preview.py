"""Print preview of an issued notice PDF: the real pages, printed exactly as previewed.

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
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
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
    PageImage,
    PrintError,
    PrintResult,
    pdf_page_count,
    render_pdf_page,
    write_pdf_atomically,
)
from app.review.cases import CaseNotFound
from ui.shell.tasks import Generation, TaskManager

log = logging.getLogger(__name__)

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
FIT_WIDTH = 0.0  # the zoom box's "适合宽度" entry
SCREEN_DPI = 96.0
A4_WIDTH_IN = 595.2756 / 72.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("print_preview", text)


class CanPrint(Protocol):
    """What printing needs of the workbench (:class:`app.workbench.Workbench`)."""

    @property
    def actor(self) -> Actor: ...

    def print_cases(self, refs: Sequence[str], **options: Any) -> PrintResult: ...

    def print_batch(self, **options: Any) -> PrintResult: ...


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
        head = "本区尚无可用的签名密钥，通知单不能签发。请管理员生成或复制密钥后再打印。"
    elif isinstance(exc, NoFinalDecision):
        head = "该案件还没有最终审核结论（待复核的结论不能打印）。"
    elif isinstance(exc, AlreadyPrinted):
        head = "该通知单已打印过，补打须填写原因。"
    elif isinstance(exc, CaseNotFound):
        head = "找不到该案件（或不属于您的辖区）。"
    else:
        head = "无法打印。"
    return f"{head}\n\n{exc}"


class PrintPreviewDialog(QDialog):
    """The issued PDF's pages with navigation and zoom, 打印 and 另存为 PDF."""

    page_shown = Signal(int)  # index of the page now on screen
    printing_finished = Signal(int)  # pages sent to the printer
    printing_failed = Signal(str)
    saved = Signal(str)  # path written

    def __init__(
        self,
        pdf_bytes: bytes,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        suggested_name: str = "通知单.pdf",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("打印预览"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._pdf = pdf_bytes
        self._tasks = tasks
        self._suggested_name = suggested_name
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

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._status)
        self.resize(900, 1000)

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
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("另存为 PDF"), self._suggested_name, "PDF (*.pdf)"
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF (temp file + rename) off the GUI thread; ``saved`` when done."""
        pdf = self._pdf
        self._status.setText(self.tr("正在保存…"))

        def failed(exc: BaseException) -> None:
            self._status.setText(self.tr("保存失败：{0}").format(exc))
            QMessageBox.warning(self, self.tr("保存失败"), f"{path}\n\n{exc}")

        def done(_result: object) -> None:
            self._status.setText(self.tr("已保存到 {0}").format(path))
            self.saved.emit(str(path))

        self._tasks.run(
            lambda: write_pdf_atomically(path, pdf),
            done,
            failed,
            lane="cpu",
            generation=self._lifetime,
        )

    # --- printing ------------------------------------------------------------------

    def _ask_print(self) -> None:
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
        self.print_pages(printer, pages)

    def print_pages(self, printer: QPrinter, pages: Sequence[int] | None = None) -> None:
        """Print ``pages`` (0-based; all by default) on ``printer``, no dialog.

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
            self._print.setEnabled(True)
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
    reprint_reason: str | None = None,
    on_preview: Callable[[PrintPreviewDialog], Any] | None = None,
) -> None:
    """Issue the case's notice (record + journal, db lane), then show its preview.

    A notice printed before asks for a 补打 reason first; refusals are shown in a
    message box; anything unexpected goes to the task manager's crash handler.
    """

    def done(result: PrintResult) -> None:
        title = _tr("打印通知单 {0}").format(", ".join(result.case_nos))
        dialog = PrintPreviewDialog(
            result.pdf, tasks, parent, title=title, suggested_name=f"{result.serials[0]}.pdf"
        )
        dialog.show()
        if on_preview is not None:
            on_preview(dialog)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, AlreadyPrinted):
            reason, ok = QInputDialog.getText(
                parent,
                _tr("补打通知单"),
                _tr("{0} 的通知单已打印过（第 {1} 份，编号 {2}）。\n补打原因：").format(
                    exc.case_no, exc.copies, exc.serial
                ),
            )
            if ok and reason.strip():
                open_print_for_case(
                    parent,
                    workbench,
                    tasks,
                    case_id,
                    reprint_reason=reason.strip(),
                    on_preview=on_preview,
                )
            return
        if isinstance(exc, PrintError | CaseNotFound):
            QMessageBox.warning(parent, _tr("无法打印"), describe_print_error(exc))
            return
        tasks.task_failed.emit(exc)

    tasks.run(
        lambda: workbench.print_cases([case_id], reprint_reason=reprint_reason),
        done,
        failed,
        lane="db",
    )
