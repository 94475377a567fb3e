"""Fixtures for the GUI tests: a populated store per test, a real threaded TaskManager, temp QSettings."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from app import auth
from app.auth import Actor
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import World, build_world
from ui.shell.tasks import TaskManager


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")


@pytest.fixture
def sqlite_store(sqlite_url: str, tmp_path: Path) -> Iterator[Store]:
    s = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(s)
    yield s
    s.dispose()


@pytest.fixture
def world(sqlite_store: Store, tmp_path: Path) -> World:
    return build_world(sqlite_store, tmp_path, n_cases=6)


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[TaskManager]:
    manager = TaskManager(inline=False)
    yield manager
    # Widgets go first: a timer of theirs must not start a task on a shut-down manager.
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    manager.shutdown(wait=True)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def populate_tabs(world: World) -> dict[str, list[str]]:
    """Decide some of alice's cases so that every tab but 冲突 has something in it.

    Returns the case numbers expected in each tab.
    """
    wb = Workbench(standalone(world.store), world.alice)
    sup = Workbench(standalone(world.store), world.sup)
    c = world.cases
    wb.claim(c[0])
    wb.decide(c[0], DecisionInput("approve"))
    wb.claim(c[1])
    wb.decide(c[1], DecisionInput("reject", reasons=("NOT_DIVORCED",)))  # four-eyes
    wb.claim(c[2])
    wb.decide(c[2], DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    sup.confirm(c[2])
    checklist = wb.checklist(c[3])
    wb.claim(c[3])
    wb.decide(c[3], DecisionInput("return", missing=(checklist[0][0],)))
    wb.claim(c[4])
    return {
        "pending": [c[4], c[5]],
        "mine": [c[4]],
        "confirming": [c[1]],
        "approved": [c[0]],
        "rejected": [c[2]],
        "returned": [c[3]],
        "conflict": [],
    }


class OffThreadWorkbench:
    """Wraps a Workbench and fails loudly if it is called on the GUI (main) thread."""

    def __init__(self, inner: Workbench) -> None:
        self._inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is threading.main_thread():
                raise AssertionError(f"Workbench.{name} called on the GUI thread")
            self.calls.append(name)
            return value(*args, **kwargs)

        return guarded


def make_actor(districts: tuple[str, ...]) -> Actor:
    return Actor(
        user_id="bench-user",
        username="bench",
        display_name="bench",
        role="reviewer",
        districts=districts,
        reviewer_code="R99",
        workstation="ws-test",
    )
