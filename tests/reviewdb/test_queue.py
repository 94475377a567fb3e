"""The queue's SQL: scope, filters, search and keyset pages that never repeat or skip."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from reviewdb import queue as q
from reviewdb.engine import Store
from reviewdb.models import Case, Claim
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


def test_count_is_the_number_of_rows_listed_for_every_filter(store: Store) -> None:
    # The count joins only the tables its filters name (issue 18: the page's four joins
    # made counting 60,000 pending cases take a third of a second); it must still count
    # exactly what the pages list.
    bulk_cases(store, 400, seed=5)
    now = dt.datetime.now(dt.UTC)
    with store.read() as s:
        sample = q.page(s, q.QueueQuery(), limit=400)
        holder = s.scalars(
            select(Claim.owner_id).where(Claim.owner_id.is_not(None), Claim.leased_until > now)
        ).first()
        one = sample[0]
        middle = s.scalars(
            select(Case.submitted_at).order_by(Case.submitted_at).offset(150)
        ).first()
        queries = [
            q.QueueQuery(),
            q.QueueQuery(districts=("360102", "360103")),
            q.QueueQuery(statuses=("pending",)),
            q.QueueQuery(statuses=("approved", "rejected"), kinds=("kinship",)),
            q.QueueQuery(district="东湖区"),
            q.QueueQuery(district="360103"),
            q.QueueQuery(school=one[6]),
            q.QueueQuery(min_severity=2),
            q.QueueQuery(search=one[7][:1]),
            q.QueueQuery(search=one[8][-4:]),
            q.QueueQuery(submitted_before=middle),
            q.QueueQuery(conflicts_only=True),
            q.QueueQuery(holder_id=holder or "nobody", now=now),
            q.QueueQuery(case_ids=tuple(r[0] for r in sample[:7])),
            q.QueueQuery(case_ids=()),
        ]
        for query in queries:
            listed = len(_all_pages(store, query, limit=97))
            assert q.count(s, query) == listed, query
