"""Processes for the sync reliability tests: uploader, puller, writers, blob uploader, TCP proxy.

Module-level functions so a ``forkserver``/``spawn`` multiprocessing context can import them
(the tests preload this module in a fork server, so a worker starts in milliseconds and a
``SIGKILL`` lands inside the work, not inside ``import``). The same work is reachable from
a shell::

    python -m tests.integration.sync_workers push  LOCAL_URL CENTRAL_URL [--naive]
    python -m tests.integration.sync_workers pull  LOCAL_URL CENTRAL_URL
    python -m tests.integration.sync_workers blob  CENTRAL_URL FILE
    python -m tests.integration.sync_workers proxy TARGET_PORT   (stdin: cut | heal | quit)

Each prints ``ready`` once it is about to start the work, then ``done`` when it finished.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import signal
import socket
import sys
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import BigInteger, Integer, insert, select, text, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.sync.engine import SyncEngine, enqueue_decision
from reviewdb import changes, migrate
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central import ops_for
from reviewdb.engine import Store
from reviewdb.journal import store_now
from reviewdb.models import Case, Claim, Decision, User, UserDistrict
from tests.factories import DISTRICTS, bulk_cases

# --- worlds made fast (bulk rows, stamped so they are pullable) -------------------------


def stamp_all(store: Store, per_seq: int = 2) -> int:
    """Give every case (and its claim), round and user a change_seq, ``per_seq`` cases sharing
    one value (so the pull's keyset tie-break on id is exercised); raise the counter past
    them. Returns the counter's new value."""
    with store.write() as s:
        base = int(s.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar_one())
        s.execute(
            text(
                "UPDATE cases SET change_seq = :base + 1 + (r.rn - 1) / :k FROM "
                "(SELECT id, row_number() OVER (ORDER BY id) AS rn FROM cases) AS r "
                "WHERE cases.id = r.id"
            ),
            {"base": base + 1, "k": per_seq},
        )
        s.execute(
            text(
                "UPDATE claims SET change_seq = cases.change_seq FROM cases "
                "WHERE cases.id = claims.case_id"
            )
        )
        s.execute(
            text(
                "UPDATE case_rounds SET change_seq = cases.change_seq FROM cases "
                "WHERE cases.id = case_rounds.case_id"
            )
        )
        s.execute(text("UPDATE users SET change_seq = :v"), {"v": base + 1})
        top = s.execute(text("SELECT max(change_seq) FROM cases")).scalar()
        top = max(int(top or 0), base + 1)
        s.execute(text("UPDATE change_counter SET value = :v WHERE id = 1"), {"v": top})
    return top


def add_reviewers(store: Store, names: list[str]) -> list[str]:
    """Reviewers who may act in every district of tests.factories; returns their ids."""
    ids = [str(uuid.uuid4()) for _ in names]
    now = dt.datetime.now(dt.UTC)
    with store.write() as s:
        s.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "username": name,
                    "display_name": name,
                    "role": "reviewer",
                    "reviewer_code": f"S{i:04d}",
                    "password_hash": "-",
                    "disabled": False,
                    "failed_logins": 0,
                    "created_at": now,
                }
                for i, (uid, name) in enumerate(zip(ids, names, strict=True))
            ],
        )
        s.execute(
            insert(UserDistrict),
            [{"user_id": uid, "district_code": code} for uid in ids for code, _ in DISTRICTS],
        )
    return ids


def bulk_central(
    url: str, blob_dir: Path, n: int, *, seed: int = 5, pending: bool = True
) -> tuple[Store, list[str], list[str]]:
    """A central store (PostgreSQL or SQLite file) with ``n`` bulk cases and two reviewers
    (r1, r2); returns (store, case ids, reviewer ids)."""
    central = Store(url, blob_dir)
    migrate.upgrade(central)
    if not central.is_sqlite:
        from reviewdb import central_pg

        central_pg.install(central.engine)
    case_ids = bulk_cases(central, n, seed=seed)
    reviewers = add_reviewers(central, ["r1", "r2"])
    if pending:
        with central.write() as s:
            s.execute(update(Case).values(status="pending", decided_at=None))
    stamp_all(central)
    return central, case_ids, reviewers


def claim_all(central: Store, case_ids: list[str], user_id: str, hours: float = 24) -> int:
    """Give ``user_id`` the lease of every case at once (token + 1), stamped; returns token."""
    with central.write() as s:
        now = store_now(s)
        for start in range(0, len(case_ids), 1000):
            s.execute(
                update(Claim)
                .where(Claim.case_id.in_(case_ids[start : start + 1000]))
                .values(
                    owner_id=user_id,
                    token=Claim.token + 1,
                    leased_until=now + dt.timedelta(hours=hours),
                    claimed_at=now,
                    workstation="ws-bulk",
                )
            )
        rows = list(s.scalars(select(Claim).where(Claim.owner_id == user_id)))
        changes.stamp(s, rows)
        return int(rows[0].token) if rows else 0


def new_local(path: Path) -> Store:
    local = Store(f"sqlite:///{path}", path.with_suffix(".blobs"))
    migrate.upgrade(local)
    return local


def queue_decisions(
    local: Store, case_ids: list[str], reviewer_id: str, token: int, *, seed: int = 3
) -> list[str]:
    """What ``Workflow._record_for_upload`` writes, in bulk: for each case a local decision in
    state 'submitted', the case showing the outcome, the lease cleared and an outbox item,
    all in one local transaction. Returns the decision ids."""
    rng = random.Random(seed)
    ids = []
    t0 = dt.datetime.now(dt.UTC)
    with local.write() as s:
        now = store_now(s)
        for i, case_id in enumerate(case_ids):
            outcome = rng.choice(("approve", "reject", "return"))
            codes = [] if outcome == "approve" else [rng.choice(("PHOTO_UNCLEAR", "NO_LEASE"))]
            rec = DecisionRecord(
                decision_id=str(uuid.uuid4()),
                case_id=case_id,
                round_no=1,
                outcome=outcome,
                reasons={
                    "codes": codes,
                    "missing": [],
                    "note_to_parent": f"第{i}号：请于三日内补交材料" if codes else None,
                    "verdicts": {"0": "ok"},
                },
                comment=rng.choice((None, "现场核验", f"备注 {i}")),
                reviewer_id=reviewer_id,
                claim_token=token,
                device_time=t0 - dt.timedelta(seconds=i, microseconds=rng.randrange(10**6)),
                workstation="ws-laptop",
                needs_confirmation=False,
            )
            s.add(
                Decision(
                    id=rec.decision_id,
                    case_id=rec.case_id,
                    round_no=rec.round_no,
                    outcome=rec.outcome,
                    reasons=rec.reasons,
                    comment=rec.comment,
                    reviewer_id=rec.reviewer_id,
                    claim_token=rec.claim_token,
                    device_time=rec.device_time,
                    store_time=now,
                    state="submitted",
                    effective=False,
                    workstation=rec.workstation,
                )
            )
            enqueue_decision(s, rec)
            ids.append(rec.decision_id)
        s.flush()
        statuses = {"approve": "approved", "reject": "rejected", "return": "returned"}
        for d in s.scalars(select(Decision).where(Decision.state == "submitted")):
            s.execute(update(Case).where(Case.id == d.case_id).values(status=statuses[d.outcome]))
        for start in range(0, len(case_ids), 1000):
            s.execute(
                update(Claim)
                .where(Claim.case_id.in_(case_ids[start : start + 1000]))
                .values(owner_id=None, leased_until=None)
            )
    return ids


# --- the uploader ---------------------------------------------------------------------


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class CrashingEngine(SyncEngine):
    """The real engine, plus kill -9 injected at the crash points a timer rarely hits.

    In batch number ``crash_batch`` (0-based, this run) the process kills itself at
    ``point``: ``"mid"`` at a random item inside the open central transaction, ``"after"``
    after the central commit and before the local "sent" mark (the window the idempotency
    key exists for).
    """

    def __init__(
        self, *args: Any, seed: int, point: str, crash_batch: int | None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self._rng = random.Random(seed)
        self._point = point
        self._crash_batch = crash_batch
        self._batch_no = -1
        self._die_at: int | None = None
        self._applied = 0

    def _apply_item(self, ops: Any, item: Any, cs: Any) -> str | None:  # type: ignore[override]
        if self._die_at is not None and self._applied >= self._die_at:
            _die()
        self._applied += 1
        return SyncEngine._apply_item(ops, item, cs)

    def _push_batch(self, items: Any) -> dict[str, tuple[str | None, str | None]]:
        self._batch_no += 1
        crash = self._batch_no == self._crash_batch
        self._applied = 0
        self._die_at = self._rng.randrange(len(items)) if crash and self._point == "mid" else None
        out = super()._push_batch(items)
        if crash and self._point == "after":
            _die()
        return out


class NaiveEngine(CrashingEngine):
    """Negative control: resends carry a fresh decision id (no idempotency key)."""

    def _apply_item(self, ops: Any, item: Any, cs: Any) -> str | None:  # type: ignore[override]
        if self._die_at is not None and self._applied >= self._die_at:
            _die()
        self._applied += 1
        body = dict(item.body)
        if item.item_type == "decision":
            body["decision_id"] = str(uuid.uuid4())
        return SyncEngine._apply_item(ops, SimpleNamespace(item_type=item.item_type, body=body), cs)


def push_worker(
    local_url: str,
    central_url: str,
    ready: Any = None,
    *,
    naive: bool = False,
    seed: int = 0,
    point: str = "none",
    crash_batch: int | None = None,
) -> None:
    """Send the outbox until it is empty (the whole of ``SyncEngine.push``)."""
    cls = NaiveEngine if naive else CrashingEngine
    engine = cls(
        Store(local_url), Store(central_url), seed=seed, point=point, crash_batch=crash_batch
    )
    engine.check_version()
    if ready is not None:
        ready.set()
    engine.push()


def pull_worker(local_url: str, central_url: str, ready: Any = None) -> None:
    """An initial (or resumed) pull: ``SyncEngine.pull``."""
    engine = SyncEngine(Store(local_url), Store(central_url))
    engine.check_version()
    if ready is not None:
        ready.set()
    engine.pull()


# --- decisions race -----------------------------------------------------------------


def decision_racer(
    url: str,
    blob_dir: str,
    worker: int,
    cases: list[tuple[str, int]],
    reviewer_id: str,
    stale_share: float,
    barrier: Any,
) -> list[tuple[str, str, int, str]]:
    """Submit one decision per case, with the current token or a stale one.

    Worker 0 always uses the current token, so every case has at least one contender that
    can win. Returns (decision id, case id, token sent, state the arbiter answered).
    """
    store = Store(url, Path(blob_dir))
    rng = random.Random(1000 + worker)
    order = list(cases)
    rng.shuffle(order)
    barrier.wait()
    out = []
    for case_id, token in order:
        stale = worker != 0 and rng.random() < stale_share
        sent = token - 1 if stale else token
        rec = DecisionRecord(
            decision_id=str(uuid.uuid4()),
            case_id=case_id,
            round_no=1,
            outcome=rng.choice(("approve", "reject", "return")),
            reasons={"codes": [f"R{worker}"], "missing": [], "note_to_parent": "请补充材料"},
            comment=f"worker {worker}",
            reviewer_id=reviewer_id,
            claim_token=sent,
            device_time=dt.datetime.now(dt.UTC),
            workstation=f"ws-{worker}",
            needs_confirmation=False,
        )
        for attempt in range(20):
            try:
                with store.write() as s:
                    state = ops_for(s).submit_decision(rec)
                break
            except ArbiterRefusal:
                raise
            except Exception:  # serialization failure / deadlock under contention: retry
                if attempt == 19:
                    raise
                time.sleep(0.01 * (attempt + 1))
        out.append((rec.decision_id, case_id, sent, state))
    store.dispose()
    return out


# --- cursor writers -----------------------------------------------------------------


class ProbeBase(DeclarativeBase):
    pass


class Probe(ProbeBase):
    """One row per writing transaction: ``id`` is a plain auto-increment, ``change_seq`` the
    commit-ordered counter."""

    __tablename__ = "sync_probe"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    writer: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


def cursor_writer(url: str, writer: int, n: int, max_delay: float, barrier: Any) -> list[int]:
    """``n`` transactions, each: insert (id taken), sleep, stamp (counter taken), sleep, commit."""
    store = Store(url)
    rng = random.Random(writer)
    committed: list[int] = []
    barrier.wait()
    for i in range(n):
        with store.write() as s:
            row = Probe(writer=writer, n=i)
            s.add(row)
            s.flush()  # the auto-increment id is handed out here, long before commit
            time.sleep(rng.uniform(0, max_delay))
            changes.stamp(s, [row])  # the counter: last statement, locked until commit
            time.sleep(rng.uniform(0, max_delay / 4))
        committed.append(row.id)
    store.dispose()
    return committed


# --- images ----------------------------------------------------------------------------


def blob_worker(central_url: str, path: str, ready: Any = None) -> None:
    store = Store(central_url)
    data = Path(path).read_bytes()
    if ready is not None:
        ready.set()
    store.blobs.put(data, media_type="image/jpeg")  # type: ignore[call-arg]


# --- a real TCP proxy ------------------------------------------------------------------


class Proxy:
    """Forwards 127.0.0.1:<port> to a target port; ``cut()`` resets every connection and
    refuses new ones until ``heal()``."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.closed = False
        self.refused = 0
        self.forwarded = 0
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            # SO_LINGER 0: close sends RST, like a dropped route or a killed server.
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _accept_loop(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                self.refused += 1
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                self._reset(client)
                continue
            pair = (client, upstream)
            with self._lock:
                self._pairs.add(pair)
            self.forwarded += 1
            threading.Thread(target=self._pump, args=(client, upstream, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: Any) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._pairs.discard(pair)
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        with self._lock:
            pairs = list(self._pairs)
            self._pairs.clear()
        for a, b in pairs:
            self._reset(a)
            self._reset(b)

    def heal(self) -> None:
        self.up = True

    def close(self) -> None:
        self.closed = True
        self.cut()
        with contextlib.suppress(OSError):
            self.listener.close()


# --- command line -------------------------------------------------------------------


class _Printer:
    def set(self) -> None:
        print("ready", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.integration.sync_workers")
    sub = p.add_subparsers(dest="cmd", required=True)
    push = sub.add_parser("push")
    push.add_argument("local")
    push.add_argument("central")
    push.add_argument("--naive", action="store_true")
    pull = sub.add_parser("pull")
    pull.add_argument("local")
    pull.add_argument("central")
    blob = sub.add_parser("blob")
    blob.add_argument("central")
    blob.add_argument("file")
    proxy = sub.add_parser("proxy")
    proxy.add_argument("target_port", type=int)
    args = p.parse_args(argv)
    if args.cmd == "push":
        push_worker(args.local, args.central, _Printer(), naive=args.naive)
    elif args.cmd == "pull":
        pull_worker(args.local, args.central, _Printer())
    elif args.cmd == "blob":
        blob_worker(args.central, args.file, _Printer())
    else:
        px = Proxy(args.target_port)
        print(px.port, flush=True)
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "cut":
                px.cut()
            elif cmd == "heal":
                px.heal()
            elif cmd == "quit":
                break
            print(f"{cmd} ok refused={px.refused} forwarded={px.forwarded}", flush=True)
        px.close()
        return 0
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
