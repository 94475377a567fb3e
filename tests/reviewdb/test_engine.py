"""Engine factory: SQLite pragmas, BEGIN IMMEDIATE for writers, clear errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from reviewdb.engine import Store, StoreBusy, StoreError, StoreUnavailable, normalize_url


def test_sqlite_pragmas(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "b")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    store.dispose()


def test_writer_takes_the_lock_at_begin(tmp_path: Path) -> None:
    """A write session holds SQLite's write lock from its first statement (BEGIN IMMEDIATE)."""
    store = Store(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "b")
    with store.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    import sqlite3

    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with store.write() as s:
            s.execute(text("SELECT 1"))  # a read only: IMMEDIATE still locks
            entered.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    assert entered.wait(5)
    other = sqlite3.connect(tmp_path / "a.db", timeout=0.05, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    release.set()
    t.join()
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()
    store.dispose()


def test_reader_does_not_lock(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "b")
    with store.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    import sqlite3

    with store.read() as s:
        s.execute(text("SELECT count(*) FROM t")).scalar()
        other = sqlite3.connect(tmp_path / "a.db", timeout=0.05, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        other.execute("COMMIT")
        other.close()
    store.dispose()


def test_unreachable_postgres_names_the_server(tmp_path: Path) -> None:
    store = Store("postgresql://postgres@127.0.0.1:1/nodb", tmp_path / "b")
    with pytest.raises(StoreUnavailable, match="127.0.0.1:1"):
        store.ping()


def test_bad_urls() -> None:
    with pytest.raises(StoreError):
        normalize_url("mysql://x/y")
    with pytest.raises(StoreError):
        normalize_url("not a url")
    assert normalize_url("postgresql://u@h/d").drivername == "postgresql+psycopg"


def test_shared_central_sqlite_file_uses_the_rollback_journal(tmp_path: Path) -> None:
    """WAL needs shared memory a network drive does not give: a shared file must not use it."""
    local = Store(f"sqlite:///{tmp_path / 'local.db'}", tmp_path / "b")
    shared = Store(f"sqlite:///{tmp_path / 'central.db'}", tmp_path / "c", shared_file=True)
    with local.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    with shared.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
    local.dispose()
    shared.dispose()


def test_a_writer_kept_waiting_too_long_is_told_to_try_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's busy timeout running out is "busy, try again", not "cannot use the file"."""
    import sqlite3

    from reviewdb import engine

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    store = Store(f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "b")
    with store.write() as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with (
            pytest.raises(StoreBusy, match="was busy .*nothing was saved: try again"),
            store.write() as s,
        ):
            s.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    with store.write() as s:  # and once the other writer is gone, it works
        s.execute(text("INSERT INTO t VALUES (2)"))
    with store.read() as s:
        assert s.execute(text("SELECT x FROM t")).scalars().all() == [2]
    store.dispose()


def test_a_postgres_deadlock_is_reported_as_busy_not_unreachable(
    pg_url: str, tmp_path: Path
) -> None:
    store = Store(pg_url, tmp_path / "b")
    with store.write() as s:
        s.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)"))
        s.execute(text("INSERT INTO t VALUES (1, 0), (2, 0)"))
    barrier = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def writer(first: int, second: int) -> None:
        try:
            with store.write() as s:
                s.execute(text("UPDATE t SET x = x + 1 WHERE id = :i"), {"i": first})
                barrier.wait()
                s.execute(text("UPDATE t SET x = x + 1 WHERE id = :i"), {"i": second})
        except BaseException as exc:  # noqa: BLE001 - inspected below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=a) for a in ((1, 2), (2, 1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1, errors  # PostgreSQL aborts exactly one of the two
    assert isinstance(errors[0], StoreBusy)
    assert "deadlock detected" in str(errors[0]) and "try again" in str(errors[0])
    assert "cannot use" not in str(errors[0])
    with store.read() as s:  # the survivor committed both rows, the victim nothing
        assert sorted(s.execute(text("SELECT x FROM t")).scalars()) == [1, 1]
    store.dispose()
