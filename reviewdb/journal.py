"""The append-only audit journal: hash-chained, keyed entries and the verifier that checks them.

Each entry's hash covers its own canonical content and the previous entry's hash, so
altering, removing or inserting any row breaks the chain exactly there. Appends are
serialised (BEGIN IMMEDIATE on SQLite, a transaction-scoped advisory lock on
PostgreSQL) so two writers can never take the same sequence number or fork the chain.

Anchors (docs/sync.md, "Anchored journal"):

- **Keyed entries.** Every store makes its own random journal key (``journal_keys`` row
  ``self``) and writes ``mac`` = HMAC-SHA256(key, hash) on each entry, so whoever can write
  the table but lacks the key cannot recompute a chain that still verifies. A workstation
  sends its key once, at registration, to the central store, which checks the mac of every
  entry uploaded to its chain (``rd_append_journal``) and keeps the key where no workstation
  login can read it. Entries written before keys (migration 0006) are reported as unkeyed.
- **Sealed heads.** The central administrator signs the head (last position and hash) of
  every chain and of the central store's own journal with an Ed25519 key kept outside the
  database (:func:`seal_heads`, ``reviewdesk audit seal``). The seal is a settings row,
  readable by workstations, which keep a copy (:func:`keep_seal`). A chain that no longer
  reaches its sealed head (a deleted tail), holds another entry there (rewritten), or is
  gone altogether (a deleted chain) fails :func:`verify`, :func:`verify_chain` and
  :func:`verify_central`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.orm import Session

from reviewdb.models import CentralJournalEntry, JournalEntry, JournalKey, Setting, table_of

GENESIS = "0" * 64
SELF = "self"  # journal_keys.owner of this store's own journal key
SEAL = "journal.seal"  # settings: the latest seal of the chain heads (JSON)
SEAL_KEY = "journal.seal_key"  # settings: the sealing public key (raw Ed25519, hex)
STORE_ID = "store_id"  # settings: this workstation's store id (the name of its chain)
_SEAL_DOMAIN = b"ReviewDesk journal seal v1\n"
_HEX64 = re.compile(r"[0-9a-f]{64}")
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


def mac_of(secret: str, digest: str) -> str:
    """An entry's key mark: HMAC-SHA256 of its hash (hex text) under the chain's key (hex).

    The same as ``encode(hmac(convert_to(hash, 'UTF8'), decode(secret, 'hex'), 'sha256'),
    'hex')`` in ``rd_append_journal``.
    """
    return hmac.new(bytes.fromhex(secret), digest.encode("ascii"), hashlib.sha256).hexdigest()


def mark_matches(secret: str, digest: str, mac: object) -> bool:
    """Whether ``mac`` is the mark of ``digest`` under ``secret`` (compared in constant time)."""
    return isinstance(mac, str) and hmac.compare_digest(mac, mac_of(secret, digest))


def is_hex64(value: object) -> bool:
    """64 lower-case hex digits: an entry's hash, a journal key."""
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def new_secret() -> str:
    """A new random journal key (32 bytes, hex)."""
    return secrets.token_hex(32)


# -- this store's own key --------------------------------------------------------------

_KEYS = table_of(JournalKey)
_OWN_KEY = select(_KEYS.c.secret, _KEYS.c.keyed_from).where(_KEYS.c.owner == SELF)
_UNREAD = object()


@dataclass(frozen=True)
class ChainKey:
    """A chain's key as the verifier needs it (``secret`` None: known, never keyed)."""

    secret: str | None
    keyed_from: int


def _own_key(conn: Connection, next_seq: int, row: Any = _UNREAD) -> ChainKey:
    """This store's key, made on first use (keyed from ``next_seq``); inside the writer's
    transaction, so two writers cannot make two keys. ``row``: its (secret, keyed_from)
    as the caller already read it in this transaction (None: there is no such row)."""
    if row is _UNREAD:
        row = conn.execute(_OWN_KEY).first()
    if row is not None and row[0] is not None:
        return ChainKey(str(row[0]), int(row[1]))
    secret = new_secret()
    if row is None:
        conn.execute(
            insert(_KEYS).values(
                owner=SELF, secret=secret, keyed_from=next_seq, created_at=dt.datetime.now(dt.UTC)
            )
        )
        return ChainKey(secret, next_seq)
    # A row without a secret: keyed from here on.
    keyed_from = max(int(row[1]), next_seq)
    conn.execute(
        _KEYS.update().where(_KEYS.c.owner == SELF).values(secret=secret, keyed_from=keyed_from)
    )
    return ChainKey(secret, keyed_from)


def own_key(session: Session) -> tuple[str, int]:
    """This store's journal key (hex) and the first position it marks, made if it has none
    yet. What a workstation sends the central store at registration."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_PG_LOCK, {"k": _PG_JOURNAL_LOCK})
    last = conn.execute(_LAST).first()
    key = _own_key(conn, (last[0] + 1) if last else 1)
    assert key.secret is not None
    return key.secret, key.keyed_from


def chain_key(session: Session, owner: str) -> ChainKey | None:
    """The key of a chain (``SELF`` or a workstation's store id), None when unknown."""
    row = session.execute(
        select(JournalKey.secret, JournalKey.keyed_from).where(JournalKey.owner == owner)
    ).first()
    return None if row is None else ChainKey(row[0], int(row[1]))


def register_chain_key(session: Session, owner: str, secret: str, keyed_from: int) -> bool:
    """Record a workstation's key at the central store (SQLite central; PostgreSQL does it in
    ``rd_register_station``). False when another key is registered for ``owner`` already."""
    row = session.get(JournalKey, owner)
    if row is None:
        session.add(
            JournalKey(
                owner=owner, secret=secret, keyed_from=keyed_from, created_at=store_now(session)
            )
        )
    elif row.secret is None:
        row.secret = secret
        row.keyed_from = max(row.keyed_from, keyed_from)
    elif row.secret != secret:
        return False
    session.flush()
    return True


def rechain(session: Session, after_seq: int, prev_hash: str, entries: list[Any]) -> int:
    """Write ``entries`` (their content: ids, actors, times, actions, payloads) as the chain's
    continuation after ``after_seq``/``prev_hash``, with new positions, hashes and marks;
    returns the last position. For a workstation re-aligning with the central copy of its
    chain: only entries that never left this store may be re-chained."""
    conn = session.connection()
    key = _own_key(conn, after_seq + 1)
    seq, prev = after_seq, prev_hash
    for e in entries:
        seq += 1
        prev = _write(
            conn,
            key.secret,
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


def _write(conn: Any, secret: str | None, *, prev_hash: str, **entry: Any) -> str:
    """Hash one entry onto ``prev_hash``, mark it with ``secret`` and insert it; returns its
    hash (the one place an entry's hash is computed from its fields for writing)."""
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
    mac = mac_of(secret, digest) if secret else None
    conn.execute(_INSERT, {**entry, "prev_hash": prev_hash, "hash": digest, "mac": mac})
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
_HEAD_AND_KEY = select(
    select(_JOURNAL.c.seq).order_by(_JOURNAL.c.seq.desc()).limit(1).scalar_subquery(),
    select(_JOURNAL.c.hash).order_by(_JOURNAL.c.seq.desc()).limit(1).scalar_subquery(),
    select(_KEYS.c.secret).where(_KEYS.c.owner == SELF).scalar_subquery(),
    select(_KEYS.c.keyed_from).where(_KEYS.c.owner == SELF).scalar_subquery(),
)
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
    # The chain's head and this store's key in one statement (keyed_from is NULL only
    # when the key row is absent).
    last_seq, last_hash, secret, keyed_from = conn.execute(_HEAD_AND_KEY).one()
    seq = (last_seq + 1) if last_seq is not None else 1
    prev_hash = last_hash if last_seq is not None else GENESIS
    key = _own_key(conn, seq, None if keyed_from is None else (secret, keyed_from))
    now = store_time or store_now(session)
    _write(
        conn,
        key.secret,
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


# -- seals ----------------------------------------------------------------------------


class SealError(ValueError):
    """A seal cannot be made or kept (wrong key, unreadable seal); the text says what to do."""


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The raw Ed25519 public key as hex (what settings ``journal.seal_key`` holds)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


@dataclass(frozen=True)
class Seal:
    """The central store's signed statement of every chain's head at one moment.

    ``chains`` maps a workstation chain to its (last position, hash) at the central store;
    ``central`` is the central store's own journal head (None while it is empty).
    """

    number: int
    sealed_at: str
    key: str
    central: tuple[int, str] | None
    chains: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    signature: str = ""

    def message(self) -> bytes:
        """The bytes the signature covers (everything but the signature)."""
        body = {
            "n": self.number,
            "at": self.sealed_at,
            "key": self.key,
            "central": list(self.central) if self.central else None,
            "chains": {k: list(v) for k, v in sorted(self.chains.items())},
        }
        return _SEAL_DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_text(self) -> str:
        body = json.loads(self.message()[len(_SEAL_DOMAIN) :])
        body["sig"] = self.signature
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_text(cls, value: str) -> Seal:
        try:
            body = json.loads(value)
            central = body["central"]
            return cls(
                number=int(body["n"]),
                sealed_at=str(body["at"]),
                key=str(body["key"]),
                central=(int(central[0]), str(central[1])) if central else None,
                chains={str(k): (int(v[0]), str(v[1])) for k, v in body["chains"].items()},
                signature=str(body["sig"]),
            )
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise SealError(f"the journal seal is unreadable ({exc})") from exc

    def problem(self, trusted_key: str) -> str | None:
        """Why this seal cannot be trusted under ``trusted_key`` (hex), or None."""
        if self.key != trusted_key:
            return "the journal seal was made with another key than the central store's"
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(trusted_key)).verify(
                bytes.fromhex(self.signature), self.message()
            )
        except (InvalidSignature, ValueError):
            return "the journal seal's signature does not verify (the seal was altered)"
        return None


def _setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def _put_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def stored_seal(session: Session) -> tuple[Seal | None, str | None]:
    """The seal this store holds and the problem with it (None, None: never sealed)."""
    raw = _setting(session, SEAL)
    if raw is None:
        return None, None
    key = _setting(session, SEAL_KEY)
    try:
        seal = Seal.from_text(raw)
    except SealError as exc:
        return None, str(exc)
    if key is None:
        return seal, "the journal seal's key is missing from this store"
    return seal, seal.problem(key)


def chain_heads(session: Session) -> dict[str, tuple[int, str]]:
    """Every workstation chain's last position and hash at the central store."""
    top = (
        select(CentralJournalEntry.chain, func.max(CentralJournalEntry.seq).label("seq"))
        .group_by(CentralJournalEntry.chain)
        .subquery()
    )
    rows = session.execute(
        select(CentralJournalEntry.chain, CentralJournalEntry.seq, CentralJournalEntry.hash).join(
            top,
            (top.c.chain == CentralJournalEntry.chain) & (top.c.seq == CentralJournalEntry.seq),
        )
    )
    return {str(chain): (int(seq), str(digest)) for chain, seq, digest in rows}


def seal_heads(session: Session, private_key: Ed25519PrivateKey) -> Seal:
    """Sign the heads of every chain and of this (central) store's own journal, and keep the
    seal in settings. Run as the central store's owner, after :func:`verify_central` passed
    (sealing a broken chain would vouch for it).

    The first seal publishes the public key; later ones must be made with the same key
    (:class:`SealError` otherwise: nobody may swap the key a workstation already trusts).
    """
    key = public_hex(private_key)
    published = _setting(session, SEAL_KEY)
    if published is not None and published != key:
        raise SealError(
            "this is not the key the central store's journal is sealed with: use the key "
            "file of the first seal"
        )
    previous, _problem = stored_seal(session)
    last = session.connection().execute(_LAST).first()
    seal = Seal(
        number=(previous.number + 1) if previous else 1,
        sealed_at=store_now(session).isoformat(),
        key=key,
        central=(int(last[0]), str(last[1])) if last else None,
        chains=chain_heads(session),
    )
    seal = Seal(
        seal.number,
        seal.sealed_at,
        seal.key,
        seal.central,
        seal.chains,
        private_key.sign(seal.message()).hex(),
    )
    if published is None:
        _put_setting(session, SEAL_KEY, key)
    _put_setting(session, SEAL, seal.to_text())
    session.flush()
    return seal


def keep_seal(session: Session, seal_text: str, key: str) -> str | None:
    """A workstation keeps the central store's seal (``seal_text``, made with ``key``).

    The first key seen is pinned; a seal under another key, a seal whose signature fails
    or an older seal is not kept. Returns why a seal was not kept (None when kept or when
    it was not newer).
    """
    pinned = _setting(session, SEAL_KEY)
    if pinned is None:
        _put_setting(session, SEAL_KEY, key)
        pinned = key
    elif pinned != key:
        return "the central store's sealing key changed: ask the administrator (seal not kept)"
    try:
        seal = Seal.from_text(seal_text)
    except SealError as exc:
        return str(exc)
    problem = seal.problem(pinned)
    if problem is not None:
        return problem
    current, _ = stored_seal(session)
    if current is not None and current.number >= seal.number:
        return None
    _put_setting(session, SEAL, seal.to_text())
    return None


# -- verification -----------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking a chain: ``ok`` or the first broken entry and why.

    ``unkeyed``: entries written before keys (not tampering, reported). ``withheld``:
    positions whose content the central store refused (central copies only). ``sealed_seq``:
    the position up to which a seal of the central store vouches for the chain.
    """

    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str | None = None
    unkeyed: int = 0
    withheld: int = 0
    sealed_seq: int | None = None


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


def verify(
    session: Session, *, central: bool = False, progress: Callable[[int], None] | None = None
) -> VerifyResult:
    """Walk this store's own chain from the start and name the first entry that does not fit.

    Checks each entry's position, link, hash and key mark, then the seal this store holds:
    a workstation's copy of the central seal (its own chain's head, by ``store_id``), or
    with ``central`` the central store's own seal (its own journal's head).

    ``progress(entries read so far)`` is called after every batch read; whatever it raises
    stops the walk and comes out of here (how a window cancels a long check).
    """
    seal, problem = stored_seal(session)
    head: tuple[int, str] | None = None
    if seal is not None:
        if central:
            head = seal.central
        else:
            sid = _setting(session, STORE_ID)
            head = seal.chains.get(sid) if sid is not None else None
    entries = _iter_entries(session)
    if progress is not None:
        entries = _watched(entries, progress)
    return _verify(entries, chain_key(session, SELF), head, problem)


def _watched(
    entries: Iterator[Any], progress: Callable[[int], None], every: int = 2000
) -> Iterator[Any]:
    """``entries`` unchanged, telling ``progress`` how many have gone by every ``every``."""
    for read, entry in enumerate(entries, start=1):
        yield entry
        if read % every == 0:
            progress(read)


def verify_chain(session: Session, chain: str) -> VerifyResult:
    """The same check for one workstation's chain as uploaded to the central store, against
    the key it registered and the central store's seal."""
    key = chain_key(session, chain)
    if key is None:
        return VerifyResult(
            False,
            0,
            1,
            f"chain {chain} is not a chain the central store knows (no workstation registered "
            "it): it was written around the central store",
        )
    seal, problem = stored_seal(session)
    head = seal.chains.get(chain) if seal is not None else None
    return _verify(_iter_entries(session, chain=chain), key, head, problem)


@dataclass(frozen=True)
class CentralVerifyResult:
    """Every chain at the central store checked: its own journal, each workstation chain,
    and the chains the seal names that are gone."""

    own: VerifyResult
    chains: tuple[tuple[str, VerifyResult], ...]
    missing: tuple[tuple[str, int], ...]  # (chain, sealed position) of deleted chains
    seal: Seal | None

    @property
    def ok(self) -> bool:
        return self.own.ok and not self.missing and all(r.ok for _, r in self.chains)


def verify_central(session: Session) -> CentralVerifyResult:
    """Check the central store whole (run as its owner: the chains' keys are read)."""
    own = verify(session, central=True)
    chains = sorted(
        str(c) for c in session.scalars(select(CentralJournalEntry.chain).distinct()).all()
    )
    results = tuple((chain, verify_chain(session, chain)) for chain in chains)
    seal, _problem = stored_seal(session)
    present = set(chains)
    missing = tuple(
        (chain, head[0])
        for chain, head in sorted((seal.chains if seal else {}).items())
        if chain not in present
    )
    return CentralVerifyResult(own, results, missing, seal)


def _verify(
    entries: Iterator[Any],
    key: ChainKey | None,
    sealed: tuple[int, str] | None,
    seal_problem: str | None,
) -> VerifyResult:
    expected_prev = GENESIS
    expected_seq = 1
    checked = unkeyed = withheld = 0
    sealed_hash: str | None = None

    def broken(seq: int | None, problem: str) -> VerifyResult:
        return VerifyResult(False, checked, seq, problem, unkeyed, withheld)

    for entry in entries:
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                return broken(
                    expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})"
                )
            return broken(entry.seq, f"entry {entry.seq} is out of order")
        if entry.prev_hash != expected_prev:
            return broken(
                entry.seq,
                f"entry {entry.seq} does not follow entry {entry.seq - 1} (inserted, or the one before was removed or altered)",
            )
        held_back = getattr(entry, "withheld", None) is not None
        if held_back:
            withheld += 1
        elif entry_hash(entry) != entry.hash:
            return broken(entry.seq, f"entry {entry.seq} was altered")
        problem = _mark_problem(entry, key)
        if problem == "unkeyed":
            unkeyed += 1
        elif problem is not None:
            return broken(entry.seq, problem)
        if sealed is not None and entry.seq == sealed[0]:
            sealed_hash = entry.hash
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    if seal_problem is not None:
        return broken(None, seal_problem)
    if sealed is not None:
        seq, digest = sealed
        if checked < seq:
            return broken(
                checked + 1,
                f"the chain ends at entry {checked} but the central store sealed it at entry "
                f"{seq}: entries {checked + 1}-{seq} were deleted",
            )
        if sealed_hash != digest:
            return broken(seq, f"entry {seq} is not the entry the central store sealed (rewritten)")
    return VerifyResult(
        True, checked, unkeyed=unkeyed, withheld=withheld, sealed_seq=sealed[0] if sealed else None
    )


def _mark_problem(entry: Any, key: ChainKey | None) -> str | None:
    """What is wrong with an entry's key mark: None, ``unkeyed`` (written before keys) or
    the problem to report."""
    mac = entry.mac
    if key is None:
        if mac is None:
            return "unkeyed"
        return (
            f"entry {entry.seq} carries a key mark but this chain has no key (the key was removed)"
        )
    if mac is None:
        if entry.seq < key.keyed_from:
            return "unkeyed"
        return (
            f"entry {entry.seq} carries no key mark (it was written or rewritten without the key)"
        )
    if key.secret is None:
        return f"entry {entry.seq} carries a key mark but no key was registered for this chain"
    if not mark_matches(key.secret, entry.hash, mac):
        return f"entry {entry.seq}'s key mark does not match (rewritten without the key)"
    return None


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(JournalEntry)).scalar_one())
