"""Case numbers (``{year}{district}{seq:05d}``): the next one per district and year, found
without reading other districts' numbers (issue 16's season run: with ``LIKE 'prefix%'``
alone every import read the case-number index backward through the later districts'
cases, on PostgreSQL and on SQLite)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text, update

from app.intake.intake import _next_case_no, last_case_no
from reviewdb.engine import Store
from reviewdb.models import Case
from tests.factories import bulk_cases

NUMBERS = [
    "202636010200001",
    "202636010200002",
    "202636010200007",
    "202636010300001",
    "202536010400042",  # another year
    "20263601020000",  # not five digits after the prefix
]


def _store_with_numbers(store: Store) -> None:
    ids = bulk_cases(store, 3000)  # numbered 2026{dd}{seq:07d}: none of intake's prefixes
    with store.write() as s:
        for case_id, number in zip(ids, NUMBERS, strict=False):
            s.execute(update(Case).where(Case.id == case_id).values(case_no=number))
        s.execute(text("ANALYZE"))


def test_next_number_per_district_and_year(store: Store) -> None:
    _store_with_numbers(store)
    with store.read() as s:
        assert _next_case_no(s, "360102", 2026) == "202636010200008"
        assert _next_case_no(s, "360103", 2026) == "202636010300002"
        assert _next_case_no(s, "360104", 2026) == "202636010400001"
        assert _next_case_no(s, "360104", 2025) == "202536010400043"


def _removed_by_filter(plan: dict[str, Any]) -> int:
    return int(plan.get("Rows Removed by Filter", 0)) + sum(
        _removed_by_filter(p) for p in plan.get("Plans", ())
    )


def test_the_number_is_found_by_an_index_range_not_a_scan(store: Store) -> None:
    _store_with_numbers(store)
    with store.read() as s:
        dialect = s.get_bind().dialect
        sql = str(
            last_case_no("2026360102").compile(
                dialect=dialect, compile_kwargs={"literal_binds": True}
            )
        )
        if dialect.name == "postgresql":
            raw = s.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")).scalar_one()
            plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
            assert "uq_cases_case_no" in json.dumps(plan)
            assert _removed_by_filter(plan) == 0, json.dumps(plan, indent=1)
        else:
            details = [str(r[-1]) for r in s.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            assert any(d.startswith("SEARCH") and "(case_no>" in d for d in details), details
