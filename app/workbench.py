"""The one facade: what the window and every command ask of the store, answered Qt-free.

:class:`Workbench` is one person's view of the workstation (:mod:`app.runtime`, built once
at start-up from the settings): queue, cases, claims, decisions, notices, conflicts,
checkout and sync. :class:`Reader` is its read-only part, also usable without a person
(the command line's unscoped listing). Nothing in ``ui/`` or ``app/cli/`` reaches the store
another way.

Every method blocks (database, files, network); the GUI calls them through its task
manager, never on the GUI thread. Everything returned is a frozen value safe to hand
across threads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.auth import Actor
from app.notices.printing import (
    AlreadyPrinted,
    Deliver,
    PrintError,
    PrintResult,
    VerifiedSlip,
    batch_selection,
    print_batch,
    print_cases,
    print_onsite_receipt,
    serial_range,
    verify_slip,
)
from app.review import qa
from app.review.audit import PAGE_SIZE as AUDIT_PAGE_SIZE
from app.review.audit import (
    AuditExport,
    AuditFilters,
    AuditRow,
    AuditScope,
    JournalCheck,
    actions_present,
    export_journal_csv,
    journal_page,
    verify_journal,
)
from app.review.cases import (
    AttachmentView,
    CaseDetail,
    QueueRow,
    count_queue,
    current_attachments,
    list_queue,
    load_case,
    resolve_case_id,
)
from app.review.desk import DeskNumbers, desk_numbers, export_backlog
from app.review.export import ExportResult, check_request, export_decisions
from app.review.reasons import Reason, reasons_for
from app.review.workflow import (
    ConflictView,
    DecisionInput,
    DecisionResult,
    WorkflowError,
    find_case,
)
from app.runtime import Workstation
from app.sync.engine import SyncStatus
from reviewdb import queue as rq
from reviewdb.arbiter import ClaimInfo as ClaimInfo
from reviewdb.arbiter import Paused as Paused
from reviewdb.engine import Store, StoreError
from reviewdb.models import Case, JournalEntry, NoticePrint, School, User, UserDistrict

MAX_SEARCH = 200  # characters: a name, an ID number or a case number is far shorter

TABS = ("pending", "mine", "confirming", "approved", "rejected", "returned", "conflict")


@dataclass(frozen=True)
class QueueFilters:
    """The filter bar: kind, school, search text, worst finding, waiting time."""

    kind: str | None = None
    school: str | None = None
    search: str | None = None
    min_severity: int = 0
    waiting_days: int | None = None


@dataclass(frozen=True)
class JournalView:
    seq: int
    store_time: dt.datetime
    actor: str | None
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class SteeringOutcome:
    """One case of a reassign/release: done, or why not."""

    case_no: str
    done: bool
    message: str = ""
    previous_holder: str | None = None


class Reader:
    """Queue and cases within ``scope`` (district codes; None: every district)."""

    def __init__(self, workstation: Workstation, scope: tuple[str, ...] | None) -> None:
        self.workstation = workstation
        self.scope = scope

    @property
    def _store(self) -> Store:
        return self.workstation.store

    def queue(
        self, query: rq.QueueQuery, after: rq.Cursor | None = None, limit: int = 100
    ) -> list[QueueRow]:
        """One page of a query; the query's districts are narrowed to the scope."""
        _check_search(query.search)
        if self.scope is not None:
            query = dataclasses.replace(query, districts=self.scope)
        return list_queue(self._store, query, limit=limit, after=after)

    def peek_case(self, ref: str) -> CaseDetail:
        """Load a case without recording a view (read-ahead, listings)."""
        with self._store.read() as s:
            return load_case(s, resolve_case_id(s, ref, self.scope))

    def current_attachments(self, ref: str) -> tuple[AttachmentView, ...]:
        """The current round's attachments alone (nothing journaled, nothing claimed): what
        the window reads first when a case opens, so its first picture decodes at once."""
        return current_attachments(self._store, ref, self.scope)

    def history(self, ref: str) -> list[JournalView]:
        with self._store.read() as s:
            case_id = resolve_case_id(s, ref, self.scope)
            rows = s.scalars(
                select(JournalEntry)
                .where(JournalEntry.case_id == case_id)
                .order_by(JournalEntry.seq)
            ).all()
            return [JournalView(r.seq, r.store_time, r.actor, r.action, r.payload) for r in rows]

    def _synced_first(self) -> str:
        """One quiet sync round when there is a central store; which copy answers next."""
        ws = self.workstation
        if ws.sync is None:
            return "this store"
        if ws.sync_quietly():
            return "the central store (synced just now)"
        return "this computer's copy (the central store is unreachable)"

    def verify_slip(self, slip_text: str) -> VerifiedSlip:
        """Signature, print record and decision state; with a central store, synced first
        so the answer is the central store's (said in ``source``)."""
        source = self._synced_first()
        return dataclasses.replace(verify_slip(self._store, slip_text), source=source)


class Workbench(Reader):
    """Queue, case, decisions, notices, conflicts and sync for ``actor`` on a workstation."""

    def __init__(self, workstation: Workstation, actor: Actor) -> None:
        super().__init__(workstation, actor.districts)
        self.actor = actor
        self.workflow = workstation.workflow

    @property
    def store(self) -> Store:
        """The local store (for the login screen's and tests' own reads)."""
        return self.workstation.store

    # --- queue ---------------------------------------------------------------

    def query_for(
        self,
        tab: str,
        filters: QueueFilters = QueueFilters(),
        *,
        sort: str = "submitted_at",
        descending: bool = False,
    ) -> rq.QueueQuery:
        if tab not in TABS:
            raise ValueError(f"unknown tab {tab!r}")
        _check_search(filters.search)
        statuses: tuple[str, ...] = ()
        holder = None
        if tab in ("pending", "confirming", "approved", "rejected", "returned"):
            statuses = (tab,)
        elif tab == "mine":
            holder = self.actor.user_id
        before = None
        if filters.waiting_days:
            before = dt.datetime.now(dt.UTC) - dt.timedelta(days=filters.waiting_days)
            before = before.replace(
                minute=0, second=0, microsecond=0
            )  # keeps the statement cache warm
        return rq.QueueQuery(
            districts=self.actor.districts,
            kinds=(filters.kind,) if filters.kind else (),
            statuses=statuses,
            school=filters.school,
            search=filters.search or None,
            holder_id=holder,
            min_severity=filters.min_severity,
            submitted_before=before,
            conflicts_only=tab == "conflict",
            sort=sort,
            descending=descending,
        )

    def queue_page(
        self,
        tab: str,
        filters: QueueFilters = QueueFilters(),
        after: rq.Cursor | None = None,
        limit: int = 100,
        *,
        sort: str = "submitted_at",
        descending: bool = False,
    ) -> list[QueueRow]:
        return list_queue(
            self.store,
            self.query_for(tab, filters, sort=sort, descending=descending),
            limit=limit,
            after=after,
        )

    def queue_counts(self, filters: QueueFilters = QueueFilters()) -> dict[str, int]:
        return {tab: count_queue(self.store, self.query_for(tab, filters)) for tab in TABS}

    def schools(self) -> list[str]:
        with self.store.read() as s:
            return list(
                s.scalars(
                    select(School.name)
                    .where(School.district_code.in_(self.actor.districts))
                    .order_by(School.name)
                )
            )

    # --- one case ------------------------------------------------------------

    def open_case(self, ref: str) -> CaseDetail:
        """Load a case for viewing (journaled as a view)."""
        self.workflow.record_view(self.actor, ref)
        return self.peek_case(ref)

    def attachment_bytes(self, sha256: str) -> bytes:
        """The image's bytes; with a central store, fetched (and verified) when missing here."""
        return self.workflow.arbitration.blob(sha256)

    def reasons(self, kind: str) -> tuple[Reason, ...]:
        return reasons_for(kind)

    def checklist(self, ref: str) -> list[tuple[str, str]]:
        with self.store.read() as s:
            return list(self.workflow.checklist(find_case(s, self.actor, ref)).items())

    # --- actions -------------------------------------------------------------

    def claim(self, ref: str) -> ClaimInfo:
        return self.workflow.claim(self.actor, ref)

    def renew(self, ref: str) -> ClaimInfo:
        return self.workflow.renew(self.actor, ref)

    def release(self, ref: str) -> bool:
        return self.workflow.release(self.actor, ref)

    def takeover(self, ref: str, reason: str) -> ClaimInfo:
        return self.workflow.takeover(self.actor, ref, reason)

    def decide(self, ref: str, decision: DecisionInput) -> DecisionResult:
        return self.workflow.decide(self.actor, ref, decision)

    def confirm(self, ref: str, accept: bool = True, comment: str | None = None) -> DecisionResult:
        return self.workflow.confirm(self.actor, ref, accept=accept, comment=comment)

    def undo(self, ref: str) -> DecisionResult:
        return self.workflow.undo(self.actor, ref)

    def can_undo(self, ref: str) -> bool:
        return self.workflow.can_undo(self.actor, ref)

    # --- notices -------------------------------------------------------------

    def print_cases(self, refs: Sequence[str], **options: Any) -> PrintResult:
        """Issue the notices of ``refs`` (recorded and journaled); see printing.print_cases.

        With a central store each print record goes up at once (or with the next sync).
        """
        route = self.workflow.arbitration
        result = print_cases(self.store, self.actor, refs, route=route, **options)
        route.settle()
        return result

    def print_batch(self, **options: Any) -> PrintResult:
        """Issue a day's notices; see printing.print_batch."""
        route = self.workflow.arbitration
        result = print_batch(self.store, self.actor, route=route, **options)
        route.settle()
        return result

    # A print is recorded only when its PDF goes to a printer or into a file: the preview
    # is made by the same job, run up to the recording and rolled back there; recording
    # runs the job again and refuses (records nothing) unless it yields the very PDF the
    # reviewer previewed.

    def preview_cases(self, refs: Sequence[str]) -> NoticePreview:
        """The notices ``print_cases`` would issue now, recorded nowhere.

        A case printed before is previewed as its next copy (补打); ``reprints`` says so,
        and recording it then needs a reason.
        """
        return self._dry_run(
            lambda route, deliver: print_cases(
                self.store,
                self.actor,
                refs,
                reprint_reason=_PREVIEW_REASON,
                route=route,
                deliver=deliver,
            )
        )

    def record_cases(
        self,
        refs: Sequence[str],
        previewed: bytes,
        *,
        reprint_reason: str | None = None,
        deliver: Deliver | None = None,
    ) -> PrintResult:
        """Issue (record and journal) the previewed notices of ``refs``, as they are sent to
        a printer or, with ``deliver``, written to a file inside the recording transaction.

        Raises :class:`NoticeChanged` (recording nothing) when the job no longer yields
        ``previewed``: someone printed or decided these cases since the preview.
        """
        try:
            return self.print_cases(
                refs, reprint_reason=reprint_reason, deliver=_same_as(previewed, deliver)
            )
        except AlreadyPrinted as exc:
            # The preview was of a first copy: someone printed it since.
            raise NoticeChanged(f"{exc}; nothing was recorded: open the preview again") from exc

    def preview_batch(self, **options: Any) -> NoticePreview:
        """The notices ``print_batch(**options)`` would issue now, recorded nowhere."""
        preview = self._dry_run(
            lambda route, deliver: print_batch(
                self.store, self.actor, route=route, deliver=deliver, **options
            )
        )
        if options.get("reprint_reason"):
            return preview
        with self.store.read() as s:
            selection = batch_selection(
                s,
                self.actor,
                decided_on=options["decided_on"],
                school=options.get("school"),
                kind=options.get("kind"),
                outcome=options.get("outcome"),
            )
            printed = set(
                s.scalars(
                    select(NoticePrint.decision_id).where(
                        NoticePrint.decision_id.in_([d.id for _c, d in selection])
                    )
                )
            )
            skipped = tuple(c.case_no for c, d in selection if d.id in printed)
        return dataclasses.replace(preview, skipped=skipped)

    def record_batch(
        self, previewed: bytes, *, deliver: Deliver | None = None, **options: Any
    ) -> PrintResult:
        """Issue the previewed batch; :class:`NoticeChanged` if it is no longer the same."""
        return self.print_batch(deliver=_same_as(previewed, deliver), **options)

    def _dry_run(self, job: Callable[[_PreviewRoute, Deliver], PrintResult]) -> NoticePreview:
        route = _PreviewRoute(self.workflow.arbitration)
        captured: list[bytes] = []

        def stop(pdf: bytes) -> None:
            captured.append(pdf)
            raise _PreviewOnly  # inside the recording transaction: it is rolled back

        with contextlib.suppress(_PreviewOnly):
            job(route, stop)
        if not captured:  # pragma: no cover - the job either raised or reached deliver
            raise PrintError("the notices could not be previewed")
        return NoticePreview(
            pdf=captured[0],
            serials=tuple(serial for serial, _case_no, _copy in route.notices),
            case_nos=tuple(case_no for _serial, case_no, _copy in route.notices),
            copies=tuple(copy for _serial, _case_no, copy in route.notices),
            skipped=route.skipped,
        )

    def print_onsite_receipt(self, ref: str, **options: Any) -> PrintResult:
        route = self.workflow.arbitration
        result = print_onsite_receipt(self.store, self.actor, ref, route=route, **options)
        route.settle()
        return result

    # --- the city's export ------------------------------------------------------------

    def export_decisions(
        self,
        path: Path,
        date_from: dt.date,
        date_to: dt.date,
        fmt: str,
        *,
        full_ids: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ExportResult:
        """The decided case rounds of ``[date_from, date_to]`` (China days) in the actor's
        districts, written to ``path`` (xlsx or csv) and journaled; see app.review.export.

        A request that cannot be met is refused before anything else. With a central store,
        one quiet sync round first, so the export holds what other workstations decided
        (``source`` says whether it could be reached). ``progress`` and ``cancelled`` are
        called on the calling thread (the GUI's task worker)."""
        check_request(self.actor, path, date_from, date_to, fmt, full_ids=full_ids)
        source = self._synced_first()
        result = export_decisions(
            self.store,
            self.actor,
            path,
            date_from,
            date_to,
            fmt,
            full_ids=full_ids,
            progress=progress,
            cancelled=cancelled,
        )
        return dataclasses.replace(result, source=source)

    # --- sync and on-site mode -------------------------------------------------------

    @property
    def has_central(self) -> bool:
        return self.workstation.sync is not None

    @property
    def central_description(self) -> str | None:
        return self.workstation.central_description

    def sync_status(self) -> SyncStatus | None:
        sync = self.workstation.sync
        return sync.status() if sync is not None else None

    def sync_now(self) -> SyncStatus | None:
        """One sync round; offline is reported in the status, not raised."""
        sync = self.workstation.sync
        if sync is None:
            return None
        with contextlib.suppress(
            StoreError
        ):  # offline shows in the status, it is not an error here
            sync.sync_once()
        return sync.status()

    def checkout(
        self, school: str, hours: float = 36.0, progress: Callable[[int, int], None] | None = None
    ) -> tuple[list[str], list[str]]:
        sync = self.workstation.sync
        if sync is None:
            raise WorkflowError(
                "no_central", "on-site checkout needs a central store (settings: central store URL)"
            )
        return sync.checkout(
            school, self.actor.user_id, self.actor.workstation, dt.timedelta(hours=hours), progress
        )

    def conflicts(self) -> list[ConflictView]:
        return self.workflow.conflicts(self.actor)

    def resolve_conflict(self, ref: str, decision: DecisionInput) -> DecisionResult:
        return self.workflow.resolve_conflict(self.actor, ref, decision)

    def export_backlog(self, path: Path) -> int:
        """The desk's backlog, read now, written to ``path`` (.xlsx or .csv)."""
        return export_backlog(self.desk_numbers(), path)

    # --- steering (supervisors) ----------------------------------------------

    def reassign(
        self, refs: Sequence[str], to_username: str | None, reason: str
    ) -> list[SteeringOutcome]:
        """Move each case's lease to ``to_username`` (None: release it), one case at a
        time: each is its own arbitration, and one refused (decided meanwhile, another
        district) does not stop the rest. Returns what happened to each, in order."""
        out: list[SteeringOutcome] = []
        for ref in refs:
            try:
                done = self.workflow.reassign(self.actor, ref, to_username, reason)
            except WorkflowError as exc:
                if exc.code in ("role", "reason_required", "text", "no_user"):
                    raise  # the same for every case: say it once
                out.append(SteeringOutcome(ref, False, exc.message))
            else:
                out.append(SteeringOutcome(done.case_no, True, "", done.previous_holder))
        return out

    def set_paused(self, username: str, pause: bool, reason: str) -> Paused:
        """Pause (or resume) a reviewer of this supervisor's districts, with a reason."""
        return self.workflow.set_paused(self.actor, username, pause, reason)

    def held_by(self, username: str) -> list[str]:
        """Pending cases ``username`` holds now, in this supervisor's districts."""
        return self.workflow.held_by(self.actor, username)

    def district_people(self, sharing_with: str | None = None) -> list[tuple[str, str, str]]:
        """(username, display name, role) of the enabled, unpaused reviewers and
        supervisors of this person's districts: whom a case can be given to. With
        ``sharing_with`` (a username), only those who also share a district with that
        person (whose cases are being given away)."""
        districts = select(UserDistrict.district_code).where(
            UserDistrict.district_code.in_(self.actor.districts)
        )
        if sharing_with is not None:
            districts = districts.join(User, User.id == UserDistrict.user_id).where(
                User.username == sharing_with
            )
        with self._store.read() as s:
            rows = s.execute(
                select(User.username, User.display_name, User.role)
                .join(UserDistrict, UserDistrict.user_id == User.id)
                .where(
                    UserDistrict.district_code.in_(districts.scalar_subquery()),
                    User.disabled.is_(False),
                    User.paused_at.is_(None),
                    User.role.in_(("reviewer", "supervisor")),
                )
                .distinct()
                .order_by(User.username)
            ).all()
        return [(r[0], r[1], r[2]) for r in rows]

    # --- supervisor desk -----------------------------------------------------

    @property
    def can_use_desk(self) -> bool:
        return self.actor.role in ("supervisor", "admin")

    def desk_numbers(self, now: dt.datetime | None = None) -> DeskNumbers:
        """The supervisor desk's numbers: a supervisor's districts; an admin's, or every
        district this store holds for an admin with none."""
        if not self.can_use_desk:
            raise WorkflowError("role", "the supervisor desk is for supervisors and admins")
        scope = None if self.actor.role == "admin" and not self.actor.districts else self.scope
        return desk_numbers(self._store, scope, now)

    # --- 抽查 (QA sampling) ----------------------------------------------------

    @property
    def can_draw_qa(self) -> bool:
        """Draw samples and read the report: supervisors and admins."""
        return self.actor.role in ("supervisor", "admin")

    @property
    def can_settle_qa(self) -> bool:
        """Settle disagreements (uphold or overturn): supervisors, who make decisions."""
        return self.actor.can_supervise

    def qa_default_percents(self) -> dict[str, float]:
        """The share per kind a draw uses unless overridden (the season's policy)."""
        return qa.default_percents(self.store, self.actor)

    def qa_draw(
        self, seed: str | None = None, percent: dict[str, float] | None = None
    ) -> qa.DrawResult:
        """Draw 抽查 samples in the actor's districts (supervisors and admins)."""
        return qa.draw(self.workflow, self.actor, seed=seed, percent=percent)

    def qa_my_samples(self) -> list[qa.SampleView]:
        """The actor's 抽查 queue."""
        return qa.my_samples(self.store, self.actor)

    def qa_verdict(self, ref: str, agree: bool, comment: str | None = None) -> qa.SampleView:
        """The assignee agrees or disagrees with a sampled approval."""
        return qa.give_verdict(self.workflow, self.actor, ref, agree, comment)

    def qa_disagreements(self) -> list[qa.SampleView]:
        """Disagreements waiting to be settled (supervisors and admins)."""
        return qa.disagreements(self.store, self.actor)

    def qa_settle(
        self,
        ref: str,
        overturn: bool,
        decision: DecisionInput | None = None,
        comment: str | None = None,
    ) -> qa.SettleResult:
        """Uphold a disputed approval, or overturn it with ``decision`` (supervisors)."""
        return qa.settle(
            self.workflow, self.actor, ref, overturn=overturn, decision=decision, comment=comment
        )

    def qa_report(self) -> list[qa.ReportLine]:
        """Per approver: approvals, sampled, verdicts, disagreements, overturns."""
        return qa.qa_report(self.store, self.actor)

    def export_qa_report(self, path: Path) -> int:
        """The disagreement report, read now, written to ``path`` (.xlsx or .csv)."""
        return qa.export_report(self.qa_report(), path)

    # --- audit journal -------------------------------------------------------

    @property
    def can_audit(self) -> bool:
        return self.actor.role in ("supervisor", "admin")

    def _audit_scope(self) -> AuditScope:
        """An admin reads every entry; a supervisor those about their districts' cases and
        their own case-less ones (app.review.audit); a reviewer is refused."""
        if not self.can_audit:
            raise WorkflowError("role", "the audit journal is for supervisors and admins")
        if self.actor.role == "admin":
            return AuditScope.everything()
        return AuditScope(self.actor.districts, self.actor.username)

    def journal_page(
        self,
        filters: AuditFilters | None = None,
        after_seq: int | None = None,
        limit: int = AUDIT_PAGE_SIZE,
    ) -> list[AuditRow]:
        """One page of the journal, newest first, older than ``after_seq``."""
        scope = self._audit_scope()
        return journal_page(self._store, scope, filters or AuditFilters(), after_seq, limit)

    def journal_actions(self) -> list[str]:
        """The actions the journal holds (the audit browser's action filter)."""
        self._audit_scope()
        return actions_present(self._store)

    def verify_journal(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> JournalCheck:
        """Check this store's whole chain (whatever the scope: the chain is one)."""
        self._audit_scope()
        return verify_journal(self._store, progress, cancelled)

    def export_journal_csv(
        self,
        filters: AuditFilters,
        path: Path,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> AuditExport:
        """Every entry the browser would list with ``filters``, as a CSV file at ``path``."""
        return export_journal_csv(
            self._store, self._audit_scope(), filters, path, progress, cancelled
        )


_PREVIEW_REASON = "preview"  # never recorded: a preview's job is always rolled back


class NoticeChanged(PrintError):
    """The notices to record are no longer the ones previewed: nothing was recorded."""


class _PreviewOnly(Exception):
    """Raised inside a preview's recording transaction to roll it back."""


@dataclass(frozen=True)
class NoticePreview:
    """Notices as they would be issued now: the PDF and what each notice's record says."""

    pdf: bytes
    serials: tuple[str, ...]
    case_nos: tuple[str, ...]
    copies: tuple[int, ...]  # copy number of each notice: above 1 is a 补打
    skipped: tuple[str, ...] = ()  # batch: cases printed before, left out

    @property
    def pages(self) -> int:
        return len(self.serials)

    @property
    def reprints(self) -> tuple[str, ...]:
        """Case numbers whose notice would be a 补打 (recording it needs a reason)."""
        return tuple(c for c, copy in zip(self.case_nos, self.copies, strict=True) if copy > 1)

    @property
    def serial_range(self) -> str:
        return serial_range(self.serials)


class _PreviewRoute:
    """The workstation's print route for a preview: same serial range, records kept back
    (the transaction is rolled back), the planned notices noted for the preview."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.notices: list[tuple[str, str, int]] = []  # serial, case number, copy
        self.skipped: tuple[str, ...] = ()

    def serial_space(self, session: Any) -> str:
        return str(self._inner.serial_space(session))

    def prints_recorded(self, session: Any, rows: Sequence[NoticePrint]) -> None:
        ids = {row.case_id for row in rows}
        numbers = dict(session.execute(select(Case.id, Case.case_no).where(Case.id.in_(ids))).all())
        self.notices = [
            (row.serial, numbers.get(row.case_id, row.case_id), row.copy_no) for row in rows
        ]


def _same_as(previewed: bytes, deliver: Deliver | None) -> Deliver:
    def check(pdf: bytes) -> None:
        if pdf != previewed:
            raise NoticeChanged(
                "the notices changed since the preview (another workstation printed or "
                "decided these cases): nothing was recorded; open the preview again"
            )
        if deliver is not None:
            deliver(pdf)

    return check


def _check_search(text: str | None) -> None:
    if text and len(text) > MAX_SEARCH:
        raise WorkflowError(
            "search_too_long",
            f"the search text has {len(text):,} characters; search by a name, an ID number or "
            f"a case number (at most {MAX_SEARCH} characters)",
        )
