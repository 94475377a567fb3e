"""Small read-only tables (the desk's, 抽查's): rows of texts and numbers, sortable, with
a key on each row's first cell that stays with the row through the reader's sort."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

KeyRole = Qt.ItemDataRole.UserRole + 1  # column 0 of a row: what the row is (an id)
_SORT = Qt.ItemDataRole.UserRole


class NumberItem(QTableWidgetItem):
    """A cell shown as text and sorted by its number, right-aligned."""

    def __init__(self, value: int | float, text: str | None = None) -> None:
        super().__init__(str(value) if text is None else text)
        self.setData(_SORT, value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(_SORT), other.data(_SORT)
        if isinstance(mine, int | float) and isinstance(theirs, int | float):
            return mine < theirs
        return super().__lt__(other)


def read_only_table(headers: list[str], parent: QWidget, *, single: bool = False) -> QTableWidget:
    """A table of whole rows: not editable, alternating colours, columns sized to fit."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(
    table: QTableWidget,
    rows: list[list[Any]],
    *,
    keys: list[str] | None = None,
    red: set[tuple[int, int]] | None = None,
) -> None:
    """Set ``rows`` as the table's, keeping the reader's sort. A cell is a text, a number,
    or a (number, text) pair: shown as the text, sorted by the number. ``keys`` (one per
    row) go on column 0 and ``red`` cells are painted red before the rows are sorted, so
    they stay with their rows."""
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item: QTableWidgetItem
            if isinstance(value, tuple):
                item = NumberItem(value[0], value[1])
            elif isinstance(value, int | float):
                item = NumberItem(value)
            else:
                item = QTableWidgetItem(value)
            if keys is not None and c == 0:
                item.setData(KeyRole, keys[r])
            if red is not None and (r, c) in red:
                item.setForeground(Qt.GlobalColor.red)
            table.setItem(r, c, item)
    table.setSortingEnabled(sorting)


def key_of(table: QTableWidget, row: int) -> str | None:
    item = table.item(row, 0)
    value = item.data(KeyRole) if item is not None else None
    return str(value) if value is not None else None
