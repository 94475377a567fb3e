"""Batch printing: the day's final decisions as one PDF, with progress, cancel and preview.

生成预览 runs the job (:func:`app.notices.printing.print_batch`: plan, render) in the task
manager's db lane up to the recording, and shows the PDF; the notices are recorded when the
preview prints them or saves them to a file (``Workbench.record_batch``), not before.
The progress callback runs on the worker thread, so it only writes two numbers under a
lock; a QTimer on the GUI thread reads them ten times a second. Cancel sets an event the
job polls before each page.

:func:`open_batch_print` is what the main window calls.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import CaseKind
from app.notices import BatchCancelled
from app.notices.printing import PrintError, PrintResult, china_today
from ui.printing.print_preview import (
    CanPrint,
    Preview,
    PrintPreviewDialog,
    Recorder,
    describe_print_error,
)
from ui.shell import labels
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import Generation, ProgressCounter, TaskManager

log = logging.getLogger(__name__)

OUTCOME_LABELS = {"approve": "通过", "reject": "不通过", "return": "退回补充"}
POLL_MS = 100


class BatchRunner(Protocol):
    """``preview_batch`` with the store and actor already bound (tests pass their own)."""

    def __call__(
        self,
        *,
        decided_on: dt.date,
        school: str | None,
        kind: str | None,
        outcome: str | None,
        reprint_reason: str | None,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> Preview | PrintResult: ...


class BatchPrintDialog(QDialog):
    """Date, school, kind and outcome; 生成预览 makes the batch, 取消 stops it."""

    batch_printed = Signal(object)  # the preview (NoticePreview) of the batch, not recorded yet
    batch_cancelled = Signal()
    batch_failed = Signal(str)

    def __init__(
        self,
        workbench_or_callable: CanPrint | BatchRunner,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        open_preview: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量打印通知单"))
        self._tasks = tasks
        self._open_preview = open_preview
        self._workbench: CanPrint | None = None
        if callable(workbench_or_callable):
            self._runner: BatchRunner = workbench_or_callable
        else:
            wb = workbench_or_callable
            self._workbench = wb
            self._runner = wb.preview_batch
        self._recorder_for: Callable[[Preview, dict[str, Any]], Recorder] | None = None
        if self._workbench is not None:
            wb_record = self._workbench.record_batch

            def recorder_for(preview: Preview, filters: dict[str, Any]) -> Recorder:
                def record(
                    reason: str | None, deliver: Callable[[bytes], None] | None
                ) -> PrintResult:
                    del reason  # the batch's reprint reason is the one typed here
                    return wb_record(preview.pdf, deliver=deliver, **filters)

                return record

            self._recorder_for = recorder_for
        self._progress = ProgressCounter()
        self._cancel_event = threading.Event()
        self._running = False
        self._close_when_done = False
        # Advanced when the dialog goes: late results never reach a deleted widget.
        self._lifetime = Generation()
        lifetime = self._lifetime
        self.destroyed.connect(lambda *_: lifetime.advance())
        self.preview: PrintPreviewDialog | None = None
        self.last_result: Preview | PrintResult | None = None
        self._run_filters: dict[str, Any] = {}

        self._date = QDateEdit()
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("yyyy-MM-dd")
        today = china_today()
        self._date.setDate(QDate(today.year, today.month, today.day))
        self._school = QComboBox()
        self._school.setEditable(True)
        self._school.addItem(self.tr("全部学校"), None)
        self._kind = QComboBox()
        self._kind.addItem(self.tr("全部类别"), None)
        for kind in CaseKind:
            self._kind.addItem(labels.kind_title(kind.value), kind.value)
        self._outcome = QComboBox()
        self._outcome.addItem(self.tr("全部结论"), None)
        for code, label in OUTCOME_LABELS.items():
            self._outcome.addItem(self.tr(label), code)
        self._reprint = QLineEdit()
        self._reprint.setPlaceholderText(self.tr("留空：已打印过的案件跳过"))
        for field in (self._date, self._school, self._kind, self._outcome, self._reprint):
            field.setMinimumWidth(260)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("审核日期"), self._date)
        form.addRow(self.tr("学校"), self._school)
        form.addRow(self.tr("材料类别"), self._kind)
        form.addRow(self.tr("审核结论"), self._outcome)
        form.addRow(self.tr("补打原因"), self._reprint)

        self._bar = QProgressBar()
        self._bar.setRange(0, 1)
        self._bar.setValue(0)
        self._bar.setFormat("%v/%m")
        self._bar.setVisible(False)  # until a batch runs: "0/1" before it says nothing
        self._status = QLabel(self.tr("生成预览后，在预览中打印或另存为 PDF 时才登记通知单编号。"))
        self._status.setWordWrap(True)
        self._status.setMinimumHeight(self._status.fontMetrics().height() * 3)
        self._start = QPushButton(self.tr("生成预览"))
        self._start.setDefault(True)
        self._cancel = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._start)
        buttons.addWidget(self._cancel)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self._bar)
        layout.addWidget(self._status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        fit_window(self, 540, self.sizeHint().height() + 24)

        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._start.clicked.connect(self.start)
        self._cancel.clicked.connect(self._on_cancel)

        if self._workbench is not None:
            wb_ = self._workbench
            schools = getattr(wb_, "schools", None)
            if callable(schools):
                tasks.run(
                    schools,
                    self._on_schools,
                    lambda exc: log.warning("school list not loaded: %s", exc),
                    lane="db",
                    generation=self._lifetime,
                )

    # --- for callers and tests ------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def progress_value(self) -> tuple[int, int]:
        return self._bar.value(), self._bar.maximum()

    @property
    def status_text(self) -> str:
        return self._status.text()

    def set_filters(
        self,
        *,
        decided_on: dt.date | None = None,
        school: str | None = None,
        kind: str | None = None,
        outcome: str | None = None,
        reprint_reason: str | None = None,
    ) -> None:
        if decided_on is not None:
            self._date.setDate(QDate(decided_on.year, decided_on.month, decided_on.day))
        if school is not None:
            self._school.setCurrentText(school)
        if kind is not None:
            self._kind.setCurrentIndex(self._kind.findData(kind))
        if outcome is not None:
            self._outcome.setCurrentIndex(self._outcome.findData(outcome))
        if reprint_reason is not None:
            self._reprint.setText(reprint_reason)

    # --- running --------------------------------------------------------------------

    def _on_schools(self, names: list[str]) -> None:
        current = self._school.currentText()
        for name in names:
            self._school.addItem(name, name)
        self._school.setCurrentText(current)

    def _filters(self) -> dict[str, Any]:
        d = self._date.date()
        school_text = self._school.currentText().strip()
        school = None if school_text in ("", self._school.itemText(0)) else school_text
        reason = self._reprint.text().strip() or None
        return {
            "decided_on": dt.date(d.year(), d.month(), d.day()),
            "school": school,
            "kind": self._kind.currentData(),
            "outcome": self._outcome.currentData(),
            "reprint_reason": reason,
        }

    def start(self) -> None:
        """Run the batch with the chosen filters (db lane)."""
        if self._running:
            return
        filters = self._filters()
        self._run_filters = filters
        self._running = True
        self._cancel_event.clear()
        self._progress.report(0, 0)
        self._bar.setRange(0, 0)  # busy until the job knows how many notices it makes
        self._bar.setValue(0)
        self._bar.setVisible(True)
        self._status.setText(self.tr("正在生成通知单…"))
        self._start.setEnabled(False)
        self._cancel.setText(self.tr("停止"))
        runner, progress, cancelled = self._runner, self._progress, self._cancel_event
        self._tasks.run(
            lambda: runner(progress=progress.report, cancelled=cancelled.is_set, **filters),
            self._on_done,
            self._on_error,
            lane="db",
            generation=self._lifetime,
        )
        self._timer.start()

    def _poll(self) -> None:
        done, total = self._progress.read()
        if total:
            self._bar.setRange(0, total)
            self._bar.setValue(done)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._running:
            # Stop the job first (it only makes the preview: nothing is recorded yet).
            self._close_when_done = True
            self._on_cancel()
            event.ignore()
            return
        self._lifetime.advance()
        super().closeEvent(event)

    def _on_cancel(self) -> None:
        if self._running:
            self._cancel_event.set()
            self._status.setText(self.tr("正在停止…"))
            self._cancel.setEnabled(False)
        else:
            self.reject()

    def _stop(self) -> None:
        self._timer.stop()
        self._poll()
        if self._bar.maximum() == 0:  # still "busy": the job ended before it counted
            self._bar.setRange(0, 1)
        self._running = False
        self._start.setEnabled(True)
        self._cancel.setEnabled(True)
        self._cancel.setText(self.tr("关闭"))

    def _on_done(self, result: Preview | PrintResult) -> None:
        self._stop()
        closing, self._close_when_done = self._close_when_done, False
        if closing:
            self.close()  # nothing was recorded: closing simply drops the preview
            return
        self.last_result = result
        self._bar.setRange(0, max(1, result.pages))
        self._bar.setValue(result.pages)
        text = self.tr("已生成 {0} 份通知单的预览（编号 {1}），打印或另存为 PDF 时登记").format(
            result.pages, result.serial_range
        )
        if result.skipped:
            text += self.tr("；{0} 个已打印过的案件已跳过").format(len(result.skipped))
        self._status.setText(text)
        self.batch_printed.emit(result)
        if self._open_preview:
            filters = self._run_filters
            recorder = (
                self._recorder_for(result, filters)
                if self._recorder_for is not None and not isinstance(result, PrintResult)
                else None
            )
            self.preview = PrintPreviewDialog(
                result.pdf,
                self._tasks,
                self.parentWidget(),
                title=self.tr("批量打印预览（{0} 份）").format(result.pages),
                suggested_name=f"通知单-{filters['decided_on']:%Y%m%d}.pdf",
                recorder=recorder,
            )
            self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview.show()

    def _on_error(self, exc: BaseException) -> None:
        self._stop()
        if self._close_when_done:
            self._close_when_done = False
            QTimer.singleShot(0, self.close)
        if isinstance(exc, BatchCancelled):
            self._status.setText(self.tr("已取消：没有登记任何通知单。"))
            self.batch_cancelled.emit()
            return
        if isinstance(exc, PrintError):
            self._bar.setVisible(False)
            self._status.setText(describe_print_error(exc))
            self.batch_failed.emit(str(exc))
            return
        self._status.setText(self.tr("内部错误：{0}").format(exc))
        self.batch_failed.emit(str(exc))
        self._tasks.task_failed.emit(exc)


def open_batch_print(
    parent: QWidget | None, workbench: CanPrint, tasks: TaskManager
) -> BatchPrintDialog:
    """Show the batch print dialog (non-modal) for the logged-in reviewer."""
    dialog = BatchPrintDialog(workbench, tasks, parent)
    dialog.show()
    return dialog
