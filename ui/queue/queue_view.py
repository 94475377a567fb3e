"""The review queue: a table model over pages of queue rows, and the tabbed, filterable view.

The model never touches the database itself: every page and every count is a task on the
TaskManager's db lane, and rows are inserted when the task's result arrives. Sorting and
filtering happen in SQL (the Workbench's keyset queries); a change of tab, filter or sort
resets the model and asks for the first page again. A generation token drops the result
of a request the reviewer has already moved past.

The table does not paint from the model: every cell's roles would be asked of Python. It
paints from a mirror of the model's rows in a QStandardItemModel (items held in C++), which
follows the model's signals row for row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.review.cases import QueueRow
from app.workbench import MAX_SEARCH, TABS, QueueFilters, Workbench
from ui.shell.labels import status_title
from ui.shell.tasks import Generation, TaskManager

log = logging.getLogger(__name__)

PAGE_SIZE = 100
SEARCH_DEBOUNCE_MS = 250
SELECT_DEBOUNCE_MS = 120
# How long the table may go on showing the last query's rows while the first page of the
# next one is read, before it shows itself empty (正在加载…).
BLANK_AFTER_MS = 150

CaseIdRole = int(Qt.ItemDataRole.UserRole) + 1
SeverityRole = int(Qt.ItemDataRole.UserRole) + 2
CountRole = int(Qt.ItemDataRole.UserRole) + 3


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's name, lupdate reads it
    """Marks ``text`` for lupdate; translated where it is shown."""
    return text


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


TAB_TITLES = {
    "pending": QT_TRANSLATE_NOOP("QueueView", "待审核"),
    "mine": QT_TRANSLATE_NOOP("QueueView", "我的"),
    "confirming": QT_TRANSLATE_NOOP("QueueView", "待复核"),
    "approved": QT_TRANSLATE_NOOP("QueueView", "已通过"),
    "rejected": QT_TRANSLATE_NOOP("QueueView", "未通过"),
    "returned": QT_TRANSLATE_NOOP("QueueView", "已退回"),
    "conflict": QT_TRANSLATE_NOOP("QueueView", "冲突"),
}
KIND_TITLES = {
    "guardianship": QT_TRANSLATE_NOOP("QueueModel", "监护关系"),
    "rural_house": QT_TRANSLATE_NOOP("QueueModel", "农房"),
    "kinship": QT_TRANSLATE_NOOP("QueueModel", "隔代亲属"),
}
SEVERITY_TITLES = {
    "error": QT_TRANSLATE_NOOP("QueueModel", "错误"),
    "warning": QT_TRANSLATE_NOOP("QueueModel", "警告"),
    "info": QT_TRANSLATE_NOOP("QueueModel", "提示"),
}
SEVERITY_COLOURS = {
    "error": (QColor("#c62828"), QColor("#ffffff")),
    "warning": (QColor("#f2a900"), QColor("#2b2100")),
    "info": (QColor("#d5d8dc"), QColor("#3c4043")),
}
# Statuses whose cases still wait for someone in the bureau: only they show a waiting time.
WAITING_STATUSES = frozenset({"pending", "confirming"})


def tab_title(tab: str) -> str:
    return _tr("QueueView", TAB_TITLES[tab])


def kind_title(kind: str) -> str:
    return _tr("QueueModel", KIND_TITLES[kind]) if kind in KIND_TITLES else kind


def format_waiting(delta: dt.timedelta) -> str:
    """A reviewer's "how long has this family waited": 3天4小时, 5小时, 12分钟."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return (
            QCoreApplication.translate("QueueModel", "%1天%2小时")
            .replace("%1", str(days))
            .replace("%2", str(hours))
        )
    if hours:
        return QCoreApplication.translate("QueueModel", "%1小时").replace("%1", str(hours))
    return QCoreApplication.translate("QueueModel", "%1分钟").replace("%1", str(minutes))


class _Wordings:
    """The kinds', statuses' and severities' words for a batch of rows, looked up once each:
    every lookup is a translate() into Qt, and a page repeats the same few."""

    __slots__ = ("_kinds", "_statuses", "_severities")

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self._statuses: dict[str, str] = {}
        self._severities: dict[str, str] = {}

    def kind(self, kind: str) -> str:
        text = self._kinds.get(kind)
        if text is None:
            text = self._kinds[kind] = kind_title(kind)
        return text

    def status(self, status: str) -> str:
        text = self._statuses.get(status)
        if text is None:
            text = self._statuses[status] = status_title(status)
        return text

    def severity(self, severity: str) -> str:
        text = self._severities.get(severity)
        if text is None:
            text = QCoreApplication.translate("QueueModel", SEVERITY_TITLES[severity])
            self._severities[severity] = text
        return text


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROLES_SERVED = frozenset({_DISPLAY, _ALIGN, _TOOLTIP, CaseIdRole, SeverityRole, CountRole})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset({4, 5})  # submitted, waiting
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_COLUMN_COUNT = 9
_LONG_WAIT = dt.timedelta(days=199, hours=23)  # the widest waiting time the column fits


class QueueModel(QAbstractTableModel):
    """Rows of one queue tab, filled a page at a time through the TaskManager."""

    COL_CASE_NO, COL_KIND, COL_STUDENT, COL_SCHOOL, COL_SUBMITTED = range(5)
    COL_WAITING, COL_FINDINGS, COL_STATUS, COL_HOLDER = range(5, 9)
    HEADERS = (
        QT_TRANSLATE_NOOP("QueueModel", "案件编号"),
        QT_TRANSLATE_NOOP("QueueModel", "类型"),
        QT_TRANSLATE_NOOP("QueueModel", "学生"),
        QT_TRANSLATE_NOOP("QueueModel", "学校"),
        QT_TRANSLATE_NOOP("QueueModel", "提交时间"),
        QT_TRANSLATE_NOOP("QueueModel", "等待时长"),
        QT_TRANSLATE_NOOP("QueueModel", "发现"),
        QT_TRANSLATE_NOOP("QueueModel", "状态"),
        QT_TRANSLATE_NOOP("QueueModel", "处理人"),
    )
    # Column → the Workbench's sort key (SQL); None: this column does not sort.
    SORT_KEYS: dict[int, tuple[str, bool] | None] = {
        COL_CASE_NO: ("case_no", False),
        COL_KIND: None,
        COL_STUDENT: ("student_name", False),
        COL_SCHOOL: None,
        COL_SUBMITTED: ("submitted_at", False),
        # The longest wait is the oldest submission: same key, reversed direction.
        COL_WAITING: ("submitted_at", True),
        COL_FINDINGS: ("worst_severity", False),
        COL_STATUS: None,
        COL_HOLDER: None,
    }

    page_loaded = Signal(int)  # rows added by the page that just arrived
    refreshed = Signal()  # the rows shown were read again (some may have gone)
    load_failed = Signal(object)  # the exception of a failed page
    loading_changed = Signal(bool)
    # The order the columns are shown in (logical column numbers): what a reviewer decides
    # by first, so that 发现 and 状态 are on screen even in a narrow queue (1366 pixels).
    VISUAL_ORDER = (
        COL_CASE_NO,
        COL_STUDENT,
        COL_FINDINGS,
        COL_STATUS,
        COL_HOLDER,
        COL_WAITING,
        COL_KIND,
        COL_SCHOOL,
        COL_SUBMITTED,
    )

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
        self._tab = "pending"
        self._filters = QueueFilters()
        self._sort = "submitted_at"
        self._descending = False
        self._rows: list[QueueRow] = []
        self._ids: dict[str, int] = {}
        self._display: dict[int, tuple[str, ...]] = {}
        self._exhausted = True  # nothing to fetch until a tab is set
        self._fetching = False
        self._generation = Generation()
        self._started = False

    # --- what is listed ------------------------------------------------------

    @property
    def tab(self) -> str:
        return self._tab

    @property
    def filters(self) -> QueueFilters:
        return self._filters

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    @property
    def is_loading(self) -> bool:
        return self._fetching

    @property
    def is_complete(self) -> bool:
        """Every row of the current query is loaded."""
        return self._started and self._exhausted and not self._fetching

    def set_tab(self, tab: str) -> None:
        if tab not in TABS:
            raise ValueError(f"unknown tab {tab!r}")
        self._tab = tab
        self.reload()

    def set_filters(self, filters: QueueFilters) -> None:
        self._filters = filters
        self.reload()

    def set_sort(self, sort: str, descending: bool = False) -> None:
        self._sort, self._descending = sort, descending
        self.reload()

    def reload(self) -> None:
        """Forget the rows and ask for the first page of the current query."""
        self._generation.advance()
        self.beginResetModel()
        self._rows = []
        self._ids = {}
        self._display = {}
        self._exhausted = False
        self._fetching = False
        self._started = True
        self.endResetModel()
        self._request_page()

    def refresh(self) -> None:
        """Re-read the rows already shown (after a decision), keeping the view where it is."""
        if not self._started:
            return
        if self._fetching or not self._rows:
            self.reload()
            return
        self._generation.advance()
        limit = max(len(self._rows), self._page_size)
        tab, filters, sort, desc = self._tab, self._filters, self._sort, self._descending
        wb = self._workbench
        self._set_fetching(True)
        self._tasks.run(
            lambda: wb.queue_page(tab, filters, None, limit, sort=sort, descending=desc),
            lambda rows: self._refreshed(rows, limit),
            self._failed,
            generation=self._generation,
        )

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
        after = self._rows[-1].cursor(self._sort) if self._rows else None
        tab, filters, sort, desc = self._tab, self._filters, self._sort, self._descending
        limit = self._page_size
        wb = self._workbench
        self._set_fetching(True)
        self._tasks.run(
            lambda: wb.queue_page(tab, filters, after, limit, sort=sort, descending=desc),
            lambda rows: self._page_arrived(rows, limit),
            self._failed,
            generation=self._generation,
        )

    def _page_arrived(self, rows: list[QueueRow], limit: int) -> None:
        self._set_fetching(False)
        self._exhausted = len(rows) < limit
        fresh = [r for r in rows if r.case_id not in self._ids]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for i, row in enumerate(fresh, start=first):
                self._rows.append(row)
                self._ids[row.case_id] = i
            self.endInsertRows()
        self.page_loaded.emit(len(fresh))

    def _refreshed(self, rows: list[QueueRow], limit: int) -> None:
        """Apply a re-read of the loaded rows as removals, insertions and changes."""
        self._set_fetching(False)
        new_ids = [r.case_id for r in rows]
        new_set = set(new_ids)
        old_ids = [r.case_id for r in self._rows]
        # Removals, bottom-up so the row numbers above stay valid.
        for i in range(len(old_ids) - 1, -1, -1):
            if old_ids[i] not in new_set:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        kept = [r.case_id for r in self._rows]
        kept_set = set(kept)
        if [i for i in new_ids if i in kept_set] != kept:
            # The order changed (a re-sort in the data): start over rather than shuffle rows.
            self._rows = []
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
        else:
            for position, row in enumerate(rows):
                if row.case_id in kept_set:
                    self._rows[position] = row
                else:
                    self.beginInsertRows(QModelIndex(), position, position)
                    self._rows.insert(position, row)
                    self.endInsertRows()
        self._ids = {r.case_id: i for i, r in enumerate(self._rows)}
        self._display = {}
        self._exhausted = len(rows) < limit
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )
        self.refreshed.emit()
        self.page_loaded.emit(0)

    def _failed(self, error: BaseException) -> None:
        self._set_fetching(False)
        # Stop asking: a failing query would otherwise be retried on every scroll.
        self._exhausted = True
        self.load_failed.emit(error)

    # --- rows ----------------------------------------------------------------

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int:
        return self._ids.get(case_id, -1)

    def case_ids(self) -> list[str]:
        return [r.case_id for r in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _tr("QueueModel", self.HEADERS[section])
            if role == Qt.ItemDataRole.ToolTipRole and self.SORT_KEYS.get(section) is None:
                return QCoreApplication.translate("QueueModel", "此列不排序")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _texts(self, row: int) -> tuple[str, ...]:
        cached = self._display.get(row)
        if cached is not None:
            return cached
        texts = self.texts_of(self._rows[row])
        self._display[row] = texts
        return texts

    @staticmethod
    def waiting_text(r: QueueRow, now: dt.datetime) -> str:
        """How long ``r`` has waited, as of ``now`` ("—" once it waits for nobody)."""
        return format_waiting(now - r.submitted_at) if r.status in WAITING_STATUSES else "—"

    @staticmethod
    def texts_of(r: QueueRow, words: _Wordings | None = None) -> tuple[str, ...]:
        """The nine cells' texts of ``r``, in column order (what the table shows); ``words``
        keeps the wordings looked up for a batch of rows."""
        if words is None:
            words = _Wordings()
        submitted = r.submitted_at
        status = r.status
        waiting = QueueModel.waiting_text(r, dt.datetime.now(dt.UTC))
        severity = r.worst_severity
        count = r.finding_count
        findings = (
            words.severity(severity) + f" {count}"
            if severity in SEVERITY_TITLES
            else (str(count) if count else "")
        )
        # strftime("%Y-%m-%d %H:%M") takes several times as long.
        local = submitted.astimezone()
        return (
            r.case_no,
            words.kind(r.kind),
            f"{r.student_name}  {r.student_id_masked}",
            r.school,
            f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}",
            waiting,
            findings,
            words.status(status),
            r.holder or "",
        )

    @staticmethod
    def student_tooltip(r: QueueRow) -> str:
        return f"{r.student_name} {r.student_id_masked}"

    @staticmethod
    def holder_tooltip(r: QueueRow) -> str | None:
        """Who holds ``r`` and until when; None when nobody does."""
        if r.leased_until is None:
            return None
        until = r.leased_until.astimezone().strftime("%H:%M")
        return (
            QCoreApplication.translate("QueueModel", "%1 处理中，至 %2")
            .replace("%1", r.holder or "")
            .replace("%2", until)
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Called a few thousand times per paint: roles the view asks for but the queue does
        # not use (font, colours, decoration, check state…) leave at the first test.
        role = int(role)
        if role not in _ROLES_SERVED:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        column = index.column()
        if role == _DISPLAY:
            return self._texts(row)[column]
        if role == _ALIGN:
            return _RIGHT if column in _RIGHT_ALIGNED else None
        if role == CaseIdRole:
            return self._rows[row].case_id
        if role == SeverityRole:
            return self._rows[row].worst_severity
        if role == CountRole:
            return self._rows[row].finding_count
        r = self._rows[row]  # tooltip
        if column == self.COL_STUDENT:
            return self.student_tooltip(r)
        if column == self.COL_HOLDER:
            return self.holder_tooltip(r)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        name, reverse = key
        descending = (order == Qt.SortOrder.DescendingOrder) != reverse
        if (name, descending) == (self._sort, self._descending) and self._started:
            return
        self._sort, self._descending = name, descending
        if self._started:
            self.reload()


class _QueueDisplay(QStandardItemModel):
    """What the table shows: QueueModel's rows as items held in C++, row for row.

    A view asks a model for about nine roles of every cell it paints; a model written in
    Python answers each in Python, which makes a paint several times slower than the same
    texts in items. This mirror keeps QueueModel the one source of truth (it loads, pages,
    refreshes and sorts) and follows its signals, so that row ``i`` here is row ``i``
    there. It must not override data(), rowCount(), columnCount(), flags(), headerData(),
    index() or parent(): the view's calls stay in C++. Only the rare calls are overridden:
    sort() (done in SQL by QueueModel) and canFetchMore()/fetchMore() (QueueModel's pages).

    Cells are filled with setData() on rows inserted empty: Qt makes each item from the
    prototype (enabled and selectable, not editable) in C++, and no Python wrapper is kept
    per cell. Python never holds an item of a row: PySide does not hear of an item C++
    made being deleted, and a wrapper left behind crashes later.

    Only what the view paints is set: the texts, the alignment, the tooltips. The case id,
    severity and count of a row are QueueModel's (``row_at``): three calls per row fewer.

    Rows arrive empty and the rows on screen are filled at once; the others (a page is
    100 rows, a screen shows about 30) on the following turns of the event loop, a slice
    at a time, after the table has painted. Every change from QueueModel first fills what
    is still empty, so row ``i`` always has row ``i``'s texts by the time anything else
    happens to it; ``flush()`` does the same on demand.
    """

    FILL_SLICE = 32  # rows filled per turn of the event loop once the screen is painted
    # The rows off screen wait for the table's next paint (``table_painted``), so that
    # filling them never holds up the screen; at most this long if no paint comes.
    FILL_WAIT_MS = 100

    def __init__(self, source: QueueModel, parent: QObject | None = None) -> None:
        super().__init__(0, _COLUMN_COUNT, parent)
        self._source = source
        # Per row: the QueueRow it was filled from and the waiting time it shows (the one
        # text that changes with the clock), to tell on a refresh what to set again.
        self._filled: list[tuple[QueueRow, str] | None] = []  # None: not filled yet
        self._unfilled: list[int] = []  # rows inserted empty, in the order they are filled
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._fill_slice)
        # Which rows the table shows now: (first row, how many); None: it shows none.
        self._on_screen: Callable[[], tuple[int, int] | None] = lambda: None
        prototype = QStandardItem()
        prototype.setFlags(_ROW_FLAGS)
        self.setItemPrototype(prototype)
        self.setHorizontalHeaderLabels([_tr("QueueModel", h) for h in QueueModel.HEADERS])
        for column in range(_COLUMN_COUNT):
            tip = source.headerData(column, Qt.Orientation.Horizontal, _TOOLTIP)
            if tip is not None:
                self.setHeaderData(column, Qt.Orientation.Horizontal, tip, _TOOLTIP)
        # Connected before anyone else (QueueView connects after making the mirror): when
        # QueueView hears of a change, the rows the table shows have already followed it.
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._source_reset)
        source.rowsInserted.connect(self._source_inserted)
        source.rowsRemoved.connect(self._source_removed)
        source.dataChanged.connect(self._source_changed)
        # QueueModel resets rather than moving rows; should it ever re-lay them out, start over.
        source.layoutChanged.connect(self._resync)

    # --- the rare calls, forwarded ---------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The header's sort indicator: QueueModel reloads in that order (never sorted here).
        self._source.sort(column, order)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self._source.canFetchMore(parent)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        self._source.fetchMore(parent)

    # --- filling the rows ---------------------------------------------------------------

    def set_on_screen(self, rows_on_screen: Callable[[], tuple[int, int] | None]) -> None:
        """Tell the mirror which rows the table shows: they are filled first."""
        self._on_screen = rows_on_screen

    def table_painted(self) -> None:
        """The table has just painted: fill the rows still empty from the next turn on."""
        if self._unfilled:
            self._later.start(0)

    def flush(self) -> None:
        """Fill every row still empty, now."""
        self._later.stop()
        if self._unfilled:
            self._fill_rows(self._unfilled, signal=True)
            self._unfilled = []

    def _fill_slice(self) -> None:
        todo, self._unfilled = (
            self._unfilled[: self.FILL_SLICE],
            self._unfilled[self.FILL_SLICE :],
        )
        self._fill_rows(todo, signal=True)
        if self._unfilled:
            self._later.start(0)

    def _fill_rows(self, rows: Sequence[int], *, signal: bool) -> None:
        """Fill ``rows`` (inserted empty) from QueueModel's rows."""
        if not rows:
            return
        source = self._source._rows
        words = _Wordings()
        filled = self._filled
        blocked = self.blockSignals(True)
        try:
            for row in rows:
                r = source[row]
                filled[row] = (r, self._fill(row, r, words))
        finally:
            self.blockSignals(blocked)
        if not signal:
            return
        screen = self._on_screen()
        if screen is not None:
            # The table repaints its whole viewport for any change of several rows, on
            # screen or not: tell it only of the rows it shows (rows scrolled to before
            # their slice was filled). The others are painted from the items when they
            # come into view; nothing in the view keeps their old texts.
            top, shown = screen
            rows = [row for row in rows if top <= row < top + shown]
            if not rows:
                return
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), _COLUMN_COUNT - 1))

    # --- following QueueModel --------------------------------------------------------------

    def _source_reset(self) -> None:
        # Inside the reset begun by modelAboutToBeReset: nobody needs the row signals.
        self._later.stop()
        self._unfilled = []
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            self._filled = []
            self._insert(0, self._source.rowCount(), signal=False)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    def _resync(self) -> None:
        self.beginResetModel()
        self._source_reset()

    def _source_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        self.flush()
        self._insert(first, last - first + 1, signal=True)

    def _source_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        self.flush()
        self.removeRows(first, last - first + 1)
        del self._filled[first : last + 1]

    def _source_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: Sequence[int] = ()
    ) -> None:
        """A refresh read the rows again: set again what changed (a row read the same only
        its waiting time)."""
        if not top_left.isValid() or top_left.parent().isValid():
            return
        self.flush()
        rows = self._source._rows
        now = dt.datetime.now(dt.UTC)
        words = _Wordings()
        changed: list[int] = []
        blocked = self.blockSignals(True)
        try:
            for row in range(top_left.row(), min(bottom_right.row() + 1, len(self._filled))):
                r = rows[row]
                filled = self._filled[row]
                assert filled is not None  # flushed above
                before, text = filled
                if r is before or r == before:
                    waiting = QueueModel.waiting_text(r, now)
                    if waiting != text:
                        text = waiting
                        self.setData(self.index(row, QueueModel.COL_WAITING), text)
                        changed.append(row)
                else:
                    text = self._fill(row, r, words, fresh=False)
                    changed.append(row)
                self._filled[row] = (r, text)  # the row as read now
        finally:
            self.blockSignals(blocked)
        if changed:
            self.dataChanged.emit(
                self.index(changed[0], 0), self.index(changed[-1], _COLUMN_COUNT - 1)
            )

    def _insert(self, first: int, count: int, *, signal: bool) -> None:
        """Insert rows ``first`` … ``first + count - 1`` as QueueModel has them: empty, the
        rows on screen filled now, the others on the next turns of the event loop."""
        if count <= 0:
            return
        self.insertRows(first, count)
        self._filled[first:first] = [None] * count
        end = first + count
        screen = self._on_screen()
        if screen is None:  # nothing painted: no reason to wait
            now = range(first, end)
        else:
            top, shown = screen
            if not signal:
                top = 0  # a reset: the table starts at the top again
            now = range(max(first, top), min(end, top + shown))
        # The cells were set quietly (a signal each would cost more than the cell): one
        # change for them all.
        self._fill_rows(now, signal=signal)
        later = [row for row in range(first, end) if row not in now]
        if later:
            self._unfilled.extend(later)
            if not self._later.isActive():
                self._later.start(self.FILL_WAIT_MS)

    def _fill(self, row: int, r: QueueRow, words: _Wordings, *, fresh: bool = True) -> str:
        """Set ``row``'s cells from ``r``: the texts, and the alignment and tooltips
        QueueModel gives (the case id, severity and count stay in QueueModel's rows).
        ``fresh``: the cells are empty. Returns the waiting time shown.

        Each call crosses into C++ (an index costs as much as a setData): as few as will
        do, a page has 900 cells.
        """
        texts = QueueModel.texts_of(r, words)
        index, set_data = self.index, self.setData
        cells = [index(row, column) for column in range(_COLUMN_COUNT)]
        for cell, text in zip(cells, texts, strict=True):
            set_data(cell, text)
        if fresh:
            for column in _RIGHT_ALIGNED:
                set_data(cells[column], _RIGHT, _ALIGN)
        set_data(cells[QueueModel.COL_STUDENT], QueueModel.student_tooltip(r), _TOOLTIP)
        holder_tip = QueueModel.holder_tooltip(r)
        if holder_tip is not None or not fresh:
            set_data(cells[QueueModel.COL_HOLDER], holder_tip, _TOOLTIP)
        return texts[QueueModel.COL_WAITING]


class SeverityDelegate(QStyledItemDelegate):
    """Draws the findings column as a small coloured badge: 错误 red, 警告 amber, 提示 grey.

    The severity is the queue row's (``row_at``, QueueModel's rows, row for row with the
    table's); the text is the cell's."""

    def __init__(
        self, row_at: Callable[[int], QueueRow | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._row_at = row_at
        # Badges drawn once: a page repeats a few (severity, count) pairs, and an
        # antialiased rounded rectangle with its text cost more than the rest of the row.
        self._badges: dict[tuple[str, str, int, float, str], QPixmap] = {}

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        r = self._row_at(index.row())
        severity = r.worst_severity if r is not None else None
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if severity not in SEVERITY_COLOURS or not text:
            super().paint(painter, option, index)
            return
        # Background and selection as usual, then the badge on top.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        height = min(option.rect.height() - 6, option.fontMetrics.height() + 2)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        badge = self._badge(severity, text, height, ratio, option)
        painter.drawPixmap(
            option.rect.x() + 4, option.rect.y() + (option.rect.height() - height) // 2, badge
        )

    def _badge(
        self, severity: str, text: str, height: int, ratio: float, option: QStyleOptionViewItem
    ) -> QPixmap:
        key = (severity, text, height, ratio, option.font.key())
        badge = self._badges.get(key)
        if badge is not None:
            return badge
        if len(self._badges) > 256:
            self._badges.clear()
        background, foreground = SEVERITY_COLOURS[severity]
        metrics = option.fontMetrics
        rect = QRect(0, 0, metrics.horizontalAdvance(text) + 12, height)
        badge = QPixmap(round(rect.width() * ratio), round(height * ratio))
        badge.setDevicePixelRatio(ratio)
        badge.fill(Qt.GlobalColor.transparent)
        painter = QPainter(badge)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setFont(option.font)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawRoundedRect(rect, height / 2, height / 2)
            painter.setPen(foreground)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        finally:
            painter.end()
        self._badges[key] = badge
        return badge

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 16, size.height())


class _QueueTable(QTableView):
    """The table: J/K step through rows like Down/Up; Enter opens the current case.

    Its model is the display mirror; an index of QueueModel (the same row and column) is
    taken for the mirror's, so that callers holding QueueModel's indexes keep working.
    """

    activated_by_key = Signal()
    painted = Signal()  # after each paint of the rows

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()

    def _own(
        self, index: QModelIndex | QPersistentModelIndex
    ) -> QModelIndex | QPersistentModelIndex:
        model = self.model()
        if index.isValid() and model is not None and index.model() is not model:
            return model.index(index.row(), index.column())
        return index

    def visualRect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:
        return super().visualRect(self._own(index))

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        super().scrollTo(self._own(index), hint)

    def setCurrentIndex(self, index: QModelIndex | QPersistentModelIndex) -> None:
        super().setCurrentIndex(self._own(index))

    def settle(self) -> None:
        """Lay out the rows just added now, not on the timer that fires after the next
        paint: that layout repaints the whole table a second time."""
        self.executeDelayedItemsLayout()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            if key == Qt.Key.Key_J:
                self._step(1)
                return
            if key == Qt.Key.Key_K:
                self._step(-1)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activated_by_key.emit()
                return
        super().keyPressEvent(event)

    def _step(self, delta: int) -> None:
        model = self.model()
        current = self.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        if 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, max(0, current.column())))
        elif row >= model.rowCount() and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())


class QueueView(QWidget):
    """Tabs with counts, filter bar, search box and the queue table."""

    case_selected = Signal(str)  # the reviewer chose a case (click, keys, next/previous)
    case_activated = Signal(str)  # Enter or double-click: open it and go to work on it
    tab_changed = Signal(str)
    counts_changed = Signal(dict)
    error_occurred = Signal(object)
    collapse_requested = Signal()  # the « button: give the case the width

    SEVERITY_CHOICES = (
        (QT_TRANSLATE_NOOP("QueueView", "全部发现"), 0),
        (QT_TRANSLATE_NOOP("QueueView", "有错误"), 3),
        (QT_TRANSLATE_NOOP("QueueView", "警告及以上"), 2),
        (QT_TRANSLATE_NOOP("QueueView", "有任何发现"), 1),
    )

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._counts: dict[str, int] = {}
        self._counts_generation = Generation()
        self._schools_generation = Generation()
        self._last_emitted: str | None = None
        # The row the reviewer moved to, not opened yet (SELECT_DEBOUNCE_MS): a refresh
        # arriving meanwhile keeps the reviewer there, not on the case opened before.
        self._pending: str | None = None
        self._advance_after_fetch = 0
        # Rows going away under the case shown (it was decided: 提交 keeps the reviewer on
        # it) must not move the selection to a neighbour and open that one.
        self._holding_selection = False
        # Where the case shown was before its row went: J/K continue from there.
        self._anchor_row: int | None = None
        self._reveal: str | None = None  # select this case once a refresh lists it
        self._focus_results = False  # Enter in the search box: select the first result
        self.model = QueueModel(workbench, tasks, self)
        # The table paints from this mirror of the model's rows (items in C++).
        self.display = _QueueDisplay(self.model, self)

        self.tabs = QTabBar(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setDrawBase(False)
        for tab in TABS:
            index = self.tabs.addTab(tab_title(tab))
            self.tabs.setTabData(index, tab)

        self.kind_box = QComboBox(self)
        self.kind_box.addItem(self.tr("全部类型"), None)
        for kind in KIND_TITLES:
            self.kind_box.addItem(kind_title(kind), kind)
        self.school_box = QComboBox(self)
        self.school_box.addItem(self.tr("全部学校"), None)
        self.school_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.school_box.setMinimumContentsLength(6)
        self.severity_box = QComboBox(self)
        for label, value in self.SEVERITY_CHOICES:
            self.severity_box.addItem(self.tr(label), value)
        self.waiting_box = QSpinBox(self)
        self.waiting_box.setRange(0, 365)
        self.waiting_box.setPrefix(self.tr("等待 ≥ "))
        self.waiting_box.setSuffix(self.tr(" 天"))
        self.waiting_box.setSpecialValueText(self.tr("等待时长不限"))
        self.search_box = QLineEdit(self)
        self.search_box.setMaxLength(MAX_SEARCH)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            self.tr("搜索 姓名 / 身份证号（或末 4 位）/ 案件编号  (Ctrl+F)")
        )
        self.search_box.setToolTip(self.tr("回车或 ↓：到搜索结果"))
        self.search_box.setMinimumWidth(160)
        self.search_box.installEventFilter(self)
        self.collapse_button = QToolButton(self)
        self.collapse_button.setObjectName("collapseQueue")
        self.collapse_button.setText("«")
        self.collapse_button.setAutoRaise(True)
        self.collapse_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.collapse_button.setToolTip(self.tr("收起队列，给案件更多宽度（Ctrl+B）"))
        self.collapse_button.clicked.connect(self.collapse_requested)

        self.table = _QueueTable(self)
        self.table.setModel(self.display)
        self.display.set_on_screen(self._rows_on_screen)
        self.table.painted.connect(self.display.table_painted)
        self.table.setItemDelegateForColumn(
            QueueModel.COL_FINDINGS, SeverityDelegate(self.model.row_at, self.table)
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(QueueModel.COL_SUBMITTED, Qt.SortOrder.AscendingOrder)
        # The scroll bar is always there: one that appears with the first page narrows the
        # viewport, and the last column stretching back repaints the whole table again.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.fontMetrics()
        han = metrics.horizontalAdvance("汉")
        for column, width in (
            (QueueModel.COL_CASE_NO, metrics.horizontalAdvance("202636010200001") + 16),
            (QueueModel.COL_KIND, han * 4 + 12),
            (
                QueueModel.COL_STUDENT,
                metrics.horizontalAdvance("欧阳子涵  360102********123X") + 12,
            ),
            (QueueModel.COL_SCHOOL, han * 10),
            (QueueModel.COL_SUBMITTED, metrics.horizontalAdvance("2026-06-01 08:00") + 16),
            # Three-digit days (a season's oldest case, or a queue carried over) in full.
            (QueueModel.COL_WAITING, metrics.horizontalAdvance(format_waiting(_LONG_WAIT)) + 12),
            (QueueModel.COL_FINDINGS, metrics.horizontalAdvance("错误 12") + 28),
            (QueueModel.COL_STATUS, han * 3 + 12),
            (QueueModel.COL_HOLDER, metrics.horizontalAdvance("zhang.jian") + 12),
        ):
            header.resizeSection(column, width)
        self.default_header_state = QByteArray()
        for visual, logical in enumerate(QueueModel.VISUAL_ORDER):
            header.moveSection(header.visualIndex(logical), visual)
        self.default_header_state = header.saveState()

        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #80868b;")
        self.empty_label.hide()

        # Two short rows rather than one long one: the queue pane stays narrow enough to
        # leave the case its room.
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 2)
        top.setSpacing(6)
        top.addWidget(self.search_box, 1)
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 2, 6, 4)
        filters.setSpacing(6)
        for w in (self.kind_box, self.school_box, self.severity_box):
            w.setMinimumWidth(60)
            filters.addWidget(w, 1)
        self.waiting_box.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(self.waiting_box.specialValueText()) + 40
        )
        filters.addWidget(self.waiting_box)
        tab_row = QHBoxLayout()
        tab_row.setContentsMargins(0, 0, 2, 0)
        tab_row.setSpacing(0)
        tab_row.addWidget(self.tabs, 1)
        tab_row.addWidget(self.collapse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(tab_row)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self._select_timer = QTimer(self)
        self._select_timer.setSingleShot(True)
        self._select_timer.setInterval(SELECT_DEBOUNCE_MS)
        self._select_timer.timeout.connect(self._emit_current)
        self._blank_timer = QTimer(self)
        self._blank_timer.setSingleShot(True)
        self._blank_timer.setInterval(BLANK_AFTER_MS)
        self._blank_timer.timeout.connect(self._thaw)

        self.tabs.currentChanged.connect(self._tab_clicked)
        self.kind_box.currentIndexChanged.connect(self._apply_filters)
        self.school_box.currentIndexChanged.connect(self._apply_filters)
        self.severity_box.currentIndexChanged.connect(self._apply_filters)
        self.waiting_box.valueChanged.connect(self._apply_filters)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._search_now)
        self.table.selectionModel().currentRowChanged.connect(self._current_moved)
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(self._activate)
        self.table.activated_by_key.connect(self._activate)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.refreshed.connect(self._refreshed)
        self.model.rowsAboutToBeRemoved.connect(self._rows_going)
        self.model.modelAboutToBeReset.connect(self._about_to_reset)
        self.model.modelReset.connect(self._model_reset)
        QWidget.setTabOrder(self.search_box, self.table)
        self.model.load_failed.connect(self._thaw)
        self.model.load_failed.connect(self.error_occurred)

        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.find_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.find_shortcut.activated.connect(self.focus_search)
        self.table.viewport().installEventFilter(self)
        # Results still on their way when the view is gone are dropped, not delivered to a
        # deleted widget (the lambda holds the tokens, not the view).
        generations = (self._counts_generation, self._schools_generation, self.model._generation)
        self.destroyed.connect(lambda *_: [g.advance() for g in generations])

    # --- public --------------------------------------------------------------

    def start(self, tab: str = "pending") -> None:
        """Show ``tab`` and load the schools for the filter bar."""
        self._load_schools()
        self.set_tab(tab)

    @property
    def current_tab(self) -> str:
        return str(self.tabs.tabData(self.tabs.currentIndex()))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def set_tab(self, tab: str) -> None:
        index = TABS.index(tab)
        if self.tabs.currentIndex() != index:
            self.tabs.setCurrentIndex(index)  # → _tab_clicked
        else:
            self._tab_clicked(index)

    def current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.case_id if row is not None else None

    def first_picture_of(self, case_id: str) -> str | None:
        """The picture ``case_id`` opens on, as its queue row knows it (None if unknown)."""
        row = self.model.row_at(self.model.row_of(case_id))
        return row.first_picture if row is not None else None

    def next_case_id(self) -> str | None:
        """The case after the current one (what J would open next), if loaded."""
        current = self.table.currentIndex()
        if current.isValid():
            index = current.row() + 1
        else:
            index = self._anchor_row if self._anchor_row is not None else 0
        row = self.model.row_at(index)
        return row.case_id if row is not None else None

    def reveal_case(self, case_id: str) -> None:
        """Select ``case_id`` (without opening it again) as soon as the rows list it."""
        if self.model.row_of(case_id) >= 0:
            self._select_quietly(case_id)
        else:
            self._reveal = case_id

    def focus_results(self) -> None:
        """From the search box to the results: focus the table on its first row (opened)."""
        self._focus_results = False
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.display.index(0, 0))
            self._emit_current()

    def select_case(self, case_id: str) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.display.index(row, 0))
        return True

    def select_next(self) -> bool:
        """The next case (J); False when the queue has none after this one."""
        return self._step(1)

    def select_previous(self) -> bool:
        """The previous case (K); False at the top of the queue."""
        return self._step(-1)

    def refresh(self) -> None:
        """Re-read the loaded rows and the counts (after a decision was saved)."""
        self.model.refresh()
        self.refresh_counts()

    def reload(self) -> None:
        self.model.reload()
        self.refresh_counts()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def filters(self) -> QueueFilters:
        return QueueFilters(
            kind=self.kind_box.currentData(),
            school=self.school_box.currentData(),
            search=self.search_box.text().strip() or None,
            min_severity=int(self.severity_box.currentData() or 0),
            waiting_days=self.waiting_box.value() or None,
        )

    def refresh_counts(self) -> None:
        self._counts_generation.advance()
        wb, filters = self._workbench, self.filters()
        self._tasks.run(
            lambda: wb.queue_counts(filters),
            self._counts_arrived,
            self.error_occurred.emit,
            generation=self._counts_generation,
        )

    # --- internals -----------------------------------------------------------

    def _step(self, delta: int) -> bool:
        current = self.table.currentIndex()
        if current.isValid():
            row = current.row() + delta
        elif self._anchor_row is not None:
            # The case shown left this tab (decided): its successor took its row.
            row = self._anchor_row if delta > 0 else self._anchor_row - 1
        else:
            row = 0
        if 0 <= row < self.model.rowCount():
            self._anchor_row = None
            self.table.setCurrentIndex(self.display.index(row, 0))
            self._emit_current()
            return True
        if row >= self.model.rowCount() and (
            self.model.canFetchMore(QModelIndex()) or self.model.is_loading
        ):
            self._advance_after_fetch = delta
            if self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())
            return True
        return False

    def _page_loaded(self, added: int) -> None:
        self.table.settle()
        self._thaw()
        self._holding_selection = False
        self._update_empty_label()
        if self._reveal is not None and self.model.row_of(self._reveal) >= 0:
            self._select_quietly(self._reveal)
        elif self._stay_on_pending():
            pass
        elif (
            self._last_emitted is not None
            and not self.table.currentIndex().isValid()
            and self.model.row_of(self._last_emitted) >= 0
        ):
            self._select_quietly(self._last_emitted)  # F5: the case shown stays selected
            self._anchor_row = None
        if self._focus_results and not self.model.is_loading:
            self.focus_results()
        if self._advance_after_fetch and added:
            self._advance_after_fetch = 0
            self._step(1)

    def _rows_going(self, *_args: Any) -> None:
        # Called before rows are removed (or the model reset): note where the case shown
        # is and keep the selection model from opening a neighbour meanwhile.
        if self._last_emitted is None:
            return
        row = self.model.row_of(self._last_emitted)
        if row >= 0:
            self._anchor_row = row
        self._holding_selection = True

    def _stay_on_pending(self) -> bool:
        """After new rows: if the reviewer had moved to a row that has not opened yet and
        it is still listed, make it current again (it opens when the timer fires)."""
        pending = self._pending if self._select_timer.isActive() else None
        row = self.model.row_of(pending) if pending is not None else -1
        if row < 0:
            return False
        if self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.display.index(row, 0))  # restarts the timer
        self._anchor_row = None
        return True

    def _refreshed(self) -> None:
        holding, self._holding_selection = self._holding_selection, False
        if self._stay_on_pending():
            return
        shown = self._last_emitted
        if self._reveal is not None and self.model.row_of(self._reveal) >= 0:
            shown = self._reveal
        if shown is not None and self.model.row_of(shown) >= 0:
            self._select_quietly(shown)
            self._anchor_row = None
        elif holding:
            # The case shown is no longer in this tab: nothing selected, J/K go on from
            # where it was.
            self._select_timer.stop()
            self.table.selectionModel().clearCurrentIndex()
            self.table.clearSelection()

    def _select_quietly(self, case_id: str) -> None:
        """Make ``case_id``'s row current without opening it (it is the case shown)."""
        row = self.model.row_of(case_id)
        if row < 0:
            return
        self._reveal = None
        self._last_emitted = case_id  # so the selection, once settled, opens nothing
        index = self.display.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _about_to_reset(self) -> None:
        self._rows_going()
        # Before the reset asks for a repaint: a repaint asked for while updates were on is
        # still delivered after they are turned off (an empty table painted, its scroll bar
        # and header too, while the first page waits to be shown).
        self._freeze()

    def _model_reset(self) -> None:
        if self.model.rowCount():
            self._thaw()  # the rows came with the reset (a re-sorted refresh)
        else:
            # A new query: its first page is on its way, usually in a few milliseconds.
            # Painting the table empty meanwhile would only flash 正在加载… and hold the
            # first page up behind that paint: the table shows what it showed until the
            # page comes (or BLANK_AFTER_MS passed).
            # It starts at the top. Left to the table's delayed layout, the scroll bar
            # might keep the old position until the first page came: scrolled to its end,
            # which asks for the next page at once.
            self.table.scrollToTop()
        self.table.settle()
        self._update_empty_label()

    def _freeze(self) -> None:
        # The whole table, not only its rows: its scroll bar and header repainting for the
        # moment it has no rows cost a repaint of the window (flushed to the screen) while
        # the first page waited to be delivered.
        table = self.table
        if table.isVisible() and table.updatesEnabled():
            table.setUpdatesEnabled(False)
            self._blank_timer.start()

    def _thaw(self, *_args: Any) -> None:
        self._blank_timer.stop()
        if not self.table.updatesEnabled():
            self.table.setUpdatesEnabled(True)  # and repaints it whole

    def _rows_on_screen(self) -> tuple[int, int] | None:
        """The rows the table shows (first, how many); None when it is not on screen."""
        table = self.table
        if not table.isVisible():
            return None
        row_height = max(1, table.verticalHeader().defaultSectionSize())
        return max(0, table.rowAt(0)), table.viewport().height() // row_height + 1

    def _update_empty_label(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_label.setText(
                self.tr("正在加载…") if self.model.is_loading else self.tr("没有符合条件的案件")
            )
            self.empty_label.resize(self.table.viewport().size())
        self.empty_label.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.resize(self.table.viewport().size())
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self._search_now()
            return True
        return super().eventFilter(watched, event)

    def _tab_clicked(self, index: int) -> None:
        tab = str(self.tabs.tabData(index))
        self._last_emitted = None
        self._anchor_row = None
        self.model.set_tab(tab)
        self._update_empty_label()
        self.tab_changed.emit(tab)

    def _search_now(self) -> None:
        """Enter (or ↓) in the search box: search now and go to the results."""
        self._search_timer.stop()
        self._focus_results = True
        self._apply_filters()
        if not self.model.is_loading:
            self.focus_results()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        filters = self.filters()
        if filters == self.model.filters:
            return
        self._last_emitted = None
        self._anchor_row = None
        self.model.set_filters(filters)
        self._update_empty_label()
        self.refresh_counts()

    def _counts_arrived(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        for i, tab in enumerate(TABS):
            n = counts.get(tab)
            self.tabs.setTabText(i, f"{tab_title(tab)} {n}" if n is not None else tab_title(tab))
        self.counts_changed.emit(dict(counts))

    def _load_schools(self) -> None:
        wb = self._workbench
        self._tasks.run(
            wb.schools,
            self._schools_arrived,
            self.error_occurred.emit,
            generation=self._schools_generation,
        )

    def _schools_arrived(self, schools: Sequence[str]) -> None:
        current = self.school_box.currentData()
        self.school_box.blockSignals(True)
        self.school_box.clear()
        self.school_box.addItem(self.tr("全部学校"), None)
        for name in schools:
            self.school_box.addItem(name, name)
        if current:
            self.school_box.setCurrentIndex(max(0, self.school_box.findData(current)))
        self.school_box.blockSignals(False)

    def _current_moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Holding J or Down flies over rows: open only the one the reviewer stops on.
        if self._holding_selection:
            return
        if current.isValid():
            self._anchor_row = None
            self._pending = self.current_case_id()
            self._select_timer.start()

    def _emit_current(self, force: bool = False) -> None:
        self._select_timer.stop()
        self._pending = None
        case_id = self.current_case_id()
        if case_id and (force or case_id != self._last_emitted):
            self._last_emitted = case_id
            self.case_selected.emit(case_id)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._emit_current(force=True)

    def _activate(self, *_args: Any) -> None:
        self._emit_current()
        case_id = self.current_case_id()
        if case_id:
            self.case_activated.emit(case_id)

    def key_columns_width(self, columns: int = 4) -> int:
        """The width that shows the first ``columns`` columns whole: 案件编号, 学生, 发现,
        状态 (and 处理人 with 5)."""
        header = self.table.horizontalHeader()
        shown = QueueModel.VISUAL_ORDER[:columns]
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return sum(header.sectionSize(c) for c in shown) + bar + 2 * self.table.frameWidth() + 4

    def header_state(self) -> bytes:
        return bytes(self.table.horizontalHeader().saveState().data())

    def restore_header_state(self, state: Any) -> None:
        if state:
            self.table.horizontalHeader().restoreState(state)
