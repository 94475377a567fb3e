"""The hash-chained, keyed journal: verify passes on an honest chain and names the tampered
entry; a seal kept from the central store catches a deleted tail and a full rewrite."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select, text

from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import JournalEntry, Setting

N = 20
_T0 = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)


def _fill(store: Store, n: int = N) -> None:
    for i in range(1, n + 1):
        with store.write() as s:
            journal.append(
                s,
                action="test",
                actor=f"user{i % 3}",
                workstation="ws-test",
                case_id=None,
                payload={"i": i, "note": f"第{i}条"},
            )


def _verify(store: Store) -> journal.VerifyResult:
    with store.read() as s:
        return journal.verify(s)


def _forged(store: Store, seq: int, prev_hash: str, *, honest_hash: bool) -> dict[str, object]:
    """A row as a forger with the source code would write it (a valid hash if asked)."""
    with store.read() as s:
        model = s.scalars(select(JournalEntry).where(JournalEntry.seq == 1)).one()
        now = model.store_time
    entry = JournalEntry(
        seq=seq,
        entry_id="00000000-0000-4000-8000-000000000000",
        actor="mallory",
        workstation="ws-evil",
        device_time=now,
        store_time=now,
        action="decide",
        case_id=None,
        payload={"forged": True},
        prev_hash=prev_hash,
        hash="f" * 64,
    )
    if honest_hash:
        entry.hash = journal.entry_hash(entry)
    return {c.key: getattr(entry, c.key) for c in JournalEntry.__table__.columns}


def _hash_of(store: Store, seq: int) -> str:
    with store.read() as s:
        return s.execute(select(JournalEntry.hash).where(JournalEntry.seq == seq)).scalar_one()


def _shift_up_from(store: Store, seq: int) -> None:
    # Two steps: a one-step "seq = seq + 1" can collide with the unique key mid-statement.
    with store.write() as s:
        s.execute(text("UPDATE journal SET seq = seq + 1000 WHERE seq >= :s"), {"s": seq})
        s.execute(text("UPDATE journal SET seq = seq - 999 WHERE seq >= 1000"))


def test_honest_chain_verifies(store: Store) -> None:
    _fill(store)
    result = _verify(store)
    assert result == journal.VerifyResult(True, N)
    with store.read() as s:
        assert journal.count(s) == N
        seqs = s.scalars(select(JournalEntry.seq).order_by(JournalEntry.seq)).all()
    assert seqs == list(range(1, N + 1))


def test_empty_journal_verifies(store: Store) -> None:
    assert _verify(store) == journal.VerifyResult(True, 0)


def test_altered_payload_is_named(store: Store) -> None:
    _fill(store)
    with store.write() as s:
        s.execute(
            text("UPDATE journal SET payload = :p WHERE seq = 7"), {"p": '{"i":7,"note":"改过"}'}
        )
    result = _verify(store)
    assert not result.ok
    assert result.broken_seq == 7 and result.checked == 6
    assert result.problem == "entry 7 was altered"


@pytest.mark.parametrize("column", ["actor", "action", "case_id", "workstation"])
def test_altered_column_is_named(store: Store, column: str) -> None:
    _fill(store)
    with store.write() as s:
        s.execute(text(f"UPDATE journal SET {column} = 'x' WHERE seq = 13"))
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 13)


def test_deleted_row_is_named(store: Store) -> None:
    _fill(store)
    with store.write() as s:
        s.execute(text("DELETE FROM journal WHERE seq = 7"))
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 7)
    assert result.problem is not None and "missing" in result.problem


def test_deleted_and_renumbered_is_still_found(store: Store) -> None:
    """Closing the gap after a delete does not help: entry 8, now 7, no longer fits."""
    _fill(store)
    with store.write() as s:
        s.execute(text("DELETE FROM journal WHERE seq = 7"))
        s.execute(text("UPDATE journal SET seq = seq - 1 WHERE seq > 7"))
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 7)


def test_inserted_row_with_a_made_up_hash_is_named(store: Store) -> None:
    _fill(store)
    _shift_up_from(store, 11)  # make room: the forger has to renumber the rest
    forged = _forged(store, 11, _hash_of(store, 10), honest_hash=False)
    with store.write() as s:
        s.execute(insert(JournalEntry), [forged])
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 11)
    assert result.problem == "entry 11 was altered"


def test_inserted_row_with_a_valid_hash_is_named_by_its_missing_mark(store: Store) -> None:
    """A forger who computes the hash but lacks the store's key is caught at the forged row
    itself: it carries no key mark (an unkeyed chain only broke at the entry after it)."""
    _fill(store)
    _shift_up_from(store, 11)
    forged = _forged(store, 11, _hash_of(store, 10), honest_hash=True)
    with store.write() as s:
        s.execute(insert(JournalEntry), [forged])
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 11)
    assert result.problem == (
        "entry 11 carries no key mark (it was written or rewritten without the key)"
    )


def test_full_rewrite_after_a_forgery_is_detected(store: Store) -> None:
    """Recomputing every hash after an edit leaves the key marks behind: entry 7 is named."""
    _fill(store)
    with store.write() as s:
        entries = s.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
        prev = journal.GENESIS
        for e in entries:
            if e.seq == 7:
                e.payload = {"i": 7, "note": "改过"}
            e.prev_hash = prev
            e.hash = journal.entry_hash(e)
            prev = e.hash
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 7)
    assert result.problem == "entry 7's key mark does not match (rewritten without the key)"


def test_full_rewrite_with_marks_under_a_guessed_key_is_detected(store: Store) -> None:
    _fill(store)
    guessed = journal.new_secret()
    with store.write() as s:
        entries = s.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
        prev = journal.GENESIS
        for e in entries:
            if e.seq == 3:
                e.actor = "mallory"
            e.prev_hash = prev
            e.hash = journal.entry_hash(e)
            e.mac = journal.mac_of(guessed, e.hash)
            prev = e.hash
    assert (_verify(store).ok, _verify(store).broken_seq) == (False, 1)


def test_stripped_marks_are_not_taken_for_old_unkeyed_entries(store: Store) -> None:
    """Removing every mark does not make the chain look like one from before keys."""
    _fill(store)
    with store.write() as s:
        s.execute(text("UPDATE journal SET mac = NULL"))
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 1)
    assert result.problem is not None and "carries no key mark" in result.problem


def test_entries_from_before_keys_are_reported_unkeyed_not_tampered(store: Store) -> None:
    """A journal written before keys (migration 0006): its entries verify as unkeyed, the
    ones after the upgrade are keyed from the next position on."""
    with store.write() as s:
        for i in range(1, 6):  # written as an older version did: no key, no mark
            now = journal.store_now(s)
            prev = s.execute(select(JournalEntry.hash).order_by(JournalEntry.seq.desc())).first()
            entry = JournalEntry(
                seq=i,
                entry_id=f"00000000-0000-4000-8000-00000000000{i}",
                actor="old",
                workstation="ws-old",
                device_time=now,
                store_time=now,
                action="view",
                case_id=None,
                payload={"i": i},
                prev_hash=prev[0] if prev else journal.GENESIS,
                hash="",
            )
            entry.hash = journal.entry_hash(entry)
            s.add(entry)
            s.flush()
    assert _verify(store) == journal.VerifyResult(True, 5, unkeyed=5)
    _fill(store, 4)  # the store makes its key now, keyed from entry 6
    with store.read() as s:
        assert journal.chain_key(s, journal.SELF) is not None
        marks = s.execute(select(JournalEntry.seq, JournalEntry.mac).order_by(JournalEntry.seq))
        assert [seq for seq, mac in marks if mac is None] == [1, 2, 3, 4, 5]
    assert _verify(store) == journal.VerifyResult(True, 9, unkeyed=5)
    with store.write() as s:  # an old entry altered is still named as altered
        s.execute(text("UPDATE journal SET actor = 'x' WHERE seq = 2"))
    assert (_verify(store).ok, _verify(store).problem) == (False, "entry 2 was altered")


def _sealed(store: Store, key: Ed25519PrivateKey, chain: str, *, at: int) -> None:
    """This workstation keeps a seal of the central store naming its chain's head ``at``."""
    with store.write() as s:
        s.add(Setting(key=journal.STORE_ID, value=chain))
        digest = s.execute(select(JournalEntry.hash).where(JournalEntry.seq == at)).scalar_one()
        seal = journal.Seal(
            1,
            "2026-12-07T00:00:00+00:00",
            journal.public_hex(key),
            None,
            {chain: (at, digest), "st-other-00000000": (3, "a" * 64)},
        )
        seal = journal.Seal(
            seal.number,
            seal.sealed_at,
            seal.key,
            seal.central,
            seal.chains,
            key.sign(seal.message()).hex(),
        )
        assert journal.keep_seal(s, seal.to_text(), seal.key) is None


def test_a_kept_seal_catches_a_deleted_tail_and_a_deleted_journal(store: Store) -> None:
    _fill(store)
    key = Ed25519PrivateKey.generate()
    _sealed(store, key, "st-0123456789abcdef", at=15)
    assert _verify(store) == journal.VerifyResult(True, N, sealed_seq=15)
    with store.write() as s:
        s.execute(text("DELETE FROM journal WHERE seq >= 12"))
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, 12)
    assert result.problem == (
        "the chain ends at entry 11 but the central store sealed it at entry 15: "
        "entries 12-15 were deleted"
    )
    with store.write() as s:
        s.execute(text("DELETE FROM journal"))
    assert (_verify(store).ok, _verify(store).broken_seq) == (False, 1)


def test_a_kept_seal_catches_a_rewrite_made_with_the_stores_own_key(store: Store) -> None:
    """Whoever holds the whole file (key included) can re-mark a rewritten chain; the head
    the central store sealed is what no longer matches."""
    _fill(store)
    _sealed(store, Ed25519PrivateKey.generate(), "st-0123456789abcdef", at=N)
    with store.write() as s:
        own = journal.chain_key(s, journal.SELF)
        assert own is not None and own.secret is not None
        entries = s.scalars(select(JournalEntry).order_by(JournalEntry.seq)).all()
        prev = journal.GENESIS
        for e in entries:
            if e.seq == 7:
                e.payload = {"i": 7, "note": "改过"}
            e.prev_hash = prev
            e.hash = journal.entry_hash(e)
            e.mac = journal.mac_of(own.secret, e.hash)
            prev = e.hash
    result = _verify(store)
    assert (result.ok, result.broken_seq) == (False, N)
    assert result.problem == f"entry {N} is not the entry the central store sealed (rewritten)"


def test_a_kept_seal_that_was_altered_is_named(store: Store) -> None:
    _fill(store)
    _sealed(store, Ed25519PrivateKey.generate(), "st-0123456789abcdef", at=10)
    with store.write() as s:  # move the sealed head back, to hide a deleted tail
        row = s.get(Setting, journal.SEAL)
        assert row is not None
        row.value = row.value.replace('"st-0123456789abcdef":[10,', '"st-0123456789abcdef":[9,')
    result = _verify(store)
    assert not result.ok
    assert result.problem == "the journal seal's signature does not verify (the seal was altered)"


def test_keep_seal_pins_the_first_key_and_refuses_a_forged_one(store: Store) -> None:
    _fill(store)
    _sealed(store, Ed25519PrivateKey.generate(), "st-0123456789abcdef", at=5)
    other = Ed25519PrivateKey.generate()
    seal = journal.Seal(2, "2026-12-08T00:00:00+00:00", journal.public_hex(other), None, {})
    seal = journal.Seal(2, seal.sealed_at, seal.key, None, {}, other.sign(seal.message()).hex())
    with store.write() as s:
        problem = journal.keep_seal(s, seal.to_text(), seal.key)
    assert problem is not None and "sealing key changed" in problem
    assert _verify(store).sealed_seq == 5  # the first seal is still the one kept


def test_tampered_sqlite_copy(tmp_path: Path) -> None:
    """Tamper with a copy of the file (outside the program); the original stays intact."""
    original = tmp_path / "orig.db"
    store = Store(f"sqlite:///{original}", tmp_path / "blobs")
    from reviewdb import migrate

    migrate.upgrade(store)
    _fill(store)
    store.dispose()

    def copy(name: str) -> Path:
        path = tmp_path / name
        src, dst = sqlite3.connect(original), sqlite3.connect(path)
        with dst:
            src.backup(dst)  # includes anything still in the WAL
        src.close()
        dst.close()
        return path

    cases = {
        "altered.db": ("UPDATE journal SET payload = '{}' WHERE seq = 5", 5),
        "deleted.db": ("DELETE FROM journal WHERE seq = 9", 9),
        "forged.db": (
            "UPDATE journal SET seq = seq + 1000 WHERE seq >= 15;"
            "UPDATE journal SET seq = seq - 999 WHERE seq >= 1000;"
            "INSERT INTO journal (seq, entry_id, actor, workstation, device_time, store_time,"
            " action, case_id, payload, prev_hash, hash)"
            " SELECT 15, 'forged', 'mallory', workstation, device_time, store_time, 'decide',"
            " NULL, '{}', hash, hash FROM journal WHERE seq = 14",
            15,
        ),
    }
    for name, (sql, seq) in cases.items():
        path = copy(name)
        with sqlite3.connect(path) as conn:
            conn.executescript(sql)
        conn.close()
        tampered = Store(f"sqlite:///{path}", tmp_path / "blobs")
        result = _verify(tampered)
        tampered.dispose()
        assert (name, result.ok, result.broken_seq) == (name, False, seq)

    store = Store(f"sqlite:///{original}", tmp_path / "blobs")
    assert _verify(store) == journal.VerifyResult(True, N)
    store.dispose()


def test_a_central_sqlite_file_keeps_the_same_rules(sqlite_url: str, tmp_path: Path) -> None:
    """PythonOps (a central SQLite file) appends as rd_append_journal does: registered chains
    only, at the next position, each mark checked; a key is never swapped."""
    from types import SimpleNamespace

    from reviewdb import migrate
    from reviewdb.arbiter import ArbiterRefusal
    from reviewdb.central import PythonOps
    from reviewdb.models import CentralJournalEntry

    central = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(central)
    sid, key = "st-0123456789abcdef", journal.new_secret()

    def entry(seq: int, prev: str, mark_key: str | None = key) -> dict[str, object]:
        e: dict[str, object] = {
            "chain": sid,
            "seq": seq,
            "entry_id": f"00000000-0000-4000-8000-{seq:012d}",
            "actor": "ra",
            "workstation": "ws",
            "device_time": _T0,
            "store_time": _T0,
            "action": "view",
            "case_id": None,
            "payload": {"n": seq},
            "prev_hash": prev,
        }
        e["hash"] = journal.entry_hash(SimpleNamespace(**e))
        e["mac"] = journal.mac_of(mark_key, str(e["hash"])) if mark_key else None
        return e

    def refused(e: dict[str, object]) -> str:
        with pytest.raises(ArbiterRefusal) as info, central.write() as s:
            PythonOps(s).append_journal([e])
        return info.value.code

    first = entry(1, journal.GENESIS)
    assert refused(first) == "not_yours"  # not registered yet
    with central.write() as s:
        assert PythonOps(s).register_station(sid, key, 1) == 1
        assert PythonOps(s).register_station(sid, key, 1) == 1  # again: the same
    with pytest.raises(ArbiterRefusal) as info, central.write() as s:
        PythonOps(s).register_station(sid, journal.new_secret(), 1)
    assert info.value.code == "not_yours"
    assert refused(entry(1, journal.GENESIS, journal.new_secret())) == "bad_mac"
    assert refused(entry(1, journal.GENESIS, None)) == "bad_mac"
    with central.write() as s:
        PythonOps(s).append_journal([first, first])  # a repeat is a no-op
    assert refused(entry(3, str(first["hash"]))) == "not_next"
    assert refused(entry(2, "e" * 64)) == "not_next"
    assert refused({**entry(1, journal.GENESIS), "entry_id": "other"}) == "id_reused"
    with central.write() as s:
        PythonOps(s).append_journal([entry(2, str(first["hash"]))])
    with central.read() as s:
        assert journal.verify_chain(s, sid) == journal.VerifyResult(True, 2)
        assert s.query(CentralJournalEntry).count() == 2
    central.dispose()
