"""`backup`, `restore` and `doctor` fed hostile text in every slot: never a traceback.

The same inputs as tests/app/cli/test_hostile_arguments.py (invalid UTF-8, a NUL,
100,000 characters, names that do not exist); each run ends in exit 0-3 with at most a few
lines on stderr and no crash log.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import config
from app.cli import main, ops
from tests.app.cli.test_hostile_arguments import HOSTILE

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "store-0003.db"
TEMPLATES = [
    ["backup", "--to", "X"],
    ["backup", "--db", "X"],
    ["restore", "X"],
    ["restore", "X", "--db", "X"],
    ["doctor", "--db", "X"],
    ["doctor", "--central", "X"],
]


def test_backup_restore_and_doctor_refuse_hostile_text_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "local.db"
    shutil.copyfile(FIXTURE, db)
    monkeypatch.setenv(config.ENV_DB, f"sqlite:///{db}")
    monkeypatch.setattr(ops, "_qt_checks", lambda: [])  # its own test runs the Qt child
    before = db.read_bytes()
    failures = []
    for template in TEMPLATES:
        for name, value in HOSTILE.items():
            argv = [value if a == "X" else a for a in template]
            code = main(argv)
            out, err = capsys.readouterr()
            shown = (out + err)[:300].replace(value, f"<{name}>")
            if code not in (0, 1, 2, 3) or "Traceback" in out + err or len(err.splitlines()) > 3:
                failures.append(f"{' '.join(template)} <{name}> -> exit {code}: {shown!r}")
    assert failures == []
    assert not list(config.log_dir().glob("crash-*.log")), "a command crashed (crash log written)"
    assert db.read_bytes() == before  # no hostile restore replaced the store
