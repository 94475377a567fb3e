"""Sync in the GUI: status bar indicator, conflicts dialog, on-site checkout (central SQLite file)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision
from tests.integration.sync_fixtures import (
    Workstation,
    central_world,
    offline,
    workstation,
)
from tests.workflow_fixtures import World
from ui.queue.queue_view import CaseIdRole
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager
from ui.sync.checkout_dialog import CheckoutDialog
from ui.sync.conflicts_view import ConflictsDialog
from ui.sync.sync_status import NetworkLane, SyncStatusWidget

pytestmark = pytest.mark.gui

SCHOOL = "南昌市东湖区育新学校"
LOOK = Path("/tmp/syncui_look")


@pytest.fixture
def central(tmp_path: Path) -> Iterator[tuple[Store, World]]:
    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=4)
    yield central, world
    central.dispose()


@pytest.fixture
def laptop(central: tuple[Store, World], tmp_path: Path) -> Iterator[Workstation]:
    ws = workstation(central[0], tmp_path, "laptop")
    yield ws
    ws.local.dispose()


def _status(qtbot: QtBot, wb: Workbench, **kw: Any) -> SyncStatusWidget:
    widget = SyncStatusWidget(wb, **kw)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _round(qtbot: QtBot, widget: SyncStatusWidget) -> Any:
    with qtbot.waitSignal(widget.round_finished, timeout=20_000) as blocker:
        assert widget.sync_now()
    return blocker.args[0]


def test_status_shows_online_after_a_round(
    qtbot: QtBot, central: tuple[Store, World], laptop: Workstation
) -> None:
    _, world = central
    widget = _status(qtbot, Workbench(laptop.desk, world.alice))
    assert "离线" in widget.text()  # nothing known before the first round
    status = _round(qtbot, widget)
    assert status.online
    text = widget.text()
    assert "在线" in text and "待上传 0" in text and "隔离 0" in text
    assert re.search(r"上次同步 \d\d:\d\d:\d\d", text), text
    assert not widget.quarantine_button.isEnabled()
    assert widget.read_only_label.isHidden()
    LOOK.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(LOOK / "status_online.png"))


def test_decision_made_offline_waits_and_shows_offline(
    qtbot: QtBot, central: tuple[Store, World], laptop: Workstation
) -> None:
    central_store, world = central
    wb = Workbench(laptop.desk, world.alice)
    done, _ = wb.checkout(SCHOOL, 36)
    assert sorted(done) == sorted(world.cases)
    widget = _status(qtbot, wb)
    with offline(laptop):
        assert wb.decide(world.cases[0], DecisionInput("approve")).state == "submitted"
        status = _round(qtbot, widget)
        assert not status.online and status.waiting == 1
        assert "离线" in widget.text() and "待上传 1" in widget.text()
        assert "中心库无法连接" in widget.state_label.toolTip()
        LOOK.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(LOOK / "status_offline.png"))
    status = _round(qtbot, widget)  # back online: the decision goes up
    assert status.online and status.waiting == 0
    assert "在线" in widget.text() and "待上传 0" in widget.text()
    with central_store.read() as cs:
        case = cs.scalars(select(Case).where(Case.case_no == world.cases[0])).one()
        assert case.status == "approved"


def test_sync_tick_runs_in_its_own_lane_and_skips_while_busy(
    qtbot: QtBot, central: tuple[Store, World], laptop: Workstation, tasks: TaskManager
) -> None:
    _, world = central
    wb = Workbench(laptop.desk, world.alice)
    real = wb.sync_now
    threads: list[threading.Thread] = []
    release = threading.Event()

    def guarded() -> Any:
        assert threading.current_thread() is not threading.main_thread()
        threads.append(threading.current_thread())
        release.wait(10)  # a slow network, held until the test lets it go
        return real()

    wb.sync_now = guarded  # type: ignore[method-assign]
    widget = _status(qtbot, wb, interval_ms=20)
    widget.start()
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5_000)
    # The timer keeps ticking while the round waits: the ticks are skipped, not queued.
    qtbot.waitUntil(lambda: widget.skipped_ticks >= 3, timeout=5_000)
    assert len(threads) == 1 and widget.round_running
    # The db lane the queue uses is free meanwhile.
    with qtbot.waitSignal(tasks.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        tasks.run(lambda: wb.queue_counts())
    release.set()
    qtbot.waitUntil(lambda: widget.rounds >= 2, timeout=10_000)
    widget.stop()
    assert all(t.name.startswith("rd-sync") for t in threads)
    assert "在线" in widget.text()


def test_standalone_shows_single_mode_and_disables_checkout(
    qtbot: QtBot, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.show()
    assert w.sync_status.text() == "单机模式"
    assert w.sync_status.isVisible()
    assert not w.checkout_action.isEnabled()
    assert "中心库" in w.checkout_action.toolTip()
    assert not w.sync_status.sync_now()  # nothing to sync with


def test_main_window_syncs_and_refreshes_the_queue(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    settings: QSettings,
) -> None:
    central_store, world = central
    # Something changes at the central store: the next round brings it down and the
    # queue is re-read (an idle round does not redraw anything).
    from sqlalchemy import select as _select

    from reviewdb import changes
    from reviewdb.models import Case

    with central_store.write() as cs:
        case = cs.scalars(_select(Case).where(Case.case_no == world.cases[0])).one()
        case.student_name = "王小明（更正）"
        changes.stamp(cs, [case])
    w = MainWindow(Workbench(laptop.desk, world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.sync_status.changes_pulled, timeout=20_000):
        w.start()
    assert w.sync_status.isVisible() and "在线" in w.sync_status.text()
    assert w.checkout_action.isEnabled()
    qtbot.waitUntil(lambda: w.queue.model.is_complete, timeout=10_000)
    LOOK.mkdir(parents=True, exist_ok=True)
    w.statusBar().grab().save(str(LOOK / "status_bar.png"))
    w.queue.set_tab("conflict")
    assert w.conflict_toolbar.isVisible()
    w.queue.set_tab("pending")
    assert not w.conflict_toolbar.isVisible()
    w.close()
    assert not w.sync_status.timer.isActive()


def _make_conflicts(
    central_store: Store, world: World, laptop: Workstation, tmp_path: Path
) -> list[str]:
    """Like test_sync.test_offline_checkout_lost_leases_become_conflicts: two conflicts."""
    office = workstation(central_store, tmp_path, "office")
    laptop.sync.checkout(
        SCHOOL, world.alice.user_id, world.alice.workstation, dt.timedelta(hours=36)
    )
    with offline(laptop):
        for c in world.cases:
            laptop.workflow.decide(world.alice, c, DecisionInput("approve"))
    lost = world.cases[:2]
    with central_store.write() as cs:
        ids = list(cs.scalars(select(Case.id).where(Case.case_no.in_(lost))))
        cs.execute(
            update(Claim)
            .where(Claim.case_id.in_(ids))
            .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    office.sync.sync_once()
    for c in lost:
        office.workflow.claim(world.bob, c)
        office.workflow.decide(world.bob, c, DecisionInput("approve"))
    pushed, _ = laptop.sync.sync_once()
    assert pushed.conflicts == 2
    office.local.dispose()
    return lost


def _open_conflicts(qtbot: QtBot, wb: Workbench, tasks: TaskManager) -> ConflictsDialog:
    dialog = ConflictsDialog(wb, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.choices_loaded, timeout=10_000):
        dialog.reload()
    return dialog


def test_supervisor_resolves_a_conflict(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    tmp_path: Path,
) -> None:
    central_store, world = central
    lost = _make_conflicts(central_store, world, laptop, tmp_path)
    dialog = _open_conflicts(qtbot, Workbench(laptop.desk, world.sup), tasks)
    assert sorted(c.case_no for c in dialog.conflicts) == sorted(lost)
    assert dialog.resolve_box.isVisible() and not dialog.read_only_note.isVisible()
    if dialog.current_conflict is None or dialog.current_conflict.case_no != lost[0]:
        with qtbot.waitSignal(dialog.choices_loaded, timeout=10_000):
            assert dialog.select_case(lost[0])
    conflict_text = dialog.conflict_side.text()
    standing_text = dialog.standing_side.text()
    assert (
        "通过" in conflict_text and "alice" in conflict_text and "冲突（未生效）" in conflict_text
    )
    assert "bob" in standing_text and "已生效" in standing_text
    assert not dialog.resolve_button.isEnabled()  # no outcome chosen yet
    dialog.choose("reject")
    assert not dialog.resolve_button.isEnabled()  # a rejection needs a reason
    assert dialog.hint.text() == "不通过须至少选择一项理由"
    dialog.choose("reject", reasons=("PHOTO_UNCLEAR",))
    assert dialog.resolve_button.isEnabled()
    LOOK.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(LOOK / "conflicts_supervisor.png"))
    with qtbot.waitSignal(dialog.conflict_resolved, timeout=20_000) as resolved:
        dialog.resolve_button.click()
    qtbot.waitUntil(lambda: [c.case_no for c in dialog.conflicts] == [lost[1]], timeout=10_000)
    with central_store.read() as cs:
        case = cs.scalars(select(Case).where(Case.case_no == lost[0])).one()
        assert resolved.args == [case.id]
        assert case.status == "rejected"
        newest = cs.scalars(
            select(Decision)
            .where(Decision.case_id == case.id, Decision.supersedes_id.is_not(None))
            .order_by(Decision.store_time.desc())
        ).first()
        assert newest is not None and newest.outcome == "reject"
        assert newest.reasons["codes"] == ["PHOTO_UNCLEAR"]


def test_reviewer_sees_conflicts_read_only(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    tmp_path: Path,
) -> None:
    central_store, world = central
    _make_conflicts(central_store, world, laptop, tmp_path)
    dialog = _open_conflicts(qtbot, Workbench(laptop.desk, world.alice), tasks)
    assert len(dialog.conflicts) == 2
    assert dialog.read_only_note.isVisible() and not dialog.resolve_box.isVisible()
    assert dialog.read_only_note.text() == "需由复核员（主管）裁决"
    LOOK.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(LOOK / "conflicts_reviewer.png"))


def test_checkout_dialog_checks_out_a_school_with_progress(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    tmp_path: Path,
) -> None:
    central_store, world = central
    # Bob (at the office) holds one case already: it is skipped, not taken from him.
    office = workstation(central_store, tmp_path, "office")
    office.workflow.claim(world.bob, world.cases[3])
    office.local.dispose()
    lane = NetworkLane()
    dialog = CheckoutDialog(Workbench(laptop.desk, world.alice), tasks, lane, None)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.schools_loaded, timeout=10_000):
        dialog.load_schools()
    assert dialog.hours_box.value() == 36
    assert dialog.select_school(SCHOOL)
    shown: list[tuple[int, int]] = []
    dialog.progress_shown.connect(lambda done, total: shown.append((done, total)))
    with qtbot.waitSignal(dialog.checkout_finished, timeout=30_000) as finished:
        dialog.start()
        assert not dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
        dialog.reject()  # Esc while running does nothing
        assert dialog.isVisible()
    done, skipped = finished.args
    assert sorted(done) == sorted(world.cases[:3]) and skipped == [world.cases[3]]
    assert dialog.status.text() == "已签出 3 个案件，1 个已被他人领取"
    assert (dialog.bar.value(), dialog.bar.maximum()) == (4, 4)
    assert shown and shown[-1] == (4, 4)
    assert dialog.cancel_button.isEnabled() and dialog.cancel_button.text() == "关闭"
    with central_store.read() as cs:
        holders = dict(
            cs.execute(
                select(Case.case_no, Claim.owner_id).join(Claim, Claim.case_id == Case.id)
            ).all()
        )
    assert all(holders[c] == world.alice.user_id for c in world.cases[:3])
    assert holders[world.cases[3]] == world.bob.user_id
    lane.shutdown(wait=True)


def test_quarantine_dialog_lists_items(
    qtbot: QtBot, central: tuple[Store, World], laptop: Workstation
) -> None:
    from app.sync.engine import SyncStatus

    _, world = central
    widget = _status(qtbot, Workbench(laptop.desk, world.alice))
    status = SyncStatus(
        online=True,
        last_success=dt.datetime.now(dt.UTC),
        waiting=0,
        quarantined=(("item-1", "decision", "case CASE-1: claim token 3 is stale"),),
        read_only="central schema abc is newer than this program's def",
        last_error=None,
    )
    widget.show_status(status)
    assert "隔离 1" in widget.text() and widget.quarantine_button.isEnabled()
    assert not widget.read_only_label.isHidden() and "只读" in widget.read_only_label.text()
    widget.quarantine_button.click()
    dialog = widget.quarantine_dialog
    assert dialog is not None and dialog.table.rowCount() == 1
    kind, error = dialog.table.item(0, 0), dialog.table.item(0, 2)
    assert kind is not None and kind.text() == "审核结论"
    assert error is not None and "stale" in error.text()
    dialog.close()


def test_closing_the_window_releases_an_undecided_claim(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    settings: QSettings,
) -> None:
    central_store, world = central
    w = MainWindow(Workbench(laptop.desk, world.alice), tasks, settings)
    qtbot.addWidget(w)
    w.show()
    w.start()
    # The queue selects its first row once loaded: open the case through it, not past it.
    qtbot.waitUntil(lambda: w.queue.model.is_complete, timeout=10_000)
    case_id = w.queue.model.index(1, 0).data(CaseIdRole)
    if w.case_view.case_id != case_id:
        with qtbot.waitSignal(w.case_view.case_loaded, timeout=15_000):
            assert w.queue.select_case(case_id)
    w.case_view.claim_case()
    qtbot.waitUntil(lambda: w.case_view.holds_claim, timeout=15_000)

    def owner() -> str | None:
        with central_store.read() as cs:
            claim = cs.get(Claim, case_id)
            return claim.owner_id if claim is not None else None

    assert owner() == world.alice.user_id
    w.close()
    qtbot.waitUntil(lambda: owner() is None, timeout=15_000)
