"""Backups and restores of a workstation's SQLite store (app.backups, reviewdesk backup|restore).

Real files throughout: SQLite's online backup, the copy's integrity check, hard-linked
image pools, a real second process holding the store open while ``restore`` is asked.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import backups, config
from app.cli import main
from app.runtime import open_workstation
from app.store import open_store
from reviewdb import migrate
from reviewdb.engine import Store, StoreCorrupt
from tests.fixture_store import local_fixture_store
from tests.reviewdb.damage import damage_table

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "store-0003.db"


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("cases", "decisions", "journal", "attachments", "users")
        }
    finally:
        conn.close()


def blob_names(root: Path) -> set[str]:
    return {p.name for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture store (6 cases, 3 decisions, 28 journal entries, 14 images) as REVIEWDESK_DB."""
    return local_fixture_store(tmp_path, monkeypatch)


def settings() -> config.Settings:
    return config.resolve()


def write_settings(values: dict[str, object]) -> None:
    config.settings_path().parent.mkdir(parents=True, exist_ok=True)
    config.settings_path().write_text(json.dumps(values), encoding="utf-8")


def test_a_backup_is_checked_whole_and_its_images_are_linked_incrementally(local: Path) -> None:
    store = open_store(settings())
    first = backups.backup_store(store)
    assert first.path.parent == config.data_dir() / "backups"
    assert first.path.name.startswith(backups.backup_key(local) + "-")
    assert migrate.integrity_problems(first.path) == []
    assert (
        counts(first.path)
        == counts(local)
        == {
            "cases": 6,
            "decisions": 3,
            "journal": 28,
            "attachments": 23,
            "users": 5,
        }
    )
    # One self-contained file: no -wal needed beside it.
    assert sqlite3.connect(first.path).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    images = local.with_name("local.blobs")
    assert (first.images_new, first.images_total) == (14, 14)
    assert blob_names(first.pool) == blob_names(images)
    for src in images.rglob("*"):
        if src.is_file():  # same file system: hard links, no extra space
            assert (first.pool / src.relative_to(images)).stat().st_ino == src.stat().st_ino

    second = backups.backup_store(store)
    assert (second.images_new, second.images_total) == (0, 14)
    assert second.path != first.path
    store.blobs.put(b"a new scan")
    third = backups.backup_store(store)
    assert (third.images_new, third.images_total) == (1, 15)
    store.dispose()


def test_backup_to_another_place_copies_images_and_is_never_pruned(
    local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_links(src: object, dst: object) -> None:  # another disk: links are impossible
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(backups.os, "link", no_links)
    write_settings({"backup_keep": 1})
    usb = tmp_path / "usb stick"
    for _ in range(3):
        assert main(["backup", "--to", str(usb)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 3 and all(line.startswith("backup verified") for line in out)
    assert len(list(usb.glob("*.db"))) == 3  # backup_keep applies to <data dir>/backups only
    pool = usb / f"{backups.backup_key(local)}.blobs"
    assert blob_names(pool) == blob_names(local.with_name("local.blobs"))
    for copy in pool.rglob("*"):
        if copy.is_file():
            assert copy.stat().st_nlink == 1  # copied, not linked
    assert not list(usb.rglob(".tmp-*")) and not list(usb.glob(".*partial"))


def test_the_backups_folder_keeps_backup_keep_of_them(local: Path) -> None:
    store = open_store(settings())
    write_settings({"central_url": None, "backup_keep": 2})
    assert backups.backup_keep() == 2
    start = dt.datetime(2026, 6, 1, 8, 0)
    made = []
    for day in range(4):
        result = backups.make_backup(
            local, local.with_name("local.blobs"), now=start + dt.timedelta(days=day)
        )
        made.append(result.path)
        backups.prune(local)
    assert [b.path for b in backups.list_backups(local)] == [made[3], made[2]]
    assert backups.newest_backup(local) == made[3]
    for bad in ("lots", 0, -3, True, [7]):
        write_settings({"backup_keep": bad})
        assert backups.backup_keep() == backups.BACKUP_KEEP_DEFAULT
    write_settings({"backup_keep": "3"})
    assert backups.backup_keep() == 3
    store.dispose()


def test_the_first_start_of_the_day_makes_a_backup(local: Path) -> None:
    ws = open_workstation(settings())
    found = backups.list_backups(local)
    assert len(found) == 1 and found[0].made.date() == dt.date.today()
    ws.store.dispose()
    ws = open_workstation(settings())  # the second start of the day: none
    assert len(backups.list_backups(local)) == 1
    tomorrow = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(9))
    assert backups.daily_backup(ws.store, now=tomorrow) is not None
    assert backups.daily_backup(ws.store, now=tomorrow + dt.timedelta(hours=1)) is None
    assert len(backups.list_backups(local)) == 2
    ws.store.dispose()


def test_a_damaged_store_is_refused_at_the_first_start_of_the_day(local: Path) -> None:
    damage_table(local, "cases")
    # Before issue 15 the workstation opened (the damage showed later, as a crash).
    with pytest.raises(StoreCorrupt, match="did not pass SQLite's integrity check"):
        open_workstation(settings())
    assert backups.list_backups(local) == []  # a damaged copy is never kept


def test_a_daily_backup_that_cannot_be_written_is_a_warning_not_a_stop(
    local: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(config.ENV_DATA, str(blocker / "data"))  # mkdir fails: ENOTDIR
    with caplog.at_level(logging.WARNING, logger="reviewdesk"):
        ws = open_workstation(settings())
    assert "today's automatic backup was not made: cannot use" in caplog.text
    assert ws.users()  # the workstation works
    ws.store.dispose()


HOLDER = """
import sys
from sqlalchemy import text
from reviewdb.engine import Store
store = Store(sys.argv[1])
with store.read() as s:
    s.execute(text("SELECT count(*) FROM cases")).scalar()
print("open", flush=True)
sys.stdin.read()  # keeps the store open (its pool's connection) until stdin closes
"""


def test_restore_waits_for_the_store_to_be_closed_and_keeps_what_it_replaces(
    local: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(settings())
    backup = backups.backup_store(store).path
    store.dispose()
    # Work after the backup, then the disk loses some images.
    conn = sqlite3.connect(local)
    conn.execute("DELETE FROM journal WHERE seq > 20")
    conn.commit()
    conn.close()
    after = counts(local)
    images = local.with_name("local.blobs")
    lost = sorted(p for p in images.rglob("*") if p.is_file())[:3]
    for p in lost:
        p.unlink()

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"sqlite:///{local}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code = main(["restore", str(backup)])
        err = capsys.readouterr().err.strip()
        assert code == 1
        assert err == (
            f"{local} is open in another ReviewDesk window or command: close it (and stop "
            "reviewdesk sync --watch) and run restore again; nothing was changed"
        )
        assert counts(local) == after
    finally:
        holder.communicate("", timeout=60)

    assert main(["restore", str(backup)]) == 0
    out = capsys.readouterr().out.strip()
    replaced = sorted(local.parent.glob("local.db.replaced-*"))
    assert len(replaced) == 1
    assert out == (
        f"restored {backup} into SQLite file {local}; the replaced file is kept as "
        f"{replaced[0]}; images: 3 put back from {backup.with_name(backups.backup_key(local) + '.blobs')}"
    )
    assert counts(local)["journal"] == 28
    assert counts(replaced[0]) == after
    assert all(p.is_file() for p in lost)
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.strip() == "journal intact: 28 entries"


def test_restore_refuses_a_backup_it_cannot_put_back(
    local: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = local.read_bytes()
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(local, damaged)
    damage_table(damaged, "cases")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    newer = tmp_path / "newer.db"
    shutil.copyfile(local, newer)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    expected = {
        damaged: "is damaged (",
        foreign: "is not a ReviewDesk store; nothing was changed",
        newer: "was written by a newer ReviewDesk (schema 0099); install the newer version",
        tmp_path / "missing.db": "no file",
        local: "is the store itself",
    }
    for path, words in expected.items():
        assert main(["restore", str(path)]) == 1
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and words in err, (path, err)
    assert local.read_bytes() == before
    assert not list(local.parent.glob("*.replaced-*"))


def test_a_store_too_damaged_to_open_is_still_replaced(
    local: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(settings())
    backup = backups.backup_store(store).path
    store.dispose()
    with local.open("r+b") as f:
        f.write(b"garbage where the SQLite header was" * 4)
    damaged = local.read_bytes()
    assert main(["queue"]) == 1
    assert "file is not a database" in capsys.readouterr().err
    assert main(["restore", str(backup)]) == 0
    replaced = next(local.parent.glob("local.db.replaced-*"))
    assert replaced.read_bytes() == damaged
    assert migrate.integrity_problems(local) == []
    assert main(["queue"]) == 0
    assert capsys.readouterr().out.strip().endswith("6 cases")


def test_stores_of_the_same_name_keep_their_backups_apart(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "local.db", tmp_path / "b" / "local.db"
    for db in (a, b):
        db.parent.mkdir()
        shutil.copyfile(FIXTURE, db)
    assert backups.backup_key(a) != backups.backup_key(b)
    made = backups.make_backup(a, None)
    assert backups.newest_backup(a) == made.path
    assert backups.newest_backup(b) is None
    assert "there is no backup of it" in backups.restore_advice(b)
    store = Store(f"sqlite:///{b}")
    store.dispose()
