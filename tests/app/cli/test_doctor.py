"""`reviewdesk doctor`: one line per check, ok/warn/FAIL with what to do; exit 1 on a FAIL.

It has to run anywhere: no central store, no printer, no display (this test machine has
none of them), a damaged store, an unreachable server — never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import config
from app.cli import main, ops
from app.notices.printing import init_district_key, key_path
from reviewdb import migrate
from reviewdb.engine import Store
from tests.fixture_store import local_fixture_store
from tests.reviewdb.damage import damage_table

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "store-0003.db"
LINE = re.compile(r"^(ok  |warn|FAIL) [A-Za-z ]+: \S")
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nowhere"


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return local_fixture_store(tmp_path, monkeypatch)


@pytest.fixture
def no_qt_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs skip the Qt child process (its own test below runs it)."""
    monkeypatch.setattr(ops, "_qt_checks", lambda: [])


def doctor(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, dict[str, tuple[str, str]]]:
    code = main(["doctor", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = out.strip().splitlines()
    checks = {}
    for line in lines[:-1]:
        assert LINE.match(line), line
        status, rest = line[:4].strip(), line[5:]
        name, detail = rest.split(": ", 1)
        checks[name] = (status, detail)
    assert re.match(r"^\d+ checks: ", lines[-1]), lines[-1]
    return code, checks


def test_doctor_runs_with_no_display_no_printer_no_central(local: Path, tmp_path: Path) -> None:
    # A real process, as an administrator runs it over ssh: no DISPLAY, no central store.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "app", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    out = done.stdout
    assert "Traceback" not in out + done.stderr, out + done.stderr
    assert done.returncode == 0, out + done.stderr  # warnings allowed
    lines = out.strip().splitlines()
    names = [LINE.match(line) and line[5:].split(":")[0] for line in lines[:-1]]
    assert names == [
        "python",
        "libraries",
        "CJK font",
        "Qt",
        "display",
        "printers",
        "log directory",
        "local store",
        "store integrity",
        "store schema",
        "disk space",
        "backups",
        "central store",
        "signing keys",
    ], out
    by_name = {line[5:].split(":")[0]: line for line in lines[:-1]}
    assert by_name["Qt"].startswith("ok   Qt: PySide6 6.")
    assert "offscreen platform starts" in by_name["Qt"]
    assert by_name["display"].startswith("warn display: no DISPLAY")
    assert (
        by_name["store schema"] == f"ok   store schema: schema {migrate.head_revision()} (current)"
    )
    assert by_name["central store"].startswith("ok   central store: none configured")
    assert not list((tmp_path / "ws").glob("*.db-journal"))


def test_doctor_fails_on_a_missing_damaged_or_newer_store(
    local: Path, no_qt_probe: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, checks = doctor(capsys)
    assert code == 0 and checks["store integrity"] == ("ok", "SQLite integrity_check ok")
    assert checks["backups"][0] == "warn"  # doctor itself makes none

    damage_table(local, "cases")
    code, checks = doctor(capsys)
    assert code == 1
    status, detail = checks["store integrity"]
    assert status == "FAIL" and "is damaged" in detail and "reviewdesk restore" in detail
    assert checks["signing keys"][0] == "warn"

    local.unlink()
    code, checks = doctor(capsys)
    assert code == 1
    assert checks["local store"] == (
        "FAIL",
        f"no database at {local}: run reviewdesk init --db sqlite:///{local}",
    )
    assert not local.exists()  # doctor does not create an empty store


def test_doctor_names_a_newer_schema_and_an_unreachable_central(
    local: Path, no_qt_probe: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    conn = sqlite3.connect(local)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    code, checks = doctor(capsys, "--central", UNREACHABLE)
    assert code == 1
    assert checks["store schema"] == (
        "FAIL",
        f"SQLite file {local} was written by a newer ReviewDesk (schema 0099); "
        "install the newer version",
    )
    status, detail = checks["central store"]
    assert status == "FAIL" and "127.0.0.1:1" in detail and "check the network" in detail


def test_doctor_checks_a_central_sqlite_file(
    local: Path, tmp_path: Path, no_qt_probe: None, capsys: pytest.CaptureFixture[str]
) -> None:
    central = tmp_path / "office" / "central.db"
    assert main(["central", "init", f"sqlite:///{central}"]) == 0
    capsys.readouterr()
    code, checks = doctor(capsys, "--central", f"sqlite:///{central}")
    assert code == 0, checks
    assert checks["central store"] == ("ok", f"SQLite file {central} reachable")
    assert checks["central schema"] == ("ok", f"schema {migrate.head_revision()} (current)")
    code, checks = doctor(capsys, "--central", f"sqlite:///{tmp_path / 'gone.db'}")
    assert code == 1 and checks["central store"][0] == "FAIL"
    assert not (tmp_path / "gone.db").exists()


def test_doctor_measures_the_clock_against_a_central_postgresql(
    local: Path,
    pg_url: str,
    no_qt_probe: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["central", "init", pg_url]) == 0
    capsys.readouterr()
    code, checks = doctor(capsys, "--central", pg_url)
    assert code == 0, checks
    status, detail = checks["clock"]
    assert status == "ok" and re.match(r"this computer's clock is \d+\.\d s ", detail), detail
    monkeypatch.setenv("REVIEWDESK_CLOCK_SKEW_SECONDS", "-3600")  # an hour slow
    code, checks = doctor(capsys, "--central", pg_url)
    assert code == 0  # a warning: leases use the server's clock
    status, detail = checks["clock"]
    assert status == "warn" and detail.startswith("this computer's clock is 3600."), detail
    assert "behind the central store" in detail


def test_doctor_reports_signing_keys_and_a_key_that_does_not_match(
    local: Path, no_qt_probe: None, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(f"sqlite:///{local}")
    init_district_key(store, "东湖区")
    store.dispose()
    code, checks = doctor(capsys)
    assert code == 0
    status, detail = checks["signing keys"]
    assert status == "ok" and detail.startswith("can sign for 东湖区; 7 of 8 districts"), detail
    # Another workstation's key file copied in by mistake.
    other = Store(f"sqlite:///{local.with_name('other.db')}")
    from reviewdb import migrate

    migrate.upgrade(other)
    from app.policy.districts import ensure_districts

    with other.write() as s:
        ensure_districts(s)
    path = key_path("360102")
    saved = path.read_bytes()
    init_district_key(other, "东湖区", overwrite=True)
    other.dispose()
    assert path.read_bytes() != saved
    code, checks = doctor(capsys)
    assert code == 1
    status, detail = checks["signing keys"]
    assert status == "FAIL" and "does not match the store's public key for 东湖区" in detail


def test_a_check_that_breaks_is_a_failed_check_not_a_traceback(
    local: Path,
    no_qt_probe: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken() -> list[ops.Check]:
        return {}["missing"]  # type: ignore[no-any-return]

    monkeypatch.setattr(ops, "_font_check", broken)
    code, checks = doctor(capsys)
    assert code == 1
    status, detail = checks["broken"]
    assert status == "FAIL" and detail.startswith(
        "internal error (KeyError): 'missing'; details in "
    )
    crash = list(config.log_dir().glob("crash-*.log"))
    assert len(crash) == 1 and str(crash[0]) in detail
    assert checks["store schema"][0] == "ok"  # the other checks still ran
