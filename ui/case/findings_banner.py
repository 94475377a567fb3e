"""The findings banner: the automatic findings of the case, at the top where they are seen first.

One line per finding (errors first, then warnings, then notes), with the counts by severity
in front. The facts pane still shows each finding beside its fact; the banner is what a
reviewer reads before deciding, whatever the screen height. Clicking a line (or pressing
Enter on it) emits ``finding_activated`` with the finding's index in the case's findings:
the case view then shows that fact or attachment.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.review.cases import FindingView
from ui.shell import labels

SEVERITY_ORDER = ("error", "warning", "info")
LINE_COLOURS = {"error": "#b71c1c", "warning": "#8d5e00", "info": "#0d47a1"}
_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
VISIBLE_LINES = 4  # more scroll inside the banner: the case below keeps its room


def _tr(text: str) -> str:
    return QCoreApplication.translate("FindingsBanner", text)


class FindingLine(QWidget):
    """One finding on one line (elided; the whole text is the tooltip), clickable."""

    activated = Signal(int)

    def __init__(self, index: int, finding: FindingView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.finding = finding
        self.setObjectName(f"findingLine_{index}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.text = labels.finding_text(finding.code, finding.message)
        self.setToolTip(self.text + "\n" + _tr("点击查看对应的材料事实或附件"))
        row = QHBoxLayout(self)
        row.setContentsMargins(2, 1, 2, 1)
        row.setSpacing(4)
        icon = QLabel(self)
        icon.setPixmap(
            self.style().standardIcon(_ICONS.get(finding.severity, _ICONS["info"])).pixmap(14, 14)
        )
        self.text_label = QLabel(self)
        self.text_label.setObjectName("findingText")
        palette = self.text_label.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText,
            QColor(LINE_COLOURS.get(finding.severity, LINE_COLOURS["info"])),
        )
        self.text_label.setPalette(palette)
        self.text_label.setMinimumWidth(40)
        row.addWidget(icon)
        row.addWidget(self.text_label, 1)
        self._elide()

    @property
    def full_text(self) -> str:
        return self.text

    def _elide(self) -> None:
        width = max(40, self.text_label.width())
        metrics = self.text_label.fontMetrics()
        self.text_label.setText(metrics.elidedText(self.text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.activated.emit(self.index)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.index)
            return
        super().keyPressEvent(event)


class FindingsBanner(QFrame):
    """Counts by severity and one line per finding; ``finding_activated(index)`` on a click."""

    finding_activated = Signal(int)  # index into the case's findings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._findings: tuple[FindingView, ...] = ()
        self._lines: list[FindingLine] = []
        self._expanded = True

        self.summary = QLabel(self)
        self.summary.setObjectName("findingsSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("findingsToggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.toggle.clicked.connect(lambda: self.set_expanded(not self._expanded))
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.summary, 1)
        head.addWidget(self.toggle)

        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(0)
        self.lines_scroll = QScrollArea(self)
        self.lines_scroll.setWidget(self._list)
        self.lines_scroll.setWidgetResizable(True)
        self.lines_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.lines_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lines_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(1)
        layout.addLayout(head)
        layout.addWidget(self.lines_scroll)
        self.set_findings(())

    # --- feeding -------------------------------------------------------------------------

    def set_findings(self, findings: Sequence[FindingView], *, notice: str | None = None) -> None:
        """Show ``findings`` (the case's, in its order: indexes refer to it)."""
        self._findings = tuple(findings)
        for line in self._lines:
            line.deleteLater()
        self._lines = []
        order = sorted(
            range(len(self._findings)),
            key=lambda i: (
                SEVERITY_ORDER.index(self._findings[i].severity)
                if self._findings[i].severity in SEVERITY_ORDER
                else len(SEVERITY_ORDER),
                i,
            ),
        )
        for index in order:
            line = FindingLine(index, self._findings[index], self._list)
            line.activated.connect(self.finding_activated)
            self._list_layout.addWidget(line)
            self._lines.append(line)
        self.summary.setText(notice if notice is not None else self._summary_html())
        errors = self.count("error")
        style = "QFrame#findingsBanner{background:%s;border:1px solid %s;}" % (
            ("#fdecea", "#f5b7b1") if errors else ("#f8f9fa", "#dadce0")
        )
        if self.styleSheet() != style:  # setting one re-polishes, even the same
            self.setStyleSheet(style)
        self.toggle.setVisible(bool(self._lines))
        self._apply_expanded()
        self.setVisible(True)

    def clear(self) -> None:
        """No case (or one loading): nothing to say, no empty strip."""
        self.set_findings((), notice="")
        self.setVisible(False)

    def _summary_html(self) -> str:
        if not self._findings:
            return '<span style="color:#5f6368">' + _tr("自动发现：无") + "</span>"
        parts = []
        for severity in SEVERITY_ORDER:
            n = self.count(severity)
            if n:
                parts.append(
                    f'<b style="color:{LINE_COLOURS[severity]}">'
                    f"{labels.severity_title(severity)} {n}</b>"
                )
        return _tr("自动发现：") + " · ".join(parts)

    # --- state ---------------------------------------------------------------------------

    def count(self, severity: str) -> int:
        return sum(1 for f in self._findings if f.severity == severity)

    @property
    def lines(self) -> list[FindingLine]:
        """The finding lines as shown, top to bottom."""
        return list(self._lines)

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, expanded: bool) -> None:
        self._expanded = expanded
        self._apply_expanded()

    def _apply_expanded(self) -> None:
        show = self._expanded and bool(self._lines)
        self.lines_scroll.setVisible(show)
        self.toggle.setText(_tr("收起") if self._expanded else _tr("展开"))
        self.toggle.setToolTip(_tr("收起或展开发现列表"))
        if show:
            height = self._lines[0].sizeHint().height() if self._lines else 18
            self.lines_scroll.setFixedHeight(height * min(VISIBLE_LINES, len(self._lines)) + 2)
