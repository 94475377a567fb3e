"""8 processes race to claim each of 1,000 cases: exactly one winner per case.

The naive read-then-update variant is kept as a negative control and must be caught
double-claiming, so the test proves it can see the failure it guards against.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from reviewdb.engine import Store
from reviewdb.models import Claim, User
from tests.factories import bulk_cases
from tests.integration import race_workers

WORKERS = 8
CASES = int(os.environ.get("REVIEWDESK_RACE_CASES", "1000"))


def _users(store: Store, n: int) -> list[str]:
    import datetime as dt

    ids = [str(uuid.uuid4()) for _ in range(n)]
    with store.write() as s:
        s.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "username": f"racer{i}",
                    "display_name": f"racer{i}",
                    "role": "reviewer",
                    "reviewer_code": f"X{i:04d}",
                    "password_hash": "-",
                    "disabled": False,
                    "failed_logins": 0,
                    "created_at": dt.datetime.now(dt.UTC),
                }
                for i, uid in enumerate(ids)
            ],
        )
    return ids


def _race(store: Store, url: str, tmp_path: Path, worker) -> tuple[Counter[str], list[str]]:  # type: ignore[no-untyped-def]
    case_ids = bulk_cases(store, CASES, seed=11)
    users = _users(store, WORKERS)
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(WORKERS)
        with ctx.Pool(WORKERS) as pool:
            results = pool.starmap(
                worker,
                [
                    (url, str(tmp_path / "blobs"), users[i], case_ids, i, barrier)
                    for i in range(WORKERS)
                ],
            )
    wins: Counter[str] = Counter()
    for won in results:
        wins.update(won)
    return wins, case_ids


@pytest.mark.slow
def test_guarded_claim_has_exactly_one_winner(store: Store, db_url: str, tmp_path: Path) -> None:
    wins, case_ids = _race(store, db_url, tmp_path, race_workers.guarded_worker)
    doubles = [c for c, n in wins.items() if n > 1]
    print(
        f"guarded claim race ({store.url.get_backend_name()}): {len(case_ids)} cases, "
        f"{sum(wins.values())} wins, {len(doubles)} double-claimed"
    )
    assert doubles == []
    assert set(wins) == set(case_ids)  # every case was won by someone
    with store.read() as s:
        tokens = dict(s.execute(select(Claim.case_id, Claim.token)).all())
    assert all(tokens[c] == 1 for c in case_ids)


@pytest.mark.slow
def test_naive_read_then_update_is_caught_double_claiming(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    wins, case_ids = _race(store, db_url, tmp_path, race_workers.naive_worker)
    doubles = [c for c, n in wins.items() if n > 1]
    print(
        f"naive claim race ({store.url.get_backend_name()}): {len(doubles)} of {len(case_ids)} double-claimed"
    )
    if not doubles:
        pytest.fail(
            "the negative control did not double-claim: the race test cannot see the bug it guards against"
        )
