"""The decision export (issue 17): 100,000 decided rounds to .xlsx, against a floor.

Target: at most 30 s on SQLite and on PostgreSQL, through the facade
(``Workbench.export_decisions``: the count, the streamed rows, masking, wording, Excel
datetime cells, the totals sheet, the journal entry, the rename).

The floor is the least any export of these rows has to do: read the same rows (same
joins, the same print-serial subquery, same period) with the bare driver and write each
as it comes, plain values, to an openpyxl write-only workbook saved to a file. What the
ratio shows is the cost of everything the export adds on top of reading and writing; the
writing alone (openpyxl's XML and zip) is most of both figures, so a floor of the read
alone would make a fine export look 10x slow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg

from app.auth import Actor
from app.runtime import standalone
from app.workbench import Workbench
from benchmarks.common import Result
from benchmarks.pg import temp_database
from reviewdb import migrate
from reviewdb.engine import Store
from tests.factories import DISTRICTS, bulk_cases, bulk_decisions

SCOPE = tuple(code for code, _ in DISTRICTS)
FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 7, 31)  # every bulk decision
TARGET_S = 30.0

RAW_ROWS = """
SELECT c.case_no, di.name, s.name, c.kind, c.student_name, c.student_id_number, d.outcome,
       d.reasons, r.display_name, r.reviewer_code, f.display_name, f.reviewer_code,
       CAST(d.store_time AS TEXT), CAST(d.confirmed_at AS TEXT),
       (SELECT {agg} FROM notice_prints p
        WHERE p.case_id = d.case_id AND p.round_no = d.round_no AND p.decision_id = d.id)
FROM decisions d JOIN cases c ON c.id = d.case_id JOIN districts di ON di.code = c.district_code
JOIN schools s ON s.id = c.school_id JOIN applications a ON a.id = c.application_id
JOIN users r ON r.id = d.reviewer_id LEFT JOIN users f ON f.id = d.confirmed_by
WHERE d.effective AND c.district_code IN ({scope})
  AND ((d.state = 'accepted' AND d.store_time >= {ph} AND d.store_time < {ph})
    OR (d.state = 'confirmed' AND d.confirmed_at >= {ph} AND d.confirmed_at < {ph}))
ORDER BY COALESCE(d.confirmed_at, d.store_time), c.case_no, d.round_no
"""


def _period() -> list[Any]:
    start = dt.datetime.combine(FIRST, dt.time(), dt.timezone(dt.timedelta(hours=8)))
    end = dt.datetime.combine(LAST + dt.timedelta(days=1), dt.time(), start.tzinfo)
    return [start.astimezone(dt.UTC), end.astimezone(dt.UTC)] * 2


def _floor(cursor: Any, sql: str, params: list[Any], out: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("rows")
    cursor.execute(sql, params)
    n = 0
    while rows := cursor.fetchmany(2000):
        for row in rows:
            sheet.append(row)
        n += len(rows)
    book.save(out)
    return n


@contextlib.contextmanager
def _backend(name: str, workdir: Path) -> Iterator[tuple[Store, Callable[[Path], int]]]:
    scope = ", ".join(["?" if name == "sqlite" else "%s"] * len(SCOPE))
    if name == "sqlite":
        db = workdir / "export.db"
        store = Store(f"sqlite:///{db}", workdir / "blobs")
        sql = RAW_ROWS.format(agg="group_concat(p.serial, ',')", scope=scope, ph="?")
        # SQLite keeps times as fixed-width UTC text (reviewdb.types).
        params = [*SCOPE, *(t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in _period())]

        def floor(out: Path) -> int:
            with contextlib.closing(sqlite3.connect(db)) as raw:
                return _floor(raw.cursor(), sql, params, out)

        yield store, floor
        store.dispose()
        return
    with temp_database() as url:
        store = Store(url, workdir / "blobs")
        sql = RAW_ROWS.format(agg="string_agg(p.serial, ',')", scope=scope, ph="%s")
        raw_url = url.replace("postgresql+psycopg://", "postgresql://")

        def floor(out: Path) -> int:
            with psycopg.connect(raw_url) as raw, raw.cursor(name="floor") as cursor:
                return _floor(cursor, sql, [*SCOPE, *_period()], out)  # server-side, as ours

        yield store, floor
        store.dispose()


def run(quick: bool) -> list[Result]:
    n = 10_000 if quick else 100_000
    os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")
    results: list[Result] = []
    for backend in ("sqlite", "postgres"):
        with tempfile.TemporaryDirectory() as tmp, _backend(backend, Path(tmp)) as (store, floor):
            migrate.upgrade(store)
            reviewer, _supervisor = bulk_decisions(store, bulk_cases(store, n, seed=11), seed=11)
            with store.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            actor = Actor(
                reviewer, "bulk-reviewer-11", "批量审核员", "reviewer", SCOPE, "B11R", "ws"
            )
            desk = Workbench(standalone(store), actor)
            # Alternate, floor first, so the page cache is warm for both alike.
            floor_s: list[float] = []
            app_s: list[float] = []
            rows = 0
            for attempt in range(2):
                t0 = time.perf_counter()
                assert floor(Path(tmp) / f"floor{attempt}.xlsx") == n
                floor_s.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                result = desk.export_decisions(
                    Path(tmp) / f"app{attempt}.xlsx", FIRST, LAST, "xlsx"
                )
                app_s.append(time.perf_counter() - t0)
                rows = result.rows
            assert rows == n == result.totals.total
            app, flo = min(app_s), min(floor_s)
            size = (Path(tmp) / "app0.xlsx").stat().st_size / 1e6
            results.append(
                Result(
                    f"export {n:,} decided rounds to xlsx ({backend})",
                    app,
                    "s",
                    flo,
                    False,
                    note=(
                        f"best of 2; {size:.1f} MB; target <= {TARGET_S:.0f} s: "
                        f"{'met' if app <= TARGET_S else 'NOT met'}"
                    ),
                )
            )
    return results


if __name__ == "__main__":
    for r in run(quick=False):
        print(r.line())
