"""Issue 13 at intake, on SQLite and PostgreSQL: districts never share facts.

A package from one district naming another district's property certificate, or carrying
another district's child's ID, gets its own district's rows: the other district's rows
stay as they were, the reuse is still found but reported as "another district, that
year" only, and a returned case continues only with a package from its own district.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.intake.intake import ImportOutcome, import_package
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import make_id, mask_id
from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Case,
    FindingRow,
    Property,
    PropertyUse,
    School,
    Student,
)
from tests.integration.test_intake import FATHER, MOTHER, STUDENT, jpeg, manifest

DONGHU, QSH, JINGKAI = "360102", "360111", "360191"
CERT = "赣(2020)南昌市不动产权第0012345号"
QSH_CHILD = make_id("360111", dt.date(2019, 9, 9), 201)
QSH_DAD = make_id("360111", dt.date(1984, 4, 4), 202)
QSH_MUM = make_id("360111", dt.date(1985, 5, 5), 203)
# What only 东湖区's package says about its family and its house.
DONGHU_SECRETS = ("李美丽", "王大明", "东湖区豫章路1号2栋301", "王小明")


@pytest.fixture
def ready(store: Store) -> Store:
    with store.write() as s:
        ensure_districts(s)
    return store


def images(shade: int) -> dict[str, bytes]:
    """Four attachments; another ``shade`` gives other bytes (other blobs)."""
    colors = ["red", "white", "blue", "green"]
    names = ["img/divorce.jpg", "img/judgment.jpg", "img/hukou_home.jpg", "img/hukou_self.jpg"]
    return {n: jpeg(640 + shade, 480, c) for n, c in zip(names, colors, strict=True)}


def donghu(submission_id: str = "DH-1") -> dict[str, Any]:
    return manifest(submission_id)


def other_district(
    submission_id: str, district: str, *, student: str = QSH_CHILD, cert: str = CERT
) -> dict[str, Any]:
    """A package of ``district`` (青山湖区 or 经开区): its own family unless told otherwise."""
    m = manifest(submission_id, student=student, guardians=(QSH_DAD, QSH_MUM), cert=cert)
    m["district"] = district
    m["school"] = f"南昌市{district}第一小学"
    m["student"]["name"] = "赵小六"
    m["student"]["hukou_address"] = f"南昌市{district}某街道1号"
    m["residence_basis"] = "租房"
    m["guardians"][0]["name"] = "赵大"
    m["guardians"][1]["name"] = "钱二"
    m["custody"]["custody_holder_name"] = "钱二"
    prop = m["properties"][0]
    prop["owner_name"] = "钱二"
    prop["owner_id_number"] = QSH_MUM
    prop["address"] = f"{district}某路8号"
    return m


def imp(store: Store, tmp_path: Path, m: dict[str, Any], shade: int) -> ImportOutcome:
    path = write_package(tmp_path / str(m["submission_id"]), m, images(shade), as_zip=False)
    out = import_package(store, path, actor=None, workstation="ws-test")
    assert out.status == "imported", out.line
    return out


def findings(store: Store, case_id: str | None) -> list[tuple[str, str]]:
    with store.read() as s:
        return [
            (f.code, f.message)
            for f in s.scalars(
                select(FindingRow).where(FindingRow.case_id == case_id).order_by(FindingRow.id)
            )
        ]


def assert_nothing_of_donghu(
    text: str, donghu_case_no: str | None, numbers: tuple[str, ...] = (MOTHER, FATHER, STUDENT)
) -> None:
    """Nothing only 东湖区's package said: names, address, its case, its IDs (``numbers``:
    the reader's own package may carry the child's)."""
    for secret in DONGHU_SECRETS:
        assert secret not in text, (secret, text)
    for number in numbers:
        assert number not in text and mask_id(number) not in text, text
    assert donghu_case_no is not None and donghu_case_no not in text, text


def test_a_certificate_of_another_district_is_its_own_row_and_reported_redacted(
    ready: Store, tmp_path: Path
) -> None:
    dh = imp(ready, tmp_path, donghu(), 0)
    qsh = imp(ready, tmp_path, other_district("QSH-1", "青山湖区"), 1)
    with ready.read() as s:
        rows = s.execute(
            select(
                Property.district_code,
                Property.owner_name,
                Property.owner_id_number,
                Property.address,
            )
            .where(Property.cert_number == CERT)
            .order_by(Property.district_code)
        ).all()
        # 东湖区's row exactly as its package said it; 青山湖区 has a row of its own.
        assert [tuple(r) for r in rows] == [
            (DONGHU, "李美丽", MOTHER, "东湖区豫章路1号2栋301"),
            (QSH, "钱二", QSH_MUM, "青山湖区某路8号"),
        ]
        uses = s.execute(
            select(PropertyUse.case_id, Property.district_code).join(
                Property, Property.id == PropertyUse.property_id
            )
        ).all()
        assert sorted(tuple(u) for u in uses) == sorted([(dh.case_id, DONGHU), (qsh.case_id, QSH)])
    # The reuse is found on both sides, named only by the other district and its year.
    for case_id in (qsh.case_id, dh.case_id):
        reused = [m for code, m in findings(ready, case_id) if code == "PROPERTY_REUSED"]
        assert len(reused) == 1, reused
        assert "该证号在另一区县 2026 年的案件中使用" in reused[0]
        assert CERT in reused[0]  # the reader's own package's certificate
    qsh_text = "\n".join(m for _c, m in findings(ready, qsh.case_id))
    assert_nothing_of_donghu(qsh_text, dh.case_no)
    dh_text = "\n".join(m for _c, m in findings(ready, dh.case_id))
    assert qsh.case_no is not None and qsh.case_no not in dh_text
    assert "赵" not in dh_text and "钱二" not in dh_text
    assert mask_id(QSH_MUM) not in dh_text and mask_id(QSH_CHILD) not in dh_text


def test_the_finding_names_the_year_of_the_other_districts_use(
    ready: Store, tmp_path: Path
) -> None:
    dh = imp(ready, tmp_path, donghu(), 0)
    with ready.write() as s:  # 东湖区 used the certificate two years earlier
        s.execute(
            update(PropertyUse).where(PropertyUse.case_id == dh.case_id).values(admission_year=2024)
        )
    qsh = imp(ready, tmp_path, other_district("QSH-1", "青山湖区"), 1)
    messages = [m for code, m in findings(ready, qsh.case_id) if code == "PROPERTY_REUSED"]
    assert len(messages) == 1
    assert "该证号在另一区县 2024 年的案件中使用" in messages[0], messages
    assert_nothing_of_donghu(messages[0], dh.case_no)


def test_same_district_reuse_still_names_the_case(ready: Store, tmp_path: Path) -> None:
    """Inside one district nothing changes: the other case's number is shown."""
    dh = imp(ready, tmp_path, donghu(), 0)
    m = other_district("DH-2", "东湖区")
    second = imp(ready, tmp_path, m, 1)
    reused = [m for code, m in findings(ready, second.case_id) if code == "PROPERTY_REUSED"]
    assert len(reused) == 1 and f"案件 {dh.case_no}" in reused[0], reused
    assert "另一区县" not in reused[0]
    with ready.read() as s:  # one district: one row for the certificate
        assert s.scalars(select(Property.id).where(Property.cert_number == CERT)).all() == [
            s.scalars(select(Property.id)).one()
        ]


def _student_facts(store: Store, district: str) -> tuple[Any, ...]:
    with store.read() as s:
        row = s.execute(
            select(
                Student.id,
                Student.name,
                Student.hukou_address,
                Application.residence_basis,
                Application.id,
            )
            .join(Application, Application.student_id == Student.id)
            .where(Student.district_code == district, Student.id_number == STUDENT)
        ).one()
        return tuple(row)


def test_another_districts_package_never_rewrites_the_student_or_application(
    ready: Store, tmp_path: Path
) -> None:
    dh = imp(ready, tmp_path, donghu(), 0)
    before = _student_facts(ready, DONGHU)
    assert before[1:4] == ("王小明", None, "父母房产")
    # 青山湖区's package carries 东湖区's child's ID with its own name, hukou and basis.
    qsh = imp(ready, tmp_path, other_district("QSH-1", "青山湖区", student=STUDENT), 1)
    assert _student_facts(ready, DONGHU) == before
    mine = _student_facts(ready, QSH)
    assert mine[1:4] == ("赵小六", "南昌市青山湖区某街道1号", "租房")
    assert mine[0] != before[0] and mine[4] != before[4]
    with ready.read() as s:
        dh_case = s.get(Case, dh.case_id)
        qsh_case = s.get(Case, qsh.case_id)
        assert dh_case is not None and qsh_case is not None
        assert (dh_case.application_id, dh_case.student_name) == (before[4], "王小明")
        assert qsh_case.application_id == mine[4] and qsh_case.district_code == QSH
    # The same child open in two districts: each is told, neither sees the other's case.
    assert dh.case_no is not None and qsh.case_no is not None
    dup = [m for code, m in findings(ready, qsh.case_id) if code == "DUPLICATE_STUDENT"]
    assert dup and "另一区县的1个案件" in dup[0] and dh.case_no not in dup[0], dup
    dup = [m for code, m in findings(ready, dh.case_id) if code == "DUPLICATE_STUDENT"]
    assert dup and "另一区县的1个案件" in dup[0] and qsh.case_no not in dup[0], dup
    assert "赵小六" not in dup[0]


def test_a_returned_case_continues_only_with_its_own_districts_package(
    ready: Store, tmp_path: Path
) -> None:
    first = imp(ready, tmp_path, donghu("DH-1"), 0)
    with ready.write() as s:
        case = s.get(Case, first.case_id)
        assert case is not None
        case.status = "returned"
        school_before = case.school_id
    # 经开区's package for the same child and kind: a case of 经开区's own, round 1.
    jk = imp(ready, tmp_path, other_district("JK-1", "经开区", student=STUDENT), 2)
    assert jk.case_id != first.case_id and jk.round_no == 1
    assert jk.case_no is not None and jk.case_no.startswith(f"2026{JINGKAI}")
    with ready.read() as s:
        dh_case = s.get(Case, first.case_id)
        assert dh_case is not None
        assert (dh_case.status, dh_case.current_round, dh_case.school_id) == (
            "returned",
            1,
            school_before,
        )
        jk_case = s.get(Case, jk.case_id)
        assert jk_case is not None and jk_case.district_code == JINGKAI
        school = s.get(School, jk_case.school_id)
        assert school is not None and school.district_code == JINGKAI
    # 东湖区's own resubmission is its round 2.
    m2 = copy.deepcopy(donghu("DH-2"))
    m2["submitted_at"] = "2026-06-10T10:00:00+08:00"
    again = imp(ready, tmp_path, m2, 3)
    assert (again.case_id, again.round_no) == (first.case_id, 2)
    with ready.read() as s:
        jk_case = s.get(Case, jk.case_id)
        assert jk_case is not None and (jk_case.status, jk_case.current_round) == ("pending", 1)


def test_no_finding_anywhere_quotes_another_district(ready: Store, tmp_path: Path) -> None:
    """Every finding of every case, after all three districts imported: a district's text
    holds nothing from another district's package."""
    dh = imp(ready, tmp_path, donghu(), 0)
    qsh = imp(ready, tmp_path, other_district("QSH-1", "青山湖区", student=STUDENT), 1)
    jk = imp(ready, tmp_path, other_district("JK-1", "经开区"), 2)
    assert jk.case_no is not None and qsh.case_no is not None
    for out, own in ((qsh, (MOTHER, FATHER)), (jk, (MOTHER, FATHER, STUDENT))):
        text = "\n".join(m for _c, m in findings(ready, out.case_id))
        assert_nothing_of_donghu(text, dh.case_no, own)
    text = "\n".join(m for _c, m in findings(ready, dh.case_id))
    assert not re.search(r"2026360(111|191)\d+", text), text
