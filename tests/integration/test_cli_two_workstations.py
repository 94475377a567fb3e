"""Two workstations, one central PostgreSQL, driven only by the documented commands.

Each workstation is its own data folder and local SQLite store with ``REVIEWDESK_CENTRAL``
set, as an installer or the settings dialog leaves it; they talk to the central store
through a district login (``reviewdesk central grant``). Real processes throughout: both
claim one case at the same moment, exactly one wins; the winner's decision reaches the
central store and, after ``sync``, the other workstation; the loser's decision is refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text

from reviewdb.engine import Store
from reviewdb.models import Case, Decision
from tests.integration.sync_fixtures import central_world

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Station:
    """One workstation: its own data folder, local store and environment."""

    def __init__(self, name: str, tmp_path: Path, central_url: str) -> None:
        self.name = name
        self.data = tmp_path / name
        self.data.mkdir()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "REVIEWDESK_DATA": str(self.data),
            "REVIEWDESK_DB": f"sqlite:///{self.data / 'local.db'}",
            "REVIEWDESK_CENTRAL": central_url,
        }

    def start(self, *argv: str, password: str | None = None) -> subprocess.Popen[str]:
        env = dict(self.env)
        if password:
            env["REVIEWDESK_PASSWORD"] = password
        return subprocess.Popen(
            [sys.executable, "-m", "app", *argv],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *argv: str, password: str | None = None) -> tuple[int, str]:
        proc = self.start(*argv, password=password)
        out, err = proc.communicate(timeout=180)
        assert "Traceback" not in out + err, out + err
        return proc.returncode, (out + err).strip()


def test_one_claim_wins_and_the_decision_reaches_everyone(pg_url: str, tmp_path: Path) -> None:
    central, world = central_world(pg_url, tmp_path, n_cases=3)
    login = f"rd_ws_{uuid.uuid4().hex[:8]}"
    owner = Station("owner", tmp_path, "")
    try:
        code, line = owner.run("central", "grant", pg_url, "--login", login, "--district", "360102")
        assert code == 0, line
        district_url = (
            pg_url.rsplit("@", 1)[0].rsplit("//", 1)[0] + f"//{login}@" + (pg_url.rsplit("@", 1)[1])
        )
        east, west = (
            Station("east", tmp_path, district_url),
            Station("west", tmp_path, district_url),
        )
        for ws in (east, west):
            assert ws.run("init")[0] == 0
            code, line = ws.run("sync")
            assert code == 0 and "pulled" in line, line

        case_no = world.cases[0]
        # Both claim the same case at the same moment, as two reviewers on two computers.
        racers = {
            "alice": east.start("claim", case_no, "--user", "alice", password="alice-pass-1"),
            "bob": west.start("claim", case_no, "--user", "bob", password="bob-pass-1"),
        }
        results = {who: (p.wait(timeout=180), p.communicate()) for who, p in racers.items()}
        winners = [who for who, (code, _) in results.items() if code == 0]
        assert len(winners) == 1, results
        winner = winners[0]
        loser = "bob" if winner == "alice" else "alice"
        loser_out = "".join(results[loser][1])
        assert "claimed by" in loser_out and winner in loser_out, loser_out
        stations = {"alice": east, "bob": west}

        code, line = stations[winner].run(
            "decide", case_no, "approve", "--user", winner, password=f"{winner}-pass-1"
        )
        assert code == 0 and line.endswith("approved"), line
        with central.read() as s:
            status = s.scalar(select(Case.status).where(Case.case_no == case_no))
            decided = s.scalars(
                select(Decision.state)
                .join(Case, Case.id == Decision.case_id)
                .where(Case.case_no == case_no)
            ).all()
        assert status == "approved" and decided == ["accepted"]

        other = stations[loser]
        code, line = other.run("sync")
        assert code == 0, line
        code, line = other.run("show", case_no, "--json")
        assert code == 0 and '"status": "approved"' in line, line
        code, line = other.run(
            "decide",
            case_no,
            "reject",
            "--reason",
            "PHOTO_UNCLEAR",
            "--user",
            loser,
            password=f"{loser}-pass-1",
        )
        assert code == 1 and line.startswith("refused:"), line
        with central.read() as s:
            assert s.scalar(select(Case.status).where(Case.case_no == case_no)) == "approved"
    finally:
        central.dispose()
        admin = Store(pg_url)
        with admin.engine.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{login}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            conn.commit()
        admin.dispose()
