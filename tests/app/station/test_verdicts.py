"""The verdict rules, one reason at a time (judge is pure: its inputs are built here from a
slip signed with a real key; the store's side is the VerifiedSlip it would hand over)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.notices.printing import IN_FORCE, SUPERSEDED, UNKNOWN, VerifiedSlip
from app.notices.signing import SlipPayload, generate_keypair, public_key_file_text, sign_payload
from app.station import keyring
from app.station import verdicts as v
from app.station.keyring import check_offline, station_key
from app.station.verdicts import Facts, PreviousScan, StoreAnswer, Student, judge

NOW = dt.datetime(2026, 9, 1, 1, 30, tzinfo=dt.UTC)
SCHOOL = "育新学校"
PAYLOAD = SlipPayload("202636010200001", 1, "approve", "2026-08-20", "R0002", "S-1", "360102")


@pytest.fixture(scope="module")
def signed() -> tuple[str, keyring.StationKey]:
    private, public = generate_keypair()
    text = sign_payload(PAYLOAD, private, key_id=1)
    key = station_key(
        public_key_file_text(public, district_code="360102", district_name="东湖区", key_id=1)
    )
    return text, key


def facts(signed: tuple[str, keyring.StationKey], **store: object) -> Facts:
    text, key = signed
    verified = VerifiedSlip(PAYLOAD, "东湖区", "recorded", IN_FORCE, True, key_id=1)
    answer = StoreAnswer(
        verified=dataclasses.replace(verified, **store),  # type: ignore[arg-type]
        student=Student("王小明", "360102********100X", SCHOOL, "guardianship"),
    )
    return Facts(check_offline(text, [key]), SCHOOL, None, answer)


def test_in_force_printed_this_school_approval_first_time_is_green(signed) -> None:  # type: ignore[no-untyped-def]
    verdict = judge(facts(signed), NOW)
    assert (verdict.level, verdict.codes, verdict.headline) == (v.VALID, (), "有效")


@pytest.mark.parametrize(
    ("store", "level", "code"),
    [
        ({"decision_state": SUPERSEDED}, v.INVALID, v.SUPERSEDED_DECISION),
        ({"decision_state": UNKNOWN}, v.CAUTION, v.UNKNOWN_DECISION),
        ({"printed": False}, v.CAUTION, v.NO_PRINT_RECORD),
        (
            {"key_state": "retired", "key_retired_on": dt.date(2026, 8, 1)},
            v.CAUTION,
            v.DATED_AFTER_RETIREMENT,
        ),
        (
            {"source": "this computer's copy (the central store is unreachable)"},
            v.CAUTION,
            v.STALE_COPY,
        ),
    ],
)
def test_what_the_store_says_decides(signed, store, level, code) -> None:  # type: ignore[no-untyped-def]
    verdict = judge(facts(signed, **store), NOW)
    assert verdict.level == level and verdict.codes == (code,)
    assert verdict.text == v.REASON_WORDS[code].replace("%1", "2026-08-01")


def test_a_store_that_cannot_answer_leaves_the_signature_only(signed) -> None:  # type: ignore[no-untyped-def]
    base = facts(signed)
    for refused, code in (("cannot", v.STORE_CANNOT_CHECK), ("down", v.STORE_DOWN)):
        verdict = judge(dataclasses.replace(base, answer=StoreAnswer(refused=refused)), NOW)
        assert verdict.level == v.CAUTION and verdict.codes == (code,)
        assert verdict.headline == "签名真实" and not verdict.state_checked
    rejected = judge(dataclasses.replace(base, answer=StoreAnswer(refused="forged")), NOW)
    assert rejected.level == v.INVALID and rejected.codes == (v.STORE_REJECTS,)
    assert rejected.payload is None


def test_school_not_set_and_reasons_in_order(signed) -> None:  # type: ignore[no-untyped-def]
    previous = PreviousScan(NOW - dt.timedelta(hours=1), "东门", 2)
    base = dataclasses.replace(facts(signed, printed=False), school=None, previous=previous)
    verdict = judge(base, NOW)
    assert verdict.codes == (v.REPEAT, v.NO_PRINT_RECORD, v.SCHOOL_NOT_SET)
    assert verdict.headline == "已核验过"
    assert verdict.reasons[0].text == "此通知单已于 2026-09-01 08:30 在 东门 核验过（此前共 2 次）"


def test_fill_replaces_in_one_pass() -> None:
    assert v.fill("%1 和 %2", ("%2", "乙")) == "%2 和 乙"
    assert v.fill("%1 %3", ("甲",)) == "甲 %3"
