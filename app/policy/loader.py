"""Load the per-city, per-year enrollment policies kept as JSON in resources/policies.

Every file is checked in three steps (JSON syntax, JSON Schema, then semantic rules that a
schema cannot express) and any problem raises :class:`PolicyError` naming the file, the
key as a JSON path such as ``stages.primary.min_age``, and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from app.domain import (
    DEFAULT_QA_PERCENT,
    CaseKind,
    ChecklistItem,
    Outcome,
    Policy,
    Stage,
    StagePolicy,
)
from resources import RESOURCES_DIR
from reviewdb.errors import EnvironmentProblem

POLICIES_DIR = RESOURCES_DIR / "policies"
SCHEMA_PATH = RESOURCES_DIR / "schema" / "policy.schema.json"


class PolicyError(EnvironmentProblem, ValueError):
    """A policy file is missing, malformed or inconsistent."""

    def __init__(self, file: str | Path, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        name = Path(self.file).name
        where = f"{name}（{key}）" if key else name
        super().__init__(f"招生政策文件 {where}：{problem}")


def json_path(parts: Iterable[str | int]) -> str:
    """Render a JSON location as ``a.b[0].c``; the document root is ``$``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


_TYPE_NAMES = {
    "integer": "整数",
    "string": "字符串",
    "boolean": "布尔值",
    "array": "列表",
    "object": "对象",
    "number": "数值",
}


def _describe(error: ValidationError) -> tuple[list[str | int], str]:
    """Key path and a Chinese description for one schema error."""
    path: list[str | int] = list(error.absolute_path)
    v = error.validator
    val = error.validator_value
    inst = error.instance
    if v == "required":
        missing = [k for k in cast(list[str], val) if k not in cast(dict[str, Any], inst)]
        path.append(missing[0] if missing else "?")
        return path, "缺少必填项"
    if v == "additionalProperties":
        schema = cast(dict[str, Any], error.schema)
        allowed = set(cast(dict[str, Any], schema.get("properties", {})))
        extra = sorted(k for k in cast(dict[str, Any], inst) if k not in allowed)
        path.append(extra[0] if extra else "?")
        known = "、".join(sorted(allowed))
        return path, f"不允许的键（可用的键：{known}）"
    if v == "type":
        expected = _TYPE_NAMES.get(str(val), str(val))
        return path, f"类型错误：应为{expected}，实际为 {json.dumps(inst, ensure_ascii=False)}"
    if v == "minimum":
        return path, f"数值过小：{inst} < {val}"
    if v == "maximum":
        return path, f"数值过大：{inst} > {val}"
    if v == "minItems":
        return path, f"列表为空或过短：至少需要 {val} 项"
    if v == "minProperties":
        return path, f"至少需要 {val} 项"
    if v == "minLength":
        return path, "不能为空字符串"
    if v == "uniqueItems":
        return path, "列表中有重复项"
    if v == "enum":
        return path, f"取值 {json.dumps(inst, ensure_ascii=False)} 不在允许范围 {val} 内"
    if v == "format" and val == "date":
        return path, f"不是有效日期（应为 YYYY-MM-DD）：{inst}"
    if v in ("pattern", "format"):
        return path, f"格式错误：{json.dumps(inst, ensure_ascii=False)}"
    return path, error.message


def _schema_check(file: Path, data: object) -> None:
    errors = sorted(
        _validator().iter_errors(data),
        key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]),
    )
    if errors:
        path, problem = _describe(errors[0])
        raise PolicyError(file, json_path(path), problem)


def _date(file: Path, key: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PolicyError(file, key, f"不是有效日期：{value}") from None


def _stages(file: Path, raw: Mapping[str, Any], year: int) -> dict[Stage, StagePolicy]:
    stages: dict[Stage, StagePolicy] = {}
    for name, body in raw.items():
        key = f"stages.{name}"
        try:
            stage = Stage(name)
        except ValueError:
            raise PolicyError(file, key, f"未知学段 {name}") from None
        ref = _date(file, f"{key}.age_reference", body["age_reference"])
        if body["min_age"] > body["max_age"]:
            raise PolicyError(
                file,
                f"{key}.min_age",
                f"最小年龄 {body['min_age']} 大于最大年龄 {body['max_age']}",
            )
        if ref.year != year:
            raise PolicyError(
                file, f"{key}.age_reference", f"年龄计算日期 {ref} 不在政策年度 {year} 内"
            )
        stages[stage] = StagePolicy(body["min_age"], body["max_age"], ref)
    if not stages:
        raise PolicyError(file, "stages", "至少需要一个学段")
    return stages


def _checklists(
    file: Path, raw: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[CaseKind, tuple[ChecklistItem, ...]]:
    lists: dict[CaseKind, tuple[ChecklistItem, ...]] = {}
    for name, items in raw.items():
        key = f"checklists.{name}"
        try:
            kind = CaseKind(name)
        except ValueError:
            raise PolicyError(file, key, f"未知案件类型 {name}") from None
        if not items:
            raise PolicyError(file, key, "材料清单为空")
        seen: set[str] = set()
        built: list[ChecklistItem] = []
        for i, item in enumerate(items):
            ikey = f"{key}[{i}]"
            code = str(item["code"])
            if code in seen:
                raise PolicyError(file, f"{ikey}.code", f"材料代码 {code} 重复")
            seen.add(code)
            labels = tuple(str(x).strip() for x in item["accepted_labels"])
            if not labels or not all(labels):
                raise PolicyError(file, f"{ikey}.accepted_labels", "没有可接受的材料名称")
            built.append(ChecklistItem(code, str(item["label"]), labels, bool(item["required"])))
        lists[kind] = tuple(built)
    missing = [k.value for k in CaseKind if k not in lists]
    if missing:
        raise PolicyError(file, f"checklists.{missing[0]}", "缺少该案件类型的材料清单")
    return lists


def _four_eyes(file: Path, raw: Mapping[str, Sequence[str]]) -> dict[CaseKind, frozenset[Outcome]]:
    result: dict[CaseKind, frozenset[Outcome]] = {k: frozenset() for k in CaseKind}
    for name, outcomes in raw.items():
        key = f"four_eyes.{name}"
        try:
            kind = CaseKind(name)
        except ValueError:
            raise PolicyError(file, key, f"未知案件类型 {name}") from None
        parsed: set[Outcome] = set()
        for i, value in enumerate(outcomes):
            try:
                parsed.add(Outcome(value))
            except ValueError:
                raise PolicyError(file, f"{key}[{i}]", f"未知审核结果 {value}") from None
        result[kind] = frozenset(parsed)
    return result


def _qa_percent(raw: Mapping[str, Any]) -> dict[CaseKind, float]:
    """Per kind, the file's 抽查 share or the default (the schema checked kinds and range)."""
    return {kind: float(raw.get(kind.value, DEFAULT_QA_PERCENT)) for kind in CaseKind}


def policy_from_dict(data: Mapping[str, Any], file: str | Path = "<memory>") -> Policy:
    """Validate a decoded policy document and build a :class:`Policy`."""
    path = Path(file)
    _schema_check(path, data)
    year = int(data["year"])
    cutoff = _date(path, "cutoff_date", data["cutoff_date"])
    if cutoff.year != year:
        raise PolicyError(path, "cutoff_date", f"截止日期 {cutoff} 不在政策年度 {year} 内")
    review_deadline = None
    if "review_deadline" in data:
        review_deadline = _date(path, "review_deadline", data["review_deadline"])
        if review_deadline.year != year:
            raise PolicyError(
                path, "review_deadline", f"审核截止日期 {review_deadline} 不在政策年度 {year} 内"
            )
    policy_id = str(data["policy_id"])
    if not policy_id.endswith(f"-{year}"):
        raise PolicyError(path, "policy_id", f"编号 {policy_id} 应以年度 -{year} 结尾")
    if path.suffix == ".json" and path.stem != policy_id:
        raise PolicyError(path, "policy_id", f"编号 {policy_id} 与文件名 {path.stem} 不一致")
    return Policy(
        policy_id=policy_id,
        city=str(data["city"]),
        year=year,
        cutoff_date=cutoff,
        rental_min_months=int(data["rental_min_months"]),
        permit_min_months=int(data["permit_min_months"]),
        property_reuse_years=int(data["property_reuse_years"]),
        demolition_valid_years=int(data["demolition_valid_years"]),
        grandparent_min_age_gap=int(data["grandparent_min_age_gap"]),
        stages=_stages(path, data["stages"], year),
        checklists=_checklists(path, data["checklists"]),
        four_eyes=_four_eyes(path, data["four_eyes"]),
        undo_window_minutes=int(data["undo_window_minutes"]),
        return_deadline_days=int(data["return_deadline_days"]),
        sources=tuple(str(s) for s in data["sources"]),
        review_deadline=review_deadline,
        qa_sample_percent=_qa_percent(data.get("qa_sample_percent", {})),
    )


def load_policy(path: str | Path) -> Policy:
    """Load and validate one policy file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(file, "", "文件不存在") from None
    except UnicodeDecodeError:
        raise PolicyError(file, "", "文件不是 UTF-8 编码") from None
    except OSError as exc:
        raise PolicyError(file, "", f"无法读取文件：{exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(
            file, "$", f"JSON 语法错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise PolicyError(file, "$", "顶层应为 JSON 对象")
    return policy_from_dict(data, file)


def load_policies(directory: str | Path | None = None) -> dict[tuple[str, int], Policy]:
    """Load every ``*.json`` policy in ``directory`` (default resources/policies).

    Keys are ``(city, year)``; two files for the same city and year are an error.
    """
    folder = Path(directory) if directory is not None else POLICIES_DIR
    if not folder.is_dir():
        raise PolicyError(folder, "", "政策目录不存在")
    policies: dict[tuple[str, int], Policy] = {}
    origin: dict[tuple[str, int], Path] = {}
    for file in sorted(folder.glob("*.json")):
        policy = load_policy(file)
        key = (policy.city, policy.year)
        if key in policies:
            raise PolicyError(
                file,
                "city",
                f"{policy.city} {policy.year} 年的政策与 {origin[key].name} 重复",
            )
        policies[key] = policy
        origin[key] = file
    return policies


@functools.cache
def _default_policies() -> dict[tuple[str, int], Policy]:
    return load_policies()


def policy_for(city: str, year: int, directory: str | Path | None = None) -> Policy:
    """The policy for ``city`` and ``year``; raises :class:`PolicyError` if there is none."""
    policies = _default_policies() if directory is None else load_policies(directory)
    try:
        return policies[(city, year)]
    except KeyError:
        where = Path(directory) if directory is not None else POLICIES_DIR
        known = "、".join(f"{c}{y}" for c, y in sorted(policies)) or "无"
        raise PolicyError(where, "", f"没有 {city} {year} 年的招生政策（已有：{known}）") from None
