"""A full disk during import, upgrade, backup or any write: one line, nothing half-written.

A real full file system: a small tmpfs mounted for each test (needs root, as in CI's
container; elsewhere these tests are skipped with the reason) and filled with a file until
the kernel says ENOSPC. The commands run as real processes, as a person runs them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from reviewdb import migrate
from reviewdb.blobs import BlobStore
from reviewdb.engine import Store
from tests.fixture_store import copy_fixture_store

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "store-0003.db"
CASE = "202636011300001"  # pending in the fixture, 红谷滩区 (chen.jing's)

pytestmark = pytest.mark.slow


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB file system of its own."""
    where = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the file system, then free ``leave`` bytes again."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def store_on(where: Path, name: str = "local") -> Path:
    db = where / f"{name}.db"
    copy_fixture_store(db, where / f"{name}.blobs")
    return db


def reviewdesk(
    data: Path, db: Path, *argv: str, password: str | None = None
) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REVIEWDESK_DATA": str(data),
        "REVIEWDESK_DB": f"sqlite:///{db}",
        "REVIEWDESK_FAST_HASH": "1",
    }
    env.pop("REVIEWDESK_CENTRAL", None)
    if password:
        env["REVIEWDESK_PASSWORD"] = password
    done = subprocess.run(
        [sys.executable, "-m", "app", *argv], capture_output=True, text=True, env=env, timeout=180
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done.returncode, done.stdout, done.stderr


def journal_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM journal").fetchone()[0])
    finally:
        conn.close()


def case_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def blobs_sound(root: Path) -> None:
    """Every image file is whole (hashes to its name); no temporary file was left."""
    for path in root.rglob("*"):
        if path.is_file():
            assert not path.name.startswith("."), path
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_write_on_a_full_disk_is_one_line_and_saves_nothing(disk: Path, tmp_path: Path) -> None:
    db = store_on(disk)
    data = tmp_path / "data"
    # The window has the store open while the disk fills up (its WAL index exists).
    window = sqlite3.connect(db)
    before = window.execute("SELECT count(*) FROM journal").fetchone()[0]
    filler = fill(disk)
    code, _out, err = reviewdesk(
        data, db, "claim", CASE, "--user", "chen.jing", password="demo-chen.jing-2026"
    )
    line = one_line(err)
    assert code == 1
    # Before issue 15: "cannot use SQLite file …: database or disk is full" (StoreUnavailable).
    assert line.startswith(f"disk full: SQLite file {db} could not be written"), line
    assert line.endswith("nothing was saved: free some space and try again")
    assert window.execute("SELECT count(*) FROM journal").fetchone()[0] == before
    window.close()
    # Nothing has the store open: on a full disk SQLite cannot even make its WAL index
    # (SQLITE_IOERR_SHMSIZE, "disk I/O error"); that is a full disk too, not a bug.
    code, _out, err = reviewdesk(
        data, db, "claim", CASE, "--user", "chen.jing", password="demo-chen.jing-2026"
    )
    line = one_line(err)
    assert code == 1 and line.startswith(f"disk full: SQLite file {db} could not be written")
    filler.unlink()
    assert journal_count(db) == before
    assert migrate.integrity_problems(db) == []
    code, out, err = reviewdesk(
        data, db, "claim", CASE, "--user", "chen.jing", password="demo-chen.jing-2026"
    )
    assert code == 0, err
    assert journal_count(db) > before


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv("REVIEWDESK_DEMO_IMAGE_SIZE", "600x400")
    out = tmp_path / "packages"
    assert main(["demo", "--packages", str(out), "--cases", "3", "--seed", "7"]) == 0
    return sorted(out.iterdir())


def test_import_on_a_full_disk_leaves_nothing_half_written(
    disk: Path, tmp_path: Path, packages: list[Path]
) -> None:
    db = store_on(disk)
    data = tmp_path / "data"
    filler = fill(disk, leave=160 * 1024)  # room for some images, not for all
    code, _out, err = reviewdesk(data, db, "import", *map(str, packages))
    line = err.strip().splitlines()[-1]
    assert code == 1
    assert line.startswith("disk full") and "free some space and try again" in line, err
    blobs_sound(disk / "local.blobs")
    assert migrate.integrity_problems(db) == []
    imported = case_count(db) - 6
    assert imported < len(packages)
    code, out, err = reviewdesk(data, db, "audit", "verify")
    assert code == 0 and out.startswith("journal intact"), err
    filler.unlink()
    code, out, err = reviewdesk(data, db, "import", *map(str, packages))
    assert code == 0, err
    assert case_count(db) == 6 + len(packages)
    for line in out.strip().splitlines()[-len(packages) :]:  # each case is whole
        case_no = line.split()[-1]
        code, shown, err = reviewdesk(data, db, "show", case_no)
        assert code == 0 and "UNREADABLE" not in shown, shown + err


def test_import_whose_rows_meet_a_full_disk_saves_no_row(
    disk: Path, tmp_path: Path, packages: list[Path]
) -> None:
    # The images arrived earlier (an interrupted import): this time only the rows are written.
    from app.intake.package import read_package

    db = store_on(disk)
    blobs = BlobStore(disk / "local.blobs")
    for package in packages:
        for f in read_package(package).files:
            blobs.put(f.data)
    window = sqlite3.connect(db)  # open while the disk fills, as the window would have it
    window.execute("SELECT count(*) FROM cases").fetchone()
    filler = fill(disk)
    code, _out, err = reviewdesk(tmp_path / "data", db, "import", *map(str, packages))
    line = one_line(err)
    assert code == 1
    # Before issue 15: "cannot use SQLite file …: database or disk is full".
    assert line.startswith(f"disk full: SQLite file {db} could not be written"), line
    assert "nothing was saved" in line
    window.close()
    filler.unlink()
    assert case_count(db) == 6
    assert migrate.integrity_problems(db) == []


def test_an_upgrade_on_a_full_disk_changes_nothing(disk: Path, tmp_path: Path) -> None:
    db = store_on(disk)
    store = Store(f"sqlite:///{db}")
    migrate.downgrade(store, "0002")  # a store of the previous release
    store.dispose()
    before = db.read_bytes()
    fill(disk, leave=64 * 1024)  # the copy made before the upgrade does not fit
    code, _out, err = reviewdesk(tmp_path / "data", db, "init")
    # Before issue 15: exit 70 (sqlite3.OperationalError in the crash handler) and an empty
    # store.db.backup-… file left beside the store.
    assert code == 1, err
    line = one_line(err)
    assert line.startswith(f"disk full: cannot copy {db} to {disk} before upgrading its schema")
    assert line.endswith("nothing was changed: free some space and try again")
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "local.blobs", "local.db"]
    assert db.read_bytes() == before


def test_a_backup_to_a_full_disk_leaves_no_partial_copy(disk: Path, tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    db = store_on(tmp_path / "ws")
    target = disk / "backups"
    # Room for the database copy (0.5 MB) but not for the images after it.
    fill(disk, leave=db.stat().st_size + 200 * 1024)
    code, _out, err = reviewdesk(tmp_path / "data", db, "backup", "--to", str(target))
    assert code == 1
    line = one_line(err)
    # The database copy fitted and passed its check; the images did not all fit, so the
    # copy was removed again: a backup that exists always has its images.
    assert line.startswith("disk full") and "cannot copy" not in line, line
    assert not list(target.glob("*.db")) and not list(target.glob(".*"))
    blobs_sound(target)  # the images that fitted are whole, no temporary file is left


def test_the_daily_backup_on_a_full_data_disk_is_a_warning(disk: Path, tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    db = store_on(tmp_path / "ws")
    data = disk / "data"
    data.mkdir()
    fill(disk, leave=16 * 1024)
    code, out, err = reviewdesk(data, db, "queue")
    assert code == 0, err
    assert out.strip().endswith("6 cases")
    assert "warning: today's automatic backup was not made: disk full" in err, err
    backups = data / "backups"
    assert not list(backups.glob("*.db")) and not list(backups.glob(".*.partial"))
