"""Arbiter operations against the central store, the same calls on either backend.

On PostgreSQL the workstation's role may only call SECURITY DEFINER functions
(``reviewdb.central_pg``); on a central SQLite file (one small office) the Python arbiter
runs directly in the central transaction. Callers never know which.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from reviewdb import arbiter, changes
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord
from reviewdb.journal import store_now
from reviewdb.models import Case, CentralJournalEntry, Decision, NoticePrint, Station


class CentralOps(Protocol):
    """What a workstation asks of the central arbiter."""

    def claim(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo: ...
    def renew(self, case_id: str, user_id: str, token: int, lease: dt.timedelta) -> ClaimInfo: ...
    def release(self, case_id: str, user_id: str) -> bool: ...
    def takeover(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo: ...
    def submit_decision(self, rec: DecisionRecord) -> str: ...
    def confirm(self, decision_id: str, supervisor_id: str, accept: bool) -> str: ...
    def undo(self, decision_id: str, user_id: str, window_minutes: int) -> str: ...
    def append_journal(self, entries: list[dict[str, Any]]) -> None: ...
    def record_print(self, row: dict[str, Any]) -> None: ...
    def register_station(self, store_id: str) -> int: ...
    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str: ...


class PythonOps:
    """The arbiter in Python, inside a transaction on the central database (SQLite central)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta) -> ClaimInfo:
        return arbiter.claim(self.session, case_id, user_id, workstation, lease)

    def renew(self, case_id: str, user_id: str, token: int, lease: dt.timedelta) -> ClaimInfo:
        return arbiter.renew(self.session, case_id, user_id, token, lease)

    def release(self, case_id: str, user_id: str) -> bool:
        return arbiter.release(self.session, case_id, user_id)

    def takeover(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo:
        return arbiter.takeover(self.session, case_id, user_id, workstation, lease)

    def submit_decision(self, rec: DecisionRecord) -> str:
        return arbiter.submit_decision(self.session, rec).state

    def _decision(self, decision_id: str) -> Decision:
        row = self.session.get(Decision, decision_id)
        if row is None:
            raise ArbiterRefusal("no_case", f"no decision {decision_id} at the central store")
        return row

    def confirm(self, decision_id: str, supervisor_id: str, accept: bool) -> str:
        row = self._decision(decision_id)
        if row.state != "pending_confirmation":
            raise ArbiterRefusal("state", "the decision is not waiting for confirmation")
        if row.reviewer_id == supervisor_id:
            raise ArbiterRefusal("four_eyes", "four-eyes needs another supervisor")
        arbiter.confirm(self.session, row, supervisor_id, accept)
        return row.state

    def undo(self, decision_id: str, user_id: str, window_minutes: int) -> str:
        row = self._decision(decision_id)
        if not row.effective or row.reviewer_id != user_id:
            raise ArbiterRefusal(
                "not_allowed", "only the reviewer who decided can undo the decision"
            )
        if store_now(self.session) - row.store_time > dt.timedelta(minutes=window_minutes):
            raise ArbiterRefusal(
                "undo_window", f"the undo window of {window_minutes} minutes has passed"
            )
        if self.session.scalars(
            select(NoticePrint.id).where(NoticePrint.decision_id == decision_id)
        ).first():
            raise ArbiterRefusal("printed", "a notice was already printed for this decision")
        arbiter.undo(self.session, row)
        return row.state

    def append_journal(self, entries: list[dict[str, Any]]) -> None:
        now = store_now(self.session)
        for e in entries:
            existing = self.session.scalars(
                select(CentralJournalEntry).where(CentralJournalEntry.entry_id == e["entry_id"])
            ).first()
            if existing is not None:
                if (existing.chain, existing.seq, existing.hash) != (
                    e["chain"],
                    e["seq"],
                    e["hash"],
                ):
                    raise ArbiterRefusal(
                        "id_reused",
                        f"journal entry {e['entry_id']} arrived twice with different content",
                    )
                continue
            self.session.add(CentralJournalEntry(**e, received_at=now))
        self.session.flush()

    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str:
        return arbiter.resolve_conflict(self.session, conflict_id, rec).state

    def record_print(self, row: dict[str, Any]) -> None:
        if self.session.get(NoticePrint, row["id"]) is not None:
            return
        printed = NoticePrint(**row, store_time=store_now(self.session))
        self.session.add(printed)
        case = self.session.get(Case, row["case_id"])
        if case is None:
            raise ArbiterRefusal("no_case", f"no case {row['case_id']} at the central store")
        # The case moves too: pulls follow the cases' change numbers.
        changes.stamp(self.session, [printed, case])

    def register_station(self, store_id: str) -> int:
        existing = self.session.get(Station, store_id)
        if existing is not None:
            return existing.station_no
        last = self.session.scalar(select(func.max(Station.station_no)))
        station = Station(
            store_id=store_id, station_no=(last or 0) + 1, registered_at=store_now(self.session)
        )
        self.session.add(station)
        self.session.flush()
        return station.station_no


def ops_for(session: Session, *, savepoints: bool = True) -> CentralOps:
    """The arbiter for this central session: functions on PostgreSQL, Python on SQLite.

    ``savepoints=False`` when the caller already wraps each call in its own savepoint.
    """
    if session.get_bind().dialect.name == "postgresql":
        from reviewdb.central_pg import PgArbiter

        return PgArbiter(session, savepoints=savepoints)
    return PythonOps(session)


def committed_change_value(session: Session) -> int:
    """The counter's committed value: every change numbered at or below it is visible."""
    return int(session.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar_one())
