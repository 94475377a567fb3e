"""Issue 13's attempts, replayed as an attacker holding a district's workstation login.

The attacker has the workstation login ``ws_a`` of district A (its password, e.g. from the
workstation's settings) and the person token of the one reviewer who logged in on that
workstation (``ra``). Every attempt below is refused cleanly (an ``rd:<code>`` refusal or
a privilege error), against a private cluster that checks passwords
(tests/integration/scram_cluster.py), with the rules published as `reviewdesk central
publish-policy` publishes them.

Each attempt has its deeper test elsewhere (tests/reviewdb/test_district_isolation.py for
images, chunks and shared facts; tests/reviewdb/test_journal_anchor.py for the journal;
tests/integration/test_district_keys.py and tests/app/notices for signing keys); here they
are replayed side by side, as one attacker would try them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import make_url, select, text, update

from app.auth import Actor, create_user
from app.cli.sync import rules_document
from reviewdb import central, central_pg, identity, migrate
from reviewdb.engine import Store
from reviewdb.models import Case, Decision
from tests.factories import DISTRICTS, bulk_cases
from tests.integration.scram_cluster import scram_cluster  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres]

A, B = DISTRICTS[0][0], DISTRICTS[1][0]
WS_PASSWORD = "ws-login-secret-1"
PEOPLE = {
    "ra": ("reviewer", "ra-pass-1"),
    "rb": ("reviewer", "rb-pass-1"),
    "sa": ("supervisor", "sa-pass-1"),
    "sa2": ("supervisor", "sa2-pass-1"),
}


@dataclass
class Attack:
    store: Store
    url: str
    dbname: str
    users: dict[str, Actor]
    kinship: list[str]  # pending kinship cases of district A
    tokens: dict[str, str]  # what the stolen workstation holds: people who logged in on it

    def ws(self) -> psycopg.Connection[tuple[object, ...]]:
        u = make_url(self.url)
        return psycopg.connect(
            host=u.host, port=u.port, dbname=u.database, user="ws_a", password=WS_PASSWORD
        )

    def uid(self, name: str) -> str:
        return self.users[name].user_id

    def as_person(self, name: str) -> psycopg.Connection[tuple[object, ...]]:
        u = make_url(self.url)
        return psycopg.connect(
            host=u.host,
            port=u.port,
            dbname=u.database,
            user=identity.person_role_name(self.dbname, self.uid(name)),
            password=PEOPLE[name][1],
        )

    def token(self, name: str) -> str:
        if name not in self.tokens:
            ws_url = make_url(self.url).set(username="ws_a", password=WS_PASSWORD)
            self.tokens[name] = identity.issue_token(
                ws_url.render_as_string(hide_password=False),
                self.dbname,
                self.uid(name),
                PEOPLE[name][1],
                store_id="st-attacked",
                login_role="ws_a",
            ).token
        return self.tokens[name]


@pytest.fixture(scope="module")
def attack(scram_cluster: str) -> Iterator[Attack]:  # noqa: F811
    dbname = f"rd_adv_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(scram_cluster.replace("+psycopg", ""), autocommit=True)
    admin.execute(f'CREATE DATABASE "{dbname}"')
    url = scram_cluster.rsplit("/", 1)[0] + "/" + dbname
    store = Store(url)
    try:
        migrate.upgrade(store)
        central_pg.install(store.engine)
        ids = bulk_cases(store, 120, seed=13)
        with store.write() as s:
            kin = list(
                s.scalars(
                    select(Case.id)
                    .where(Case.id.in_(ids), Case.district_code == A)
                    .order_by(Case.id)
                    .limit(12)
                )
            )
            s.execute(
                update(Case)
                .where(Case.id.in_(kin))
                .values(kind="kinship", status="pending", decided_at=None)
            )
            central.publish_rules(s, rules_document(), actor=None, workstation="ws-admin")
        boss = create_user(
            store, by=None, username="admin", role="admin", districts=[], password="admin-pass-1"
        )
        users = {
            name: create_user(
                store,
                by=boss,
                username=name,
                role=role,
                districts=[B] if name == "rb" else [A],
                password=password,
            )
            for name, (role, password) in PEOPLE.items()
        }
        users["admin"] = boss
        central_pg.create_login(store.engine, "ws_a", [A], password=WS_PASSWORD)
        yield Attack(store, url, dbname, users, kin, {})
    finally:
        central_pg.uninstall(store.engine)
        admin.execute('DROP ROLE IF EXISTS "ws_a"')
        store.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


def _as(
    conn: psycopg.Connection[tuple[object, ...]], token: str, sql: str, *args: object
) -> object:
    """One transaction: prove the token's person, then run ``sql``; its first value."""
    with conn.transaction():
        conn.execute("SELECT rd_act_as(%s)", (token,))
        row = conn.execute(sql, args).fetchone()
    return row[0] if row else None


def _refused(
    conn: psycopg.Connection[tuple[object, ...]], token: str | None, sql: str, *args: object
) -> str:
    with pytest.raises(psycopg.errors.RaiseException) as info, conn.transaction():
        if token is not None:
            conn.execute("SELECT rd_act_as(%s)", (token,))
        conn.execute(sql, args)
    return str(info.value).split(":", 2)[1]


def _claim(
    attack: Attack, conn: psycopg.Connection[tuple[object, ...]], name: str, case: str
) -> int:
    with conn.transaction():
        conn.execute("SELECT rd_act_as(%s)", (attack.token(name),))
        row = conn.execute(
            "SELECT token FROM rd_claim(%s, %s, 'ws', 600)", (case, attack.uid(name))
        ).fetchone()
    assert row is not None
    return int(str(row[0]))


SUBMIT = (
    "SELECT rd_submit_decision(%s, %s, 1, %s, %s, %s, %s, %s, now(), 'ws',"
    " p_needs_confirmation => false)"
)


def test_nobody_can_be_impersonated_without_their_password(attack: Attack) -> None:
    case = attack.kinship[0]
    ra, sa2 = attack.token("ra"), attack.uid("sa2")
    with attack.ws() as conn:
        # Without any proof, and with ra's proof for someone else.
        assert (
            _refused(
                conn, None, "SELECT * FROM rd_claim(%s, %s, 'ws', 600)", case, attack.uid("ra")
            )
            == "no_identity"
        )
        assert (
            _refused(conn, ra, "SELECT * FROM rd_claim(%s, %s, 'ws', 600)", case, attack.uid("sa"))
            == "not_you"
        )
        # rd_takeover with a forged supervisor id.
        assert (
            _refused(conn, ra, "SELECT * FROM rd_takeover(%s, %s, 'ws', 600)", case, sa2)
            == "not_you"
        )
    # A person's own password opens no table and no action.
    with attack.as_person("ra") as conn:
        for sql in ("SELECT count(*) FROM cases", "SELECT * FROM rd_claim('c', 'u', 'w', 60)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)


def test_four_eyes_cannot_be_skipped_or_self_confirmed(attack: Attack) -> None:
    case = attack.kinship[1]
    sa = attack.token("sa")
    decision = str(uuid.uuid4())
    reasons = '{"codes":["NOT_DIRECT_RELATIVE"],"missing":[]}'
    with attack.ws() as conn:
        token = _claim(attack, conn, "sa", case)
        state = _as(
            conn, sa, SUBMIT, decision, case, "reject", reasons, "不符合", attack.uid("sa"), token
        )
        assert state == "pending_confirmation"  # p_needs_confirmation => false was ignored
        # The supervisor confirms their own rejection under another supervisor's id.
        assert (
            _refused(conn, sa, "SELECT rd_confirm(%s, %s, true)", decision, attack.uid("sa2"))
            == "not_you"
        )
        # ... and under their own: four-eyes.
        code = _refused(conn, sa, "SELECT rd_confirm(%s, %s, true)", decision, attack.uid("sa"))
        assert code not in {"not_you", "no_identity"}
    with attack.store.read() as s:
        row = s.get(Decision, decision)
        assert row is not None and row.state == "pending_confirmation"


def test_the_undo_window_and_lease_caps_are_the_central_stores(attack: Attack) -> None:
    case = attack.kinship[2]
    ra = attack.token("ra")
    with attack.ws() as conn:
        with conn.transaction():
            conn.execute("SELECT rd_act_as(%s)", (ra,))
            token, until = conn.execute(
                "SELECT token, leased_until FROM rd_claim(%s, %s, 'ws', 604800)",
                (case, attack.uid("ra")),
            ).fetchone()  # type: ignore[misc]
        assert until - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=48, minutes=1)  # type: ignore[operator]
        decision = str(uuid.uuid4())
        _as(
            conn,
            ra,
            SUBMIT,
            decision,
            case,
            "approve",
            '{"codes":[],"missing":[]}',
            None,
            attack.uid("ra"),
            token,
        )
    with attack.store.write() as s:  # 23 minutes later
        s.execute(
            text(
                "UPDATE decisions SET store_time = store_time - interval '23 minutes' WHERE id = :d"
            ),
            {"d": decision},
        )
    with attack.ws() as conn:
        assert (
            _refused(conn, ra, "SELECT rd_undo(%s, %s, 2147483647)", decision, attack.uid("ra"))
            == "undo_window"
        )


@pytest.mark.parametrize(
    ("codes", "comment", "expected"),
    [
        ('["NO_SUCH_CODE"]', "x", "reason_unknown"),
        ('["<script>alert(1)</script>"]', "x", "reason_unknown"),
        ('["NOT_DIRECT_RELATIVE"]', "长" * 100_000, "text_too_long"),
    ],
)
def test_reason_codes_and_texts_are_checked(
    attack: Attack, codes: str, comment: str, expected: str
) -> None:
    case = attack.kinship[3 + ["NO_SUCH_CODE" in codes, "script" in codes, True].index(True)]
    ra = attack.token("ra")
    with attack.ws() as conn:
        token = _claim(attack, conn, "ra", case)
        reasons = '{"codes":' + codes + ',"missing":[]}'
        got = _refused(
            conn,
            ra,
            SUBMIT,
            str(uuid.uuid4()),
            case,
            "reject",
            reasons,
            comment,
            attack.uid("ra"),
            token,
        )
    assert got == expected


def test_no_workstation_login_reads_password_verifiers(attack: Attack) -> None:
    with attack.ws() as conn:
        for sql in (
            "SELECT password_hash FROM users",
            "SELECT * FROM person_tokens",
            "SELECT * FROM person_logins",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)
        names = {r[0] for r in conn.execute("SELECT username FROM users").fetchall()}
    assert "rb" not in names  # another district's reviewer is not even listed


def _other_district_image(attack: Attack) -> str:
    """An image of a district-B case, uploaded whole (as the owner): what ws_a must not read."""
    data = b"B-district family photo" * 100
    sha = hashlib.sha256(data).hexdigest()
    with attack.store.write() as s:
        case_b = s.scalar(select(Case.id).where(Case.district_code == B).order_by(Case.id))
        s.execute(
            text(
                "INSERT INTO blobs (sha256, size, media_type, present, created_at) "
                "VALUES (:s, :n, 'image/jpeg', false, now()) ON CONFLICT DO NOTHING"
            ),
            {"s": sha, "n": len(data)},
        )
        s.execute(
            text(
                "INSERT INTO attachments (round_id, ordinal, label, filename, sha256, media_type,"
                " size, readable) SELECT r.id, 99, 'photo', 'b.jpg', :s, 'image/jpeg', :n, true"
                " FROM case_rounds r WHERE r.case_id = :c ORDER BY r.round_no LIMIT 1"
                " ON CONFLICT DO NOTHING"
            ),
            {"s": sha, "n": len(data), "c": case_b},
        )
    with attack.store.engine.begin() as conn:
        central_pg.PgArbiter(conn).put_blob_chunk(sha, 0, data)
        assert central_pg.PgArbiter(conn).complete_blob(sha, len(data), "image/jpeg")
    return sha


def test_another_districts_images_facts_and_journal_are_out_of_reach(attack: Attack) -> None:
    sha = _other_district_image(attack)
    with attack.ws() as conn:
        # Images and their chunks: only through a case of the login's own districts.
        for table in ("blob_chunks", "blobs"):
            row = conn.execute(f"SELECT count(*) FROM {table} WHERE sha256 = %s", (sha,)).fetchone()
            assert row == (0,), table
        # A chunk for an image no case of district A names, or for B's image: refused.
        for name in ("0" * 64, sha):
            code = _refused(conn, None, "SELECT rd_put_blob_chunk(%s, 0, %s)", name, b"x" * 10)
            assert code == "not_in_district"
        # Another district's students and properties are not even visible.
        for table in ("students", "properties", "applications"):
            sql = f"SELECT count(*) FROM {table} WHERE district_code <> %s"
            if table == "applications":
                sql = "SELECT count(*) FROM applications a JOIN students s ON s.id = a.student_id"
                sql += " WHERE s.district_code <> %s"
            assert conn.execute(sql, (A,)).fetchone() == (0,), table
        # The journal: a chain that is not this login's, at any position, is refused.
        now = dt.datetime.now(dt.UTC)
        args = (
            "st-victim",
            1,
            str(uuid.uuid4()),
            None,
            "ws",
            now,
            now,
            "login",
            None,
            "{}",
            "0" * 64,
            "1" * 64,
            "2" * 64,
            None,
        )
        sql = "SELECT rd_append_journal(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        assert _refused(conn, None, sql, *args) == "not_yours"
        # Nothing here can be written directly either.
        for sql in (
            "DELETE FROM central_journal",
            "UPDATE decisions SET outcome = 'approve'",
            "INSERT INTO person_tokens (id) VALUES ('x')",
            "UPDATE settings SET value = '{}' WHERE key = 'rules.limits'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)


def _approve(
    attack: Attack, conn: psycopg.Connection[tuple[object, ...]], name: str, case: str
) -> str:
    token = _claim(attack, conn, name, case)
    decision = str(uuid.uuid4())
    state = _as(
        conn,
        attack.token(name),
        SUBMIT,
        decision,
        case,
        "approve",
        '{"codes":[],"missing":[]}',
        None,
        attack.uid(name),
        token,
    )
    assert state == "accepted"
    return decision


def test_qa_sampling_is_the_central_stores_and_stays_in_its_district(attack: Attack) -> None:
    """抽查 (issue 17) as the attacker tries it: draw, judge or settle as someone else, with
    a forged role, out of range or into another district; read or write samples directly."""
    with attack.store.write() as s:
        pending = {
            d: list(
                s.scalars(
                    select(Case.id)
                    .where(Case.district_code == d, Case.id.not_in(attack.kinship))
                    .order_by(Case.id.desc())
                    .limit(2)
                )
            )
            for d in (A, B)
        }
        every = pending[A] + pending[B][:1]
        s.execute(
            update(Case)
            .where(Case.id.in_(every))
            .values(kind="guardianship", status="pending", decided_at=None)
        )
    sb = create_user(
        attack.store,
        by=attack.users["admin"],
        username="sb",
        role="supervisor",
        districts=[B],
        password="sb-pass-1",
    )
    # District B's season, done by its own people through the owner (no workstation of A).
    with attack.store.write() as s:
        arb = central_pg.PgArbiter(s)
        claim = arb.claim(pending[B][0], attack.uid("rb"), "ws-b", dt.timedelta(minutes=10))
        arb.submit_decision(
            central.DecisionRecord(
                decision_id=str(uuid.uuid4()),
                case_id=pending[B][0],
                round_no=1,
                outcome="approve",
                reasons={"codes": [], "missing": []},
                comment=None,
                reviewer_id=attack.uid("rb"),
                claim_token=claim.token,
                device_time=dt.datetime.now(dt.UTC),
                workstation="ws-b",
                needs_confirmation=False,
            )
        )
        arb.qa_draw(sb.user_id, None, "b-seed", {"guardianship": 100.0}, {})
    ra, sa, sa2 = attack.token("ra"), attack.token("sa"), attack.token("sa2")
    draw = "SELECT rd_qa_draw(%s, %s, %s, '{}')"
    everything = '{"guardianship": 100}'
    with attack.ws() as conn:
        approvals = [_approve(attack, conn, "sa", case) for case in pending[A]]
        # A reviewer draws; a reviewer draws as the supervisor; the supervisor with bad input.
        assert _refused(conn, ra, draw, attack.uid("ra"), "s", everything) == "not_allowed"
        assert _refused(conn, ra, draw, attack.uid("sa"), "s", everything) == "not_you"
        for seed, override in (
            ("s", '{"guardianship": 150}'),
            ("s", '{"guardianship": "all"}'),
            ("s", '{"martians": 5}'),
            ("s\x01", everything),
            ("x" * 100_000, everything),
            ("   ", everything),
        ):
            code = _refused(conn, sa, draw, attack.uid("sa"), seed, override)
            assert code in {"percent", "seed"}, (seed[:5], override)
        drawn = _as(conn, sa, draw, attack.uid("sa"), "a-seed", everything)
        assert isinstance(drawn, str) and '"district": "' + A + '"' in drawn
        assert sorted(approvals) == sorted(
            str(x) for x in conn.execute("SELECT decision_id FROM qa_samples").fetchall() for x in x
        )  # B's sample exists but is not this login's to see
        with attack.store.read() as owner:
            b_sample = owner.execute(
                text(
                    "SELECT q.decision_id FROM qa_samples q JOIN cases c ON c.id = q.case_id "
                    "WHERE c.district_code = :b"
                ),
                {"b": B},
            ).scalar_one()
        verdict = "SELECT rd_qa_verdict(%s, %s, %s, %s)"
        # Judged as someone else, out of the district, without a reason or with a huge one.
        assert _refused(conn, sa2, verdict, attack.uid("ra"), approvals[0], True, None) == "not_you"
        assert _refused(conn, ra, verdict, attack.uid("ra"), b_sample, True, None) == (
            "not_in_district"
        )
        assert _refused(conn, sa2, verdict, attack.uid("sa2"), approvals[0], True, None) == (
            "not_assignee"
        )
        assert _refused(conn, ra, verdict, attack.uid("ra"), approvals[1], False, " ") == (
            "comment_required"
        )
        assert _refused(
            conn, ra, verdict, attack.uid("ra"), approvals[1], False, "长" * 100_000
        ) == ("text_too_long")
        _as(conn, ra, verdict, attack.uid("ra"), approvals[0], True, None)
        _as(conn, ra, verdict, attack.uid("ra"), approvals[1], False, "材料不全")
        assert _refused(conn, ra, verdict, attack.uid("ra"), approvals[1], True, None) == (
            "verdict_given"
        )
        # Settled by the approver, by a reviewer, as someone else: no; by another supervisor.
        uphold = "SELECT rd_qa_uphold(%s, %s)"
        assert _refused(conn, sa, uphold, attack.uid("sa"), approvals[1]) == "four_eyes"
        assert _refused(conn, ra, uphold, attack.uid("ra"), approvals[1]) == "not_allowed"
        assert _refused(conn, ra, uphold, attack.uid("sa2"), approvals[1]) == "not_you"
        assert _refused(conn, sa2, uphold, attack.uid("sa2"), approvals[0]) == "no_disagreement"
        _as(conn, sa2, uphold, attack.uid("sa2"), approvals[1])
        assert _refused(conn, sa2, uphold, attack.uid("sa2"), approvals[1]) == "settled"
        # Nothing of 抽查 is written directly, and the inner functions are not callable.
        for sql in (
            "UPDATE qa_samples SET verdict = 'agree'",
            "DELETE FROM qa_draws",
            "INSERT INTO qa_draws (id) VALUES ('x')",
            "SELECT rd_qa_u64('\\x00'::bytea)",
            "SELECT rd_qa_sample('x')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)
    with attack.store.read() as s:
        rows = dict(
            s.execute(
                text(
                    "SELECT decision_id, coalesce(verdict, '') || '/' || "
                    "coalesce(settlement, '') FROM qa_samples"
                )
            ).all()
        )
    assert rows == {approvals[0]: "agree/", approvals[1]: "disagree/upheld", b_sample: "/"}
    # B's only reviewer approved: the draw gave the sample to B's supervisor.
    with attack.store.read() as s:
        checker = s.execute(
            text("SELECT assigned_to FROM qa_samples WHERE decision_id = :d"), {"d": b_sample}
        ).scalar_one()
    assert checker == sb.user_id
