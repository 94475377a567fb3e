"""``python -m benchmarks.season`` (issue 16) end to end at a tiny scale: real packages, a
real central store (a SQLite file, and a PostgreSQL database of its own), a real workstation,
and the count at the central store that says nothing was lost or duplicated."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from app import runtime
from app.sync.engine import SyncEngine, central_store
from benchmarks import season
from benchmarks.pg import ADMIN
from reviewdb.engine import Store
from reviewdb.models import Decision

ROOT = Path(__file__).resolve().parents[2]
PACKAGES, DECISIONS = 30, 10

pytestmark = pytest.mark.slow


def _run(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.season", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.splitlines()


def _one(lines: list[str], pattern: str) -> re.Match[str]:
    found = [m for m in map(re.compile(pattern).match, lines) if m]
    assert len(found) == 1, f"{pattern!r} in:\n" + "\n".join(lines)
    return found[0]


def _check_output(lines: list[str]) -> None:
    rss = r"RSS (\d+\.\d) MB"
    _one(lines, rf"generate: {PACKAGES} packages in .* \[child process; not in the season time\]")
    # RSS at each quarter of the intake, then at the end of every step.
    quarters = [
        m for m in map(re.compile(rf"intake: (\d+)/{PACKAGES} packages, .*{rss}").match, lines) if m
    ]
    assert [int(m[1]) for m in quarters] == [7, 15, 22]
    _one(
        lines,
        rf"intake: {PACKAGES} packages in \d+\.\d s \(\d+\.\d packages/s\): "
        rf"{PACKAGES} imported, 0 already, 0 rejected; {rss} \(max during step",
    )
    _one(lines, rf"first pull: {PACKAGES} cases in \d+\.\d s \(\d+\.\d cases/s\), .*; {rss}")
    _one(
        lines,
        rf"decisions: {DECISIONS} claimed, decided and pushed in \d+\.\d s "
        rf"\(\d+\.\d decisions/s; .*last push sent 0; {rss}",
    )
    _one(
        lines,
        rf"check: {DECISIONS} decisions made, {DECISIONS} at the central store \(.*\), "
        rf"{DECISIONS} distinct cases, {DECISIONS} of the ids made found, 0 unsent here: "
        r"0 lost, 0 duplicated - OK$",
    )
    wall = _one(
        lines,
        r"season: (\d+\.\d) s wall \(intake (\d+\.\d) \+ first pull (\d+\.\d) \+ decisions "
        r"(\d+\.\d)\); peak RSS (\d+\.\d) MB \(ru_maxrss\)",
    )
    parts = [float(wall[i]) for i in (2, 3, 4)]
    assert abs(float(wall[1]) - sum(parts)) < 0.2
    assert 30 < float(wall[5]) < 2000


def test_season_on_a_central_sqlite_file_kept_and_its_check_catches_loss_and_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "season"
    lines = _run(
        "--packages", str(PACKAGES), "--decisions", str(DECISIONS), "--central", "sqlite",
        "--keep", str(work),
    )  # fmt: skip
    _check_output(lines)
    assert len((work / season.PACKAGE_LIST).read_text().splitlines()) == PACKAGES
    assert (work / "central.db").is_file() and (work / "workstation.db").is_file()

    # The check itself, on what the run left: it sees a decision that never arrived and a
    # case the central store holds two decisions for.
    local = Store(f"sqlite:///{work / 'workstation.db'}", work / "workstation-blobs")
    ws = runtime.connected(
        local, SyncEngine(local, central_store(f"sqlite:///{work / 'central.db'}"))
    )
    with local.read() as s:
        made = list(s.scalars(select(Decision.id)))
    assert len(made) == DECISIONS
    ran = season.Season()
    season.check_central(ws, made, ran)
    assert ran.ok and capsys.readouterr().out.rstrip().endswith("0 lost, 0 duplicated - OK")

    central = season.sync_of(ws).central
    with central.write() as s:
        first = s.scalars(select(Decision).where(Decision.id == made[0])).one()
        s.add(
            Decision(
                id=str(uuid.uuid4()),
                case_id=first.case_id,
                round_no=first.round_no,
                outcome="approve",
                reasons={"codes": [], "missing": [], "note_to_parent": None, "verdicts": {}},
                reviewer_id=first.reviewer_id,
                claim_token=first.claim_token,
                device_time=dt.datetime.now(dt.UTC),
                store_time=dt.datetime.now(dt.UTC),
                state="conflict",
                effective=False,
                workstation="elsewhere",
            )
        )
    season.check_central(ws, [*made, str(uuid.uuid4())], ran)
    out = capsys.readouterr().out
    assert not ran.ok
    assert out.rstrip().endswith("1 lost, 1 duplicated - FAILED"), out
    local.dispose()
    central.dispose()


@pytest.mark.postgres
def test_season_on_a_postgresql_database_of_its_own_dropped_afterwards() -> None:
    lines = _run("--packages", str(PACKAGES), "--decisions", str(DECISIONS))
    _check_output(lines)
    name = _one(lines, r"# central store ready: PostgreSQL server .* database (rd_season_\w+);")[1]
    with psycopg.connect(ADMIN) as admin:
        assert not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchall()
        roles = admin.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"%{name}%",)
        ).fetchall()
        assert roles == []
