"""Issue 15 at the package level: a lowercase check `x` is accepted and stored as `X`;
no refusal reason prints a resident ID in full."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.intake.package import (
    PackageRejected,
    manifest_to_facts,
    read_package,
    validate_manifest,
    write_package,
)
from app.policy.idnumbers import mask_id
from tests.app.intake.test_package import FILES, base_manifest, reason_of, resident_id

ID_LIKE = re.compile(r"[0-9]{16}")


def x_id(prefix13: str) -> str:
    """A valid ID whose check character is X: ``prefix13`` (region, year, month and the
    day's first digit) then four digits found by trying."""
    for tail in range(10_000):
        number = resident_id(f"{prefix13}{tail:04d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no X")


STUDENT_X = x_id("3601022017081")
FATHER_X = x_id("3601021985031")
MOTHER_X = x_id("3601021987062")
GRANDMA_X = x_id("3601021958080")
OWNER_X = x_id("3601211955010")

# Every ID field of the format, as (path in the manifest, setter).
ID_FIELDS: dict[str, Callable[[dict[str, Any], str], None]] = {
    "student.id_number": lambda m, v: m["student"].update(id_number=v),
    "guardians[0].id_number": lambda m, v: m["guardians"][0].update(id_number=v),
    "guardians[1].id_number": lambda m, v: m["guardians"][1].update(id_number=v),
    "grandparents[0].id_number": lambda m, v: m["grandparents"][0].update(id_number=v),
    "rural_house.owner_id_number": lambda m, v: m["rural_house"].update(owner_id_number=v),
    "properties[0].owner_id_number": lambda m, v: m["properties"][0].update(owner_id_number=v),
    "permits[0].holder_id_number": lambda m, v: m["permits"][0].update(holder_id_number=v),
}


def full_manifest(*, lower: bool) -> dict[str, Any]:
    """The base manifest with grandparents and a rural house too, every ID ending in X."""
    m = base_manifest()

    def case(v: str) -> str:
        return v.lower() if lower else v

    m["student"]["id_number"] = case(STUDENT_X)
    m["guardians"][0]["id_number"] = case(FATHER_X)
    m["guardians"][1]["id_number"] = case(MOTHER_X)
    m["grandparents"] = [{"name": "李老太", "id_number": case(GRANDMA_X), "relation": "外祖母"}]
    m["rural_house"] = {
        "owner_name": "王老汉",
        "owner_id_number": case(OWNER_X),
        "owner_relation": "祖父",
        "address": "新建区某村12号",
        "house_type": "农房",
    }
    m["properties"][0]["owner_id_number"] = case(MOTHER_X)
    m["permits"][0]["holder_id_number"] = case(MOTHER_X)
    return m


def _all_ids(m: dict[str, Any]) -> list[str]:
    return [
        m["student"]["id_number"],
        *(g["id_number"] for g in m["guardians"]),
        *(g["id_number"] for g in m["grandparents"]),
        m["rural_house"]["owner_id_number"],
        *(p["owner_id_number"] for p in m["properties"]),
        *(p["holder_id_number"] for p in m["permits"]),
    ]


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_lowercase_x_is_accepted_and_uppercased_in_every_id_field(
    tmp_path: Path, zipped: bool
) -> None:
    lower = full_manifest(lower=True)
    assert all(v.endswith("x") for v in _all_ids(lower))
    dest = tmp_path / ("pkg.zip" if zipped else "pkg")
    package = read_package(write_package(dest, lower, FILES, as_zip=zipped))
    assert _all_ids(package.manifest) == _all_ids(full_manifest(lower=False))
    upper_pkg = read_package(
        write_package(tmp_path / "upper", full_manifest(lower=False), FILES, as_zip=False)
    )
    # same content, same hash: a re-sent package with the other case is a duplicate
    assert package.content_hash == upper_pkg.content_hash

    facts = manifest_to_facts(package.manifest, ())
    assert facts.student.id_number == STUDENT_X
    assert [g.id_number for g in facts.guardians] == [FATHER_X, MOTHER_X]
    assert [g.id_number for g in facts.grandparents] == [GRANDMA_X]
    assert facts.rural_house is not None and facts.rural_house.owner_id_number == OWNER_X
    assert [p.owner_id_number for p in facts.properties] == [MOTHER_X]
    assert [p.holder_id_number for p in facts.permits] == [MOTHER_X]


def test_manifest_to_facts_and_validate_accept_lowercase_without_mutating() -> None:
    lower = full_manifest(lower=True)
    before = copy.deepcopy(lower)
    validate_manifest(lower)
    facts = manifest_to_facts(lower, ())
    assert lower == before
    assert facts.student.id_number == STUDENT_X
    assert facts.rural_house is not None and facts.rural_house.owner_id_number == OWNER_X


@pytest.mark.parametrize(
    "value",
    [" " + STUDENT_X, STUDENT_X[:17] + "x ", STUDENT_X[:16] + "xx", "x" + STUDENT_X[1:]],
    ids=["leading-space", "trailing-space", "two-x", "x-first"],
)
def test_only_the_case_of_the_check_character_is_normalised(tmp_path: Path, value: str) -> None:
    m = base_manifest()
    m["student"]["id_number"] = value
    reason = reason_of(write_package(tmp_path / "p", m, FILES, as_zip=False))
    assert reason.startswith("manifest.json: student.id_number: must be an 18-character"), reason


BAD_VALUES: dict[str, Callable[[str], str]] = {
    "17 characters": lambda v: v[:17],
    "19 characters": lambda v: v + "1",
    "a letter": lambda v: v[:17] + "A",
    "a space inside": lambda v: v[:9] + " " + v[9:17],
    "full-width digits": lambda v: "".join(chr(ord(c) + 0xFEE0) for c in v),
    "lowercase x, 17 characters": lambda v: v[:16] + "x",
}


@pytest.mark.parametrize("field", sorted(ID_FIELDS))
@pytest.mark.parametrize("bad", sorted(BAD_VALUES))
def test_refusal_never_prints_the_id(tmp_path: Path, field: str, bad: str) -> None:
    m = full_manifest(lower=False)
    good = MOTHER_X if field.startswith(("guardians[1]", "properties", "permits")) else STUDENT_X
    value = BAD_VALUES[bad](good)
    ID_FIELDS[field](m, value)
    reason = reason_of(write_package(tmp_path / "p.zip", m, FILES, as_zip=True))
    assert reason.startswith(f"manifest.json: {field}: "), reason
    assert not ID_LIKE.search(reason), reason
    assert value not in reason and good[6:14] not in reason, reason
    assert f"(got {mask_id(value)!r})" in reason, reason


def test_refusal_naming_a_file_called_after_an_id_masks_it(tmp_path: Path) -> None:
    m = base_manifest()
    m["attachments"][0]["path"] = f"img/{MOTHER_X}.jpg"
    reason = reason_of(write_package(tmp_path / "p", m, FILES, as_zip=False))
    assert reason == f"attachments[0] 'img/{mask_id(MOTHER_X)}.jpg': file not found in the package"


def test_package_rejected_masks_any_id_in_its_reason() -> None:
    exc = PackageRejected(f"manifest.json: submission_id: {STUDENT_X.lower()} was already imported")
    assert exc.reason == f"manifest.json: submission_id: {mask_id(STUDENT_X)} was already imported"
    assert str(exc) == exc.reason
