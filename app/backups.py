"""Backups of a workstation's SQLite store and its images, and restoring one.

What a backup is (docs/operations.md):

- the database, copied with SQLite's online backup API (consistent while the window keeps
  working, WAL content included) into one self-contained file
  ``<data dir>/backups/<key>-<YYYYmmdd-HHMMSS>.db``, then opened and checked with
  ``PRAGMA integrity_check`` (``quick_check`` for a file over
  :data:`FULL_CHECK_MAX_BYTES`); a copy that fails the check is not kept;
- the images (content-addressed files beside the store, never changed once written) in one
  pool per store, ``<key>.blobs/``, shared by all its backups and filled incrementally:
  each new image is hard-linked when the pool is on the same file system (no extra space)
  and copied otherwise (``--to`` another disk). The pool is never pruned.

``<key>`` is the store file's name plus a short hash of its full path, so two stores with
the same file name never share backups. The first start of the day
(:func:`daily_backup_hook`, called by ``app.runtime.open_workstation``) makes one
automatically; ``backup_keep`` in the workstation's ``settings.json`` (default 7) says how
many of ``<data dir>/backups`` are kept. Backups written elsewhere (``--to DIR``) are never
deleted by ReviewDesk.

:func:`restore` puts a backup back in place of the store: refused while any other process
has the store open (the window, ``sync --watch``, a running command), the replaced file is
kept as ``<name>.replaced-<timestamp>``, and missing images come back from the pool.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import config
from reviewdb import migrate
from reviewdb.engine import (
    Store,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
    default_blob_dir,
    normalize_url,
)
from reviewdb.errors import Refusal

log = logging.getLogger("reviewdesk.backups")

BACKUP_KEEP_DEFAULT = 7
SETTING_KEEP = "backup_keep"
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Files up to this size get the full ``integrity_check`` (about 35 MB/s: it reads every
index against its table); larger ones ``quick_check`` (pages and records, ~20x faster)."""

_NAME = re.compile(r"^(?P<key>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db$")
_STAMP = "%Y%m%d-%H%M%S"


class StoreInUse(StoreError):
    """Another process has the store open: it cannot be replaced under it."""


class RestoreRefused(Refusal):
    """The file given to ``restore`` is not a backup this program can put back."""


# --- where backups are ---------------------------------------------------------------


def backups_dir() -> Path:
    """``<data dir>/backups``: where automatic and plain ``reviewdesk backup`` copies go."""
    return config.data_dir() / "backups"


def backup_keep() -> int:
    """How many backups of a store ``<data dir>/backups`` keeps (``backup_keep`` in
    ``settings.json``; default 7, at least 1)."""
    try:
        value = json.loads(config.settings_path().read_text(encoding="utf-8")).get(SETTING_KEEP)
    except (OSError, ValueError, AttributeError):
        return BACKUP_KEEP_DEFAULT
    if isinstance(value, bool) or not isinstance(value, int | str):
        return BACKUP_KEEP_DEFAULT
    try:
        keep = int(value)
    except ValueError:
        return BACKUP_KEEP_DEFAULT
    return keep if keep >= 1 else BACKUP_KEEP_DEFAULT


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL or an in-memory database)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def backup_key(db: Path) -> str:
    """``<stem>-<6 hex>``: the store's name and a hash of where it lives."""
    where = os.path.normcase(str(db.expanduser().resolve()))
    return f"{db.stem}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:6]}"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    key: str
    made: dt.datetime  # local time, from the name
    n: int

    @property
    def pool(self) -> Path:
        """The images that belong to this backup."""
        return self.path.with_name(f"{self.key}.blobs")


def parse_backup_name(path: Path) -> BackupFile | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        made = dt.datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return BackupFile(path, match["key"], made, int(match["n"] or 0))


def list_backups(db: Path, directory: Path | None = None) -> list[BackupFile]:
    """This store's backups in ``directory`` (default: ``<data dir>/backups``), newest first."""
    directory = directory or backups_dir()
    key = backup_key(db)
    found = []
    try:
        names = list(directory.iterdir())
    except OSError:
        return []
    for path in names:
        parsed = parse_backup_name(path)
        if parsed is not None and parsed.key == key and path.is_file():
            found.append(parsed)
    return sorted(found, key=lambda b: (b.made, b.n), reverse=True)


def newest_backup(db: Path) -> Path | None:
    found = list_backups(db)
    return found[0].path if found else None


def shell_quote(value: str) -> str:
    if os.name == "nt":
        return subprocess.list2cmdline([value])
    return shlex.quote(value)


def restore_advice(db: Path, db_option: str | None = None) -> str:
    """What to tell a person whose store file is damaged: the newest backup to restore."""
    target = f" --db {shell_quote(db_option)}" if db_option else ""
    newest = newest_backup(db)
    if newest is not None:
        return f"restore the newest backup: reviewdesk restore {shell_quote(str(newest))}{target}"
    return (
        f"there is no backup of it in {backups_dir()}: restore a copy made elsewhere "
        f"(reviewdesk restore FILE{target}), or move the file aside and run reviewdesk init "
        "(a workstation with a central store then takes everything back from it)"
    )


def full_check_wanted(path: Path, up_to: int = FULL_CHECK_MAX_BYTES) -> bool:
    """Whether ``path`` is small enough for the full ``integrity_check``."""
    try:
        return path.stat().st_size <= up_to
    except OSError:
        return True


# --- making a backup -----------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    pool: Path
    images_new: int
    images_total: int
    pruned: tuple[Path, ...] = ()

    def summary(self) -> str:
        return (
            f"backup verified (SQLite integrity check ok): {self.path}; images: "
            f"{self.images_new} new, {self.images_total} in all in {self.pool}"
        )


def _unique_name(directory: Path, key: str, now: dt.datetime) -> Path:
    stamp = now.strftime(_STAMP)
    path = directory / f"{key}-{stamp}.db"
    n = 1
    while path.exists():
        path = directory / f"{key}-{stamp}-{n}.db"
        n += 1
    return path


def make_backup(
    db: Path,
    blob_root: Path | None,
    directory: Path | None = None,
    *,
    store: Store | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Copy the store and its new images into ``directory`` (default ``<data dir>/backups``).

    The database is copied first and checked, then the images: if they cannot all be
    placed (a full disk), the new database copy is removed again, so a backup that exists
    always has its images. Images already placed stay (whole files, named by content).
    """
    if not db.is_file():
        raise StoreUnavailable(
            f"no database at {db}: nothing to back up (run reviewdesk init to create one)"
        )
    directory = directory or backups_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(directory, 0o700)
    key = backup_key(db)
    dest = _unique_name(directory, key, now or dt.datetime.now())
    migrate.copy_sqlite(db, dest, quick=not full_check_wanted(db), store=store)
    pool = directory / f"{key}.blobs"
    try:
        new, total = _copy_images(blob_root, pool)
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise
    return BackupResult(dest, pool, new, total)


def _blob_files(root: Path) -> Iterator[Path]:
    """The image files under a blob folder (``ab/cd/<sha256>``), no temporary files."""
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not name.startswith("."):
                yield Path(folder) / name


def _place(src: Path, dst: Path) -> None:
    """Put an immutable file at ``dst``: a hard link if possible, else a synced copy."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
        return
    except FileExistsError:
        return
    except OSError:
        pass  # another file system, or links not allowed: copy
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            shutil.copyfileobj(inp, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _copy_images(src_root: Path | None, dst_root: Path) -> tuple[int, int]:
    """Place every image of ``src_root`` missing from ``dst_root``: (new, total)."""
    new = total = 0
    if src_root is None:
        return 0, 0
    for src in _blob_files(src_root):
        total += 1
        dst = dst_root / src.relative_to(src_root)
        if dst.exists():
            continue
        _place(src, dst)
        new += 1
    return new, total


def prune(db: Path, keep: int | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``db`` in ``<data dir>/backups``."""
    keep = backup_keep() if keep is None else max(1, keep)
    removed = []
    for old in list_backups(db)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def backup_store(
    store: Store, directory: Path | None = None, *, now: dt.datetime | None = None
) -> BackupResult:
    """``reviewdesk backup``: copy, check, and (in the default folder) keep ``backup_keep``."""
    db = sqlite_file(store.url.render_as_string(hide_password=False))
    if db is None:
        raise StoreError(
            f"{store.description}: reviewdesk backup copies a SQLite store; back up a "
            "PostgreSQL store with pg_dump (docs/operations.md)"
        )
    blob_root = store.blobs.root if store.blobs.root is not None else default_blob_dir(store.url)
    result = make_backup(db, blob_root, directory, store=store, now=now)
    if directory is None:
        pruned = prune(db)
        result = BackupResult(
            result.path, result.pool, result.images_new, result.images_total, tuple(pruned)
        )
    return result


# --- the daily backup ----------------------------------------------------------------


@contextlib.contextmanager
def _try_lock(path: Path) -> Iterator[bool]:
    """A non-blocking lock on ``path`` between processes: yields False when it is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - closed below
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()


def daily_backup(store: Store, *, now: dt.datetime | None = None) -> BackupResult | None:
    """A backup of a local SQLite store if none was made today (local date); else None."""
    if not store.is_sqlite:
        return None
    db = sqlite_file(store.url.render_as_string(hide_password=False))
    if db is None or not db.is_file():
        return None
    now = now or dt.datetime.now()
    today = now.date()
    newest = list_backups(db)
    if newest and newest[0].made.date() >= today:
        return None
    with _try_lock(backups_dir() / f".{backup_key(db)}.lock") as mine:
        if not mine:
            return None  # another process is making it right now
        newest = list_backups(db)
        if newest and newest[0].made.date() >= today:
            return None
        return backup_store(store, now=now)


def daily_backup_hook(store: Store) -> None:
    """Called once when a workstation opens: today's backup, if it is still to be made.

    A damaged store stops here (:class:`StoreCorrupt`, naming the newest good backup);
    any other failure (a full or read-only data disk) is a warning: the work goes on.
    """
    from app.errors import classify, describe, write_crash_log

    try:
        made = daily_backup(store)
    except StoreCorrupt:
        raise
    except Exception as exc:
        if classify(exc) == "bug":
            where = write_crash_log(type(exc), exc, exc.__traceback__, context="daily backup")
            log.warning("warning: today's automatic backup failed (details in %s)", where)
        else:
            log.warning("warning: today's automatic backup was not made: %s", describe(exc))
        return
    if made is not None:
        log.info("%s", made.summary())


# --- restoring -----------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    store: Path
    source: Path
    replaced: Path | None
    revision: str
    images_restored: int
    pool: Path | None

    def summary(self, store_description: str) -> str:
        kept = f"; the replaced file is kept as {self.replaced}" if self.replaced else ""
        if self.pool is None:
            images = (
                "; no image pool beside the backup: images come back with the next sync or import"
            )
        else:
            images = f"; images: {self.images_restored} put back from {self.pool}"
        upgrade = (
            f"; it is at schema {self.revision}: run reviewdesk init to upgrade it"
            if self.revision != migrate.head_revision()
            else ""
        )
        return f"restored {self.source} into {store_description}{kept}{images}{upgrade}"


def _check_backup(source: Path) -> str:
    """The schema revision of a sound ReviewDesk backup, or a refusal saying what is wrong."""
    if not source.is_file():
        raise RestoreRefused(
            f"no file {source}: give the backup to restore (reviewdesk restore FILE)"
        )
    problems = migrate.integrity_problems(source, quick=not full_check_wanted(source))
    if problems:
        raise RestoreRefused(
            f"{source} is damaged ({'; '.join(problems[:2])}): choose another backup "
            f"(they are in {backups_dir()}); nothing was changed"
        )
    conn = sqlite3.connect(source)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    if row is None:
        raise RestoreRefused(f"{source} is not a ReviewDesk store; nothing was changed")
    revision = str(row[0])
    if revision not in migrate.known_revisions():
        raise RestoreRefused(
            f"{source} was written by a newer ReviewDesk (schema {revision}); install the "
            "newer version to restore it; nothing was changed"
        )
    return revision


@contextlib.contextmanager
def _exclusive(db: Path) -> Iterator[sqlite3.Connection | None]:
    """Hold the store so that no other process can use it; refuse if one has it open.

    A connection in EXCLUSIVE locking mode that begins an EXCLUSIVE transaction needs the
    database file to itself: every other open connection (the window's pool holds one for
    as long as it runs, even idle) makes it fail within a second. The lock is then kept
    until this connection closes. A file too damaged to lock yields None (nobody can be
    using it).
    """
    conn = sqlite3.connect(db, timeout=1.0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE").fetchall()
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays: exclusive locking mode
    except sqlite3.OperationalError as exc:
        conn.close()
        name = str(getattr(exc, "sqlite_errorname", ""))
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise StoreInUse(
                f"{db} is open in another ReviewDesk window or command: close it (and stop "
                "reviewdesk sync --watch) and run restore again; nothing was changed"
            ) from exc
        raise StoreUnavailable(f"cannot use {db}: {exc}") from exc
    except sqlite3.DatabaseError:
        conn.close()
        yield None
        return
    try:
        yield conn
    finally:
        conn.close()


def restore(db: Path, blob_root: Path | None, source: Path) -> RestoreResult:
    """Put the backup ``source`` in place of the store file ``db`` (see the module doc)."""
    source = source.expanduser()
    if db.exists() and source.resolve() == db.resolve():
        raise RestoreRefused(f"{source} is the store itself: give a backup file")
    revision = _check_backup(source)
    stamp = dt.datetime.now().strftime(_STAMP)
    replaced: Path | None = None
    if not db.exists():
        migrate.copy_sqlite(source, db, quick=not full_check_wanted(source))
    else:
        replaced = db.with_name(f"{db.name}.replaced-{stamp}")
        with _exclusive(db) as held:
            if held is None:
                _swap_damaged(db, replaced, source)
            else:
                _restore_into(held, db, replaced, source)
    pool = _pool_of(source)
    restored = 0
    if pool is not None and blob_root is not None:
        restored, _total = _copy_images(pool, blob_root)
    return RestoreResult(db, source, replaced, revision, restored, pool)


def _restore_into(held: sqlite3.Connection, db: Path, replaced: Path, source: Path) -> None:
    """Restore through the connection that holds the store: the replaced content is copied
    out first, then the backup is copied in by SQLite's backup API (one transaction)."""
    with contextlib.suppress(sqlite3.DatabaseError):
        # WAL content goes into the file; the copy below then needs no -wal.
        held.execute("PRAGMA journal_mode=DELETE").fetchall()
    partial = replaced.with_name(f".{replaced.name}.partial")
    try:
        keep = sqlite3.connect(partial)
        try:
            held.backup(keep)
        finally:
            keep.close()
        os.replace(partial, replaced)
    except sqlite3.DatabaseError:
        # Too damaged for SQLite to read: keep the bytes as they are.
        with contextlib.suppress(OSError):
            partial.unlink()
        shutil.copyfile(db, replaced)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    src = sqlite3.connect(source)
    try:
        src.backup(held)
    except sqlite3.Error as exc:
        raise migrate._raw_error(exc, db) from exc
    finally:
        src.close()
    problems = held.execute("PRAGMA quick_check(5)").fetchall()
    if [str(r[0]) for r in problems] != ["ok"]:
        raise StoreCorrupt(
            f"{db} did not pass SQLite's check after the restore ({problems[0][0]}); "
            f"the previous file is kept as {replaced}"
        )


def _swap_damaged(db: Path, replaced: Path, source: Path) -> None:
    """A file too damaged to open: move it (and its -wal) aside, copy the backup in."""
    staged = db.with_name(f".{db.name}.restoring")
    migrate.copy_sqlite(source, staged, quick=not full_check_wanted(source))
    os.replace(db, replaced)
    for suffix in ("-wal", "-journal"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            os.replace(side, replaced.with_name(replaced.name + suffix))
    db.with_name(db.name + "-shm").unlink(missing_ok=True)
    os.replace(staged, db)


def _pool_of(source: Path) -> Path | None:
    parsed = parse_backup_name(source)
    if parsed is None or not parsed.pool.is_dir():
        return None
    return parsed.pool
