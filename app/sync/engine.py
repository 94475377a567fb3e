"""Sync between a workstation's local store and the central store (see docs/sync.md).

- Push: the transactional outbox (decisions, print records) goes up in batches, each
  batch one central transaction: its decisions in one call per person (a set-based
  arbiter function; refused as a whole, the call is repeated decision by decision, each
  in a savepoint, so one poison is isolated), prints one by one in savepoints;
  idempotent by the client-made id, so a crash between the central commit and the local
  "sent" mark only repeats work. An item whose person this workstation cannot prove
  (no valid token) waits in the outbox. The local journal goes up by its own sequence,
  chain intact.
- Pull: changes come down by the central commit-ordered change counter, one page and
  its cursor per local transaction. Pulls wait while local intent is still unsent, so a
  pull never overwrites it.
- Claims are made at the central store (the only arbiter); offline, only checked-out
  cases can be decided.
- Images download lazily, verified by hash, and can be prefetched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from reviewdb import identity, journal, migrate
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord
from reviewdb.blobs import BlobError, sha256_hex
from reviewdb.central import CentralOps, committed_change_value, ops_for
from reviewdb.engine import Store, StoreError, StoreUnavailable
from reviewdb.journal import GENESIS, store_now
from reviewdb.models import (
    Application,
    Attachment,
    Blob,
    Case,
    CaseRound,
    CentralJournalEntry,
    Claim,
    CustodyFact,
    Decision,
    District,
    FindingRow,
    JournalEntry,
    NoticePrint,
    OutboxItem,
    QaDraw,
    QaSample,
    Rental,
    ResidencePermit,
    RoundPerson,
    RuralHouseFact,
    School,
    Setting,
    StationToken,
    Student,
    User,
    UserDistrict,
    table_of,
)
from reviewdb.types import JSONText

log = logging.getLogger(__name__)

PAGE = 10000  # rows (cases, users, claims) per pull page: one local transaction each
PULL_CACHE_KB = 32 * 1024  # the local page cache while pulling (see _page_write)
# Outbox items per central transaction: one rd_submit_decisions call per person (at most
# central_pg.BATCH_MAX each). 50 paid a commit, a savepoint, a round trip and the
# function's fixed costs every 50 decisions; a refused call is bisected, so a large batch
# costs a few calls more, not one per decision, when one item in it is refused.
PUSH_BATCH = 500
# Outbox items read, and their outcomes written, per local transaction: a lost local mark
# only means a resend, which the central store recognises, so it need not cost a local
# commit (an fsync) per central batch.
PUSH_PAGE = 2 * PUSH_BATCH
JOURNAL_BATCH = 200
BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0
EFFECTIVE = ("accepted", "pending_confirmation", "confirmed")
# An outbox item's outcome state when its person cannot be proven to the central store now
# (no token here, or the token expired, was revoked, or is another login's): it waits in the
# outbox until the person logs in again while online; nothing is wrong with the item.
WAITS = "waits_for_person"
IDENTITY_REFUSALS = frozenset(
    {"no_identity", "token_invalid", "token_not_here", "token_expired", "token_revoked"}
)


class SyncError(StoreError):
    """Sync cannot go on; the message says why and what to do."""


class ReadOnly(SyncError):
    """The central schema is newer than this program: the workstation must not write."""


def _setting(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def _set(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def _set_forward(session: Session, key: str, value: int) -> None:
    """Move a sent-mark forward, never back (two uploaders, or a late one, cannot rewind)."""
    current = int(_setting(session, key, "0") or 0)
    if value > current:
        _set(session, key, str(value))


def _set_cursor_forward(session: Session, key: str, seq: int, ident: str) -> None:
    """A pull cursor ``seq|id`` moves forward only."""
    current = _setting(session, key)
    if current:
        cur_seq, _, cur_id = current.partition("|")
        if (int(cur_seq), cur_id) >= (seq, ident):
            return
    _set(session, key, f"{seq}|{ident}")


# One uploader at a time per local store, whichever engine or thread asks (the sync round
# and the immediate upload after a decision both push).
_UPLOADERS: dict[str, threading.RLock] = {}
_UPLOADERS_GUARD = threading.Lock()


def _uploader_lock(store: Store) -> threading.RLock:
    key = store.url.render_as_string(hide_password=False)
    with _UPLOADERS_GUARD:
        return _UPLOADERS.setdefault(key, threading.RLock())


class _JournalStuck(Exception):
    """The journal cannot go up this round (shown in the status); the rest of sync goes on."""


def _refused_for_good(exc: BaseException) -> bool:
    """The central store said no to the content (not: the network or server went away)."""
    if isinstance(exc, ArbiterRefusal):
        return True
    if isinstance(exc, OperationalError):
        return False
    return isinstance(exc, DBAPIError) and not exc.connection_invalidated


_ENTRY_FIELDS = (
    "entry_id",
    "actor",
    "workstation",
    "device_time",
    "store_time",
    "action",
    "case_id",
    "payload",
    "change_seq",
)


def _snapshot(entry: JournalEntry) -> SimpleNamespace:
    """A journal entry's content, detached from the session (it is about to be rewritten)."""
    return SimpleNamespace(**{name: getattr(entry, name) for name in _ENTRY_FIELDS})


def store_id(session: Session) -> str:
    """This store's id: the name of its journal chain at the central store."""
    value = _setting(session, "store_id")
    if value is None:
        value = f"st-{uuid.uuid4().hex[:16]}"
        _set(session, "store_id", value)
        session.flush()
    return value


# Users come down without anything that verifies a password: a workstation holds only the
# verifiers of people who logged in on it (and the central store grants no workstation login
# those columns). The lockout counters are each computer's own.
_LOCAL_USER_FIELDS: dict[str, Any] = {"password_hash": "", "failed_logins": 0, "locked_until": None}
_PULLED_USER_COLUMNS = [c for c in User.__table__.columns if c.name not in _LOCAL_USER_FIELDS]


def _rows(session: Session, model: Any, where: Any) -> list[dict[str, Any]]:
    table: Table = model.__table__
    result = session.execute(select(table).where(where))
    return [dict(r._mapping) for r in result]


def _upsert(
    session: Session, model: Any, rows: Sequence[dict[str, Any]], *, keep: Iterable[str] = ()
) -> None:
    """Insert or update ``rows``; the columns in ``keep`` are written only by an insert."""
    if not rows:
        return
    table: Table = model.__table__
    pk = [c.name for c in table.primary_key.columns]
    kept = {*pk, *keep}
    stmt = sqlite_insert(table)
    cols = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in kept}
    stmt = (
        stmt.on_conflict_do_update(index_elements=pk, set_=cols)
        if cols
        else stmt.on_conflict_do_nothing()
    )
    for start in range(0, len(rows), 500):
        session.execute(stmt, list(rows[start : start + 500]))


# --- pages of cases: rows copied as the local store keeps them ------------------------

# A page's tables in the order their rows go into the local store (parents first).
_PAGE_TABLES: tuple[Any, ...] = (
    School,
    Student,
    Application,
    Case,
    Claim,
    CaseRound,
    RoundPerson,
    CustodyFact,
    RuralHouseFact,
    Rental,
    ResidencePermit,
    Blob,
    Attachment,
    FindingRow,
    Decision,
    NoticePrint,
    QaDraw,
    QaSample,
)
_SQLITE = sqlite_dialect()


def _column_index(model: Any, name: str) -> int:
    return [c.name for c in table_of(model).columns].index(name)


_CASE_ID = _column_index(Case, "id")
_CASE_SEQ = _column_index(Case, "change_seq")
_BLOB_SHA = _column_index(Blob, "sha256")
_BLOB_PRESENT = _column_index(Blob, "present")


@dataclass(frozen=True)
class _Copy:
    """How one table's rows travel in a pull: its columns as the central store returns
    them (no conversion on the way in), what turns each value into what the local store
    keeps, and the local upsert (one executemany, no per-row statement building)."""

    columns: tuple[Any, ...]
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]
    upsert: str

    def rows(self, fetched: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """Fetched rows as the local store keeps them."""
        if not self.converters:
            return [tuple(row) for row in fetched]
        converted = []
        for row in fetched:
            values = list(row)
            for i, process in self.converters:
                values[i] = process(values[i])
            converted.append(tuple(values))
        return converted


@functools.cache
def _copy_of(model: Any, from_postgres: bool, keep: frozenset[str] = frozenset()) -> _Copy:
    """``model``'s copy from a PostgreSQL or a SQLite central store; the columns in ``keep``
    are written only by an insert."""
    table = table_of(model)
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    if from_postgres:
        # Values come as psycopg gives them; each becomes what SQLAlchemy would have written
        # locally (times as UTC text, dates as text, booleans as 0/1). JSON is kept as the
        # central store's text: both keep it canonical (reviewdb.types.JSONText).
        for i, column in enumerate(table.columns):
            if isinstance(column.type, JSONText):
                continue
            process = column.type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
            if process is not None:
                converters.append((i, process))
    # A central SQLite file keeps every value as the local store does.
    names = [c.name for c in table.columns]
    pk = [c.name for c in table.primary_key.columns]
    kept = {*pk, *keep}
    changed = [n for n in names if n not in kept]
    upsert = (
        f"INSERT INTO {_quoted(table.name)} ({', '.join(map(_quoted, names))}) "
        f"VALUES ({', '.join('?' for _ in names)}) "
    )
    upsert += (
        f"ON CONFLICT ({', '.join(map(_quoted, pk))}) DO UPDATE SET "
        + ", ".join(f"{_quoted(n)} = excluded.{_quoted(n)}" for n in changed)
        if changed
        else "ON CONFLICT DO NOTHING"
    )
    return _Copy(
        tuple(type_coerce(c, NullType()) for c in table.columns), tuple(converters), upsert
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_OUTBOX = table_of(OutboxItem)
_DECISIONS = table_of(Decision)
# What a push reads of a waiting outbox item (Core rows: no ORM objects to build).
_WAITING_ITEMS = select(
    _OUTBOX.c.id, _OUTBOX.c.item_type, _OUTBOX.c.ref_id, _OUTBOX.c.body, _OUTBOX.c.created_at
).where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.quarantined.is_(False))
OutboxRow = Any  # one of _WAITING_ITEMS's rows: .id, .item_type, .ref_id, .body, .created_at
# Outcomes written per item (each has its own message); sent marks are written set-wise.
_QUARANTINE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("p_id"))
    .values(attempts=_OUTBOX.c.attempts + 1, quarantined=True, last_error=bindparam("p_error"))
)
_STILL_WAITING = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("p_id"))
    .values(attempts=_OUTBOX.c.attempts + 1, last_error=bindparam("p_error"))
)
STAGED = "staged"


class _Staging:
    """The arbiter as ``SyncEngine._apply_item`` sees it inside a push batch: a decision is
    kept here, to go up with the others of the batch (``SyncEngine._send_decisions``);
    everything else is the arbiter's own."""

    def __init__(self, ops: CentralOps) -> None:
        self.ops = ops
        self.item_id = ""  # the outbox item being applied
        self.decisions: list[tuple[str, DecisionRecord]] = []

    def submit_decision(self, rec: DecisionRecord) -> str:
        self.decisions.append((self.item_id, rec))
        return STAGED

    def take(self) -> list[tuple[str, DecisionRecord]]:
        taken, self.decisions = self.decisions, []
        return taken

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ops, name)


def _by_person(
    staged: Sequence[tuple[str, DecisionRecord]],
) -> list[list[tuple[str, DecisionRecord]]]:
    """Staged decisions grouped by person (one proof and one call each), persons in the
    order they first appear. When two persons' decisions share a case (or an id), which
    goes first matters: then consecutive runs of one person's decisions, in order."""
    groups: dict[str, list[tuple[str, DecisionRecord]]] = {}
    first: dict[tuple[str, str], str] = {}
    for entry in staged:
        rec = entry[1]
        for key in (("case", rec.case_id), ("id", rec.decision_id)):
            if first.setdefault(key, rec.reviewer_id) != rec.reviewer_id:
                runs: list[list[tuple[str, DecisionRecord]]] = []
                for e in staged:
                    if runs and runs[-1][-1][1].reviewer_id == e[1].reviewer_id:
                        runs[-1].append(e)
                    else:
                        runs.append([e])
                return runs
        groups.setdefault(rec.reviewer_id, []).append(entry)
    return list(groups.values())


def _send_one(cs: Session, send: Callable[[], str | None]) -> tuple[str | None, str | None]:
    """Send one item in its own savepoint: (state, None), (None, why it was refused for
    good) or (WAITS, why its person cannot be proven now). A lost connection propagates."""
    try:
        with cs.begin_nested():
            return send(), None
    except ArbiterRefusal as exc:
        error = f"{type(exc).__name__}: {_first_line(exc)}"
        return (WAITS, error) if exc.code in IDENTITY_REFUSALS else (None, error)
    except (IntegrityError, ValueError, KeyError, TypeError) as exc:
        return None, f"{type(exc).__name__}: {_first_line(exc)}"
    except DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc, OperationalError):
            raise
        return None, f"refused by the central store: {_first_line(exc)}"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    online: bool
    last_success: dt.datetime | None
    waiting: int
    quarantined: tuple[tuple[str, str, str], ...]  # (item id, type, error)
    read_only: str | None
    last_error: str | None
    pulled: int = 0  # rows the last round brought down (0: nothing to redraw)


@dataclass(frozen=True)
class PushResult:
    sent: int
    conflicts: int
    quarantined: int
    journal_sent: int


@dataclass(frozen=True)
class PullResult:
    cases: int
    claims: int
    users: int


class SyncEngine:
    """Moves work between one local store and one central store."""

    def __init__(
        self,
        local: Store,
        central: Store,
        *,
        districts: Sequence[str] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if not local.is_sqlite:
            raise SyncError("the local store of a workstation must be a SQLite file")
        self.local = local
        self.central = central
        self.districts = tuple(districts) if districts else None
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.online = False
        self.read_only: str | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._uploading = _uploader_lock(local)
        self._offset: float | None = None
        self._last_success: dt.datetime | None = None
        self._persisted_success: dt.datetime | None = None
        self._pulled_high: int | None = None
        self._last_pulled = 0
        self._proves_people: bool | None = None  # see _people_proven()

    # --- who acts (reviewdb/sql/identity.sql) ----------------------------------

    def _people_proven(self) -> bool:
        """Whether the central store must be shown each person's token: PostgreSQL reached
        through a workstation login. Its owner or a superuser (an administrator's own
        workstation, tests) and a SQLite central store act without tokens."""
        if self._proves_people is None:
            if self.central.engine.dialect.name != "postgresql":
                self._proves_people = False
            else:
                with self.central.read() as cs:
                    privileged = cs.scalar(
                        text(
                            "SELECT r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_class c "
                            "WHERE c.oid = 'public.cases'::regclass) "
                            "FROM pg_roles r WHERE r.rolname = session_user"
                        )
                    )
                self._proves_people = not privileged
        return self._proves_people

    def token_for(self, user_id: str) -> str | None:
        """The person's token this workstation holds, while it is valid."""
        with self.local.read() as s:
            row = s.get(StationToken, user_id)
            if row is None or row.expires_at <= self.clock():
                return None
            return row.token_id + "." + row.secret

    def ops(self, cs: Session, *, savepoints: bool = True) -> CentralOps:
        """The central arbiter for ``cs``, proving each person it acts for when it must."""
        tokens = self.token_for if self._people_proven() else None
        return ops_for(cs, savepoints=savepoints, tokens=tokens)

    def prove(self, user_id: str, password: str) -> bool | None:
        """The central store's verdict on a person's password (app.auth.login's ``central``).

        True: right, and this workstation now holds the person's token (PostgreSQL through a
        workstation login: PostgreSQL itself checked the password, as the person's own
        login). False: refused. None: unreachable, so the login falls back to this
        computer's verifier.
        """
        try:
            proven = self._people_proven()
            if not proven:
                with self.central.read() as cs:
                    stored = cs.scalar(select(User.password_hash).where(User.id == user_id))
                if not stored:
                    return False
                from app.auth import password_matches

                return password_matches(stored, password)
            with self.central.read() as cs:
                login_role = str(cs.scalar(text("SELECT session_user")))
                dbname = str(cs.scalar(text("SELECT current_database()")))
            with self.local.write() as s:
                sid = store_id(s)
            url = self.central.engine.url.render_as_string(hide_password=False)
            token = identity.issue_token(
                url, dbname, user_id, password, store_id=sid, login_role=login_role
            )
        except identity.PersonRefused:
            return False
        except (StoreUnavailable, OperationalError, DBAPIError):
            return None
        secret_id, _, secret = token.token.partition(".")
        with self.local.write() as s:
            s.merge(
                StationToken(
                    user_id=user_id,
                    token_id=secret_id,
                    secret=secret,
                    issued_at=self.clock(),
                    expires_at=token.expires_at,
                )
            )
        return True

    # --- time ---------------------------------------------------------------

    def server_now(self) -> dt.datetime:
        """The central clock as this workstation best knows it (measured offset applied)."""
        with self.local.read() as s:
            offset = float(_setting(s, "sync.clock_offset", "0") or 0)
        return self.clock() + dt.timedelta(seconds=offset)

    def _measure_clock(self, central_session: Session) -> None:
        central_now = store_now(central_session)
        offset = (central_now - self.clock()).total_seconds()
        # Written only when it moved: an idle round should not cost a local fsync.
        if self._offset is None or abs(offset - self._offset) > 1.0:
            with self.local.write() as s:
                _set(s, "sync.clock_offset", f"{offset:.3f}")
            self._offset = offset

    def _note_success(self) -> None:
        now = self.clock()
        self._last_success = now
        # Persisted at most once a minute (the status bar reads the in-memory value).
        if self._persisted_success is None or (now - self._persisted_success).total_seconds() > 60:
            with self.local.write() as s:
                _set(s, "sync.last_success", now.isoformat())
            self._persisted_success = now

    # --- versions -----------------------------------------------------------

    def check_version(self) -> None:
        """A client too old for the central schema goes read-only instead of half-syncing."""
        try:
            central_rev = migrate.current_revision(self.central)
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable(f"cannot reach the central store: {_first_line(exc)}") from exc
        head = migrate.head_revision()
        if central_rev is None:
            raise SyncError(
                "the central store is not initialised: run `reviewdesk central init URL`"
            )
        if central_rev not in migrate.known_revisions():
            self.read_only = (
                f"the central store is at schema {central_rev}, newer than this program ({head}): "
                "this workstation is read-only until it is upgraded"
            )
            raise ReadOnly(self.read_only)
        if central_rev != head:
            raise SyncError(
                f"the central store is at schema {central_rev}; run `reviewdesk central init` to upgrade it"
            )
        self.read_only = None

    # --- one round ----------------------------------------------------------

    def register(self) -> None:
        """Once: the central store gives this workstation its print serial range and keeps
        its journal key; at a PostgreSQL central store its chain is bound to this login.

        A workstation registered before keys (migration 0006) registers again, with its key.
        """
        with self.local.read() as s:
            if _setting(s, "sync.station_no") and _setting(s, "sync.journal_key_sent"):
                return
        with self.local.write() as s:
            sid = store_id(s)
            secret, keyed_from = journal.own_key(s)
        try:
            with self.central.write() as cs:
                number = self.ops(cs).register_station(sid, secret, keyed_from)
        except ArbiterRefusal as exc:
            raise SyncError(
                f"the central store refused to register this workstation ({exc}); nothing was "
                "lost: what waits here is sent once an administrator has sorted it out"
            ) from exc
        with self.local.write() as s:
            _set(s, "sync.station_no", str(number))
            _set(s, "sync.journal_key_sent", "1")

    def sync_once(self) -> tuple[PushResult, PullResult | None]:
        """Push, then pull if nothing local is waiting. Raises StoreUnavailable when offline."""
        with self._lock:
            try:
                self.check_version()
                self.register()
                pushed = self.push()
                pulled = None
                if self.waiting_count() == 0:
                    pulled = self.pull()
                self.online = True
                self.last_error = None
                self._last_pulled = (pulled.cases + pulled.claims + pulled.users) if pulled else 0
                self._note_success()
                return pushed, pulled
            except (OperationalError, DBAPIError, StoreUnavailable) as exc:
                self.online = False
                self.last_error = _first_line(exc)
                raise StoreUnavailable(f"central store unreachable: {self.last_error}") from exc

    def watch(
        self,
        interval: float = 5.0,
        stop: threading.Event | None = None,
        on_round: Callable[[str], None] | None = None,
    ) -> None:
        """Sync every ``interval`` seconds; after a failure, back off (capped) and try again."""
        stop = stop or threading.Event()
        failures = 0
        while not stop.is_set():
            try:
                pushed, pulled = self.sync_once()
                failures = 0
                if on_round:
                    on_round(
                        f"sent {pushed.sent} (conflicts {pushed.conflicts}), pulled {pulled.cases if pulled else 0} cases"
                    )
                delay = interval
            except StoreError as exc:  # SyncError and StoreUnavailable (network) alike
                failures += 1
                delay = min(BACKOFF_CAP, BACKOFF_BASE * 2**failures)
                if on_round:
                    on_round(f"sync failed ({exc}); retrying in {delay:.1f} s")
            except Exception as exc:  # noqa: BLE001 - the watcher must outlive any one round
                failures += 1
                delay = min(BACKOFF_CAP, BACKOFF_BASE * 2**failures)
                self.last_error = f"{type(exc).__name__}: {_first_line(exc)}"
                log.exception("sync round failed; retrying in %.1f s", delay)
                if on_round:
                    on_round(f"sync failed ({self.last_error}); retrying in {delay:.1f} s")
            stop.wait(delay)

    # --- status ---------------------------------------------------------------

    def waiting_count(self) -> int:
        with self.local.read() as s:
            return int(
                s.execute(
                    select(func.count())
                    .select_from(OutboxItem)
                    .where(OutboxItem.sent_at.is_(None), OutboxItem.quarantined.is_(False))
                ).scalar_one()
            )

    def status(self) -> SyncStatus:
        with self.local.read() as s:
            stored = _setting(s, "sync.last_success")
            last = self._last_success.isoformat() if self._last_success else stored
            quarantined = tuple(
                (r.id, r.item_type, r.last_error or "")
                for r in s.scalars(select(OutboxItem).where(OutboxItem.quarantined.is_(True)))
            )
        return SyncStatus(
            online=self.online,
            last_success=dt.datetime.fromisoformat(last) if last else None,
            waiting=self.waiting_count(),
            quarantined=quarantined,
            read_only=self.read_only,
            last_error=self.last_error,
            pulled=self._last_pulled,
        )

    # --- push -------------------------------------------------------------------

    def push(self) -> PushResult:
        """Send what waits in the outbox, then the journal; one uploader per local store."""
        with self._uploading:
            return self._push()

    def _push(self) -> PushResult:
        sent = conflicts = quarantined = 0
        # Each item is tried once per push (keyset on the outbox order): one that waits for
        # its person, or fails, does not hold the loop.
        after: tuple[Any, str] | None = None
        while True:
            query = _WAITING_ITEMS
            if after is not None:
                query = query.where(tuple_(_OUTBOX.c.created_at, _OUTBOX.c.id) > tuple_(*after))
            with self.local.read() as s:
                # Retry pacing lives in watch() (capped backoff for the whole engine); an
                # explicit sync tries everything that waits.
                page = s.execute(
                    query.order_by(_OUTBOX.c.created_at, _OUTBOX.c.id).limit(PUSH_PAGE)
                ).all()
            if not page:
                break
            after = (page[-1].created_at, page[-1].id)
            outcomes: dict[str, tuple[str | None, str | None]] = {}
            lost: set[str] = set()
            try:
                for start in range(0, len(page), PUSH_BATCH):
                    outcomes.update(self._push_batch(page[start : start + PUSH_BATCH]))
            finally:
                # What the central store committed is marked even when a later batch of the
                # page could not go (that batch has backed off already).
                done = [item for item in page if item.id in outcomes]
                if done:
                    counts, lost = self._record_outcomes(done, outcomes)
                    sent += counts[0]
                    conflicts += counts[1]
                    quarantined += counts[2]
            # A decision the central store kept as a conflict leaves the case as the central
            # store has it (often unchanged there, so no pull would bring it): take it now,
            # so the workstation shows the conflict, not the outcome it had hoped for.
            for case_id in sorted(lost):
                self.refresh_case(case_id)
        try:
            journal_sent = self._push_journal()
        except _JournalStuck:
            journal_sent = 0
        return PushResult(sent, conflicts, quarantined, journal_sent)

    def _record_outcomes(
        self,
        items: Sequence[OutboxRow],
        outcomes: dict[str, tuple[str | None, str | None]],
    ) -> tuple[tuple[int, int, int], set[str]]:
        """Write a batch's outcomes locally in one transaction (a few set-wise statements):
        sent, conflicts, quarantined; and the cases whose decision became a conflict."""
        now = self.clock()
        sent: list[str] = []
        print_conflicts: list[str] = []
        refused: list[dict[str, Any]] = []
        waiting: list[dict[str, Any]] = []
        decided: dict[str, list[str]] = {}
        lost: set[str] = set()
        for item in items:
            state, error = outcomes[item.id]
            if state == WAITS:
                waiting.append({"p_id": item.id, "p_error": error})
            elif error is not None:
                refused.append({"p_id": item.id, "p_error": error})
            else:
                sent.append(item.id)
                if item.item_type == "print" and state == "conflict":
                    # Recorded at the central store (it was printed), and shown: the slip in
                    # the family's hands no longer stands.
                    print_conflicts.append(item.id)
                if item.item_type == "decision" and state is not None:
                    decided.setdefault(state, []).append(item.ref_id)
                    if state == "conflict":
                        lost.add(str(item.body["case_id"]))
        with self.local.write() as s:
            conn = s.connection()
            if sent:
                conn.execute(
                    update(_OUTBOX)
                    .where(_OUTBOX.c.id.in_(sent))
                    .values(attempts=_OUTBOX.c.attempts + 1, sent_at=now, last_error=None)
                )
            if print_conflicts:
                conn.execute(
                    update(_OUTBOX)
                    .where(_OUTBOX.c.id.in_(print_conflicts))
                    .values(quarantined=True, last_error=PRINT_CONFLICT)
                )
            if refused:
                conn.execute(_QUARANTINE, refused)
            if waiting:
                conn.execute(_STILL_WAITING, waiting)
            for state, decision_ids in decided.items():
                conn.execute(
                    update(_DECISIONS)
                    .where(_DECISIONS.c.id.in_(decision_ids))
                    .values(state=state, effective=state in EFFECTIVE)
                )
        conflicts = len(print_conflicts) + len(decided.get("conflict", ()))
        return (len(sent), conflicts, len(refused)), lost

    def _push_batch(self, items: Sequence[OutboxRow]) -> dict[str, tuple[str | None, str | None]]:
        """One central transaction for ``items``; each item's (state, None), or (None, why
        it was refused for good), or (WAITS, why its person cannot be proven now).

        Decisions are collected as they come (``_apply_item`` talks to a :class:`_Staging`)
        and go up together, one call per person (:meth:`_send_decisions`), before any other
        item: a print goes after the decisions queued before it (it checks whether its
        decision stands), alone in its savepoint.
        """
        out: dict[str, tuple[str | None, str | None]] = {}
        try:
            with self.central.write() as cs:
                ops = self.ops(cs, savepoints=False)  # savepoints are opened here
                staging = _Staging(ops)
                for item in items:
                    if item.item_type == "decision":
                        staging.item_id = item.id
                        try:
                            self._apply_item(staging, item, cs)
                        except (ArbiterRefusal, ValueError, KeyError, TypeError) as exc:
                            out[item.id] = (None, f"{type(exc).__name__}: {_first_line(exc)}")
                        continue
                    self._send_decisions(ops, staging.take(), cs, out)
                    out[item.id] = _send_one(cs, functools.partial(self._apply_item, ops, item, cs))
                self._send_decisions(ops, staging.take(), cs, out)
        except (OperationalError, DBAPIError, StoreUnavailable) as exc:
            self._back_off(items, _first_line(exc))
            raise StoreUnavailable(_first_line(exc)) from exc
        return out

    @staticmethod
    def _send_decisions(
        ops: CentralOps,
        staged: Sequence[tuple[str, DecisionRecord]],
        cs: Session,
        out: dict[str, tuple[str | None, str | None]],
    ) -> None:
        """Send staged decisions (item id, record), one ``submit_decisions`` call per person.

        A call refused because of one decision (a rule, a bad id, a case out of reach) is
        rolled back and its decisions are sent again in halves, in order, each half in its
        own savepoint, down to single decisions, which go alone (``submit_decision``, in
        their own savepoint): only the refused one is quarantined, with today's message, and
        every other one gets what the call would have given it (the decisions of one call
        are independent: a case or an id twice makes the function take them one by one).
        A call refused because the person cannot be proven leaves all of them waiting.
        """
        for group in _by_person(staged):
            SyncEngine._send_group(ops, group, cs, out)

    @staticmethod
    def _send_group(
        ops: CentralOps,
        group: Sequence[tuple[str, DecisionRecord]],
        cs: Session,
        out: dict[str, tuple[str | None, str | None]],
    ) -> None:
        """One person's decisions in one call; refused, bisected (see :meth:`_send_decisions`)."""
        if len(group) == 1:
            item_id, rec = group[0]
            out[item_id] = _send_one(cs, functools.partial(ops.submit_decision, rec))
            return
        try:
            with cs.begin_nested():
                states = ops.submit_decisions([rec for _, rec in group])
        except ArbiterRefusal as exc:
            if exc.code in IDENTITY_REFUSALS:
                for item_id, _ in group:
                    out[item_id] = (WAITS, f"{type(exc).__name__}: {_first_line(exc)}")
                return
        except (IntegrityError, ValueError, KeyError, TypeError):
            pass
        except DBAPIError as exc:
            if exc.connection_invalidated or isinstance(exc, OperationalError):
                raise
        else:
            for (item_id, _), state in zip(group, states, strict=True):
                out[item_id] = (state, None)
            return
        half = len(group) // 2
        SyncEngine._send_group(ops, group[:half], cs, out)
        SyncEngine._send_group(ops, group[half:], cs, out)

    def _back_off(self, items: Sequence[OutboxRow], error: str) -> None:
        now = self.clock()
        with self.local.write() as s:
            for item in items:
                row = s.get(OutboxItem, item.id)
                if row is None:
                    continue
                row.attempts += 1
                row.last_error = error
                row.next_attempt_at = now + dt.timedelta(
                    seconds=min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(row.attempts, 10))
                )

    @staticmethod
    def _apply_item(ops: Any, item: OutboxRow, cs: Session) -> str | None:
        """Send one outbox item through ``ops``; the state the arbiter answered. In a push
        batch ``ops`` stages a decision (the batch sends them together), so its answer is
        known only once the batch has sent them."""
        body = item.body
        if item.item_type == "decision":
            return str(ops.submit_decision(DecisionRecord.from_wire(body)))
        if item.item_type == "print":
            row = dict(body)
            row["device_time"] = dt.datetime.fromisoformat(row["device_time"])
            ops.record_print(row)
            decision_id = row.get("decision_id")
            if decision_id:
                standing = cs.scalar(select(Decision.effective).where(Decision.id == decision_id))
                if standing is False:
                    return "conflict"  # printed for a decision undone meanwhile
            return None
        raise ValueError(f"unknown outbox item type {item.item_type!r}")

    def _push_journal(self) -> int:
        """Send the local journal after the central copy's mark, in order, then keep the
        central store's latest seal of the chain heads (``audit verify`` checks it here).

        A batch the central store refuses is sent entry by entry: an entry refused for good
        is quarantined (shown in the status) and its position is sent alone, withheld (its
        hash and key mark, not its content), so the rest keeps flowing; a chain position
        the central copy holds with another entry means this store was restored from an
        older backup, and the chain is re-aligned with the central copy.
        """
        self.register()  # the chain is this workstation's, its key known, before any entry
        sent = self._push_journal_entries()
        self._keep_seal()
        return sent

    def _keep_seal(self) -> None:
        """Keep the central store's newest seal (a settings row every login may read)."""
        with self.central.read() as cs:
            found = {
                str(k): str(v)
                for k, v in cs.execute(
                    select(Setting.key, Setting.value).where(
                        Setting.key.in_((journal.SEAL, journal.SEAL_KEY))
                    )
                )
            }
        seal, key = found.get(journal.SEAL), found.get(journal.SEAL_KEY)
        if seal is None or key is None:
            return
        with self.local.read() as s:
            if _setting(s, journal.SEAL) == seal:
                return
        with self.local.write() as s:
            problem = journal.keep_seal(s, seal, key)
        if problem is not None:
            log.warning("the central store's journal seal was not kept: %s", problem)

    def _push_journal_entries(self) -> int:
        sent = 0
        with self.local.read() as s:
            chain = _setting(s, "store_id")
        if chain is None:
            with self.local.write() as s:
                chain = store_id(s)
        while True:
            with self.local.read() as s:
                done = int(_setting(s, "sync.journal_sent_seq", "0") or 0)
                entries = list(
                    s.scalars(
                        select(JournalEntry)
                        .where(JournalEntry.seq > done)
                        .order_by(JournalEntry.seq)
                        .limit(JOURNAL_BATCH)
                    )
                )
            if not entries:
                return sent
            try:
                self._append_central(chain, entries)
            except (ArbiterRefusal, DBAPIError) as exc:
                if not _refused_for_good(exc):
                    raise
                sent += self._push_journal_singly(chain, entries)
                continue
            with self.local.write() as s:
                _set_forward(s, "sync.journal_sent_seq", entries[-1].seq)
            sent += len(entries)

    def _append_central(
        self, chain: str, entries: Sequence[JournalEntry], *, withheld: str | None = None
    ) -> None:
        """Send ``entries``; ``withheld`` (one refused entry): its position alone, with why."""
        payload: list[dict[str, Any]] = [
            {
                "chain": chain,
                "seq": e.seq,
                "entry_id": e.entry_id,
                "actor": e.actor,
                "workstation": e.workstation,
                "device_time": e.device_time,
                "store_time": e.store_time,
                "action": e.action,
                "case_id": e.case_id,
                "payload": e.payload,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "mac": e.mac,
            }
            if withheld is None
            # What was refused stays here; what links the chain goes up (text the central
            # store cannot hold, a NUL or an over-long value, made to fit).
            else {
                "chain": chain,
                "seq": e.seq,
                "entry_id": e.entry_id,
                "actor": _fit(e.actor, 64),
                "workstation": _fit(e.workstation, 64) or "-",
                "device_time": e.device_time,
                "store_time": e.store_time,
                "action": _fit(e.action, 32) or "-",
                "case_id": None,
                "payload": {},
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "mac": e.mac,
                "withheld": _fit(withheld, 500),
            }
            for e in entries
        ]
        with self.central.write() as cs:
            self.ops(cs).append_journal(payload)

    def _push_journal_singly(self, chain: str, entries: Sequence[JournalEntry]) -> int:
        """The slow path after a refused batch: one entry per central transaction."""
        sent = 0
        for e in entries:
            try:
                self._append_central(chain, [e])
            except (ArbiterRefusal, DBAPIError) as exc:
                if not _refused_for_good(exc):
                    raise
                if self._central_holds_other(chain, e):
                    try:
                        self._realign(chain, e.seq)
                    except SyncError as fork:
                        # Shown, and tried again next round; decisions and pulls go on.
                        self._quarantine_journal(e, str(fork))
                        raise _JournalStuck from fork
                    return sent  # the caller reads the re-aligned journal again
                reason = f"{type(exc).__name__}: {_first_line(exc)}"
                self._quarantine_journal(e, reason)
                try:
                    # The chain goes on only through this position: send it withheld.
                    self._append_central(chain, [e], withheld=reason)
                except (ArbiterRefusal, DBAPIError) as again:
                    if not _refused_for_good(again):
                        raise
                    log.warning(
                        "journal entry %d refused even withheld (%s): the journal waits",
                        e.seq,
                        _first_line(again),
                    )
                    raise _JournalStuck from again
            else:
                sent += 1
            with self.local.write() as s:
                _set_forward(s, "sync.journal_sent_seq", e.seq)
        return sent

    def _central_holds_other(self, chain: str, entry: JournalEntry) -> bool:
        with self.central.read() as cs:
            theirs = cs.scalars(
                select(CentralJournalEntry.hash).where(
                    CentralJournalEntry.chain == chain, CentralJournalEntry.seq == entry.seq
                )
            ).first()
        return theirs is not None and theirs != entry.hash

    def _realign(self, chain: str, fork: int) -> None:
        """This store was restored from an older backup: the central copy of its chain
        goes on past what this store has. Take the central entries back (they are this
        workstation's own history) and re-chain the entries written since the restore after
        them. Entries that never left this store are the only ones re-chained."""
        with self.central.read() as cs:
            theirs = list(
                cs.scalars(
                    select(CentralJournalEntry)
                    .where(CentralJournalEntry.chain == chain, CentralJournalEntry.seq >= fork)
                    .order_by(CentralJournalEntry.seq)
                )
            )
        with self.local.write() as s:
            before = s.scalars(select(JournalEntry).where(JournalEntry.seq == fork - 1)).first()
            ours = list(
                s.scalars(
                    select(JournalEntry).where(JournalEntry.seq >= fork).order_by(JournalEntry.seq)
                )
            )
            contiguous = [c.seq for c in theirs] == list(range(fork, fork + len(theirs)))
            same_past = theirs and theirs[0].prev_hash == (before.hash if before else GENESIS)
            if not (contiguous and same_past):
                raise SyncError(
                    f"the journal of this workstation and the central copy differ from entry "
                    f"{fork} and the central copy cannot be read whole: ask an administrator "
                    "(nothing was changed)"
                )
            known = {c.entry_id for c in theirs}
            mine = [_snapshot(e) for e in ours if e.entry_id not in known]
            # A withheld central entry has no content: this store's own copy keeps it.
            kept = {e.entry_id: _snapshot(e) for e in ours if e.entry_id in known}
            s.execute(delete(JournalEntry).where(JournalEntry.seq >= fork))
            for c in theirs:
                body: Any = c
                own = kept.get(c.entry_id)
                if c.withheld is not None and own is not None:
                    body = own
                s.add(
                    JournalEntry(
                        seq=c.seq,
                        entry_id=c.entry_id,
                        actor=body.actor,
                        workstation=body.workstation,
                        device_time=body.device_time,
                        store_time=body.store_time,
                        action=body.action,
                        case_id=body.case_id,
                        payload=body.payload,
                        prev_hash=c.prev_hash,
                        hash=c.hash,
                        mac=c.mac,
                    )
                )
            s.flush()
            journal.rechain(s, theirs[-1].seq, theirs[-1].hash, mine)
            _set_forward(s, "sync.journal_sent_seq", theirs[-1].seq)
        log.warning(
            "journal re-aligned with the central copy at entry %d: %d entries taken back, "
            "%d re-chained after them",
            fork,
            len(theirs),
            len(mine),
        )

    def _quarantine_journal(self, entry: JournalEntry, error: str) -> None:
        with self.local.write() as s:
            already = s.scalars(
                select(OutboxItem.id).where(
                    OutboxItem.item_type == "journal", OutboxItem.ref_id == entry.entry_id
                )
            ).first()
            if already is not None:
                return
            s.add(
                OutboxItem(
                    id=str(uuid.uuid4()),
                    item_type="journal",
                    ref_id=entry.entry_id,
                    body={"seq": entry.seq, "action": entry.action},
                    created_at=self.clock(),
                    attempts=1,
                    quarantined=True,
                    last_error=f"journal entry {entry.seq} refused by the central store: {error}",
                )
            )

    # --- pull -------------------------------------------------------------------

    def _scope(self, model: Any) -> Any:
        if self.districts is None:
            return True
        return model.district_code.in_(self.districts)

    def pull(self, progress: Callable[[int], None] | None = None) -> PullResult:
        with self.central.read() as cs:
            high = committed_change_value(cs)
            self._measure_clock(cs)
            if high == self._pulled_high:
                # Nothing committed centrally since the last complete pull: an idle round
                # is two small queries.
                return PullResult(0, 0, 0)
            districts = _rows(cs, District, True)
        # A first pull brings each case's claim with the case, read after ``high`` was (so
        # at least that new), and claims of cases not brought are not kept here anyway: the
        # claims up to ``high`` need no pass of their own.
        first = self._cursor("cases") == (0, "") and self._cursor("claims") == (0, "")
        with self._page_write() as s:
            _upsert(s, District, districts)
        users = self._pull_users(high)
        cases = self._pull_cases(high, progress)
        if first:
            with self.local.write() as s:
                _set_cursor_forward(s, "sync.cursor.claims", high, "")
        claims = self._pull_claims(high)
        self._pull_qa(high)
        self._pulled_high = high
        return PullResult(cases, claims, users)

    @contextlib.contextmanager
    def _page_write(self) -> Iterator[Session]:
        """The local transaction of one pull page. A page of cases touches index pages all
        over the file; SQLite's default page cache (2 MB) holds a fraction of them once the
        store has tens of thousands of cases, so each page would read and spill them again:
        the pull writes with a bigger one (``PULL_CACHE_KB``, per connection)."""
        with self.local.write() as s:
            s.execute(text(f"PRAGMA cache_size = -{PULL_CACHE_KB}"))
            yield s

    def _cursor(self, name: str) -> tuple[int, str]:
        with self.local.read() as s:
            raw = _setting(s, f"sync.cursor.{name}", "0|")
        assert raw is not None
        seq, _, key = raw.partition("|")
        return int(seq), key

    def _pull_users(self, high: int) -> int:
        total = 0
        seq, key = self._cursor("users")
        while True:
            with self.central.read() as cs:
                users = list(
                    cs.execute(
                        select(*_PULLED_USER_COLUMNS)
                        .where(
                            User.change_seq <= high,
                            tuple_(User.change_seq, User.id) > tuple_(seq, key),
                        )
                        .order_by(User.change_seq, User.id)
                        .limit(PAGE)
                    ).mappings()
                )
                ids = [u["id"] for u in users]
                links = _rows(cs, UserDistrict, UserDistrict.user_id.in_(ids)) if ids else []
            if not users:
                return total
            with self._page_write() as s:
                # A new person has no verifier here until they log in on this computer
                # while online (app.auth.login); the lockout counts stay this computer's.
                _upsert(
                    s, User, [{**_LOCAL_USER_FIELDS, **u} for u in users], keep=_LOCAL_USER_FIELDS
                )
                s.execute(delete(UserDistrict).where(UserDistrict.user_id.in_(ids)))
                _upsert(s, UserDistrict, links)
                seq, key = users[-1]["change_seq"], users[-1]["id"]
                _set_cursor_forward(s, "sync.cursor.users", seq, key)
            total += len(users)

    def _pull_cases(self, high: int, progress: Callable[[int], None] | None) -> int:
        """Cases changed up to ``high`` with everything hanging off them: a page of ``PAGE``
        cases and its cursor per local transaction."""
        total = 0
        seq, key = self._cursor("cases")
        while True:
            window = [
                self._scope(Case),
                Case.change_seq <= high,
                Case.change_seq >= seq,
                tuple_(Case.change_seq, Case.id) > tuple_(seq, key),
            ]
            keyset = select(Case.change_seq, Case.id).where(*window)
            keyset = keyset.order_by(Case.change_seq, Case.id)
            with self.central.read() as cs:
                if cs.execute(keyset.limit(1)).first() is None:
                    return total
                # The page ends at its PAGE-th case (none: the rest is the last page).
                bound = cs.execute(keyset.offset(PAGE - 1).limit(1)).first()
                if bound is not None:
                    window += [
                        Case.change_seq <= bound[0],
                        tuple_(Case.change_seq, Case.id) <= tuple_(bound[0], bound[1]),
                    ]
                with self._page_write() as s:
                    copied = self._copy_cases(cs, s, and_(*window))
                    # The page and its cursor commit together (SYNC.md lesson 5). A case of
                    # the window that changed meanwhile is not in the page: its number is
                    # above ``high`` now, so the next pull brings it.
                    if bound is not None:
                        seq, key = int(bound[0] or 0), str(bound[1])
                    elif copied:
                        seq, key = max(copied)
                    _set_cursor_forward(s, "sync.cursor.cases", seq, key)
            total += len(copied)
            if progress:
                progress(total)
            if bound is None:
                return total

    def _copy_cases(self, cs: Session, s: Session, cases: Any) -> list[tuple[int, str]]:
        """Copy the cases that ``cases`` (a condition on Case) selects, and everything that
        hangs off them, from the central session ``cs`` into the local one ``s``: table by
        table (one table's rows in memory at a time), row for row as the central store has
        them, each table in one set-wise upsert. Returns each copied case's (change number,
        id).

        Each table is selected in SQL by how its rows hang off the cases (no ids go back
        and forth), parents before the cases and children after them: a case that changes
        meanwhile (its number goes above the pull's ``high``) can only leave the selection,
        so every row copied has its parents copied too.
        """
        from_postgres = cs.get_bind().dialect.name == "postgresql"
        ids = select(Case.id).where(cases)
        apps = select(Case.application_id).where(cases)
        rounds = select(CaseRound.id).where(CaseRound.case_id.in_(ids))
        where: dict[Any, Any] = {
            School: School.id.in_(select(Case.school_id).where(cases)),
            Student: Student.id.in_(select(Application.student_id).where(Application.id.in_(apps))),
            Application: Application.id.in_(apps),
            Case: cases,
            Claim: Claim.case_id.in_(ids),
            CaseRound: CaseRound.case_id.in_(ids),
            Blob: Blob.sha256.in_(select(Attachment.sha256).where(Attachment.round_id.in_(rounds))),
            FindingRow: FindingRow.case_id.in_(ids),
            Decision: Decision.case_id.in_(ids),
            NoticePrint: NoticePrint.case_id.in_(ids),
            # 抽查: a case's samples come with it (and their draws before them), so one
            # the QA pass could not place yet (its case not here) arrives with its case.
            QaDraw: QaDraw.id.in_(select(QaSample.draw_id).where(QaSample.case_id.in_(ids))),
            QaSample: QaSample.case_id.in_(ids),
        }
        conn = s.connection()
        copied: list[tuple[int, str]] = []
        for model in _PAGE_TABLES:
            copy = _copy_of(model, from_postgres)
            condition = where.get(model)
            if condition is None:  # a round's facts and documents
                condition = model.round_id.in_(rounds)
            rows = copy.rows(cs.execute(select(*copy.columns).where(condition)))
            if model is Case:
                copied = [(int(r[_CASE_SEQ] or 0), str(r[_CASE_ID])) for r in rows]
            elif model is Blob:
                # Images stay where they are until someone looks: a blob row is present
                # locally only when its file is here and verified.
                rows = [
                    (
                        *b[:_BLOB_PRESENT],
                        self.local.blobs.has(b[_BLOB_SHA]),
                        *b[_BLOB_PRESENT + 1 :],
                    )
                    for b in rows
                ]
            elif model is FindingRow:
                # A case's findings are replaced whole.
                for start in range(0, len(copied), 500):
                    chunk = [case_id for _, case_id in copied[start : start + 500]]
                    conn.execute(delete(FindingRow).where(FindingRow.case_id.in_(chunk)))
            # Central decisions are truth; local decisions still waiting to go up (not at
            # the central store yet) are left alone.
            if rows:
                conn.exec_driver_sql(copy.upsert, rows)
        return copied

    def _pull_claims(self, high: int) -> int:
        total = 0
        seq, key = self._cursor("claims")
        while True:
            with self.central.read() as cs:
                stmt = (
                    select(Claim.__table__)
                    .join(Case, Case.id == Claim.case_id)
                    .where(
                        Claim.change_seq <= high,
                        tuple_(Claim.change_seq, Claim.case_id) > tuple_(seq, key),
                    )
                    .order_by(Claim.change_seq, Claim.case_id)
                    .limit(PAGE)
                )
                if self.districts is not None:
                    stmt = stmt.where(Case.district_code.in_(self.districts))
                rows = [dict(r) for r in cs.execute(stmt).mappings()]
            if not rows:
                return total
            with self._page_write() as s:
                known = set(
                    s.scalars(select(Case.id).where(Case.id.in_([r["case_id"] for r in rows])))
                )
                _upsert(s, Claim, [r for r in rows if r["case_id"] in known])
                seq, key = rows[-1]["change_seq"], rows[-1]["case_id"]
                _set_cursor_forward(s, "sync.cursor.claims", seq, key)
            total += len(rows)

    def _pull_qa(self, high: int) -> int:
        """抽查 draws and samples changed up to ``high``: the district's draws, then the
        samples of cases held here. A sample whose case or decisions are not here yet is
        passed over: it comes with its case's page (``_copy_cases``)."""
        total = 0
        seq, key = self._cursor("qa_draws")
        while True:
            with self.central.read() as cs:
                stmt = (
                    select(QaDraw.__table__)
                    .where(
                        QaDraw.change_seq <= high,
                        tuple_(QaDraw.change_seq, QaDraw.id) > tuple_(seq, key),
                        self._scope(QaDraw),
                    )
                    .order_by(QaDraw.change_seq, QaDraw.id)
                    .limit(PAGE)
                )
                draws = [dict(r) for r in cs.execute(stmt).mappings()]
            if not draws:
                break
            with self._page_write() as s:
                _upsert(s, QaDraw, draws)
                seq, key = draws[-1]["change_seq"], draws[-1]["id"]
                _set_cursor_forward(s, "sync.cursor.qa_draws", seq, key)
            total += len(draws)
        seq, key = self._cursor("qa_samples")
        while True:
            with self.central.read() as cs:
                stmt = (
                    select(QaSample.__table__)
                    .join(Case, Case.id == QaSample.case_id)
                    .where(
                        QaSample.change_seq <= high,
                        tuple_(QaSample.change_seq, QaSample.decision_id) > tuple_(seq, key),
                        self._scope(Case),
                    )
                    .order_by(QaSample.change_seq, QaSample.decision_id)
                    .limit(PAGE)
                )
                rows = [dict(r) for r in cs.execute(stmt).mappings()]
            if not rows:
                return total
            with self._page_write() as s:
                wanted = {r["decision_id"] for r in rows} | {
                    r["overturned_by"] for r in rows if r["overturned_by"]
                }
                here = set(s.scalars(select(Decision.id).where(Decision.id.in_(wanted))))
                draws_here = set(
                    s.scalars(select(QaDraw.id).where(QaDraw.id.in_({r["draw_id"] for r in rows})))
                )
                placed = [
                    r
                    for r in rows
                    if r["decision_id"] in here
                    and (r["overturned_by"] is None or r["overturned_by"] in here)
                    and r["draw_id"] in draws_here
                ]
                _upsert(s, QaSample, placed)
                seq, key = rows[-1]["change_seq"], rows[-1]["decision_id"]
                _set_cursor_forward(s, "sync.cursor.qa_samples", seq, key)
            total += len(rows)

    def _people_now(self) -> int:
        """Pull the people changed up to now; the change number they were pulled up to."""
        with self.central.read() as cs:
            high = committed_change_value(cs)
        self._pull_users(high)
        return high

    def refresh_qa(self) -> None:
        """Bring 抽查 down now (after a draw, verdict or settlement at the arbiter): the
        people (a sample names them) and the draws and samples; nothing else is pulled, so
        local work waiting to go up is not touched."""
        self._pull_qa(self._people_now())

    def refresh_case(self, case_id: str) -> None:
        """Bring one case's central state down now (after a confirm or undo at the arbiter),
        its 抽查 rows with it.

        People first: the case's 抽查 rows name its drawer and checker, who may be newer
        than this computer's last pull (their rows must be here before the case's)."""
        self._people_now()
        with self.central.read() as cs, self.local.write() as s:
            self._copy_cases(cs, s, Case.id == case_id)

    # --- images -------------------------------------------------------------------

    def ensure_blob(self, sha256: str) -> bytes:
        """The image's bytes, downloaded from the central store if this computer lacks them."""
        if self.local.blobs.has(sha256):
            return self.local.blobs.get(sha256)
        try:
            data = self.central.blobs.get(sha256)
        except (OperationalError, DBAPIError) as exc:
            raise BlobError(
                f"image {sha256[:12]}… is not on this computer and the central store is unreachable"
            ) from exc
        if sha256_hex(data) != sha256:
            raise BlobError(f"image {sha256[:12]}… arrived corrupted; it will be fetched again")
        self.local.blobs.put(data, expected_sha256=sha256)
        with self.local.write() as s:
            s.execute(update(Blob).where(Blob.sha256 == sha256).values(present=True))
        return data

    def prefetch(self, shas: Iterable[str]) -> int:
        fetched = 0
        for sha in shas:
            if not self.local.blobs.has(sha):
                self.ensure_blob(sha)
                fetched += 1
        return fetched

    # --- claims at the central store ---------------------------------------------

    def central_claim(
        self,
        case_id: str,
        user_id: str,
        workstation: str,
        lease: dt.timedelta,
    ) -> ClaimInfo:
        """Win (or keep) the lease at the arbiter, then mirror it locally (checkout)."""
        with self.central.write() as cs:
            info = self.ops(cs).claim(case_id, user_id, workstation, lease)
        self.mirror_claim(case_id)
        return info

    def mirror_claim(self, case_id: str) -> None:
        """Copy the case's claim row as the central store has it now."""
        with self.central.read() as cs:
            claim_row = _rows(cs, Claim, Claim.case_id == case_id)
        with self.local.write() as s:
            _upsert(s, Claim, claim_row)

    def checkout(
        self,
        school: str,
        user_id: str,
        workstation: str,
        lease: dt.timedelta,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[list[str], list[str]]:
        """Claim a school's open cases for a long lease and pull their images: on-site mode.

        Returns (case numbers checked out, case numbers held by someone else).
        """
        self.sync_once()
        with self.local.read() as s:
            rows = s.execute(
                select(Case.id, Case.case_no)
                .join(School, School.id == Case.school_id)
                .where(
                    or_(
                        School.name == school,
                        School.id == (int(school) if school.isdigit() else -1),
                    ),
                    Case.status == "pending",
                )
                .order_by(Case.case_no)
            ).all()
        done: list[str] = []
        skipped: list[str] = []
        for i, (case_id, case_no) in enumerate(rows):
            try:
                self.central_claim(case_id, user_id, workstation, lease)
                done.append(case_no)
            except ArbiterRefusal:
                skipped.append(case_no)
            if progress:
                progress(i + 1, len(rows))
        with self.local.read() as s:
            shas = list(
                s.scalars(
                    select(Attachment.sha256)
                    .join(CaseRound, CaseRound.id == Attachment.round_id)
                    .join(
                        Case,
                        and_(
                            Case.id == CaseRound.case_id, Case.current_round == CaseRound.round_no
                        ),
                    )
                    .where(Case.case_no.in_(done))
                )
            )
        self.prefetch(shas)
        return done, skipped


def enqueue_decision(session: Session, rec: DecisionRecord) -> None:
    """Write the outbox row in the caller's transaction (with the local decision)."""
    session.add(
        OutboxItem(
            id=str(uuid.uuid4()),
            item_type="decision",
            ref_id=rec.decision_id,
            body=rec.to_wire(),
            created_at=dt.datetime.now(dt.UTC),
            attempts=0,
            quarantined=False,
        )
    )


PRINT_CONFLICT = (
    "printed for a decision that no longer stands at the central store (undone or "
    "superseded meanwhile): the slip given out is not valid - a supervisor must follow up"
)


def _fit(value: str | None, limit: int) -> str | None:
    """Text the central store can hold: no NUL, at most ``limit`` characters."""
    return None if value is None else value.replace("\x00", "")[:limit]


def station_code(session: Session) -> str | None:
    """This workstation's print serial range, once the central store has given it one."""
    value = _setting(session, "sync.station_no")
    return f"{int(value):03d}" if value else None


def enqueue_print(session: Session, row: dict[str, Any]) -> None:
    body = {
        k: (v.isoformat() if isinstance(v, dt.datetime) else v)
        for k, v in row.items()
        if k not in ("store_time", "change_seq")
    }
    session.add(
        OutboxItem(
            id=str(uuid.uuid4()),
            item_type="print",
            ref_id=row["id"],
            body=body,
            created_at=dt.datetime.now(dt.UTC),
            attempts=0,
            quarantined=False,
        )
    )


def central_store(url: str) -> Store:
    """Open the central store (images: in PostgreSQL, or beside a central SQLite file).

    A central SQLite file is shared by the office's workstations, so it runs with the
    rollback journal, never WAL (docs/sync.md).
    """
    return Store(url, shared_file=True)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def clock_skew_seconds() -> float:
    """Test hook: REVIEWDESK_CLOCK_SKEW_SECONDS simulates a workstation whose clock is wrong."""
    try:
        return float(os.environ.get("REVIEWDESK_CLOCK_SKEW_SECONDS", "0"))
    except ValueError:
        return 0.0


def skewed_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=clock_skew_seconds())


def wait_drained(engine: SyncEngine, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine.waiting_count() == 0:
            return True
        time.sleep(0.05)
    return False
