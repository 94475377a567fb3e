"""The supervisor desk's numbers, on SQLite and PostgreSQL: what the reviewers did, as the
desk counts it and as the test counts it in SQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.intake.intake import import_package
from app.intake.package import write_package
from app.notices.printing import CHINA_TZ
from app.policy.idnumbers import make_id
from app.review.desk import DAYS_SHOWN, OUTCOMES
from app.review.errors import WorkflowError
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import Case, Claim, Decision, District
from tests.integration.test_intake import files, manifest
from tests.workflow_fixtures import World, build_world

OPEN = ("pending", "confirming", "returned")


def _west_case(store: Store, tmp_path: Path, i: int) -> str:
    child = make_id("360103", dt.date(2019, 5, 1) + dt.timedelta(days=i), 500 + i)
    m = manifest(
        f"WEST-{i}",
        student=child,
        guardians=(
            make_id("360103", dt.date(1987, 1, 1) + dt.timedelta(days=i), 600 + i),
            make_id("360103", dt.date(1989, 1, 1) + dt.timedelta(days=i), 700 + i),
        ),
        cert=f"赣(2021)南昌市不动产权第{900 + i:07d}号",
    )
    m["district"], m["school"] = "西湖区", "南昌市西湖区朝阳小学"
    m["submitted_at"] = "2026-06-01T08:00:00+08:00"  # older than every 东湖区 case
    out = import_package(
        store,
        write_package(tmp_path / f"west{i}", m, files(), as_zip=False),
        actor=None,
        workstation="ws-test",
    )
    assert out.status == "imported", out.line
    return out.case_no


@pytest.fixture
def season(store: Store, tmp_path: Path) -> World:
    """Eight 东湖区 cases and two 西湖区 ones; alice approves two and rejects one (a
    four-eyes outcome: it waits for a supervisor), bob returns one and holds another, carol
    approves one in 西湖区."""
    world = build_world(store, tmp_path, n_cases=8)
    west = [_west_case(store, tmp_path, i) for i in range(2)]
    alice = Workbench(standalone(store), world.alice)
    for case_no in world.cases[:2]:
        alice.claim(case_no)
        alice.decide(case_no, DecisionInput("approve"))
    alice.claim(world.cases[2])
    alice.decide(
        world.cases[2],
        DecisionInput("reject", reasons=("NOT_DIVORCED", "PHOTO_UNCLEAR"), comment="证件不清"),
    )
    bob = Workbench(standalone(store), world.bob)
    bob.claim(world.cases[3])
    bob.decide(
        world.cases[3],
        DecisionInput("return", reasons=("PHOTO_UNCLEAR",), missing=("divorce_certificate",)),
    )
    bob.claim(world.cases[4])  # held, not decided
    carol = Workbench(standalone(store), world.carol)
    carol.claim(west[0])
    carol.decide(west[0], DecisionInput("approve"))
    world.cases.extend(west)
    return world


def _sql_open(store: Store, district: str) -> int:
    with store.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Case)
                .join(District, District.code == Case.district_code)
                .where(District.name == district, Case.status.in_(OPEN))
            )
            or 0
        )


def test_desk_counts_what_the_reviewers_did(season: World) -> None:
    sup = Workbench(standalone(season.store), season.sup)  # 东湖区
    numbers = sup.desk_numbers()

    # Backlog: 8 东湖区 cases, 2 approved: 6 open (the reject waits for confirmation,
    # the return waits for the parents); nothing of 西湖区.
    assert numbers.open_cases == 6 == _sql_open(season.store, "东湖区")
    by_status = dict(numbers.backlog_by("status_label"))
    assert by_status == {"待审核": 4, "待复核": 1, "已退回": 1}
    assert {line.district for line in numbers.backlog} == {"东湖区"}
    assert dict(numbers.backlog_by("school")) == {"南昌市东湖区育新学校": 6}
    # The policy's review deadline (nanchang-2026: 2026-07-31) and the days left to it.
    today = dt.datetime.now(CHINA_TZ).date()
    assert {line.deadline for line in numbers.backlog} == {dt.date(2026, 7, 31)}
    nearest = numbers.nearest_deadline
    assert nearest is not None and nearest.days_left == (dt.date(2026, 7, 31) - today).days
    oldest = numbers.oldest
    assert oldest is not None
    assert oldest.oldest_submitted_at == dt.datetime(2026, 6, 3, 1, 15, tzinfo=dt.UTC)
    assert oldest.oldest_days == (dt.datetime.now(dt.UTC) - oldest.oldest_submitted_at).days

    # Throughput: alice 2 approvals + 1 rejection, bob 1 return, all today.
    lines = {line.reviewer: line for line in numbers.reviewers}
    assert set(lines) == {"alice", "bob"}
    assert lines["alice"].by_outcome == {"approve": 2, "reject": 1}
    assert lines["bob"].by_outcome == {"return": 1}
    assert lines["alice"].today == 3 and lines["alice"].last_week == 3
    assert len(lines["alice"].per_day) == DAYS_SHOWN == len(numbers.days)
    assert numbers.days[-1] == today
    assert numbers.outcomes == {"approve": 2, "reject": 1, "return": 1}
    assert numbers.rate("approve") == pytest.approx(0.5)
    with season.store.read() as s:
        standing = s.scalar(
            select(func.count())
            .select_from(Decision)
            .join(Case, Case.id == Decision.case_id)
            .join(District, District.code == Case.district_code)
            .where(Decision.effective.is_(True), District.name == "东湖区")
        )
    assert numbers.decided == standing == 4

    # Reasons, with the file's wording.
    reasons = {r.code: r for r in numbers.reasons}
    assert reasons["PHOTO_UNCLEAR"].count == 2 and reasons["PHOTO_UNCLEAR"].kind is None
    assert reasons["NOT_DIVORCED"].count == 1 and reasons["NOT_DIVORCED"].kind == "guardianship"
    assert reasons["NOT_DIVORCED"].wording not in ("", "NOT_DIVORCED")
    assert numbers.reasons[0].code == "PHOTO_UNCLEAR"  # the most given first

    # Claim → decision: four decided cases, each within the test's run.
    median = numbers.median_claim_to_decision
    assert median is not None and dt.timedelta(0) <= median < dt.timedelta(minutes=5)
    assert numbers.conflicts == 0 and numbers.quarantined == 0


def test_desk_scope_follows_the_supervisor_and_the_admin(season: World) -> None:
    both = Workbench(standalone(season.store), season.sup2).desk_numbers()  # 东湖区 + 西湖区
    assert both.open_cases == _sql_open(season.store, "东湖区") + _sql_open(season.store, "西湖区")
    assert {line.district for line in both.backlog} == {"东湖区", "西湖区"}
    assert {line.reviewer for line in both.reviewers} == {"alice", "bob", "carol"}
    # The oldest open case is 西湖区's (2026-06-01).
    assert both.oldest is not None and both.oldest.district == "西湖区"
    admin = Workbench(standalone(season.store), season.admin).desk_numbers()  # no districts
    assert admin.open_cases == both.open_cases and admin.outcomes == both.outcomes


def test_reviewers_cannot_open_the_desk(season: World) -> None:
    alice = Workbench(standalone(season.store), season.alice)
    assert not alice.can_use_desk
    with pytest.raises(WorkflowError) as refused:
        alice.desk_numbers()
    assert refused.value.code == "role"


def test_median_and_days_follow_the_clock(season: World) -> None:
    """Times are counted, not assumed: a claim moved back an hour before its decision
    moves the median; a decision read from a week later falls out of 'today'."""
    with season.store.write() as s:
        claims = s.scalars(select(Claim).join(Case, Case.id == Claim.case_id)).all()
        for claim in claims:
            if claim.claimed_at is not None:
                claim.claimed_at -= dt.timedelta(hours=1)
    sup = Workbench(standalone(season.store), season.sup)
    median = sup.desk_numbers().median_claim_to_decision
    assert median is not None and dt.timedelta(hours=1) <= median < dt.timedelta(hours=1, minutes=5)
    later = sup.desk_numbers(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=7))
    alice = next(line for line in later.reviewers if line.reviewer == "alice")
    assert alice.today == 0 and alice.per_day[-8] == 3 and alice.total == 3
    assert set(OUTCOMES) == set(later.outcomes)


def test_a_district_with_two_seasons_open_is_counted_per_season(season: World) -> None:
    """Open cases of two admission years in one district: each group carries its own
    year's deadline (2023's policy sets none), and the counts still add up."""
    from reviewdb.models import Application

    with season.store.write() as s:
        last_year = s.scalars(
            select(Case).where(Case.case_no == season.cases[5])  # an open 东湖区 case
        ).one()
        last_year.admission_year = 2023
        s.get(Application, last_year.application_id).admission_year = 2023  # type: ignore[union-attr]
    numbers = Workbench(standalone(season.store), season.sup).desk_numbers()
    assert numbers.open_cases == 6 == _sql_open(season.store, "东湖区")
    by_deadline: dict[dt.date | None, int] = {}
    for line in numbers.backlog:
        by_deadline[line.deadline] = by_deadline.get(line.deadline, 0) + line.count
    assert by_deadline == {dt.date(2026, 7, 31): 5, None: 1}


def test_intake_keeps_the_year_on_the_case_and_the_migration_fills_older_rows(
    season: World,
) -> None:
    from reviewdb import migrate
    from reviewdb.models import Application

    def years() -> list[tuple[int | None, int]]:
        with season.store.read() as s:
            return [
                (c, a)
                for c, a in s.execute(
                    select(Case.admission_year, Application.admission_year).join(
                        Application, Application.id == Case.application_id
                    )
                )
            ]

    assert years() and all(c == a == 2026 for c, a in years())
    migrate.downgrade(season.store, "0008")  # the column goes, rows stay
    migrate.upgrade(season.store)  # and comes back filled from the applications
    assert len(years()) == 10 and all(c == a == 2026 for c, a in years())
    numbers = Workbench(standalone(season.store), season.sup2).desk_numbers()
    assert {line.deadline for line in numbers.backlog} == {dt.date(2026, 7, 31)}


def test_whom_a_case_can_be_given_to(season: World) -> None:
    sup2 = Workbench(standalone(season.store), season.sup2)  # 东湖区 + 西湖区
    everyone = {p[0] for p in sup2.district_people()}
    assert everyone == {"alice", "bob", "carol", "sup", "sup2"}
    assert {p[0] for p in sup2.district_people("carol")} == {"carol", "sup2"}
    assert {p[0] for p in sup2.district_people("alice")} == {"alice", "bob", "sup", "sup2"}
    sup2.set_paused("bob", True, "leave")  # a paused reviewer is given nothing
    assert "bob" not in {p[0] for p in sup2.district_people("alice")}


def test_one_refresh_reads_the_users_once(season: World) -> None:
    """The names, usernames and pauses of every figure's reviewers come from one read."""
    sup = Workbench(standalone(season.store), season.sup)
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))  # the statement's SQL

    event.listen(season.store.engine, "before_cursor_execute", record)
    try:
        numbers = sup.desk_numbers()
    finally:
        event.remove(season.store.engine, "before_cursor_execute", record)
    assert len([sql for sql in seen if re.search(r"\bFROM users\b", sql)]) == 1
    assert {line.reviewer for line in numbers.reviewers} == {"alice", "bob"}
    assert {line.username for line in numbers.reviewers} == {"alice", "bob"}
