"""The sync's reliability table (SYNC.md "Reliability tests to own"): real processes, real
PostgreSQL (and a central SQLite file where it applies), kill -9, a real TCP proxy.

Every test prints its counts (``pytest -s``) and puts them in its assertion messages. Sizes
are small by default so the suite runs in CI; ``REVIEWDESK_SOAK=1`` switches to the full
sizes of SYNC.md (``python -m benchmarks.soak_sync`` does that and prints the counts).
Single sizes can be set with ``REVIEWDESK_SYNC_<NAME>`` (see ``_size``).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import multiprocessing as mp
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, make_url, select, text, update

from app.cli import main as cli_main
from app.review.workflow import DecisionInput
from app.sync.engine import BACKOFF_CAP, PUSH_BATCH, SyncEngine, skewed_clock, wait_drained
from reviewdb import migrate
from reviewdb.blobs import CHUNK_BYTES, BlobError, sha256_hex
from reviewdb.central import committed_change_value
from reviewdb.engine import Store
from reviewdb.models import (
    Case,
    CaseRound,
    CentralJournalEntry,
    Claim,
    Decision,
    JournalEntry,
    OutboxItem,
    Setting,
)
from tests.integration import sync_workers as sw
from tests.integration.sync_fixtures import central_world, offline, workstation

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

SOAK = os.environ.get("REVIEWDESK_SOAK") == "1"


def _size(name: str, ci: int, soak: int) -> int:
    return int(os.environ.get(f"REVIEWDESK_SYNC_{name}", soak if SOAK else ci))


@functools.cache
def _ctx() -> Any:
    """A fork server with the workers' imports preloaded: a worker starts in milliseconds,
    so a timed SIGKILL lands in the sync work, not in ``import``."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.integration.sync_workers"])
    return ctx


def _count(store: Store, model: Any, *where: Any) -> int:
    with store.read() as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def _report(line: str) -> str:
    print(f"\n[sync-reliability] {line}", flush=True)
    return line


# --- 1. decision race ----------------------------------------------------------------


def test_decision_race_one_accepted_per_case_stale_kept_as_conflicts(
    db_url: str, tmp_path: Path
) -> None:
    """Many processes submit decisions for the same cases, with the current claim token and
    with stale ones: every case ends with exactly one accepted decision, every decision
    is stored, and every stale one is a conflict."""
    n = _size("RACE_CASES", 100, 1000)
    workers = 6
    central, case_ids, (r1, _) = sw.bulk_central(db_url, tmp_path / "cb", n)
    token = sw.claim_all(central, case_ids, r1)
    ctx = _ctx()
    with ctx.Manager() as manager:
        barrier = manager.Barrier(workers)
        with ctx.Pool(workers) as pool:
            results = pool.starmap(
                sw.decision_racer,
                [
                    (
                        db_url,
                        str(tmp_path / "cb"),
                        w,
                        [(c, token) for c in case_ids],
                        r1,
                        0.4,
                        barrier,
                    )
                    for w in range(workers)
                ],
            )
    sent = [r for rs in results for r in rs]
    with central.read() as s:
        rows = {
            d.id: (d.case_id, d.claim_token, d.state, d.effective)
            for d in s.scalars(select(Decision))
        }
    accepted = Counter(c for c, _, state, eff in rows.values() if state == "accepted" and eff)
    stale = [r for r in sent if r[2] != token]
    late = [r for r in sent if r[2] == token and r[3] == "conflict"]
    line = _report(
        f"decision race ({central.url.get_backend_name()}): {workers} processes x {n} cases = "
        f"{len(sent)} decisions; stored {len(rows)}; accepted {sum(accepted.values())} "
        f"({sum(1 for v in accepted.values() if v > 1)} cases with >1); stale {len(stale)} -> "
        f"conflicts {sum(1 for r in stale if rows[r[0]][2] == 'conflict')}; current-token "
        f"but late: {len(late)} conflicts"
    )
    assert len(rows) == len(sent) == workers * n, line  # nothing dropped
    assert set(accepted) == set(case_ids) and set(accepted.values()) == {1}, line
    assert all(rows[d][2] == state for d, _, _, state in sent), line  # answers are the truth
    assert all(rows[r[0]][2] == "conflict" and not rows[r[0]][3] for r in stale), line
    assert all(rows[r[0]][1] == token for r in sent if r[3] == "accepted"), line
    assert len(stale) > 0 and len(late) > 0, line


# --- 2. cursor follows commit order ------------------------------------------------


def _poll(store: Store, kind: str, stop: threading.Event, out: list[int]) -> None:
    """A puller that polls until the writers are done, then drains; records what it saw."""
    cursor = 0
    P = sw.Probe
    while True:
        done = stop.is_set()
        with store.read() as s:
            if kind == "counter":  # the engine's rule: change_seq > cursor AND <= committed
                high = committed_change_value(s)
                stmt = (
                    select(P.id, P.change_seq)
                    .where(P.change_seq > cursor, P.change_seq <= high)
                    .order_by(P.change_seq)
                )
            elif kind == "unbounded":  # change_seq without the committed-counter bound
                stmt = (
                    select(P.id, P.change_seq).where(P.change_seq > cursor).order_by(P.change_seq)
                )
            else:  # the classic bug: a plain auto-increment cursor
                stmt = select(P.id, P.id).where(P.id > cursor).order_by(P.id)
            rows = s.execute(stmt.limit(200)).all()
        out.extend(int(r[0]) for r in rows)
        if rows:
            cursor = int(rows[-1][1])
        elif done:
            return
        else:
            time.sleep(0.0005)


def test_cursor_delivers_every_committed_change_exactly_once(pg_url: str, tmp_path: Path) -> None:
    per_writer = _size("CURSOR_PER_WRITER", 200, 400)
    writers = 4
    store = Store(pg_url, tmp_path / "b")
    migrate.upgrade(store)
    sw.ProbeBase.metadata.create_all(store.engine)
    stop = threading.Event()
    seen: dict[str, list[int]] = {"counter": [], "unbounded": [], "autoincrement": []}
    threads = [
        threading.Thread(target=_poll, args=(Store(pg_url, tmp_path / "b"), k, stop, v))
        for k, v in seen.items()
    ]
    for t in threads:
        t.start()
    ctx = _ctx()
    try:
        with ctx.Manager() as manager:
            barrier = manager.Barrier(writers)
            with ctx.Pool(writers) as pool:
                committed_lists = pool.starmap(
                    sw.cursor_writer,
                    [(pg_url, w, per_writer, 0.004, barrier) for w in range(writers)],
                )
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    committed = {i for ids in committed_lists for i in ids}
    counts = {k: Counter(v) for k, v in seen.items()}
    skipped = {k: len(committed - set(c)) for k, c in counts.items()}
    dup = {k: sum(1 for n in c.values() if n > 1) for k, c in counts.items()}
    line = _report(
        f"cursor: {writers} writers, {len(committed)} committed changes; "
        + "; ".join(f"{k} cursor skipped {skipped[k]}, duplicated {dup[k]}" for k in seen)
    )
    assert len(committed) == writers * per_writer, line
    assert skipped["counter"] == 0 and dup["counter"] == 0, line
    assert set(counts["counter"]) == committed, line
    if skipped["autoincrement"] == 0:
        pytest.fail(
            "negative control: the auto-increment cursor skipped nothing, so the test cannot "
            "see the bug it guards against; " + line
        )


# --- 3. kill -9 the uploader ------------------------------------------------------------


def _upload_world(url: str, tmp: Path, n: int) -> tuple[Store, Store, list[str], list[str]]:
    central, case_ids, (r1, _) = sw.bulk_central(url, tmp / "cb", n)
    token = sw.claim_all(central, case_ids, r1)
    local = sw.new_local(tmp / "ws.db")
    SyncEngine(local, central).sync_once()  # the partition, with r1's leases
    ids = sw.queue_decisions(local, case_ids, r1, token)
    return central, local, case_ids, ids


def _waiting(local: Store) -> int:
    return _count(
        local, OutboxItem, OutboxItem.sent_at.is_(None), OutboxItem.quarantined.is_(False)
    )


def _push_under_kills(
    local: Store, central: Store, central_url: str, kills: int, *, naive: bool, seed: int
) -> Counter[str]:
    """Start uploaders and kill -9 them until ``kills`` kills landed, then one clean run.

    Crash points cycle through: a timer (anywhere: connecting, inside the central
    transaction, during the local mark, the journal), "mid" (inside the open central
    transaction) and "after" (central committed, local "sent" mark not yet written). Each
    run is told in which of its batches to die, paced so the kills spread over the whole
    outbox; a timer run carries an "after" crash in its last batch as a backstop, so no run
    drains the outbox before the kills are done.
    """
    ctx = _ctx()
    rng = random.Random(seed)
    stats: Counter[str] = Counter()
    points = itertools.cycle(("after", "timer", "mid"))
    local_url = local.url.render_as_string(hide_password=False)
    while stats["kills"] < kills:
        waiting = _waiting(local)
        if waiting == 0:
            break
        batches = math.ceil(waiting / PUSH_BATCH)
        remaining = kills - stats["kills"]
        crash_batch = rng.randrange(max(1, min(batches, round(2 * batches / (remaining + 1)))))
        point = next(points)
        if point == "timer":
            crash_batch = batches - 1
        ready = ctx.Event()
        p = ctx.Process(
            target=sw.push_worker,
            args=(local_url, central_url, ready),
            kwargs={
                "naive": naive,
                "seed": rng.randrange(2**31),
                "point": "after" if point == "timer" else point,
                "crash_batch": crash_batch,
            },
        )
        p.start()
        assert ready.wait(60), "uploader did not start"
        if point == "timer":
            time.sleep(rng.uniform(0, 0.12))
            if p.is_alive():
                p.kill()
        p.join(120)
        stats["runs"] += 1
        if p.exitcode == -9:
            stats["kills"] += 1
            stats[f"kill@{point}"] += 1
            central_n = _count(central, Decision)
            marked = _count(local, OutboxItem, OutboxItem.sent_at.is_not(None))
            if central_n > marked:
                stats["kills leaving central ahead of the local mark"] += 1
        else:
            assert p.exitcode == 0, f"uploader failed with exit code {p.exitcode}"
            stats["completed"] += 1
    p = ctx.Process(target=sw.push_worker, args=(local_url, central_url), kwargs={"naive": naive})
    p.start()
    p.join(300)
    assert p.exitcode == 0
    return stats


DECISION_COLUMNS = (
    "id",
    "case_id",
    "round_no",
    "outcome",
    "reasons",
    "comment",
    "reviewer_id",
    "claim_token",
    "device_time",
    "workstation",
)


def _decisions(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.read() as s:
        return {
            d.id: tuple(getattr(d, c) for c in DECISION_COLUMNS)
            for d in s.scalars(select(Decision))
        }


def test_kill_the_uploader_nothing_lost_nothing_duplicated(pg_url: str, tmp_path: Path) -> None:
    n = _size("UPLOAD_DECISIONS", 200, 2000)
    kills = _size("UPLOAD_KILLS", 20, 100)
    central, local, case_ids, ids = _upload_world(pg_url, tmp_path, n)
    t0 = time.perf_counter()
    stats = _push_under_kills(local, central, pg_url, kills, naive=False, seed=1)
    elapsed = time.perf_counter() - t0
    here, there = _decisions(local), _decisions(central)
    lost = set(ids) - set(there)
    per_case = Counter(row[1] for row in there.values())
    duplicated = sum(v - 1 for v in per_case.values())
    differ = [d for d in ids if d in there and here[d] != there[d]]
    with central.read() as s:
        states = Counter(s.scalars(select(Decision.state)))
    with local.read() as s:
        local_states = Counter(s.scalars(select(Decision.state)))
    line = _report(
        f"uploader kill -9: {n} decisions, {stats['kills']} kills in {stats['runs']} runs "
        f"({', '.join(f'{k} {v}' for k, v in sorted(stats.items()) if k.startswith('kill'))}) "
        f"-> lost {len(lost)}, duplicated {duplicated}, bodies differing {len(differ)}; "
        f"central states {dict(states)}; local states {dict(local_states)}; {elapsed:.1f} s"
    )
    assert stats["kills"] >= kills, line
    assert stats["kills leaving central ahead of the local mark"] > 0, line
    assert not lost and duplicated == 0 and not differ, line
    assert len(there) == n and states == Counter({"accepted": n}), line
    assert local_states == Counter({"accepted": n}) and _waiting(local) == 0, line


def test_negative_control_uploader_without_idempotency_key_duplicates(
    pg_url: str, tmp_path: Path
) -> None:
    n = _size("NAIVE_DECISIONS", 100, 2000)
    kills = _size("NAIVE_KILLS", 10, 100)
    central, local, case_ids, ids = _upload_world(pg_url, tmp_path, n)
    stats = _push_under_kills(local, central, pg_url, kills, naive=True, seed=2)
    there = _decisions(central)
    duplicated = len(there) - n
    line = _report(
        f"naive uploader (fresh id on resend): {n} decisions, {stats['kills']} kills "
        f"-> {len(there)} central rows, {duplicated} duplicates"
    )
    if duplicated <= 0:
        pytest.fail("negative control: no duplicates, so the test cannot see the bug; " + line)


# --- 4. kill -9 the puller ----------------------------------------------------------------


def _case_snapshot(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.read() as s:
        cases = {
            r["id"]: tuple(sorted(r.items())) for r in s.execute(select(Case.__table__)).mappings()
        }
        rounds = {
            r["case_id"]: tuple(sorted(r.items()))
            for r in s.execute(select(CaseRound.__table__)).mappings()
        }
        claims = {
            r["case_id"]: tuple(sorted(r.items()))
            for r in s.execute(select(Claim.__table__)).mappings()
        }
    return {cid: (row, rounds.get(cid), claims.get(cid)) for cid, row in cases.items()}


def _cursor(local: Store) -> tuple[int, str]:
    with local.read() as s:
        row = s.get(Setting, "sync.cursor.cases")
        raw = row.value if row else "0|"
    seq, _, key = raw.partition("|")
    return int(seq), key


def test_kill_the_puller_cursor_never_ahead_of_data(pg_url: str, tmp_path: Path) -> None:
    n = _size("PULL_CASES", 2000, 20000)
    max_kills = _size("PULL_KILLS", 12, 60)
    central, case_ids, _ = sw.bulk_central(pg_url, tmp_path / "cb", n, pending=False)
    truth = _case_snapshot(central)
    with central.read() as s:
        order = {cid: (int(seq), cid) for cid, seq in s.execute(select(Case.id, Case.change_seq))}
    local = sw.new_local(tmp_path / "ws.db")
    local_url = local.url.render_as_string(hide_password=False)
    ctx = _ctx()
    rng = random.Random(4)
    kills = checks = 0
    cursors = []
    finished = False
    # Kill after a random delay; when a kill found the cursor where it was, widen the range
    # (the first page is slow: users, districts, clock), so kills spread over the pull.
    span = 0.2
    last = (0, "")
    while not finished:
        ready = ctx.Event()
        p = ctx.Process(target=sw.pull_worker, args=(local_url, pg_url, ready))
        p.start()
        assert ready.wait(60)
        if kills < max_kills:
            time.sleep(rng.uniform(0, span))
            if p.is_alive():
                p.kill()
        p.join(600)
        if p.exitcode == -9:
            kills += 1
        else:
            assert p.exitcode == 0, p.exitcode
            finished = True
        cursor = _cursor(local)
        cursors.append(cursor[0])
        span = span * 1.5 if cursor == last else span
        last = cursor
        here = _case_snapshot(local)
        expected = {cid for cid, key in order.items() if key <= cursor}
        behind = expected - set(here)
        ahead = set(here) - expected
        wrong = [cid for cid in here if here[cid] != truth[cid]]
        checks += 1
        line = (
            f"after run {checks} (cursor seq {cursor[0]}): {len(here)} local cases, "
            f"{len(behind)} missing at or below the cursor, {len(ahead)} beyond it, {len(wrong)} differ"
        )
        assert not behind and not ahead and not wrong, line
    here = _case_snapshot(local)
    line = _report(
        f"puller kill -9: {n} cases, {kills} kills, {checks} checks; cursor seqs {cursors[:8]}"
        f"{'…' if len(cursors) > 8 else ''}; final local == central: {here == truth}"
    )
    assert here == truth, line
    assert kills >= min(3, max_kills), line


# --- 5. offline checkout, leases expire, another reviewer decides ----------------------


def test_offline_checkout_counted(pg_url: str, tmp_path: Path) -> None:
    n = _size("CHECKOUT_CASES", 24, 50)
    lost_n = n // 4
    central, world = central_world(pg_url, tmp_path, n_cases=n)
    laptop = workstation(central, tmp_path, "laptop")
    office = workstation(central, tmp_path, "office")
    done, skipped = laptop.sync.checkout(
        "南昌市东湖区育新学校", world.alice.user_id, world.alice.workstation, dt.timedelta(hours=36)
    )
    assert len(done) == n and not skipped
    with offline(laptop):
        results = {
            c: laptop.workflow.decide(world.alice, c, DecisionInput("approve")) for c in done
        }
    assert {r.state for r in results.values()} == {"submitted"}
    lost = sorted(done)[:lost_n]
    with central.write() as cs:
        ids = list(cs.scalars(select(Case.id).where(Case.case_no.in_(lost))))
        cs.execute(
            update(Claim)
            .where(Claim.case_id.in_(ids))
            .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    office.sync.sync_once()
    for c in lost:
        office.workflow.claim(world.bob, c)
        assert (
            office.workflow.decide(
                world.bob, c, DecisionInput("reject", reasons=("PHOTO_UNCLEAR",))
            ).state
            == "pending_confirmation"  # a rejection waits for four-eyes; it still stands
        )
    pushed, _ = laptop.sync.sync_once()
    with central.read() as cs:
        states = {c: cs.get(Decision, r.decision_id).state for c, r in results.items()}  # type: ignore[union-attr]
        total = cs.execute(select(func.count()).select_from(Decision)).scalar_one()
        statuses = Counter(cs.scalars(select(Case.status)))
    conflicts = laptop.workflow.conflicts(world.sup)
    line = _report(
        f"offline checkout: {n} cases decided offline, {lost_n} leases expired and decided by bob "
        f"-> sent {pushed.sent}, conflicts {pushed.conflicts}, accepted "
        f"{sum(1 for s in states.values() if s == 'accepted')}, central decisions {total}, "
        f"case statuses {dict(statuses)}, conflicts listed {len(conflicts)}"
    )
    assert (pushed.sent, pushed.conflicts) == (n, lost_n), line
    assert {states[c] for c in lost} == {"conflict"}, line
    assert {states[c] for c in done if c not in lost} == {"accepted"}, line
    assert total == n + lost_n, line  # nothing dropped
    assert statuses == Counter({"approved": n - lost_n, "confirming": lost_n}), line
    assert sorted(c.case_no for c in conflicts) == lost, line


# --- 6. transient failures, then heal: the outbox drains by itself ----------------------


def test_outbox_drains_after_the_network_heals(pg_url: str, tmp_path: Path) -> None:
    n = _size("HEAL_DECISIONS", 100, 1000)
    cut_seconds = float(os.environ.get("REVIEWDESK_SYNC_CUT_SECONDS", "4"))
    central, case_ids, (r1, _) = sw.bulk_central(pg_url, tmp_path / "cb", n)
    token = sw.claim_all(central, case_ids, r1)
    proxy = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sync_workers", "proxy", "5432"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proxy.stdout is not None and proxy.stdin is not None
        port = int(proxy.stdout.readline())

        def command(cmd: str) -> str:
            proxy.stdin.write(cmd + "\n")  # type: ignore[union-attr]
            proxy.stdin.flush()  # type: ignore[union-attr]
            return proxy.stdout.readline().strip()  # type: ignore[union-attr]

        via_proxy = make_url(pg_url).set(port=port)
        local = sw.new_local(tmp_path / "ws.db")
        engine = SyncEngine(local, Store(via_proxy))
        engine.sync_once()  # through the proxy
        sw.queue_decisions(local, case_ids, r1, token)  # the last local writes
        command("cut")
        rounds: list[tuple[float, str]] = []
        crashed: list[BaseException] = []
        stop = threading.Event()

        def run() -> None:
            try:
                engine.watch(0.2, stop, lambda msg: rounds.append((time.monotonic(), msg)))
            except BaseException as exc:  # the watcher must never die of a network error
                crashed.append(exc)

        watcher = threading.Thread(target=run, daemon=True)
        watcher.start()
        time.sleep(cut_seconds)
        alive_at_heal = watcher.is_alive()
        healed_reply = command("heal")
        healed = time.monotonic()
        drained = wait_drained(engine, BACKOFF_CAP + 10)
        took = time.monotonic() - healed
        stop.set()
        watcher.join(BACKOFF_CAP + 10)
        failures = sum(1 for _, m in rounds if m.startswith("sync failed"))
        line = _report(
            f"transient failure: {n} decisions waiting, proxy cut for {cut_seconds:.0f} s "
            f"({healed_reply}); {failures} failed rounds; watcher alive at heal: {alive_at_heal}"
            f"{f' (died: {type(crashed[0]).__name__}: {crashed[0]})' if crashed else ''}; "
            f"drained {drained} {took:.1f} s after healing (cap {BACKOFF_CAP:.0f} s); "
            f"central decisions {_count(central, Decision)}"
        )
        assert alive_at_heal and not crashed, line
        assert drained and took <= BACKOFF_CAP + 5, line
        assert _count(central, Decision) == n, line
    finally:
        if proxy.poll() is None:
            proxy.kill()
        proxy.wait(10)


# --- 7. one poisoned item ---------------------------------------------------------------


def test_one_rejected_item_is_quarantined_the_rest_arrive(db_url: str, tmp_path: Path) -> None:
    n = _size("POISON_DECISIONS", 100, 1000)
    central, local, case_ids, ids = _upload_world(db_url, tmp_path, n)
    poisoned = ids[n // 2]
    with local.write() as s:
        item = s.scalars(select(OutboxItem).where(OutboxItem.ref_id == poisoned)).one()
        item.body = {**item.body, "case_id": "no-such-case"}
    engine = SyncEngine(local, central)
    pushed, pulled = engine.sync_once()
    again, _ = engine.sync_once()
    status = engine.status()
    there = _decisions(central)
    line = _report(
        f"poison ({central.url.get_backend_name()}): {n} items, 1 refused for good -> sent "
        f"{pushed.sent}, quarantined {pushed.quarantined}, central {len(there)}, status "
        f"waiting {status.waiting}, quarantined {len(status.quarantined)} "
        f"({status.quarantined[0][2] if status.quarantined else '-'}); second round sent {again.sent}"
    )
    assert (pushed.sent, pushed.quarantined) == (n - 1, 1), line
    assert set(there) == set(ids) - {poisoned}, line
    assert status.waiting == 0 and [q[1] for q in status.quarantined] == ["decision"], line
    assert again.sent == 0 and pulled is not None, line  # quarantine does not block pulls


# --- 8. clock skew -------------------------------------------------------------------------


def _skew_scenario(url: str, tmp: Path, n: int) -> list[tuple[int, str, str]]:
    """Claim n cases online, decide one online and the rest offline; two leases expire and
    bob decides those; sync. Returns (case index, decision state, case status)."""
    central, world = central_world(url, tmp, n_cases=n)
    ws = workstation(central, tmp, "ws", clock=skewed_clock)
    office = workstation(central, tmp, "office")
    cases = sorted(world.cases)
    for c in cases:
        ws.workflow.claim(world.alice, c)
    results = [ws.workflow.decide(world.alice, cases[0], DecisionInput("approve"))]
    with offline(ws):
        results += [ws.workflow.decide(world.alice, c, DecisionInput("approve")) for c in cases[1:]]
    with central.write() as cs:
        ids = list(cs.scalars(select(Case.id).where(Case.case_no.in_(cases[1:3]))))
        cs.execute(
            update(Claim)
            .where(Claim.case_id.in_(ids))
            .values(leased_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    office.sync.sync_once()
    for c in cases[1:3]:
        office.workflow.claim(world.bob, c)
        office.workflow.decide(world.bob, c, DecisionInput("reject", reasons=("PHOTO_UNCLEAR",)))
    ws.sync.sync_once()
    out = []
    with central.read() as cs:
        for i, (c, r) in enumerate(zip(cases, results, strict=True)):
            d = cs.get(Decision, r.decision_id)
            status = cs.scalars(select(Case.status).where(Case.case_no == c)).one()
            out.append((i, d.state if d else "missing", status))
    central.dispose()
    return out


def test_clock_skew_gives_the_same_outcomes(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = _size("SKEW_CASES", 4, 12)
    outcomes = {}
    admin = make_url(pg_url)
    for label, seconds in (("none", 0), ("-1 day", -86400), ("+1 year", 365 * 86400)):
        monkeypatch.setenv("REVIEWDESK_CLOCK_SKEW_SECONDS", str(seconds))
        # A fresh database per run: the same scenario from the same start.
        db = f"{admin.database}_{abs(seconds)}"
        _create_db(db)
        try:
            outcomes[label] = _skew_scenario(
                admin.set(database=db).render_as_string(hide_password=False),
                tmp_path / str(seconds),
                n,
            )
        finally:
            _drop_db(db)
    line = _report(
        "clock skew: "
        + "; ".join(f"{k}: {dict(Counter((s, st) for _, s, st in v))}" for k, v in outcomes.items())
    )
    assert outcomes["none"] == outcomes["-1 day"] == outcomes["+1 year"], line
    assert Counter(s for _, s, _ in outcomes["none"]) == Counter(
        {"accepted": n - 2, "conflict": 2}
    ), line


def _create_db(name: str) -> None:
    from tests.conftest import _pg_admin

    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_db(name: str) -> None:
    from tests.conftest import _pg_admin

    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- 9. images: kill mid-upload, corrupt a chunk ------------------------------------------


def _blob_world(pg_url: str, tmp: Path) -> Store:
    central = Store(pg_url, tmp / "b")
    migrate.upgrade(central)
    return central


def _kill_mid_upload(
    central: Store, pg_url: str, path: Path, sha: str, at_chunks: int
) -> dict[int, int]:
    ctx = _ctx()
    ready = ctx.Event()
    p = ctx.Process(target=sw.blob_worker, args=(pg_url, str(path), ready))
    p.start()
    assert ready.wait(60)
    deadline = time.monotonic() + 60
    while len(central.blobs.chunk_sizes(sha)) < at_chunks and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.005)
    p.kill()
    p.join(30)
    assert p.exitcode == -9, "the upload finished before it could be killed"
    return central.blobs.chunk_sizes(sha)  # type: ignore[union-attr]


def _present(central: Store, sha: str) -> bool:
    with central.read() as s:
        return bool(
            s.execute(text("SELECT present FROM blobs WHERE sha256 = :s"), {"s": sha}).scalar()
        )


def test_images_kill_mid_upload_and_corrupt_chunk(pg_url: str, tmp_path: Path) -> None:
    mib = _size("IMAGE_MIB", 20, 20)
    n_images = _size("IMAGES", 3, 10)
    central = _blob_world(pg_url, tmp_path)
    rng = random.Random(9)
    images = [rng.randbytes(mib * CHUNK_BYTES - i * 1234) for i in range(n_images)]
    shas = [sha256_hex(d) for d in images]
    stats: Counter[str] = Counter()
    for i, (data, sha) in enumerate(zip(images, shas, strict=True)):
        path = tmp_path / f"img{i}.bin"
        path.write_bytes(data)
        have = _kill_mid_upload(central, pg_url, path, sha, at_chunks=2 + i)
        stats["killed"] += 1
        stats["chunks at kill"] += len(have)
        assert not central.blobs.has(sha) and not _present(central, sha)
        # Corrupt one arrived chunk (a short write: wrong length) before resuming.
        idx = sorted(have)[len(have) // 2]
        with central.write() as s:
            s.execute(
                text("UPDATE blob_chunks SET data = :d WHERE sha256 = :s AND idx = :i"),
                {"d": b"\xff" * 1000, "s": sha, "i": idx},
            )
        assert not central.blobs.complete(sha, len(data), "image/jpeg")  # type: ignore[union-attr]
        assert not _present(central, sha)
        with pytest.raises(BlobError):
            central.blobs.get(sha)
        stats["refused while corrupt"] += 1
        assert central.blobs.put(data) == sha  # resume: the missing and short chunks go up
        stats["resumed"] += 1
    readback = [central.blobs.get(sha) == data for sha, data in zip(shas, images, strict=True)]
    # And a workstation gets the same bytes, verified by hash.
    local = sw.new_local(tmp_path / "ws.db")
    engine = SyncEngine(local, central)
    local_ok = [engine.ensure_blob(sha) == data for sha, data in zip(shas, images, strict=True)]
    line = _report(
        f"images: {n_images} x ~{mib} MiB; {dict(stats)}; read back identical at the central "
        f"store {sum(readback)}/{n_images}, on a workstation {sum(local_ok)}/{n_images}"
    )
    assert all(readback) and all(local_ok), line
    assert all(_present(central, sha) for sha in shas), line


def test_resumed_upload_repairs_a_corrupt_chunk_of_the_right_size(
    pg_url: str, tmp_path: Path
) -> None:
    """A chunk whose bytes are wrong but whose length is right (bit rot, a bad proxy) must
    not make the image impossible to upload: the next upload must repair it."""
    central = _blob_world(pg_url, tmp_path)
    data = random.Random(10).randbytes(4 * CHUNK_BYTES + 77)
    sha = sha256_hex(data)
    path = tmp_path / "img.bin"
    path.write_bytes(data)
    have = _kill_mid_upload(central, pg_url, path, sha, at_chunks=2)
    with central.write() as s:
        s.execute(
            text("UPDATE blob_chunks SET data = :d WHERE sha256 = :s AND idx = 0"),
            {"d": bytes([data[0] ^ 0xFF]) + data[1:CHUNK_BYTES], "s": sha},
        )
    assert central.blobs.chunk_sizes(sha)[0] == CHUNK_BYTES  # type: ignore[union-attr]
    errors = []
    for _ in range(2):
        try:
            central.blobs.put(data)
            break
        except BlobError as exc:
            errors.append(str(exc))
    line = _report(
        f"same-size corrupt chunk: {len(have)} chunks at kill; uploads refused {len(errors)} "
        f"times ({errors[0] if errors else '-'}); present {_present(central, sha)}"
    )
    assert _present(central, sha) and central.blobs.get(sha) == data, line


# --- 10. a tampered central journal ------------------------------------------------------


def _verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    rc = cli_main(["audit", "verify", "--central", url])
    out = capsys.readouterr()
    return rc, (out.out + out.err).strip()


def test_tampered_central_journal_is_named(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central, world = central_world(db_url, tmp_path, n_cases=3)
    ws = workstation(central, tmp_path, "ws1")
    for c in world.cases:
        ws.workflow.claim(world.alice, c)
        ws.workflow.decide(world.alice, c, DecisionInput("approve"))
    ws.sync.sync_once()
    url = central.url.render_as_string(hide_password=False)
    with central.read() as s:
        chain = s.scalars(select(CentralJournalEntry.chain)).first()
        entries = s.execute(
            select(CentralJournalEntry.seq).where(CentralJournalEntry.chain == chain)
        ).all()
    assert chain is not None and len(entries) >= 4
    seen = {}
    rc, msg = _verify(url, capsys)
    seen["intact"] = (rc, msg)
    assert rc == 0, msg
    # 1. a payload rewritten
    with central.write() as s:
        original = s.execute(
            text("SELECT payload FROM central_journal WHERE chain = :c AND seq = 2"), {"c": chain}
        ).scalar_one()
        s.execute(
            text("UPDATE central_journal SET payload = :p WHERE chain = :c AND seq = 2"),
            {"p": '{"outcome":"reject"}', "c": chain},
        )
    seen["altered"] = _verify(url, capsys)
    with central.write() as s:
        s.execute(
            text("UPDATE central_journal SET payload = :p WHERE chain = :c AND seq = 2"),
            {"p": original, "c": chain},
        )
    assert _verify(url, capsys)[0] == 0
    # 2. a row deleted
    with central.write() as s:
        s.execute(
            delete(CentralJournalEntry).where(
                CentralJournalEntry.chain == chain, CentralJournalEntry.seq == 3
            )
        )
    seen["deleted"] = _verify(url, capsys)
    # 3. the central store's own journal (intake wrote it)
    with central.write() as s:
        s.execute(update(JournalEntry).where(JournalEntry.seq == 1).values(actor="mallory"))
    seen["own"] = _verify(url, capsys)
    line = _report(
        f"tampered journal ({central.url.get_backend_name()}): "
        + "; ".join(f"{k}: rc {rc} '{m}'" for k, (rc, m) in seen.items())
    )
    assert seen["altered"][0] == 1 and f"chain {chain} broken at entry 2" in seen["altered"][1], (
        line
    )
    assert seen["deleted"][0] == 1 and f"chain {chain} broken at entry 3" in seen["deleted"][1], (
        line
    )
    assert "missing" in seen["deleted"][1], line
    assert seen["own"][0] == 1 and "central journal broken at entry 1" in seen["own"][1], line
