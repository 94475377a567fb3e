"""The audit browser's reads on SQLite and PostgreSQL: filters list what SQL counts, pages
list every entry once, a supervisor sees only their districts, the chain check names a
tampered entry, and the CSV holds exactly the filtered entries."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text, update

from app import auth
from app.notices.printing import CHINA_TZ
from app.review.audit import (
    CSV_HEADER,
    MAX_FILTER_TEXT,
    AuditCancelled,
    AuditFilters,
    AuditRow,
    AuditScope,
    csv_cells,
    export_journal_csv,
    summarize,
    verify_journal,
)
from app.review.errors import WorkflowError
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import JournalEntry
from tests.app.review.test_desk import _west_case
from tests.workflow_fixtures import World, build_world

# 23:30 on 1 June and 00:10 on 2 June, China time: one day apart there, the same UTC day.
LATE_1_JUNE = dt.datetime(2026, 6, 1, 23, 30, tzinfo=CHINA_TZ)
EARLY_2_JUNE = dt.datetime(2026, 6, 2, 0, 10, tzinfo=CHINA_TZ)


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")


@pytest.fixture
def season(store: Store, tmp_path: Path) -> World:
    """Four 东湖区 cases and two 西湖区 ones; alice claims and decides in 东湖区, carol in
    西湖区; sup and admin log in and sup mistypes a password (case-less entries)."""
    world = build_world(store, tmp_path, n_cases=4)
    west = [_west_case(store, tmp_path, i) for i in range(2)]
    alice = Workbench(standalone(store), world.alice)
    alice.claim(world.cases[0])
    alice.decide(world.cases[0], DecisionInput("approve"))
    alice.claim(world.cases[1])
    alice.decide(world.cases[1], DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    alice.open_case(world.cases[2])
    carol = Workbench(standalone(store), world.carol)
    carol.claim(west[0])
    carol.decide(west[0], DecisionInput("approve"))
    auth.login(store, "sup", "sup-pass-1", "ws-sup")
    auth.login(store, "admin", "admin-pass-1", "ws-admin")
    with pytest.raises(auth.AuthError):
        auth.login(store, "sup", "wrong-password", "ws-sup")
    world.cases.extend(west)
    return world


def _redate_last_two(store: Store) -> tuple[int, int]:
    """Move the last two entries to either side of midnight, China time (this breaks the
    chain, as any change does: only for the date filter)."""
    with store.write() as s:
        last = s.execute(text("SELECT max(seq) FROM journal")).scalar_one()
        for seq, when in ((last - 1, LATE_1_JUNE), (last, EARLY_2_JUNE)):
            s.execute(update(JournalEntry).where(JournalEntry.seq == seq).values(store_time=when))
    return last - 1, last


def _all(wb: Workbench, filters: AuditFilters | None = None, limit: int = 200) -> list[AuditRow]:
    rows: list[AuditRow] = []
    after = None
    while True:
        page = wb.journal_page(filters, after, limit)
        rows.extend(page)
        if len(page) < limit:
            return rows
        after = page[-1].seq


def _seqs(store: Store, where: str = "1=1", **params: object) -> list[int]:
    """What the test itself counts in SQL (journal ⟕ cases), newest first."""
    with store.read() as s:
        return list(
            s.execute(
                text(
                    "SELECT j.seq FROM journal j LEFT JOIN cases c ON c.id = j.case_id "
                    f"WHERE {where} ORDER BY j.seq DESC"
                ),
                params,
            ).scalars()
        )


def test_each_filter_lists_exactly_what_sql_counts(season: World) -> None:
    store, east, west = season.store, season.cases[0], season.cases[4]
    admin = Workbench(standalone(store), season.admin)
    assert [r.seq for r in _all(admin)] == _seqs(store)
    cases = {
        AuditFilters(case=east): _seqs(store, "c.case_no = :n", n=east),
        AuditFilters(case=f"  {west} "): _seqs(store, "c.case_no = :n", n=west),
        AuditFilters(person="alice"): _seqs(store, "j.actor = 'alice'"),
        AuditFilters(person="ALICE"): _seqs(store, "j.actor = 'alice'"),  # as login finds it
        AuditFilters(action="claim"): _seqs(store, "j.action = 'claim'"),
        AuditFilters(action="login_failed"): _seqs(store, "j.action = 'login_failed'"),
        AuditFilters(person="carol", action="decide"): _seqs(
            store, "j.actor = 'carol' AND j.action = 'decide'"
        ),
        AuditFilters(case="no-such-case"): [],
    }
    for filters, expected in cases.items():
        assert expected or filters.case == "no-such-case"
        assert [r.seq for r in _all(admin, filters)] == expected, filters
    # The case filter takes the case id as well as its number.
    case_id = next(r.case_id for r in _all(admin, AuditFilters(case=east)))
    assert [r.seq for r in _all(admin, AuditFilters(case=case_id))] == cases[
        AuditFilters(case=east)
    ]
    # A display name finds the person too (build_world's display names are the user names).
    assert _all(admin, AuditFilters(person="carol"))


def test_dates_are_china_days_both_ends_included(season: World) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    late, early = _redate_last_two(season.store)
    first, second = dt.date(2026, 6, 1), dt.date(2026, 6, 2)
    assert [r.seq for r in _all(admin, AuditFilters(date_from=first, date_to=first))] == [late]
    assert [r.seq for r in _all(admin, AuditFilters(date_from=second, date_to=second))] == [early]
    assert [r.seq for r in _all(admin, AuditFilters(date_to=second))] == [early, late]
    everything_else = _all(admin, AuditFilters(date_from=second + dt.timedelta(days=1)))
    assert {r.seq for r in everything_else} == set(_seqs(season.store)) - {early, late}
    row = _all(admin, AuditFilters(date_from=second, date_to=second))[0]
    assert row.china_time() == "2026-06-02 00:10:00"
    with pytest.raises(WorkflowError) as refused:
        admin.journal_page(AuditFilters(date_from=second, date_to=first))
    assert refused.value.code == "filter_dates"


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 200])
def test_pages_list_every_entry_once_newest_first(season: World, limit: int) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    seqs = [r.seq for r in _all(admin, limit=limit)]
    assert seqs == _seqs(season.store)
    assert len(set(seqs)) == len(seqs)
    east = AuditFilters(case=season.cases[0])
    assert [r.seq for r in _all(admin, east, limit)] == [r.seq for r in _all(admin, east)]


def test_a_supervisor_sees_their_districts_cases_and_their_own_entries(season: World) -> None:
    store = season.store
    sup = Workbench(standalone(store), season.sup)  # 东湖区
    seen = [r.seq for r in _all(sup)]
    expected = _seqs(
        store,
        "c.district_code IN (SELECT code FROM districts WHERE name = '东湖区') "
        "OR (j.case_id IS NULL AND j.actor = 'sup')",
    )
    assert seen == expected
    rows = _all(sup)
    assert {r.case_no for r in rows if r.case_no} <= set(season.cases[:4])
    assert not any(r.case_no in season.cases[4:] for r in rows)
    assert {r.action for r in rows if r.case_id is None} == {"login", "login_failed"}
    assert {r.actor for r in rows if r.case_id is None} == {"sup"}
    # A 西湖区 case asked for by number: nothing, as for a case that does not exist.
    assert sup.journal_page(AuditFilters(case=season.cases[4])) == []
    assert sup.journal_page(AuditFilters(person="carol")) == []
    # sup2 has both districts; the admin everything.
    both = Workbench(standalone(store), season.sup2)
    assert {r.case_no for r in _all(both) if r.case_no} >= {season.cases[4]}
    admin = Workbench(standalone(store), season.admin)
    assert {r.action for r in _all(admin)} >= {"user_add", "login", "import", "decide"}


def test_reviewers_are_refused(season: World, tmp_path: Path) -> None:
    alice = Workbench(standalone(season.store), season.alice)
    assert not alice.can_audit
    for call in (
        lambda: alice.journal_page(),
        alice.journal_actions,
        alice.verify_journal,
        lambda: alice.export_journal_csv(AuditFilters(), tmp_path / "x.csv"),
    ):
        with pytest.raises(WorkflowError) as refused:
            call()
        assert refused.value.code == "role"
    assert not (tmp_path / "x.csv").exists()


def test_rows_name_people_cases_and_say_what_happened(season: World) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    assert admin.journal_actions() == sorted(set(_seqs_actions(season.store)))
    decide = _all(admin, AuditFilters(case=season.cases[1], action="decide"))[0]
    assert decide.actor == "alice" and decide.actor_name == "alice"
    assert decide.case_no == season.cases[1]
    assert decide.summary.startswith("不通过（") and "NOT_DIVORCED" in decide.summary
    assert decide.action_words == "作出决定"
    assert '"outcome":"reject"' in decide.payload_json
    failed = _all(admin, AuditFilters(action="login_failed"))[0]
    assert failed.summary == "账号 sup：密码错误" and failed.case_no is None
    claim = _all(admin, AuditFilters(case=season.cases[0], action="claim"))[0]
    assert claim.summary.startswith("领取至 ")
    assert summarize("decide", ["not", "a", "dict"]) == "（内容无法读取）"
    assert len(summarize("takeover", {"reason": "很长" * 200})) == 80


def _seqs_actions(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.execute(text("SELECT action FROM journal")).scalars())


def test_verify_names_the_entry_a_raw_update_altered(season: World) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    seen: list[tuple[int, int]] = []
    check = admin.verify_journal(lambda done, total: seen.append((done, total)))
    total = len(_seqs(season.store))
    assert check.ok and check.broken_seq is None and check.checked == total
    assert check.message.startswith("链完整")
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    target = _seqs(season.store, "j.action = 'claim'")[-1]
    with season.store.write() as s:
        s.execute(
            text("UPDATE journal SET payload = :p WHERE seq = :s"),
            {"p": '{"case_no":"改过","token":1}', "s": target},
        )
    check = admin.verify_journal()
    assert not check.ok and check.broken_seq == target
    assert check.message.startswith(f"第 {target} 条起被改动")
    assert check.problem == f"entry {target} was altered"
    # The tampered entry still lists (what it says now).
    row = _all(admin, AuditFilters(action="claim"))[-1]
    assert row.seq == target and row.case_no == season.cases[0]  # the case column is the row's


def test_a_payload_that_is_no_longer_json_is_shown_and_reported(season: World) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    target = _seqs(season.store)[3]
    with season.store.write() as s:
        s.execute(text("UPDATE journal SET payload = 'not json' WHERE seq = :s"), {"s": target})
    row = next(r for r in _all(admin) if r.seq == target)
    assert row.payload_json == "not json" and row.summary == "（内容无法读取）"
    check = admin.verify_journal()
    assert not check.ok and "无法读取" in check.message


def test_verify_stops_when_cancelled(store: Store) -> None:
    with store.write() as s:
        for i in range(2500):  # more than one batch of the verifier's reads
            journal.append(s, action="test", actor="x", workstation="ws", payload={"i": i})
    seen: list[tuple[int, int]] = []
    check = verify_journal(store, lambda d, t: seen.append((d, t)))
    assert check.ok and (2000, 2500) in seen
    with pytest.raises(AuditCancelled):
        verify_journal(store, None, lambda: True)
    calls = iter([False, True])  # before the walk, after its first 2,000 entries
    with pytest.raises(AuditCancelled, match="after 2,000 of 2,500"):
        verify_journal(store, None, lambda: next(calls))


def test_the_csv_holds_every_filtered_entry(season: World, tmp_path: Path) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    for filters in (AuditFilters(), AuditFilters(person="alice"), AuditFilters(action="decide")):
        path = tmp_path / "审计日志.csv"
        done: list[tuple[int, int]] = []
        exported = admin.export_journal_csv(
            filters, path, lambda d, t, seen=done: seen.append((d, t))
        )
        expected = _all(admin, filters)
        assert exported.rows == len(expected) and exported.path == path
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows
        with open(path, encoding="utf-8-sig", newline="") as fh:
            read = list(csv.reader(fh))
        assert read[0] == list(CSV_HEADER)
        assert read[1:] == [csv_cells(r) for r in expected]
        assert done[-1] == (len(expected), len(expected))
        assert not list(tmp_path.glob(".*.part"))


def test_a_cancelled_export_leaves_no_file(season: World, tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    part = tmp_path / ".journal.csv.part"
    partial_seen: list[bool] = []

    def progress(done: int, total: int) -> None:
        partial_seen.append(part.exists())

    calls = iter([False, False, True])  # before the first batch, after it, then stop
    with pytest.raises(AuditCancelled):
        export_journal_csv(
            season.store,
            AuditScope.everything(),
            AuditFilters(),
            path,
            progress,
            lambda: next(calls),
            batch=5,
        )
    assert partial_seen and all(partial_seen)  # it was being written
    assert not path.exists() and not part.exists()
    # An earlier export at that name stays as it was.
    path.write_text("earlier", encoding="utf-8")
    with pytest.raises(AuditCancelled):
        export_journal_csv(
            season.store, AuditScope.everything(), AuditFilters(), path, None, lambda: True
        )
    assert path.read_text(encoding="utf-8") == "earlier" and not part.exists()


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        (AuditFilters(case="2026\x00"), "filter_nul"),
        (AuditFilters(person="\x00"), "filter_nul"),
        (AuditFilters(case="1" * 100_000), "filter_too_long"),
        (AuditFilters(person="张" * 100_000), "filter_too_long"),
        (AuditFilters(action="x" * (MAX_FILTER_TEXT + 1)), "filter_too_long"),
    ],
)
def test_unusable_filter_text_is_refused_clearly(
    season: World, tmp_path: Path, filters: AuditFilters, code: str
) -> None:
    admin = Workbench(standalone(season.store), season.admin)
    for call in (
        lambda: admin.journal_page(filters),
        lambda: admin.export_journal_csv(filters, tmp_path / "x.csv"),
    ):
        with pytest.raises(WorkflowError) as refused:
            call()
        assert refused.value.code == code
        assert len(refused.value.message) < 200  # says how long, never echoes the text
    assert not (tmp_path / "x.csv").exists()
