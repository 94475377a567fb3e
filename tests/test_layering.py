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
