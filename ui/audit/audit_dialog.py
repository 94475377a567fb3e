"""审计日志: the journal browsed, its chain checked, exported — for supervisors and admins.

A filter bar (case number, person, action, a China-time day range), the entries newest
first in a table filled 200 at a time as it scrolls, the selected entry's payload in full
beside it. The chain is checked when the dialog opens (and on 校验): the status line says
whether it is whole, and the first entry that does not fit is painted red and scrolled to;
when it is not loaded yet, 跳到该条 lists the journal from it. 导出 CSV… writes every entry
the filters select, not only the loaded ones.

Every read is a :class:`Workbench` call on the db lane (:mod:`app.review.audit` does the
work, and says who sees which entries); the dialog only lays out what comes back.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import StoreError, classify
from app.notices.printing import china_today
from app.review.audit import (
    MAX_FILTER_TEXT,
    PAGE_SIZE,
    AuditCancelled,
    AuditExport,
    AuditFilters,
    AuditRow,
    JournalCheck,
    SummaryWords,
    check_filters,
    summarize,
)
from app.review.errors import WorkflowError
from app.workbench import Workbench
from ui.queue.queue_view import QT_TRANSLATE_NOOP
from ui.shell import labels
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import Generation, ProgressCounter, TaskManager

CONTEXT = "AuditDialog"
POLL_MS = 200
BROKEN_BACKGROUND = QColor("#ffcdd2")
BROKEN_FOREGROUND = QColor("#b71c1c")
OK_COLOUR = "#1b5e20"
BAD_COLOUR = "#b71c1c"
ANY_DAY = QDate(2000, 1, 1)  # a QDateEdit at this date shows 不限 (no bound)

# Actions the shared labels (ui.shell.labels.JOURNAL_ACTION_TITLES) do not name.
ACTION_TITLES = {
    "resolve_conflict": QT_TRANSLATE_NOOP("AuditDialog", "裁决冲突"),
    "login": QT_TRANSLATE_NOOP("AuditDialog", "登录"),
    "login_failed": QT_TRANSLATE_NOOP("AuditDialog", "登录失败"),
    "login_locked": QT_TRANSLATE_NOOP("AuditDialog", "账户锁定中登录"),
    "user_add": QT_TRANSLATE_NOOP("AuditDialog", "新增用户"),
    "user_passwd": QT_TRANSLATE_NOOP("AuditDialog", "修改密码"),
    "user_disable": QT_TRANSLATE_NOOP("AuditDialog", "停用用户"),
    "keys_init": QT_TRANSLATE_NOOP("AuditDialog", "生成区县密钥"),
    "keys_rotate": QT_TRANSLATE_NOOP("AuditDialog", "更换区县密钥"),
    "keys_revoke": QT_TRANSLATE_NOOP("AuditDialog", "吊销区县密钥"),
    "publish_policy": QT_TRANSLATE_NOOP("AuditDialog", "发布政策"),
    "reassign": QT_TRANSLATE_NOOP("AuditDialog", "转派案件"),
    "user_pause": QT_TRANSLATE_NOOP("AuditDialog", "暂停账号"),
    "user_resume": QT_TRANSLATE_NOOP("AuditDialog", "恢复账号"),
    "qa_draw": QT_TRANSLATE_NOOP("AuditDialog", "抽查抽取"),
    "qa_verdict": QT_TRANSLATE_NOOP("AuditDialog", "抽查复查"),
    "qa_settle": QT_TRANSLATE_NOOP("AuditDialog", "处理抽查分歧"),
    "export_decisions": QT_TRANSLATE_NOOP("AuditDialog", "导出结论"),
    "export_full_ids": QT_TRANSLATE_NOOP("AuditDialog", "导出结论（完整身份证号）"),
}
# app.review.audit.SUMMARY_TEMPLATES, for translation: the same keys and Chinese sentences
# (a test holds them equal); {name} fields are filled after translating.
SUMMARY_TEMPLATES = {
    "claim": QT_TRANSLATE_NOOP("AuditDialog", "领取至 {until}"),
    "renew": QT_TRANSLATE_NOOP("AuditDialog", "续期至 {until}"),
    "takeover": QT_TRANSLATE_NOOP("AuditDialog", "接管（原领取人 {holder}），原因：{reason}"),
    "reassign": QT_TRANSLATE_NOOP(
        "AuditDialog", "转派给 {to}（原领取人 {holder}），原因：{reason}"
    ),
    "reassign_release": QT_TRANSLATE_NOOP(
        "AuditDialog", "释放（原领取人 {holder}），原因：{reason}"
    ),
    "state": QT_TRANSLATE_NOOP("AuditDialog", "（{state}）"),
    "reasons": QT_TRANSLATE_NOOP("AuditDialog", "；理由 {codes}"),
    "missing": QT_TRANSLATE_NOOP("AuditDialog", "；缺少 {codes}"),
    "overrode": QT_TRANSLATE_NOOP("AuditDialog", "；忽略 {count} 项错误发现"),
    "confirm_yes": QT_TRANSLATE_NOOP("AuditDialog", "复核确认"),
    "confirm_no": QT_TRANSLATE_NOOP("AuditDialog", "复核驳回"),
    "comment": QT_TRANSLATE_NOOP("AuditDialog", "：{comment}"),
    "undo": QT_TRANSLATE_NOOP("AuditDialog", "撤销决定"),
    "resolve": QT_TRANSLATE_NOOP("AuditDialog", "裁决为{outcome}"),
    "import": QT_TRANSLATE_NOOP("AuditDialog", "导入第 {round} 轮材料，附件 {count} 个"),
    "print": QT_TRANSLATE_NOOP("AuditDialog", "通知书 {serial}，第 {copy} 份"),
    "reprint": QT_TRANSLATE_NOOP("AuditDialog", "（补打：{reason}）"),
    "account": QT_TRANSLATE_NOOP("AuditDialog", "账号 {username}"),
    "login_reason": QT_TRANSLATE_NOOP("AuditDialog", "：{reason}"),
    "locked": QT_TRANSLATE_NOOP("AuditDialog", "；锁定至 {until}"),
    "user_add": QT_TRANSLATE_NOOP("AuditDialog", "{username}（{name}，{role}）"),
    "districts": QT_TRANSLATE_NOOP("AuditDialog", "，区县 {districts}"),
    "keys": QT_TRANSLATE_NOOP("AuditDialog", "区县 {district} 第 {key} 号密钥"),
    "keys_reason": QT_TRANSLATE_NOOP("AuditDialog", "：{reason}"),
    "publish": QT_TRANSLATE_NOOP("AuditDialog", "写入 {written} 项，删除 {removed} 项"),
    "pause": QT_TRANSLATE_NOOP("AuditDialog", "账号 {username}，原因：{reason}"),
    "qa_draw": QT_TRANSLATE_NOOP(
        "AuditDialog", "区县 {district}：考虑 {considered} 件，抽取 {drawn} 件"
    ),
    "qa_unassigned": QT_TRANSLATE_NOOP("AuditDialog", "，{count} 件无人可复查"),
    "qa_agree": QT_TRANSLATE_NOOP("AuditDialog", "同意"),
    "qa_disagree": QT_TRANSLATE_NOOP("AuditDialog", "不同意：{comment}"),
    "qa_upheld": QT_TRANSLATE_NOOP("AuditDialog", "维持原通过决定"),
    "qa_overturned": QT_TRANSLATE_NOOP("AuditDialog", "改判为{outcome}"),
    "export": QT_TRANSLATE_NOOP("AuditDialog", "{start} 至 {end}，{rows} 行，{file}"),
    "unreadable": QT_TRANSLATE_NOOP("AuditDialog", "（内容无法读取）"),
}
LOGIN_REASONS = {
    "unknown_user": QT_TRANSLATE_NOOP("AuditDialog", "用户不存在"),
    "password": QT_TRANSLATE_NOOP("AuditDialog", "密码错误"),
    "disabled": QT_TRANSLATE_NOOP("AuditDialog", "账户已停用"),
    "no_offline_verifier": QT_TRANSLATE_NOOP("AuditDialog", "本机没有离线登录凭据"),
}
FIELD_TITLES = {
    "case": QT_TRANSLATE_NOOP("AuditDialog", "案件编号"),
    "person": QT_TRANSLATE_NOOP("AuditDialog", "人员"),
    "action": QT_TRANSLATE_NOOP("AuditDialog", "操作"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def action_title(action: str) -> str:
    own = ACTION_TITLES.get(action)
    return _tr(own) if own else labels.journal_action_title(action)


WORDS = SummaryWords(
    # Translated when used: the language may change while the program runs.
    lambda key: _tr(SUMMARY_TEMPLATES[key]),
    outcome=labels.outcome_title,
    state=labels.decision_state_title,
    role=labels.role_title,
    login_reason=lambda r: _tr(LOGIN_REASONS[r]) if r in LOGIN_REASONS else r,
    codes=lambda codes: labels.codes_text(codes),
    names=lambda names: _tr("、").join(labels.term(n) for n in names),
)


def summary_text(row: AuditRow) -> str:
    """The entry's summary in the window's language (the CSV keeps app.review.audit's)."""
    try:
        payload = json.loads(row.payload_json)
    except ValueError:
        return row.summary
    return summarize(row.action, payload, WORDS)


def person_text(row: AuditRow) -> str:
    """``王芳（wangfang）``; the user name alone when that is the display name too."""
    if row.actor is None:
        return "—"
    if row.actor_name and row.actor_name != row.actor:
        return f"{row.actor_name}（{row.actor}）"
    return row.actor


def pretty_payload(row: AuditRow) -> str:
    """The payload indented for reading (as stored, when it is not JSON any more)."""
    try:
        return json.dumps(
            json.loads(row.payload_json), ensure_ascii=False, indent=2, sort_keys=True
        )
    except ValueError:
        return row.payload_json


def refusal_text(error: BaseException) -> str | None:
    """What a refusal of the audit reads means, in the window's language; None otherwise."""
    if isinstance(error, AuditCancelled):
        return _tr("已取消。")
    if not isinstance(error, WorkflowError):
        return None
    title = FIELD_TITLES.get(str(error.details.get("field")))
    field = _tr(title) if title else _tr("筛选条件")
    if error.code == "filter_nul":
        return _tr("%1 含有空字符（NUL），请重新输入。").replace("%1", field)
    if error.code == "filter_too_long":
        return (
            _tr("%1 太长（%2 个字符）：请输入案件编号、账号或姓名，最多 %3 个字符。")
            .replace("%1", field)
            .replace("%2", f"{int(error.details.get('length', 0)):,}")
            .replace("%3", str(MAX_FILTER_TEXT))
        )
    if error.code == "filter_dates":
        return _tr("起始日期晚于结束日期：请重新选择日期。")
    if error.code == "role":
        return _tr("审计日志仅供主管和管理员查看。")
    if error.code == "export_path":
        return _tr("无法写入该位置：%1").replace("%1", error.message)
    return _tr("操作被拒绝：%1").replace("%1", error.message)


def error_text(error: BaseException) -> str | None:
    """A refusal or an environment problem in words; None for a bug (the crash handler's)."""
    text = refusal_text(error)
    if text is not None:
        return text
    if isinstance(error, StoreError):
        return labels.store_problem(error)
    if isinstance(error, OSError) and classify(error) == "environment":
        return labels.os_problem(error)
    return None


class AuditModel(QAbstractTableModel):
    """Journal entries newest first, a page at a time through the TaskManager."""

    COL_SEQ, COL_TIME, COL_PERSON, COL_WORKSTATION, COL_ACTION, COL_CASE, COL_SUMMARY = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("AuditDialog", "序号"),
        QT_TRANSLATE_NOOP("AuditDialog", "时间"),
        QT_TRANSLATE_NOOP("AuditDialog", "人员"),
        QT_TRANSLATE_NOOP("AuditDialog", "工作站"),
        QT_TRANSLATE_NOOP("AuditDialog", "操作"),
        QT_TRANSLATE_NOOP("AuditDialog", "案件编号"),
        QT_TRANSLATE_NOOP("AuditDialog", "摘要"),
    )

    page_loaded = Signal(int)  # rows the page that just arrived added
    load_failed = Signal(object)  # the exception of a failed page
    loading_changed = Signal(bool)

    def __init__(
        self,
        workbench: Workbench,
        tasks: TaskManager,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._page_size = page_size
        self._filters = AuditFilters()
        self._origin: int | None = None  # list entries older than this seq (None: newest)
        self._rows: list[AuditRow] = []
        self._texts: list[tuple[str, ...]] = []
        self._by_seq: dict[int, int] = {}
        self._broken: int | None = None
        self._exhausted = True  # nothing to fetch before the first reload
        self._fetching = False
        self._generation = Generation()

    @property
    def filters(self) -> AuditFilters:
        return self._filters

    @property
    def origin(self) -> int | None:
        """The entry the list starts at (None: the newest entry)."""
        return None if self._origin is None else self._origin - 1

    @property
    def is_loading(self) -> bool:
        return self._fetching

    @property
    def is_complete(self) -> bool:
        return self._exhausted and not self._fetching

    def set_filters(self, filters: AuditFilters, *, start_at: int | None = None) -> None:
        """List the entries ``filters`` select, from the newest one or from ``start_at``."""
        self._filters = filters
        self._origin = None if start_at is None else start_at + 1
        self.reload()

    def reload(self) -> None:
        self._generation.advance()
        self.beginResetModel()
        self._rows, self._texts, self._by_seq = [], [], {}
        self._exhausted = False
        self._set_fetching(False)
        self.endResetModel()
        self._request_page()

    def stop(self) -> None:
        """Drop the answer of any page still on its way (the dialog is closing)."""
        self._generation.advance()
        self._exhausted = True

    def set_broken(self, seq: int | None) -> None:
        """Paint the entry ``seq`` (the first one the chain check found broken) red."""
        old, self._broken = self._broken, seq
        for value in (old, seq):
            row = self.row_of(value)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # --- paging --------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._request_page()

    def _set_fetching(self, value: bool) -> None:
        if self._fetching != value:
            self._fetching = value
            self.loading_changed.emit(value)

    def _request_page(self) -> None:
        if self._fetching or self._exhausted:
            return
        after = self._rows[-1].seq if self._rows else self._origin
        wb, filters, limit = self._workbench, self._filters, self._page_size
        self._set_fetching(True)
        self._tasks.run(
            lambda: wb.journal_page(filters, after, limit),
            lambda rows: self._page_arrived(rows, limit),
            self._failed,
            generation=self._generation,
        )

    def _page_arrived(self, rows: list[AuditRow], limit: int) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_fetching(False)
        self._exhausted = len(rows) < limit
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            for i, row in enumerate(rows, start=first):
                self._rows.append(row)
                self._texts.append(self.texts_of(row))
                self._by_seq[row.seq] = i
            self.endInsertRows()
        self.page_loaded.emit(len(rows))

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_fetching(False)
        self._exhausted = True  # a failing query is not asked again on every scroll
        self.load_failed.emit(error)

    # --- rows ----------------------------------------------------------------

    @staticmethod
    def texts_of(row: AuditRow) -> tuple[str, ...]:
        return (
            str(row.seq),
            row.china_time(),
            person_text(row),
            row.workstation,
            action_title(row.action),
            row.case_no or "",
            summary_text(row),
        )

    def row_at(self, row: int) -> AuditRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, seq: int | None) -> int:
        return -1 if seq is None else self._by_seq.get(seq, -1)

    def seqs(self) -> list[int]:
        return [r.seq for r in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return _tr(self.HEADERS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SUMMARY:
            return self._texts[row][column] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if self._broken is not None and self._rows[row].seq == self._broken:
            if role == Qt.ItemDataRole.BackgroundRole:
                return BROKEN_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return BROKEN_FOREGROUND
        return None


class _BrokenRowDelegate(QStyledItemDelegate):
    """Keeps the broken entry red when it is selected too (the selection colour would
    hide the model's red background exactly when the reader is looking at it)."""

    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.data(Qt.ItemDataRole.BackgroundRole) == BROKEN_BACKGROUND:
            option.palette.setColor(QPalette.ColorRole.Highlight, BROKEN_FOREGROUND)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))


class AuditDialog(QDialog):
    """The audit browser (non-modal): filters, entries, the chain's verdict, the export."""

    actions_loaded = Signal(int)  # how many actions the action filter offers
    verified = Signal(object)  # the JournalCheck shown
    verify_failed = Signal(str)
    filters_refused = Signal(str)  # the message shown
    jumped = Signal(int)  # the broken entry now listed (its seq), or -1: out of reach
    exported = Signal(object)  # the AuditExport written
    export_failed = Signal(str)
    export_cancelled = Signal()

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        # Advanced when the dialog closes: late results never reach a deleted widget.
        self._lifetime = Generation()
        lifetime = self._lifetime
        self.destroyed.connect(lambda *_: lifetime.advance())
        self.check: JournalCheck | None = None
        self._verifying = False
        self._verify_progress = ProgressCounter()
        self._verify_cancel = threading.Event()
        self._exporting = False
        self._export_progress = ProgressCounter()
        self._export_cancel = threading.Event()
        self.progress_dialog: QProgressDialog | None = None
        self._scroll_to_broken = False
        self._jump: int | None = None  # the broken entry being looked for
        self._jump_cleared = False
        self.setWindowTitle(self.tr("审计日志"))
        self.setObjectName("auditDialog")

        # --- the filter bar
        self.case_edit = QLineEdit(self)
        self.case_edit.setPlaceholderText(self.tr("案件编号"))
        self.person_edit = QLineEdit(self)
        self.person_edit.setPlaceholderText(self.tr("账号或姓名"))
        self.action_combo = QComboBox(self)
        self.action_combo.addItem(self.tr("全部操作"), None)
        self.action_combo.setMinimumContentsLength(8)
        self.from_edit = self._day_edit()
        self.to_edit = self._day_edit()
        self.search_button = QPushButton(self.tr("查询"), self)
        self.search_button.setDefault(False)
        self.search_button.setAutoDefault(False)
        self.clear_button = QPushButton(self.tr("清除"), self)
        self.clear_button.setAutoDefault(False)
        bar = QHBoxLayout()
        for title, widget, stretch in (
            (self.tr("案件编号"), self.case_edit, 2),
            (self.tr("人员"), self.person_edit, 2),
            (self.tr("操作"), self.action_combo, 1),
            (self.tr("从"), self.from_edit, 0),
            (self.tr("到"), self.to_edit, 0),
        ):
            bar.addWidget(QLabel(title, self))
            bar.addWidget(widget, stretch)
        bar.addWidget(self.search_button)
        bar.addWidget(self.clear_button)

        # --- the entries and the selected one's payload
        self.model = AuditModel(workbench, tasks, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setItemDelegate(_BrokenRowDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((56, 140, 120, 100, 84, 130)):
            header.resizeSection(column, width)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText(self.tr("选中一条，这里显示它记录的全部内容"))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 340])  # the table first: the summary column must show
        splitter.setChildrenCollapsible(False)

        # --- the chain's verdict and the actions
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        bold = QFont(self.status_label.font())
        bold.setBold(True)
        self.status_label.setFont(bold)
        self.verify_button = QPushButton(self.tr("校验"), self)
        self.verify_button.setToolTip(self.tr("从第一条起核对整条日志链（哈希、衔接、密钥标记）"))
        self.verify_button.setAutoDefault(False)
        self.jump_button = QPushButton(self.tr("跳到该条"), self)
        self.jump_button.setToolTip(self.tr("从被改动的那一条起列出日志"))
        self.jump_button.setAutoDefault(False)
        self.jump_button.hide()
        self.export_button = QPushButton(self.tr("导出 CSV…"), self)
        self.export_button.setToolTip(self.tr("把符合筛选条件的全部条目（不只是已列出的）存为 CSV"))
        self.export_button.setAutoDefault(False)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.verify_button)
        status.addWidget(self.jump_button)
        status.addWidget(self.export_button)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        outer = QVBoxLayout(self)
        outer.addLayout(bar)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.message_label)
        outer.addLayout(status)

        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear_filters)
        self.case_edit.returnPressed.connect(self.search)
        self.person_edit.returnPressed.connect(self.search)
        self.action_combo.activated.connect(lambda _i: self.search())
        self.verify_button.clicked.connect(self.verify)
        self.jump_button.clicked.connect(self.jump_to_broken)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.model.page_loaded.connect(self._page_loaded)
        self.model.load_failed.connect(self._page_failed)
        self.model.loading_changed.connect(self._loading_changed)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_detail(current.row())
        )
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.search)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        fit_window(self, 1240, 720)

    def _day_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(ANY_DAY)
        edit.setSpecialValueText(self.tr("不限"))
        edit.setDate(ANY_DAY)
        # The calendar of a day left at 不限 opens on this month, not on January 2000.
        edit.calendarWidget().installEventFilter(self)
        return edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show:
            for edit in (self.from_edit, self.to_edit):
                if watched is edit.calendarWidget() and edit.date() == ANY_DAY:
                    today = china_today()
                    edit.calendarWidget().setCurrentPage(today.year, today.month)
        return super().eventFilter(watched, event)

    # --- filters and pages ---------------------------------------------------

    def start(self) -> None:
        """What opening does: the action filter's choices, the newest entries, the check."""
        self._tasks.run(
            self._workbench.journal_actions,
            self._actions_arrived,
            self._actions_failed,
            generation=self._lifetime,
        )
        self.search()
        self.verify()

    @staticmethod
    def _day(edit: QDateEdit) -> dt.date | None:
        date = edit.date()
        return None if date == ANY_DAY else dt.date(date.year(), date.month(), date.day())

    def filters_shown(self) -> AuditFilters:
        """The filters as the bar shows them (not checked yet)."""
        action = self.action_combo.currentData()
        return AuditFilters(
            case=self.case_edit.text() or None,
            person=self.person_edit.text() or None,
            action=str(action) if action else None,
            date_from=self._day(self.from_edit),
            date_to=self._day(self.to_edit),
        )

    def search(self) -> None:
        """List the newest entries the filter bar selects (refused filters say why)."""
        try:
            filters = check_filters(self.filters_shown())  # pure: no database
        except WorkflowError as exc:
            self._refused(exc)
            return
        self._jump = None
        self.model.set_filters(filters)

    def apply_filters(self, filters: AuditFilters) -> None:
        """List ``filters`` as given (the facade checks them: a refusal is shown)."""
        self._jump = None
        self.model.set_filters(filters)

    def clear_filters(self) -> None:
        self._clear_bar()
        self.search()

    def _clear_bar(self) -> None:
        self.case_edit.clear()
        self.person_edit.clear()
        self.action_combo.setCurrentIndex(0)
        self.from_edit.setDate(ANY_DAY)
        self.to_edit.setDate(ANY_DAY)

    def _refused(self, error: WorkflowError) -> None:
        text = refusal_text(error) or error.message
        self._show_message(text, error=True)
        self.filters_refused.emit(text)

    def _actions_arrived(self, actions: list[str]) -> None:
        if not shiboken6.isValid(self):
            return
        chosen = self.action_combo.currentData()
        self.action_combo.clear()
        self.action_combo.addItem(self.tr("全部操作"), None)
        for action in actions:
            self.action_combo.addItem(action_title(action), action)
        index = self.action_combo.findData(chosen) if chosen else 0
        self.action_combo.setCurrentIndex(max(0, index))
        self.actions_loaded.emit(len(actions))

    def _actions_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._report(error, self.tr("操作列表读取失败"))

    def _loading_changed(self, loading: bool) -> None:
        if loading and shiboken6.isValid(self):
            self._show_message(self.tr("正在读取…"))

    def _page_loaded(self, _added: int) -> None:
        if not shiboken6.isValid(self):
            return
        if self._jump is not None and self._jump_settled():
            return
        self._show_count()
        self._show_broken()

    def _show_count(self) -> None:
        model = self.model
        shown = model.rowCount()
        if shown == 0:
            text = self.tr("没有符合条件的条目。")
        elif model.is_complete:
            text = self.tr("共 %1 条。").replace("%1", f"{shown:,}")
        else:
            text = self.tr("已列出 %1 条，向下滚动读取更多。").replace("%1", f"{shown:,}")
        if model.origin is not None:
            text += self.tr("从第 %1 条起列出（更新的条目未列出，按 查询 回到最新）。").replace(
                "%1", str(model.origin)
            )
        self._show_message(text)

    def _page_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._jump = None
            self._report(error, self.tr("日志读取失败"))

    def _report(self, error: BaseException, what: str) -> str:
        """Show a failed read's message (a bug also goes to the crash handler)."""
        text = error_text(error)
        if text is None:
            self._tasks.task_failed.emit(error)
            text = self.tr("%1：发生内部错误，已记录日志。").replace("%1", what)
        elif isinstance(error, WorkflowError):
            self.filters_refused.emit(text)
        else:
            text = self.tr("%1：%2").replace("%1", what).replace("%2", text)
        self._show_message(text, error=True)
        return text

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color:{BAD_COLOUR};" if error else "")

    def _show_detail(self, row_number: int) -> None:
        row = self.model.row_at(row_number)
        if row is None:
            self.detail.clear()
            return
        lines = [
            self.tr("第 %1 条　%2").replace("%1", str(row.seq)).replace("%2", row.china_time()),
            self.tr("人员：%1").replace("%1", person_text(row)),
            self.tr("工作站：%1").replace("%1", row.workstation),
            self.tr("操作：%1（%2）")
            .replace("%1", action_title(row.action))
            .replace("%2", row.action),
        ]
        if row.case_no or row.case_id:
            lines.append(self.tr("案件：%1").replace("%1", row.case_no or row.case_id or ""))
        if summary := summary_text(row):
            lines.append(self.tr("摘要：%1").replace("%1", summary))
        if self.check is not None and self.check.broken_seq == row.seq:
            lines.append(self.tr("校验：日志链从这一条起不再完整"))
        self.detail.setPlainText("\n".join(lines) + "\n\n" + pretty_payload(row))

    # --- the chain -----------------------------------------------------------

    def verify(self) -> None:
        """Check the whole chain on the db lane (a check under way is enough)."""
        if self._verifying:
            return
        self._verifying = True
        self._verify_cancel.clear()
        self._verify_progress.report(0, 0)
        self.verify_button.setEnabled(False)
        self._show_status(self.tr("正在校验日志链…"), None)
        wb, progress, cancel = self._workbench, self._verify_progress, self._verify_cancel
        self._tasks.run(
            lambda: wb.verify_journal(progress.report, cancel.is_set),
            self._verified,
            self._verify_error,
            generation=self._lifetime,
        )
        self._timer.start()

    def _show_status(self, text: str, ok: bool | None) -> None:
        self.status_label.setText(text)
        colour = "" if ok is None else (OK_COLOUR if ok else BAD_COLOUR)
        self.status_label.setStyleSheet(f"color:{colour};" if colour else "")

    def verdict_text(self, check: JournalCheck) -> str:
        if check.ok:
            text = self.tr("链完整：已校验 %1 条").replace("%1", f"{check.checked:,}")
            if check.unkeyed:
                text += self.tr("（其中 %1 条写于启用密钥之前，只由哈希链担保）").replace(
                    "%1", f"{check.unkeyed:,}"
                )
            return text
        # The verifier's own words (English) only where the window speaks English.
        detail = check.what if labels.source_language() else (check.problem or check.what)
        if check.broken_seq is None:
            return self.tr("校验未通过：%1").replace("%1", detail)
        return (
            self.tr("第 %1 条起被改动：%2")
            .replace("%1", str(check.broken_seq))
            .replace("%2", detail)
        )

    def _verified(self, check: JournalCheck) -> None:
        if not shiboken6.isValid(self):
            return
        self._verifying = False
        self.verify_button.setEnabled(True)
        self.check = check
        self._show_status(self.verdict_text(check), check.ok)
        self.model.set_broken(check.broken_seq)
        self._scroll_to_broken = check.broken_seq is not None
        self._show_broken()
        self.verified.emit(check)

    def _verify_error(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._verifying = False
        self.verify_button.setEnabled(True)
        text = error_text(error)
        if text is None:
            self._tasks.task_failed.emit(error)
            text = self.tr("发生内部错误，已记录日志。")
        text = self.tr("未能校验：%1").replace("%1", text)
        self._show_status(text, False)
        self.verify_failed.emit(text)

    def _show_broken(self) -> None:
        """Scroll to the broken entry once it is listed; offer 跳到该条 while it is not."""
        seq = self.check.broken_seq if self.check is not None else None
        row = self.model.row_of(seq)
        self.jump_button.setVisible(seq is not None and row < 0)
        if row < 0 or not self._scroll_to_broken:
            return
        self._scroll_to_broken = False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def jump_to_broken(self) -> None:
        """List the journal from the broken entry on (with the filters, or without them
        when they leave it out)."""
        seq = self.check.broken_seq if self.check is not None else None
        if seq is None:
            return
        self._scroll_to_broken = True
        if self.model.row_of(seq) >= 0:
            self._show_broken()
            self.jumped.emit(seq)
            return
        self._jump, self._jump_cleared = seq, False
        self.model.set_filters(self.model.filters, start_at=seq)

    def _jump_settled(self) -> bool:
        """After the first page of a jump: done, or try without filters, or out of reach.
        True when the page that arrived is not the one to show yet."""
        seq = self._jump
        assert seq is not None
        if self.model.row_of(seq) >= 0:
            self._jump = None
            self._show_count()
            self._show_broken()
            self.jumped.emit(seq)
            return True
        if not self._jump_cleared and self.model.filters != AuditFilters():
            self._jump_cleared = True
            self._clear_bar()
            self.model.set_filters(AuditFilters(), start_at=seq)
            return True
        self._jump = None
        self._scroll_to_broken = False
        self._show_count()
        self._show_message(
            self.tr("第 %1 条不在您可查看的范围内（它属于您负责区县以外的案件或人员）。").replace(
                "%1", str(seq)
            ),
            error=True,
        )
        self.jump_button.hide()
        self.jumped.emit(-1)
        return True

    # --- export --------------------------------------------------------------

    def export_csv(self, path: str | Path | None = None) -> None:
        """Write every entry the listed filters select to a CSV file (asked for when
        ``path`` is None), on the db lane, with a progress dialog that can cancel it."""
        if self._exporting:
            return
        if path is None:
            suggested = str(Path.home() / f"审计日志-{china_today():%Y%m%d}.csv")
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("导出审计日志"), suggested, self.tr("CSV 文件 (*.csv)")
            )
            if not chosen:
                return
            path = chosen
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".csv")
        filters = self.model.filters
        self._exporting = True
        self._export_cancel.clear()
        self._export_progress.report(0, 0)
        self.export_button.setEnabled(False)
        dialog = QProgressDialog(self.tr("正在导出审计日志…"), self.tr("取消"), 0, 0, self)
        dialog.setWindowTitle(self.tr("导出 CSV"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel_export)
        self.progress_dialog = dialog
        dialog.show()
        wb, progress, cancel = self._workbench, self._export_progress, self._export_cancel
        self._tasks.run(
            lambda: wb.export_journal_csv(filters, target, progress.report, cancel.is_set),
            self._exported,
            self._export_error,
            generation=self._lifetime,
        )
        self._timer.start()

    def cancel_export(self) -> None:
        if self._exporting:
            self._export_cancel.set()
            self._show_message(self.tr("正在取消导出…"))

    def _export_ended(self) -> None:
        self._exporting = False
        self.export_button.setEnabled(True)
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel_export)
            dialog.close()
            dialog.deleteLater()

    def _exported(self, result: AuditExport) -> None:
        if not shiboken6.isValid(self):
            return
        self._export_ended()
        self._show_message(
            self.tr("已导出 %1 条到 %2")
            .replace("%1", f"{result.rows:,}")
            .replace("%2", str(result.path))
        )
        self.exported.emit(result)

    def _export_error(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._export_ended()
        if isinstance(error, AuditCancelled):
            self._show_message(self.tr("已取消导出，没有留下文件。"))
            self.export_cancelled.emit()
            return
        text = self._report(error, self.tr("导出失败"))
        self.export_failed.emit(text)

    # --- progress and closing ------------------------------------------------

    def _poll(self) -> None:
        if self._verifying:
            done, total = self._verify_progress.read()
            if total:
                self._show_status(
                    self.tr("正在校验日志链… %1 / %2 条")
                    .replace("%1", f"{done:,}")
                    .replace("%2", f"{total:,}"),
                    None,
                )
        dialog = self.progress_dialog
        if self._exporting and dialog is not None:
            done, total = self._export_progress.read()
            if total:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
        if not self._verifying and not self._exporting:
            self._timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._stop_work()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        # Esc (reject) hides the dialog without a close event.
        self._stop_work()
        super().done(result)

    def _stop_work(self) -> None:
        """A check or an export under way stops (an export removes its partial file) and
        frees the db lane; their results, and any page on its way, are dropped."""
        self._verify_cancel.set()
        self._export_cancel.set()
        self._lifetime.advance()
        self.model.stop()
        self._timer.stop()
        if self.progress_dialog is not None:
            self._export_ended()


def open_audit(parent: QWidget | None, workbench: Workbench, tasks: TaskManager) -> AuditDialog:
    """Show the audit browser (non-modal): the newest entries, and the chain checked."""
    dialog = AuditDialog(workbench, tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.start()
    return dialog
