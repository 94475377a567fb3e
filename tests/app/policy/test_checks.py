"""Automatic checks: every code from a minimal case built for it, none from a clean case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from app.domain import (
    AttachmentInfo,
    CaseFacts,
    CaseKind,
    CertType,
    CheckContext,
    Finding,
    Person,
    Policy,
    PropertyNature,
    PropertyRecord,
    PropertyUse,
    RentalRecord,
    ResidencePermit,
    RuralHouseFacts,
    Severity,
    Stage,
)
from app.policy.checks import (
    FINDING_CODES,
    add_months,
    age_on,
    run_checks,
    worst_severity,
)
from app.policy.idnumbers import make_id
from app.policy.loader import POLICIES_DIR, load_policy

POLICY = load_policy(POLICIES_DIR / "nanchang-2026.json")
CUTOFF = POLICY.cutoff_date  # 2026-05-31
TODAY = dt.date(2026, 6, 10)

STUDENT_ID = make_id("360102", dt.date(2019, 12, 15), 123)
FATHER_ID = make_id("360103", dt.date(1988, 4, 2), 351)
MOTHER_ID = make_id("360111", dt.date(1990, 7, 9), 246)
GRANDFATHER_ID = make_id("360102", dt.date(1958, 2, 1), 17)


def _att(label: str, readable: bool = True, reason: str | None = None) -> AttachmentInfo:
    return AttachmentInfo(
        label=label,
        sha256=hashlib.sha256(label.encode()).hexdigest(),
        media_type="image/jpeg",
        size=123_456,
        readable=readable,
        reason=reason,
        filename=f"{label}.jpg",
    )


GUARDIANSHIP_ATTACHMENTS = (
    _att("离婚证"),
    _att("离婚协议书"),
    _att("户口簿首页"),
    _att("户口簿本人页"),
)


def clean_facts() -> CaseFacts:
    return CaseFacts(
        submission_id="NC2026-000123",
        city="南昌市",
        admission_year=2026,
        stage=Stage.PRIMARY,
        district="东湖区",
        school="南昌市育新学校",
        kind=CaseKind.GUARDIANSHIP,
        residence_basis="房产",
        submitted_at=dt.datetime(2026, 6, 2, 9, 30),
        student=Person("王小明", STUDENT_ID, "本人"),
        guardians=(
            Person("王建国", FATHER_ID, "父亲", has_custody=False),
            Person("李芳", MOTHER_ID, "母亲", has_custody=True),
        ),
        grandparents=(Person("王德福", GRANDFATHER_ID, "祖父"),),
        properties=(
            PropertyRecord(
                cert_type=CertType.REAL_ESTATE,
                cert_number="赣(2020)南昌市不动产权第0012345号",
                issue_date=dt.date(2020, 3, 1),
                nature=PropertyNature.RESIDENTIAL,
                owner_name="李芳",
                owner_id_number=MOTHER_ID,
                address="南昌市东湖区八一大道1号",
            ),
        ),
        rentals=(
            RentalRecord(
                registration_number="ZL2024-0088",
                address="南昌市东湖区阳明路2号",
                start_date=dt.date(2024, 1, 1),
                end_date=None,
                holder_name="李芳",
            ),
        ),
        permits=(
            ResidencePermit(
                number="JZZ360100-7788",
                holder_name="李芳",
                holder_id_number=MOTHER_ID,
                start_date=dt.date(2024, 1, 1),
                valid_until=dt.date(2027, 1, 1),
            ),
        ),
        attachments=GUARDIANSHIP_ATTACHMENTS,
    )


def clean_context() -> CheckContext:
    return CheckContext(today=TODAY)


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def _only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def _with_digit_changed(number: str, pos: int) -> str:
    return number[:pos] + str((int(number[pos]) + 1) % 10) + number[pos + 1 :]


# ---------------------------------------------------------------- the clean case


def test_clean_case_has_no_findings() -> None:
    findings = run_checks(clean_facts(), POLICY, clean_context())
    assert findings == []
    assert worst_severity(findings) is None


# ---------------------------------------------------------------- one minimal case per code

Case = tuple[CaseFacts, Policy, CheckContext]


def _replace(**changes: object) -> Case:
    return dataclasses.replace(clean_facts(), **changes), POLICY, clean_context()  # type: ignore[arg-type]


def case_id_invalid() -> Case:
    f = clean_facts()
    guardians = (
        f.guardians[0],
        dataclasses.replace(
            f.guardians[1], id_number=MOTHER_ID[:-1] + ("0" if MOTHER_ID[-1] != "0" else "1")
        ),
    )
    return _replace(guardians=guardians)


def case_id_birthdate() -> Case:
    body = "360102" + "20190230" + "123"
    number = body + ric.calc_check_digit(body + "0")
    f = clean_facts()
    return _replace(grandparents=(dataclasses.replace(f.grandparents[0], id_number=number),))


def case_id_region_unknown() -> Case:
    f = clean_facts()
    # 360106 looks like a Nanchang district but is in no code table (the old-but-known
    # 360102 of the clean grandparent, born 1958, must NOT produce this finding)
    old = make_id("360106", dt.date(1958, 2, 1), 17)
    return _replace(grandparents=(dataclasses.replace(f.grandparents[0], id_number=old),))


def case_policy_mismatch() -> Case:
    return _replace(city="登封市")


def case_age_too_young() -> Case:
    f = clean_facts()
    young = make_id("360102", dt.date(2020, 9, 1), 123)  # 5 on 2026-08-31
    return _replace(student=dataclasses.replace(f.student, id_number=young))


def case_age_too_old() -> Case:
    f = clean_facts()
    old = make_id("360102", dt.date(2017, 8, 30), 123)  # 9 on 2026-08-31
    return _replace(student=dataclasses.replace(f.student, id_number=old))


def case_grandparent_age_gap() -> Case:
    f = clean_facts()
    gp = make_id("360102", dt.date(1995, 1, 1), 17)  # 24 years older than the student
    return _replace(grandparents=(dataclasses.replace(f.grandparents[0], id_number=gp),))


def case_cert_after_cutoff() -> Case:
    f = clean_facts()
    late = dataclasses.replace(f.properties[0], issue_date=CUTOFF + dt.timedelta(days=1))
    return _replace(properties=(late,))


def case_rental_too_short() -> Case:
    f = clean_facts()
    short = dataclasses.replace(f.rentals[0], start_date=dt.date(2025, 6, 1))
    return _replace(rentals=(short,))


def case_permit_too_short() -> Case:
    f = clean_facts()
    short = dataclasses.replace(f.permits[0], start_date=dt.date(2025, 6, 1))
    return _replace(permits=(short,))


def case_permit_expired() -> Case:
    f = clean_facts()
    expired = dataclasses.replace(f.permits[0], valid_until=dt.date(2026, 5, 30))
    return _replace(permits=(expired,))


def case_property_reused() -> Case:
    f = clean_facts()
    use = PropertyUse(
        cert_number=f.properties[0].cert_number,
        admission_year=2025,
        student_id_number=make_id("360104", dt.date(2012, 3, 3), 5),
        guardian_id_numbers=frozenset({make_id("360104", dt.date(1980, 3, 3), 7)}),
        case_ref="NC2025-000777",
    )
    return f, POLICY, CheckContext(property_uses=(use,), today=TODAY)


def case_demolition_expired() -> Case:
    demolition = PropertyRecord(
        cert_type=CertType.DEMOLITION,
        cert_number="CQ-2023-118",
        issue_date=dt.date(2023, 5, 30),
        nature=PropertyNature.RESIDENTIAL,
        owner_name="王建国",
        owner_id_number=FATHER_ID,
        address="南昌市东湖区老城巷3号",
    )
    return _replace(properties=(demolition,))


def case_missing_document() -> Case:
    return _replace(attachments=GUARDIANSHIP_ATTACHMENTS[1:])


def case_image_unreadable() -> Case:
    extra = _att("其他材料", readable=False, reason="图片模糊")
    return _replace(attachments=(*GUARDIANSHIP_ATTACHMENTS, extra))


def case_duplicate_student() -> Case:
    return (
        clean_facts(),
        POLICY,
        CheckContext(other_open_cases_for_student=("NC2026-000999",), today=TODAY),
    )


# code: (builder, fact path, severity, a concrete value the message must name)
CASES: dict[str, tuple[Callable[[], Case], str, Severity, str]] = {
    "ID_INVALID": (case_id_invalid, "guardians[1].id_number", Severity.ERROR, MOTHER_ID[:6]),
    "ID_BIRTHDATE": (case_id_birthdate, "grandparents[0].id_number", Severity.ERROR, "20190230"),
    "ID_REGION_UNKNOWN": (
        case_id_region_unknown,
        "grandparents[0].id_number",
        Severity.INFO,
        "360106",
    ),
    "POLICY_MISMATCH": (case_policy_mismatch, "city", Severity.WARNING, "登封市"),
    "AGE_TOO_YOUNG": (case_age_too_young, "student.id_number", Severity.ERROR, "5周岁"),
    "AGE_TOO_OLD": (case_age_too_old, "student.id_number", Severity.ERROR, "9周岁"),
    "GRANDPARENT_AGE_GAP": (
        case_grandparent_age_gap,
        "grandparents[0].id_number",
        Severity.WARNING,
        "24岁",
    ),
    "CERT_AFTER_CUTOFF": (
        case_cert_after_cutoff,
        "properties[0].issue_date",
        Severity.ERROR,
        "2026年6月1日",
    ),
    "RENTAL_TOO_SHORT": (
        case_rental_too_short,
        "rentals[0].start_date",
        Severity.ERROR,
        "2025年6月1日",
    ),
    "PERMIT_TOO_SHORT": (
        case_permit_too_short,
        "permits[0].start_date",
        Severity.ERROR,
        "2025年6月1日",
    ),
    "PERMIT_EXPIRED": (
        case_permit_expired,
        "permits[0].valid_until",
        Severity.ERROR,
        "2026年5月30日",
    ),
    "PROPERTY_REUSED": (
        case_property_reused,
        "properties[0].cert_number",
        Severity.ERROR,
        "NC2025-000777",
    ),
    "DEMOLITION_EXPIRED": (
        case_demolition_expired,
        "properties[0].issue_date",
        Severity.ERROR,
        "2023年5月30日",
    ),
    "MISSING_DOCUMENT": (
        case_missing_document,
        "checklist.divorce_certificate",
        Severity.ERROR,
        "离婚证",
    ),
    "IMAGE_UNREADABLE": (case_image_unreadable, "attachments[4]", Severity.WARNING, "图片模糊"),
    "DUPLICATE_STUDENT": (
        case_duplicate_student,
        "student.id_number",
        Severity.WARNING,
        "NC2026-000999",
    ),
}


def test_every_code_has_a_case() -> None:
    assert set(CASES) == set(FINDING_CODES)
    assert len(FINDING_CODES) == len(set(FINDING_CODES))


@pytest.mark.parametrize("code", FINDING_CODES)
def test_minimal_case_produces_exactly_its_code(code: str) -> None:
    build, fact, severity, value = CASES[code]
    findings = run_checks(*build())
    assert _codes(findings) == [code], findings
    (finding,) = findings
    assert finding.fact == fact
    assert finding.severity is severity
    assert value in finding.message, finding.message


# ---------------------------------------------------------------- rule details


def _run(facts: CaseFacts, context: CheckContext | None = None) -> list[Finding]:
    return run_checks(facts, POLICY, context or clean_context())


@pytest.mark.parametrize("who", ["student", "guardians[0]", "grandparents[0]"])
def test_checksum_error_for_every_person(who: str) -> None:
    f = clean_facts()
    if who == "student":
        f = dataclasses.replace(
            f, student=dataclasses.replace(f.student, id_number=_with_digit_changed(STUDENT_ID, 3))
        )
    elif who == "guardians[0]":
        g = dataclasses.replace(f.guardians[0], id_number=_with_digit_changed(FATHER_ID, 3))
        f = dataclasses.replace(f, guardians=(g, f.guardians[1]))
    else:
        gp = dataclasses.replace(
            f.grandparents[0], id_number=_with_digit_changed(GRANDFATHER_ID, 3)
        )
        f = dataclasses.replace(f, grandparents=(gp,))
    invalid = _only(_run(f), "ID_INVALID")
    assert [x.fact for x in invalid] == [f"{who}.id_number"]


def test_invalid_student_id_skips_age_checks() -> None:
    f = clean_facts()
    f = dataclasses.replace(f, student=dataclasses.replace(f.student, id_number="36010220191215"))
    assert _codes(_run(f)) == ["ID_INVALID"]


def test_id_message_does_not_leak_birth_date() -> None:
    f, policy, ctx = case_id_invalid()
    (finding,) = run_checks(f, policy, ctx)
    assert MOTHER_ID[6:14] not in finding.message


def test_future_birth_date_is_id_birthdate() -> None:
    f = clean_facts()
    future = make_id("360102", dt.date(2026, 7, 1), 123)
    f = dataclasses.replace(f, student=dataclasses.replace(f.student, id_number=future))
    findings = _run(f)
    assert _codes(findings) == ["ID_BIRTHDATE"]
    assert "晚于今天" in findings[0].message


def test_rural_house_owner_id_checked() -> None:
    f = dataclasses.replace(
        clean_facts(),
        rural_house=RuralHouseFacts(
            "王德福", _with_digit_changed(GRANDFATHER_ID, 8), "祖父", "新建区某村", "农房"
        ),
    )
    assert [x.fact for x in _only(_run(f), "ID_INVALID")] == ["rural_house.owner_id_number"]


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (dt.date(2020, 8, 31), None),  # exactly 6 on 2026-08-31
        (dt.date(2020, 9, 1), "AGE_TOO_YOUNG"),
        (dt.date(2017, 9, 1), None),  # 8 on the reference date
        (dt.date(2017, 8, 31), "AGE_TOO_OLD"),  # turns 9 on the reference date
    ],
)
def test_age_window_boundaries(birth: dt.date, code: str | None) -> None:
    f = clean_facts()
    f = dataclasses.replace(
        f, student=dataclasses.replace(f.student, id_number=make_id("360102", birth, 1))
    )
    assert _codes(_run(f)) == ([code] if code else [])


def test_junior_stage_uses_junior_window() -> None:
    f = dataclasses.replace(clean_facts(), stage=Stage.JUNIOR)
    assert _codes(_run(f)) == ["AGE_TOO_YOUNG"]  # a 6-year-old cannot enter junior school
    f = dataclasses.replace(
        f,
        student=dataclasses.replace(f.student, id_number=make_id("360102", dt.date(2014, 3, 1), 1)),
    )
    assert _codes(_run(f)) == []


def test_stage_missing_from_policy() -> None:
    policy = load_policy(POLICIES_DIR / "nanchang-2023.json")  # primary only
    f = dataclasses.replace(clean_facts(), admission_year=2023, stage=Stage.JUNIOR)
    findings = run_checks(f, policy, CheckContext(today=dt.date(2023, 6, 10)))
    assert [(x.code, x.fact) for x in findings if x.code.startswith(("POLICY", "AGE"))] == [
        ("POLICY_MISMATCH", "stage")
    ]


@pytest.mark.parametrize(
    ("start", "end", "short"),
    [
        (dt.date(2025, 5, 31), None, False),  # exactly 12 months by the cutoff
        (dt.date(2025, 6, 1), None, True),
        (dt.date(2024, 1, 1), dt.date(2025, 1, 1), False),  # held 12 months, ended
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), True),  # ended before 12 months
    ],
)
def test_rental_length(start: dt.date, end: dt.date | None, short: bool) -> None:
    f = clean_facts()
    rental = dataclasses.replace(f.rentals[0], start_date=start, end_date=end)
    codes = _codes(_run(dataclasses.replace(f, rentals=(rental,))))
    assert codes == (["RENTAL_TOO_SHORT"] if short else [])


def test_permit_valid_at_cutoff_but_expired_today() -> None:
    f = clean_facts()
    permit = dataclasses.replace(f.permits[0], valid_until=dt.date(2026, 6, 5))
    f = dataclasses.replace(f, permits=(permit,))
    findings = _run(f)
    assert _codes(findings) == ["PERMIT_EXPIRED"]
    assert "已过期" in findings[0].message
    # without a "today" only the cutoff matters
    assert _run(f, CheckContext(today=None)) == []


def test_permit_expiring_on_cutoff_is_still_valid() -> None:
    f = clean_facts()
    permit = dataclasses.replace(f.permits[0], valid_until=CUTOFF)
    # submitted on the cutoff date: a permit must also be valid on the submission date
    submitted = dt.datetime.combine(CUTOFF, dt.time(9, 30))
    f = dataclasses.replace(f, permits=(permit,), submitted_at=submitted)
    assert _run(f, CheckContext(today=CUTOFF)) == []


# Residence permits (居住证) must be "在有效期内" (seed 003) on the policy cutoff date and on
# the submission date. "Valid until D" includes D: a permit is expired on day D only when
# valid_until < D, as the cutoff check has always treated it.
SUBMITTED = dt.datetime(2026, 6, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY = dt.timedelta(days=1)


def _permit_findings(valid_until: dt.date, submitted_at: dt.datetime) -> list[Finding]:
    f = clean_facts()
    permit = dataclasses.replace(f.permits[0], valid_until=valid_until)
    f = dataclasses.replace(f, permits=(permit,), submitted_at=submitted_at)
    # No "today", as at intake: only the cutoff and the submission date count.
    return run_checks(f, POLICY, CheckContext(today=None))


@pytest.mark.parametrize(
    ("valid_until", "expired"),
    [(CUTOFF - DAY, True), (CUTOFF, False), (CUTOFF + DAY, False)],
    ids=["day-before-cutoff", "on-cutoff", "day-after-cutoff"],
)
def test_permit_must_be_valid_on_the_cutoff_date(valid_until: dt.date, expired: bool) -> None:
    # submitted on the cutoff date itself, so the submission-date rule adds nothing here
    on_cutoff = dt.datetime.combine(CUTOFF, dt.time(10, 0), SUBMITTED.tzinfo)
    findings = _permit_findings(valid_until, on_cutoff)
    assert _codes(findings) == (["PERMIT_EXPIRED"] if expired else [])
    if expired:
        (finding,) = findings
        assert finding.fact == "permits[0].valid_until"
        assert "早于截止日期2026年5月31日" in finding.message
        assert "提交" not in finding.message


@pytest.mark.parametrize(
    ("valid_until", "expired"),
    [(SUBMITTED.date() - DAY, True), (SUBMITTED.date(), False), (SUBMITTED.date() + DAY, False)],
    ids=["day-before-submission", "on-submission", "day-after-submission"],
)
def test_permit_must_be_valid_on_the_submission_date(valid_until: dt.date, expired: bool) -> None:
    assert valid_until >= CUTOFF  # all valid on the cutoff date
    findings = _permit_findings(valid_until, SUBMITTED)
    assert _codes(findings) == (["PERMIT_EXPIRED"] if expired else [])
    if expired:
        (finding,) = findings
        assert finding.severity is Severity.ERROR
        assert finding.fact == "permits[0].valid_until"
        assert finding.message == (
            "李芳的居住证（JZZ360100-7788）有效期至2026年6月1日，"
            "早于提交日期2026年6月2日，提交时已不在有效期内"
        )


def test_permit_expired_before_cutoff_is_reported_once() -> None:
    findings = _permit_findings(CUTOFF - DAY, SUBMITTED)
    assert _codes(findings) == ["PERMIT_EXPIRED"]
    assert "截止日期" in findings[0].message


def test_submission_date_is_the_platform_local_date() -> None:
    # 2026-06-02 00:30 in Beijing is still 1 June in UTC: the date the parent saw counts.
    late = dt.datetime(2026, 6, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert _codes(_permit_findings(dt.date(2026, 6, 1), late)) == ["PERMIT_EXPIRED"]


def _use(year: int, student: str, guardians: set[str], cert: str | None = None) -> PropertyUse:
    return PropertyUse(
        cert_number=cert or clean_facts().properties[0].cert_number,
        admission_year=year,
        student_id_number=student,
        guardian_id_numbers=frozenset(guardians),
        case_ref=f"CASE-{year}",
    )


OTHER_CHILD = make_id("360104", dt.date(2015, 5, 5), 9)
OTHER_PARENT = make_id("360104", dt.date(1985, 5, 5), 11)


@pytest.mark.parametrize(
    ("use", "flagged"),
    [
        (_use(2026, OTHER_CHILD, {OTHER_PARENT}), True),  # earlier the same year
        (_use(2024, OTHER_CHILD, {OTHER_PARENT}), True),  # within 3 years: 2024..2026
        (_use(2023, OTHER_CHILD, {OTHER_PARENT}), False),  # outside the window
        (_use(2027, OTHER_CHILD, {OTHER_PARENT}), False),  # not a prior use
        (_use(2025, STUDENT_ID, {OTHER_PARENT}), False),  # same student
        (_use(2025, OTHER_CHILD, {MOTHER_ID}), False),  # sibling: shares a guardian
        (_use(2025, OTHER_CHILD, {MOTHER_ID.lower()}), False),  # case-insensitive x
        (_use(2025, OTHER_CHILD, {OTHER_PARENT}, cert="赣(2020)南昌市不动产权第0099999号"), False),
        (_use(2025, OTHER_CHILD, {OTHER_PARENT}, cert=" 赣(2020)南昌市不动产权第0012345号 "), True),
    ],
)
def test_property_reuse_window_and_family(use: PropertyUse, flagged: bool) -> None:
    findings = _run(clean_facts(), CheckContext(property_uses=(use,), today=TODAY))
    assert _codes(findings) == (["PROPERTY_REUSED"] if flagged else [])


def test_property_reuse_follows_policy_years() -> None:
    policy = dataclasses.replace(POLICY, property_reuse_years=5)
    ctx = CheckContext(property_uses=(_use(2022, OTHER_CHILD, {OTHER_PARENT}),), today=TODAY)
    assert _codes(run_checks(clean_facts(), policy, ctx)) == ["PROPERTY_REUSED"]
    assert run_checks(clean_facts(), POLICY, ctx) == []


@pytest.mark.parametrize(
    ("issued", "expired"),
    [(dt.date(2023, 5, 31), False), (dt.date(2023, 5, 30), True), (dt.date(2025, 1, 1), False)],
)
def test_demolition_validity(issued: dt.date, expired: bool) -> None:
    f = case_demolition_expired()[0]
    prop = dataclasses.replace(f.properties[0], issue_date=issued)
    codes = _codes(_run(dataclasses.replace(f, properties=(prop,))))
    assert codes == (["DEMOLITION_EXPIRED"] if expired else [])


def test_old_real_estate_certificate_is_not_demolition() -> None:
    f = clean_facts()
    prop = dataclasses.replace(f.properties[0], issue_date=dt.date(2005, 1, 1))
    assert _run(dataclasses.replace(f, properties=(prop,))) == []


def test_unreadable_attachment_does_not_satisfy_checklist() -> None:
    atts = (_att("离婚证", readable=False, reason="文件已损坏"), *GUARDIANSHIP_ATTACHMENTS[1:])
    findings = _run(dataclasses.replace(clean_facts(), attachments=atts))
    assert [(x.code, x.fact) for x in findings] == [
        ("MISSING_DOCUMENT", "checklist.divorce_certificate"),
        ("IMAGE_UNREADABLE", "attachments[0]"),
    ]
    assert "无法识别" in findings[0].message
    assert "文件已损坏" in findings[1].message


def test_any_accepted_label_satisfies_item() -> None:
    atts = (_att("离婚证"), _att("民事调解书"), _att("户口簿首页"), _att("户口簿本人页"))
    assert _run(dataclasses.replace(clean_facts(), attachments=atts)) == []


def test_missing_documents_one_per_item_for_the_case_kind() -> None:
    f = dataclasses.replace(clean_facts(), kind=CaseKind.RURAL_HOUSE, attachments=())
    findings = _run(f)
    assert [x.fact for x in findings] == [
        "checklist.hukou_home",
        "checklist.hukou_self",
        "checklist.rural_house_proof",
    ]
    f = dataclasses.replace(
        f, attachments=(_att("户口簿首页"), _att("户口簿本人页"), _att("宅基地证"))
    )
    assert _run(f) == []


def test_optional_checklist_item_not_required() -> None:
    atts = (_att("户口簿（祖父母页）"), _att("出生医学证明"))  # no 亲属关系证明 (optional)
    f = dataclasses.replace(clean_facts(), kind=CaseKind.KINSHIP, attachments=atts)
    assert _run(f) == []
    f = dataclasses.replace(f, attachments=atts[:1])
    assert [x.fact for x in _run(f)] == ["checklist.birth_certificate"]


def test_worst_severity() -> None:
    info = Finding("ID_REGION_UNKNOWN", Severity.INFO, "m", "student.id_number")
    warn = Finding("DUPLICATE_STUDENT", Severity.WARNING, "m", "student.id_number")
    err = Finding("ID_INVALID", Severity.ERROR, "m", "student.id_number")
    assert worst_severity([]) is None
    assert worst_severity([info]) is Severity.INFO
    assert worst_severity([info, warn]) is Severity.WARNING
    assert worst_severity(iter([warn, err, info])) is Severity.ERROR


def test_many_problems_at_once_are_all_reported() -> None:
    f, _, _ = case_rental_too_short()
    f = dataclasses.replace(f, attachments=())
    ctx = CheckContext(other_open_cases_for_student=("X",), today=TODAY)
    codes = _codes(run_checks(f, POLICY, ctx))
    assert codes.count("MISSING_DOCUMENT") == 4
    assert "RENTAL_TOO_SHORT" in codes
    assert "DUPLICATE_STUDENT" in codes
    assert worst_severity(run_checks(f, POLICY, ctx)) is Severity.ERROR


# ---------------------------------------------------------------- helpers and properties


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_age_on() -> None:
    assert age_on(dt.date(2020, 8, 31), dt.date(2026, 8, 31)) == 6
    assert age_on(dt.date(2020, 9, 1), dt.date(2026, 8, 31)) == 5


@given(
    birth=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2000, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    pos=st.integers(min_value=0, max_value=16),
)
def test_guardian_id_valid_iff_unchanged(birth: dt.date, seq: int, pos: int) -> None:
    f = clean_facts()
    good = make_id("360102", birth, seq)
    g = dataclasses.replace(f.guardians[0], id_number=good)
    assert _only(_run(dataclasses.replace(f, guardians=(g, f.guardians[1]))), "ID_INVALID") == []
    bad = dataclasses.replace(g, id_number=_with_digit_changed(good, pos))
    invalid = _only(_run(dataclasses.replace(f, guardians=(bad, f.guardians[1]))), "ID_INVALID")
    assert [x.fact for x in invalid] == ["guardians[0].id_number"]


@given(start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_rental_flag_matches_twelve_month_rule(start: dt.date) -> None:
    f = clean_facts()
    rental = dataclasses.replace(f.rentals[0], start_date=start)
    flagged = "RENTAL_TOO_SHORT" in _codes(_run(dataclasses.replace(f, rentals=(rental,))))
    # independent formulation: held a full year iff the anniversary is on or before the cutoff
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = dt.date(start.year + 1, 2, 28)
    assert flagged == (anniversary > CUTOFF)
