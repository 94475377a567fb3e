"""现场审核签出: claim one school's pending cases for a long lease and fetch their images.

For on-site review (at a school, possibly without a network), the reviewer checks a
school's cases out while still connected. The job talks to the central store, so it runs
in the sync status widget's :class:`~ui.sync.sync_status.NetworkLane`; its progress callback
runs on that worker thread and only writes two numbers under a lock, which a GUI timer
reads. Once started, it cannot be cancelled: the claims are made one by one at the
central store, and half a checkout is worse than a finished one.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import StoreError
from app.review.workflow import WorkflowError
from app.workbench import Workbench
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import ProgressCounter, TaskManager
from ui.sync.sync_status import NetworkLane

DEFAULT_HOURS = 36
POLL_MS = 100


class CheckoutDialog(QDialog):
    """School and lease hours; 开始签出 claims the school's pending cases at the central store."""

    schools_loaded = Signal(int)
    progress_shown = Signal(int, int)  # done, total as the bar shows them
    checkout_finished = Signal(list, list)  # case numbers checked out, held by others
    checkout_failed = Signal(str)

    def __init__(
        self,
        workbench: Workbench,
        tasks: TaskManager,
        lane: NetworkLane,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._lane = lane
        self._progress = ProgressCounter()
        self.running = False
        self.setWindowTitle(self.tr("现场审核签出"))
        self.setMinimumWidth(460)

        intro = QLabel(
            self.tr(
                "签出后，该学校待审核的案件在签出时限内归您审核，附件图片会下载到本机，"
                "到现场后即使没有网络也能审核。回到网络后结论会自动上传。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.school_box = QComboBox(self)
        self.school_box.setEnabled(False)
        self.school_box.addItem(self.tr("正在读取学校…"))
        self.hours_box = QSpinBox(self)
        self.hours_box.setRange(1, 168)
        self.hours_box.setValue(DEFAULT_HOURS)
        self.hours_box.setSuffix(self.tr(" 小时"))
        form = QFormLayout()
        form.addRow(self.tr("学校："), self.school_box)
        form.addRow(self.tr("签出时限："), self.hours_box)

        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setFormat("%v / %m")
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.start_button = QPushButton(self.tr("开始签出"), self)
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.clicked.connect(self.reject)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        fit_window(self, 520, self.sizeHint().height())

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._show_progress)

    def load_schools(self) -> None:
        workbench = self._workbench
        self._tasks.run(workbench.schools, self._schools_arrived, self._schools_failed)

    def _schools_arrived(self, schools: list[str]) -> None:
        if not shiboken6.isValid(self):
            return
        self.school_box.clear()
        for name in schools:
            self.school_box.addItem(name, name)
        self.school_box.setEnabled(bool(schools))
        self.start_button.setEnabled(bool(schools) and not self.running)
        if not schools:
            self.status.setText(self.tr("您负责的辖区内没有学校。"))
        self.schools_loaded.emit(len(schools))

    def _schools_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.status.setText(self.tr("无法读取学校：%1").replace("%1", str(error)))
        self.schools_loaded.emit(-1)

    def select_school(self, name: str) -> bool:
        index = self.school_box.findData(name)
        if index >= 0:
            self.school_box.setCurrentIndex(index)
        return index >= 0

    def start(self) -> None:
        school = self.school_box.currentData()
        if self.running or not school:
            return
        self.running = True
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(False)  # claims are being made: no half checkouts
        self.school_box.setEnabled(False)
        self.hours_box.setEnabled(False)
        self.bar.setRange(0, 0)  # busy until the first case is counted
        self.status.setText(self.tr("正在同步并签出 %1…").replace("%1", school))
        workbench, hours, progress = self._workbench, float(self.hours_box.value()), self._progress
        self._poll.start()
        self._lane.run(
            lambda: workbench.checkout(school, hours, progress.report),
            self._finished,
            self._failed,
        )

    def _show_progress(self) -> None:
        done, total = self._progress.read()
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.progress_shown.emit(done, total)

    def _end(self) -> None:
        self.running = False
        self._poll.stop()
        self._show_progress()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("关闭"))

    def _finished(self, result: tuple[list[str], list[str]]) -> None:
        if not shiboken6.isValid(self):
            return
        done, skipped = result
        self._end()
        if self.bar.maximum() == 0:  # a school without pending cases: no progress came
            self.bar.setRange(0, 1)
            self.bar.setValue(1)
        self.status.setText(
            self.tr("已签出 %1 个案件，%2 个已被他人领取")
            .replace("%1", str(len(done)))
            .replace("%2", str(len(skipped)))
        )
        self.checkout_finished.emit(list(done), list(skipped))

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._end()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.start_button.setEnabled(True)
        self.school_box.setEnabled(True)
        self.hours_box.setEnabled(True)
        if isinstance(error, WorkflowError):
            text = self.tr("无法签出：%1").replace("%1", error.message)
        elif isinstance(error, StoreError):
            text = self.tr("无法签出：中心库无法连接（%1）。请连接网络后重试。").replace(
                "%1", str(error)
            )
        else:
            self._tasks.task_failed.emit(error)
            text = self.tr("无法签出：发生内部错误，已记录日志。")
        self.status.setText(text)
        self.checkout_failed.emit(text)

    def reject(self) -> None:
        if self.running:
            return  # the cancel button is disabled; Esc must not close it either
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)


def open_checkout(
    parent: QWidget | None, workbench: Workbench, tasks: TaskManager, lane: NetworkLane
) -> CheckoutDialog:
    """Show the checkout dialog (non-modal) and load the schools."""
    dialog = CheckoutDialog(workbench, tasks, lane, parent)
    dialog.show()
    dialog.load_schools()
    return dialog
