"""A day's scans as a spreadsheet for the school's records (``.xlsx``) or as ``.csv``.

Written to a temporary file beside the target and renamed into place
(:func:`app.files.written_whole`): a failure leaves the previous file (if any) as it was,
never half a file. Cells that a spreadsheet would take for a formula (``=``, ``+``, ``-``,
``@`` first) are written with a leading apostrophe (:func:`app.files.csv_text`): a school
name typed at the station must never run as a formula when the school opens its records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.domain import KIND_LABELS, CaseKind
from app.errors import EnvironmentProblem
from app.files import csv_text, written_whole
from app.notices.printing import CHINA_TZ, OUTCOME_WORDS
from app.station.errors import StationRefusal
from app.station.scanlog import ScanRow
from app.station.verdicts import LEVEL_WORDS

FORMATS: Final = (".xlsx", ".csv")
HEADER: Final = (
    "核验时间",
    "核验站",
    "本站学校",
    "结果",
    "说明",
    "流水号",
    "案件编号",
    "审核结论",
    "学生姓名",
    "身份证号（已脱敏）",
    "通知单所属学校",
    "类型",
    "已核对决定状态",
)


@dataclass(frozen=True)
class Exported:
    path: Path
    day: dt.date
    rows: int


def _kind(kind: str | None) -> str:
    if not kind:
        return ""
    try:
        return KIND_LABELS[CaseKind(kind)]
    except ValueError:
        return kind


def cells(row: ScanRow) -> list[str]:
    """One scan as the export's cells (all text)."""
    values = [
        f"{row.scanned_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}",
        row.station,
        row.school or "",
        LEVEL_WORDS.get(row.level, row.level),
        row.reason_text,
        row.serial or "",
        row.case_no or "",
        OUTCOME_WORDS[row.outcome][0] if row.outcome in OUTCOME_WORDS else (row.outcome or ""),
        row.student_name or "",
        row.student_id_masked or "",
        row.slip_school or "",
        _kind(row.kind),
        "是" if row.state_checked else "否",
    ]
    return [csv_text(v) for v in values]


def _csv_bytes(rows: Sequence[ScanRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(cells(row))
    # UTF-8 with a BOM: Excel on Chinese Windows opens it as UTF-8 only then.
    return out.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: Sequence[ScanRow], day: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"核验记录 {day.isoformat()}"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(cells(row))
    widths = (20, 16, 24, 8, 48, 24, 18, 14, 10, 22, 24, 10, 8)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_rows(rows: Sequence[ScanRow], path: Path, day: dt.date) -> Exported:
    """Write ``rows`` to ``path`` (``.xlsx`` or ``.csv``, by its suffix)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise StationRefusal(
            f"cannot write {path.name}: name the file .xlsx (a spreadsheet) or .csv; nothing "
            "was written",
            "format",
        )
    if path.is_dir():
        raise StationRefusal(f"cannot write {path}: it is a folder; nothing was written", "folder")
    if not path.parent.is_dir():
        raise StationRefusal(
            f"cannot write {path}: no folder {path.parent}; nothing was written", "folder"
        )
    data = _xlsx_bytes(rows, day) if suffix == ".xlsx" else _csv_bytes(rows)
    try:
        with written_whole(path) as fh:
            fh.write(data)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write {path}: {exc.strerror or exc}; nothing was written"
        ) from exc
    return Exported(path, day, len(rows))
