"""`reviewdesk demo` through the real intake: 200 cases, every finding code, no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app import config
from app.cli import main
from app.policy import checks
from app.store import open_store
from reviewdb.models import FindingRow, User


@pytest.fixture(autouse=True)
def _small_images(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWDESK_DEMO_IMAGE_SIZE", "320x240")
    monkeypatch.setenv("REVIEWDESK_FAST_HASH", "1")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.slow
def test_demo_fills_a_store_once(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # A pool of 3 images per document type keeps this quick; the cases are the same.
    argv = ("demo", "--cases", "200", "--seed", "1", "--image-pool", "3", "--db", sqlite_url)
    code, out = _run(capsys, *argv)
    assert code == 0, out
    assert "demo: 200 cases imported (3 kinds), 0 rejected" in out
    assert "demo accounts (shown once):" in out
    assert "demo-zhang.jian-2026" in out

    code, out = _run(capsys, "queue", "--json", "--db", sqlite_url)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 200
    assert {r["kind"] for r in rows} == {"guardianship", "rural_house", "kinship"}

    store = open_store(config.resolve(sqlite_url))
    with store.read() as session:
        codes = set(session.scalars(select(FindingRow.code).distinct()))
        users = sorted(session.scalars(select(User.username)))
    assert codes == set(checks.FINDING_CODES)
    assert users == ["admin", "chen.jing", "li.na", "wang.lei", "zhang.jian"]

    flagged = next(r for r in rows if r["finding_count"])
    code, out = _run(capsys, "show", flagged["case_id"], "--json", "--db", sqlite_url)
    assert code == 0
    assert json.loads(out)["findings"]

    # Again: nothing new, no second set of accounts or passwords.
    code, out = _run(capsys, *argv)
    assert code == 0, out
    assert "demo: 0 cases imported (0 kinds), 0 rejected, 200 already imported" in out
    assert "demo accounts" not in out
    with store.read() as session:
        assert len(list(session.scalars(select(User.username)))) == 5


def test_packages_import_once(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "packages"
    code, out = _run(
        capsys, "demo", "--cases", "12", "--seed", "2", "--packages", str(out_dir), "--zip"
    )
    assert code == 0
    assert "demo: 12 zip packages written to" in out
    zips = sorted(str(p) for p in out_dir.glob("*.zip"))
    assert len(zips) == 12
    assert not (tmp_path / "store.db").exists()  # --packages touches no database

    assert _run(capsys, "init", "--db", sqlite_url)[0] == 0
    code, out = _run(capsys, "import", "--db", sqlite_url, *zips)
    assert code == 0, out
    lines = out.splitlines()
    assert len(lines) == 12 and all(line.startswith("imported ") for line in lines)
    code, out = _run(capsys, "import", "--db", sqlite_url, *zips)
    assert code == 0, out
    again = out.splitlines()
    assert [line.split()[-1] for line in again] == [line.split()[-1] for line in lines]
    assert all(line.startswith("already imported ") for line in again)


def test_folder_packages_share_pool_images_by_hard_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "folders"
    argv = ("demo", "--cases", "20", "--seed", "3", "--image-pool", "1", "--packages", str(out_dir))
    code, out = _run(capsys, *argv)
    assert code == 0
    folders = [p for p in out_dir.iterdir() if p.is_dir()]
    assert len(folders) == 20
    assert all((p / "manifest.json").is_file() for p in folders)
    images = [f for p in folders for f in (p / "img").iterdir()]
    assert any(f.stat().st_nlink > 1 for f in images)
    assert not (out_dir / ".demo-image-pool").exists()


def test_ensure_demo_fills_only_an_empty_store(sqlite_url: str) -> None:
    from app.auth import user_count
    from app.cli.demo import ensure_demo

    settings = config.resolve(sqlite_url)
    seen: list[tuple[int, int]] = []
    assert ensure_demo(settings, cases=6, image_pool=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (6, 6)
    store = open_store(settings)
    assert user_count(store) == 5
    assert not ensure_demo(settings, cases=6, image_pool=1)  # not empty any more


def _case_facts(store: object) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from reviewdb.models import Application, Case, Student

    with store.read() as s:  # type: ignore[attr-defined]
        rows = s.execute(
            select(Case.kind, Student.name, Student.id_number)
            .join(Application, Application.id == Case.application_id)
            .join(Student, Student.id == Application.student_id)
            .order_by(Student.id_number)
        ).all()
    return [tuple(r) for r in rows]


def test_first_start_imports_a_small_batch_then_the_rest_the_same_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window's first start: a few cases before the login, the rest afterwards; in the
    # end the store holds exactly the cases of a whole run, and a stop half-way resumes.
    from app.cli.demo import continue_demo, demo_pending, ensure_demo

    monkeypatch.setenv("REVIEWDESK_DEMO_IMAGE_SIZE", "320x240")
    staged = config.resolve(f"sqlite:///{tmp_path / 'staged.db'}")
    whole = config.resolve(f"sqlite:///{tmp_path / 'whole.db'}")
    seen: list[tuple[int, int]] = []
    assert ensure_demo(staged, cases=30, first_batch=4, progress=lambda d, t: seen.append((d, t)))
    store = open_store(staged)
    assert len(_case_facts(store)) == 4 and demo_pending(store)
    assert seen[-1] == (4, 4)
    late: list[tuple[int, int]] = []
    assert continue_demo(store, progress=lambda d, t: late.append((d, t))) == 26
    assert late[-1] == (30, 30) and not demo_pending(store)
    assert continue_demo(store) == 0  # nothing left
    assert ensure_demo(whole, cases=30)
    assert _case_facts(store) == _case_facts(open_store(whole))


def test_a_supervisor_sees_the_demo_stores_season_on_the_desk(sqlite_url: str) -> None:
    """The desk on the demo store (issue 17): the demo supervisor logs in; after the demo
    reviewers decide some of their cases through the workflow, the desk's numbers are the
    store's, counted here in SQL."""
    from sqlalchemy import func

    from app.cli.demo import demo_accounts, ensure_demo
    from app.review.workflow import DecisionInput
    from app.runtime import standalone
    from app.workbench import QueueFilters, Workbench
    from reviewdb.models import Case, Decision

    settings = config.resolve(sqlite_url)
    assert ensure_demo(settings, cases=12, image_pool=1)
    desk = standalone(open_store(settings))
    decided = 0
    for account in demo_accounts():
        if account.role != "reviewer":
            continue
        wb = Workbench(desk, desk.login(account.username, account.password, "ws-test"))
        for row in wb.queue_page("pending", QueueFilters(), limit=2):
            wb.claim(row.case_id)
            wb.decide(row.case_id, DecisionInput("approve"))
            decided += 1
    assert decided >= 3
    sup_account = next(a for a in demo_accounts() if a.role == "supervisor")
    sup = Workbench(desk, desk.login(sup_account.username, sup_account.password, "ws-test"))
    numbers = sup.desk_numbers()
    with desk.store.read() as s:
        open_cases = s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.status.in_(("pending", "confirming", "returned")))
        )
        standing = s.scalar(select(func.count()).select_from(Decision).where(Decision.effective))
        per_reviewer = dict(
            s.execute(
                select(User.display_name, func.count())
                .join(Decision, Decision.reviewer_id == User.id)
                .where(Decision.effective)
                .group_by(User.display_name)
            ).all()
        )
    assert numbers.open_cases == open_cases and open_cases > 0
    assert numbers.decided == standing == decided
    assert {line.reviewer: line.total for line in numbers.reviewers} == per_reviewer
    assert sum(line.today for line in numbers.reviewers) == decided
