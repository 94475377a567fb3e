"""PRC resident ID numbers (居民身份证号码): validation, masking and generation.

The check digit and birth date use python-stdnum's ``stdnum.cn.ric`` helpers, but the
region (area) code is only advisory: ``ric.validate`` rejects real numbers whose code
was retired or renamed, or whose code was created after the holder's birth year
(python-stdnum issue #442; codes are assigned when the ID is issued, so many people born
before 1983 carry a code that "did not exist" in their birth year). So the region never
makes a number invalid. Two advisory fields report it:

* ``region_known``: stdnum's own check passes (code in use in the birth year);
* ``region_name``: the place the code names in stdnum's table for any period, or None
  when the table does not know the code at all.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from stdnum.cn import ric

Problem = Literal["format", "checksum", "birthdate"]
Sex = Literal["M", "F"]

ID_LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900

_FORMAT_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_WHITESPACE_RE = re.compile(r"\s+")
_LOWER_X_RE = re.compile(r"[0-9]{17}x")
# An ID-shaped token in free text: 17 to 19 ASCII digits, perhaps one letter after them
# (a check X, or a typo), standing alone (no ASCII letter or digit either side). 15-digit
# case numbers, byte counts and sha256 digests do not match; a 17- or 19-digit mistyped
# ID does.
_ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17,19}[A-Za-z]?(?![0-9A-Za-z])")

PROBLEM_LABELS: dict[str, str] = {
    "format": "格式错误（应为17位数字加1位数字或X）",
    "checksum": "校验码错误",
    "birthdate": "出生日期无效",
}


@dataclass(frozen=True)
class IdCheck:
    """Result of checking one resident ID number.

    ``birth_date`` and ``sex`` are filled whenever the number is valid. ``region_known``
    and ``region_name`` are advisory only (see the module docstring) and never make a
    number invalid.
    """

    number: str
    valid: bool
    problem: Problem | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None
    region_known: bool = False
    region_name: str | None = None

    @property
    def problem_label(self) -> str | None:
        """Chinese description of ``problem`` for display."""
        return PROBLEM_LABELS[self.problem] if self.problem else None


def normalize_id(number: str | None) -> str:
    """Fold full-width characters, drop all whitespace and upper-case a trailing x."""
    if not number:
        return ""
    folded = unicodedata.normalize("NFKC", str(number))
    return _WHITESPACE_RE.sub("", folded).upper()


def canonical_id(value: str) -> str:
    """The stored form of a submitted ID: a lowercase check ``x`` becomes ``X``.

    Only an otherwise well-formed value (17 ASCII digits then ``x``) is changed, through
    ``stdnum.cn.ric.compact``; anything else comes back unchanged, so intake still refuses
    what is not an 18-character ID (spaces, full-width digits, wrong length) instead of
    silently repairing it.
    """
    if isinstance(value, str) and _LOWER_X_RE.fullmatch(value):
        return str(ric.compact(value))
    return value


def _region_known(number: str) -> bool:
    """Whether stdnum's table has the area code of a well-formed ID (birth date valid) for
    its birth year: only those two parts matter, and they repeat from ID to ID."""
    return _region_known_in(number[:6], number[6:10])


@lru_cache(maxsize=8192)
def _region_known_in(code: str, year: str) -> bool:
    try:
        # The table lookup of the ID's code and birth year (the rest does not take part).
        ric.get_birth_place(f"{code}{year}01010000")
    except Exception:  # stdnum raises InvalidComponent, and KeyError for some partial codes
        return False
    return True


@lru_cache(maxsize=8192)
def region_name(code: str) -> str | None:
    """Province and county named by a 6-digit area code in stdnum's table (any period).

    Returns None when the table has no county entry for the code. A code reused over
    time gives its most recent name.
    """
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    try:
        from stdnum import numdb

        parts = numdb.get("cn/loc").info(code)
    except Exception:
        return None
    info = {k: v for _part, props in parts for k, v in props.items()}
    county = info.get("county")
    if not county:
        return None
    latest = county.split(",")[-1]
    if latest.startswith("["):
        latest = latest.split("]", 1)[1]
    return f"{info.get('province', '')}{latest}"


def check_id(number: str | None, today: dt.date | None = None) -> IdCheck:
    """Check format, check digit and birth date of an 18-character resident ID.

    Problems are reported in this order: ``format``, ``checksum``, ``birthdate``. The
    birth date is invalid when it is not a real calendar date, before 1900, or (when
    ``today`` is given) after ``today``.
    """
    norm = normalize_id(number)
    if not _FORMAT_RE.match(norm):
        return IdCheck(number=norm, valid=False, problem="format")
    if ric.calc_check_digit(norm) != norm[-1]:
        return IdCheck(number=norm, valid=False, problem="checksum")
    try:
        birth = ric.get_birth_date(norm)
    except Exception:
        return IdCheck(number=norm, valid=False, problem="birthdate")
    if birth.year < EARLIEST_BIRTH_YEAR or (today is not None and birth > today):
        return IdCheck(number=norm, valid=False, problem="birthdate", birth_date=birth)
    sex: Sex = "M" if int(norm[16]) % 2 == 1 else "F"
    return IdCheck(
        number=norm,
        valid=True,
        problem=None,
        birth_date=birth,
        sex=sex,
        region_known=_region_known(norm),
        region_name=region_name(norm[:6]),
    )


def is_valid_id(number: str | None) -> bool:
    """True when the number passes format, check digit and birth-date checks."""
    return check_id(number).valid


def mask_id(number: str | None) -> str:
    """Mask an ID for display: keep the first 6 and the last 4 characters.

    Never raises. Input that is not 18 characters long is masked more strictly so that no
    birth date can leak: only the first 6 characters are kept when it is longer than 10,
    otherwise everything is masked.
    """
    if number is not None and len(number) == ID_LENGTH and number.isascii() and number.isalnum():
        # The common case (a clean stored number), without Unicode folding: lists mask
        # thousands of these.
        return number[:6] + "********" + number[-4:].upper()
    try:
        norm = normalize_id(number)
    except Exception:
        return ""
    n = len(norm)
    if n == ID_LENGTH:
        return norm[:6] + "*" * (n - 10) + norm[-4:]
    if n > 10:
        return norm[:6] + "*" * (n - 6)
    return "*" * n


def mask_ids_in_text(text: str) -> str:
    """``text`` with every ID-shaped token masked as :func:`mask_id` does.

    The safety net for messages that quote what a parent typed (a certificate number, a
    file name, a submission id): 17 to 19 digits in a row, with perhaps one letter after
    them, standing alone, are taken for an ID number (or a mistyped one) and masked.
    """
    if not text:
        return text
    return _ID_IN_TEXT_RE.sub(lambda m: mask_id(m.group()), text)


def make_id(region: str, birth: dt.date, seq: int) -> str:
    """Build a valid 18-character ID with the correct check digit.

    ``region`` is a 6-digit area code, ``seq`` the 3-digit sequence 0–999 (odd = male).
    """
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be in 0..999, got {seq}")
    if not 1000 <= birth.year <= 9999:
        raise ValueError(f"birth year must have 4 digits, got {birth.year}")
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")
