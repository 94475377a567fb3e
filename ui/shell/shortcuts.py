"""Every keyboard shortcut of the workstation in one table, and the F1 sheet that lists them.

A reviewer works through a queue for hours, so each action has a key and the keys do not
change with the widget that has focus. Single keys (A, R, T, J, K, 1–9 …) are safe
because text inputs claim printable keys first (Qt's ShortcutOverride): typing a comment
never approves a case. Zoom keys are ``+``/``−``/F/W/Ctrl+1 and rotation Ctrl+L/Ctrl+R,
because bare digits toggle reasons and R rejects.

``scope`` says who installs an entry: ``case`` entries are installed by ``CaseView`` (on
itself and on the detached attachments window); ``shell`` entries belong to the main
window (its menu actions carry them). Installing the same key twice in overlapping contexts
makes Qt treat it as ambiguous and fire neither, so each key has exactly one owner here,
and the F1 sheet lists them all.

The case keys are window-wide (``Qt.WindowShortcut``): they work with focus in the queue,
in the search box's neighbours or after using the menu, not only inside the case view.
Text inputs still claim the printable keys they type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CONTEXT = "Shortcuts"


def _noop(text: str) -> str:
    """Marks ``text`` for translation (context ``Shortcuts``); translated when shown."""
    return text


@dataclass(frozen=True)
class ShortcutSpec:
    """One action: its keys (Qt portable text), what it does (Chinese source), its group."""

    action: str
    keys: tuple[str, ...]
    description: str
    group: str
    scope: str = "case"
    indexed: bool = False  # the handler gets the index of the key pressed (1–9 → 0–8)

    @property
    def sequences(self) -> tuple[QKeySequence, ...]:
        return tuple(QKeySequence(k) for k in self.keys)

    def key_text(self) -> str:
        """The keys as shown to people, e.g. ``J / Ctrl+↓``."""
        if self.indexed and len(self.keys) > 2:
            first = QKeySequence(self.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)
            last = QKeySequence(self.keys[-1]).toString(QKeySequence.SequenceFormat.NativeText)
            return f"{first} … {last}"
        # Ctrl+Return and Ctrl+Enter (the keypad's) read the same once translated: once.
        texts = [
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys
        ]
        return " / ".join(dict.fromkeys(texts))

    def translated_description(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.description)

    def translated_group(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.group)


_DIGITS = tuple(str(n) for n in range(1, 10))
_CASE, _DECIDE, _VIEW, _OTHER = (
    _noop("案件"),
    _noop("决定"),
    _noop("附件查看"),
    _noop("其他"),
)

SHORTCUTS: tuple[ShortcutSpec, ...] = (
    # --- moving through the queue
    ShortcutSpec("next_case", ("J", "Ctrl+Down"), _noop("下一个案件"), _CASE),
    ShortcutSpec("previous_case", ("K", "Ctrl+Up"), _noop("上一个案件"), _CASE),
    ShortcutSpec("open_case", ("Return",), _noop("打开队列中选中的案件"), _CASE, "shell"),
    ShortcutSpec("focus_search", ("Ctrl+F",), _noop("搜索案件（回车或 ↓ 到结果）"), _CASE, "shell"),
    ShortcutSpec(
        "switch_tab",
        tuple(f"Alt+{n}" for n in range(1, 8)),
        _noop("切换队列标签页（待审核 … 冲突）"),
        _CASE,
        "shell",
        indexed=True,
    ),
    ShortcutSpec("refresh", ("F5",), _noop("刷新队列"), _CASE, "shell"),
    ShortcutSpec(
        "toggle_queue", ("Ctrl+B",), _noop("收起/展开队列（给附件更多宽度）"), _CASE, "shell"
    ),
    ShortcutSpec("focus_decision", ("Escape",), _noop("离开输入框，回到决定面板"), _CASE),
    # --- deciding
    ShortcutSpec("approve", ("A",), _noop("通过"), _DECIDE),
    ShortcutSpec("reject", ("R",), _noop("不通过"), _DECIDE),
    ShortcutSpec("return", ("T",), _noop("退回补充"), _DECIDE),
    ShortcutSpec(
        "toggle_item",
        _DIGITS,
        _noop("勾选/取消第 n 项（不通过：理由；退回：缺少的材料）"),
        _DECIDE,
        indexed=True,
    ),
    ShortcutSpec(
        "toggle_reason",
        tuple(f"Ctrl+Alt+{d}" for d in _DIGITS),
        _noop("勾选/取消第 n 项理由（退回时）"),
        _DECIDE,
        indexed=True,
    ),
    ShortcutSpec(
        "cycle_verdict",
        ("V",),
        _noop("当前附件的结论：清晰 → 不清晰 → 材料不符 → 存疑 → 未标记"),
        _DECIDE,
    ),
    ShortcutSpec("focus_comment", ("Ctrl+E",), _noop("填写审核意见"), _DECIDE),
    ShortcutSpec("focus_note", ("Ctrl+N",), _noop("填写给家长的说明（退回时）"), _DECIDE),
    ShortcutSpec(
        "submit_next", ("Ctrl+Return", "Ctrl+Enter"), _noop("提交并打开下一个案件"), _DECIDE
    ),
    ShortcutSpec("submit", ("Ctrl+S",), _noop("提交（留在本案件）"), _DECIDE),
    ShortcutSpec("undo", ("Ctrl+Z",), _noop("撤销刚才的决定（回到该案件）"), _DECIDE, "shell"),
    ShortcutSpec("confirm", ("Alt+Y",), _noop("复核：确认决定"), _DECIDE),
    ShortcutSpec("refuse", ("Alt+N",), _noop("复核：驳回决定"), _DECIDE),
    # --- looking at the attachments
    ShortcutSpec("next_attachment", ("]", "PgDown"), _noop("下一个附件"), _VIEW),
    ShortcutSpec("previous_attachment", ("[", "PgUp"), _noop("上一个附件"), _VIEW),
    ShortcutSpec("zoom_in", ("+", "="), _noop("放大"), _VIEW),
    ShortcutSpec("zoom_out", ("-",), _noop("缩小"), _VIEW),
    ShortcutSpec("fit_page", ("F",), _noop("适合页面"), _VIEW),
    ShortcutSpec("fit_width", ("W",), _noop("适合宽度"), _VIEW),
    ShortcutSpec("actual_size", ("Ctrl+1",), _noop("实际大小（1:1）"), _VIEW),
    ShortcutSpec("rotate_right", ("Ctrl+R",), _noop("向右旋转 90°（只旋转显示）"), _VIEW),
    ShortcutSpec("rotate_left", ("Ctrl+L",), _noop("向左旋转 90°（只旋转显示）"), _VIEW),
    ShortcutSpec("brighten", ("B",), _noop("调亮并增强对比（偏暗的照片）"), _VIEW),
    ShortcutSpec("reset_adjustments", ("Shift+B",), _noop("亮度、对比度还原"), _VIEW),
    ShortcutSpec("compare", ("C",), _noop("对比两个附件（开/关）"), _VIEW),
    ShortcutSpec("compare_next", ("Shift+C",), _noop("对比时换右侧附件"), _VIEW),
    ShortcutSpec("detach", ("Ctrl+D",), _noop("附件在独立窗口中显示（第二块屏幕）/收回"), _VIEW),
    # --- other
    ShortcutSpec("history", ("Ctrl+H",), _noop("切换 材料事实 / 审核记录"), _OTHER),
    ShortcutSpec("print", ("Ctrl+P",), _noop("打印当前案件的通知书（先预览）"), _OTHER, "shell"),
    ShortcutSpec(
        "desk",
        ("Ctrl+Shift+D",),
        _noop("督导台：积压、进度与理由（主管、管理员）"),
        _OTHER,
        "shell",
    ),
    ShortcutSpec(
        "audit",
        ("Ctrl+Shift+J",),
        _noop("审计日志：筛选、校验日志链、导出（主管、管理员）"),
        _OTHER,
        "shell",
    ),
    ShortcutSpec("help", ("F1",), _noop("快捷键一览"), _OTHER),
    ShortcutSpec("quit", ("Ctrl+Q",), _noop("退出"), _OTHER, "shell"),
)

BY_ACTION: dict[str, ShortcutSpec] = {spec.action: spec for spec in SHORTCUTS}


def spec(action: str) -> ShortcutSpec:
    """The table entry for ``action``."""
    return BY_ACTION[action]


def key_text(action: str) -> str:
    """The keys of ``action`` as shown in tooltips and buttons."""
    return BY_ACTION[action].key_text()


def install(
    widget: QWidget,
    handlers: Mapping[str, Callable[..., None]],
    *,
    scope: str = "case",
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> list[QShortcut]:
    """Create a ``QShortcut`` on ``widget`` for every ``scope`` entry with a handler.

    Indexed entries call ``handler(index)``; the others ``handler()``. The keys work
    anywhere in ``widget``'s window (while ``widget`` is visible), so focus in the queue
    or on the menu bar does not switch them off.
    """
    made: list[QShortcut] = []
    for entry in SHORTCUTS:
        handler = handlers.get(entry.action)
        if entry.scope != scope or handler is None:
            continue
        for index, sequence in enumerate(entry.sequences):
            shortcut = QShortcut(sequence, widget)
            shortcut.setContext(context)
            shortcut.setObjectName(f"shortcut_{entry.action}_{index}")
            if entry.indexed:
                shortcut.activated.connect(lambda h=handler, i=index: h(i))
            else:
                shortcut.activated.connect(handler)
            made.append(shortcut)
    return made


class ShortcutSheet(QDialog):
    """The F1 sheet: every shortcut, grouped, with what it does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快捷键一览"))
        table = QTableWidget(len(SHORTCUTS), 3, self)
        table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("按键"), self.tr("操作")])
        table.verticalHeader().setVisible(False)
        table.setWordWrap(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        previous_group = None
        for row, entry in enumerate(SHORTCUTS):
            group = entry.translated_group() if entry.group != previous_group else ""
            previous_group = entry.group
            for column, text in enumerate(
                (group, entry.key_text(), entry.translated_description())
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # One line per key in Chinese; a long English description wraps, never cut.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        from ui.shell.screen_fit import fit_window

        fit_window(self, 640, 760)


def show_sheet(parent: QWidget | None = None) -> ShortcutSheet:
    """Open the F1 sheet (non-modal, so the reviewer can keep it beside the case)."""
    sheet = ShortcutSheet(parent)
    sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    sheet.show()
    return sheet
