"""Opening the configured store and making sure its schema is current."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.policy.districts import ensure_districts
from reviewdb import migrate
from reviewdb.engine import Store, StoreError, StoreUnavailable
from reviewdb.models import ChangeCounter


class SchemaOutOfDate(StoreError):
    """The database exists but is not at this program's schema version."""


def open_store(settings: Settings, *, require_schema: bool = True) -> Store:
    """Open the store; with ``require_schema`` refuse a database that is not at head."""
    store = Store(settings.db_url, settings.blob_dir)
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
        if current != head:
            raise SchemaOutOfDate(
                f"{store.description} is at schema {current}, this program needs {head}: run `reviewdesk init`"
            )
    return store


def init_store(settings: Settings, *, shared_file: bool = False) -> tuple[Store, str | None]:
    """Create or upgrade the schema to head; returns the store and a backup path if one was made.

    ``shared_file``: a central SQLite file (rollback journal, see reviewdb.engine).
    """
    store = Store(settings.db_url, settings.blob_dir, shared_file=shared_file)
    store.ping()
    backup = migrate.upgrade(store)
    with store.write() as session:
        if session.get(ChangeCounter, 1) is None:
            session.add(ChangeCounter(id=1, value=0))
        ensure_districts(session)
    return store, str(backup) if backup else None
