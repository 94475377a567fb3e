"""The submitted facts of one case round, grouped as a reviewer reads them, findings beside them.

Groups: 申请, 学生, 监护人, the kind's own facts (抚养权/离婚, 农房, (外)祖父母), 房产,
租赁备案, 居住证, 材料, and 其他发现 for findings that name no fact shown here. Each
finding's ``fact`` path (``guardians[1].id_number``, ``properties[0].issue_date``,
``checklist.hukou_home`` …) is matched to the row showing that fact; a path with no row of
its own falls back to its parent (``properties[0]``, ``checklist``).

ID numbers are shown in full here: the reviewer compares them with the photos. Everywhere
else (header, lists) they are masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.review.cases import AttachmentView, FindingView
from ui.shell import labels

SEVERITY_COLORS = {
    "error": QColor(183, 28, 28),
    "warning": QColor(141, 94, 0),
    "info": QColor(13, 71, 161),
}
_SEVERITY_ICONS = {
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
}
FLASH_MS = 1600  # how long a fact or finding jumped to from the banner stays highlighted


def _tr(text: str) -> str:
    return QCoreApplication.translate("FactsView", text)


def _date(value: Any) -> str:
    """``2020-04-01`` → ``2020年4月1日`` (the wording findings use); other text unchanged."""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return (
                _tr("%1年%2月%3日")
                .replace("%1", str(day.year))
                .replace("%2", str(day.month))
                .replace("%3", str(day.day))
            )
    return "" if value is None else str(value)


def _bool(value: Any) -> str:
    if value is None:
        return ""
    return _tr("是") if value else _tr("否")


def _timestamp(value: Any) -> str:
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone().strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def parent_path(path: str) -> str | None:
    """``properties[0].issue_date`` → ``properties[0]`` → ``properties`` → None."""
    if "." in path:
        return path.rsplit(".", 1)[0]
    if path.endswith("]") and "[" in path:
        return path[: path.rindex("[")]
    return None


class FindingLabel(QWidget):
    """A coloured severity icon and the finding's message."""

    def __init__(self, finding: FindingView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 1, 0, 1)
        row.setSpacing(4)
        icon = QLabel(self)
        icon.setPixmap(
            self.style()
            .standardIcon(_SEVERITY_ICONS.get(finding.severity, _SEVERITY_ICONS["info"]))
            .pixmap(16, 16)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        message = QLabel(labels.finding_text(finding.code, finding.message), self)
        message.setObjectName(f"finding_{finding.code}")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = message.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, SEVERITY_COLORS.get(finding.severity, QColor("black"))
        )
        message.setPalette(palette)
        message.setToolTip(labels.finding_title(finding.code))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(message, 1)
        self.message_label = message


class _Group(QGroupBox):
    """One titled group of ``key: value`` rows, each with room for findings below it."""

    def __init__(self, title: str, anchor: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.anchor = anchor
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 6, 8, 6)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(3)
        self._grid.setColumnStretch(1, 1)
        self._rows = 0
        self.slots: dict[str, QVBoxLayout] = {}
        self.values: dict[str, QLabel] = {}
        self.headings: dict[str, QLabel] = {}
        # Findings about the whole group (a checklist item, a whole property) go on top.
        self.slots[anchor] = self._slot_row()

    def _slot_row(self) -> QVBoxLayout:
        holder = QVBoxLayout()
        holder.setContentsMargins(0, 0, 0, 0)
        holder.setSpacing(1)
        self._grid.addLayout(holder, self._rows, 0, 1, 2)
        self._rows += 1
        return holder

    def heading(self, text: str, path: str) -> None:
        """A bold sub-heading (one guardian, one property) that findings may attach to."""
        label = QLabel(text, self)
        label.setWordWrap(True)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self._grid.addWidget(label, self._rows, 0, 1, 2)
        self._rows += 1
        self.headings[path] = label
        self.slots[path] = self._slot_row()

    def row(self, key: str, value: str, path: str, *, emphasis: bool = False) -> None:
        """``key: value`` for the fact at ``path`` (shown even when empty, as "—")."""
        key_label = QLabel(key, self)
        key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        # Long keys (产权人身份证号) wrap rather than take the value column's room; keys of
        # up to four characters stay on one line.
        key_label.setWordWrap(True)
        han = key_label.fontMetrics().horizontalAdvance("汉")
        key_label.setMinimumWidth(min(han * 4, key_label.fontMetrics().horizontalAdvance(key)) + 2)
        key_label.setMaximumWidth(han * 5 + 4)
        palette = key_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(97, 97, 97))
        key_label.setPalette(palette)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        value_label = QLabel(value or "—", self)
        value_label.setObjectName(f"fact:{path}")
        value_label.setWordWrap(True)
        value_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        if emphasis:
            font = value_label.font()
            font.setBold(True)
            value_label.setFont(font)
        column.addWidget(value_label)
        self._grid.addWidget(key_label, self._rows, 0)
        self._grid.addLayout(column, self._rows, 1)
        self._rows += 1
        self.slots[path] = column
        self.values[path] = value_label


class _GroupSpec:
    """What one group will show, recorded before any widget is made: the facts pane builds
    the widgets only when the layout differs from the case shown before (see
    :meth:`FactsView.set_facts`)."""

    def __init__(self, title: str, anchor: str) -> None:
        self.title = title
        self.anchor = anchor
        self.object_name = ""
        self.ops: list[tuple[str, str, str, str, bool]] = []  # kind, key, text, path, emphasis
        self.aliases: dict[str, str] = {}  # another fact path → the path whose row shows it

    def heading(self, text: str, path: str) -> None:
        self.ops.append(("heading", "", text, path, False))

    def row(self, key: str, value: str, path: str, *, emphasis: bool = False) -> None:
        self.ops.append(("row", key, value, path, emphasis))

    def alias(self, path: str, shown_at: str) -> None:
        self.aliases[path] = shown_at

    def shape(self) -> tuple[Any, ...]:
        """Everything but the texts that change from case to case (values, headings)."""
        return (
            self.title,
            self.anchor,
            tuple((kind, key, path, emphasis) for kind, key, _text, path, emphasis in self.ops),
            tuple(sorted(self.aliases.items())),
        )

    def build(self, parent: QWidget) -> _Group:
        group = _Group(self.title, self.anchor, parent)
        for kind, key, text, path, emphasis in self.ops:
            if kind == "heading":
                group.heading(text, path)
            else:
                group.row(key, text, path, emphasis=emphasis)
        for path, shown_at in self.aliases.items():
            group.slots[path] = group.slots[shown_at]
        return group

    def update(self, group: _Group) -> None:
        """Put this spec's texts into ``group``, built from a spec of the same shape."""
        for kind, _key, text, path, _emphasis in self.ops:
            label = group.headings[path] if kind == "heading" else group.values[path]
            shown = text if kind == "heading" else (text or "—")
            if label.text() != shown:
                label.setText(shown)


class FactsView(QScrollArea):
    """One round's facts and findings, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._groups: list[_Group] = []
        self._slots: dict[str, QVBoxLayout] = {}
        self._values: dict[str, QLabel] = {}
        self._placed: dict[int, str] = {}
        self._finding_labels: list[FindingLabel] = []
        self._highlighted: QWidget | None = None
        # The layout shown (group specs' shapes) and the widgets that show it, kept while
        # the next case has the same layout: then only its texts change.
        self._shape: tuple[Any, ...] | None = None
        self._cleared = True  # showing a message, not a case (the widgets may be kept)
        self._message: QLabel | None = None
        self._notice: QLabel | None = None
        self._other: _Group | None = None
        self._body = QWidget()
        self.setWidget(self._body)
        self.clear()

    # --- feeding -----------------------------------------------------------------------

    def clear(self, message: str = "") -> None:
        """Show nothing but ``message`` (e.g. "正在加载…").

        The groups built are hidden, not destroyed: the next case, loading now, most often
        has the same layout (see :meth:`set_facts`)."""
        self._cleared = True
        self._unflash()
        if self._shape is not None and self._message is not None:
            for finding_label in self._finding_labels:
                finding_label.setParent(None)
                finding_label.deleteLater()
            self._placed, self._finding_labels = {}, []
            for widget in (*self._groups, self._notice, self._other):
                if widget is not None:
                    widget.setVisible(False)
            self._message.setText(message)
            self._message.setVisible(True)
            return
        body = QWidget()
        column = QVBoxLayout(body)
        label = QLabel(message, body)
        label.setObjectName("factsMessage")
        label.setWordWrap(True)
        column.addWidget(label)
        column.addStretch(1)
        self._shape = None
        self._groups, self._slots, self._values = [], {}, {}
        self._placed, self._finding_labels = {}, []
        self._replace_body(body)

    def set_facts(
        self,
        manifest: dict[str, Any],
        attachments: Sequence[AttachmentView],
        findings: Sequence[FindingView],
        *,
        notice: str | None = None,
    ) -> None:
        """Show ``manifest`` grouped, with ``findings`` beside their facts.

        The next case of a reviewer's queue usually has the layout of the last one (the
        same kind, as many guardians and properties): then the widgets stay and only their
        texts and the findings change — building ~150 widgets anew took 30–40 ms of the GUI
        thread on every case switch, and twice that on an old PC."""
        specs = self._build_groups(manifest, attachments)
        shape = tuple(spec.shape() for spec in specs)
        self._unflash()
        self._cleared = False
        if (
            shape == self._shape
            and self._notice is not None
            and self._other is not None
            and self._message is not None
        ):
            for spec, group in zip(specs, self._groups, strict=True):
                spec.update(group)
                group.setVisible(True)
            self._message.setVisible(False)
            for label in self._finding_labels:
                label.setParent(None)
                label.deleteLater()
        else:
            self._build_body(specs)
            self._shape = shape
        assert self._notice is not None and self._other is not None
        self._notice.setText(notice or "")
        self._notice.setVisible(bool(notice))
        self._placed = {}
        self._finding_labels = []
        unmatched = 0
        body = self._body
        for index, finding in enumerate(findings):
            anchor = self._anchor_for(finding.fact)
            if anchor is None:
                anchor = "__other__"
                unmatched += 1
            label = FindingLabel(finding, body)
            self._slots[anchor].addWidget(label)
            self._placed[index] = anchor
            self._finding_labels.append(label)
        self._other.setVisible(bool(unmatched))

    def _build_body(self, specs: list[_GroupSpec]) -> None:
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(6)
        self._groups = []
        self._slots = {}
        self._values = {}
        message = QLabel(body)
        message.setObjectName("factsMessage")
        message.setWordWrap(True)
        message.setVisible(False)
        column.addWidget(message)
        self._message = message
        banner = QLabel(body)
        banner.setObjectName("factsNotice")
        banner.setWordWrap(True)
        banner.setStyleSheet("background:#fff8e1; padding:4px; border:1px solid #ffe082;")
        banner.setVisible(False)
        column.addWidget(banner)
        self._notice = banner
        for spec in specs:
            group = spec.build(body)
            column.addWidget(group)
            self._groups.append(group)
            self._slots.update(group.slots)
            self._values.update(group.values)
        other = _Group(_tr("其他发现"), "__other__", body)
        other.setObjectName("otherFindings")
        other.setVisible(False)
        self._slots["__other__"] = other.slots["__other__"]
        column.addWidget(other)
        self._other = other
        column.addStretch(1)
        self._replace_body(body)

    def _replace_body(self, body: QWidget) -> None:
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self._body = body
        self.setWidget(body)
        if body is not None and self._notice is not None and self._notice.parent() is not body:
            self._notice = self._other = self._message = None  # gone with the old body

    def _anchor_for(self, fact: str) -> str | None:
        path: str | None = fact
        while path:
            if path in self._slots:
                return path
            path = parent_path(path)
        return None

    # --- reading back (tests, the case view) ------------------------------------------------

    def anchor_of(self, finding_index: int) -> str | None:
        """The fact path finding ``finding_index`` is shown beside (``__other__`` if none)."""
        return self._placed.get(finding_index)

    def value_text(self, path: str) -> str | None:
        """The text shown for the fact at ``path``."""
        label = None if self._cleared else self._values.get(path)
        return label.text() if label is not None else None

    def group_titles(self) -> list[str]:
        """Titles of the groups shown, top to bottom."""
        return [] if self._cleared else [g.title() for g in self._groups]

    @property
    def finding_labels(self) -> list[FindingLabel]:
        return list(self._finding_labels)

    # --- jumping (the findings banner) ------------------------------------------------------

    def show_finding(self, finding_index: int) -> bool:
        """Scroll finding ``finding_index`` (beside its fact) into view and flash it."""
        if not 0 <= finding_index < len(self._finding_labels):
            return False
        label = self._finding_labels[finding_index]
        anchor = self._placed.get(finding_index)
        value = self._values.get(anchor) if anchor else None
        if value is not None:
            self.ensureWidgetVisible(value, 20, 40)
        self.ensureWidgetVisible(label, 20, 40)
        self._flash(label)
        return True

    def show_fact(self, path: str) -> bool:
        """Scroll the fact at ``path`` (or its nearest shown parent) into view and flash it."""
        current: str | None = path
        while current:
            label = None if self._cleared else self._values.get(current)
            if label is not None:
                self.ensureWidgetVisible(label, 20, 40)
                self._flash(label)
                return True
            current = parent_path(current)
        return False

    @property
    def highlighted(self) -> QWidget | None:
        """The widget flashed by the last jump, while it is highlighted."""
        return self._highlighted

    def _unflash(self) -> None:
        """Drop the highlight of the last jump (the widgets may show another case next)."""
        previous, self._highlighted = self._highlighted, None
        if previous is not None and shiboken6.isValid(previous):
            previous.setStyleSheet("")

    def _flash(self, widget: QWidget) -> None:
        previous = self._highlighted
        if previous is not None and previous is not widget and shiboken6.isValid(previous):
            previous.setStyleSheet("")
        self._highlighted = widget
        widget.setStyleSheet("background:#fff59d;")

        def unflash() -> None:
            if self._highlighted is widget:
                self._highlighted = None
                if shiboken6.isValid(widget):
                    widget.setStyleSheet("")

        QTimer.singleShot(FLASH_MS, unflash)

    # --- the groups ----------------------------------------------------------------------

    def _build_groups(
        self, m: dict[str, Any], attachments: Sequence[AttachmentView]
    ) -> list[_GroupSpec]:
        groups: list[_GroupSpec] = []

        app = _GroupSpec(_tr("申请"), "__application__")
        app.row(_tr("学校"), m.get("school", ""), "school")
        app.row(
            _tr("入学"),
            f"{m.get('city', '')} {m.get('admission_year', '')} "
            f"{labels.stage_title(m.get('stage', ''))}",
            "admission_year",
        )
        # City and stage findings (policy mismatch) belong with the same line.
        app.alias("city", "admission_year")
        app.alias("stage", "admission_year")
        app.row(_tr("入学依据"), labels.term(m.get("residence_basis")), "residence_basis")
        app.row(_tr("提交时间"), _timestamp(m.get("submitted_at")), "submitted_at")
        groups.append(app)

        student = m.get("student", {})
        g = _GroupSpec(_tr("学生"), "student")
        g.row(_tr("姓名"), student.get("name", ""), "student.name", emphasis=True)
        g.row(_tr("身份证号"), student.get("id_number", ""), "student.id_number", emphasis=True)
        if student.get("hukou_address"):
            g.row(_tr("户籍地址"), student["hukou_address"], "student.hukou_address")
        groups.append(g)

        g = _GroupSpec(_tr("监护人"), "guardians")
        for i, person in enumerate(m.get("guardians", [])):
            p = f"guardians[{i}]"
            g.heading(f"{labels.term(person.get('relation'))}  {person.get('name', '')}", p)
            g.row(_tr("身份证号"), person.get("id_number", ""), f"{p}.id_number")
            if "has_custody" in person:
                g.row(_tr("抚养权"), _bool(person["has_custody"]), f"{p}.has_custody")
            if person.get("phone"):
                g.row(_tr("电话"), person["phone"], f"{p}.phone")
        groups.append(g)

        kind_groups: dict[str, Callable[[Any], _GroupSpec]] = {
            "custody": self._custody,
            "rural_house": self._rural_house,
            "grandparents": self._grandparents,
        }
        first = {"guardianship": "custody", "rural_house": "rural_house", "kinship": "grandparents"}
        order = [first.get(m.get("kind", ""), "custody")]
        order += [k for k in kind_groups if k not in order]
        for key in order:
            if m.get(key):
                groups.append(kind_groups[key](m[key]))

        if m.get("properties"):
            g = _GroupSpec(_tr("房产"), "properties")
            for i, prop in enumerate(m["properties"]):
                p = f"properties[{i}]"
                g.heading(f"{labels.term(prop.get('cert_type'))}  {prop.get('owner_name', '')}", p)
                g.row(_tr("证号"), prop.get("cert_number", ""), f"{p}.cert_number")
                g.row(_tr("发证日期"), _date(prop.get("issue_date")), f"{p}.issue_date")
                g.row(_tr("性质"), labels.term(prop.get("nature")), f"{p}.nature")
                g.row(_tr("产权人"), prop.get("owner_name", ""), f"{p}.owner_name")
                if prop.get("owner_id_number"):
                    g.row(_tr("产权人身份证号"), prop["owner_id_number"], f"{p}.owner_id_number")
                g.row(_tr("地址"), prop.get("address", ""), f"{p}.address")
                if prop.get("non_direct_co_owner"):
                    g.row(_tr("与非直系亲属共有"), _tr("是"), f"{p}.non_direct_co_owner")
            groups.append(g)

        if m.get("rentals"):
            g = _GroupSpec(_tr("租赁备案"), "rentals")
            for i, rental in enumerate(m["rentals"]):
                p = f"rentals[{i}]"
                g.heading(f"{rental.get('registration_number', '')}", p)
                g.row(_tr("承租人"), rental.get("holder_name", ""), f"{p}.holder_name")
                g.row(_tr("地址"), rental.get("address", ""), f"{p}.address")
                g.row(_tr("起始"), _date(rental.get("start_date")), f"{p}.start_date")
                g.row(_tr("结束"), _date(rental.get("end_date")), f"{p}.end_date")
            groups.append(g)

        if m.get("permits"):
            g = _GroupSpec(_tr("居住证"), "permits")
            for i, permit in enumerate(m["permits"]):
                p = f"permits[{i}]"
                g.heading(f"{permit.get('number', '')}  {permit.get('holder_name', '')}", p)
                if permit.get("holder_id_number"):
                    g.row(_tr("身份证号"), permit["holder_id_number"], f"{p}.holder_id_number")
                g.row(_tr("办理日期"), _date(permit.get("start_date")), f"{p}.start_date")
                g.row(_tr("有效期至"), _date(permit.get("valid_until")), f"{p}.valid_until")
            groups.append(g)

        g = _GroupSpec(_tr("材料"), "attachments")
        g.alias("checklist", "attachments")
        for att in attachments:
            if att.readable:
                state = _tr("可识别")
                if att.width and att.height:
                    state += f"  {att.width}×{att.height}"
            else:
                state = _tr("无法识别：%1").replace("%1", att.reason or _tr("原因未知"))
            g.row(
                f"{att.ordinal + 1}. {labels.document_title(att.label)}",
                state,
                f"attachments[{att.ordinal}]",
            )
        groups.append(g)
        return groups

    def _custody(self, c: dict[str, Any]) -> _GroupSpec:
        g = _GroupSpec(_tr("抚养权 / 离婚"), "custody")
        g.row(_tr("父母离异"), _bool(c.get("divorced")), "custody.divorced")
        if "divorce_date" in c:
            g.row(_tr("离婚日期"), _date(c["divorce_date"]), "custody.divorce_date")
        if "custody_holder_name" in c:
            g.row(_tr("抚养权人"), c["custody_holder_name"], "custody.custody_holder_name")
        if "custody_document" in c:
            g.row(_tr("抚养权文书"), labels.term(c["custody_document"]), "custody.custody_document")
        if c.get("note"):
            g.row(_tr("家长说明"), c["note"], "custody.note")
        return g

    def _rural_house(self, r: dict[str, Any]) -> _GroupSpec:
        g = _GroupSpec(_tr("农房"), "rural_house")
        g.row(_tr("产权人"), r.get("owner_name", ""), "rural_house.owner_name", emphasis=True)
        g.row(_tr("产权人身份证号"), r.get("owner_id_number", ""), "rural_house.owner_id_number")
        g.row(_tr("与学生关系"), labels.term(r.get("owner_relation")), "rural_house.owner_relation")
        g.row(_tr("地址"), r.get("address", ""), "rural_house.address")
        g.row(_tr("房屋类型"), labels.term(r.get("house_type")), "rural_house.house_type")
        return g

    def _grandparents(self, people: list[dict[str, Any]]) -> _GroupSpec:
        g = _GroupSpec(_tr("(外)祖父母"), "grandparents")
        for i, person in enumerate(people):
            p = f"grandparents[{i}]"
            g.heading(f"{labels.term(person.get('relation'))}  {person.get('name', '')}", p)
            g.row(_tr("身份证号"), person.get("id_number", ""), f"{p}.id_number")
        return g
