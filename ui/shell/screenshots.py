"""Screenshots for the documentation: `make screenshots` (``python -m ui.shell.screenshots
docs/screenshots`` under an X server with a 1366x768 and a 1920x1080 screen).

Builds a temporary store with demo data (small images: ``REVIEWDESK_DEMO_IMAGE_SIZE``,
default 1600x1200 here), logs in as a demo reviewer and, on each screen, takes what the
X server shows: the login dialog, the main window filling the screen with the queue, a
case with a portrait photo and the viewer, and the print preview of a notice over it.
The pictures come from the screen (``QScreen.grabWindow``), not from rendering widgets
offscreen: they show what Qt's xcb platform really put on the display. ``make
screenshots`` starts Xvfb with both screens; elsewhere this refuses, saying so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("REVIEWDESK_DEMO_IMAGE_SIZE", "1600x1200")

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QEvent,
    QEventLoop,
    QRect,
    QSettings,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QScreen  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget  # noqa: E402

from app import config  # noqa: E402
from app.auth import Actor  # noqa: E402
from app.runtime import Workstation, standalone  # noqa: E402
from app.workbench import QueueFilters, Workbench  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))  # the office laptop, the common office monitor


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


class NoScreen(SystemExit):
    """This display cannot take the screenshots (no X server, or a screen size missing)."""


def screen_of(size: tuple[int, int]) -> QScreen:
    """The X screen of ``size``."""
    if QGuiApplication.platformName() != "xcb":
        raise NoScreen(
            f"screenshots are taken from an X server's screens, not on Qt's "
            f"{QGuiApplication.platformName()!r} platform: run `make screenshots` "
            "(it starts Xvfb with a 1366x768 and a 1920x1080 screen)"
        )
    for screen in QGuiApplication.screens():
        if (screen.size().width(), screen.size().height()) == size:
            return screen
    found = ", ".join(f"{s.size().width()}x{s.size().height()}" for s in QGuiApplication.screens())
    raise NoScreen(
        f"this X server has no {size[0]}x{size[1]} screen (it has {found}): "
        "run `make screenshots`, which starts Xvfb with both"
    )


def _grab(screen: QScreen, area: QRect, path: Path) -> Path:
    """Save what ``screen`` shows in ``area`` (its own coordinates)."""
    settle(250)
    image = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height()).toImage()
    if image.isNull() or not image.save(str(path)):
        raise SystemExit(f"could not grab {path.name} from the screen")
    print(f"saved {path} ({image.width()}x{image.height()})")
    return path


def _place(widget: QWidget, screen: QScreen, area: QRect | None = None) -> None:
    """Show ``widget`` on ``screen``: over ``area``, or centred at its own size."""
    widget.hide()
    widget.setScreen(screen)
    available = screen.availableGeometry()
    if area is None:
        area = QRect(0, 0, widget.width(), widget.height())
        area.moveCenter(available.center())
    widget.setGeometry(area)
    widget.show()
    widget.raise_()
    wait_until(widget.isVisible, timeout=5)
    # On an X screen other than the first the window may be placed anew when it is created
    # there: once it is, it is put where it belongs.
    if widget.geometry() != area:
        widget.setGeometry(area)
        wait_until(lambda: widget.geometry() == area, timeout=5)


def _approved_case(wb: Workbench) -> str | None:
    """A case of the reviewer's approved now (its notice is previewed): the first pending
    case whose facts raise no error."""
    for row in wb.queue_page("pending", QueueFilters(), limit=60):
        detail = wb.peek_case(row.case_id)
        if any(f.severity == "error" for f in detail.findings):
            continue
        from app.review.workflow import DecisionInput

        if detail.kind not in ("guardianship", "rural_house"):
            continue  # a kinship approval waits for a supervisor: no notice yet
        try:
            wb.claim(row.case_id)
            result = wb.decide(row.case_id, DecisionInput("approve"))
        except Exception as exc:  # noqa: BLE001 - try the next case
            print(f"  (could not approve {detail.case_no}: {exc})")
            continue
        if result.case_status == "approved":
            return str(row.case_id)
    return None


def _refuse_modal_boxes() -> QTimer:
    """A script has no one to click a message box: one that opens (a refusal) is closed
    and reported, so the script fails instead of waiting for ever."""

    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            print(f"unexpected message: {box.windowTitle()}: {box.text()}", file=sys.stderr)
            box.reject()

    timer = QTimer()
    timer.timeout.connect(close)
    timer.start(500)
    return timer


@dataclass
class _Shoot:
    """What every screen's pictures are taken of: the store, the reviewer, the cases."""

    desk: Workstation
    wb: Workbench
    tasks: Any
    accounts: list[Any]
    username: str
    portrait: tuple[str, int] | None
    approved: str | None
    workdir: Path
    out_dir: Path


def _shoot_login(shoot: _Shoot, screen: QScreen, name: str) -> Path:
    from ui.shell.login import LoginDialog

    dialog = LoginDialog(
        shoot.desk,
        shoot.tasks,
        "ws-screenshots",
        shoot.accounts,
        store_description=shoot.desk.description,
    )
    dialog.username.setText(shoot.username)
    dialog.adjustSize()
    _place(dialog, screen)
    path = _grab(screen, dialog.frameGeometry(), shoot.out_dir / f"login-{name}.png")
    dialog.close()
    return path


def _shoot_main(shoot: _Shoot, screen: QScreen, name: str) -> tuple[Path, Any]:
    """The window filling the screen: the queue, a case with a portrait photo, the viewer."""
    from ui.shell.main_window import MainWindow

    settings = QSettings(str(shoot.workdir / f"settings-{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(shoot.wb, shoot.tasks, settings)
    _place(window, screen, screen.availableGeometry())
    window.start()
    wait_until(lambda: window.queue.model.is_complete and bool(window.queue.counts))
    view = window.case_view
    first = window.queue.model.row_at(0)
    case_id, position = shoot.portrait or (first.case_id if first else "", 0)
    loaded: list[str] = []
    view.case_loaded.connect(loaded.append)
    if not window.queue.select_case(case_id):
        view.show_case(case_id)
    wait_until(lambda: bool(loaded))
    window.activateWindow()
    view.setFocus()  # turning to the case claims it, as a reviewer would
    wait_until(lambda: bool(getattr(view, "holds_claim", True)), timeout=10)
    pane = getattr(view, "attachments", None)
    if pane is not None and hasattr(pane, "select"):
        pane.select(position)
    wait_until(lambda: shoot.tasks.pending_count == 0)
    settle(400)
    wait_until(lambda: shoot.tasks.pending_count == 0)
    return _grab(screen, screen.geometry(), shoot.out_dir / f"main-{name}.png"), window


def _shoot_preview(shoot: _Shoot, screen: QScreen, name: str, window: QWidget) -> Path | None:
    """The print preview of the approved case's notice, over the window."""
    from ui.printing.print_preview import PrintPreviewDialog, open_print_for_case

    if shoot.approved is None:
        return None
    shown: list[PrintPreviewDialog] = []
    open_print_for_case(window, shoot.wb, shoot.tasks, shoot.approved, on_preview=shown.append)
    wait_until(lambda: bool(shown))
    if not shown:
        return None
    preview = shown[0]
    height = min(preview.height(), screen.availableGeometry().height() - 40)
    preview.resize(preview.width(), height)
    _place(preview, screen)
    wait_until(lambda: preview.page_count >= 1)
    wait_until(lambda: preview.current_image is not None)
    wait_until(lambda: shoot.tasks.pending_count == 0)
    path = _grab(screen, screen.geometry(), shoot.out_dir / f"print-preview-{name}.png")
    preview.close()
    return path


def _a_mornings_work(desk: Workstation) -> None:
    """The demo reviewers decide some of their cases (through the workflow, as in the
    window), so that the supervisor desk has a season to show."""
    from app.cli.demo import demo_accounts as generated
    from app.review.workflow import DecisionInput

    outcomes = ("approve", "approve", "reject", "return", "approve")
    for account in generated():
        if account.role != "reviewer":
            continue
        wb = Workbench(desk, desk.login(account.username, account.password, "ws-screenshots"))
        for i, row in enumerate(wb.queue_page("pending", QueueFilters(), limit=9)):
            outcome = outcomes[i % len(outcomes)]
            decision = DecisionInput(outcome)
            if outcome == "reject":
                decision = DecisionInput(outcome, reasons=("PHOTO_UNCLEAR",))
            elif outcome == "return":
                checklist = wb.checklist(row.case_id)
                decision = DecisionInput(outcome, missing=(checklist[0][0],))
            try:
                wb.claim(row.case_id)
                if i < 8:  # the ninth stays claimed: 认领中
                    wb.decide(row.case_id, decision)
            except Exception as exc:  # noqa: BLE001 - the picture goes on without it
                print(f"  (could not decide {row.case_no}: {exc})")


# Dialogs shown on a screen are kept until the end: when PySide collects one, it drops the
# wrapper of the screen it was put on (setScreen) with it, and the next window placed on
# that screen fails ("Internal C++ object (QScreen) already deleted").
_KEEP: list[QWidget] = []


def _shoot_desk(shoot: _Shoot, screen: QScreen, name: str, supervisor: Workbench) -> list[Path]:
    """The supervisor desk over the window: its backlog, then its reviewers."""
    from ui.desk.desk_dialog import DeskDialog

    dialog = DeskDialog(supervisor, shoot.tasks)
    loaded: list[bool] = []
    dialog.loaded.connect(lambda: loaded.append(True))
    dialog.show()
    _place(dialog, screen)
    dialog.reload()
    wait_until(lambda: bool(loaded))
    settle(300)
    paths = [_grab(screen, dialog.frameGeometry(), shoot.out_dir / f"desk-{name}.png")]
    dialog.tabs.setCurrentIndex(1)
    dialog.reviewer_table.selectRow(0)
    wait_until(lambda: shoot.tasks.pending_count == 0)
    settle(300)
    paths.append(
        _grab(screen, dialog.frameGeometry(), shoot.out_dir / f"desk-reviewers-{name}.png")
    )
    dialog.close()
    _KEEP.append(dialog)
    return paths


def _shoot_audit_and_qa(
    shoot: _Shoot, screen: QScreen, name: str, supervisor: Workbench
) -> list[Path]:
    """The audit journal (its chain checked) and the 抽查 window's disagreements."""
    from ui.audit.audit_dialog import AuditDialog
    from ui.qa.qa_dialog import QaDialog

    audit = AuditDialog(supervisor, shoot.tasks)
    checked: list[object] = []
    audit.verified.connect(checked.append)
    audit.show()
    _place(audit, screen)
    audit.start()
    wait_until(lambda: bool(checked) and shoot.tasks.pending_count == 0)
    audit.table.selectRow(0)
    settle(300)
    paths = [_grab(screen, audit.frameGeometry(), shoot.out_dir / f"audit-{name}.png")]
    audit.close()
    _KEEP.append(audit)
    qa = QaDialog(supervisor, shoot.tasks)
    loaded: list[bool] = []
    qa.loaded.connect(lambda: loaded.append(True))
    qa.show()
    _place(qa, screen)
    qa.reload()
    wait_until(lambda: bool(loaded))
    # 分歧 when there is one to settle, else 报告 (the draw's samples per reviewer).
    qa.tabs.setCurrentIndex(qa.tabs.count() - (2 if qa.dispute_table.rowCount() else 1))
    qa.dispute_table.selectRow(0)
    wait_until(lambda: shoot.tasks.pending_count == 0)
    settle(300)
    paths.append(_grab(screen, qa.frameGeometry(), shoot.out_dir / f"qa-{name}.png"))
    qa.close()
    _KEEP.append(qa)
    return paths


def _a_draw_and_a_disagreement(desk: Workstation, supervisor: Workbench) -> None:
    """抽查 over the morning's approvals: a draw, and its first checker disagreeing (when a
    demo reviewer is one: a district with one reviewer leaves its samples unassigned)."""
    from ui.shell.app import demo_accounts

    try:
        drawn = supervisor.qa_draw(percent={"guardianship": 50, "rural_house": 50, "kinship": 50})
        print(f"  抽查: {len(drawn.drawn)} drawn, {len(drawn.unassigned)} with nobody to check")
        for account in demo_accounts():
            if account.role not in ("reviewer", "supervisor"):
                continue
            checker = Workbench(
                desk, desk.login(account.username, account.password, "ws-screenshots")
            )
            mine = checker.qa_my_samples()
            if mine:
                checker.qa_verdict(mine[0].case_no, False, "离婚协议未写明抚养权归属，应退回补充")
                return
    except Exception as exc:  # noqa: BLE001 - the pictures go on without it
        print(f"  (no 抽查 for the screenshots: {exc})")


def take(out_dir: Path) -> list[Path]:
    from app.notices.printing import init_district_key
    from ui.shell.app import create_application, demo_accounts, set_language
    from ui.shell.login import DemoAccount
    from ui.shell.tasks import TaskManager

    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    set_language(app, "zh_CN")
    screens = [screen_of(size) for size in SIZES]  # before the slow part: refuse early
    watchdog = _refuse_modal_boxes()
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="rd-shots-") as tmp:
        workdir = Path(tmp)
        os.environ.setdefault(config.ENV_DATA, str(workdir / "data"))
        print("building the demo store …", flush=True)
        desk, username, password = build_store(workdir)
        tasks = TaskManager()
        try:
            actor: Actor = desk.login(username, password, "ws-screenshots")
            wb = Workbench(desk, actor)
            approved = _approved_case(wb)
            if approved is not None:
                init_district_key(desk.store, wb.peek_case(approved).district)
            _a_mornings_work(desk)
            supervisor = next(a for a in demo_accounts() if a.role == "supervisor")
            sup = Workbench(
                desk, desk.login(supervisor.username, supervisor.password, "ws-screenshots")
            )
            _a_draw_and_a_disagreement(desk, sup)
            shoot = _Shoot(
                desk,
                wb,
                tasks,
                list(demo_accounts()) or [DemoAccount(username, password, "reviewer")],
                username,
                _portrait_case(wb),
                approved,
                workdir,
                out_dir,
            )
            for size, screen in zip(SIZES, screens, strict=True):
                name = f"{size[0]}x{size[1]}"
                saved.append(_shoot_login(shoot, screen, name))
                main_shot, window = _shoot_main(shoot, screen, name)
                saved.append(main_shot)
                preview = _shoot_preview(shoot, screen, name, window)
                if preview is not None:
                    saved.append(preview)
                saved.extend(_shoot_desk(shoot, screen, name, sup))
                saved.extend(_shoot_audit_and_qa(shoot, screen, name, sup))
                window.close()
                QApplication.processEvents()
        finally:
            # Widgets go first: a timer of theirs must not start a task on a shut-down manager.
            for widget in QApplication.topLevelWidgets():
                widget.close()
                widget.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            tasks.shutdown(wait=True)
            desk.store.dispose()
    watchdog.stop()
    QApplication.processEvents()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.shell.screenshots")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    from ui.shell.app import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"{problem} (`make screenshots` starts an X server of its own)", file=sys.stderr)
        return 1
    saved = take(args.out_dir)
    print(f"{len(saved)} screenshots in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
