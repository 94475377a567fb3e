"""Migrations: upgrade → downgrade → upgrade on both backends ends equal to the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.models import Base


def _diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def test_round_trip_matches_models(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url, tmp_path / "blobs")
    migrate.upgrade(store)
    assert migrate.current_revision(store) == migrate.head_revision()
    assert _diff(store) == []

    migrate.downgrade(store, "base")
    tables = set(inspect(store.engine).get_table_names())
    assert tables <= {"alembic_version"}, tables

    migrate.upgrade(store)
    assert _diff(store) == []
    with store.read() as session:
        from reviewdb.models import ChangeCounter

        assert session.get(ChangeCounter, 1) is not None
    store.dispose()


def test_upgrade_backs_up_an_old_sqlite_file(tmp_path: Path) -> None:
    """Upgrading a SQLite file that holds data first copies it (WAL content included)."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url, tmp_path / "blobs")
    assert migrate.upgrade(store, "0001") is None  # a new file: nothing to lose
    with store.write() as s:
        from sqlalchemy import text

        s.execute(text("INSERT INTO settings (key, value) VALUES ('marker', 'kept')"))
    backup = migrate.upgrade(store)
    assert backup is not None and backup.exists()
    con = sqlite3.connect(backup)
    assert con.execute("SELECT value FROM settings WHERE key='marker'").fetchone() == ("kept",)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    con.close()
    assert migrate.current_revision(store) == migrate.head_revision()
    assert migrate.upgrade(store) is None  # already at head: no new backup
    store.dispose()
