"""Tests for app.intake.package: reading, validating and writing submission packages (real files)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import os
import stat
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import AttachmentInfo, CaseKind, CertType, PropertyNature, Stage
from app.intake.package import (
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_PACKAGE_FILES,
    MAX_UNCOMPRESSED_BYTES,
    Limits,
    PackageRejected,
    load_schema,
    manifest_to_facts,
    read_package,
    validate_manifest,
    write_package,
)

MiB = 1024 * 1024


def resident_id(prefix17: str) -> str:
    """A resident ID with a correct ISO 7064 MOD 11-2 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


STUDENT_ID = resident_id("36010220170815123")
FATHER_ID = resident_id("36010219850312101")
MOTHER_ID = resident_id("36010219870620102")

FILES: dict[str, bytes] = {
    "img/divorce.jpg": b"\xff\xd8\xff\xe0" + b"divorce certificate scan" * 40,
    "img/hukou_home.jpg": b"\xff\xd8\xff\xe0" + b"hukou front page" * 40,
    "img/hukou_self.jpg": b"\xff\xd8\xff\xe0" + b"hukou own page" * 40,
    "judgment.pdf": b"%PDF-1.4\n" + b"court judgment" * 50,
}


def base_manifest() -> dict[str, Any]:
    return {
        "format_version": 1,
        "submission_id": "NC2024-000123",
        "city": "南昌市",
        "admission_year": 2024,
        "stage": "primary",
        "district": "东湖区",
        "school": "南昌市东湖区某某小学",
        "kind": "guardianship",
        "residence_basis": "父母房产",
        "submitted_at": "2024-06-03T09:15:00+08:00",
        "student": {"name": "王小明", "id_number": STUDENT_ID, "hukou_address": "东湖区某路1号"},
        "guardians": [
            {
                "name": "王大明",
                "id_number": FATHER_ID,
                "relation": "父亲",
                "has_custody": False,
                "phone": "13800000000",
            },
            {"name": "李美丽", "id_number": MOTHER_ID, "relation": "母亲", "has_custody": True},
        ],
        "custody": {
            "divorced": True,
            "divorce_date": "2021-09-10",
            "custody_holder_name": "李美丽",
            "custody_document": "法院判决书",
            "note": "抚养权判归母亲\n见判决书第3页",
        },
        "properties": [
            {
                "cert_type": "不动产权证",
                "cert_number": "赣(2020)南昌市不动产权第0012345号",
                "issue_date": "2020-04-01",
                "nature": "住宅",
                "owner_name": "李美丽",
                "owner_id_number": MOTHER_ID,
                "address": "东湖区某路1号2栋301",
            }
        ],
        "rentals": [
            {
                "registration_number": "ZL2022-889",
                "address": "东湖区某路5号",
                "start_date": "2022-03-01",
                "end_date": "2025-02-28",
                "holder_name": "李美丽",
            }
        ],
        "permits": [
            {
                "number": "JZZ-001",
                "holder_name": "李美丽",
                "holder_id_number": MOTHER_ID,
                "start_date": "2022-03-15",
                "valid_until": "2025-03-14",
            }
        ],
        "attachments": [
            {"label": "离婚证", "path": "img/divorce.jpg", "media_type": "image/jpeg"},
            {"label": "户口簿首页", "path": "img/hukou_home.jpg", "media_type": "image/jpeg"},
            {"label": "户口簿本人页", "path": "img/hukou_self.jpg"},
            {"label": "法院判决书", "path": "judgment.pdf", "media_type": "application/pdf"},
        ],
    }


def reason_of(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(PackageRejected) as info:
        if limits is None:
            read_package(path)
        else:
            read_package(path, limits=limits)
    reason = info.value.reason
    assert "\n" not in reason
    assert str(info.value) == reason
    return reason


def zip_with(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """A zip holding exactly ``entries`` (names written verbatim)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False).encode("utf-8")


@pytest.fixture(params=["folder", "zip"])
def as_zip(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "zip")


def write(tmp_path: Path, manifest: dict[str, Any], files: dict[str, bytes], zipped: bool) -> Path:
    dest = tmp_path / ("pkg.zip" if zipped else "pkg")
    return write_package(dest, manifest, files, as_zip=zipped)


# --------------------------------------------------------------------------- valid packages


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_object_in_schema_forbids_additional_properties() -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, node
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(load_schema())


def test_valid_folder_and_zip_have_same_content(tmp_path: Path) -> None:
    folder = write_package(tmp_path / "f", base_manifest(), FILES, as_zip=False)
    archive = write_package(tmp_path / "p.zip", base_manifest(), FILES, as_zip=True)
    a = read_package(folder)
    b = read_package(archive)
    assert a.content_hash == b.content_hash
    assert a.manifest == b.manifest == base_manifest()
    assert a.source == folder and b.source == archive
    assert [f.label for f in a.files] == ["离婚证", "户口簿首页", "户口簿本人页", "法院判决书"]
    for pf in b.files:
        assert pf.data == FILES[pf.path]
        assert pf.sha256 == hashlib.sha256(FILES[pf.path]).hexdigest()
        assert pf.size == len(FILES[pf.path])
    assert b.files[0].media_type == "image/jpeg"
    assert b.files[2].media_type is None
    assert b.submission_id == "NC2024-000123"


def test_rezipped_differently_gives_same_content_hash(tmp_path: Path) -> None:
    first = read_package(write_package(tmp_path / "a.zip", base_manifest(), FILES, as_zip=True))
    # Another tool: stored instead of deflated, reversed order, other key order and
    # indentation, a directory entry, a BOM, and declared sha256 values.
    manifest = base_manifest()
    for entry in manifest["attachments"]:
        entry["sha256"] = hashlib.sha256(FILES[entry["path"]]).hexdigest().upper()
    reordered = dict(reversed(list(manifest.items())))
    text = "\ufeff" + json.dumps(reordered, ensure_ascii=True, indent=4)
    other = tmp_path / "b.zip"
    with zipfile.ZipFile(other, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in reversed(list(FILES.items())):
            zf.writestr(name, data)
        zf.writestr("img/", b"")
        zf.writestr("manifest.json", text.encode("utf-8"))
    second = read_package(other)
    assert second.content_hash == first.content_hash


def test_changed_attachment_byte_changes_content_hash(tmp_path: Path) -> None:
    first = read_package(write(tmp_path / "1", base_manifest(), FILES, True))
    files = dict(FILES)
    data = bytearray(files["judgment.pdf"])
    data[-1] ^= 0x01
    files["judgment.pdf"] = bytes(data)
    second = read_package(write(tmp_path / "2", base_manifest(), files, True))
    assert second.submission_id == first.submission_id
    assert second.content_hash != first.content_hash


def test_changed_manifest_field_changes_content_hash(tmp_path: Path) -> None:
    first = read_package(write(tmp_path / "1", base_manifest(), FILES, False))
    manifest = base_manifest()
    manifest["student"]["hukou_address"] = "东湖区某路2号"
    second = read_package(write(tmp_path / "2", manifest, FILES, False))
    assert second.content_hash != first.content_hash


def test_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["attachments"].append({"label": "户口簿首页", "path": "img/hukou_self.jpg"})
    pkg = read_package(write(tmp_path, manifest, FILES, True))
    assert pkg.files[-1].data == pkg.files[2].data


def test_manifest_to_facts_converts_types() -> None:
    info = AttachmentInfo(
        label="离婚证", sha256="0" * 64, media_type="image/jpeg", size=10, readable=True
    )
    facts = manifest_to_facts(base_manifest(), [info])
    assert facts.kind is CaseKind.GUARDIANSHIP and facts.stage is Stage.PRIMARY
    assert facts.submitted_at == dt.datetime(
        2024, 6, 3, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert facts.submitted_at.tzinfo is not None
    assert facts.student.relation == "本人" and facts.student.id_number == STUDENT_ID
    assert facts.guardians[1].has_custody is True and facts.guardians[0].phone == "13800000000"
    assert facts.custody is not None and facts.custody.divorce_date == dt.date(2021, 9, 10)
    assert facts.properties[0].cert_type is CertType.REAL_ESTATE
    assert facts.properties[0].nature is PropertyNature.RESIDENTIAL
    assert facts.properties[0].issue_date == dt.date(2020, 4, 1)
    assert facts.rentals[0].end_date == dt.date(2025, 2, 28)
    assert facts.permits[0].valid_until == dt.date(2025, 3, 14)
    assert facts.attachments == (info,)
    assert facts.rural_house is None and facts.grandparents == ()


def test_rural_house_and_kinship_manifests_convert() -> None:
    rural = base_manifest()
    rural.update(kind="rural_house", residence_basis="农房")
    del rural["custody"]
    rural["rural_house"] = {
        "owner_name": "王老汉",
        "owner_id_number": resident_id("36012119550101111"),
        "owner_relation": "祖父",
        "address": "新建区某村12号",
        "house_type": "农房",
    }
    facts = manifest_to_facts(rural, [])
    assert facts.rural_house is not None and facts.rural_house.house_type == "农房"
    kin = base_manifest()
    kin.update(kind="kinship", residence_basis="(外)祖父母房产")
    del kin["custody"]
    kin["grandparents"] = [
        {"name": "李老太", "id_number": resident_id("36010219580808222"), "relation": "外祖母"}
    ]
    facts = manifest_to_facts(kin, [])
    assert facts.grandparents[0].relation == "外祖母"


# --------------------------------------------------------------------------- manifest problems


def test_malformed_json(tmp_path: Path, as_zip: bool) -> None:
    bad = b'{\n  "format_version": 1,\n  "city": "\xe5\x8d\x97\xe6\x98\x8c\xe5\xb8\x82",,\n}'
    if as_zip:
        path = zip_with(tmp_path / "p.zip", [("manifest.json", bad)])
    else:
        path = tmp_path / "p"
        path.mkdir()
        (path / "manifest.json").write_bytes(bad)
    reason = reason_of(path)
    assert reason.startswith("manifest.json: invalid JSON at line 3 column 17: "), reason


def test_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "p"
    path.mkdir()
    (path / "manifest.json").write_bytes(manifest_bytes(base_manifest())[:-5])
    assert reason_of(path).startswith("manifest.json: invalid JSON at line 1 column")


def test_manifest_not_utf8(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "p.zip", [("manifest.json", '{"city": "南昌"}'.encode("gbk"))])
    assert reason_of(path).startswith("manifest.json: not valid UTF-8 at byte 10")


def test_manifest_duplicate_key_and_float_rejected(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "a.zip", [("manifest.json", b'{"city": "a", "city": "b"}')])
    assert reason_of(path) == "manifest.json: duplicate key 'city' in an object"
    path = zip_with(tmp_path / "b.zip", [("manifest.json", b'{"admission_year": 2024.0}')])
    assert "fractional number 2024.0" in reason_of(path)
    path = zip_with(tmp_path / "c.zip", [("manifest.json", b'{"admission_year": NaN}')])
    assert reason_of(path) == "manifest.json: NaN is not valid JSON"


def test_deeply_nested_json_rejected(tmp_path: Path) -> None:
    path = tmp_path / "p"
    path.mkdir()
    (path / "manifest.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    assert reason_of(path).startswith("manifest.json: ")


def test_missing_manifest(tmp_path: Path, as_zip: bool) -> None:
    if as_zip:
        path = zip_with(tmp_path / "p.zip", [("img/a.jpg", b"x"), ("sub/manifest.json", b"{}")])
    else:
        path = tmp_path / "p"
        (path / "img").mkdir(parents=True)
        (path / "img" / "a.jpg").write_bytes(b"x")
    assert reason_of(path) == "manifest.json: missing at the top of the package"


def test_manifest_over_size_limit(tmp_path: Path, as_zip: bool) -> None:
    manifest = base_manifest()
    manifest["custody"]["note"] = "x" * 1900
    path = write(tmp_path, manifest, FILES, as_zip)
    reason = reason_of(path, Limits(max_manifest_bytes=1000))
    assert "manifest.json" in reason and "1000 bytes" in reason, reason


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda m: m["student"].pop("id_number"), "manifest.json: student.id_number: missing"),
        (
            lambda m: m["attachments"][2].update(path=7),
            "manifest.json: attachments[2].path: must be a string",
        ),
        (lambda m: m.pop("attachments"), "manifest.json: attachments: missing"),
        (lambda m: m.update(attachments=[]), "manifest.json: attachments: must not be empty"),
        (
            lambda m: m["guardians"][0].update(nickname="x"),
            "manifest.json: guardians[0].nickname: unexpected field (not in the manifest format)",
        ),
        (
            lambda m: m.update(stage="senior"),
            "manifest.json: stage: must be one of 'primary', 'junior' (got 'senior')",
        ),
        (
            lambda m: m["guardians"][1].update(relation="继父"),
            "manifest.json: guardians[1].relation: must be one of '父亲', '母亲', '其他监护人' "
            "(got '继父')",
        ),
        (lambda m: m.update(format_version=2), "manifest.json: format_version: must be 1 (got 2)"),
        (
            lambda m: m.update(admission_year="2024"),
            "manifest.json: admission_year: must be an integer",
        ),
        (
            lambda m: m["custody"].update(divorce_date="2021/09/10"),
            "manifest.json: custody.divorce_date: must be a date YYYY-MM-DD (got '2021/09/10')",
        ),
        (
            lambda m: m["rentals"][0].update(start_date="2023-02-30"),
            "manifest.json: rentals[0].start_date: '2023-02-30' is not a valid date",
        ),
        (
            lambda m: m.update(submitted_at="2024-06-03T09:15:00"),
            "manifest.json: submitted_at: must be an ISO 8601 timestamp with UTC offset, "
            "e.g. 2024-06-03T09:15:00+08:00 (got '2024-06-03T09:15:00')",
        ),
        (
            lambda m: m["student"].update(id_number="3601022017081512"),
            "manifest.json: student.id_number: must be an 18-character resident ID "
            "(17 digits then a digit or X) (got '360102**********')",  # masked (issue 15)
        ),
        (
            lambda m: m["attachments"][0].update(sha256="abc"),
            "manifest.json: attachments[0].sha256: must be 64 hexadecimal digits (got 'abc')",
        ),
        (
            lambda m: m["student"].update(name="王小明\n"),
            "manifest.json: student.name: contains a control character",
        ),
        (lambda m: m["student"].update(name=""), "manifest.json: student.name: must not be empty"),
        (lambda m: m.clear(), "manifest.json: "),
    ],
)
def test_schema_violations_name_the_json_path(tmp_path: Path, mutate: Any, expected: str) -> None:
    manifest = copy.deepcopy(base_manifest())
    mutate(manifest)
    path = write(tmp_path, manifest, FILES, True)
    assert reason_of(path).startswith(expected)


def test_manifest_must_be_an_object(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "p.zip", [("manifest.json", b"[1, 2]")])
    assert reason_of(path) == "manifest.json: must be an object"


def test_several_problems_are_counted() -> None:
    manifest = base_manifest()
    del manifest["city"]
    manifest["stage"] = "x"
    with pytest.raises(PackageRejected) as info:
        validate_manifest(manifest)
    assert info.value.reason == "manifest.json: city: missing (and 1 more problem)"


def test_guardianship_requires_custody(tmp_path: Path) -> None:
    manifest = base_manifest()
    del manifest["custody"]
    assert reason_of(write(tmp_path, manifest, FILES, False)) == (
        "manifest.json: custody: missing (required when kind is 'guardianship')"
    )


def test_kinship_requires_grandparents(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["kind"] = "kinship"
    assert reason_of(write(tmp_path / "a", manifest, FILES, False)) == (
        "manifest.json: grandparents: missing (required when kind is 'kinship')"
    )
    manifest["grandparents"] = []
    assert reason_of(write(tmp_path / "b", manifest, FILES, False)) == (
        "manifest.json: grandparents: must not be empty (required when kind is 'kinship')"
    )


def test_rural_house_requires_rural_house(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["kind"] = "rural_house"
    assert reason_of(write(tmp_path, manifest, FILES, True)) == (
        "manifest.json: rural_house: missing (required when kind is 'rural_house')"
    )


def test_manifest_to_facts_rejects_invalid_manifest() -> None:
    manifest = base_manifest()
    del manifest["student"]
    with pytest.raises(PackageRejected, match=r"^manifest.json: student: missing$"):
        manifest_to_facts(manifest, [])


# --------------------------------------------------------------------------- attachment paths


@pytest.mark.parametrize(
    ("bad_path", "problem"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("../outside.jpg", "contains '..'"),
        ("img/../../outside.jpg", "contains '..'"),
        ("img\\divorce.jpg", "contains a backslash"),
        ("C:/Users/x.jpg", "starts with a drive letter"),
        ("c:x.jpg", "starts with a drive letter"),
        ("img//divorce.jpg", "is not a normalized relative path"),
        ("./judgment.pdf", "is not a normalized relative path"),
        ("manifest.json", "names the manifest itself"),
    ],
)
def test_unsafe_attachment_path_in_manifest(
    tmp_path: Path, as_zip: bool, bad_path: str, problem: str
) -> None:
    manifest = base_manifest()
    manifest["attachments"][1]["path"] = bad_path
    reason = reason_of(write(tmp_path, manifest, FILES, as_zip))
    assert reason.startswith(f"manifest.json: attachments[1].path: {bad_path!r} {problem}")


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        ("../evil.sh", "contains '..'"),
        ("/abs/evil.sh", "is an absolute path"),
        ("dir\\evil.sh", "contains a backslash"),
        ("C:/evil.sh", "starts with a drive letter"),
    ],
)
def test_unsafe_member_name_inside_real_zip(tmp_path: Path, member: str, problem: str) -> None:
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        ("manifest.json", manifest_bytes(base_manifest())),
        *FILES.items(),
        (zipfile.ZipInfo(member), b"#!/bin/sh\n"),
    ]
    path = zip_with(tmp_path / "p.zip", entries)
    with zipfile.ZipFile(path) as zf:  # the name really is stored verbatim
        assert member in zf.namelist()
    assert reason_of(path) == f"zip member {member!r}: name {problem}"


def test_folder_symlink_attachment_rejected(tmp_path: Path) -> None:
    pkg = write(tmp_path, base_manifest(), FILES, False)
    target = pkg / "img" / "divorce.jpg"
    target.unlink()
    os.symlink(pkg / "img" / "hukou_home.jpg", target)  # even inside the package
    assert (
        reason_of(pkg) == "attachments[0] 'img/divorce.jpg': 'img/divorce.jpg' is a symbolic link"
    )


def test_folder_symlink_outside_rejected(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"secret")
    pkg = write(tmp_path, base_manifest(), FILES, False)
    (pkg / "judgment.pdf").unlink()
    os.symlink(secret, pkg / "judgment.pdf")
    assert "is a symbolic link" in reason_of(pkg)


def test_folder_symlinked_directory_rejected(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name, data in FILES.items():
        if name.startswith("img/"):
            (elsewhere / name.removeprefix("img/")).write_bytes(data)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "manifest.json").write_bytes(manifest_bytes(base_manifest()))
    (pkg / "judgment.pdf").write_bytes(FILES["judgment.pdf"])
    os.symlink(elsewhere, pkg / "img")
    assert reason_of(pkg) == "attachments[0] 'img/divorce.jpg': 'img' is a symbolic link"


def test_folder_manifest_symlink_rejected(tmp_path: Path) -> None:
    pkg = write(tmp_path, base_manifest(), FILES, False)
    real = tmp_path / "real_manifest.json"
    (pkg / "manifest.json").rename(real)
    os.symlink(real, pkg / "manifest.json")
    assert reason_of(pkg) == "manifest.json: 'manifest.json' is a symbolic link"


def test_folder_attachment_is_fifo_rejected_without_blocking(tmp_path: Path) -> None:
    pkg = write(tmp_path, base_manifest(), FILES, False)
    (pkg / "judgment.pdf").unlink()
    os.mkfifo(pkg / "judgment.pdf")
    assert reason_of(pkg) == "attachments[3] 'judgment.pdf': not a regular file"


def test_zip_symlink_member_rejected(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("img/divorce.jpg")
    link.create_system = 3  # unix
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        ("manifest.json", manifest_bytes(base_manifest())),
        *[(n, d) for n, d in FILES.items() if n != "img/divorce.jpg"],
        (link, b"/etc/passwd"),
    ]
    path = zip_with(tmp_path / "p.zip", entries)
    assert reason_of(path) == "zip member 'img/divorce.jpg': is a symbolic link"


def test_missing_named_file(tmp_path: Path, as_zip: bool) -> None:
    files = {k: v for k, v in FILES.items() if k != "img/hukou_self.jpg"}
    path = write(tmp_path, base_manifest(), files, as_zip)
    assert reason_of(path) == "attachments[2] 'img/hukou_self.jpg': file not found in the package"


def test_attachment_naming_a_directory_is_missing(tmp_path: Path, as_zip: bool) -> None:
    manifest = base_manifest()
    manifest["attachments"][0]["path"] = "img"
    if as_zip:
        entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
            ("manifest.json", manifest_bytes(manifest)),
            ("img/", b""),
            *FILES.items(),
        ]
        path = zip_with(tmp_path / "p.zip", entries)
    else:
        path = write(tmp_path, manifest, FILES, False)
    reason = reason_of(path)
    assert reason.startswith("attachments[0] 'img': "), reason


def test_sha256_mismatch(tmp_path: Path, as_zip: bool) -> None:
    manifest = base_manifest()
    good = hashlib.sha256(FILES["judgment.pdf"]).hexdigest()
    manifest["attachments"][3]["sha256"] = good
    read_package(write(tmp_path / "ok", manifest, FILES, as_zip))
    manifest["attachments"][3]["sha256"] = "0" * 64
    reason = reason_of(write(tmp_path / "bad", manifest, FILES, as_zip))
    assert reason == (
        f"attachments[3] 'judgment.pdf': sha256 mismatch (manifest says {'0' * 64}, file is {good})"
    )


# --------------------------------------------------------------------------- limits


def test_too_many_zip_entries(tmp_path: Path) -> None:
    entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        ("manifest.json", manifest_bytes(base_manifest())),
        *FILES.items(),
    ]
    entries += [(f"junk/{i}.txt", b"x") for i in range(MAX_PACKAGE_FILES + 1 - len(entries))]
    path = zip_with(tmp_path / "p.zip", entries)
    assert reason_of(path) == (
        f"zip archive has {MAX_PACKAGE_FILES + 1} entries, more than the limit of "
        f"{MAX_PACKAGE_FILES}"
    )
    ok = zip_with(tmp_path / "ok.zip", entries[:-1])
    read_package(ok)


def test_too_many_files_named_in_folder(tmp_path: Path) -> None:
    path = write(tmp_path, base_manifest(), FILES, False)
    reason = reason_of(path, Limits(max_package_files=4))
    assert reason == "manifest.json: attachments: names more than 3 files"


def test_real_zip_bomb_rejected(tmp_path: Path) -> None:
    """~300 KB on disk that would inflate past MAX_UNCOMPRESSED_BYTES."""
    path = tmp_path / "bomb.zip"
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes(base_manifest()))
        for name, data in FILES.items():
            zf.writestr(name, data)
        with zf.open("img/bomb.bin", "w", force_zip64=True) as out:
            for _ in range(MAX_UNCOMPRESSED_BYTES // MiB + 10):
                out.write(zeros)
    assert path.stat().st_size < 2 * MiB
    reason = reason_of(path)
    assert reason.startswith("zip member 'img/bomb.bin': "), reason
    assert "over the limit" in reason


def test_high_ratio_member_rejected(tmp_path: Path) -> None:
    manifest = base_manifest()
    files = dict(FILES)
    files["judgment.pdf"] = bytes(5 * MiB)  # 5 MiB of zeros deflates ~1000:1
    path = write(tmp_path, manifest, files, True)
    reason = reason_of(path)
    assert reason.startswith("zip member 'judgment.pdf': compression ratio ")
    assert f"exceeds {MAX_COMPRESSION_RATIO}:1" in reason


def test_total_uncompressed_over_limit(tmp_path: Path, as_zip: bool) -> None:
    files = {name: os.urandom(300 * 1024) for name in FILES}
    path = write(tmp_path, base_manifest(), files, as_zip)
    limits = Limits(max_uncompressed_bytes=MiB)
    read_package(path, limits=Limits(max_uncompressed_bytes=2 * MiB))
    reason = reason_of(path, limits)
    assert f"{MiB}" in reason and "total" in reason, reason


def test_lying_central_directory_size_is_caught_while_reading(tmp_path: Path) -> None:
    """The directory says 1,000 bytes; the deflate stream holds 20 MiB of zeros."""
    path = tmp_path / "liar.zip"
    manifest = base_manifest()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes(manifest))
        for name, data in FILES.items():
            if name != "judgment.pdf":
                zf.writestr(name, data)
        zf.writestr("judgment.pdf", bytes(20 * MiB))
    raw = bytearray(path.read_bytes())
    entry = raw.rfind(b"PK\x01\x02")  # the last central directory entry: judgment.pdf
    assert raw[entry + 46 : entry + 46 + len(b"judgment.pdf")] == b"judgment.pdf"
    struct.pack_into("<L", raw, entry + 24, 1000)  # uncompressed size
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("judgment.pdf").file_size == 1000
    reason = reason_of(path)
    assert reason.startswith("attachments[3] 'judgment.pdf': damaged zip data (Bad CRC-32"), reason


def test_single_file_over_max_file_bytes(tmp_path: Path, as_zip: bool) -> None:
    """A 30 MiB package: exactly the limit passes, one byte more is rejected."""
    files = dict(FILES)
    files["judgment.pdf"] = os.urandom(MAX_FILE_BYTES)
    if as_zip:
        # stored, as a phone would send already-compressed photos
        entries: list[tuple[zipfile.ZipInfo | str, bytes]] = [
            ("manifest.json", manifest_bytes(base_manifest())),
            *files.items(),
        ]
        path = tmp_path / "p.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
    else:
        path = write(tmp_path, base_manifest(), files, False)
    pkg = read_package(path)
    assert pkg.files[3].size == MAX_FILE_BYTES

    files["judgment.pdf"] += b"!"
    if as_zip:
        path = tmp_path / "q.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr("manifest.json", manifest_bytes(base_manifest()))
            for name, data in files.items():
                zf.writestr(name, data)
        expected = f"zip member 'judgment.pdf': {MAX_FILE_BYTES + 1} bytes uncompressed"
    else:
        path = write(tmp_path / "q", base_manifest(), files, False)
        expected = f"attachments[3] 'judgment.pdf': {MAX_FILE_BYTES + 1} bytes, over the limit"
    assert reason_of(path).startswith(expected)


def test_duplicate_zip_member_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.zip"
    with zipfile.ZipFile(path, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("manifest.json", manifest_bytes(base_manifest()))
        for name, data in FILES.items():
            zf.writestr(name, data)
        zf.writestr("judgment.pdf", b"a different judgment")
    assert reason_of(path) == "zip member 'judgment.pdf': appears more than once"


def test_unsupported_compression_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bz.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("manifest.json", manifest_bytes(base_manifest()))
    assert "unsupported compression method 12" in reason_of(path)


def test_not_a_package(tmp_path: Path) -> None:
    assert "cannot open package" in reason_of(tmp_path / "nope.zip")
    text = tmp_path / "notes.zip"
    text.write_text("not a zip at all")
    assert reason_of(text) == "not a zip archive (no end-of-central-directory record)"
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    assert reason_of(empty) == "not a zip archive (no end-of-central-directory record)"
    truncated = tmp_path / "truncated.zip"
    good = write_package(tmp_path / "good.zip", base_manifest(), FILES, as_zip=True)
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    reason_of(truncated)


def test_write_package_refuses_unsafe_paths(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="contains '..'"):
        write_package(tmp_path / "x", base_manifest(), {"../a": b""}, as_zip=False)


def test_write_package_zip_is_deterministic(tmp_path: Path) -> None:
    a = write_package(tmp_path / "a.zip", base_manifest(), FILES, as_zip=True)
    b = write_package(tmp_path / "b.zip", base_manifest(), FILES, as_zip=True)
    assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------- fuzzing


def _read_bytes_as_zip(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.zip"
        path.write_bytes(data)
        try:
            read_package(path)
        except PackageRejected as exc:
            assert exc.reason and "\n" not in exc.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_only_raise_package_rejected(data: bytes) -> None:
    _read_bytes_as_zip(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_after_zip_signature_only_raise_package_rejected(data: bytes) -> None:
    _read_bytes_as_zip(b"PK\x03\x04" + data + b"PK\x05\x06" + data[:18])


def _valid_zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes(base_manifest()))
        for name, data in FILES.items():
            zf.writestr(name, data)
    return buf.getvalue()


VALID_ZIP = _valid_zip_bytes()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_ZIP) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, len(VALID_ZIP)),
)
def test_corrupted_valid_zip_only_raises_package_rejected(
    flips: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(VALID_ZIP)
    for offset, value in flips:
        data[offset] = value
    _read_bytes_as_zip(bytes(data))
    _read_bytes_as_zip(bytes(data[cut:]))


def test_docs_example_manifest_is_valid_and_matches_fixture() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "intake.md").read_text("utf-8")
    block = doc.split("```json\n", 1)[1].split("```", 1)[0]
    example = json.loads(block)
    validate_manifest(example)
    expected = base_manifest()
    expected["attachments"][3]["sha256"] = hashlib.sha256(FILES["judgment.pdf"]).hexdigest()
    assert example == expected
