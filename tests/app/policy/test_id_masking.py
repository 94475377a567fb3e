"""Issue 15: no finding message holds a full resident ID, nor enough to rebuild one.

A masked number keeps the first 6 and the last 4 characters; the 8 birth-date digits
between are the part that identifies a person. A message may therefore show the masked
number or the birth date, never both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
from stdnum.cn import ric

from app.domain import CaseFacts, CheckContext, PropertyUse, RuralHouseFacts
from app.policy import idnumbers
from app.policy.checks import run_checks
from app.policy.idnumbers import make_id, mask_id
from tests.app.policy.test_checks import (
    GUARDIANSHIP_ATTACHMENTS,
    POLICY,
    TODAY,
    _att,
    clean_context,
    clean_facts,
)

# 16 digits in a row: more of an ID than any masked form shows (case numbers have 15).
ID_LIKE = re.compile(r"[0-9]{16}")


def x_id(region: str, birth: dt.date) -> str:
    """A valid ID whose check character is X."""
    for seq in range(1000):
        number = make_id(region, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


def _with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


BAD_IDS: dict[str, Callable[[], str]] = {
    "bad checksum": lambda: (lambda n: n[:-1] + ("1" if n[-1] != "1" else "2"))(
        make_id("360102", dt.date(1961, 3, 4), 55)
    ),
    "bad birth date": lambda: _with_check("360102" + "19610230" + "055"),
    "future birth date": lambda: make_id("360102", dt.date(2027, 1, 9), 55),
    "wrong length 17": lambda: make_id("360102", dt.date(1961, 3, 4), 55)[:17],
    "wrong length 19": lambda: make_id("360102", dt.date(1961, 3, 4), 55) + "7",
    "letter": lambda: make_id("360102", dt.date(1961, 3, 4), 55)[:17] + "A",
    "lowercase x": lambda: x_id("360102", dt.date(1961, 3, 4)).lower(),
}

PEOPLE = ["student", "guardians[1]", "grandparents[0]", "rural_house"]


def _facts_with(who: str, number: str) -> CaseFacts:
    f = clean_facts()
    if who == "student":
        return dataclasses.replace(f, student=dataclasses.replace(f.student, id_number=number))
    if who == "guardians[1]":
        g = dataclasses.replace(f.guardians[1], id_number=number)
        return dataclasses.replace(f, guardians=(f.guardians[0], g))
    if who == "grandparents[0]":
        gp = dataclasses.replace(f.grandparents[0], id_number=number)
        return dataclasses.replace(f, grandparents=(gp,))
    rural = RuralHouseFacts("王德福", number, "祖父", "新建区某村12号", "农房")
    return dataclasses.replace(f, rural_house=rural)


def _birth_forms(number: str) -> list[str]:
    """How the birth date of ``number`` could be written in a message."""
    digits = idnumbers.normalize_id(number)[6:14]
    forms = [digits]
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return forms
    return [*forms, f"{day.year}年{day.month}月{day.day}日", day.isoformat()]


def assert_no_full_id(message: str, number: str) -> None:
    norm = idnumbers.normalize_id(number)
    assert not ID_LIKE.search(message), message
    assert number not in message and norm not in message, message
    # The masked number and the birth date together would be the whole number.
    tail_shown = len(norm) >= 14 and norm[-4:] in message
    birth_shown = any(form in message for form in _birth_forms(number))
    assert not (tail_shown and birth_shown), message


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("kind", sorted(BAD_IDS))
def test_no_finding_message_holds_a_full_id(kind: str, who: str) -> None:
    number = BAD_IDS[kind]()
    facts = _facts_with(who, number)
    findings = run_checks(facts, POLICY, clean_context())
    for finding in findings:
        assert_no_full_id(finding.message, number)
    id_findings = [f for f in findings if f.code.startswith("ID_")]
    if kind == "lowercase x":
        # a lowercase check character is the same number: nothing to report
        assert not [f for f in id_findings if f.code != "ID_REGION_UNKNOWN"], id_findings
    else:
        fact = "rural_house.owner_id_number" if who == "rural_house" else f"{who}.id_number"
        assert [f.fact for f in id_findings] == [fact], findings


def test_birth_date_finding_names_the_date_and_the_person_not_the_number() -> None:
    number = BAD_IDS["bad birth date"]()
    facts = _facts_with("grandparents[0]", number)
    (finding,) = [f for f in run_checks(facts, POLICY, clean_context()) if f.code == "ID_BIRTHDATE"]
    assert "19610230" in finding.message and "王德福" in finding.message
    assert mask_id(number) not in finding.message
    assert finding.fact == "grandparents[0].id_number"


def test_invalid_id_finding_shows_the_masked_number() -> None:
    number = BAD_IDS["bad checksum"]()
    facts = _facts_with("guardians[1]", number)
    (finding,) = [f for f in run_checks(facts, POLICY, clean_context()) if f.code == "ID_INVALID"]
    assert mask_id(number) in finding.message
    assert number[6:14] not in finding.message


def test_ids_typed_into_free_text_are_masked_in_findings() -> None:
    """A parent may type an ID into a certificate number or name a scan after it."""
    f = clean_facts()
    owner = f.guardians[1].id_number
    prop = dataclasses.replace(f.properties[0], cert_number=f"网签{owner}")
    permit = dataclasses.replace(f.permits[0], number=owner, valid_until=dt.date(2026, 5, 1))
    scan = dataclasses.replace(
        _att("其他材料", readable=False, reason="图片模糊"), filename=f"img/{owner.lower()}.jpg"
    )
    f = dataclasses.replace(
        f, properties=(prop,), permits=(permit,), attachments=(*GUARDIANSHIP_ATTACHMENTS, scan)
    )
    use = PropertyUse(
        cert_number=prop.cert_number,
        admission_year=2025,
        student_id_number=make_id("360104", dt.date(2012, 3, 3), 5),
        guardian_id_numbers=frozenset({make_id("360104", dt.date(1980, 3, 3), 7)}),
        case_ref="202536010400007",
    )
    findings = run_checks(f, POLICY, CheckContext(property_uses=(use,), today=TODAY))
    assert {x.code for x in findings} >= {"PROPERTY_REUSED", "PERMIT_EXPIRED", "IMAGE_UNREADABLE"}
    for finding in findings:
        assert_no_full_id(finding.message, owner)
        assert not ID_LIKE.search(finding.message), finding.message
    reused = next(x for x in findings if x.code == "PROPERTY_REUSED")
    assert mask_id(owner) in reused.message
    assert "202536010400007" in reused.message  # a 15-digit case number is not an ID


def test_mask_ids_in_text() -> None:
    valid = make_id("360102", dt.date(1990, 1, 1), 11)
    xid = x_id("360102", dt.date(1990, 1, 1))
    sha = "0123456789abcdef" * 4
    text = (
        f"a {valid}; b {xid.lower()}；c「{valid[:17]}」 d {valid}7 e {sha} "
        "f 202636010200001 g 31457281 bytes h 2026-05-31"
    )
    out = idnumbers.mask_ids_in_text(text)
    assert not ID_LIKE.search(out), out
    assert mask_id(valid) in out and mask_id(xid) in out
    assert f"{valid[:6]}***********" in out  # 17 digits: nothing after the region kept
    assert sha in out and "202636010200001" in out and "31457281 bytes" in out
    assert "2026-05-31" in out
    assert idnumbers.mask_ids_in_text("王小明 360102") == "王小明 360102"
    long = "0" * 64  # a declared sha256 of all zeros is not an ID
    assert idnumbers.mask_ids_in_text(f"manifest says {long}") == f"manifest says {long}"


def test_canonical_id_uppercases_only_a_lowercase_check_x() -> None:
    xid = x_id("360102", dt.date(1990, 1, 1))
    assert idnumbers.canonical_id(xid.lower()) == xid
    assert idnumbers.canonical_id(xid) == xid
    for other in (" " + xid.lower(), xid.lower()[:17], "abc", "", xid.lower() + "1"):
        assert idnumbers.canonical_id(other) == other


def test_one_mask_for_lists_notices_and_messages() -> None:
    from app.notices.model import mask_id_number

    xid = x_id("360102", dt.date(2017, 9, 21))
    for value in (make_id("360102", dt.date(2017, 9, 21), 2), xid, xid.lower()):
        assert mask_id(value) == mask_id_number(value)
        assert mask_id(value) == value[:6] + "********" + value[-4:].upper()
