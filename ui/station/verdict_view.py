"""The full-window verdict: one colour and one big word, readable from a metre away.

Green 有效, red 无效, amber for what the clerk must look at; grey while waiting for a scan
or for the store's answer. Under the word: the student (or the reason), then the slip's
facts, the other reasons, and a small line saying when and against what it was checked.
The type grows with the panel (a 1366×768 desk screen and a small laptop alike) and never
so far that a line is cut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.notices.printing import CHINA_TZ
from app.station import verdicts as v
from app.station.verdicts import Verdict
from ui.station import words

# Background and text colour per state; amber carries dark text (white on amber is unreadable).
COLOURS = {
    "idle": ("#eceff1", "#3c4043"),
    "pending": ("#5f6368", "#ffffff"),
    v.VALID: ("#1e7e34", "#ffffff"),
    v.INVALID: ("#b3261e", "#ffffff"),
    v.CAUTION: ("#f9a825", "#1f1f1f"),
}


class VerdictView(QFrame):
    """Shows one verdict (or the idle prompt) over the whole panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.state = "idle"
        self.verdict: Verdict | None = None

        self.headline = self._label(bold=True, centre=True)
        self.subline = self._label(bold=True, centre=True)
        self.facts_box = QWidget(self)
        self.facts = QGridLayout(self.facts_box)
        self.facts.setContentsMargins(0, 0, 0, 0)
        self.facts.setHorizontalSpacing(18)
        self.facts.setVerticalSpacing(4)
        self.fact_labels: list[QLabel] = []
        self.reasons = self._label()
        self.foot = self._label(centre=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(self.headline)
        layout.addWidget(self.subline)
        layout.addSpacing(6)
        layout.addWidget(self.facts_box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        layout.addWidget(self.foot)
        self.show_idle(self.tr("请扫描通知单上的二维码"))

    def _label(self, *, bold: bool = False, centre: bool = False) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if centre:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        return label

    # --- states -------------------------------------------------------------------------

    def show_idle(self, prompt: str, hint: str = "") -> None:
        self.verdict = None
        self._paint("idle")
        self.headline.setText(prompt)
        self.subline.setText(hint)
        self.subline.setVisible(bool(hint))
        self._set_facts([])
        self.reasons.hide()
        self.foot.hide()
        self._fit()

    def show_checking(self) -> None:
        """Right after Enter: the scan is being checked (a few milliseconds)."""
        self.verdict = None
        self._paint("pending")
        self.headline.setText(self.tr("正在核验…"))
        self.subline.hide()
        self._set_facts([])
        self.reasons.hide()
        self.foot.hide()
        self._fit()

    def show_verdict(self, verdict: Verdict, *, waiting_for_store: bool = False) -> None:
        """A verdict; ``waiting_for_store``: the store's answer is still on its way."""
        self.verdict = verdict
        self._paint(verdict.level)
        self.headline.setText(words.headline(verdict))
        reasons = list(verdict.reasons)
        if verdict.level == v.VALID and verdict.student is not None:
            self.subline.setText(verdict.student.name)
        elif reasons:
            self.subline.setText(words.reason_text(reasons.pop(0), verdict))
        else:
            self.subline.setText("")
        self.subline.setVisible(bool(self.subline.text()))
        self._set_facts(self._fact_rows(verdict))
        self.reasons.setText("\n".join(f"• {words.reason_text(r, verdict)}" for r in reasons))
        self.reasons.setVisible(bool(reasons))
        self.foot.setText(self._foot_text(verdict, waiting_for_store))
        self.foot.show()
        self._fit()

    def _fact_rows(self, verdict: Verdict) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        s, p = verdict.student, verdict.payload
        if s is not None:
            rows += [
                (self.tr("姓名"), s.name),
                (self.tr("身份证号"), s.masked_id),
                (self.tr("学校"), s.school),
                (self.tr("类型"), words.kind_word(s.kind)),
            ]
        if p is not None:
            rows += [
                (self.tr("审核结论"), words.outcome_word(p.outcome)),
                (self.tr("签发日期"), p.date),
                (self.tr("案件编号"), p.case_no),
                (self.tr("流水号"), p.serial),
            ]
        return rows

    def _foot_text(self, verdict: Verdict, waiting: bool) -> str:
        when = verdict.scanned_at.astimezone(CHINA_TZ).strftime("%H:%M:%S")
        parts = [self.tr("核验时间 %1").replace("%1", when)]
        if waiting:
            parts.append(self.tr("正在联网核对决定状态…"))
        elif verdict.state_checked:
            parts.append(self.tr("已核对：%1").replace("%1", words.source_word(verdict.source)))
        if verdict.log_problem:
            parts.append(self.tr("记录未能保存：%1").replace("%1", verdict.log_problem))
        return " · ".join(parts)

    # --- painting -----------------------------------------------------------------------

    def _paint(self, state: str) -> None:
        self.state = state
        background, text = COLOURS[state]
        self.setStyleSheet(
            f"QFrame#verdict {{ background: {background}; border-radius: 6px; }}"
            f"QFrame#verdict QLabel {{ color: {text}; background: transparent; }}"
        )

    def _set_facts(self, rows: list[tuple[str, str]]) -> None:
        for label in self.fact_labels:
            self.facts.removeWidget(label)
            label.deleteLater()
        self.fact_labels = []
        # Two pairs to a line: eight facts in four lines fit a 768-pixel-high screen.
        for index, (name, value) in enumerate(rows):
            row, column = divmod(index, 2)
            key = QLabel(name, self.facts_box)
            key.setTextFormat(Qt.TextFormat.PlainText)
            val = QLabel(value, self.facts_box)
            val.setTextFormat(Qt.TextFormat.PlainText)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            font = val.font()
            font.setBold(True)
            val.setFont(font)
            key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.facts.addWidget(key, row, column * 2)
            self.facts.addWidget(val, row, column * 2 + 1)
            self.fact_labels += [key, val]
        self.facts_box.setVisible(bool(rows))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Type sizes from the panel's size: the big word as large as fits."""
        h, w = max(self.height(), 200), max(self.width(), 300)
        chars = max(len(self.headline.text()), 2)
        big = int(min(h * 0.2, (w - 60) / (chars + 0.5), 160))
        if self.state == "idle":
            big = int(min(h * 0.08, (w - 60) / (chars + 0.5), 48))
        _pixels(self.headline, max(big, 24))
        _pixels(self.subline, max(int(min(h * 0.07, 48)), 18))
        fact = max(int(min(h * 0.042, 28)), 14)
        for label in self.fact_labels:
            _pixels(label, fact)
        _pixels(self.reasons, max(int(min(h * 0.04, 26)), 14))
        _pixels(self.foot, max(int(min(h * 0.028, 18)), 12))
        # Lay out now, not on the next event: what is shown has its final geometry at once.
        self.facts.activate()
        layout = self.layout()
        if layout is not None:
            layout.activate()


def _pixels(label: QLabel, size: int) -> None:
    font = QFont(label.font())
    font.setPixelSize(size)
    label.setFont(font)
