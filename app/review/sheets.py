"""One small table written as .xlsx or .csv (by the file's extension), whole or not at all:
through a temporary file renamed at the end (:func:`app.files.written_whole`), so a
failure leaves no half file and an earlier file as it was. For the desk's backlog and the
抽查 report; the decision export (app.review.export) streams its own, far larger sheets."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from app.errors import EnvironmentProblem
from app.files import csv_text, written_whole
from app.review.export import ExportRefusal


def write_sheet(
    path: Path,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: Mapping[int, str] | None = None,
) -> int:
    """Write ``rows`` under ``headers`` to ``path``; ``formats`` gives Excel number formats
    by column index (dates, percentages). Returns the number of rows written."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportRefusal(f"{path.name}: choose a .xlsx or .csv file name", "format")
    try:
        if suffix == ".csv":
            with written_whole(path, encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
                writer = csv.writer(fh)
                writer.writerow(headers)
                for row in rows:
                    # A typed name or school never runs as a formula in a spreadsheet.
                    writer.writerow(
                        ["" if v is None else csv_text(v) if isinstance(v, str) else v for v in row]
                    )
        else:
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.title = title
            sheet.append(list(headers))
            for row in rows:
                sheet.append(list(row))
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str):
                        # openpyxl takes "=…" for a formula and "#N/A" for an error: text.
                        cell.data_type = "s"
            for column, number_format in (formats or {}).items():
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                    cell.number_format = number_format
            sheet.freeze_panes = "A2"
            with written_whole(path) as fh:
                book.save(fh)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write {path}: {exc.strerror or exc}; nothing was written"
        ) from exc
    return len(rows)
