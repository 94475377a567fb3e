"""The queue's SQL: scope, filters, search and keyset pages that never repeat or skip."""

from __future__ import annotations

from reviewdb import queue as q
from reviewdb.engine import Store
from tests.factories import bulk_cases


def _all_pages(store: Store, query: q.QueueQuery, limit: int) -> list[tuple]:
    rows: list[tuple] = []
    after = None
    with store.read() as s:
        while True:
            page = q.page(s, query, limit=limit, after=after)
            rows += page
            if len(page) < limit:
                return rows
            after = q.cursor_of(page[-1], query.sort)


def test_keyset_pages_cover_everything_once(store: Store) -> None:
    bulk_cases(store, 537, seed=3)
    for sort, desc in (("submitted_at", False), ("student_name", True), ("worst_severity", False)):
        query = q.QueueQuery(sort=sort, descending=desc)
        rows = _all_pages(store, query, limit=50)
        ids = [r[0] for r in rows]
        assert len(ids) == 537 and len(set(ids)) == 537
        keys = [(q.cursor_of(r, sort).value, r[0]) for r in rows]
        assert keys == sorted(keys, reverse=desc)


def test_scope_filters_and_search(store: Store) -> None:
    bulk_cases(store, 300, seed=4)
    with store.read() as s:
        total = q.count(s, q.QueueQuery())
        east = q.count(s, q.QueueQuery(districts=("360102",)))
        nobody = q.count(s, q.QueueQuery(districts=()))
        assert total == 300 and 0 < east < 300 and nobody == 0
        rows = q.page(s, q.QueueQuery(districts=("360102",)), limit=500)
        assert all(r[5] == "东湖区" for r in rows)
        pending = q.page(s, q.QueueQuery(statuses=("pending",), kinds=("kinship",)), limit=500)
        assert pending and all(r[3] == "pending" and r[2] == "kinship" for r in pending)
        one = rows[0]
        by_name = q.page(s, q.QueueQuery(search=one[7]), limit=500)
        assert one[0] in [r[0] for r in by_name] and all(one[7] in r[7] for r in by_name)
        by_id = q.page(s, q.QueueQuery(search=one[8][:10]), limit=500)
        assert one[0] in [r[0] for r in by_id]
        by_no = q.page(s, q.QueueQuery(search=one[1]), limit=500)
        assert [r[0] for r in by_no] == [one[0]]
        by_school = q.page(s, q.QueueQuery(school=one[6]), limit=500)
        assert by_school and all(r[6] == one[6] for r in by_school)
        # LIKE wildcards in the search box are literal.
        assert q.count(s, q.QueueQuery(search="%")) == 0
