"""Engine and session factories for SQLite and PostgreSQL, with the pragmas SYNC.md asks for."""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reviewdb.blobs import BlobStore, PgBlobStore
from reviewdb.errors import EnvironmentProblem

SQLITE_BUSY_TIMEOUT_MS = 15_000


class StoreError(EnvironmentProblem):
    """An environmental problem with the store, with a message a person can act on."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened."""


class StoreBusy(StoreUnavailable):
    """Another transaction was in the way (a lock wait ran out, a deadlock, a serialization
    failure): nothing was written, and the same action can simply be tried again. A kind of
    :class:`StoreUnavailable`, so callers that wait and retry treat it the same way."""


class StoreCorrupt(StoreError):
    """The database file is damaged ("database disk image is malformed", "file is not a
    database"): nothing more can be read or written safely. The message says which backup
    to restore (``reviewdesk restore FILE``)."""


class StoreFull(StoreError):
    """The disk holding the store (or the database server's disk) is full. The transaction
    was rolled back: nothing was saved, and the same action works once there is space."""


# PostgreSQL SQLSTATEs that mean "another writer was in the way", not "the server is gone".
_PG_BUSY = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock not available
_PG_FULL = frozenset({"53100"})  # disk_full
# SQLite result codes (with their extended codes) for a damaged file and a full disk.
_SQLITE_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_SQLITE_FULL = ("SQLITE_FULL",)
RESTORE_ADVICE = "restore a backup: reviewdesk restore FILE"


def _is_busy(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _PG_BUSY:
        return True
    # sqlite3: SQLITE_BUSY (the busy timeout ran out) or SQLITE_LOCKED, with extended codes.
    return str(getattr(orig, "sqlite_errorname", "")).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _first_line(exc: BaseException) -> str:
    text_ = str(_driver_error(exc)).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


NO_ROOM_BYTES = 1024 * 1024


def _no_room_beside(url: URL) -> bool:
    """Whether the disk of a SQLite file has (next to) no free space left."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return False
    try:
        return shutil.disk_usage(Path(str(url.database)).parent).free < NO_ROOM_BYTES
    except OSError:
        return False


def translate_error(exc: BaseException, url: URL, advice: str | None = None) -> StoreError | None:
    """The environment problem behind a driver error, or None when it is not one of these.

    Works on SQLAlchemy's wrapped errors and on ``sqlite3``'s own (backups use it directly):
    a damaged SQLite file becomes :class:`StoreCorrupt` (``advice`` says what to restore),
    a full disk :class:`StoreFull`.
    """
    orig = _driver_error(exc)
    name = str(getattr(orig, "sqlite_errorname", ""))
    detail = _first_line(exc)
    if name.startswith(_SQLITE_CORRUPT):
        return StoreCorrupt(
            f"{describe_url(url)} is damaged ({detail}): {advice or RESTORE_ADVICE}"
        )
    if (
        name.startswith(_SQLITE_FULL)
        or getattr(orig, "sqlstate", None) in _PG_FULL
        or (isinstance(orig, OSError) and orig.errno in (errno.ENOSPC, errno.EDQUOT))
        # SQLite reports some writes a full disk refuses (growing the WAL index, -shm) as an
        # I/O error: on a disk with no room left, that is what it is.
        or (name.startswith("SQLITE_IOERR") and _no_room_beside(url))
    ):
        return StoreFull(
            f"disk full: {describe_url(url)} could not be written ({detail}); "
            "nothing was saved: free some space and try again"
        )
    return None


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` means psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"not a database URL: {url!r} (expected sqlite:///PATH or postgresql://...)"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreError(
            f"unsupported database {parsed.drivername!r}: use sqlite:/// or postgresql://"
        )
    return parsed


def describe_url(url: URL) -> str:
    """A short, password-free name of the database for messages."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL server {url.host or 'localhost'}:{url.port or 5432} database {url.database}"


def _sqlite_pragmas(journal_mode: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own BEGIN is deferred
        # and emitted lazily, which breaks BEGIN IMMEDIATE for writers).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    return on_connect


def _sqlite_on_begin(conn: Any) -> None:
    # Writers take the write lock up front: a deferred transaction that later tries to
    # write can fail with SQLITE_BUSY without waiting (the busy handler is not used for
    # lock upgrades in WAL mode), so every writer starts with BEGIN IMMEDIATE.
    options = conn.get_execution_options()
    if options.get("sqlite_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif not options.get("single_read"):
        # A single SELECT needs no transaction of its own: SQLite runs it in an implicit
        # one. Everything else reads in one snapshot.
        conn.exec_driver_sql("BEGIN")


def make_engine(
    url: str | URL, *, echo: bool = False, pool_size: int = 5, shared_file: bool = False
) -> Engine:
    """One factory for both backends; SQLite gets WAL, FULL sync, foreign keys, busy timeout.

    ``shared_file``: a SQLite file several workstations open over a LAN (a small office's
    central store) uses the rollback journal, because WAL needs shared memory that network
    file systems do not provide.
    """
    parsed = url if isinstance(url, URL) else normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_pragmas("DELETE" if shared_file else "WAL"))
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(
        parsed,
        echo=echo,
        # No pre-ping (a round trip per checkout): a connection the server dropped fails
        # once, SQLAlchemy then invalidates the pool, and the caller's retry or the next
        # action gets a fresh one. Recycling keeps idle connections from going stale.
        pool_recycle=1800,
        pool_size=pool_size,
        connect_args={"connect_timeout": 5, "application_name": "reviewdesk"},
    )


_PASSWORD_RE = re.compile(r"(://[^:/@]+:)[^@]+@")


def explain_db_error(exc: BaseException, url: URL) -> str:
    """Turn a driver error into one line naming the database and what went wrong."""
    detail = (
        str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if str(exc).strip()
        else type(exc).__name__
    )
    detail = _PASSWORD_RE.sub(r"\1***@", detail)
    if _is_busy(exc):
        return (
            f"{describe_url(url)} was busy with another user's change ({detail}); "
            "nothing was saved: try again"
        )
    return f"cannot use {describe_url(url)}: {detail}"


class Store:
    """A database plus its blob directory: what every repository function works against.

    ``read()`` gives a session in a deferred transaction; ``write()`` one that begins with
    BEGIN IMMEDIATE on SQLite and commits on success.
    """

    def __init__(
        self,
        url: str | URL,
        blob_dir: Path | None = None,
        *,
        echo: bool = False,
        shared_file: bool = False,
    ) -> None:
        self.url = url if isinstance(url, URL) else normalize_url(url)
        self.engine = make_engine(self.url, echo=echo, shared_file=shared_file)
        # What to tell a person whose file is damaged: the application knows its backups.
        self.corruption_advice: Callable[[], str] | None = None
        # Every statement on this engine (sessions, Core, Alembic, the sync engine) has its
        # damaged-file and full-disk errors translated here, so none of them reaches a
        # front-end as a driver error (a "bug").
        event.listen(self.engine, "handle_error", self._translate_driver_error)
        self.write_engine = self.engine.execution_options(sqlite_write=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # PostgreSQL keeps images inside the database (chunked); SQLite beside the file,
        # never inside it (SYNC.md lesson 10).
        self.blobs: BlobStore | PgBlobStore = (
            BlobStore(blob_dir or default_blob_dir(self.url))
            if self.is_sqlite
            else PgBlobStore(self.engine)
        )

    @property
    def description(self) -> str:
        return describe_url(self.url)

    def advice_on_corruption(self) -> str:
        """What to do about a damaged file (never fails: it runs while reporting one)."""
        try:
            return self.corruption_advice() if self.corruption_advice else RESTORE_ADVICE
        except Exception:
            return RESTORE_ADVICE

    def translate(self, exc: BaseException) -> StoreError | None:
        """:func:`translate_error` for this store, with its advice."""
        orig = _driver_error(exc)
        if not str(getattr(orig, "sqlite_errorname", "")).startswith(_SQLITE_CORRUPT):
            return translate_error(exc, self.url)
        return translate_error(exc, self.url, self.advice_on_corruption())

    def _translate_driver_error(self, context: Any) -> None:
        error = self.translate(context.original_exception)
        if error is not None:
            raise error from context.original_exception

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        # Closing (not rolling back) ends the transaction without expiring what was read,
        # so values loaded inside the block stay readable after it.
        with self._guard(), self._read() as session:
            yield session

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection for one read statement on a hot path (the queue's pages).

        It opens no transaction of its own (autocommit on PostgreSQL, no BEGIN on SQLite):
        one SELECT is consistent by itself, and the floor it is measured against does the
        same.
        """
        with self._guard(), self.engine.connect() as conn:
            if self.is_sqlite:
                yield conn.execution_options(single_read=True)
            else:
                yield conn.execution_options(isolation_level="AUTOCOMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A writing unit of work, committed when the block ends without an exception."""
        with self._guard(), self._write() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, DBAPIError) as exc:
            if _is_busy(exc):
                raise StoreBusy(explain_db_error(exc, self.url)) from exc
            if isinstance(exc, OperationalError) or exc.connection_invalidated:
                raise StoreUnavailable(explain_db_error(exc, self.url)) from exc
            raise

    def ping(self) -> None:
        """Connect once, or raise StoreUnavailable naming the server."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(explain_db_error(exc, self.url)) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def default_blob_dir(url: URL) -> Path:
    """Blobs sit beside a SQLite file (``x.db`` → ``x.blobs/``); PostgreSQL needs an explicit dir."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.stem + ".blobs")
    raise StoreError("a blob directory is required for this database")
