"""Queue speed on 100,000 cases: first page and a filtered search, against raw SQL floors."""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg

from app.review.cases import list_queue
from benchmarks.common import Result
from benchmarks.pg import temp_database
from benchmarks.timing import paired_median_ms
from reviewdb import migrate
from reviewdb import queue as rq
from reviewdb.engine import Store
from tests.factories import DISTRICTS, bulk_cases

SCOPE = tuple(code for code, _ in DISTRICTS)

RAW_FIRST_PAGE = """
SELECT c.id, c.case_no, c.kind, c.status, c.current_round, d.name, s.name, c.student_name,
       c.student_id_number, c.submitted_at, c.worst_severity, c.finding_count, u.username,
       cl.leased_until, c.decided_at,
       (SELECT CASE WHEN a.readable OR a.media_type = 'application/pdf' THEN a.sha256 END
        FROM attachments a JOIN case_rounds r ON r.id = a.round_id
        WHERE r.case_id = c.id AND r.round_no = c.current_round
        ORDER BY a.ordinal LIMIT 1) AS first_picture
FROM cases c JOIN schools s ON s.id = c.school_id JOIN districts d ON d.code = c.district_code
LEFT JOIN claims cl ON cl.case_id = c.id LEFT JOIN users u ON u.id = cl.owner_id
WHERE c.district_code IN ({scope}) AND c.status IN ({status}) {extra}
ORDER BY c.submitted_at, c.id LIMIT 50
"""


def _raw_sql(paramstyle: str, search: bool) -> tuple[str, list[Any]]:
    ph = "?" if paramstyle == "qmark" else "%s"
    params: list[Any] = list(SCOPE) + ["pending"]
    extra = ""
    if search:
        extra = f"AND (c.student_name LIKE {ph} OR c.case_no LIKE {ph})"
        params += ["%子涵%", "%子涵%"]
    sql = RAW_FIRST_PAGE.format(scope=", ".join([ph] * len(SCOPE)), status=ph, extra=extra)
    return sql, params


@contextlib.contextmanager
def _backend(name: str, workdir: Path) -> Iterator[tuple[Store, Any, str]]:
    if name == "sqlite":
        db = workdir / "queue.db"
        store = Store(f"sqlite:///{db}", workdir / "blobs")
        yield store, lambda: sqlite3.connect(db), "qmark"
        store.dispose()
        return
    with temp_database() as url:
        store = Store(url, workdir / "blobs")
        raw_url = url.replace("postgresql+psycopg://", "postgresql://")
        yield store, lambda: psycopg.connect(raw_url), "format"
        store.dispose()


def run(quick: bool) -> list[Result]:
    n = 10_000 if quick else 100_000
    results: list[Result] = []
    for backend in ("sqlite", "postgres"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            _backend(backend, Path(tmp)) as (store, connect, style),
        ):
            migrate.upgrade(store)
            bulk_cases(store, n, seed=7)
            with store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            raw = connect()
            for label, search in (("first page", False), ("filtered search", True)):
                query = rq.QueueQuery(
                    districts=SCOPE, statuses=("pending",), search="子涵" if search else None
                )

                def app_page(query: rq.QueueQuery = query) -> int:
                    return len(list_queue(store, query, limit=50))

                sql, params = _raw_sql(style, search)

                def raw_page(sql: str = sql, params: list[Any] = params, raw: Any = raw) -> int:
                    cur = raw.cursor()
                    cur.execute(sql, params)
                    return len(cur.fetchall())

                assert app_page() == raw_page(), "app and floor disagree on the page"
                value, floor = paired_median_ms(app_page, raw_page)
                results.append(
                    Result(f"queue {label} ({backend}, {n:,} cases)", value, "ms", floor, False)
                )
            raw.close()
    return results


if __name__ == "__main__":
    for r in run(quick=False):
        print(r.line())
