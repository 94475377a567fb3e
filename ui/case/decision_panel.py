"""The decision panel: outcome, coded reasons, missing documents, verdicts, submit, undo, confirm.

Keyboard first: A / R / T choose the outcome, digits toggle the numbered items of the list
that outcome needs (reasons for 不通过, missing documents for 退回补充), V cycles the
current attachment's verdict (which pre-selects the reasons it suggests), Ctrl+Enter
submits and asks for the next case. The keys are installed by the case view from
:mod:`ui.shell.shortcuts`; this panel offers the methods they call.

The panel asks the :class:`Workbench` through the task manager (db lane) and shows each
refusal inline, in Chinese, from the ``WorkflowError`` code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.review.cases import AttachmentView, CaseDetail, CaseNotFound, DecisionView, FindingView
from app.review.reasons import VERDICTS, Reason, suggested_reasons
from app.review.workflow import DecisionInput, DecisionResult, WorkflowError
from app.workbench import Workbench
from ui.shell import labels, shortcuts
from ui.shell.labels import status_title
from ui.shell.tasks import TaskManager

log = logging.getLogger(__name__)

OUTCOMES = ("approve", "reject", "return")
OUTCOME_LABELS = {"approve": "通过", "reject": "不通过", "return": "退回补充"}
STATE_LABELS = {
    "accepted": "已生效",
    "pending_confirmation": "待复核",
    "confirmed": "已复核确认",
    "conflict": "冲突",
    "superseded": "已被取代",
    "undone": "已撤销",
    "refused": "复核驳回",
}
VERDICT_LABELS = {
    "": "未标记",
    "fine": "清晰",
    "unclear": "不清晰",
    "wrong_document": "材料不符",
    "suspicious": "存疑",
}
VERDICT_CYCLE = ("", *VERDICTS)

# WorkflowError.code -> what the reviewer reads. %holder / %until / %status are filled in.
REFUSALS = {
    "claimed_by_other": "已被 %holder 领取至 %until，只能查看",
    "not_claimed": "您尚未领取此案件（或领取已过期），请重新打开案件",
    "not_holder": "此案件的领取已不属于您",
    "reason_required": "不通过须至少选择一项理由",
    "comment_required": "选择「其他」理由时须填写审核意见",
    "missing_required": "退回补充须至少勾选一项缺少的材料",
    "missing_unknown": "所选材料不在本案件的材料清单中",
    "reason_unknown": "所选理由不适用于此类案件",
    "reason_on_approve": "通过时不能选择不通过理由",
    "outcome": "请选择：通过、不通过或退回补充",
    "verdict": "附件结论无效",
    "four_eyes": "四眼原则：不能复核自己作出的决定，须由另一位主管复核",
    "state": "案件当前为「%status」，不能进行此操作",
    "role": "您的角色无权进行此操作",
    "undo_window": "已超过可撤销的时限，不能撤销",
    "printed": "该决定的通知书已打印，不能撤销",
    "nothing_to_confirm": "此案件没有等待复核的决定",
    "nothing_to_undo": "此案件没有可撤销的决定",
    "not_decider": "只有作出决定的审核员本人可以撤销",
    "no_case": "未找到该案件",
    "id_reused": "该决定已提交过且内容不同，请刷新后重试",
}


# The chosen outcome must be unmistakable at a glance after hours of work.
_OUTCOME_STYLE = """
QPushButton#outcome_approve:checked { background:#2e7d32; color:white; font-weight:bold; }
QPushButton#outcome_reject:checked { background:#c62828; color:white; font-weight:bold; }
QPushButton#outcome_return:checked { background:#ef6c00; color:white; font-weight:bold; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("DecisionPanel", text)


def local_hhmm(moment: dt.datetime | None) -> str:
    """``HH:MM`` in local time; a naive value is taken as UTC (as SQLite returns it)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%H:%M")


def refusal_text(error: BaseException) -> str | None:
    """The Chinese sentence for a refusal, or ``None`` when ``error`` is not one (a bug or
    an environment failure the caller reports otherwise)."""
    if isinstance(error, CaseNotFound):
        return _tr("未找到该案件，或该案件不属于您负责的区县")
    if not isinstance(error, WorkflowError):
        return None
    template = REFUSALS.get(error.code)
    if template is None:
        return _tr("操作被拒绝：%1").replace("%1", error.message)
    text = _tr(template)
    details = error.details
    until = details.get("until")
    text = text.replace("%holder", str(details.get("holder") or _tr("他人")))
    text = text.replace("%until", local_hhmm(until) if isinstance(until, dt.datetime) else "—")
    status = str(details.get("status", ""))
    return text.replace("%status", status_title(status))


def claim_text(holder: str | None, until: dt.datetime | None, mine: bool) -> str:
    """ "已领取，至 14:30" or "已被 bob 领取至 14:30"."""
    if mine:
        return _tr("已领取，至 %1").replace("%1", local_hhmm(until))
    return (
        _tr("已被 %1 领取至 %2，只能查看")
        .replace("%1", holder or _tr("他人"))
        .replace("%2", local_hhmm(until))
    )


@dataclass(frozen=True)
class PanelContext:
    """What the panel needs to show one case: loaded by the case view in one db task."""

    detail: CaseDetail
    reasons: tuple[Reason, ...]
    checklist: tuple[tuple[str, str], ...]
    can_undo: bool
    editable: bool  # the reviewer holds the claim on a pending case, current round
    status_text: str  # claim line or why it is read-only
    can_supervise: bool = False


@dataclass(frozen=True)
class Draft:
    """What the reviewer has chosen and typed on a case but not submitted yet."""

    outcome: str | None = None
    reasons: tuple[str, ...] = ()
    auto_reasons: frozenset[str] = frozenset()  # reasons the verdicts ticked
    missing: tuple[str, ...] = ()
    verdicts: tuple[tuple[int, str], ...] = ()
    comment: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.outcome
            or self.reasons
            or self.missing
            or self.verdicts
            or self.comment.strip()
            or self.note.strip()
        )


def effective_decision(detail: CaseDetail) -> DecisionView | None:
    """The decision that counts for the current round, if any."""
    live = ("accepted", "pending_confirmation", "confirmed")
    for decision in reversed(detail.decisions):
        if decision.round_no == detail.round and decision.state in live:
            return decision
    return None


class CheckRow(QWidget):
    """A check box whose text wraps: a long reason or document name is never cut off in
    a narrow panel (a QCheckBox's own text does not wrap). Clicking the text toggles it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = ""  # the reason or document it stands for (rows are reused)
        self.box = QCheckBox(self)
        self.box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setObjectName("checkText")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)

    def text(self) -> str:
        return self.label.text()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.box.isEnabled()
            and self.label.geometry().contains(event.position().toPoint())
        ):
            self.box.click()
            return
        super().mouseReleaseEvent(event)


class DecisionPanel(QWidget):
    """Decide one case; emits ``decision_saved`` and, for submit-and-next, ``next_requested``."""

    decision_saved = Signal(object, bool)  # DecisionResult, whether the next case follows
    next_requested = Signal()
    case_changed = Signal(str)  # case id: undone or confirmed, the view should reload
    decision_undone = Signal(str)  # case id: its decision was undone here
    outcome_changed = Signal(str)
    refused = Signal(str)  # the Chinese refusal shown inline
    verdicts_changed = Signal(object)  # dict[int, str]
    override_asked = Signal(object)  # the QMessageBox asking to approve despite error findings

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._context: PanelContext | None = None
        self._outcome: str | None = None
        self._reason_boxes: dict[str, QCheckBox] = {}
        self._missing_boxes: dict[str, QCheckBox] = {}
        # The check rows made so far, the first ones in use: a case with other reasons or
        # documents takes them over (texts set again) rather than making new ones.
        self._reason_rows: list[CheckRow] = []
        self._missing_rows: list[CheckRow] = []
        self._verdict_combos: dict[int, QComboBox] = {}
        # What the reason, checklist and verdict lists show (see _rebuild_lists).
        self._lists_key: tuple[Any, ...] = (None, None, None)  # reasons, documents, verdicts
        self._verdicts: dict[int, str] = {}
        self._auto_reasons: set[str] = set()
        self._current_ordinal = -1
        self._busy = False
        self._editable = False
        self._decided_here = False  # a decision was saved since set_case
        self.override_box: QMessageBox | None = None  # open while asking about error findings
        self.last_sent: Draft | None = None  # the choices of the decision submitted last
        # The panel itself takes focus (not a checkbox that a rebuild deletes), so the case
        # view's shortcuts keep working from one case to the next.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        self.clear(_tr("未打开案件"))

    # --- construction --------------------------------------------------------------------

    def _build(self) -> None:
        # Three parts, so that on a 768-pixel screen the comment box and the submit buttons
        # never fall below the fold: the claim line and the outcome buttons on top, the
        # lists (reasons, missing documents, verdicts) scrolling in the middle, the comment
        # and submit buttons pinned at the bottom.
        self.status_label = QLabel(self)
        self.status_label.setObjectName("claimStatus")
        self.status_label.setWordWrap(True)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("panelMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)

        # --- top: outcome
        self.outcome_bar = QWidget(self)
        outcome_row = QHBoxLayout(self.outcome_bar)
        outcome_row.setContentsMargins(0, 0, 0, 0)
        outcome_row.setSpacing(4)
        self._outcome_group = QButtonGroup(self)
        self._outcome_group.setExclusive(True)
        self.outcome_buttons: dict[str, QPushButton] = {}
        for outcome, action in zip(OUTCOMES, ("approve", "reject", "return"), strict=True):
            button = QPushButton(
                f"{_tr(OUTCOME_LABELS[outcome])}（{shortcuts.key_text(action)}）",
                self.outcome_bar,
            )
            button.setObjectName(f"outcome_{outcome}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setMinimumHeight(32)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 12)
            button.clicked.connect(lambda _checked=False, o=outcome: self.choose_outcome(o))
            self._outcome_group.addButton(button)
            self.outcome_buttons[outcome] = button
            outcome_row.addWidget(button)

        # --- middle: the lists
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)

        self.reasons_box = QGroupBox(_tr("不通过理由（数字键 1–9）"), self.body)
        self._reasons_layout = QVBoxLayout(self.reasons_box)
        self._reasons_layout.setSpacing(2)
        body.addWidget(self.reasons_box)

        self.missing_box = QGroupBox(_tr("缺少的材料（数字键 1–9）"), self.body)
        missing = QVBoxLayout(self.missing_box)
        missing.setSpacing(2)
        self._missing_layout = QVBoxLayout()
        missing.addLayout(self._missing_layout)
        missing.addWidget(QLabel(_tr("给家长的说明（Ctrl+N）"), self.missing_box))
        self.note_edit = QPlainTextEdit(self.missing_box)
        self.note_edit.setObjectName("noteToParent")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(52)
        missing.addWidget(self.note_edit)
        body.addWidget(self.missing_box)

        self.verdicts_box = QGroupBox(_tr("附件结论（V 切换当前附件）"), self.body)
        self._verdicts_layout = QGridLayout(self.verdicts_box)
        self._verdicts_layout.setVerticalSpacing(2)
        self._verdicts_layout.setColumnStretch(0, 1)
        body.addWidget(self.verdicts_box)
        body.addStretch(1)

        # --- bottom: comment and submit
        self.submit_bar = QWidget(self)
        bottom = QVBoxLayout(self.submit_bar)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.setSpacing(4)
        comment_label = QLabel(_tr("审核意见（Ctrl+E；选择「其他」时必填）"), self.submit_bar)
        comment_label.setWordWrap(True)
        bottom.addWidget(comment_label)
        self.comment_edit = QPlainTextEdit(self.submit_bar)
        self.comment_edit.setObjectName("comment")
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setFixedHeight(52)
        bottom.addWidget(self.comment_edit)
        submit_row = QHBoxLayout()
        self.submit_next_button = QPushButton(
            _tr("提交并下一个（%1）").replace(
                "%1", shortcuts.key_text("submit_next").split(" / ")[0]
            ),
            self.submit_bar,
        )
        self.submit_next_button.setObjectName("submitNext")
        self.submit_next_button.setDefault(True)
        self.submit_next_button.setMinimumHeight(34)
        self.submit_next_button.clicked.connect(lambda: self.submit(and_next=True))
        self.submit_button = QPushButton(
            _tr("提交（%1）").replace("%1", shortcuts.key_text("submit")), self.submit_bar
        )
        self.submit_button.setObjectName("submit")
        self.submit_button.setMinimumHeight(34)
        self.submit_button.clicked.connect(lambda: self.submit(and_next=False))
        submit_row.addWidget(self.submit_next_button, 2)
        submit_row.addWidget(self.submit_button, 1)
        bottom.addLayout(submit_row)

        # Outside the body: these work on decided cases, when the body is read-only.
        self.confirm_box = QGroupBox(_tr("复核（四眼原则）"), self)
        confirm = QVBoxLayout(self.confirm_box)
        self.confirm_summary = QLabel(self.confirm_box)
        self.confirm_summary.setWordWrap(True)
        confirm.addWidget(self.confirm_summary)
        confirm_row = QHBoxLayout()
        self.confirm_button = QPushButton(
            _tr("确认（%1）").replace("%1", shortcuts.key_text("confirm")), self.confirm_box
        )
        self.confirm_button.setObjectName("confirm")
        self.confirm_button.clicked.connect(lambda: self.confirm(True))
        self.refuse_button = QPushButton(
            _tr("驳回（%1）").replace("%1", shortcuts.key_text("refuse")), self.confirm_box
        )
        self.refuse_button.setObjectName("refuse")
        self.refuse_button.clicked.connect(lambda: self.confirm(False))
        confirm_row.addWidget(self.confirm_button)
        confirm_row.addWidget(self.refuse_button)
        confirm.addLayout(confirm_row)

        self.decision_summary = QLabel(self)
        self.decision_summary.setObjectName("decisionSummary")
        self.decision_summary.setWordWrap(True)
        self.decision_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.undo_button = QPushButton(
            _tr("撤销决定（%1）").replace("%1", shortcuts.key_text("undo")), self
        )
        self.undo_button.setObjectName("undo")
        self.undo_button.clicked.connect(self.undo)

        inner = QWidget(self)
        column = QVBoxLayout(inner)
        column.setContentsMargins(6, 0, 6, 0)
        column.setSpacing(6)
        column.addWidget(self.decision_summary)
        column.addWidget(self.confirm_box)
        column.addWidget(self.undo_button)
        column.addWidget(self.body)
        column.addStretch(1)
        self.lists_scroll = QScrollArea(self)
        self.lists_scroll.setWidgetResizable(True)
        self.lists_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.lists_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lists_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lists_scroll.setWidget(inner)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)
        outer.addWidget(self.status_label)
        outer.addWidget(self.message_label)
        outer.addWidget(self.outcome_bar)
        outer.addWidget(self.lists_scroll, 1)
        outer.addWidget(self.submit_bar)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # The scroll area never scrolls sideways: the panel is at least as wide as its
        # content (reasons do not wrap), so nothing is cut off.
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        self.setMinimumWidth(
            max(
                inner.minimumSizeHint().width() + bar + 16,
                self.outcome_bar.minimumSizeHint().width() + 12,
            )
        )
        self.setStyleSheet(_OUTCOME_STYLE)

    def _parts(self) -> tuple[QWidget, ...]:
        """What deciding needs, enabled and shown together."""
        return (self.outcome_bar, self.body, self.submit_bar)

    # --- feeding -------------------------------------------------------------------------

    def clear(self, message: str = "") -> None:
        """No case (or one still loading): everything read-only, ``message`` shown."""
        self._context = None
        self._busy = False
        self._reset_inputs()
        # The lists stay for the next case (most often of the same kind: reused, not
        # rebuilt), unticked and hidden while it loads.
        self._rebuild_lists((), (), (), keep=True)
        self.status_label.setText(message)
        self.decision_summary.setVisible(False)
        self.confirm_box.setVisible(False)
        self.undo_button.setVisible(False)
        self.show_message("")
        self._set_editable(False)
        for part in self._parts():
            part.setVisible(True)

    def set_case(self, context: PanelContext) -> None:
        """Show ``context``'s case: editable if the reviewer holds its claim."""
        had_focus = self._has_focus_inside()
        self._context = context
        self._busy = False
        self._decided_here = False
        detail = context.detail
        self._reset_inputs()
        self._rebuild_lists(context.reasons, context.checklist, detail.attachments)
        self.status_label.setText(context.status_text)
        self.show_message("")

        decision = effective_decision(detail)
        if decision is not None and detail.status != "pending":
            self.decision_summary.setText(self._summary(decision))
            self.decision_summary.setVisible(True)
        else:
            self.decision_summary.setVisible(False)
        waiting = detail.status == "confirming"
        self.confirm_box.setVisible(waiting and context.can_supervise)
        if waiting and context.can_supervise and decision is not None:
            self.confirm_summary.setText(
                _tr("%1 的决定待复核：请确认或驳回。").replace("%1", decision.reviewer)
            )
        self.undo_button.setVisible(detail.status != "pending")
        self.undo_button.setEnabled(context.can_undo)
        self._set_editable(context.editable)
        # A decided case has nothing to fill in: the summary above says what was decided.
        for part in self._parts():
            part.setVisible(detail.status == "pending")
        if had_focus:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- drafts --------------------------------------------------------------------------

    def draft(self) -> Draft | None:
        """What is chosen and typed on the case shown and not yet submitted (None: nothing)."""
        if self._context is None or not self._editable or self._decided_here:
            return None
        draft = Draft(
            outcome=self._outcome,
            reasons=self.selected_reasons(),
            auto_reasons=frozenset(self._auto_reasons),
            missing=self.selected_missing(),
            verdicts=tuple(sorted(self._verdicts.items())),
            comment=self.comment_edit.toPlainText(),
            note=self.note_edit.toPlainText(),
        )
        return None if draft.is_empty else draft

    def restore_draft(self, draft: Draft) -> bool:
        """Put ``draft`` back into the (editable) panel; says so in the message line."""
        if not self._editable:
            return False
        if draft.outcome:
            self.choose_outcome(draft.outcome)
        for ordinal, verdict in draft.verdicts:
            self.set_verdict(ordinal, verdict)
        for code, box in self._reason_boxes.items():
            box.setChecked(code in draft.reasons)
        self._auto_reasons = set(draft.auto_reasons) & set(draft.reasons)
        for code, box in self._missing_boxes.items():
            box.setChecked(code in draft.missing)
        self.comment_edit.setPlainText(draft.comment)
        self.note_edit.setPlainText(draft.note)
        self.show_message(_tr("已恢复此案件未提交的草稿"), error=False)
        return True

    def explain_read_only(self) -> None:
        """A decision key was pressed on a case that cannot be decided now: say why."""
        if self._context is None:
            self.show_message(_tr("未打开案件：请先在队列中选择案件"))
            return
        self.show_message(_tr("现在不能作出决定：%1").replace("%1", self.status_label.text()))

    def set_read_only(self, message: str) -> None:
        """Stop deciding (the claim was lost, an earlier round is shown): say why."""
        self.status_label.setText(message)
        self._set_editable(False)

    def resume(self) -> None:
        """Undo :meth:`set_read_only` for a temporary reason (back on the current round)."""
        if self._context is not None:
            self.status_label.setText(self._context.status_text)
            self._set_editable(self._context.editable and not self._decided_here)

    def set_current_attachment(self, ordinal: int) -> None:
        """The attachment the viewer shows: V sets its verdict."""
        self._current_ordinal = ordinal

    # --- state -------------------------------------------------------------------------

    @property
    def case_id(self) -> str | None:
        return self._context.detail.case_id if self._context else None

    @property
    def outcome(self) -> str | None:
        return self._outcome

    @property
    def editable(self) -> bool:
        return self._editable

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def verdicts(self) -> dict[int, str]:
        return dict(self._verdicts)

    def selected_reasons(self) -> tuple[str, ...]:
        return tuple(code for code, box in self._reason_boxes.items() if box.isChecked())

    def selected_missing(self) -> tuple[str, ...]:
        return tuple(code for code, box in self._missing_boxes.items() if box.isChecked())

    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisible() else ""

    def decision_input(self) -> DecisionInput:
        """What the reviewer chose, as the workflow takes it."""
        outcome = self._outcome or ""
        comment = self.comment_edit.toPlainText().strip() or None
        note = self.note_edit.toPlainText().strip() or None
        return DecisionInput(
            outcome=outcome,
            reasons=self.selected_reasons() if outcome in ("reject", "return") else (),
            missing=self.selected_missing() if outcome == "return" else (),
            comment=comment,
            note_to_parent=note if outcome == "return" else None,
            verdicts=dict(self._verdicts),
        )

    # --- choosing ------------------------------------------------------------------------

    def choose_outcome(self, outcome: str) -> None:
        if not self._editable:
            return
        self._outcome = outcome
        self.outcome_buttons[outcome].setChecked(True)
        self.reasons_box.setEnabled(outcome in ("reject", "return"))
        self.reasons_box.setTitle(
            _tr("不通过理由（数字键 1–9）")
            if outcome != "return"
            else _tr("理由（可选，Ctrl+Alt+数字键）")
        )
        self.missing_box.setVisible(outcome == "return")
        self.show_message("")
        self.outcome_changed.emit(outcome)

    def toggle_item(self, index: int) -> None:
        """Digit ``index + 1``: a missing document for 退回补充, else a reason."""
        if not self._editable:
            return
        if self._outcome == "return":
            self._toggle(list(self._missing_boxes.values()), index)
            return
        if self._outcome is None:
            self.choose_outcome("reject")
        if self._outcome == "approve":
            self.show_message(_tr("通过时不能选择理由：不通过请按 R，退回补充请按 T"))
            return
        self.toggle_reason(index)

    def toggle_reason(self, index: int) -> None:
        """Ctrl+Alt+digit: reason ``index + 1`` in any outcome that takes reasons."""
        if not self._editable or self._outcome == "approve":
            return
        codes = list(self._reason_boxes)
        if 0 <= index < len(codes):
            self._auto_reasons.discard(codes[index])
        self._toggle(list(self._reason_boxes.values()), index)

    def set_reason(self, code: str, on: bool = True) -> None:
        box = self._reason_boxes.get(code)
        if box is not None:
            box.setChecked(on)

    def set_missing(self, code: str, on: bool = True) -> None:
        box = self._missing_boxes.get(code)
        if box is not None:
            box.setChecked(on)

    def _toggle(self, boxes: Sequence[QCheckBox], index: int) -> None:
        if 0 <= index < len(boxes):
            boxes[index].setChecked(not boxes[index].isChecked())

    def set_verdict(self, ordinal: int, verdict: str) -> None:
        """Record ``verdict`` ('' to clear) for attachment ``ordinal``; re-suggest reasons."""
        if verdict:
            self._verdicts[ordinal] = verdict
        else:
            self._verdicts.pop(ordinal, None)
        combo = self._verdict_combos.get(ordinal)
        if combo is not None:
            combo.blockSignals(True)
            combo.setCurrentIndex(VERDICT_CYCLE.index(verdict))
            combo.blockSignals(False)
        suggested = set(suggested_reasons(self._verdicts))
        for code in suggested:
            box = self._reason_boxes.get(code)
            if box is not None and not box.isChecked():
                box.setChecked(True)
                self._auto_reasons.add(code)
        for code in list(self._auto_reasons - suggested):
            self.set_reason(code, False)
            self._auto_reasons.discard(code)
        self.verdicts_changed.emit(dict(self._verdicts))

    def cycle_verdict(self) -> None:
        """V: the current attachment's verdict goes one step round the cycle."""
        if not self._editable or self._current_ordinal < 0:
            return
        current = self._verdicts.get(self._current_ordinal, "")
        following = VERDICT_CYCLE[(VERDICT_CYCLE.index(current) + 1) % len(VERDICT_CYCLE)]
        self.set_verdict(self._current_ordinal, following)

    def prefill_return(self, ordinal: int) -> None:
        """ "退回补拍" on an unreadable attachment: a return naming that document as missing."""
        if not self._editable or self._context is None:
            self.show_message(_tr("现在不能作出决定：%1").replace("%1", self.status_label.text()))
            return
        attachment = next(
            (a for a in self._context.detail.attachments if a.ordinal == ordinal), None
        )
        if attachment is None:
            return
        self.choose_outcome("return")
        code = self._checklist_code_for(attachment)
        if code is not None:
            self.set_missing(code, True)
        else:
            self.show_message(_tr("请勾选对应的缺少材料"), error=False)
        line = (
            _tr("「%1」无法识别（%2），请重新拍摄清晰、完整的照片后上传。")
            .replace("%1", attachment.label)
            .replace("%2", attachment.reason or _tr("无法识别"))
        )
        note = self.note_edit.toPlainText()
        if line not in note:
            self.note_edit.setPlainText(f"{note}\n{line}".strip())

    def _checklist_code_for(self, attachment: AttachmentView) -> str | None:
        assert self._context is not None
        label = attachment.label.strip()
        for code, item_label in self._context.checklist:
            if item_label == label:
                return code
        for code, item_label in self._context.checklist:
            if label and label in item_label:
                return code
        return None

    def focus_comment(self) -> None:
        if self._editable:
            self.comment_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_note(self) -> None:
        if self._editable and self._outcome == "return":
            self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- actions -------------------------------------------------------------------------

    def submit(self, and_next: bool = False) -> None:
        """Send the decision; on success emit ``decision_saved`` (and ``next_requested``).

        Approving a case with error findings first asks, naming them; going ahead records
        that the reviewer overrode them (``DecisionInput.overridden_findings``).
        """
        if self._context is None or self._busy or self.override_box is not None:
            return
        if not self._editable:
            self._refuse_here(_tr("现在不能作出决定：%1").replace("%1", self.status_label.text()))
            return
        if self._outcome is None:
            self._refuse_here(_tr("请先选择：通过（A）、不通过（R）或退回补充（T）"))
            return
        decision = self.decision_input()
        errors = self.error_findings() if decision.outcome == "approve" else ()
        if errors:
            self._ask_override(decision, errors, and_next)
            return
        self._send(decision, and_next)

    def error_findings(self) -> tuple[FindingView, ...]:
        """The case's error findings (red): approving past them needs a confirmation."""
        if self._context is None:
            return ()
        return tuple(f for f in self._context.detail.findings if f.severity == "error")

    def _ask_override(
        self, decision: DecisionInput, errors: Sequence[FindingView], and_next: bool
    ) -> None:
        lines = "\n".join(f"• {labels.finding_text(f.code, f.message)}" for f in errors)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _tr("此案件有错误发现"),
            _tr("此案件有 %1 项错误发现：").replace("%1", str(len(errors))) + "\n" + lines,
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        box.setInformativeText(_tr("仍要通过吗？通过将记录您已核对并决定忽略以上发现。"))
        approve = box.addButton(_tr("仍然通过(&Y)"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(_tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)  # Enter keeps the case undecided: the safe answer
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        approve.setObjectName("overrideApprove")
        cancel.setObjectName("overrideCancel")
        case_id = self.case_id
        overridden = tuple((f.code, f.fact) for f in errors)

        def answered(_result: int) -> None:
            self.override_box = None
            if not shiboken6.isValid(self) or self.case_id != case_id:
                return
            if box.clickedButton() is approve:
                self._send(dataclasses.replace(decision, overridden_findings=overridden), and_next)
            else:
                self._refuse_here(_tr("未提交：请核对错误发现，或选择不通过、退回补充"))

        box.finished.connect(answered)
        self.override_box = box
        box.open()
        self.override_asked.emit(box)

    def _send(self, decision: DecisionInput, and_next: bool) -> None:
        assert self._context is not None
        self.last_sent = self.draft()
        case_id = self._context.detail.case_id
        workbench = self._workbench
        self._busy = True
        self.show_message(_tr("正在提交…"), error=False)
        self._tasks.run(
            lambda: workbench.decide(case_id, decision),
            lambda result: self._decided(case_id, result, and_next),
            lambda error: self._refused(case_id, error),
        )

    def undo(self) -> None:
        if self._context is None or self._busy or not self.undo_button.isEnabled():
            return
        case_id = self._context.detail.case_id
        workbench = self._workbench
        self._busy = True
        self._tasks.run(
            lambda: workbench.undo(case_id),
            lambda result: self._undone(case_id),
            lambda error: self._refused(case_id, error),
        )

    def confirm(self, accept: bool) -> None:
        if self._context is None or self._busy or not self.confirm_box.isVisible():
            return
        case_id = self._context.detail.case_id
        workbench = self._workbench
        self._busy = True
        done = _tr("已确认决定") if accept else _tr("已驳回，案件回到待审核")
        self._tasks.run(
            lambda: workbench.confirm(case_id, accept),
            lambda result: self._changed(case_id, done),
            lambda error: self._refused(case_id, error),
        )

    def _refuse_here(self, text: str) -> None:
        self.show_message(text)
        self.refused.emit(text)

    def _decided(self, case_id: str, result: DecisionResult, and_next: bool) -> None:
        if not shiboken6.isValid(self):
            return  # closed while the store answered
        self._busy = False
        if result.state == "pending_confirmation":
            text = _tr("已提交，等待复核")
        elif result.state == "conflict":
            text = _tr("已保存为冲突：提交时领取已不属于您，请主管处理")
        else:
            text = _tr("已提交：%1").replace("%1", status_title(result.case_status))
        if self.case_id == case_id:
            self._decided_here = True
            self.show_message(text, error=result.state == "conflict")
            self._set_editable(False)
        self.decision_saved.emit(result, and_next)
        if and_next:
            self.next_requested.emit()

    def _undone(self, case_id: str) -> None:
        if not shiboken6.isValid(self):
            return
        self.decision_undone.emit(case_id)
        self._changed(case_id, _tr("决定已撤销，案件回到待审核"))

    def _changed(self, case_id: str, text: str) -> None:
        if not shiboken6.isValid(self):
            return  # closed while the store answered
        self._busy = False
        if self.case_id == case_id:
            self.show_message(text, error=False)
        self.case_changed.emit(case_id)

    def _refused(self, case_id: str, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # closed while the store answered
        self._busy = False
        text = refusal_text(error)
        if text is None:
            # Not a refusal: the environment (database locked, disk) or a bug. Say so
            # here and let the task manager's handler log and report it.
            log.error("decision action failed: %r", error)
            text = _tr("操作失败：%1").replace("%1", str(error) or type(error).__name__)
            self._tasks.task_failed.emit(error)
        self.refused.emit(text)
        if self.case_id == case_id:
            self.show_message(text)
            if isinstance(error, WorkflowError) and error.code in (
                "claimed_by_other",
                "not_claimed",
                "not_holder",
                "state",
            ):
                self._set_editable(False)

    # --- display -------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = True) -> None:
        """An inline line under the claim status: red for refusals, green otherwise."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        palette = self.message_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, QColor(183, 28, 28) if error else QColor(27, 94, 32)
        )
        self.message_label.setPalette(palette)

    def _summary(self, decision: DecisionView) -> str:
        assert self._context is not None
        reasons = {r.code: r.file_text for r in self._context.reasons}
        checklist = dict(self._context.checklist)
        lines = [
            _tr("%1：%2（%3，%4）")
            .replace("%1", _tr(OUTCOME_LABELS.get(decision.outcome, decision.outcome)))
            .replace("%2", _tr(STATE_LABELS.get(decision.state, decision.state)))
            .replace("%3", decision.reviewer)
            .replace("%4", decision.store_time.strftime("%Y-%m-%d %H:%M")),
        ]
        if decision.reasons:
            lines.append(
                _tr("理由：")
                + "；".join(labels.reason_title(c, reasons.get(c)) for c in decision.reasons)
            )
        if decision.missing:
            lines.append(
                _tr("缺少：")
                + "；".join(labels.checklist_title(c, checklist.get(c)) for c in decision.missing)
            )
        if decision.comment:
            lines.append(_tr("意见：") + decision.comment)
        return "\n".join(lines)

    def _set_editable(self, editable: bool) -> None:
        focus = QApplication.focusWidget()
        if (
            not editable
            and focus is not None
            and any(part.isAncestorOf(focus) for part in self._parts())
        ):
            # Disabling the focused child would push focus out of the case view; keep it
            # on the panel.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._editable = editable
        for part in self._parts():
            part.setEnabled(editable)

    def _has_focus_inside(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and (focus is self or self.isAncestorOf(focus))

    def _reset_inputs(self) -> None:
        self._outcome = None
        self._outcome_group.setExclusive(False)
        for button in self.outcome_buttons.values():
            button.setChecked(False)
        self._outcome_group.setExclusive(True)
        self._verdicts = {}
        self._auto_reasons = set()
        self._current_ordinal = -1
        self.comment_edit.clear()
        self.note_edit.clear()
        self.reasons_box.setEnabled(False)
        self.reasons_box.setTitle(_tr("不通过理由（数字键 1–9）"))
        self.missing_box.setVisible(False)

    def _rebuild_lists(
        self,
        reasons: Sequence[Reason],
        checklist: Sequence[tuple[str, str]],
        attachments: Sequence[AttachmentView],
        *,
        keep: bool = False,
    ) -> None:
        """Show these reasons, documents and attachment verdicts, all unticked.

        Each list equal to the one built (reasons of the same kind, the same documents, the
        same attachments) is kept and only unticked: rebuilding ~20 check rows and combos
        took 5–10 ms of the GUI thread on every case switch. ``keep``: untick and hide what
        is built (a case is loading), to be shown again by the next call."""
        had_focus = self._has_focus_inside()
        reasons_key = tuple((r.code, r.file_text, r.parent_text) for r in reasons)
        if keep or reasons_key == self._lists_key[0]:
            self._show_checks(self._reason_rows, len(self._reason_boxes), not keep)
        else:
            self._build_reasons(reasons)
        missing_key = tuple(checklist)
        if keep or missing_key == self._lists_key[1]:
            self._show_checks(self._missing_rows, len(self._missing_boxes), not keep)
        else:
            self._build_missing(checklist)
        verdicts_key = tuple((a.ordinal, a.label) for a in attachments)
        if keep or verdicts_key == self._lists_key[2]:
            self._show_rows(self._verdicts_layout, not keep)
        else:
            self._clear_layout(self._verdicts_layout)
            self._build_verdicts(attachments)
        if not keep:
            self._lists_key = (reasons_key, missing_key, verdicts_key)
            self.verdicts_box.setVisible(bool(attachments))
        for box in (*self._reason_boxes.values(), *self._missing_boxes.values()):
            box.setChecked(False)
        for combo in self._verdict_combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        if had_focus and not self._has_focus_inside():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _clear_layout(layout: QLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    @staticmethod
    def _show_checks(rows: Sequence[CheckRow], used: int, visible: bool) -> None:
        for row in rows[:used]:
            row.setVisible(visible)

    def _check_rows(
        self, rows: list[CheckRow], layout: QBoxLayout, parent: QWidget, count: int
    ) -> list[CheckRow]:
        """``count`` rows from ``rows``, made when there are too few; the rest hidden.
        Making, polishing and deleting ~7 rows took ~3 ms of every case switch."""
        while len(rows) < count:
            row = CheckRow("", parent)
            layout.addWidget(row)
            rows.append(row)
        for row in rows[count:]:
            row.setVisible(False)
        return rows[:count]

    @staticmethod
    def _show_rows(layout: QLayout, visible: bool) -> None:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setVisible(visible)

    def _build_reasons(self, reasons: Sequence[Reason]) -> None:
        self._reason_boxes = {}
        made = len(self._reason_rows)
        rows = self._check_rows(
            self._reason_rows, self._reasons_layout, self.reasons_box, len(reasons)
        )
        for number, (reason_row, reason) in enumerate(zip(rows, reasons, strict=True), start=1):
            title = labels.reason_title(reason.code, reason.file_text)
            reason_row.label.setText(f"{number}  {title}" if number <= 9 else title)
            reason_row.code = reason.code
            box = reason_row.box
            box.setObjectName(f"reason_{reason.code}")
            reason_row.setToolTip(
                _tr("告知家长：%1").replace(
                    "%1", labels.reason_parent_text(reason.code, reason.parent_text)
                )
            )
            if number > made:  # a new row: ticking it by hand makes its reason the user's
                box.clicked.connect(
                    lambda _checked=False, r=reason_row: self._auto_reasons.discard(r.code)
                )
            reason_row.setVisible(True)
            self._reason_boxes[reason.code] = box

    def _build_missing(self, checklist: Sequence[tuple[str, str]]) -> None:
        self._missing_boxes = {}
        rows = self._check_rows(
            self._missing_rows, self._missing_layout, self.missing_box, len(checklist)
        )
        for number, (missing_row, (code, label)) in enumerate(
            zip(rows, checklist, strict=True), start=1
        ):
            title = labels.checklist_title(code, label)
            missing_row.label.setText(f"{number}  {title}" if number <= 9 else title)
            missing_row.code = code
            missing_row.box.setObjectName(f"missing_{code}")
            missing_row.setVisible(True)
            self._missing_boxes[code] = missing_row.box

    def _build_verdicts(self, attachments: Sequence[AttachmentView]) -> None:
        self._verdict_combos = {}
        for row, att in enumerate(attachments):
            caption = QLabel(
                f"{att.ordinal + 1}. {labels.document_title(att.label)}", self.verdicts_box
            )
            caption.setWordWrap(True)
            combo = QComboBox(self.verdicts_box)
            combo.setObjectName(f"verdict_{att.ordinal}")
            combo.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            for verdict in VERDICT_CYCLE:
                combo.addItem(_tr(VERDICT_LABELS[verdict]), verdict)
            combo.currentIndexChanged.connect(
                lambda index, o=att.ordinal: self.set_verdict(o, VERDICT_CYCLE[index])
            )
            self._verdicts_layout.addWidget(caption, row, 0)
            self._verdicts_layout.addWidget(combo, row, 1)
            self._verdict_combos[att.ordinal] = combo
