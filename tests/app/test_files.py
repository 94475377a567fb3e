"""The files people take away: whole or not at all, and cells a spreadsheet never runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.files import csv_text, written_whole


def test_the_file_appears_whole_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    part = tmp_path / ".sheet.csv.part"
    with written_whole(path) as fh:
        fh.write(b"a,b\r\n")
        assert part.exists() and not path.exists()  # beside the target, under its own name
    assert path.read_bytes() == b"a,b\r\n"
    assert not part.exists()


def test_text_is_written_in_the_encoding_with_newlines_as_given(tmp_path: Path) -> None:
    path = tmp_path / "审计.csv"
    with written_whole(path, encoding="utf-8-sig") as fh:
        fh.write("序号\r\n1\n")
    assert path.read_bytes() == "\ufeff序号\r\n1\n".encode()


def test_the_file_is_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "day.xlsx"
    events: list[str] = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), replace(a, b))[1])
    with written_whole(path) as fh:
        fh.write(b"x")
    assert events == ["fsync", "replace"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_error_or_a_cancel_leaves_the_earlier_file_and_no_part(
    tmp_path: Path, error: BaseException
) -> None:
    path = tmp_path / "backlog.csv"
    path.write_bytes(b"earlier")
    with pytest.raises(type(error)), written_whole(path) as fh:
        fh.write(b"half")
        raise error
    assert path.read_bytes() == b"earlier"
    assert list(tmp_path.iterdir()) == [path]


def test_a_folder_that_cannot_be_written_raises_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "out.csv"
    with pytest.raises(OSError), written_whole(path):
        pass
    assert not path.parent.exists()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("南昌市东湖区育新学校", "南昌市东湖区育新学校"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value: str, cell: str) -> None:
    assert csv_text(value) == cell
