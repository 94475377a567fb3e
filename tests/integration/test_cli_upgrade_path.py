"""The upgrade path: a store made by the released schema, with data, comes to head intact.

``tests/fixtures/store-0003.db`` (+ ``store-0003.blobs/``) was made with the commands of
the release whose head is revision 0003, before issue 15 changed anything:

    REVIEWDESK_DEMO_IMAGE_SIZE=400x300 reviewdesk init --db sqlite:///store-0003.db
    REVIEWDESK_DEMO_IMAGE_SIZE=400x300 reviewdesk demo --cases 6 --image-pool 2 --db ...
    then, with the demo accounts: li.na approves 202636010300001; li.na rejects
    202636010300002 (PHOTO_UNCLEAR) and zhang.jian confirms the rejection; chen.jing
    returns 202636019100001 (missing hukou_home).

6 cases, 3 decisions, 28 journal entries, 23 attachments over 14 images, 5 users. The test
copies it, runs ``reviewdesk init`` and requires every case, decision and journal entry
unchanged and ``audit verify`` intact. With no migration after 0003 it proves the fixture
opens at head and stays intact; the next migration is tested by it without more work.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from reviewdb import migrate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-0003.db"
ROWS = {
    "cases": "SELECT id, case_no, status, current_round, student_id_number, decided_at "
    "FROM cases ORDER BY id",
    "case_rounds": "SELECT case_id, round_no, submission_id, content_hash, manifest "
    "FROM case_rounds ORDER BY case_id, round_no",
    "decisions": "SELECT id, case_id, round_no, outcome, state, reasons, comment, claim_token, "
    "reviewer_id, confirmed_by, device_time, store_time FROM decisions ORDER BY id",
    "journal": "SELECT seq, entry_id, actor, action, case_id, payload, prev_hash, hash "
    "FROM journal ORDER BY seq",
    "attachments": "SELECT id, round_id, sha256, readable FROM attachments ORDER BY id",
    "users": "SELECT username, role, password_hash, disabled FROM users ORDER BY username",
}


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in ROWS.items()}
    finally:
        conn.close()


def test_the_fixture_is_small_and_of_the_released_schema() -> None:
    size = FIXTURE.stat().st_size + sum(
        p.stat().st_size for p in FIXTURE.with_name("store-0003.blobs").rglob("*") if p.is_file()
    )
    assert size < 2 * 1024 * 1024
    conn = sqlite3.connect(FIXTURE)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert "0003" in migrate.known_revisions()


def test_a_released_store_upgrades_with_every_case_decision_and_entry_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    shutil.copyfile(FIXTURE, db)
    shutil.copytree(FIXTURE.with_name("store-0003.blobs"), tmp_path / "store.blobs")
    url = f"sqlite:///{db}"
    before = snapshot(db)
    assert {k: len(v) for k, v in before.items()} == {
        "cases": 6,
        "case_rounds": 6,
        "decisions": 3,
        "journal": 28,
        "attachments": 23,
        "users": 5,
    }

    assert main(["init", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "database ready" in out and "integrity check ok" in out
    if migrate.head_revision() != "0003":  # a migration ran: the previous file was kept
        assert "backup of the previous database" in out

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
        migrate.head_revision(),
    )
    conn.close()
    assert snapshot(db) == before
    assert migrate.integrity_problems(db) == []

    assert main(["audit", "verify", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == "journal intact: 28 entries"
    assert main(["queue", "--json", "--db", url]) == 0
    statuses = sorted(c["status"] for c in json.loads(capsys.readouterr().out))
    assert statuses == ["approved", "pending", "pending", "pending", "rejected", "returned"]
    assert main(["show", "202636010300002", "--json", "--db", url]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(d["outcome"], d["state"], d["confirmed_by"]) for d in shown["decisions"]] == [
        ("reject", "confirmed", "zhang.jian")
    ]
    assert shown["attachments"] and all(a["readable"] for a in shown["attachments"])

    # And the upgraded store takes new work.
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "demo-chen.jing-2026")
    assert main(["claim", "202636011300001", "--user", "chen.jing", "--db", url]) == 0
    assert main(["decide", "202636011300001", "approve", "--user", "chen.jing", "--db", url]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("journal intact: ") and int(line.split(": ")[1].split()[0]) > 28
