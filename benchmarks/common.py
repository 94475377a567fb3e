"""Shared shape of a benchmark result: a measured figure and its floor from the same run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Result:
    """One benchmark figure and the floor it is compared with.

    ``higher_is_better`` is True for rates (packages/s, pages/s) and False for
    durations (ms). The ratio is always "how many times the floor" in the sense
    that 1.0x means as good as the floor and larger means slower/worse for
    durations, smaller means worse for rates.
    """

    name: str
    value: float
    unit: str
    floor: float
    higher_is_better: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        if self.floor == 0:
            return float("inf")
        return self.value / self.floor

    def line(self) -> str:
        extra = f"  [{self.note}]" if self.note else ""
        return (
            f"{self.name}: {self.value:.3f} {self.unit} "
            f"({self.ratio:.2f}x vs floor {self.floor:.3f} {self.unit}){extra}"
        )


# The offscreen platform warns once per top-level window that it cannot propagate size
# hints; it says nothing about the figures and buried them in the output.
_OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def gui_app() -> Any:
    """The QApplication for a GUI benchmark, with the offscreen plugin's noise dropped."""
    import sys

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if message != _OFFSCREEN_NOISE:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([])
    # The font the workstation registers at start (ui.shell.app): text is most of what the
    # queue and the facts paint, and a CJK fallback font paints differently.
    from ui.shell.app import register_font

    register_font(app)
    return app
