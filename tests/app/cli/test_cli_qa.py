"""`reviewdesk qa ...` through the real entry point on a real store: the draw a seed
reproduces, a reviewer's verdict, a supervisor's settlement, the report file, and the
refusals (one line each, the documented exit code, nothing changed)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.cli import main
from app.review import qa
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from reviewdb.models import Case, Decision, QaDraw, QaSample
from tests.integration.sync_fixtures import central_world, workstation
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

SEED = "2026-抽查-第1批"
ALL = ["--percent", "guardianship=100", "rural_house=100", "kinship=100"]


def _world(url: str, tmp_path: Path, n_cases: int = 4) -> Iterator[World]:
    store = Store(url, tmp_path / "blobs")
    migrate.upgrade(store)
    yield build_world(store, tmp_path / "pkgs", n_cases=n_cases)
    store.dispose()


@pytest.fixture
def world(db_url: str, tmp_path: Path) -> Iterator[World]:
    """Four cases of 东湖区 on SQLite and on PostgreSQL."""
    yield from _world(db_url, tmp_path)


@pytest.fixture
def local_world(sqlite_url: str, tmp_path: Path) -> Iterator[World]:
    """The same on SQLite only (for the long tables of refusals)."""
    yield from _world(sqlite_url, tmp_path)


@pytest.fixture
def world8(sqlite_url: str, tmp_path: Path) -> Iterator[World]:
    """Eight cases of 东湖区 on SQLite (a file that can be copied as another computer's)."""
    yield from _world(sqlite_url, tmp_path, n_cases=8)


def url_of(store: Store) -> str:
    return store.url.render_as_string(hide_password=False)


def _approve(world: World, who: str, *case_nos: str) -> None:
    desk = Workbench(standalone(world.store), getattr(world, who))
    for case_no in case_nos:
        desk.claim(case_no)
        desk.decide(case_no, DecisionInput("approve"))


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    world: World,
    user: str,
    *args: str,
) -> tuple[int, str, str]:
    """``reviewdesk qa ARGS --db URL --user USER`` in this process: exit code, out, err."""
    monkeypatch.setenv("REVIEWDESK_PASSWORD", f"{user}-pass-1")
    code = main(["qa", *args, "--db", url_of(world.store), "--user", user])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert len(err.splitlines()) <= 1, err
    return code, out.strip(), err.strip()


def _drawn(out: str) -> list[str]:
    """The case numbers under ``drawn: N`` in a draw's answer."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("drawn: "))
    count = int(lines[start].split()[1])
    cases = [line.strip() for line in lines[start + 1 : start + 1 + count]]
    assert all(line.startswith("  ") for line in lines[start + 1 : start + 1 + count])
    return cases


def _field(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"{name}: ")).split(": ", 1)[1]


def _copy_sqlite(world: World, tmp_path: Path) -> Store:
    """Another computer's copy of the same store (same approvals, same decision ids)."""
    target = tmp_path / "copy.db"
    with (
        contextlib.closing(sqlite3.connect(str(world.store.url.database))) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return Store(f"sqlite:///{target}", tmp_path / "blobs")


def test_a_seeded_draw_takes_what_qa_chosen_says_and_a_copy_draws_the_same(
    world8: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = world8
    store = world.store
    _approve(world, "alice", *world.cases[:4])
    _approve(world, "bob", *world.cases[4:])
    with store.read() as s:
        approvals = s.execute(
            select(Decision.id, Case.case_no)
            .join(Case, Case.id == Decision.case_id)
            .where(Decision.outcome == "approve")
        ).all()
    expected = {case_no for decision_id, case_no in approvals if qa.chosen(SEED, decision_id, 50)}
    copy = _copy_sqlite(world, tmp_path)

    code, out, err = run(
        capsys, monkeypatch, world, "sup", "draw", "--seed", SEED, "--percent", "guardianship=50"
    )
    assert (code, err) == (0, "")
    assert _field(out, "seed") == SEED
    assert _field(out, "percent (nanchang-2026)") == "guardianship 50%, rural_house 10%, kinship 5%"
    assert _field(out, "considered").startswith("8 approvals")
    assert set(_drawn(out)) == expected and len(_drawn(out)) == len(expected)
    assert _field(out, "unassigned") == "0"
    with store.read() as s:
        assert s.scalar(select(QaDraw.seed)) == SEED

    # The same seed over the same approvals on another computer's copy: the same cases.
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "sup-pass-1")
    code = main(
        ["qa", "draw", "--seed", SEED, "--percent", "guardianship=50%"]
        + ["--db", url_of(copy), "--user", "sup"]
    )
    again, _ = capsys.readouterr()
    assert code == 0 and sorted(_drawn(again)) == sorted(_drawn(out))
    copy.dispose()

    # Each approval is weighed by one draw only: a second draw here finds nothing new.
    code, out, _ = run(capsys, monkeypatch, world, "sup", "draw", "--seed", SEED, *ALL)
    assert code == 0 and _field(out, "considered").startswith("0 ")
    assert _drawn(out) == []


def test_a_draw_without_seed_prints_the_seed_that_reproduces_it(
    world8: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = world8
    _approve(world, "alice", *world.cases)
    copy = _copy_sqlite(world, tmp_path)
    code, out, _ = run(capsys, monkeypatch, world, "sup", "draw", "--percent", "guardianship=50")
    seed = _field(out, "seed")
    assert code == 0 and len(seed) == 32
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "sup-pass-1")
    argv = ["qa", "draw", "--seed", seed, "--percent", "guardianship=50"]
    assert main([*argv, "--db", url_of(copy), "--user", "sup"]) == 0
    again, _ = capsys.readouterr()
    assert sorted(_drawn(again)) == sorted(_drawn(out))
    copy.dispose()


def test_a_reviewer_lists_their_samples_and_gives_verdicts(
    world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = world.cases[:2]
    _approve(world, "alice", first, second)
    code, out, _ = run(capsys, monkeypatch, world, "sup", "draw", *ALL)
    assert code == 0 and sorted(_drawn(out)) == sorted([first, second])

    # alice never checks her own approvals; bob, the district's other reviewer, has both.
    assert run(capsys, monkeypatch, world, "alice", "list")[1] == "no 抽查 samples waiting for you"
    code, out, _ = run(capsys, monkeypatch, world, "bob", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].startswith(first) and "监护关系" in lines[0] and "approved by alice" in lines[0]
    assert "南昌市东湖区育新学校" in lines[0]
    assert lines[-1].startswith("2 waiting for your verdict")
    decision_id = lines[1].rsplit("decision ", 1)[1]

    code, out, err = run(capsys, monkeypatch, world, "bob", "verdict", first, "--agree")
    assert (code, out, err) == (0, f"{first}: 同意 recorded (approval by alice)", "")
    # by the decision id `qa list` showed, and with a comment
    code, out, _ = run(
        capsys,
        monkeypatch,
        world,
        "bob",
        "verdict",
        decision_id,
        "--disagree",
        "--comment",
        "离婚协议未写明抚养权归属",
    )
    assert code == 0 and out.startswith(f"{second}: 不同意 recorded")
    assert run(capsys, monkeypatch, world, "bob", "list")[1] == "no 抽查 samples waiting for you"
    with world.store.read() as s:
        verdicts = dict(s.execute(select(QaSample.decision_id, QaSample.verdict)).all())
    assert sorted(str(v) for v in verdicts.values()) == ["agree", "disagree"]
    assert verdicts[decision_id] == "disagree"

    # once only
    code, out, err = run(capsys, monkeypatch, world, "bob", "verdict", first, "--agree")
    assert (code, out) == (1, "")
    assert err == (
        f"refused: {first}: your verdict (agree) is already recorded; nothing was changed"
    )


def test_a_supervisor_upholds_and_overturns_and_the_report_is_written(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upheld, rejected, returned = world.cases[:3]
    _approve(world, "alice", upheld, rejected, returned)
    assert run(capsys, monkeypatch, world, "sup", "draw", *ALL)[0] == 0
    for case_no in (upheld, rejected, returned):
        code, _, _ = run(
            capsys, monkeypatch, world, "bob", "verdict", case_no, "--disagree", "--comment",
            "材料\n不全\x1b[31m",
        )  # fmt: skip
        assert code == 0

    code, out, _ = run(capsys, monkeypatch, world, "sup", "disagreements")
    lines = out.splitlines()
    assert code == 0 and lines[-1].startswith("3 waiting to be settled")
    assert "checked by bob" in lines[0] and "approved by alice" in lines[0]
    # someone else's comment, shown on one line and without its escape sequence
    assert lines[1] == "  不同意: 材料 不全\ufffd[31m"

    code, out, err = run(
        capsys, monkeypatch, world, "sup", "settle", upheld, "--uphold", "--comment", "材料齐全"
    )
    assert (code, out, err) == (0, f"{upheld}: approval upheld, case stays approved", "")
    code, out, _ = run(
        capsys,
        monkeypatch,
        world,
        "sup",
        "settle",
        rejected,
        "--overturn",
        "--outcome",
        "reject",
        "--reason",
        "NOT_DIVORCED",
        "--comment",
        "未离婚",
    )
    assert code == 0 and out.startswith(f"{rejected}: approval overturned, case now rejected")
    code, out, _ = run(
        capsys,
        monkeypatch,
        world,
        "sup",
        "settle",
        returned,
        "--overturn",
        "--outcome",
        "return",
        "--missing",
        "hukou_self",
        "--note",
        "请补交户口本本人页",
    )
    assert code == 0 and out.startswith(f"{returned}: approval overturned, case now returned")
    assert run(capsys, monkeypatch, world, "sup", "disagreements")[1] == (
        "no 抽查 disagreements waiting"
    )
    with world.store.read() as s:
        statuses = dict(s.execute(select(Case.case_no, Case.status)).all())
        new = s.scalars(
            select(Decision).where(Decision.outcome == "reject", Decision.effective.is_(True))
        ).one()
        assert new.comment == "未离婚" and new.reviewer_id == world.sup.user_id
    assert [statuses[c] for c in (upheld, rejected, returned)] == [
        "approved",
        "rejected",
        "returned",
    ]

    sheet = tmp_path / "抽查报告.xlsx"
    code, out, err = run(capsys, monkeypatch, world, "sup", "report", "--out", str(sheet))
    table = out.splitlines()
    assert (code, err) == (0, "")
    assert table[0].split() == [
        "reviewer", "approvals", "sampled", "checked", "agreed", "disagreed", "disagreement",
        "rate", "overturned",
    ]  # fmt: skip
    assert table[1].split() == ["alice", "3", "3", "3", "0", "3", "100.0%", "2"]
    assert table[-1] == f"wrote the 抽查 report (1 reviewer) to {sheet}"
    book = openpyxl.load_workbook(sheet)
    rows = list(book["抽查报告"].iter_rows(values_only=True))
    assert rows == [qa.REPORT_COLUMNS, ("alice", 3, 3, 3, 0, 3, 1, 2)]
    assert book["抽查报告"]["G2"].number_format == "0.0%"

    flat = tmp_path / "report.CSV"
    assert run(capsys, monkeypatch, world, "sup", "report", "--out", str(flat))[0] == 0
    assert list(csv.reader(io.StringIO(flat.read_text("utf-8-sig")))) == [
        list(qa.REPORT_COLUMNS),
        ["alice", "3", "3", "3", "0", "3", "1.0", "2"],
    ]


def _counts(world: World) -> tuple[int, int, int, int]:
    with world.store.read() as s:
        return (
            s.scalar(select(func.count()).select_from(QaDraw)) or 0,
            s.scalar(select(func.count()).where(QaSample.verdict.is_not(None))) or 0,
            s.scalar(select(func.count()).where(QaSample.settlement.is_not(None))) or 0,
            s.scalar(select(func.count()).select_from(Decision)) or 0,
        )


@pytest.fixture
def disputed(
    local_world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> World:
    """cases[0] approved by alice, drawn, and disputed by bob; cases[1] approved, drawn,
    waiting for bob's verdict."""
    world = local_world
    _approve(world, "alice", *world.cases[:2])
    assert run(capsys, monkeypatch, world, "sup", "draw", *ALL)[0] == 0
    argv = ["verdict", world.cases[0], "--disagree", "--comment", "不对"]
    assert run(capsys, monkeypatch, world, "bob", *argv)[0] == 0
    return world


@pytest.mark.parametrize(
    ("user", "args", "says"),
    [
        (
            "alice",
            ["draw"],
            "refused: drawing 抽查 samples is for supervisors and admins; you are a reviewer; "
            "ask a supervisor of the district",
        ),
        ("alice", ["disagreements"], "refused: settling 抽查 disagreements is for supervisors"),
        ("bob", ["report"], "refused: the 抽查 report is for supervisors and admins"),
        (
            "alice",
            ["verdict", "{1}", "--agree"],
            "refused: {1}: this 抽查 sample is not assigned to you; `reviewdesk qa list` shows",
        ),
        ("carol", ["verdict", "{1}", "--agree"], "no case {1} in your districts"),
        ("bob", ["verdict", "{2}", "--agree"], "refused: {2} was not drawn for 抽查; "),
        (
            "sup",
            ["settle", "{1}", "--uphold"],
            "refused: {1}: no 抽查 disagreement to settle; `reviewdesk qa disagreements` lists",
        ),
        (
            "admin",
            ["settle", "{0}", "--uphold"],
            "refused: settling a 抽查 disagreement needs a supervisor; ask a supervisor",
        ),
        (
            "sup",
            ["settle", "{0}", "--overturn", "--outcome", "reject"],
            "refused: a rejection needs at least one reason (--reason CODE)",
        ),
        (
            "sup",
            ["settle", "{0}", "--overturn", "--outcome", "reject", "--reason", "NO_SUCH"],
            "refused: unknown reason NO_SUCH for a guardianship case; choose from ",
        ),
        (
            "sup",
            ["settle", "{0}", "--overturn", "--outcome", "return"],
            "refused: a return needs the missing documents (--missing ITEM)",
        ),
    ],
)
def test_refusals_are_one_line_exit_1_and_change_nothing(
    disputed: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    args: list[str],
    says: str,
) -> None:
    cases = {"{0}": disputed.cases[0], "{1}": disputed.cases[1], "{2}": disputed.cases[2]}
    args = [cases.get(a, a) for a in args]
    for key, case_no in cases.items():
        says = says.replace(key, case_no)
    before = _counts(disputed)
    code, out, err = run(capsys, monkeypatch, disputed, user, *args)
    assert (code, out) == (1, "") and err.startswith(says), err
    assert _counts(disputed) == before


def test_four_eyes_a_supervisor_does_not_settle_a_sample_of_their_own_approval(
    world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _approve(world, "sup2", world.cases[0])
    assert run(capsys, monkeypatch, world, "sup", "draw", *ALL)[0] == 0
    with world.store.read() as s:
        assigned = s.scalar(select(QaSample.assigned_to))
    [checker] = [who for who in ("alice", "bob") if getattr(world, who).user_id == assigned]
    args = ["verdict", world.cases[0], "--disagree", "--comment", "x"]
    assert run(capsys, monkeypatch, world, checker, *args)[0] == 0
    code, _, err = run(capsys, monkeypatch, world, "sup2", "settle", world.cases[0], "--uphold")
    assert code == 1 and err == (
        "refused: four-eyes: you cannot settle a 抽查 sample of your own approval; "
        "another supervisor of the district must settle it"
    )
    code, out, _ = run(capsys, monkeypatch, world, "sup", "settle", world.cases[0], "--uphold")
    assert code == 0 and "upheld" in out


LONG = "审" * 100_000


@pytest.mark.parametrize(
    ("user", "args", "code", "says"),
    [
        ("sup", ["draw", "--percent", "kindergarten=5"], 2, "unknown case kind 'kindergarten': "),
        ("sup", ["draw", "--percent", "guardianship=150"], 2, "'150' is not a percentage from 0"),
        ("sup", ["draw", "--percent", "guardianship=-1"], 2, "is not a percentage from 0 to 100"),
        ("sup", ["draw", "--percent", "guardianship=nan"], 2, "is not a percentage from 0 to 100"),
        ("sup", ["draw", "--percent", "guardianship=1e999"], 2, "is not a percentage from 0"),
        ("sup", ["draw", "--percent", "guardianship"], 2, "not KIND=PERCENT: 'guardianship'"),
        (
            "sup",
            ["draw", "--percent", "kinship=5", "--percent", "kinship=6"],
            2,
            "qa draw: --percent names kinship twice",
        ),
        ("sup", ["draw", "--seed", LONG], 2, "qa draw: the seed has 100,000 characters; at most"),
        ("sup", ["draw", "--seed", "a\tb"], 2, "qa draw: the seed holds control characters"),
        ("sup", ["draw", "--seed", "  "], 2, "qa draw: the seed is empty"),
        ("sup", ["draw", "--seed", "a\x00b"], 2, "argument 4 is not valid text"),
        ("sup", ["draw", "--seed", "\udcff\udcfe"], 2, "is not valid text (invalid UTF-8"),
        ("bob", ["verdict", "{1}", "--disagree"], 2, "--disagree needs --comment TEXT"),
        ("bob", ["verdict", "{1}", "--disagree", "--comment", " "], 2, "needs --comment"),
        ("bob", ["verdict", "{1}", "--agree", "--disagree"], 2, "not allowed with argument"),
        ("bob", ["verdict", "{1}"], 2, "one of the arguments --agree --disagree is required"),
        ("bob", ["verdict", "{1}", "--agree", "--comment", LONG], 1, "refused: comment: 100,000"),
        ("bob", ["verdict", LONG, "--agree"], 1, "no case 审审审"),
        ("sup", ["settle", "{0}", "--uphold", "--comment", LONG], 1, "refused: comment: 100,000"),
        ("sup", ["settle", "{0}", "--uphold", "--outcome", "reject"], 2, "--outcome go with"),
        ("sup", ["settle", "{0}", "--overturn"], 2, "--overturn needs --outcome reject"),
        ("sup", ["settle", "{0}", "--overturn", "--outcome", "approve"], 2, "invalid choice"),
        ("sup", ["settle", "{0}"], 2, "one of the arguments --uphold --overturn is required"),
        ("sup", ["report", "--out", "report.txt"], 2, "'report.txt' is neither .xlsx nor .csv"),
        ("sup", ["report", "--out", "nowhere/report.xlsx"], 1, "cannot write "),
        ("sup", ["shuffle"], 2, "invalid choice: 'shuffle'"),
    ],
)
def test_bad_input_gets_one_clear_line_never_a_traceback(
    disputed: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    args: list[str],
    code: int,
    says: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    cases = {"{0}": disputed.cases[0], "{1}": disputed.cases[1]}
    args = [cases.get(a, a) for a in args]
    before = _counts(disputed)
    got, out, err = run(capsys, monkeypatch, disputed, user, *args)
    assert (got, out) == (code, "") and says in err, err
    assert len(err) < 600  # what was typed is not echoed back in full
    assert _counts(disputed) == before
    assert not list(tmp_path.glob("report.*")) and not list(tmp_path.glob(".report*"))


def test_qa_on_a_workstation_with_a_central_store_goes_to_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The command's road is the window's: the draw and the verdict are the central
    store's, and the workstation's copy lists them."""
    central, there = central_world(f"sqlite:///{tmp_path / 'central.db'}", tmp_path)
    ws = workstation(central, tmp_path)
    alice = Workbench(ws.desk, there.alice)
    alice.claim(there.cases[0])
    alice.decide(there.cases[0], DecisionInput("approve"))
    local = url_of(ws.local)
    ws.local.dispose()
    road = ["--db", local, "--central", url_of(central)]
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "sup-pass-1")
    everything = ["guardianship=100", "rural_house=100", "kinship=100"]
    code = main(["qa", "draw", "--seed", "s", "--percent", *everything, *road, "--user", "sup"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert there.cases[0] in out
    with central.read() as s:
        assert s.scalar(select(func.count()).select_from(QaSample)) == 1
    monkeypatch.setenv("REVIEWDESK_PASSWORD", "bob-pass-1")
    code = main(["qa", "list", *road, "--user", "bob"])
    out, err = capsys.readouterr()
    assert code == 0 and there.cases[0] in out, err
    code = main(["qa", "verdict", there.cases[0], "--agree", *road, "--user", "bob"])
    assert code == 0, capsys.readouterr().err
    with central.read() as s:
        assert s.scalar(select(QaSample.verdict)) == "agree"
    central.dispose()


def test_invalid_utf8_bytes_through_the_operating_system(disputed: World, tmp_path: Path) -> None:
    # As a terminal with another encoding would send them: a real process, real argv bytes.
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "REVIEWDESK_PASSWORD": "bob-pass-1",
        "REVIEWDESK_DATA": str(tmp_path / "data"),
    }
    argv = [sys.executable, "-m", "app", "qa", "verdict", disputed.cases[1], "--disagree"]
    done = subprocess.run(
        [*argv, "--comment", b"\xff\xfe\xc3(", "--db", url_of(disputed.store), "--user", "bob"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "not valid text" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    done = subprocess.run(
        [*argv, "--comment", "驳回理由不充分", "--db", url_of(disputed.store), "--user", "bob"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8").startswith(f"{disputed.cases[1]}: 不同意 recorded")


def test_qa_alone_asks_for_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "the following arguments are required" in err
    assert len(err.strip().splitlines()) == 1
