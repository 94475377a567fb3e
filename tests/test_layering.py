"""The import direction is ui → app → reviewdb, never back; app/ is Qt-free."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{p.relative_to(ROOT)} imports {m}"
        for p, m in _imports(package)
        if any(m == f or m.startswith(f + ".") for f in forbidden)
    ]


def test_reviewdb_imports_neither_app_nor_ui_nor_qt() -> None:
    assert _violations("reviewdb", ("app", "ui", "PySide6")) == []


def test_app_imports_no_ui_and_no_qt_widgets() -> None:
    assert _violations("app", ("ui", "PySide6.QtWidgets", "PySide6.QtGui")) == []


def test_checker_sees_imports() -> None:
    # The checker must be able to fail: it does see app's imports of reviewdb.
    assert any(m.startswith("reviewdb") for _, m in _imports("app"))


def test_ui_reaches_the_store_only_through_app() -> None:
    # The window goes through app.workbench / app.runtime, never to reviewdb directly.
    assert _violations("ui", ("reviewdb",)) == []


def _dynamic_imports(package: str) -> list[tuple[Path, str]]:
    """importlib.import_module("…") calls with a literal name: imports all the same."""
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
                in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((path, node.args[0].value))
    return found


def test_the_command_line_starts_the_gui_in_one_place_only() -> None:
    # `reviewdesk gui` loads ui.shell.app at run time (so the commands run without Qt), and
    # `reviewdesk selftest` its window step: the only imports of ui/ from app/, counted here.
    into_ui = [
        (p.relative_to(ROOT).as_posix(), m)
        for p, m in _dynamic_imports("app")
        if m == "ui" or m.startswith("ui.")
    ]
    assert sorted(into_ui) == [
        ("app/cli/gui.py", "ui.shell.app"),
        ("app/cli/selftest.py", "ui.shell.selftest_window"),  # the self-test's window step
        ("app/cli/station.py", "ui.station.app"),  # the school door's verification station
    ]
    assert [m for _, m in _dynamic_imports("reviewdb") if m.split(".")[0] in ("app", "ui")] == []
