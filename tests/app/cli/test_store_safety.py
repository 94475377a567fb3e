"""A store that never fails silently: a damaged file or a newer schema, command by command.

Before issue 15, on a SQLite file with one corrupted page ``init`` said "database ready",
``audit verify`` said "intact", and ``queue``/``show`` ended in the crash handler (exit 70);
a store of a newer schema made ``init`` end in an Alembic traceback and every other command
advise running ``init``. Now each of them is one line on stderr and exit 1, and the line
names the newest backup to restore.
"""

from __future__ import annotations

import gc
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app import config
from app.cli import main
from tests.fixture_store import local_fixture_store
from tests.reviewdb.damage import damage_table

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "store-0003.db"
CASE = "202636010300001"  # in the fixture: approved, confirmed


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture store (6 cases, 3 decisions, 28 journal entries) as REVIEWDESK_DB."""
    return local_fixture_store(tmp_path, monkeypatch)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def close_connections() -> None:
    """The commands ran in this process and left their connection pools open (a process of
    their own would have closed them on exit); restore rightly refuses while any is open."""
    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_init_and_audit_verify_no_longer_call_a_damaged_store_ready_or_intact(
    store_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The issue's own report: one corrupted page, no backup made yet.
    damage_table(store_file, "cases")
    expected = {  # before issue 15:
        ("init",): "database ready",  # exit 0
        ("audit", "verify"): "journal intact: 28 entries",  # exit 0
        ("queue",): "internal error (DatabaseError)",  # exit 70, crash log
        ("show", CASE): "internal error (DatabaseError)",  # exit 70, crash log
    }
    for argv in expected:
        code, out, err = run(capsys, *argv)
        assert code == 1, (argv, code, out + err)
        line = one_line(err)
        assert line.startswith(f"SQLite file {store_file} is damaged ("), line
        assert "there is no backup of it in" in line, line
    assert not list(config.log_dir().glob("crash-*.log"))


def test_every_command_refuses_a_damaged_store_in_one_line_naming_the_backup(
    store_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "backup")
    assert code == 0, err
    backup = Path(out.split(": ", 1)[1].split(";")[0])
    assert backup.parent == config.data_dir() / "backups" and backup.exists()
    damage_table(store_file, "cases")

    for argv in (
        ["init"],
        ["audit", "verify"],
        ["queue"],
        ["show", CASE],
        ["history", CASE],
        ["backup"],
    ):
        code, out, err = run(capsys, *argv)
        line = one_line(err)
        assert code == 1, (argv, code, out, err)
        assert "is damaged" in line, (argv, line)
        assert f"reviewdesk restore {backup}" in line, (argv, line)
        assert "database ready" not in out and "intact" not in out, (argv, out)
    assert not list(config.log_dir().glob("crash-*.log"))  # no command took it for a bug

    close_connections()  # what the end of each command's process does
    code, out, err = run(capsys, "restore", str(backup))
    assert code == 0, err
    assert f"kept as {store_file}.replaced-" in out
    code, out, err = run(capsys, "audit", "verify")
    assert (code, out.strip()) == (0, "journal intact: 28 entries"), err
    code, out, err = run(capsys, "queue")
    assert code == 0 and out.strip().endswith("6 cases"), err


def test_a_file_that_is_not_a_database_is_one_line_everywhere(
    store_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store_file.open("r+b") as f:
        f.write(b"not a database at all, the header is gone" * 10)
    for argv in (["init"], ["audit", "verify"], ["queue"], ["show", CASE], ["user", "list"]):
        code, _out, err = run(capsys, *argv)
        line = one_line(err)
        assert code == 1, (argv, err)
        assert "is damaged" in line and "file is not a database" in line, (argv, line)
        assert "there is no backup of it in" in line, line  # none was made: says so
    assert not list(config.log_dir().glob("crash-*.log"))


def test_a_store_of_a_newer_schema_is_one_line_everywhere_including_init(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(store_file)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = store_file.read_bytes()
    expected = (
        f"SQLite file {store_file} was written by a newer ReviewDesk (schema 0099); "
        "install the newer version"
    )
    central = tmp_path / "central.db"
    shutil.copyfile(store_file, central)
    for argv in (
        ["init"],
        ["queue"],
        ["show", CASE],
        ["audit", "verify"],
        ["user", "list"],
        ["claim", CASE, "--user", "li.na"],
        ["import", str(tmp_path)],
    ):
        code, _out, err = run(capsys, *argv)
        assert (code, one_line(err)) == (1, expected), argv
    code, _out, err = run(capsys, "central", "init", f"sqlite:///{central}")
    assert (code, one_line(err)) == (1, expected.replace(str(store_file), str(central)))
    assert store_file.read_bytes() == before
    assert not list(store_file.parent.glob("*.backup-*"))  # init did not even copy it
    assert not list(config.log_dir().glob("crash-*.log"))
