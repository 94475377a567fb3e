"""The README's pictures of the station: one per verdict, from a real X server.

    Xvfb :93 -screen 0 1366x768x24 &
    DISPLAY=:93 QT_QPA_PLATFORM=xcb .venv/bin/python -m tests.ui.station.take_screenshots docs/screenshots

Real slips (printed by the project, read back by zbar, as the tests do) are typed into the
station window by key events, and what the X server shows is grabbed (``QScreen``), one
file each: ``station-<verdict>.png``. A script, not a test: it polls the event loop.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if predicate():
            return True
        time.sleep(0.01)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"):
        print("run under an X server: DISPLAY=:93 QT_QPA_PLATFORM=xcb", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="station-shots-"))
    os.environ["REVIEWDESK_DATA"] = str(work / "data")

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from app.notices.printing import export_public_key, init_district_key
    from app.review.workflow import DecisionInput
    from app.runtime import standalone
    from app.station.keyring import station_key
    from app.station.scanlog import ScanLog
    from app.station.station import Station
    from app.workbench import Reader, Workbench
    from tests.app.station.slips import SCHOOL, altered, make_master, qr_texts
    from tests.integration.sync_fixtures import central_world, offline, workstation
    from ui.shell.app import create_application, set_language
    from ui.shell.tasks import TaskManager
    from ui.station.window import StationWindow

    app = create_application(["station-shots"])
    set_language(app, "zh_CN")
    tasks = TaskManager(app)

    slips = make_master(work / "master")
    central, world = central_world(f"sqlite:///{work / 'central.db'}", work / "c", n_cases=1)
    with_key = init_district_key(central, "东湖区")
    del with_key
    laptop, office = workstation(central, work, "laptop"), workstation(central, work, "office")
    case_no = world.cases[0]
    at_school = Workbench(laptop.desk, world.alice)
    at_school.claim(case_no)
    at_school.decide(case_no, DecisionInput("approve"))
    with offline(laptop):
        [undone_slip] = qr_texts(at_school.print_cases([case_no]).pdf)
    office.sync.sync_once()
    Workbench(office.desk, world.alice).undo(case_no)
    laptop.sync.sync_once()
    central_key = station_key(export_public_key(central, "东湖区")[1])

    def online() -> Reader:
        return Reader(standalone(slips.store), None)

    def at_laptop() -> Reader:
        return Reader(laptop.desk, None)

    shots = [
        # name, station log, school, connect, keys, slips typed before, the slip
        ("valid", "a", SCHOOL, online, slips.key, [], slips.approval),
        ("forged", "b", SCHOOL, online, slips.key, [], altered(slips.approval)[0]),
        ("other-school", "c", "南昌市东湖区滨江小学", online, slips.key, [], slips.approval),
        ("undone", "d", SCHOOL, at_laptop, central_key, [], undone_slip),
        ("repeat", "e", SCHOOL, online, slips.key, [slips.approval], slips.approval),
        ("offline", "f", SCHOOL, None, slips.key, [], slips.approval),
    ]
    screen = QGuiApplication.primaryScreen()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, log, school, connect, key, before, slip in shots:
        station = Station(ScanLog(work / f"{log}.db"), connect=connect)
        station.configure(school=school, name="东门登记处", add_keys=[key])
        for earlier in before:
            station.verify(earlier)
        window = StationWindow(tasks, lambda s=station: s)
        finals: list[object] = []
        window.final_verdict.connect(finals.append)
        window.setGeometry(screen.availableGeometry())
        window.show()
        assert wait_until(lambda w=window: not w.input.isReadOnly())
        wait_until(lambda w=window: "正在连接" not in w.store_state.text(), 5)
        window.activateWindow()
        QTest.keyClicks(window.input, slip)
        QTest.keyClick(window.input, Qt.Key.Key_Return)
        assert wait_until(lambda f=finals: bool(f)), name
        wait_until(lambda: False, 0.5)  # let the X server paint
        area = window.frameGeometry()
        path = args.out / f"station-{name}.png"
        screen.grabWindow(0, area.x(), area.y(), area.width(), area.height()).save(str(path))
        print(f"{path}: {window.view.headline.text()} / {window.view.subline.text()}")
        window.close()
        window.deleteLater()
        wait_until(lambda: False, 0.2)
    tasks.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
