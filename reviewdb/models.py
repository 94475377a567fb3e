"""The store's tables as SQLAlchemy 2 typed models.

Design notes (see docs/architecture.md):
- Rows that can be born on more than one machine (decisions, journal entries, print
  records, outbox items) have client-made UUID text keys, so the sync uploader can insert
  them idempotently at the central store.
- Replicated rows carry ``change_seq``: the value of the commit-ordered change counter
  (``change_counter``) taken last in the writing transaction. Pulls follow it, never
  timestamps.
- Submitted facts belong to a case *round*: a resubmission is a new round and earlier
  rounds stay readable as they were.
- Every relationship is ``lazy="raise"``: a hidden lazy load fails in a test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from reviewdb.types import JSONText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("reviewer", "supervisor", "admin")
CASE_KINDS = ("guardianship", "rural_house", "kinship")
CASE_STATUSES = ("pending", "confirming", "approved", "rejected", "returned")
OUTCOMES = ("approve", "reject", "return")
# pending_confirmation: waits for a supervisor (four-eyes); accepted/confirmed: final;
# conflict: its claim token was stale when the arbiter saw it; undone/superseded: history.
DECISION_STATES = (
    "accepted",
    "pending_confirmation",
    "confirmed",
    "conflict",
    "undone",
    "superseded",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints alike."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSONText}


class District(Base):
    """A district (区县) and what its printed notices say about it."""

    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    city: Mapped[str] = mapped_column(String(64))
    letterhead: Mapped[str] = mapped_column(String(128))
    office: Mapped[str] = mapped_column(String(128))
    seal_text: Mapped[str] = mapped_column(String(128))
    phone: Mapped[str | None] = mapped_column(String(32))
    public_key_pem: Mapped[str | None] = mapped_column(Text)

    schools: Mapped[list[School]] = relationship(back_populates="district", lazy="raise")


class DistrictKey(Base):
    """One of a district's signing keys, current or past; printed slips name their key.

    ``key_id`` counts per district from 1. The district's *current* key is its newest key
    neither retired nor revoked, and ``districts.public_key_pem`` is kept equal to it (the
    workstations pull districts, and printing checks the private key file against it).
    A rotation retires the current key: the slips it signed still verify, as issued under
    a retired key. A revoked key verifies nothing any more. ``created_by`` is the admin's
    username (None for a key copied from ``districts.public_key_pem`` by migration 0004
    when the journal does not say who made it).
    """

    __tablename__ = "district_keys"
    __table_args__ = (
        CheckConstraint("key_id >= 1", name="key_id"),
        CheckConstraint(
            "(revoked_at IS NULL AND revoked_reason IS NULL)"
            " OR (revoked_at IS NOT NULL AND revoked_reason IS NOT NULL)",
            name="revoked_reason",
        ),
    )

    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_key_pem: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column()
    created_by: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class School(Base):
    """A school that receives students of a district."""

    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("district_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    stage: Mapped[str | None] = mapped_column(String(16))

    district: Mapped[District] = relationship(back_populates="schools", lazy="raise")


class User(Base):
    """A person who logs in: reviewer, supervisor or admin."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    reviewer_code: Mapped[str] = mapped_column(String(16), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # A supervisor's pause (not an admin's disable): no logins, claims or decisions until
    # a supervisor of the person's districts resumes them. Who paused, by user name.
    paused_at: Mapped[dt.datetime | None] = mapped_column()
    paused_by: Mapped[str | None] = mapped_column(String(64))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)

    districts: Mapped[list[UserDistrict]] = relationship(lazy="raise")


class UserDistrict(Base):
    """Which districts a user may see and act in."""

    __tablename__ = "user_districts"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True)


class Student(Base):
    """A child applying for a school place in one district, known there by the resident ID number.

    Keyed by district (issue 13): another district's package for the same child makes that
    district its own row, so no package rewrites what a district's cases show, and a
    district login reads only its own rows. ``district_code`` is NULL only on rows written
    around intake (synthetic test and benchmark rows); intake always sets it.
    """

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("district_code", "id_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    id_number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    hukou_address: Mapped[str | None] = mapped_column(String(255))


class Application(Base):
    """A student's enrollment application for one year and stage."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("student_id", "admission_year", "stage"),
        CheckConstraint(_in("stage", ("primary", "junior")), name="stage"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    city: Mapped[str] = mapped_column(String(64))
    admission_year: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    residence_basis: Mapped[str] = mapped_column(String(64))


class Case(Base):
    """A supplementary-materials case: what the queue lists and reviewers decide.

    Student name and ID number are copied here from the current round so that the
    queue's search and sort stay single-table index scans on 100,000 cases.
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(_in("kind", CASE_KINDS), name="kind"),
        CheckConstraint(_in("status", CASE_STATUSES), name="status"),
        CheckConstraint("worst_severity BETWEEN 0 AND 3", name="worst_severity"),
        Index("ix_cases_queue", "district_code", "status", "submitted_at", "id"),
        Index("ix_cases_submitted", "submitted_at", "id"),
        # The supervisor desk's backlog: open cases grouped from the index alone.
        Index(
            "ix_cases_backlog",
            "status",
            "district_code",
            "school_id",
            "kind",
            "admission_year",
            "submitted_at",
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    current_round: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[dt.datetime] = mapped_column()
    # The application's admission year, kept on the case (it never changes) so that the
    # supervisor desk counts open cases per season without joining every application.
    # NULL only for rows made before migration 0009 could fill it.
    admission_year: Mapped[int | None] = mapped_column(Integer)
    student_name: Mapped[str] = mapped_column(String(64), index=True)
    student_id_number: Mapped[str] = mapped_column(String(32), index=True)
    # 0 none, 1 info, 2 warning, 3 error: the queue's badge, kept current with findings.
    worst_severity: Mapped[int] = mapped_column(Integer, default=0)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    decided_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    updated_at: Mapped[dt.datetime] = mapped_column()
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)

    rounds: Mapped[list[CaseRound]] = relationship(
        back_populates="case", lazy="raise", order_by="CaseRound.round_no"
    )


class CaseRound(Base):
    """One submission of a case. Round 1 is the first; a resubmission after a return adds one."""

    __tablename__ = "case_rounds"
    __table_args__ = (UniqueConstraint("case_id", "round_no"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    round_no: Mapped[int] = mapped_column(Integer)
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column()
    imported_at: Mapped[dt.datetime] = mapped_column()
    # The manifest as received: the exact facts of this round, readable forever.
    manifest: Mapped[dict[str, Any]] = mapped_column()
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)

    case: Mapped[Case] = relationship(back_populates="rounds", lazy="raise")
    people: Mapped[list[RoundPerson]] = relationship(lazy="raise", order_by="RoundPerson.ordinal")
    attachments: Mapped[list[Attachment]] = relationship(
        lazy="raise", order_by="Attachment.ordinal"
    )


class RoundPerson(Base):
    """A guardian or grandparent named in a round (the student is on the application)."""

    __tablename__ = "round_people"
    __table_args__ = (
        UniqueConstraint("round_id", "ordinal"),
        CheckConstraint(_in("role", ("guardian", "grandparent")), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("case_rounds.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(32), index=True)
    relation: Mapped[str] = mapped_column(String(16))
    has_custody: Mapped[bool | None] = mapped_column(Boolean)
    phone: Mapped[str | None] = mapped_column(String(32))


class CustodyFact(Base):
    """Guardianship facts of a round: divorce and custody."""

    __tablename__ = "custody_facts"

    round_id: Mapped[str] = mapped_column(
        ForeignKey("case_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    divorced: Mapped[bool] = mapped_column(Boolean)
    divorce_date: Mapped[dt.date | None] = mapped_column(Date)
    custody_holder_name: Mapped[str | None] = mapped_column(String(64))
    custody_document: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class RuralHouseFact(Base):
    """Rural-house facts of a round: the declared owner and the house."""

    __tablename__ = "rural_house_facts"

    round_id: Mapped[str] = mapped_column(
        ForeignKey("case_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    owner_name: Mapped[str] = mapped_column(String(64))
    owner_id_number: Mapped[str] = mapped_column(String(32))
    owner_relation: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(255))
    house_type: Mapped[str] = mapped_column(String(16))


class Property(Base):
    """A property certificate (or agreement) as one district's packages state it.

    Keyed by district, type and number (issue 13): a package never links to, nor reads,
    another district's row of the same certificate; intake still finds the other
    district's uses by number (``property_uses``) and reports them without their details.
    """

    __tablename__ = "properties"
    __table_args__ = (UniqueConstraint("district_code", "cert_type", "cert_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    cert_type: Mapped[str] = mapped_column(String(16))
    cert_number: Mapped[str] = mapped_column(String(64), index=True)
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    nature: Mapped[str] = mapped_column(String(8))
    owner_name: Mapped[str] = mapped_column(String(64))
    owner_id_number: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(255))
    non_direct_co_owner: Mapped[bool] = mapped_column(Boolean, default=False)


class PropertyUse(Base):
    """Which family used which property in which admission year (the 3-year rule)."""

    __tablename__ = "property_uses"
    __table_args__ = (UniqueConstraint("property_id", "round_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("case_rounds.id", ondelete="CASCADE"))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    admission_year: Mapped[int] = mapped_column(Integer)
    student_id_number: Mapped[str] = mapped_column(String(32))
    # Sorted guardian ID numbers joined by ",": two uses are one family when they share one.
    guardian_id_numbers: Mapped[str] = mapped_column(Text)


class Rental(Base):
    """A registered rental (租赁备案) submitted in a round."""

    __tablename__ = "rentals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(
        ForeignKey("case_rounds.id", ondelete="CASCADE"), index=True
    )
    registration_number: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(255))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    holder_name: Mapped[str] = mapped_column(String(64))


class ResidencePermit(Base):
    """A residence permit (居住证) submitted in a round."""

    __tablename__ = "residence_permits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(
        ForeignKey("case_rounds.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(64))
    holder_name: Mapped[str] = mapped_column(String(64))
    holder_id_number: Mapped[str | None] = mapped_column(String(32))
    start_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)


class Blob(Base):
    """A content-addressed file; the bytes live under the data directory (ab/cd/<sha256>)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(64))
    # False while a sync download is incomplete: the file is there only when its hash matched.
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column()


class Attachment(Base):
    """An uploaded document of a round: what the parent said it is and what we found."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("round_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("case_rounds.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[int | None] = mapped_column(Integer)
    readable: Mapped[bool] = mapped_column(Boolean)
    unreadable_reason: Mapped[str | None] = mapped_column(Text)
    # A PDF's number of pages as intake found it (None for photos and older rows).
    page_count: Mapped[int | None] = mapped_column(Integer)


class FindingRow(Base):
    """A finding of the automatic checks on a case's current round (recomputed, not edited)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    round_no: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    fact: Mapped[str] = mapped_column(String(128))


class Claim(Base):
    """The lease on a case: who may decide it, until when, fenced by a rising token.

    One row per case, created with the case (owner NULL, token 0). A claim is won only by
    one guarded UPDATE that raises ``token``; a decision is accepted only with the token
    that is current at the arbiter.
    """

    __tablename__ = "claims"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    token: Mapped[int] = mapped_column(BigInteger, default=0)
    leased_until: Mapped[dt.datetime | None] = mapped_column()
    claimed_at: Mapped[dt.datetime | None] = mapped_column()
    workstation: Mapped[str | None] = mapped_column(String(64))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class Decision(Base):
    """A reviewer's decision on a case round. Never edited: later states are new facts.

    ``effective`` marks the one decision that counts for its round; a partial unique index
    keeps it to at most one per (case, round) on both backends.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
        CheckConstraint(_in("state", DECISION_STATES), name="state"),
        Index(
            "uq_decisions_effective_round",
            "case_id",
            "round_no",
            unique=True,
            sqlite_where=text("effective"),
            postgresql_where=text("effective"),
        ),
        # The supervisor desk reads standing decisions only (a few in ten of all once
        # rounds are redone): partial indexes keep its aggregates off the rest. SQLite
        # uses a partial index when the query repeats its WHERE: "effective = 1" is what
        # SQLAlchemy writes for a boolean there.
        Index(
            "ix_decisions_standing",
            "reviewer_id",
            "outcome",
            "store_time",
            sqlite_where=text("effective = 1"),
            postgresql_where=text("effective"),
        ),
        Index(
            "ix_decisions_reasoned",
            "case_id",
            "reasons",
            sqlite_where=text("effective = 1 AND outcome <> 'approve'"),
            postgresql_where=text("effective AND outcome <> 'approve'"),
        ),
        Index(
            "ix_decisions_conflicts",
            "case_id",
            sqlite_where=text("state = 'conflict'"),
            postgresql_where=text("state = 'conflict'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # made by the client
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round_no: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[dict[str, Any]] = mapped_column()  # {"codes": [...], "missing": [...], ...}
    comment: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    claim_token: Mapped[int] = mapped_column(BigInteger)
    device_time: Mapped[dt.datetime] = mapped_column()
    store_time: Mapped[dt.datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(24))
    effective: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("decisions.id"))
    workstation: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


QA_VERDICTS = ("agree", "disagree")
QA_SETTLEMENTS = ("upheld", "overturned")


class QaDraw(Base):
    """One 抽查 draw of a district's approvals, reproducible from its recorded seed.

    A sample is chosen iff sha256(seed, decision id) falls under the kind's percentage
    (``percents``: the percentages used, per policy id and kind). A draw considers the
    standing approvals whose ``change_seq`` lies above the district's previous draw's
    ``through_seq`` and at most its own: each approval is weighed by exactly one draw, so
    the sampled share stays the configured one however often a supervisor draws.
    """

    __tablename__ = "qa_draws"
    __table_args__ = (
        CheckConstraint("considered >= 0 AND drawn >= 0 AND unassigned >= 0", name="counts"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seed: Mapped[str] = mapped_column(String(128))
    drawn_at: Mapped[dt.datetime] = mapped_column()
    drawn_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    percents: Mapped[dict[str, Any]] = mapped_column()
    considered: Mapped[int] = mapped_column(Integer)
    drawn: Mapped[int] = mapped_column(Integer)
    unassigned: Mapped[int] = mapped_column(Integer)
    through_seq: Mapped[int] = mapped_column(BigInteger)
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class QaSample(Base):
    """An approval drawn for 抽查: a second reviewer's verdict and a supervisor's settlement.

    ``assigned_to`` is a reviewer of the case's district other than the approver (NULL when
    the district had none); a ``disagree`` verdict waits for a supervisor, who upholds the
    approval or overturns it with a decision of their own (``overturned_by``).
    """

    __tablename__ = "qa_samples"
    __table_args__ = (
        CheckConstraint(f"verdict IS NULL OR {_in('verdict', QA_VERDICTS)}", name="verdict"),
        CheckConstraint(
            f"settlement IS NULL OR {_in('settlement', QA_SETTLEMENTS)}", name="settlement"
        ),
        # Four eyes in the store itself: nobody checks their own approval.
        CheckConstraint(
            "assigned_to IS NULL OR assigned_to <> reviewer_id", name="assignee_not_approver"
        ),
        CheckConstraint("settlement IS NULL OR verdict = 'disagree'", name="settled_disagreement"),
        CheckConstraint(
            "settled_by IS NULL OR settled_by <> reviewer_id", name="settler_not_approver"
        ),
    )

    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("qa_draws.id"), index=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    verdict: Mapped[str | None] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
    verdict_at: Mapped[dt.datetime | None] = mapped_column()
    settled_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    settled_at: Mapped[dt.datetime | None] = mapped_column()
    settlement: Mapped[str | None] = mapped_column(String(12))
    overturned_by: Mapped[str | None] = mapped_column(ForeignKey("decisions.id"))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class NoticePrint(Base):
    """One printed notice: serial, template version, copy number, who and when."""

    __tablename__ = "notice_prints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round_no: Mapped[int] = mapped_column(Integer)
    decision_id: Mapped[str | None] = mapped_column(ForeignKey("decisions.id"))
    template: Mapped[str] = mapped_column(String(32))
    template_version: Mapped[str] = mapped_column(String(16))
    copy_no: Mapped[int] = mapped_column(Integer)
    reprint_reason: Mapped[str | None] = mapped_column(Text)
    printed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    device_time: Mapped[dt.datetime] = mapped_column()
    store_time: Mapped[dt.datetime] = mapped_column()
    workstation: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class JournalEntry(Base):
    """The append-only audit journal, hash-chained entry to entry.

    ``hash`` = sha256 over the canonical entry (seq, entry_id, actor, workstation, times,
    action, case, payload) and ``prev_hash``; altering, removing or inserting any row
    breaks the chain at that row. ``mac`` = HMAC-SHA256 of ``hash`` under this store's own
    journal key (:class:`JournalKey` ``self``): recomputing the hashes without the key shows.
    NULL only for entries written before keys (migration 0006), reported as unkeyed.
    """

    __tablename__ = "journal"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(36), unique=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    device_time: Mapped[dt.datetime] = mapped_column()
    store_time: Mapped[dt.datetime] = mapped_column()
    action: Mapped[str] = mapped_column(String(32), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)


class CentralJournalEntry(Base):
    """Journal entries uploaded by workstations, each chain kept exactly as it was written.

    ``chain`` is the writing store's id; (chain, seq, prev_hash, hash, mac) are the
    workstation's own, so the central verifier can check every reviewer's chain end to end.
    Only the registered owner appends, at the next position only, with ``mac`` checked
    against its key (``rd_append_journal``). ``withheld`` (NULL for an ordinary entry) says
    why the content is not here: the central store refused it (a NUL in the payload, a case
    of another district), so the workstation sent the position alone, its hash and mac
    intact, and the chain goes on after it.
    """

    __tablename__ = "central_journal"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    chain: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[str] = mapped_column(String(36), unique=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    device_time: Mapped[dt.datetime] = mapped_column()
    store_time: Mapped[dt.datetime] = mapped_column()
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
    withheld: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column()


class BlobChunk(Base):
    """A piece of a blob kept inside the central PostgreSQL store (1 MiB chunks).

    Chunk ``idx`` holds bytes ``[idx * 1 MiB, (idx + 1) * 1 MiB)`` of the blob
    (``reviewdb.blobs.CHUNK_BYTES``). A blob is complete (``blobs.present``) only once all
    chunks are there and their concatenation hashes to the blob's name; an upload resumes
    at the first missing chunk. ``received_at`` lets ``reviewdesk central gc-chunks`` drop
    chunks of uploads that never completed.
    """

    __tablename__ = "blob_chunks"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(server_default=text("CURRENT_TIMESTAMP"))


class DbRoleDistrict(Base):
    """Which districts a PostgreSQL login role (a district office's workstations) may see."""

    __tablename__ = "db_role_districts"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True)


class Station(Base):
    """A workstation registered with the central store, and its print serial range.

    Serials printed on a workstation that syncs carry its ``station_no``, so notices
    printed on several workstations of one district — online or offline — never share a
    serial (the central store's own prints use the plain district/day range).
    ``store_id`` is also the name of the workstation's journal chain; ``login_role`` is the
    PostgreSQL login that registered it (``session_user``), the only one that may append to
    that chain. NULL: registered by the owner, or before 0006 (bound at its next
    registration).
    """

    __tablename__ = "stations"

    store_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_no: Mapped[int] = mapped_column(Integer, unique=True)
    registered_at: Mapped[dt.datetime] = mapped_column()
    login_role: Mapped[str | None] = mapped_column(String(63))


class JournalKey(Base):
    """The secret HMAC key of a journal chain (what makes an entry's ``mac``).

    ``owner`` is ``self`` for this store's own journal (made at random by the store itself);
    at the central store there is also one row per registered workstation, keyed by its
    store id, holding the key the workstation sent at registration. ``keyed_from``: the
    first position that must carry a mac (earlier ones were written before keys). ``secret``
    is NULL for a chain the central store knew before keys and no key was registered for
    yet. Never readable by a workstation login (no grant in reviewdb/sql/policies.sql).
    """

    __tablename__ = "journal_keys"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret: Mapped[str | None] = mapped_column(String(64))
    keyed_from: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column()


class PersonLogin(Base):
    """A person's own PostgreSQL login at the central store (SCRAM-verified password).

    Central PostgreSQL only: the role is made by ``reviewdesk user add|passwd`` there
    (:mod:`reviewdb.identity`). It may only ask for a person token (``rd_issue_token``).
    """

    __tablename__ = "person_logins"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role_name: Mapped[str] = mapped_column(String(63), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column()


class PersonToken(Base):
    """A short-lived proof of one person on one workstation, issued by the central store.

    Issued at an online login (the password checked by PostgreSQL itself), bound to the
    person and to the login role of the workstation it was issued for, expiring and
    revocable. Only its SHA-256 is kept here; the workstation keeps the secret
    (:class:`StationToken`) and presents it with ``rd_act_as`` before acting for that person,
    also when pushing the outbox after the person logged out or after an offline day.
    """

    __tablename__ = "person_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[str] = mapped_column(String(64))
    login_role: Mapped[str] = mapped_column(String(63))
    secret_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()


class ActingSession(Base):
    """Who a central connection acts for in its current transaction (``rd_act_as``).

    One row per server backend, overwritten by the next ``rd_act_as``; a row counts only in
    the transaction that wrote it (``xact``), so nothing carries over to a later transaction
    or a reused connection. Workstation logins cannot write it (no grants).
    """

    __tablename__ = "acting_sessions"

    backend_pid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    xact: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[str] = mapped_column(String(36))
    token_id: Mapped[str] = mapped_column(String(36))


class StationToken(Base):
    """Workstation side: the person tokens this computer holds (one per person).

    Written at an online login; read by the sync engine to act for the person who made a
    decision. Never synced. The secret is a bearer credential for this workstation only:
    with the workstation's own central login it lets the holder act as that person until
    it expires or is revoked (docs/sync.md, threat model).
    """

    __tablename__ = "station_tokens"

    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    token_id: Mapped[str] = mapped_column(String(36))
    secret: Mapped[str] = mapped_column(String(128))
    issued_at: Mapped[dt.datetime] = mapped_column()
    expires_at: Mapped[dt.datetime] = mapped_column()


class ChangeCounter(Base):
    """Single-row commit-ordered change counter (SYNC.md lesson 4).

    Writers take it as the last statement of their transaction, so change numbers are
    handed out in commit order and a pull cursor never skips a slow transaction.
    """

    __tablename__ = "change_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class OutboxItem(Base):
    """Local work waiting to go up to the central store (transactional outbox)."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_type: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)


class Setting(Base):
    """Key/value settings of this store: store id, schema notes, sync cursor, district keys."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def row_values(row: Base) -> dict[str, Any]:
    """A mapped row's column values by column name (what travels between stores)."""
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, for Core statements on hot paths."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
