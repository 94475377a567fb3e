"""Resident ID numbers: check digit, birth date, advisory region, masking, generation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from app.policy.idnumbers import check_id, is_valid_id, make_id, mask_id, normalize_id

regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
seqs = st.integers(min_value=0, max_value=999)


@given(region=regions, birth=births, seq=seqs)
def test_generated_ids_are_valid(region: str, birth: dt.date, seq: int) -> None:
    number = make_id(region, birth, seq)
    result = check_id(number)
    assert len(number) == 18
    assert result.valid, (number, result)
    assert result.problem is None
    assert result.birth_date == birth
    assert result.sex == ("M" if seq % 2 else "F")
    assert number[:6] == region


@given(
    region=regions,
    birth=births,
    seq=seqs,
    pos=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_single_digit_change_fails_checksum(
    region: str, birth: dt.date, seq: int, pos: int, delta: int
) -> None:
    number = make_id(region, birth, seq)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert changed != number
    result = check_id(changed)
    assert not result.valid
    assert result.problem == "checksum"


@given(region=regions, birth=births, seq=seqs)
def test_mask_keeps_ends_and_hides_birth_date(region: str, birth: dt.date, seq: int) -> None:
    number = make_id(region, birth, seq)
    masked = mask_id(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8
    assert f"{birth:%Y%m%d}" not in masked


@given(st.text(max_size=40))
def test_mask_never_raises_and_never_shows_a_birth_date(text: str) -> None:
    masked = mask_id(text)
    norm = normalize_id(text)
    assert len(masked) == len(norm)
    # at most 6 characters in a row survive, so an 8-digit date can never show
    assert all(len(run) <= 6 for run in masked.split("*"))


def test_mask_garbage_and_short_input() -> None:
    assert mask_id(None) == ""
    assert mask_id("") == ""
    assert mask_id("1234") == "****"
    assert mask_id("36010219900101") == "360102********"  # 14 chars: no tail kept
    assert mask_id(" 3601 0219 9001 0100 1x ") == "360102********001X"


def test_normalize_strips_spaces_and_uppercases_x() -> None:
    assert normalize_id(" 11010519491231002x ") == "11010519491231002X"
    assert normalize_id("110105 1949 1231 002x") == "11010519491231002X"
    # full-width digits and letters as typed with a Chinese IME
    assert normalize_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_id(None) == ""


def test_known_valid_id() -> None:
    result = check_id("11010519491231002X")
    assert result.valid
    assert result.birth_date == dt.date(1949, 12, 31)
    assert result.sex == "F"
    assert result.region_known


def test_lowercase_x_accepted() -> None:
    assert check_id("11010519491231002x").valid


@pytest.mark.parametrize(
    "number",
    [
        "",
        "123",
        "1101051949123100",
        "11010519491231002XX",
        "1101051949123100AX",
        "X1010519491231002",
    ],
)
def test_format_problems(number: str) -> None:
    result = check_id(number)
    assert not result.valid
    assert result.problem == "format"
    assert result.problem_label is not None


def test_checksum_problem() -> None:
    result = check_id("110105194912310021")
    assert not result.valid
    assert result.problem == "checksum"


@pytest.mark.parametrize("date_digits", ["20230230", "20231301", "20230000", "18991231"])
def test_birthdate_problems(date_digits: str) -> None:
    body = "360102" + date_digits + "123"
    number = body + ric.calc_check_digit(body + "0")
    result = check_id(number)
    assert not result.valid
    assert result.problem == "birthdate"


def test_future_birthdate_only_with_today() -> None:
    number = make_id("360102", dt.date(2030, 1, 1), 11)
    assert check_id(number).valid
    result = check_id(number, today=dt.date(2026, 3, 1))
    assert not result.valid
    assert result.problem == "birthdate"
    assert check_id(number, today=dt.date(2030, 1, 1)).valid


def _stdnum_accepts(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # stdnum 2.2 crashes on codes it only knows at province level
        return False


@pytest.mark.parametrize(
    ("region", "birth", "name"),
    [
        # 仙桃市 429004: stdnum only accepts it from 1994, but people born earlier carry it
        ("429004", dt.date(1960, 3, 15), "湖北省仙桃市"),
        # 南昌 东湖区 360102: stdnum only accepts it from 1983 (issue #442)
        ("360102", dt.date(1958, 2, 1), "江西省东湖区"),
        # 南昌 湾里区 360105 was abolished in 2019; stdnum rejects later birth years
        ("360105", dt.date(2020, 1, 1), "江西省湾里区"),
        # 北京 崇文区 110103, merged into 东城区 in 2010
        ("110103", dt.date(2012, 6, 1), "北京市崇文区"),
    ],
)
def test_retired_region_code_is_advisory(region: str, birth: dt.date, name: str) -> None:
    number = make_id(region, birth, 123)
    assert not _stdnum_accepts(number)
    result = check_id(number)
    assert result.valid
    assert result.problem is None
    assert result.region_known is False
    assert result.region_name == name
    assert is_valid_id(number)


@pytest.mark.parametrize("region", ["360106", "999999", "654005"])
def test_region_missing_from_table_is_advisory(region: str) -> None:
    number = make_id(region, dt.date(2015, 6, 1), 123)
    assert not _stdnum_accepts(number)  # for 360106 stdnum even raises KeyError
    result = check_id(number)
    assert result.valid
    assert result.region_known is False
    assert result.region_name is None


def test_known_region_for_matching_year() -> None:
    result = check_id(make_id("429004", dt.date(2000, 1, 1), 1))
    assert result.region_known is True
    assert result.region_name == "湖北省仙桃市"


@pytest.mark.parametrize(
    ("region", "birth", "seq"),
    [
        ("36010", dt.date(2000, 1, 1), 1),
        ("36010a", dt.date(2000, 1, 1), 1),
        ("360102", dt.date(2000, 1, 1), 1000),
    ],
)
def test_make_id_rejects_bad_input(region: str, birth: dt.date, seq: int) -> None:
    with pytest.raises(ValueError):
        make_id(region, birth, seq)
