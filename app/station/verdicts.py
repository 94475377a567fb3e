"""What the station says about a scanned slip: green, red or amber, and why, in plain Chinese.

A verdict is a pure function of what was found (:func:`judge`): the offline check against the
station's key files, what the store says (when it could be asked), the station's school and
the slip's earlier scans here. Levels:

* ``valid`` (green 有效): genuine, its decision in force per the store, printed, for this
  school, an approval, and not presented here before;
* ``invalid`` (red 无效): no slip, forged or altered, another district's, its key revoked,
  its decision undone or superseded;
* ``caution`` (amber): genuine but something the clerk must look at — state not checked
  (offline), another school's, presented before, not an approval, unknown to the store — or
  it cannot be checked here at all (the key it names is missing).

The Chinese wording lives here (the command line and the exported log use it); the window
shows the same sentences through Qt's translations (``ui/station/words.py``, kept word for
word equal by a test).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from app.notices.printing import (
    CHINA_TZ,
    IN_FORCE,
    OUTCOME_WORDS,
    SUPERSEDED,
    UNDONE,
    UNKNOWN,
    VerifiedSlip,
)
from app.notices.signing import SlipPayload
from app.station import keyring

VALID: Final = "valid"
INVALID: Final = "invalid"
CAUTION: Final = "caution"
LEVEL_WORDS: Final[dict[str, str]] = {VALID: "有效", INVALID: "无效", CAUTION: "请核实"}

# Reasons, most important first: the first one found is the verdict's headline.
NOT_A_SLIP: Final = "not_a_slip"
FORGED: Final = "forged"
OTHER_DISTRICT: Final = "other_district"
REVOKED: Final = "revoked"
UNDONE_DECISION: Final = "undone"
SUPERSEDED_DECISION: Final = "superseded"
STORE_REJECTS: Final = "store_rejects"
KEY_MISSING: Final = "key_missing"
NO_KEYS: Final = "no_keys"
OTHER_SCHOOL: Final = "other_school"
NOT_APPROVAL: Final = "not_approval"
REPEAT: Final = "repeat"
UNKNOWN_DECISION: Final = "unknown_decision"
NO_PRINT_RECORD: Final = "no_print_record"
DATED_AFTER_RETIREMENT: Final = "dated_after_retirement"
OFFLINE: Final = "offline"
STORE_DOWN: Final = "store_down"
STORE_CANNOT_CHECK: Final = "store_cannot_check"
STALE_COPY: Final = "stale_copy"
SCHOOL_NOT_SET: Final = "school_not_set"

INVALID_REASONS: Final = (
    NOT_A_SLIP,
    FORGED,
    OTHER_DISTRICT,
    REVOKED,
    UNDONE_DECISION,
    SUPERSEDED_DECISION,
    STORE_REJECTS,
)
CAUTION_REASONS: Final = (
    KEY_MISSING,
    NO_KEYS,
    OTHER_SCHOOL,
    NOT_APPROVAL,
    REPEAT,
    UNKNOWN_DECISION,
    NO_PRINT_RECORD,
    DATED_AFTER_RETIREMENT,
    OFFLINE,
    STORE_DOWN,
    STORE_CANNOT_CHECK,
    STALE_COPY,
    SCHOOL_NOT_SET,
)
REASON_ORDER: Final = INVALID_REASONS + CAUTION_REASONS

# %1, %2, %3: the reason's arguments, in order.
REASON_WORDS: Final[dict[str, str]] = {
    NOT_A_SLIP: "这不是审核通知单的二维码",
    FORGED: "伪造或被篡改：签名与区教育局的公钥不符",
    OTHER_DISTRICT: "其他区县的通知单（区县代码 %1），不是本区签发的",
    REVOKED: "签发所用的密钥已于 %1 吊销（%2），此通知单作废",
    UNDONE_DECISION: "审核决定已撤销，此通知单作废",
    SUPERSEDED_DECISION: "审核决定已被新的决定取代，此通知单作废",
    STORE_REJECTS: "签名与数据库中登记的区县密钥不符",
    KEY_MISSING: "本站没有区县 %1 的第 %2 号公钥，无法核验签名：请向区教育局索取公钥文件",
    NO_KEYS: "本站没有区县 %1 的公钥，也无法连接数据库，无法核验签名",
    OTHER_SCHOOL: "其他学校的通知单：%1（本站：%2）",
    NOT_APPROVAL: "这是“%1”，不是审核通过通知单",
    REPEAT: "此通知单已于 %1 在 %2 核验过（此前共 %3 次）",
    UNKNOWN_DECISION: "签名真实，但数据库中查不到这个审核决定：请联系区教育局",
    NO_PRINT_RECORD: "签名真实，但数据库中没有这个流水号的打印记录：请联系区教育局",
    DATED_AFTER_RETIREMENT: "签发日期晚于所用密钥的停用日期（%1）：请联系区教育局",
    OFFLINE: "签名真实；离线核验，决定状态和学校未核对",
    STORE_DOWN: "签名真实；无法连接数据库，决定状态和学校未核对",
    STORE_CANNOT_CHECK: "签名真实；数据库无法核对这张通知单，决定状态和学校未核对",
    STALE_COPY: "中心数据库无法连接，决定状态按本机副本核对",
    SCHOOL_NOT_SET: "本站未设置学校，未核对是否为本校的通知单",
}

# The big word of an amber verdict, by its first reason (red is 无效, green 有效).
CAUTION_HEADLINES: Final[dict[str, str]] = {
    KEY_MISSING: "无法核验",
    NO_KEYS: "无法核验",
    OTHER_SCHOOL: "非本校",
    NOT_APPROVAL: "非通过通知单",
    REPEAT: "已核验过",
    OFFLINE: "签名真实",
    STORE_DOWN: "签名真实",
    STORE_CANNOT_CHECK: "签名真实",
}

# Where the decision's state was checked (``VerifiedSlip.source`` says it in English).
SOURCE_STORE, SOURCE_CENTRAL, SOURCE_COPY = "store", "central", "copy"
_SOURCES: Final[dict[str, str]] = {
    "this store": SOURCE_STORE,
    "the central store (synced just now)": SOURCE_CENTRAL,
    "this computer's copy (the central store is unreachable)": SOURCE_COPY,
}
SOURCE_WORDS: Final[dict[str, str]] = {
    SOURCE_STORE: "数据库",
    SOURCE_CENTRAL: "中心数据库（刚刚同步）",
    SOURCE_COPY: "本机副本（中心数据库无法连接）",
}

_ARG_RE: Final = re.compile(r"%([1-9])")


def fill(template: str, args: Sequence[str]) -> str:
    """``template`` with %1, %2 … replaced by ``args`` in one pass (an argument holding
    ``%2`` stays as it is)."""
    return _ARG_RE.sub(
        lambda m: args[int(m.group(1)) - 1] if int(m.group(1)) <= len(args) else m.group(0),
        template,
    )


@dataclass(frozen=True)
class Reason:
    """One reason of a verdict: its code and the words that fill its sentence."""

    code: str
    args: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return fill(REASON_WORDS[self.code], self.args)


@dataclass(frozen=True)
class Student:
    """Who the slip is for, from the store (the ID number masked: first 6, last 4)."""

    name: str
    masked_id: str
    school: str
    kind: str  # guardianship | rural_house | kinship


@dataclass(frozen=True)
class PreviousScan:
    """The first earlier scan of the same slip at this station, and how many there were."""

    scanned_at: dt.datetime
    station: str
    count: int


@dataclass(frozen=True)
class StoreAnswer:
    """What the store said about a slip: its facts, or why it could not say.

    ``refused``: None (answered), ``"forged"`` (the store's keys refuse the signature),
    ``"cannot"`` (the store cannot check this slip: a workstation copy with the current
    key only, or no key of the district) or ``"down"`` (the store could not be reached).
    """

    verified: VerifiedSlip | None = None
    student: Student | None = None
    refused: str | None = None
    detail: str = ""

    @property
    def source(self) -> str | None:
        if self.verified is None:
            return None
        return _SOURCES.get(self.verified.source, SOURCE_STORE)


@dataclass(frozen=True)
class Verdict:
    """The station's answer to one scan."""

    level: str  # VALID, INVALID or CAUTION
    reasons: tuple[Reason, ...]
    scanned_at: dt.datetime
    payload: SlipPayload | None = None  # the slip's fields, shown only when genuine
    claimed: SlipPayload | None = None  # what the text says, vouched for or not (logged)
    district_name: str | None = None
    key_id: int | None = None
    student: Student | None = None
    state_checked: bool = False  # the store answered for the decision's state
    source: str | None = None  # SOURCE_STORE, SOURCE_CENTRAL or SOURCE_COPY
    scan_id: int | None = None  # the row in the scan log (None: it could not be written)
    log_problem: str | None = None  # why the scan could not be logged (English, one line)
    pending: bool = False  # the store is still being asked: a later verdict follows
    detail: str = ""  # the technical why, in English (logged, not shown at the door)

    @property
    def genuine(self) -> bool:
        """The signature held (here or in the store)."""
        return self.payload is not None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    @property
    def headline(self) -> str:
        """The big word: 有效, 无效, or an amber verdict's own (非本校, 已核验过 …)."""
        if self.level != CAUTION:
            return LEVEL_WORDS[self.level]
        first = self.reasons[0].code if self.reasons else ""
        if first == NOT_APPROVAL and self.payload is not None:
            return OUTCOME_WORDS[self.payload.outcome][0]
        return CAUTION_HEADLINES.get(first, LEVEL_WORDS[CAUTION])

    @property
    def text(self) -> str:
        """Every reason in one line (the log, the command line)."""
        return "；".join(r.text for r in self.reasons) or LEVEL_WORDS[self.level]


@dataclass(frozen=True)
class Facts:
    """Everything :func:`judge` weighs."""

    offline: keyring.OfflineCheck
    school: str | None  # the station's school
    previous: PreviousScan | None = None
    answer: StoreAnswer | None = None  # None: no store asked (offline station)


def same_school(a: str, b: str) -> bool:
    """School names as people type them: spaces and full-width forms do not count."""

    def norm(value: str) -> str:
        return "".join(unicodedata.normalize("NFKC", value).split())

    return norm(a) == norm(b)


def _time(value: dt.datetime) -> str:
    return f"{value.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


def judge(facts: Facts, scanned_at: dt.datetime) -> Verdict:
    """The verdict on one scan (pure: no store, no file)."""
    off = facts.offline
    if off.final:
        if off.outcome == keyring.NOT_A_SLIP:
            reasons: list[Reason] = [Reason(NOT_A_SLIP)]
        elif off.outcome == keyring.FORGED:
            reasons = [Reason(FORGED)]
        else:
            assert off.payload is not None
            reasons = [Reason(OTHER_DISTRICT, (off.payload.district_code,))]
        return Verdict(INVALID, tuple(reasons), scanned_at, claimed=off.payload, detail=off.detail)

    reasons = []
    answer = facts.answer
    verified = answer.verified if answer is not None else None
    payload = off.payload if off.genuine else None
    district_name = off.district_name
    key_id = off.key_id
    student: Student | None = None
    detail = off.detail
    claimed = off.payload
    assert claimed is not None  # not final: the text parsed as a slip
    code = claimed.district_code

    if verified is not None:
        payload = verified.payload
        district_name = verified.district_name or district_name
        key_id = verified.key_id if verified.key_id is not None else key_id
        student = answer.student if answer is not None else None
        if verified.key_revoked:
            reasons.append(
                Reason(
                    REVOKED,
                    (str(verified.key_revoked_on or ""), verified.key_revoked_reason or ""),
                )
            )
        state = verified.decision_state
        if state == UNDONE:
            reasons.append(Reason(UNDONE_DECISION))
        elif state == SUPERSEDED:
            reasons.append(Reason(SUPERSEDED_DECISION))
        elif state == UNKNOWN:
            reasons.append(Reason(UNKNOWN_DECISION))
        elif state == IN_FORCE and not verified.printed:
            reasons.append(Reason(NO_PRINT_RECORD))
        if verified.dated_after_retirement:
            reasons.append(Reason(DATED_AFTER_RETIREMENT, (str(verified.key_retired_on),)))
        if answer is not None and answer.source == SOURCE_COPY:
            reasons.append(Reason(STALE_COPY))
        if student is not None:
            if not facts.school:
                reasons.append(Reason(SCHOOL_NOT_SET))
            elif not same_school(student.school, facts.school):
                reasons.append(Reason(OTHER_SCHOOL, (student.school, facts.school)))
    elif answer is not None and answer.refused == "forged":
        detail = answer.detail
        reasons.append(Reason(STORE_REJECTS if off.genuine else FORGED))
        payload = None
    else:
        if answer is not None:
            detail = answer.detail or detail
        if off.genuine:
            if answer is None:
                reasons.append(Reason(OFFLINE))
            elif answer.refused == "cannot":
                reasons.append(Reason(STORE_CANNOT_CHECK))
            else:
                reasons.append(Reason(STORE_DOWN))
        elif off.outcome == keyring.KEY_MISSING:
            reasons.append(Reason(KEY_MISSING, (code, str(off.key_id or 1))))
        else:
            reasons.append(Reason(NO_KEYS, (code,)))

    if payload is not None:
        if payload.outcome != "approve":
            reasons.append(Reason(NOT_APPROVAL, (OUTCOME_WORDS[payload.outcome][0],)))
        previous = facts.previous
        if previous is not None:
            reasons.append(
                Reason(REPEAT, (_time(previous.scanned_at), previous.station, str(previous.count)))
            )

    reasons.sort(key=lambda r: REASON_ORDER.index(r.code))
    if any(r.code in INVALID_REASONS for r in reasons):
        level = INVALID
    elif reasons:
        level = CAUTION
    else:
        level = VALID
    return Verdict(
        level,
        tuple(reasons),
        scanned_at,
        payload=payload,
        claimed=claimed,
        district_name=district_name,
        key_id=key_id,
        student=student,
        state_checked=verified is not None,
        source=answer.source if answer is not None else None,
        detail=detail,
    )
