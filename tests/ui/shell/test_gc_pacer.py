"""The garbage-collection pacer: automatic collections skip what was alive when the window
came up; cycles that die later are reclaimed by a sweep, not left for ever."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.shell import gc_pacer
from ui.shell.gc_pacer import GcPacer

pytestmark = pytest.mark.gui


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref[_Node]:
    """Two objects that refer to each other: only the cyclic collector can free them."""
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def pacer(qtbot: QtBot) -> Iterator[GcPacer]:
    gc.collect()
    made = GcPacer()
    yield made
    made.stop()
    gc.unfreeze()  # the other tests run with the collector as it was


def test_start_freezes_what_is_alive_so_collections_walk_only_what_came_after(
    pacer: GcPacer,
) -> None:
    before = len(gc.get_objects())
    pacer.start()
    assert gc.get_freeze_count() >= before * 0.9
    assert len(gc.get_objects()) < before * 0.1  # what a full collection would walk now


def test_a_cycle_frozen_alive_and_dropped_later_is_reclaimed_by_the_sweep(
    pacer: GcPacer,
) -> None:
    held = [_cycle()]
    alive = held[0]()
    pacer.start()  # frozen while alive
    del alive
    gc.collect()
    assert held[0]() is not None  # frozen: no collection looks at it
    pacer.sweep()
    assert held[0]() is None
    assert gc.get_freeze_count() > 0  # and what is alive is frozen again


def test_a_cycle_made_after_start_is_collected_by_the_tick(pacer: GcPacer) -> None:
    pacer.start()
    ref = _cycle()
    pacer.tick()
    assert ref() is None


def test_the_tick_sweeps_only_when_the_application_is_away_and_it_is_time(
    pacer: GcPacer, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pacer.start()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(
        lambda: QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
    )
    monkeypatch.setattr(gc_pacer, "SWEEP_EVERY_S", 0)
    pacer.tick()
    assert pacer.sweeps == 0  # the reviewer is at work: never the long collection
    monkeypatch.setattr(
        QGuiApplication, "applicationState", lambda: Qt.ApplicationState.ApplicationInactive
    )
    pacer.tick()
    assert pacer.sweeps == 1  # in another program: time for it
    monkeypatch.setattr(gc_pacer, "SWEEP_EVERY_S", 3600)
    pacer.tick()
    assert pacer.sweeps == 1  # not again within the hour
