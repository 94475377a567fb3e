"""A workstation restored with `reviewdesk restore` syncs on without losing anything.

Real processes and the documented commands only: a workstation with a central SQLite file
syncs, is backed up (`reviewdesk backup`), works and syncs again, is restored from that
backup (`reviewdesk restore`), works and syncs twice. The sync engine re-aligns its
journal with the central copy (docs/sync.md, "restored from an older backup"); here that
is proven through the commands a person would type.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import CentralJournalEntry, Claim, JournalEntry, User
from tests.integration.sync_fixtures import central_world

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Station:
    def __init__(self, tmp_path: Path, central_url: str) -> None:
        self.data = tmp_path / "ws"
        self.data.mkdir()
        self.db = self.data / "local.db"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "REVIEWDESK_DATA": str(self.data),
            "REVIEWDESK_DB": f"sqlite:///{self.db}",
            "REVIEWDESK_CENTRAL": central_url,
            "REVIEWDESK_PASSWORD": "alice-pass-1",
        }

    def run(self, *argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "app", *argv],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=180,
        )
        out = (done.stdout + done.stderr).strip()
        assert "Traceback" not in out, out
        assert done.returncode == 0, f"{argv}: {out}"
        assert "quarantined " not in out, out  # nothing is held back
        return out


def holders(central: Store) -> dict[str, str | None]:
    with central.read() as cs:
        rows = cs.execute(
            select(Claim.case_id, User.username).join(User, User.id == Claim.owner_id, isouter=True)
        ).all()
    return {case_id: username for case_id, username in rows}


def test_backup_restore_then_sync_loses_nothing(tmp_path: Path) -> None:
    central_url = f"sqlite:///{tmp_path / 'office' / 'central.db'}"
    (tmp_path / "office").mkdir()
    central, world = central_world(central_url, tmp_path, n_cases=4)
    case_ids = {}
    with central.read() as cs:
        from reviewdb.models import Case

        for case_id, case_no in cs.execute(select(Case.id, Case.case_no)).all():
            case_ids[case_no] = case_id
    ws = Station(tmp_path, central_url)
    ws.run("init")
    assert "pulled 4 cases" in ws.run("sync")

    ws.run("claim", world.cases[0], "--user", "alice")
    ws.run("sync")
    out = ws.run("backup")
    assert out.startswith("backup verified (SQLite integrity check ok): ")
    backup = out.split(": ", 1)[1].split(";")[0]

    # Work after the backup, sent to the central store: the restore must not lose it.
    ws.run("release", world.cases[0], "--user", "alice")
    ws.run("claim", world.cases[1], "--user", "alice")
    ws.run("sync")

    out = ws.run("restore", backup)
    assert out.startswith(f"restored {backup} into SQLite file {ws.db}")
    assert "run reviewdesk sync" in out
    assert len(list(ws.data.glob("local.db.replaced-*"))) == 1

    ws.run("claim", world.cases[2], "--user", "alice")  # work after the restore
    ws.run("sync")
    ws.run("sync")

    assert ws.run("audit", "verify").startswith("journal intact: ")
    assert ws.run("audit", "verify", "--central").startswith("journal intact: ")

    local = Store(f"sqlite:///{ws.db}")
    from app.sync.engine import store_id

    with local.write() as s:
        chain = store_id(s)
    with local.read() as s:
        local_entries = int(s.scalar(select(func.count()).select_from(JournalEntry)) or 0)
        assert journal.verify(s).ok
    with central.read() as cs:
        central_entries = int(
            cs.scalar(
                select(func.count())
                .select_from(CentralJournalEntry)
                .where(CentralJournalEntry.chain == chain)
            )
            or 0
        )
        verdict = journal.verify_chain(cs, chain)
    assert verdict.ok, verdict
    # claim, release, claim before the restore; the claim after it: all four in both chains.
    actions = [e.action for e in _entries(local)]
    assert actions.count("claim") == 3 and actions.count("release") == 1, actions
    assert local_entries == central_entries
    held = holders(central)
    assert held[case_ids[world.cases[0]]] is None  # the release made after the backup stands
    assert held[case_ids[world.cases[1]]] == "alice"  # so does the claim after the backup
    assert held[case_ids[world.cases[2]]] == "alice"  # and the one after the restore
    local.dispose()
    central.dispose()
    print(
        f"\nrestored workstation: local journal {local_entries} entries = central chain "
        f"{central_entries}, both intact; 0 quarantined"
    )


def _entries(store: Store) -> list[JournalEntry]:
    with store.read() as s:
        return list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
