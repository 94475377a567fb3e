"""The 冲突 dialog: decisions the central store could not accept, side by side, and 裁决.

A conflict arises when a decision made offline (on a checked-out case whose lease ran
out) reaches the central store after someone else decided the same case. Both decisions
are kept; a supervisor settles the case with a new decision that supersedes. Reviewers
see the same list read-only.

Everything is asked of the :class:`Workbench` through the task manager; the dialog only
renders what comes back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.review.reasons import Reason
from app.review.workflow import ConflictView, DecisionInput, DecisionSide, WorkflowError
from app.workbench import Workbench
from ui.queue.queue_view import QT_TRANSLATE_NOOP
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import Generation, TaskManager

CONTEXT = "ConflictsDialog"
OUTCOMES = ("approve", "reject", "return")
OUTCOME_LABELS = {
    "approve": QT_TRANSLATE_NOOP("ConflictsDialog", "通过"),
    "reject": QT_TRANSLATE_NOOP("ConflictsDialog", "不通过"),
    "return": QT_TRANSLATE_NOOP("ConflictsDialog", "退回补充"),
}
STATE_LABELS = {
    "conflict": QT_TRANSLATE_NOOP("ConflictsDialog", "冲突（未生效）"),
    "accepted": QT_TRANSLATE_NOOP("ConflictsDialog", "已生效"),
    "pending_confirmation": QT_TRANSLATE_NOOP("ConflictsDialog", "待复核"),
    "confirmed": QT_TRANSLATE_NOOP("ConflictsDialog", "已复核"),
    "superseded": QT_TRANSLATE_NOOP("ConflictsDialog", "已被取代"),
    "undone": QT_TRANSLATE_NOOP("ConflictsDialog", "已撤销"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def outcome_text(outcome: str) -> str:
    label = OUTCOME_LABELS.get(outcome)
    return _tr(label) if label else outcome


def _when(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class CaseChoices:
    """What the 裁决 form offers for one case: its kind's reasons and its checklist."""

    case_id: str
    kind: str
    reasons: tuple[Reason, ...]
    checklist: tuple[tuple[str, str], ...]


def load_choices(workbench: Workbench, case_id: str) -> CaseChoices:
    """Runs in the db lane."""
    detail = workbench.peek_case(case_id)
    return CaseChoices(
        case_id,
        detail.kind,
        tuple(workbench.reasons(detail.kind)),
        tuple(workbench.checklist(case_id)),
    )


class DecisionSideView(QGroupBox):
    """One decision of a conflict: outcome, reasons, reviewer, both clocks, claim token."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.outcome = QLabel(self)
        font = self.outcome.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.outcome.setFont(font)
        self.reasons = QLabel(self)
        self.reasons.setWordWrap(True)
        self.reviewer = QLabel(self)
        self.device_time = QLabel(self)
        self.store_time = QLabel(self)
        self.claim_token = QLabel(self)
        self.state = QLabel(self)
        for label in (self.reasons, self.reviewer, self.device_time, self.store_time):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(self.tr("结论："), self.outcome)
        form.addRow(self.tr("理由："), self.reasons)
        form.addRow(self.tr("审核员："), self.reviewer)
        form.addRow(self.tr("设备时间："), self.device_time)
        form.addRow(self.tr("入库时间："), self.store_time)
        form.addRow(self.tr("领取令牌："), self.claim_token)
        form.addRow(self.tr("状态："), self.state)

    def show_side(self, side: DecisionSide | None, reasons: dict[str, Reason]) -> None:
        if side is None:
            self.outcome.setText(self.tr("（无现行结论）"))
            for label in (
                self.reasons,
                self.reviewer,
                self.device_time,
                self.store_time,
                self.claim_token,
                self.state,
            ):
                label.setText("—")
            return
        self.outcome.setText(outcome_text(side.outcome))
        colour = {"approve": "#1b5e20", "reject": "#b71c1c", "return": "#e65100"}
        self.outcome.setStyleSheet(f"color:{colour.get(side.outcome, '#212121')};")
        texts = [
            f"{code} {reasons[code].file_text}" if code in reasons else code
            for code in side.reasons
        ]
        self.reasons.setText("\n".join(texts) or "—")
        self.reviewer.setText(side.reviewer)
        self.device_time.setText(_when(side.device_time))
        self.store_time.setText(_when(side.store_time))
        self.claim_token.setText(str(side.claim_token))
        state = STATE_LABELS.get(side.state)
        self.state.setText(_tr(state) if state else side.state)

    def text(self) -> str:
        return " | ".join(
            label.text()
            for label in (
                self.outcome,
                self.reasons,
                self.reviewer,
                self.device_time,
                self.store_time,
                self.claim_token,
                self.state,
            )
        )


class ConflictsDialog(QDialog):
    """Unresolved conflicts in the reviewer's districts; supervisors settle them (裁决)."""

    conflicts_loaded = Signal(int)  # how many are listed
    choices_loaded = Signal(str)  # case id whose reasons and checklist arrived
    conflict_resolved = Signal(str)  # case id
    resolve_failed = Signal(str)  # the message shown

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._generation = Generation()
        self._choices_generation = Generation()
        self._conflicts: list[ConflictView] = []
        self._choices: CaseChoices | None = None
        self.can_resolve = workbench.actor.can_supervise
        self.setWindowTitle(self.tr("冲突"))

        intro = QLabel(
            self.tr(
                "离线审核的结论到达中心库时，该案件已由他人审核。两份结论都已保留，"
                "以下“现行结论”目前有效；裁决会以新的结论取代二者。"
            ),
            self,
        )
        intro.setWordWrap(True)

        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.currentRowChanged.connect(self._selected)
        self.empty_label = QLabel(self.tr("没有未解决的冲突"), self)
        # Under the heading, not floating in the middle of the empty column.
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setContentsMargins(0, 12, 0, 0)
        self.empty_label.setStyleSheet("color:#5f6368;")
        self.empty_label.hide()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("未解决的冲突"), left))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty_label, 1)

        self.case_label = QLabel(self)
        font = self.case_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.case_label.setFont(font)
        self.conflict_side = DecisionSideView(self.tr("冲突的结论（未生效）"), self)
        self.standing_side = DecisionSideView(self.tr("现行结论"), self)
        sides = QHBoxLayout()
        sides.addWidget(self.conflict_side, 1)
        sides.addWidget(self.standing_side, 1)

        self.resolve_box = self._build_resolve_box()
        self.read_only_note = QLabel(self.tr("需由复核员（主管）裁决"), self)
        self.read_only_note.setStyleSheet(
            "background:#fef7e0;color:#7a4f01;padding:6px;border:1px solid #fde293;"
        )
        self.resolve_box.setVisible(self.can_resolve)
        self.read_only_note.setVisible(not self.can_resolve)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.case_label)
        right_layout.addLayout(sides)
        right_layout.addWidget(self.resolve_box)
        right_layout.addWidget(self.read_only_note)
        right_layout.addStretch(1)

        # The details scroll on a short screen (1366×768) instead of pushing the buttons off.
        right_scroll = QScrollArea(self)
        right_scroll.setWidget(right)
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right_scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 740])

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.reload_button = buttons.addButton(
            self.tr("刷新"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reload_button.clicked.connect(self.reload)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._show_detail(None)
        fit_window(self, 980, 640)

    def _build_resolve_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("裁决"), self)
        self.outcome_group = QButtonGroup(box)
        outcome_row = QHBoxLayout()
        self.outcome_buttons: dict[str, QRadioButton] = {}
        for outcome in OUTCOMES:
            button = QRadioButton(outcome_text(outcome), box)
            self.outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
            outcome_row.addWidget(button)
            button.toggled.connect(self._form_changed)
        outcome_row.addStretch(1)
        self.reason_list = QListWidget(box)
        self.reason_list.setMaximumHeight(150)
        self.reason_list.itemChanged.connect(self._form_changed)
        self.missing_list = QListWidget(box)
        self.missing_list.setMaximumHeight(120)
        self.missing_list.itemChanged.connect(self._form_changed)
        self.reasons_label = QLabel(self.tr("不通过理由："), box)
        self.missing_label = QLabel(self.tr("缺少的材料："), box)
        self.comment = QLineEdit(box)
        self.comment.setPlaceholderText(self.tr("裁决说明（选择“其他”理由时必填）"))
        self.comment.textChanged.connect(self._form_changed)
        self.resolve_button = QPushButton(self.tr("裁决"), box)
        self.resolve_button.setEnabled(False)
        self.resolve_button.clicked.connect(self.resolve)
        self.hint = QLabel(box)
        self.hint.setStyleSheet("color:#5f6368;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.resolve_button)
        layout = QVBoxLayout(box)
        layout.addLayout(outcome_row)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.reason_list)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.missing_list)
        layout.addWidget(self.comment)
        layout.addLayout(bottom)
        return box

    # --- loading ----------------------------------------------------------------------

    def reload(self) -> None:
        self._generation.advance()
        workbench = self._workbench
        self.message.setText(self.tr("正在读取冲突…"))
        self._tasks.run(
            workbench.conflicts, self._loaded, self._load_failed, generation=self._generation
        )

    def _loaded(self, conflicts: list[ConflictView]) -> None:
        if not shiboken6.isValid(self):
            return
        current = self.current_conflict
        self._conflicts = list(conflicts)
        self.message.setText("")
        self.list.blockSignals(True)
        self.list.clear()
        row_to_select = 0
        for row, item in enumerate(self._conflicts):
            text = f"{item.case_no}\n{item.conflict.reviewer} ↔ " + (
                item.standing.reviewer if item.standing else "—"
            )
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, item.case_id)
            self.list.addItem(entry)
            if current is not None and item.conflict.decision_id == current.conflict.decision_id:
                row_to_select = row
        self.list.blockSignals(False)
        self.empty_label.setVisible(not self._conflicts)
        self.list.setVisible(bool(self._conflicts))
        if self._conflicts:
            self.list.setCurrentRow(row_to_select)
            self._selected(row_to_select)
        else:
            self._show_detail(None)
        self.conflicts_loaded.emit(len(self._conflicts))

    def _load_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.message.setText(self.tr("无法读取冲突：%1").replace("%1", str(error)))
        self.conflicts_loaded.emit(-1)

    @property
    def conflicts(self) -> list[ConflictView]:
        return list(self._conflicts)

    @property
    def current_conflict(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def select_case(self, case_no: str) -> bool:
        for row, item in enumerate(self._conflicts):
            if case_no in (item.case_no, item.case_id):
                self.list.setCurrentRow(row)
                return True
        return False

    def _selected(self, row: int) -> None:
        conflict = self._conflicts[row] if 0 <= row < len(self._conflicts) else None
        self._show_detail(conflict)
        if conflict is None:
            return
        if self._choices is not None and self._choices.case_id == conflict.case_id:
            self._show_choices(self._choices)
            return
        self._choices = None
        self._choices_generation.advance()
        workbench, case_id = self._workbench, conflict.case_id
        self._tasks.run(
            lambda: load_choices(workbench, case_id),
            self._choices_arrived,
            self._load_failed,
            generation=self._choices_generation,
        )

    def _choices_arrived(self, choices: CaseChoices) -> None:
        if not shiboken6.isValid(self):
            return
        self._choices = choices
        self._show_choices(choices)
        self.choices_loaded.emit(choices.case_id)

    # --- display ----------------------------------------------------------------------

    def _reason_map(self) -> dict[str, Reason]:
        return {r.code: r for r in self._choices.reasons} if self._choices else {}

    def _show_detail(self, conflict: ConflictView | None) -> None:
        if conflict is None:
            self.case_label.setText(self.tr("未选择冲突"))
            self.conflict_side.show_side(None, {})
            self.standing_side.show_side(None, {})
            self.resolve_box.setEnabled(False)
            return
        self.case_label.setText(self.tr("案件 %1").replace("%1", conflict.case_no))
        reasons = self._reason_map()
        self.conflict_side.show_side(conflict.conflict, reasons)
        self.standing_side.show_side(conflict.standing, reasons)
        self.resolve_box.setEnabled(False)  # until the case's reasons have arrived

    def _show_choices(self, choices: CaseChoices) -> None:
        conflict = self.current_conflict
        if conflict is None or conflict.case_id != choices.case_id:
            return
        reasons = self._reason_map()
        self.conflict_side.show_side(conflict.conflict, reasons)
        self.standing_side.show_side(conflict.standing, reasons)
        self.reason_list.blockSignals(True)
        self.reason_list.clear()
        for reason in choices.reasons:
            item = QListWidgetItem(f"{reason.code}  {reason.file_text}")
            item.setData(Qt.ItemDataRole.UserRole, reason.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(reason.parent_text)
            self.reason_list.addItem(item)
        self.reason_list.blockSignals(False)
        self.missing_list.blockSignals(True)
        self.missing_list.clear()
        for code, label in choices.checklist:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.missing_list.addItem(item)
        self.missing_list.blockSignals(False)
        self.outcome_group.setExclusive(False)
        for button in self.outcome_buttons.values():
            button.setChecked(False)
        self.outcome_group.setExclusive(True)
        self.comment.clear()
        self.resolve_box.setEnabled(self.can_resolve)
        self._form_changed()

    # --- the 裁决 form ---------------------------------------------------------------

    @property
    def chosen_outcome(self) -> str | None:
        for outcome, button in self.outcome_buttons.items():
            if button.isChecked():
                return outcome
        return None

    def choose(
        self, outcome: str, reasons: tuple[str, ...] = (), missing: tuple[str, ...] = ()
    ) -> None:
        """Fill the form (keyboard users and tests)."""
        self.outcome_buttons[outcome].setChecked(True)
        for lst, wanted in ((self.reason_list, reasons), (self.missing_list, missing)):
            for row in range(lst.count()):
                item = lst.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked(lst: QListWidget) -> tuple[str, ...]:
        return tuple(
            str(lst.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(lst.count())
            if lst.item(row).checkState() == Qt.CheckState.Checked
        )

    def decision_input(self) -> DecisionInput | None:
        outcome = self.chosen_outcome
        if outcome is None:
            return None
        comment = self.comment.text().strip() or None
        if outcome == "approve":
            return DecisionInput("approve", comment=comment)
        if outcome == "reject":
            return DecisionInput("reject", reasons=self._checked(self.reason_list), comment=comment)
        return DecisionInput("return", missing=self._checked(self.missing_list), comment=comment)

    def _problem(self, decision: DecisionInput | None) -> str | None:
        if decision is None:
            return self.tr("请选择裁决结论")
        if decision.outcome == "reject" and not decision.reasons:
            return self.tr("不通过须至少选择一项理由")
        if decision.outcome == "return" and not decision.missing:
            return self.tr("退回补充须至少勾选一项缺少的材料")
        reasons = self._reason_map()
        if not decision.comment and any(
            reasons[c].comment_required for c in decision.reasons if c in reasons
        ):
            return self.tr("所选理由须填写说明")
        return None

    def _form_changed(self, *_args: object) -> None:
        outcome = self.chosen_outcome
        self.reason_list.setEnabled(outcome == "reject")
        self.reasons_label.setEnabled(outcome == "reject")
        self.missing_list.setEnabled(outcome == "return")
        self.missing_label.setEnabled(outcome == "return")
        problem = self._problem(self.decision_input())
        self.hint.setText(problem or self.tr("裁决后，新的结论取代两份原结论"))
        self.resolve_button.setEnabled(
            self.can_resolve and problem is None and self._choices is not None
        )

    def resolve(self) -> None:
        conflict = self.current_conflict
        decision = self.decision_input()
        if conflict is None or decision is None or not self.can_resolve:
            return
        if self._problem(decision) is not None:
            return
        self.resolve_button.setEnabled(False)
        self.message.setText(self.tr("正在裁决 %1…").replace("%1", conflict.case_no))
        workbench, case_no = self._workbench, conflict.case_no
        self._tasks.run(
            lambda: workbench.resolve_conflict(case_no, decision),
            lambda _result: self._resolved(conflict),
            self._resolve_failed,
        )

    def _resolved(self, conflict: ConflictView) -> None:
        if not shiboken6.isValid(self):
            return
        self._choices = None
        self.message.setText(self.tr("%1 已裁决。").replace("%1", conflict.case_no))
        self.conflict_resolved.emit(conflict.case_id)
        self.reload()

    def _resolve_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(error, WorkflowError):
            text = self.tr("无法裁决：%1").replace("%1", error.message)
        else:
            self._tasks.task_failed.emit(error)
            text = self.tr("无法裁决：发生内部错误，已记录日志。")
        self.message.setText(text)
        self._form_changed()
        self.resolve_failed.emit(text)


def open_conflicts(
    parent: QWidget | None, workbench: Workbench, tasks: TaskManager
) -> ConflictsDialog:
    """Show the 冲突 dialog (non-modal) and start loading the list."""
    dialog = ConflictsDialog(workbench, tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.reload()
    return dialog
