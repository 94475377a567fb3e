"""The reason library: coded rejection reasons per case kind, with parent and file wording."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from resources import RESOURCES_DIR

REASONS_FILE = RESOURCES_DIR / "reasons.json"
VERDICTS = ("fine", "unclear", "wrong_document", "suspicious")


@dataclass(frozen=True)
class Reason:
    """One coded reason: what the parent reads and what the file says."""

    code: str
    parent_text: str
    file_text: str
    comment_required: bool = False


@functools.lru_cache(maxsize=1)
def _library() -> dict[str, object]:
    data: dict[str, object] = json.loads(REASONS_FILE.read_text(encoding="utf-8"))
    return data


def reasons_for(kind: str) -> tuple[Reason, ...]:
    """Kind-specific reasons first, then the ones that apply to every kind (OTHER last)."""
    lib = _library()
    if kind not in ("guardianship", "rural_house", "kinship"):
        raise ValueError(f"unknown case kind {kind!r}")
    entries = list(lib[kind]) + list(lib["all"])  # type: ignore[call-overload]
    entries.sort(key=lambda e: e["code"] == "OTHER")
    return tuple(
        Reason(e["code"], e["parent"], e["file"], bool(e.get("comment_required", False)))
        for e in entries
    )


def reason_map(kind: str) -> dict[str, Reason]:
    return {r.code: r for r in reasons_for(kind)}


def suggested_reasons(verdicts: dict[int, str]) -> tuple[str, ...]:
    """Reasons that attachment verdicts point to (unclear photo → PHOTO_UNCLEAR, …)."""
    suggests: dict[str, str] = _library()["verdict_suggests"]  # type: ignore[assignment]
    out: list[str] = []
    for verdict in verdicts.values():
        code = suggests.get(verdict)
        if code and code not in out:
            out.append(code)
    return tuple(out)
