"""The desk's exports: the decided rounds of a period for the city (xlsx or csv, with
progress and cancel) and the backlog as the desk shows it. Both run on the db lane; the
file is only ever written whole (app.review.export renames a finished temporary file)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QProgressDialog,
    QWidget,
)

from app.notices.printing import CHINA_TZ
from app.review.export import ExportCancelled, ExportResult
from app.workbench import Workbench
from ui.shell.tasks import ProgressCounter, TaskManager

POLL_MS = 200
FILE_FILTER = "Excel (*.xlsx);;CSV (*.csv)"


def _today() -> dt.date:
    return dt.datetime.now(CHINA_TZ).date()


class PeriodDialog(QDialog):
    """从 / 到 (China days) and, for an admin, 完整身份证号."""

    def __init__(self, admin: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出审核结论"))
        form = QFormLayout(self)
        today = _today()
        self.date_from = QDateEdit(QDate(today.year, 1, 1), self)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("从"), self.date_from)
        form.addRow(self.tr("到"), self.date_to)
        self.full_ids = QCheckBox(self.tr("完整身份证号（记入审计日志）"), self)
        self.full_ids.setVisible(admin)
        form.addRow(self.full_ids)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def period(self) -> tuple[dt.date, dt.date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]


class DeskExports(QObject):
    """Runs the desk's exports and reports in ``message`` what came of them."""

    message = Signal(str)
    finished = Signal(object)  # ExportResult or the backlog's row count
    failed = Signal(str)

    def __init__(self, workbench: Workbench, tasks: TaskManager, parent: QWidget) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._parent = parent
        self._progress = ProgressCounter()
        self._cancel = threading.Event()
        self.running = False
        self.progress_dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    # --- decisions -----------------------------------------------------------

    def ask_decisions(self) -> None:
        """Ask for the period and the file, then export."""
        if self.running:
            return
        dialog = PeriodDialog(self._workbench.actor.role == "admin", self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        date_from, date_to = dialog.period()
        suggested = str(Path.home() / f"审核结论-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, self.tr("导出审核结论"), suggested, FILE_FILTER
        )
        if chosen:
            self.export_decisions(Path(chosen), date_from, date_to, dialog.full_ids.isChecked())

    def export_decisions(
        self, path: Path, date_from: dt.date, date_to: dt.date, full_ids: bool = False
    ) -> None:
        if self.running:
            return
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        fmt = "csv" if path.suffix.lower() == ".csv" else "xlsx"
        self.running = True
        self._cancel.clear()
        self._progress.report(0, 0)
        dialog = QProgressDialog(self.tr("正在导出审核结论…"), self.tr("取消"), 0, 0, self._parent)
        dialog.setWindowTitle(self.tr("导出审核结论"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.progress_dialog = dialog
        dialog.show()
        wb, progress, cancel = self._workbench, self._progress, self._cancel
        self._tasks.run(
            lambda: wb.export_decisions(
                path,
                date_from,
                date_to,
                fmt,
                full_ids=full_ids,
                progress=progress.report,
                cancelled=cancel.is_set,
            ),
            self._decisions_done,
            self._error,
        )
        self._timer.start()

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.message.emit(self.tr("正在取消导出…"))

    def _poll(self) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        done, total = self._progress.read()
        if total:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            dialog.setLabelText(
                self.tr("正在导出审核结论… %1 / %2 行")
                .replace("%1", f"{done:,}")
                .replace("%2", f"{total:,}")
            )

    def _ended(self) -> None:
        self.running = False
        self._timer.stop()
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _decisions_done(self, result: ExportResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._ended()
        self.message.emit(
            self.tr("已导出 %1 行到 %2")
            .replace("%1", f"{result.rows:,}")
            .replace("%2", str(result.path))
        )
        self.finished.emit(result)

    def _error(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._ended()
        if isinstance(error, ExportCancelled):
            self.message.emit(self.tr("已取消导出，没有留下文件。"))
            self.failed.emit("cancelled")
            return
        text = getattr(error, "message", None) or str(error) or type(error).__name__
        text = self.tr("导出失败：%1").replace("%1", text)
        self.message.emit(text)
        self.failed.emit(text)

    # --- backlog -------------------------------------------------------------

    def ask_backlog(self) -> None:
        if self.running:
            return
        suggested = str(Path.home() / f"积压-{_today():%Y%m%d}.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, self.tr("导出积压"), suggested, FILE_FILTER
        )
        if chosen:
            self.export_backlog(Path(chosen))

    def export_backlog(self, path: Path) -> None:
        if self.running:
            return
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        self.running = True
        wb = self._workbench
        self._tasks.run(
            lambda: wb.export_backlog(path),
            lambda rows: self._backlog_done(rows, path),
            self._error,
        )

    def _backlog_done(self, rows: int, path: Path) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.message.emit(
            self.tr("已导出 %1 组积压到 %2").replace("%1", str(rows)).replace("%2", str(path))
        )
        self.finished.emit(rows)
