"""Automatic checks of one case round against its city/year policy.

Pure functions: no I/O, no clock (``CheckContext.today`` or the submission date is the
reference for "now"). Each rule is a small function returning findings; ``run_checks``
runs them all in a fixed order. Finding codes are stable identifiers (stored, filtered
and counted elsewhere); messages are Chinese and name the concrete values.

Messages never hold a resident ID in full (they are stored, synced and shown in lists):
an ID is shown masked (first 6 + last 4), a birth-date problem names the birth date but
not the number (the two together would be the whole number), and every message passes
through :func:`mask_ids_in_text` for what a parent typed into free text. The finding's
``fact`` path leads the reviewer to the field itself in the case's facts view.

Another district's case is named by nothing but "another district" and, for a property,
the year it was used (its ``case_ref`` is :data:`HIDDEN_CASE_REF`): a district sees that a
certificate or a child is already in use elsewhere, never whose (issue 13).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from app.domain import (
    CaseFacts,
    CertType,
    CheckContext,
    Finding,
    Person,
    Policy,
    Severity,
)
from app.policy.idnumbers import check_id, mask_id, mask_ids_in_text, normalize_id

ID_INVALID = "ID_INVALID"
ID_BIRTHDATE = "ID_BIRTHDATE"
ID_REGION_UNKNOWN = "ID_REGION_UNKNOWN"
POLICY_MISMATCH = "POLICY_MISMATCH"
AGE_TOO_YOUNG = "AGE_TOO_YOUNG"
AGE_TOO_OLD = "AGE_TOO_OLD"
GRANDPARENT_AGE_GAP = "GRANDPARENT_AGE_GAP"
CERT_AFTER_CUTOFF = "CERT_AFTER_CUTOFF"
RENTAL_TOO_SHORT = "RENTAL_TOO_SHORT"
PERMIT_TOO_SHORT = "PERMIT_TOO_SHORT"
PERMIT_EXPIRED = "PERMIT_EXPIRED"
PROPERTY_REUSED = "PROPERTY_REUSED"
DEMOLITION_EXPIRED = "DEMOLITION_EXPIRED"
MISSING_DOCUMENT = "MISSING_DOCUMENT"
IMAGE_UNREADABLE = "IMAGE_UNREADABLE"
DUPLICATE_STUDENT = "DUPLICATE_STUDENT"

FINDING_CODES: tuple[str, ...] = (
    ID_INVALID,
    ID_BIRTHDATE,
    ID_REGION_UNKNOWN,
    POLICY_MISMATCH,
    AGE_TOO_YOUNG,
    AGE_TOO_OLD,
    GRANDPARENT_AGE_GAP,
    CERT_AFTER_CUTOFF,
    RENTAL_TOO_SHORT,
    PERMIT_TOO_SHORT,
    PERMIT_EXPIRED,
    PROPERTY_REUSED,
    DEMOLITION_EXPIRED,
    MISSING_DOCUMENT,
    IMAGE_UNREADABLE,
    DUPLICATE_STUDENT,
)

Rule = Callable[[CaseFacts, Policy, CheckContext], Iterator[Finding]]

#: The ``case_ref`` of a property use or open case in another district than the checked
#: case's: the store leaves it empty, and the findings then say only "another district".
HIDDEN_CASE_REF = ""


# ---------------------------------------------------------------- helpers


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the end of the target month."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in common years."""
    return add_months(day, 12 * years)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _today(facts: CaseFacts, context: CheckContext) -> dt.date:
    return context.today if context.today is not None else facts.submitted_at.date()


def _fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _people(facts: CaseFacts) -> Iterator[tuple[str, Person]]:
    yield "student", facts.student
    for i, g in enumerate(facts.guardians):
        yield f"guardians[{i}]", g
    for i, gp in enumerate(facts.grandparents):
        yield f"grandparents[{i}]", gp


def _who(person: Person) -> str:
    return f"{person.relation}{person.name}"


def _finding(code: str, severity: Severity, message: str, fact: str) -> Finding:
    return Finding(code=code, severity=severity, message=mask_ids_in_text(message), fact=fact)


# ---------------------------------------------------------------- rules


def check_policy_match(
    facts: CaseFacts, policy: Policy, context: CheckContext
) -> Iterator[Finding]:
    """The case must be checked against its own city, year and stage."""
    if facts.city != policy.city:
        yield _finding(
            POLICY_MISMATCH,
            Severity.WARNING,
            f"案件城市为{facts.city}，但使用的是{policy.city}的招生政策（{policy.policy_id}）",
            "city",
        )
    if facts.admission_year != policy.year:
        yield _finding(
            POLICY_MISMATCH,
            Severity.WARNING,
            f"案件入学年度为{facts.admission_year}年，但使用的是{policy.year}年的招生政策"
            f"（{policy.policy_id}）",
            "admission_year",
        )
    if facts.stage not in policy.stages:
        yield _finding(
            POLICY_MISMATCH,
            Severity.WARNING,
            f"招生政策 {policy.policy_id} 未规定{facts.stage.label}的年龄要求，无法核对年龄",
            "stage",
        )


def check_ids(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Format, check digit and birth date of every submitted person's ID number.

    The number is shown masked; a birth-date finding shows the birth date instead (the
    masked number and the birth date together would give the whole number away).
    """
    today = _today(facts, context)
    ids: list[tuple[str, str, str]] = [
        (f"{path}.id_number", _who(p), p.id_number) for path, p in _people(facts)
    ]
    if facts.rural_house is not None:
        rh = facts.rural_house
        ids.append(("rural_house.owner_id_number", f"产权人{rh.owner_name}", rh.owner_id_number))
    for fact, who, number in ids:
        result = check_id(number)
        masked = mask_id(number)
        if result.problem in ("format", "checksum"):
            yield _finding(
                ID_INVALID,
                Severity.ERROR,
                f"{who}的身份证号 {masked} {result.problem_label}",
                fact,
            )
        elif result.problem == "birthdate":
            digits = normalize_id(number)[6:14]
            yield _finding(
                ID_BIRTHDATE,
                Severity.ERROR,
                f"{who}的身份证号中的出生日期 {digits} 不是有效的出生日期",
                fact,
            )
        elif result.birth_date is not None and result.birth_date > today:
            yield _finding(
                ID_BIRTHDATE,
                Severity.ERROR,
                f"{who}的身份证号中的出生日期{_fmt(result.birth_date)}晚于今天（{_fmt(today)}）",
                fact,
            )
        elif result.valid and result.region_name is None:
            yield _finding(
                ID_REGION_UNKNOWN,
                Severity.INFO,
                f"{who}的身份证号 {masked} 的地区码 {result.number[:6]} 不在行政区划代码表中，"
                "可能是已撤销、更名或新设的地区码，不影响号码有效性，请留意核对",
                fact,
            )


def check_student_age(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Student's age on the stage's reference date must lie in [min_age, max_age]."""
    stage = policy.stages.get(facts.stage)
    result = check_id(facts.student.id_number, today=_today(facts, context))
    if stage is None or not result.valid or result.birth_date is None:
        return
    age = age_on(result.birth_date, stage.age_reference)
    ref = _fmt(stage.age_reference)
    if age < stage.min_age:
        yield _finding(
            AGE_TOO_YOUNG,
            Severity.ERROR,
            f"学生出生于{_fmt(result.birth_date)}，到{ref}为{age}周岁，"
            f"未满{facts.stage.label}入学年龄{stage.min_age}周岁，本年度不予采集",
            "student.id_number",
        )
    elif age > stage.max_age:
        yield _finding(
            AGE_TOO_OLD,
            Severity.ERROR,
            f"学生出生于{_fmt(result.birth_date)}，到{ref}为{age}周岁，"
            f"超过{facts.stage.label}年龄上限{stage.max_age}周岁，请核对身份证号是否填写有误",
            "student.id_number",
        )


def check_grandparent_age_gap(
    facts: CaseFacts, policy: Policy, context: CheckContext
) -> Iterator[Finding]:
    """A grandparent implausibly close in age to the student suggests a wrong relation or ID."""
    student = check_id(facts.student.id_number)
    if not student.valid or student.birth_date is None:
        return
    for i, gp in enumerate(facts.grandparents):
        result = check_id(gp.id_number)
        if not result.valid or result.birth_date is None:
            continue
        gap = age_on(result.birth_date, student.birth_date)
        if gap < policy.grandparent_min_age_gap:
            yield _finding(
                GRANDPARENT_AGE_GAP,
                Severity.WARNING,
                f"{_who(gp)}出生于{_fmt(result.birth_date)}，学生出生于"
                f"{_fmt(student.birth_date)}，年龄仅相差{gap}岁"
                f"（少于{policy.grandparent_min_age_gap}岁），请核实隔代关系及身份证号",
                f"grandparents[{i}].id_number",
            )


def check_cert_cutoff(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Property titles and agreements count only if issued by the cutoff date."""
    for i, prop in enumerate(facts.properties):
        if prop.issue_date is not None and prop.issue_date > policy.cutoff_date:
            yield _finding(
                CERT_AFTER_CUTOFF,
                Severity.ERROR,
                f"{prop.cert_type.value}（{prop.cert_number}）办理日期为{_fmt(prop.issue_date)}，"
                f"晚于截止日期{_fmt(policy.cutoff_date)}",
                f"properties[{i}].issue_date",
            )


def _held_long_enough(start: dt.date, end: dt.date, months: int) -> bool:
    return add_months(start, months) <= end


def check_rentals(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """A registered rental must have been held at least ``rental_min_months`` by the cutoff."""
    cutoff = policy.cutoff_date
    for i, rental in enumerate(facts.rentals):
        held_until = cutoff
        ended = rental.end_date is not None and rental.end_date < cutoff
        if ended and rental.end_date is not None:
            held_until = rental.end_date
        if _held_long_enough(rental.start_date, held_until, policy.rental_min_months):
            continue
        detail = f"租期至{_fmt(held_until)}已结束" if ended else f"至截止日期{_fmt(cutoff)}"
        yield _finding(
            RENTAL_TOO_SHORT,
            Severity.ERROR,
            f"租赁备案（{rental.registration_number}）起始于{_fmt(rental.start_date)}，"
            f"{detail}不满{policy.rental_min_months}个月",
            f"rentals[{i}].start_date",
        )


def check_permits(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Residence permits: held long enough by the cutoff, and within their validity period
    (在有效期内) on the cutoff date, on the submission date and, when given, today.

    "Valid until D" includes D: a permit has expired on a day only when ``valid_until`` is
    before it. The submission date is the date of ``submitted_at`` as the platform sent
    it (its own UTC offset). One PERMIT_EXPIRED per permit, for the earliest day missed.
    """
    cutoff = policy.cutoff_date
    submitted = facts.submitted_at.date()
    today = context.today
    for i, permit in enumerate(facts.permits):
        if not _held_long_enough(permit.start_date, cutoff, policy.permit_min_months):
            yield _finding(
                PERMIT_TOO_SHORT,
                Severity.ERROR,
                f"{permit.holder_name}的居住证（{permit.number}）办理于{_fmt(permit.start_date)}，"
                f"至截止日期{_fmt(cutoff)}不满{policy.permit_min_months}个月",
                f"permits[{i}].start_date",
            )
        until = permit.valid_until
        if until is None:
            continue
        expired = f"{permit.holder_name}的居住证（{permit.number}）有效期至{_fmt(until)}，"
        if until < cutoff:
            expired += f"早于截止日期{_fmt(cutoff)}"
        elif until < submitted:
            expired += f"早于提交日期{_fmt(submitted)}，提交时已不在有效期内"
        elif today is not None and until < today:
            expired += f"今天（{_fmt(today)}）已过期"
        else:
            continue
        yield _finding(PERMIT_EXPIRED, Severity.ERROR, expired, f"permits[{i}].valid_until")


def _cert_key(number: str) -> str:
    return "".join(number.split()).upper()


def check_property_reuse(
    facts: CaseFacts, policy: Policy, context: CheckContext
) -> Iterator[Finding]:
    """One property serves one family once within ``property_reuse_years`` years."""
    year = facts.admission_year
    first_year = year - policy.property_reuse_years + 1
    student_id = normalize_id(facts.student.id_number)
    guardian_ids = {normalize_id(g.id_number) for g in facts.guardians} - {""}
    for i, prop in enumerate(facts.properties):
        cert = _cert_key(prop.cert_number)
        hidden_years: set[int] = set()
        for use in context.property_uses:
            if _cert_key(use.cert_number) != cert:
                continue
            if not first_year <= use.admission_year <= year:
                continue
            if normalize_id(use.student_id_number) == student_id:
                continue
            if guardian_ids & {normalize_id(g) for g in use.guardian_id_numbers}:
                continue
            if use.case_ref == HIDDEN_CASE_REF:
                # Another district's family: the year, never the case or who.
                if use.admission_year in hidden_years:
                    continue
                hidden_years.add(use.admission_year)
                yield _finding(
                    PROPERTY_REUSED,
                    Severity.ERROR,
                    f"{prop.cert_type.value}（{prop.cert_number}）：该证号在另一区县 "
                    f"{use.admission_year} 年的案件中使用，"
                    f"{policy.property_reuse_years}年内只能作为一个家庭的招生依据，请核实",
                    f"properties[{i}].cert_number",
                )
                continue
            yield _finding(
                PROPERTY_REUSED,
                Severity.ERROR,
                f"{prop.cert_type.value}（{prop.cert_number}）已于{use.admission_year}年"
                f"被其他家庭（案件 {use.case_ref}）用作入学依据，"
                f"{policy.property_reuse_years}年内只能作为一个家庭的招生依据",
                f"properties[{i}].cert_number",
            )


def check_demolition(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Demolition agreements count for ``demolition_valid_years`` years before the cutoff."""
    for i, prop in enumerate(facts.properties):
        if prop.cert_type is not CertType.DEMOLITION or prop.issue_date is None:
            continue
        expires = add_years(prop.issue_date, policy.demolition_valid_years)
        if expires < policy.cutoff_date:
            yield _finding(
                DEMOLITION_EXPIRED,
                Severity.ERROR,
                f"拆迁协议（{prop.cert_number}）签订于{_fmt(prop.issue_date)}，"
                f"至截止日期{_fmt(policy.cutoff_date)}已超过{policy.demolition_valid_years}年有效期",
                f"properties[{i}].issue_date",
            )


def check_checklist(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Every required document of the case kind needs a readable attachment."""
    for item in policy.checklists.get(facts.kind, ()):
        if not item.required:
            continue
        accepted = set(item.accepted_labels)
        matching = [a for a in facts.attachments if a.label.strip() in accepted]
        if any(a.readable for a in matching):
            continue
        message = f"缺少必需材料：{item.label}（可接受：{'、'.join(item.accepted_labels)}）"
        if matching:
            message += f"；已上传的{len(matching)}份无法识别"
        yield _finding(MISSING_DOCUMENT, Severity.ERROR, message, f"checklist.{item.code}")


def check_attachments(facts: CaseFacts, policy: Policy, context: CheckContext) -> Iterator[Finding]:
    """Each unreadable upload is reported with the reason."""
    for i, att in enumerate(facts.attachments):
        if att.readable:
            continue
        name = f"（{att.filename}）" if att.filename else ""
        reason = att.reason or "原因未知"
        yield _finding(
            IMAGE_UNREADABLE,
            Severity.WARNING,
            f"附件「{att.label}」{name}无法识别：{reason}",
            f"attachments[{i}]",
        )


def check_duplicate_student(
    facts: CaseFacts, policy: Policy, context: CheckContext
) -> Iterator[Finding]:
    """The same student must not have another open case."""
    others = context.other_open_cases_for_student
    if others:
        named = [ref for ref in others if ref != HIDDEN_CASE_REF]
        elsewhere = len(others) - len(named)
        if elsewhere:
            named.append(f"另一区县的{elsewhere}个案件")
        yield _finding(
            DUPLICATE_STUDENT,
            Severity.WARNING,
            f"学生{facts.student.name}（{mask_id(facts.student.id_number)}）另有"
            f"{len(others)}个未办结案件：{'、'.join(named)}",
            "student.id_number",
        )


RULES: tuple[Rule, ...] = (
    check_policy_match,
    check_ids,
    check_student_age,
    check_grandparent_age_gap,
    check_cert_cutoff,
    check_rentals,
    check_permits,
    check_property_reuse,
    check_demolition,
    check_checklist,
    check_attachments,
    check_duplicate_student,
)


def run_checks(facts: CaseFacts, policy: Policy, context: CheckContext) -> list[Finding]:
    """Run every rule in order and return all findings."""
    return [finding for rule in RULES for finding in rule(facts, policy, context)]


def worst_severity(findings: Iterable[Finding]) -> Severity | None:
    """The most serious severity among ``findings``, or None when there are none."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
