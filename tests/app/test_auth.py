"""Users, login and lockout on SQLite and PostgreSQL: refusals, store-time locks, journal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from app import auth
from app.auth import (
    AccountDisabled,
    AccountLocked,
    Actor,
    AuthError,
    LoginFailed,
    NotAllowed,
    UserAdminError,
)
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import District, JournalEntry, User

WS = "ws-test"
PW = "correct horse"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")


def _districts(store: Store) -> None:
    with store.write() as s:
        for code, name in (("990001", "测试一区"), ("990002", "测试二区")):
            s.add(
                District(
                    code=code,
                    name=name,
                    city="测试市",
                    letterhead=name,
                    office=name,
                    seal_text=name,
                )
            )


@pytest.fixture
def admin(store: Store) -> Actor:
    _districts(store)
    auth.create_user(store, by=None, username="boss", role="admin", districts=[], password=PW)
    return auth.login(store, "boss", PW, WS)


def _journal(store: Store) -> list[JournalEntry]:
    with store.read() as s:
        entries = list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
        s.expunge_all()  # keep the loaded values when the read session rolls back
        return entries


def _actions(store: Store) -> list[str]:
    return [e.action for e in _journal(store)]


def _user(store: Store, username: str) -> User:
    with store.read() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        s.expunge(user)
        return user


def test_create_and_login(store: Store, admin: Actor) -> None:
    made = auth.create_user(
        store,
        by=admin,
        username="ann",
        role="reviewer",
        districts=["测试一区", "990002"],  # a name and a code
        password="ann-secret",
        display_name="王安",
    )
    assert made.districts == ("990001", "990002")
    actor = auth.login(store, "ann", "ann-secret", "ws-7")
    assert actor == Actor(
        user_id=made.user_id,
        username="ann",
        display_name="王安",
        role="reviewer",
        districts=("990001", "990002"),
        reviewer_code="R0002",
        workstation="ws-7",
    )
    assert not actor.can_supervise and not actor.can_manage_users
    assert admin.can_manage_users and not admin.can_supervise
    assert admin.reviewer_code == "R0001"
    stored = _user(store, "ann")
    assert stored.password_hash.startswith("$argon2id$")
    assert "ann-secret" not in stored.password_hash


def test_wrong_password_and_unknown_user_say_the_same(store: Store, admin: Actor) -> None:
    with pytest.raises(LoginFailed) as wrong:
        auth.login(store, "boss", "not the password", WS)
    with pytest.raises(LoginFailed) as unknown:
        auth.login(store, "nobody", "not the password", WS)
    assert wrong.value.message == unknown.value.message
    assert "用户名或密码错误" in wrong.value.message
    assert isinstance(wrong.value, AuthError)


def test_lockout_after_exactly_five_failures(store: Store, admin: Actor) -> None:
    for _ in range(4):
        with pytest.raises(LoginFailed):
            auth.login(store, "boss", "bad password", WS)
    assert auth.login(store, "boss", PW, WS).username == "boss"  # resets the counter
    assert _user(store, "boss").failed_logins == 0

    for _ in range(4):
        with pytest.raises(LoginFailed):
            auth.login(store, "boss", "bad password", WS)
    assert _user(store, "boss").locked_until is None
    with pytest.raises(LoginFailed):
        auth.login(store, "boss", "bad password", WS)  # the fifth
    locked_until = _user(store, "boss").locked_until
    assert locked_until is not None

    with store.read() as s:
        now = journal.store_now(s)
    assert dt.timedelta(minutes=14) < locked_until - now <= dt.timedelta(minutes=15)

    with pytest.raises(AccountLocked) as exc:
        auth.login(store, "boss", PW, WS)  # the right password is refused too
    assert exc.value.until == locked_until
    assert f"{locked_until.astimezone():%H:%M}" in exc.value.message
    # Attempts during the lock neither extend it nor count.
    with pytest.raises(AccountLocked):
        auth.login(store, "boss", "bad password", WS)
    assert _user(store, "boss").locked_until == locked_until
    info = {u.username: u for u in auth.list_users(store)}["boss"]
    assert info.locked_until == locked_until


def test_unlocks_after_fifteen_minutes(store: Store, admin: Actor) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            auth.login(store, "boss", "bad password", WS)
    with pytest.raises(AccountLocked):
        auth.login(store, "boss", PW, WS)
    # Move the lock into the past instead of sleeping: as if 15 minutes went by.
    with store.write() as s:
        past = journal.store_now(s) - dt.timedelta(seconds=1)
        s.execute(update(User).where(User.username == "boss").values(locked_until=past))
    # After the lock the count starts afresh: one failure does not lock again.
    with pytest.raises(LoginFailed):
        auth.login(store, "boss", "bad password", WS)
    assert _user(store, "boss").locked_until is None
    assert _user(store, "boss").failed_logins == 1
    assert auth.login(store, "boss", PW, WS).username == "boss"
    assert _user(store, "boss").failed_logins == 0
    assert auth.list_users(store)[0].locked_until is None


def test_disabled_user_is_refused(store: Store, admin: Actor) -> None:
    auth.create_user(
        store, by=admin, username="ann", role="reviewer", districts=["990001"], password=PW
    )
    auth.disable_user(store, admin, "ann")
    with pytest.raises(AccountDisabled):
        auth.login(store, "ann", PW, WS)
    # A wrong password does not reveal that the account exists and is disabled.
    with pytest.raises(LoginFailed):
        auth.login(store, "ann", "bad password", WS)
    assert [u.disabled for u in auth.list_users(store)] == [True, False]
    with pytest.raises(UserAdminError, match="already disabled"):
        auth.disable_user(store, admin, "ann")
    with pytest.raises(NotAllowed, match="yourself"):
        auth.disable_user(store, admin, "boss")


def test_only_an_admin_creates_users_after_bootstrap(store: Store, admin: Actor) -> None:
    with pytest.raises(NotAllowed):
        auth.create_user(store, by=None, username="eve", role="admin", districts=[], password=PW)
    auth.create_user(
        store, by=admin, username="sup", role="supervisor", districts=["990001"], password=PW
    )
    sup = auth.login(store, "sup", PW, WS)
    assert sup.can_supervise and not sup.can_manage_users
    with pytest.raises(NotAllowed, match="only an admin"):
        auth.create_user(
            store, by=sup, username="eve", role="reviewer", districts=["990001"], password=PW
        )
    with pytest.raises(NotAllowed):
        auth.disable_user(store, sup, "boss")
    # A forged Actor claiming to be an admin gets the role the store knows.
    forged = Actor(sup.user_id, "sup", "sup", "admin", (), sup.reviewer_code, WS)
    with pytest.raises(NotAllowed):
        auth.create_user(
            store, by=forged, username="eve", role="reviewer", districts=["990001"], password=PW
        )
    assert [u.username for u in auth.list_users(store)] == ["boss", "sup"]


def test_first_user_may_be_any_role(store: Store) -> None:
    _districts(store)
    first = auth.create_user(
        store, by=None, username="solo", role="reviewer", districts=["990001"], password=PW
    )
    assert first.role == "reviewer" and first.reviewer_code == "R0001"


def test_validation(store: Store, admin: Actor) -> None:
    def add(**kw: object) -> Actor:
        args: dict[str, object] = {
            "username": "ann",
            "role": "reviewer",
            "districts": ["990001"],
            "password": PW,
        }
        args.update(kw)
        return auth.create_user(store, by=admin, **args)  # type: ignore[arg-type]

    with pytest.raises(UserAdminError, match="at least one district"):
        add(districts=[])
    with pytest.raises(UserAdminError, match="at least one district"):
        add(role="supervisor", districts=[])
    with pytest.raises(UserAdminError, match="unknown district"):
        add(districts=["nowhere"])
    with pytest.raises(UserAdminError, match="unknown role"):
        add(role="root")
    with pytest.raises(UserAdminError, match="too short"):
        add(password="short")
    with pytest.raises(UserAdminError, match="invalid username"):
        add(username="has space")
    add()
    with pytest.raises(UserAdminError, match="already exists"):
        add()
    assert add(username="bob").reviewer_code == "R0003"
    assert [u.username for u in auth.list_users(store)] == ["ann", "bob", "boss"]


def test_set_password(store: Store, admin: Actor) -> None:
    auth.create_user(
        store, by=admin, username="ann", role="reviewer", districts=["990001"], password=PW
    )
    auth.create_user(
        store, by=admin, username="bob", role="reviewer", districts=["990001"], password=PW
    )
    ann = auth.login(store, "ann", PW, WS)
    auth.set_password(store, ann, "ann", "ann-new-password")
    with pytest.raises(LoginFailed):
        auth.login(store, "ann", PW, WS)
    assert auth.login(store, "ann", "ann-new-password", WS).username == "ann"
    with pytest.raises(NotAllowed):
        auth.set_password(store, ann, "bob", "hijacked-password")

    # An admin's reset also lifts a lockout.
    for _ in range(5):
        with pytest.raises(LoginFailed):
            auth.login(store, "bob", "bad password", WS)
    with pytest.raises(AccountLocked):
        auth.login(store, "bob", PW, WS)
    auth.set_password(store, admin, "bob", "bob-new-password")
    assert auth.login(store, "bob", "bob-new-password", WS).username == "bob"


def test_login_upgrades_a_weak_hash(
    store: Store, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _user(store, "boss").password_hash
    monkeypatch.delenv(auth.ENV_FAST_HASH)
    auth.login(store, "boss", PW, WS)
    upgraded = _user(store, "boss").password_hash
    assert upgraded != fast and "m=65536" in upgraded
    assert _journal(store)[-1].payload.get("rehashed") is True


def test_every_action_is_journaled_and_verifies(store: Store, admin: Actor) -> None:
    auth.create_user(
        store, by=admin, username="ann", role="reviewer", districts=["990001"], password=PW
    )
    auth.set_password(store, admin, "ann", "ann-new-password")
    with pytest.raises(LoginFailed):
        auth.login(store, "ann", "wrong password 1", WS)
    with pytest.raises(LoginFailed):
        auth.login(store, "ghost", "wrong password 2", WS)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            auth.login(store, "ann", "wrong password 3", WS)
    with pytest.raises(AccountLocked):
        auth.login(store, "ann", "ann-new-password", WS)
    auth.disable_user(store, admin, "ann")

    entries = _journal(store)
    assert [e.action for e in entries] == [
        "user_add",  # bootstrap boss
        "login",  # the admin fixture
        "user_add",
        "user_passwd",
        "login_failed",
        "login_failed",  # ghost
        *["login_failed"] * 4,
        "login_locked",
        "user_disable",
    ]
    assert entries[0].actor is None and entries[0].payload["bootstrap"] is True
    assert entries[2].actor == "boss" and entries[2].payload["username"] == "ann"
    assert entries[5].actor is None and entries[5].payload == {
        "username": "ghost",
        "reason": "unknown_user",
    }
    assert entries[9].payload["failed_logins"] == 5 and "locked_until" in entries[9].payload
    assert entries[-1].payload == {"username": "ann"}
    for e in entries:
        text = str(e.payload)
        for secret in (PW, "ann-new-password", "wrong password"):
            assert secret not in text
        assert e.change_seq is not None
    with store.read() as s:
        result = journal.verify(s)
    assert result.ok and result.checked == len(entries)


def test_refused_changes_leave_no_journal_entry(store: Store, admin: Actor) -> None:
    before = _actions(store)
    with pytest.raises(UserAdminError):
        auth.create_user(
            store, by=admin, username="ann", role="reviewer", districts=[], password=PW
        )
    with pytest.raises(NotAllowed):
        auth.disable_user(store, admin, "boss")
    assert _actions(store) == before
