"""The push's batch path (issue 16): an upload batch's decisions go up in one call per person.

On PostgreSQL the workstation connects as a district's own login, so every person is proven
with the token this workstation holds (``rd_act_as``) before ``rd_submit_decisions`` takes
that person's decisions; on a central SQLite file ``PythonOps.submit_decisions`` does the
same in Python. Rules are published, as ``central init`` leaves a store. Whatever the batch
path does, each decision must end exactly as ``rd_submit_decision`` alone would leave it:
a decision the rules refuse is quarantined alone, a resend changes nothing, two persons'
decisions each go up under their own proof, and a person this workstation cannot prove
(no token, a revoked one) leaves their decisions waiting in the outbox — not quarantined,
not lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import delete, func, make_url, select, text, update

from app.sync.engine import SyncEngine, enqueue_decision
from reviewdb import arbiter, migrate
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central import committed_change_value, ops_for
from reviewdb.central_pg import create_login, drop_login, install, uninstall
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision, OutboxItem, StationToken, User, UserDistrict
from tests.factories import DISTRICTS, bulk_cases
from tests.identity_helpers import mint_token
from tests.integration.sync_workers import stamp_all
from tests.integration.test_central_pg import _add_user, sweep_orphan_roles
from tests.integration.test_central_rules import publish

A = DISTRICTS[0][0]
T = TypeVar("T")
LEASE = dt.timedelta(minutes=30)
UNKNOWN_CODE = "NO_SUCH_CODE"  # not in the published reason library: rd_check_decision refuses


@dataclass
class Desk:
    """A central store with published rules and a workstation that pushes to it."""

    central: Store  # the tables' owner (setup, checks)
    local: Store
    sync: SyncEngine  # through the district's own login on PostgreSQL
    users: dict[str, str]
    cases: list[str]  # pending guardianship cases of district A, handed out by case()
    login: str | None  # PostgreSQL: the workstation login

    @property
    def proves_people(self) -> bool:
        return self.login is not None

    def case(self) -> str:
        return self.cases.pop()

    def give_token(self, user: str) -> None:
        """What an online login leaves on the workstation: the person's token."""
        assert self.login is not None
        token_id, _, secret = mint_token(
            self.central.engine, self.users[user], self.login
        ).partition(".")
        now = dt.datetime.now(dt.UTC)
        with self.local.write() as s:
            s.merge(
                StationToken(
                    user_id=self.users[user],
                    token_id=token_id,
                    secret=secret,
                    issued_at=now,
                    expires_at=now + dt.timedelta(hours=2),
                )
            )

    def decide(
        self, user: str, *, codes: list[str] | None = None, comment: str | None = None
    ) -> DecisionRecord:
        """A reviewer claims a case at the central store and decides it on the workstation
        while offline: the local decision, the case showing it and the outbox item."""
        case_id = self.case()
        uid = self.users[user]
        with self.central.write() as cs:
            token = ops_for(cs).claim(case_id, uid, "ws-a", LEASE).token
        rec = DecisionRecord(
            decision_id=str(uuid.uuid4()),
            case_id=case_id,
            round_no=1,
            outcome="reject" if codes else "approve",
            reasons={"codes": codes or [], "missing": [], "note_to_parent": None, "verdicts": {}},
            comment=comment,
            reviewer_id=uid,
            claim_token=token,
            device_time=dt.datetime.now(dt.UTC),
            workstation="ws-a",
            needs_confirmation=False,
        )
        with self.local.write() as s:
            arbiter.record_for_upload(s, rec)
            enqueue_decision(s, rec)
        return rec

    def call(self, fn: Callable[[Any], T]) -> T:
        """One central transaction through the workstation's arbiter (as its push runs)."""
        with self.sync.central.write() as cs:
            return fn(self.sync.ops(cs))

    def central_decisions(self) -> dict[str, tuple[Any, ...]]:
        with self.central.read() as s:
            return {
                d.id: (d.case_id, d.reviewer_id, d.state, d.effective, d.store_time, d.change_seq)
                for d in s.scalars(select(Decision))
            }

    def outbox(self) -> dict[str, OutboxItem]:
        with self.local.read() as s:
            return {o.ref_id: o for o in s.scalars(select(OutboxItem))}

    def local_states(self) -> dict[str, str]:
        with self.local.read() as s:
            return {d.id: d.state for d in s.scalars(select(Decision))}


@pytest.fixture
def desk(db_url: str, tmp_path: Path) -> Iterator[Desk]:
    central = Store(db_url, tmp_path / "blobs", shared_file=True)
    is_pg = not central.is_sqlite
    if is_pg:
        sweep_orphan_roles(central.engine)
    migrate.upgrade(central)
    bulk_cases(central, 80, seed=16)
    if is_pg:
        install(central.engine)
    login = f"rdl_{uuid.uuid4().hex[:12]}" if is_pg else None
    door: Store | None = None
    local: Store | None = None
    try:
        with central.write() as s:
            users = {name: _add_user(s, name, "reviewer", [A]) for name in ("ra", "rb")}
            ids = list(
                s.scalars(
                    select(Case.id).where(Case.district_code == A).order_by(Case.id).limit(20)
                )
            )
            s.execute(
                update(Case)
                .where(Case.id.in_(ids))
                .values(kind="guardianship", status="pending", decided_at=None)
            )
        publish(central)
        stamp_all(central)  # numbered as intake numbers them: the workstation pulls them
        if login is not None:
            create_login(central.engine, login, [A])
            door = Store(make_url(db_url).set(username=login), tmp_path / "blobs")
        else:
            door = Store(db_url, tmp_path / "blobs", shared_file=True)
        local = Store(f"sqlite:///{tmp_path / 'ws.db'}", tmp_path / "ws-blobs")
        migrate.upgrade(local)
        engine = SyncEngine(local, door)
        desk = Desk(central, local, engine, users, ids, login)
        if login is not None:
            for name in users:
                desk.give_token(name)
        engine.sync_once()
        yield desk
    finally:
        for store in (door, local):
            if store is not None:
                store.dispose()
        if login is not None:
            drop_login(central.engine, login)
            uninstall(central.engine)
        central.dispose()


def test_a_decision_the_rules_refuse_is_quarantined_alone(desk: Desk) -> None:
    recs = [desk.decide("ra") for _ in range(3)]
    poison = desk.decide("ra", codes=[UNKNOWN_CODE], comment="不符合")
    recs += [desk.decide("ra") for _ in range(3)]
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.conflicts, pushed.quarantined) == (6, 0, 1)
    there = desk.central_decisions()
    assert set(there) == {r.decision_id for r in recs}
    assert {row[2] for row in there.values()} == {"accepted"}
    item = desk.outbox()[poison.decision_id]
    assert item.quarantined and item.sent_at is None
    assert item.last_error is not None and "is not a reason of the guardianship library" in (
        item.last_error
    )
    states = desk.local_states()
    assert states[poison.decision_id] == "submitted"
    assert all(states[r.decision_id] == "accepted" for r in recs)
    with desk.central.read() as s:
        # Refused, so nothing of it stayed: the case is pending and still the reviewer's.
        case = s.get(Case, poison.case_id)
        claim = s.get(Claim, poison.case_id)
        assert case is not None and case.status == "pending"
        assert claim is not None and claim.owner_id == desk.users["ra"]
    assert desk.sync.waiting_count() == 0


def test_two_persons_decisions_in_one_batch_go_up_each_under_their_own_proof(
    desk: Desk,
) -> None:
    recs = [desk.decide("ra" if i % 2 == 0 else "rb") for i in range(8)]
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.conflicts, pushed.quarantined) == (8, 0, 0)
    there = desk.central_decisions()
    assert {d: there[d][1:4] for d in there} == {
        r.decision_id: (r.reviewer_id, "accepted", True) for r in recs
    }
    if desk.proves_people:
        # One rd_submit_decisions call per person (one change number each), not eight
        # rd_submit_decision calls: the batch path took them, each person proven once.
        seqs = {
            user: {there[r.decision_id][5] for r in recs if r.reviewer_id == uid}
            for user, uid in desk.users.items()
        }
        assert all(len(s) == 1 for s in seqs.values()), seqs
        assert seqs["ra"] != seqs["rb"]


def test_a_repeat_of_a_sent_batch_changes_nothing(desk: Desk) -> None:
    recs = [desk.decide(user) for user in ("ra", "ra", "rb", "ra", "rb")]
    assert desk.sync.push().sent == 5
    before = desk.central_decisions()
    with desk.central.read() as s:
        counter = committed_change_value(s)
    # The central commit went through, the local "sent" marks did not (a crash between).
    with desk.local.write() as s:
        s.execute(update(OutboxItem).values(sent_at=None))
        s.execute(update(Decision).values(state="submitted", effective=False))
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.conflicts, pushed.quarantined) == (5, 0, 0)
    assert desk.central_decisions() == before
    with desk.central.read() as s:
        assert committed_change_value(s) == counter  # nothing was written
    assert set(desk.local_states().values()) == {"accepted"}
    # The same batch straight to the arbiter: the stored states, again nothing written.
    assert desk.call(lambda ops: ops.submit_decisions(recs)) == ["accepted"] * 5
    with desk.central.read() as s:
        assert committed_change_value(s) == counter


def test_a_changed_resend_is_refused_alone_and_the_rest_goes_up(desk: Desk) -> None:
    sent = desk.decide("ra")
    desk.sync.push()
    fresh = [desk.decide("ra") for _ in range(3)]
    with desk.local.write() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.ref_id == sent.decision_id)).one()
        row.sent_at = None
        row.body = {**row.body, "comment": "changed after it was sent"}
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.quarantined) == (3, 1)
    item = desk.outbox()[sent.decision_id]
    assert item.quarantined and item.last_error is not None
    assert "arrived twice with different content" in item.last_error
    there = desk.central_decisions()
    assert {r.decision_id for r in fresh} <= set(there)
    with desk.central.read() as s:
        stored = s.get(Decision, sent.decision_id)
        assert stored is not None and stored.comment is None  # the first body stands


def test_the_batch_gives_each_decision_what_it_would_get_alone(desk: Desk) -> None:
    """rd_submit_decisions (PythonOps.submit_decisions) against rd_submit_decision's answers:
    a stale token is a conflict, a resend its stored state, the same case twice in one call
    is decided in order (the second is a conflict), and a refusal leaves nothing of the call."""
    ok = desk.decide("ra")
    stale = desk.decide("rb")
    stale = dataclasses.replace(stale, claim_token=stale.claim_token - 1)
    states = desk.call(lambda ops: ops.submit_decisions([ok, stale]))
    assert states == ["accepted", "conflict"]
    alone = desk.decide("ra")
    assert desk.call(lambda ops: ops.submit_decision(alone)) == "accepted"
    # A resend among new ones; the same case twice.
    first = desk.decide("rb")
    second = dataclasses.replace(first, decision_id=str(uuid.uuid4()))
    states = desk.call(lambda ops: ops.submit_decisions([alone, first, second]))
    assert states == ["accepted", "accepted", "conflict"]
    # A refused decision refuses the call: the new one with it is not stored either.
    new = desk.decide("ra")
    reused = dataclasses.replace(ok, comment="another body, the same id")
    with pytest.raises(ArbiterRefusal) as refused:
        desk.call(lambda ops: ops.submit_decisions([new, reused]))
    assert refused.value.code == "id_reused"
    with desk.central.read() as s:
        assert s.get(Decision, new.decision_id) is None
        assert (
            s.scalar(select(Claim.owner_id).where(Claim.case_id == new.case_id))
            == (desk.users["ra"])
        )
    # The published rules, for every decision of the call.
    poison = desk.decide("rb", codes=[UNKNOWN_CODE], comment="不符合")
    with pytest.raises(ArbiterRefusal) as refused:
        desk.call(lambda ops: ops.submit_decisions([new, poison]))
    assert refused.value.code == "reason_unknown"
    with desk.central.read() as s:
        assert s.get(Decision, new.decision_id) is None
    assert desk.call(lambda ops: ops.submit_decisions([])) == []


def test_the_batch_function_checks_who_acts_for_every_decision(desk: Desk) -> None:
    """A workstation login that proved one person cannot slip another's decision into the
    batch: rd_check_user runs for each one, and the call is refused whole."""
    if desk.login is None:
        pytest.skip("a central SQLite file cannot check who acts (trusted office)")
    mine = desk.decide("ra")
    theirs = desk.decide("rb")
    token = desk.sync.token_for(desk.users["ra"])
    assert token is not None
    statement = text(
        "SELECT rd_submit_decisions(CAST(:ids AS text[]), CAST(:cases AS text[]), "
        "CAST(:rounds AS integer[]), CAST(:outcomes AS text[]), CAST(:reasons AS text[]), "
        "CAST(:comments AS text[]), CAST(:reviewers AS text[]), CAST(:tokens AS bigint[]), "
        "CAST(:times AS timestamptz[]), CAST(:ws AS text[]), CAST(:needs AS boolean[]))"
    )
    recs = [mine, theirs]
    params = {
        "ids": [r.decision_id for r in recs],
        "cases": [r.case_id for r in recs],
        "rounds": [1, 1],
        "outcomes": ["approve", "approve"],
        "reasons": ['{"codes":[],"missing":[],"note_to_parent":null,"verdicts":{}}'] * 2,
        "comments": [None, None],
        "reviewers": [r.reviewer_id for r in recs],
        "tokens": [r.claim_token for r in recs],
        "times": [r.device_time for r in recs],
        "ws": ["ws-a", "ws-a"],
        "needs": [False, False],
    }
    for proof in (token, None):
        with desk.sync.central.write() as cs:
            if proof is not None:
                cs.execute(text("SELECT rd_act_as(:t)"), {"t": proof})
            with pytest.raises(Exception, match="rd:(not_you|no_identity):"):
                cs.execute(statement, params)
    with desk.central.read() as s:
        assert s.scalar(select(func.count()).select_from(Decision)) == 0


def test_a_person_this_workstation_cannot_prove_waits_in_the_outbox(desk: Desk) -> None:
    if not desk.proves_people:
        pytest.skip("a central SQLite file cannot check who acts (trusted office)")
    with desk.local.write() as s:
        s.execute(delete(StationToken).where(StationToken.user_id == desk.users["ra"]))
    waiting = [desk.decide("ra") for _ in range(2)]
    going = [desk.decide("rb") for _ in range(2)]
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.quarantined) == (2, 0)
    there = desk.central_decisions()
    assert set(there) == {r.decision_id for r in going}
    outbox = desk.outbox()
    for rec in waiting:
        item = outbox[rec.decision_id]
        assert not item.quarantined and item.sent_at is None
        assert item.last_error is not None and "log in again" in item.last_error
    assert desk.sync.waiting_count() == 2
    # A token the central store revoked (a new password, a disabled account) waits too.
    with desk.central.write() as cs:
        cs.execute(text("SELECT rd_revoke_tokens(:u)"), {"u": desk.users["rb"]})
    late = desk.decide("rb")
    assert desk.sync.push().sent == 0
    item = desk.outbox()[late.decision_id]
    assert not item.quarantined and item.sent_at is None
    assert item.last_error is not None and "revoked" in item.last_error
    assert desk.sync.waiting_count() == 3
    # Both log in again while online: everything that waited goes up, nothing twice.
    desk.give_token("ra")
    desk.give_token("rb")
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.quarantined) == (3, 0)
    assert desk.sync.waiting_count() == 0
    there = desk.central_decisions()
    assert set(there) == {r.decision_id for r in [*waiting, *going, late]}
    assert {row[2] for row in there.values()} == {"accepted"}
    with desk.central.read() as s:
        assert s.scalar(select(func.count()).select_from(Decision)) == 5


def test_the_batch_function_refuses_arrays_of_different_lengths(desk: Desk) -> None:
    if desk.login is None:
        pytest.skip("rd_submit_decisions is PostgreSQL's")
    with desk.central.write() as cs:
        with pytest.raises(Exception, match="rd:invalid") as refused:
            cs.execute(
                text(
                    "SELECT rd_submit_decisions(ARRAY['a','b'], ARRAY['c'], ARRAY[1], "
                    "ARRAY['approve'], ARRAY['{}'], ARRAY[NULL::text], ARRAY['u'], "
                    "ARRAY[1::bigint], ARRAY[now()], ARRAY['ws'], ARRAY[false])"
                )
            )
        assert "one element of each array apiece" in str(refused.value)


# -- the set-based checks of rd_submit_decisions (issue 16) ------------------------------
#
# A batch whose decisions all pass is checked by a few set-based statements; any decision
# that would be refused sends the call through the per-decision checks, which word the
# refusal. Either way the call must be refused with the code the refused decision gets
# alone, and nothing of it may stay.


def _spoil(desk: Desk, how: str, rec: DecisionRecord) -> DecisionRecord:
    """``rec`` made into one the arbiter refuses (or, for the central state, the store made
    into one that refuses it)."""
    if how == "outcome":
        return dataclasses.replace(rec, outcome="maybe")
    if how == "no_case":
        return dataclasses.replace(rec, case_id=str(uuid.uuid4()))
    if how == "reasons_shape":
        return dataclasses.replace(rec, reasons={"codes": "PHOTO", "missing": []})
    if how == "rules":
        return dataclasses.replace(
            rec, outcome="reject", reasons={**rec.reasons, "codes": [UNKNOWN_CODE]}
        )
    if how == "id_reused":
        sent = desk.decide("ra")
        assert desk.call(lambda ops: ops.submit_decision(sent)) == "accepted"
        return dataclasses.replace(sent, comment="another body, the same id")
    with desk.central.write() as s:
        if how == "not_in_district":
            other = s.scalar(select(Case.id).where(Case.district_code != A).limit(1))
            return dataclasses.replace(rec, case_id=other)
        if how == "paused":
            values: dict[str, Any] = {"paused_at": dt.datetime.now(dt.UTC)}
        elif how == "disabled":
            values = {"disabled": True}
        elif how == "role":
            values = {"role": "admin"}
        else:
            assert how == "district"
            s.execute(delete(UserDistrict).where(UserDistrict.user_id == rec.reviewer_id))
            return rec
        s.execute(update(User).where(User.id == rec.reviewer_id).values(**values))
    return rec


REFUSALS = [
    "outcome",
    "no_case",
    "reasons_shape",
    "rules",
    "id_reused",
    "not_in_district",
    "paused",
    "disabled",
    "district",
    "role",
]


@pytest.mark.parametrize("how", REFUSALS)
def test_a_refused_decision_refuses_the_batch_with_its_own_code(desk: Desk, how: str) -> None:
    if how in ("not_in_district", "role", "disabled", "district") and not desk.proves_people:
        pytest.skip("a central SQLite file checks who acts no further (trusted office)")
    good = [desk.decide("ra") for _ in range(3)]
    bad = _spoil(desk, how, desk.decide("ra"))
    with desk.central.read() as s:
        counter = committed_change_value(s)
    with pytest.raises(ArbiterRefusal) as alone:
        desk.call(lambda ops: ops.submit_decision(bad))
    for batch in ([*good[:2], bad, good[2]], [bad, *good]):
        with pytest.raises(ArbiterRefusal) as refused:
            desk.call(lambda ops, batch=batch: ops.submit_decisions(batch))
        assert (refused.value.code, str(refused.value)) == (alone.value.code, str(alone.value))
    with desk.central.read() as s:
        assert committed_change_value(s) == counter  # nothing of any call stayed
        assert all(s.get(Decision, r.decision_id) is None for r in good)


def test_a_batch_that_passes_every_check_gets_what_each_gets_alone(desk: Desk) -> None:
    """The set-based path's answers: accepted, a stale token's conflict, a case decided
    meanwhile (a conflict), with every claim released and every row numbered once."""
    recs = [desk.decide("ra") for _ in range(4)]
    stale = dataclasses.replace(recs[1], claim_token=recs[1].claim_token - 1)
    decided = desk.decide("ra")
    other = dataclasses.replace(decided, decision_id=str(uuid.uuid4()))
    assert desk.call(lambda ops: ops.submit_decision(decided)) == "accepted"
    batch = [recs[0], stale, recs[2], other, recs[3]]
    assert desk.call(lambda ops: ops.submit_decisions(batch)) == [
        "accepted",
        "conflict",
        "accepted",
        "conflict",
        "accepted",
    ]
    there = desk.central_decisions()
    with desk.central.read() as s:
        for rec in (recs[0], recs[2], recs[3]):
            case = s.get(Case, rec.case_id)
            claim = s.get(Claim, rec.case_id)
            assert case is not None and case.status == "approved"
            assert claim is not None and claim.owner_id is None
            assert case.change_seq == claim.change_seq == there[rec.decision_id][5]
        # The stale one left its case pending and its lease with the holder of the token.
        case = s.get(Case, stale.case_id)
        claim = s.get(Claim, stale.case_id)
        assert case is not None and case.status == "pending"
        assert claim is not None and claim.owner_id == desk.users["ra"]
        assert there[stale.decision_id][2:4] == ("conflict", False)
    if desk.proves_people:
        assert len({there[r.decision_id][5] for r in batch}) == 1  # one call, one number


def test_refused_items_in_a_large_batch_are_found_by_halves(desk: Desk) -> None:
    """Two refused decisions among nine: the engine halves the refused call until each
    refused one stands alone; only those two are quarantined, with today's message."""
    recs = [desk.decide("ra") for _ in range(9)]
    poisons = [
        desk.decide("ra", codes=[UNKNOWN_CODE], comment="不符合"),
        desk.decide("ra", codes=[UNKNOWN_CODE], comment="不符合"),
    ]
    # Queued among the others (the outbox keeps its order by creation).
    with desk.local.write() as s:
        items = {o.ref_id: o for o in s.scalars(select(OutboxItem))}
        order = [*recs[:2], poisons[0], *recs[2:7], poisons[1], *recs[7:]]
        base = min(o.created_at for o in items.values())
        for i, rec in enumerate(order):
            items[rec.decision_id].created_at = base + dt.timedelta(milliseconds=i)
    pushed = desk.sync.push()
    assert (pushed.sent, pushed.conflicts, pushed.quarantined) == (9, 0, 2)
    there = desk.central_decisions()
    assert set(there) == {r.decision_id for r in recs}
    outbox = desk.outbox()
    for poison in poisons:
        item = outbox[poison.decision_id]
        assert item.quarantined and item.last_error is not None
        assert "is not a reason of the guardianship library" in item.last_error
    assert set(desk.local_states()[r.decision_id] for r in recs) == {"accepted"}


def test_the_batch_stores_every_text_and_time_as_sent(desk: Desk) -> None:
    """The batch's arrays travel as JSON (central_pg._SUBMIT_DECISIONS): quotes, backslashes,
    line breaks, CJK and astral characters, NULLs and microseconds arrive unchanged."""
    odd = 'a "quoted" \\ back\\slash,\n{braces} 第1号 😀 \t end'
    recs = [
        dataclasses.replace(desk.decide("ra"), comment=odd),
        desk.decide("ra"),
        dataclasses.replace(desk.decide("ra"), comment="NULL"),
    ]
    recs[1] = dataclasses.replace(
        recs[1],
        reasons={**recs[1].reasons, "note_to_parent": odd},
        device_time=dt.datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=dt.UTC),
    )
    assert desk.call(lambda ops: ops.submit_decisions(recs)) == ["accepted"] * 3
    with desk.central.read() as s:
        for rec in recs:
            stored = s.get(Decision, rec.decision_id)
            assert stored is not None
            assert (stored.comment, stored.reasons, stored.device_time) == (
                rec.comment,
                rec.reasons,
                rec.device_time,
            )
            raw = s.scalar(
                text("SELECT reasons FROM decisions WHERE id = :i"), {"i": rec.decision_id}
            )
            assert raw == json.dumps(
                rec.reasons, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            )
