"""Tests for ui.case.case_view: facts with findings, the attachments pane and its keys, claims,
refusals, rounds, stale results and prefetching (offscreen, SQLite, real task threads)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.idnumbers import make_id
from app.review.cases import AttachmentView, FindingView
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Claim, JournalEntry
from tests.integration.test_intake import files, jpeg, manifest
from tests.workflow_fixtures import World
from ui.case.case_view import CaseView
from ui.case.facts_view import FactsView, FindingLabel
from ui.shell import shortcuts
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

STUDENT = make_id("360102", dt.date(2019, 12, 1), 555)
FATHER = make_id("360102", dt.date(1987, 1, 1), 556)
MOTHER = make_id("360102", dt.date(1989, 2, 2), 557)


def truncated_jpeg() -> bytes:
    data = jpeg(800, 600, "gray")
    return data[: len(data) // 2]


def problem_manifest(submission_id: str = "P-1") -> dict[str, Any]:
    """A guardianship case with findings on a property, a permit and an attachment."""
    m = manifest(
        submission_id,
        student=STUDENT,
        guardians=(FATHER, MOTHER),
        cert="赣(2026)南昌市不动产权第7777777号",
    )
    m["properties"][0]["issue_date"] = "2026-07-01"  # after the 2026-05-31 cutoff
    m["permits"] = [
        {
            "number": "JZZ-1",
            "holder_name": "李美丽",
            "start_date": "2026-01-01",
            "valid_until": "2026-03-01",
        }
    ]
    return m


def import_case(store: Store, tmp_path: Path, m: dict[str, Any], **overrides: bytes) -> str:
    out = import_package(
        store,
        write_package(tmp_path / f"pkg-{m['submission_id']}", m, files(**overrides), as_zip=False),
        actor=None,
        workstation="ws-test",
    )
    assert out.status == "imported", out.line
    return out.case_no


@pytest.fixture
def problem_case(world: World, tmp_path: Path) -> str:
    # Attachment 1 (法院判决书) is a JPEG cut off mid-upload.
    return import_case(
        world.store, tmp_path, problem_manifest(), **{"img/judgment.jpg": truncated_jpeg()}
    )


def make_view(qtbot: QtBot, world: World, tasks: TaskManager, actor: Any = None) -> CaseView:
    view = CaseView(Workbench(standalone(world.store), actor or world.alice), tasks)
    qtbot.addWidget(view)
    view.resize(1600, 950)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view


@pytest.fixture
def view(qtbot: QtBot, world: World, tasks: TaskManager) -> CaseView:
    return make_view(qtbot, world, tasks)


def open_case(qtbot: QtBot, view: CaseView, ref: str, *, focus: bool = True) -> None:
    if focus:
        view.setFocus()
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        view.show_case(ref)


def wait_idle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=10_000)


def claim_owner(store: Store, case_no: str) -> str | None:
    with store.read() as s:
        from app.review.cases import resolve_case_id

        case_id = resolve_case_id(s, case_no, None)
        claim = s.get(Claim, case_id)
        if claim is None or claim.leased_until is None:
            return None
        until = claim.leased_until
        if until.tzinfo is None:
            until = until.replace(tzinfo=dt.UTC)
        return claim.owner_id if until > dt.datetime.now(dt.UTC) else None


# --- facts and findings ---------------------------------------------------------------------


def test_opening_shows_facts_with_findings_beside_them(
    qtbot: QtBot, view: CaseView, problem_case: str
) -> None:
    open_case(qtbot, view, problem_case)
    detail = view.detail
    assert detail is not None and detail.case_no == problem_case
    assert problem_case in view.header_text()
    assert "监护关系" in view.title_label.text()
    # Full ID in the facts, masked in the header.
    assert view.facts.value_text("student.id_number") == STUDENT
    assert STUDENT not in view.header_text()
    assert detail.student_id_masked in view.header_text()
    titles = view.facts.group_titles()
    assert titles[:4] == ["申请", "学生", "监护人", "抚养权 / 离婚"]
    assert "房产" in titles and "居住证" in titles and "材料" in titles

    placed = {f.code: view.facts.anchor_of(i) for i, f in enumerate(detail.findings)}
    assert placed["CERT_AFTER_CUTOFF"] == "properties[0].issue_date"
    assert placed["PERMIT_EXPIRED"] == "permits[0].valid_until"
    assert placed["PERMIT_TOO_SHORT"] == "permits[0].start_date"
    assert placed["IMAGE_UNREADABLE"] == "attachments[1]"
    assert placed["MISSING_DOCUMENT"] == "checklist"
    assert "__other__" not in placed.values()
    labels = {label.finding.code for label in view.facts.finding_labels}
    assert {"CERT_AFTER_CUTOFF", "PERMIT_EXPIRED"} <= labels


def test_a_fresh_facts_pane_is_built_on_the_turn_after_header_and_panel(
    qtbot: QtBot, view: CaseView, problem_case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a slow PC the first case's facts (built fresh), header, panel and pictures in one
    turn of the event loop were the session's longest stall: the facts come one turn
    later, and case_loaded after them."""
    at_panel: list[list[str]] = []
    at_loaded: list[list[str]] = []
    set_case = view.panel.set_case
    monkeypatch.setattr(
        view.panel,
        "set_case",
        lambda context: (at_panel.append(view.facts.group_titles()), set_case(context)),
    )
    view.case_loaded.connect(lambda _id: at_loaded.append(view.facts.group_titles()))
    open_case(qtbot, view, problem_case)
    assert at_panel and at_panel[0] == []  # the panel was set while the facts were not
    assert at_loaded and at_loaded[0][:2] == ["申请", "学生"]


def test_unmatched_findings_go_to_other_findings(qtbot: QtBot) -> None:
    facts = FactsView()
    qtbot.addWidget(facts)
    m = manifest("X-1")
    atts = [AttachmentView(0, "离婚证", "a.jpg", "0" * 64, "image/jpeg", 1, True, None, 4, 3, None)]
    findings = [
        FindingView("ID_INVALID", "error", "身份证号校验位错误", "guardians[1].id_number"),
        FindingView("NEW_RULE", "warning", "一项新规则的发现", "social_insurance.months"),
    ]
    facts.set_facts(m, atts, findings)
    assert facts.anchor_of(0) == "guardians[1].id_number"
    assert facts.anchor_of(1) == "__other__"
    assert "其他发现" in [g.title() for g in facts.findChildren(type(facts._groups[0]))]


def test_the_next_case_of_the_same_layout_reuses_the_widgets_with_its_own_texts(
    qtbot: QtBot,
) -> None:
    facts = FactsView()
    qtbot.addWidget(facts)
    facts.resize(420, 900)
    facts.show()
    first, second = manifest("X-1"), manifest("X-2")
    second["student"]["name"] = "王小明"
    second["guardians"][0]["name"] = "王大明"
    atts = [AttachmentView(0, "离婚证", "a.jpg", "0" * 64, "image/jpeg", 1, True, None, 4, 3, None)]
    one = [FindingView("ID_INVALID", "error", "身份证号校验位错误", "guardians[1].id_number")]
    other = [FindingView("NEW_RULE", "warning", "一项新规则的发现", "social_insurance.months")]
    facts.set_facts(first, atts, one, notice="第1轮（只读）")
    name_label = facts.findChild(QLabel, "fact:student.name")
    assert name_label is not None and name_label.text() == first["student"]["name"]
    facts.show_fact("student.name")
    assert facts.highlighted is name_label
    notice = facts.findChild(QLabel, "factsNotice")
    assert notice is not None and notice.isVisibleTo(facts)

    # As a case switch does: the facts are cleared while the next case loads.
    facts.clear("正在加载…")
    assert facts.value_text("student.name") is None and facts.group_titles() == []
    assert not name_label.isVisibleTo(facts)
    facts.set_facts(second, atts, other)
    # The same widgets, the second case's texts and findings, nothing of the first left.
    assert facts.findChild(QLabel, "fact:student.name") is name_label
    assert facts.value_text("student.name") == "王小明"
    guardians = next(g for g in facts._groups if g.anchor == "guardians")
    assert guardians.headings["guardians[0]"].text().endswith("  王大明")
    assert facts.anchor_of(0) == "__other__"
    assert [f.finding.code for f in facts.finding_labels] == ["NEW_RULE"]
    # The first case's finding label is gone (deleted with the next turn of the loop).
    qtbot.waitUntil(
        lambda: [label.finding.code for label in facts.findChildren(FindingLabel)] == ["NEW_RULE"]
    )
    assert facts.highlighted is None and name_label.styleSheet() == ""
    assert name_label.isVisibleTo(facts)
    message = facts.findChild(QLabel, "factsMessage")
    assert message is not None and not message.isVisibleTo(facts)
    assert not notice.isVisibleTo(facts)
    other_group = facts.findChild(QWidget, "otherFindings")
    assert other_group is not None and other_group.isVisibleTo(facts)

    # Another layout (a second property): built anew, and still right.
    third = manifest("X-3")
    third["properties"].append(dict(third["properties"][0], cert_number="赣(2021)第1号"))
    facts.set_facts(third, atts, one)
    assert facts.findChild(QLabel, "fact:student.name") is not name_label
    assert facts.value_text("properties[1].cert_number") == "赣(2021)第1号"
    assert facts.anchor_of(0) == "guardians[1].id_number"
    qtbot.waitUntil(lambda: not shiboken6.isValid(name_label))


# --- attachments: keys, compare, unreadable ----------------------------------------------------


def _press(
    qtbot: QtBot, view: CaseView, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget() or view
    qtbot.keyClick(target, key, modifier)


def test_zoom_rotate_and_compare_with_keys(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    open_case(qtbot, view, world.cases[0])
    viewer = view.attachments.viewer
    qtbot.waitUntil(lambda: viewer.has_image, timeout=10_000)
    first = view.attachments.current
    assert first is not None
    before = world.store.blobs.get(first.sha256)

    _press(qtbot, view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom_factor == pytest.approx(1.0)
    _press(qtbot, view, Qt.Key.Key_Plus)
    assert viewer.zoom_factor == pytest.approx(1.25)
    _press(qtbot, view, Qt.Key.Key_Minus)
    _press(qtbot, view, Qt.Key.Key_Minus)
    assert viewer.zoom_factor == pytest.approx(1 / 1.25)
    _press(qtbot, view, Qt.Key.Key_F)
    fitted = viewer.zoom_factor
    _press(qtbot, view, Qt.Key.Key_W)
    assert viewer.zoom_factor >= fitted

    _press(qtbot, view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert viewer.rotation == 90
    _press(qtbot, view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _press(qtbot, view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert viewer.rotation == 270
    # View-only rotation: the stored picture is untouched.
    assert world.store.blobs.get(first.sha256) == before
    assert hashlib.sha256(before).hexdigest() == first.sha256
    assert view.panel.outcome is None  # Ctrl+R did not reject

    _press(qtbot, view, Qt.Key.Key_BracketRight)
    assert view.attachments.current_index == 1
    _press(qtbot, view, Qt.Key.Key_BracketLeft)
    assert view.attachments.current_index == 0

    _press(qtbot, view, Qt.Key.Key_C)
    assert view.attachments.is_comparing
    left, right = view.attachments.compare_view.viewers
    qtbot.waitUntil(lambda: left.has_image and right.has_image, timeout=10_000)
    assert view.attachments.second_index == 1
    captions = view.attachments.compare_view.captions()
    assert captions[0].startswith("1.") and captions[1].startswith("2.")
    _press(qtbot, view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert view.attachments.second_index == 2
    assert view.attachments.compare_combo.currentIndex() == 2
    _press(qtbot, view, Qt.Key.Key_C)
    assert not view.attachments.is_comparing


def test_full_resolution_and_brightness_in_background(
    qtbot: QtBot, view: CaseView, world: World, tmp_path: Path
) -> None:
    big = import_case(
        world.store,
        tmp_path,
        problem_manifest("BIG-1"),
        **{"img/divorce.jpg": jpeg(3200, 2400, "gray")},
    )
    open_case(qtbot, view, big)
    viewer = view.attachments.viewer
    qtbot.waitUntil(lambda: viewer.has_image, timeout=10_000)
    decodes = view.loader.decodes
    with qtbot.waitSignal(viewer.full_resolution_wanted):
        viewer.set_zoom(4.0)
    qtbot.waitUntil(lambda: viewer.is_full_resolution, timeout=10_000)
    assert view.loader.decodes == decodes + 1
    before = viewer.pixmap.toImage().pixelColor(10, 10).lightness()
    with qtbot.waitSignal(viewer.adjustments_changed):
        _press(qtbot, view, Qt.Key.Key_B)
    qtbot.waitUntil(
        lambda: viewer.pixmap.toImage().pixelColor(10, 10).lightness() != before, timeout=10_000
    )


def test_unreadable_attachment_offers_return_with_document_missing(
    qtbot: QtBot, view: CaseView, problem_case: str
) -> None:
    open_case(qtbot, view, problem_case)
    pane = view.attachments
    assert pane.strip.is_unreadable(1)
    _press(qtbot, view, Qt.Key.Key_BracketRight)
    viewer = pane.viewer
    assert viewer.showing_unreadable
    reason = viewer.findChild(QLabel, "unreadableReason")
    assert reason is not None and "截断" in reason.text()
    panel = view.panel
    qtbot.waitUntil(lambda: panel.editable)
    button = viewer.findChild(type(panel.submit_button), "returnButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.outcome == "return"
    assert panel.selected_missing() == ("custody_document",)
    assert "法院判决书" in panel.note_edit.toPlainText()


# --- claims and refusals -----------------------------------------------------------------------


def test_open_claims_and_leaving_releases(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    open_case(qtbot, view, world.cases[0])
    assert view.holds_claim and view.panel.editable
    assert "已领取，至" in view.claim_label.text()
    assert claim_owner(world.store, world.cases[0]) == world.alice.user_id
    view.renew_claim()
    open_case(qtbot, view, world.cases[1])
    wait_idle(qtbot, tasks)
    assert claim_owner(world.store, world.cases[0]) is None
    assert claim_owner(world.store, world.cases[1]) == world.alice.user_id
    with world.store.read() as s:
        actions = s.scalars(select(JournalEntry.action).where(JournalEntry.actor == "alice")).all()
    assert actions.count("renew") == 1 and "release" in actions


def test_selecting_without_focus_only_views(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()  # as when the reviewer is arrowing through the queue
    open_case(qtbot, view, world.cases[0], focus=False)
    assert not view.holds_claim and not view.panel.editable
    assert "未领取" in view.claim_label.text()
    _press(qtbot, view, Qt.Key.Key_A)
    assert view.panel.outcome is None  # focus is elsewhere: the case keys are not active
    view.setFocus()  # the reviewer turns to the case: it is claimed
    qtbot.waitUntil(lambda: view.panel.editable, timeout=10_000)
    assert claim_owner(world.store, world.cases[0]) == world.alice.user_id


def test_case_claimed_by_someone_else_is_read_only(
    qtbot: QtBot, view: CaseView, world: World
) -> None:
    Workbench(standalone(world.store), world.bob).claim(world.cases[0])
    open_case(qtbot, view, world.cases[0])
    text = view.claim_label.text()
    assert text.startswith("已被 bob 领取至") and "只能查看" in text
    assert not view.panel.editable
    assert view.panel.status_label.text() == text
    _press(qtbot, view, Qt.Key.Key_A)
    assert view.panel.outcome is None


def test_case_outside_district_is_not_found(qtbot: QtBot, world: World, tasks: TaskManager) -> None:
    view = make_view(qtbot, world, tasks, world.carol)
    view.setFocus()
    view.show_case(world.cases[0])
    qtbot.waitUntil(lambda: view.banner.isVisible(), timeout=10_000)
    assert "未找到该案件" in view.banner.text()
    assert view.detail is None and not view.panel.editable


def test_stale_results_are_dropped(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    view.setFocus()
    loaded: list[str] = []
    view.case_loaded.connect(loaded.append)
    view.show_case(world.cases[0])
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        view.show_case(world.cases[1])
    wait_idle(qtbot, tasks)
    assert view.detail is not None and view.detail.case_no == world.cases[1]
    assert world.cases[1] in view.header_text() and world.cases[0] not in view.header_text()
    assert len(loaded) == 1
    # Whatever the first load managed to claim was given back.
    assert claim_owner(world.store, world.cases[0]) is None


def test_earlier_round_is_readable_and_read_only(
    qtbot: QtBot, view: CaseView, world: World, tmp_path: Path
) -> None:
    case_no = import_case(world.store, tmp_path, problem_manifest("R-1"))
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(case_no)
    wb.decide(case_no, DecisionInput("return", missing=("divorce_certificate",)))
    m2 = copy.deepcopy(problem_manifest("R-2"))
    m2["submitted_at"] = "2026-06-10T10:00:00+08:00"
    m2["guardians"][1]["phone"] = "13900000000"
    import_case(world.store, tmp_path, m2, **{"img/divorce.jpg": jpeg(color="yellow")})

    open_case(qtbot, view, case_no)
    assert view.detail is not None and view.detail.round == 2
    assert view.round_combo.count() == 2 and view.round_combo.isEnabled()
    assert view.facts.value_text("guardians[1].phone") == "13900000000"
    qtbot.waitUntil(lambda: view.panel.editable, timeout=10_000)
    current_first = view.attachments.attachments[0].sha256

    view.select_round(1)
    assert not view.panel.editable
    assert "第 1 轮" in view.panel.status_label.text()
    assert view.facts.value_text("guardians[1].phone") is None
    assert view.attachments.attachments[0].sha256 != current_first
    view.select_round(2)
    assert view.panel.editable


def test_history_lists_the_journal(qtbot: QtBot, view: CaseView, world: World) -> None:
    open_case(qtbot, view, world.cases[0])
    actions = view.history_view.journal_actions()
    assert actions[0] == "import" and "view" in actions and "claim" in actions


# --- prefetch and the detached window ---------------------------------------------------------


def test_prefetched_next_case_shows_first_picture_at_once(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    open_case(qtbot, view, world.cases[0])
    qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
    view.set_next_case(world.cases[1])
    wait_idle(qtbot, tasks)
    decodes = view.loader.decodes
    view.show_case(world.cases[1])
    # Synchronously: the picture is on screen before the case has even loaded.
    assert view.attachments.viewer.has_image
    assert view.attachments.current is not None
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        pass
    assert view.detail is not None and view.detail.case_no == world.cases[1]
    assert view.loader.decodes == decodes  # nothing decoded again


def test_detached_window_follows_the_case(qtbot: QtBot, view: CaseView, world: World) -> None:
    open_case(qtbot, view, world.cases[0])
    _press(qtbot, view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert view.is_detached
    window = view.attachments.window()
    assert window is not view.window()
    assert world.cases[0] in window.windowTitle()
    open_case(qtbot, view, world.cases[1])
    assert world.cases[1] in window.windowTitle()
    qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
    window.close()
    assert not view.is_detached
    assert view.attachments.window() is view.window()


# --- the shortcut table ---------------------------------------------------------------------


def test_shortcut_table_has_one_owner_per_key(qtbot: QtBot) -> None:
    seen: dict[str, str] = {}
    for entry in shortcuts.SHORTCUTS:
        for key in entry.keys:
            text = shortcuts.QKeySequence(key).toString()
            assert text, f"{entry.action}: {key!r} does not parse"
            assert text not in seen, f"{key} used by {seen.get(text)} and {entry.action}"
            seen[text] = entry.action
    sheet = shortcuts.ShortcutSheet()
    qtbot.addWidget(sheet)
    assert sheet.table.rowCount() == len(shortcuts.SHORTCUTS)
    descriptions = {sheet.table.item(r, 2).text() for r in range(sheet.table.rowCount())}
    assert {"通过", "不通过", "退回补充", "快捷键一览"} <= descriptions
