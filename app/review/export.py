"""The decision export for the city (issue 17): one row per decided case round, .xlsx or .csv.

A row is the decision that counts for its round (``effective``) once it is final: accepted,
or confirmed under four-eyes. It falls in a period by the day it became final, in China
time as every other date in the app (:func:`app.notices.printing.decision_day`): the
confirmation time under four-eyes, else the time the store accepted it. A round returned
for more documents is a row of its own; the case's next round, decided later, is another.

The rows are streamed from one read transaction (a server-side cursor on PostgreSQL, in a
repeatable-read snapshot so the count for progress and the rows agree) into openpyxl's
write-only workbook or a csv writer: memory stays flat however many rows there are. The
file is written beside the target under a temporary name and renamed into place at the
end; a cancel, a refusal or a failure removes it and leaves any earlier file as it was.

Each export is journaled (``export_decisions``, or ``export_full_ids`` with unmasked ID
numbers, which only an administrator may ask for): an export carries thousands of
children's names and ID numbers out of the store, and the journal is where an auditor
asks who took which data when. See docs/export.md for the columns.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Protocol

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from app.auth import Actor
from app.domain import KIND_LABELS, OUTCOME_LABELS, CaseKind, Outcome
from app.errors import EnvironmentProblem, Refusal
from app.files import csv_text
from app.notices.printing import CHINA_TZ
from app.policy.idnumbers import mask_id
from app.policy.loader import PolicyError, policy_for
from app.review.reasons import Reason, reason_map
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Case,
    Decision,
    District,
    NoticePrint,
    School,
    User,
    table_of,
)

FORMATS: Final = ("xlsx", "csv")
SUFFIXES: Final = {"xlsx": ".xlsx", "csv": ".csv"}
FINAL_STATES: Final = ("accepted", "confirmed")
# Rows fetched per round trip, and how often progress is reported and cancel checked.
PAGE_ROWS: Final = 2000
FIRST_DAY: Final = dt.date(1900, 1, 1)
LAST_DAY: Final = dt.date(9998, 12, 31)  # the end of the day after it still converts to UTC

DATA_SHEET: Final = "审核结论"
TOTALS_SHEET: Final = "合计"
ID_MASKED: Final = "身份证号（已脱敏）"
ID_FULL: Final = "身份证号"
COLUMNS: Final = (
    "案件编号",
    "区",
    "学校",
    "类型",
    "学生姓名",
    ID_MASKED,  # ID_FULL in a full-ID export
    "结论",
    "理由代码",
    "理由",
    "缺少材料",
    "审核人",
    "复核人",
    "审核时间",
    "复核时间",
    "打印编号",
)
TIME_COLUMNS: Final = (12, 13)  # 审核时间, 复核时间: Excel datetimes in .xlsx
# Columns whose text people typed (a parent: school, name; an administrator: district and
# display names): a spreadsheet must never take it for a formula. The others hold our
# own words and codes.
TYPED_COLUMNS: Final = (1, 2, 4, 10, 11)
EXCEL_TIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
WIDTHS: Final = (18, 10, 26, 10, 10, 22, 10, 24, 40, 36, 16, 16, 20, 20, 26)
TOTALS_HEADER: Final = ("分类", "项目", "数量")
GRAND_TOTAL: Final = "总计"
CODE_SEP: Final = ","  # codes and serials: machine words
TEXT_SEP: Final = "；"  # Chinese wordings, which may hold commas themselves

Progress = Callable[[int, int], None]  # (rows written, rows in the export)
Cancelled = Callable[[], bool]


class ExportRefusal(Refusal):
    """The export cannot be made as asked (nothing was written); ``reason`` says which
    part of the request: ``dates``, ``format``, ``path``, ``full_ids`` or ``scope``."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ExportCancelled(Refusal):
    """``cancelled()`` returned True: the partial file was removed, nothing was journaled."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"export cancelled after {done} of {total} rows; no file was written")
        self.done = done
        self.total = total


@dataclass(frozen=True)
class ExportTotals:
    """What the 合计 sheet says: rows per outcome, kind and district (labels as written)."""

    by_outcome: tuple[tuple[str, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    by_district: tuple[tuple[str, int], ...]
    total: int

    def rows(self) -> list[tuple[str, str, int]]:
        """The totals sheet's rows below its header, the grand total last."""
        out = [("结论", label, n) for label, n in self.by_outcome]
        out += [("类型", label, n) for label, n in self.by_kind]
        out += [("区", label, n) for label, n in self.by_district]
        out.append((GRAND_TOTAL, "", self.total))
        return out


@dataclass(frozen=True)
class ExportResult:
    """An export that was written: where, what it holds, and from which copy of the data."""

    path: Path
    fmt: str
    date_from: dt.date
    date_to: dt.date
    rows: int
    full_ids: bool
    totals: ExportTotals
    source: str = "this store"


def format_of(path: Path) -> str | None:
    """The format a file name asks for by its extension, or None."""
    suffix = path.suffix.lower()
    return next((fmt for fmt, s in SUFFIXES.items() if s == suffix), None)


def check_request(
    actor: Actor, path: Path, date_from: dt.date, date_to: dt.date, fmt: str, *, full_ids: bool
) -> None:
    """Refuse (:class:`ExportRefusal`) a request that cannot be met, before any work."""
    if fmt not in FORMATS:
        raise ExportRefusal(f"unknown format {fmt!r}: use xlsx or csv", "format")
    if format_of(path) != fmt:
        # Excel refuses a workbook whose name says csv and shows a csv named .xlsx as
        # damaged: the name a clerk double-clicks must say what is inside.
        raise ExportRefusal(
            f"{path.name}: the {fmt} format goes in a file named *{SUFFIXES[fmt]}: rename "
            "the file or choose the format its name says",
            "format",
        )
    for day in (date_from, date_to):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ExportRefusal(
                f"{day.isoformat()} is out of range: give dates from {FIRST_DAY} to {LAST_DAY}",
                "dates",
            )
    if date_from > date_to:
        raise ExportRefusal(
            f"the period starts after it ends ({date_from.isoformat()} > {date_to.isoformat()}): "
            "give --from before --to",
            "dates",
        )
    if full_ids and actor.role != "admin":
        raise ExportRefusal(
            "full ID numbers are exported for an administrator only "
            f"({actor.username} is a {actor.role}): export without --full-ids "
            "(ID numbers masked)",
            "full_ids",
        )
    if not actor.districts:
        raise ExportRefusal(
            f"{actor.username} serves no district, so there is nothing to export: an export "
            "holds the decisions of the districts of the person who makes it",
            "scope",
        )
    if path.is_dir():
        raise ExportRefusal(f"cannot write {path}: it is a folder; nothing was written", "path")
    if not path.parent.is_dir():
        raise ExportRefusal(
            f"cannot write {path}: no folder {path.parent}; nothing was written", "path"
        )


def export_decisions(
    store: Store,
    actor: Actor,
    path: Path,
    date_from: dt.date,
    date_to: dt.date,
    fmt: str,
    *,
    full_ids: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    page_rows: int = PAGE_ROWS,
) -> ExportResult:
    """Write the decided rounds of ``[date_from, date_to]`` (China days, inclusive) in the
    actor's districts to ``path`` as ``fmt``; journal it; return what was written.

    ``progress(done, total)`` is called before the first row, every ``page_rows`` rows and
    at the end; ``cancelled()`` is asked as often, and True stops the export
    (:class:`ExportCancelled`, no file, nothing journaled). Both run on the calling thread.
    """
    check_request(actor, path, date_from, date_to, fmt, full_ids=full_ids)
    tmp = path.with_name(f".{path.name}.part")
    try:
        with _open_for_writing(tmp, path) as fh:
            written = _write(
                store,
                actor,
                fh,
                date_from,
                date_to,
                fmt,
                full_ids=full_ids,
                progress=progress,
                cancelled=cancelled,
                page_rows=page_rows,
            )
            fh.flush()
            os.fsync(fh.fileno())
        if cancelled is not None and cancelled():
            raise ExportCancelled(written.total, written.total)
        # Journaled before the file is in place: there is never an export on disk that
        # the journal does not know (at worst an entry for a rename that then failed).
        with store.write() as s:
            journal.append(
                s,
                action="export_full_ids" if full_ids else "export_decisions",
                actor=actor.username,
                workstation=actor.workstation,
                payload={
                    "from": date_from.isoformat(),
                    "to": date_to.isoformat(),
                    "format": fmt,
                    "rows": written.total,
                    "full_ids": full_ids,
                    "districts": list(actor.districts),
                    "file": path.name,
                },
            )
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EnvironmentProblem(
            f"cannot write {path}: {exc.strerror or exc}; nothing was written"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ExportResult(path, fmt, date_from, date_to, written.total, full_ids, written)


# --------------------------------------------------------------------------- the rows


def _open_for_writing(tmp: Path, target: Path) -> IO[bytes]:
    """The temporary file, opened before any query: an unwritable folder is said at once."""
    try:
        return open(tmp, "wb")  # noqa: SIM115 - closed by the caller's with
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write {target}: {exc.strerror or exc}; nothing was written"
        ) from exc


def period(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` in aware times for China days ``date_from`` to ``date_to``."""
    start = dt.datetime.combine(date_from, dt.time(), CHINA_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    return start, end


def _selection(actor: Actor, date_from: dt.date, date_to: dt.date) -> Any:
    """The WHERE of the export: final, effective, in the actor's districts and the period."""
    d = table_of(Decision).c
    c = table_of(Case).c
    start, end = period(date_from, date_to)
    return and_(
        d.effective.is_(True),
        c.district_code.in_(actor.districts),
        or_(
            and_(d.state == "accepted", d.store_time >= start, d.store_time < end),
            and_(d.state == "confirmed", d.confirmed_at >= start, d.confirmed_at < end),
        ),
    )


def _row_query(actor: Actor, date_from: dt.date, date_to: dt.date) -> Select[Any]:
    d = table_of(Decision).c
    c = table_of(Case).c
    a = table_of(Application).c
    reviewer = table_of(User).alias("reviewer")
    confirmer = table_of(User).alias("confirmer")
    prints = table_of(NoticePrint).c
    # The round's notices, found through the indexed case id; a comma never occurs in a
    # serial, so the string is split back and sorted in Python (group_concat has no order).
    serials = (
        select(func.aggregate_strings(prints.serial, CODE_SEP))
        .where(
            prints.case_id == d.case_id,
            prints.round_no == d.round_no,
            prints.decision_id == d.id,
        )
        .scalar_subquery()
    )
    decided_at = func.coalesce(d.confirmed_at, d.store_time)
    return (
        select(
            c.case_no,
            table_of(District).c.name,
            table_of(School).c.name,
            c.kind,
            c.student_name,
            c.student_id_number,
            d.outcome,
            d.reasons,
            reviewer.c.display_name,
            reviewer.c.reviewer_code,
            confirmer.c.display_name,
            confirmer.c.reviewer_code,
            d.store_time,
            d.confirmed_at,
            serials,
            a.city,
            a.admission_year,
        )
        .select_from(
            table_of(Decision)
            .join(table_of(Case), c.id == d.case_id)
            .join(table_of(District), table_of(District).c.code == c.district_code)
            .join(table_of(School), table_of(School).c.id == c.school_id)
            .join(table_of(Application), a.id == c.application_id)
            .join(reviewer, reviewer.c.id == d.reviewer_id)
            .outerjoin(confirmer, confirmer.c.id == d.confirmed_by)
        )
        .where(_selection(actor, date_from, date_to))
        .order_by(decided_at, c.case_no, d.round_no)
    )


def _count_query(actor: Actor, date_from: dt.date, date_to: dt.date) -> Select[Any]:
    d = table_of(Decision).c
    c = table_of(Case).c
    return (
        select(func.count())
        .select_from(table_of(Decision).join(table_of(Case), c.id == d.case_id))
        .where(_selection(actor, date_from, date_to))
    )


class _Wording:
    """Reason and document wording per kind and policy, looked up once per export."""

    def __init__(self) -> None:
        self._reasons: dict[str, dict[str, Reason]] = {}
        self._documents: dict[tuple[str, int, str], dict[str, str]] = {}

    def reasons(self, kind: str) -> dict[str, Reason]:
        found = self._reasons.get(kind)
        if found is None:
            found = self._reasons[kind] = reason_map(kind)
        return found

    def documents(self, city: str, year: int, kind: str) -> dict[str, str]:
        key = (city, year, kind)
        found = self._documents.get(key)
        if found is None:
            try:
                items = policy_for(city, year).checklists.get(CaseKind(kind), ())
                found = {item.code: item.label for item in items}
            except PolicyError:
                found = {}  # a policy no longer shipped: the codes stand for themselves
            self._documents[key] = found
        return found


def _person(name: str | None, code: str | None) -> str | None:
    return f"{name}（{code}）" if name else None


def _joined(sep: str, words: Iterable[str]) -> str | None:
    return sep.join(words) or None


def _china(when: dt.datetime | None) -> dt.datetime | None:
    """A stored (UTC) time as China wall-clock time to the second, without a zone."""
    if when is None:
        return None
    return when.astimezone(CHINA_TZ).replace(tzinfo=None, microsecond=0)


def _cells(row: Sequence[Any], wording: _Wording, full_ids: bool) -> list[Any]:
    """One decided round as the export's values: None for an empty cell (openpyxl writes
    no cell for it, and there are many), times as naive China datetimes."""
    (
        case_no,
        district,
        school,
        kind,
        student_name,
        id_number,
        outcome,
        reasons_field,
        reviewer_name,
        reviewer_code,
        confirmer_name,
        confirmer_code,
        decided_at,
        confirmed_at,
        serials,
        city,
        year,
    ) = row
    reasons_field = reasons_field or {}
    codes: list[str] = list(reasons_field.get("codes", ()))
    library = wording.reasons(kind)
    missing_codes: list[str] = list(reasons_field.get("missing", ()))
    documents = wording.documents(city, year, kind) if missing_codes else {}
    return [
        case_no,
        district,
        school,
        KIND_LABELS[kind],  # a StrEnum key is found by its str
        student_name,
        id_number if full_ids else mask_id(id_number),
        OUTCOME_LABELS[outcome],
        _joined(CODE_SEP, codes),
        _joined(TEXT_SEP, (library[c].file_text if c in library else c for c in codes)),
        _joined(TEXT_SEP, (documents.get(code, code) for code in missing_codes)),
        _person(reviewer_name, reviewer_code),
        _person(confirmer_name, confirmer_code),
        _china(decided_at),
        _china(confirmed_at),
        CODE_SEP.join(sorted(serials.split(CODE_SEP))) if serials else None,
    ]


def _stream(conn: Connection, stmt: Select[Any], page_rows: int) -> Iterator[Sequence[Row[Any]]]:
    result = conn.execute(stmt.execution_options(yield_per=page_rows))
    try:
        yield from result.partitions()
    finally:
        result.close()


def _write(
    store: Store,
    actor: Actor,
    fh: IO[bytes],
    date_from: dt.date,
    date_to: dt.date,
    fmt: str,
    *,
    full_ids: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
    page_rows: int,
) -> ExportTotals:
    sink: _Sink = _XlsxSink(full_ids) if fmt == "xlsx" else _CsvSink(fh, full_ids)
    try:
        totals = _fill(
            sink,
            store,
            actor,
            date_from,
            date_to,
            full_ids=full_ids,
            progress=progress,
            cancelled=cancelled,
            page_rows=page_rows,
        )
        sink.finish(fh, totals)
    except BaseException:
        sink.discard()
        raise
    return totals


def _fill(
    sink: _Sink,
    store: Store,
    actor: Actor,
    date_from: dt.date,
    date_to: dt.date,
    *,
    full_ids: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
    page_rows: int,
) -> ExportTotals:
    """Stream the rows into ``sink``, counting them as they pass for the totals."""
    wording = _Wording()
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    districts: Counter[str] = Counter()
    done = 0
    with store.read() as s:
        conn = _snapshot(s, store)
        total = int(conn.execute(_count_query(actor, date_from, date_to)).scalar_one())
        names = dict(
            conn.execute(
                select(table_of(District).c.code, table_of(District).c.name).where(
                    table_of(District).c.code.in_(actor.districts)
                )
            ).all()
        )
        if progress is not None:
            progress(0, total)
        for page in _stream(conn, _row_query(actor, date_from, date_to), page_rows):
            if cancelled is not None and cancelled():
                raise ExportCancelled(done, total)
            for row in page:
                values = _cells(row, wording, full_ids)
                sink.row(values)
                outcomes[row.outcome] += 1
                kinds[row.kind] += 1
                districts[values[1]] += 1
            done += len(page)
            if progress is not None:
                progress(done, max(total, done))
    if progress is not None and done != total:  # the count was off (SQLite: never)
        progress(done, done)
    return ExportTotals(
        by_outcome=tuple((o.label, outcomes[o.value]) for o in Outcome),
        by_kind=tuple((k.label, kinds[k.value]) for k in CaseKind),
        # Every district of the scope, in code order, and none outside it.
        by_district=tuple((names[code], districts[names[code]]) for code in sorted(names)),
        total=done,
    )


def _snapshot(session: Session, store: Store) -> Connection:
    """The export's connection: on PostgreSQL one repeatable-read snapshot, so the count
    and the rows (read through a server-side cursor) see the same decisions; SQLite's
    read transaction is one snapshot already."""
    if store.is_sqlite:
        return session.connection()
    return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


# --------------------------------------------------------------------------- the writers


class _Sink(Protocol):
    def row(self, values: list[Any]) -> None: ...
    def finish(self, fh: IO[bytes], totals: ExportTotals) -> None: ...
    def discard(self) -> None: ...


def _header(full_ids: bool) -> list[str]:
    return [ID_FULL if c == ID_MASKED and full_ids else c for c in COLUMNS]


class _XlsxSink:
    """openpyxl's write-only workbook: rows go to a temporary file as they come."""

    def __init__(self, full_ids: bool) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(DATA_SHEET)
        for index, width in enumerate(WIDTHS):
            self._sheet.column_dimensions[_column_letter(index)].width = width
        self._sheet.freeze_panes = "A2"
        self._sheet.append(_header(full_ids))
        # One styled cell per time column, given each row's value: append() serialises a
        # row before it returns, so the cell is free again, and making and styling a cell
        # per value was a tenth of the export's time.
        self._times = [self._styled() for _ in TIME_COLUMNS]

    def _styled(self) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet)
        cell.number_format = EXCEL_TIME_FORMAT
        return cell

    def row(self, values: list[Any]) -> None:
        for index, cell in zip(TIME_COLUMNS, self._times, strict=True):
            when = values[index]
            if when is not None:
                cell.value = when
                values[index] = cell
        for index in TYPED_COLUMNS:
            value = values[index]
            if value is not None and _taken_for_more(value):
                values[index] = self._text(value)
        self._sheet.append(values)

    def _text(self, value: str) -> Any:
        """A cell that stays text: openpyxl would write ``=…`` as a formula and ``#N/A``
        as an error (a school or a name typed by a parent must never run)."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def discard(self) -> None:
        """Remove the rows written so far from the temporary folder now: openpyxl removes a
        write-only sheet's file only when the book is saved or the program ends, and a
        cancelled export must not leave children's names behind in the GUI's lifetime."""
        for sheet in self._book.worksheets:
            rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
            with contextlib.suppress(Exception):
                if rows is not None:
                    rows.close()
                if writer is not None:
                    writer.close()
            out = getattr(writer, "out", None)
            if isinstance(out, str):
                with contextlib.suppress(OSError):
                    os.remove(out)

    def finish(self, fh: IO[bytes], totals: ExportTotals) -> None:
        sheet = self._book.create_sheet(TOTALS_SHEET)
        sheet.column_dimensions["A"].width = 10
        sheet.column_dimensions["B"].width = 16
        sheet.column_dimensions["C"].width = 10
        sheet.append(list(TOTALS_HEADER))
        for group, label, count in totals.rows():
            sheet.append([group, self._text(label) if _taken_for_more(label) else label, count])
        self._book.save(fh)


def _taken_for_more(value: str) -> bool:
    """Whether openpyxl would write ``value`` as a formula (``=…``) or an error (``#N/A``)."""
    return value[:1] in ("=", "#") and (value[0] == "=" or value in _error_codes())


@functools.cache
def _error_codes() -> frozenset[str]:
    from openpyxl.cell.cell import ERROR_CODES

    return frozenset(ERROR_CODES)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


class _CsvSink:
    """UTF-8 with a BOM (Excel on Chinese Windows reads it as UTF-8 only then), CRLF,
    times as ISO 8601 text with the +08:00 offset."""

    def __init__(self, fh: IO[bytes], full_ids: bool) -> None:
        import io

        fh.write("\ufeff".encode())
        self._text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow(_header(full_ids))

    def row(self, values: list[Any]) -> None:
        for index in TIME_COLUMNS:
            when = values[index]
            if when is not None:
                values[index] = when.replace(tzinfo=CHINA_TZ).isoformat()
        for index in TYPED_COLUMNS:
            value = values[index]
            if value is not None:
                values[index] = csv_text(value)  # a typed text never runs as a formula
        self._writer.writerow(values)  # None is written as an empty field

    def finish(self, fh: IO[bytes], totals: ExportTotals) -> None:
        # One table per csv file: the totals are in the result (and the command's output),
        # not appended under the rows where a program reading the file would take them
        # for data.
        self._text.flush()
        self._text.detach()

    def discard(self) -> None:
        """Let go of the file without closing it (the caller closes and removes it)."""
        with contextlib.suppress(ValueError):
            self._text.detach()
