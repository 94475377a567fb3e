"""The viewer toolbar's overflow menu and the compare view's zoom/pan link, on real widgets."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.runtime import standalone
from app.workbench import Workbench
from tests.workflow_fixtures import World
from ui.case.case_view import CaseView
from ui.shell.tasks import TaskManager
from ui.viewer.viewer import CompareView, ImageViewer

pytestmark = pytest.mark.gui


def _image(width: int, height: int, colour: str = "#4a90d9") -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    return image


def _open_adjust_menu(qtbot: QtBot, viewer: ImageViewer) -> None:
    """Reach the brightness/contrast panel the way a reviewer would at this width."""
    bar = viewer.toolbar
    adjust_button = next(
        (b for b in bar.findChildren(type(bar.overflow_button)) if b.menu() is viewer.adjust_menu),
        None,
    )
    if adjust_button is not None and adjust_button.isVisible():
        viewer.adjust_menu.popup(adjust_button.mapToGlobal(QPoint(0, adjust_button.height())))
    else:
        assert bar.overflow_button.isVisible()
        menu = bar.overflow_menu
        entry = next(a for a in menu.actions() if a.menu() is viewer.adjust_menu)
        menu.popup(bar.overflow_button.mapToGlobal(QPoint(0, bar.overflow_button.height())))
        qtbot.waitUntil(menu.isVisible)
        menu.setActiveAction(entry)
        qtbot.keyClick(menu, Qt.Key.Key_Right)  # opens the submenu
    qtbot.waitUntil(viewer.adjust_menu.isVisible)
    qtbot.waitUntil(viewer.brightness_slider.isVisible)


def _close_popups() -> None:
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()


def test_overflow_menu_holds_what_does_not_fit_and_reaches_brightness(qtbot: QtBot) -> None:
    viewer = ImageViewer()
    qtbot.addWidget(viewer)
    viewer.resize(1000, 400)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.set_image(_image(400, 300))
    assert not viewer.toolbar.overflow_button.isVisible()  # everything fits

    viewer.resize(260, 400)  # a quarter of a small screen: most buttons cannot fit
    qtbot.waitUntil(viewer.toolbar.overflow_button.isVisible)
    offered = [a.text() for a in viewer.toolbar.overflow_menu.actions() if not a.isSeparator()]
    assert "右转" in offered and "亮度/对比度" in offered
    assert viewer.toolbar.width() <= 260  # the bar never widens the viewer

    rotate = next(a for a in viewer.toolbar.overflow_menu.actions() if a.text() == "右转")
    rotate.trigger()
    assert viewer.rotation == 90

    _open_adjust_menu(qtbot, viewer)
    with qtbot.waitSignal(viewer.adjustments_changed, timeout=2000) as changed:
        viewer.brightness_slider.setValue(160)
    assert changed.args == [pytest.approx(1.6), pytest.approx(1.0)]
    _close_popups()

    viewer.resize(1000, 400)
    qtbot.waitUntil(lambda: not viewer.toolbar.overflow_button.isVisible())


def test_brightness_is_reachable_in_the_docked_viewer_at_1366_pixels(
    qtbot: QtBot, world: World, tasks: TaskManager
) -> None:
    view = CaseView(Workbench(standalone(world.store), world.alice), tasks)
    qtbot.addWidget(view)
    view.resize(1366, 700)  # a 1366×768 laptop, less the title bar and taskbar
    view.show()
    qtbot.waitExposed(view)
    view.show_case(world.cases[0])
    pane = view.attachments
    qtbot.waitUntil(lambda: pane.viewer.has_image, timeout=10_000)

    pane.set_comparing(True)
    for viewer in pane.compare_view.viewers:
        qtbot.waitUntil(lambda v=viewer: v.has_image, timeout=10_000)
    # Half the pane each: here the buttons do not all fit, and "››" must lead on.
    assert all(v.toolbar.overflow_button.isVisible() for v in pane.compare_view.viewers)
    pane.set_comparing(False)
    for viewer in (pane.viewer, *pane.compare_view.viewers):
        pane.set_comparing(viewer is not pane.viewer)
        before = viewer.pixmap.toImage().pixelColor(5, 5).lightness()
        _open_adjust_menu(qtbot, viewer)
        with qtbot.waitSignal(viewer.adjustments_changed, timeout=2000):
            viewer.brightness_slider.setValue(50)  # the test pictures are plain, some white
        _close_popups()
        qtbot.waitUntil(
            lambda v=viewer, b=before: v.pixmap.toImage().pixelColor(5, 5).lightness() < b,
            timeout=10_000,
        )


@pytest.fixture
def compare(qtbot: QtBot) -> CompareView:
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    qtbot.waitExposed(widget)
    # Two scans of different resolution and shape: linking must be relative.
    widget.left.set_image(_image(800, 600, "#ff0000"), original_size=(4000, 3000))
    widget.right.set_image(_image(600, 800, "#0000ff"), original_size=(1500, 2000))
    return widget


def _relative_zoom(viewer: ImageViewer) -> float:
    return viewer.zoom_factor / viewer.fit_page_zoom()


def _centre(viewer: ImageViewer) -> Any:
    return pytest.approx(viewer.center_fraction(), abs=0.02)


def test_compare_link_moves_both_sides(qtbot: QtBot, compare: CompareView) -> None:
    left, right = compare.viewers
    assert not compare.linked
    right_zoom = right.zoom_factor

    left.set_zoom(left.fit_page_zoom() * 3)
    left.center_on_fraction(0.3, 0.6)
    assert right.zoom_factor == pytest.approx(right_zoom)  # independent while unlinked

    with qtbot.waitSignal(compare.linked_changed):
        qtbot.mouseClick(compare.link_button, Qt.MouseButton.LeftButton)
    assert compare.linked
    assert _relative_zoom(right) == pytest.approx(3.0, rel=1e-3)  # brought to the left's view
    assert right.center_fraction() == _centre(left)

    right.zoom_in()
    assert _relative_zoom(left) == pytest.approx(3.0 * 1.25, rel=1e-3)
    left.view.horizontalScrollBar().setValue(left.view.horizontalScrollBar().value() + 150)
    left.view.verticalScrollBar().setValue(left.view.verticalScrollBar().value() - 80)
    assert right.center_fraction() == _centre(left)
    right.center_on_fraction(0.7, 0.4)
    assert left.center_fraction() == _centre(right)
    assert left.rotation == right.rotation == 0
    right.rotate_right()  # rotation stays per side
    assert left.rotation == 0

    qtbot.mouseClick(compare.link_button, Qt.MouseButton.LeftButton)
    assert not compare.linked
    zoom, moved_to = right.zoom_factor, right.center_fraction()
    left.zoom_in()
    left.center_on_fraction(0.2, 0.2)
    assert right.zoom_factor == pytest.approx(zoom)
    assert right.center_fraction() == pytest.approx(moved_to, abs=1e-6)
