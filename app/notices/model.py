"""What a printed notice says: the data handed to the renderer, and the template wording."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal, cast

from app.domain import CaseKind, Outcome, Stage
from app.notices.signing import (
    PrivateKeyLike,
    SignatureInvalid,
    SlipPayload,
    parse_payload_unverified,
    sign_payload,
)
from resources import RESOURCES_DIR
from reviewdb.errors import Refusal

TEMPLATES_PATH: Final = RESOURCES_DIR / "notices" / "templates.json"

TemplateName = Literal["approval", "rejection", "missing", "onsite_receipt"]
TEMPLATE_NAMES: Final[tuple[TemplateName, ...]] = (
    "approval",
    "rejection",
    "missing",
    "onsite_receipt",
)

# Which reviewer outcome each template announces (None: the on-site receipt).
TEMPLATE_OUTCOMES: Final[dict[str, Outcome | None]] = {
    "approval": Outcome.APPROVE,
    "rejection": Outcome.REJECT,
    "missing": Outcome.RETURN,
    "onsite_receipt": None,
}

_ID_RE: Final = re.compile(r"[0-9]{17}[0-9Xx]")
_MASKED_RE: Final = re.compile(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]")


class NoticeError(Refusal, ValueError):
    """A notice cannot be produced from this data."""


def mask_id_number(id_number: str) -> str:
    """First 6 and last 4 characters of an 18-character resident ID, 8 stars between.

    Already-masked input is returned unchanged.
    """
    value = id_number.strip()
    if _MASKED_RE.fullmatch(value):
        return value
    if not _ID_RE.fullmatch(value):
        raise NoticeError("student id must be an 18-character resident ID number")
    return f"{value[:6]}{'*' * 8}{value[-4:].upper()}"


@lru_cache(maxsize=4)
def _load_templates(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or "template_version" not in data:
        raise NoticeError(f"{path}: not a notice template file")
    for name in TEMPLATE_NAMES:
        if name not in data["templates"]:
            raise NoticeError(f"{path}: template {name!r} missing")
    return cast(dict[str, Any], data)


def load_templates(path: Path | None = None) -> dict[str, Any]:
    """The template wording (cached; treat as read-only)."""
    return _load_templates(path or TEMPLATES_PATH)


def current_template_version() -> str:
    return str(load_templates()["template_version"])


@dataclass(frozen=True)
class NoticeData:
    """Everything printed on one notice page.

    ``student_id`` is always stored masked (first 6 + last 4): a full ID given here is
    masked on construction, so the full number can never reach the PDF.
    ``qr_text`` is the signed slip text (see :mod:`app.notices.signing`); build it with
    :func:`sign_notice`.
    """

    template: TemplateName
    letterhead: str  # red header line, e.g. 南昌市东湖区教育体育局
    district_name: str  # signing authority, e.g. 南昌市东湖区教育体育局
    district_code: str  # e.g. 360102 (goes into the signed payload)
    issuing_office: str  # e.g. 东湖区义务教育招生工作办公室
    seal_text: str  # around the seal, e.g. 南昌市东湖区教育体育局
    case_no: str
    round: int
    kind: CaseKind
    student_name: str
    student_id: str
    school: str
    reviewer_code: str
    decision_date: dt.date
    serial: str
    qr_text: str = ""
    outcome: Outcome | None = None  # derived from the template when None
    stage: Stage | None = None
    reasons: tuple[tuple[str, str], ...] = ()  # (code, wording for parents)
    missing_documents: tuple[str, ...] = ()
    checked_documents: tuple[str, ...] = ()  # on-site receipt: originals seen
    deadline: dt.date | None = None
    note: str | None = None  # reviewer's comment to the parent
    venue: str | None = None  # on-site receipt: where the verification took place
    contact_phone: str | None = None
    copy_no: int = 1
    reprint: bool = False
    template_version: str = field(default_factory=current_template_version)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if self.template not in TEMPLATE_NAMES:
            raise NoticeError(f"unknown template {self.template!r}")
        set_(self, "kind", CaseKind(self.kind))
        if self.stage is not None:
            set_(self, "stage", Stage(self.stage))
        set_(self, "student_id", mask_id_number(self.student_id))
        expected = TEMPLATE_OUTCOMES[self.template]
        if self.outcome is None:
            set_(self, "outcome", expected)
        elif Outcome(self.outcome) is not expected:
            raise NoticeError(f"template {self.template} cannot announce outcome {self.outcome}")
        set_(self, "reasons", tuple((str(c), str(w)) for c, w in self.reasons))
        set_(self, "missing_documents", tuple(self.missing_documents))
        set_(self, "checked_documents", tuple(self.checked_documents))
        for name in (
            "letterhead",
            "district_name",
            "issuing_office",
            "seal_text",
            "case_no",
            "student_name",
            "school",
            "reviewer_code",
            "serial",
        ):
            if not str(getattr(self, name)).strip():
                raise NoticeError(f"{name} is empty")
        if self.round < 1:
            raise NoticeError("round must be >= 1")
        if self.copy_no < 1:
            raise NoticeError("copy_no must be >= 1")
        if self.template == "rejection" and not self.reasons:
            raise NoticeError("a rejection notice needs at least one reason")
        if self.template == "missing":
            if not self.missing_documents:
                raise NoticeError("a missing-documents notice needs the list of documents")
            if self.deadline is None:
                raise NoticeError("a missing-documents notice needs a deadline")
        if self.template == "onsite_receipt" and not self.venue:
            raise NoticeError("an on-site receipt needs the venue")
        if self.qr_text:
            self._check_qr_text()

    @property
    def slip_outcome(self) -> str:
        """The outcome word used in the signed payload."""
        return self.outcome.value if self.outcome is not None else "onsite"

    def slip_payload(self) -> SlipPayload:
        """The payload this notice's QR code should carry."""
        return SlipPayload(
            case_no=self.case_no,
            round=self.round,
            outcome=self.slip_outcome,
            date=self.decision_date.isoformat(),
            reviewer_code=self.reviewer_code,
            serial=self.serial,
            district_code=self.district_code,
        )

    def _check_qr_text(self) -> None:
        try:
            printed = parse_payload_unverified(self.qr_text)
        except SignatureInvalid as exc:
            raise NoticeError(f"qr_text is not a slip payload ({exc})") from exc
        if printed != self.slip_payload():
            raise NoticeError("qr_text does not describe this notice")


def sign_notice(data: NoticeData, private_key: PrivateKeyLike) -> NoticeData:
    """A copy of ``data`` carrying its signed QR text."""
    return dataclasses.replace(data, qr_text=sign_payload(data.slip_payload(), private_key))
