"""Attachment viewing widgets: a zoomable image view, a side-by-side compare, a thumbnail strip.

None of these widgets decodes or renders anything (photos and PDF pages alike). They display ``QImage`` objects a background task
prepared with :mod:`app.intake.imaging` and announce what they need through signals
(``full_resolution_wanted``, ``adjustments_changed``), so the GUI thread never waits on
image work.

Zoom is measured against the *original* picture: ``zoom_factor == 1.0`` shows one screen
pixel per pixel of the uploaded photo, whether the pixmap on screen is a downscaled
preview or the full decode. The preview is simply drawn larger in scene coordinates, so
swapping in the full-resolution image later does not move anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetrics,
    QIcon,
    QImage,
    QKeyEvent,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSlider,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

ZOOM_STEP = 1.25
ZOOM_MIN = 0.02
ZOOM_MAX = 16.0
ADJUST_RANGE_PERCENT = (20, 300)
# Sliders emit on every pixel of a drag; the re-adjust runs in the background, so only the
# value the reviewer settles on is worth sending.
ADJUST_DEBOUNCE_MS = 150


def qimage_from_rgb(data: bytes, width: int, height: int, stride: int) -> QImage:
    """A ``QImage`` owning a copy of packed RGB pixels from ``app.intake.imaging.to_rgb_bytes``.

    The copy is made in ``Format_RGB32``, the format a pixmap keeps as it is: the GUI
    thread's ``QPixmap.fromImage`` then shares the pixels instead of converting them.
    ``QImage`` may be built on a worker thread, so call this there, not on the GUI thread.
    """
    view = QImage(data, width, height, stride, QImage.Format.Format_RGB888)
    return view.convertToFormat(QImage.Format.Format_RGB32)


class _FitMode(Enum):
    NONE = auto()
    PAGE = auto()
    WIDTH = auto()


class _GraphicsView(QGraphicsView):
    """A QGraphicsView that reports wheel turns and resizes instead of scrolling by wheel."""

    wheel_turned = Signal(float)
    resized = Signal()

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt override
        steps = event.angleDelta().y() / 120
        if steps:
            self.wheel_turned.emit(steps)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.resized.emit()


class OverflowToolBar(QWidget):
    """A row of tool buttons; whatever does not fit goes into the "››" menu at its end.

    ``QToolBar`` outside a ``QMainWindow`` has an extension button that does nothing, so
    in a docked viewer (or half a compare view) the buttons past the edge were out of
    reach. Here every button stands for a ``QAction`` (or a ``QMenu``, such as the
    brightness/contrast panel), and the overflow menu offers the very same actions.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # (widget on the bar, what the overflow menu offers for it: an action, a menu,
        # None for a separator, or False for a widget with no menu form, like a label)
        self._items: list[tuple[QWidget, QAction | QMenu | None | bool]] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(2, 0, 2, 0)
        self._layout.setSpacing(2)
        self._more_menu = QMenu(self)
        self._more = QToolButton(self)
        self._more.setObjectName("overflowButton")
        self._more.setText("››")
        self._more.setToolTip(self.tr("更多工具"))
        self._more.setAutoRaise(True)
        self._more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._more.setMenu(self._more_menu)
        self._more.hide()
        self._layout.addStretch(1)
        self._layout.addWidget(self._more)

    # --- building ----------------------------------------------------------------------

    def _tool_button(self) -> QToolButton:
        tool = QToolButton(self)
        tool.setAutoRaise(True)
        # Keyboard focus stays on the picture, where +/− work.
        tool.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return tool

    def _add(self, widget: QWidget, offered: QAction | QMenu | None | bool) -> None:
        self._layout.insertWidget(len(self._items), widget)
        self._items.append((widget, offered))
        self._relayout()

    def add_action(self, action: QAction) -> QToolButton:
        """A button for ``action`` (its text, tooltip and slot)."""
        tool = self._tool_button()
        tool.setDefaultAction(action)
        self._add(tool, action)
        return tool

    def add_menu(self, menu: QMenu) -> QToolButton:
        """A button popping up ``menu``; in the overflow it is a submenu."""
        tool = self._tool_button()
        tool.setText(menu.title())
        tool.setToolTip(menu.toolTip())
        tool.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tool.setMenu(menu)
        self._add(tool, menu)
        return tool

    def add_widget(self, widget: QWidget) -> None:
        """A widget with no menu form (hidden, not offered, when there is no room)."""
        widget.setParent(self)
        self._add(widget, False)

    def add_separator(self) -> None:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self._add(line, None)

    # --- state for callers and tests -------------------------------------------------------

    @property
    def overflow_button(self) -> QToolButton:
        """The "››" button (hidden while everything fits)."""
        return self._more

    @property
    def overflow_menu(self) -> QMenu:
        """The menu of the "››" button: the actions of the buttons that did not fit."""
        return self._more_menu

    def minimumSizeHint(self) -> QSize:  # Qt override
        # Never force the window wider: everything may go into the overflow menu.
        margins = self._layout.contentsMargins()
        hint = self._more.sizeHint()
        return QSize(hint.width() + margins.left() + margins.right(), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._relayout()

    # --- internals ----------------------------------------------------------------------------

    def _relayout(self) -> None:
        margins = self._layout.contentsMargins()
        spacing = self._layout.spacing()
        room = self.width() - margins.left() - margins.right()
        widths = [widget.sizeHint().width() for widget, _ in self._items]
        needed = sum(widths) + spacing * max(0, len(widths) - 1)
        if needed <= room:
            shown = len(self._items)
        else:
            room -= self._more.sizeHint().width() + spacing
            shown, used = 0, 0
            for width in widths:
                if used + width > room:
                    break
                used += width + spacing
                shown += 1
        self._more_menu.clear()
        for position, (widget, offered) in enumerate(self._items):
            fits = position < shown
            widget.setVisible(fits)
            if fits or offered is False:
                continue
            if offered is None:
                self._more_menu.addSeparator()
            elif isinstance(offered, QMenu):
                self._more_menu.addMenu(offered)
            elif isinstance(offered, QAction):
                self._more_menu.addAction(offered)
        self._more.setVisible(shown < len(self._items))


class ImageViewer(QWidget):
    """Shows one attachment picture with zoom, pan, view rotation and brightness/contrast.

    Feed it with :meth:`set_image` (a preview), answer ``full_resolution_wanted`` with
    ``set_image(full_image, full=True)``, and answer ``adjustments_changed`` with
    :meth:`update_image`. :meth:`set_unreadable` shows why a file cannot be displayed and
    offers "退回补拍".
    """

    zoom_changed = Signal(float)
    rotation_changed = Signal(int)
    view_moved = Signal()  # the visible part changed (scrolled, zoomed, resized)
    full_resolution_wanted = Signal()
    adjustments_changed = Signal(float, float)
    return_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zoom = 1.0
        self._rotation = 0
        self._fit_mode = _FitMode.PAGE
        self._original_size = QSize()
        self._full_wanted_sent = False

        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)

        self._view = _GraphicsView(self._scene, self)
        self._view.setObjectName("imageView")
        self._view.setFrameShape(QFrame.Shape.NoFrame)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.setRenderHints(
            QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing
        )
        self._view.setBackgroundBrush(QColor(48, 48, 48))
        self._view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._view.wheel_turned.connect(self._on_wheel_turned)
        self._view.resized.connect(self._on_view_resized)
        self._view.horizontalScrollBar().valueChanged.connect(self.view_moved)
        self._view.verticalScrollBar().valueChanged.connect(self.view_moved)

        self._toolbar = self._build_toolbar()
        self._unreadable_panel = self._build_unreadable_panel()

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._view)
        self._stack.addWidget(self._unreadable_panel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._stack, 1)

        self._adjust_timer = QTimer(self)
        self._adjust_timer.setSingleShot(True)
        self._adjust_timer.setInterval(ADJUST_DEBOUNCE_MS)
        self._adjust_timer.timeout.connect(self._emit_adjustments)

        self._set_controls_enabled(False)

    # --- construction ------------------------------------------------------------------

    def _build_toolbar(self) -> OverflowToolBar:
        # Not a QToolBar: its overflow button does nothing outside a main window. Buttons
        # that do not fit half a compare view go into this bar's own "››" menu.
        bar = OverflowToolBar(self)

        def action(text: str, tip: str, slot: object) -> QAction:
            act = QAction(text, self)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            bar.add_action(act)
            return act

        self._zoom_out_action = action(self.tr("缩小"), self.tr("缩小（−）"), self.zoom_out)
        self._zoom_in_action = action(self.tr("放大"), self.tr("放大（+）"), self.zoom_in)
        self._zoom_label = QLabel(bar)
        self._zoom_label.setMinimumWidth(48)
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.add_widget(self._zoom_label)
        action(self.tr("适合页面"), self.tr("整张图片显示在窗口内"), self.fit_page)
        action(self.tr("适合宽度"), self.tr("图片宽度与窗口一致"), self.fit_width)
        action(self.tr("实际大小"), self.tr("按原图 1:1 显示"), self.actual_size)
        action(self.tr("左转"), self.tr("向左旋转 90°（只旋转显示）"), self.rotate_left)
        action(self.tr("右转"), self.tr("向右旋转 90°（只旋转显示）"), self.rotate_right)
        bar.add_separator()
        # In a popup, so the toolbar fits half a compare view; the same menu is the
        # submenu of the overflow menu, so the sliders are reachable at any width.
        self._adjust_menu = QMenu(self.tr("亮度/对比度"), self)
        self._adjust_menu.setObjectName("adjustMenu")
        self._adjust_menu.setToolTip(self.tr("调亮偏暗的照片，增强文字与背景的反差"))
        panel_action = QWidgetAction(self._adjust_menu)
        panel_action.setDefaultWidget(self._build_adjust_panel())
        self._adjust_menu.addAction(panel_action)
        bar.add_menu(self._adjust_menu)
        return bar

    def _build_adjust_panel(self) -> QWidget:
        panel = QWidget(self)
        grid = QGridLayout(panel)
        grid.setContentsMargins(8, 6, 8, 6)

        def slider(row: int, label: str) -> QSlider:
            control = QSlider(Qt.Orientation.Horizontal, panel)
            control.setRange(*ADJUST_RANGE_PERCENT)
            control.setValue(100)
            control.setMinimumWidth(160)
            value = QLabel("100%", panel)
            value.setMinimumWidth(40)
            control.valueChanged.connect(lambda v: value.setText(f"{v}%"))
            control.valueChanged.connect(self._on_adjust_slider_moved)
            grid.addWidget(QLabel(label, panel), row, 0)
            grid.addWidget(control, row, 1)
            grid.addWidget(value, row, 2)
            return control

        self._brightness_slider = slider(0, self.tr("亮度"))
        self._contrast_slider = slider(1, self.tr("对比度"))
        reset = QPushButton(self.tr("还原"), panel)
        reset.setToolTip(self.tr("亮度、对比度恢复原样"))
        reset.clicked.connect(self.reset_adjustments)
        grid.addWidget(reset, 2, 1, 1, 2, Qt.AlignmentFlag.AlignRight)
        return panel

    def _build_unreadable_panel(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("unreadablePanel")
        panel.setAutoFillBackground(True)
        palette = panel.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(255, 248, 225))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(66, 66, 66))
        panel.setPalette(palette)

        icon = QLabel(panel)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._unreadable_title = QLabel(panel)
        self._unreadable_title.setObjectName("unreadableTitle")
        self._unreadable_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._unreadable_title.setWordWrap(True)
        title_font = self._unreadable_title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self._unreadable_title.setFont(title_font)
        self._unreadable_reason = QLabel(panel)
        self._unreadable_reason.setObjectName("unreadableReason")
        self._unreadable_reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._unreadable_reason.setWordWrap(True)
        self._unreadable_reason.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self._return_button = QPushButton(self.tr("退回补拍"), panel)
        self._return_button.setObjectName("returnButton")
        self._return_button.setToolTip(self.tr("请家长重新拍摄并上传此材料"))
        self._return_button.clicked.connect(self.return_requested)

        column = QVBoxLayout(panel)
        column.addStretch(1)
        column.addWidget(icon)
        column.addWidget(self._unreadable_title)
        column.addWidget(self._unreadable_reason)
        column.addSpacing(12)
        column.addWidget(self._return_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(2)
        return panel

    # --- feeding -----------------------------------------------------------------------

    def set_image(
        self,
        image: QImage,
        *,
        full: bool = False,
        original_size: QSize | tuple[int, int] | None = None,
    ) -> None:
        """Show ``image``.

        ``original_size`` is the upright size of the uploaded picture (``ProbeResult``
        width/height) when ``image`` is a downscaled preview; omit it when ``image`` is
        the picture at full size.

        ``full=True`` marks the answer to ``full_resolution_wanted``: if the picture of
        that original size is still shown, zoom, rotation, scroll position and sliders are
        kept. Otherwise a new picture starts: rotation 0, sliders reset, fitted to page.
        """
        size = _as_qsize(original_size) if original_size is not None else image.size()
        if full and self.has_image and size == self._original_size:
            self.update_image(image)
            return
        self._original_size = size
        self._full_wanted_sent = False
        self._rotation = 0
        self._fit_mode = _FitMode.PAGE
        self._reset_sliders_silently()
        self._show_pixels(image)
        self._stack.setCurrentWidget(self._view)
        self._set_controls_enabled(True)
        self._apply_view()
        self.rotation_changed.emit(self._rotation)

    def update_image(self, image: QImage) -> None:
        """Replace the pixels of the picture being shown without touching the view.

        For brightness/contrast results and the full-resolution decode; ``image`` may be
        any size with the picture's aspect ratio.
        """
        if not self.has_image:
            self.set_image(image)
            return
        self._show_pixels(image)
        self._apply_view()

    def set_unreadable(self, label: str, reason: str) -> None:
        """Show that attachment ``label`` cannot be displayed, why, and a "退回补拍" button."""
        self._clear_pixels()
        self._unreadable_title.setText(self.tr("“%1”无法显示").replace("%1", label))
        self._unreadable_reason.setText(reason)
        self._stack.setCurrentWidget(self._unreadable_panel)
        self._set_controls_enabled(False)

    def clear(self) -> None:
        """Show nothing (no attachment selected)."""
        self._clear_pixels()
        self._stack.setCurrentWidget(self._view)
        self._set_controls_enabled(False)

    # --- state for callers and tests -----------------------------------------------------

    @property
    def has_image(self) -> bool:
        """Whether a picture (not the unreadable panel) is being shown."""
        return not self._item.pixmap().isNull()

    @property
    def zoom_factor(self) -> float:
        """Screen pixels per pixel of the original picture (1.0 = actual size)."""
        return self._zoom

    @property
    def rotation(self) -> int:
        """View rotation in degrees clockwise: 0, 90, 180 or 270. The image is unchanged."""
        return self._rotation

    @property
    def adjustments(self) -> tuple[float, float]:
        """Current ``(brightness, contrast)`` factors, 1.0 = unchanged."""
        return (
            self._brightness_slider.value() / 100,
            self._contrast_slider.value() / 100,
        )

    @property
    def is_full_resolution(self) -> bool:
        """Whether the pixels shown are the original resolution (not a preview)."""
        return self.has_image and self._item.pixmap().width() >= self._original_size.width()

    @property
    def showing_unreadable(self) -> bool:
        """Whether the unreadable panel is shown."""
        return self._stack.currentWidget() is self._unreadable_panel

    @property
    def brightness_slider(self) -> QSlider:
        """The brightness slider (percent), for tests."""
        return self._brightness_slider

    @property
    def contrast_slider(self) -> QSlider:
        """The contrast slider (percent), for tests."""
        return self._contrast_slider

    @property
    def view(self) -> QGraphicsView:
        """The graphics view, for tests and for focus handling by the caller."""
        return self._view

    @property
    def pixmap(self) -> QPixmap:
        """The pixmap currently drawn (a preview or the full picture)."""
        return self._item.pixmap()

    @property
    def toolbar(self) -> OverflowToolBar:
        """The toolbar above the picture, for tests."""
        return self._toolbar

    @property
    def adjust_menu(self) -> QMenu:
        """The brightness/contrast popup (its button, or the overflow menu's submenu)."""
        return self._adjust_menu

    @property
    def original_size(self) -> QSize:
        """The upright size of the picture shown, in original pixels (empty if none)."""
        return QSize(self._original_size)

    def fit_page_zoom(self) -> float:
        """The zoom at which the whole (rotated) picture fits the view."""
        return min(max(self._fit_zoom(_FitMode.PAGE), ZOOM_MIN), ZOOM_MAX)

    def center_fraction(self) -> tuple[float, float]:
        """The point of the picture at the centre of the view, as fractions of its size."""
        width, height = self._original_size.width(), self._original_size.height()
        if width <= 0 or height <= 0:
            return (0.5, 0.5)
        centre = self._view.mapToScene(self._view.viewport().rect().center())
        return (centre.x() / width, centre.y() / height)

    def center_on_fraction(self, fx: float, fy: float) -> None:
        """Scroll so that the point at fractions ``fx``, ``fy`` of the picture is centred."""
        self._view.centerOn(
            QPointF(fx * self._original_size.width(), fy * self._original_size.height())
        )

    # --- zoom, fit, rotation ---------------------------------------------------------------

    def zoom_in(self) -> None:
        """Zoom in one step around the centre of the view."""
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        """Zoom out one step around the centre of the view."""
        self.set_zoom(self._zoom / ZOOM_STEP)

    def actual_size(self) -> None:
        """One screen pixel per original pixel."""
        self.set_zoom(1.0)

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (clamped to ``ZOOM_MIN``..``ZOOM_MAX``); leaves fit mode."""
        self._fit_mode = _FitMode.NONE
        self._set_zoom(factor)

    def fit_page(self) -> None:
        """Fit the whole (rotated) picture into the view; kept on resize until zoomed."""
        self._fit_mode = _FitMode.PAGE
        self._apply_view()

    def fit_width(self) -> None:
        """Fit the (rotated) picture's width to the view; kept on resize until zoomed."""
        self._fit_mode = _FitMode.WIDTH
        self._apply_view()

    def rotate_left(self) -> None:
        """Turn the view 90° counter-clockwise (the image itself is untouched)."""
        self._set_rotation(self._rotation - 90)

    def rotate_right(self) -> None:
        """Turn the view 90° clockwise (the image itself is untouched)."""
        self._set_rotation(self._rotation + 90)

    def reset_adjustments(self) -> None:
        """Brightness and contrast back to 1.0."""
        self._brightness_slider.setValue(100)
        self._contrast_slider.setValue(100)

    # --- Qt overrides -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- internals ----------------------------------------------------------------------------

    def _show_pixels(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        self._item.setPixmap(pixmap)
        # Scene units are original pixels, so a preview is drawn at the original's size.
        scale = self._original_size.width() / pixmap.width() if pixmap.width() else 1.0
        self._item.setScale(scale)
        self._scene.setSceneRect(
            QRectF(0, 0, self._original_size.width(), self._original_size.height())
        )

    def _clear_pixels(self) -> None:
        self._item.setPixmap(QPixmap())
        self._original_size = QSize()
        self._full_wanted_sent = False

    def _set_controls_enabled(self, enabled: bool) -> None:
        self._toolbar.setEnabled(enabled)
        # Zoom and rotation mean nothing for a file that cannot be shown.
        self._toolbar.setVisible(not self.showing_unreadable)

    def _reset_sliders_silently(self) -> None:
        for slider in (self._brightness_slider, self._contrast_slider):
            slider.blockSignals(True)
            slider.setValue(100)
            slider.blockSignals(False)
        self._adjust_timer.stop()

    def _rotated_size(self) -> tuple[float, float]:
        width, height = self._original_size.width(), self._original_size.height()
        return (height, width) if self._rotation in (90, 270) else (width, height)

    def _fit_zoom(self, mode: _FitMode) -> float:
        width, height = self._rotated_size()
        if width <= 0 or height <= 0:
            return 1.0
        # Without scrollbars: a fitted picture needs none. The pixel of slack keeps
        # rounding from summoning a scrollbar that would shrink the viewport again.
        available = self._view.maximumViewportSize()
        room_w, room_h = max(1, available.width() - 1), max(1, available.height() - 1)
        if mode is _FitMode.WIDTH:
            zoom = room_w / width
            if height * zoom > room_h:  # a vertical scrollbar will take some width
                bar = self._view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                zoom = max(1, room_w - bar) / width
            return zoom
        return min(room_w / width, room_h / height)

    def _set_zoom(self, factor: float) -> None:
        self._zoom = min(max(factor, ZOOM_MIN), ZOOM_MAX)
        self._apply_transform()

    def _apply_view(self) -> None:
        if self._fit_mode is _FitMode.NONE:
            self._apply_transform()
        else:
            self._zoom = min(max(self._fit_zoom(self._fit_mode), ZOOM_MIN), ZOOM_MAX)
            self._apply_transform()
            self._view.centerOn(self._item)

    def _apply_transform(self) -> None:
        previous = self._view.transform()
        transform = QTransform()
        transform.rotate(self._rotation)
        transform.scale(self._zoom, self._zoom)
        if transform != previous:
            self._view.setTransform(transform)
        self._zoom_label.setText(f"{round(self._zoom * 100)}%")
        if abs(previous.m11() ** 2 + previous.m12() ** 2 - self._zoom**2) > 1e-12:
            self.zoom_changed.emit(self._zoom)
        self._maybe_want_full_resolution()

    def _maybe_want_full_resolution(self) -> None:
        # Once the preview is magnified beyond its own pixels, detail is missing: ask once.
        if not self.has_image or self._full_wanted_sent or self.is_full_resolution:
            return
        pixels_per_preview_pixel = self._zoom * self._item.scale()
        if pixels_per_preview_pixel > 1.0 + 1e-9:
            self._full_wanted_sent = True
            self.full_resolution_wanted.emit()

    def _set_rotation(self, degrees: int) -> None:
        self._rotation = degrees % 360
        self._apply_view()
        self.rotation_changed.emit(self._rotation)

    def _on_wheel_turned(self, steps: float) -> None:
        # Zoom around the point under the mouse, as every image viewer does.
        self._view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.set_zoom(self._zoom * ZOOM_STEP**steps)
        self._view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)

    def _on_view_resized(self) -> None:
        if self._fit_mode is not _FitMode.NONE and self.has_image:
            self._apply_view()

    def _on_adjust_slider_moved(self) -> None:
        self._adjust_timer.start()

    def _emit_adjustments(self) -> None:
        self.adjustments_changed.emit(*self.adjustments)


def _as_qsize(size: QSize | tuple[int, int]) -> QSize:
    return size if isinstance(size, QSize) else QSize(size[0], size[1])


class CompareView(QWidget):
    """Two :class:`ImageViewer` side by side, for comparing two attachments.

    With :attr:`linked` on, zooming or moving one side does the same to the other: both
    show the same magnification relative to their fitted size, centred on the same point
    as a fraction of the picture, so two scans of one document stay in step whatever
    their resolutions. Rotation and brightness stay per side.
    """

    linked_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self._captions: list[QLabel] = []
        self._viewers: list[ImageViewer] = []
        self._syncing = False
        for _ in range(2):
            pane = QWidget(splitter)
            column = QVBoxLayout(pane)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            caption = QLabel(pane)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            viewer = ImageViewer(pane)
            column.addWidget(caption)
            column.addWidget(viewer, 1)
            splitter.addWidget(pane)
            self._captions.append(caption)
            self._viewers.append(viewer)
        for source, other in (
            (self._viewers[0], self._viewers[1]),
            (self._viewers[1], self._viewers[0]),
        ):
            source.zoom_changed.connect(lambda _zoom, s=source, o=other: self._follow(s, o))
            source.view_moved.connect(lambda s=source, o=other: self._follow(s, o, zoom=False))

        self._link_button = QToolButton(self)
        self._link_button.setObjectName("compareLinkButton")
        self._link_button.setText(self.tr("联动缩放"))
        self._link_button.setToolTip(self.tr("开启后，两侧一起放大、缩小和移动"))
        self._link_button.setCheckable(True)
        self._link_button.setAutoRaise(True)
        self._link_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._link_button.toggled.connect(self._on_link_toggled)

        self._top = QHBoxLayout()
        self._top.setContentsMargins(4, 0, 4, 0)
        self._top.addStretch(1)
        self._top.addWidget(self._link_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._top)
        layout.addWidget(splitter, 1)

    @property
    def left(self) -> ImageViewer:
        """The viewer on the left."""
        return self._viewers[0]

    @property
    def right(self) -> ImageViewer:
        """The viewer on the right."""
        return self._viewers[1]

    @property
    def viewers(self) -> tuple[ImageViewer, ImageViewer]:
        """Both viewers, left first."""
        return self._viewers[0], self._viewers[1]

    @property
    def linked(self) -> bool:
        """Whether zoom and position of the two sides move together."""
        return self._link_button.isChecked()

    @property
    def link_button(self) -> QToolButton:
        """The toggle for :attr:`linked`, for tests."""
        return self._link_button

    def take_link_button(self) -> QToolButton:
        """The link toggle, out of this view's own row: for a caller with a row of its own
        (the attachments pane puts it beside the compare choice, saving a line)."""
        self._top.removeWidget(self._link_button)
        return self._link_button

    def set_linked(self, on: bool) -> None:
        """Link (or unlink) the two sides; linking brings the right side to the left's view."""
        self._link_button.setChecked(on)

    def set_captions(self, left: str, right: str) -> None:
        """Name the two attachments being compared (e.g. "户口本首页", "房产证")."""
        self._captions[0].setText(left)
        self._captions[1].setText(right)

    def captions(self) -> tuple[str, str]:
        """The two captions, left first."""
        return self._captions[0].text(), self._captions[1].text()

    def resync(self) -> None:
        """Bring the right side to the left's view (after a new picture, when linked)."""
        if self.linked:
            self._follow(self.left, self.right)

    def _on_link_toggled(self, on: bool) -> None:
        if on:
            self._follow(self.left, self.right)
        self.linked_changed.emit(on)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _follow(self, source: ImageViewer, other: ImageViewer, *, zoom: bool = True) -> None:
        if not self.linked or self._syncing or not (source.has_image and other.has_image):
            return
        with self._guard():
            if zoom:
                relative = source.zoom_factor / source.fit_page_zoom()
                other.set_zoom(relative * other.fit_page_zoom())
            other.center_on_fraction(*source.center_fraction())


@dataclass(frozen=True)
class ThumbnailEntry:
    """One entry of a :class:`ThumbnailStrip`: a photo, or one page of a PDF.

    ``image`` is a small pre-decoded picture (``None`` while it is still being prepared);
    ``detail`` is a second line such as "第 2/5 页"; ``unreadable_reason`` marks an entry
    that cannot be displayed.
    """

    label: str
    image: QImage | None = None
    unreadable_reason: str | None = None
    detail: str = ""


class ThumbnailStrip(QListWidget):
    """A horizontal strip of thumbnails with their labels.

    Each entry shows its label on one line (elided, the full text in the tooltip) and,
    on a second line, its page or that it cannot be shown: the label itself is never
    altered, so nothing is appended to it twice and no state hides behind an ellipsis.
    Emits ``attachment_selected(index)`` when the reviewer picks one (mouse or keys).
    """

    attachment_selected = Signal(int)

    THUMBNAIL_SIZE = QSize(120, 90)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(self.THUMBNAIL_SIZE)
        self.setGridSize(QSize(self.THUMBNAIL_SIZE.width() + 24, self.THUMBNAIL_SIZE.height() + 44))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(self.THUMBNAIL_SIZE.height() + 64)
        self.currentRowChanged.connect(self._on_current_row_changed)
        self._placeholder = self._make_placeholder()

    def set_attachments(self, entries: Sequence[ThumbnailEntry], current: int = -1) -> None:
        """Replace the strip's contents and select ``current`` (-1: nothing); emits nothing."""
        self.blockSignals(True)
        try:
            self.clear()
            for entry in entries:
                item = QListWidgetItem()
                self.addItem(item)
                self._render(item, entry)
            if 0 <= current < self.count():
                self.setCurrentRow(current)
        finally:
            self.blockSignals(False)

    def set_thumbnail(self, index: int, image: QImage) -> None:
        """Fill in the picture of entry ``index`` once it has been decoded."""
        item = self.item(index)
        if item is not None:
            self._render(item, self._entry_of(item, image=image))

    def set_unreadable(self, index: int, reason: str) -> None:
        """Mark entry ``index`` as unreadable, giving ``reason`` in its tooltip."""
        item = self.item(index)
        if item is not None:
            self._render(item, self._entry_of(item, unreadable_reason=reason))

    def is_unreadable(self, index: int) -> bool:
        """Whether entry ``index`` is marked unreadable."""
        item = self.item(index)
        return item is not None and item.data(_UNREADABLE_ROLE) is not None

    def has_thumbnail(self, index: int) -> bool:
        """Whether entry ``index`` shows its picture (not the placeholder or a warning)."""
        item = self.item(index)
        return item is not None and bool(item.data(_HAS_IMAGE_ROLE))

    def label(self, index: int) -> str:
        """The label of entry ``index`` as given (the text shows it elided)."""
        item = self.item(index)
        return self._label_of(item) if item is not None else ""

    # --- internals ----------------------------------------------------------------------------

    def _entry_of(
        self,
        item: QListWidgetItem,
        *,
        image: QImage | None = None,
        unreadable_reason: str | None = None,
    ) -> ThumbnailEntry:
        detail = item.data(_DETAIL_ROLE)
        return ThumbnailEntry(
            label=self._label_of(item),
            image=image,
            unreadable_reason=unreadable_reason,
            detail=detail if isinstance(detail, str) else "",
        )

    def _elided(self, text: str) -> str:
        width = self.gridSize().width() - 8
        return QFontMetrics(self.font()).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def _render(self, item: QListWidgetItem, entry: ThumbnailEntry) -> None:
        item.setData(_LABEL_ROLE, entry.label)
        item.setData(_DETAIL_ROLE, entry.detail)
        item.setData(_UNREADABLE_ROLE, entry.unreadable_reason)
        tooltip = f"{entry.label}  {entry.detail}".strip()
        if entry.unreadable_reason is not None:
            second = QCoreApplication.translate("ThumbnailStrip", "无法显示")
            if entry.detail:
                second = f"{entry.detail} · {second}"
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setText(f"{self._elided(entry.label)}\n{self._elided(second)}")
            item.setToolTip(f"{tooltip}\n{entry.unreadable_reason}")
            item.setForeground(QColor(183, 28, 28))
            item.setData(_HAS_IMAGE_ROLE, False)
            return
        text = self._elided(entry.label)
        if entry.detail:
            text += "\n" + self._elided(entry.detail)
        item.setText(text)
        item.setToolTip(tooltip)
        item.setData(Qt.ItemDataRole.ForegroundRole, None)
        if entry.image is None or entry.image.isNull():
            item.setIcon(self._placeholder)
            item.setData(_HAS_IMAGE_ROLE, False)
        else:
            scaled = entry.image
            if (
                scaled.width() > self.THUMBNAIL_SIZE.width()
                or scaled.height() > self.THUMBNAIL_SIZE.height()
            ):
                # Thumbnails normally arrive at this size already (scaled off the GUI thread).
                scaled = scaled.scaled(
                    self.THUMBNAIL_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            item.setIcon(QIcon(QPixmap.fromImage(scaled)))
            item.setData(_HAS_IMAGE_ROLE, True)

    def _label_of(self, item: QListWidgetItem) -> str:
        label = item.data(_LABEL_ROLE)
        return label if isinstance(label, str) else item.text()

    def _make_placeholder(self) -> QIcon:
        pixmap = QPixmap(self.THUMBNAIL_SIZE)
        pixmap.fill(QColor(224, 224, 224))
        return QIcon(pixmap)

    def _on_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.attachment_selected.emit(row)


_LABEL_ROLE = Qt.ItemDataRole.UserRole + 1
_UNREADABLE_ROLE = Qt.ItemDataRole.UserRole + 2
_DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
_HAS_IMAGE_ROLE = Qt.ItemDataRole.UserRole + 4
