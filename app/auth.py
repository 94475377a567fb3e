"""Who is acting: users, argon2 password hashes, login with lockout, and user management.

Qt-free. Every change (and every login attempt) is journaled inside the same write
transaction as the change itself, so the journal and the users table never disagree.
Lockout times come from the store's clock, never the workstation's.

Passwords never come from command-line arguments: the CLI reads them from a prompt or
from environment variables (``REVIEWDESK_PASSWORD`` for the acting user,
``REVIEWDESK_NEW_PASSWORD`` for a password being set).

User names (issue 13) go through ``normalize_username`` when a user is created and on every
lookup: Unicode NFKC, then casefold, so ``ｌｉ.ｎａ`` and ``LI.NA`` are ``li.na``. A name is
refused when it is empty or longer than 64 characters, holds whitespace, a control or an
invisible character, or anything but letters, combining marks, digits, ``.``, ``-`` and
``_``, or when its letters come from more than one script (``lі.na`` with a Cyrillic ``і``).
"One script" is UTS #39's single-script test on the Unicode Script_Extensions property
(fontTools' copy of the Unicode data), with its augmented sets: Han goes with Hiragana and
Katakana (Japanese), Hangul (Korean) and Bopomofo; ASCII digits, ``.``, ``-`` and ``_`` go
with any script; so ``李娜`` and ``zhang.jian`` are names and ``li娜`` is not. Digits of two
number systems are refused too. At login a refused name is simply an unknown user.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fontTools import unicodedata as unicode_scripts
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app import config
from reviewdb import changes, identity, journal
from reviewdb.engine import Store
from reviewdb.errors import Refusal
from reviewdb.models import ROLES, District, User, UserDistrict

log = logging.getLogger(__name__)

Role = Literal["reviewer", "supervisor", "admin"]

ENV_NEW_PASSWORD = "REVIEWDESK_NEW_PASSWORD"
# Test-only: cheap argon2 parameters so a test can create many users quickly. Never set
# it for real use; hashes made with it are upgraded at the next normal login.
ENV_FAST_HASH = "REVIEWDESK_FAST_HASH"

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 64
_CODE_RE = re.compile(r"R(\d+)")
# Serialises user creation on PostgreSQL (bootstrap check, reviewer codes); SQLite
# writers are already serialised by BEGIN IMMEDIATE.
_PG_USERS_LOCK = 0x52445F5553455253  # "RD_USERS"


# --- errors ---------------------------------------------------------------


class AuthError(Refusal):
    """A refusal to show the person as it is (``message``), never a bug."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoginFailed(AuthError):
    """Unknown user or wrong password: deliberately the same message for both."""

    def __init__(self) -> None:
        super().__init__("用户名或密码错误 / wrong username or password")


class AccountLocked(AuthError):
    """Too many failed logins; refused until ``until`` (UTC) whatever the password."""

    def __init__(self, until: dt.datetime) -> None:
        local = until.astimezone()
        super().__init__(
            f"账户已锁定，{local:%Y-%m-%d %H:%M} 后解锁 / "
            f"account locked after {MAX_FAILED_LOGINS} failed logins until {local:%Y-%m-%d %H:%M}"
        )
        self.until = until


class AccountDisabled(AuthError):
    """The account exists and the password was right, but an admin disabled it."""

    def __init__(self) -> None:
        super().__init__("账户已停用 / this account is disabled: ask an administrator")


class AccountPaused(AuthError):
    """The password was right, but a supervisor paused the account."""

    def __init__(self, by: str | None) -> None:
        who = f"（{by}）" if by else ""
        super().__init__(
            f"账户已被主管暂停{who} / this account is paused by a supervisor: ask your supervisor"
        )


class NotAllowed(AuthError):
    """The acting user's role does not permit this."""


class UserAdminError(AuthError):
    """A user-management request that cannot be carried out as asked (bad input)."""


# --- values ---------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The logged-in person, handed across threads instead of the ORM row."""

    user_id: str
    username: str
    display_name: str
    role: Role
    districts: tuple[str, ...]
    reviewer_code: str
    workstation: str

    @property
    def can_supervise(self) -> bool:
        """Supervisors confirm and override decisions on cases in their districts."""
        return self.role == "supervisor"

    @property
    def can_manage_users(self) -> bool:
        """Only admins add, disable and reset users."""
        return self.role == "admin"


@dataclass(frozen=True)
class UserInfo:
    """One user as the user list shows it; ``locked_until`` is set only while locked."""

    username: str
    display_name: str
    role: str
    districts: tuple[str, ...]
    disabled: bool
    locked_until: dt.datetime | None
    reviewer_code: str

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "districts": list(self.districts),
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "reviewer_code": self.reviewer_code,
        }


# --- hashing --------------------------------------------------------------


def password_hasher() -> PasswordHasher:
    """argon2id with the library's defaults (RFC 9106 low-memory profile)."""
    if os.environ.get(ENV_FAST_HASH) == "1":
        return _fast_hasher()
    return _default_hasher()


@functools.cache
def _default_hasher() -> PasswordHasher:
    return PasswordHasher()


@functools.cache
def _fast_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password")


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def password_matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` (an argon2 hash) was made from."""
    return _verify(password_hasher(), stored, password)


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserAdminError(
            f"密码太短 / password too short: at least {MIN_PASSWORD_LENGTH} characters"
        )


# --- user names -----------------------------------------------------------

# Characters that go with any one script (ASCII digits and three separators).
_NEUTRAL = frozenset("0123456789.-_")
# Invisible characters that are not of a "C" category (Default_Ignorable_Code_Point):
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other
# variation selectors.
_IGNORABLE = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)
# UTS #39 augmented script sets: Han, Hiragana, Katakana, Hangul and Bopomofo combine as
# Japanese (Jpan), Korean (Kore) and Han with Bopomofo (Hanb).
_AUGMENTED = {
    "Hani": {"Hanb", "Jpan", "Kore"},
    "Hira": {"Jpan"},
    "Kana": {"Jpan"},
    "Hang": {"Kore"},
    "Bopo": {"Hanb"},
}
_ANY_SCRIPT = {"Zyyy", "Zinh"}  # Common and Inherited


def _describe(ch: str) -> str:
    """``U+0456 CYRILLIC SMALL LETTER ...``: names a character without printing it."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _refuse(problem: str) -> UserAdminError:
    return UserAdminError(f"用户名无效 / invalid username: {problem}")


def _fold(name: str) -> str:
    """NFKC, casefold, NFKC again until nothing changes (the form names are stored in)."""
    folded = unicodedata.normalize("NFKC", name)
    for _ in range(4):
        again = unicodedata.normalize("NFKC", folded.casefold())
        if again == folded:
            break
        folded = again
    return folded


def _check_characters(name: str) -> None:
    for ch in name:
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] == "Z":
            raise _refuse(f"contains whitespace ({_describe(ch)})")
        if category in ("Cc", "Cs"):
            raise _refuse(f"contains a control character ({_describe(ch)})")
        if category == "Cf" or any(lo <= ord(ch) <= hi for lo, hi in _IGNORABLE):
            raise _refuse(f"contains an invisible character ({_describe(ch)})")
        if category[0] == "C":
            raise _refuse(f"contains an unassigned or private-use character ({_describe(ch)})")


def _scripts(ch: str) -> set[str]:
    """The scripts a character is used with, augmented (UTS #39); {"Zyyy"} for none."""
    scripts = set(unicode_scripts.script_extension(ch))
    for code in list(scripts):
        scripts |= _AUGMENTED.get(code, set())
    return scripts


def _script_name(ch: str) -> str:
    code = unicode_scripts.script(ch)
    if code in _ANY_SCRIPT:
        code = sorted(unicode_scripts.script_extension(ch))[0]
    try:
        return str(unicode_scripts.script_name(code))
    except KeyError:
        return str(code)


def normalize_username(username: str) -> str:
    """The stored form of a user name (NFKC, casefold), or UserAdminError saying what is wrong.

    Accepted: 1-64 characters after normalising; letters and combining marks of one script
    (UTS #39 single script, Han included, Japanese and Korean mixes allowed), digits, ``.``,
    ``-`` and ``_``. The message names a refused character by code point, never prints it.
    """
    if not username:
        raise _refuse("empty")
    if len(username) > 4 * MAX_USERNAME_LENGTH:  # no normalising of a novel
        raise _refuse(f"longer than {MAX_USERNAME_LENGTH} characters ({len(username)})")
    _check_characters(username)
    name = _fold(username)
    _check_characters(name)  # NFKC makes spaces of some characters (U+FDFA)
    if len(name) > MAX_USERNAME_LENGTH:
        raise _refuse(f"longer than {MAX_USERNAME_LENGTH} characters ({len(name)})")

    resolved: set[str] | None = None  # the scripts every letter so far belongs to
    first = ""  # the first letter that has a script, to name in a refusal
    zeros: set[int] = set()  # number systems of the digits, by the code point of their 0
    previous = ""
    for ch in name:
        category = unicodedata.category(ch)
        if ch in _NEUTRAL:
            if category == "Nd":
                zeros.add(ord("0"))
        elif category[0] == "M":
            if not previous or previous in _NEUTRAL:
                raise _refuse(f"a combining mark must follow a letter ({_describe(ch)})")
        elif category[0] != "L" and category != "Nd":
            raise _refuse(
                f"may contain only letters, digits, '.', '-' or '_' (not {_describe(ch)})"
            )
        if category == "Nd" and ch not in _NEUTRAL:
            zeros.add(ord(ch) - unicodedata.digit(ch))
        if ch not in _NEUTRAL:
            scripts = _scripts(ch)
            if scripts <= _ANY_SCRIPT:
                if category[0] != "M":
                    raise _refuse(f"{_describe(ch)} is not a letter of any script")
            elif resolved is None:
                resolved, first = scripts, ch
            elif not resolved & scripts:
                raise _refuse(
                    f"mixes scripts {_script_name(first)} ({_describe(first)}) and "
                    f"{_script_name(ch)} ({_describe(ch)}): use one script"
                )
            else:
                resolved &= scripts
        previous = ch
    if len(zeros) > 1:
        raise _refuse("mixes digits of different number systems")
    return name


def _known_as(username: str) -> str | None:
    """The stored form of a name typed at a lookup, or None when no user can have it."""
    try:
        return normalize_username(username)
    except UserAdminError:
        return None


def _shown(username: str) -> str:
    """A typed name fit for a prompt: controls and the like as ``<U+001B>``, at most 64."""
    shown = "".join(
        ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else f"<U+{ord(ch):04X}>"
        for ch in username[:MAX_USERNAME_LENGTH]
    )
    return shown + ("…" if len(username) > MAX_USERNAME_LENGTH else "")


# --- helpers --------------------------------------------------------------


def _lock_users(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_USERS_LOCK})


def _districts_of(session: Session, user_id: str) -> tuple[str, ...]:
    rows = session.scalars(
        select(UserDistrict.district_code)
        .where(UserDistrict.user_id == user_id)
        .order_by(UserDistrict.district_code)
    ).all()
    return tuple(rows)


def _actor(session: Session, user: User, workstation: str) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=cast(Role, user.role),
        districts=_districts_of(session, user.id),
        reviewer_code=user.reviewer_code,
        workstation=workstation,
    )


def _user_by_name(session: Session, username: str, *, for_update: bool = False) -> User | None:
    stmt = select(User).where(User.username == username)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).one_or_none()


def _find_user(
    session: Session, typed: str, *, for_update: bool = False, exact_if_refused: bool = False
) -> User | None:
    """The user a typed name means: its normalised form, else a user stored before the rule.

    Names were stored as typed before issue 13 (``Ann``): such a row is found when its own
    name normalises to the same form, and only if exactly one does (or one is spelt exactly
    as typed). A name the rule refuses is nobody's, except with ``exact_if_refused``: an
    admin may still reach an old row by its exact name (to disable it); a login never does.
    """
    name = _known_as(typed)
    if name is None:
        return _user_by_name(session, typed, for_update=for_update) if exact_if_refused else None
    user = _user_by_name(session, name, for_update=for_update)
    if user is not None:
        return user
    matches = [n for n in session.scalars(select(User.username)) if _fold(n) == name]
    if len(matches) > 1 and typed in matches:
        matches = [typed]
    if len(matches) != 1:
        return None
    return _user_by_name(session, matches[0], for_update=for_update)


def _name_taken(session: Session, name: str) -> bool:
    """Whether a user already has this (normalised) name, however it was stored."""
    return any(_fold(n) == name for n in session.scalars(select(User.username)))


def _acting(session: Session, by: Actor) -> User:
    """The acting user as the store knows it now (role and state), not as ``by`` claims."""
    user = session.get(User, by.user_id)
    if user is None or user.disabled:
        raise NotAllowed(f"user {by.username} no longer exists or is disabled")
    return user


def _require_admin(session: Session, by: Actor, what: str) -> User:
    user = _acting(session, by)
    if user.role != "admin":
        raise NotAllowed(f"only an admin may {what} ({user.username} is {user.role})")
    return user


def _target(session: Session, username: str) -> User:
    user = _find_user(session, username, for_update=True, exact_if_refused=True)
    if user is None:
        raise UserAdminError(f"no user {normalize_username(username)}")  # or why it is none
    return user


def _resolve_districts(session: Session, refs: Sequence[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for ref in refs:
        code = session.scalars(
            select(District.code).where(or_(District.code == ref, District.name == ref))
        ).first()
        if code is None:
            raise UserAdminError(f"unknown district {ref} (give its code or name)")
        if code not in codes:
            codes.append(code)
    return tuple(sorted(codes))


def _next_reviewer_code(session: Session) -> str:
    highest = 0
    for code in session.scalars(select(User.reviewer_code)):
        m = _CODE_RE.fullmatch(code)
        if m:
            highest = max(highest, int(m.group(1)))
    return f"R{highest + 1:04d}"


def _record(
    session: Session,
    *,
    action: str,
    actor: str | None,
    workstation: str,
    payload: dict[str, Any],
    users: Sequence[User] = (),
) -> None:
    """Take the change counter once the work is decided (SYNC.md lesson 4), then journal."""
    value = changes.stamp(session, users)
    journal.append(
        session,
        action=action,
        actor=actor,
        workstation=workstation,
        payload=payload,
        change_seq=value,
    )


# --- user management ------------------------------------------------------


def create_user(
    store: Store,
    *,
    by: Actor | None,
    username: str,
    role: str,
    districts: Sequence[str],
    password: str,
    display_name: str | None = None,
) -> Actor:
    """Add a user. Only an admin may, except for the first user of an empty store.

    ``districts`` are codes or names. Reviewers and supervisors need at least one.
    The returned Actor carries this workstation's id but is not a login.
    """
    if role not in ROLES:
        raise UserAdminError(f"unknown role {role} (one of {', '.join(ROLES)})")
    username = normalize_username(username)
    _check_new_password(password)
    password_hash = password_hasher().hash(password)
    workstation = by.workstation if by else config.workstation_id()
    with store.write() as session:
        _lock_users(session)
        bootstrap = False
        if by is None:
            existing = session.execute(select(func.count()).select_from(User)).scalar_one()
            if existing:
                raise NotAllowed("only an admin may add users: act as an admin (--user)")
            bootstrap = True
            if role != "admin":
                log.warning("the first user %s is a %s, not an admin", username, role)
        else:
            _require_admin(session, by, "add users")
        codes = _resolve_districts(session, districts)
        if role in ("reviewer", "supervisor") and not codes:
            raise UserAdminError(f"a {role} needs at least one district (--district)")
        if _name_taken(session, username):
            raise UserAdminError(f"user {username} already exists")
        user = User(
            id=str(uuid.uuid4()),
            username=username,
            display_name=display_name or username,
            role=role,
            reviewer_code=_next_reviewer_code(session),
            password_hash=password_hash,
            disabled=False,
            failed_logins=0,
            locked_until=None,
            created_at=journal.store_now(session),
        )
        session.add(user)
        session.flush()
        for code in codes:
            session.add(UserDistrict(user_id=user.id, district_code=code))
        session.flush()
        _person_login(session, user.id, password)
        _record(
            session,
            action="user_add",
            actor=by.username if by else None,
            workstation=workstation,
            payload={
                "username": username,
                "display_name": user.display_name,
                "role": role,
                "districts": list(codes),
                "reviewer_code": user.reviewer_code,
                "bootstrap": bootstrap,
            },
            users=[user],
        )
        return _actor(session, user, workstation)


def _person_login(session: Session, user_id: str, password: str) -> None:
    """At a central PostgreSQL store, the person's own login gets this password too
    (reviewdb.identity): that is what an online login is checked against."""
    conn = session.connection()
    if identity.installed(conn):
        identity.set_person_password(conn, user_id, password)


def set_password(store: Store, by: Actor, username: str, new_password: str) -> None:
    """Set a password: an admin for anyone, anyone else only for themself.

    An admin's reset also clears a lockout.
    """
    _check_new_password(new_password)
    password_hash = password_hasher().hash(new_password)
    with store.write() as session:
        acting = _acting(session, by)
        target = _target(session, username)
        if acting.id != target.id and acting.role != "admin":
            raise NotAllowed(
                f"only an admin may change another user's password ({target.username})"
            )
        target.password_hash = password_hash
        _person_login(session, target.id, new_password)
        if acting.role == "admin":
            target.failed_logins = 0
            target.locked_until = None
        _record(
            session,
            action="user_passwd",
            actor=by.username,
            workstation=by.workstation,
            payload={"username": target.username},
            users=[target],
        )


def disable_user(store: Store, by: Actor, username: str) -> None:
    """Disable a user (admin only; never yourself, so one admin always remains)."""
    with store.write() as session:
        acting = _require_admin(session, by, "disable users")
        target = _target(session, username)
        if target.id == acting.id:
            raise NotAllowed("you cannot disable yourself")
        if target.disabled:
            raise UserAdminError(f"user {target.username} is already disabled")
        target.disabled = True
        conn = session.connection()
        if identity.installed(conn):
            identity.disable_person(conn, target.id)
        _record(
            session,
            action="user_disable",
            actor=by.username,
            workstation=by.workstation,
            payload={"username": target.username},
            users=[target],
        )


def list_users(store: Store) -> list[UserInfo]:
    """All users by username, with their districts and whether they are locked now."""
    with store.read() as session:
        now = journal.store_now(session)
        users = session.scalars(select(User).order_by(User.username)).all()
        rows = session.execute(
            select(UserDistrict.user_id, UserDistrict.district_code).order_by(
                UserDistrict.district_code
            )
        ).all()
        by_user: dict[str, list[str]] = {}
        for user_id, code in rows:
            by_user.setdefault(user_id, []).append(code)
        return [
            UserInfo(
                username=u.username,
                display_name=u.display_name,
                role=u.role,
                districts=tuple(by_user.get(u.id, ())),
                disabled=u.disabled,
                locked_until=u.locked_until
                if u.locked_until is not None and u.locked_until > now
                else None,
                reviewer_code=u.reviewer_code,
            )
            for u in users
        ]


def user_count(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(User)).scalar_one())


# --- login ----------------------------------------------------------------


class NoOfflineVerifier(AuthError):
    """Offline, and this person never logged in on this computer while online."""

    def __init__(self) -> None:
        super().__init__(
            "中心库无法连接，且此账号从未在本机在线登录过：请在网络恢复后登录"
            " / the central store is unreachable and this account has never logged in on"
            " this computer while online: log in when the network is back"
        )


# What the central store said of a password (CentralCheck's answer): True right, False
# wrong (or no such login there), None unreachable (work from the local verifier).
CentralCheck = Callable[[str, str], bool | None]


def login(
    store: Store,
    username: str,
    password: str,
    workstation: str,
    *,
    central: CentralCheck | None = None,
) -> Actor:
    """Check a password and return the Actor, or raise an AuthError.

    Order matters: a lock is checked before the password (a right password during a lock
    is still refused), and a disabled account is revealed only to the right password.
    The attempt is journaled and committed before any refusal is raised.

    With ``central`` (a workstation of a central store) the central store judges the
    password (``central(user_id, password)``); a right one becomes this computer's offline
    verifier. Unreachable, the local verifier judges — and a person who never logged in here
    while online has none (the pull never brings other people's verifiers).
    """
    hasher = password_hasher()
    verdict: bool | None = None
    if central is not None:
        known_id: str | None = None
        with store.read() as session:
            known = _find_user(session, username)
            if known is not None and not (
                known.locked_until is not None and known.locked_until > journal.store_now(session)
            ):
                known_id = known.id
        if known_id is not None:
            verdict = central(known_id, password)
    refusal: AuthError | None = None
    actor: Actor | None = None
    with store.write() as session:
        now = journal.store_now(session)
        # A name the rule refuses (a look-alike, a control character) is an unknown user.
        user = _find_user(session, username, for_update=True)
        payload: dict[str, Any] = {"username": _known_as(username) or username}
        if user is None:
            _verify(hasher, _dummy_hash(hasher), password)  # same time as a real check
            refusal = LoginFailed()
            payload["reason"] = "unknown_user"
            _record(
                session, action="login_failed", actor=None, workstation=workstation, payload=payload
            )
        elif user.locked_until is not None and user.locked_until > now:
            refusal = AccountLocked(user.locked_until)
            payload["locked_until"] = user.locked_until.isoformat()
            _record(
                session,
                action="login_locked",
                actor=user.username,
                workstation=workstation,
                payload=payload,
            )
        else:
            if user.locked_until is not None:  # the lock ran out: start counting afresh
                user.locked_until = None
                user.failed_logins = 0
            if verdict is None and central is not None and not user.password_hash:
                refusal = NoOfflineVerifier()
                payload["reason"] = "no_offline_verifier"
                action = "login_failed"
            elif not (
                verdict if verdict is not None else _verify(hasher, user.password_hash, password)
            ):
                user.failed_logins += 1
                payload.update(reason="password", failed_logins=user.failed_logins)
                if user.failed_logins >= MAX_FAILED_LOGINS:
                    user.locked_until = now + LOCKOUT
                    payload["locked_until"] = user.locked_until.isoformat()
                refusal = LoginFailed()
                action = "login_failed"
            elif user.disabled:
                refusal = AccountDisabled()
                payload["reason"] = "disabled"
                action = "login_failed"
            elif user.paused_at is not None:
                refusal = AccountPaused(user.paused_by)
                payload["reason"] = "paused"
                action = "login_failed"
            else:
                if verdict and not _verify(hasher, user.password_hash, password):
                    user.password_hash = hasher.hash(password)  # this computer's verifier
                    payload["offline_verifier"] = True
                elif user.password_hash and hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = hasher.hash(password)
                    payload["rehashed"] = True
                if user.failed_logins:
                    user.failed_logins = 0
                actor = _actor(session, user, workstation)
                action = "login"
            _record(
                session,
                action=action,
                actor=user.username,
                workstation=workstation,
                payload=payload,
                users=[user] if session.is_modified(user) else [],
            )
    if refusal is not None:
        raise refusal
    assert actor is not None
    return actor


def authenticate_cli(store: Store, username: str, *, central: CentralCheck | None = None) -> Actor:
    """Log in for one CLI command: ``REVIEWDESK_PASSWORD`` if set, else a no-echo prompt.

    The name is looked up as ``login`` does (normalised; a refused one is an unknown user).
    """
    password = os.environ.get(config.ENV_PASSWORD)
    if password is None:
        shown = _known_as(username) or _shown(username)
        try:
            password = getpass.getpass(f"password for {shown}: ")
        except EOFError:
            raise AuthError(
                f"no password given for {shown} (prompt or {config.ENV_PASSWORD})"
            ) from None
    return login(store, username, password, config.workstation_id(), central=central)


def new_password_cli(username: str) -> str:
    """A new password: ``REVIEWDESK_NEW_PASSWORD`` for scripts, else prompted twice."""
    password = os.environ.get(ENV_NEW_PASSWORD)
    if password is not None:
        return password
    shown = _known_as(username) or _shown(username)
    try:
        first = getpass.getpass(f"new password for {shown}: ")
        second = getpass.getpass(f"new password for {shown} (again): ")
    except EOFError:
        raise AuthError(f"no new password given (prompt or {ENV_NEW_PASSWORD})") from None
    if first != second:
        raise UserAdminError("密码两次输入不一致 / the two passwords do not match")
    return first
