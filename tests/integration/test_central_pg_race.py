"""8 processes race to claim each case through ``rd_claim`` as the workstation role.

Exactly one winner per case, every case won, every token 1 — and the role cannot even
attempt the naive read-then-update (it has no UPDATE privilege).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import insert, make_url, select, text
from sqlalchemy.exc import DBAPIError

from reviewdb import migrate
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.central_pg import PgArbiter, create_login, drop_login, install, uninstall
from reviewdb.engine import Store, make_engine
from reviewdb.models import Claim, User, UserDistrict
from tests.factories import DISTRICTS, bulk_cases
from tests.identity_helpers import mint_token
from tests.integration.test_central_pg import sweep_orphan_roles

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKERS = 8
CASES = int(os.environ.get("REVIEWDESK_RACE_CASES", "1000"))
LEASE = dt.timedelta(hours=1)


def claim_worker(
    url: str, user_id: str, token: str, case_ids: list[str], seed: int, barrier: object
) -> tuple[list[str], int]:
    """Claim every case (in its own order) as the workstation role; return wins, refusals."""
    engine = make_engine(url)
    order = list(case_ids)
    random.Random(seed).shuffle(order)
    barrier.wait()  # type: ignore[attr-defined]
    won: list[str] = []
    refused = 0
    for case_id in order:
        try:
            with engine.begin() as conn:
                info = PgArbiter(conn, savepoints=False, tokens=lambda _u: token).claim(
                    case_id, user_id, f"ws-{seed}", LEASE
                )
            if info.owner_id == user_id:
                won.append(case_id)
        except ArbiterRefusal as exc:
            assert exc.code == "claimed_by_other", exc.code
            refused += 1
    engine.dispose()
    return won, refused


def test_claim_race_through_rd_claim_as_workstation_role(pg_url: str, tmp_path: Path) -> None:
    store = Store(pg_url, tmp_path / "blobs")
    sweep_orphan_roles(store.engine)
    migrate.upgrade(store)
    case_ids = bulk_cases(store, CASES, seed=11)
    install(store.engine)
    login = f"rdl_{uuid.uuid4().hex[:12]}"
    try:
        _race(store, pg_url, case_ids, login)
    finally:
        drop_login(store.engine, login)
        uninstall(store.engine)
        store.dispose()


def _race(store: Store, pg_url: str, case_ids: list[str], login: str) -> None:
    codes = [code for code, _ in DISTRICTS]
    users = [str(uuid.uuid4()) for _ in range(WORKERS)]
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
                for i, uid in enumerate(users)
            ],
        )
        s.execute(
            insert(UserDistrict), [{"user_id": u, "district_code": c} for u in users for c in codes]
        )
    create_login(store.engine, login, codes)
    ws_url = make_url(pg_url).set(username=login).render_as_string(hide_password=False)
    # The naive variant cannot even be tried by this role.
    naive = make_engine(ws_url)
    try:
        with pytest.raises(DBAPIError) as info, naive.begin() as conn:
            conn.execute(
                text("UPDATE claims SET owner_id = :u, token = token + 1 WHERE case_id = :c"),
                {"u": users[0], "c": case_ids[0]},
            )
        assert isinstance(info.value.orig, psycopg.errors.InsufficientPrivilege)
    finally:
        naive.dispose()

    ctx = mp.get_context("spawn")
    started = time.perf_counter()
    with ctx.Manager() as manager:
        barrier = manager.Barrier(WORKERS)
        with ctx.Pool(WORKERS) as pool:
            results = pool.starmap(
                claim_worker,
                [
                    (
                        ws_url,
                        users[i],
                        mint_token(store.engine, users[i], login),
                        case_ids,
                        i,
                        barrier,
                    )
                    for i in range(WORKERS)
                ],
            )
    elapsed = time.perf_counter() - started
    wins: Counter[str] = Counter()
    winner: dict[str, str] = {}
    for i, (won, _) in enumerate(results):
        wins.update(won)
        for case_id in won:
            winner[case_id] = users[i]
    refusals = sum(r for _, r in results)
    doubles = [c for c, n in wins.items() if n > 1]
    print(
        f"rd_claim race: {len(case_ids)} cases, {sum(wins.values())} wins, "
        f"{refusals} refusals, {len(doubles)} double-claimed, "
        f"{len(case_ids) * WORKERS / elapsed:.0f} claim calls/s (incl. process start)"
    )
    assert doubles == []
    assert set(wins) == set(case_ids)
    assert refusals == len(case_ids) * (WORKERS - 1)
    with store.read() as s:
        rows = {r.case_id: r for r in s.scalars(select(Claim))}
    assert all(rows[c].token == 1 for c in case_ids)
    assert all(rows[c].owner_id == winner[c] for c in case_ids)
    seqs = [rows[c].change_seq for c in case_ids]
    assert all(seq is not None for seq in seqs) and len(set(seqs)) == len(case_ids)
