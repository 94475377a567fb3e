"""The small sheets (desk backlog, 抽查 report): a typed text never becomes a formula."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl

from app.review.sheets import write_sheet

HOSTILE = ['=HYPERLINK("http://x","点我")', "+1+1", "-2", "@SUM(A1)", "#N/A", "育新学校"]


def test_typed_text_stays_text_in_xlsx_and_csv(tmp_path: Path) -> None:
    rows = [[name, 3, 0.5] for name in HOSTILE]
    xlsx, csv_path = tmp_path / "积压.xlsx", tmp_path / "积压.csv"
    assert write_sheet(xlsx, "积压", ["学校", "件数", "比例"], rows, {2: "0.0%"}) == len(rows)
    write_sheet(csv_path, "积压", ["学校", "件数", "比例"], rows)
    with zipfile.ZipFile(xlsx) as z:
        body = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in body  # no formula anywhere in the sheet
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    assert [sheet.cell(r + 2, 1).value for r in range(len(HOSTILE))] == HOSTILE
    assert sheet.cell(2, 2).value == 3 and sheet.cell(2, 3).number_format == "0.0%"
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        cells = [row[0] for row in list(csv.reader(fh))[1:]]
    assert cells == ["'" + v for v in HOSTILE[:4]] + ["#N/A", "育新学校"]
