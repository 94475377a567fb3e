"""Text that could never be stored is refused when the manifest is read (issue 12).

PostgreSQL refuses NUL in text and jsonb, and a lone surrogate (a ``\\ud800`` escape) has
no UTF-8 form at all: such a manifest must be a PackageRejected naming the field, not a
failure later at the central store (or a crash while hashing the manifest).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app.intake.package import PackageRejected, read_package, validate_manifest
from tests.app.intake.test_package import FILES, base_manifest, reason_of, write, zip_with


def _string_fields(node: Any, parts: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, str):
        return [parts]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _string_fields(v, (*parts, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _string_fields(v, (*parts, i))]
    return []


def _dotted(parts: tuple[str | int, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _with(manifest: dict[str, Any], parts: tuple[str | int, ...], change: Any) -> dict[str, Any]:
    m = copy.deepcopy(manifest)
    node: Any = m
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = change(node[parts[-1]])
    return m


STRING_FIELDS = _string_fields(base_manifest())


def test_every_string_field_is_covered() -> None:
    names = {_dotted(p) for p in STRING_FIELDS}
    assert {"student.name", "custody.note", "properties[0].address", "attachments[0].path"} <= (
        names
    )
    assert len(STRING_FIELDS) > 40


@pytest.mark.parametrize("parts", STRING_FIELDS, ids=_dotted)
def test_nul_in_any_string_field_is_refused_naming_the_field(
    tmp_path: Path, parts: tuple[str | int, ...]
) -> None:
    # json.dumps writes the character as the escape "\u0000", as a platform would.
    manifest = _with(base_manifest(), parts, lambda v: v[:1] + "\x00" + v[1:])
    assert "\\u0000" in json.dumps(manifest)
    expected = f"manifest.json: {_dotted(parts)}: contains a NUL character"
    assert reason_of(write(tmp_path / "f", manifest, FILES, False)) == expected
    assert reason_of(write(tmp_path / "z", manifest, FILES, True)) == expected


@pytest.mark.parametrize(
    ("where", "value"),
    [("start", "\x00王小明"), ("end", "王小明\x00"), ("only", "\x00"), ("many", "\x00\x00\x00")],
)
def test_nul_anywhere_in_the_value(tmp_path: Path, where: str, value: str) -> None:
    manifest = base_manifest()
    manifest["student"]["name"] = value
    assert reason_of(write(tmp_path, manifest, FILES, True)) == (
        "manifest.json: student.name: contains a NUL character"
    )


def test_nul_in_a_note_is_refused_although_newlines_are_allowed(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["custody"]["note"] = "抚养权判归母亲\n\t见判决书\x00第3页"
    assert reason_of(write(tmp_path, manifest, FILES, False)) == (
        "manifest.json: custody.note: contains a NUL character"
    )


def test_nul_in_a_field_name_is_refused_without_echoing_it(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["guardians"][1]["na\x00me"] = "李美丽"
    reason = reason_of(write(tmp_path, manifest, FILES, True))
    assert reason == "manifest.json: guardians[1]: a field name contains a NUL character"
    assert "\x00" not in reason


def test_other_control_character_in_a_field_name_is_not_echoed(tmp_path: Path) -> None:
    manifest = base_manifest()
    manifest["student"]["x\x07"] = "y"
    reason = reason_of(write(tmp_path, manifest, FILES, True))
    assert reason == "manifest.json: student: a field name contains a control character"


def test_nul_is_reported_before_schema_problems(tmp_path: Path) -> None:
    """A NUL in a patterned field gets the one NUL message, not the pattern's."""
    manifest = base_manifest()
    manifest["student"]["id_number"] = manifest["student"]["id_number"][:17] + "\x00"
    manifest["submission_id"] = "NC2024\x00"
    del manifest["city"]
    reason = reason_of(write(tmp_path, manifest, FILES, True))
    assert reason == "manifest.json: submission_id: contains a NUL character"


def test_validate_manifest_refuses_nul_directly() -> None:
    manifest = base_manifest()
    manifest["rentals"][0]["address"] = "东湖区某路5号\x00"
    with pytest.raises(PackageRejected) as info:
        validate_manifest(manifest)
    assert info.value.reason == "manifest.json: rentals[0].address: contains a NUL character"


def test_raw_nul_byte_in_manifest_json(tmp_path: Path) -> None:
    text = json.dumps(base_manifest(), ensure_ascii=False).encode("utf-8")
    at = text.index("王小明".encode())
    raw = text[:at] + b"\x00" + text[at:]
    path = zip_with(tmp_path / "p.zip", [("manifest.json", raw), *FILES.items()])
    assert reason_of(path) == f"manifest.json: contains a NUL byte at byte {at}"


def test_manifest_in_utf16_is_refused(tmp_path: Path) -> None:
    """UTF-16 with a BOM is not UTF-8; without one its zero bytes are NUL bytes."""
    text = json.dumps(base_manifest(), ensure_ascii=False)
    path = zip_with(tmp_path / "a.zip", [("manifest.json", text.encode("utf-16"))])
    assert reason_of(path).startswith("manifest.json: not valid UTF-8 at byte 0")
    ascii_text = json.dumps(base_manifest(), ensure_ascii=True)  # Chinese as \u escapes
    path = zip_with(tmp_path / "b.zip", [("manifest.json", ascii_text.encode("utf-16-le"))])
    assert reason_of(path) == "manifest.json: contains a NUL byte at byte 1"


@pytest.mark.parametrize(
    ("escape", "shown"),
    [("\\ud800", "'\\ud800'"), ("\\udfff", "'\\udfff'"), ("\\udc00\\ud800", "'\\udc00'")],
)
def test_lone_surrogate_escape_is_refused(tmp_path: Path, escape: str, shown: str) -> None:
    """Such text has no UTF-8 form: it used to escape as a UnicodeEncodeError (a crash)."""
    text = json.dumps(base_manifest(), ensure_ascii=False).replace("王小明", f"王{escape}明")
    path = zip_with(tmp_path / "p.zip", [("manifest.json", text.encode("utf-8")), *FILES.items()])
    assert reason_of(path) == (
        f"manifest.json: student.name: contains an unpaired surrogate ({shown}), "
        "which is not Unicode text"
    )


def test_surrogate_pair_escape_is_ordinary_text(tmp_path: Path) -> None:
    text = json.dumps(base_manifest(), ensure_ascii=False).replace("王小明", "王\\ud842\\udfb7明")
    path = zip_with(tmp_path / "p.zip", [("manifest.json", text.encode("utf-8")), *FILES.items()])
    assert read_package(path).manifest["student"]["name"] == "王\U00020bb7明"


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (b"\xc0\x80", "invalid start byte"),  # overlong NUL (modified UTF-8)
        (b"\xed\xa0\x80", "invalid continuation byte"),  # a surrogate encoded (CESU-8)
        (b"\xe7\x8e", "invalid continuation byte"),  # a truncated sequence
        (b"\xff", "invalid start byte"),
        ("王".encode("gbk"), "invalid continuation byte"),
    ],
    ids=["overlong-nul", "cesu-surrogate", "truncated", "ff", "gbk"],
)
def test_invalid_utf8_is_refused_with_its_offset(tmp_path: Path, bad: bytes, problem: str) -> None:
    text = json.dumps(base_manifest(), ensure_ascii=False).encode("utf-8")
    at = text.index("王小明".encode())
    raw = text[:at] + bad + text[at:]
    path = tmp_path / "p"
    write(path, base_manifest(), FILES, False)
    (path / "pkg" / "manifest.json").write_bytes(raw)
    assert reason_of(path / "pkg") == f"manifest.json: not valid UTF-8 at byte {at}: {problem}"
