"""Intake: store submission packages atomically, flag unreadable images, keep findings current.

One package is atomic: the case (or its next round), the people and facts, the
attachments and their blobs, the findings and a journal entry commit together or not at
all. On PostgreSQL that is one write transaction per package; on SQLite several packages
share one (:func:`import_packages`), each in a savepoint of its own, so a refused package
rolls back alone and a crash leaves the whole batch unwritten. Blob files are written
first (content-addressed, so an orphan left by a failed transaction is harmless and
reused by the retry).

Districts are kept apart (issue 13): a package's student, application and property rows
are its own district's (keyed by district), so a package never rewrites what another
district's cases show, and a returned case continues only with a package of its own
district (another district's package for the same child is that district's own case).
Checks still look across districts, but a finding names another district's case only as
"another district" and the year, never that family's details.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, insert, or_, select, union_all
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.domain import AttachmentInfo, CaseFacts, CheckContext, Finding, PropertyUse, Severity
from app.intake import imaging
from app.intake.package import (
    Package,
    PackageRejected,
    facts_from_valid_manifest,
    manifest_to_facts,
    read_package,
)
from app.policy import checks
from app.policy.idnumbers import mask_ids_in_text
from app.policy.loader import PolicyError, policy_for
from reviewdb import changes, journal
from reviewdb.blobs import BlobError
from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Attachment,
    Blob,
    Case,
    CaseRound,
    Claim,
    CustodyFact,
    District,
    FindingRow,
    Property,
    RoundPerson,
    RuralHouseFact,
    School,
    Student,
)
from reviewdb.models import PropertyUse as PropertyUseRow
from reviewdb.models import Rental as RentalRow
from reviewdb.models import ResidencePermit as PermitRow

SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}
OPEN_STATUSES = ("pending", "confirming")


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one package: ``imported``, ``already`` or ``rejected``.

    ``reason`` and ``line`` never hold a resident ID in full: an ID-shaped token in them
    (in a quoted value, or in the package's own file name) is masked, first 6 + last 4.
    """

    status: str
    path: str
    case_no: str | None = None
    case_id: str | None = None
    reason: str | None = None
    round_no: int | None = None

    @property
    def line(self) -> str:
        if self.status == "imported":
            suffix = f" (round {self.round_no})" if self.round_no and self.round_no > 1 else ""
            return f"imported {self.case_no}{suffix}"
        if self.status == "already":
            return f"already imported {self.case_no}"
        return mask_ids_in_text(f"rejected {self.path}: {self.reason}")


def _rejected(path: Path, reason: str) -> ImportOutcome:
    return ImportOutcome("rejected", str(path), reason=mask_ids_in_text(reason))


class _Rejected(Exception):
    def __init__(self, reason: str) -> None:
        reason = mask_ids_in_text(reason)
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Probed:
    file_path: str
    label: str
    sha256: str
    data: bytes
    info: AttachmentInfo


def _known_probes(store: Store, shas: Sequence[str]) -> dict[str, imaging.ProbeResult]:
    """Probe results already recorded for these blobs: content addressing makes them valid.

    One recorded row per blob is read (``LIMIT 1`` each): a blob many packages share (the
    demo's image pool, a form every family sends) has a row per package that used it, and
    reading them all made each import slower than the one before.
    """
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    columns = (
        Attachment.sha256,
        Attachment.readable,
        Attachment.unreadable_reason,
        Attachment.media_type,
        Attachment.width,
        Attachment.height,
        Attachment.orientation,
        Attachment.page_count,
    )
    # A PDF recorded before PDFs could be read (no page count) is probed again.
    reusable = or_(Attachment.media_type != imaging.PDF, Attachment.page_count.is_not(None))
    one_each = [
        select(*columns).where(Attachment.sha256 == sha, reusable).limit(1).subquery().select()
        for sha in wanted
    ]
    with store.read() as s:
        rows = s.execute(one_each[0] if len(one_each) == 1 else union_all(*one_each)).all()
    return {
        sha: imaging.ProbeResult(
            readable=readable,
            reason=reason,
            media_type=media,
            width=w,
            height=h,
            orientation=o,
            page_count=pages,
        )
        for sha, readable, reason, media, w, h, o, pages in rows
    }


def _probe_files(package: Package, known: dict[str, imaging.ProbeResult]) -> list[_Probed]:
    """Each file's attachment info; ``known`` (probe results by sha256) is used and grown."""
    out = []
    for f in package.files:
        # The same bytes were decoded before (a resubmitted photo, a demo image pool):
        # the answer cannot differ, so the 12-MP decode is skipped.
        result = known.get(f.sha256)
        if result is None:
            result = known[f.sha256] = imaging.probe(f.data)
        info = AttachmentInfo(
            label=f.label,
            sha256=f.sha256,
            media_type=result.media_type,
            size=f.size,
            readable=result.readable,
            reason=result.reason,
            width=result.width,
            height=result.height,
            orientation=result.orientation,
            filename=f.path,
            page_count=result.page_count,
        )
        out.append(_Probed(f.path, f.label, f.sha256, f.data, info))
    return out


#: Packages stored per write transaction on SQLite, each in a savepoint of its own. One
#: commit (a WAL fsync) per package was most of what intake waited for; 25 keeps the
#: write lock held for well under a second, so a workstation's own writes barely wait.
SQLITE_BATCH = 25


@dataclass(frozen=True)
class _Ready:
    """A package read, validated, probed and matched to its policy: what is left is to
    store its blobs and rows."""

    index: int
    path: Path
    package: Package
    facts: CaseFacts
    probed: list[_Probed]
    policy: Any


def import_paths(
    store: Store, paths: Iterable[Path], *, actor: str | None, workstation: str
) -> list[ImportOutcome]:
    """Import each package on its own; one bad package never stops the others."""
    return list(import_packages(store, paths, actor=actor, workstation=workstation))


#: The most bytes a batch holds in memory (its packages' files) before it is stored.
BATCH_BYTES = 64 * 1024 * 1024
#: The most bytes (as the files are on disk) the worker processes read ahead of the batch
#: being stored.
READ_AHEAD_BYTES = 128 * 1024 * 1024


def import_packages(
    store: Store,
    paths: Iterable[Path],
    *,
    actor: str | None,
    workstation: str,
    batch_size: int | None = None,
    workers: int | None = None,
) -> Iterator[ImportOutcome]:
    """Import packages in order, one outcome each, yielded once its package is committed.

    Each package stays atomic and idempotent exactly as with :func:`import_package` (a bad
    package is rejected alone with its reason, one imported before is "already"): on
    SQLite, ``batch_size`` packages (:data:`SQLITE_BATCH`, fewer when their files pass
    :data:`BATCH_BYTES`) share one write transaction, each in its own savepoint, so a
    refused package rolls back alone and a crash leaves the whole batch unwritten, never
    half a package. On PostgreSQL each package keeps its own transaction (a batch would
    hold the change counter's lock while it locks the next package's cases, against the
    store's lock order).

    With more packages than one batch, ``workers`` processes (default: one per core
    beyond the first, at most 4; 0 reads in this process) read and validate the next
    packages while the store writes, and probe the batch's new images side by side.
    """
    size = max(1, batch_size or SQLITE_BATCH) if store.is_sqlite else 1
    todo = [Path(raw) for raw in paths]
    if workers is None:
        workers = _default_workers() if len(todo) > size else 0
    known: dict[str, imaging.ProbeResult] = {}
    with _Readers(workers) as readers:
        batch: list[tuple[Path, Package | str]] = []
        held = 0
        for path, read in readers.read(todo):
            batch.append((path, read))
            if isinstance(read, Package):
                held += sum(f.size for f in read.files)
            if len(batch) >= size or held >= BATCH_BYTES:
                yield from _import_batch(store, batch, actor, workstation, known, readers)
                batch, held = [], 0
        if batch:
            yield from _import_batch(store, batch, actor, workstation, known, readers)


def import_package(
    store: Store, path: Path, *, actor: str | None, workstation: str
) -> ImportOutcome:
    path = Path(path)
    with _Readers(0) as readers:
        (outcome,) = _import_batch(
            store, [(path, _read_one(path))], actor, workstation, {}, readers
        )
    return outcome


def _read_one(path: Path) -> Package | str:
    """The package read and validated, or why it is refused (a worker process's answer)."""
    try:
        return read_package(path)
    except PackageRejected as exc:
        return exc.reason


def _default_workers() -> int:
    if getattr(sys, "frozen", False):
        # A bundled build's worker would start the bundle's own entry point (the CLI)
        # unless it called multiprocessing.freeze_support(): it reads in process.
        return 0
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _disk_bytes(path: Path) -> int:
    """About how many bytes reading a package holds: its files' sizes on disk."""
    try:
        if not path.is_dir():
            return path.stat().st_size
        total = 0
        for folder, _dirs, names in os.walk(path):
            for name in names:
                total += os.lstat(os.path.join(folder, name)).st_size
        return total
    except OSError:
        return 0  # reading it will say what is wrong


class _Readers:
    """Worker processes that read packages ahead and probe images, or none (``count`` 0:
    everything in this process, in order)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.pool: ProcessPoolExecutor | None = None
        self._ahead: _ReadAhead | None = None
        if count > 0:
            self.pool = ProcessPoolExecutor(count, mp_context=_process_context())

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._ahead is not None:
            self._ahead.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def read(self, paths: Sequence[Path]) -> Iterator[tuple[Path, Package | str]]:
        """Each path with its package (or refusal), in order."""
        if self.pool is None:
            for path in paths:
                yield path, _read_one(path)
            return
        self._ahead = _ReadAhead(self.pool, paths, in_flight=2 * self.count)
        yield from self._ahead

    def probe(self, datas: Sequence[bytes]) -> list[imaging.ProbeResult]:
        if self.pool is None or len(datas) < 2:
            return [imaging.probe(data) for data in datas]
        # Queued behind at most the few reads in flight (_ReadAhead), not the read-ahead.
        return list(self.pool.map(imaging.probe, datas))


class _ReadAhead:
    """Packages read by the pool ahead of the one the store is at, in order.

    A finished read submits the next one, so reading goes on while the store writes; at
    most ``in_flight`` reads are queued in the pool at once (a batch's probes wait behind
    those only), and at most :data:`READ_AHEAD_BYTES` (files' sizes on disk) are held or
    being read.
    """

    def __init__(self, pool: ProcessPoolExecutor, paths: Sequence[Path], *, in_flight: int):
        self._pool = pool
        self._paths = paths
        self._in_flight = max(1, in_flight)
        self._lock = threading.RLock()
        self._queue: deque[tuple[Path, Future[Package | str], int]] = deque()
        self._next = 0
        self._running = 0
        self._held = 0
        self._closed = False
        self._top_up()

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def _top_up(self) -> None:
        with self._lock:
            while (
                not self._closed
                and self._next < len(self._paths)
                and self._running < self._in_flight
                and (self._held < READ_AHEAD_BYTES or not self._queue)
            ):
                path = self._paths[self._next]
                size = _disk_bytes(path)
                future = self._pool.submit(_read_one, path)
                self._next += 1
                self._running += 1
                self._held += size
                self._queue.append((path, future, size))
                future.add_done_callback(self._finished)

    def _finished(self, _future: Future[Package | str]) -> None:
        with self._lock:
            self._running -= 1
        # RuntimeError: the pool is shutting down, nothing more to read.
        with contextlib.suppress(RuntimeError):
            self._top_up()

    def __iter__(self) -> Iterator[tuple[Path, Package | str]]:
        while True:
            with self._lock:
                if not self._queue:
                    return
                path, future, size = self._queue.popleft()
            result = future.result()
            with self._lock:
                self._held -= size
            self._top_up()
            yield path, result


def _process_context() -> BaseContext:
    """A fresh interpreter per worker (forkserver, spawn elsewhere), never a fork of this
    process and its open database connections. Nothing is preloaded in the fork server:
    it starts in the current folder, where an ``app`` folder would shadow this one; each
    worker imports intake with this process's own module path."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _import_batch(
    store: Store,
    items: Sequence[tuple[Path, Package | str]],
    actor: str | None,
    workstation: str,
    known: dict[str, imaging.ProbeResult],
    readers: _Readers,
) -> list[ImportOutcome]:
    paths = [path for path, _read in items]
    outcomes: dict[int, ImportOutcome] = {}
    packages: list[tuple[int, Package]] = []
    for index, (path, read) in enumerate(items):
        if isinstance(read, Package):
            packages.append((index, read))
        else:
            outcomes[index] = _rejected(path, read)
    wanted = {f.sha256 for _, package in packages for f in package.files}
    known.update(_known_probes(store, sorted(wanted - known.keys())))
    # The batch's new images, probed side by side (each distinct content once).
    new = {f.sha256: f.data for _, package in packages for f in package.files}
    new = {sha: data for sha, data in new.items() if sha not in known}
    known.update(zip(new, readers.probe(list(new.values())), strict=True))
    ready: list[_Ready] = []
    for index, package in packages:
        path = paths[index]
        probed = _probe_files(package, known)
        # read_package validated the manifest: it is not checked a second time.
        facts = facts_from_valid_manifest(package.manifest, [p.info for p in probed])
        try:
            policy = policy_for(facts.city, facts.admission_year)
        except (PolicyError, KeyError, LookupError):
            outcomes[index] = _rejected(
                path,
                f"manifest.json: city/admission_year: no policy for {facts.city} "
                f"{facts.admission_year} in resources/policies",
            )
            continue
        ready.append(_Ready(index, path, package, facts, probed, policy))
    # Refuse what can be refused before any byte is stored (the transaction re-checks).
    if ready:
        with store.read() as session:
            before = _imported_before(session, [r.facts.submission_id for r in ready])
            districts = _Districts()
            for r in ready:
                try:
                    early = _verdict(r.package, r.facts, r.path, before.get(r.facts.submission_id))
                    if early is None:
                        districts.get(session, r.facts)
                except _Rejected as exc:
                    early = _rejected(r.path, exc.reason)
                if early is not None:
                    outcomes[r.index] = early
    ready = [r for r in ready if r.index not in outcomes]
    # Blobs first: they are immutable and named by content, so writing them outside the
    # transaction cannot leave anything inconsistent behind.
    stored: set[str] = set()
    for r in ready:
        for number, p in enumerate(r.probed):
            if p.sha256 in stored:
                continue
            problem = _put_blob(store, p)
            if problem is not None:
                outcomes[r.index] = _rejected(
                    r.path,
                    f"attachments[{number}] {p.file_path!r}: the image could not be stored "
                    f"({problem}); nothing was imported: import the package again",
                )
                break
            stored.add(p.sha256)
    ready = [r for r in ready if r.index not in outcomes]
    if ready:
        outcomes.update(_store_batch(store, ready, actor, workstation))
    return [outcomes[index] for index in range(len(paths))]


def _store_batch(
    store: Store, ready: Sequence[_Ready], actor: str | None, workstation: str
) -> dict[int, ImportOutcome]:
    for attempt in range(3):
        try:
            with store.write() as session:
                known = _Known.read(session, ready)
                return {r.index: _store_one(session, r, known, actor, workstation) for r in ready}
        except IntegrityError:
            # A concurrent import took the same case number or student: try again
            # with fresh reads (the unique constraints keep the store consistent).
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _store_one(
    session: Session, r: _Ready, known: _Known, actor: str | None, workstation: str
) -> ImportOutcome:
    """One package inside the batch's transaction, in a savepoint: a refusal rolls back
    this package's rows alone."""
    try:
        with session.begin_nested():
            outcome = _store_package(
                session, r.package, r.facts, r.probed, r.policy, actor, workstation, r.path, known
            )
    except _Rejected as exc:
        return _rejected(r.path, exc.reason)
    if outcome.status == "imported":
        known.blobs.update(p.sha256 for p in r.probed)
        assert outcome.case_no is not None and outcome.case_id is not None
        known.before[r.facts.submission_id] = (
            r.package.content_hash,
            outcome.case_no,
            outcome.case_id,
        )
    return outcome


class _Districts:
    """The districts a batch names, each read once."""

    def __init__(self) -> None:
        self._by_key: dict[str, District] = {}

    def get(self, session: Session, facts: CaseFacts) -> District:
        district = self._by_key.get(facts.district)
        if district is None:
            district = self._by_key[facts.district] = _district(session, facts)
        return district


@dataclass
class _Known:
    """What one write transaction read once for all its packages: the districts, which of
    the batch's blobs have their row, and which of its submissions were imported before
    (:func:`_imported_before`). Each package stored in the transaction is added, so a
    package later in the batch sees it as if it had been read."""

    districts: _Districts
    blobs: set[str]
    before: dict[str, tuple[str, str, str]]

    @classmethod
    def read(cls, session: Session, ready: Sequence[_Ready]) -> _Known:
        shas = sorted({p.sha256 for r in ready for p in r.probed})
        present = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(shas))))
        before = _imported_before(session, [r.facts.submission_id for r in ready])
        return cls(_Districts(), present, before)


def _put_blob(store: Store, probed: _Probed) -> str | None:
    """Store one attachment's bytes; None, or what went wrong where the user can act.

    A central store's upload resumes and ignores stray chunks (reviewdb.blobs), so a
    refusal here is the store's own (disk full, a chunk that keeps arriving corrupt, a
    login that may not write): the package is refused with the reason, never a traceback.
    """
    try:
        # Hashed once, as the package was read: the store does not hash it again.
        store.blobs.put(probed.data, expected_sha256=probed.sha256, hashed=True)
    except BlobError as exc:
        return str(exc)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        return (
            "this database login may not write images; import with the central store's "
            "owner (`reviewdesk import --db OWNER_URL`)"
        )
    return None


_BEFORE = select(CaseRound.submission_id, CaseRound.content_hash, Case.case_no, Case.id).join(
    Case, Case.id == CaseRound.case_id
)


def _imported_before(
    session: Session, submission_ids: Sequence[str]
) -> dict[str, tuple[str, str, str]]:
    """(content hash, case number, case id) of each of these submissions already stored."""
    rows = session.execute(_BEFORE.where(CaseRound.submission_id.in_(sorted(submission_ids))))
    return {sid: (content, case_no, case_id) for sid, content, case_no, case_id in rows}


def _verdict(
    package: Package, facts: CaseFacts, path: Path, before: tuple[str, str, str] | None
) -> ImportOutcome | None:
    """An "already" outcome when this submission was imported with the same content; a
    refusal when with another content; None when it is new (``before``:
    :func:`_imported_before`)."""
    if before is None:
        return None
    content, case_no, case_id = before
    if content == package.content_hash:
        return ImportOutcome("already", str(path), case_no=case_no, case_id=case_id)
    raise _Rejected(
        f"manifest.json: submission_id: {facts.submission_id} was already imported as {case_no} "
        "with different content; the platform must send changes as a new submission"
    )


def _district(session: Session, facts: CaseFacts) -> District:
    district = session.scalars(select(District).where(District.name == facts.district)).first()
    if district is None:
        district = session.get(District, facts.district)
    if district is None:
        raise _Rejected(
            f"manifest.json: district: {facts.district} is not a district of this store "
            "(add it to resources/districts.json and run reviewdesk init)"
        )
    return district


# The lookups every package makes, built once (building a statement per call, and its
# cache key, cost more than running it on SQLite).
_SCHOOL = select(School).where(
    School.district_code == bindparam("district"), School.name == bindparam("name")
)
_STUDENT = select(Student).where(
    Student.district_code == bindparam("district"), Student.id_number == bindparam("id_number")
)
_APPLICATION = select(Application).where(
    Application.student_id == bindparam("student"),
    Application.admission_year == bindparam("year"),
    Application.stage == bindparam("stage"),
)
_CASE = select(Case).where(
    Case.application_id == bindparam("application"),
    Case.kind == bindparam("kind"),
    Case.district_code == bindparam("district"),
)
_PROPERTY = select(Property).where(
    Property.district_code == bindparam("district"),
    Property.cert_type == bindparam("cert_type"),
    Property.cert_number == bindparam("cert_number"),
)


def _store_package(
    session: Session,
    package: Package,
    facts: CaseFacts,
    probed: Sequence[_Probed],
    policy: Any,
    actor: str | None,
    workstation: str,
    path: Path,
    known: _Known,
) -> ImportOutcome:
    m = package.manifest
    early = _verdict(package, facts, path, known.before.get(facts.submission_id))
    if early is not None:
        return early
    district = known.districts.get(session, facts)
    school = session.scalars(_SCHOOL, {"district": district.code, "name": facts.school}).first()
    if school is None:
        school = School(district_code=district.code, name=facts.school, stage=facts.stage.value)
        session.add(school)
        session.flush()

    # The student, the application and the properties are this district's own rows:
    # another district's package for the same child or certificate never reaches them.
    student = session.scalars(
        _STUDENT, {"district": district.code, "id_number": facts.student.id_number}
    ).first()
    if student is None:
        student = Student(
            id=str(uuid.uuid4()),
            district_code=district.code,
            id_number=facts.student.id_number,
            name=facts.student.name,
            hukou_address=facts.student.hukou_address,
        )
        session.add(student)
    else:
        student.name = facts.student.name
        student.hukou_address = facts.student.hukou_address
    application = session.scalars(
        _APPLICATION,
        {"student": student.id, "year": facts.admission_year, "stage": facts.stage.value},
    ).first()
    if application is None:
        application = Application(
            id=str(uuid.uuid4()),
            student_id=student.id,
            city=facts.city,
            admission_year=facts.admission_year,
            stage=facts.stage.value,
            residence_basis=facts.residence_basis,
        )
        session.add(application)
    else:
        application.residence_basis = facts.residence_basis
    session.flush()

    now = journal.store_now(session)
    # A resubmission after a return continues the same case as a new round, and only a
    # case of the package's own district (the application is that district's already).
    case = session.scalars(
        _CASE,
        {"application": application.id, "kind": facts.kind.value, "district": district.code},
    ).first()
    if case is not None and case.status != "returned":
        raise _Rejected(
            f"manifest.json: submission_id: case {case.case_no} for this student and kind is "
            f"{case.status}, not returned; a new round is only accepted after a return"
        )
    if case is None:
        case = Case(
            id=str(uuid.uuid4()),
            case_no=_next_case_no(session, district.code, facts.admission_year),
            application_id=application.id,
            kind=facts.kind.value,
            district_code=district.code,
            school_id=school.id,
            status="pending",
            current_round=1,
            submitted_at=facts.submitted_at,
            admission_year=facts.admission_year,
            student_name=facts.student.name,
            student_id_number=facts.student.id_number,
            worst_severity=0,
            finding_count=0,
            updated_at=now,
        )
        session.add(case)
        claims = [Claim(case_id=case.id, owner_id=None, token=0, leased_until=None)]
        session.add(claims[0])
        round_no = 1
    else:
        claims = _claim_rows(session, case.id)
        round_no = case.current_round + 1
        case.current_round = round_no
        case.status = "pending"
        case.submitted_at = facts.submitted_at
        case.school_id = school.id
        case.student_name = facts.student.name
        case.decided_at = None
        case.updated_at = now
    session.flush()

    rnd = CaseRound(
        id=str(uuid.uuid4()),
        case_id=case.id,
        round_no=round_no,
        submission_id=facts.submission_id,
        content_hash=package.content_hash,
        submitted_at=facts.submitted_at,
        imported_at=now,
        manifest=dict(m),
    )
    session.add(rnd)
    session.flush()
    _store_facts(session, rnd, facts)
    for p in probed:
        if p.sha256 not in known.blobs and session.get(Blob, p.sha256) is None:
            session.add(
                Blob(
                    sha256=p.sha256,
                    size=len(p.data),
                    media_type=p.info.media_type,
                    present=True,
                    created_at=now,
                )
            )
            # Blob rows first: the unit of work does not order rows linked only by a FK.
            session.flush()
    if probed:
        # One multi-row statement, not an ORM object (and a statement) per attachment.
        session.execute(
            # Nulls written as such: rows with and without a value do not split the
            # statement in two (none of these columns has a default).
            insert(Attachment).execution_options(render_nulls=True),
            [
                {
                    "round_id": rnd.id,
                    "ordinal": ordinal,
                    "label": p.label,
                    "filename": p.file_path,
                    "sha256": p.sha256,
                    "media_type": p.info.media_type,
                    "size": len(p.data),
                    "width": p.info.width,
                    "height": p.info.height,
                    "orientation": p.info.orientation,
                    "readable": p.info.readable,
                    "unreadable_reason": p.info.reason,
                    "page_count": p.info.page_count,
                }
                for ordinal, p in enumerate(probed)
            ],
        )
    guardian_ids = ",".join(sorted(g.id_number for g in facts.guardians))
    for prop in facts.properties:
        row = session.scalars(
            _PROPERTY,
            {
                "district": district.code,
                "cert_type": prop.cert_type.value,
                "cert_number": prop.cert_number,
            },
        ).first()
        if row is None:
            row = Property(
                district_code=district.code,
                cert_type=prop.cert_type.value,
                cert_number=prop.cert_number,
                issue_date=prop.issue_date,
                nature=prop.nature.value,
                owner_name=prop.owner_name,
                owner_id_number=prop.owner_id_number,
                address=prop.address,
                non_direct_co_owner=prop.non_direct_co_owner,
            )
            session.add(row)
            session.flush()
        session.add(
            PropertyUseRow(
                property_id=row.id,
                round_id=rnd.id,
                case_id=case.id,
                admission_year=facts.admission_year,
                student_id_number=facts.student.id_number,
                guardian_id_numbers=guardian_ids,
            )
        )
    session.flush()

    # Earlier cases sharing a property or the student (the checks' own reads name them)
    # are checked again. Their rows are locked first (lock order: rows, then the change
    # counter, then the journal), and each one whose findings changed gets this import's
    # change number, or a workstation's pull (which follows the cases' change_seq) would
    # never bring the new findings down.
    affected: set[str] = set()
    _refresh(session, case.id, facts, new_round=True, affected=affected)
    affected.discard(case.id)
    rechecked = [other for other in _lock_cases(session, affected) if _recheck(session, other.id)]
    # The change counter once the work is decided (SYNC.md lesson 4), then the journal.
    value = changes.stamp(session, [case, rnd, *claims, *rechecked])
    journal.append(
        session,
        action="import",
        actor=actor,
        workstation=workstation,
        case_id=case.id,
        payload={
            "case_no": case.case_no,
            "round": round_no,
            "submission_id": facts.submission_id,
            "content_hash": package.content_hash,
            "attachments": len(probed),
        },
        store_time=now,
        change_seq=value,
    )
    return ImportOutcome(
        "imported", str(path), case_no=case.case_no, case_id=case.id, round_no=round_no
    )


def _claim_rows(session: Session, case_id: str) -> list[Claim]:
    claim = session.get(Claim, case_id)
    return [claim] if claim is not None else []


def _next_case_no(session: Session, district_code: str, year: int) -> str:
    """The district's next case number of the year: ``{year}{district}{seq:05d}``."""
    prefix = f"{year}{district_code}"
    last = session.execute(last_case_no(prefix)).scalar_one()
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def last_case_no(prefix: str) -> Select[str]:
    """The highest case number ``prefix`` + five digits.

    The range bounds the index scan: ``LIKE 'prefix%'`` alone is a range only under the C
    collation, so PostgreSQL (C.UTF-8 included) and SQLite read the unique index backward
    through every later district's numbers, and intake slowed with every case stored.
    """
    return select(func.max(Case.case_no)).where(
        Case.case_no.between(f"{prefix}00000", f"{prefix}99999"),
        Case.case_no.startswith(prefix),
    )


def _store_facts(session: Session, rnd: CaseRound, facts: CaseFacts) -> None:
    people = [
        {
            "round_id": rnd.id,
            "role": role,
            "name": person.name,
            "id_number": person.id_number,
            "relation": person.relation,
            "has_custody": person.has_custody,
            "phone": person.phone,
        }
        for role, group in (("guardian", facts.guardians), ("grandparent", facts.grandparents))
        for person in group
    ]
    if people:
        # One multi-row statement, not an ORM object (and a statement) per person.
        session.execute(
            insert(RoundPerson).execution_options(render_nulls=True),
            [{**row, "ordinal": n} for n, row in enumerate(people)],
        )
    if facts.custody is not None:
        c = facts.custody
        session.add(
            CustodyFact(
                round_id=rnd.id,
                divorced=c.divorced,
                divorce_date=c.divorce_date,
                custody_holder_name=c.custody_holder_name,
                custody_document=c.custody_document,
                note=c.note,
            )
        )
    if facts.rural_house is not None:
        r = facts.rural_house
        session.add(
            RuralHouseFact(
                round_id=rnd.id,
                owner_name=r.owner_name,
                owner_id_number=r.owner_id_number,
                owner_relation=r.owner_relation,
                address=r.address,
                house_type=r.house_type,
            )
        )
    for rental in facts.rentals:
        session.add(
            RentalRow(
                round_id=rnd.id,
                registration_number=rental.registration_number,
                address=rental.address,
                start_date=rental.start_date,
                end_date=rental.end_date,
                holder_name=rental.holder_name,
            )
        )
    for permit in facts.permits:
        session.add(
            PermitRow(
                round_id=rnd.id,
                number=permit.number,
                holder_name=permit.holder_name,
                holder_id_number=permit.holder_id_number,
                start_date=permit.start_date,
                valid_until=permit.valid_until,
            )
        )


def facts_of(session: Session, case: Case) -> CaseFacts:
    """The current round's facts, rebuilt from the stored manifest and attachment rows."""
    rnd = session.scalars(
        select(CaseRound).where(
            CaseRound.case_id == case.id, CaseRound.round_no == case.current_round
        )
    ).one()
    atts = session.scalars(
        select(Attachment).where(Attachment.round_id == rnd.id).order_by(Attachment.ordinal)
    ).all()
    infos = [
        AttachmentInfo(
            label=a.label,
            sha256=a.sha256,
            media_type=a.media_type,
            size=a.size,
            readable=a.readable,
            reason=a.unreadable_reason,
            width=a.width,
            height=a.height,
            orientation=a.orientation,
            filename=a.filename,
            page_count=a.page_count,
        )
        for a in atts
    ]
    return manifest_to_facts(rnd.manifest, infos)


# What the checks read about other cases, built once (see _SCHOOL).
_USES = (
    select(
        Property.cert_number,
        PropertyUseRow.admission_year,
        PropertyUseRow.student_id_number,
        PropertyUseRow.guardian_id_numbers,
        Case.case_no,
        Case.id,
        Case.status,
        CaseRound.round_no,
        Case.current_round,
        Case.district_code,
    )
    .join(Property, Property.id == PropertyUseRow.property_id)
    .join(Case, Case.id == PropertyUseRow.case_id)
    .join(CaseRound, CaseRound.id == PropertyUseRow.round_id)
    .where(Property.cert_number.in_(bindparam("certs", expanding=True)))
)
_OPEN_OF_STUDENT = (
    select(Case.case_no, Case.district_code, Case.id)
    .where(
        Case.student_id_number == bindparam("student"),
        Case.status.in_(OPEN_STATUSES),
        Case.id != bindparam("case"),
    )
    .order_by(Case.case_no)
)


def context_for(
    session: Session,
    case: Case,
    facts: CaseFacts,
    today: dt.date | None = None,
    *,
    affected: set[str] | None = None,
) -> CheckContext:
    """What the checks need from the store about other cases.

    Uses and open cases of another district count as everywhere, but carry no case
    reference (:data:`checks.HIDDEN_CASE_REF`): the findings name only the other
    district's year, never its case or family. ``affected``, when given, receives the id
    of every case using one of these properties (whether or not its use counts) and of
    every other open case of the student: the cases whose findings this one may change.
    """
    certs = [p.cert_number for p in facts.properties]
    uses: list[PropertyUse] = []
    if certs:
        rows = session.execute(_USES, {"certs": certs}).all()
        for (
            cert,
            year,
            student_no,
            guardians,
            case_no,
            other_id,
            status,
            round_no,
            current,
            district_code,
        ) in rows:
            if affected is not None:
                affected.add(other_id)
            if other_id == case.id:
                continue
            if round_no != current or status in ("rejected", "returned"):
                # Only a family's current, not-refused use of a property counts against others.
                continue
            uses.append(
                PropertyUse(
                    cert_number=cert,
                    admission_year=year,
                    student_id_number=student_no,
                    guardian_id_numbers=frozenset(g for g in guardians.split(",") if g),
                    case_ref=_case_ref(case, district_code, case_no),
                )
            )
    open_rows = session.execute(
        _OPEN_OF_STUDENT, {"student": case.student_id_number, "case": case.id}
    ).all()
    if affected is not None:
        affected.update(other_id for _no, _district, other_id in open_rows)
    others = tuple(
        _case_ref(case, district_code, case_no) for case_no, district_code, _id in open_rows
    )
    return CheckContext(property_uses=tuple(uses), other_open_cases_for_student=others, today=today)


def _case_ref(case: Case, district_code: str, case_no: str) -> str:
    """How a finding on ``case`` may name another case: its number in the same district,
    nothing (:data:`checks.HIDDEN_CASE_REF`) in another."""
    return case_no if district_code == case.district_code else checks.HIDDEN_CASE_REF


def _lock_cases(session: Session, case_ids: Iterable[str]) -> list[Case]:
    """These cases, read afresh and locked on PostgreSQL, in id order (so two writers
    locking overlapping sets wait rather than deadlock). SQLite's writer already holds the
    database lock."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    stmt = select(Case).where(Case.id.in_(ids)).order_by(Case.id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def _recheck(session: Session, case_id: str) -> bool:
    """Recompute a case's findings; True when its findings or its queue badge changed."""
    return _refresh(session, case_id)[1]


def refresh_findings(session: Session, case_id: str) -> list[Finding]:
    """Recompute a case's findings for its current round and update the queue badge."""
    return _refresh(session, case_id)[0]


def _refresh(
    session: Session,
    case_id: str,
    facts: CaseFacts | None = None,
    *,
    new_round: bool = False,
    affected: set[str] | None = None,
) -> tuple[list[Finding], bool]:
    """``facts``: the current round's, when the caller has them at hand (intake, which
    just stored them); else rebuilt from the store (:func:`facts_of`). ``new_round``: the
    round was stored by this transaction, so it has no findings yet. ``affected``: as for
    :func:`context_for`."""
    case = session.get(Case, case_id)
    assert case is not None
    if facts is None:
        facts = facts_of(session, case)
    policy = policy_for(facts.city, facts.admission_year)
    found = checks.run_checks(facts, policy, context_for(session, case, facts, affected=affected))
    worst = max((SEVERITY_RANK[f.severity] for f in found), default=0)
    stored = (
        []
        if new_round
        else session.execute(
            select(FindingRow.code, FindingRow.severity, FindingRow.message, FindingRow.fact)
            .where(FindingRow.case_id == case_id, FindingRow.round_no == case.current_round)
            .order_by(FindingRow.id)
        ).all()
    )
    if [tuple(r) for r in stored] == [
        (f.code, f.severity.value, f.message, f.fact) for f in found
    ] and (case.worst_severity, case.finding_count) == (worst, len(found)):
        # Unchanged: the rows stay as they are (their ids are what workstations hold).
        return found, False
    session.execute(
        delete(FindingRow).where(
            FindingRow.case_id == case_id, FindingRow.round_no == case.current_round
        )
    )
    for f in found:
        session.add(
            FindingRow(
                case_id=case_id,
                round_no=case.current_round,
                code=f.code,
                severity=f.severity.value,
                message=f.message,
                fact=f.fact,
            )
        )
    if case.worst_severity != worst or case.finding_count != len(found):
        case.worst_severity = worst
        case.finding_count = len(found)
    session.flush()
    return found, True
