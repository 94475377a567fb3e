"""The supervisor desk's numbers on 100,000 cases and 300,000 decisions (issue 17), on
SQLite and PostgreSQL, against the bare aggregate SQL floor: the same GROUP BYs sent as
plain text through the driver, their rows fetched and nothing else done with them.

Target: ≤ 200 ms for the desk's whole read on each backend.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from app.notices.printing import CHINA_TZ
from app.review.desk import DAYS_SHOWN, desk_numbers
from benchmarks.bench_queue import SCOPE, _backend
from benchmarks.common import Result
from benchmarks.timing import paired_median_ms
from reviewdb import migrate
from tests.factories import bulk_cases, bulk_desk_decisions

TARGET_MS = 200.0

_OPEN = "('pending', 'confirming', 'returned')"
_FLOOR = {
    "sqlite": {
        "day": "date(d.store_time, '+8 hours')",
        "reasons": "json_each(d.reasons, '$.codes') AS j",
        "span": "(julianday(c.decided_at) - julianday(l.claimed_at)) * 86400.0",
        "true": "1",
    },
    "postgres": {
        "day": "(d.store_time AT TIME ZONE 'Asia/Shanghai')::date",
        "reasons": "jsonb_array_elements_text(d.reasons::jsonb -> 'codes') AS j(value)",
        "span": "extract(epoch FROM c.decided_at - l.claimed_at)",
        "true": "true",
    },
}


def _floor_statements(backend: str, since: str) -> list[str]:
    """The statements the desk sends for a supervisor whose districts are all the store
    holds (as on a workstation), as plain text: the same aggregates, no ORM, no shaping."""
    f = _FLOOR[backend]
    effective = "d.effective" if backend == "postgres" else "d.effective = 1"
    spans = (
        f"SELECT {f['span']} AS s FROM cases c JOIN claims l ON l.case_id = c.id "
        f"WHERE c.decided_at >= {since} AND l.claimed_at IS NOT NULL "
        f"AND c.decided_at >= l.claimed_at"
    )
    return [
        "SELECT code, name FROM districts",
        "SELECT code FROM districts d WHERE EXISTS "
        "(SELECT 1 FROM cases c WHERE c.district_code = d.code)",
        "SELECT c.district_code, c.school_id, c.kind, c.status, c.admission_year, count(*), "
        f"min(c.submitted_at) FROM cases c WHERE c.status IN {_OPEN} "
        "GROUP BY c.district_code, c.school_id, c.kind, c.status, c.admission_year",
        "SELECT id, name FROM schools",
        "SELECT code, city FROM districts",
        f"SELECT d.reviewer_id, {f['day']} AS day, d.outcome, count(*) FROM decisions d "
        f"WHERE {effective} AND d.store_time >= {since} "
        "GROUP BY d.reviewer_id, day, d.outcome",
        f"SELECT d.reviewer_id, d.outcome, count(*) FROM decisions d WHERE {effective} "
        "GROUP BY d.reviewer_id, d.outcome",
        "SELECT id, display_name FROM users",
        f"SELECT j.value, count(*) FROM decisions d, {f['reasons']} "
        f"WHERE {effective} AND d.outcome <> 'approve' GROUP BY j.value",
        f"SELECT count(*) FROM ({spans}) t",
        f"SELECT s FROM ({spans}) t ORDER BY s LIMIT 2 OFFSET 100",
        "SELECT count(*) FROM decisions WHERE state = 'conflict'",
        f"SELECT count(*) FROM outbox WHERE quarantined = {f['true']} AND sent_at IS NULL",
    ]


def run(quick: bool) -> list[Result]:
    cases, decisions = (10_000, 30_000) if quick else (100_000, 300_000)
    results: list[Result] = []
    now = dt.datetime.now(dt.UTC)
    first_day = now.astimezone(CHINA_TZ).date() - dt.timedelta(days=DAYS_SHOWN - 1)
    since = dt.datetime.combine(first_day, dt.time(), CHINA_TZ).astimezone(dt.UTC)
    for backend in ("sqlite", "postgres"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            _backend(backend, Path(tmp)) as (store, connect, _style),
        ):
            migrate.upgrade(store)
            bulk_cases(store, cases, seed=11)
            standing = bulk_desk_decisions(store, decisions, seed=11)
            if backend == "sqlite":
                with store.engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
            else:
                # VACUUM as autovacuum would have by now on a store in use: right after a bulk
                # load no page is marked all-visible, and index-only scans read the heap.
                with store.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                        "VACUUM ANALYZE"
                    )
            since_text = (
                f"'{since:%Y-%m-%d %H:%M:%S.%f}'"
                if backend == "sqlite"
                else f"'{since.isoformat()}'::timestamptz"
            )
            statements = _floor_statements(backend, since_text)
            raw = connect()

            def app_read() -> Any:
                return desk_numbers(store, SCOPE, now)

            def floor_read(raw: Any = raw, statements: list[str] = statements) -> int:
                cur = raw.cursor()
                rows = 0
                for sql in statements:
                    cur.execute(sql)
                    rows += len(cur.fetchall())
                return rows

            numbers = app_read()
            assert numbers.decided == standing, (numbers.decided, standing)
            value, floor = paired_median_ms(app_read, floor_read, repeat=15, warmup=2)
            verdict = "meets" if value <= TARGET_MS else "MISSES"
            results.append(
                Result(
                    f"supervisor desk ({backend}, {cases:,} cases, {decisions:,} decisions)",
                    value,
                    "ms",
                    floor,
                    False,
                    f"target <= {TARGET_MS:.0f} ms: {verdict}",
                )
            )
            raw.close()
    return results


if __name__ == "__main__":
    for r in run(quick=False):
        print(r.line())
