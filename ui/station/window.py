"""The verification station window: one big input for the scanner gun, one big verdict.

A USB scanner gun types the QR text as keystrokes and presses Enter. The input takes them
like any typing (a pasted or typed slip text works the same), hands the text over on
Enter and is empty again at once, so the next scan can never run into this one. The input
method is switched off for it: a Chinese IME would swallow a scanner's keystrokes.

Each scan is checked in two steps (:mod:`app.station.station`), both off the GUI thread:
the offline step (key files, this station's log) answers in milliseconds; when a store is
configured, its answer follows on the database lane. If that takes longer than
:data:`STORE_PATIENCE_MS`, the offline verdict is shown meanwhile, saying the state is
still being checked. Scans are taken one after the other in the order they came: the
second presentation of a slip always sees the first.

Keyboard only: Enter checks, Esc clears, F2 opens the settings, Ctrl+E exports today's log.
The verdict clears itself after :data:`CLEAR_AFTER_MS` (the next family should not read
the previous student's name).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import classify
from app.runtime import Workstation
from app.station import verdicts as v
from app.station.errors import StationRefusal
from app.station.export import Exported
from app.station.keyring import MAX_SLIP_TEXT
from app.station.station import Connection, Scan, Station, StationSettings
from app.station.verdicts import Verdict
from app.workbench import Reader
from ui.shell.tasks import Generation, TaskManager
from ui.station.settings_dialog import StationSettingsDialog
from ui.station.verdict_view import VerdictView

STORE_PATIENCE_MS = 600  # then the offline verdict is shown while the store answers
CLEAR_AFTER_MS = 60_000
STALE_INPUT_MS = 5_000  # a half scan older than this is replaced by the next keystroke


class ScanInput(QLineEdit):
    """The scanner's input: no input method, text selected when it has gone stale.

    A scanner that lost the end of a code (moved away mid-read) leaves half a text with no
    Enter; the next scan would be typed after it. Once the text has sat unchanged for
    :data:`STALE_INPUT_MS` it is selected, so the next keystroke replaces it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.setMaxLength(MAX_SLIP_TEXT)
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(STALE_INPUT_MS)
        self._stale.timeout.connect(self.selectAll)
        self.textEdited.connect(lambda _text: self._stale.start())


class StationWindow(QWidget):
    """The station: settings in the header, the scanner input, the verdict, the day's count."""

    opened = Signal(object)  # StationSettings
    verdict_shown = Signal(object)  # Verdict (also the offline one while the store answers)
    final_verdict = Signal(object)  # Verdict: nothing more comes for this scan
    exported = Signal(object)  # Exported

    def __init__(
        self,
        tasks: TaskManager,
        opener: Callable[[], Station],
        parent: QWidget | None = None,
        *,
        owns_station: bool = False,
    ) -> None:
        super().__init__(parent)
        self._owns_station = owns_station  # close the station's log with the window
        self._tasks = tasks
        # Advanced when the window closes: answers that come back later are dropped.
        self._alive = Generation()
        alive = self._alive
        self.destroyed.connect(lambda *_: alive.advance())
        self.station: Station | None = None
        self._waiting: deque[str] = deque()  # scans typed before the previous one was read
        self._reading = False  # a scan's offline step is running
        self._awaiting: Scan | None = None  # the scan whose store answer is outstanding
        self.today_count = 0
        self.setWindowTitle(self.tr("通知单核验站"))
        self.setMinimumSize(760, 520)

        self.title = QLabel(self.tr("通知单核验站"), self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.where = QLabel(self)
        self.store_state = QLabel(self)
        self.store_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(16)
        header.addWidget(self.where, 1)
        header.addWidget(self.store_state)

        self.input = ScanInput(self)
        self.input.setPlaceholderText(self.tr("请扫描通知单上的二维码（也可粘贴后按回车）"))
        big = QFont(self.input.font())
        big.setPixelSize(26)
        self.input.setFont(big)
        self.input.setMinimumHeight(46)
        self.input.returnPressed.connect(self._submit)

        self.view = VerdictView(self)

        self.count = QLabel(self)
        self.keys_hint = QLabel(self.tr("回车 核验　Esc 清除　F2 设置　Ctrl+E 导出今日记录"), self)
        self.keys_hint.setStyleSheet("color:#5f6368;")
        footer = QHBoxLayout()
        footer.addWidget(self.count)
        footer.addStretch(1)
        footer.addWidget(self.keys_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.input)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

        for label in (self.title, self.where, self.store_state, self.count, self.keys_hint):
            label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.open_settings)
        QShortcut(QKeySequence("Ctrl+E"), self, self.choose_export)

        self._late = QTimer(self)
        self._late.setSingleShot(True)
        self._late.timeout.connect(self._store_is_late)
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self.clear)

        self.input.setReadOnly(True)
        self.view.show_idle(self.tr("正在准备核验站…"))
        self.input.setFocus()
        self._run(lambda: _open(opener), self._opened, self._open_failed, lane="cpu")

    def _run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        lane: str = "db",
    ) -> None:
        self._tasks.run(fn, on_done, on_error, lane=lane, generation=self._alive)

    # --- opening ------------------------------------------------------------------------

    def _opened(self, opened: tuple[Station, int]) -> None:
        self.station, self.today_count = opened
        self.input.setReadOnly(False)
        self._show_settings(self.station.settings)
        self._show_count()
        self._show_connection(self.station.connection)
        self.view.show_idle(self.tr("请扫描通知单上的二维码"), self._idle_hint())
        self.input.setFocus()
        self.opened.emit(self.station.settings)
        if self.station.can_check_state:
            station = self.station
            self.store_state.setText(self.tr("数据库：正在连接…"))
            self._run(station.connect_now, self._show_connection, self._state_failed)
        if not self.station.settings.school:
            QTimer.singleShot(0, self.open_settings)
        self._next()

    def _open_failed(self, error: BaseException) -> None:
        if classify(error) == "bug":
            raise error
        self.view.show_idle(self.tr("核验站无法启动"), str(error))

    def _idle_hint(self) -> str:
        assert self.station is not None
        settings = self.station.settings
        if not settings.keys and not self.station.can_check_state:
            return self.tr("本站还没有区教育局的公钥文件：按 F2 添加")
        if not settings.school:
            return self.tr("本站还没有设置学校：按 F2 设置")
        return ""

    def _show_settings(self, settings: StationSettings) -> None:
        school = settings.school or self.tr("（未设置学校）")
        self.where.setText(f"{school} · {settings.name}")
        keys = ", ".join(
            f"{k.district_name or k.district_code}#{k.key_id or '?'}" for k in settings.keys
        )
        self.where.setToolTip(self.tr("公钥：%1").replace("%1", keys or self.tr("无")))

    def _show_connection(self, connection: Connection) -> None:
        if not connection.configured:
            self.store_state.setText(self.tr("离线核验（只核验签名）"))
            self.store_state.setToolTip("")
        elif connection.connected:
            self.store_state.setText(self.tr("数据库：已连接"))
            self.store_state.setToolTip("")
        else:
            self.store_state.setText(self.tr("数据库：无法连接，只核验签名"))
            self.store_state.setToolTip(connection.problem or "")

    def _show_count(self) -> None:
        self.count.setText(self.tr("今日已核验 %1 份").replace("%1", str(self.today_count)))

    # --- scanning -----------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        """A scan is still being read or its store answer is outstanding."""
        return self._reading or bool(self._waiting) or self._awaiting is not None

    def _submit(self) -> None:
        raw = self.input.text()
        self.input.clear()
        if not raw.strip():
            return
        self._waiting.append(raw)
        self._clear_timer.stop()
        self._late.stop()
        self._awaiting = None
        self.view.show_checking()
        self._next()

    def _next(self) -> None:
        """Read the next waiting scan, one at a time, in order."""
        if self._reading or not self._waiting or self.station is None:
            return
        raw = self._waiting.popleft()
        station = self.station
        self._reading = True
        self._run(lambda: station.scan(raw), self._scanned, self._scan_failed, lane="cpu")

    def _scanned(self, scan: Scan) -> None:
        self._reading = False
        self.today_count += 1
        self._show_count()
        latest = not self._waiting  # a later scan is queued: this one is not shown
        if scan.needs_state and self.station is not None:
            station = self.station
            if latest:
                self._awaiting = scan
                self._late.start(STORE_PATIENCE_MS)
            self._run(
                lambda: station.check_state(scan),
                lambda verdict: self._settled(scan, verdict),
                self._state_failed,
            )
        elif latest:
            self._show(scan.verdict, final=True)
        self._next()

    def _store_is_late(self) -> None:
        if self._awaiting is not None:
            self._show(self._awaiting.verdict, final=False)

    def _settled(self, scan: Scan, verdict: Verdict) -> None:
        if self.station is not None:
            self._show_connection(self.station.connection)
        if scan is not self._awaiting:
            return  # a later scan is shown now
        self._late.stop()
        self._awaiting = None
        self._show(verdict, final=True)

    def _show(self, verdict: Verdict, *, final: bool) -> None:
        self.view.show_verdict(verdict, waiting_for_store=not final)
        self.verdict_shown.emit(verdict)
        if final:
            self.final_verdict.emit(verdict)
            if verdict.level == v.INVALID:
                QApplication.beep()
        self._clear_timer.start(CLEAR_AFTER_MS)
        self.input.setFocus()

    def _scan_failed(self, error: BaseException) -> None:
        self._reading = False
        self._next()  # the scans after it are still read
        self._trouble(error)

    def _state_failed(self, error: BaseException) -> None:
        self._late.stop()
        self._awaiting = None
        self._trouble(error)

    def _trouble(self, error: BaseException) -> None:
        if classify(error) == "bug":
            raise error  # the crash handler logs it
        self.view.show_idle(self.tr("无法核验"), str(error))
        self.input.setFocus()

    def clear(self) -> None:
        self._late.stop()
        self._clear_timer.stop()
        self._awaiting = None
        if self.station is not None:
            self.view.show_idle(self.tr("请扫描通知单上的二维码"), self._idle_hint())
        self.input.clear()
        self.input.setFocus()

    # --- settings and export ------------------------------------------------------------

    def open_settings(self) -> StationSettingsDialog | None:
        if self.station is None:
            return None
        dialog = StationSettingsDialog(self.station, self._tasks, self)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(lambda _code: self.input.setFocus())
        dialog.open()
        return dialog

    def _settings_saved(self, settings: StationSettings) -> None:
        self._show_settings(settings)
        if self.view.verdict is None:
            self.view.show_idle(self.tr("请扫描通知单上的二维码"), self._idle_hint())

    def choose_export(self) -> None:
        if self.station is None:
            return
        day = self.station.today().isoformat()
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("导出今日核验记录"),
            str(Path.home() / f"核验记录-{day}.xlsx"),
            self.tr("Excel 表格 (*.xlsx);;CSV 文件 (*.csv)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write today's scans to ``path`` off the GUI thread; the footer says how it went."""
        assert self.station is not None
        station = self.station
        self._run(lambda: station.export_day(path), self._exported, self._export_failed, lane="cpu")

    def _exported(self, done: Exported) -> None:
        self.count.setText(
            self.tr("今日已核验 %1 份 · 已导出到 %2")
            .replace("%1", str(self.today_count))
            .replace("%2", str(done.path))
        )
        self.exported.emit(done)

    def _export_failed(self, error: BaseException) -> None:
        if classify(error) == "bug":
            raise error
        if isinstance(error, StationRefusal) and error.code == "format":
            text = self.tr("导出失败：文件名须以 .xlsx 或 .csv 结尾。")
        else:
            text = self.tr("导出失败：%1").replace("%1", str(error))
        self.count.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._late.stop()
        self._clear_timer.stop()
        self._alive.advance()
        station, self.station = self.station, None
        if station is not None and self._owns_station:
            self._tasks.run(station.close)  # after any store answer still being logged
        super().closeEvent(event)


def _open(opener: Callable[[], Station]) -> tuple[Station, int]:
    station = opener()
    return station, station.count_today()


def station_for_workstation(workstation: Workstation, tasks: TaskManager) -> StationWindow:
    """The station opened from the login screen: this computer's station log, and this
    workstation's store for the state checks (no one is logged in: it only reads)."""
    window = StationWindow(tasks, lambda: Station.open(connect=lambda: Reader(workstation, None)))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return window
