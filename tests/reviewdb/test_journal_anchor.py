"""The anchored journal at a central PostgreSQL store, tried as a district workstation login.

What the adversarial test of issue 13 found, each now refused or detected: squatting
another workstation's chain (and wedging its sync), writing at a gap or an old position, a
wrong or missing key mark, re-registering a store id from another login, and, at the
store itself (as its owner or a DBA would), a forged chain with recomputed hashes, a
deleted tail and a deleted chain.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, delete, make_url, select, text, update
from sqlalchemy.exc import DBAPIError

from app.cli import main
from app.sync.engine import SyncEngine, central_store
from reviewdb import journal, migrate
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.central_pg import PgArbiter, create_login, drop_login, install, uninstall
from reviewdb.engine import Store, make_engine
from reviewdb.models import CentralJournalEntry, JournalEntry, JournalKey, Setting, Station
from tests.factories import DISTRICTS, seed_districts

pytestmark = pytest.mark.postgres

A = DISTRICTS[0][0]
T = TypeVar("T")


@dataclass
class Login:
    """A district workstation login and its connection."""

    name: str
    url: str
    engine: Engine

    def call(self, fn: Callable[[PgArbiter], T]) -> T:
        with self.engine.begin() as conn:
            return fn(PgArbiter(conn))

    def refused(self, fn: Callable[[PgArbiter], Any]) -> str:
        with pytest.raises(ArbiterRefusal) as info:
            self.call(fn)
        return info.value.code

    def refused_entry(self, entry: dict[str, Any]) -> str:
        """The refusal code of appending ``entry``."""
        return self.refused(lambda a: a.append_journal_entry(entry))


@dataclass
class Central:
    store: Store
    url: str  # the owner's
    a: Login  # the victim's login
    b: Login  # another login of the same district (a forger holding a real login)

    def call(self, fn: Callable[[PgArbiter], T]) -> T:
        """As the owner."""
        with self.store.engine.begin() as conn:
            return fn(PgArbiter(conn))


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Central]:
    store = Store(pg_url, tmp_path / "blobs")
    migrate.upgrade(store)
    seed_districts(store)
    install(store.engine)
    logins: list[Login] = []
    try:
        for _ in range(2):
            name = f"rdl_{uuid.uuid4().hex[:12]}"
            create_login(store.engine, name, [A])
            url = make_url(pg_url).set(username=name)
            logins.append(Login(name, url.render_as_string(hide_password=False), make_engine(url)))
        yield Central(store, pg_url, logins[0], logins[1])
    finally:
        for login in logins:
            login.engine.dispose()
            drop_login(store.engine, login.name)
        uninstall(store.engine)
        store.dispose()


def _entries(
    chain: str,
    key: str | None,
    n: int,
    *,
    start: int = 1,
    prev: str = journal.GENESIS,
    action: str = "view",
) -> list[dict[str, Any]]:
    """``n`` honest entries continuing ``chain`` after ``prev``: real hashes, real marks."""
    now = dt.datetime.now(dt.UTC)
    out: list[dict[str, Any]] = []
    for seq in range(start, start + n):
        entry: dict[str, Any] = {
            "chain": chain,
            "seq": seq,
            "entry_id": str(uuid.uuid4()),
            "actor": "ra",
            "workstation": "ws-a",
            "device_time": now,
            "store_time": now,
            "action": action,
            "case_id": None,
            "payload": {"n": seq, "备注": "审核"},
            "prev_hash": prev,
        }
        entry["hash"] = journal.entry_hash(SimpleNamespace(**entry))
        entry["mac"] = journal.mac_of(key, entry["hash"]) if key else None
        prev = entry["hash"]
        out.append(entry)
    return out


def _store_id() -> str:
    return f"st-{uuid.uuid4().hex[:16]}"


def _rows(central: Central, chain: str) -> int:
    with central.store.read() as s:
        return len(
            s.scalars(
                select(CentralJournalEntry.id).where(CentralJournalEntry.chain == chain)
            ).all()
        )


def _audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", *argv])
    out = capsys.readouterr()
    return code, (out.out + out.err).strip()


# -- registration ---------------------------------------------------------------------


def test_registration_binds_the_store_id_to_its_login_and_key(central: Central) -> None:
    sid, key = _store_id(), journal.new_secret()
    number = central.a.call(lambda a: a.register_station(sid, key, 1))
    with central.store.read() as s:
        station = s.get(Station, sid)
        kept = s.get(JournalKey, sid)
        assert station is not None and station.login_role == central.a.name
        assert kept is not None and (kept.secret, kept.keyed_from) == (key, 1)
        registered_at = station.registered_at
    # The same login with the same key again: a no-op.
    assert central.a.call(lambda a: a.register_station(sid, key, 1)) == number
    with central.store.read() as s:
        again = s.get(Station, sid)
        assert again is not None and again.registered_at == registered_at
    # Another login, with the same key (it was seen on the wire) or its own: refused.
    assert central.b.refused(lambda a: a.register_station(sid, key, 1)) == "not_yours"
    other = journal.new_secret()
    assert central.b.refused(lambda a: a.register_station(sid, other, 1)) == "not_yours"
    # The owner login with another key: refused too (a key is never swapped silently).
    assert central.a.refused(lambda a: a.register_station(sid, other, 1)) == "not_yours"
    assert central.a.refused(lambda a: a.register_station(_store_id(), "abc", 1)) == "bad_request"
    # The owner (administration, tests) registers without binding.
    own_sid = _store_id()
    central.call(lambda a: a.register_station(own_sid, journal.new_secret(), 1))
    with central.store.read() as s:
        unbound = s.get(Station, own_sid)
        assert unbound is not None and unbound.login_role is None
    with central.store.read() as s:
        kept = s.get(JournalKey, sid)
        assert kept is not None and kept.secret == key  # nothing above changed it


def test_no_workstation_login_reads_or_writes_the_keys(central: Central) -> None:
    central.a.call(lambda a: a.register_station(_store_id(), journal.new_secret(), 1))
    for statement in (
        "SELECT secret FROM journal_keys",
        "SELECT login_role FROM stations",
        "UPDATE journal_keys SET secret = NULL",
        "UPDATE stations SET login_role = session_user",
        "INSERT INTO central_journal (chain, seq, entry_id, workstation, device_time,"
        " store_time, action, payload, prev_hash, hash, received_at) VALUES ('x', 1, 'x', 'x',"
        " now(), now(), 'x', '{}', 'x', 'x', now())",
    ):
        with pytest.raises(DBAPIError) as info, central.a.engine.begin() as conn:
            conn.execute(text(statement))
        assert "permission denied" in str(info.value), statement


# -- appending ------------------------------------------------------------------------


def test_another_login_cannot_squat_or_wedge_a_chain(central: Central) -> None:
    victim, victim_key = _store_id(), journal.new_secret()
    central.a.call(lambda a: a.register_station(victim, victim_key, 1))
    central.a.call(lambda a: a.append_journal(_entries(victim, victim_key, 3)))
    forger, forger_key = _store_id(), journal.new_secret()
    central.b.call(lambda a: a.register_station(forger, forger_key, 1))
    with central.store.read() as s:
        last = s.execute(
            select(CentralJournalEntry.hash).where(
                CentralJournalEntry.chain == victim, CentralJournalEntry.seq == 3
            )
        ).scalar_one()
    # The adversarial test's 32 squatting rows: positions 4..35 of the victim's chain, with
    # hashes and marks as right as the forger can make them, and 16 more on chains nobody
    # registered: every one refused, nothing written.
    codes = set()
    for seq in range(4, 36):
        row = _entries(victim, forger_key, 1, start=seq, prev=last)[0]
        codes.add(central.b.refused_entry(row))
    for _ in range(16):
        row = _entries(_store_id(), forger_key, 1)[0]
        codes.add(central.b.refused_entry(row))
    assert codes == {"not_yours"}
    assert _rows(central, victim) == 3
    # The victim is not wedged: its next entry goes in as if nothing happened.
    nxt = _entries(victim, victim_key, 1, start=4, prev=last)
    assert central.a.call(lambda a: a.append_journal_entry(nxt[0])) is True
    assert _rows(central, victim) == 4


def test_only_the_next_position_is_taken_and_a_repeat_is_a_no_op(central: Central) -> None:
    sid, key = _store_id(), journal.new_secret()
    central.a.call(lambda a: a.register_station(sid, key, 1))
    first = _entries(sid, key, 3)
    central.a.call(lambda a: a.append_journal(first))
    # An identical repeat (a crash between the central commit and the local mark).
    assert central.a.call(lambda a: [a.append_journal_entry(e) for e in first]) == [False] * 3
    # A gap: entry 5 while the chain is at 3.
    gap = _entries(sid, key, 1, start=5, prev=first[-1]["hash"])[0]
    assert central.a.refused(lambda a: a.append_journal_entry(gap)) == "not_next"
    # An old position with another entry.
    old = _entries(sid, key, 1, start=2, prev=first[0]["hash"])[0]
    assert central.a.refused(lambda a: a.append_journal_entry(old)) == "id_reused"
    # The next position, but not following the chain (a fork).
    fork = _entries(sid, key, 1, start=4, prev=first[0]["hash"])[0]
    assert central.a.refused(lambda a: a.append_journal_entry(fork)) == "not_next"
    assert _rows(central, sid) == 3


def test_a_wrong_or_missing_key_mark_is_refused(central: Central) -> None:
    sid, key = _store_id(), journal.new_secret()
    central.a.call(lambda a: a.register_station(sid, key, 1))
    honest = _entries(sid, key, 1)[0]
    for mac in (
        journal.mac_of(journal.new_secret(), honest["hash"]),  # another key
        journal.mac_of(key, "f" * 64),  # the right key over another hash
        None,
        "x",
    ):
        entry = {**honest, "mac": mac}
        assert central.a.refused_entry(entry) == "bad_mac"
    assert _rows(central, sid) == 0
    assert central.a.call(lambda a: a.append_journal_entry(honest)) is True


# -- the seal and audit verify --central --------------------------------------------------


def _chain(central: Central, login: Login, n: int) -> tuple[str, str]:
    sid, key = _store_id(), journal.new_secret()
    login.call(lambda a: a.register_station(sid, key, 1))
    login.call(lambda a: a.append_journal(_entries(sid, key, n)))
    return sid, key


def test_a_deleted_tail_and_a_deleted_chain_are_detected(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, _ = _chain(central, central.a, 5)
    two, _ = _chain(central, central.b, 4)
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 0, out
    assert "9 entries in 2 workstation chains" in out and "not sealed yet" in out
    key_file = tmp_path / "admin" / "journal-seal.key"
    code, out = _audit(capsys, "seal", "--central", central.url, "--key", str(key_file))
    assert code == 0 and "journal sealed (seal 1): 2 workstation chains" in out, out
    assert key_file.stat().st_mode & 0o777 == 0o600
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 0 and "sealed: seal 1" in out, out

    with central.store.write() as s:  # a DBA deletes one chain's tail and another chain
        s.execute(
            delete(CentralJournalEntry).where(
                CentralJournalEntry.chain == one, CentralJournalEntry.seq >= 3
            )
        )
        s.execute(delete(CentralJournalEntry).where(CentralJournalEntry.chain == two))
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 1
    assert (
        f"chain {one} broken at entry 3: the chain ends at entry 2 but the central store "
        "sealed it at entry 5: entries 3-5 were deleted"
    ) in out
    assert f"chain {two} was deleted: the central store sealed it at entry 4" in out
    # A broken store is not sealed again (a seal would vouch for the damage).
    code, out = _audit(capsys, "seal", "--central", central.url, "--key", str(key_file))
    assert code == 1 and out.startswith(f"not sealed: chain {one} broken at entry 3"), out


def test_forged_chains_are_detected(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    honest, _ = _chain(central, central.a, 6)
    key_file = tmp_path / "journal-seal.key"
    assert _audit(capsys, "seal", "--central", central.url, "--key", str(key_file))[0] == 0

    # 1. A chain written around the functions, hashes computed right: no workstation
    #    registered it, so it carries no checkable mark.
    forged = _store_id()
    with central.store.write() as s:
        for e in _entries(forged, None, 3, action="decide"):
            s.add(CentralJournalEntry(**e, received_at=dt.datetime.now(dt.UTC)))
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 1 and f"chain {forged} broken at entry 1: chain {forged} is not a chain" in out
    with central.store.write() as s:
        s.execute(delete(CentralJournalEntry).where(CentralJournalEntry.chain == forged))
    assert _audit(capsys, "verify", "--central", central.url)[0] == 0

    # 2. The honest chain edited and every hash after it recomputed, without the key.
    def rewrite(*, with_key: bool) -> None:
        with central.store.write() as s:
            rows = s.scalars(
                select(CentralJournalEntry)
                .where(CentralJournalEntry.chain == honest)
                .order_by(CentralJournalEntry.seq)
            ).all()
            secret = s.get(JournalKey, honest)
            assert secret is not None and secret.secret is not None
            prev = journal.GENESIS
            for row in rows:
                if row.seq == 2:
                    row.payload = {"n": 2, "备注": "改过"}
                row.prev_hash = prev
                row.hash = journal.entry_hash(row)
                if with_key:
                    row.mac = journal.mac_of(secret.secret, row.hash)
                prev = row.hash

    with central.store.read() as s:
        kept = [
            (r.hash, r.prev_hash, r.payload, r.mac)
            for r in s.scalars(
                select(CentralJournalEntry)
                .where(CentralJournalEntry.chain == honest)
                .order_by(CentralJournalEntry.seq)
            )
        ]
    rewrite(with_key=False)
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 1
    assert f"chain {honest} broken at entry 2: entry 2's key mark does not match" in out

    # 3. The same by someone who also read the workstation's key: the seal catches it.
    rewrite(with_key=True)
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 1, out
    assert (
        f"chain {honest} broken at entry 6: entry 6 is not the entry the central store sealed"
    ) in out
    # Put back as it was: intact again.
    with central.store.write() as s:
        rows = s.scalars(
            select(CentralJournalEntry)
            .where(CentralJournalEntry.chain == honest)
            .order_by(CentralJournalEntry.seq)
        ).all()
        for row, (digest, prev, payload, mac) in zip(rows, kept, strict=True):
            row.hash, row.prev_hash, row.payload, row.mac = digest, prev, payload, mac
    assert _audit(capsys, "verify", "--central", central.url)[0] == 0


def test_the_seal_key_cannot_be_swapped_nor_used_by_a_workstation(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _chain(central, central.a, 2)
    first = tmp_path / "first.key"
    assert _audit(capsys, "seal", "--central", central.url, "--key", str(first))[0] == 0
    code, out = _audit(capsys, "seal", "--central", central.url, "--key", str(tmp_path / "new"))
    assert code == 1 and "no sealing key at" in out, out
    code, out = _audit(capsys, "seal", "--central", central.url, "--key", str(first))
    assert code == 0 and "journal sealed (seal 2)" in out, out
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = tmp_path / "stranger.key"
    stranger.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    code, out = _audit(capsys, "seal", "--central", central.url, "--key", str(stranger))
    assert code == 1 and "not the key the central store's journal is sealed with" in out, out
    # A workstation login can neither seal nor check every chain (the keys are not its own).
    code, out = _audit(capsys, "seal", "--central", central.a.url, "--key", str(first))
    assert code == 1 and "only the central store's owner" in out, out
    code, out = _audit(capsys, "verify", "--central", central.a.url)
    assert code == 1 and "only the central store's owner" in out, out
    # A seal altered in the settings row is named.
    with central.store.write() as s:
        row = s.get(Setting, journal.SEAL)
        assert row is not None
        row.value = row.value.replace('"n":2', '"n":7')
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 1 and "the journal seal's signature does not verify" in out, out


# -- a workstation end to end ----------------------------------------------------------------


def _workstation(central: Central, tmp_path: Path, name: str) -> tuple[Store, SyncEngine]:
    local = Store(f"sqlite:///{tmp_path / (name + '.db')}", tmp_path / f"{name}-blobs")
    migrate.upgrade(local)
    return local, SyncEngine(local, central_store(central.a.url))


def _view(local: Store, n: int) -> None:
    for i in range(n):
        with local.write() as s:
            journal.append(s, action="view", actor="ra", workstation="ws-a", payload={"i": i})


def test_a_workstation_keeps_the_seal_and_its_own_audit_catches_a_deleted_tail(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local, engine = _workstation(central, tmp_path, "ws1")
    _view(local, 8)
    pushed, _ = engine.sync_once()
    assert pushed.journal_sent == 8
    with local.read() as s:
        sid = s.get(Setting, "store_id")
        assert sid is not None
    with central.store.read() as s:
        station = s.get(Station, sid.value)
        assert station is not None and station.login_role == central.a.name
    assert _audit(capsys, "seal", "--central", central.url, "--key", str(tmp_path / "k"))[0] == 0
    _view(local, 2)  # written after the seal: not covered by it
    engine.sync_once()  # brings the seal down
    db = f"sqlite:///{tmp_path / 'ws1.db'}"
    code, out = _audit(capsys, "verify", "--db", db)
    assert (code, out) == (
        0,
        "journal intact: 10 entries (sealed by the central store up to entry 8)",
    )
    with local.write() as s:  # someone holding the local file deletes the last entries
        s.execute(delete(JournalEntry).where(JournalEntry.seq >= 6))
    code, out = _audit(capsys, "verify", "--db", db)
    assert code == 1
    assert out == (
        "journal broken at entry 6: the chain ends at entry 5 but the central store sealed it "
        "at entry 8: entries 6-8 were deleted"
    )
    engine.central.dispose()
    local.dispose()


def test_a_station_registered_before_keys_is_bound_and_keyed_by_its_next_sync(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What migration 0006 leaves behind: a station without login or key, and its chain at
    the central store unkeyed. The workstation's next sync binds and keys it; its old
    entries are reported unkeyed, never as tampered."""
    local, engine = _workstation(central, tmp_path, "old")
    _view(local, 3)
    with local.write() as s:  # as an older version left it: unmarked, sent, registered
        s.execute(update(JournalEntry).values(mac=None))
        s.execute(delete(JournalKey))  # migration 0006 then keys it from entry 4
        s.add(
            JournalKey(
                owner=journal.SELF,
                secret=journal.new_secret(),
                keyed_from=4,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        sid = _store_id()
        s.add(Setting(key="store_id", value=sid))
        s.add(Setting(key="sync.station_no", value="9"))
        s.add(Setting(key="sync.journal_sent_seq", value="3"))
        rows = [
            {
                c: getattr(e, c)
                for c in (
                    "seq",
                    "entry_id",
                    "actor",
                    "workstation",
                    "device_time",
                    "store_time",
                    "action",
                    "case_id",
                    "payload",
                    "prev_hash",
                    "hash",
                )
            }
            for e in s.scalars(select(JournalEntry).order_by(JournalEntry.seq))
        ]
    now = dt.datetime.now(dt.UTC)
    with central.store.write() as s:
        s.add(Station(store_id=sid, station_no=9, registered_at=now))
        for row in rows:
            s.add(CentralJournalEntry(chain=sid, received_at=now, **row))
        s.add(JournalKey(owner=sid, secret=None, keyed_from=4, created_at=now))
    # Before the workstation comes back, the other login cannot append to it, nor claim it
    # with its own key once it has been bound.
    nxt = _entries(sid, None, 1, start=4, prev=rows[-1]["hash"])[0]
    assert central.b.refused(lambda a: a.append_journal_entry(nxt)) == "not_yours"
    _view(local, 2)  # the upgraded workstation marks from entry 4
    engine.sync_once()
    with central.store.read() as s:
        station = s.get(Station, sid)
        key = s.get(JournalKey, sid)
        assert station is not None and station.login_role == central.a.name
        assert key is not None and key.secret is not None and key.keyed_from == 4
    assert _rows(central, sid) == 5
    code, out = _audit(capsys, "verify", "--central", central.url)
    assert code == 0 and "note: 3 entries were written before keys (unkeyed)" in out, out
    code, out = _audit(capsys, "verify", "--db", f"sqlite:///{tmp_path / 'old.db'}")
    assert code == 0 and "journal intact: 5 entries\n" in out, out
    assert "note: 3 entries were written before keys (unkeyed)" in out, out
    assert central.b.refused(lambda a: a.register_station(sid, journal.new_secret(), 1)) == (
        "not_yours"
    )
    engine.central.dispose()
    local.dispose()
