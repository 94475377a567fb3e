"""Bring any store to the current schema with Alembic (and back, for tests)."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from reviewdb.engine import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision this program ships (reading the scripts is slow: a sync round asks)."""
    return frozenset(r.revision for r in alembic_script().walk_revisions())


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(store: Store, revision: str = "head") -> Path | None:
    """Upgrade to ``revision``; returns the backup made of a local SQLite file, if any.

    A SQLite file that already holds data is copied (with SQLite's online backup, so WAL
    content is included) before its schema changes: a failed upgrade never costs data.
    """
    backup = None
    current = current_revision(store)
    if store.is_sqlite and current is not None and current != head_revision():
        backup = _backup_sqlite(store)
    cfg = alembic_config()
    with store.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return backup


def downgrade(store: Store, revision: str) -> None:
    cfg = alembic_config()
    with store.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _backup_sqlite(store: Store) -> Path | None:
    database = store.url.database
    if not database or database == ":memory:":
        return None
    src_path = Path(database)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    dest = src_path.with_name(f"{src_path.name}.backup-{stamp}")
    src = sqlite3.connect(src_path)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def alembic_script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())
