"""`reviewdesk user/audit/history` driven through app.cli.main on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from app import auth
from app.cli import main
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.models import Application, Case, District, School, Student

ADMIN_PW = "admin-password"
ANN_PW = "ann-password"


@pytest.fixture(autouse=True)
def _fast_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(auth.ENV_FAST_HASH, "1")


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["init", "--db", url]) == 0
    store = Store(url, tmp_path / "blobs")
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
    store.dispose()
    capsys.readouterr()
    return url


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    password: str | None = None,
    new_password: str | None = None,
) -> tuple[int, str, str]:
    for var, value in (
        ("REVIEWDESK_PASSWORD", password),
        (auth.ENV_NEW_PASSWORD, new_password),
    ):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def with_users(db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    code, out, _ = run(
        capsys, monkeypatch, "user", "add", "boss", "--role", "admin", "--db", db,
        new_password=ADMIN_PW,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "user boss added: admin R0001 (all districts)")
    code, out, _ = run(
        capsys, monkeypatch, "user", "add", "ann", "--role", "reviewer",
        "--district", "测试一区", "--display-name", "王安", "--db", db, "--user", "boss",
        password=ADMIN_PW, new_password=ANN_PW,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "user ann added: reviewer R0002 (990001)")
    return db


def test_bootstrap_add_and_list(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = with_users
    code, out, _ = run(
        capsys, monkeypatch, "user", "list", "--json", "--db", db, "--user", "boss",
        password=ADMIN_PW,
    )  # fmt: skip
    assert code == 0
    users = json.loads(out)
    assert users == [
        {
            "username": "ann",
            "display_name": "王安",
            "role": "reviewer",
            "districts": ["990001"],
            "disabled": False,
            "locked_until": None,
            "reviewer_code": "R0002",
        },
        {
            "username": "boss",
            "display_name": "boss",
            "role": "admin",
            "districts": [],
            "disabled": False,
            "locked_until": None,
            "reviewer_code": "R0001",
        },
    ]
    # The outer position of --db/--user works too.
    code, out, _ = run(
        capsys, monkeypatch, "user", "--db", db, "--user", "boss", "list", password=ADMIN_PW
    )
    assert code == 0 and out.strip().endswith("2 users")


def test_refusals_are_one_line(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = with_users
    code, out, err = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", "boss", password="wrong-pw"
    )
    assert code == 1 and out == ""
    assert one_line(err) == "用户名或密码错误 / wrong username or password"
    code, _, err = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", "nobody", password="wrong-pw"
    )
    assert code == 1 and one_line(err) == "用户名或密码错误 / wrong username or password"

    # After bootstrap, adding needs an admin.
    code, _, err = run(
        capsys, monkeypatch, "user", "add", "eve", "--role", "admin", "--db", db,
        new_password="eve-password",
    )  # fmt: skip
    assert code == 1 and "--user ADMIN is required" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "add", "eve", "--role", "admin", "--db", db,
        "--user", "ann", password=ANN_PW, new_password="eve-password",
    )  # fmt: skip
    assert code == 1 and "only an admin" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", "ann", password=ANN_PW
    )
    assert code == 1 and "only an admin" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "add", "bob", "--role", "reviewer", "--db", db,
        "--user", "boss", password=ADMIN_PW, new_password="bob-password",
    )  # fmt: skip
    assert code == 1 and "at least one district" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "add", "bob", "--role", "reviewer", "--district", "火星",
        "--db", db, "--user", "boss", password=ADMIN_PW, new_password="bob-password",
    )  # fmt: skip
    assert code == 1 and "unknown district 火星" in one_line(err)
    code, _, err = run(capsys, monkeypatch, "user", "add", "bob", "--db", db)
    assert code == 2 and "--role" in one_line(err)


def test_lockout_through_the_cli(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = with_users
    for _ in range(5):
        code, _, err = run(
            capsys, monkeypatch, "user", "passwd", "ann", "--db", db, password="bad-password",
            new_password="whatever-pw",
        )  # fmt: skip
        assert code == 1 and "wrong username or password" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "passwd", "ann", "--db", db, password=ANN_PW,
        new_password="whatever-pw",
    )  # fmt: skip
    assert code == 1 and "account locked" in one_line(err)
    code, out, _ = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", "boss", password=ADMIN_PW
    )
    assert "locked until" in out


def test_passwd_and_disable(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = with_users
    # Own password: proven with the current one, the new one from the environment.
    code, out, _ = run(
        capsys, monkeypatch, "user", "passwd", "ann", "--db", db, password=ANN_PW,
        new_password="ann-second-pw",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "password changed for ann")

    # From the prompt: asked twice, and a mismatch is refused.
    answers = iter(["ann-second-pw", "ann-third-pw", "ann-third-pX"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, monkeypatch, "user", "passwd", "ann", "--db", db)
    assert code == 1 and "do not match" in one_line(err)
    answers = iter(["ann-second-pw", "ann-third-pw", "ann-third-pw"])
    code, out, _ = run(capsys, monkeypatch, "user", "passwd", "ann", "--db", db)
    assert (code, out.strip()) == (0, "password changed for ann")

    # A reviewer cannot change someone else's password.
    code, _, err = run(
        capsys, monkeypatch, "user", "passwd", "boss", "--db", db, "--user", "ann",
        password="ann-third-pw", new_password="taken-over",
    )  # fmt: skip
    assert code == 1 and "only an admin" in one_line(err)

    code, out, _ = run(
        capsys, monkeypatch, "user", "disable", "ann", "--db", db, "--user", "boss",
        password=ADMIN_PW,
    )  # fmt: skip
    assert (code, out.strip()) == (0, "user ann disabled")
    code, _, err = run(
        capsys, monkeypatch, "user", "passwd", "ann", "--db", db, password="ann-third-pw",
        new_password="whatever-pw",
    )  # fmt: skip
    assert code == 1 and "disabled" in one_line(err)
    code, _, err = run(
        capsys, monkeypatch, "user", "disable", "boss", "--db", db, "--user", "boss",
        password=ADMIN_PW,
    )  # fmt: skip
    assert code == 1 and "yourself" in one_line(err)


def test_no_password_in_arguments(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "add", "boss", "--role", "admin", "--password", "x", "--db", db]) == 2
    assert "unrecognized arguments" in one_line(capsys.readouterr().err)


def test_audit_verify(
    with_users: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = with_users
    code, out, _ = run(capsys, monkeypatch, "audit", "verify", "--db", db)
    # bootstrap user_add, login boss, user_add ann
    assert (code, out.strip()) == (0, "journal intact: 3 entries")
    code, out, _ = run(capsys, monkeypatch, "audit", "verify", "--json", "--db", db)
    assert code == 0 and json.loads(out)["ok"] is True

    copy = tmp_path / "copy.db"
    src, dst = sqlite3.connect(db.removeprefix("sqlite:///")), sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    with dst:
        dst.execute('UPDATE journal SET payload = \'{"username":"root"}\' WHERE seq = 2')
    dst.close()
    code, out, err = run(capsys, monkeypatch, "audit", "verify", "--db", f"sqlite:///{copy}")
    assert code == 1 and out == ""
    assert one_line(err) == "journal broken at entry 2: entry 2 was altered"
    code, out, _ = run(
        capsys, monkeypatch, "audit", "verify", "--json", "--db", f"sqlite:///{copy}"
    )
    assert code == 1 and json.loads(out)["broken_seq"] == 2
    # The original is untouched.
    assert run(capsys, monkeypatch, "audit", "verify", "--db", db)[0] == 0


def _case(store: Store, district: str, case_no: str) -> str:
    now = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    case_id, student_id, app_id = (str(uuid.uuid4()) for _ in range(3))
    with store.write() as s:
        school = School(district_code=district, name=f"{case_no}小学")
        s.add(school)
        s.add(Student(id=student_id, id_number=f"ID{case_no}", name="李想"))
        s.flush()
        s.add(
            Application(
                id=app_id,
                student_id=student_id,
                city="测试市",
                admission_year=2026,
                stage="primary",
                residence_basis="property",
            )
        )
        s.flush()
        s.add(
            Case(
                id=case_id,
                case_no=case_no,
                application_id=app_id,
                kind="guardianship",
                district_code=district,
                school_id=school.id,
                status="pending",
                current_round=1,
                submitted_at=now,
                student_name="李想",
                student_id_number=f"ID{case_no}",
                worst_severity=0,
                finding_count=0,
                updated_at=now,
            )
        )
    return case_id


def test_history(
    with_users: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = with_users
    store = Store(db, tmp_path / "blobs")
    mine = _case(store, "990001", "C-0001")
    other = _case(store, "990002", "C-0002")
    for action, payload in (("claim", {}), ("decide", {"outcome": "approve", "reasons": ["a"]})):
        with store.write() as s:
            journal.append(
                s, action=action, actor="ann", workstation="ws", case_id=mine, payload=payload
            )
    with store.write() as s:
        journal.append(s, action="claim", actor="zed", workstation="ws", case_id=other)
    store.dispose()

    code, out, _ = run(
        capsys, monkeypatch, "history", "C-0001", "--db", db, "--user", "ann", password=ANN_PW
    )
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].endswith("  ann  claim")
    assert lines[1].endswith("  ann  decide  outcome=approve reasons=a")
    assert lines[0] < lines[1] or lines[0][:19] == lines[1][:19]  # time first, in order
    # By uuid too, and the same answer without --user (the unscoped local view).
    assert run(capsys, monkeypatch, "history", mine, "--db", db)[1] == out

    # A case outside the reviewer's districts does not exist for them.
    code, out, err = run(
        capsys, monkeypatch, "history", "C-0002", "--db", db, "--user", "ann", password=ANN_PW
    )
    assert code == 1 and one_line(err) == "no case C-0002 in your districts"
    code, out, _ = run(capsys, monkeypatch, "history", "C-0002", "--db", db)
    assert code == 0 and out.strip().endswith("zed  claim")


def test_user_names_are_normalised_and_one_script(
    with_users: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a Cyrillic look-alike is refused, full-width letters are the same user."""
    db = with_users
    lookalike = "\u0430nn"  # Cyrillic а + 'nn': looks like ann
    code, out, err = run(
        capsys, monkeypatch, "user", "add", lookalike, "--role", "reviewer",
        "--district", "990001", "--db", db, "--user", "boss", password=ADMIN_PW,
        new_password="eve-password",
    )  # fmt: skip
    line = one_line(err)
    assert code == 1 and out == ""
    assert line == (
        "用户名无效 / invalid username: mixes scripts Cyrillic (U+0430 CYRILLIC SMALL LETTER A)"
        " and Latin (U+006E LATIN SMALL LETTER N): use one script"
    )
    code, _, err = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", lookalike, password=ANN_PW
    )
    assert code == 1 and one_line(err) == "用户名或密码错误 / wrong username or password"

    # Full-width letters and capitals are boss; a Han name is a name.
    code, out, _ = run(
        capsys, monkeypatch, "user", "add", "李娜", "--role", "reviewer", "--district",
        "990001", "--db", db, "--user", "\uff22\uff2f\uff33\uff33", password=ADMIN_PW,
        new_password="li-na-password",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "user 李娜 added: reviewer R0003 (990001)")
    code, out, _ = run(
        capsys, monkeypatch, "user", "list", "--db", db, "--user", "BOSS", password=ADMIN_PW
    )
    assert code == 0 and out.strip().endswith("3 users")
    code, _, err = run(
        capsys, monkeypatch, "user", "add", "a b", "--role", "admin", "--db", db,
        "--user", "boss", password=ADMIN_PW, new_password="eve-password",
    )  # fmt: skip
    assert code == 1 and one_line(err) == (
        "用户名无效 / invalid username: contains whitespace (U+0020 SPACE)"
    )
