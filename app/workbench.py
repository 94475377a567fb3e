"""The workstation's services for one logged-in reviewer: what the GUI asks, answered Qt-free.

Every method blocks (database, files); the GUI calls them through its task manager,
never on the GUI thread. Everything returned is a frozen value safe to hand across
threads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.auth import Actor
from app.cases import CaseDetail, QueueRow, count_queue, list_queue, load_case
from app.reasons import Reason, reasons_for
from app.sync import SyncStatus
from app.workflow import (
    ConflictView,
    DecisionInput,
    DecisionResult,
    Workflow,
    WorkflowError,
    find_case,
)
from reviewdb import queue as rq
from reviewdb.arbiter import ClaimInfo
from reviewdb.engine import Store, StoreError
from reviewdb.models import JournalEntry, School

TABS = ("pending", "mine", "confirming", "approved", "rejected", "returned", "conflict")
TAB_LABELS = {
    "pending": "待审核",
    "mine": "我的",
    "confirming": "待复核",
    "approved": "已通过",
    "rejected": "未通过",
    "returned": "已退回",
    "conflict": "冲突",
}


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


class Workbench:
    """Queue, case, decisions and history for ``actor`` on ``store``."""

    def __init__(self, store: Store, actor: Actor, workflow: Workflow | None = None) -> None:
        self.store = store
        self.actor = actor
        self.workflow = workflow or Workflow(store)

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
        with self.store.read() as s:
            from app.cases import resolve_case_id

            case_id = resolve_case_id(s, ref, self.actor.districts)
            return load_case(s, case_id)

    def peek_case(self, ref: str) -> CaseDetail:
        """Load a case without recording a view (read-ahead of the next case)."""
        with self.store.read() as s:
            from app.cases import resolve_case_id

            return load_case(s, resolve_case_id(s, ref, self.actor.districts))

    def attachment_bytes(self, sha256: str) -> bytes:
        """The image's bytes; with a central store, fetched (and verified) when missing here."""
        sync = self.workflow.sync
        if sync is not None:
            return sync.ensure_blob(sha256)
        return self.store.blobs.get(sha256)

    def reasons(self, kind: str) -> tuple[Reason, ...]:
        return reasons_for(kind)

    def checklist(self, ref: str) -> list[tuple[str, str]]:
        with self.store.read() as s:
            return list(self.workflow.checklist(find_case(s, self.actor, ref)).items())

    def history(self, ref: str) -> list[JournalView]:
        with self.store.read() as s:
            from app.cases import resolve_case_id

            case_id = resolve_case_id(s, ref, self.actor.districts)
            rows = s.scalars(
                select(JournalEntry)
                .where(JournalEntry.case_id == case_id)
                .order_by(JournalEntry.seq)
            ).all()
            return [JournalView(r.seq, r.store_time, r.actor, r.action, r.payload) for r in rows]

    # --- actions -------------------------------------------------------------

    def claim(self, ref: str) -> ClaimInfo:
        return self.workflow.claim(self.actor, ref)

    def renew(self, ref: str) -> ClaimInfo:
        return self.workflow.renew(self.actor, ref)

    def release(self, ref: str) -> bool:
        return self.workflow.release(self.actor, ref)

    def decide(self, ref: str, decision: DecisionInput) -> DecisionResult:
        return self.workflow.decide(self.actor, ref, decision)

    def confirm(self, ref: str, accept: bool = True, comment: str | None = None) -> DecisionResult:
        return self.workflow.confirm(self.actor, ref, accept=accept, comment=comment)

    def undo(self, ref: str) -> DecisionResult:
        return self.workflow.undo(self.actor, ref)

    def can_undo(self, ref: str) -> bool:
        return self.workflow.can_undo(self.actor, ref)

    # --- sync and on-site mode -------------------------------------------------------

    @property
    def has_central(self) -> bool:
        return self.workflow.sync is not None

    def sync_status(self) -> SyncStatus | None:
        sync = self.workflow.sync
        return sync.status() if sync is not None else None

    def sync_now(self) -> SyncStatus | None:
        """One sync round; offline is reported in the status, not raised."""
        sync = self.workflow.sync
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
        sync = self.workflow.sync
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
