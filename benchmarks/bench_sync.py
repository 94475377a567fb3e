"""Sync speed against floors measured in the same run (PostgreSQL central on loopback).

- decisions pushed per second (``SyncEngine.push``) vs raw batched inserts of the same rows
  (psycopg ``executemany``, batches of 50, one commit per batch);
- a sync round with nothing new over 100,000 cases vs the bare counter read plus one
  keyset probe (target: under 20 ms);
- first pull of 100,000 cases vs a raw SELECT of the same rows from PostgreSQL and an
  ``executemany`` INSERT into SQLite;
- images into PostgreSQL (``PgBlobStore.put``, 1 MiB chunks, verified) vs a raw chunked
  copy of the same 1 MiB chunks with psycopg.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from app.sync.engine import PAGE, SyncEngine
from benchmarks.common import Result
from benchmarks.pg import temp_database
from benchmarks.timing import median_ms
from reviewdb.blobs import CHUNK_BYTES, sha256_hex
from reviewdb.engine import Store
from tests.integration import sync_workers as sw

PUSH_COLUMNS = (
    "id",
    "case_id",
    "round_no",
    "outcome",
    "reasons",
    "comment",
    "reviewer_id",
    "claim_token",
    "device_time",
    "store_time",
    "state",
    "effective",
    "workstation",
    "change_seq",
)
PULL_TABLES = (
    "districts",
    "schools",
    "students",
    "applications",
    "cases",
    "case_rounds",
    "claims",
)


def _raw(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def _push(url: str, tmp: Path, n: int) -> list[Result]:
    central, case_ids, (r1, _) = sw.bulk_central(url, tmp / "cb", n)
    token = sw.claim_all(central, case_ids, r1)
    local = sw.new_local(tmp / "push.db")
    engine = SyncEngine(local, central)
    engine.sync_once()
    sw.queue_decisions(local, case_ids, r1, token)
    t0 = time.perf_counter()
    pushed = engine.push()
    took = time.perf_counter() - t0
    assert pushed.sent == n and pushed.conflicts == 0, pushed
    # Floor: the same rows, inserted raw in batches of 50, one commit per batch.
    with _raw(url) as conn:
        cols = ", ".join(PUSH_COLUMNS)
        rows = conn.execute(f"SELECT {cols} FROM decisions").fetchall()
        conn.execute("CREATE TABLE raw_decisions (LIKE decisions INCLUDING ALL)")
        conn.commit()
        sql = f"INSERT INTO raw_decisions ({cols}) VALUES ({', '.join(['%s'] * len(PUSH_COLUMNS))})"
        t0 = time.perf_counter()
        for start in range(0, len(rows), 50):
            with conn.cursor() as cur:
                cur.executemany(sql, rows[start : start + 50])
            conn.commit()
        raw = time.perf_counter() - t0
    central.dispose()
    local.dispose()
    return [
        Result(
            f"sync push, {n} decisions (PostgreSQL central)",
            n / took,
            "decisions/s",
            n / raw,
            True,
            "one rd_submit_decisions call per person per 500-item batch; "
            "floor: raw executemany, batches of 50",
        )
    ]


def _pull(url: str, tmp: Path, n: int) -> list[Result]:
    central, _, _ = sw.bulk_central(url, tmp / "cb", n, pending=False)
    with central.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    local = sw.new_local(tmp / "pull.db")
    engine = SyncEngine(local, central)
    engine.check_version()
    t0 = time.perf_counter()
    pulled = engine.pull()
    took = time.perf_counter() - t0
    assert pulled.cases == n, pulled
    # Floor: the same rows straight from PostgreSQL into a SQLite file (same schema).
    floor_db = sw.new_local(tmp / "floor.db")
    floor_path = floor_db.url.database
    floor_db.dispose()
    t0 = time.perf_counter()
    with _raw(url) as pg, sqlite3.connect(str(floor_path)) as lite:
        for table in PULL_TABLES:
            cur = pg.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            cols = [d.name for d in cur.description or ()]
            rows = [
                tuple(
                    v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                    if isinstance(v, dt.datetime)
                    else v
                    for v in r
                )
                for r in cur.fetchall()
            ]
            lite.executemany(
                f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                rows,
            )
    raw = time.perf_counter() - t0
    results = [
        Result(
            f"sync first pull, {n} cases",
            n / took,
            "cases/s",
            n / raw,
            True,
            f"pages of {PAGE}, page + cursor per local transaction; floor: raw SELECT + executemany",
        )
    ]
    # A sync round with nothing new (push nothing, probe users/cases/claims).
    engine.sync_once()
    samples = []
    for _ in range(30):
        t0 = time.perf_counter()
        _, p = engine.sync_once()
        samples.append((time.perf_counter() - t0) * 1000)
        assert p is not None and p.cases == 0
    round_ms = statistics.median(samples)
    pull_ms = median_ms(engine.pull, repeat=30)
    with _raw(url) as conn:
        seq, key = conn.execute(
            "SELECT change_seq, id FROM cases ORDER BY change_seq DESC, id DESC LIMIT 1"
        ).fetchone()

        def floor() -> None:
            high = conn.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()[0]
            conn.execute(
                "SELECT id, change_seq FROM cases WHERE change_seq <= %s AND (change_seq, id) > (%s, %s) "
                "ORDER BY change_seq, id LIMIT %s",
                (high, seq, key, PAGE),
            ).fetchall()
            conn.rollback()

        floor_ms = median_ms(floor, repeat=30)
    results.append(
        Result(
            f"sync round with nothing new, {n} cases",
            round_ms,
            "ms",
            floor_ms,
            False,
            f"target < 20 ms; pull() alone {pull_ms:.1f} ms; floor: counter read + one keyset probe",
        )
    )
    central.dispose()
    local.dispose()
    return results


def _images(url: str, tmp: Path, count: int, mb: int) -> list[Result]:
    central = Store(url, tmp / "b")
    from reviewdb import migrate

    migrate.upgrade(central)
    rng = random.Random(3)
    images = [rng.randbytes(mb * 1_000_000) for _ in range(count)]
    total_mb = sum(len(d) for d in images) / 1e6
    t0 = time.perf_counter()
    for data in images:
        central.blobs.put(data, media_type="image/jpeg")  # type: ignore[call-arg]
    took = time.perf_counter() - t0
    with _raw(url) as conn:
        conn.execute(
            "CREATE TABLE raw_chunks (sha256 text, idx integer, data bytea, PRIMARY KEY (sha256, idx))"
        )
        conn.commit()
        t0 = time.perf_counter()
        for data in images:
            sha = sha256_hex(data)
            for idx, start in enumerate(range(0, len(data), CHUNK_BYTES)):
                conn.execute(
                    "INSERT INTO raw_chunks (sha256, idx, data) VALUES (%s, %s, %s)",
                    (sha, idx, data[start : start + CHUNK_BYTES]),
                )
                conn.commit()
        raw = time.perf_counter() - t0
    central.dispose()
    return [
        Result(
            f"sync images into PostgreSQL, {count} x {mb} MB",
            total_mb / took,
            "MB/s",
            total_mb / raw,
            True,
            "1 MiB chunks, resumable, sha256 verified before present; floor: raw chunk INSERTs",
        )
    ]


def run(quick: bool) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        with temp_database() as url:
            results += _push(url, Path(tmp), 500 if quick else 2000)
        with temp_database() as url:
            results += _pull(url, Path(tmp), 10_000 if quick else 100_000)
        with temp_database() as url:
            results += _images(url, Path(tmp), 5 if quick else 20, 4)
    return results


if __name__ == "__main__":
    for r in run(quick=True):
        print(r.line())
