"""Starting the station window on its own (``reviewdesk station``): application, language,
crash handler, task manager, the window — as the workstation's window starts
(:mod:`ui.shell.app`), without a store to prepare and without a login."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app import logs
from app.station.station import Station
from ui.shell import i18n
from ui.shell.app import (
    CrashHandler,
    create_application,
    drain,
    set_language,
    settings_for,
)
from ui.shell.app import display_problem as display_problem  # for app/cli/station.py
from ui.shell.gc_pacer import GcPacer
from ui.shell.tasks import TaskManager
from ui.station.window import StationWindow


def open_window(station: Station, tasks: TaskManager) -> StationWindow:
    window = StationWindow(tasks, lambda: station)
    window.resize(1280, 720)
    return window


def run(station: Station, lang: str | None = None, argv: Sequence[str] | None = None) -> int:
    """The window until it is closed; the exit code."""
    logs.setup("window")
    app: QApplication = create_application(argv)
    crash = CrashHandler(app)
    crash.install()
    qsettings = settings_for()
    language = i18n.choose_language(lang, qsettings)
    set_language(app, language)
    app.setApplicationDisplayName(app.translate("StationWindow", "通知单核验站"))
    tasks = TaskManager(app)
    tasks.task_failed.connect(lambda e: crash.handle(type(e), e, e.__traceback__))
    window = open_window(station, tasks)
    window.showMaximized()
    pacer = GcPacer(app)  # collections skip what the window holds (ui.shell.gc_pacer)
    pacer.start()
    app.setQuitOnLastWindowClosed(True)
    code = app.exec()
    drain(app, tasks)
    tasks.shutdown(wait=False)
    station.close()
    return code
