"""The workflow on the command line: one clear line per outcome, refusals exit non-zero."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.cli import main
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> World:
    store = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(store)
    return build_world(store, tmp_path)


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    user: str,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("REVIEWDESK_PASSWORD", f"{user}-pass-1")
    code = main([*args, "--db", url, "--user", user])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.strip(), err.strip()


def test_cli_claim_decide_history(world: World, sqlite_url: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = world.cases[0]
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "alice", "claim", c)
    assert code == 0 and out.startswith(f"{c}: claimed by alice until")
    code, _, err = run(capsys, monkeypatch, sqlite_url, "bob", "claim", c)
    assert code == 1 and err.startswith("refused: claimed by alice until")
    code, _, err = run(capsys, monkeypatch, sqlite_url, "alice", "decide", c, "reject")
    assert code == 1 and "at least one reason" in err
    code, out, _ = run(
        capsys,
        monkeypatch,
        sqlite_url,
        "alice",
        "decide",
        c,
        "reject",
        "--reason",
        "PHOTO_UNCLEAR",
        "--reason",
        "DOC_MISMATCH",
    )
    assert code == 0 and "waiting for a supervisor" in out
    code, _, err = run(capsys, monkeypatch, sqlite_url, "sup", "confirm", c)
    assert code == 0
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "alice", "history", c)
    assert code == 0
    lines = out.splitlines()
    assert (
        [ln for ln in lines if "claim" in ln]
        and [ln for ln in lines if "decide" in ln]
        and [ln for ln in lines if "confirm" in ln]
    )


def test_cli_refusals(world: World, sqlite_url: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = world.cases[1]
    code, _, err = run(capsys, monkeypatch, sqlite_url, "carol", "claim", c)
    assert code == 1 and err == f"no case {c} in your districts"
    code, _, err = run(capsys, monkeypatch, sqlite_url, "alice", "decide", c, "approve")
    assert code == 1 and "not claimed by you" in err
    code, _, err = run(capsys, monkeypatch, sqlite_url, "alice", "release", c)
    assert code == 1 and "not claimed by you" in err
    run(capsys, monkeypatch, sqlite_url, "alice", "claim", c)
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "alice", "decide", c, "approve")
    assert code == 0 and out == f"{c}: approved"
    code, _, err = run(capsys, monkeypatch, sqlite_url, "bob", "undo", c)
    assert code == 1 and "only the reviewer who decided" in err
    code, out, _ = run(capsys, monkeypatch, sqlite_url, "alice", "undo", c)
    assert code == 0 and "back to pending" in out
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "wrong")
    code = main(["claim", c, "--db", sqlite_url, "--user", "alice"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err
