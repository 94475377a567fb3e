"""Tests for ui.viewer.viewer: zoom, fit, view-only rotation, compare, unreadable panel, thumbnails."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from app.intake.imaging import to_rgb_bytes
from ui.viewer.viewer import (
    ZOOM_STEP,
    CompareView,
    ImageViewer,
    ThumbnailEntry,
    ThumbnailStrip,
    qimage_from_rgb,
)

pytestmark = pytest.mark.gui


def _image(width: int, height: int, colour: str = "#4a90d9") -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor(colour))
    return image


@pytest.fixture
def viewer(qtbot: QtBot) -> ImageViewer:
    widget = ImageViewer()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _visible_size(viewer: ImageViewer) -> tuple[float, float]:
    """The picture's on-screen bounding size in viewport pixels."""
    rect = viewer.view.mapFromScene(viewer.view.sceneRect()).boundingRect()
    return rect.width(), rect.height()


def test_zoom_in_and_out_change_zoom_factor(viewer: ImageViewer, qtbot: QtBot) -> None:
    viewer.set_image(_image(400, 300))
    viewer.actual_size()
    assert viewer.zoom_factor == pytest.approx(1.0)

    with qtbot.waitSignal(viewer.zoom_changed) as zoomed:
        viewer.zoom_in()
    assert viewer.zoom_factor == pytest.approx(ZOOM_STEP)
    assert zoomed.args == [pytest.approx(ZOOM_STEP)]

    viewer.zoom_out()
    viewer.zoom_out()
    assert viewer.zoom_factor == pytest.approx(1 / ZOOM_STEP)
    assert viewer.view.transform().m11() == pytest.approx(1 / ZOOM_STEP)


def test_plus_minus_keys_zoom(viewer: ImageViewer, qtbot: QtBot) -> None:
    viewer.set_image(_image(400, 300))
    viewer.actual_size()

    qtbot.keyClick(viewer.view, Qt.Key.Key_Plus)
    assert viewer.zoom_factor == pytest.approx(ZOOM_STEP)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus)
    qtbot.keyClick(viewer.view, Qt.Key.Key_Minus)
    assert viewer.zoom_factor == pytest.approx(1 / ZOOM_STEP)


def test_wheel_zooms(viewer: ImageViewer) -> None:
    viewer.set_image(_image(400, 300))
    viewer.actual_size()
    centre = QPointF(viewer.view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        viewer.view.viewport().mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewer.view.viewport(), event)

    assert viewer.zoom_factor == pytest.approx(ZOOM_STEP**2)


def test_fit_page_shows_the_whole_picture(viewer: ImageViewer) -> None:
    viewer.set_image(_image(4000, 1000))
    viewer.set_zoom(3.0)

    viewer.fit_page()

    room = viewer.view.maximumViewportSize()
    width, height = _visible_size(viewer)
    assert width <= room.width() and height <= room.height()
    assert width >= room.width() - 3  # wide picture: it fills the width
    assert viewer.zoom_factor == pytest.approx((room.width() - 1) / 4000)
    assert not viewer.view.horizontalScrollBar().isVisible()


def test_fit_page_follows_resize_until_zoomed(viewer: ImageViewer, qtbot: QtBot) -> None:
    viewer.set_image(_image(1000, 1000))
    fitted = viewer.zoom_factor

    viewer.resize(400, 400)
    qtbot.waitUntil(lambda: viewer.zoom_factor < fitted)

    viewer.zoom_in()
    zoomed = viewer.zoom_factor
    narrow = viewer.view.width()
    viewer.resize(900, 900)
    qtbot.waitUntil(lambda: viewer.view.width() > narrow)
    assert viewer.zoom_factor == pytest.approx(zoomed)  # zooming left fit mode


def test_fit_width_fills_width(viewer: ImageViewer) -> None:
    viewer.set_image(_image(1000, 5000))

    viewer.fit_width()

    width, height = _visible_size(viewer)
    room = viewer.view.maximumViewportSize()
    assert height > room.height()  # tall page: scroll down to read
    assert room.width() - 40 < width <= room.width()


def test_rotation_turns_the_view_not_the_image(viewer: ImageViewer, qtbot: QtBot) -> None:
    original = _image(400, 200)
    original.setPixelColor(0, 0, QColor("red"))
    viewer.set_image(original)
    before_pixmap = viewer.pixmap.toImage()
    before_transform = viewer.view.transform()

    with qtbot.waitSignal(viewer.rotation_changed) as rotated:
        viewer.rotate_right()

    assert viewer.rotation == 90
    assert rotated.args == [90]
    assert viewer.view.transform() != before_transform
    assert viewer.view.transform().m12() > 0  # a 90° clockwise turn
    assert viewer.pixmap.toImage() == before_pixmap
    width, height = _visible_size(viewer)
    assert height > width  # a landscape picture now stands upright on screen

    viewer.rotate_left()
    viewer.rotate_left()
    assert viewer.rotation == 270
    viewer.rotate_right()
    assert viewer.rotation == 0
    assert viewer.pixmap.toImage() == before_pixmap


def test_zoom_past_preview_asks_once_for_full_resolution(viewer: ImageViewer, qtbot: QtBot) -> None:
    # A preview decoded for the window: fitted, it is shown at less than its own size.
    with qtbot.assertNotEmitted(viewer.full_resolution_wanted):
        viewer.set_image(_image(1000, 750), original_size=(4000, 3000))
        viewer.set_zoom(0.24)  # 0.96 screen pixels per preview pixel: still enough
    assert not viewer.is_full_resolution

    with qtbot.waitSignal(viewer.full_resolution_wanted):
        viewer.set_zoom(0.26)
    with qtbot.assertNotEmitted(viewer.full_resolution_wanted):
        viewer.zoom_in()

    viewer.rotate_right()
    viewer.set_image(_image(4000, 3000, "#123456"), full=True)

    assert viewer.is_full_resolution
    assert viewer.zoom_factor == pytest.approx(0.26 * ZOOM_STEP)  # the view was kept
    assert viewer.rotation == 90
    assert viewer.pixmap.width() == 4000


def test_actual_size_is_relative_to_the_original(viewer: ImageViewer) -> None:
    viewer.set_image(_image(400, 300), original_size=QSize(4000, 3000))

    viewer.actual_size()

    width, _ = _visible_size(viewer)
    assert width == pytest.approx(4000, abs=2)


def test_new_picture_resets_rotation_and_fits(viewer: ImageViewer) -> None:
    viewer.set_image(_image(400, 300))
    viewer.rotate_right()
    viewer.set_zoom(5.0)

    viewer.set_image(_image(300, 400))

    assert viewer.rotation == 0
    assert viewer.zoom_factor < 5.0


def test_sliders_report_adjustments_once_settled(viewer: ImageViewer, qtbot: QtBot) -> None:
    viewer.set_image(_image(40, 30))
    brightness = viewer.brightness_slider

    with qtbot.waitSignal(viewer.adjustments_changed, timeout=2000) as changed:
        for value in (110, 130, 150):
            brightness.setValue(value)

    assert changed.args == [pytest.approx(1.5), pytest.approx(1.0)]
    assert viewer.adjustments == (pytest.approx(1.5), pytest.approx(1.0))

    with qtbot.waitSignal(viewer.adjustments_changed, timeout=2000) as changed:
        viewer.reset_adjustments()
    assert changed.args == [pytest.approx(1.0), pytest.approx(1.0)]


def test_update_image_keeps_the_view(viewer: ImageViewer) -> None:
    viewer.set_image(_image(400, 300))
    viewer.set_zoom(2.0)
    viewer.rotate_left()

    viewer.update_image(_image(400, 300, "#ffffff"))

    assert (viewer.zoom_factor, viewer.rotation) == (pytest.approx(2.0), 270)
    assert viewer.pixmap.toImage().pixelColor(0, 0) == QColor("#ffffff")


def test_unreadable_panel_shows_reason_and_asks_for_retake(
    viewer: ImageViewer, qtbot: QtBot
) -> None:
    viewer.set_image(_image(40, 30))

    viewer.set_unreadable("户口本首页", "图片文件不完整（截断）")

    assert viewer.showing_unreadable
    assert not viewer.has_image
    assert not viewer.view.isVisible()
    assert not viewer.findChild(QToolButton).isVisible()  # zoom makes no sense here
    texts = [label.text() for label in viewer.findChildren(QLabel) if label.isVisible()]
    assert "图片文件不完整（截断）" in texts
    assert any("户口本首页" in text for text in texts)
    button = viewer.findChild(QPushButton, "returnButton")
    assert button is not None and button.isVisible()
    assert button.text() == "退回补拍"
    with qtbot.waitSignal(viewer.return_requested):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    viewer.set_image(_image(40, 30))
    assert not viewer.showing_unreadable
    assert not button.isVisible()


def test_compare_view_shows_two_pictures(qtbot: QtBot) -> None:
    compare = CompareView()
    qtbot.addWidget(compare)
    compare.resize(1200, 600)
    compare.show()
    qtbot.waitExposed(compare)

    compare.set_captions("户口本首页", "房产证")
    compare.left.set_image(_image(400, 300, "#ff0000"))
    compare.right.set_unreadable("房产证", "文件为空")

    left, right = compare.viewers
    assert left is not right
    assert left.isVisible() and right.isVisible()
    assert left.has_image and right.showing_unreadable
    assert compare.captions() == ("户口本首页", "房产证")
    left_edge = left.mapTo(compare, QPoint(0, 0)).x()
    right_edge = right.mapTo(compare, QPoint(0, 0)).x()
    assert left_edge + left.width() <= right_edge  # side by side, not stacked
    left.zoom_in()
    assert left.zoom_factor != right.zoom_factor  # independent views


def test_thumbnail_click_selects_attachment(qtbot: QtBot) -> None:
    strip = ThumbnailStrip()
    qtbot.addWidget(strip)
    strip.resize(700, strip.height())
    strip.show()
    qtbot.waitExposed(strip)
    with qtbot.assertNotEmitted(strip.attachment_selected):
        strip.set_attachments(
            [
                ThumbnailEntry("户口本首页", _image(160, 120)),
                ThumbnailEntry("房产证"),
                ThumbnailEntry("出生证明", unreadable_reason="不是图片文件（内容为 HTML）"),
            ]
        )

    rect = strip.visualItemRect(strip.item(2))
    with qtbot.waitSignal(strip.attachment_selected) as selected:
        qtbot.mouseClick(strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert selected.args == [2]
    assert strip.is_unreadable(2) and not strip.is_unreadable(0)
    assert strip.item(2).text() == "出生证明\n无法显示"
    assert strip.item(2).toolTip() == "出生证明\n不是图片文件（内容为 HTML）"

    strip.set_thumbnail(1, _image(160, 120, "#00ff00"))
    assert strip.item(1).text() == "房产证"
    assert not strip.item(1).icon().isNull()

    with qtbot.waitSignal(strip.attachment_selected) as selected:
        qtbot.keyClick(strip, Qt.Key.Key_Left)
    assert selected.args == [1]


def test_qimage_from_rgb_matches_pillow_pixels() -> None:
    pil = Image.new("RGB", (3, 2), (10, 20, 30))
    pil.putpixel((2, 1), (200, 100, 50))

    image = qimage_from_rgb(*to_rgb_bytes(pil))

    assert (image.width(), image.height()) == (3, 2)
    assert image.pixelColor(0, 0) == QColor(10, 20, 30)
    assert image.pixelColor(2, 1) == QColor(200, 100, 50)
