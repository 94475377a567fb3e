"""The append-only audit journal: hash-chained entries and the verifier that checks them.

Each entry's hash covers its own canonical content and the previous entry's hash, so
altering, removing or inserting any row breaks the chain exactly there. Appends are
serialised (BEGIN IMMEDIATE on SQLite, a transaction-scoped advisory lock on
PostgreSQL) so two writers can never take the same sequence number or fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from reviewdb.models import CentralJournalEntry, JournalEntry, table_of

GENESIS = "0" * 64
# Any constant works; it names the lock that serialises journal appends on PostgreSQL.
_PG_JOURNAL_LOCK = 0x52445F4A524E4C  # "RD_JRNL"


def canonical(
    seq: int,
    entry_id: str,
    actor: str | None,
    workstation: str,
    device_time: dt.datetime,
    store_time: dt.datetime,
    action: str,
    case_id: str | None,
    payload: dict[str, Any],
    prev_hash: str,
) -> bytes:
    """The exact bytes an entry's hash is computed over."""
    body = {
        "seq": seq,
        "id": entry_id,
        "actor": actor,
        "ws": workstation,
        "dev": _ts(device_time),
        "store": _ts(store_time),
        "action": action,
        "case": case_id,
        "payload": payload,
        "prev": prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _ts(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(entry: Any) -> str:
    return hashlib.sha256(
        canonical(
            entry.seq,
            entry.entry_id,
            entry.actor,
            entry.workstation,
            entry.device_time,
            entry.store_time,
            entry.action,
            entry.case_id,
            entry.payload,
            entry.prev_hash,
        )
    ).hexdigest()


def rechain(session: Session, after_seq: int, prev_hash: str, entries: list[Any]) -> int:
    """Write ``entries`` (their content: ids, actors, times, actions, payloads) as the chain's
    continuation after ``after_seq``/``prev_hash``, with new positions and hashes; returns
    the last position. For a workstation re-aligning with the central copy of its chain:
    only entries that never left this store may be re-chained."""
    conn = session.connection()
    seq, prev = after_seq, prev_hash
    for e in entries:
        seq += 1
        prev = _write(
            conn,
            seq=seq,
            entry_id=e.entry_id,
            actor=e.actor,
            workstation=e.workstation,
            device_time=e.device_time,
            store_time=e.store_time,
            action=e.action,
            case_id=e.case_id,
            payload=e.payload,
            prev_hash=prev,
            change_seq=getattr(e, "change_seq", None),
        )
    return seq


def _write(conn: Any, *, prev_hash: str, **entry: Any) -> str:
    """Hash one entry onto ``prev_hash`` and insert it; returns its hash (the one place an
    entry's hash is computed from its fields for writing)."""
    digest = hashlib.sha256(
        canonical(
            entry["seq"],
            entry["entry_id"],
            entry["actor"],
            entry["workstation"],
            entry["device_time"],
            entry["store_time"],
            entry["action"],
            entry["case_id"],
            entry["payload"],
            prev_hash,
        )
    ).hexdigest()
    conn.execute(_INSERT, {**entry, "prev_hash": prev_hash, "hash": digest})
    return digest


def store_now(session: Session) -> dt.datetime:
    """The store's clock (server time on PostgreSQL), never the workstation's."""
    if session.get_bind().dialect.name == "postgresql":
        value = session.execute(text("SELECT clock_timestamp()")).scalar_one()
        assert isinstance(value, dt.datetime)
        return value.astimezone(dt.UTC)
    return dt.datetime.now(dt.UTC)


# Built once: every audited action runs them, as Core statements on the session's own
# connection (the ORM's unit of work costs more than SQLite needs to write the row).
_JOURNAL = table_of(JournalEntry)
_LAST = select(_JOURNAL.c.seq, _JOURNAL.c.hash).order_by(_JOURNAL.c.seq.desc()).limit(1)
_INSERT = insert(_JOURNAL)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:k)")


def append(
    session: Session,
    *,
    action: str,
    actor: str | None,
    workstation: str,
    case_id: str | None = None,
    payload: dict[str, Any] | None = None,
    device_time: dt.datetime | None = None,
    store_time: dt.datetime | None = None,
    change_seq: int | None = None,
) -> None:
    """Append one entry inside the caller's (writing) transaction, written at once.

    Lock order (PostgreSQL): a transaction that also takes the change counter takes it
    first (``changes.stamp``/``next_value``) and passes the value as ``change_seq``; the
    journal's advisory lock comes after. Every writer keeping that order is what rules
    out a deadlock between the two.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_PG_LOCK, {"k": _PG_JOURNAL_LOCK})
    last = conn.execute(_LAST).first()
    seq = (last[0] + 1) if last else 1
    prev_hash = last[1] if last else GENESIS
    now = store_time or store_now(session)
    _write(
        conn,
        seq=seq,
        entry_id=str(uuid.uuid4()),
        actor=actor,
        workstation=workstation,
        device_time=device_time or dt.datetime.now(dt.UTC),
        store_time=now,
        action=action,
        case_id=case_id,
        payload=payload or {},
        prev_hash=prev_hash,
        change_seq=change_seq,
    )


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking the chain: ``ok`` or the first broken entry and why."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str | None = None


def _iter_entries(session: Session, batch: int = 2000, chain: str | None = None) -> Iterator[Any]:
    model: Any = JournalEntry if chain is None else CentralJournalEntry
    last = 0
    while True:
        stmt = select(model).where(model.seq > last)
        if chain is not None:
            stmt = stmt.where(model.chain == chain)
        rows = session.scalars(stmt.order_by(model.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(session: Session) -> VerifyResult:
    """Walk this store's chain from the start and name the first entry that does not fit."""
    return _verify(_iter_entries(session))


def verify_chain(session: Session, chain: str) -> VerifyResult:
    """The same check for one workstation's chain as uploaded to the central store."""
    return _verify(_iter_entries(session, chain=chain))


def _verify(entries: Iterator[Any]) -> VerifyResult:
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                return VerifyResult(
                    False,
                    checked,
                    expected_seq,
                    f"entry {expected_seq} is missing (next is {entry.seq})",
                )
            return VerifyResult(False, checked, entry.seq, f"entry {entry.seq} is out of order")
        if entry.prev_hash != expected_prev:
            return VerifyResult(
                False,
                checked,
                entry.seq,
                f"entry {entry.seq} does not follow entry {entry.seq - 1} (inserted, or the one before was removed or altered)",
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, f"entry {entry.seq} was altered")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(JournalEntry)).scalar_one())
