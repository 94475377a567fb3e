"""督导台: how the district's review season stands, for supervisors and admins.

A summary strip (open cases, the oldest wait, days to the review deadline, outcome rates,
claim-to-decision median, conflicts and quarantined items), then three tabs: 积压
(backlog by school and the exact groups), 审核人 (throughput per reviewer and per day),
结论与理由 (outcomes and the reasons given). The numbers are read by
:meth:`Workbench.desk_numbers` on the db lane; the dialog only lays them out, and reads
them again every minute while it is open (or on 刷新 / F5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.notices.printing import CHINA_TZ
from app.review.desk import OUTCOMES, DeskNumbers, ReviewerLine
from app.workbench import Workbench
from ui.desk.charts import BarChart, DayColumns
from ui.desk.exports import DeskExports
from ui.desk.steering import SteeringPanel
from ui.shell import labels
from ui.shell.screen_fit import fit_window
from ui.shell.tables import KeyRole, fill, read_only_table
from ui.shell.tasks import Generation, TaskManager

CONTEXT = "DeskDialog"
REFRESH_MS = 60_000
LATE_COLOUR = "#b71c1c"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def duration_text(span: dt.timedelta | None) -> str:
    """``2小时05分`` / ``3天4小时`` / ``—``."""
    if span is None:
        return "—"
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return _tr("不到 1 分钟")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _tr("%1天%2小时").replace("%1", str(days)).replace("%2", str(hours))
    return _tr("%1小时%2分").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")


def deadline_text(days_left: int | None, deadline: dt.date | None) -> str:
    if days_left is None or deadline is None:
        return _tr("未设定")
    if days_left < 0:
        return _tr("已逾期 %1 天（%2）").replace("%1", str(-days_left)).replace("%2", f"{deadline}")
    if days_left == 0:
        return _tr("今天截止（%1）").replace("%1", f"{deadline}")
    return _tr("还剩 %1 天（%2）").replace("%1", str(days_left)).replace("%2", f"{deadline}")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


class _Card(QFrame):
    """One figure of the summary strip: a small title above a large value."""

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("color:#616161;")
        self.value = QLabel("—", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel("", self)
        self.detail.setStyleSheet("color:#616161;")
        for label in (self.title, self.value, self.detail):
            layout.addWidget(label)

    def show_value(self, value: str, detail: str = "", *, late: bool = False) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color:{LATE_COLOUR};" if late else "")
        self.detail.setText(detail)
        self.detail.setToolTip(detail)


class DeskDialog(QDialog):
    """The supervisor desk (non-modal)."""

    loaded = Signal()  # the numbers shown were read again
    load_failed = Signal(str)

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._generation = Generation()
        self.numbers: DeskNumbers | None = None
        self._loading = False
        self.setWindowTitle(self.tr("督导台"))
        self.setObjectName("deskDialog")

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.as_of_label = QLabel(self.tr("正在读取…"), self)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.refresh_button.setToolTip(self.tr("重新统计（F5）；打开时每分钟自动刷新"))
        self.refresh_button.clicked.connect(self.reload)
        self.exports = DeskExports(workbench, tasks, self)
        self.exports.message.connect(self._show_export_message)
        self.export_decisions_button = QPushButton(self.tr("导出结论…"), self)
        self.export_decisions_button.setToolTip(
            self.tr("一段时间内已审结的案件（每轮一行）存为 Excel 或 CSV，报送市平台")
        )
        self.export_decisions_button.clicked.connect(self.exports.ask_decisions)
        self.export_backlog_button = QPushButton(self.tr("导出积压…"), self)
        self.export_backlog_button.clicked.connect(self.exports.ask_backlog)
        top.addWidget(self.as_of_label, 1)
        top.addWidget(self.export_decisions_button)
        top.addWidget(self.export_backlog_button)
        top.addWidget(self.refresh_button)
        outer.addLayout(top)

        cards = QGridLayout()
        self.open_card = _Card(self.tr("待办案件"), self)
        self.oldest_card = _Card(self.tr("最久等待"), self)
        self.deadline_card = _Card(self.tr("距审核截止"), self)
        self.rates_card = _Card(self.tr("通过 / 不通过 / 退回"), self)
        self.median_card = _Card(self.tr("认领到决定（中位数）"), self)
        self.waiting_card = _Card(self.tr("冲突 / 隔离"), self)
        for i, card in enumerate(
            (
                self.open_card,
                self.oldest_card,
                self.deadline_card,
                self.rates_card,
                self.median_card,
                self.waiting_card,
            )
        ):
            cards.addWidget(card, i // 3, i % 3)
        outer.addLayout(cards)

        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs, 1)

        # 积压: by school (chart) and the exact groups (table).
        backlog = QSplitter(Qt.Orientation.Horizontal, self)
        self.school_chart = BarChart(backlog)
        chart_scroll = QScrollArea(backlog)
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.school_chart)
        chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.backlog_table = read_only_table(
            [
                self.tr("区"),
                self.tr("学校"),
                self.tr("类型"),
                self.tr("状态"),
                self.tr("案件数"),
                self.tr("最早提交"),
                self.tr("等待天数"),
                self.tr("审核截止"),
                self.tr("剩余天数"),
            ],
            backlog,
        )
        backlog.addWidget(chart_scroll)
        backlog.addWidget(self.backlog_table)
        backlog.setStretchFactor(0, 2)
        backlog.setStretchFactor(1, 3)
        self.tabs.addTab(backlog, self.tr("积压"))

        # 审核人: per reviewer (table) and per day (columns: all, or the selected reviewer).
        people = QWidget(self)
        people_layout = QVBoxLayout(people)
        self.reviewer_table = read_only_table(
            [
                self.tr("审核人"),
                self.tr("认领中"),
                self.tr("今日"),
                self.tr("近7日"),
                self.tr("本季合计"),
                self.tr("通过"),
                self.tr("不通过"),
                self.tr("退回补充"),
            ],
            people,
        )
        self.reviewer_table.itemSelectionChanged.connect(self._reviewer_chosen)
        below = QSplitter(Qt.Orientation.Horizontal, people)
        days = QWidget(below)
        days_layout = QVBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        self.days_title = QLabel(days)
        self.days_title.setWordWrap(True)
        self.day_chart = DayColumns(days)
        days_layout.addWidget(self.days_title)
        days_layout.addWidget(self.day_chart, 1)
        below.addWidget(days)
        # Steering is a supervisor's (the facade refuses admins and reviewers alike).
        self.steering: SteeringPanel | None = None
        if workbench.actor.role == "supervisor":
            self.steering = SteeringPanel(workbench, tasks, below)
            self.steering.changed.connect(self.reload)
            below.addWidget(self.steering)
            below.setStretchFactor(0, 3)
            below.setStretchFactor(1, 2)
        people_layout.addWidget(self.reviewer_table, 3)
        people_layout.addWidget(below, 2)
        self.tabs.addTab(people, self.tr("审核人"))

        # 结论与理由: outcomes (chart) and reasons (chart + table).
        reasons = QSplitter(Qt.Orientation.Horizontal, self)
        charts = QWidget(reasons)
        charts_layout = QVBoxLayout(charts)
        charts_layout.addWidget(QLabel(self.tr("结论"), charts))
        self.outcome_chart = BarChart(charts)
        charts_layout.addWidget(self.outcome_chart)
        charts_layout.addWidget(QLabel(self.tr("最常用的理由"), charts))
        self.reason_chart = BarChart(charts, max_bars=8)
        charts_layout.addWidget(self.reason_chart)
        charts_layout.addStretch(1)
        self.reason_table = read_only_table(
            [self.tr("类型"), self.tr("理由"), self.tr("次数"), self.tr("占比")],
            reasons,
        )
        reasons.addWidget(charts)
        reasons.addWidget(self.reason_table)
        reasons.setStretchFactor(0, 2)
        reasons.setStretchFactor(1, 3)
        self.tabs.addTab(reasons, self.tr("结论与理由"))

        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(f"color:{LATE_COLOUR};")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.export_label = QLabel(self)
        self.export_label.setWordWrap(True)
        self.export_label.hide()
        outer.addWidget(self.export_label)

        QShortcut(QKeySequence.StandardKey.Refresh, self, self.reload)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        fit_window(self, 1180, 760)

    # --- loading -------------------------------------------------------------

    def reload(self) -> None:
        """Read the numbers again on the db lane (a read already on its way is enough)."""
        if self._loading:
            return
        self._loading = True
        self.refresh_button.setEnabled(False)
        wb = self._workbench
        self._tasks.run(wb.desk_numbers, self._arrived, self._failed, generation=self._generation)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.timer.stop()
        super().hideEvent(event)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.refresh_button.setEnabled(True)
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        self.error_label.setText(
            self.tr("统计读取失败：%1。稍后自动重试，或按 刷新。").replace("%1", message)
        )
        self.error_label.show()
        self.load_failed.emit(message)

    def _arrived(self, numbers: DeskNumbers) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.error_label.hide()
        self.numbers = numbers
        self.as_of_label.setText(
            self.tr("统计截至 %1").replace(
                "%1", f"{numbers.as_of.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}"
            )
        )
        self._show_cards(numbers)
        self._show_backlog(numbers)
        self._show_reviewers(numbers)
        self._show_reasons(numbers)
        self.loaded.emit()

    def _show_export_message(self, text: str) -> None:
        self.export_label.setText(text)
        self.export_label.setToolTip(text)
        self.export_label.show()

    # --- laying out ----------------------------------------------------------

    def _show_cards(self, n: DeskNumbers) -> None:
        self.open_card.show_value(str(n.open_cases))
        oldest = n.oldest
        if oldest is None:
            self.oldest_card.show_value("—")
        else:
            self.oldest_card.show_value(
                self.tr("%1 天").replace("%1", str(oldest.oldest_days)),
                f"{oldest.district} · {oldest.school}",
            )
        nearest = n.nearest_deadline
        if nearest is None:
            self.deadline_card.show_value(
                "—" if not n.backlog else self.tr("未设定"),
                self.tr("招生政策未设定审核截止日期") if n.backlog else "",
            )
        else:
            days = nearest.days_left
            assert days is not None
            value = (
                self.tr("逾期 %1 天").replace("%1", str(-days))
                if days < 0
                else self.tr("%1 天").replace("%1", str(days))
            )
            self.deadline_card.show_value(value, f"{nearest.deadline}", late=days < 0)
        self.rates_card.show_value(
            " / ".join(_percent(n.rate(o)) for o in OUTCOMES),
            self.tr("共 %1 个决定").replace("%1", str(n.decided)),
        )
        self.median_card.show_value(duration_text(n.median_claim_to_decision))
        self.waiting_card.show_value(
            f"{n.conflicts} / {n.quarantined}",
            self.tr("待主管裁决 / 中心库拒收"),
            late=bool(n.conflicts or n.quarantined),
        )

    def _show_backlog(self, n: DeskNumbers) -> None:
        by_school = n.backlog_by("school")
        self.school_chart.set_bars(by_school, self.tr("没有待办案件"))
        rows: list[list[Any]] = []
        for line in n.backlog:
            rows.append(
                [
                    line.district,
                    line.school,
                    labels.kind_title(line.kind),
                    labels.status_title(line.status),
                    line.count,
                    f"{line.oldest_submitted_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}",
                    line.oldest_days,
                    deadline_text(line.days_left, line.deadline),
                    (line.days_left, str(line.days_left)) if line.days_left is not None else "—",
                ]
            )
        late = {
            (r, column)
            for r, line in enumerate(n.backlog)
            if line.days_left is not None and line.days_left < 0
            for column in (7, 8)
        }
        fill(self.backlog_table, rows, red=late)

    def _show_reviewers(self, n: DeskNumbers) -> None:
        selected = self._selected_reviewer()
        rows = [
            [
                line.reviewer + (self.tr("（已暂停）") if line.paused else ""),
                line.held,
                line.today,
                line.last_week,
                line.total,
                *(line.by_outcome.get(o, 0) for o in OUTCOMES),
            ]
            for line in n.reviewers
        ]
        fill(self.reviewer_table, rows, keys=[line.reviewer_id for line in n.reviewers])
        if selected is not None:
            for r in range(self.reviewer_table.rowCount()):
                item = self.reviewer_table.item(r, 0)
                if item is not None and item.data(KeyRole) == selected:
                    self.reviewer_table.selectRow(r)
        self._show_days()

    def _reviewer_chosen(self) -> None:
        self._show_days()
        if self.steering is None or self.numbers is None:
            return
        chosen = self._selected_reviewer()
        line = next((r for r in self.numbers.reviewers if r.reviewer_id == chosen), None)
        if line is None or not line.username:
            self.steering.set_person(None)
        else:
            self.steering.set_person(line.username, line.reviewer, line.paused)

    def _selected_reviewer(self) -> str | None:
        rows = self.reviewer_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.reviewer_table.item(rows[0].row(), 0)
        value = item.data(KeyRole) if item is not None else None
        return str(value) if value is not None else None

    def _show_days(self) -> None:
        n = self.numbers
        if n is None:
            return
        chosen = self._selected_reviewer()
        line: ReviewerLine | None = next((r for r in n.reviewers if r.reviewer_id == chosen), None)
        if line is None:
            per_day = [sum(r.per_day[i] for r in n.reviewers) for i in range(len(n.days))]
            self.days_title.setText(self.tr("近两周每日决定数（全部审核人；选中一行只看此人）"))
        else:
            per_day = list(line.per_day)
            self.days_title.setText(self.tr("近两周每日决定数：%1").replace("%1", line.reviewer))
        self.day_chart.set_days(
            [(f"{day.month}/{day.day}", count) for day, count in zip(n.days, per_day, strict=True)]
        )

    def _show_reasons(self, n: DeskNumbers) -> None:
        self.outcome_chart.set_bars(
            [(labels.outcome_title(o), n.outcomes.get(o, 0)) for o in OUTCOMES],
            self.tr("还没有决定"),
        )
        self.reason_chart.set_bars(
            [(labels.reason_title(r.code, r.wording), r.count) for r in n.reasons],
            self.tr("还没有用过理由"),
        )
        total = sum(r.count for r in n.reasons)
        fill(
            self.reason_table,
            [
                [
                    labels.kind_title(r.kind) if r.kind else self.tr("通用"),
                    labels.reason_title(r.code, r.wording),
                    r.count,
                    (r.count / total, _percent(r.count / total)),
                ]
                for r in n.reasons
            ],
        )


def open_desk(parent: QWidget | None, workbench: Workbench, tasks: TaskManager) -> DeskDialog:
    """Show the desk (non-modal) and start reading its numbers."""
    dialog = DeskDialog(workbench, tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.reload()
    return dialog
