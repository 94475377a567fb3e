"""Help → About shows the program's version, in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import auth
from app.logs import program_version
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import build_world
from ui.shell import i18n
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def open_window(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], MainWindow]]:
    """Opens the main window in a language (its translator installed first, as at start-up)."""
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")
    store = Store(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "blobs")
    migrate.upgrade(store)
    world = build_world(store, tmp_path, n_cases=1)
    tasks = TaskManager()
    translators: list[QTranslator] = []

    def open_in(language: str) -> MainWindow:
        if language != "zh_CN":
            translator = QTranslator()
            assert translator.load(str(i18n.qm_path(language)))
            qapp.installTranslator(translator)
            translators.append(translator)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(
            Workbench(standalone(store), world.alice), tasks, settings, language=language
        )
        qtbot.addWidget(window)
        return window

    yield open_in
    for translator in translators:
        qapp.removeTranslator(translator)
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    tasks.shutdown(wait=True)
    store.dispose()


def _about(window: MainWindow) -> tuple[str, str]:
    window.about_action.trigger()
    box = window.about_box
    shown = (box.windowTitle(), box.text())
    box.close()
    return shown


def test_about_shows_the_version_in_chinese(open_window: Callable[[str], MainWindow]) -> None:
    window = open_window("zh_CN")
    assert window.about_action.text() == "关于"
    title, text = _about(window)
    assert title == "关于"
    assert f"版本 {program_version()}" in text
    assert program_version() not in ("", "unknown")


def test_about_shows_the_version_in_english(open_window: Callable[[str], MainWindow]) -> None:
    window = open_window("en")
    assert window.about_action.text() == "About"
    title, text = _about(window)
    assert title == "About"
    assert f"Version {program_version()}" in text
