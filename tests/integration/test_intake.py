"""Intake end to end on SQLite and PostgreSQL: atomic imports, rejections that store nothing,
unreadable images flagged, findings kept current across cases, resubmission rounds."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from stdnum.cn import ric

from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import make_id
from reviewdb.engine import Store
from reviewdb.models import (
    Attachment,
    Blob,
    Case,
    CaseRound,
    FindingRow,
    JournalEntry,
    Property,
    PropertyUse,
    ResidencePermit,
    RoundPerson,
    RuralHouseFact,
    Student,
)

STUDENT = make_id("360102", dt.date(2019, 10, 8), 123)
FATHER = make_id("360102", dt.date(1988, 3, 12), 101)
MOTHER = make_id("360102", dt.date(1990, 6, 20), 102)
OTHER_FATHER = make_id("360103", dt.date(1986, 1, 2), 111)
OTHER_MOTHER = make_id("360103", dt.date(1987, 2, 3), 112)
OTHER_CHILD = make_id("360103", dt.date(2019, 11, 1), 124)


def jpeg(w: int = 640, h: int = 480, color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def bomb_png() -> bytes:
    """A tiny PNG that declares 100000×100000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def manifest(
    submission_id: str = "NC2026-000001",
    *,
    student: str = STUDENT,
    guardians: tuple[str, str] = (FATHER, MOTHER),
    cert: str = "赣(2020)南昌市不动产权第0012345号",
    kind: str = "guardianship",
) -> dict[str, Any]:
    return {
        "format_version": 1,
        "submission_id": submission_id,
        "city": "南昌市",
        "admission_year": 2026,
        "stage": "primary",
        "district": "东湖区",
        "school": "南昌市东湖区育新学校",
        "kind": kind,
        "residence_basis": "父母房产",
        "submitted_at": "2026-06-03T09:15:00+08:00",
        "student": {"name": "王小明", "id_number": student},
        "guardians": [
            {"name": "王大明", "id_number": guardians[0], "relation": "父亲", "has_custody": False},
            {"name": "李美丽", "id_number": guardians[1], "relation": "母亲", "has_custody": True},
        ],
        "custody": {
            "divorced": True,
            "divorce_date": "2022-09-10",
            "custody_holder_name": "李美丽",
            "custody_document": "法院判决书",
        },
        "properties": [
            {
                "cert_type": "不动产权证",
                "cert_number": cert,
                "issue_date": "2020-04-01",
                "nature": "住宅",
                "owner_name": "李美丽",
                "owner_id_number": guardians[1],
                "address": "东湖区豫章路1号2栋301",
            }
        ],
        "attachments": [
            {"label": "离婚证", "path": "img/divorce.jpg"},
            {"label": "法院判决书", "path": "img/judgment.jpg"},
            {"label": "户口簿首页", "path": "img/hukou_home.jpg"},
            {"label": "户口簿本人页", "path": "img/hukou_self.jpg"},
        ],
    }


def files(**override: bytes) -> dict[str, bytes]:
    base = {
        "img/divorce.jpg": jpeg(color="red"),
        "img/judgment.jpg": jpeg(color="white"),
        "img/hukou_home.jpg": jpeg(color="blue"),
        "img/hukou_self.jpg": jpeg(color="green"),
    }
    base.update(override)
    return base


@pytest.fixture
def ready(store: Store) -> Store:
    with store.write() as s:
        ensure_districts(s)
    return store


def counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {
            m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Case, CaseRound, Attachment, Blob, Student, JournalEntry)
        }


def imp(store: Store, path: Path):  # type: ignore[no-untyped-def]
    return import_package(store, path, actor=None, workstation="ws-test")


def test_import_then_already_imported(ready: Store, tmp_path: Path) -> None:
    pkg = write_package(tmp_path / "p1", manifest(), files(), as_zip=False)
    first = imp(ready, pkg)
    assert first.status == "imported", first.line
    assert first.line == f"imported {first.case_no}"
    again = imp(ready, write_package(tmp_path / "p1.zip", manifest(), files(), as_zip=True))
    assert again.status == "already" and again.line == f"already imported {first.case_no}"
    assert counts(ready)["cases"] == 1
    with ready.read() as s:
        atts = s.scalars(select(Attachment).order_by(Attachment.ordinal)).all()
        assert [a.label for a in atts] == ["离婚证", "法院判决书", "户口簿首页", "户口簿本人页"]
        assert all(a.readable and a.width == 640 and a.height == 480 for a in atts)
        assert all(ready.blobs.verify(a.sha256) for a in atts)


def test_same_submission_id_different_content_is_rejected(ready: Store, tmp_path: Path) -> None:
    assert (
        imp(ready, write_package(tmp_path / "a", manifest(), files(), as_zip=False)).status
        == "imported"
    )
    before = counts(ready)
    changed = files(**{"img/divorce.jpg": jpeg(color="black")})
    out = imp(ready, write_package(tmp_path / "b", manifest(), changed, as_zip=False))
    assert out.status == "rejected" and "different content" in (out.reason or "")
    assert counts(ready) == before


def _symlinked(tmp_path: Path) -> Path:
    pkg = write_package(tmp_path / "sym", manifest(), files(), as_zip=False)
    target = tmp_path / "outside.jpg"
    target.write_bytes(jpeg())
    os.remove(pkg / "img/divorce.jpg")
    os.symlink(target, pkg / "img/divorce.jpg")
    return pkg


def _zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", __import__("json").dumps(manifest(), ensure_ascii=False))
        for name, data in files().items():
            z.writestr(name, data)
        with z.open("padding.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(320):
                member.write(block)
    return path


def _bad(tmp_path: Path, kind: str) -> Path:
    if kind == "malformed json":
        d = tmp_path / "bad"
        d.mkdir()
        (d / "manifest.json").write_text('{"format_version": 1,', encoding="utf-8")
        return d
    if kind == "schema":
        m = manifest()
        del m["student"]["id_number"]
        return write_package(tmp_path / "schema", m, files(), as_zip=False)
    if kind == "absolute path":
        m = manifest()
        m["attachments"][0]["path"] = "/etc/passwd"
        return write_package(tmp_path / "abs", m, files(), as_zip=False)
    if kind == "climbs out":
        m = manifest()
        m["attachments"][0]["path"] = "../outside.jpg"
        (tmp_path / "outside.jpg").write_bytes(jpeg())
        return write_package(tmp_path / "up", m, files(), as_zip=False)
    if kind == "symlink":
        return _symlinked(tmp_path)
    if kind == "missing file":
        fs = files()
        del fs["img/hukou_self.jpg"]
        return write_package(tmp_path / "missing", manifest(), fs, as_zip=False)
    if kind == "zip bomb":
        return _zip_bomb(tmp_path)
    if kind == "file too large":
        return write_package(
            tmp_path / "big",
            manifest(),
            files(**{"img/divorce.jpg": b"\xff\xd8" + os.urandom(31 * 1024 * 1024)}),
            as_zip=False,
        )
    raise AssertionError(kind)


REJECTIONS = {
    "malformed json": "invalid JSON",
    "schema": "student.id_number: missing",
    "absolute path": "attachments[0].path",
    "climbs out": "attachments[0].path",
    "symlink": "symbolic link",
    "missing file": "img/hukou_self.jpg",
    "zip bomb": "",
    "file too large": "img/divorce.jpg",
}


@pytest.mark.parametrize("kind", sorted(REJECTIONS))
def test_rejections_store_nothing(ready: Store, tmp_path: Path, kind: str) -> None:
    before = counts(ready)
    out = imp(ready, _bad(tmp_path, kind))
    assert out.status == "rejected", out.line
    assert REJECTIONS[kind] in (out.reason or ""), out.reason
    assert out.line.startswith("rejected ") and "Traceback" not in out.line
    assert counts(ready) == before
    root = ready.blobs.root  # files beside a SQLite store; PostgreSQL counts blob rows above
    if isinstance(root, Path) and root.exists():
        assert not any(p.is_file() for p in root.rglob("*"))


UNREADABLE = {
    "truncated jpeg": lambda: jpeg(2000, 1500)[:5000],
    "zero bytes": lambda: b"",
    "html as jpg": lambda: b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
    "decompression bomb": bomb_png,
    "unsupported format": lambda: _bmp(),
}


def _bmp() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buf, "BMP")
    return buf.getvalue()


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_unreadable_attachment_is_stored_and_flagged(
    ready: Store, tmp_path: Path, kind: str
) -> None:
    data = UNREADABLE[kind]()
    out = imp(
        ready,
        write_package(tmp_path / "p", manifest(), files(**{"img/divorce.jpg": data}), as_zip=True),
    )
    assert out.status == "imported", out.line
    with ready.read() as s:
        att = s.scalars(select(Attachment).where(Attachment.label == "离婚证")).one()
        assert not att.readable and att.unreadable_reason
        assert ready.blobs.get(att.sha256) == data  # stored as received
        codes = {f.code for f in s.scalars(select(FindingRow))}
        assert "IMAGE_UNREADABLE" in codes


def test_exif_orientation_recorded(ready: Store, tmp_path: Path) -> None:
    img = Image.new("RGB", (400, 300), "white")
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    out = imp(
        ready,
        write_package(
            tmp_path / "p", manifest(), files(**{"img/divorce.jpg": buf.getvalue()}), as_zip=False
        ),
    )
    assert out.status == "imported"
    with ready.read() as s:
        att = s.scalars(select(Attachment).where(Attachment.label == "离婚证")).one()
        assert (att.orientation, att.width, att.height, att.media_type) == (
            6,
            300,
            400,
            "image/jpeg",
        )


def test_later_import_flags_property_reuse_on_earlier_case(ready: Store, tmp_path: Path) -> None:
    first = imp(ready, write_package(tmp_path / "a", manifest("NC2026-1"), files(), as_zip=False))
    with ready.read() as s:
        assert "PROPERTY_REUSED" not in {
            f.code for f in s.scalars(select(FindingRow).where(FindingRow.case_id == first.case_id))
        }
    other = manifest("NC2026-2", student=OTHER_CHILD, guardians=(OTHER_FATHER, OTHER_MOTHER))
    second = imp(ready, write_package(tmp_path / "b", other, files(), as_zip=False))
    assert second.status == "imported"
    with ready.read() as s:
        for case_id in (first.case_id, second.case_id):
            codes = {
                f.code for f in s.scalars(select(FindingRow).where(FindingRow.case_id == case_id))
            }
            assert "PROPERTY_REUSED" in codes, case_id
        case = s.get(Case, first.case_id)
        assert case is not None and case.worst_severity == 3


def test_resubmission_after_return_is_a_new_round(ready: Store, tmp_path: Path) -> None:
    first = imp(ready, write_package(tmp_path / "a", manifest("R-1"), files(), as_zip=False))
    # Still under review: a second submission for the same case is refused.
    early = imp(ready, write_package(tmp_path / "b", manifest("R-2"), files(), as_zip=False))
    assert early.status == "rejected" and "not returned" in (early.reason or "")
    with ready.write() as s:
        case = s.get(Case, first.case_id)
        assert case is not None
        case.status = "returned"
    m2 = copy.deepcopy(manifest("R-2"))
    m2["submitted_at"] = "2026-06-10T10:00:00+08:00"
    second = imp(
        ready,
        write_package(
            tmp_path / "c", m2, files(**{"img/divorce.jpg": jpeg(color="yellow")}), as_zip=False
        ),
    )
    assert second.status == "imported" and second.case_no == first.case_no and second.round_no == 2
    with ready.read() as s:
        rounds = s.scalars(
            select(CaseRound).where(CaseRound.case_id == first.case_id).order_by(CaseRound.round_no)
        ).all()
        assert [r.submission_id for r in rounds] == ["R-1", "R-2"]
        case = s.get(Case, first.case_id)
        assert case is not None and case.status == "pending" and case.current_round == 2


def test_duplicate_student_across_kinds(ready: Store, tmp_path: Path) -> None:
    a = imp(ready, write_package(tmp_path / "a", manifest("D-1"), files(), as_zip=False))
    m = manifest("D-2", kind="kinship", cert="赣(2019)南昌市不动产权第0099999号")
    del m["custody"]
    m["grandparents"] = [
        {
            "name": "王建国",
            "id_number": make_id("360102", dt.date(1960, 1, 1), 33),
            "relation": "祖父",
        }
    ]
    b = imp(ready, write_package(tmp_path / "b", m, files(), as_zip=False))
    assert b.status == "imported", b.line
    with ready.read() as s:
        for case_id in (a.case_id, b.case_id):
            codes = {
                f.code for f in s.scalars(select(FindingRow).where(FindingRow.case_id == case_id))
            }
            assert "DUPLICATE_STUDENT" in codes


def _nul_in(field: str) -> Any:
    def mutate(m: dict[str, Any]) -> None:
        if field == "student.name":
            m["student"]["name"] = "王小\x00明"
        elif field == "properties[0].address":
            m["properties"][0]["address"] += "\x00"
        elif field == "custody.note":
            m["custody"]["note"] = "见判决书\x00第3页"
        elif field == "guardians[1].id_number":
            m["guardians"][1]["id_number"] = "\x00" + m["guardians"][1]["id_number"][1:]
        else:
            raise AssertionError(field)

    return mutate


NUL_FIELDS = ["student.name", "properties[0].address", "custody.note", "guardians[1].id_number"]


@pytest.mark.parametrize("field", NUL_FIELDS)
def test_nul_in_the_manifest_is_refused_at_intake_and_stores_nothing(
    ready: Store, tmp_path: Path, field: str
) -> None:
    """PostgreSQL refuses NUL in text and jsonb: intake must refuse it first, by name."""
    m = manifest()
    _nul_in(field)(m)
    before = counts(ready)
    out = imp(ready, write_package(tmp_path / "nul.zip", m, files(), as_zip=True))
    assert out.status == "rejected", out.line
    assert out.reason == f"manifest.json: {field}: contains a NUL character"
    assert out.line == f"rejected {tmp_path / 'nul.zip'}: {out.reason}"
    assert counts(ready) == before
    root = ready.blobs.root
    if isinstance(root, Path) and root.exists():
        assert not any(p.is_file() for p in root.rglob("*"))
    # The same package without the NUL goes in.
    assert imp(ready, write_package(tmp_path / "ok", manifest(), files(), as_zip=False)).status == (
        "imported"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "manifest.json: not valid UTF-8 at byte {at}: invalid start byte"),
        (b"\xc0\x80", "manifest.json: not valid UTF-8 at byte {at}: invalid start byte"),
        (b"\x00", "manifest.json: contains a NUL byte at byte {at}"),
        (
            b"\\ud800",
            "manifest.json: student.name: contains an unpaired surrogate ('\\ud800'), "
            "which is not Unicode text",
        ),
    ],
    ids=["invalid-utf8", "overlong-nul", "raw-nul", "lone-surrogate"],
)
def test_text_that_is_not_utf8_is_refused_at_intake(
    ready: Store, tmp_path: Path, raw: bytes, reason: str
) -> None:
    pkg = write_package(tmp_path / "p", manifest(), files(), as_zip=False)
    text = (pkg / "manifest.json").read_bytes()
    at = text.index("王小明".encode())
    (pkg / "manifest.json").write_bytes(text[:at] + raw + text[at:])
    before = counts(ready)
    out = imp(ready, pkg)
    assert out.status == "rejected", out.line
    assert out.reason == reason.format(at=at)
    assert counts(ready) == before


# ---------------------------------------------------------------- issue 15: ID numbers, permits

# 16 digits in a row: more of an ID than a masked one shows (case numbers have 15 digits).
ID_LIKE = re.compile(r"[0-9]{16}")


def x_id(region: str, birth: dt.date) -> str:
    """A valid ID whose check character is X."""
    for seq in range(1000):
        number = make_id(region, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


def test_lowercase_x_is_accepted_and_stored_uppercase_everywhere(
    ready: Store, tmp_path: Path
) -> None:
    student = x_id("360102", dt.date(2019, 10, 8))
    father = x_id("360102", dt.date(1988, 3, 12))
    mother = x_id("360102", dt.date(1990, 6, 20))
    grandma = x_id("360102", dt.date(1962, 5, 6))
    owner = x_id("360121", dt.date(1955, 1, 1))

    def package(ids: dict[str, str]) -> dict[str, Any]:
        m = manifest("X-1", student=ids["s"], guardians=(ids["f"], ids["m"]))
        m["grandparents"] = [{"name": "李老太", "id_number": ids["g"], "relation": "外祖母"}]
        m["rural_house"] = {
            "owner_name": "王老汉",
            "owner_id_number": ids["o"],
            "owner_relation": "外祖父",
            "address": "新建区某村12号",
            "house_type": "农房",
        }
        m["permits"] = [
            {
                "number": "JZZ-1",
                "holder_name": "李美丽",
                "holder_id_number": ids["m"],
                "start_date": "2024-01-01",
                "valid_until": "2027-12-31",
            }
        ]
        return m

    upper = {"s": student, "f": father, "m": mother, "g": grandma, "o": owner}
    lower = {k: v.lower() for k, v in upper.items()}
    out = imp(ready, write_package(tmp_path / "lower", package(lower), files(), as_zip=True))
    assert out.status == "imported", out.line
    with ready.read() as s:
        case = s.get(Case, out.case_id)
        assert case is not None
        rnd = s.scalars(select(CaseRound).where(CaseRound.case_id == case.id)).one()
        stored = {
            "students": list(s.scalars(select(Student.id_number))),
            "case": [case.student_id_number],
            "people": list(s.scalars(select(RoundPerson.id_number).order_by(RoundPerson.ordinal))),
            "rural": list(s.scalars(select(RuralHouseFact.owner_id_number))),
            "property": list(s.scalars(select(Property.owner_id_number))),
            "use": [
                f"{u.student_id_number}|{u.guardian_id_numbers}"
                for u in s.scalars(select(PropertyUse))
            ],
            "permit": list(s.scalars(select(ResidencePermit.holder_id_number))),
            "manifest": [
                rnd.manifest["student"]["id_number"],
                *(g["id_number"] for g in rnd.manifest["guardians"]),
                *(g["id_number"] for g in rnd.manifest["grandparents"]),
                rnd.manifest["rural_house"]["owner_id_number"],
                *(p["owner_id_number"] for p in rnd.manifest["properties"]),
                *(p["holder_id_number"] for p in rnd.manifest["permits"]),
            ],
        }
        codes = {f.code for f in s.scalars(select(FindingRow))}
    assert stored == {
        "students": [student],
        "case": [student],
        "people": [father, mother, grandma],
        "rural": [owner],
        "property": [mother],
        "use": [f"{student}|{','.join(sorted([father, mother]))}"],
        "permit": [mother],
        "manifest": [student, father, mother, grandma, owner, mother, mother],
    }
    assert not codes & {"ID_INVALID", "ID_BIRTHDATE"}, codes
    # The same package re-sent with uppercase X is the same content: a duplicate.
    again = imp(ready, write_package(tmp_path / "upper", package(upper), files(), as_zip=False))
    assert again.status == "already" and again.case_no == out.case_no, again.line


def _bad_ids() -> dict[str, str]:
    good = make_id("360102", dt.date(1988, 3, 12), 77)
    body = "360102" + "19880230" + "077"
    return {
        "bad checksum": good[:-1] + ("1" if good[-1] != "1" else "2"),
        "bad birth date": body + ric.calc_check_digit(body + "0"),
        "wrong length 17": good[:17],
        "wrong length 19": good + "3",
        "letter": good[:17] + "A",
        "lowercase x": x_id("360102", dt.date(1988, 3, 12)).lower(),
    }


IMPORTED = {"bad checksum", "bad birth date", "lowercase x"}


def test_no_refusal_line_or_finding_message_prints_an_id(ready: Store, tmp_path: Path) -> None:
    lines: list[str] = []
    raw: list[str] = []
    for i, (kind, value) in enumerate(sorted(_bad_ids().items())):
        for j, who in enumerate(("student", "guardian", "owner")):
            n = i * 3 + j
            child = make_id("360102", dt.date(2019, 10, 8), 201 + 2 * n)
            m = manifest(
                f"BAD-{n}",
                student=value if who == "student" else child,
                guardians=(FATHER, value if who == "guardian" else MOTHER),
                cert=f"赣(2020)南昌市不动产权第{n:07d}号",
            )
            if who == "owner":
                m["properties"][0]["owner_id_number"] = value
            # the folder is named after the number too, as a platform export might
            pkg = write_package(tmp_path / f"pkg-{value}-{n}", m, files(), as_zip=False)
            out = imp(ready, pkg)
            expected = "imported" if kind in IMPORTED else "rejected"
            assert out.status == expected, (kind, who, out.line)
            lines.append(out.line)
            raw.append(value)
    with ready.read() as s:
        findings = list(s.scalars(select(FindingRow)))
    codes = {f.code for f in findings}
    assert {"ID_INVALID", "ID_BIRTHDATE"} <= codes, codes
    for text in [*lines, *(f.message for f in findings)]:
        assert not ID_LIKE.search(text), text
        for value in raw:
            assert value not in text and value.upper() not in text, text
    # birth-date findings name the date but not the number
    for f in findings:
        if f.code == "ID_BIRTHDATE":
            assert "19880230" in f.message and "*" not in f.message, f.message


@pytest.mark.parametrize(
    ("valid_until", "flagged"),
    [("2026-06-02", True), ("2026-06-03", False), ("2026-06-04", False)],
    ids=["day-before-submission", "on-submission", "day-after-submission"],
)
def test_permit_expired_before_the_submission_date_is_flagged(
    ready: Store, tmp_path: Path, valid_until: str, flagged: bool
) -> None:
    m = manifest("P-1")  # submitted 2026-06-03, cutoff 2026-05-31
    m["permits"] = [
        {
            "number": "JZZ360100-7788",
            "holder_name": "李美丽",
            "holder_id_number": MOTHER,
            "start_date": "2024-01-01",
            "valid_until": valid_until,
        }
    ]
    out = imp(ready, write_package(tmp_path / "p", m, files(), as_zip=False))
    assert out.status == "imported", out.line
    with ready.read() as s:
        expired = [
            (f.severity, f.fact, f.message)
            for f in s.scalars(select(FindingRow).where(FindingRow.code == "PERMIT_EXPIRED"))
        ]
    assert expired == (
        [
            (
                "error",
                "permits[0].valid_until",
                "李美丽的居住证（JZZ360100-7788）有效期至2026年6月2日，"
                "早于提交日期2026年6月3日，提交时已不在有效期内",
            )
        ]
        if flagged
        else []
    )
