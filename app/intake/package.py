"""Submission packages: read, validate and write the city platform's case packages.

A package is a folder or a ``.zip`` holding ``manifest.json`` plus the attachment files it
names (format: ``docs/intake.md``, schema: ``resources/schema/submission.schema.json``).

Packages come from outside, so everything here assumes hostile input: zips are read in
memory without extracting anything to disk, sizes are checked against the central
directory *and* counted while decompressing, and every problem becomes a
:class:`PackageRejected` with a one-line reason that says what is wrong and where.
This module is pure: no database, no Qt.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import lzma
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from app.domain import (
    AttachmentInfo,
    CaseFacts,
    CaseKind,
    CertType,
    CustodyFacts,
    Person,
    PropertyNature,
    PropertyRecord,
    RentalRecord,
    ResidencePermit,
    RuralHouseFacts,
    Stage,
)
from app.policy.idnumbers import canonical_id, mask_id, mask_ids_in_text
from reviewdb.errors import Refusal

__all__ = [
    "DEFAULT_LIMITS",
    "MANIFEST_NAME",
    "MAX_CENTRAL_DIRECTORY_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "MAX_MANIFEST_BYTES",
    "MAX_PACKAGE_FILES",
    "MAX_UNCOMPRESSED_BYTES",
    "RATIO_CHECK_MIN_BYTES",
    "Limits",
    "Package",
    "PackageFile",
    "PackageRejected",
    "content_hash",
    "facts_from_valid_manifest",
    "load_schema",
    "manifest_to_facts",
    "normalize_manifest_ids",
    "read_package",
    "validate_manifest",
    "write_package",
]

MANIFEST_NAME = "manifest.json"

MiB = 1024 * 1024

#: Largest single attachment, in bytes (a phone photo or a scanned PDF fits easily).
MAX_FILE_BYTES = 30 * MiB
#: Most entries (files and directories, the manifest included) a zip may hold.
MAX_PACKAGE_FILES = 200
#: Largest total uncompressed size of a package: every zip member per the central
#: directory, and every byte actually read (manifest + attachments).
MAX_UNCOMPRESSED_BYTES = 300 * MiB
#: Largest uncompressed:compressed ratio of a zip member bigger than
#: RATIO_CHECK_MIN_BYTES. JPEG/PNG/PDF barely compress; 200:1 only happens on purpose.
MAX_COMPRESSION_RATIO = 200
#: Zip members at or below this uncompressed size are exempt from the ratio check
#: (a small text file of repeated characters may legitimately compress very well).
RATIO_CHECK_MIN_BYTES = 1 * MiB
#: Largest manifest.json, in bytes.
MAX_MANIFEST_BYTES = 1 * MiB
#: Largest zip central directory, in bytes: bounds the work done parsing it before the
#: entry count can be checked (a real entry takes ~100 bytes).
MAX_CENTRAL_DIRECTORY_BYTES = 1 * MiB

_CHUNK = 64 * 1024
_EOCD_SIG = b"PK\x05\x06"
_EOCD64_LOCATOR_SIG = b"PK\x06\x07"
_EOCD64_SIG = b"PK\x06\x06"
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
# C0 controls and DEL; newline and tab are allowed only in free-text notes.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_NOTE_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# What a JSON "\ud800" escape leaves in a str when no partner follows: not Unicode text.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
# What the zipfile/zlib/lzma machinery raises on corrupt archives; all of it means
# "bad input" here and is turned into PackageRejected.
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
    UnicodeDecodeError,
)


class PackageRejected(Refusal):
    """A submission package (or manifest) is not acceptable; ``reason`` says why and where.

    The reason is one line and never holds a resident ID in full: anything ID-shaped in it
    (a quoted value, a file or submission name) is masked (first 6 + last 4 kept).
    """

    def __init__(self, reason: str) -> None:
        reason = " ".join(reason.split()) if "\n" in reason or "\r" in reason else reason
        reason = mask_ids_in_text(reason)
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """Resource limits applied while reading a package (defaults: the module constants)."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_package_files: int = MAX_PACKAGE_FILES
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    max_compression_ratio: int = MAX_COMPRESSION_RATIO
    ratio_check_min_bytes: int = RATIO_CHECK_MIN_BYTES
    max_manifest_bytes: int = MAX_MANIFEST_BYTES
    max_central_directory_bytes: int = MAX_CENTRAL_DIRECTORY_BYTES


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class PackageFile:
    """One attachment as read from a package: the manifest's entry plus the bytes."""

    label: str
    path: str  # relative POSIX path inside the package, as written in the manifest
    data: bytes
    sha256: str  # lowercase hex digest of ``data``
    media_type: str | None  # as declared by the uploader; not verified here

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Package:
    """A validated submission package, fully in memory."""

    source: Path
    manifest: dict[str, Any]
    content_hash: str
    files: tuple[PackageFile, ...]

    @property
    def submission_id(self) -> str:
        return str(self.manifest["submission_id"])


# --------------------------------------------------------------------------- schema


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The manifest JSON Schema (draft 2020-12) shipped in resources/schema."""
    text = (
        resources.files("resources")
        .joinpath("schema", "submission.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json_path(parts: Iterator[str | int] | Sequence[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _where(path: str) -> str:
    return f"{MANIFEST_NAME}: {path}" if path else MANIFEST_NAME


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _describe_error(error: ValidationError, manifest: Any) -> str:
    """Turn one jsonschema error into ``manifest.json: <path>: <what is wrong>``.

    A resident-ID field's value is quoted masked, as everywhere else.
    """
    parts: list[str | int] = list(error.absolute_path)
    keyword = error.validator
    value: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    if parts[-1:] and parts[-1] in _ID_FIELD_NAMES and isinstance(instance, str):
        got = repr(mask_id(instance))
    else:
        got = _short(instance)
    problem: str
    if keyword == "required" and isinstance(instance, Mapping):
        missing = [name for name in value if name not in instance]
        parts.append(missing[0] if missing else "?")
        problem = "missing"
    elif keyword == "additionalProperties" and isinstance(instance, Mapping):
        known = set(schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in known)
        parts.append(extra[0] if extra else "?")
        problem = "unexpected field (not in the manifest format)"
    elif keyword == "type":
        names = [value] if isinstance(value, str) else list(value)
        problem = "must be " + " or ".join(_TYPE_WORDS.get(n, n) for n in names)
    elif keyword == "enum":
        problem = "must be one of " + ", ".join(repr(v) for v in value) + f" (got {got})"
    elif keyword == "const":
        problem = f"must be {value!r} (got {got})"
    elif keyword == "minLength":
        problem = "must not be empty" if value == 1 else f"must be at least {value} characters"
        if "description" in schema and value > 1:
            problem = f"must be {schema['description']} (got {got})"
    elif keyword == "maxLength":
        problem = f"must be at most {value} characters"
        if "description" in schema and schema.get("minLength") == value:
            problem = f"must be {schema['description']} (got {got})"
    elif keyword == "pattern":
        desc = schema.get("description", f"text matching {value}")
        problem = f"must be {desc} (got {got})"
    elif keyword == "minItems":
        problem = "must not be empty" if value == 1 else f"must have at least {value} entries"
    elif keyword == "maxItems":
        problem = f"must have at most {value} entries"
    elif keyword == "minimum":
        problem = f"must be at least {value} (got {got})"
    elif keyword == "maximum":
        problem = f"must be at most {value} (got {got})"
    else:  # a keyword this schema does not use today; keep jsonschema's wording
        problem = error.message
    if "then" in error.absolute_schema_path and isinstance(manifest, Mapping):
        kind = manifest.get("kind")
        if isinstance(kind, str):
            problem += f" (required when kind is {kind!r})"
    path = _json_path(parts)
    return f"{_where(path)}: {problem}" if path else f"{MANIFEST_NAME}: {problem}"


def _check_strings(node: Any, parts: list[str | int]) -> None:
    """Reject control characters (they also defeat the schema's ``$`` anchors)."""
    if isinstance(node, str):
        regex = _NOTE_CONTROL_RE if parts[-1:] == ["note"] else _CONTROL_RE
        if regex.search(node):
            raise PackageRejected(f"{_where(_json_path(parts))}: contains a control character")
    elif isinstance(node, Mapping):
        for key, child in node.items():
            _check_strings(child, [*parts, str(key)])
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _check_strings(child, [*parts, index])


def _not_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text anywhere (PostgreSQL refuses NUL in text and
    jsonb; a lone surrogate from a ``\\ud800`` escape has no UTF-8 form), or None."""
    if "\x00" in value:
        return "contains a NUL character"
    surrogate = _SURROGATE_RE.search(value)
    if surrogate is not None:
        return f"contains an unpaired surrogate ({surrogate.group()!a}), which is not Unicode text"
    return None


def _check_text(node: Any, parts: list[str | int]) -> None:
    """Refuse NUL characters and lone surrogates in any value or field name, first, so the
    reason names the field (and never carries the character itself)."""
    if isinstance(node, str):
        problem = _not_text(node)
        if problem is not None:
            raise PackageRejected(f"{_where(_json_path(parts))}: {problem}")
    elif isinstance(node, Mapping):
        for key, child in node.items():
            problem = _not_text(key)
            if problem is None and _CONTROL_RE.search(key):
                problem = "contains a control character"
            if problem is not None:
                raise PackageRejected(f"{_where(_json_path(parts))}: a field name {problem}")
            _check_text(child, [*parts, key])
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _check_text(child, [*parts, index])


# Where the format holds resident IDs: (top-level field, ID field of that object or of each
# object in that array).
_ID_FIELDS: tuple[tuple[str, str], ...] = (
    ("student", "id_number"),
    ("guardians", "id_number"),
    ("grandparents", "id_number"),
    ("rural_house", "owner_id_number"),
    ("properties", "owner_id_number"),
    ("permits", "holder_id_number"),
)
_ID_FIELD_NAMES = frozenset(field for _top, field in _ID_FIELDS)


def _id_slots(manifest: Any) -> Iterator[tuple[dict[str, Any], str]]:
    """(object, field name) of every resident-ID string in a parsed manifest of any shape."""
    if not isinstance(manifest, Mapping):
        return
    for top, field in _ID_FIELDS:
        node = manifest.get(top)
        for obj in node if isinstance(node, list) else [node]:
            if isinstance(obj, dict) and isinstance(obj.get(field), str):
                yield obj, field


def normalize_manifest_ids(manifest: Any) -> Any:
    """The manifest with every resident-ID field in its stored form (a lowercase check
    ``x`` becomes ``X``, see :func:`app.policy.idnumbers.canonical_id`).

    Returns ``manifest`` itself when nothing changes, else a changed deep copy: the
    caller's object is never modified. Anything that is not a manifest is returned as is
    (validation reports it).
    """
    if not any(canonical_id(obj[field]) != obj[field] for obj, field in _id_slots(manifest)):
        return manifest
    out = copy.deepcopy(dict(manifest))
    for obj, field in _id_slots(out):
        obj[field] = canonical_id(obj[field])
    return out


def validate_manifest(manifest: Any) -> None:
    """Check a parsed manifest against the schema and the value rules; raise PackageRejected.

    Before the JSON Schema, no value or field name may hold a NUL character or a lone
    surrogate (such text could never be stored). Beyond the schema this checks that dates
    are real calendar dates and that no text holds control characters. The first problem
    is reported (the shallowest one, per jsonschema's ``best_match``), with a count of the
    others. A lowercase check ``x`` in an ID field is accepted (it is checked, as stored,
    in its uppercase form: :func:`normalize_manifest_ids`).
    """
    manifest = normalize_manifest_ids(manifest)
    _check_text(manifest, [])
    errors = list(_validator().iter_errors(manifest))
    if errors:
        first = best_match(errors)
        assert first is not None
        reason = _describe_error(first, manifest)
        if len(errors) > 1:
            more = len(errors) - 1
            reason += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise PackageRejected(reason)
    _check_strings(manifest, [])
    _facts_from_manifest(manifest, ())  # calendar checks on every date


# --------------------------------------------------------------------------- facts


def _date(value: Any, path: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PackageRejected(f"{_where(path)}: {_short(value)} is not a valid date") from None


def _opt_date(obj: Mapping[str, Any], key: str, path: str) -> dt.date | None:
    value = obj.get(key)
    return None if value is None else _date(value, f"{path}.{key}")


def _opt_str(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return None if value is None else str(value)


def _timestamp(value: Any, path: str) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise PackageRejected(f"{_where(path)}: {_short(value)} is not a valid timestamp") from None
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise PackageRejected(f"{_where(path)}: {_short(value)} has no UTC offset")
    return stamp


def _person(obj: Mapping[str, Any], relation: str | None = None) -> Person:
    has_custody = obj.get("has_custody")
    return Person(
        name=str(obj["name"]),
        id_number=str(obj["id_number"]),
        relation=relation if relation is not None else str(obj["relation"]),
        hukou_address=_opt_str(obj, "hukou_address"),
        phone=_opt_str(obj, "phone"),
        has_custody=None if has_custody is None else bool(has_custody),
    )


def _facts_from_manifest(m: Mapping[str, Any], attachments: Sequence[AttachmentInfo]) -> CaseFacts:
    custody_obj = m.get("custody")
    custody = None
    if custody_obj is not None:
        custody = CustodyFacts(
            divorced=bool(custody_obj["divorced"]),
            divorce_date=_opt_date(custody_obj, "divorce_date", "custody"),
            custody_holder_name=_opt_str(custody_obj, "custody_holder_name"),
            custody_document=_opt_str(custody_obj, "custody_document"),
            note=_opt_str(custody_obj, "note"),
        )
    rural_obj = m.get("rural_house")
    rural = None
    if rural_obj is not None:
        rural = RuralHouseFacts(
            owner_name=str(rural_obj["owner_name"]),
            owner_id_number=str(rural_obj["owner_id_number"]),
            owner_relation=str(rural_obj["owner_relation"]),
            address=str(rural_obj["address"]),
            house_type=str(rural_obj["house_type"]),
        )
    properties = tuple(
        PropertyRecord(
            cert_type=CertType(p["cert_type"]),
            cert_number=str(p["cert_number"]),
            issue_date=_opt_date(p, "issue_date", f"properties[{i}]"),
            nature=PropertyNature(p["nature"]),
            owner_name=str(p["owner_name"]),
            owner_id_number=_opt_str(p, "owner_id_number"),
            address=str(p["address"]),
            non_direct_co_owner=bool(p.get("non_direct_co_owner", False)),
        )
        for i, p in enumerate(m.get("properties", ()))
    )
    rentals = tuple(
        RentalRecord(
            registration_number=str(r["registration_number"]),
            address=str(r["address"]),
            start_date=_date(r["start_date"], f"rentals[{i}].start_date"),
            end_date=_opt_date(r, "end_date", f"rentals[{i}]"),
            holder_name=str(r["holder_name"]),
        )
        for i, r in enumerate(m.get("rentals", ()))
    )
    permits = tuple(
        ResidencePermit(
            number=str(p["number"]),
            holder_name=str(p["holder_name"]),
            holder_id_number=_opt_str(p, "holder_id_number"),
            start_date=_date(p["start_date"], f"permits[{i}].start_date"),
            valid_until=_opt_date(p, "valid_until", f"permits[{i}]"),
        )
        for i, p in enumerate(m.get("permits", ()))
    )
    return CaseFacts(
        submission_id=str(m["submission_id"]),
        city=str(m["city"]),
        admission_year=int(m["admission_year"]),
        stage=Stage(m["stage"]),
        district=str(m["district"]),
        school=str(m["school"]),
        kind=CaseKind(m["kind"]),
        residence_basis=str(m["residence_basis"]),
        submitted_at=_timestamp(m["submitted_at"], "submitted_at"),
        student=_person(m["student"], relation="本人"),
        guardians=tuple(_person(g) for g in m.get("guardians", ())),
        grandparents=tuple(_person(g) for g in m.get("grandparents", ())),
        custody=custody,
        rural_house=rural,
        properties=properties,
        rentals=rentals,
        permits=permits,
        attachments=tuple(attachments),
    )


def manifest_to_facts(
    manifest: Mapping[str, Any], attachments: Sequence[AttachmentInfo]
) -> CaseFacts:
    """Convert a manifest into :class:`CaseFacts` (validating it first).

    Date strings become ``datetime.date``; ``submitted_at`` becomes an aware
    ``datetime.datetime``; ID numbers are in their stored form (uppercase ``X``). The
    student's relation is ``本人``. ``attachments`` are the caller's inspected files (this
    module does not decode images). Raises :class:`PackageRejected` if the manifest is
    invalid.
    """
    manifest = normalize_manifest_ids(manifest)
    validate_manifest(manifest)
    return _facts_from_manifest(manifest, attachments)


def facts_from_valid_manifest(
    manifest: Mapping[str, Any], attachments: Sequence[AttachmentInfo]
) -> CaseFacts:
    """:func:`manifest_to_facts` for a manifest already validated and normalized: the one
    of a :class:`Package` from :func:`read_package` (the schema check is most of the cost,
    and intake ran it once already)."""
    return _facts_from_manifest(manifest, attachments)


# --------------------------------------------------------------------------- manifest parsing


def _reject_float(text: str) -> Any:
    raise PackageRejected(
        f"{MANIFEST_NAME}: fractional number {text} is not allowed (numbers are integers)"
    )


def _reject_constant(text: str) -> Any:
    raise PackageRejected(f"{MANIFEST_NAME}: {text} is not valid JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise PackageRejected(f"{MANIFEST_NAME}: duplicate key {key!r} in an object")
        out[key] = value
    return out


def _parse_manifest(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageRejected(
            f"{MANIFEST_NAME}: not valid UTF-8 at byte {exc.start}: {exc.reason}"
        ) from None
    if "\x00" in text:
        raise PackageRejected(f"{MANIFEST_NAME}: contains a NUL byte at byte {raw.index(0)}")
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise PackageRejected(
            f"{MANIFEST_NAME}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise PackageRejected(f"{MANIFEST_NAME}: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise PackageRejected(f"{MANIFEST_NAME}: invalid JSON: {exc}") from None


# --------------------------------------------------------------------------- paths


def _path_problem(path: str, *, allow_dir: bool = False) -> str | None:
    """Why ``path`` is not a safe relative POSIX path inside a package, or None."""
    if path == "":
        return "is empty"
    if "\\" in path:
        return "contains a backslash"
    if _CONTROL_RE.search(path):
        return "contains a control character"
    if path.startswith("/"):
        return "is an absolute path"
    if _DRIVE_RE.match(path):
        return "starts with a drive letter"
    body = path[:-1] if allow_dir and path.endswith("/") else path
    parts = body.split("/")
    if ".." in parts:
        return "contains '..'"
    if any(part in ("", ".") for part in parts):
        return "is not a normalized relative path (empty or '.' component)"
    return None


def _check_attachment_path(index: int, path: str) -> None:
    problem = _path_problem(path)
    if problem is None and path == MANIFEST_NAME:
        problem = "names the manifest itself"
    if problem is not None:
        raise PackageRejected(f"{_where(f'attachments[{index}].path')}: {path!r} {problem}")


# --------------------------------------------------------------------------- reading


class _Budget:
    """Running count of bytes read, against the package total."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.used = 0

    def take(self, n: int, where: str) -> None:
        self.used += n
        if self.used > self.limits.max_uncompressed_bytes:
            raise PackageRejected(
                f"{where}: package exceeds {self.limits.max_uncompressed_bytes} bytes "
                "uncompressed in total"
            )


def _read_capped(stream: Any, cap: int, budget: _Budget, where: str, what: str) -> bytes:
    """Read a stream to its end, never holding more than ``cap`` bytes."""
    buf = bytearray()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return bytes(buf)
        buf += chunk
        budget.take(len(chunk), where)
        if len(buf) > cap:
            raise PackageRejected(f"{where}: larger than the {what} limit of {cap} bytes")


def _read_folder_file(root: Path, rel: str, cap: int, budget: _Budget, where: str) -> bytes:
    """Read ``root/rel`` refusing symlinks at every component and non-regular files."""
    current = root
    parts = rel.split("/")
    for i, part in enumerate(parts):
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            raise PackageRejected(f"{where}: file not found in the package") from None
        except OSError as exc:
            raise PackageRejected(f"{where}: cannot read ({exc.strerror})") from None
        if stat.S_ISLNK(st.st_mode):
            shown = "/".join(parts[: i + 1])
            raise PackageRejected(f"{where}: {shown!r} is a symbolic link")
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            raise PackageRejected(f"{where}: file not found in the package")
    try:
        resolved = current.resolve(strict=True)
    except OSError as exc:
        raise PackageRejected(f"{where}: cannot resolve ({exc.strerror})") from None
    if not resolved.is_relative_to(root):
        raise PackageRejected(f"{where}: resolves outside the package")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(current, flags)
    except OSError as exc:
        raise PackageRejected(f"{where}: cannot open ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PackageRejected(f"{where}: not a regular file")
        if st.st_size > cap:
            raise PackageRejected(f"{where}: {st.st_size} bytes, over the limit of {cap} bytes")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return _read_capped(stream, cap, budget, where, "file size")
    except OSError as exc:
        raise PackageRejected(f"{where}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _attachments(manifest: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries: list[Mapping[str, Any]] = list(manifest["attachments"])
    for index, entry in enumerate(entries):
        _check_attachment_path(index, str(entry["path"]))
    return entries


def _read_folder(root: Path, limits: Limits) -> tuple[dict[str, Any], list[PackageFile]]:
    budget = _Budget(limits)
    if not os.path.lexists(root / MANIFEST_NAME):
        raise PackageRejected(f"{MANIFEST_NAME}: missing at the top of the package")
    raw = _read_folder_file(root, MANIFEST_NAME, limits.max_manifest_bytes, budget, MANIFEST_NAME)
    manifest = normalize_manifest_ids(_parse_manifest(raw))
    validate_manifest(manifest)
    entries = _attachments(manifest)
    if len({e["path"] for e in entries}) + 1 > limits.max_package_files:
        raise PackageRejected(
            f"{MANIFEST_NAME}: attachments: names more than {limits.max_package_files - 1} files"
        )
    cache: dict[str, bytes] = {}
    files = []
    for index, entry in enumerate(entries):
        rel = str(entry["path"])
        where = f"attachments[{index}] {rel!r}"
        if rel not in cache:
            cache[rel] = _read_folder_file(root, rel, limits.max_file_bytes, budget, where)
        files.append(_package_file(index, entry, cache[rel]))
    return manifest, files


def _find_eocd(fp: Any, size: int) -> tuple[int, int]:
    """(entry count, central directory size) from the end records, before zipfile parses."""
    tail_len = min(size, 22 + 0xFFFF)
    fp.seek(size - tail_len)
    tail = fp.read(tail_len)
    pos = tail.rfind(_EOCD_SIG)
    if pos < 0 or len(tail) - pos < 22:
        raise PackageRejected("not a zip archive (no end-of-central-directory record)")
    (_, _, _, _, entries, cd_size, _, _) = struct.unpack("<4s4H2LH", tail[pos : pos + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator_at = size - tail_len + pos - 20
        if locator_at < 0:
            raise PackageRejected("zip archive: damaged ZIP64 end record")
        fp.seek(locator_at)
        locator = fp.read(20)
        sig, _, eocd64_at, _ = struct.unpack("<4sLQL", locator)
        if sig != _EOCD64_LOCATOR_SIG or eocd64_at > size - 56:
            raise PackageRejected("zip archive: damaged ZIP64 end record")
        fp.seek(eocd64_at)
        record = fp.read(56)
        fields = struct.unpack("<4sQ2H2L4Q", record)
        if fields[0] != _EOCD64_SIG:
            raise PackageRejected("zip archive: damaged ZIP64 end record")
        entries, cd_size = fields[7], fields[8]
    return int(entries), int(cd_size)


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    where = f"zip member {name!r}"
    problem = _path_problem(name, allow_dir=True)
    if problem is not None:
        raise PackageRejected(f"{where}: name {problem}")
    mode = (info.external_attr >> 16) & 0xFFFF
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise PackageRejected(f"{where}: is a symbolic link")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageRejected(f"{where}: not a regular file (mode {oct(mode)})")
    if info.flag_bits & 0x1:
        raise PackageRejected(f"{where}: is encrypted")
    if info.compress_type not in _SUPPORTED_COMPRESSION:
        raise PackageRejected(
            f"{where}: unsupported compression method {info.compress_type} "
            "(only stored and deflated)"
        )
    cap = limits.max_manifest_bytes if name == MANIFEST_NAME else limits.max_file_bytes
    if info.file_size > cap:
        raise PackageRejected(
            f"{where}: {info.file_size} bytes uncompressed, over the limit of {cap} bytes"
        )
    if info.file_size > limits.ratio_check_min_bytes:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise PackageRejected(
                f"{where}: compression ratio {ratio:.0f}:1 exceeds "
                f"{limits.max_compression_ratio}:1 (zip bomb?)"
            )


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: _Budget, where: str
) -> bytes:
    # Never trust the header sizes alone: the stream is capped independently.
    try:
        with zf.open(info) as stream:
            data = _read_capped(stream, min(cap, info.file_size), budget, where, "declared size")
    except PackageRejected:
        raise
    except _ZIP_ERRORS as exc:
        raise PackageRejected(f"{where}: damaged zip data ({_error_text(exc)})") from None
    if len(data) != info.file_size:
        raise PackageRejected(
            f"{where}: {len(data)} bytes read but the zip directory says {info.file_size}"
        )
    return data


def _read_zip(path: Path, limits: Limits) -> tuple[dict[str, Any], list[PackageFile]]:
    try:
        size = path.stat().st_size
        if size > limits.max_uncompressed_bytes + limits.max_central_directory_bytes:
            raise PackageRejected(f"archive is {size} bytes, larger than any valid package")
        with path.open("rb") as fp:
            entries, cd_size = _find_eocd(fp, size)
            if entries > limits.max_package_files:
                raise PackageRejected(
                    f"zip archive has {entries} entries, more than the limit of "
                    f"{limits.max_package_files}"
                )
            if cd_size > limits.max_central_directory_bytes:
                raise PackageRejected(
                    f"zip central directory is {cd_size} bytes, more than the limit of "
                    f"{limits.max_central_directory_bytes}"
                )
            fp.seek(0)
            with zipfile.ZipFile(fp) as zf:
                return _read_zip_members(zf, limits)
    except PackageRejected:
        raise
    except RecursionError:
        raise PackageRejected("zip archive: malformed structure") from None
    except _ZIP_ERRORS as exc:
        raise PackageRejected(f"zip archive is damaged ({_error_text(exc)})") from None


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _read_zip_members(
    zf: zipfile.ZipFile, limits: Limits
) -> tuple[dict[str, Any], list[PackageFile]]:
    infos = zf.infolist()
    if len(infos) > limits.max_package_files:
        raise PackageRejected(
            f"zip archive has {len(infos)} entries, more than the limit of "
            f"{limits.max_package_files}"
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        _check_member(info, limits)
        if info.filename in by_name:
            raise PackageRejected(f"zip member {info.filename!r}: appears more than once")
        by_name[info.filename] = info
        total += info.file_size
    if total > limits.max_uncompressed_bytes:
        raise PackageRejected(
            f"zip archive: {total} bytes uncompressed in total, over the limit of "
            f"{limits.max_uncompressed_bytes}"
        )
    budget = _Budget(limits)
    manifest_info = by_name.get(MANIFEST_NAME)
    if manifest_info is None:
        raise PackageRejected(f"{MANIFEST_NAME}: missing at the top of the package")
    raw = _read_member(zf, manifest_info, limits.max_manifest_bytes, budget, MANIFEST_NAME)
    manifest = normalize_manifest_ids(_parse_manifest(raw))
    validate_manifest(manifest)
    cache: dict[str, bytes] = {}
    files = []
    for index, entry in enumerate(_attachments(manifest)):
        rel = str(entry["path"])
        where = f"attachments[{index}] {rel!r}"
        if rel not in cache:
            member = by_name.get(rel)
            if member is None or member.is_dir():
                raise PackageRejected(f"{where}: file not found in the package")
            cache[rel] = _read_member(zf, member, limits.max_file_bytes, budget, where)
        files.append(_package_file(index, entry, cache[rel]))
    return manifest, files


def _package_file(index: int, entry: Mapping[str, Any], data: bytes) -> PackageFile:
    digest = hashlib.sha256(data).hexdigest()
    declared = entry.get("sha256")
    if declared is not None and str(declared).lower() != digest:
        raise PackageRejected(
            f"attachments[{index}] {entry['path']!r}: sha256 mismatch "
            f"(manifest says {str(declared).lower()}, file is {digest})"
        )
    media_type = entry.get("media_type")
    return PackageFile(
        label=str(entry["label"]),
        path=str(entry["path"]),
        data=data,
        sha256=digest,
        media_type=None if media_type is None else str(media_type),
    )


def content_hash(manifest: Mapping[str, Any], file_digests: Sequence[str]) -> str:
    """sha256 over the canonical manifest and the attachments' actual sha256 digests.

    Canonical form: JSON with sorted keys, no insignificant whitespace, UTF-8, with any
    declared ``attachments[].sha256`` removed (the actual digests, in attachment order,
    stand in for them). So the same content gives the same hash whether it came as a
    folder or a zip, however the JSON was formatted, and with or without declared hashes.
    """
    stripped = dict(manifest)
    stripped["attachments"] = [
        {k: v for k, v in entry.items() if k != "sha256"} for entry in manifest["attachments"]
    ]
    canonical = json.dumps(
        {"manifest": stripped, "files": list(file_digests)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_package(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Read and validate a package folder or ``.zip`` entirely in memory.

    Raises :class:`PackageRejected` (and nothing else) for any bad input: missing or
    malformed manifest, schema violations, unsafe or missing attachment paths, symlinks,
    too many files, oversized files or packages, zip bombs, sha256 mismatches.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise PackageRejected(f"{path}: cannot open package ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        try:
            root = path.resolve(strict=True)
        except OSError as exc:
            raise PackageRejected(f"{path}: cannot open package ({exc.strerror})") from None
        manifest, files = _read_folder(root, limits)
    elif stat.S_ISREG(st.st_mode):
        manifest, files = _read_zip(path, limits)
    else:
        raise PackageRejected(f"{path}: neither a folder nor a zip file")
    return Package(
        source=path,
        manifest=manifest,
        content_hash=content_hash(manifest, [f.sha256 for f in files]),
        files=tuple(files),
    )


# --------------------------------------------------------------------------- writing


def write_package(
    dest: Path, manifest: Mapping[str, Any], files: Mapping[str, bytes], *, as_zip: bool
) -> Path:
    """Write a package: a folder at ``dest``, or a zip file at ``dest`` when ``as_zip``.

    ``files`` maps relative POSIX paths to contents. Nothing is validated against the
    manifest (tests and the demo generator write deliberately broken packages too), but
    each path must be safe. Zips are deflated with fixed timestamps, so the same input
    gives the same bytes. Returns ``dest``.
    """
    for rel in files:
        problem = _path_problem(rel)
        if problem is not None:
            raise ValueError(f"unsafe package path {rel!r}: {problem}")
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    if as_zip:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            entries = [(MANIFEST_NAME, text.encode("utf-8")), *sorted(files.items())]
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                zf.writestr(info, data)
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    (dest / MANIFEST_NAME).write_text(text, encoding="utf-8")
    for rel, data in files.items():
        target = dest / PurePosixPath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest
