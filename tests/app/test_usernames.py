"""User names (issue 13): NFKC + casefold, one script, no whitespace or invisible characters.

The rule lives in ``app.auth.normalize_username`` and is applied when a user is created and
on every lookup: a name typed in full-width letters or capitals finds its user, a look-alike
made with a letter of another script is refused at creation and simply not found at login.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import auth
from app.auth import Actor, LoginFailed, UserAdminError
from reviewdb.engine import Store
from reviewdb.models import District, JournalEntry, User

WS = "ws-test"
PW = "correct horse"
CYRILLIC_I = "l\u0456.na"  # 'lі.na': U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
FULL_WIDTH = "\uff4c\uff49.\uff4e\uff41"  # 'ｌｉ.ｎａ'


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")


@pytest.fixture
def admin(store: Store) -> Actor:
    with store.write() as s:
        s.add(
            District(
                code="990001",
                name="测试一区",
                city="测试市",
                letterhead="测试一区",
                office="测试一区",
                seal_text="测试一区",
            )
        )
    auth.create_user(store, by=None, username="admin", role="admin", districts=[], password=PW)
    return auth.login(store, "admin", PW, WS)


def _add(store: Store, by: Actor, username: str) -> Actor:
    return auth.create_user(
        store, by=by, username=username, role="reviewer", districts=["990001"], password=PW
    )


def _refusal(store: Store, by: Actor, username: str) -> str:
    with pytest.raises(UserAdminError) as exc:
        _add(store, by, username)
    message = exc.value.message
    assert "\n" not in message
    assert all(unicodedata.category(ch) != "Cc" for ch in message), repr(message)
    return message


def _stored_names(store: Store) -> list[str]:
    with store.read() as s:
        return sorted(s.scalars(select(User.username)))


# --- through the store ------------------------------------------------------


def test_cyrillic_lookalike_refused_at_creation_and_not_found_at_login(
    store: Store, admin: Actor
) -> None:
    _add(store, admin, "li.na")
    message = _refusal(store, admin, CYRILLIC_I)
    assert "mixes scripts" in message and "Latin" in message and "Cyrillic" in message
    assert "U+0456" in message
    assert _stored_names(store) == ["admin", "li.na"]

    with pytest.raises(LoginFailed) as lookalike:
        auth.login(store, CYRILLIC_I, PW, WS)
    with pytest.raises(LoginFailed) as wrong:
        auth.login(store, "li.na", "not the password", WS)
    assert lookalike.value.message == wrong.value.message
    # Greek omicron in a Latin name: the same refusal.
    assert "Greek" in _refusal(store, admin, "le\u03bf")


def test_full_width_and_capitals_find_the_user(store: Store, admin: Actor) -> None:
    made = _add(store, admin, "li.na")
    assert made.username == "li.na"
    for typed in (FULL_WIDTH, "LI.NA", "Li.Na", "\uff2c\uff29.\uff2e\uff21"):
        actor = auth.login(store, typed, PW, WS)
        assert actor.username == "li.na" and actor.user_id == made.user_id
    # Creating the same name again in another form is "already exists", not a second user.
    with pytest.raises(UserAdminError, match="already exists"):
        _add(store, admin, FULL_WIDTH)
    # set_password and disable_user look the name up the same way.
    auth.set_password(store, admin, "LI.NA", "li.na-new-password")
    assert auth.login(store, FULL_WIDTH, "li.na-new-password", WS).username == "li.na"
    auth.disable_user(store, admin, FULL_WIDTH)
    assert [u.disabled for u in auth.list_users(store) if u.username == "li.na"] == [True]


def test_full_width_name_is_stored_normalised(store: Store, admin: Actor) -> None:
    made = _add(store, admin, "\uff3a\uff28\uff21\uff2e\uff27.\uff2a\uff29\uff21\uff2e")
    assert made.username == "zhang.jian"
    assert _stored_names(store) == ["admin", "zhang.jian"]
    assert auth.login(store, "zhang.jian", PW, WS).user_id == made.user_id


def test_authenticate_cli_normalises(
    store: Store, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(store, admin, "li.na")
    monkeypatch.setenv("REVIEWDESK_PASSWORD", PW)
    assert auth.authenticate_cli(store, FULL_WIDTH).username == "li.na"
    with pytest.raises(LoginFailed):
        auth.authenticate_cli(store, CYRILLIC_I)


def test_authenticate_cli_prompt_never_echoes_control_characters(
    store: Store, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return PW

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    with pytest.raises(LoginFailed):
        auth.authenticate_cli(store, "ad\x1b[2Jmin")
    assert len(prompts) == 1 and "\x1b" not in prompts[0] and "U+001B" in prompts[0]


def test_nul_and_space_refused(store: Store, admin: Actor) -> None:
    nul = _refusal(store, admin, "li\x00na")
    assert "control" in nul and "U+0000" in nul and "\x00" not in nul
    for spaced in ("li na", "li\tna", " li.na", "li.na\n", "li\u3000na", "li\u00a0na"):
        assert "whitespace" in _refusal(store, admin, spaced), repr(spaced)
    for invisible in ("li\u200bna", "li\u200dna", "li\u202ena", "li\ufeffna", "li\u00adna"):
        assert "invisible" in _refusal(store, admin, invisible), repr(invisible)
    assert _stored_names(store) == ["admin"]
    with pytest.raises(LoginFailed):
        auth.login(store, "ad\x00min", PW, WS)


def test_length_limits(store: Store, admin: Actor) -> None:
    assert "longer than 64" in _refusal(store, admin, "a" * 65)
    assert "longer than 64" in _refusal(store, admin, "审" * 100_000)
    assert "empty" in _refusal(store, admin, "")
    assert _add(store, admin, "a" * 64).username == "a" * 64
    assert _add(store, admin, "审" * 64).username == "审" * 64


def test_han_only_name_accepted(store: Store, admin: Actor) -> None:
    made = _add(store, admin, "李娜")
    assert made.username == "李娜" and made.display_name == "李娜"
    assert auth.login(store, "李娜", PW, WS).user_id == made.user_id
    assert _add(store, admin, "王磊2").username == "王磊2"  # digits go with any one script
    # Han mixed with Latin is two scripts.
    assert "mixes scripts" in _refusal(store, admin, "li娜")


def test_demo_names_unchanged(store: Store, admin: Actor) -> None:
    for name in ("li.na", "zhang.jian", "wang.lei", "chen.jing"):
        assert _add(store, admin, name).username == name
        assert auth.login(store, name, PW, WS).username == name
    assert _stored_names(store) == ["admin", "chen.jing", "li.na", "wang.lei", "zhang.jian"]


def test_refused_lookups_are_journaled_as_unknown_users(store: Store, admin: Actor) -> None:
    with pytest.raises(LoginFailed):
        auth.login(store, CYRILLIC_I, PW, WS)
    with store.read() as s:
        last = s.scalars(select(JournalEntry).order_by(JournalEntry.seq.desc())).first()
        assert last is not None
        assert (last.action, last.actor) == ("login_failed", None)
        assert last.payload["reason"] == "unknown_user"


def test_admin_lookups_name_the_problem(store: Store, admin: Actor) -> None:
    with pytest.raises(UserAdminError, match="mixes scripts"):
        auth.disable_user(store, admin, CYRILLIC_I)
    with pytest.raises(UserAdminError, match="no user li.na"):
        auth.set_password(store, admin, FULL_WIDTH, "whatever-password")


def test_a_user_stored_before_the_rule_can_still_log_in(store: Store, admin: Actor) -> None:
    """Names were case-sensitive before issue 13: an existing 'Ann' keeps working."""
    made = _add(store, admin, "ann")
    with store.write() as s:
        s.scalars(select(User).where(User.id == made.user_id)).one().username = "Ann"
    assert auth.login(store, "Ann", PW, WS).user_id == made.user_id
    # ...and a new 'ann' would be the same person.
    with pytest.raises(UserAdminError, match="already exists"):
        _add(store, admin, "ANN")
    # An admin can still reach a stored look-alike that the rule now refuses, to disable it.
    with store.write() as s:
        s.scalars(select(User).where(User.id == made.user_id)).one().username = CYRILLIC_I
    with pytest.raises(LoginFailed):
        auth.login(store, CYRILLIC_I, PW, WS)
    auth.disable_user(store, admin, CYRILLIC_I)


# --- the function itself ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("li.na", "li.na"),
        ("admin", "admin"),
        ("Zhang.Jian", "zhang.jian"),
        (FULL_WIDTH, "li.na"),
        ("ｗａｎｇ＿ｌｅｉ－２", "wang_lei-2"),
        ("李娜", "李娜"),
        ("\u674e\u5a1c", "李娜"),
        ("\uf900", "\u8c48"),  # a CJK compatibility ideograph becomes the unified one
        ("Straße", "strasse"),  # casefold, not lower
        ("jose\u0301", "josé"),  # decomposed accent composed by NFKC
        ("Ирина", "ирина"),
        ("ελένη", "ελένη"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("たなか", "たなか"),
        ("山田たろう", "山田たろう"),  # Han with Hiragana: Japanese (UTS 39 augmented sets)
        ("김민수", "김민수"),
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana
        ("राम", "राम"),  # Devanagari with a vowel sign (a combining mark)
        ("user_01", "user_01"),
    ],
)
def test_normalize_accepts(typed: str, stored: str) -> None:
    assert auth.normalize_username(typed) == stored
    assert auth.normalize_username(stored) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (CYRILLIC_I, "mixes scripts"),
        ("pаypal", "mixes scripts"),  # Cyrillic а
        ("li娜", "mixes scripts"),
        ("ΑΒC", "mixes scripts"),
        ("ann٣", "mixes scripts"),  # an Arabic-Indic digit in a Latin name
        ("١2", "number systems"),  # Arabic-Indic with ASCII digits
        ("li@na", "only letters"),
        ("li+na", "only letters"),
        ("li/na", "only letters"),
        ("☃", "only letters"),
        ("\u0301abc", "combining mark"),
        ("a\u0308\ufe0f", "invisible"),  # variation selector
        ("li\u3164na", "invisible"),  # Hangul filler
        ("li\x00na", "control"),
        ("li\x7fna", "control"),
        ("li\ud800na", "control"),  # a lone surrogate (undecodable bytes in argv)
        ("li\U000e0001na", "invisible"),
        ("li na", "whitespace"),
        ("li\u2028na", "whitespace"),
        ("", "empty"),
        ("x" * 65, "longer than 64"),
        ("\ufdfa", "whitespace"),  # NFKC expands this one character into four words
    ],
)
def test_normalize_refuses(typed: str, problem: str) -> None:
    with pytest.raises(UserAdminError) as exc:
        auth.normalize_username(typed)
    message = exc.value.message
    assert problem in message, message
    assert "\n" not in message
    assert not any(unicodedata.category(ch) in ("Cc", "Cs", "Cf") for ch in message), repr(message)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_normalize_is_idempotent_or_refuses(typed: str) -> None:
    try:
        stored = auth.normalize_username(typed)
    except UserAdminError as exc:
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in exc.message)
        return
    assert auth.normalize_username(stored) == stored
    assert 1 <= len(stored) <= 64
