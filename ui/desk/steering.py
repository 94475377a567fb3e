"""The desk's steering panel: the cases a reviewer holds, given to another person or
released (one, several or all), with a reason. Supervisors only: the facade and the
central store refuse everyone else, the panel just does not offer it to them."""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.review.workflow import MAX_STEERING_REASON
from app.workbench import Paused, SteeringOutcome, Workbench
from ui.shell.tasks import Generation, TaskManager


class SteeringPanel(QGroupBox):
    """认领的案件 of the selected reviewer, with 转派 and 释放."""

    changed = Signal()  # cases moved: the desk reads its numbers again
    finished = Signal(str)  # what the last action did, as shown

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("认领的案件"), parent)
        self._workbench = workbench
        self._tasks = tasks
        self._generation = Generation()
        self._username: str | None = None
        self._display = ""
        self._paused = False
        layout = QVBoxLayout(self)
        self.cases = QListWidget(self)
        self.cases.itemChanged.connect(self._update_buttons)
        layout.addWidget(self.cases, 1)
        row = QHBoxLayout()
        self.all_button = QPushButton(self.tr("全选"), self)
        self.all_button.clicked.connect(self._check_all)
        self.to_box = QComboBox(self)
        self.to_box.setToolTip(self.tr("转派给本区的另一位审核人或主管"))
        row.addWidget(self.all_button)
        row.addWidget(QLabel(self.tr("转派给"), self))
        row.addWidget(self.to_box, 1)
        layout.addLayout(row)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("原因（必填，记入审计日志）"))
        self.reason.setMaxLength(MAX_STEERING_REASON)
        self.reason.textChanged.connect(self._update_buttons)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.reassign_button = QPushButton(self.tr("转派"), self)
        self.reassign_button.clicked.connect(lambda: self._move(self.to_box.currentData()))
        self.release_button = QPushButton(self.tr("释放"), self)
        self.release_button.setToolTip(self.tr("收回认领：案件回到待审核，任何人可再认领"))
        self.release_button.clicked.connect(lambda: self._move(None))
        self.pause_button = QPushButton(self.tr("暂停账号"), self)
        self.pause_button.setToolTip(
            self.tr("暂停后此人不能登录、认领或提交决定，直到主管恢复；认领中的案件请先转派或释放")
        )
        self.pause_button.clicked.connect(self._toggle_pause)
        buttons.addWidget(self.pause_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reassign_button)
        buttons.addWidget(self.release_button)
        layout.addLayout(buttons)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.set_person(None)

    # --- loading -------------------------------------------------------------

    def set_people(self, people: Sequence[tuple[str, str, str]]) -> None:
        current = self.to_box.currentData()
        self.to_box.clear()
        for username, display, _role in people:
            self.to_box.addItem(f"{display}（{username}）", username)
        keep = self.to_box.findData(current) if current not in (None, self._username) else -1
        if keep < 0:  # someone other than the person whose cases are given away
            keep = next(
                (
                    i
                    for i in range(self.to_box.count())
                    if self.to_box.itemData(i) != self._username
                ),
                0,
            )
        self.to_box.setCurrentIndex(keep)
        self._update_buttons()

    def set_person(self, username: str | None, display: str = "", paused: bool = False) -> None:
        """Show what ``username`` holds (None: nobody selected)."""
        self._generation.advance()
        self._username, self._display, self._paused = username, display, paused
        self.pause_button.setText(self.tr("恢复账号") if paused else self.tr("暂停账号"))
        self.cases.clear()
        if username is None:
            self.setTitle(self.tr("认领的案件（选中一位审核人）"))
            self._update_buttons()
            return
        self.setTitle(self.tr("%1 认领的案件").replace("%1", display or username))
        wb = self._workbench
        self._tasks.run(
            lambda: wb.district_people(username),
            self.set_people,
            self._failed,
            generation=self._generation,
        )
        self._tasks.run(
            lambda: wb.held_by(username),
            self._held_arrived,
            self._failed,
            generation=self._generation,
        )

    def _held_arrived(self, case_nos: list[str]) -> None:
        if not shiboken6.isValid(self):
            return
        self.cases.blockSignals(True)
        self.cases.clear()
        for case_no in case_nos:
            item = QListWidgetItem(case_no, self.cases)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not case_nos:
            # Said in the list: the line below keeps what the last action did.
            empty = QListWidgetItem(self.tr("没有认领中的案件。"), self.cases)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        self.cases.blockSignals(False)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        self.result_label.setText(self.tr("未能完成：%1").replace("%1", message))
        self._update_buttons()
        self.finished.emit(self.result_label.text())

    # --- acting --------------------------------------------------------------

    def checked(self) -> list[str]:
        return [
            self.cases.item(i).text()
            for i in range(self.cases.count())
            if self.cases.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
            and self.cases.item(i).checkState() == Qt.CheckState.Checked
        ]

    def held(self) -> list[str]:
        """The cases listed (not the 'none' line)."""
        return [
            self.cases.item(i).text()
            for i in range(self.cases.count())
            if self.cases.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable
        ]

    def _check_all(self) -> None:
        for i in range(self.cases.count()):
            if self.cases.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable:
                self.cases.item(i).setCheckState(Qt.CheckState.Checked)

    def _update_buttons(self, *_args: object) -> None:
        ready = bool(self.checked()) and bool(self.reason.text().strip())
        self.release_button.setEnabled(ready)
        target = self.to_box.currentData()
        self.reassign_button.setEnabled(ready and target is not None and target != self._username)
        self.all_button.setEnabled(bool(self.held()))
        self.pause_button.setEnabled(
            self._username is not None and bool(self.reason.text().strip())
        )

    def _move(self, to_username: str | None) -> None:
        refs, reason = self.checked(), self.reason.text().strip()
        if not refs or not reason:
            return
        self.reassign_button.setEnabled(False)
        self.release_button.setEnabled(False)
        wb = self._workbench
        self._tasks.run(lambda: wb.reassign(refs, to_username, reason), self._moved, self._failed)

    def _toggle_pause(self) -> None:
        username, reason = self._username, self.reason.text().strip()
        if username is None or not reason:
            return
        self.pause_button.setEnabled(False)
        wb, pause = self._workbench, not self._paused
        self._tasks.run(
            lambda: wb.set_paused(username, pause, reason), self._paused_done, self._failed
        )

    def _paused_done(self, done: Paused) -> None:
        if not shiboken6.isValid(self):
            return
        self._paused = done.paused_at is not None
        name = self._display or done.username
        text = (
            self.tr("已暂停 %1 的账号。").replace("%1", name)
            if self._paused
            else self.tr("已恢复 %1 的账号。").replace("%1", name)
        )
        self.result_label.setText(text)
        self.reason.clear()
        self.pause_button.setText(self.tr("恢复账号") if self._paused else self.tr("暂停账号"))
        self.finished.emit(text)
        self.changed.emit()

    def _moved(self, outcomes: list[SteeringOutcome]) -> None:
        if not shiboken6.isValid(self):
            return
        done = [o for o in outcomes if o.done]
        refused = [o for o in outcomes if not o.done]
        text = self.tr("已处理 %1 件。").replace("%1", str(len(done)))
        if refused:
            text += " " + self.tr("未处理 %1 件：%2").replace("%1", str(len(refused))).replace(
                "%2", "；".join(f"{o.case_no}：{o.message}" for o in refused[:5])
            )
        self.result_label.setText(text)
        self.reason.clear()
        self.finished.emit(text)
        self.changed.emit()
        if self._username is not None:
            self.set_person(self._username, self._display, self._paused)
