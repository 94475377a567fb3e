"""The station's own small store: its settings, its key files and every scan (``station.db``).

Why ``sqlite3`` and not SQLAlchemy: this file is not a review store. It has three small
tables, no migrations to share with the review schema (``PRAGMA user_version`` versions it),
no relations and no ORM objects to keep from crossing threads; it lives on school
computers that may have no review store at all. The standard library's driver does all of
it in a few statements, and one connection guarded by a lock serves the window's worker
threads (a scan is written in a millisecond or two).

What a scan row keeps: when, which station and school, the slip's serial, case number,
district and outcome, the verdict (level, reason codes and their Chinese sentence), and,
when the store was asked, the student's name and **masked** ID, school and kind. Never the
slip's full text, never a full ID number.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.errors import EnvironmentProblem
from app.notices.printing import CHINA_TZ
from app.station.keyring import StationKey
from app.station.verdicts import PreviousScan, Verdict

SCHEMA_VERSION: Final = 1
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS keys (
    fingerprint TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    district_name TEXT,
    key_id INTEGER,
    file_text BLOB NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scanned_at TEXT NOT NULL,
    day TEXT NOT NULL,
    station TEXT NOT NULL,
    school TEXT,
    serial TEXT,
    case_no TEXT,
    district_code TEXT,
    outcome TEXT,
    level TEXT NOT NULL,
    reasons TEXT NOT NULL,
    reason_text TEXT NOT NULL,
    genuine INTEGER NOT NULL DEFAULT 0,
    state_checked INTEGER NOT NULL DEFAULT 0,
    student_name TEXT,
    student_id_masked TEXT,
    slip_school TEXT,
    kind TEXT,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS scans_serial ON scans (serial);
CREATE INDEX IF NOT EXISTS scans_day ON scans (day);
"""


class ScanLogProblem(EnvironmentProblem):
    """The station's file cannot be used (damaged, locked, disk full, unreadable)."""


@dataclass(frozen=True)
class ScanRow:
    """One logged scan, as the export and the window read it."""

    id: int
    scanned_at: dt.datetime
    station: str
    school: str | None
    serial: str | None
    case_no: str | None
    district_code: str | None
    outcome: str | None
    level: str
    reasons: tuple[str, ...]
    reason_text: str
    genuine: bool
    state_checked: bool
    student_name: str | None
    student_id_masked: str | None
    slip_school: str | None
    kind: str | None


def china_day(when: dt.datetime) -> dt.date:
    return when.astimezone(CHINA_TZ).date()


class ScanLog:
    """``station.db``: settings, key files and scans; safe to call from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        with self._db() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ScanLogProblem(
                    f"{path} was written by a newer ReviewDesk (station log version {version}): "
                    "update ReviewDesk on this computer"
                )
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- plumbing ---------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
        except OSError as exc:
            raise ScanLogProblem(
                f"cannot open the station log {self.path}: {exc.strerror or exc}"
            ) from exc
        except sqlite3.Error as exc:
            raise self._problem(exc) from exc
        conn.row_factory = sqlite3.Row
        return conn

    def _problem(self, exc: BaseException) -> ScanLogProblem:
        text = str(exc)
        if isinstance(exc, sqlite3.DatabaseError) and (
            "not a database" in text or "malformed" in text
        ):
            return ScanLogProblem(
                f"the station log {self.path} is damaged ({text}): close the station, move "
                "the file aside (its scans stay in it) and start again: a new log is made"
            )
        if "locked" in text or "busy" in text:
            return ScanLogProblem(
                f"the station log {self.path} is busy (another station program has it "
                "open?): close the other one and scan again"
            )
        if "full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
            return ScanLogProblem(
                f"disk full: the station log {self.path} cannot be written; free some space"
            )
        return ScanLogProblem(f"the station log {self.path} cannot be used: {text}")

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """The connection, in one transaction, under the lock; sqlite errors become
        :class:`ScanLogProblem`."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                with self._conn:
                    yield self._conn
            except sqlite3.Error as exc:
                raise self._problem(exc) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # --- settings and keys ------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_setting(self, key: str, value: str | None) -> None:
        with self._db() as db:
            if value is None:
                db.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def keys(self) -> tuple[StationKey, ...]:
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM keys ORDER BY district_code, key_id DESC, added_at"
            ).fetchall()
        return tuple(
            StationKey(
                district_code=r["district_code"],
                district_name=r["district_name"],
                key_id=r["key_id"],
                fingerprint=r["fingerprint"],
                file_text=bytes(r["file_text"]),
            )
            for r in rows
        )

    def replace_keys(self, keys: Sequence[StationKey], now: dt.datetime) -> None:
        with self._db() as db:
            kept = {k.fingerprint for k in keys}
            for (fingerprint,) in db.execute("SELECT fingerprint FROM keys").fetchall():
                if fingerprint not in kept:
                    db.execute("DELETE FROM keys WHERE fingerprint = ?", (fingerprint,))
            for key in keys:
                db.execute(
                    "INSERT INTO keys (fingerprint, district_code, district_name, key_id, "
                    "file_text, added_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (fingerprint) DO NOTHING",
                    (
                        key.fingerprint,
                        key.district_code,
                        key.district_name,
                        key.key_id,
                        key.file_text,
                        now.isoformat(),
                    ),
                )

    # --- scans ------------------------------------------------------------------------

    def previous(self, serial: str) -> PreviousScan | None:
        """The first earlier genuine scan of ``serial`` here, and how many there were."""
        with self._db() as db:
            row = db.execute(
                "SELECT scanned_at, station, "
                "(SELECT count(*) FROM scans WHERE serial = ? AND genuine = 1) AS n "
                "FROM scans WHERE serial = ? AND genuine = 1 ORDER BY id LIMIT 1",
                (serial, serial),
            ).fetchone()
        if row is None:
            return None
        return PreviousScan(
            dt.datetime.fromisoformat(row["scanned_at"]), row["station"], int(row["n"])
        )

    def record(self, verdict: Verdict, station: str, school: str | None) -> int:
        """Log a scan; its row id."""
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO scans (scanned_at, day, station, school, level, reasons, "
                "reason_text) VALUES (?, ?, ?, ?, '', '', '')",
                (
                    verdict.scanned_at.isoformat(),
                    china_day(verdict.scanned_at).isoformat(),
                    station,
                    school,
                ),
            )
            scan_id = int(cursor.lastrowid or 0)
            self._update(db, scan_id, verdict)
        return scan_id

    def update(self, scan_id: int, verdict: Verdict) -> None:
        """Replace a scan's verdict by the one the store's answer made."""
        with self._db() as db:
            self._update(db, scan_id, verdict)

    @staticmethod
    def _update(db: sqlite3.Connection, scan_id: int, verdict: Verdict) -> None:
        p, s = verdict.payload or verdict.claimed, verdict.student
        db.execute(
            "UPDATE scans SET serial = coalesce(?, serial), case_no = coalesce(?, case_no), "
            "district_code = coalesce(?, district_code), outcome = coalesce(?, outcome), "
            "level = ?, reasons = ?, reason_text = ?, genuine = ?, state_checked = ?, "
            "student_name = ?, student_id_masked = ?, slip_school = ?, kind = ?, detail = ? "
            "WHERE id = ?",
            (
                p.serial if p else None,
                p.case_no if p else None,
                p.district_code if p else None,
                p.outcome if p else None,
                verdict.level,
                ",".join(verdict.codes),
                verdict.text,
                int(verdict.genuine),
                int(verdict.state_checked),
                s.name if s else None,
                s.masked_id if s else None,
                s.school if s else None,
                s.kind if s else None,
                verdict.detail or None,
                scan_id,
            ),
        )

    def day(self, day: dt.date) -> list[ScanRow]:
        """The scans of one day (China time), oldest first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM scans WHERE day = ? ORDER BY id", (day.isoformat(),)
            ).fetchall()
        return [
            ScanRow(
                id=r["id"],
                scanned_at=dt.datetime.fromisoformat(r["scanned_at"]),
                station=r["station"],
                school=r["school"],
                serial=r["serial"],
                case_no=r["case_no"],
                district_code=r["district_code"],
                outcome=r["outcome"],
                level=r["level"],
                reasons=tuple(c for c in r["reasons"].split(",") if c),
                reason_text=r["reason_text"],
                genuine=bool(r["genuine"]),
                state_checked=bool(r["state_checked"]),
                student_name=r["student_name"],
                student_id_masked=r["student_id_masked"],
                slip_school=r["slip_school"],
                kind=r["kind"],
            )
            for r in rows
        ]

    def count_day(self, day: dt.date) -> int:
        with self._db() as db:
            row = db.execute(
                "SELECT count(*) FROM scans WHERE day = ?", (day.isoformat(),)
            ).fetchone()
        return int(row[0])
