"""The main window: composes the queue and the case view, menus, message bar and status bar.

It only composes and wires: the queue asks the Workbench for rows, the case view for a
case; the window passes selections between them, shows errors as a calm message bar
(never a traceback) and keeps geometry, splitter, column widths and last tab in QSettings.
The sync indicator, the 冲突, 现场签出, 设置 and printing dialogs are their own modules;
the window opens them from its menus.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.auth import AuthError
from app.errors import StoreError, classify, describe
from app.logs import program_version
from app.review.cases import CaseNotFound
from app.review.workflow import DecisionResult, WorkflowError
from app.workbench import TABS, Workbench
from ui.queue.queue_view import QT_TRANSLATE_NOOP, QueueView, tab_title
from ui.shell import labels, shortcuts
from ui.shell.screen_fit import available_geometry, fit_size
from ui.shell.tasks import TaskManager
from ui.sync.sync_status import NetworkLane, SyncStatusWidget

log = logging.getLogger(__name__)

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))
BUSY_DELAY_MS = 300  # a task shorter than this does not flash the busy indicator
INFO_HIDE_MS = 8000
QUEUE_MIN_WIDTH = 360
PREFERRED_SIZE = (1680, 1000)  # the first window, where the screen has room for it
WIDE_WINDOW = 1600  # from this width the queue also shows 处理人 at first
COUNTS_DELAY_MS = 400  # claims and undos come in bursts (J J J): count once they settle
# Statuses whose current round has a final decision: its notice can be printed.
PRINTABLE_STATUSES = ("approved", "rejected", "returned")

ROLE_TITLES = {
    "reviewer": QT_TRANSLATE_NOOP("MainWindow", "审核员"),
    "supervisor": QT_TRANSLATE_NOOP("MainWindow", "复核员"),
    "admin": QT_TRANSLATE_NOOP("MainWindow", "管理员"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def district_names(codes: tuple[str, ...]) -> list[str]:
    """District names for the status bar, from the bundled list (no database call)."""
    try:
        from app.policy.districts import default_districts

        names = {d["code"]: d["name"] for d in default_districts()}
    except (OSError, ValueError, KeyError):
        names = {}
    return [names.get(code, code) for code in codes]


def describe_error(error: BaseException) -> str | None:
    """What to tell the reviewer about a refusal or an environment problem; None for a bug.

    The same three kinds as the command line (:func:`app.errors.classify`): refusals and
    environment problems become one message in the message bar, a bug goes to the crash
    handler.
    """
    kind = classify(error)
    if kind == "bug":
        return None
    if isinstance(error, AuthError):
        return labels.bilingual(error.message)
    if isinstance(error, CaseNotFound):
        return QCoreApplication.translate("MainWindow", "案件不存在，或不在您负责的辖区。")
    if isinstance(error, (StoreError, OSError)):
        # The driver's or system's own words are English: the log keeps them for the
        # administrator; the reviewer reads what it means, in the window's language.
        log.warning("%s: %s", type(error).__name__, error)
        if isinstance(error, StoreError):
            return labels.store_problem(error)
        return labels.os_problem(error)
    return describe(error)


class MessageBar(QFrame):
    """A non-modal strip above the work area: info fades on its own, errors stay until closed."""

    STYLES = {
        "info": "background:#e8f0fe; color:#174ea6; border-bottom:1px solid #c6dafc;",
        "warning": "background:#fef7e0; color:#7a4f01; border-bottom:1px solid #fde293;",
        "error": "background:#fce8e6; color:#a50e0e; border-bottom:1px solid #f6aea9;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("关闭"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.level = "info"
        self.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        self.level = level
        self.setStyleSheet(f"MessageBar {{{self.STYLES.get(level, self.STYLES['info'])}}}")
        self.label.setText(text)
        self.show()
        if level == "info":
            self._timer.start(INFO_HIDE_MS)
        else:
            self._timer.stop()

    @property
    def text(self) -> str:
        return self.label.text()


class _CasePlaceholder(QWidget):
    """Stands in for ui.case.case_view.CaseView when that module cannot be loaded."""

    decision_saved = Signal(str)
    next_case_requested = Signal()
    previous_case_requested = Signal()
    case_loaded = Signal(str)

    def __init__(self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self.tr("从左侧队列选择一个案件"), self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self.label)

    def show_case(
        self, case_id: str, *, reload: bool = False, first_picture: str | None = None
    ) -> None:
        self.label.setText(case_id)
        self.case_loaded.emit(case_id)


def _case_view_class() -> Any:
    try:
        from ui.case.case_view import CaseView
    except ImportError as exc:  # the case view is built alongside; the shell still runs
        log.warning("case view unavailable: %s", exc)
        return _CasePlaceholder
    return CaseView


class MainWindow(QMainWindow):
    """The reviewer's window: queue on the left, the open case on the right."""

    language_chosen = Signal(str)
    logout_requested = Signal()

    def __init__(
        self,
        workbench: Workbench,
        tasks: TaskManager,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        language: str = "zh_CN",
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._settings = settings
        self._language = language
        actor = workbench.actor
        self.setWindowTitle(self.tr("审核工作台 ReviewDesk — %1").replace("%1", actor.display_name))

        self.queue = QueueView(workbench, tasks, self)
        self.case_view = _case_view_class()(workbench, tasks, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.queue.setMinimumWidth(QUEUE_MIN_WIDTH)
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.case_view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.message_bar = MessageBar(self)
        # Sync rounds and checkouts wait on the network: their own lane, never the db lane.
        self.network_lane = NetworkLane(self)
        self.sync_status = SyncStatusWidget(workbench, self.network_lane, self)
        self.dialogs: dict[str, QDialog] = {}
        # The last decision made in this window, for Ctrl+Z from anywhere: (case id, number).
        self._last_decided: tuple[str, str] | None = None
        self._undoing = False
        self.drafts_box: QMessageBox | None = None
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.queue.refresh_counts)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()

        self.queue.case_selected.connect(self._open_case)
        self.queue.case_activated.connect(self._focus_case)
        self.queue.counts_changed.connect(self._show_counts)
        self.queue.tab_changed.connect(self._remember_tab)
        self.queue.error_occurred.connect(self.show_error)
        self.case_view.next_case_requested.connect(self._next_case)
        self.case_view.previous_case_requested.connect(self._previous_case)
        self.case_view.decision_saved.connect(self._decision_saved)
        self.case_view.case_loaded.connect(self._case_loaded)
        if hasattr(self.case_view, "case_changed"):
            self.case_view.case_changed.connect(self._case_changed)
            self.case_view.claim_changed.connect(lambda _case_id: self._counts_timer.start())
            self.case_view.undo_requested.connect(self.undo_last_decision)
        self.queue.collapse_requested.connect(lambda: self.set_queue_collapsed(True))
        self.queue.tab_changed.connect(self._update_conflict_toolbar)
        self.sync_status.changes_pulled.connect(self._changes_pulled)
        tasks.task_failed.connect(self.show_error)
        tasks.busy_changed.connect(self._busy_changed)

        self._restore_state()
        self._update_print_action()
        self._update_conflict_toolbar(self.queue.current_tab)

    # --- building --------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.settings_action = QAction(self.tr("设置…"), self)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        work = bar.addMenu(self.tr("工作(&W)"))
        self.refresh_action = QAction(self.tr("刷新队列"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.queue.reload)
        work.addAction(self.refresh_action)
        # No shortcut on the action: the queue owns Ctrl+F, a second one would be ambiguous.
        find = QAction(self.tr("搜索") + "\tCtrl+F", self)
        find.triggered.connect(self.queue.focus_search)
        work.addAction(find)
        work.addSeparator()
        logout = QAction(self.tr("注销"), self)
        logout.triggered.connect(self._logout)
        work.addAction(logout)
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        work.addAction(quit_action)

        view = bar.addMenu(self.tr("查看(&V)"))
        tab_keys = shortcuts.spec("switch_tab").keys
        for i, tab in enumerate(TABS):
            action = QAction(tab_title(tab), self)
            action.setShortcut(QKeySequence(tab_keys[i]))
            action.triggered.connect(lambda _checked=False, t=tab: self.queue.set_tab(t))
            view.addAction(action)
        view.addSeparator()
        self.toggle_queue_action = QAction(self.tr("收起队列"), self, checkable=True)
        self.toggle_queue_action.setShortcut(QKeySequence(shortcuts.spec("toggle_queue").keys[0]))
        self.toggle_queue_action.setToolTip(self.tr("收起队列，给附件更多宽度；再按一次展开"))
        self.toggle_queue_action.toggled.connect(self.set_queue_collapsed)
        view.addAction(self.toggle_queue_action)

        review = bar.addMenu(self.tr("审核(&R)"))
        self.undo_action = QAction(self.tr("撤销上一个决定"), self)
        self.undo_action.setShortcut(QKeySequence(shortcuts.spec("undo").keys[0]))
        self.undo_action.setToolTip(self.tr("在时限内撤销刚才作出的决定，并回到该案件"))
        self.undo_action.triggered.connect(self.undo_last_decision)
        review.addAction(self.undo_action)
        review.addSeparator()
        self.conflicts_action = QAction(self.tr("冲突…"), self)
        self.conflicts_action.setToolTip(self.tr("离线结论与他人结论冲突的案件：查看与裁决"))
        self.conflicts_action.triggered.connect(self.open_conflicts)
        review.addAction(self.conflicts_action)
        self.checkout_action = QAction(self.tr("现场签出…"), self)
        self.checkout_action.triggered.connect(self.open_checkout)
        if not self._workbench.has_central:
            self.checkout_action.setEnabled(False)
        self.checkout_action.setToolTip(
            self.tr("签出一所学校的案件，到现场离线审核")
            if self._workbench.has_central
            else self.tr("现场签出需要中心库：请在 文件 → 设置 中填写中心库地址并重新启动")
        )
        review.setToolTipsVisible(True)
        review.addAction(self.checkout_action)
        # The supervisor desk: only for those who may open it (the facade refuses the rest).
        self.desk_action = QAction(self.tr("督导台…"), self)
        self.desk_action.setShortcut(QKeySequence(shortcuts.spec("desk").keys[0]))
        self.desk_action.setToolTip(self.tr("积压、审核进度、结论与理由（主管、管理员）"))
        self.desk_action.triggered.connect(self.open_desk)
        # The audit journal: the same people (the facade refuses the rest).
        self.audit_action = QAction(self.tr("审计日志…"), self)
        self.audit_action.setShortcut(QKeySequence(shortcuts.spec("audit").keys[0]))
        self.audit_action.setToolTip(
            self.tr("审计日志：按案件、人员、操作、日期筛选，校验日志链，导出 CSV")
        )
        self.audit_action.triggered.connect(self.open_audit)
        if self._workbench.can_use_desk or self._workbench.can_audit:
            review.addSeparator()
        if self._workbench.can_use_desk:
            review.addAction(self.desk_action)
        if self._workbench.can_audit:
            review.addAction(self.audit_action)
        # 抽查: everyone has a queue to check; supervisors also draw, settle and report.
        self.qa_action = QAction(self.tr("抽查…"), self)
        self.qa_action.setToolTip(self.tr("复查抽给您的他人通过案件；主管抽取、裁决分歧、查看报告"))
        self.qa_action.triggered.connect(self.open_qa)
        review.addAction(self.qa_action)
        # Shown while the 冲突 tab is active: settling conflicts is that tab's work.
        self.conflict_toolbar = QToolBar(self.tr("冲突"), self)
        self.conflict_toolbar.setObjectName("conflictToolBar")
        self.conflict_toolbar.setMovable(False)
        self.conflict_toolbar.addAction(self.conflicts_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.conflict_toolbar)

        print_menu = bar.addMenu(self.tr("打印(&P)"))
        self.print_action = QAction(self.tr("打印通知书"), self)
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.print_action.triggered.connect(self.print_current_case)
        print_menu.addAction(self.print_action)
        self.batch_print_action = QAction(self.tr("批量打印…"), self)
        self.batch_print_action.triggered.connect(self.open_batch_print)
        print_menu.addAction(self.batch_print_action)

        language = bar.addMenu("语言/Language")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in LANGUAGES:
            action = QAction(label, self, checkable=True)
            action.setChecked(code == self._language)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            group.addAction(action)
            language.addAction(action)
            self.language_actions[code] = action

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        keys = QAction(self.tr("快捷键"), self)
        keys.triggered.connect(self._show_keys)
        help_menu.addAction(keys)
        self.about_action = QAction(self.tr("关于"), self)
        self.about_action.triggered.connect(self._about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        actor = self._workbench.actor
        status = self.statusBar()
        role = _tr(ROLE_TITLES[actor.role]) if actor.role in ROLE_TITLES else actor.role
        self.user_label = QLabel(f"{actor.display_name}（{role}）")
        self.district_label = QLabel("、".join(district_names(actor.districts)) or "—")
        self.counts_label = QLabel("")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.expand_queue_button = QToolButton(self)
        self.expand_queue_button.setObjectName("expandQueue")
        self.expand_queue_button.setText(self.tr("» 队列"))
        self.expand_queue_button.setAutoRaise(True)
        self.expand_queue_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.expand_queue_button.setToolTip(self.tr("展开队列（Ctrl+B）"))
        self.expand_queue_button.clicked.connect(lambda: self.set_queue_collapsed(False))
        self.expand_queue_button.hide()
        status.addWidget(self.expand_queue_button)
        status.addWidget(self.user_label)
        status.addWidget(self.district_label)
        status.addWidget(self.counts_label, 1)
        status.addPermanentWidget(self.sync_status)
        status.addPermanentWidget(self.busy)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)

    # --- starting --------------------------------------------------------------

    def start(self) -> None:
        """Load the queue on the tab the reviewer last used."""
        tab = str(self._settings.value("queue/tab", "pending"))
        self.queue.start(tab if tab in TABS else "pending")
        self.queue.refresh_counts()
        self.queue.table.setFocus()
        self.sync_status.start()

    def _restore_state(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if geometry:
            self.restoreGeometry(geometry)
            self.fit_to_screen(keep_position=True)
        else:
            self.fit_to_screen()
        # Fitted again on the first show, on the screen the window is then put on.
        self._fit_on_show = not geometry
        state = s.value("window/state")
        if state:
            self.restoreState(state)
        # The column layout changed (发现 and 状态 moved forward): older saved layouts
        # under "queue/header" are left behind.
        self.queue.restore_header_state(s.value("queue/columns"))
        self._splitter_restored = False
        self._queue_collapsed_at_start = str(s.value("window/queue_collapsed", "false")) == "true"

    def fit_to_screen(self, available: QRect | None = None, *, keep_position: bool = False) -> None:
        """Size the window for the screen it is on (``QScreen.availableGeometry``).

        The first window is 1680×1000 where that fits; on a smaller screen (a 1366×768
        laptop) it fills the screen, maximised. A saved size larger than this screen (it
        was saved on a bigger monitor) is brought inside it.
        """
        if available is not None:
            self._fit_on_show = False  # fitted to the area given, not to the screen
            self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
        area = available if available is not None else available_geometry(self)
        if keep_position:
            frame = self.frameGeometry()
            if area.contains(frame):
                return
            size = fit_size(self.size(), area)
        else:
            size = fit_size(QSize(*PREFERRED_SIZE), area)
        self.resize(size)
        self.move(
            area.left() + max(0, (area.width() - self.frameGeometry().width()) // 2),
            area.top() + max(0, (area.height() - self.frameGeometry().height()) // 2),
        )
        small = size.width() < PREFERRED_SIZE[0] or size.height() < PREFERRED_SIZE[1]
        if small and available is None:
            # A real small screen: fill it. (An area given explicitly is an imagined screen:
            # maximising would fill the real one instead.)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def showEvent(self, event: QShowEvent) -> None:
        if self._fit_on_show:
            self._fit_on_show = False
            self.fit_to_screen()
        super().showEvent(event)
        if not self._splitter_restored:
            # Only once the window has its real width: earlier, the sizes would be scaled.
            self._splitter_restored = True
            splitter = self._settings.value("window/splitter")
            if splitter:
                self.splitter.restoreState(splitter)
            else:
                width = max(800, self.width())
                # Wide enough for 案件编号, 学生, 发现 and 状态; the case gets the rest.
                columns = 5 if width >= WIDE_WINDOW else 4  # 处理人 too, where there is room
                queue = max(
                    QUEUE_MIN_WIDTH,
                    min(width * 2 // 5, self.queue.key_columns_width(columns)),
                )
                self.splitter.setSizes([queue, width - queue])
            if self._queue_collapsed_at_start:
                self.toggle_queue_action.setChecked(True)

    def save_state(self) -> None:
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("queue/columns", self.queue.table.horizontalHeader().saveState())
        s.setValue("window/queue_collapsed", "true" if self.queue_collapsed else "false")
        s.setValue("queue/tab", self.queue.current_tab)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._ask_about_drafts(self.close):
            event.ignore()
            return
        self.save_state()
        leave = getattr(self.case_view, "leave_case", None)
        if leave is not None:
            leave()  # releases an undecided claim: others may take the case at once
        self.sync_status.shutdown()
        for dialog in list(self.dialogs.values()):
            if shiboken6.isValid(dialog):
                dialog.close()
        super().closeEvent(event)

    # --- wiring ----------------------------------------------------------------

    def _open_case(self, case_id: str) -> None:
        # The row knows the picture the case opens on: it decodes while the case loads.
        self.case_view.show_case(case_id, first_picture=self.queue.first_picture_of(case_id))
        self._update_print_action()

    def _next_case(self) -> None:
        if not self.queue.select_next():
            self.show_message(self.tr("已是本标签页的最后一个案件。"), "info")

    def _previous_case(self) -> None:
        if not self.queue.select_previous():
            self.show_message(self.tr("已是本标签页的第一个案件。"), "info")

    def _focus_case(self, case_id: str) -> None:
        self.case_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _case_loaded(self, case_id: str) -> None:
        # Let the case view read the next case ahead: J then shows it at once.
        set_next = getattr(self.case_view, "set_next_case", None)
        if set_next is not None:
            set_next(self.queue.next_case_id())
        self._update_print_action()

    def _decision_saved(self, case_id: str) -> None:
        detail = getattr(self.case_view, "detail", None)
        case_no = detail.case_no if detail is not None and detail.case_id == case_id else case_id
        self._last_decided = (case_id, case_no)
        self.queue.refresh()
        self._update_print_action()

    def _case_changed(self, case_id: str) -> None:
        # Undone or confirmed from the case view: its row moves between tabs.
        if self._last_decided is not None and self._last_decided[0] == case_id:
            self._last_decided = None
        self.queue.refresh()
        self._update_print_action()

    # --- undo -------------------------------------------------------------------------

    def undo_target(self) -> tuple[str, str] | None:
        """What Ctrl+Z undoes: the last decision made in this window, else the case shown
        when its decision can still be undone."""
        if self._last_decided is not None:
            return self._last_decided
        panel = getattr(self.case_view, "panel", None)
        detail = getattr(self.case_view, "detail", None)
        if (
            panel is not None
            and detail is not None
            and panel.undo_button.isVisibleTo(panel)
            and panel.undo_button.isEnabled()
        ):
            return detail.case_id, detail.case_no
        return None

    def undo_last_decision(self) -> None:
        """Ctrl+Z, from anywhere in the window: undo the last decision (within the policy's
        window, before its notice is printed) and go back to that case to decide again."""
        if self._undoing:
            return
        target = self.undo_target()
        if target is None:
            self.show_message(self.tr("没有可撤销的决定：本窗口中还没有作出决定。"), "warning")
            return
        case_id, case_no = target
        self._undoing = True
        workbench = self._workbench
        self.show_message(self.tr("正在撤销 %1 的决定…").replace("%1", case_no), "info")
        self._tasks.run(
            lambda: workbench.undo(case_id),
            lambda result: self._undone(case_id, case_no, result),
            lambda error: self._undo_failed(case_no, error),
        )

    def _undone(self, case_id: str, case_no: str, _result: DecisionResult) -> None:
        self._undoing = False
        if not shiboken6.isValid(self):
            return
        self._last_decided = None
        undone = getattr(self.case_view, "decision_undone", None)
        if undone is not None:
            undone(case_id)  # what was chosen comes back as a draft
        self.show_message(
            self.tr("已撤销 %1 的决定：案件回到待审核，可以重新作出决定。").replace("%1", case_no),
            "info",
        )
        self.queue.refresh()
        self.queue.reveal_case(case_id)
        # Back to the case, turned to it (focus in the case view claims it again).
        self.case_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.case_view.show_case(case_id, reload=True)
        self._update_print_action()

    def _undo_failed(self, case_no: str, error: BaseException) -> None:
        self._undoing = False
        if not shiboken6.isValid(self):
            return
        if isinstance(error, WorkflowError | CaseNotFound):
            from ui.case.decision_panel import refusal_text

            text = refusal_text(error) or str(error)
            self.show_message(
                self.tr("不能撤销 %1 的决定：%2").replace("%1", case_no).replace("%2", text),
                "warning",
            )
            if isinstance(error, WorkflowError) and error.code in (
                "undo_window",
                "printed",
                "nothing_to_undo",
                "state",
            ):
                self._last_decided = None  # it will not become undoable again
            return
        self.show_error(error)

    def _changes_pulled(self) -> None:
        # A sync round brought changes down: re-read the rows shown, unless a page is
        # on its way (a refresh then would start the list again under the reviewer).
        if not self.queue.model.is_loading:
            self.queue.refresh()

    def _update_conflict_toolbar(self, tab: str) -> None:
        self.conflict_toolbar.setVisible(tab == "conflict")

    # --- sync, conflicts, checkout, settings, printing ------------------------------

    def printable_case_id(self) -> str | None:
        """The case shown, when its current round has a final decision to print."""
        detail = getattr(self.case_view, "detail", None)
        case_id = getattr(self.case_view, "case_id", None)
        if detail is None or case_id is None or detail.status not in PRINTABLE_STATUSES:
            return None
        return str(detail.case_id)

    def _update_print_action(self) -> None:
        printable = self.printable_case_id() is not None
        self.print_action.setEnabled(printable)
        self.print_action.setToolTip(
            self.tr("打印当前案件的审核结论通知书")
            if printable
            else self.tr("当前案件还没有最终结论（已通过、未通过或已退回）")
        )

    def print_current_case(self) -> None:
        case_id = self.printable_case_id()
        if case_id is None:
            return
        from ui.printing.print_preview import PrintPreviewDialog, open_print_for_case

        def previewing(dialog: PrintPreviewDialog) -> None:
            # Once printed, the decision can no longer be undone: show the case as it is.
            dialog.recorded.connect(lambda _result: self._printed(case_id))

        open_print_for_case(self, self._workbench, self._tasks, case_id, on_preview=previewing)

    def _printed(self, case_id: str) -> None:
        if getattr(self.case_view, "case_id", None) == case_id or (
            self.printable_case_id() == case_id
        ):
            self.case_view.show_case(case_id, reload=True)
        if self._last_decided is not None and self._last_decided[0] == case_id:
            self._last_decided = None  # printed: no longer undoable

    def open_batch_print(self) -> QDialog:
        from ui.printing.batch_print import open_batch_print

        return self._keep("batch_print", open_batch_print(self, self._workbench, self._tasks))

    def open_conflicts(self) -> QDialog:
        from ui.sync.conflicts_view import open_conflicts

        existing = self.dialogs.get("conflicts")
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        dialog = open_conflicts(self, self._workbench, self._tasks)
        dialog.conflict_resolved.connect(lambda _case_id: self.queue.refresh())
        return self._keep("conflicts", dialog)

    def open_desk(self) -> QDialog | None:
        if not self._workbench.can_use_desk:
            return None
        from ui.desk.desk_dialog import open_desk

        existing = self.dialogs.get("desk")
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        return self._keep("desk", open_desk(self, self._workbench, self._tasks))

    def open_audit(self) -> QDialog | None:
        if not self._workbench.can_audit:
            return None
        from ui.audit.audit_dialog import open_audit

        existing = self.dialogs.get("audit")
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        return self._keep("audit", open_audit(self, self._workbench, self._tasks))

    def open_qa(self) -> QDialog:
        from ui.qa.qa_dialog import open_qa

        existing = self.dialogs.get("qa")
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        dialog = open_qa(self, self._workbench, self._tasks)
        dialog.case_requested.connect(self._reveal_sampled_case)
        dialog.settled.connect(lambda _result: self.queue.refresh())
        return self._keep("qa", dialog)

    def _reveal_sampled_case(self, case_id: str) -> None:
        """A case double-clicked in the 抽查 window: open it here, and select it in the
        queue once the current tab lists it."""
        self._open_case(case_id)
        self.queue.reveal_case(case_id)
        self.raise_()
        self.activateWindow()

    def open_checkout(self) -> QDialog | None:
        if not self._workbench.has_central:
            return None
        from ui.sync.checkout_dialog import open_checkout

        dialog = open_checkout(self, self._workbench, self._tasks, self.network_lane)
        dialog.checkout_finished.connect(lambda _done, _skipped: self.queue.refresh())
        return self._keep("checkout", dialog)

    def open_settings(self) -> QDialog:
        from ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self._settings, self, active_central=self._workbench.central_description
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.show_message(self.tr("中心库设置已保存，重新启动程序后生效。"), "info")
        )
        dialog.open()
        return self._keep("settings", dialog)

    def _keep(self, name: str, dialog: QDialog) -> QDialog:
        self.dialogs[name] = dialog
        return dialog

    def _remember_tab(self, tab: str) -> None:
        self._settings.setValue("queue/tab", tab)

    def _show_counts(self, counts: dict[str, int]) -> None:
        parts = [f"{tab_title(tab)} {counts.get(tab, 0)}" for tab in TABS if tab in counts]
        self.counts_label.setText("  ·  ".join(parts))

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        self.message_bar.show_message(text, level)

    def show_error(self, error: BaseException) -> None:
        """Environmental errors become a message; anything else is a bug for the crash handler."""
        text = describe_error(error)
        if text is not None:
            log.info("shown to the reviewer: %s", text)
            self.show_message(text, "error")
            return
        self.show_message(self.tr("发生内部错误，已记录日志。可以继续工作。"), "error")
        sys.excepthook(type(error), error, error.__traceback__)

    def choose_language(self, code: str) -> None:
        if code == self._language:
            return
        self._settings.setValue("ui/language", code)
        self._settings.sync()
        self.language_chosen.emit(code)
        self.show_message(
            self.tr("界面语言将在重新启动后切换。") + " / The language changes after a restart.",
            "info",
        )

    def _logout(self) -> None:
        if self._ask_about_drafts(self._logout):
            return
        self.save_state()
        self.logout_requested.emit()
        self.close()

    def _ask_about_drafts(self, then: Any) -> bool:
        """Unsubmitted drafts would be lost: ask (non-modally) before ``then`` goes on.

        Returns whether the reviewer is being asked (the caller stops for now)."""
        drafts = getattr(self.case_view, "drafts", {})
        if not drafts:
            return False
        if self.drafts_box is not None and shiboken6.isValid(self.drafts_box):
            self.drafts_box.raise_()
            return True
        numbers = self._draft_case_numbers(list(drafts))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("有未提交的草稿"),
            self.tr("以下 %1 个案件有未提交的草稿，关闭后将丢失：").replace("%1", str(len(drafts)))
            + "\n"
            + "、".join(numbers),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        discard = box.addButton(self.tr("丢弃草稿并关闭"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("返回继续审核"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            self.drafts_box = None
            if box.clickedButton() is discard:
                self.case_view.discard_drafts()
                then()

        box.finished.connect(answered)
        self.drafts_box = box
        box.open()
        return True

    def _draft_case_numbers(self, case_ids: list[str]) -> list[str]:
        model = self.queue.model
        numbers = []
        for case_id in case_ids:
            row = model.row_at(model.row_of(case_id))
            detail = getattr(self.case_view, "detail", None)
            if row is not None:
                numbers.append(row.case_no)
            elif detail is not None and detail.case_id == case_id:
                numbers.append(detail.case_no)
            else:
                numbers.append(case_id)
        return numbers

    # --- the queue's width ----------------------------------------------------------------

    @property
    def queue_collapsed(self) -> bool:
        return self.queue.isHidden()

    def set_queue_collapsed(self, collapsed: bool) -> None:
        """Ctrl+B: hide the queue so the case (and its pictures) get the whole width."""
        if self.toggle_queue_action.isChecked() != collapsed:
            self.toggle_queue_action.setChecked(collapsed)  # → here again
            return
        if collapsed == self.queue_collapsed:
            return
        focus = QApplication.focusWidget()
        focus_in_queue = focus is not None and self.queue.isAncestorOf(focus)
        self.queue.setVisible(not collapsed)
        self.expand_queue_button.setVisible(collapsed)
        self.toggle_queue_action.setText(self.tr("展开队列") if collapsed else self.tr("收起队列"))
        if collapsed and focus_in_queue:
            self.case_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        balance = getattr(self.case_view, "balance", None)
        if balance is not None:
            # Once the splitter has laid the case view out at its new width.
            QTimer.singleShot(0, lambda: balance(0.52 if collapsed else 0.0))

    def _show_keys(self) -> None:
        try:
            from ui.shell import shortcuts

            shortcuts.show_sheet(self)
            return
        except (ImportError, AttributeError):
            pass
        text = self.tr(
            "J / ↓  下一个案件\nK / ↑  上一个案件\nEnter  打开案件\nCtrl+F  搜索\n"
            "F5  刷新队列\nAlt+1…7  切换标签页"
        )
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("快捷键"), text, parent=self)
        box.setModal(False)
        box.open()

    def _about(self) -> QMessageBox:
        text = self.tr("审核工作台 ReviewDesk\n入学补充材料审核")
        version = self.tr("版本 %1").replace("%1", program_version())
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("关于"), f"{text}\n\n{version}", parent=self
        )
        box.open()
        self.about_box = box
        return box
