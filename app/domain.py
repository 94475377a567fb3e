"""Domain types: frozen, Qt-free and ORM-free values that cross layers and threads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class CaseKind(StrEnum):
    """The three kinds of supplementary-material case named in the seeds."""

    GUARDIANSHIP = "guardianship"  # 入学登记 补充材料 (custody after divorce)
    RURAL_HOUSE = "rural_house"  # 使用农房 补充材料
    KINSHIP = "kinship"  # 隔代亲属关系 补充材料

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    CaseKind.GUARDIANSHIP: "监护关系",
    CaseKind.RURAL_HOUSE: "农房",
    CaseKind.KINSHIP: "隔代亲属",
}


class Stage(StrEnum):
    """Enrollment stage."""

    PRIMARY = "primary"  # 幼升小
    JUNIOR = "junior"  # 小升初

    @property
    def label(self) -> str:
        return "幼升小" if self is Stage.PRIMARY else "小升初"


class CaseStatus(StrEnum):
    """Where a case round stands in the review workflow."""

    PENDING = "pending"  # 待审核
    CONFIRMING = "confirming"  # 待复核 (four-eyes)
    APPROVED = "approved"  # 已通过
    REJECTED = "rejected"  # 未通过
    RETURNED = "returned"  # 已退回

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.PENDING: "待审核",
    CaseStatus.CONFIRMING: "待复核",
    CaseStatus.APPROVED: "已通过",
    CaseStatus.REJECTED: "未通过",
    CaseStatus.RETURNED: "已退回",
}


class Outcome(StrEnum):
    """What a reviewer decides."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


# The decision panel's words for the three outcomes (ui/case/decision_panel.py shows the
# same ones); notices and slips use the longer 审核通过 / 审核不通过 / 退回补充材料.
OUTCOME_LABELS = {
    Outcome.APPROVE: "通过",
    Outcome.REJECT: "不通过",
    Outcome.RETURN: "退回补充",
}


class Severity(StrEnum):
    """How serious a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class CertType(StrEnum):
    """Kinds of property title or equivalent document."""

    REAL_ESTATE = "不动产权证"
    HOUSE = "房产证"
    LAND_USE = "土地使用证"
    ONLINE_CONTRACT = "网签合同"
    RURAL = "农房"
    DEMOLITION = "拆迁协议"


class PropertyNature(StrEnum):
    """Title nature: residential or not (apartments, commercial-residential)."""

    RESIDENTIAL = "住宅"
    NON_RESIDENTIAL = "非住宅"


@dataclass(frozen=True)
class Person:
    """A student, guardian or grandparent as submitted.

    ``relation`` is the relation to the student: 本人, 父亲, 母亲, 其他监护人, 祖父, 祖母,
    外祖父, 外祖母.
    """

    name: str
    id_number: str
    relation: str
    hukou_address: str | None = None
    phone: str | None = None
    has_custody: bool | None = None


@dataclass(frozen=True)
class CustodyFacts:
    """Guardianship case facts: divorce and who holds custody."""

    divorced: bool
    divorce_date: dt.date | None
    custody_holder_name: str | None
    custody_document: str | None  # 离婚协议书 / 法院判决书 / 调解书
    note: str | None = None


@dataclass(frozen=True)
class RuralHouseFacts:
    """Rural-house case facts: the declared owner and the house."""

    owner_name: str
    owner_id_number: str
    owner_relation: str
    address: str
    house_type: str  # 农房 / 军房 / 农民公寓 / 单位房 / 拆迁协议


@dataclass(frozen=True)
class PropertyRecord:
    """A property title (or agreement) that the family uses as residence basis."""

    cert_type: CertType
    cert_number: str
    issue_date: dt.date | None
    nature: PropertyNature
    owner_name: str
    owner_id_number: str | None
    address: str
    non_direct_co_owner: bool = False


@dataclass(frozen=True)
class RentalRecord:
    """A registered rental (房屋租赁备案)."""

    registration_number: str
    address: str
    start_date: dt.date
    end_date: dt.date | None
    holder_name: str


@dataclass(frozen=True)
class ResidencePermit:
    """A residence permit (居住证)."""

    number: str
    holder_name: str
    holder_id_number: str | None
    start_date: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class AttachmentInfo:
    """An uploaded file as stored: what it claims to be and what we found in it."""

    label: str
    sha256: str
    media_type: str
    size: int
    readable: bool
    reason: str | None = None
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    filename: str | None = None
    page_count: int | None = None  # a PDF's pages (None for a photo, or not known)


@dataclass(frozen=True)
class CaseFacts:
    """Everything submitted for one case round, as the checks see it."""

    submission_id: str
    city: str
    admission_year: int
    stage: Stage
    district: str
    school: str
    kind: CaseKind
    residence_basis: str
    submitted_at: dt.datetime
    student: Person
    guardians: tuple[Person, ...] = ()
    grandparents: tuple[Person, ...] = ()
    custody: CustodyFacts | None = None
    rural_house: RuralHouseFacts | None = None
    properties: tuple[PropertyRecord, ...] = ()
    rentals: tuple[RentalRecord, ...] = ()
    permits: tuple[ResidencePermit, ...] = ()
    attachments: tuple[AttachmentInfo, ...] = ()


@dataclass(frozen=True)
class PropertyUse:
    """A property certificate used by a family in an admission year (from the store)."""

    cert_number: str
    admission_year: int
    student_id_number: str
    guardian_id_numbers: frozenset[str]
    case_ref: str


@dataclass(frozen=True)
class CheckContext:
    """What the checks need to know beyond the case itself (looked up in the store)."""

    property_uses: tuple[PropertyUse, ...] = ()
    other_open_cases_for_student: tuple[str, ...] = ()
    today: dt.date | None = None


@dataclass(frozen=True)
class Finding:
    """One result of an automatic check."""

    code: str
    severity: Severity
    message: str
    fact: str


@dataclass(frozen=True)
class ChecklistItem:
    """One document a case kind must contain, and the attachment labels that satisfy it."""

    code: str
    label: str
    accepted_labels: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class StagePolicy:
    """Age window for one stage: age in whole years on the reference date."""

    min_age: int
    max_age: int
    age_reference: dt.date


DEFAULT_QA_PERCENT = 5.0
"""The share of approvals drawn for 抽查 when a policy file does not set one."""


@dataclass(frozen=True)
class Policy:
    """One city's rules for one admission year, loaded from resources/policies."""

    policy_id: str
    city: str
    year: int
    cutoff_date: dt.date
    rental_min_months: int
    permit_min_months: int
    property_reuse_years: int
    demolition_valid_years: int
    grandparent_min_age_gap: int
    stages: dict[Stage, StagePolicy]
    checklists: dict[CaseKind, tuple[ChecklistItem, ...]]
    four_eyes: dict[CaseKind, frozenset[Outcome]]
    undo_window_minutes: int
    return_deadline_days: int
    sources: tuple[str, ...] = field(default=())
    # The day the district's review of this season must be finished (the supervisor desk
    # counts down to it); None when the bureau has not set one.
    review_deadline: dt.date | None = None
    # The share (percent, 0..100) of each reviewer's approvals drawn for 抽查, per kind;
    # DEFAULT_QA_PERCENT for a kind the file does not name.
    qa_sample_percent: dict[CaseKind, float] = field(
        default_factory=lambda: {kind: DEFAULT_QA_PERCENT for kind in CaseKind}
    )
