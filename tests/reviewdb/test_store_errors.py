"""A damaged file, a full disk and a newer schema are environment problems with one line.

Every road into the store — sessions, Core connections, ``ping``, Alembic's revision
read — meets the same translation (``reviewdb.engine``): the driver's "database disk image
is malformed" / "file is not a database" becomes :class:`StoreCorrupt`, SQLITE_FULL
:class:`StoreFull` (and the transaction is rolled back), an unknown Alembic revision
:class:`SchemaTooNew` before anything is changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from reviewdb import migrate
from reviewdb.engine import Store, StoreCorrupt, StoreFull
from reviewdb.errors import EnvironmentProblem
from reviewdb.models import District
from tests.reviewdb.damage import damage_table


def _store_with_data(tmp_path: Path) -> tuple[Store, Path]:
    db = tmp_path / "store.db"
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")
    migrate.upgrade(store)
    with store.write() as s:
        for i in range(300):  # enough rows for the table to span several pages
            s.add(
                District(
                    code=f"99{i:04d}",
                    name=f"测试区{i}",
                    city="测试市",
                    letterhead="x" * 60,
                    office="y" * 60,
                    seal_text="z",
                )
            )
    store.dispose()
    return store, db


def test_a_damaged_page_is_store_corrupt_on_every_road(tmp_path: Path) -> None:
    _, db = _store_with_data(tmp_path)
    damage_table(db, "districts")
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")
    store.corruption_advice = lambda: "restore the newest backup: reviewdesk restore B.db"
    store.ping()  # SELECT 1 reads no table
    with pytest.raises(StoreCorrupt) as caught, store.read() as s:
        s.execute(select(District.letterhead)).all()  # the table itself, not an index
    message = str(caught.value)
    assert "is damaged (database disk image is malformed)" in message
    assert message.endswith("restore the newest backup: reviewdesk restore B.db")
    assert "\n" not in message
    with pytest.raises(StoreCorrupt), store.connection() as conn:
        conn.execute(select(District.office)).all()
    with pytest.raises(StoreCorrupt), store.write() as s:
        s.execute(text("UPDATE districts SET phone = '1'"))
    assert isinstance(caught.value, EnvironmentProblem)
    assert migrate.integrity_problems(db) != []
    store.dispose()


def test_a_file_that_is_not_a_database_is_store_corrupt(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    db.write_bytes(b"this is a text file, not SQLite\n" * 300)
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")
    with pytest.raises(StoreCorrupt, match="file is not a database"):
        store.ping()
    with pytest.raises(StoreCorrupt):
        migrate.current_revision(store)
    with pytest.raises(StoreCorrupt), store.read() as s:
        s.execute(text("SELECT 1"))
    assert migrate.integrity_problems(db) == ["file is not a database"]
    store.dispose()


def test_a_full_disk_is_store_full_and_nothing_is_saved(tmp_path: Path) -> None:
    # SQLite's own limit on the file's pages gives the real SQLITE_FULL a full disk gives.
    _, db = _store_with_data(tmp_path)
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(District))
    with pytest.raises(StoreFull) as caught, store.write() as s:
        for i in range(2000):
            s.add(
                District(
                    code=f"88{i:04d}",
                    name=f"满区{i}",
                    city="测试市",
                    letterhead="x" * 200,
                    office="y" * 200,
                    seal_text="z",
                )
            )
    message = str(caught.value)
    assert message.startswith("disk full: SQLite file")
    assert "nothing was saved" in message
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(District)) == before
    store.dispose()


def test_a_store_of_a_newer_schema_is_refused_unchanged(tmp_path: Path) -> None:
    _, db = _store_with_data(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    store = Store(f"sqlite:///{db}", tmp_path / "blobs")
    with pytest.raises(migrate.SchemaTooNew) as caught:
        migrate.upgrade(store)  # today: alembic's "Can't locate revision" (a bug, exit 70)
    assert str(caught.value) == (
        f"SQLite file {db} was written by a newer ReviewDesk (schema 0099); "
        "install the newer version"
    )
    store.dispose()
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("store.db.backup-*"))


def test_copy_sqlite_checks_the_copy_and_leaves_nothing_of_a_failed_one(tmp_path: Path) -> None:
    _, db = _store_with_data(tmp_path)
    good = tmp_path / "copies" / "good.db"
    migrate.copy_sqlite(db, good)
    assert migrate.integrity_problems(good) == []
    assert not list(good.parent.glob(".*"))  # no partial file
    assert sqlite3.connect(good).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    damage_table(db, "districts")
    bad = tmp_path / "copies" / "bad.db"
    with pytest.raises(StoreCorrupt, match="did not pass SQLite's integrity check"):
        migrate.copy_sqlite(db, bad)
    assert sorted(p.name for p in bad.parent.iterdir()) == ["good.db"]
