"""One verification station at a school's door: its settings, keys, scan log and store.

A scan is answered in two steps, so that the clerk never waits on a network:

1. :meth:`Station.scan` — offline, a few milliseconds: the slip's signature against the
   station's key files, its earlier scans here, the verdict so far, logged;
2. :meth:`Station.check_state` — when a store is configured: what the store says (the key
   revoked or not, the decision behind the slip still standing, the print record, the
   student and school), through the same road as ``reviewdesk verify-slip``
   (:meth:`app.workbench.Reader.verify_slip`: with a central store it syncs first). The
   log row is updated with the final verdict.

Both block (files, database); the window runs them off the GUI thread. ``scan`` may run on
any thread; ``check_state`` on one thread at a time (the window's database lane).
"""

from __future__ import annotations

import datetime as dt
import platform
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from app import config
from app.errors import EnvironmentProblem, Refusal, StoreError, classify, describe
from app.notices.printing import NotCheckableHere, PrintError
from app.notices.signing import SignatureInvalid
from app.policy.idnumbers import mask_id
from app.review.cases import CaseNotFound
from app.station import keyring
from app.station.errors import StationRefusal
from app.station.export import Exported, export_rows
from app.station.keyring import OfflineCheck, StationKey
from app.station.scanlog import ScanLog, china_day
from app.station.verdicts import Facts, PreviousScan, StoreAnswer, Student, Verdict, judge
from app.workbench import Reader

LOG_NAME: Final = "station.db"
RETRY_SECONDS: Final = 30.0  # a store that could not be reached is tried again after this
MAX_NAME: Final = 40  # characters of a station or school name

Connect = Callable[[], Reader]
Clock = Callable[[], dt.datetime]


def default_path() -> Path:
    """``station.db`` in the data directory (``REVIEWDESK_DATA`` moves it)."""
    return config.data_dir() / LOG_NAME


def default_name() -> str:
    return f"核验站 {platform.node()}".strip()[:MAX_NAME]


def normalise(raw: str) -> str:
    """The text a scanner typed, as the slip printed it.

    NFKC folds full-width characters (pasted from a Chinese document, or typed with an
    input method on) to ASCII; upper-casing undoes Caps Lock, which makes a scanner gun's
    letters come out lower-case. Neither can make an altered slip genuine: a slip's text
    has no lower-case letters and no full-width characters.
    """
    return unicodedata.normalize("NFKC", raw).strip().upper()


@dataclass(frozen=True)
class StationSettings:
    """What the station is: its school, its name (in the log), its district keys."""

    school: str | None
    name: str
    keys: tuple[StationKey, ...]


@dataclass(frozen=True)
class Scan:
    """One scan after the offline step: the verdict so far, and what the store step needs."""

    text: str
    offline: OfflineCheck
    previous: PreviousScan | None
    verdict: Verdict
    needs_state: bool  # a store is configured and could change the verdict


@dataclass(frozen=True)
class Connection:
    """The store as the station last found it."""

    configured: bool  # a store is configured at all
    connected: bool
    problem: str | None = None  # why not (English, one line)


def _clean_name(value: str, what: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not text:
        raise StationRefusal(f"the {what} is empty: type its name", "empty")
    if len(text) > MAX_NAME:
        raise StationRefusal(
            f"the {what} is longer than {MAX_NAME} characters: shorten it", "too_long"
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise StationRefusal(f"the {what} holds control characters: type it again", "control")
    return text


class Station:
    """The station: settings and keys, the two-step check, the log and its export."""

    def __init__(
        self,
        log: ScanLog,
        *,
        connect: Connect | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.log = log
        self._connect = connect
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._reader: Reader | None = None
        self._last_try = -RETRY_SECONDS
        self._problem: str | None = None
        self._lock = threading.Lock()
        self._settings = self._load()

    @classmethod
    def open(cls, path: Path | None = None, *, connect: Connect | None = None) -> Station:
        """The station whose log is ``path`` (default: ``station.db`` in the data dir)."""
        return cls(ScanLog(path or default_path()), connect=connect)

    def close(self) -> None:
        self.log.close()

    # --- settings -----------------------------------------------------------------------

    def _load(self) -> StationSettings:
        return StationSettings(
            school=self.log.setting("school"),
            name=self.log.setting("name") or default_name(),
            keys=self.log.keys(),
        )

    @property
    def settings(self) -> StationSettings:
        with self._lock:
            return self._settings

    def configure(
        self,
        *,
        school: str | None = None,
        name: str | None = None,
        keys: Sequence[StationKey] | None = None,
        add_keys: Sequence[StationKey] = (),
    ) -> StationSettings:
        """Change what is given (``keys`` replaces the key set, ``add_keys`` adds to it)."""
        clean_school = _clean_name(school, "school") if school is not None else None
        clean_name = _clean_name(name, "station name") if name is not None else None
        current = self.settings
        if keys is not None or add_keys:
            chosen = {k.fingerprint: k for k in (current.keys if keys is None else keys)}
            for key in add_keys:
                chosen.setdefault(key.fingerprint, key)
            self.log.replace_keys(list(chosen.values()), self._clock())
        if clean_school is not None:
            self.log.set_setting("school", clean_school)
        if clean_name is not None:
            self.log.set_setting("name", clean_name)
        fresh = self._load()
        with self._lock:
            self._settings = fresh
        return fresh

    # --- the store ----------------------------------------------------------------------

    @property
    def can_check_state(self) -> bool:
        return self._connect is not None

    @property
    def connection(self) -> Connection:
        return Connection(self._connect is not None, self._reader is not None, self._problem)

    def _reader_now(self) -> Reader | None:
        """The store's reader, connecting (again) when it is time; None: not reachable."""
        if self._reader is not None or self._connect is None:
            return self._reader
        now = time.monotonic()
        if now - self._last_try < RETRY_SECONDS and self._problem is not None:
            return None
        self._last_try = now
        try:
            self._reader = self._connect()
        except Exception as exc:
            if classify(exc) == "bug":
                raise
            self._problem = describe(exc)
            return None
        self._problem = None
        return self._reader

    def connect_now(self) -> Connection:
        """Try the store now (the window does so when it opens)."""
        self._last_try = -RETRY_SECONDS
        self._reader_now()
        return self.connection

    def _ask_store(self, text: str) -> StoreAnswer:
        reader = self._reader_now()
        if reader is None:
            return StoreAnswer(refused="down", detail=self._problem or "")
        try:
            verified = reader.verify_slip(text)
        except NotCheckableHere as exc:
            return StoreAnswer(refused="cannot", detail=str(exc))
        except SignatureInvalid as exc:
            return StoreAnswer(refused="forged", detail=str(exc))
        except (PrintError, Refusal) as exc:  # e.g. the store has no key of the district
            return StoreAnswer(refused="cannot", detail=describe(exc))
        except (StoreError, EnvironmentProblem) as exc:
            self._problem = describe(exc)
            return StoreAnswer(refused="down", detail=self._problem)
        student = None
        try:
            case = reader.peek_case(verified.payload.case_no)
        except CaseNotFound:
            case = None
        except (StoreError, EnvironmentProblem) as exc:
            self._problem = describe(exc)
            case = None
        if case is not None:
            student = Student(
                case.student_name, mask_id(case.student_id_number), case.school, case.kind
            )
        return StoreAnswer(verified=verified, student=student)

    # --- scanning -----------------------------------------------------------------------

    def scan(self, raw: str) -> Scan:
        """Step 1, offline: the verdict from the key files and this station's log, logged.

        A log that cannot be written does not stop the answer: the verdict says why it was
        not logged (and that an earlier presentation could not be looked up).
        """
        now = self._clock()
        settings = self.settings
        text = normalise(raw)
        offline = keyring.check_offline(text, settings.keys)
        previous: PreviousScan | None = None
        problem: str | None = None
        if offline.payload is not None and not offline.final:
            try:
                previous = self.log.previous(offline.payload.serial)
            except EnvironmentProblem as exc:
                problem = describe(exc)
        verdict = judge(Facts(offline, settings.school, previous), now)
        needs_state = not offline.final and self.can_check_state
        if needs_state:
            verdict = replace(verdict, pending=True)
        try:
            scan_id: int | None = self.log.record(verdict, settings.name, settings.school)
        except EnvironmentProblem as exc:
            scan_id, problem = None, describe(exc)
        verdict = replace(verdict, scan_id=scan_id, log_problem=problem)
        return Scan(text, offline, previous, verdict, needs_state)

    def check_state(self, scan: Scan) -> Verdict:
        """Step 2: what the store says, weighed with step 1; the log row updated."""
        settings = self.settings
        answer = self._ask_store(scan.text)
        facts = Facts(scan.offline, settings.school, scan.previous, answer)
        verdict = judge(facts, scan.verdict.scanned_at)
        verdict = replace(
            verdict, scan_id=scan.verdict.scan_id, log_problem=scan.verdict.log_problem
        )
        if verdict.scan_id is not None:
            try:
                self.log.update(verdict.scan_id, verdict)
            except EnvironmentProblem as exc:
                verdict = replace(verdict, log_problem=describe(exc))
        return verdict

    def verify(self, raw: str) -> Verdict:
        """Both steps in one call (the command line, scripts)."""
        scan = self.scan(raw)
        return self.check_state(scan) if scan.needs_state else scan.verdict

    # --- the day's log ------------------------------------------------------------------

    def today(self) -> dt.date:
        return china_day(self._clock())

    def count_today(self) -> int:
        return self.log.count_day(self.today())

    def export_day(self, path: Path, day: dt.date | None = None) -> Exported:
        """The day's scans (default: today, China time) to ``path`` (.xlsx or .csv)."""
        chosen = day or self.today()
        return export_rows(self.log.day(chosen), path, chosen)
