"""Issue 12 ("Leases"): a holder's repeated claim or renewal never shortens its lease.

A checkout takes 36-hour leases; opening a checked-out case claims it again with the
usual 30 minutes, and the renew timer renews with 30 minutes. Both must keep
``greatest(leased_until, now + lease)`` and the token. Checked on the Python arbiter
(standalone store on SQLite and PostgreSQL, the arbiter of a central SQLite file) and on
the central store's PostgreSQL functions (``rd_claim``/``rd_renew``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select, update

from reviewdb import migrate
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.central import CentralOps, PythonOps, ops_for
from reviewdb.engine import Store
from reviewdb.models import Case, Claim
from tests.workflow_fixtures import World, build_world

CHECKOUT = dt.timedelta(hours=36)
LEASE = dt.timedelta(minutes=30)
T = TypeVar("T")


class Arbiter:
    """One store and the arbiter that decides on it; each call is one committed transaction."""

    def __init__(self, store: Store, world: World, ops: Callable[..., CentralOps]) -> None:
        self.store = store
        self.world = world
        self._ops = ops

    def __call__(self, fn: Callable[[CentralOps], T]) -> T:
        with self.store.write() as s:
            return fn(self._ops(s))

    def case_id(self, case_no: str) -> str:
        with self.store.read() as s:
            return str(s.scalars(select(Case.id).where(Case.case_no == case_no)).one())

    def row(self, case_id: str) -> tuple[str | None, int, dt.datetime | None]:
        with self.store.read() as s:
            claim = s.get(Claim, case_id)
            assert claim is not None
            return claim.owner_id, claim.token, claim.leased_until

    def now(self) -> dt.datetime:
        with self.store.read() as s:
            from reviewdb.journal import store_now

            return store_now(s)


@pytest.fixture(
    params=[
        "python-sqlite",
        pytest.param("python-postgres", marks=pytest.mark.postgres),
        pytest.param("pg-functions", marks=pytest.mark.postgres),
    ]
)
def arbiter(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Arbiter]:
    """reviewdb.arbiter on a store (SQLite, PostgreSQL), or the central store's rd_*
    functions (installed as reviewdb.central_pg does, twice: install is idempotent)."""
    if request.param == "python-sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    s = Store(url, tmp_path / "blobs", shared_file=True)
    migrate.upgrade(s)
    ops: Callable[..., CentralOps] = PythonOps
    if request.param == "pg-functions":
        from reviewdb import central_pg

        central_pg.install(s.engine)
        central_pg.install(s.engine)
        ops = ops_for
    yield Arbiter(s, build_world(s, tmp_path / "pkgs"), ops)
    s.dispose()


def _checked_out(arb: Arbiter) -> tuple[str, int, dt.datetime]:
    """Alice claims the first case for 36 hours (a checkout)."""
    w = arb.world
    case_id = arb.case_id(w.cases[0])
    info = arb(lambda ops: ops.claim(case_id, w.alice.user_id, "laptop", CHECKOUT))
    owner, token, until = arb.row(case_id)
    assert owner == w.alice.user_id and token == info.token and until is not None
    assert until - arb.now() > CHECKOUT - dt.timedelta(minutes=5)
    return case_id, token, until


def test_claim_again_with_a_shorter_lease_keeps_the_checkout(arbiter: Arbiter) -> None:
    w = arbiter.world
    case_id, token, until = _checked_out(arbiter)
    again = arbiter(lambda ops: ops.claim(case_id, w.alice.user_id, "laptop", LEASE))
    assert arbiter.row(case_id) == (w.alice.user_id, token, until)
    assert (again.token, again.leased_until, again.owner_id) == (token, until, w.alice.user_id)


def test_renew_with_a_shorter_lease_keeps_the_checkout(arbiter: Arbiter) -> None:
    w = arbiter.world
    case_id, token, until = _checked_out(arbiter)
    renewed = arbiter(lambda ops: ops.renew(case_id, w.alice.user_id, token, LEASE))
    assert arbiter.row(case_id) == (w.alice.user_id, token, until)
    assert (renewed.token, renewed.leased_until) == (token, until)
    # Claim and renew again, in turn: still the checkout's lease.
    arbiter(lambda ops: ops.claim(case_id, w.alice.user_id, "laptop", LEASE))
    arbiter(lambda ops: ops.renew(case_id, w.alice.user_id, token, LEASE))
    assert arbiter.row(case_id) == (w.alice.user_id, token, until)


def test_a_longer_lease_extends_a_short_one_and_keeps_the_token(arbiter: Arbiter) -> None:
    w = arbiter.world
    case_id = arbiter.case_id(w.cases[1])
    first = arbiter(lambda ops: ops.claim(case_id, w.alice.user_id, "office", LEASE))
    short = arbiter.row(case_id)[2]
    assert short is not None
    longer = arbiter(lambda ops: ops.claim(case_id, w.alice.user_id, "laptop", CHECKOUT))
    owner, token, until = arbiter.row(case_id)
    assert (owner, token) == (w.alice.user_id, first.token)
    assert until is not None and until - short > CHECKOUT - LEASE - dt.timedelta(minutes=5)
    assert longer.leased_until == until and longer.token == first.token
    # Renewing a 30-minute lease with 30 minutes still moves it on.
    case2 = arbiter.case_id(w.cases[2])
    held = arbiter(lambda ops: ops.claim(case2, w.alice.user_id, "office", LEASE))
    before = arbiter.row(case2)[2]
    renewed = arbiter(lambda ops: ops.renew(case2, w.alice.user_id, held.token, LEASE))
    after = arbiter.row(case2)[2]
    assert before is not None and after is not None and after >= before
    assert renewed.leased_until == after and renewed.token == held.token


def test_after_expiry_another_user_gets_a_fresh_lease_and_token(arbiter: Arbiter) -> None:
    w = arbiter.world
    case_id, token, _ = _checked_out(arbiter)
    with pytest.raises(ArbiterRefusal, match="claimed by alice"):
        arbiter(lambda ops: ops.claim(case_id, w.bob.user_id, "office", LEASE))
    past = arbiter.now() - dt.timedelta(minutes=1)
    with arbiter.store.write() as s:
        s.execute(update(Claim).where(Claim.case_id == case_id).values(leased_until=past))
    info = arbiter(lambda ops: ops.claim(case_id, w.bob.user_id, "office", LEASE))
    owner, new_token, until = arbiter.row(case_id)
    assert (owner, new_token) == (w.bob.user_id, token + 1)
    assert until is not None and (info.token, info.leased_until) == (new_token, until)
    assert dt.timedelta(minutes=25) < until - arbiter.now() <= LEASE
    # Alice's old token no longer renews anything.
    with pytest.raises(ArbiterRefusal):
        arbiter(lambda ops: ops.renew(case_id, w.alice.user_id, token, LEASE))
    assert arbiter.row(case_id) == (w.bob.user_id, new_token, until)
