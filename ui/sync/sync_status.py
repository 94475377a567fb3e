"""The status bar's sync indicator: online or not, last sync, waiting and quarantined items.

Sync rounds talk to the central store over the network, and a round against an
unreachable server can wait for seconds. They therefore run in a :class:`NetworkLane`, a
one-thread executor of their own: never on the GUI thread, and never in the task
manager's db lane, which the queue and the case view need to stay quick. A timer starts a
round every few seconds and skips a tick while the lane is still busy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.sync.engine import SyncStatus
from app.workbench import Workbench
from ui.queue.queue_view import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 5000
ONLINE_COLOUR = "#2e7d32"
OFFLINE_COLOUR = "#9e9e9e"
ITEM_TYPES = {
    "decision": QT_TRANSLATE_NOOP("QuarantineDialog", "审核结论"),
    "print": QT_TRANSLATE_NOOP("QuarantineDialog", "打印记录"),
}


class _LaneBridge(QObject):
    """Lives on the GUI thread; the lane's worker emits into it (queued connection)."""

    finished = Signal(object, object, object)  # token, result, error


class NetworkLane(QObject):
    """One worker thread for work that waits on the central store (sync rounds, checkout).

    Like :class:`ui.shell.tasks.TaskManager`, a result or an error comes back to the GUI thread
    through a queued signal; unlike it, a slow network never holds up the db lane.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="rd-sync"
        )
        self._bridge = _LaneBridge()
        self._bridge.finished.connect(self._deliver)
        self._running = 0

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._executor is None:
            raise RuntimeError("network lane is shut down")
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        self._executor.submit(self._work, fn, (on_done, on_error))

    def _work(self, fn: Callable[[], Any], token: object) -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
            exc.__dict__.setdefault("_rd_traceback", traceback.format_exc())
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the bridge is gone: the window is closing
            self._bridge.finished.emit(token, result, error)

    @Slot(object, object, object)
    def _deliver(self, token: object, result: Any, error: Any) -> None:
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)
        on_done, on_error = cast(
            tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None], token
        )
        if error is not None:
            if on_error is not None:
                on_error(error)
            else:
                log.error("network task failed: %s", error)
            return
        if on_done is not None:
            on_done(result)

    def shutdown(self, wait: bool = False) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)


def _time_text(when: dt.datetime | None) -> str:
    if when is None:
        return "—"
    if when.tzinfo is not None:
        when = when.astimezone()  # the reviewer's wall clock
    return when.strftime("%H:%M:%S")


def round_pulled(status: SyncStatus) -> bool:
    """Whether the last round brought changes down, so the queue should be re-read."""
    if not status.online:
        return False
    return bool(status.pulled)


class QuarantineDialog(QDialog):
    """The outbox items the central store refused for good, each with its error."""

    def __init__(self, items: tuple[tuple[str, str, str], ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("隔离的上传项"))
        self.resize(720, 320)
        note = QLabel(
            self.tr(
                "这些记录被中心库拒绝，不会再自动重试。请把错误信息告知管理员；本机的记录仍然保留。"
            ),
            self,
        )
        note.setWordWrap(True)
        self.table = QTableWidget(len(items), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("类型"), self.tr("编号"), self.tr("错误")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, (item_id, item_type, error) in enumerate(items):
            kind = ITEM_TYPES.get(item_type)
            self.table.setItem(row, 0, QTableWidgetItem(self.tr(kind) if kind else item_type))
            self.table.setItem(row, 1, QTableWidgetItem(item_id))
            cell = QTableWidgetItem(error)
            cell.setToolTip(error)
            self.table.setItem(row, 2, cell)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class SyncStatusWidget(QWidget):
    """在线/离线, 上次同步, 待上传, 隔离, 只读 and 立即同步, or 单机模式 without a central store."""

    round_finished = Signal(object)  # SyncStatus after a round
    changes_pulled = Signal()  # a round may have brought changes: re-read the queue

    def __init__(
        self,
        workbench: Workbench,
        lane: NetworkLane | None = None,
        parent: QWidget | None = None,
        *,
        interval_ms: int = SYNC_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self.lane = lane or NetworkLane(self)
        self.status: SyncStatus | None = None
        self.rounds = 0
        self.skipped_ticks = 0
        self._round_running = False

        self.dot = QLabel("●", self)
        self.state_label = QLabel(self)
        self.last_label = QLabel(self)
        self.waiting_label = QLabel(self)
        self.quarantine_button = QToolButton(self)
        self.quarantine_button.setAutoRaise(True)
        self.quarantine_button.setToolTip(self.tr("查看被中心库拒绝的记录"))
        self.quarantine_button.clicked.connect(self.show_quarantine)
        self.read_only_label = QLabel(self)
        self.read_only_label.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.read_only_label.setWordWrap(False)
        self.read_only_label.hide()
        self.sync_button = QToolButton(self)
        self.sync_button.setText(self.tr("立即同步"))
        self.sync_button.setAutoRaise(True)
        self.sync_button.clicked.connect(self.sync_now)
        self.quarantine_dialog: QuarantineDialog | None = None
        # A fixed width for the clock: the status bar must not shift as the time changes.
        sample = self.tr("上次同步 %1").replace("%1", "00:00:00")
        self.last_label.setMinimumWidth(self.last_label.fontMetrics().horizontalAdvance(sample) + 4)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(8)
        for widget in (
            self.dot,
            self.state_label,
            self.last_label,
            self.waiting_label,
            self.quarantine_button,
            self.read_only_label,
            self.sync_button,
        ):
            layout.addWidget(widget)

        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        if workbench.has_central:
            self.show_status(None)
        else:
            self.dot.hide()
            self.state_label.setText(self.tr("单机模式"))
            self.state_label.setToolTip(
                self.tr("未配置中心库：案件只在本机审核。可在 文件 → 设置 中填写中心库地址。")
            )
            for widget in (
                self.last_label,
                self.waiting_label,
                self.quarantine_button,
                self.sync_button,
            ):
                widget.hide()

    @property
    def has_central(self) -> bool:
        return self._workbench.has_central

    @property
    def round_running(self) -> bool:
        return self._round_running

    def start(self) -> None:
        """Sync once now, then every few seconds (nothing without a central store)."""
        if not self.has_central:
            return
        self.timer.start()
        self._tick()

    def stop(self) -> None:
        self.timer.stop()

    def sync_now(self) -> bool:
        """Start a round unless one is running; True when one was started."""
        if not self.has_central or self._round_running or self.lane.busy:
            self.skipped_ticks += 1
            return False
        self._round_running = True
        self.sync_button.setEnabled(False)
        workbench = self._workbench
        self.lane.run(workbench.sync_now, self._round_done, self._round_failed)
        return True

    def _tick(self) -> None:
        self.sync_now()

    def _round_done(self, status: SyncStatus | None) -> None:
        self._round_running = False
        if not shiboken6.isValid(self):
            return
        self.sync_button.setEnabled(True)
        self.rounds += 1
        if status is None:
            return
        self.show_status(status)
        self.round_finished.emit(status)
        if round_pulled(status):
            self.changes_pulled.emit()

    def _round_failed(self, error: BaseException) -> None:
        # sync_now reports offline in the status; anything raised here is a bug or a
        # broken local store: log it and keep ticking, the next round may tell more.
        self._round_running = False
        if not shiboken6.isValid(self):
            return
        self.sync_button.setEnabled(True)
        log.error("sync round failed: %s\n%s", error, getattr(error, "_rd_traceback", ""))
        self.state_label.setText(self.tr("同步出错"))
        self.state_label.setToolTip(str(error))

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        online = status is not None and status.online
        colour = ONLINE_COLOUR if online else OFFLINE_COLOUR
        self.dot.setStyleSheet(f"color:{colour};")
        self.state_label.setText(self.tr("在线") if online else self.tr("离线"))
        tip = ""
        if status is not None and status.last_error:
            tip = self.tr("中心库无法连接：%1").replace("%1", status.last_error)
        self.state_label.setToolTip(tip)
        self.dot.setToolTip(tip)
        last = status.last_success if status is not None else None
        self.last_label.setText(self.tr("上次同步 %1").replace("%1", _time_text(last)))
        waiting = status.waiting if status is not None else 0
        self.waiting_label.setText(self.tr("待上传 %1").replace("%1", str(waiting)))
        quarantined = len(status.quarantined) if status is not None else 0
        self.quarantine_button.setText(self.tr("隔离 %1").replace("%1", str(quarantined)))
        self.quarantine_button.setEnabled(quarantined > 0)
        self.quarantine_button.setStyleSheet(
            "QToolButton{color:#b71c1c;font-weight:bold;}" if quarantined else ""
        )
        read_only = status.read_only if status is not None else None
        self.read_only_label.setVisible(bool(read_only))
        if read_only:
            self.read_only_label.setText(self.tr("只读：中心库版本较新，请升级本程序"))
            self.read_only_label.setToolTip(read_only)

    def text(self) -> str:
        """What the widget shows, in one line (tests, screen readers)."""
        parts = [
            w.text()
            for w in (
                self.state_label,
                self.last_label,
                self.waiting_label,
                self.quarantine_button,
                self.read_only_label,
            )
            if not w.isHidden()
        ]
        return "  ".join(parts)

    def show_quarantine(self) -> QuarantineDialog:
        items = self.status.quarantined if self.status is not None else ()
        dialog = QuarantineDialog(items, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.quarantine_dialog = dialog
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        """Stop ticking and let the lane's thread end (a round in flight finishes alone)."""
        self.timer.stop()
        self.lane.shutdown(wait=False)
