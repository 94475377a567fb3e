"""The decision export on SQLite and PostgreSQL: decisions made through the real workflow,
exported through the facade, read back with openpyxl and the csv module.

Counts are checked against SQL written here, independently of the export's own query.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, text, update

from app.auth import Actor, create_user
from app.intake.intake import import_package
from app.intake.package import write_package
from app.notices.printing import CHINA_TZ, init_district_key
from app.policy.idnumbers import mask_id
from app.review import export
from app.review.export import ExportCancelled, ExportRefusal
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb.engine import Store
from reviewdb.models import (
    Case,
    CentralJournalEntry,
    Decision,
    JournalEntry,
    NoticePrint,
    User,
)
from tests.integration.sync_fixtures import central_world, offline, workstation
from tests.integration.test_intake import files
from tests.workflow_fixtures import World, build_world, case_manifest

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

HEADER = [
    "案件编号",
    "区",
    "学校",
    "类型",
    "学生姓名",
    "身份证号（已脱敏）",
    "结论",
    "理由代码",
    "理由",
    "缺少材料",
    "审核人",
    "复核人",
    "审核时间",
    "复核时间",
    "打印编号",
]
TODAY_FAR = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))  # every decision made in a test


@dataclass
class Decided:
    world: World
    admin: Actor  # an administrator of 东湖区 (the world's admin serves no district)
    approved: str  # alice approved; a notice printed
    rejected: str  # alice rejected, sup confirmed (four-eyes)
    resubmitted: str  # bob returned (notice printed), the family resubmitted, alice approved
    waiting: str  # alice rejected, no confirmation yet: not final, not exported
    undone: str  # alice approved and undid it: not exported
    kinship: str  # alice approved, sup confirmed (four-eyes for kinship approvals)
    west: str  # 西湖区: carol approved

    def desk(self, actor: Actor) -> Workbench:
        return Workbench(standalone(self.world.store), actor)


def _import(store: Store, where: Path, manifest: dict[str, Any]) -> str:
    out = import_package(
        store, write_package(where, manifest, files(), as_zip=False), actor=None, workstation="ws"
    )
    assert out.status == "imported", out.line
    return out.case_no


@pytest.fixture
def decided(store: Store, tmp_path: Path) -> Decided:
    world = build_world(store, tmp_path / "pkgs", n_cases=5)
    kinship = _import(store, tmp_path / "kin", case_manifest(40, "kinship"))
    west_manifest = case_manifest(41)
    west_manifest["district"] = "西湖区"
    west_manifest["school"] = "南昌市西湖区朝阳小学"
    west = _import(store, tmp_path / "west", west_manifest)
    admin = create_user(
        store,
        by=world.admin,
        username="boss",
        role="admin",
        districts=["东湖区"],
        password="boss-pass-1",
        display_name="局长",
    )
    init_district_key(store, "东湖区")
    ws = standalone(store)
    alice, bob, sup = (Workbench(ws, a) for a in (world.alice, world.bob, world.sup))
    c = world.cases
    alice.claim(c[0])
    alice.decide(c[0], DecisionInput("approve"))
    alice.print_cases([c[0]], deliver=lambda pdf: None)
    alice.claim(c[1])
    alice.decide(c[1], DecisionInput("reject", reasons=("NOT_DIVORCED", "PHOTO_UNCLEAR")))
    sup.confirm(c[1])
    bob.claim(c[2])
    bob.decide(c[2], DecisionInput("return", missing=("divorce_certificate", "hukou_self")))
    bob.print_cases([c[2]], deliver=lambda pdf: None)
    assert _import(store, tmp_path / "again", case_manifest(2, submission_id="W-2-again")) == c[2]
    alice.claim(c[2])
    alice.decide(c[2], DecisionInput("approve"))
    alice.claim(c[3])
    alice.decide(c[3], DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    alice.claim(c[4])
    alice.decide(c[4], DecisionInput("approve"))
    alice.undo(c[4])
    alice.claim(kinship)
    alice.decide(kinship, DecisionInput("approve"))
    sup.confirm(kinship)
    carol = Workbench(ws, world.carol)
    carol.claim(west)
    carol.decide(west, DecisionInput("approve"))
    return Decided(world, admin, c[0], c[1], c[2], c[3], c[4], kinship, west)


def _xlsx(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], Any]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["审核结论", "合计"]
    data = list(book["审核结论"].iter_rows(values_only=True))
    totals = list(book["合计"].iter_rows(values_only=True))
    return data, totals, book["审核结论"]


def _by_case(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    return out


def _sql_counts(store: Store, districts: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """Final effective decisions by outcome, kind and district name, counted in plain SQL."""
    marks = ", ".join(f":d{i}" for i in range(len(districts)))
    sql = text(
        f"""
        SELECT 'outcome', d.outcome, count(*) FROM decisions d JOIN cases c ON c.id = d.case_id
        WHERE d.effective AND d.state IN ('accepted', 'confirmed') AND c.district_code IN ({marks})
        GROUP BY d.outcome
        UNION ALL
        SELECT 'kind', c.kind, count(*) FROM decisions d JOIN cases c ON c.id = d.case_id
        WHERE d.effective AND d.state IN ('accepted', 'confirmed') AND c.district_code IN ({marks})
        GROUP BY c.kind
        UNION ALL
        SELECT 'district', di.name, count(*) FROM decisions d JOIN cases c ON c.id = d.case_id
        JOIN districts di ON di.code = c.district_code
        WHERE d.effective AND d.state IN ('accepted', 'confirmed') AND c.district_code IN ({marks})
        GROUP BY di.name
        """
    )
    with store.read() as s:
        rows = s.execute(sql, {f"d{i}": code for i, code in enumerate(districts)}).all()
    return {(str(group), str(key)): int(n) for group, key, n in rows}


def _serial(store: Store, case_no: str, round_no: int) -> str:
    with store.read() as s:
        return s.scalars(
            select(NoticePrint.serial)
            .join(Case, Case.id == NoticePrint.case_id)
            .where(Case.case_no == case_no, NoticePrint.round_no == round_no)
        ).one()


def _full_id(store: Store, case_no: str) -> str:
    with store.read() as s:
        return s.scalars(select(Case.student_id_number).where(Case.case_no == case_no)).one()


def _reviewer(store: Store, username: str) -> str:
    with store.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return f"{user.display_name}（{user.reviewer_code}）"


def _exports_journaled(store: Store) -> list[JournalEntry]:
    with store.read() as s:
        rows = list(
            s.scalars(
                select(JournalEntry)
                .where(JournalEntry.action.in_(("export_decisions", "export_full_ids")))
                .order_by(JournalEntry.seq)
            )
        )
        s.expunge_all()
        return rows


# --- rows and values ------------------------------------------------------------------


def test_one_row_per_decided_round_with_the_values_people_read(
    decided: Decided, tmp_path: Path
) -> None:
    store = decided.world.store
    out = tmp_path / "decisions.xlsx"
    result = decided.desk(decided.world.alice).export_decisions(out, *TODAY_FAR, "xlsx")
    data, totals, sheet = _xlsx(out)
    assert list(data[0]) == HEADER
    rows = data[1:]
    assert result.rows == len(rows) == 5
    by_case = _by_case(rows)
    # The returned round and the round decided after the resubmission: two rows.
    assert sorted(by_case) == sorted(
        [decided.approved, decided.rejected, decided.resubmitted, decided.kinship]
    )
    assert decided.waiting not in by_case and decided.undone not in by_case
    assert decided.west not in by_case  # another district

    returned, approved_again = by_case[decided.resubmitted]
    assert returned[6] == "退回补充" and approved_again[6] == "通过"
    assert returned[9] == "离婚证；户口簿本人页"
    assert returned[10] == _reviewer(store, "bob")
    assert approved_again[10] == _reviewer(store, "alice")
    assert returned[14] == _serial(store, decided.resubmitted, 1)
    assert approved_again[14] is None  # nothing printed for round 2

    (rejected,) = by_case[decided.rejected]
    assert rejected[1] == "东湖区" and rejected[3] == "监护关系"
    assert rejected[5] == mask_id(_full_id(store, decided.rejected))
    assert "*" in rejected[5] and rejected[5] != _full_id(store, decided.rejected)
    assert rejected[6] == "不通过"
    assert rejected[7] == "NOT_DIVORCED,PHOTO_UNCLEAR"
    assert rejected[8] == "无离婚证明；材料照片不清晰"  # the reason library's file wording
    assert rejected[10] == _reviewer(store, "alice")
    assert rejected[11] == _reviewer(store, "sup")
    assert isinstance(rejected[12], dt.datetime) and isinstance(rejected[13], dt.datetime)
    assert rejected[13] >= rejected[12]

    (approved,) = by_case[decided.approved]
    assert approved[14] == _serial(store, decided.approved, 1)
    assert approved[11] is None and approved[13] is None  # no four-eyes for approvals here
    with store.read() as s:
        stored = s.scalars(
            select(Decision.store_time)
            .join(Case, Case.id == Decision.case_id)
            .where(Case.case_no == decided.approved, Decision.effective.is_(True))
        ).one()
    assert approved[12] == stored.astimezone(CHINA_TZ).replace(tzinfo=None, microsecond=0)

    (kinship,) = by_case[decided.kinship]
    assert kinship[3] == "隔代亲属" and kinship[11] == _reviewer(store, "sup")

    # Real Excel datetimes: date cells with the number format set.
    time_cells = [row[12] for row in sheet.iter_rows(min_row=2)]
    assert all(c.is_date and c.number_format == "yyyy-mm-dd hh:mm:ss" for c in time_cells)

    # 合计: the export's counts equal plain SQL's, and the grand total the data rows.
    assert totals[0] == ("分类", "项目", "数量")
    counted = _sql_counts(store, decided.world.alice.districts)
    words = {"通过": "approve", "不通过": "reject", "退回补充": "return"}
    kinds = {"监护关系": "guardianship", "农房": "rural_house", "隔代亲属": "kinship"}
    for group, label, n in totals[1:-1]:
        key = {"结论": ("outcome", words.get(label)), "类型": ("kind", kinds.get(label))}.get(
            group, ("district", label)
        )
        assert n == counted.get((key[0], str(key[1])), 0), (group, label)
    assert {label for group, label, _n in totals if group == "区"} == {"东湖区"}
    assert totals[-1] == ("总计", None, len(rows))
    assert sum(n for group, _l, n in totals if group == "结论") == len(rows)
    assert result.totals.total == len(rows)


def test_csv_has_the_same_rows_with_bom_and_iso_times(decided: Decided, tmp_path: Path) -> None:
    desk = decided.desk(decided.world.alice)
    desk.export_decisions(tmp_path / "d.xlsx", *TODAY_FAR, "xlsx")
    desk.export_decisions(tmp_path / "d.csv", *TODAY_FAR, "csv")
    raw = (tmp_path / "d.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    workbook_rows = _xlsx(tmp_path / "d.xlsx")[0][1:]
    assert len(rows) - 1 == len(workbook_rows) == 5
    for text_row, cell_row in zip(rows[1:], workbook_rows, strict=True):
        decided_at = dt.datetime.fromisoformat(text_row[12])
        assert decided_at.utcoffset() == dt.timedelta(hours=8)
        assert decided_at.replace(tzinfo=None) == cell_row[12]
        assert text_row[:12] == [v or "" for v in cell_row[:12]]
        assert text_row[14] == (cell_row[14] or "")


def test_a_day_is_a_china_day_and_four_eyes_counts_by_confirmation(
    decided: Decided, tmp_path: Path
) -> None:
    store = decided.world.store
    late = dt.datetime(2026, 6, 1, 15, 59, 59, tzinfo=dt.UTC)  # 23:59:59 on June 1 in China
    early = dt.datetime(2026, 6, 1, 16, 0, 0, tzinfo=dt.UTC)  # 00:00:00 on June 2 in China
    with store.write() as s:
        ids = dict(s.execute(select(Case.case_no, Case.id)).all())
        for case_no, when in ((decided.approved, late), (decided.kinship, late)):
            s.execute(
                update(Decision)
                .where(Decision.case_id == ids[case_no], Decision.effective.is_(True))
                .values(store_time=when)
            )
        # Decided on June 1, confirmed on June 2: it became final on June 2.
        s.execute(
            update(Decision)
            .where(Decision.case_id == ids[decided.kinship], Decision.effective.is_(True))
            .values(confirmed_at=early)
        )
    desk = decided.desk(decided.world.alice)
    june = {}
    for day in (1, 2):
        when = dt.date(2026, 6, day)
        path = tmp_path / f"june{day}.xlsx"
        june[day] = desk.export_decisions(path, when, when, "xlsx")
        june[day] = _by_case(_xlsx(path)[0][1:])  # type: ignore[assignment]
    assert list(june[1]) == [decided.approved]
    assert june[1][decided.approved][0][12] == dt.datetime(2026, 6, 1, 23, 59, 59)
    assert list(june[2]) == [decided.kinship]
    assert june[2][decided.kinship][0][13] == dt.datetime(2026, 6, 2, 0, 0, 0)
    both = desk.export_decisions(
        tmp_path / "both.csv", dt.date(2026, 6, 1), dt.date(2026, 6, 2), "csv"
    )
    assert both.rows == 2


# --- who sees what ------------------------------------------------------------------


def test_a_district_reviewer_never_sees_another_districts_rows(
    decided: Decided, tmp_path: Path
) -> None:
    world = decided.world
    carol = decided.desk(world.carol).export_decisions(tmp_path / "c.csv", *TODAY_FAR, "csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text("utf-8-sig"))))[1:]
    assert [r[0] for r in rows] == [decided.west] and {r[1] for r in rows} == {"西湖区"}
    assert [label for label, _n in carol.totals.by_district] == ["西湖区"]
    alice = decided.desk(world.alice).export_decisions(tmp_path / "a.csv", *TODAY_FAR, "csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text("utf-8-sig"))))[1:]
    assert decided.west not in {r[0] for r in rows} and {r[1] for r in rows} == {"东湖区"}
    assert [label for label, _n in alice.totals.by_district] == ["东湖区"]
    both = decided.desk(world.sup2).export_decisions(tmp_path / "s.xlsx", *TODAY_FAR, "xlsx")
    assert both.rows == alice.rows + carol.rows
    assert dict(both.totals.by_district) == {"东湖区": alice.rows, "西湖区": 1}


def test_full_ids_for_an_administrator_only_and_journaled(decided: Decided, tmp_path: Path) -> None:
    store = decided.world.store
    refused = tmp_path / "refused.xlsx"
    for who in (decided.world.alice, decided.world.sup):
        with pytest.raises(ExportRefusal, match="administrator only") as e:
            decided.desk(who).export_decisions(refused, *TODAY_FAR, "xlsx", full_ids=True)
        assert e.value.reason == "full_ids"
    assert not refused.exists() and _exports_journaled(store) == []

    masked = decided.desk(decided.admin).export_decisions(tmp_path / "m.xlsx", *TODAY_FAR, "xlsx")
    full = decided.desk(decided.admin).export_decisions(
        tmp_path / "f.xlsx", *TODAY_FAR, "xlsx", full_ids=True
    )
    assert full.full_ids and full.rows == masked.rows == 5
    data = _xlsx(tmp_path / "f.xlsx")[0]
    assert data[0][5] == "身份证号"
    ids = {row[0]: row[5] for row in data[1:]}
    assert ids[decided.rejected] == _full_id(store, decided.rejected)
    assert all("*" in row[5] for row in _xlsx(tmp_path / "m.xlsx")[0][1:])

    entries = _exports_journaled(store)
    assert [e.action for e in entries] == ["export_decisions", "export_full_ids"]
    assert all(e.actor == "boss" for e in entries)
    assert entries[1].payload == {
        "from": "2000-01-01",
        "to": "2099-12-31",
        "format": "xlsx",
        "rows": 5,
        "full_ids": True,
        "districts": ["360102"],
        "file": "f.xlsx",
    }


# --- cancel and refusals --------------------------------------------------------------


def test_cancel_midway_removes_the_partial_file_and_keeps_the_earlier_one(
    decided: Decided, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = decided.world.store
    scratch = tmp_path / "scratch"  # where openpyxl keeps a write-only sheet's rows
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for fmt in ("xlsx", "csv"):
        out = out_dir / f"earlier.{fmt}"
        out.write_bytes(b"the export of last week")
        seen: list[tuple[int, int]] = []

        def cancel_after_first_page(seen: list[tuple[int, int]] = seen) -> bool:
            return any(done > 0 for done, _total in seen)

        with pytest.raises(ExportCancelled) as e:
            export.export_decisions(
                store,
                decided.world.alice,
                out,
                *TODAY_FAR,
                fmt,
                progress=lambda done, total, seen=seen: seen.append((done, total)),
                cancelled=cancel_after_first_page,
                page_rows=2,
            )
        assert seen == [(0, 5), (2, 5)] and (e.value.done, e.value.total) == (2, 5)
        assert out.read_bytes() == b"the export of last week"
        assert not [p for p in out_dir.iterdir() if p.suffix == ".part"]
        assert list(scratch.iterdir()) == []  # nor the rows in the temporary folder
    assert _exports_journaled(store) == []


def test_requests_that_cannot_be_met_are_refused_before_any_file(
    decided: Decided, tmp_path: Path
) -> None:
    desk = decided.desk(decided.world.alice)
    day = dt.date(2026, 6, 1)
    cases = [
        (tmp_path / "a.csv", day, day, "xlsx", "format"),
        (tmp_path / "a.xlsx", day, day, "csv", "format"),
        (tmp_path / "a.xlsx", day, day, "pdf", "format"),
        (tmp_path / "a.xlsx", day, day - dt.timedelta(days=1), "xlsx", "dates"),
        (tmp_path / "a.xlsx", dt.date(1, 1, 1), day, "xlsx", "dates"),
        (tmp_path / "a.xlsx", day, dt.date.max, "xlsx", "dates"),
        (tmp_path / "missing" / "a.xlsx", day, day, "xlsx", "path"),
        (tmp_path / "folder.xlsx", day, day, "xlsx", "path"),
    ]
    (tmp_path / "folder.xlsx").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    for path, start, end, fmt, reason in cases:
        with pytest.raises(ExportRefusal) as e:
            desk.export_decisions(path, start, end, fmt)
        assert e.value.reason == reason, (path, start, end, fmt, str(e.value))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _exports_journaled(decided.world.store) == []


def test_text_a_spreadsheet_would_run_stays_text(decided: Decided, tmp_path: Path) -> None:
    store = decided.world.store
    with store.write() as s:
        s.execute(update(Case).where(Case.case_no == decided.approved).values(student_name="=1+2"))
    desk = decided.desk(decided.world.alice)
    desk.export_decisions(tmp_path / "x.xlsx", *TODAY_FAR, "xlsx")
    desk.export_decisions(tmp_path / "x.csv", *TODAY_FAR, "csv")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["审核结论"]
    cell = next(r[4] for r in sheet.iter_rows(min_row=2) if r[0].value == decided.approved)
    assert cell.value == "=1+2" and cell.data_type == "s"
    rows = list(csv.reader(io.StringIO((tmp_path / "x.csv").read_text("utf-8-sig"))))
    assert next(r[4] for r in rows if r[0] == decided.approved) == "'=1+2"


def test_an_empty_period_is_a_header_and_zero_totals(decided: Decided, tmp_path: Path) -> None:
    day = dt.date(2001, 1, 1)
    result = decided.desk(decided.world.alice).export_decisions(
        tmp_path / "e.xlsx", day, day, "xlsx"
    )
    data, totals, _sheet = _xlsx(tmp_path / "e.xlsx")
    assert result.rows == 0 and data == [tuple(HEADER)]
    assert totals[-1] == ("总计", None, 0)


# --- with a central store ---------------------------------------------------------------


def test_a_workstation_exports_what_others_decided_and_its_entry_goes_up(
    tmp_path: Path,
) -> None:
    central, world = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, n_cases=2)
    here, there = workstation(central, tmp_path, "here"), workstation(central, tmp_path, "there")
    there.workflow.claim(world.alice, world.cases[0])
    there.workflow.decide(world.alice, world.cases[0], DecisionInput("approve"))
    desk = Workbench(here.desk, world.bob)
    result = desk.export_decisions(tmp_path / "synced.csv", *TODAY_FAR, "csv")
    assert result.source == "the central store (synced just now)"
    rows = list(csv.reader(io.StringIO((tmp_path / "synced.csv").read_text("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [world.cases[0]]
    with offline(here):
        result = desk.export_decisions(tmp_path / "offline.csv", *TODAY_FAR, "csv")
    assert result.source == "this computer's copy (the central store is unreachable)"
    assert result.rows == 1
    here.sync.sync_once()
    with central.read() as cs:
        sent = list(
            cs.scalars(
                select(CentralJournalEntry.actor).where(
                    CentralJournalEntry.action == "export_decisions"
                )
            )
        )
    assert sent == ["bob", "bob"]
