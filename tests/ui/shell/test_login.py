"""Login dialog: success, the failure message, lockout with its unlock time, demo accounts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.auth import MAX_FAILED_LOGINS
from app.runtime import standalone
from tests.workflow_fixtures import World
from ui.shell.login import DemoAccount, LoginDialog
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot: QtBot, world: World, tasks: TaskManager) -> LoginDialog:
    d = LoginDialog(standalone(world.store), tasks, "ws-test")
    qtbot.addWidget(d)
    d.show()
    return d


def _type(qtbot: QtBot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)
    dialog.password.setFocus()


def test_login_success_with_enter(qtbot: QtBot, dialog: LoginDialog) -> None:
    _type(qtbot, dialog, "alice", "alice-pass-1")
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as done:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    actor = done.args[0]
    assert actor.username == "alice" and actor.role == "reviewer"
    assert dialog.actor == actor
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_wrong_password_shows_message(qtbot: QtBot, dialog: LoginDialog) -> None:
    _type(qtbot, dialog, "alice", "wrong-password")
    with qtbot.waitSignal(dialog.login_failed, timeout=10_000) as failed:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert failed.args == ["用户名或密码错误。"]
    assert dialog.message.isVisible() and dialog.message.text() == "用户名或密码错误。"
    assert dialog.isVisible() and dialog.actor is None
    assert not dialog.password.isReadOnly()  # ready for another try


def test_empty_fields_are_refused_without_a_query(qtbot: QtBot, dialog: LoginDialog) -> None:
    with qtbot.waitSignal(dialog.login_failed, timeout=1_000) as failed:
        dialog.submit()
    assert "请输入" in failed.args[0]


def test_lockout_after_five_failures_shows_unlock_time(
    qtbot: QtBot, dialog: LoginDialog, world: World
) -> None:
    for _ in range(MAX_FAILED_LOGINS):
        _type(qtbot, dialog, "bob", "not-bobs-password")
        with qtbot.waitSignal(dialog.login_failed, timeout=10_000):
            dialog.submit()
    # Even the right password is refused now, with the time the lock ends.
    _type(qtbot, dialog, "bob", "bob-pass-1")
    with qtbot.waitSignal(dialog.login_failed, timeout=10_000) as failed:
        dialog.submit()
    from app.auth import list_users

    bob = next(u for u in list_users(world.store) if u.username == "bob")
    assert bob.locked_until is not None
    until = bob.locked_until.astimezone().strftime("%Y-%m-%d %H:%M")
    assert "锁定" in failed.args[0] and until in failed.args[0]
    assert until in dialog.message.text()


def test_demo_accounts_are_listed_and_fill_the_form(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    accounts = [DemoAccount("alice", "alice-pass-1", "审核员"), DemoAccount("sup", "sup-pass-1")]
    d = LoginDialog(standalone(world.store), tasks, "ws-test", accounts)
    qtbot.addWidget(d)
    d.show()
    assert d.demo_list is not None and d.demo_list.topLevelItemCount() == 2
    item = d.demo_list.topLevelItem(0)
    assert (item.text(0), item.text(1)) == ("alice", "alice-pass-1")
    d._fill_from_demo(item, 0)
    assert d.username.text() == "alice" and d.password.text() == "alice-pass-1"
    with qtbot.waitSignal(d.logged_in, timeout=10_000):
        qtbot.keyClick(d.password, Qt.Key.Key_Return)
