"""`reviewdesk selftest`'s window step: translations load, the main window opens on the
self-test's store, lists the case and opens it, and a printer can be set up.

Loaded at run time by ``app/cli/selftest.py`` (by its literal name, which
tests/test_layering.py counts), so the other commands run without Qt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.auth import Actor
from app.runtime import Workstation
from app.workbench import Workbench
from ui.printing import print_preview
from ui.shell import app as gui
from ui.shell import i18n
from ui.shell.main_window import MainWindow
from ui.shell.tasks import TaskManager

WINDOW_TIMEOUT_S = 60.0

log = logging.getLogger(__name__)


class WindowCheckFailed(Exception):
    """The window step found something wrong; the message says what."""


def _check(condition: object, reason: str) -> None:
    if not condition:
        raise WindowCheckFailed(reason)


def _wait(app: Any, done: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise WindowCheckFailed(f"{what} did not appear within {WINDOW_TIMEOUT_S:.0f} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def check_window(workstation: Workstation, actor: Actor, case_id: str, folder: Path) -> str:
    """Open the main window on ``workstation`` as ``actor`` and open ``case_id`` in it."""
    problem = gui.display_problem()
    _check(problem is None, str(problem))
    # Qt's own warnings (the offscreen platform has a few) go to the log, not the terminal.
    previous = qInstallMessageHandler(lambda _kind, _where, text: log.info("qt: %s", text))
    try:
        return _window(workstation, actor, case_id, folder)
    finally:
        qInstallMessageHandler(previous)


def _window(workstation: Workstation, actor: Actor, case_id: str, folder: Path) -> str:
    app = gui.create_application(["reviewdesk"])
    _check(Path(gui.FONT_PATH).is_file(), f"the window's CJK font is missing: {gui.FONT_PATH}")
    # ReviewDesk's English and Qt's own Chinese translations (loaded, not installed).
    ours = QTranslator()
    path = i18n.qm_path("en")
    _check(ours.load(str(path)), f"cannot load the English translation {path}")
    about = ours.translate("MainWindow", "关于")
    _check(about == "About", f"the English translation says {about!r} for 关于")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    _check(
        QTranslator().load(QLocale("zh_CN"), "qtbase", "_", qt_dir),
        f"Qt's Chinese translation (qtbase_zh_CN.qm) is not in {qt_dir}",
    )

    runner = TaskManager()
    failures: list[BaseException] = []
    runner.task_failed.connect(failures.append)
    settings = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Workbench(workstation, actor), runner, settings)
    loaded: list[str] = []
    window.case_view.case_loaded.connect(loaded.append)
    try:
        window.show()
        window.start()
        model = window.queue.model
        _wait(app, lambda: failures or (model.is_complete and model.rowCount() > 0), "the queue")
        if failures:
            raise failures[0]
        _check(window.queue.select_case(case_id), f"case {case_id} is not in the queue")
        _wait(app, lambda: failures or loaded, f"case {case_id}")
        if failures:
            raise failures[0]
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        print_preview.prepare_printer(printer)
        _check(printer.pageLayout().isValid(), "the printer set-up has no valid A4 page")
        QPrinterInfo.availablePrinterNames()  # loads the platform's print support plugin
        return f"platform {app.platformName()}"
    finally:
        window.close()
        gui.drain(app, runner)
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        runner.shutdown(wait=True)
