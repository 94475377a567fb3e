"""Opening the configured store and making sure its schema is current and its file sound."""

from __future__ import annotations

from pathlib import Path

from app import backups
from app.config import Settings
from app.policy.districts import ensure_districts
from reviewdb import migrate
from reviewdb.engine import Store, StoreCorrupt, StoreError, StoreUnavailable
from reviewdb.migrate import SchemaTooNew
from reviewdb.models import ChangeCounter

__all__ = [
    "SchemaOutOfDate",
    "SchemaTooNew",
    "StoreCorrupt",
    "check_integrity",
    "init_store",
    "open_store",
    "store_of",
]


class SchemaOutOfDate(StoreError):
    """The database exists but is not at this program's schema version."""


def store_of(settings: Settings, *, shared_file: bool = False) -> Store:
    """The store the settings name, told where its backups are (for a damaged file); not
    connected yet."""
    store = Store(settings.db_url, settings.blob_dir, shared_file=shared_file)
    db = backups.sqlite_file(settings.db_url) if store.is_sqlite else None
    if db is not None:
        option = None if settings.is_default else settings.db_url
        store.corruption_advice = lambda: backups.restore_advice(db, option)
    return store


INIT_FULL_CHECK_MAX_BYTES = 16 * 1024 * 1024
"""``init`` (which the window runs at every start on its default store) checks files up to
this size fully (about half a second), larger ones with ``quick_check``."""


def check_integrity(
    store: Store, *, full: bool | None = None, full_up_to: int = backups.FULL_CHECK_MAX_BYTES
) -> None:
    """Refuse a damaged SQLite file (:class:`StoreCorrupt`, naming the newest backup).

    ``full``: ``PRAGMA integrity_check`` (True) or ``quick_check`` (False); None picks the
    full check for files up to ``full_up_to`` bytes. PostgreSQL keeps its own checksums:
    nothing to do there.
    """
    db = backups.sqlite_file(store.url.render_as_string(hide_password=False))
    if db is None or not db.is_file() or db.stat().st_size == 0:
        return
    if full is None:
        full = backups.full_check_wanted(db, full_up_to)
    problems = migrate.integrity_problems(db, quick=not full)
    if problems:
        shown = "; ".join(problems[:2]) + (
            f" (and {len(problems) - 2} more)" if len(problems) > 2 else ""
        )
        raise StoreCorrupt(
            f"{store.description} is damaged (SQLite integrity check: {shown}): "
            f"{store.advice_on_corruption()}"
        )


def open_store(settings: Settings, *, require_schema: bool = True) -> Store:
    """Open the store; with ``require_schema`` refuse a database that is not at head."""
    store = store_of(settings)
    database = store.url.database
    if store.is_sqlite and require_schema and database and not Path(database).exists():
        # Do not leave an empty file behind for a mistyped path.
        raise StoreUnavailable(
            f"no database at {database}: run `reviewdesk init --db {settings.db_url}` to create one"
        )
    store.ping()
    if require_schema:
        try:
            current = migrate.current_revision(store)
        except StoreError:
            raise
        except Exception as exc:  # the driver's error for a broken file
            raise StoreUnavailable(f"cannot read {store.description}: {exc}") from exc
        head = migrate.head_revision()
        if current is None:
            raise SchemaOutOfDate(
                f"{store.description} is not a ReviewDesk database yet: run `reviewdesk init --db {settings.db_url}`"
            )
        migrate.require_known(store, current)
        if current != head:
            raise SchemaOutOfDate(
                f"{store.description} is at schema {current}, this program needs {head}: run `reviewdesk init`"
            )
    return store


def init_store(settings: Settings, *, shared_file: bool = False) -> tuple[Store, str | None]:
    """Create or upgrade the schema to head; returns the store and a backup path if one was made.

    An existing SQLite file is checked first (``integrity_check``; ``quick_check`` over
    :data:`INIT_FULL_CHECK_MAX_BYTES`): a damaged file is refused with the backup to restore, never "ready". A
    store written by a newer ReviewDesk is refused unchanged.

    ``shared_file``: a central SQLite file (rollback journal, see reviewdb.engine).
    """
    store = store_of(settings, shared_file=shared_file)
    check_integrity(store, full_up_to=INIT_FULL_CHECK_MAX_BYTES)
    store.ping()
    backup = migrate.upgrade(store)
    with store.write() as session:
        if session.get(ChangeCounter, 1) is None:
            session.add(ChangeCounter(id=1, value=0))
        ensure_districts(session)
    return store, str(backup) if backup else None
