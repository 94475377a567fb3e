"""Policies as data: shipped files load, malformed files raise PolicyError naming file + key."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain import CaseKind, Outcome, Stage
from app.policy.loader import (
    POLICIES_DIR,
    SCHEMA_PATH,
    PolicyError,
    load_policies,
    load_policy,
    policy_for,
)

SEEDS_DIR = Path("/work/shared/seeds")
POLICY_FILES = sorted(POLICIES_DIR.glob("*.json"))


def _base() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (POLICIES_DIR / "nanchang-2021.json").read_text(encoding="utf-8")
    )
    return data


def _write(tmp_path: Path, data: object, name: str = "nanchang-2021.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# ------------------------------------------------------------------ shipped files


def test_schema_is_draft_2020_12_and_closed() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False


def test_expected_policy_files_exist() -> None:
    names = {p.name for p in POLICY_FILES}
    assert {
        "nanchang-2021.json",
        "nanchang-2023.json",
        "dengfeng-2024.json",
        "nanchang-2026.json",
    } <= names


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_every_policy_file_loads(path: Path) -> None:
    policy = load_policy(path)
    assert policy.policy_id == path.stem
    assert policy.cutoff_date.year == policy.year
    assert set(policy.checklists) == set(CaseKind)
    assert set(policy.four_eyes) == set(CaseKind)
    for stage in policy.stages.values():
        assert stage.min_age <= stage.max_age
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["notes"].strip()


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_policy_sources_are_real_seed_files(path: Path) -> None:
    policy = load_policy(path)
    assert policy.sources
    if SEEDS_DIR.is_dir():
        for source in policy.sources:
            assert (SEEDS_DIR / source).is_file(), source


def test_nanchang_2021_rules_from_the_documents() -> None:
    p = load_policy(POLICIES_DIR / "nanchang-2021.json")
    assert p.city == "南昌市"
    assert p.cutoff_date == dt.date(2021, 5, 31)
    assert p.rental_min_months == 12
    assert p.permit_min_months == 12
    assert p.property_reuse_years == 3
    assert p.demolition_valid_years == 3
    assert set(p.stages) == {Stage.JUNIOR}
    assert Outcome.REJECT in p.four_eyes[CaseKind.GUARDIANSHIP]
    assert Outcome.APPROVE in p.four_eyes[CaseKind.KINSHIP]
    rural = {item.code: item for item in p.checklists[CaseKind.RURAL_HOUSE]}
    assert set(rural["rural_house_proof"].accepted_labels) >= {
        "农房证明",
        "宅基地证",
        "村委会证明",
        "拆迁安置协议",
    }


def test_primary_and_dual_stage_policies() -> None:
    p2023 = load_policy(POLICIES_DIR / "nanchang-2023.json")
    assert set(p2023.stages) == {Stage.PRIMARY}
    assert p2023.stages[Stage.PRIMARY].min_age == 6
    assert p2023.stages[Stage.PRIMARY].age_reference == dt.date(2023, 8, 31)
    for name in ("dengfeng-2024.json", "nanchang-2026.json"):
        assert set(load_policy(POLICIES_DIR / name).stages) == {Stage.PRIMARY, Stage.JUNIOR}
    raw = json.loads((POLICIES_DIR / "nanchang-2026.json").read_text(encoding="utf-8"))
    assert "沿用" in raw["notes"]


def test_load_policies_keys_by_city_and_year() -> None:
    policies = load_policies()
    assert ("南昌市", 2021) in policies
    assert ("登封市", 2024) in policies
    assert policies[("南昌市", 2026)].policy_id == "nanchang-2026"


def test_policy_for() -> None:
    assert policy_for("南昌市", 2023).policy_id == "nanchang-2023"
    with pytest.raises(PolicyError, match="南昌市 2019"):
        policy_for("南昌市", 2019)


def test_policy_for_custom_directory(tmp_path: Path) -> None:
    _write(tmp_path, _base())
    assert policy_for("南昌市", 2021, tmp_path).policy_id == "nanchang-2021"
    with pytest.raises(PolicyError):
        policy_for("登封市", 2024, tmp_path)


# ------------------------------------------------------------------ malformed files


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        keys: list[str | int] = [int(k) if k.isdigit() else k for k in path.split("/")]
        target: Any = data
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value

    return mutate


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        keys: list[str | int] = [int(k) if k.isdigit() else k for k in path.split("/")]
        target: Any = data
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]

    return mutate


MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    # name: (mutation, expected key, expected words in the problem)
    "min_age_not_int": (_set("stages/junior/min_age", "11"), "stages.junior.min_age", "类型"),
    "min_age_gt_max_age": (_set("stages/junior/min_age", 15), "stages.junior.min_age", "大于"),
    "missing_cutoff": (_delete("cutoff_date"), "cutoff_date", "缺少"),
    "extra_top_key": (_set("rental_months", 12), "rental_months", "不允许"),
    "extra_stage_key": (_set("stages/junior/maximum", 14), "stages.junior.maximum", "不允许"),
    "unknown_stage": (_set("stages/senior", {}), "stages.senior", "不允许"),
    "unknown_kind": (_set("checklists/adoption", []), "checklists.adoption", "不允许"),
    "missing_kind": (_delete("checklists/kinship"), "checklists.kinship", "缺少"),
    "no_accepted_labels": (
        _set("checklists/guardianship/0/accepted_labels", []),
        "checklists.guardianship[0].accepted_labels",
        "至少",
    ),
    "blank_accepted_label": (
        _set("checklists/guardianship/0/accepted_labels", ["  "]),
        "checklists.guardianship[0].accepted_labels",
        "没有可接受",
    ),
    "duplicate_item_code": (
        _set("checklists/rural_house/1/code", "hukou_home"),
        "checklists.rural_house[1].code",
        "重复",
    ),
    "unknown_outcome": (
        _set("four_eyes/kinship", ["approve", "escalate"]),
        "four_eyes.kinship[1]",
        "escalate",
    ),
    "bad_date_pattern": (_set("cutoff_date", "2021/05/31"), "cutoff_date", "2021/05/31"),
    "impossible_date": (_set("cutoff_date", "2021-02-30"), "cutoff_date", "2021-02-30"),
    "cutoff_other_year": (_set("cutoff_date", "2020-05-31"), "cutoff_date", "年度"),
    "age_reference_other_year": (
        _set("stages/junior/age_reference", "2022-08-31"),
        "stages.junior.age_reference",
        "年度",
    ),
    "negative_months": (_set("rental_min_months", -1), "rental_min_months", "过小"),
    "no_sources": (_set("sources", []), "sources", "至少"),
    "policy_id_not_file_name": (_set("policy_id", "nanchang-old-2021"), "policy_id", "文件名"),
    "policy_id_wrong_year": (_set("policy_id", "nanchang-2020"), "policy_id", "2021"),
    "empty_stages": (_set("stages", {}), "stages", "至少"),
    "qa_percent_over_100": (
        _set("qa_sample_percent", {"kinship": 120}),
        "qa_sample_percent.kinship",
        "过大",
    ),
    "qa_percent_unknown_kind": (
        _set("qa_sample_percent", {"adoption": 5}),
        "qa_sample_percent.adoption",
        "不允许",
    ),
}


def test_qa_sample_percent_defaults_per_kind(tmp_path: Path) -> None:
    """抽查 shares: 5 % for every kind the file does not name."""
    data = copy.deepcopy(_base())
    assert load_policy(_write(tmp_path, data)).qa_sample_percent == dict.fromkeys(CaseKind, 5.0)
    data["qa_sample_percent"] = {"rural_house": 12.5}
    shares = load_policy(_write(tmp_path, data)).qa_sample_percent
    assert shares[CaseKind.RURAL_HOUSE] == 12.5 and shares[CaseKind.KINSHIP] == 5.0


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_policy_names_file_and_key(tmp_path: Path, case: str) -> None:
    mutate, key, words = MALFORMED[case]
    data = copy.deepcopy(_base())
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    err = info.value
    assert err.key == key, str(err)
    assert words in err.problem, str(err)
    message = str(err)
    assert "nanchang-2021.json" in message
    assert key in message


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken-2021.json"
    path.write_text('{\n  "policy_id": "broken-2021",\n  "year": 2021,,\n}\n', encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert "broken-2021.json" in str(info.value)
    assert "第 3 行" in str(info.value)
    assert info.value.key == "$"


def test_top_level_not_object(tmp_path: Path) -> None:
    path = _write(tmp_path, [1, 2, 3], "list-2021.json")
    with pytest.raises(PolicyError, match="list-2021.json"):
        load_policy(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="nope-2021.json"):
        load_policy(tmp_path / "nope-2021.json")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk-2021.json"
    path.write_bytes('{"city": "南昌市"}'.encode("gbk"))
    with pytest.raises(PolicyError, match="gbk-2021.json"):
        load_policy(path)


def test_load_policies_reports_the_bad_file(tmp_path: Path) -> None:
    _write(tmp_path, _base())
    bad = _base()
    bad["policy_id"] = "nanchang-2023"
    bad["year"] = 2023
    bad["cutoff_date"] = "2023-05-31"
    bad["stages"]["junior"]["age_reference"] = "2023-08-31"
    bad["stages"]["junior"]["min_age"] = 20
    _write(tmp_path, bad, "nanchang-2023.json")
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path)
    assert "nanchang-2023.json" in str(info.value)
    assert info.value.key == "stages.junior.min_age"


def test_duplicate_city_year_across_files(tmp_path: Path) -> None:
    _write(tmp_path, _base())
    copy_ = _base()
    copy_["policy_id"] = "nanchang-bis-2021"
    _write(tmp_path, copy_, "nanchang-bis-2021.json")
    with pytest.raises(PolicyError) as info:
        load_policies(tmp_path)
    message = str(info.value)
    assert "nanchang-2021.json" in message
    assert "nanchang-bis-2021.json" in message


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(PolicyError):
        load_policies(tmp_path / "absent")
