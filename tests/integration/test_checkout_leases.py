"""Issue 12 ("Leases") at the central store: claiming or renewing a checked-out case through
the workstation keeps the checkout's 36-hour lease (central SQLite file and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from reviewdb.engine import Store
from reviewdb.models import Case, Claim
from tests.integration.sync_fixtures import Workstation, central_world, offline, workstation

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

SCHOOL = "南昌市东湖区育新学校"
CHECKOUT = dt.timedelta(hours=36)

Leases = dict[str, tuple[str | None, int, dt.datetime | None]]


@pytest.fixture
def central_url(db_url: str) -> str:
    return db_url


def _leases(store: Store) -> Leases:
    """Case number → (owner, token, leased_until) as ``store`` has them."""
    with store.read() as s:
        rows = s.execute(
            select(Case.case_no, Claim.owner_id, Claim.token, Claim.leased_until).join(
                Claim, Claim.case_id == Case.id
            )
        ).all()
    return {case_no: (owner, token, until) for case_no, owner, token, until in rows}


def _check_out(ws: Workstation, central: Store, cases: list[str], user_id: str) -> Leases:
    done, skipped = ws.sync.checkout(SCHOOL, user_id, "laptop", CHECKOUT)
    assert sorted(done) == sorted(cases) and skipped == []
    leases = _leases(central)
    now = dt.datetime.now(dt.UTC)
    for case_no in cases:
        owner, _, until = leases[case_no]
        assert owner == user_id and until is not None
        assert until - now > CHECKOUT - dt.timedelta(minutes=5)
    return leases


def test_claim_and_renew_through_the_workstation_keep_the_checkout(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=3)
    laptop = workstation(central, tmp_path, "laptop")
    checked_out = _check_out(laptop, central, world.cases, world.alice.user_id)
    for case_no in world.cases:
        owner, token, until = checked_out[case_no]
        claimed = laptop.workflow.claim(world.alice, case_no)
        assert (claimed.token, claimed.leased_until) == (token, until)
        renewed = laptop.workflow.renew(world.alice, case_no)
        assert (renewed.token, renewed.leased_until) == (token, until)
        laptop.workflow.claim(world.alice, case_no)  # opened again
    assert _leases(central) == checked_out
    # The workstation's own copy (what 我的 and offline decisions rely on) agrees.
    assert _leases(laptop.local) == checked_out
    laptop.sync.sync_once()
    assert _leases(central) == checked_out
    assert _leases(laptop.local) == checked_out
    # Offline, the checkout still counts: the claim is answered from the local lease.
    with offline(laptop):
        info = laptop.workflow.claim(world.alice, world.cases[0])
        assert (info.token, info.leased_until) == checked_out[world.cases[0]][1:]
    laptop.local.dispose()
    central.dispose()


def test_a_case_claimed_without_checkout_still_gets_the_short_lease(
    central_url: str, tmp_path: Path
) -> None:
    central, world = central_world(central_url, tmp_path, n_cases=2)
    office = workstation(central, tmp_path, "office")
    info = office.workflow.claim(world.alice, world.cases[0])
    owner, token, until = _leases(central)[world.cases[0]]
    assert (owner, token, until) == (world.alice.user_id, info.token, info.leased_until)
    assert until is not None and until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=30)
    assert office.workflow.release(world.alice, world.cases[0])
    assert _leases(central)[world.cases[0]][0] is None
    office.local.dispose()
    central.dispose()
