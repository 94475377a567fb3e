"""`reviewdesk --version`, and the log files: rotating, no ID numbers, no passwords."""

from __future__ import annotations

import logging
import logging.handlers
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli, config, logs
from app.errors import write_crash_log
from app.notices.model import mask_id_number

ROOT = Path(__file__).resolve().parents[3]
ID_NUMBER = "36010220180512341X"
OTHER_ID = "360102201709210025"


def _pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return str(tomllib.loads(text)["project"]["version"])


@pytest.fixture(autouse=True)
def _no_handlers_left() -> Iterator[None]:
    yield
    logs.close()


def _log_text(path: Path | None) -> str:
    assert path is not None
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _rotating() -> list[logging.handlers.RotatingFileHandler]:
    return [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    ]


def test_version_flag_prints_the_version_from_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    out, err = capsys.readouterr()
    assert out == f"reviewdesk {_pyproject_version()}\n"
    assert err == ""
    assert logs.program_version() == _pyproject_version()


def test_version_flag_in_a_separate_process_says_one_line() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"reviewdesk {_pyproject_version()}"]
    assert proc.stderr == ""


def test_help_lists_the_version_flag() -> None:
    cli._load_command_modules()
    assert "--version" in cli.build_parser().format_help()


def test_every_command_writes_to_the_rotating_log_in_the_log_directory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--version"]) == 0
    path = config.log_dir() / logs.LOG_FILE
    text = _log_text(path)
    assert f"reviewdesk {_pyproject_version()} command started" in text
    assert len(_rotating()) == 1
    cli.main(["--version"])
    assert len(_rotating()) == 1  # main() again replaces its handler, it does not add one
    rotating = _rotating()[0]
    assert (rotating.maxBytes, rotating.backupCount) == (1_000_000, 5)


def test_an_id_number_is_masked_in_the_log_file(tmp_path: Path) -> None:
    path = logs.setup("test", directory=tmp_path)
    log = logging.getLogger("app.test")
    log.warning("student %s, guardian %s checked", ID_NUMBER, OTHER_ID)
    log.info("inline id=%s;", OTHER_ID.lower())
    text = _log_text(path)
    assert ID_NUMBER not in text and OTHER_ID not in text
    assert f"student {mask_id_number(ID_NUMBER)}, guardian {mask_id_number(OTHER_ID)}" in text
    assert "360102********341X" in text  # first 6 and last 4 kept, as the JSON output does
    assert "id=360102********0025;" in text


def test_an_id_number_in_a_traceback_is_masked(tmp_path: Path) -> None:
    path = logs.setup("test", directory=tmp_path)
    try:
        raise ValueError(f"bad facts for {ID_NUMBER}")
    except ValueError:
        logging.getLogger("app.test").exception("import failed")
    text = _log_text(path)
    assert "ValueError: bad facts for 360102********341X" in text
    assert ID_NUMBER not in text


def test_longer_or_shorter_numbers_are_left_alone(tmp_path: Path) -> None:
    path = logs.setup("test", directory=tmp_path)
    logging.getLogger("app.test").warning("case 202636010200017 serial 12345678901234567890")
    text = _log_text(path)
    assert "case 202636010200017 serial 12345678901234567890" in text


def test_passwords_never_reach_the_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.ENV_PASSWORD, "s3cret-Passw0rd")
    path = logs.setup("test", directory=tmp_path)
    log = logging.getLogger("app.test")
    log.warning("login failed with s3cret-Passw0rd for alice")
    log.warning("cannot reach postgresql+psycopg://ws:hunter2@db.example:5432/central")
    log.warning("conninfo host=db user=ws password=hunter3 dbname=central")
    text = _log_text(path)
    for secret in ("s3cret-Passw0rd", "hunter2", "hunter3"):
        assert secret not in text
    assert "postgresql+psycopg://ws:***@db.example:5432/central" in text
    assert "password=*** dbname=central" in text


def test_the_log_rotates_and_keeps_five_older_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup("test", directory=tmp_path)
    log = logging.getLogger("app.test")
    for i in range(400):
        log.info("line %04d %s", i, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [logs.LOG_FILE] + [f"{logs.LOG_FILE}.{i}" for i in range(1, 6)]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())


def test_an_unwritable_log_directory_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert logs.setup("test", directory=blocker / "logs") is None
    logging.getLogger("app.test").warning("still fine")


def test_crash_logs_are_masked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_PASSWORD, "crash-pass-99")
    try:
        raise RuntimeError(f"{ID_NUMBER} crash-pass-99")
    except RuntimeError as exc:
        path = write_crash_log(type(exc), exc, exc.__traceback__, directory=tmp_path)
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert ID_NUMBER not in text and "crash-pass-99" not in text
    assert "RuntimeError: 360102********341X ***" in text
