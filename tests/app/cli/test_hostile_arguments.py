"""Every command, fed what an unlucky user or an attacker types: never a traceback.

Non-UTF-8 bytes (Python hands them over as lone surrogates), a NUL, 100,000 characters,
and ids that do not exist, in every argument slot of every command. Each run must end in
an exit code of 0-3 with at most a few lines on stderr, no traceback and no crash log:
refusals and environment problems are one line, bugs exit 70 with a crash log (and fail
this test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli, config
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import World, build_world

BAD_BYTES = os.fsdecode(b"\xff\xfe\xc3(")  # what Python makes of invalid UTF-8 in argv
HOSTILE = {
    "bad-bytes": BAD_BYTES,
    "nul": "a\x00b",
    "long": "审" * 100_000,
    "unknown": "NO-SUCH-CASE-0001",
}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url, tmp_path / "blobs")
    migrate.upgrade(store)
    w = build_world(store, tmp_path / "pkgs", n_cases=2)
    monkeypatch.setenv(config.ENV_DB, url)
    monkeypatch.setenv(config.ENV_PASSWORD, "alice-pass-1")
    monkeypatch.setenv("REVIEWDESK_NEW_PASSWORD", "new-pass-123456")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest
    yield w
    store.dispose()


def _templates(case_no: str, out: Path) -> list[list[str]]:
    """Each command with ``X`` where hostile text goes."""
    sheet, alice = str(out.with_suffix(".xlsx")), ["--user", "alice"]
    return [
        ["queue", "--search", "X"],
        ["queue", "--school", "X", "--district", "X"],
        ["queue", "--user", "X"],
        ["queue", "--db", "X"],
        ["queue", "--central", "X", "--user", "alice"],
        ["show", "X"],
        ["show", "X", "--user", "alice", "--json"],
        ["history", "X", "--user", "alice"],
        ["claim", "X", "--user", "alice"],
        ["release", "X", "--user", "alice"],
        ["takeover", case_no, "--user", "alice", "--reason", "X"],
        ["decide", "X", "approve", "--user", "alice"],
        ["decide", case_no, "reject", "--reason", "X", "--user", "alice"],
        ["decide", case_no, "approve", "--comment", "X", "--note", "X", "--user", "alice"],
        ["confirm", "X", "--user", "alice", "--comment", "X"],
        ["undo", "X", "--user", "alice"],
        ["import", "X"],
        ["import", "X", "--user", "X"],
        ["keys", "export", "--district", "X"],
        ["keys", "init", "--district", "X", "--user", "X"],
        ["verify-slip", "X"],
        ["station", "--configure", "--school", "X"],
        ["station", "--export-log", "X"],
        ["print", "X", "--user", "alice", "--out", str(out)],
        ["print", "--decided-on", "X", "--user", "alice", "--out", str(out)],
        ["print", case_no, "--user", "alice", "--out", "X"],
        ["export", "X", "--from", "2026-06-01", "--to", "2026-06-30", "--out", sheet, *alice],
        ["export", "decisions", "--from", "X", "--to", "X", "--out", sheet, *alice],
        ["export", "decisions", "--from", "2026-06-01", "--to", "2026-06-30", "--out", "X", *alice],
        ["qa", "X", *alice],
        ["qa", "draw", "--seed", "X", "--percent", "X", *alice],
        ["qa", "list", "--user", "X"],
        ["qa", "verdict", "X", "--agree", *alice],
        ["qa", "verdict", case_no, "--disagree", "--comment", "X", *alice],
        ["qa", "settle", "X", "--overturn", "--outcome", "X", "--reason", "X", *alice],
        ["qa", "settle", case_no, "--uphold", "--comment", "X", *alice],
        ["qa", "report", "--out", "X", *alice],
        ["central", "init", "X"],
        ["central", "grant", "X", "--login", "X", "--district", "X"],
        ["sync", "--central", "X"],
        ["checkout", "--school", "X", "--user", "alice"],
        ["conflicts", "--user", "X"],
        ["conflicts", "--user", "alice", "--resolve", "X", "--outcome", "approve"],
        ["user", "add", "X", "--role", "reviewer", "--district", "X", "--user", "admin"],
        ["user", "add", "newbie", "--role", "reviewer", "--display-name", "X", "--user", "X"],
        ["user", "passwd", "X"],
        ["user", "disable", "X", "--user", "X"],
        ["audit", "verify", "--central", "X"],
        ["demo", "--cases", "X"],
        ["init", "--db", "X"],
        ["backup", "--to", "X"],
        ["restore", "X"],
        ["doctor", "--central", "X"],
        ["selftest", "X"],
        ["X"],
    ]


def test_every_command_refuses_hostile_text_in_one_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli._load_command_modules()
    templates = _templates(world.cases[0], tmp_path / "out.pdf")
    covered = {t[0] for t in templates}
    # every registered command but the window itself is exercised
    assert set(cli._COMMANDS) - covered == {"gui"}, set(cli._COMMANDS) - covered
    failures = []
    runs = 0
    for template in templates:
        for name, value in HOSTILE.items():
            argv = [value if a == "X" else a for a in template]
            code = cli.main(argv)
            out, err = capsys.readouterr()
            runs += 1
            shown = (out + err)[:300].replace(value, f"<{name}>")
            flooded = len(err) > 2_000  # what was typed is quoted, not echoed in full
            if (
                code not in (0, 1, 2, 3)
                or "Traceback" in out + err
                or len(err.splitlines()) > 3
                or flooded
            ):
                failures.append(f"{template[0]} <{name}> -> exit {code}: {shown!r}")
    assert runs == len(templates) * len(HOSTILE)
    assert failures == []
    assert not list(config.log_dir().glob("crash-*.log")), "a command crashed (crash log written)"


def test_real_invalid_utf8_bytes_on_the_command_line(world: World) -> None:
    # Through the operating system, as a terminal with another encoding would send them.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    done = subprocess.run(
        [sys.executable, "-m", "app", "queue", "--search", b"\xff\xfe\xc3("],
        capture_output=True,
        env=env,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "not valid text" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_bug_goes_to_a_crash_log_and_one_line(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The crash handler itself: a real bug inside a command (a KeyError in the queue's
    # formatting) must give exit 70 and a line that names the log, never a traceback.
    from app.review.cases import QueueRow

    monkeypatch.setattr(QueueRow, "to_json", lambda self: {}["missing"])
    code = cli.main(["queue", "--json"])
    out, err = capsys.readouterr()
    assert code == 70
    assert "Traceback" not in out + err
    logs = list(config.log_dir().glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "KeyError" in logs[0].read_text(encoding="utf-8")
