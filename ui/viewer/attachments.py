"""The attachments pane: thumbnails, the main viewer, side-by-side compare, a detachable window.

The pane shows one round's attachments. Pictures come from an :class:`ImageLoader`
(decoded in the background at the viewer's size in device pixels); the full resolution is
decoded once, when the viewer asks for it; brightness/contrast are applied in the
background. An unreadable attachment shows the viewer's unreadable panel, whose
"退回补拍" is re-emitted as ``return_requested(ordinal)``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.review.cases import AttachmentView
from ui.shell.tasks import Generation
from ui.viewer.imageloader import ImageLoader, display_box, unreadable_reason
from ui.viewer.viewer import CompareView, ImageViewer, ThumbnailEntry, ThumbnailStrip

log = logging.getLogger(__name__)

THUMBNAIL_BOX = (240, 180)
BRIGHTEN_STEP = 20  # percent per press of B
VERDICT_LABELS = {
    "fine": "清晰",
    "unclear": "不清晰",
    "wrong_document": "材料不符",
    "suspicious": "存疑",
}


class ViewerFeeder(QObject):
    """Keeps one :class:`ImageViewer` supplied with the attachment it should show."""

    return_requested = Signal(int)  # ordinal
    settled = Signal()  # the first picture (or the reason it cannot be shown) is on screen

    def __init__(self, viewer: ImageViewer, loader: ImageLoader, parent: QObject | None = None):
        super().__init__(parent)
        self.viewer = viewer
        self._loader = loader
        self._generation = Generation()  # advanced whenever the shown attachment changes
        self._adjust_generation = Generation()
        self.attachment: AttachmentView | None = None
        self._base: QImage | None = None  # the unadjusted pixels currently shown
        viewer.full_resolution_wanted.connect(self._on_full_wanted)
        viewer.adjustments_changed.connect(self._on_adjustments)
        viewer.return_requested.connect(self._on_return_requested)

    def box(self) -> tuple[int, int]:
        """The decode box for this viewer's current size."""
        view = self.viewer.view.viewport()
        return display_box(view.size(), view.devicePixelRatioF())

    def show(self, attachment: AttachmentView | None) -> None:
        """Show ``attachment`` (None: nothing). A cached picture appears synchronously."""
        if (
            attachment is not None
            and self.attachment is not None
            and attachment.sha256 == self.attachment.sha256
            and attachment.ordinal == self.attachment.ordinal
            and (self.viewer.has_image or self.viewer.showing_unreadable)
        ):
            return  # the same picture: keep zoom, rotation and adjustments
        self._generation.advance()
        self._adjust_generation.advance()
        self.attachment = attachment
        self._base = None
        if attachment is None:
            self.viewer.clear()
            self.settled.emit()
            return
        if not attachment.readable:
            self.viewer.set_unreadable(
                attachment.label, attachment.reason or self.tr("无法识别的文件")
            )
            self.settled.emit()
            return
        self.viewer.clear()
        self._loader.request(
            attachment.sha256,
            self.box(),
            self._on_preview,
            self._on_error,
            generation=self._generation,
        )

    def _original_size(self, image: QImage) -> tuple[int, int] | QSize:
        att = self.attachment
        if att is not None and att.width and att.height:
            return (att.width, att.height)
        return image.size()

    def _on_preview(self, image: QImage) -> None:
        self._base = image
        self.viewer.set_image(image, original_size=self._original_size(image))
        self.settled.emit()

    def _on_full(self, image: QImage) -> None:
        self._base = image
        self.viewer.set_image(image, full=True, original_size=self._original_size(image))
        brightness, contrast = self.viewer.adjustments
        if (brightness, contrast) != (1.0, 1.0):
            self._on_adjustments(brightness, contrast)

    def _on_error(self, error: BaseException) -> None:
        reason = unreadable_reason(error)
        label = self.attachment.label if self.attachment else ""
        if reason is None:
            log.error("cannot show attachment %s: %r", label, error)
            reason = self.tr("显示时出错（已记录）：%1").replace("%1", type(error).__name__)
        self.viewer.set_unreadable(label, reason)
        self.settled.emit()

    def _on_full_wanted(self) -> None:
        if self.attachment is None:
            return
        self._loader.request_full(
            self.attachment.sha256, self._on_full, self._on_error, generation=self._generation
        )

    def _on_adjustments(self, brightness: float, contrast: float) -> None:
        if self._base is None:
            return
        self._adjust_generation.advance()
        if (brightness, contrast) == (1.0, 1.0):
            self.viewer.update_image(self._base)
            return
        self._loader.adjust(
            self._base,
            brightness,
            contrast,
            self.viewer.update_image,
            self._on_error,
            generation=self._adjust_generation,
        )

    def _on_return_requested(self) -> None:
        if self.attachment is not None:
            self.return_requested.emit(self.attachment.ordinal)


class AttachmentsPane(QWidget):
    """Thumbnails above, the selected attachment (or two, compared) below."""

    current_changed = Signal(int)  # ordinal of the attachment now selected (-1: none)
    return_requested = Signal(int)  # ordinal of an unreadable attachment to ask for again
    compare_toggled = Signal(bool)

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._attachments: tuple[AttachmentView, ...] = ()
        self._verdicts: dict[int, str] = {}
        self._thumb_generation = Generation()
        self._second = -1

        self.strip = ThumbnailStrip(self)
        self.strip.attachment_selected.connect(self._on_selected)

        self._caption = QLabel(self)
        self._caption.setObjectName("attachmentCaption")
        font = self._caption.font()
        font.setBold(True)
        self._caption.setFont(font)
        self._compare_label = QLabel(self.tr("对比："), self)
        self.compare_combo = QComboBox(self)
        self.compare_combo.setToolTip(self.tr("对比时右侧显示的附件（Shift+C 切换）"))
        self.compare_combo.currentIndexChanged.connect(self._on_compare_combo)
        caption_row = QHBoxLayout()
        caption_row.setContentsMargins(4, 0, 4, 0)
        caption_row.addWidget(self._caption, 1)
        caption_row.addWidget(self._compare_label)
        caption_row.addWidget(self.compare_combo)

        self.viewer = ImageViewer(self)
        self.viewer.setObjectName("mainViewer")
        self.compare_view = CompareView(self)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.viewer)
        self._stack.addWidget(self.compare_view)

        self.main_feeder = ViewerFeeder(self.viewer, loader, self)
        self.left_feeder = ViewerFeeder(self.compare_view.left, loader, self)
        self.right_feeder = ViewerFeeder(self.compare_view.right, loader, self)
        for feeder in (self.main_feeder, self.left_feeder, self.right_feeder):
            feeder.return_requested.connect(self.return_requested)
            feeder.settled.connect(self._request_thumbnails)
        self._thumbnails_wanted = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.strip)
        layout.addLayout(caption_row)
        layout.addWidget(self._stack, 1)
        self._update_compare_controls()

    # --- feeding -----------------------------------------------------------------------

    def set_attachments(self, attachments: Sequence[AttachmentView]) -> None:
        """Show these attachments and select the first. The same list again changes nothing."""
        attachments = tuple(attachments)
        if [(a.ordinal, a.sha256) for a in attachments] == [
            (a.ordinal, a.sha256) for a in self._attachments
        ] and attachments:
            self._attachments = attachments
            return
        self._attachments = attachments
        self._verdicts = {}
        self._second = 1 if len(attachments) > 1 else -1
        self._thumb_generation.advance()
        self.strip.set_attachments(
            [
                ThumbnailEntry(
                    label=f"{a.ordinal + 1}. {a.label}",
                    unreadable_reason=None if a.readable else (a.reason or ""),
                )
                for a in attachments
            ]
        )
        self.compare_combo.blockSignals(True)
        self.compare_combo.clear()
        for a in attachments:
            self.compare_combo.addItem(f"{a.ordinal + 1}. {a.label}")
        self.compare_combo.setCurrentIndex(self._second)
        self.compare_combo.blockSignals(False)
        if not attachments:
            self.set_comparing(False)
            self._show_current()
        else:
            self.select(0)  # emits through the strip, shows the picture
        self._update_compare_controls()
        # Thumbnails wait until the main picture is on screen: decoding them alongside
        # would take the cpu lane's second core from the picture the reviewer waits for.
        self._thumbnails_wanted = True
        if self.main_feeder.viewer.has_image or self.main_feeder.viewer.showing_unreadable:
            self._request_thumbnails()

    def _request_thumbnails(self) -> None:
        if not self._thumbnails_wanted:
            return
        self._thumbnails_wanted = False
        shown = self.main_feeder.attachment
        base = self.main_feeder.viewer.pixmap
        for index, att in enumerate(self._attachments):
            if not att.readable:
                continue
            if shown is not None and att.sha256 == shown.sha256 and not base.isNull():
                # The picture on screen is already decoded: shrink it, no second decode.
                self.strip.set_thumbnail(index, base.toImage())
                continue
            self._loader.request(
                att.sha256,
                THUMBNAIL_BOX,
                functools.partial(self.strip.set_thumbnail, index),
                functools.partial(self._thumbnail_failed, index),
                generation=self._thumb_generation,
            )

    def clear(self) -> None:
        self.set_attachments(())

    def prefetch(self, attachments: Sequence[AttachmentView], count: int = 2) -> None:
        """Decode the first ``count`` readable pictures of ``attachments`` into the cache."""
        box = self.main_feeder.box()
        readable = [a for a in attachments if a.readable][:count]
        for att in readable:
            self._loader.prefetch(att.sha256, box)
        for att in readable:
            self._loader.prefetch(att.sha256, THUMBNAIL_BOX)

    def set_verdicts(self, verdicts: dict[int, str]) -> None:
        """Show the reviewer's verdicts in the caption."""
        self._verdicts = dict(verdicts)
        self._update_caption()

    # --- state -------------------------------------------------------------------------

    @property
    def attachments(self) -> tuple[AttachmentView, ...]:
        return self._attachments

    @property
    def current_index(self) -> int:
        return self.strip.currentRow()

    @property
    def current(self) -> AttachmentView | None:
        index = self.current_index
        return self._attachments[index] if 0 <= index < len(self._attachments) else None

    @property
    def second_index(self) -> int:
        return self._second

    @property
    def is_comparing(self) -> bool:
        return self._stack.currentWidget() is self.compare_view

    def active_viewers(self) -> list[ImageViewer]:
        """The viewers zoom and rotation keys act on: the focused one, else all shown."""
        if not self.is_comparing:
            return [self.viewer]
        for viewer in self.compare_view.viewers:
            if viewer.isAncestorOf(self.focusWidget()) or viewer.view.hasFocus():
                return [viewer]
        return list(self.compare_view.viewers)

    # --- navigation ----------------------------------------------------------------------

    def select(self, index: int) -> None:
        if not self._attachments:
            return
        index = max(0, min(index, len(self._attachments) - 1))
        if self.strip.currentRow() == index:
            self._show_current()
        else:
            self.strip.setCurrentRow(index)  # → _on_selected

    def next_attachment(self) -> None:
        if self._attachments:
            self.select((self.current_index + 1) % len(self._attachments))

    def previous_attachment(self) -> None:
        if self._attachments:
            self.select((self.current_index - 1) % len(self._attachments))

    def toggle_compare(self) -> None:
        self.set_comparing(not self.is_comparing)

    def set_comparing(self, on: bool, second: int | None = None) -> None:
        """Compare the selected attachment (left) with ``second`` (right)."""
        on = on and len(self._attachments) > 1
        if second is not None:
            self._set_second(second)
        if on and self._second == self.current_index:
            self._set_second((self.current_index + 1) % len(self._attachments))
        was = self.is_comparing
        self._stack.setCurrentWidget(self.compare_view if on else self.viewer)
        self._show_current()
        self._update_compare_controls()
        if was != on:
            self.compare_toggled.emit(on)

    def cycle_compare(self) -> None:
        """Next attachment on the right (skipping the one on the left)."""
        n = len(self._attachments)
        if n < 2:
            return
        second = (self._second + 1) % n
        if second == self.current_index:
            second = (second + 1) % n
        self._set_second(second)
        if not self.is_comparing:
            self.set_comparing(True)
        else:
            self._show_current()

    def _set_second(self, index: int) -> None:
        self._second = index
        self.compare_combo.blockSignals(True)
        self.compare_combo.setCurrentIndex(index)
        self.compare_combo.blockSignals(False)

    # --- viewer actions ------------------------------------------------------------------

    def zoom_in(self) -> None:
        for viewer in self.active_viewers():
            viewer.zoom_in()

    def zoom_out(self) -> None:
        for viewer in self.active_viewers():
            viewer.zoom_out()

    def fit_page(self) -> None:
        for viewer in self.active_viewers():
            viewer.fit_page()

    def fit_width(self) -> None:
        for viewer in self.active_viewers():
            viewer.fit_width()

    def actual_size(self) -> None:
        for viewer in self.active_viewers():
            viewer.actual_size()

    def rotate_left(self) -> None:
        for viewer in self.active_viewers():
            viewer.rotate_left()

    def rotate_right(self) -> None:
        for viewer in self.active_viewers():
            viewer.rotate_right()

    def brighten(self) -> None:
        for viewer in self.active_viewers():
            viewer.brightness_slider.setValue(viewer.brightness_slider.value() + BRIGHTEN_STEP)
            viewer.contrast_slider.setValue(viewer.contrast_slider.value() + BRIGHTEN_STEP)

    def reset_adjustments(self) -> None:
        for viewer in self.active_viewers():
            viewer.reset_adjustments()

    # --- internals -----------------------------------------------------------------------

    def _on_selected(self, index: int) -> None:
        if self.is_comparing and index == self._second and len(self._attachments) > 1:
            self._set_second((index + 1) % len(self._attachments))
        self._show_current()
        self.current_changed.emit(self._attachments[index].ordinal if self._attachments else -1)

    def _on_compare_combo(self, index: int) -> None:
        if index < 0:
            return
        self._second = index
        if self.is_comparing:
            self._show_current()
        else:
            self.set_comparing(True)

    def _show_current(self) -> None:
        current = self.current
        if self.is_comparing:
            second = (
                self._attachments[self._second]
                if 0 <= self._second < len(self._attachments)
                else None
            )
            self.left_feeder.show(current)
            self.right_feeder.show(second)
            self.compare_view.set_captions(
                self._label(current), self._label(second) if second else ""
            )
        else:
            self.main_feeder.show(current)
        self._update_caption()

    def _label(self, att: AttachmentView | None) -> str:
        if att is None:
            return ""
        text = f"{att.ordinal + 1}. {att.label}"
        verdict = self._verdicts.get(att.ordinal)
        if verdict:
            text += self.tr("（结论：%1）").replace("%1", self.tr(VERDICT_LABELS[verdict]))
        return text

    def _update_caption(self) -> None:
        current = self.current
        if current is None:
            self._caption.setText(self.tr("没有附件"))
            return
        position = f"  {self.current_index + 1}/{len(self._attachments)}"
        self._caption.setText(self._label(current) + position)
        if self.is_comparing:
            second = (
                self._attachments[self._second]
                if 0 <= self._second < len(self._attachments)
                else None
            )
            self.compare_view.set_captions(self._label(current), self._label(second))

    def _update_compare_controls(self) -> None:
        visible = len(self._attachments) > 1
        self._compare_label.setVisible(visible)
        self.compare_combo.setVisible(visible)

    def _thumbnail_failed(self, index: int, error: BaseException) -> None:
        reason = unreadable_reason(error)
        self.strip.set_unreadable(index, reason or self.tr("显示时出错"))


class DetachedAttachmentsWindow(QWidget):
    """A top-level window holding the attachments pane, for a second monitor.

    Closing it gives the pane back (``closed`` is emitted); it follows the case because it
    holds the very pane the case view feeds.
    """

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("附件"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self.resize(1200, 900)

    def hold(self, pane: QWidget) -> None:
        self._layout.addWidget(pane)

    def set_case_title(self, case_no: str) -> None:
        self.setWindowTitle(self.tr("附件 — %1").replace("%1", case_no))

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.closed.emit()
        super().closeEvent(event)
