"""`reviewdesk selftest`: passes here, names the step that breaks, never touches the user's data."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import cli, config, logs
from app.cli import selftest
from app.intake import imaging
from app.notices import render

pytestmark = pytest.mark.gui  # the window step opens the main window (offscreen)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _app(qapp: Any) -> Iterator[None]:
    """pytest-qt's QApplication: the selftest reuses the running one, as the GUI would."""
    yield
    logs.close()


def _snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "logs" not in p.parts}


def test_selftest_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["selftest"]) == 0
    out, err = capsys.readouterr()
    assert out == "selftest ok\n"
    assert err == ""


def test_verbose_names_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["selftest", "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [name for name, _ in selftest.STEPS]
    assert lines[-1] == "selftest ok"


def test_a_broken_step_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise imaging.ImageUnreadable("Pillow cannot decode this JPEG", "image/jpeg")

    monkeypatch.setattr(imaging, "decode_for_display", broken)
    assert cli.main(["selftest"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("selftest failed at image: ImageUnreadable: Pillow cannot decode")
    assert "Traceback" not in err
    # The traceback is kept in the log file for whoever looks into it.
    log_text = (config.log_dir() / logs.LOG_FILE).read_text(encoding="utf-8")
    assert "selftest failed at image" in log_text and "Traceback" in log_text


def test_a_notice_that_does_not_read_back_fails_the_notice_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = render.render_notice

    def blank_name(data: Any) -> bytes:
        import dataclasses

        return real(dataclasses.replace(data, student_name="某某"))

    monkeypatch.setattr(render, "render_notice", blank_name)
    assert cli.main(["selftest"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("selftest failed at notice: the rendered notice does not read back '")


def test_a_failing_step_stops_the_run_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    folders: list[Path] = []

    def first(ctx: selftest.Context) -> None:
        seen.append("first")
        folders.append(ctx.folder)
        (ctx.folder / "marker").write_text("x")

    def second(ctx: selftest.Context) -> None:
        raise selftest.StepFailed("the widget is missing")

    def third(ctx: selftest.Context) -> None:
        seen.append("third")

    result = selftest.run_selftest((("first", first), ("second", second), ("third", third)))
    assert result == ("second", "the widget is missing")
    assert seen == ["first"]
    assert not folders[0].exists()


def test_selftest_never_opens_the_users_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = config.data_dir()
    data.mkdir(parents=True, exist_ok=True)
    (data / "settings.json").write_text('{"central_url": "postgresql://nowhere.invalid/x"}')
    user_db = tmp_path / "users-store.db"
    monkeypatch.setenv(config.ENV_DB, f"sqlite:///{user_db}")
    monkeypatch.setenv(config.ENV_CENTRAL, "postgresql://nowhere.invalid/central")
    before = _snapshot(data)
    assert cli.main(["selftest"]) == 0
    assert not user_db.exists()
    assert _snapshot(data) == before  # no store, no workstation id, no keys, no settings
    assert os.environ[config.ENV_DB] == f"sqlite:///{user_db}"  # the environment is restored
    assert os.environ[config.ENV_DATA] == str(data)


def test_db_and_central_options_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["selftest", "--db", "sqlite:///x.db"]) == 2
    assert "temporary store of its own" in capsys.readouterr().err
    assert cli.main(["selftest", "--central", "postgresql://x/y"]) == 2


def test_the_selftest_loads_the_gui_only_at_run_time() -> None:
    # Like `reviewdesk gui`, the selftest reaches ui/ by name while it runs (its window step,
    # ui/shell/selftest_window.py, counted by tests/test_layering.py), so that importing the
    # commands needs no Qt: no import statement of ui/ or Qt's widgets appears here.
    tree = ast.parse((ROOT / "app" / "cli" / "selftest.py").read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [m for m in imported if m.split(".")[0] == "ui"]
    assert not [m for m in imported if m in ("PySide6.QtWidgets", "PySide6.QtGui")]
    assert (ROOT / "ui" / "shell" / "selftest_window.py").is_file()


@pytest.mark.parametrize(
    "template", [["selftest", "X"], ["selftest", "--db", "X"], ["selftest", "--central", "X"]]
)
def test_hostile_text_is_refused_in_one_line(
    template: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # The contract of tests/app/cli/test_hostile_arguments.py, for this command.
    for value in (os.fsdecode(b"\xff\xfe\xc3("), "a\x00b", "审" * 100_000, "NO-SUCH-CASE"):
        code = cli.main([value if a == "X" else a for a in template])
        out, err = capsys.readouterr()
        assert code == 2
        assert "Traceback" not in out + err and len(err.splitlines()) == 1
        assert "selftest ok" not in out
