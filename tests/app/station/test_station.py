"""The station's verdicts on real slips (printed, rasterised, read back by zbar): green, red,
amber and why; the scan log, its export, and what it never keeps."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.notices.printing import (
    init_district_key,
    revoke_district_key,
    rotate_district_key,
)
from app.notices.signing import generate_keypair
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.station import verdicts as v
from app.station.errors import StationRefusal
from app.station.keyring import KeyFileRefused, read_station_key, station_key
from app.station.scanlog import ScanLog, ScanLogProblem
from app.station.station import Station, normalise
from app.workbench import Reader, Workbench
from reviewdb.engine import Store
from tests.app.station.slips import SCHOOL, Slips, altered, clone, make_master, qr_texts

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


class Clock:
    """A station clock the test moves on."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 9, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 in Beijing

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


def station_of(
    tmp_path: Path,
    slips: Slips | None = None,
    *,
    store: Store | None = None,
    school: str = SCHOOL,
    name: str = "东门",
    clock: Clock | None = None,
    keys: bool = True,
) -> Station:
    connect = (lambda: Reader(standalone(store), None)) if store is not None else None
    station = Station(ScanLog(tmp_path / "station.db"), connect=connect, clock=clock)
    add = [slips.key] if slips is not None and keys else []
    station.configure(school=school, name=name, add_keys=add)
    return station


# --- green ------------------------------------------------------------------------------


def test_a_genuine_slip_checked_against_the_store_is_green_with_the_student(
    tmp_path: Path, slips: Slips
) -> None:
    station = station_of(tmp_path, slips, store=slips.store)
    started = time.perf_counter()
    verdict = station.verify(slips.approval)
    took = time.perf_counter() - started
    assert verdict.level == v.VALID and verdict.reasons == ()
    assert verdict.headline == "有效" and verdict.state_checked and verdict.source == v.SOURCE_STORE
    student = verdict.student
    assert student is not None and student.school == SCHOOL and student.kind == "guardianship"
    assert student.name == "王小明"
    assert len(student.masked_id) == 18 and student.masked_id[6:14] == "********"
    payload = verdict.payload
    assert payload is not None and payload.case_no == slips.world.cases[0]
    assert payload.outcome == "approve" and payload.serial in slips.approval
    assert took < 1.0, f"the verdict took {took:.3f} s"


def test_offline_a_genuine_slip_is_amber_signature_true_state_not_checked(
    tmp_path: Path, slips: Slips
) -> None:
    station = station_of(tmp_path, slips)  # no store: key files only
    scan = station.scan(slips.approval)
    assert not scan.needs_state
    verdict = scan.verdict
    assert verdict.level == v.CAUTION and verdict.codes == (v.OFFLINE,)
    assert verdict.headline == "签名真实" and not verdict.state_checked
    assert verdict.text == "签名真实；离线核验，决定状态和学校未核对"
    assert verdict.payload is not None and verdict.student is None
    assert verdict.key_id == 1 and verdict.district_name == "东湖区"


# --- red --------------------------------------------------------------------------------


def test_an_altered_slip_is_red_offline_and_against_the_store(tmp_path: Path, slips: Slips) -> None:
    offline = station_of(tmp_path / "a", slips)
    online = station_of(tmp_path / "b", slips, store=slips.store)
    for text in altered(slips.approval):
        for station in (offline, online):
            verdict = station.verify(text)
            assert verdict.level == v.INVALID, (text, verdict)
            assert verdict.codes == (v.FORGED,) and verdict.headline == "无效"
            assert verdict.text == "伪造或被篡改：签名与区教育局的公钥不符"
            assert verdict.payload is None  # nothing a forger wrote is shown as fact


def test_another_districts_slip_is_red(tmp_path: Path, slips: Slips) -> None:
    from app.notices.printing import export_public_key

    init_district_key(slips.store, "西湖区")
    west = station_key(export_public_key(slips.store, "西湖区")[1])
    station = Station(ScanLog(tmp_path / "station.db"))
    station.configure(school="西湖区某小学", add_keys=[west])
    verdict = station.verify(slips.approval)
    assert verdict.level == v.INVALID and verdict.codes == (v.OTHER_DISTRICT,)
    assert verdict.text == "其他区县的通知单（区县代码 360102），不是本区签发的"


def test_a_slip_whose_decision_was_undone_is_red(tmp_path: Path) -> None:
    # The real way it happens: a laptop prints at a school while offline; meanwhile the
    # office undoes the decision (the central store knew of no print yet).
    from tests.integration.sync_fixtures import central_world, offline, workstation

    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=2)
    init_district_key(central, "东湖区")
    laptop, office = (
        workstation(central, tmp_path, "laptop"),
        workstation(central, tmp_path, "office"),
    )
    case_no = world.cases[1]
    at_school = Workbench(laptop.desk, world.alice)
    at_school.claim(case_no)
    at_school.decide(case_no, DecisionInput("approve"))
    with offline(laptop):
        [slip] = qr_texts(at_school.print_cases([case_no]).pdf)
    office.sync.sync_once()
    Workbench(office.desk, world.alice).undo(case_no)
    laptop.sync.sync_once()

    from app.notices.printing import export_public_key

    key = station_key(export_public_key(central, "东湖区")[1])
    station = Station(ScanLog(tmp_path / "station.db"), connect=lambda: Reader(laptop.desk, None))
    station.configure(school=SCHOOL, add_keys=[key])
    verdict = station.verify(slip)
    assert verdict.level == v.INVALID and verdict.codes[0] == v.UNDONE_DECISION
    assert verdict.headline == "无效" and verdict.source == v.SOURCE_CENTRAL
    assert "审核决定已撤销，此通知单作废" in verdict.text
    assert verdict.payload is not None  # genuine: its facts are shown beside the reason


def test_a_slip_signed_with_a_revoked_key_is_red(tmp_path: Path, slips: Slips) -> None:
    revoke_district_key(slips.store, "东湖区", 1, reason="私钥外泄", actor=slips.world.admin)
    station = station_of(tmp_path, slips, store=slips.store)
    verdict = station.verify(slips.approval)
    assert verdict.level == v.INVALID and verdict.codes[0] == v.REVOKED
    assert "吊销（私钥外泄），此通知单作废" in verdict.text
    # offline, the key file cannot know: amber, never green
    offline = station_of(tmp_path / "off", slips).verify(slips.approval)
    assert offline.level == v.CAUTION and offline.codes == (v.OFFLINE,)


def test_some_other_qr_code_is_red_not_a_slip(tmp_path: Path, slips: Slips) -> None:
    station = station_of(tmp_path, slips, store=slips.store)
    for text in ("https://weixin.qq.com/r/abc", "", "RD2*", "审" * 5000):
        verdict = station.verify(text)
        assert verdict.level == v.INVALID, text
        assert verdict.codes[0] in (v.NOT_A_SLIP, v.FORGED)
    assert station.verify("HTTP://X").codes == (v.NOT_A_SLIP,)


# --- amber ------------------------------------------------------------------------------


def test_another_schools_slip_is_amber_naming_both_schools(tmp_path: Path, slips: Slips) -> None:
    station = station_of(tmp_path, slips, store=slips.store, school="南昌市东湖区滨江小学")
    verdict = station.verify(slips.approval)
    assert verdict.level == v.CAUTION and verdict.codes == (v.OTHER_SCHOOL,)
    assert verdict.headline == "非本校"
    assert verdict.text == f"其他学校的通知单：{SCHOOL}（本站：南昌市东湖区滨江小学）"
    # spaces and full-width letters in the configured name do not make it another school
    spaced = station_of(tmp_path / "s", slips, store=slips.store, school=" 南昌市东湖区 育新学校 ")
    assert spaced.verify(slips.approval).level == v.VALID


def test_a_second_presentation_says_when_and_where_it_was_checked(
    tmp_path: Path, slips: Slips
) -> None:
    clock = Clock()
    station = station_of(tmp_path, slips, store=slips.store, clock=clock)
    assert station.verify(slips.approval).level == v.VALID
    clock.tick(95)
    again = station.verify(slips.approval)
    assert again.level == v.CAUTION and again.codes == (v.REPEAT,)
    assert again.headline == "已核验过"
    assert again.text == "此通知单已于 2026-09-01 09:30 在 东门 核验过（此前共 1 次）"
    # a forged copy of it does not count as a presentation; a third genuine one counts two
    station.verify(altered(slips.approval)[2])
    assert "此前共 2 次" in station.verify(slips.approval).text


def test_a_rejection_notice_is_not_green(tmp_path: Path, slips: Slips) -> None:
    verdict = station_of(tmp_path, slips, store=slips.store).verify(slips.rejection)
    assert verdict.level == v.CAUTION and verdict.codes == (v.NOT_APPROVAL,)
    assert (
        verdict.headline == "审核不通过" and verdict.text == "这是“审核不通过”，不是审核通过通知单"
    )


def test_a_slip_of_a_rotated_key_needs_that_keys_file(tmp_path: Path, slips: Slips) -> None:
    from app.notices.printing import export_public_key

    world = slips.world
    rotate_district_key(slips.store, "东湖区", actor=world.admin)
    desk = Workbench(standalone(slips.store), world.alice)
    desk.claim(world.cases[2])
    desk.decide(world.cases[2], DecisionInput("approve"))
    [new_slip] = qr_texts(desk.print_cases([world.cases[2]]).pdf)
    assert new_slip.split("*")[8] == "2"
    old_file_only = station_of(tmp_path / "old", slips, school="其他小学")
    verdict = old_file_only.verify(new_slip)
    assert verdict.level == v.CAUTION and verdict.codes == (v.KEY_MISSING,)
    assert verdict.headline == "无法核验" and "第 2 号公钥" in verdict.text
    # the old slip still verifies with key 1's file; the new one with key 2's
    assert old_file_only.verify(slips.approval).codes == (v.OFFLINE,)
    both = station_of(tmp_path / "both", slips)
    both.configure(add_keys=[station_key(export_public_key(slips.store, "东湖区")[1])])
    assert both.verify(new_slip).codes == (v.OFFLINE,)
    # with the store, the station needs no file of key 2 at all
    online = station_of(tmp_path / "online", slips, store=slips.store)
    assert online.verify(new_slip).level == v.VALID


def test_a_station_without_keys_relies_on_the_store(tmp_path: Path, slips: Slips) -> None:
    station = station_of(tmp_path, slips, store=slips.store, keys=False)
    scan = station.scan(slips.approval)
    assert scan.needs_state and scan.verdict.codes == (v.NO_KEYS,) and scan.verdict.pending
    assert station.check_state(scan).level == v.VALID
    assert station.verify(altered(slips.approval)[0]).codes == (v.FORGED,)
    alone = station_of(tmp_path / "alone", slips, keys=False)
    assert alone.verify(slips.approval).headline == "无法核验"


def test_an_unreachable_store_leaves_the_offline_verdict_and_says_so(
    tmp_path: Path, slips: Slips
) -> None:
    from app.config import Settings
    from app.runtime import open_workstation

    gone = Settings(f"sqlite:///{tmp_path / 'no' / 'such.db'}", False, None, None)
    station = Station(
        ScanLog(tmp_path / "station.db"), connect=lambda: Reader(open_workstation(gone), None)
    )
    station.configure(school=SCHOOL, add_keys=[slips.key])
    verdict = station.verify(slips.approval)
    assert verdict.level == v.CAUTION and verdict.codes == (v.STORE_DOWN,)
    connection = station.connection
    assert connection.configured and not connection.connected
    assert connection.problem and "no database at" in connection.problem


def test_caps_lock_and_full_width_text_read_as_the_slip(tmp_path: Path, slips: Slips) -> None:
    station = station_of(tmp_path, slips, store=slips.store)
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in slips.approval)
    for text in (slips.approval.lower(), f"  {full_width}\n"):
        assert normalise(text) == slips.approval
    assert station.verify(slips.approval.lower()).level == v.VALID


# --- the log ----------------------------------------------------------------------------


def test_the_log_keeps_each_scan_but_never_the_slip_text_or_a_full_id(
    tmp_path: Path, slips: Slips
) -> None:
    station = station_of(tmp_path, slips, store=slips.store)
    for text in (slips.approval, altered(slips.approval)[0], "hello"):
        station.verify(text)
    rows = station.log.day(station.today())
    assert [r.level for r in rows] == [v.VALID, v.INVALID, v.INVALID]
    first = rows[0]
    assert first.station == "东门" and first.school == SCHOOL and first.state_checked
    assert first.serial == slips.approval.split("*")[6] and first.student_name == "王小明"
    assert first.reasons == () and first.reason_text == "有效"
    assert rows[1].reasons == (v.FORGED,) and not rows[1].genuine
    station.close()
    raw = (tmp_path / "station.db").read_bytes()
    signature = slips.approval.rsplit("*", 1)[1]
    with sqlite3.connect(tmp_path / "station.db") as db:
        full_id = db.execute("SELECT student_id_masked FROM scans").fetchone()[0]
    assert signature.encode() not in raw and "*" in full_id
    from tests.integration.test_printing import full_id as stored_id

    assert stored_id(slips.store, slips.world.cases[0]).encode() not in raw


def test_a_log_that_cannot_be_written_does_not_stop_the_verdict(
    tmp_path: Path, slips: Slips
) -> None:
    station = station_of(tmp_path, slips)
    station.log.close()
    (tmp_path / "station.db").unlink()
    (tmp_path / "station.db").mkdir()  # the file is gone and cannot be made again
    verdict = station.scan(slips.approval).verdict
    assert verdict.level == v.CAUTION and verdict.codes == (v.OFFLINE,)
    assert verdict.scan_id is None and verdict.log_problem
    assert "station log" in verdict.log_problem


def test_a_damaged_log_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "station.db"
    path.write_bytes(b"this is no database, it is a shopping list" * 100)
    with pytest.raises(ScanLogProblem, match="damaged .* move the file aside"):
        Station.open(path)


def test_settings_are_kept_and_names_are_checked(tmp_path: Path, slips: Slips) -> None:
    station = station_of(tmp_path, slips, school="育新学校", name="东门")
    again = Station.open(tmp_path / "station.db")
    settings = again.settings
    assert (settings.school, settings.name) == ("育新学校", "东门")
    assert [k.fingerprint for k in settings.keys] == [slips.key.fingerprint]
    for bad, code in (
        ("", "empty"),
        ("   ", "empty"),
        ("校" * 41, "too_long"),
        ("a\x07b", "control"),
    ):
        with pytest.raises(StationRefusal) as refused:
            station.configure(school=bad)
        assert refused.value.code == code
    assert Station.open(tmp_path / "station.db").settings.school == "育新学校"  # unchanged


def test_key_files_that_are_not_district_keys_are_refused(tmp_path: Path, slips: Slips) -> None:
    plain = tmp_path / "plain.pem"
    plain.write_bytes(generate_keypair()[1])
    junk = tmp_path / "junk.pub"
    junk.write_text("not a key", encoding="utf-8")
    big = tmp_path / "big.pub"
    big.write_bytes(b"x" * 20_000)
    good = tmp_path / "东湖区.pub"
    good.write_bytes(slips.key_file)
    expected = {
        plain: "no_district",
        junk: "not_key",
        big: "not_key",
        tmp_path / "missing.pub": "unreadable",
    }
    for path, code in expected.items():
        with pytest.raises(KeyFileRefused) as refused:
            read_station_key(path)
        assert refused.value.code == code and str(path) in str(refused.value)
    key = read_station_key(good)
    assert (key.district_code, key.district_name, key.key_id) == ("360102", "东湖区", 1)


# --- export -----------------------------------------------------------------------------


def test_the_days_scans_export_as_xlsx_and_csv(tmp_path: Path, slips: Slips) -> None:
    from openpyxl import load_workbook

    clock = Clock()
    station = station_of(tmp_path, slips, store=slips.store, clock=clock, school="=HYPERLINK(1)")
    station.verify(slips.approval)  # another school's, as configured: amber
    station.verify(altered(slips.approval)[0])
    clock.tick(24 * 60)  # the next day's scan is not in this day's file
    station.verify(slips.rejection)
    day = dt.date(2026, 9, 1)
    done = station.export_day(tmp_path / "scans.xlsx", day)
    assert done.rows == 2
    sheet = load_workbook(tmp_path / "scans.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["核验时间", "核验站", "本站学校", "结果"]
    assert rows[1][0] == "2026-09-01 09:30:00" and rows[1][3] == "请核实"
    assert rows[1][2] == "'=HYPERLINK(1)"  # never a formula in the school's records
    assert rows[1][8] == "王小明" and rows[1][11] == "监护关系" and rows[1][12] == "是"
    assert rows[2][3] == "无效" and rows[2][4] == "伪造或被篡改：签名与区教育局的公钥不符"
    assert station.export_day(tmp_path / "scans.csv", day).rows == 2
    text = (tmp_path / "scans.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "王小明".encode() in text
    for bad, code in ((tmp_path / "scans.txt", "format"), (tmp_path / "no" / "x.csv", "folder")):
        with pytest.raises(StationRefusal) as refused:
            station.export_day(bad, day)
        assert refused.value.code == code
    assert not list(tmp_path.glob(".*.part"))
