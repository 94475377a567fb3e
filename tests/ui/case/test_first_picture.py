"""The first picture of a case comes first (issue 14): the current round's attachments are
read ahead of the case, the full load (view journaled, claim, facts, panel) waits until the
picture is painted — at most SETTLE_WAIT_MS — and ``case_loaded`` still means that header,
facts and panel are built (offscreen, SQLite, real task threads)."""

from __future__ import annotations

import copy
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.review.cases import CaseNotFound, resolve_case_id
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.models import JournalEntry
from reviewdb.queue import QueueQuery
from tests.integration.test_intake import jpeg
from tests.ui.case.test_case_view import (
    claim_owner,
    import_case,
    make_view,
    open_case,
    problem_manifest,
    truncated_jpeg,
    wait_idle,
)
from tests.workflow_fixtures import World
from ui.case.case_view import SETTLE_WAIT_MS, CaseView, first_attachments
from ui.shell.tasks import TaskManager
from ui.viewer.attachments import AttachmentsPane

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot: QtBot, world: World, tasks: TaskManager) -> CaseView:
    return make_view(qtbot, world, tasks)


def journal_actions(world: World, case_no: str, actor: str = "alice") -> list[str]:
    with world.store.read() as s:
        case_id = resolve_case_id(s, case_no, None)
        return list(
            s.scalars(
                select(JournalEntry.action)
                .where(JournalEntry.case_id == case_id, JournalEntry.actor == actor)
                .order_by(JournalEntry.seq)
            ).all()
        )


class PaintWatch(QObject):
    """Records, at the first paint of a picture, how many tasks were still to come back."""

    def __init__(self, pane: AttachmentsPane, tasks: TaskManager) -> None:
        super().__init__()
        self.pane, self.tasks = pane, tasks
        self.pending_at_paint: int | None = None
        pane.viewer.view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.Paint
            and self.pending_at_paint is None
            and self.pane.viewer.has_image
        ):
            self.pending_at_paint = self.tasks.pending_count
        return False


def test_first_picture_is_painted_before_the_case_is_loaded(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    pane = view.attachments
    watch = PaintWatch(pane, tasks)
    settled_with_case: list[bool] = []
    pane.settled.connect(lambda: settled_with_case.append(view.detail is not None))
    at_loaded: list[tuple[bool, str | None]] = []
    view.case_loaded.connect(
        lambda _case_id: at_loaded.append(
            (pane.viewer.has_image, view.facts.value_text("student.id_number"))
        )
    )
    open_case(qtbot, view, world.cases[0])  # nothing decoded before: a cold open
    detail = view.detail
    assert detail is not None
    # The picture settled while the case was still loading, and when case_loaded came the
    # picture was on screen and the facts were built.
    assert settled_with_case[:1] == [False]
    assert at_loaded == [(True, detail.student_id_number)]
    # Painted at once, before the load (or the thumbnails) was even started.
    assert watch.pending_at_paint == 0
    # Opened with focus inside: claimed, journaled as a view, the panel ready to decide.
    assert view.holds_claim and view.panel.editable
    assert claim_owner(world.store, world.cases[0]) == world.alice.user_id
    assert journal_actions(world, world.cases[0]) == ["view", "claim"]


def test_the_case_loads_only_once_its_picture_is_on_screen(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    # Both cpu workers busy with earlier work: the first picture waits its turn.
    gate = threading.Event()
    for _ in range(2):
        tasks.run(gate.wait, lane="cpu")
    at_loaded: list[bool] = []
    view.case_loaded.connect(lambda _case_id: at_loaded.append(view.attachments.viewer.has_image))
    try:
        view.setFocus()
        view.show_case(world.cases[0])
        qtbot.waitUntil(lambda: bool(view.attachments.attachments), timeout=10_000)
        qtbot.wait(60)  # a load started now would be back by far
        assert view.detail is None and not at_loaded
        assert journal_actions(world, world.cases[0]) == []  # not even journaled yet
        with qtbot.waitSignal(view.case_loaded, timeout=10_000):
            gate.set()
    finally:
        gate.set()
    assert at_loaded == [True]
    assert view.holds_claim and journal_actions(world, world.cases[0]) == ["view", "claim"]


def test_a_case_left_before_its_picture_is_not_loaded(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    view.setFocus()
    view.show_case(world.cases[0])
    open_case(qtbot, view, world.cases[1])  # before the first case's attachments came back
    wait_idle(qtbot, tasks)
    assert view.detail is not None and view.detail.case_no == world.cases[1]
    # The first case was never on screen: not journaled as viewed, never claimed.
    assert journal_actions(world, world.cases[0]) == []
    assert claim_owner(world.store, world.cases[0]) is None
    assert claim_owner(world.store, world.cases[1]) == world.alice.user_id
    assert view.attachments.attachments == view.detail.attachments


def test_a_picture_still_waiting_does_not_hold_the_case_back(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    # Both cpu workers are busy (a case left a moment ago, a big scan): the picture has to
    # wait its turn, and the case loads anyway after SETTLE_WAIT_MS.
    gate = threading.Event()
    for _ in range(2):
        tasks.run(gate.wait, lane="cpu")
    try:
        started = time.monotonic()
        open_case(qtbot, view, world.cases[0])
        waited_ms = (time.monotonic() - started) * 1000
        assert not view.attachments.viewer.has_image
        assert view.detail is not None and view.panel.editable
        assert view.facts.value_text("student.id_number") == view.detail.student_id_number
        assert waited_ms >= SETTLE_WAIT_MS * 0.9
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)


def test_the_attachments_read_first_are_the_current_rounds(world: World, tmp_path: Path) -> None:
    case_no = import_case(world.store, tmp_path, problem_manifest("F-1"))
    wb = Workbench(standalone(world.store), world.alice)
    wb.claim(case_no)
    wb.decide(case_no, DecisionInput("return", missing=("divorce_certificate",)))
    m2 = copy.deepcopy(problem_manifest("F-2"))
    m2["submitted_at"] = "2026-06-10T10:00:00+08:00"
    import_case(world.store, tmp_path, m2, **{"img/divorce.jpg": jpeg(color="yellow")})

    detail = wb.peek_case(case_no)
    assert detail.round == 2
    read = first_attachments(wb, case_no)
    assert read == detail.attachments
    assert read != detail.rounds[0].attachments  # the new divorce certificate
    assert first_attachments(wb, detail.case_id) == read  # by uuid too
    # Outside the reviewer's districts the case does not exist, as everywhere.
    with pytest.raises(CaseNotFound):
        first_attachments(Workbench(standalone(world.store), world.carol), case_no)


# --- the queue row names the picture: its decode starts before the case is read ----------


def first_picture_of(world: World, case_no: str) -> str | None:
    rows = Workbench(standalone(world.store), world.alice).queue(QueueQuery(), limit=500)
    return {row.case_no: row.first_picture for row in rows}[case_no]


def test_the_queue_row_names_the_current_rounds_first_readable_picture(
    world: World, tmp_path: Path
) -> None:
    # This case opens on a JPEG cut off mid-upload (法院判决书 put first): no picture to
    # start on, the viewer says why once the case is read.
    m = problem_manifest()
    m["attachments"][:2] = [m["attachments"][1], m["attachments"][0]]
    problem_case = import_case(world.store, tmp_path, m, **{"img/judgment.jpg": truncated_jpeg()})
    wb = Workbench(standalone(world.store), world.alice)
    detail = wb.peek_case(world.cases[0])
    assert first_picture_of(world, world.cases[0]) == detail.attachments[0].sha256
    problem = wb.peek_case(problem_case)
    assert [a.readable for a in problem.attachments[:2]] == [False, True]
    assert first_picture_of(world, problem_case) is None
    # Returned for a new 判决书; the new round opens on a readable one: the row names it.
    wb.claim(problem_case)
    wb.decide(problem_case, DecisionInput("return", missing=("custody_document",)))
    m2 = copy.deepcopy(problem_manifest("Q-2"))
    m2["submitted_at"] = "2026-06-10T10:00:00+08:00"
    m2["attachments"][:2] = [m2["attachments"][1], m2["attachments"][0]]
    import_case(world.store, tmp_path, m2, **{"img/judgment.jpg": jpeg(color="yellow")})
    renewed = wb.peek_case(problem_case)
    assert renewed.round == 2
    assert first_picture_of(world, problem_case) == renewed.attachments[0].sha256
    assert renewed.attachments[0].sha256 != renewed.rounds[0].attachments[0].sha256


def test_the_named_picture_is_shown_before_the_case_is_read(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    case_no = world.cases[0]
    first = first_picture_of(world, case_no)
    assert first is not None
    gate = threading.Event()
    tasks.run(gate.wait)  # the db lane is busy: the case cannot be read yet
    try:
        view.setFocus()
        view.show_case(case_no, first_picture=first)
        qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
        # On screen while nothing of the case is known yet.
        assert view.attachments.attachments == ()
        assert view.detail is None
        assert view.attachments.main_feeder.base_image is not None
        assert view.loader.cached(first, view.attachments.main_feeder.box()) is not None
        decodes = view.loader.decodes
        with qtbot.waitSignal(view.case_loaded, timeout=10_000):
            gate.set()
    finally:
        gate.set()
    detail = view.detail
    assert detail is not None and detail.case_no == case_no
    assert view.attachments.attachments == detail.attachments
    assert view.attachments.main_feeder.attachment == detail.attachments[0]
    assert view.attachments.viewer.has_image
    wait_idle(qtbot, tasks)
    # The picture shown first was not decoded a second time: the other attachments'
    # thumbnails were decoded, its own was shrunk from the picture on screen.
    assert view.loader.cached(first, view.attachments.main_feeder.box()) is not None
    assert view.loader.decodes - decodes == len(detail.attachments) - 1
    assert view.holds_claim and journal_actions(world, case_no) == ["view", "claim"]


def test_a_named_picture_of_a_case_left_is_never_shown(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    first, second = world.cases[0], world.cases[1]
    first_sha = first_picture_of(world, first)
    feeder = view.attachments.main_feeder
    shown_first: list[int] = []
    show_first = feeder.show_first

    def spy(image: QImage) -> None:  # the real method, counted
        shown_first.append(image.width())
        show_first(image)

    feeder.show_first = spy  # type: ignore[method-assign]
    gate = threading.Event()
    for _ in range(2):
        tasks.run(gate.wait, lane="cpu")  # both decoders busy: the named picture waits
    try:
        view.setFocus()
        view.show_case(first, first_picture=first_sha)
        view.show_case(second)  # moved on (a search result: no picture named)
        gate.set()
        qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
        wait_idle(qtbot, tasks)
    finally:
        gate.set()
    assert view.detail is not None and view.detail.case_no == second
    assert shown_first == []
    assert feeder.attachment == view.detail.attachments[0]
    assert view.attachments.viewer.has_image
    assert journal_actions(world, first) == []
    assert claim_owner(world.store, first) is None


def test_an_unreadable_named_picture_leaves_the_reason_to_the_case(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    # A picture named by a stale row that is not in the blob store: nothing shown, no
    # error dialog, and the case loads as usual.
    with qtbot.waitSignal(view.case_loaded, timeout=10_000):
        view.setFocus()
        view.show_case(world.cases[0], first_picture="0" * 64)
    assert view.detail is not None
    qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
    assert view.attachments.main_feeder.attachment == view.detail.attachments[0]


def test_the_case_left_keeps_its_pixels_only_until_the_named_picture_is_painted(
    qtbot: QtBot, view: CaseView, world: World, tasks: TaskManager
) -> None:
    open_case(qtbot, view, world.cases[0])
    qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
    side = (view.tabs, view.panel, view.findings_banner, view.title_label)
    assert all(w.updatesEnabled() for w in side)
    second = world.cases[1]
    gate = threading.Event()
    for _ in range(2):
        tasks.run(gate.wait, lane="cpu")  # the named picture waits for a decoder
    view.loader.clear()  # the world's cases share their pictures: decode it again
    try:
        view.show_case(second, first_picture=first_picture_of(world, second))
        # Cleared at once (no key decides the case left), painted after the picture.
        assert not view.panel.editable
        assert view.title_label.text() == second
        assert not any(w.updatesEnabled() for w in side)
        gate.set()
        qtbot.waitUntil(lambda: view.attachments.viewer.has_image, timeout=10_000)
        assert all(w.updatesEnabled() for w in side)
    finally:
        gate.set()
    wait_idle(qtbot, tasks)
    # A picture slower than SETTLE_WAIT_MS does not keep the rest from painting.
    gate = threading.Event()
    for _ in range(2):
        tasks.run(gate.wait, lane="cpu")
    view.loader.clear()
    try:
        view.show_case(world.cases[0], first_picture=first_picture_of(world, world.cases[0]))
        assert not view.tabs.updatesEnabled()
        qtbot.waitUntil(lambda: view.tabs.updatesEnabled(), timeout=SETTLE_WAIT_MS * 4)
        assert not view.attachments.viewer.has_image
    finally:
        gate.set()
    wait_idle(qtbot, tasks)
    assert all(w.updatesEnabled() for w in side)
