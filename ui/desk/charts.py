"""Two small charts painted with QPainter: horizontal bars (a label and a count each) and
day columns. The desk needs nothing more, and QtCharts would add PySide6-Addons (tens of
megabytes) to the installer for them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = QColor("#1565c0")
EMPTY_TEXT_COLOUR = QColor("#757575")


class BarChart(QWidget):
    """Horizontal bars, largest first as given: ``label ▇▇▇▇ count``."""

    ROW = 22  # pixels per bar

    def __init__(self, parent: QWidget | None = None, *, max_bars: int = 12) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int]] = []
        self._max_bars = max_bars
        self._empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_bars(self, bars: Sequence[tuple[str, int]], empty_text: str = "") -> None:
        shown = list(bars[: self._max_bars])
        if len(bars) > self._max_bars:
            rest = sum(count for _label, count in bars[self._max_bars :])
            others = self.tr("其他 %1 项").replace("%1", str(len(bars) - self._max_bars))
            shown.append((others, rest))
        self._bars = shown
        self._empty_text = empty_text
        self.updateGeometry()
        self.update()

    def bars(self) -> list[tuple[str, int]]:
        return list(self._bars)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, max(1, len(self._bars)) * self.ROW + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(200, max(1, len(self._bars)) * self.ROW + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if not self._bars:
            painter.setPen(EMPTY_TEXT_COLOUR)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        metrics = self.fontMetrics()
        label_width = min(
            self.width() // 2, max(metrics.horizontalAdvance(label) for label, _ in self._bars) + 8
        )
        number_width = max(metrics.horizontalAdvance(str(n)) for _, n in self._bars) + 8
        room = max(10, self.width() - label_width - number_width - 8)
        top = max(n for _, n in self._bars) or 1
        for i, (label, count) in enumerate(self._bars):
            y = 4 + i * self.ROW
            painter.setPen(text_colour)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_width - 8)
            painter.drawText(
                QRectF(0, y, label_width - 8, self.ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            width = room * count / top
            painter.fillRect(QRectF(label_width, y + 4, width, self.ROW - 8), BAR_COLOUR)
            painter.drawText(
                QRectF(label_width + width + 4, y, number_width, self.ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(count),
            )


class DayColumns(QWidget):
    """One column per day, the count above it and the day (M/D) below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[tuple[str, int]] = []
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_days(self, days: Sequence[tuple[str, int]]) -> None:
        self._days = list(days)
        self.update()

    def days(self) -> list[tuple[str, int]]:
        return list(self._days)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 160)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self._days:
            return
        painter = QPainter(self)
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        line = self.fontMetrics().height()
        slot = self.width() / len(self._days)
        room = max(10, self.height() - 2 * line - 8)
        top = max(n for _, n in self._days) or 1
        painter.setPen(text_colour)
        for i, (day, count) in enumerate(self._days):
            x = i * slot
            height = room * count / top
            bar = QRectF(x + slot * 0.15, line + 4 + room - height, slot * 0.7, height)
            painter.fillRect(bar, BAR_COLOUR)
            if count:
                painter.drawText(
                    QRectF(x, bar.top() - line, slot, line),
                    Qt.AlignmentFlag.AlignCenter,
                    str(count),
                )
            painter.drawText(
                QRectF(x, self.height() - line - 2, slot, line), Qt.AlignmentFlag.AlignCenter, day
            )
