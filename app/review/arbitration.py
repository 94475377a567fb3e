"""Who arbitrates claims and decisions: this store alone, or a central store.

One interface, two implementations, chosen once when the workstation is put together
(:func:`app.runtime.open_workstation`). The workflow never asks which it has:

- :class:`StandaloneArbitration` — the local store is its own arbiter. The check, the
  arbiter's guarded statements and the journal entry commit in one local transaction.
- :class:`CentralArbitration` — claims, confirmations, undos and conflict resolutions are
  won at the central store (PostgreSQL functions or a central SQLite file); the result is
  mirrored into the local store and journaled there. Decisions are recorded locally with
  an outbox item and sent at once when the central store answers, later otherwise.

Every arbitrated action has the same three steps, so the interface is one method,
:meth:`Arbitration.run`: ``check`` (read the case locally, apply the workflow's rules),
``act`` (the arbiter operation on a :class:`reviewdb.central.CentralOps`), ``record``
(journal the outcome locally).
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.review.errors import WorkflowError, refused
from reviewdb import arbiter, journal
from reviewdb.arbiter import ArbiterRefusal, DecisionRecord
from reviewdb.central import CentralOps, PythonOps
from reviewdb.engine import Store, StoreError, StoreUnavailable
from reviewdb.models import NoticePrint, row_values

if TYPE_CHECKING:
    from app.sync.engine import SyncEngine

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class HasCase(Protocol):
    """What ``check`` hands on: at least the case's id."""

    @property
    def case_id(self) -> str | None: ...


C = TypeVar("C", bound=HasCase)

# What the local store must take from the central store after an action: the claim row
# only (claims, releases), the whole case (confirm, undo, conflict resolution), 抽查's draws
# and samples (or, when the target names a case — an overturn — that case, whose sample
# comes with it), or nothing (an action on a person: ``record`` writes what the arbiter
# answered).
Mirror = Literal["claim", "case", "qa", "none"]


@dataclass(frozen=True)
class Submitted:
    """A decision as recorded locally: its state there and the case's status after it."""

    state: str
    case_status: str


class Arbitration(ABC):
    """The arbiter of one workstation; see the module docstring."""

    #: "standalone" or "central": for status lines, never for branching.
    mode: str

    def __init__(self, store: Store) -> None:
        self.store = store

    @abstractmethod
    def now(self, session: Session) -> dt.datetime:
        """The arbiter's clock (leases are judged by it)."""

    @abstractmethod
    def run(
        self,
        check: Callable[[Session], C],
        act: Callable[[CentralOps, C], T],
        record: Callable[[Session, C, T], R],
        *,
        what: str,
        mirror: Mirror,
        offline: Callable[[C], T] | None = None,
    ) -> R:
        """Check locally, act at the arbiter, record locally (``record``'s answer is returned).

        Refusals (the workflow's or the arbiter's) raise :class:`WorkflowError`.

        ``offline``, where given, answers instead of the arbiter when it cannot be reached
        (a checked-out case keeps its local lease); without it an unreachable arbiter is
        a ``WorkflowError("offline")`` and nothing is changed.
        """

    @abstractmethod
    def submit(
        self, session: Session, rec: DecisionRecord, known: tuple[str, int] | None = None
    ) -> Submitted:
        """Record a decision inside the caller's local transaction (``known``: the case's
        status and round as read in that transaction)."""

    def settle(self) -> bool:
        """After a decision's transaction committed: send it now if there is somewhere to.

        True when the local state may have changed (the arbiter answered).
        """
        return False

    @abstractmethod
    def blob(self, sha256: str) -> bytes:
        """An image's bytes, verified."""

    # --- prints (app.notices.printing.PrintRoute) ----------------------------------

    def serial_space(self, session: Session) -> str:
        """The serial range this workstation prints in ("" for the plain one)."""
        return ""

    def prints_recorded(self, session: Session, rows: Sequence[NoticePrint]) -> None:
        """New print records, in their recording transaction."""
        return None


class StandaloneArbitration(Arbitration):
    """The local store decides: one transaction for check, arbiter and journal."""

    mode = "standalone"

    def now(self, session: Session) -> dt.datetime:
        return journal.store_now(session)

    def run(
        self,
        check: Callable[[Session], C],
        act: Callable[[CentralOps, C], T],
        record: Callable[[Session, C, T], R],
        *,
        what: str,
        mirror: Mirror,
        offline: Callable[[C], T] | None = None,
    ) -> R:
        try:
            with self.store.write() as s:
                target = check(s)
                return record(s, target, act(PythonOps(s), target))
        except ArbiterRefusal as exc:
            raise refused(exc) from exc

    def submit(
        self, session: Session, rec: DecisionRecord, known: tuple[str, int] | None = None
    ) -> Submitted:
        try:
            done = arbiter.submit_decision(session, rec, fresh=True, known=known)
        except ArbiterRefusal as exc:
            raise refused(exc) from exc
        return Submitted(done.state, done.case_status)

    def blob(self, sha256: str) -> bytes:
        return self.store.blobs.get(sha256)


class CentralArbitration(Arbitration):
    """The central store decides; the local store mirrors it and keeps the journal."""

    mode = "central"

    def __init__(self, store: Store, sync: SyncEngine) -> None:
        super().__init__(store)
        self.sync = sync

    def now(self, session: Session) -> dt.datetime:
        return self.sync.server_now()

    def run(
        self,
        check: Callable[[Session], C],
        act: Callable[[CentralOps, C], T],
        record: Callable[[Session, C, T], R],
        *,
        what: str,
        mirror: Mirror,
        offline: Callable[[C], T] | None = None,
    ) -> R:
        with self.store.read() as s:
            target = check(s)
        try:
            with self.sync.central.write() as cs:
                result = act(self.sync.ops(cs), target)
        except ArbiterRefusal as exc:
            raise refused(exc) from exc
        except (StoreUnavailable, OperationalError, DBAPIError) as exc:
            if offline is None:
                raise WorkflowError(
                    "offline",
                    f"central store unreachable: {what} needs it; nothing was changed",
                ) from exc
            result = offline(target)
        else:
            self._mirror(mirror, target.case_id, what)
        with self.store.write() as s:
            return record(s, target, result)

    def _mirror(self, mirror: Mirror, case_id: str | None, what: str) -> None:
        """What the arbiter now holds, copied here. The action is done there: a failure to
        read it back (the connection dropped just then) is not a refusal and must not say
        "nothing was changed"; it is logged and the next sync brings it."""
        try:
            if mirror == "qa" and case_id is None:
                self.sync.refresh_qa()
            elif case_id is None or mirror == "none":
                pass
            elif mirror == "claim":
                self.sync.mirror_claim(case_id)
            else:
                self.sync.refresh_case(case_id)
        except (StoreUnavailable, OperationalError, DBAPIError) as exc:
            log.warning("%s done at the central store, not copied here yet: %s", what, exc)

    def submit(
        self, session: Session, rec: DecisionRecord, known: tuple[str, int] | None = None
    ) -> Submitted:
        from app.sync.engine import enqueue_decision

        # The decision and its outbox item commit together; the central arbiter's answer
        # replaces the local "submitted" state when it arrives.
        status = arbiter.record_for_upload(session, rec)
        enqueue_decision(session, rec)
        return Submitted("submitted", status)

    def settle(self) -> bool:
        """Send at once; offline (or busy), the outbox keeps it and sync sends it later."""
        try:
            self.sync.push()
        except (StoreError, OperationalError, DBAPIError):
            return False
        return True

    def blob(self, sha256: str) -> bytes:
        return self.sync.ensure_blob(sha256)

    def serial_space(self, session: Session) -> str:
        from app.sync.engine import station_code

        code = station_code(session)
        if code is None:
            raise WorkflowError(
                "no_station",
                "this workstation has no serial range yet: sync once with the central store "
                "(online), then print",
            )
        return code

    def prints_recorded(self, session: Session, rows: Sequence[NoticePrint]) -> None:
        """Each print goes up through the outbox, in the transaction that records it."""
        from app.sync.engine import enqueue_print

        for row in rows:
            enqueue_print(session, row_values(row))
