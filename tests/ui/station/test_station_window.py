"""The station window, offscreen, with real task threads: real slips (printed, rasterised,
read back by zbar) typed in by a scanner gun at 2 ms a key, one verdict for each case."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.runtime import standalone
from app.station import verdicts as v
from app.station.scanlog import ScanLog
from app.station.station import Station
from app.station.verdicts import Verdict
from app.workbench import Reader
from tests.app.station.slips import SCHOOL, Slips, altered, clone, make_master
from tests.ui.conftest import OffThreadWorkbench
from tests.ui.station.gun import ScannerGun
from ui.shell.tasks import TaskManager
from ui.station import window as station_window
from ui.station.verdict_view import COLOURS
from ui.station.window import StationWindow

pytestmark = pytest.mark.gui
os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slips]:
    made = make_master(tmp_path_factory.mktemp("master"))
    yield made
    made.store.dispose()


@pytest.fixture
def slips(master: Slips, tmp_path: Path) -> Iterator[Slips]:
    copy = clone(master, tmp_path / "world")
    yield copy
    copy.store.dispose()


class Watch:
    """Every verdict the window showed, and every final one, in order."""

    def __init__(self, window: StationWindow) -> None:
        self.shown: list[Verdict] = []
        self.finals: list[Verdict] = []
        self.final_times: list[float] = []
        window.verdict_shown.connect(self.shown.append)
        window.final_verdict.connect(self._final)

    def _final(self, verdict: Verdict) -> None:
        self.finals.append(verdict)
        self.final_times.append(time.perf_counter())


def open_window(
    qtbot: QtBot,
    tasks: TaskManager,
    station: Station,
    size: tuple[int, int] = (1366, 768),
) -> tuple[StationWindow, Watch]:
    window = StationWindow(tasks, lambda: station)
    qtbot.addWidget(window)
    watch = Watch(window)
    with qtbot.waitSignal(window.opened, timeout=10_000):
        window.resize(*size)
        window.show()
    qtbot.waitUntil(lambda: not window.input.isReadOnly())
    return window, watch


def station_for(
    tmp_path: Path,
    slips: Slips,
    *,
    online: bool = True,
    school: str = SCHOOL,
    reader: Any = None,
) -> Station:
    connect = None
    if reader is not None:
        connect = lambda: reader  # noqa: E731
    elif online:
        connect = lambda: Reader(standalone(slips.store), None)  # noqa: E731
    station = Station(ScanLog(tmp_path / "station.db"), connect=connect)
    station.configure(school=school, name="东门", add_keys=[slips.key])
    return station


def scan(qtbot: QtBot, window: StationWindow, watch: Watch, *payloads: str) -> list[Verdict]:
    """Type the payloads with a scanner gun (2 ms a key); the final verdicts they got, each
    checked to have come within a second of its Enter."""
    before = len(watch.finals)
    gun = ScannerGun(window.input, interval_ms=2)
    gun.pull_trigger(*payloads)
    qtbot.waitUntil(lambda: not gun.busy, timeout=20_000)
    qtbot.waitUntil(lambda: not window.checking and len(watch.finals) > before, timeout=20_000)
    got = watch.finals[before:]
    last = len(gun.enter_times) - 1
    took = watch.final_times[-1] - gun.enter_times[last]
    assert took < 1.0, f"the verdict came {took:.3f} s after Enter"
    return got


def shown_colour(window: StationWindow) -> str:
    return COLOURS[window.view.state][0]


# --- one verdict each ---------------------------------------------------------------------


def test_a_genuine_slip_is_green_with_the_student(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.level == v.VALID
    assert window.view.state == v.VALID and shown_colour(window) == "#1e7e34"
    assert window.view.headline.text() == "有效"
    assert window.view.subline.text() == "王小明"
    facts = [label.text() for label in window.view.fact_labels]
    assert "身份证号" in facts and any("********" in f for f in facts)
    assert SCHOOL in facts and "监护关系" in facts and "审核通过" in facts
    assert slips.world.cases[0] in facts and slips.approval.split("*")[6] in facts
    assert "已核对：数据库" in window.view.foot.text()
    assert window.input.text() == "" and window.input.hasFocus()
    assert window.count.text() == "今日已核验 1 份"


def test_an_altered_slip_is_red_with_the_reason(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    for text in altered(slips.approval):
        [verdict] = scan(qtbot, window, watch, text)
        assert verdict.level == v.INVALID and window.view.state == v.INVALID
        assert window.view.headline.text() == "无效"
        assert window.view.subline.text() == "伪造或被篡改：签名与区教育局的公钥不符"
        assert window.view.fact_labels == []  # nothing the forger wrote is shown as fact


def test_another_schools_slip_is_amber(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    station = station_for(tmp_path, slips, school="南昌市东湖区滨江小学")
    window, watch = open_window(qtbot, tasks, station)
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.codes == (v.OTHER_SCHOOL,) and window.view.state == v.CAUTION
    assert window.view.headline.text() == "非本校"
    assert window.view.subline.text() == f"其他学校的通知单：{SCHOOL}（本站：南昌市东湖区滨江小学）"


def test_a_second_presentation_is_amber_saying_when_and_where(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    [first] = scan(qtbot, window, watch, slips.approval)
    [second] = scan(qtbot, window, watch, slips.approval)
    assert first.level == v.VALID
    assert second.level == v.CAUTION and second.codes == (v.REPEAT,)
    assert window.view.headline.text() == "已核验过"
    assert window.view.subline.text().startswith("此通知单已于 ")
    assert "在 东门 核验过（此前共 1 次）" in window.view.subline.text()


def test_an_undone_decisions_slip_is_red(qtbot: QtBot, tasks: TaskManager, tmp_path: Path) -> None:
    from app.notices.printing import export_public_key, init_district_key
    from app.review.workflow import DecisionInput
    from app.station.keyring import station_key
    from app.workbench import Workbench
    from tests.app.station.slips import qr_texts
    from tests.integration.sync_fixtures import central_world, offline, workstation

    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=1)
    init_district_key(central, "东湖区")
    laptop, office = (
        workstation(central, tmp_path, "laptop"),
        workstation(central, tmp_path, "office"),
    )
    case_no = world.cases[0]
    at_school = Workbench(laptop.desk, world.alice)
    at_school.claim(case_no)
    at_school.decide(case_no, DecisionInput("approve"))
    with offline(laptop):  # printed at a school with no network ...
        [slip] = qr_texts(at_school.print_cases([case_no]).pdf)
    office.sync.sync_once()
    Workbench(office.desk, world.alice).undo(case_no)  # ... while the office undid it
    laptop.sync.sync_once()
    station = Station(ScanLog(tmp_path / "station.db"), connect=lambda: Reader(laptop.desk, None))
    station.configure(
        school=SCHOOL, add_keys=[station_key(export_public_key(central, "东湖区")[1])]
    )
    window, watch = open_window(qtbot, tasks, station)
    [verdict] = scan(qtbot, window, watch, slip)
    assert verdict.level == v.INVALID and verdict.codes[0] == v.UNDONE_DECISION
    assert window.view.headline.text() == "无效"
    assert window.view.subline.text() == "审核决定已撤销，此通知单作废"


def test_offline_a_genuine_slip_is_amber_signature_true(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips, online=False))
    assert window.store_state.text() == "离线核验（只核验签名）"
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.codes == (v.OFFLINE,) and window.view.state == v.CAUTION
    assert window.view.headline.text() == "签名真实"
    assert window.view.subline.text() == "签名真实；离线核验，决定状态和学校未核对"
    assert "审核通过" in [label.text() for label in window.view.fact_labels]


# --- the scanner's pace, the store's pace ------------------------------------------------


def test_scans_at_2_ms_a_key_are_read_whole_never_split_or_merged(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    station = station_for(tmp_path, slips)
    window, watch = open_window(qtbot, tasks, station)
    sequence = [slips.approval, slips.rejection, slips.approval, "HTTPS://EXAMPLE.COM/X"]
    verdicts = scan(qtbot, window, watch, *sequence)
    qtbot.waitUntil(lambda: len(station.log.day(station.today())) == 4, timeout=10_000)
    rows = station.log.day(station.today())
    serials = [s.split("*")[6] for s in sequence[:3]]
    assert [r.serial for r in rows] == [*serials, None]  # four scans, whole, in order
    assert [r.level for r in rows] == [v.VALID, v.CAUTION, v.CAUTION, v.INVALID]
    assert rows[2].reasons == (v.REPEAT,) and rows[3].reasons == (v.NOT_A_SLIP,)
    # only the last one is on the screen; the others never flashed past half-read
    assert verdicts[-1].codes == (v.NOT_A_SLIP,) and window.view.headline.text() == "无效"
    assert all(s.claimed is None or s.claimed.serial in serials for s in watch.shown)
    assert window.count.text() == "今日已核验 4 份"


def test_a_half_scan_left_standing_is_replaced_by_the_next(
    qtbot: QtBot,
    tasks: TaskManager,
    slips: Slips,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(station_window, "STALE_INPUT_MS", 150)
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    gun = ScannerGun(window.input)
    gun.pull_trigger(slips.approval[:40], enter=False)  # the gun moved away mid-read
    qtbot.waitUntil(lambda: not gun.busy)
    qtbot.waitUntil(lambda: window.input.selectedText() == slips.approval[:40], timeout=3000)
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.level == v.VALID


def test_a_slow_store_never_holds_the_window_and_the_offline_verdict_comes_first(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    release = threading.Event()

    class SlowReader(Reader):
        """The real reader behind a slow network: it answers once released."""

        def verify_slip(self, slip_text: str) -> Any:
            assert threading.current_thread() is not threading.main_thread()
            release.wait(20)
            return super().verify_slip(slip_text)

    reader = SlowReader(standalone(slips.store), None)
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips, reader=reader))
    gun = ScannerGun(window.input)
    gun.pull_trigger(slips.approval)
    qtbot.waitUntil(lambda: bool(watch.shown), timeout=2000)
    first_shown = time.perf_counter() - gun.enter_times[0]
    assert first_shown < 1.0
    assert watch.shown[0].codes == (v.OFFLINE,) and watch.finals == []
    assert "正在联网核对决定状态…" in window.view.foot.text()
    # the GUI thread is free: the clerk can type meanwhile
    window.input.setText("typing")
    assert window.input.text() == "typing"
    window.input.clear()
    release.set()
    qtbot.waitUntil(lambda: bool(watch.finals), timeout=10_000)
    assert watch.finals[0].level == v.VALID and window.view.headline.text() == "有效"


def test_the_store_is_only_asked_off_the_gui_thread(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    guarded = OffThreadWorkbench(Reader(standalone(slips.store), None))  # type: ignore[arg-type]
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips, reader=guarded))
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.level == v.VALID
    assert guarded.calls == ["verify_slip", "peek_case"]


# --- fit, keys, settings, export, the login screen ----------------------------------------


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_every_verdict_fits_the_screen(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path, size: tuple[int, int]
) -> None:
    station = station_for(tmp_path, slips, school="南昌市东湖区滨江小学")
    window, watch = open_window(qtbot, tasks, station, size)
    assert window.size().width() <= size[0] and window.size().height() <= size[1]
    for text in (slips.approval, slips.approval, altered(slips.approval)[0], slips.rejection):
        scan(qtbot, window, watch, text)
        view = window.view
        assert view.minimumSizeHint().height() <= view.height(), "the verdict does not fit"
        area = view.rect()
        for label in view.findChildren(QLabel):
            if not label.isVisibleTo(view) or not label.text():
                continue
            top_left = label.mapTo(view, label.rect().topLeft())
            bottom_right = label.mapTo(view, label.rect().bottomRight())
            assert area.contains(top_left) and area.contains(bottom_right), label.text()
            needed = (
                label.heightForWidth(label.width())
                if label.wordWrap()
                else label.sizeHint().height()
            )
            assert label.height() >= needed - 1, f"cut: {label.text()!r}"
            if not label.wordWrap():
                assert label.width() >= label.sizeHint().width() - 1, f"cut: {label.text()!r}"


def test_escape_clears_and_the_verdict_clears_itself(
    qtbot: QtBot,
    tasks: TaskManager,
    slips: Slips,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    scan(qtbot, window, watch, slips.approval)
    qtbot.keyClick(window.input, Qt.Key.Key_Escape)
    assert window.view.state == "idle" and "王小明" not in window.view.subline.text()
    monkeypatch.setattr(station_window, "CLEAR_AFTER_MS", 100)
    scan(qtbot, window, watch, slips.approval)
    assert window.view.state == v.CAUTION
    qtbot.waitUntil(lambda: window.view.state == "idle", timeout=3000)


def test_settings_take_a_key_file_and_refuse_a_plain_pem(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    from app.notices.signing import generate_keypair

    station = Station(ScanLog(tmp_path / "station.db"))  # a new station: nothing set
    window = StationWindow(tasks, lambda: station)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(station_window.StationSettingsDialog) is not None)
    dialog = window.findChild(station_window.StationSettingsDialog)
    assert dialog is not None and dialog.isVisible()  # asked at once: no school yet
    plain = tmp_path / "plain.pem"
    plain.write_bytes(generate_keypair()[1])
    dialog.add_key_file(plain)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert dialog.message.text().startswith("这个公钥文件没有写明所属区县")
    good = tmp_path / "东湖区.pub"
    good.write_bytes(slips.key_file)
    dialog.add_key_file(good)
    qtbot.waitUntil(lambda: dialog.keys.count() == 1)
    assert dialog.keys.item(0).text().startswith("东湖区（360102） · 第 1 号密钥 · SHA256:")
    dialog.save()
    assert dialog.message.text() == "请填写本校名称：与通知单上的学校名称一致。"
    dialog.school.setText(SCHOOL)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    assert window.where.text().startswith(SCHOOL)
    assert [k.fingerprint for k in Station.open(tmp_path / "station.db").settings.keys] == [
        slips.key.fingerprint
    ]


def test_todays_log_exports_from_the_window(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    window, watch = open_window(qtbot, tasks, station_for(tmp_path, slips))
    scan(qtbot, window, watch, slips.approval, altered(slips.approval)[0])
    with qtbot.waitSignal(window.exported, timeout=10_000) as done:
        window.export_to(tmp_path / "today.xlsx")
    assert done.args[0].rows == 2 and "已导出到" in window.count.text()
    sheet = load_workbook(tmp_path / "today.xlsx").active
    assert sheet is not None and sheet.max_row == 3
    window.export_to(tmp_path / "today.txt")
    qtbot.waitUntil(lambda: window.count.text().startswith("导出失败"))


def test_the_login_screen_opens_the_station_without_an_account(
    qtbot: QtBot, tasks: TaskManager, slips: Slips, tmp_path: Path
) -> None:
    from ui.shell.login import LoginDialog

    Station.open().configure(school=SCHOOL, add_keys=[slips.key])  # set up beforehand
    login = LoginDialog(standalone(slips.store), tasks, "ws-test")
    qtbot.addWidget(login)
    login.show()
    qtbot.mouseClick(login.station_button, Qt.MouseButton.LeftButton)
    window = login.station_window
    assert isinstance(window, StationWindow) and window.isVisible()
    assert login.actor is None and login.isVisible()  # nobody logged in
    watch = Watch(window)
    qtbot.waitUntil(lambda: not window.input.isReadOnly(), timeout=10_000)
    qtbot.waitUntil(lambda: window.store_state.text() == "数据库：已连接", timeout=10_000)
    [verdict] = scan(qtbot, window, watch, slips.approval)
    assert verdict.level == v.VALID and window.view.subline.text() == "王小明"
    login.open_station()
    assert login.station_window is window  # one window, raised again
    QApplication.processEvents()


def test_the_window_says_every_reason_word_for_word_as_app_does() -> None:
    from ui.station import words

    for code, chinese in v.REASON_WORDS.items():
        assert words.template(code) == chinese, code
    for level, word in v.LEVEL_WORDS.items():
        assert words.level_word(level) == word
    for code, headline in v.CAUTION_HEADLINES.items():
        verdict = Verdict(v.CAUTION, (v.Reason(code),), scanned_at=None)  # type: ignore[arg-type]
        assert words.headline(verdict) == headline, code
    for code, text in v.SOURCE_WORDS.items():
        assert words.source_word(code) == text
    from app.notices.printing import OUTCOME_WORDS

    for outcome, (zh, _en) in OUTCOME_WORDS.items():
        assert words.outcome_word(outcome) == zh
