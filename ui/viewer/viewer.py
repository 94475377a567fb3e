"""Attachment viewing widgets: a zoomable image view, a side-by-side compare, a thumbnail strip.

None of these widgets decodes anything. They display ``QImage`` objects a background task
prepared with :mod:`app.intake.imaging` and announce what they need through signals
(``full_resolution_wanted``, ``adjustments_changed``), so the GUI thread never waits on
image work.

Zoom is measured against the *original* picture: ``zoom_factor == 1.0`` shows one screen
pixel per pixel of the uploaded photo, whether the pixmap on screen is a downscaled
preview or the full decode. The preview is simply drawn larger in scene coordinates, so
swapping in the full-resolution image later does not move anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
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
    QToolBar,
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

    The copy detaches the image from ``data``'s buffer. ``QImage`` may be built on a
    worker thread, so call this there, not on the GUI thread.
    """
    return QImage(data, width, height, stride, QImage.Format.Format_RGB888).copy()


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


class ImageViewer(QWidget):
    """Shows one attachment picture with zoom, pan, view rotation and brightness/contrast.

    Feed it with :meth:`set_image` (a preview), answer ``full_resolution_wanted`` with
    ``set_image(full_image, full=True)``, and answer ``adjustments_changed`` with
    :meth:`update_image`. :meth:`set_unreadable` shows why a file cannot be displayed and
    offers "退回补拍".
    """

    zoom_changed = Signal(float)
    rotation_changed = Signal(int)
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

    def _build_toolbar(self) -> QWidget:
        # A QToolBar, not a row of buttons: when half a compare view is narrower than the
        # buttons, the rest go into its overflow menu instead of widening the window.
        bar = QToolBar(self)
        bar.setIconSize(bar.iconSize())
        bar.setContentsMargins(2, 0, 2, 0)

        def button(text: str, tip: str, slot: object) -> QToolButton:
            tool = QToolButton(bar)
            tool.setText(text)
            tool.setToolTip(tip)
            tool.setAutoRaise(True)
            # Keyboard focus stays on the picture, where +/− work.
            tool.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tool.clicked.connect(slot)
            bar.addWidget(tool)
            return tool

        self._zoom_out_button = button(self.tr("缩小"), self.tr("缩小（−）"), self.zoom_out)
        self._zoom_in_button = button(self.tr("放大"), self.tr("放大（+）"), self.zoom_in)
        self._zoom_label = QLabel(bar)
        self._zoom_label.setMinimumWidth(48)
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar.addWidget(self._zoom_label)
        button(self.tr("适合页面"), self.tr("整张图片显示在窗口内"), self.fit_page)
        button(self.tr("适合宽度"), self.tr("图片宽度与窗口一致"), self.fit_width)
        button(self.tr("实际大小"), self.tr("按原图 1:1 显示"), self.actual_size)
        button(self.tr("左转"), self.tr("向左旋转 90°（只旋转显示）"), self.rotate_left)
        button(self.tr("右转"), self.tr("向右旋转 90°（只旋转显示）"), self.rotate_right)
        bar.addSeparator()
        adjust_button = QToolButton(bar)
        adjust_button.setText(self.tr("亮度/对比度"))
        adjust_button.setToolTip(self.tr("调亮偏暗的照片，增强文字与背景的反差"))
        adjust_button.setAutoRaise(True)
        adjust_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        adjust_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # In a popup, so the toolbar fits half a compare view.
        menu = QMenu(adjust_button)
        panel_action = QWidgetAction(menu)
        panel_action.setDefaultWidget(self._build_adjust_panel())
        menu.addAction(panel_action)
        adjust_button.setMenu(menu)
        bar.addWidget(adjust_button)
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

    def _fit_zoom(self) -> float:
        width, height = self._rotated_size()
        if width <= 0 or height <= 0:
            return 1.0
        # Without scrollbars: a fitted picture needs none. The pixel of slack keeps
        # rounding from summoning a scrollbar that would shrink the viewport again.
        available = self._view.maximumViewportSize()
        room_w, room_h = max(1, available.width() - 1), max(1, available.height() - 1)
        if self._fit_mode is _FitMode.WIDTH:
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
            self._zoom = min(max(self._fit_zoom(), ZOOM_MIN), ZOOM_MAX)
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
    """Two :class:`ImageViewer` side by side, for comparing two attachments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self._captions: list[QLabel] = []
        self._viewers: list[ImageViewer] = []
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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

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

    def set_captions(self, left: str, right: str) -> None:
        """Name the two attachments being compared (e.g. "户口本首页", "房产证")."""
        self._captions[0].setText(left)
        self._captions[1].setText(right)

    def captions(self) -> tuple[str, str]:
        """The two captions, left first."""
        return self._captions[0].text(), self._captions[1].text()


@dataclass(frozen=True)
class ThumbnailEntry:
    """One attachment in a :class:`ThumbnailStrip`.

    ``image`` is a small pre-decoded picture (``None`` while it is still being prepared);
    ``unreadable_reason`` marks an attachment that cannot be displayed.
    """

    label: str
    image: QImage | None = None
    unreadable_reason: str | None = None


class ThumbnailStrip(QListWidget):
    """A horizontal strip of attachment thumbnails with their labels.

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
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(self.THUMBNAIL_SIZE.height() + 64)
        self.currentRowChanged.connect(self._on_current_row_changed)
        self._placeholder = self._make_placeholder()

    def set_attachments(self, entries: Sequence[ThumbnailEntry]) -> None:
        """Replace the strip's contents; selects nothing and emits nothing."""
        self.blockSignals(True)
        try:
            self.clear()
            for entry in entries:
                item = QListWidgetItem()
                self.addItem(item)
                self._render(item, entry)
        finally:
            self.blockSignals(False)

    def set_thumbnail(self, index: int, image: QImage) -> None:
        """Fill in the picture of attachment ``index`` once it has been decoded."""
        item = self.item(index)
        if item is not None:
            self._render(item, ThumbnailEntry(label=self._label_of(item), image=image))

    def set_unreadable(self, index: int, reason: str) -> None:
        """Mark attachment ``index`` as unreadable, giving ``reason`` as tooltip."""
        item = self.item(index)
        if item is not None:
            self._render(item, ThumbnailEntry(label=self._label_of(item), unreadable_reason=reason))

    def is_unreadable(self, index: int) -> bool:
        """Whether attachment ``index`` is marked unreadable."""
        item = self.item(index)
        return item is not None and item.data(_UNREADABLE_ROLE) is not None

    # --- internals ----------------------------------------------------------------------------

    def _render(self, item: QListWidgetItem, entry: ThumbnailEntry) -> None:
        item.setData(_LABEL_ROLE, entry.label)
        item.setData(_UNREADABLE_ROLE, entry.unreadable_reason)
        if entry.unreadable_reason is not None:
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setText(
                QCoreApplication.translate("ThumbnailStrip", "%1\n（无法读取）").replace(
                    "%1", entry.label
                )
            )
            item.setToolTip(entry.unreadable_reason)
            item.setForeground(QColor(183, 28, 28))
            return
        item.setText(entry.label)
        item.setToolTip(entry.label)
        item.setData(Qt.ItemDataRole.ForegroundRole, None)
        if entry.image is None or entry.image.isNull():
            item.setIcon(self._placeholder)
        else:
            scaled = entry.image.scaled(
                self.THUMBNAIL_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            item.setIcon(QIcon(QPixmap.fromImage(scaled)))

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
