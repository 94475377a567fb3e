"""Fixtures shared by the queue's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from tests.factories import bulk_cases
from tests.ui.conftest import OffThreadWorkbench
from tests.workflow_fixtures import World
from ui.queue.queue_view import QueueView
from ui.shell.tasks import TaskManager


@pytest.fixture
def view(qtbot: QtBot, world: World, tasks: TaskManager) -> QueueView:
    """A queue view whose store answers on another thread, as the window's does."""
    widget = QueueView(OffThreadWorkbench(Workbench(standalone(world.store), world.alice)), tasks)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def big_store(sqlite_url: str, tmp_path: Path) -> Iterator[Store]:
    """250 cases: more than two pages of the queue."""
    s = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(s)
    bulk_cases(s, 250, seed=3)
    yield s
    s.dispose()
