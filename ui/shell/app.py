"""Starting the GUI: QApplication, the embedded CJK font, translators, the crash handler, the flow.

The flow never blocks the GUI thread: preparing the store (and filling the demo data on a
first run) and checking the password are tasks; the window opens when they answer.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QSettings,
    Qt,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from app import config, logs
from app.auth import Actor
from app.errors import StoreError, write_crash_log
from app.runtime import Workstation
from ui.shell import i18n, labels
from ui.shell.gc_pacer import GcPacer
from ui.shell.login import DemoAccount, LoginDialog
from ui.shell.tasks import TaskManager

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
FONT_PATH = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
FONT_POINT_SIZE = 10
ORGANIZATION = "ReviewDesk"
APPLICATION = "ReviewDesk"
# Platforms that need no display server.
_HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


# --- display ------------------------------------------------------------------


_PROBE = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "print(app.platformName())\n"
)


def display_problem(env: dict[str, str] | None = None) -> str | None:
    """Why a window cannot open here, in one line; None when it can.

    Qt aborts the process (it does not raise) when its platform plugin cannot connect, so
    the check runs in a short-lived child process before this one creates the application.
    """
    env = dict(os.environ if env is None else env)
    platform_name = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform_name in _HEADLESS_PLATFORMS or sys.platform in ("win32", "darwin"):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset); "
            "run reviewdesk in a desktop session, or use the command-line subcommands"
        )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60, env=env
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot open a window: checking the display failed ({exc})"
    if proc.returncode == 0:
        return None
    lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
    useful = [
        line
        for line in lines
        if "display" in line.lower() or "plugin" in line.lower() or "xcb" in line.lower()
    ]
    reason = (useful or lines or [f"exit code {proc.returncode}"])[0]
    where = env.get("WAYLAND_DISPLAY") or env.get("DISPLAY")
    return f"cannot open a window on display {where}: {reason}"


# --- crash handler -------------------------------------------------------------


class CrashHandler(QObject):
    """The one place a bug ends up: logged to a crash file, then a message box says where.

    Installed as ``sys.excepthook`` (Qt hands exceptions raised in slots to it and keeps
    running) and ``threading.excepthook``. The app is not killed: the reviewer may go on.
    """

    crashed = Signal(str)  # path of the log, emitted from any thread, shown on the GUI thread

    def __init__(self, parent: QObject | None = None, log_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._log_dir = log_dir
        self._box: QMessageBox | None = None
        self.last_log: Path | None = None
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            app = QApplication.instance()
            if app is not None:
                app.quit()
            return
        path = self.write_log(exc_type, exc, tb)
        log.error("internal error, logged to %s: %s", path, exc)
        if QApplication.instance() is None:
            print(f"internal error: {exc} (details in {path})", file=sys.stderr)
            return
        self.crashed.emit(str(path) if path else "")

    def write_log(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> Path | None:
        """The crash file, written as the commands write theirs (masked, versioned)."""
        path = write_crash_log(
            exc_type, exc, tb, directory=self._log_dir, context=f"PySide6 {pyside_version}"
        )
        if path is not None:
            self.last_log = path
        return path

    def _show(self, path: str) -> None:
        text = self.tr("程序内部出现了错误。您可以继续工作。") + "\n\n"
        if path:
            text += self.tr(
                "详细信息已记录在：\n%1\n如果问题反复出现，请把这个文件发给管理员。"
            ).replace("%1", path)
        else:
            text += self.tr("日志无法写入磁盘，详细信息已输出到控制台。")
        if self._box is not None and self._box.isVisible():
            self._box.setInformativeText(text)  # one box, not a cascade of them
            return
        self._box = QMessageBox(QMessageBox.Icon.Warning, self.tr("内部错误"), text)
        self._box.setWindowModality(Qt.WindowModality.NonModal)
        self._box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._box.show()

    @property
    def message_box(self) -> QMessageBox | None:
        return self._box


# --- application ----------------------------------------------------------------


def register_font(app: QApplication, point_size: int = FONT_POINT_SIZE) -> str | None:
    """Register the bundled WenQuanYi Micro Hei and make it the application font.

    Reviewers' machines may lack a CJK font (or have a poor one); the bundled font makes
    names and addresses legible everywhere. Returns the family, or None if it failed.
    """
    font_id = QFontDatabase.addApplicationFont(str(FONT_PATH))
    if font_id < 0:
        log.warning("could not load the bundled font %s", FONT_PATH)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    family = families[0]
    font = QFont(family)
    font.setPointSize(point_size)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # Chinese and Latin need no shaping to be legible (only kerning and ligatures, which
    # a data table does not miss); Qt still shapes scripts that need it. Shaping was a
    # third of painting the queue's first page (callgrind; docs/performance.md).
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    app.setFont(font)
    return family


def settings_for(path: Path | None = None) -> QSettings:
    """The workstation's settings (INI file in the platform's config place, or ``path``)."""
    if path is None and os.environ.get(config.ENV_DATA):
        path = config.data_dir() / "settings.ini"  # a separate data dir keeps its own settings
    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("GuiSession", text)


def set_language(app: QApplication, language: str) -> list[QTranslator]:
    """Install ReviewDesk's and Qt's translators for ``language`` (returned: keep them) and
    name the application in it: the platform shows the display name in every window's
    title bar, so it must be in the interface language too."""
    installed = i18n.install(app, language)
    app.setApplicationDisplayName(_tr("审核工作台"))
    return installed


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("审核工作台")
    app.setStyle("Fusion")  # the same look on every workstation, and a dense one
    register_font(app)
    return app


# --- demo accounts ----------------------------------------------------------------


def demo_accounts() -> list[DemoAccount]:
    """The demo generator's accounts, as the login screen lists them."""
    from app.cli.demo import demo_accounts as generated

    return [DemoAccount(a.username, a.password, a.role, a.display_name) for a in generated()]


@dataclass(frozen=True)
class Prepared:
    """A workstation ready to log in to, and the demo accounts to offer (demo stores only).

    With a central store configured, the workstation's arbiter is the central store:
    claims are made there and images are fetched when missing here.
    """

    workstation: Workstation
    demo_accounts: tuple[DemoAccount, ...]
    demo_pending: bool = False


def prepare_store(
    settings: config.Settings, progress: Callable[[int, int], None] | None = None
) -> Prepared:
    """Open the configured store; the embedded default is created and filled on first run.

    Demo accounts are offered only when they exist in the store: a store in real use
    (no demo users) never shows passwords on its login screen. With a central store, the
    embedded default is a replica and gets no demo data: one sync round brings the users
    (and cases) down before the login; offline, the last copy here is used.
    """
    from app.runtime import open_workstation
    from app.store import init_store

    if settings.is_default:
        created, _backup = init_store(settings)
        created.dispose()
        if not settings.central_url:
            from app.cli.demo import FIRST_BATCH, ensure_demo

            # A small first batch now, the rest after the login (continue_demo).
            ensure_demo(settings, progress=progress, first_batch=FIRST_BATCH)
    workstation = open_workstation(settings)
    # Offline (or a newer central schema) is not fatal: the status bar says so.
    workstation.sync_quietly()
    offered: tuple[DemoAccount, ...] = ()
    if settings.is_default and not settings.central_url:
        existing = {u.username for u in workstation.users() if not u.disabled}
        offered = tuple(a for a in demo_accounts() if a.username in existing)
        from app.cli.demo import demo_pending

        return Prepared(workstation, offered, demo_pending(workstation.store))
    return Prepared(workstation, offered)


# --- the flow -----------------------------------------------------------------------


class _DemoFill(QObject):
    """Carries the background demo import's progress to the GUI thread (queued)."""

    progressed = Signal(int, int)
    failed = Signal(str)


class GuiSession(QObject):
    """Store → login → main window, each step a task or a dialog; never a wait on the GUI thread."""

    def __init__(
        self,
        app: QApplication,
        settings: config.Settings,
        qsettings: QSettings,
        language: str,
        crash_handler: CrashHandler,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.settings = settings
        self.qsettings = qsettings
        self.language = language
        self.crash_handler = crash_handler
        self.tasks = TaskManager(app)
        self.tasks.task_failed.connect(lambda e: crash_handler.handle(type(e), e, e.__traceback__))
        self.prepared: Prepared | None = None
        self.window: QWidget | None = None
        self.login: LoginDialog | None = None
        self.exit_code = 0
        self._progress: QProgressDialog | None = None
        self._filling = False
        self.gc_pacer = GcPacer(self)

    def start(self) -> None:
        self._progress = QProgressDialog(
            self.tr("正在打开数据库…（首次运行时会生成演示数据，需要一些时间）"), "", 0, 0
        )
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle(self.tr("审核工作台"))
        self._progress.setMinimumDuration(300)
        self._progress.setValue(0)
        settings = self.settings
        # The worker reports demo progress into a list the GUI thread polls: no widget is
        # touched from the worker.
        self._done_total = [0, 0]

        def progress(done: int, total: int) -> None:
            self._done_total[:] = [done, total]

        self._poll = QTimer(self)
        self._poll.timeout.connect(self._show_progress)
        self._poll.start(200)
        self.tasks.run(
            lambda: prepare_store(settings, progress), self._store_ready, self._store_failed
        )

    def _show_progress(self) -> None:
        done, total = self._done_total
        if self._progress is not None and total:
            self._progress.setLabelText(
                self.tr("正在生成演示数据：%1 / %2 个案件")
                .replace("%1", str(done))
                .replace("%2", str(total))
            )
            self._progress.setMaximum(total)
            self._progress.setValue(done)

    def _close_progress(self) -> None:
        if getattr(self, "_poll", None) is not None:
            self._poll.stop()
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None

    def _store_failed(self, error: BaseException) -> None:
        self._close_progress()
        if not isinstance(error, StoreError | OSError):
            self.crash_handler.handle(type(error), error, error.__traceback__)
        if isinstance(error, StoreError):
            problem = labels.store_problem(error)
        elif isinstance(error, OSError):
            problem = labels.os_problem(error)
        else:
            problem = str(error)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("无法打开数据库"),
            self.tr("无法打开数据库：%1").replace("%1", problem),
        )
        # The store's own words (English, from the driver) for whoever fixes it.
        box.setDetailedText(str(error))
        box.exec()  # nothing else to do: the reviewer reads it, then the program ends
        self.exit_code = 1
        self.app.quit()

    def _store_ready(self, prepared: Prepared) -> None:
        self._close_progress()
        self.prepared = prepared
        self.show_login()

    def show_login(self) -> None:
        assert self.prepared is not None
        workstation = self.prepared.workstation
        self.login = LoginDialog(
            workstation,
            self.tasks,
            config.workstation_id(),
            self.prepared.demo_accounts,
            store_description=workstation.description,
        )
        self.login.logged_in.connect(self._logged_in)
        self.login.rejected.connect(self.app.quit)
        self.login.show()

    def _logged_in(self, actor: Actor) -> None:
        from app.workbench import Workbench
        from ui.shell.main_window import MainWindow

        assert self.prepared is not None
        window = MainWindow(
            Workbench(self.prepared.workstation, actor),
            self.tasks,
            self.qsettings,
            language=self.language,
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.logout_requested.connect(self._logout)
        self.window = window
        window.show()
        window.start()
        self.gc_pacer.start()  # what the window holds is frozen: collections skip it
        if self.prepared.demo_pending and not self._filling:
            self._fill_demo(window)

    def _fill_demo(self, window: QWidget) -> None:
        """The rest of the first start's demo cases, imported while the reviewer works.

        A plain thread (not the task manager's lanes: the database lane stays free for the
        window, the CPU lane for pictures); progress comes back through a queued signal.
        """
        from app.cli.demo import continue_demo

        assert self.prepared is not None
        self._filling = True
        store = self.prepared.workstation.store
        bridge = _DemoFill(self)
        bridge.progressed.connect(lambda done, total: self._demo_progress(done, total))
        bridge.failed.connect(lambda text: log.warning("demo fill stopped: %s", text))

        def work() -> None:
            try:
                continue_demo(store, progress=bridge.progressed.emit)
            except Exception as exc:  # noqa: BLE001 - reported; the next start goes on
                bridge.failed.emit(f"{type(exc).__name__}: {exc}")

        threading.Thread(target=work, name="demo-fill", daemon=True).start()

    def _demo_progress(self, done: int, total: int) -> None:
        window = self.window
        if window is None or not shiboken6.isValid(window):
            return
        show = getattr(window, "show_message", None)
        if show is not None:
            text = (
                self.tr("演示数据已全部导入（%1 个案件）").replace("%1", str(total))
                if done >= total
                else self.tr("正在后台导入演示数据：%1 / %2 个案件，可以先开始审核")
                .replace("%1", str(done))
                .replace("%2", str(total))
            )
            show(text, "info")
        queue = getattr(window, "queue", None)
        if queue is not None:
            queue.refresh()

    def _logout(self) -> None:
        self.window = None
        self.gc_pacer.stop()
        self.gc_pacer.sweep()  # the window is gone: its cycles with it
        self.show_login()


def run(
    settings: config.Settings, lang: str | None = None, argv: Sequence[str] | None = None
) -> int:
    """The `reviewdesk gui` command: returns the exit code."""
    logs.setup("window")  # the rotating log file, as for the commands (app.logs)
    app = create_application(argv)
    crash = CrashHandler(app)
    crash.install()
    qsettings = settings_for()
    settings = with_stored_central(settings, qsettings)
    language = i18n.choose_language(lang, qsettings)
    if lang:
        qsettings.setValue(i18n.SETTINGS_KEY, lang)
    set_language(app, language)  # the translators are children of app: they stay alive
    session = GuiSession(app, settings, qsettings, language, crash)
    app.setQuitOnLastWindowClosed(True)
    session.start()
    code = app.exec()
    drain(app, session.tasks)
    session.tasks.shutdown(wait=False)
    return session.exit_code or code


def with_stored_central(settings: config.Settings, qsettings: QSettings) -> config.Settings:
    """``--central`` and REVIEWDESK_CENTRAL win; else the 设置 dialog's central store URL."""
    if settings.central_url:
        return settings
    from ui.shell.settings_dialog import stored_central_url

    stored = stored_central_url(qsettings)
    return dataclasses.replace(settings, central_url=stored) if stored else settings


def drain(app: QApplication, tasks: TaskManager, timeout: float = 5.0) -> None:
    """Let the tasks queued while closing finish (the release of an undecided claim).

    The window is gone by now, so this short, bounded wait keeps nobody waiting; without
    it, shutting the task manager down would cancel the release and the case would stay
    claimed until its lease runs out.
    """
    deadline = time.monotonic() + timeout
    while tasks.pending_count and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
