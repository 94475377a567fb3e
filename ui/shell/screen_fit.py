"""Windows and dialogs sized to the screen they open on, so a 1366×768 laptop shows them whole.

Every top-level window asks for a comfortable size and gets at most the screen's available
area (``QScreen.availableGeometry``: without the task bar), less room for the window
frame. A window whose content cannot shrink that far has to scroll inside (its own
layout's business); :func:`fits` is what the tests check.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room the window manager's frame takes around a top-level window (title bar, borders).
FRAME_WIDTH = 16
FRAME_HEIGHT = 40
PREFERRED_SIZE = "preferredSize"  # the dynamic property fit_window keeps the asked size in


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The available area of the screen ``widget`` is on (else the primary screen)."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window() if parent is not None else widget).screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:  # pragma: no cover - no screen at all
        return QRect(0, 0, 1366, 768)
    return screen.availableGeometry()


def room(available: QRect) -> QSize:
    """The largest client size a framed window can have inside ``available``."""
    return QSize(
        max(200, available.width() - FRAME_WIDTH), max(200, available.height() - FRAME_HEIGHT)
    )


def fit_size(wanted: QSize, available: QRect) -> QSize:
    """``wanted``, made no larger than a framed window can be inside ``available``."""
    space = room(available)
    return QSize(min(wanted.width(), space.width()), min(wanted.height(), space.height()))


def fit_window(widget: QWidget, width: int, height: int, available: QRect | None = None) -> QSize:
    """Resize the top-level ``widget`` to ``width``×``height`` or what the screen allows,
    and keep it on that screen (centred over its parent when it has one)."""
    area = available if available is not None else available_geometry(widget)
    widget.setProperty(PREFERRED_SIZE, QSize(width, height))
    size = fit_size(QSize(width, height), area)
    widget.resize(size)
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else area.center()
    x = min(
        max(area.left(), centre.x() - size.width() // 2),
        area.right() - size.width() - FRAME_WIDTH // 2,
    )
    y = min(
        max(area.top(), centre.y() - size.height() // 2),
        area.bottom() - size.height() - FRAME_HEIGHT + 8,
    )
    widget.move(QPoint(max(area.left(), x), max(area.top(), y)))
    return size


def refit(widget: QWidget, available: QRect | None = None) -> QSize:
    """Fit ``widget`` again (to ``available``, else its screen) at the size it asked for."""
    wanted = widget.property(PREFERRED_SIZE)
    if not isinstance(wanted, QSize):
        wanted = widget.size()
    return fit_window(widget, wanted.width(), wanted.height(), available)


def fits(widget: QWidget, available: QRect) -> bool:
    """Whether ``widget`` (a top-level window) fits ``available`` whole, frame included,
    at a size its layout can show without cutting anything off."""
    space = room(available)
    size = widget.size()
    needed = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    return (
        size.width() <= space.width()
        and size.height() <= space.height()
        and needed.width() <= space.width()
        and needed.height() <= space.height()
        and size.width() >= needed.width()
        and size.height() >= needed.height()
    )
