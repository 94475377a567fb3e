"""Tests for ui.case.decision_panel: inline Chinese refusals, verdicts suggesting reasons, four-eyes
confirmation, undo — against a real SQLite store through the threaded task manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.auth import Actor
from app.review.workflow import DecisionInput, WorkflowError
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import Case, Decision
from tests.workflow_fixtures import World
from ui.case.case_view import load_case_bundle
from ui.case.decision_panel import (
    CheckRow,
    DecisionPanel,
    PanelContext,
    claim_text,
    refusal_text,
)
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


def make_panel(
    qtbot: QtBot, world: World, tasks: TaskManager, actor: Actor, case_no: str
) -> DecisionPanel:
    """A panel showing ``case_no`` as the case view would, claimed when pending."""
    wb = Workbench(standalone(world.store), actor)
    panel = DecisionPanel(wb, tasks)
    qtbot.addWidget(panel)
    panel.resize(380, 800)
    panel.show()
    load(panel, wb, case_no)
    return panel


def load(panel: DecisionPanel, wb: Workbench, case_no: str) -> None:
    loaded = load_case_bundle(wb, case_no, lambda: True)
    panel.set_case(
        PanelContext(
            detail=loaded.detail,
            reasons=loaded.reasons,
            checklist=loaded.checklist,
            can_undo=loaded.can_undo,
            editable=loaded.claim is not None,
            status_text="",
            can_supervise=wb.actor.role == "supervisor",
        )
    )


def status_of(world: World, case_no: str) -> str:
    with world.store.read() as s:
        return str(s.scalars(select(Case.status).where(Case.case_no == case_no)).one())


def refused_with(qtbot: QtBot, panel: DecisionPanel, action: Any) -> str:
    with qtbot.waitSignal(panel.refused, timeout=10_000) as signal:
        action()
    text = str(signal.args[0])
    assert panel.message() == text
    return text


def test_refusals_are_shown_inline_in_chinese(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    assert panel.editable
    assert (
        refused_with(qtbot, panel, panel.submit)
        == "请先选择：通过（A）、不通过（R）或退回补充（T）"
    )
    panel.choose_outcome("reject")
    assert refused_with(qtbot, panel, panel.submit) == "不通过须至少选择一项理由"
    panel.set_reason("OTHER")
    assert refused_with(qtbot, panel, panel.submit) == "选择「其他」理由时须填写审核意见"
    panel.choose_outcome("return")
    panel.set_reason("OTHER", False)
    assert refused_with(qtbot, panel, panel.submit) == "退回补充须至少勾选一项缺少的材料"
    with world.store.read() as s:
        assert s.scalars(select(Decision)).all() == []


def test_comment_makes_other_acceptable(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    panel.choose_outcome("return")
    panel.toggle_item(0)  # digit 1 in a return: the first missing document
    panel.toggle_reason(len(panel._reason_boxes) - 1)  # Ctrl+Alt+digit: OTHER, the last reason
    assert panel.selected_reasons() == ("OTHER",)
    panel.comment_edit.setPlainText("照片反光")  # QTest cannot type CJK
    with qtbot.waitSignal(panel.decision_saved, timeout=10_000) as saved:
        panel.submit()
    result, and_next = saved.args
    assert result.state == "accepted" and not and_next
    assert panel.message() == "已提交：已退回"
    assert status_of(world, world.cases[0]) == "returned"
    with world.store.read() as s:
        comment, reasons = s.execute(select(Decision.comment, Decision.reasons)).one()
    assert comment == "照片反光" and reasons["missing"] == ["divorce_certificate"]


def test_verdicts_preselect_suggested_reasons(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    panel.choose_outcome("reject")
    panel.set_current_attachment(2)
    panel.cycle_verdict()  # fine
    assert panel.verdicts == {2: "fine"} and panel.selected_reasons() == ()
    panel.cycle_verdict()  # unclear
    assert panel.selected_reasons() == ("PHOTO_UNCLEAR",)
    panel.cycle_verdict()  # wrong document: the suggestion follows the verdict
    assert panel.selected_reasons() == ("WRONG_DOCUMENT",)
    panel.set_current_attachment(0)
    panel.set_verdict(0, "suspicious")
    assert set(panel.selected_reasons()) == {"WRONG_DOCUMENT", "SUSPECTED_ALTERED"}
    # A reason the reviewer ticked by hand stays when the verdict goes.
    panel.toggle_reason(list(panel._reason_boxes).index("WRONG_DOCUMENT"))
    panel.toggle_reason(list(panel._reason_boxes).index("WRONG_DOCUMENT"))
    panel.set_verdict(2, "")
    assert set(panel.selected_reasons()) == {"WRONG_DOCUMENT", "SUSPECTED_ALTERED"}
    assert panel.decision_input().verdicts == {0: "suspicious"}


def test_four_eyes_confirmation_by_another_supervisor(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    case = world.cases[0]
    alice = make_panel(qtbot, world, tasks, world.alice, case)
    alice.choose_outcome("reject")
    alice.toggle_item(0)
    with qtbot.waitSignal(alice.decision_saved, timeout=10_000) as saved:
        alice.submit(and_next=False)
    assert saved.args[0].state == "pending_confirmation"
    assert alice.message() == "已提交，等待复核"
    assert not alice.editable
    assert status_of(world, case) == "confirming"

    sup = make_panel(qtbot, world, tasks, world.sup, case)
    assert sup.confirm_box.isVisible() and not sup.editable
    assert "alice" in sup.confirm_summary.text()
    assert "不通过" in sup.decision_summary.text()
    with qtbot.waitSignal(sup.case_changed, timeout=10_000):
        sup.confirm(True)
    assert status_of(world, case) == "rejected"


def test_supervisor_cannot_confirm_own_decision(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    case = world.cases[1]
    wb = Workbench(standalone(world.store), world.sup)
    wb.claim(case)
    wb.decide(case, DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    sup = make_panel(qtbot, world, tasks, world.sup, case)
    text = refused_with(qtbot, sup, lambda: sup.confirm(True))
    assert text == "四眼原则：不能复核自己作出的决定，须由另一位主管复核"
    assert status_of(world, case) == "confirming"


def test_undo_while_the_window_is_open(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    case = world.cases[2]
    panel = make_panel(qtbot, world, tasks, world.alice, case)
    assert not panel.undo_button.isVisible()
    panel.choose_outcome("approve")
    with qtbot.waitSignal(panel.decision_saved, timeout=10_000):
        panel.submit()
    assert status_of(world, case) == "approved"
    load(panel, Workbench(standalone(world.store), world.alice), case)
    assert panel.undo_button.isVisible() and panel.undo_button.isEnabled()
    assert "通过" in panel.decision_summary.text()
    with qtbot.waitSignal(panel.case_changed, timeout=10_000):
        panel.undo()
    assert status_of(world, case) == "pending"
    # Bob cannot undo alice's decision: the button is off for him.
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(case)
    wb.decide(case, DecisionInput("approve"))
    bob = make_panel(qtbot, world, tasks, world.bob, case)
    assert not bob.undo_button.isEnabled()


def test_refusal_text_and_claim_text() -> None:
    until = dt.datetime(2026, 6, 3, 6, 30, tzinfo=dt.UTC)
    local = until.astimezone().strftime("%H:%M")
    error = WorkflowError("claimed_by_other", "claimed", holder="bob", until=until)
    assert refusal_text(error) == f"已被 bob 领取至 {local}，只能查看"
    assert claim_text("alice", until, mine=True) == f"已领取，至 {local}"
    assert refusal_text(WorkflowError("state", "x", status="approved")) == (
        "案件当前为「已通过」，不能进行此操作"
    )
    assert refusal_text(ValueError("bug")) is None


def test_digits_follow_the_outcome(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    panel.toggle_item(1)  # no outcome yet: a reason implies 不通过
    assert panel.outcome == "reject"
    assert panel.selected_reasons() == ("CUSTODY_OTHER_PARENT",)
    panel.choose_outcome("return")
    panel.toggle_item(2)
    assert panel.selected_missing() == ("hukou_home",)
    panel.choose_outcome("approve")
    panel.toggle_item(0)
    assert "通过时不能选择理由" in panel.message()
    assert panel.decision_input().reasons == ()
    assert panel.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_next_case_with_the_same_lists_reuses_them_unticked(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    wb = Workbench(standalone(world.store), world.alice)
    boxes = dict(panel._reason_boxes)
    combos = dict(panel._verdict_combos)
    assert boxes and combos
    first_code = next(iter(boxes))
    boxes[first_code].setChecked(True)
    combos[0].setCurrentIndex(1)
    panel.clear("正在打开…")
    # While the next case loads: nothing ticked, nothing of the last case shown.
    assert not boxes[first_code].isChecked() and combos[0].currentIndex() == 0
    assert not boxes[first_code].parentWidget().isVisibleTo(panel)
    wb.claim(world.cases[1])
    load(panel, wb, world.cases[1])
    # Same kind, same documents: the same widgets, shown again, unticked.
    assert panel._reason_boxes == boxes and panel._verdict_combos == combos
    assert boxes[first_code].parentWidget().isVisibleTo(panel)
    assert not any(box.isChecked() for box in boxes.values())
    assert all(combo.currentIndex() == 0 for combo in combos.values())
    assert panel.verdicts_box.isVisibleTo(panel)


def test_other_lists_take_over_the_check_rows_already_made(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    panel = make_panel(qtbot, world, tasks, world.alice, world.cases[0])
    wb = Workbench(standalone(world.store), world.alice)
    reasons = list(load_case_bundle(wb, world.cases[0], lambda: True).reasons)
    assert len(reasons) >= 4
    docs = [("hukou_home", "户口簿"), ("house_cert", "房产证"), ("birth_cert", "出生证明")]

    def shown(rows: list[CheckRow]) -> list[str]:
        return [row.box.objectName() for row in rows if not row.isHidden()]

    panel._rebuild_lists(reasons[:4], docs, [])
    made = len(panel.findChildren(CheckRow))
    panel._rebuild_lists(reasons[1:3], docs[2:], [])
    assert len(panel.findChildren(CheckRow)) == made  # none made, none deleted
    assert shown(panel._reason_rows) == [f"reason_{r.code}" for r in reasons[1:3]]
    assert shown(panel._missing_rows) == ["missing_birth_cert"]
    assert panel._reason_rows[0].text().startswith("1  ")
    assert panel._missing_rows[0].text().startswith("1  ")
    # Keys and clicks reach the code a reused row stands for now.
    panel.choose_outcome("reject")
    panel.toggle_item(1)
    assert panel.selected_reasons() == (reasons[2].code,)
    panel._auto_reasons = {reasons[1].code}
    qtbot.mouseClick(panel._reason_rows[0].box, Qt.MouseButton.LeftButton)
    assert reasons[1].code not in panel._auto_reasons
    assert set(panel.selected_reasons()) == {reasons[1].code, reasons[2].code}
    # A longer list than ever: only the missing rows are made.
    panel._rebuild_lists(reasons, docs, [])
    assert shown(panel._reason_rows) == [f"reason_{r.code}" for r in reasons]
