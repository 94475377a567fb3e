"""Bring any store to the current schema with Alembic (and back, for tests); copy and check
SQLite files (the backup made before an upgrade, ``reviewdesk backup``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from reviewdb.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    Store,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreUnavailable,
    describe_url,
    translate_error,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaTooNew(StoreError):
    """The store was written by a newer ReviewDesk: its schema revision is unknown here.

    Nothing is changed (an upgrade path from the future does not exist, and a downgrade
    would lose what the newer version keeps)."""


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


def too_new(store: Store, revision: str) -> SchemaTooNew:
    return SchemaTooNew(
        f"{store.description} was written by a newer ReviewDesk (schema {revision}); "
        "install the newer version"
    )


def require_known(store: Store, revision: str | None) -> None:
    """Refuse a store whose schema this program does not know (a newer release wrote it)."""
    if revision is not None and revision not in known_revisions():
        raise too_new(store, revision)


def upgrade(store: Store, revision: str = "head") -> Path | None:
    """Upgrade to ``revision``; returns the backup made of a local SQLite file, if any.

    A SQLite file that already holds data is copied (with SQLite's online backup, so WAL
    content is included, and checked) before its schema changes: a failed upgrade never
    costs data. A store written by a newer ReviewDesk is refused (:class:`SchemaTooNew`).
    """
    backup = None
    current = current_revision(store)
    require_known(store, current)
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
    copy_sqlite(src_path, dest, quick=True, what="before upgrading its schema", store=store)
    return dest


def alembic_script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


# --- copying and checking SQLite files -------------------------------------------------


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path))


def _raw_error(exc: BaseException, path: Path, advice: str | None = None) -> BaseException:
    """A ``sqlite3`` error as the environment problem it is (else unchanged)."""
    translated = translate_error(exc, _sqlite_url(path), advice)
    if translated is not None:
        return translated
    if isinstance(exc, sqlite3.OperationalError):
        return StoreUnavailable(f"cannot use {describe_url(_sqlite_url(path))}: {exc}")
    return exc


def integrity_problems(path: Path, *, quick: bool = False, limit: int = 5) -> list[str]:
    """SQLite's own check of a file: [] when it is sound, else the first problems found.

    ``quick`` runs ``PRAGMA quick_check`` (pages and records, not index contents: a large
    file in a fraction of the time). A file too damaged to run the check at all is
    reported as such rather than raised.
    """
    if not path.is_file():
        raise StoreUnavailable(f"no database at {path}")
    pragma = "quick_check" if quick else "integrity_check"
    try:
        conn = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _raw_error(exc, path) from exc
    try:
        rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        if isinstance(translate_error(exc, _sqlite_url(path)), StoreCorrupt):
            return [str(exc)]
        raise _raw_error(exc, path) from exc
    finally:
        conn.close()
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_sqlite(
    src: Path,
    dest: Path,
    *,
    quick: bool = False,
    what: str = "",
    store: Store | None = None,
) -> None:
    """Copy a SQLite file with the online backup API (consistent while others write; WAL
    content included) into ``dest``, as one self-contained file, and check the copy.

    The copy is written under a temporary name, synced, checked with ``integrity_check``
    (``quick_check`` with ``quick``) and only then renamed to ``dest``: a full disk, a
    damaged source or a crash leaves nothing behind under ``dest`` (and no partial file).
    ``store`` (the source's store, if open) supplies the advice for a damaged source.
    """
    if not src.is_file():
        raise StoreUnavailable(f"no database at {src}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    advice = store.advice_on_corruption() if store is not None else None
    for_what = f" {what}" if what else ""
    try:
        try:
            source = sqlite3.connect(src, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
            try:
                target = sqlite3.connect(partial)
                try:
                    source.backup(target)
                    # One file a person can copy around: no -wal beside it.
                    target.execute("PRAGMA journal_mode=DELETE").fetchall()
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as exc:
            error = _raw_error(exc, src, advice)
            if isinstance(error, StoreFull):
                error = StoreFull(
                    f"disk full: cannot copy {src} to {dest.parent}{for_what} ({exc}); "
                    "nothing was changed: free some space and try again"
                )
            elif isinstance(error, StoreError) and not isinstance(error, StoreCorrupt):
                error = type(error)(f"cannot copy {src}{for_what}: {error}")
            raise error from exc
        _fsync(partial)
        problems = integrity_problems(partial, quick=quick)
        if problems:
            raise StoreCorrupt(
                f"{describe_url(_sqlite_url(src))} is damaged ({'; '.join(problems[:2])}): "
                f"the copy{for_what} did not pass SQLite's integrity check and was not kept; "
                f"{advice or 'restore a backup: reviewdesk restore FILE'}"
            )
        os.replace(partial, dest)
        _fsync(dest.parent)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
