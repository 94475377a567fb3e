"""Arbiter operations against the central store, the same calls on either backend.

On PostgreSQL the workstation's role may only call SECURITY DEFINER functions
(``reviewdb.central_pg``); on a central SQLite file (one small office) the Python arbiter
runs directly in the central transaction. Callers never know which.

**Published rules.** The central store decides by rules it holds, not by what a
workstation sends: :func:`publish_rules` (``reviewdesk central publish-policy``, also run by
``central init``) writes them as JSON rows of the ``settings`` table — ``rules.limits``
(text limits, lease maximum per role), ``rules.reasons`` (the reason library per kind,
the verdicts) and one ``rules.<city>.<year>`` per policy (four-eyes per kind and outcome,
undo window, checklist codes per kind) — and journals the publication. The ``rd_*``
functions (``reviewdb/sql/helpers.sql``) and :class:`PythonOps` read the same rows and
apply the same checks (:func:`check_decision`): four-eyes and the undo window come from the
case's city/year policy, leases are clamped to the role's maximum, reason codes, documents
and texts are checked. A store that never published keeps the old behaviour (the
workstation's values are taken); once ``rules.limits`` exists, a case whose city/year has
no published policy is refused (``rules_missing``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import Session

from reviewdb import arbiter, changes, journal, qa
from reviewdb.arbiter import ArbiterRefusal, ClaimInfo, DecisionRecord, Paused, Reassigned
from reviewdb.journal import store_now
from reviewdb.models import (
    Application,
    Case,
    CentralJournalEntry,
    Decision,
    NoticePrint,
    Setting,
    Station,
    User,
    table_of,
)

# -- published rules ---------------------------------------------------------------------

RULES_PREFIX = "rules."
RULES_LIMITS = "rules.limits"  # its presence means "rules are published"
RULES_REASONS = "rules.reasons"
# What a decision's ``reasons`` object may hold (app.review.workflow._record writes these).
REASON_KEYS = ("codes", "missing", "note_to_parent", "verdicts")
_KEY_CHARS = 64  # settings.key is String(64)


def rules_key(city: str, year: int) -> str:
    """The settings key of one city/year policy's published rules."""
    key = f"{RULES_PREFIX}{city}.{year}"
    if len(key) > _KEY_CHARS:
        raise ValueError(f"rules key {key!r} is longer than {_KEY_CHARS} characters")
    return key


def _rules_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclasses.dataclass(frozen=True)
class Published:
    """What :func:`publish_rules` did: keys written or replaced, keys removed."""

    written: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def publish_rules(
    session: Session, rules: Mapping[str, Any], *, actor: str | None, workstation: str
) -> Published:
    """Make ``rules`` (settings key -> JSON value) the central store's published rules.

    Every key starts with ``rules.``; ``rules.limits`` and ``rules.reasons`` are required.
    Rules rows not in ``rules`` are removed (a policy taken out stops being in force). When
    anything changed, one ``publish_policy`` entry goes into the store's own journal with
    the sha256 of every row, inside the caller's transaction; publishing the same rules
    again writes nothing.
    """
    for key in (RULES_LIMITS, RULES_REASONS):
        if key not in rules:
            raise ValueError(f"the rules to publish have no {key}")
    for key in rules:
        if not key.startswith(RULES_PREFIX) or len(key) > _KEY_CHARS:
            raise ValueError(f"not a rules key: {key!r}")
    texts = {key: _rules_text(value) for key, value in rules.items()}
    stored = {
        row.key: row
        for row in session.scalars(select(Setting).where(Setting.key.startswith(RULES_PREFIX)))
    }
    written = tuple(sorted(k for k, v in texts.items() if k not in stored or stored[k].value != v))
    removed = tuple(sorted(k for k in stored if k not in texts))
    if not written and not removed:
        return Published((), ())
    if removed:
        session.execute(delete(Setting).where(Setting.key.in_(removed)))
    for key in written:
        if key in stored:
            stored[key].value = texts[key]
        else:
            session.add(Setting(key=key, value=texts[key]))
    session.flush()
    # Rows first, then the journal's lock (the writers' lock order).
    journal.append(
        session,
        action="publish_policy",
        actor=actor,
        workstation=workstation,
        payload={
            "sha256": {k: hashlib.sha256(v.encode()).hexdigest() for k, v in sorted(texts.items())},
            "written": list(written),
            "removed": list(removed),
        },
    )
    return Published(written, removed)


# Built once: every claim and decision through PythonOps asks it (also the standalone
# arbiter's, whose local store has no rules: one indexed probe on the settings table).
_RULE = select(table_of(Setting).c.value).where(table_of(Setting).c.key == bindparam("p_key"))


def read_rules(session: Session, key: str) -> Any:
    """One published rules row, decoded (None when absent)."""
    value = session.connection().execute(_RULE, {"p_key": key}).scalar()
    return None if value is None else json.loads(value)


def _fail_text(field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ArbiterRefusal(
            "text_too_long",
            f"{field} is {len(value)} characters long; at most {limit} are allowed",
            field=field,
            limit=limit,
        )


def check_decision(
    limits: Mapping[str, Any],
    library: Mapping[str, Any],
    case_rules: Mapping[str, Any],
    kind: str,
    outcome: str,
    reasons: Any,
    comment: str | None,
) -> None:
    """A decision's reasons and texts against the published rules; raises ArbiterRefusal.

    The same checks, in the same order and with the same codes, as ``rd_check_decision``
    (reviewdb/sql/helpers.sql) on PostgreSQL.
    """
    lib = (library.get("kinds") or {}).get(kind)
    checklist = (case_rules.get("checklists") or {}).get(kind) or []
    if lib is None:
        raise ArbiterRefusal(
            "rules_missing",
            f"no published reasons for {kind} cases: run reviewdesk central publish-policy",
        )
    if not isinstance(reasons, dict):
        raise ArbiterRefusal("invalid", "reasons must be a JSON object")
    if any(key not in REASON_KEYS for key in reasons):
        raise ArbiterRefusal(
            "invalid", "reasons has a key that is not codes, missing, note_to_parent or verdicts"
        )
    # A key left out is empty; a key present must have its type (JSON null included).
    codes = reasons.get("codes", [])
    missing = reasons.get("missing", [])
    note = reasons.get("note_to_parent")
    verdicts = reasons.get("verdicts", {})
    if (
        not isinstance(codes, list)
        or not isinstance(missing, list)
        or not isinstance(verdicts, dict)
        or not (note is None or isinstance(note, str))
        or not all(isinstance(c, str) for c in [*codes, *missing])
        or not all(isinstance(v, str) for v in verdicts.values())
    ):
        raise ArbiterRefusal(
            "invalid",
            "reasons: codes and missing must be lists of text, verdicts an object of text, "
            "note_to_parent text",
        )
    verdicts_max = int(limits["verdicts_max"])
    if len(verdicts) > verdicts_max:
        raise ArbiterRefusal(
            "text_too_long",
            f"reasons: more than {verdicts_max} verdicts",
            field="verdicts",
            limit=verdicts_max,
        )
    code_chars = int(limits["code_chars"])
    _fail_text("comment", comment, int(limits["comment_chars"]))
    _fail_text("note_to_parent", note, int(limits["note_to_parent_chars"]))
    too_long = [f"codes[{i}]" for i, code in enumerate(codes) if len(code) > code_chars]
    too_long += [f"missing[{i}]" for i, code in enumerate(missing) if len(code) > code_chars]
    too_long += [
        "verdicts" for k, v in verdicts.items() if len(k) > code_chars or len(v) > code_chars
    ]
    if too_long:
        raise ArbiterRefusal(
            "text_too_long",
            f"{too_long[0]} is longer than {code_chars} characters",
            field=too_long[0],
            limit=code_chars,
        )
    known = set(lib.get("codes") or ())
    for i, code in enumerate(codes):
        if code not in known:
            raise ArbiterRefusal(
                "reason_unknown",
                f"codes[{i}] is not a reason of the {kind} library",
                field=f"codes[{i}]",
                kind=kind,
            )
    for i, code in enumerate(missing):
        if code not in checklist:
            raise ArbiterRefusal(
                "missing_unknown",
                f"missing[{i}] is not a document of the {kind} checklist",
                field=f"missing[{i}]",
                kind=kind,
            )
    if len(set(codes)) != len(codes) or len(set(missing)) != len(missing):
        raise ArbiterRefusal("invalid", "reasons: a code or a document is listed twice")
    if any(v not in (library.get("verdicts") or ()) for v in verdicts.values()):
        raise ArbiterRefusal(
            "verdict_unknown", "reasons: a verdict is not one of the published verdicts"
        )
    if outcome == "reject" and not codes:
        raise ArbiterRefusal("reason_required", "a rejection needs at least one reason")
    if outcome == "approve" and codes:
        raise ArbiterRefusal("reason_on_approve", "an approval takes no rejection reasons")
    if outcome == "return" and not missing:
        raise ArbiterRefusal("missing_required", "a return needs the missing documents")
    needs_comment = set(lib.get("comment_required") or ())
    if not (comment or "").strip() and any(c in needs_comment for c in codes):
        raise ArbiterRefusal("comment_required", "a reason given needs a comment")


def needs_confirmation(case_rules: Mapping[str, Any], kind: str, outcome: str) -> bool:
    """Four-eyes by the published policy: does ``outcome`` on a ``kind`` case wait for a
    second supervisor?"""
    return outcome in ((case_rules.get("four_eyes") or {}).get(kind) or ())


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
    def reassign(
        self, case_id: str, supervisor_id: str, to_user_id: str | None, lease: dt.timedelta
    ) -> Reassigned: ...
    def set_paused(self, supervisor_id: str, user_id: str, pause: bool) -> Paused: ...
    def submit_decision(self, rec: DecisionRecord) -> str: ...
    def submit_decisions(self, recs: Sequence[DecisionRecord]) -> list[str]: ...
    def confirm(self, decision_id: str, supervisor_id: str, accept: bool) -> str: ...
    def undo(self, decision_id: str, user_id: str, window_minutes: int) -> str: ...
    def append_journal(self, entries: list[dict[str, Any]]) -> None: ...
    def record_print(self, row: dict[str, Any]) -> None: ...
    def register_station(self, store_id: str, key: str, keyed_from: int) -> int: ...
    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str: ...
    def qa_draw(
        self,
        drawer_id: str,
        districts: Sequence[str] | None,
        seed: str,
        override: Mapping[str, float],
        fallback: Mapping[str, Any],
    ) -> qa.DrawOutcome: ...
    def qa_verdict(
        self, user_id: str, decision_id: str, agree: bool, comment: str | None
    ) -> dt.datetime: ...
    def qa_uphold(self, supervisor_id: str, decision_id: str) -> dt.datetime: ...
    def qa_overturn(self, decision_id: str, rec: DecisionRecord) -> str: ...


class PythonOps:
    """The arbiter in Python, inside a transaction on the central database (SQLite central).

    Applies the published rules as the ``rd_*`` functions do (a central SQLite file serves
    a trusted office, but the behaviour is kept the same on both backends).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rules: dict[str, Any] = {}  # published rows read in this transaction

    # published rules

    def _published(self, key: str) -> Any:
        if key not in self._rules:
            self._rules[key] = read_rules(self.session, key)
        return self._rules[key]

    def _case_rules(self, case_id: str) -> tuple[str, dict[str, Any] | None]:
        """The case's kind and its city/year rules (None while nothing is published)."""
        if self._published(RULES_LIMITS) is None:
            return "", None
        row = self.session.execute(
            select(Case.kind, Application.city, Application.admission_year)
            .join(Application, Application.id == Case.application_id)
            .where(Case.id == case_id)
        ).first()
        if row is None:
            raise ArbiterRefusal("no_case", f"no case {case_id}")
        kind, city, year = str(row[0]), str(row[1]), int(row[2])
        rules = self._published(f"{RULES_PREFIX}{city}.{year}")
        if rules is None:
            raise ArbiterRefusal(
                "rules_missing",
                f"no published policy for {city} {year}: run reviewdesk central publish-policy",
                city=city,
                year=year,
            )
        return kind, rules

    def _checked(self, rec: DecisionRecord) -> tuple[str, dict[str, Any] | None]:
        """``rec``'s reasons and texts checked against the published rules; the case's kind
        and city/year rules (None while nothing is published)."""
        kind, rules = self._case_rules(rec.case_id)
        if rules is None:
            return kind, None
        if rec.outcome not in arbiter.OUTCOME_STATUS:
            raise ArbiterRefusal("invalid", f"unknown outcome {rec.outcome}")
        check_decision(
            self._published(RULES_LIMITS),
            self._published(RULES_REASONS) or {},
            rules,
            kind,
            rec.outcome,
            rec.reasons,
            rec.comment,
        )
        return kind, rules

    def _lease(self, user_id: str, lease: dt.timedelta) -> dt.timedelta:
        """The lease asked for, capped at the published maximum of the user's role."""
        limits = self._published(RULES_LIMITS)
        if limits is None:
            return lease
        if not lease > dt.timedelta(0):
            raise ArbiterRefusal("invalid", f"lease of {lease.total_seconds()} seconds refused")
        role = self.session.scalar(select(User.role).where(User.id == user_id))
        most = ((limits.get("lease") or {}).get(role) or {}).get("max_seconds")
        if most is None:
            raise ArbiterRefusal(
                "not_allowed", f"a {role} holds no lease", user_id=user_id, role=role
            )
        return min(lease, dt.timedelta(seconds=float(most)))

    def _is_new(self, decision_id: str) -> bool:
        return self.session.scalar(select(Decision.id).where(Decision.id == decision_id)) is None

    # claims

    def claim(self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta) -> ClaimInfo:
        lease = self._lease(user_id, lease)
        return arbiter.claim(self.session, case_id, user_id, workstation, lease)

    def renew(self, case_id: str, user_id: str, token: int, lease: dt.timedelta) -> ClaimInfo:
        lease = self._lease(user_id, lease)
        return arbiter.renew(self.session, case_id, user_id, token, lease)

    def release(self, case_id: str, user_id: str) -> bool:
        return arbiter.release(self.session, case_id, user_id)

    def takeover(
        self, case_id: str, user_id: str, workstation: str, lease: dt.timedelta
    ) -> ClaimInfo:
        lease = self._lease(user_id, lease)
        return arbiter.takeover(self.session, case_id, user_id, workstation, lease)

    def reassign(
        self, case_id: str, supervisor_id: str, to_user_id: str | None, lease: dt.timedelta
    ) -> Reassigned:
        # The supervisor's right is the workflow's to check here (a central SQLite file
        # serves a trusted office); the lease is the new holder's role's.
        if to_user_id is not None:
            lease = self._lease(to_user_id, lease)
        return arbiter.reassign(self.session, case_id, to_user_id, lease)

    def set_paused(self, supervisor_id: str, user_id: str, pause: bool) -> Paused:
        return arbiter.set_paused(self.session, supervisor_id, user_id, pause)

    def submit_decision(self, rec: DecisionRecord) -> str:
        # A resend of a stored decision gets its stored state (arbiter: idempotent by id).
        if self._published(RULES_LIMITS) is not None and self._is_new(rec.decision_id):
            kind, rules = self._checked(rec)
            if rules is not None:
                # Four-eyes is the published policy's, never what the workstation sent.
                needs = needs_confirmation(rules, kind, rec.outcome)
                rec = dataclasses.replace(rec, needs_confirmation=needs)
        return arbiter.submit_decision(self.session, rec).state

    def submit_decisions(self, recs: Sequence[DecisionRecord]) -> list[str]:
        """Several decisions, each as :meth:`submit_decision` takes it, in order; the first
        refusal is raised and none of them stays (as ``rd_submit_decisions``: the caller
        then sends them one by one to learn which was refused)."""
        with self.session.begin_nested():
            return [self.submit_decision(rec) for rec in recs]

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
        _kind, rules = self._case_rules(row.case_id)
        if rules is not None:  # the published window, never what the workstation sent
            window_minutes = int(rules["undo_window_minutes"])
        if store_now(self.session) - row.store_time > dt.timedelta(minutes=window_minutes):
            raise ArbiterRefusal(
                "undo_window",
                f"the undo window of {window_minutes} minutes has passed",
                window_minutes=window_minutes,
            )
        if self.session.scalars(
            select(NoticePrint.id).where(NoticePrint.decision_id == decision_id)
        ).first():
            raise ArbiterRefusal("printed", "a notice was already printed for this decision")
        arbiter.undo(self.session, row)
        return row.state

    def append_journal(self, entries: list[dict[str, Any]]) -> None:
        """Append uploaded entries as ``rd_append_journal`` does: to a registered chain, at
        its next position only, each mark checked against the workstation's key; a repeat
        is a no-op. (A central SQLite file has no logins: no binding to check.)"""
        now = store_now(self.session)
        for e in entries:
            self._append_journal_entry(e, now)

    _JOURNAL_FIELDS = (
        "chain",
        "seq",
        "entry_id",
        "actor",
        "workstation",
        "device_time",
        "store_time",
        "action",
        "case_id",
        "payload",
        "prev_hash",
        "hash",
        "mac",
        "withheld",
    )

    def _append_journal_entry(self, e: dict[str, Any], now: dt.datetime) -> None:
        chain, seq = e["chain"], e["seq"]
        if self.session.get(Station, chain) is None:
            raise ArbiterRefusal(
                "not_yours",
                f"chain {chain} is not a registered workstation's: register the workstation first",
                chain=chain,
            )
        if e.get("withheld") is not None:  # the position alone (rd_append_journal)
            e = {**e, "case_id": None, "payload": {}}
            e["withheld"] = str(e["withheld"])[:500]
        for name in ("hash", "prev_hash"):
            if not journal.is_hex64(e[name]):
                raise ArbiterRefusal(
                    "invalid", "an entry's hash and prev_hash are 64 lower-case hex digits"
                )
        existing = self.session.scalars(
            select(CentralJournalEntry).where(CentralJournalEntry.entry_id == e["entry_id"])
        ).first()
        if existing is not None:
            same = (existing.chain, existing.seq, existing.hash, existing.mac, existing.withheld)
            if same != (chain, seq, e["hash"], e.get("mac"), e.get("withheld")):
                raise ArbiterRefusal(
                    "id_reused",
                    f"journal entry {e['entry_id']} arrived twice with different content",
                    entry_id=e["entry_id"],
                )
            return
        last = self.session.execute(
            select(CentralJournalEntry.seq, CentralJournalEntry.hash)
            .where(CentralJournalEntry.chain == chain)
            .order_by(CentralJournalEntry.seq.desc())
            .limit(1)
        ).first()
        last_seq, last_hash = (int(last[0]), str(last[1])) if last else (0, journal.GENESIS)
        if seq <= last_seq:
            raise ArbiterRefusal(
                "id_reused",
                f"chain {chain} already holds another entry at seq {seq}",
                chain=chain,
                seq=seq,
            )
        if seq != last_seq + 1 or e["prev_hash"] != last_hash:
            raise ArbiterRefusal(
                "not_next",
                f"chain {chain} is at entry {last_seq}: only entry {last_seq + 1} following it "
                "may come next",
                chain=chain,
                seq=seq,
                next=last_seq + 1,
            )
        key = journal.chain_key(self.session, chain)
        mac = e.get("mac")
        if mac is not None or seq >= (key.keyed_from if key else 1):
            if key is None or key.secret is None:
                raise ArbiterRefusal(
                    "bad_mac",
                    f"chain {chain} has no key: register the workstation with its key first",
                    chain=chain,
                    seq=seq,
                )
            if not journal.mark_matches(key.secret, e["hash"], mac):
                raise ArbiterRefusal(
                    "bad_mac",
                    f"entry {seq} of chain {chain} is not marked with the workstation's key",
                    chain=chain,
                    seq=seq,
                )
        row = {name: e.get(name) for name in self._JOURNAL_FIELDS}
        self.session.add(CentralJournalEntry(**row, received_at=now))
        self.session.flush()

    def resolve_conflict(self, conflict_id: str, rec: DecisionRecord) -> str:
        if self._published(RULES_LIMITS) is not None:
            # The conflict is named first, as rd_resolve_conflict does; a resend of a stored
            # decision gets what was stored (arbiter), unchecked.
            conflict = self.session.get(Decision, conflict_id)
            if conflict is None or conflict.state != "conflict" or conflict.case_id != rec.case_id:
                raise ArbiterRefusal(
                    "state", f"decision {conflict_id} is not a conflict of this case"
                )
            if self._is_new(rec.decision_id):
                self._checked(rec)
        return arbiter.resolve_conflict(self.session, conflict_id, rec).state

    # 抽查 (reviewdb.qa; a central SQLite file serves a trusted office: the districts are
    # the workflow's, as the supervisor's rights are)

    def qa_draw(
        self,
        drawer_id: str,
        districts: Sequence[str] | None,
        seed: str,
        override: Mapping[str, float],
        fallback: Mapping[str, Any],
    ) -> qa.DrawOutcome:
        return qa.draw(self.session, drawer_id, districts, seed, override, fallback)

    def qa_verdict(
        self, user_id: str, decision_id: str, agree: bool, comment: str | None
    ) -> dt.datetime:
        return qa.verdict(self.session, user_id, decision_id, agree, comment)

    def qa_uphold(self, supervisor_id: str, decision_id: str) -> dt.datetime:
        return qa.uphold(self.session, supervisor_id, decision_id)

    def qa_overturn(self, decision_id: str, rec: DecisionRecord) -> str:
        if self._published(RULES_LIMITS) is not None and self._is_new(rec.decision_id):
            self._checked(rec)  # reason codes and texts by the published rules
        return qa.overturn(self.session, decision_id, rec)

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

    def register_station(self, store_id: str, key: str, keyed_from: int) -> int:
        """As ``rd_register_station``: the serial range and the journal key (no logins to
        bind on a central SQLite file)."""
        if not 8 <= len(store_id) <= 64:
            raise ArbiterRefusal("bad_request", "a store id has 8 to 64 characters")
        if not journal.is_hex64(key):
            raise ArbiterRefusal(
                "bad_request", "a journal key is 64 lower-case hex digits (32 random bytes)"
            )
        if keyed_from < 1:
            raise ArbiterRefusal("bad_request", "keyed_from is a journal position (1 or more)")
        if not journal.register_chain_key(self.session, store_id, key, keyed_from):
            raise ArbiterRefusal(
                "not_yours",
                f"store id {store_id} is registered with another journal key: ask the "
                "administrator",
                store_id=store_id,
            )
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


def ops_for(
    session: Session,
    *,
    savepoints: bool = True,
    tokens: Callable[[str], str | None] | None = None,
) -> CentralOps:
    """The arbiter for this central session: functions on PostgreSQL, Python on SQLite.

    ``savepoints=False`` when the caller already wraps each call in its own savepoint.
    ``tokens`` gives a person's token (PostgreSQL reached through a workstation login:
    reviewdb/sql/identity.sql); a SQLite central store cannot check who acts (trusted
    office only) and ignores it.
    """
    if session.get_bind().dialect.name == "postgresql":
        from reviewdb.central_pg import PgArbiter

        return PgArbiter(session, savepoints=savepoints, tokens=tokens)
    return PythonOps(session)


def committed_change_value(session: Session) -> int:
    """The counter's committed value: every change numbered at or below it is visible."""
    return int(session.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar_one())
