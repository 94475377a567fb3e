"""`reviewdesk export decisions` through the real entry point: files, lines, exit codes."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest

from app.auth import create_user
from app.cli import main
from app.review.workflow import DecisionInput
from app.runtime import standalone
from app.workbench import Workbench
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import World, build_world

os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")

PERIOD = ["--from", "2000-01-01", "--to", "2099-12-31"]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> World:
    store = Store(sqlite_url, tmp_path / "blobs")
    migrate.upgrade(store)
    world = build_world(store, tmp_path / "pkgs", n_cases=3)
    create_user(
        store,
        by=world.admin,
        username="boss",
        role="admin",
        districts=["东湖区"],
        password="boss-pass-1",
    )
    desk = Workbench(standalone(store), world.alice)
    desk.claim(world.cases[0])
    desk.decide(world.cases[0], DecisionInput("approve"))
    desk.claim(world.cases[1])
    desk.decide(world.cases[1], DecisionInput("return", missing=("hukou_self",)))
    return world


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    user: str | None,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("REVIEWDESK_PASSWORD", f"{user}-pass-1")
    code = main([*args, "--db", url, *(["--user", user] if user else [])])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.strip(), err.strip()


def test_export_writes_the_workbook_and_says_so_in_one_line(
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "city.xlsx"
    code, line, err = run(
        capsys, monkeypatch, sqlite_url, "alice", "export", "decisions", *PERIOD, "--out", str(out)
    )
    assert (code, err) == (0, "")
    assert line == (
        f"exported 2 decided rounds of 2000-01-01 to 2099-12-31 to {out} "
        "(通过 1, 不通过 0, 退回补充 1; ID numbers masked)"
    )
    book = openpyxl.load_workbook(out)
    rows = list(book["审核结论"].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == set(world.cases[:2])
    assert list(book["合计"].iter_rows(values_only=True))[-1] == ("总计", None, 2)


def test_csv_by_format_and_a_district_sees_only_its_own(
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "west.CSV"
    code, line, _ = run(
        capsys,
        monkeypatch,
        sqlite_url,
        "carol",
        "export",
        "decisions",
        *PERIOD,
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert code == 0 and line.startswith("exported 0 decided rounds")
    assert list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))[1:] == []


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--from", "2026-06-31", "--to", "2026-07-01"], 2, "not a date (YYYY-MM-DD): 2026-06-31"),
        (["--from", "2026-07-02", "--to", "2026-07-01"], 2, "the period starts after it ends"),
        (["--format", "ods"], 2, "invalid choice: 'ods'"),
        (["--format", "csv"], 2, "the csv format goes in a file named *.csv"),
        (["--out-name", "city.txt"], 2, "city.txt is neither .xlsx nor .csv"),
        (["--out-name", "nowhere/city.xlsx"], 1, "no folder"),
        (["--full-ids"], 1, "refused: full ID numbers are exported for an administrator only"),
    ],
)
def test_bad_requests_get_one_line_and_the_documented_exit_code(
    world: World,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
    says: str,
) -> None:
    out = tmp_path / "city.xlsx"
    if args[0] == "--out-name":
        out, args = tmp_path / args[1], []
    period = [] if "--from" in args else PERIOD
    got, line, err = run(
        capsys,
        monkeypatch,
        sqlite_url,
        "alice",
        "export",
        "decisions",
        *period,
        *args,
        "--out",
        str(out),
    )
    assert (got, line) == (code, "") and says in err and len(err.splitlines()) == 1, err
    assert not out.exists()


def test_full_ids_for_an_admin_and_no_user_no_export(
    world: World, sqlite_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "full.xlsx"
    base = ["export", "decisions", *PERIOD, "--out", str(out)]
    code, _, err = run(capsys, monkeypatch, sqlite_url, None, *base)
    assert code == 2 and "--user" in err and not out.exists()
    code, line, _ = run(capsys, monkeypatch, sqlite_url, "boss", *base, "--full-ids")
    assert code == 0 and "full ID numbers (journaled)" in line
    rows = list(openpyxl.load_workbook(out)["审核结论"].iter_rows(values_only=True))
    assert rows[0][5] == "身份证号" and all("*" not in r[5] for r in rows[1:])
