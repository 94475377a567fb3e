"""Issue 12 ("Leases") in the window: moving through checked-out cases with J/K keeps the
checkout's leases at the central store; a lease the navigation took is still given back.

The real main window, offscreen, over a workstation whose arbiter is a central SQLite
file; keys go in with ``qtbot.keyClick`` to whatever has focus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Case, Claim
from tests.integration.sync_fixtures import Workstation, central_world, workstation
from tests.workflow_fixtures import World
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

SCHOOL = "南昌市东湖区育新学校"

Leases = dict[str, tuple[str | None, int, dt.datetime | None]]


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


def _leases(store: Store) -> Leases:
    """Case number → (owner, token, leased_until)."""
    with store.read() as s:
        rows = s.execute(
            select(Case.case_no, Claim.owner_id, Claim.token, Claim.leased_until).join(
                Claim, Claim.case_id == Case.id
            )
        ).all()
    return {case_no: (owner, token, until) for case_no, owner, token, until in rows}


def _key(qtbot: QtBot, key: Qt.Key) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None, "keyboard focus was lost"
    qtbot.keyClick(focus, key)


def _idle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=15_000)


def _window(qtbot: QtBot, wb: Workbench, tasks: TaskManager, settings: QSettings) -> MainWindow:
    """The window started on 待审核, the first case opened with Enter (focus in the case)."""
    w = MainWindow(wb, tasks, settings)
    qtbot.addWidget(w)
    w.resize(1800, 1000)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.start()
    qtbot.waitUntil(lambda: w.queue.model.is_complete and w.queue.model.rowCount() > 0)
    view = w.case_view
    first = w.queue.model.case_ids()[0]
    w.queue.table.setFocus()
    if w.queue.current_case_id() != first:
        assert w.queue.select_case(first)
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.case_id == first, timeout=15_000
    )
    assert not view.holds_claim  # selected in the queue: viewed only
    _key(qtbot, Qt.Key.Key_Return)  # Enter: turn to the case, which claims it
    qtbot.waitUntil(lambda: view.holds_claim, timeout=15_000)
    return w


def _move(qtbot: QtBot, w: MainWindow, key: Qt.Key) -> str:
    """J or K, then wait until the case is open and claimed; its case number."""
    view = w.case_view
    before = view.case_id
    _key(qtbot, key)
    qtbot.waitUntil(
        lambda: view.case_id != before and view.detail is not None and view.holds_claim,
        timeout=15_000,
    )
    assert view.detail is not None
    return str(view.detail.case_no)


def _mine(qtbot: QtBot, w: MainWindow, tasks: TaskManager) -> int:
    _idle(qtbot, tasks)
    with qtbot.waitSignal(w.queue.counts_changed, timeout=15_000) as counted:
        w.queue.refresh_counts()
    counts: dict[str, int] = counted.args[0]
    return counts["mine"]


def test_j_and_k_through_checked_out_cases_keep_the_checkout(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    settings: QSettings,
) -> None:
    central_store, world = central
    wb = Workbench(laptop.desk, world.alice)
    done, skipped = wb.checkout(SCHOOL, 36)
    assert sorted(done) == sorted(world.cases) and skipped == []
    checked_out = _leases(central_store)
    assert all(owner == world.alice.user_id for owner, _, _ in checked_out.values())

    w = _window(qtbot, wb, tasks, settings)
    view = w.case_view
    assert view.detail is not None
    visited = [view.detail.case_no]
    for _ in range(len(world.cases) - 1):
        visited.append(_move(qtbot, w, Qt.Key.Key_J))
    for _ in range(len(world.cases) - 1):
        visited.append(_move(qtbot, w, Qt.Key.Key_K))
    assert sorted(set(visited)) == sorted(world.cases)
    # The renew timer's tick, on the case shown.
    view.renew_claim()
    # And quickly, without waiting for each case to open.
    for _ in range(len(world.cases) - 1):
        _key(qtbot, Qt.Key.Key_J)
    _key(qtbot, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: view.detail is not None and view.holds_claim, timeout=15_000)
    _idle(qtbot, tasks)

    assert _leases(central_store) == checked_out
    assert _leases(laptop.local) == checked_out
    assert _mine(qtbot, w, tasks) == len(world.cases)
    print(
        f"\n[sync-reliability] checkout leases through navigation: {len(checked_out)} checked "
        f"out, {len(visited)} cases visited with J/K, {len(checked_out)} leases unchanged"
    )
    # Leaving the case shown (closing the window) keeps the checkout too.
    w.close()
    _idle(qtbot, tasks)
    assert _leases(central_store) == checked_out


def test_a_lease_taken_by_opening_is_still_given_back_on_leaving(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    settings: QSettings,
) -> None:
    central_store, world = central
    wb = Workbench(laptop.desk, world.alice)
    wb.checkout(SCHOOL, 36)
    # One case goes back with the explicit release (释放): opening it takes a new lease.
    w = _window(qtbot, wb, tasks, settings)
    view = w.case_view
    order = w.queue.model.case_ids()
    with laptop.local.read() as s:
        numbers = dict(s.execute(select(Case.id, Case.case_no)).all())
    order_no = [numbers[c] for c in order]
    last = order_no[-1]
    _idle(qtbot, tasks)
    assert wb.release(last)
    released = _leases(central_store)
    assert released[last][0] is None
    for _ in range(len(order) - 1):
        shown = _move(qtbot, w, Qt.Key.Key_J)
    assert shown == last
    _idle(qtbot, tasks)
    owner, token, until = _leases(central_store)[last]
    assert owner == world.alice.user_id and token == released[last][1] + 1
    assert until is not None and until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=30)
    assert _mine(qtbot, w, tasks) == len(order)
    # Moving away gives back what the opening took, and only that.
    assert _move(qtbot, w, Qt.Key.Key_K) == order_no[-2]
    _idle(qtbot, tasks)
    after = _leases(central_store)
    assert after[last][0] is None
    assert {c: after[c] for c in order_no[:-1]} == {c: released[c] for c in order_no[:-1]}
    assert _mine(qtbot, w, tasks) == len(order) - 1
    assert view.holds_claim


def test_without_checkout_moving_away_releases_the_case(
    qtbot: QtBot,
    central: tuple[Store, World],
    laptop: Workstation,
    tasks: TaskManager,
    settings: QSettings,
) -> None:
    central_store, world = central
    wb = Workbench(laptop.desk, world.alice)
    w = _window(qtbot, wb, tasks, settings)
    view = w.case_view
    assert view.detail is not None
    first = view.detail.case_no
    _idle(qtbot, tasks)
    assert _leases(central_store)[first][0] == world.alice.user_id
    second = _move(qtbot, w, Qt.Key.Key_J)
    _idle(qtbot, tasks)
    leases = _leases(central_store)
    assert leases[first][0] is None
    assert leases[second][0] == world.alice.user_id
    assert _mine(qtbot, w, tasks) == 1
    w.close()
    _idle(qtbot, tasks)
    assert all(owner is None for owner, _, _ in _leases(central_store).values())
