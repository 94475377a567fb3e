"""The login dialog: username and password, checked off the GUI thread (argon2 takes a while).

A refusal is shown as the reason in words (wrong password, locked until when, disabled);
in demo mode the dialog lists the demo accounts and their passwords, and clicking one
fills the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.auth import AccountDisabled, AccountLocked, Actor, AuthError, LoginFailed
from app.errors import StoreError
from app.runtime import Workstation
from ui.shell import labels
from ui.shell.tasks import TaskManager


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's name, lupdate reads it
    """Marks ``text`` for lupdate; translated where it is shown."""
    return text


ROLE_TITLES = {
    "reviewer": QT_TRANSLATE_NOOP("LoginDialog", "审核员"),
    "supervisor": QT_TRANSLATE_NOOP("LoginDialog", "复核员"),
    "admin": QT_TRANSLATE_NOOP("LoginDialog", "管理员"),
}


@dataclass(frozen=True)
class DemoAccount:
    """A demo user shown on the login screen of a demo store."""

    username: str
    password: str
    role: str = ""
    note: str = ""


class LoginDialog(QDialog):
    """Asks for username and password; ``actor`` is set when the dialog is accepted."""

    logged_in = Signal(object)  # Actor
    login_failed = Signal(str)  # the message shown

    def __init__(
        self,
        desk: Workstation,
        tasks: TaskManager,
        workstation: str,
        demo_accounts: Sequence[DemoAccount] = (),
        parent: QWidget | None = None,
        *,
        store_description: str = "",
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._tasks = tasks
        self._workstation = workstation
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("登录 — 审核工作台"))
        self.setMinimumWidth(380)

        title = QLabel(self.tr("审核工作台"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        title.setFont(font)
        subtitle = QLabel(self.tr("入学补充材料审核"), self)
        subtitle.setStyleSheet("color:#5f6368;")

        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a50e0e;")
        self.message.hide()

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(
            self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        # The school door station checks printed slips without a reviewer account.
        self.station_button = self.buttons.addButton(
            self.tr("核验通知单(&V)…"), QDialogButtonBox.ButtonRole.HelpRole
        )
        self.station_window: QWidget | None = None
        # Enter is handled by the line edits; no auto-default button may catch it as well
        # (while a check runs, focus can land on 退出 and Enter would close the dialog).
        for button in (self.login_button, cancel, self.station_button):
            button.setAutoDefault(False)
        self.login_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self.station_button.clicked.connect(self.open_station)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.demo_list: QTreeWidget | None = None
        if demo_accounts:
            layout.addSpacing(6)
            hint = QLabel(self.tr("演示数据：可用以下账户登录（点击填入）"), self)
            hint.setStyleSheet("color:#5f6368;")
            layout.addWidget(hint)
            self.demo_list = QTreeWidget(self)
            self.demo_list.setRootIsDecorated(False)
            self.demo_list.setHeaderLabels([self.tr("用户名"), self.tr("密码"), self.tr("角色")])
            for account in demo_accounts:
                role = account.role
                if role in ROLE_TITLES:
                    role = QCoreApplication.translate("LoginDialog", ROLE_TITLES[role])
                item = QTreeWidgetItem([account.username, account.password, role])
                if account.note:
                    item.setToolTip(0, account.note)
                self.demo_list.addTopLevelItem(item)
            for column in range(3):
                self.demo_list.resizeColumnToContents(column)
            rows = min(len(demo_accounts), 8)
            self.demo_list.setFixedHeight(
                self.demo_list.sizeHintForRow(0) * rows
                + self.demo_list.header().sizeHint().height()
                + 6
            )
            self.demo_list.itemClicked.connect(self._fill_from_demo)
            layout.addWidget(self.demo_list)
        if store_description:
            # app/ names the store in English ("SQLite file …"): said in the interface language
            where = QLabel(labels.store_title(store_description), self)
            where.setStyleSheet("color:#80868b; font-size:small;")
            layout.addWidget(where)

        self.username.returnPressed.connect(self._username_entered)
        self.password.returnPressed.connect(self.submit)

    # --- behaviour -------------------------------------------------------------

    def _username_entered(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    def _fill_from_demo(self, item: QTreeWidgetItem, _column: int) -> None:
        self.username.setText(item.text(0))
        self.password.setText(item.text(1))
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        # Read-only rather than disabled: the focus stays where the reviewer typed.
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
        self.login_button.setEnabled(not busy)
        if busy:
            self.message.setStyleSheet("color:#5f6368;")
            self.message.setText(self.tr("正在登录…"))
            self.message.show()

    def submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._show_refusal(self.tr("请输入用户名和密码。"))
            (self.password if username else self.username).setFocus()
            return
        if not self.login_button.isEnabled():
            return  # a check is already running
        self._set_busy(True)
        desk, workstation = self._desk, self._workstation
        self._tasks.run(
            lambda: desk.login(username, password, workstation),
            self._accepted,
            self._refused,
        )

    def _accepted(self, actor: Actor) -> None:
        self.actor = actor
        self._set_busy(False)
        self.message.hide()
        self.logged_in.emit(actor)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, AuthError | StoreError):
            self._show_refusal(self.describe(error))
            self.password.selectAll()
            self.password.setFocus()
            return
        self._show_refusal(self.tr("登录时发生内部错误，已记录日志。"))
        raise error  # a bug: the crash handler logs it

    def describe(self, error: BaseException) -> str:
        if isinstance(error, AccountLocked):
            until = error.until.astimezone().strftime("%Y-%m-%d %H:%M")
            return self.tr("连续登录失败次数过多，账户已锁定，%1 后解锁。").replace("%1", until)
        if isinstance(error, LoginFailed):
            return self.tr("用户名或密码错误。")
        if isinstance(error, AccountDisabled):
            return self.tr("账户已停用，请联系管理员。")
        if isinstance(error, StoreError):
            return labels.store_problem(error)
        if isinstance(error, AuthError):
            return labels.bilingual(error.message)
        return str(error)

    def open_station(self) -> QWidget:
        """The verification station window (ui/station), reading this workstation's store
        for the state checks; one window, raised again when asked twice."""
        from ui.station.window import station_for_workstation

        window = self.station_window
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            window = station_for_workstation(self._desk, self._tasks)
            window.resize(1280, 720)
            self.station_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the line edits act on Enter; QDialog would press a button as well
        super().keyPressEvent(event)

    def _show_refusal(self, text: str) -> None:
        self.message.setStyleSheet("color:#a50e0e;")
        self.message.setText(text)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.message.show()
        self.login_failed.emit(text)
