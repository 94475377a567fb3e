"""`reviewdesk station`: set-up, the day's log export, and hostile input in one line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli, config
from app.station.scanlog import ScanLog
from app.station.station import Station, default_path
from tests.app.station.slips import SCHOOL, Slips, clone, make_master

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


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_configure_then_export_the_days_log(
    slips: Slips, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "东湖区.pub"
    key.write_bytes(slips.key_file)
    code, out, err = run(
        capsys, "station", "--configure", "--school", SCHOOL, "--name", "东门", "--key", str(key)
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "station: 东门" and lines[1] == f"school:  {SCHOOL}"
    assert lines[2].startswith("key:     东湖区 (360102), key 1 SHA256:")
    assert lines[3] == f"log:     {default_path()} (0 scans today)"

    station = Station.open()  # what the window opens: the same file, the same settings
    assert station.settings.school == SCHOOL and len(station.settings.keys) == 1
    station.verify(slips.approval)
    station.verify("not a slip")
    station.close()
    out_file = tmp_path / "scans.xlsx"
    code, out, err = run(capsys, "station", "--export-log", str(out_file))
    assert code == 0, err
    assert out.startswith(f"wrote 2 scans of {Station.open().today().isoformat()} to ")
    assert out_file.stat().st_size > 0
    code, out, err = run(capsys, "station", "--export-log", str(out_file), "--day", "2020-01-01")
    assert code == 0 and out.startswith("wrote 0 scans of 2020-01-01"), err


def test_refusals_are_one_line(
    slips: Slips, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain.pem"
    from app.notices.signing import generate_keypair

    plain.write_bytes(generate_keypair()[1])
    cases = [
        (["station", "--configure"], 2, "give --school, --name or --key"),
        (["station", "--day", "2026-09-01"], 2, "--day goes with --export-log"),
        (["station", "--export-log", "x.csv", "--school", "S"], 2, "goes alone"),
        (["station", "--export-log", str(tmp_path / "x.txt")], 1, ".xlsx (a spreadsheet) or .csv"),
        (["station", "--export-log", str(tmp_path / "no" / "x.csv")], 1, "no folder"),
        (["station", "--configure", "--key", str(plain)], 1, "does not say which district"),
        (["station", "--configure", "--key", str(tmp_path / "none.pub")], 1, "cannot read"),
        (["station", "--configure", "--school", "校" * 41], 1, "longer than 40"),
        (["station", "--export-log", "x.csv", "--day", "1st of May"], 2, "not a date"),
    ]
    for argv, expected_code, words in cases:
        code, out, err = run(capsys, *argv)
        assert code == expected_code and words in err, (argv, code, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(config.log_dir().glob("crash-*.log"))


def test_hostile_text_in_every_argument(
    slips: Slips, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = [os.fsdecode(b"\xff\xfe\xc3("), "a\x00b", "审" * 100_000, "NO-SUCH-CASE-0001"]
    templates = [
        ["station", "--configure", "--school", "X"],
        ["station", "--configure", "--name", "X"],
        ["station", "--configure", "--key", "X"],
        ["station", "--export-log", "X"],
        ["station", "--export-log", "x.csv", "--day", "X"],
    ]
    for template in templates:
        for value in hostile:
            argv = [value if a == "X" else a for a in template]
            code, out, err = run(capsys, *argv)
            assert code in (0, 1, 2), (template, code, err[:200])
            assert "Traceback" not in out + err and len(err.splitlines()) <= 3
    assert not list(config.log_dir().glob("crash-*.log"))
    # what was saved is still a working station
    assert Station(ScanLog(default_path())).settings.name


def test_a_school_computer_without_a_store_checks_offline(
    slips: Slips, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from app.cli.station import connect_of

    args = argparse.Namespace(offline=False, db=None, central=None)
    assert not config.default_db_path().exists()
    assert connect_of(args) is None  # no store here, none configured: offline, no complaint
    args = argparse.Namespace(offline=False, db=str(slips.store.url), central=None)
    connect = connect_of(args)
    assert connect is not None and connect().verify_slip(slips.approval).in_force
    assert (
        connect_of(argparse.Namespace(offline=True, db=str(slips.store.url), central=None)) is None
    )
