"""Translations: every string has English, --lang en shows English, the choice is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.runtime import standalone
from app.workbench import Workbench
from tests.workflow_fixtures import World
from ui.shell import i18n
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    installed = i18n.install(qapp, "en")
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("zh_CN"))


def test_every_string_has_an_english_translation() -> None:
    assert i18n.missing("en") == []


def test_helper_strings_of_other_modules_are_extracted() -> None:
    # `_tr("…")` helpers are invisible to pyside6-lupdate; ui.shell.i18n finds them itself.
    found = set(i18n.helper_messages(i18n.sources()))
    translated = i18n.translations(i18n.ts_path("en"))
    assert found and all(key in translated for key in found)


def test_compiled_english_matches_the_sources() -> None:
    from PySide6.QtCore import QTranslator

    qm = i18n.qm_path("en")
    assert qm.exists(), "run `make translations`"
    translator = QTranslator()
    assert translator.load(str(qm))
    stale = [
        key
        for key, text in i18n.translations(i18n.ts_path("en")).items()
        if translator.translate(key[0], key[1]) != text
    ]
    assert stale == [], "the .qm is older than the .ts: run `make translations`"


def test_lang_en_shows_english_labels(
    qtbot: QtBot, english: None, world: World, tasks: TaskManager, settings: QSettings
) -> None:
    from ui.shell.main_window import MainWindow

    w = MainWindow(Workbench(standalone(world.store), world.alice), tasks, settings, language="en")
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.queue.counts_changed, timeout=10_000):
        w.start()
    qtbot.waitUntil(lambda: w.queue.model.is_complete, timeout=10_000)
    model = w.queue.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Case no.", "Kind", "Student"]
    assert w.queue.tabs.tabText(0) == "Pending 6"
    assert model.index(0, 1).data() == "Guardianship"
    assert "&Work" in [a.text() for a in w.menuBar().actions()]
    assert "reviewer" in w.user_label.text()
    assert w.queue.search_box.placeholderText().startswith("Search")


def test_login_dialog_in_english(
    qtbot: QtBot, english: None, world: World, tasks: TaskManager
) -> None:
    from ui.shell.login import LoginDialog

    d = LoginDialog(standalone(world.store), tasks, "ws-test")
    qtbot.addWidget(d)
    assert d.login_button.text() == "Log in"
    assert (
        QCoreApplication.translate("LoginDialog", "用户名或密码错误。")
        == "Wrong username or password."
    )


def test_choose_language_precedence(tmp_path: Path) -> None:
    s = QSettings(str(tmp_path / "lang.ini"), QSettings.Format.IniFormat)
    assert i18n.choose_language(None, s) == "zh_CN"
    s.setValue(i18n.SETTINGS_KEY, "en")
    assert i18n.choose_language(None, s) == "en"
    assert i18n.choose_language("zh_CN", s) == "zh_CN"
    assert i18n.choose_language("xx", s) == "en"


def test_gui_command_without_display_says_so_and_fails() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "display" in lines[0]
    assert "Traceback" not in proc.stderr


def test_gui_is_the_default_command_and_takes_lang() -> None:
    from app import cli

    cli._load_command_modules()
    parser = cli.build_parser()
    args = parser.parse_args(["gui", "--lang", "en", "--db", "sqlite:///x.db"])
    assert args.command == "gui" and args.lang == "en"


def test_the_window_shows_statuses_in_the_words_of_the_one_status_table() -> None:
    from app.domain import STATUS_LABELS
    from ui.shell.labels import STATUS_TITLES, status_title

    assert {str(k): v for k, v in STATUS_LABELS.items()} == STATUS_TITLES
    assert status_title("approved") == "已通过"  # no translator installed: the source words
    assert status_title("superseded") == "superseded"


def test_the_window_and_the_export_name_outcomes_alike() -> None:
    # The decision export (app/review/export.py) writes app.domain's outcome words; the
    # window shows its own table of them: a reviewer must read the same word in both.
    from app.domain import OUTCOME_LABELS
    from ui.shell.labels import OUTCOME_TITLES

    assert {str(k): v for k, v in OUTCOME_LABELS.items()} == OUTCOME_TITLES
