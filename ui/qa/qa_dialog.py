"""抽查: QA sampling of approvals (issue 17).

Everyone sees 我的抽查 (their queue: approvals of others drawn for them to check, 同意 /
不同意 with a comment). Supervisors and admins also see 抽查 (draw: shares per kind from
the policy, an optional seed; the seed used is shown after) and 报告 (per approver);
supervisors see 分歧 (disagreements to uphold, 维持, or overturn, 改判, with a decision).
Every call goes through the task manager to the :class:`~app.workbench.Workbench`; a
refusal or a failure is shown in the dialog's message line, never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.notices.printing import CHINA_TZ
from app.review.qa import DrawResult, ReportLine, SampleView, SettleResult
from app.review.workflow import DecisionInput
from app.workbench import Workbench
from ui.case.decision_panel import refusal_text as decision_refusal_text
from ui.shell import labels
from ui.shell.screen_fit import fit_window
from ui.shell.tables import KeyRole, fill, read_only_table
from ui.shell.tasks import TaskManager

CONTEXT = "QaDialog"
ERROR_COLOUR = "#b71c1c"
KINDS = ("guardianship", "rural_house", "kinship")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


# WorkflowError.code -> what the 抽查 window says (the arbiter's own words otherwise).
QA_REFUSALS = {
    "offline": "无法连接中心库：抽查须联网进行，本次未作任何更改",
    "no_identity": "本机没有您在中心库的有效凭证：请联网后重新登录",
    "not_you": "本机没有您在中心库的有效凭证：请联网后重新登录",
    "paused": "您的账号已被主管暂停",
    "role": "您的角色无权进行此操作",
    "not_allowed": "中心库拒绝：您的账号无权在该区县进行此操作",
    "not_in_district": "该案件不属于本工作站负责的区县",
    "no_sample": "该案件未被抽中，或抽查记录尚未同步到本机",
    "not_assignee": "该抽查案件不是分配给您的",
    "verdict_given": "您已对该案件给出复查意见",
    "not_standing": "被抽查的通过决定已不再有效",
    "comment_required": "不同意时须填写理由",
    "no_disagreement": "该案件没有待处理的抽查分歧",
    "settled": "该分歧已处理",
    "four_eyes": "四眼原则：不能处理对自己所作通过决定的分歧",
    "outcome": "改判须选择不通过或退回补充；要保留原决定请选「维持」",
    "decision_required": "改判须选择新的结论",
    "seed": "随机种子无效：请使用字母和数字，最多 128 个字符",
    "percent": "抽查比例无效：须在 0 到 100 之间",
    "text_too_long": "意见过长：最多 2,000 字",
    "text": "意见中含有无法保存的控制字符，请删除后重试",
}


# What the workflow's check of an overturn's decision refuses (Workflow.validate): said as
# the decision panel says it. Its comment_required is "其他 needs a comment", not 抽查's.
DECISION_CODES = frozenset(
    {
        "reason_required",
        "reason_unknown",
        "reason_on_approve",
        "comment_required",
        "missing_required",
        "missing_unknown",
        "verdict",
    }
)


def refusal_text(error: BaseException, *, deciding: bool = False) -> str:
    """What the window says about a failed action (``deciding``: an overturn, whose
    decision the workflow checked)."""
    code = str(getattr(error, "code", ""))
    if deciding and code in DECISION_CODES:
        return decision_refusal_text(error) or str(error)
    template = QA_REFUSALS.get(code)
    if template is not None:
        return _tr(template)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return _tr("操作未完成：%1").replace("%1", message)


def _fill(table: QTableWidget, rows: list[list[str]], keys: list[str]) -> None:
    """Rows of text; ``keys[r]`` (a decision id) rides on the row's first cell."""
    fill(table, rows, keys=keys)


def _when(sample: SampleView) -> str:
    return f"{sample.approved_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


class QaDialog(QDialog):
    """The 抽查 window (non-modal)."""

    loaded = Signal()  # a list or the report was read again
    report_exported = Signal(object)  # the file written
    failed = Signal(str)  # a call was refused or failed: the message shown
    drawn = Signal(object)  # DrawResult
    verdict_given = Signal(str)  # case number
    settled = Signal(object)  # SettleResult
    case_requested = Signal(str)  # case id: the main window opens it

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self.mine: list[SampleView] = []
        self.disputes: list[SampleView] = []
        self.report: list[ReportLine] = []
        self.last_draw: DrawResult | None = None
        self.setWindowTitle(self.tr("抽查"))
        self.setObjectName("qaDialog")
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs, 1)

        # 我的抽查
        mine = QWidget(self)
        layout = QVBoxLayout(mine)
        layout.addWidget(QLabel(self.tr("他人通过的案件，抽给您复查（双击打开案件）："), mine))
        self.mine_table = read_only_table(
            [
                self.tr("案件编号"),
                self.tr("类型"),
                self.tr("学校"),
                self.tr("审核人"),
                self.tr("通过时间"),
            ],
            mine,
            single=True,
        )
        self.mine_table.cellDoubleClicked.connect(lambda row, _c: self._open_row(self.mine, row))
        layout.addWidget(self.mine_table, 1)
        self.verdict_comment = QPlainTextEdit(mine)
        self.verdict_comment.setPlaceholderText(self.tr("意见（不同意时必填）"))
        self.verdict_comment.setMaximumHeight(80)
        layout.addWidget(self.verdict_comment)
        buttons = QHBoxLayout()
        self.agree_button = QPushButton(self.tr("同意"), mine)
        self.disagree_button = QPushButton(self.tr("不同意"), mine)
        self.agree_button.clicked.connect(lambda: self.give_verdict(True))
        self.disagree_button.clicked.connect(lambda: self.give_verdict(False))
        buttons.addStretch(1)
        buttons.addWidget(self.agree_button)
        buttons.addWidget(self.disagree_button)
        layout.addLayout(buttons)
        self.tabs.addTab(mine, self.tr("我的抽查"))

        self.percent_boxes: dict[str, QDoubleSpinBox] = {}
        self.draw_tab: QWidget | None = None
        self.disputes_tab: QWidget | None = None
        self.report_tab: QWidget | None = None
        if workbench.can_draw_qa:
            self._build_draw()
        if workbench.can_settle_qa:
            self._build_disputes()
        if workbench.can_draw_qa:
            self._build_report()

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        fit_window(self, 980, 640)

    # --- building ------------------------------------------------------------

    def _build_draw(self) -> None:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        for kind in KINDS:
            box = QDoubleSpinBox(tab)
            box.setRange(0.0, 100.0)
            box.setDecimals(1)
            box.setSuffix(" %")
            self.percent_boxes[kind] = box
            form.addRow(labels.kind_title(kind), box)
        self.seed_edit = QLineEdit(tab)
        self.seed_edit.setMaxLength(128)
        self.seed_edit.setPlaceholderText(self.tr("留空则自动生成；填写以前的种子可复现抽取"))
        form.addRow(self.tr("种子"), self.seed_edit)
        layout.addLayout(form)
        self.draw_button = QPushButton(self.tr("抽取"), tab)
        self.draw_button.clicked.connect(self.draw)
        layout.addWidget(self.draw_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.draw_result = QLabel(tab)
        self.draw_result.setWordWrap(True)
        self.draw_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.draw_result)
        layout.addStretch(1)
        self.draw_tab = tab
        self.tabs.addTab(tab, self.tr("抽查"))

    def _build_disputes(self) -> None:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.dispute_table = read_only_table(
            [
                self.tr("案件编号"),
                self.tr("类型"),
                self.tr("审核人"),
                self.tr("抽查人"),
                self.tr("抽查意见"),
            ],
            tab,
            single=True,
        )
        self.dispute_table.cellDoubleClicked.connect(
            lambda row, _c: self._open_row(self.disputes, row)
        )
        self.dispute_table.itemSelectionChanged.connect(self._dispute_selected)
        layout.addWidget(self.dispute_table, 1)
        self.uphold_button = QPushButton(self.tr("维持（原通过结论有效）"), tab)
        self.uphold_button.clicked.connect(lambda: self.settle(False))
        layout.addWidget(self.uphold_button, 0, Qt.AlignmentFlag.AlignLeft)
        box = QGroupBox(self.tr("改判：以主管的结论取代原通过结论"), tab)
        form = QFormLayout(box)
        self.outcome_combo = QComboBox(box)
        self.outcome_combo.addItem(self.tr("不通过"), "reject")
        self.outcome_combo.addItem(self.tr("退回补充"), "return")
        form.addRow(self.tr("结论"), self.outcome_combo)
        self.reason_list = QListWidget(box)
        self.reason_list.setMaximumHeight(110)
        form.addRow(self.tr("理由"), self.reason_list)
        self.missing_list = QListWidget(box)
        self.missing_list.setMaximumHeight(90)
        form.addRow(self.tr("缺少材料"), self.missing_list)
        self.settle_comment = QLineEdit(box)
        self.settle_comment.setMaxLength(2000)
        form.addRow(self.tr("说明"), self.settle_comment)
        self.overturn_button = QPushButton(self.tr("改判"), box)
        self.overturn_button.clicked.connect(lambda: self.settle(True))
        form.addRow("", self.overturn_button)
        layout.addWidget(box)
        self.disputes_tab = tab
        self.tabs.addTab(tab, self.tr("分歧"))

    def _build_report(self) -> None:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.report_table = read_only_table(
            [
                self.tr("审核人"),
                self.tr("通过"),
                self.tr("被抽查"),
                self.tr("已复查"),
                self.tr("同意"),
                self.tr("不同意"),
                self.tr("分歧率"),
                self.tr("被改判"),
            ],
            tab,
            single=True,
        )
        layout.addWidget(self.report_table)
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_report_button = QPushButton(self.tr("导出报告…"), tab)
        self.export_report_button.setToolTip(self.tr("把分歧报告存为 Excel 或 CSV"))
        self.export_report_button.clicked.connect(lambda: self.export_report())
        row.addWidget(self.export_report_button)
        layout.addLayout(row)
        self.report_tab = tab
        self.tabs.addTab(tab, self.tr("报告"))

    def export_report(self, path: Path | None = None) -> None:
        """Write the report as it is now to ``path`` (asked for when None) on the db lane."""
        if path is None:
            suggested = str(Path.home() / "抽查报告.xlsx")
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("导出报告"), suggested, "Excel (*.xlsx);;CSV (*.csv)"
            )
            if not chosen:
                return
            path = Path(chosen)
        target = path if path.suffix else path.with_suffix(".xlsx")
        wb = self._workbench

        def done(rows: int) -> None:
            self._say(
                self.tr("已导出 %1 位审核人的报告到 %2")
                .replace("%1", str(rows))
                .replace("%2", str(target))
            )
            self.report_exported.emit(target)

        self._call(lambda: wb.export_qa_report(target), done)

    # --- calls -----------------------------------------------------------------

    def _call(
        self, fn: Callable[[], Any], done: Callable[[Any], None], *, deciding: bool = False
    ) -> None:
        def arrived(result: Any) -> None:
            if shiboken6.isValid(self):
                done(result)

        self._tasks.run(fn, arrived, lambda error: self._failed(error, deciding=deciding))

    def _failed(self, error: BaseException, *, deciding: bool = False) -> None:
        if not shiboken6.isValid(self):
            return
        message = refusal_text(error, deciding=deciding)
        self._say(message, error=True)
        self.failed.emit(message)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color:{ERROR_COLOUR};" if error else "")
        self.message.setText(text)
        self.message.show()

    def reload(self) -> None:
        """Read the queue (and the supervisor's lists) again."""
        wb = self._workbench

        def read() -> tuple[Any, ...]:
            mine = wb.qa_my_samples()
            disputes = wb.qa_disagreements() if wb.can_settle_qa else []
            report = wb.qa_report() if wb.can_draw_qa else []
            defaults = wb.qa_default_percents() if wb.can_draw_qa else {}
            return mine, disputes, report, defaults

        self._call(read, self._arrived)

    def _arrived(self, result: tuple[Any, ...]) -> None:
        mine, disputes, report, defaults = result
        self.mine, self.disputes, self.report = mine, disputes, report
        _fill(
            self.mine_table,
            [[s.case_no, labels.kind_title(s.kind), s.school, s.approver, _when(s)] for s in mine],
            [s.decision_id for s in mine],
        )
        self.tabs.setTabText(0, self.tr("我的抽查（%1）").replace("%1", str(len(mine))))
        if self.disputes_tab is not None:
            _fill(
                self.dispute_table,
                [
                    [
                        s.case_no,
                        labels.kind_title(s.kind),
                        s.approver,
                        s.assigned_to or "—",
                        s.comment or "",
                    ]
                    for s in disputes
                ],
                [s.decision_id for s in disputes],
            )
        if self.report_tab is not None:
            _fill(
                self.report_table,
                [
                    [
                        line.reviewer,
                        str(line.approvals),
                        str(line.sampled),
                        str(line.verdicts),
                        str(line.agreed),
                        str(line.disagreed),
                        "—"
                        if line.disagreement_rate is None
                        else f"{line.disagreement_rate * 100:.1f}%",
                        str(line.overturned),
                    ]
                    for line in report
                ],
                [line.reviewer_id for line in report],
            )
        if defaults and self.last_draw is None:
            for kind, box in self.percent_boxes.items():
                box.setValue(float(defaults.get(kind, box.value())))
        self.loaded.emit()

    def _selected(self, table: QTableWidget) -> str | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        return str(item.data(KeyRole)) if item is not None else None

    def _open_row(self, samples: list[SampleView], row: int) -> None:
        if 0 <= row < len(samples):
            self.case_requested.emit(samples[row].case_id)

    def draw(self) -> None:
        wb = self._workbench
        percent = {kind: box.value() for kind, box in self.percent_boxes.items()}
        seed = self.seed_edit.text().strip() or None
        self.draw_button.setEnabled(False)

        def done(result: DrawResult) -> None:
            self.draw_button.setEnabled(True)
            self.last_draw = result
            self.seed_edit.setText(result.seed)
            text = (
                self.tr("已抽取 %1 件（共 %2 件通过案件参与抽取）。种子：%3")
                .replace("%1", str(len(result.drawn)))
                .replace("%2", str(result.considered))
                .replace("%3", result.seed)
            )
            if result.unassigned:
                text += "\n" + self.tr("无其他审核员可分配：%1").replace(
                    "%1", "、".join(result.unassigned)
                )
            self.draw_result.setText(text)
            self.drawn.emit(result)
            self.reload()

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(self):
                self.draw_button.setEnabled(True)
                self._failed(error)

        self._tasks.run(
            lambda: wb.qa_draw(seed=seed, percent=percent),
            lambda r: done(r) if shiboken6.isValid(self) else None,
            failed,
        )

    def give_verdict(self, agree: bool) -> None:
        ref = self._selected(self.mine_table)
        if ref is None:
            self._say(self.tr("请先选择一个案件。"), error=True)
            return
        wb = self._workbench
        comment = self.verdict_comment.toPlainText()

        def done(sample: SampleView) -> None:
            self.verdict_comment.clear()
            self._say(self.tr("已记录对 %1 的复查意见。").replace("%1", sample.case_no))
            self.verdict_given.emit(sample.case_no)
            self.reload()

        self._call(lambda: wb.qa_verdict(ref, agree, comment or None), done)

    def _dispute_selected(self) -> None:
        ref = self._selected(self.dispute_table)
        sample = next((s for s in self.disputes if s.decision_id == ref), None)
        if sample is None:
            return
        wb = self._workbench

        def read() -> tuple[Any, Any]:
            return wb.reasons(sample.kind), wb.checklist(sample.case_id)

        def shown(result: tuple[Any, Any]) -> None:
            reasons, checklist = result
            self.reason_list.clear()
            for reason in reasons:
                item = QListWidgetItem(
                    labels.reason_title(reason.code, reason.file_text), self.reason_list
                )
                item.setData(Qt.ItemDataRole.UserRole, reason.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.missing_list.clear()
            for code, label in checklist:
                item = QListWidgetItem(labels.checklist_title(code, label), self.missing_list)
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)

        self._call(read, shown)

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(
            str(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        )

    def settle(self, overturn: bool) -> None:
        ref = self._selected(self.dispute_table)
        if ref is None:
            self._say(self.tr("请先选择一个分歧。"), error=True)
            return
        wb = self._workbench
        comment = self.settle_comment.text().strip() or None
        decision = (
            DecisionInput(
                str(self.outcome_combo.currentData()),
                reasons=self._checked(self.reason_list),
                missing=self._checked(self.missing_list),
                comment=comment,
            )
            if overturn
            else None
        )

        def done(result: SettleResult) -> None:
            word = self.tr("改判") if result.settlement == "overturned" else self.tr("维持")
            self._say(self.tr("%1：已%2。").replace("%1", result.case_no).replace("%2", word))
            self.settle_comment.clear()
            self.settled.emit(result)
            self.reload()

        self._call(lambda: wb.qa_settle(ref, overturn, decision, comment), done, deciding=True)


def open_qa(parent: QWidget | None, workbench: Workbench, tasks: TaskManager) -> QaDialog:
    """Show the 抽查 window (non-modal) and read its lists."""
    dialog = QaDialog(workbench, tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.reload()
    return dialog
