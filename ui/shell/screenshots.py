"""Screenshots for the documentation: `python -m ui.shell.screenshots docs/screenshots`.

Builds a temporary store with demo data (small images: ``REVIEWDESK_DEMO_IMAGE_SIZE``,
default 1600x1200 here), logs in as a demo reviewer and saves PNGs of the login dialog,
the queue, a case with a portrait photo, the viewer comparing two attachments and the
decision panel. Runs offscreen (``QT_QPA_PLATFORM=offscreen`` is set if nothing is).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("REVIEWDESK_DEMO_IMAGE_SIZE", "1600x1200")

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app import config  # noqa: E402
from app.auth import Actor  # noqa: E402
from app.runtime import Workstation, standalone  # noqa: E402
from app.workbench import QueueFilters, Workbench  # noqa: E402

WINDOW_SIZE = (1920, 1080)  # the common office monitor
SHOT_USER = ("demo-reviewer", "demo-pass-1")


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Run the event loop until ``predicate()`` holds (a script, not a test: polling is fine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if predicate():
            return True
        time.sleep(0.01)
    return False


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _image_size() -> tuple[int, int]:
    raw = os.environ.get("REVIEWDESK_DEMO_IMAGE_SIZE", "1600x1200")
    w, _, h = raw.lower().partition("x")
    return int(w), int(h or int(w) * 3 // 4)


def build_store(workdir: Path, n_cases: int = 60) -> tuple[Workstation, str, str]:
    """A workstation on a store with demo cases, and a demo reviewer's username and password."""
    from app.cli.demo import ensure_demo
    from app.store import init_store
    from ui.shell.app import demo_accounts

    settings = config.Settings(
        db_url=f"sqlite:///{workdir / 'shots.db'}",
        is_default=True,
        blob_dir=workdir / "blobs",
        central_url=None,
    )
    store, _ = init_store(settings)
    ensure_demo(settings, cases=n_cases)
    reviewer = next(a for a in demo_accounts() if a.role in ("reviewer", "审核员"))
    return standalone(store), reviewer.username, reviewer.password


def _portrait_case(wb: Workbench) -> tuple[str, int] | None:
    """A pending case with a portrait photo (preferably one stored sideways with an EXIF
    rotation, which the viewer must turn upright), and that attachment's position."""
    fallback = None
    for row in wb.queue_page("pending", QueueFilters(), limit=60):
        detail = wb.open_case(row.case_id)
        for position, a in enumerate(detail.attachments):
            w, h = a.width or 0, a.height or 0
            if not a.readable or not w:
                continue
            if a.orientation in (6, 8) and w > h:
                return row.case_id, position
            if h > w and fallback is None:
                fallback = (row.case_id, position)
    return fallback


def _save(widget: QWidget, path: Path) -> None:
    settle(250)
    widget.grab().save(str(path))
    print(f"saved {path}")


def take(out_dir: Path) -> list[Path]:
    from ui.shell.app import create_application
    from ui.shell.i18n import install
    from ui.shell.login import LoginDialog
    from ui.shell.main_window import MainWindow
    from ui.shell.tasks import TaskManager

    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    install(app, "zh_CN")
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="rd-shots-") as tmp:
        workdir = Path(tmp)
        os.environ.setdefault(config.ENV_DATA, str(workdir / "data"))
        print("building the demo store …", flush=True)
        desk, username, password = build_store(workdir)
        tasks = TaskManager()
        try:
            from ui.shell.app import demo_accounts
            from ui.shell.login import DemoAccount

            accounts = demo_accounts() or [DemoAccount(username, password, "reviewer")]
            dialog = LoginDialog(desk, tasks, "ws-screenshots", accounts)
            dialog.username.setText(username)
            dialog.show()
            saved.append(out_dir / "login.png")
            _save(dialog, saved[-1])
            dialog.close()

            actor: Actor = desk.login(username, password, "ws-screenshots")
            wb = Workbench(desk, actor)
            settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(wb, tasks, settings)
            window.resize(*WINDOW_SIZE)
            window.show()
            window.start()
            wait_until(lambda: window.queue.model.is_complete and bool(window.queue.counts))
            view = window.case_view
            view.hide()  # the queue on its own, at a width that shows every column
            saved.append(out_dir / "queue.png")
            _save(window, saved[-1])
            view.show()

            found = _portrait_case(wb)
            first = window.queue.model.row_at(0)
            case_id, position = found or (first.case_id if first else "", 0)
            if not window.queue.select_case(case_id):
                view.show_case(case_id)
            loaded: list[str] = []
            view.case_loaded.connect(loaded.append)
            view.show_case(case_id)
            view.setFocus()  # turning to the case claims it, as a reviewer would
            wait_until(lambda: bool(loaded))
            pane = getattr(view, "attachments", None)
            if pane is not None and hasattr(pane, "select"):
                pane.select(position)
            wait_until(lambda: tasks.pending_count == 0)
            settle(300)
            saved.append(out_dir / "case-portrait.png")
            _save(window, saved[-1])

            if pane is not None and hasattr(pane, "set_comparing") and len(pane.attachments) > 1:
                pane.set_comparing(True, 1 if position != 1 else 0)
                settle(300)
                wait_until(lambda: tasks.pending_count == 0)
                settle(300)
                saved.append(out_dir / "compare.png")
                _save(window, saved[-1])
                pane.set_comparing(False)

            panel = getattr(view, "panel", None)
            if panel is not None and hasattr(panel, "choose_outcome"):
                wait_until(lambda: bool(getattr(panel, "editable", True)), timeout=10)
                panel.choose_outcome("reject")
                boxes = getattr(panel, "_reason_boxes", {})
                if boxes:
                    panel.set_reason(next(iter(boxes)))
                saved.append(out_dir / "decision.png")
                _save(window, saved[-1])
                saved.append(out_dir / "decision-panel.png")
                _save(panel, saved[-1])
            window.close()
        finally:
            tasks.shutdown(wait=True)
            desk.store.dispose()
    QApplication.processEvents()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.shell.screenshots")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    saved = take(args.out_dir)
    print(f"{len(saved)} screenshots in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
