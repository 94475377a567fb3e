"""The attachments pane: thumbnails, the main viewer, side-by-side compare, a detachable window.

The pane shows one round's attachments. Photos are one entry each in the thumbnail
strip; a PDF gets one entry per page (a :class:`Slot`) once its page count is known — at
first it is one entry, and it unfolds when the loader has read the document. Pictures
come from an :class:`ImageLoader` (decoded or rendered in the background at the viewer's
size in device pixels); the full resolution is decoded once, when the viewer asks for it;
brightness/contrast are applied in the background. An unreadable attachment shows the
viewer's unreadable panel, whose "退回补拍" is re-emitted as ``return_requested(ordinal)``.

Thumbnails wait until the picture the reviewer asked for is on screen. A PDF's further
pages are then made at most :data:`THUMBNAIL_CONCURRENCY` at a time, so a 100-page PDF's
thumbnails never stand in the queue in front of the page the reviewer clicks next.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.intake.imaging import PDF
from app.review.cases import AttachmentView
from ui.shell.labels import document_title, file_problem
from ui.shell.tasks import Generation
from ui.viewer.imageloader import ImageLoader, display_box, unreadable_reason
from ui.viewer.viewer import CompareView, ImageViewer, ThumbnailEntry, ThumbnailStrip

log = logging.getLogger(__name__)

THUMBNAIL_BOX = (240, 180)
THUMBNAIL_CONCURRENCY = 2  # the cpu lane's workers
BRIGHTEN_STEP = 20  # percent per press of B
VERDICT_LABELS = {
    "fine": "清晰",
    "unclear": "不清晰",
    "wrong_document": "材料不符",
    "suspicious": "存疑",
}


def is_pdf(attachment: AttachmentView) -> bool:
    """Whether ``attachment`` is a PDF document (shown page by page)."""
    return attachment.media_type == PDF


def _worth_decoding(attachment: AttachmentView) -> bool:
    # A PDF is always tried: one recorded before PDFs were supported says "unreadable",
    # and for one that really is unreadable the renderer gives the same reason again.
    return attachment.readable or is_pdf(attachment)


@dataclass(frozen=True)
class Slot:
    """One entry of the thumbnail strip: a photo, or one page of a PDF.

    ``index`` is the attachment's position in the round; ``page_count`` is ``None`` for a
    PDF whose pages are not known yet (it is shown as one entry until they are).
    """

    index: int
    attachment: AttachmentView
    page: int = 0
    page_count: int | None = 1

    @property
    def key(self) -> tuple[int, int]:
        """``(index, page)``: what stays the same when a PDF unfolds into its pages."""
        return (self.index, self.page)


def page_text(slot: Slot) -> str:
    """ "第 2/5 页" for a page of a PDF; empty for a photo."""
    if not is_pdf(slot.attachment):
        return ""
    if slot.page_count is None:
        return QCoreApplication.translate("AttachmentsPane", "PDF 文档")
    return (
        QCoreApplication.translate("AttachmentsPane", "第 %1/%2 页")
        .replace("%1", str(slot.page + 1))
        .replace("%2", str(slot.page_count))
    )


class ViewerFeeder(QObject):
    """Keeps one :class:`ImageViewer` supplied with the attachment page it should show."""

    return_requested = Signal(int)  # ordinal
    settled = Signal()  # the first picture (or the reason it cannot be shown) is on screen

    def __init__(self, viewer: ImageViewer, loader: ImageLoader, parent: QObject | None = None):
        super().__init__(parent)
        self.viewer = viewer
        self._loader = loader
        self._generation = Generation()  # advanced whenever the shown attachment changes
        self._adjust_generation = Generation()
        self.attachment: AttachmentView | None = None
        self.page = 0
        self._base: QImage | None = None  # the unadjusted pixels currently shown
        viewer.full_resolution_wanted.connect(self._on_full_wanted)
        viewer.adjustments_changed.connect(self._on_adjustments)
        viewer.return_requested.connect(self._on_return_requested)

    @property
    def base_image(self) -> QImage | None:
        """The unadjusted pixels on screen (a preview or the full picture), if any."""
        return self._base

    def box(self) -> tuple[int, int]:
        """The decode box for this viewer's current size."""
        view = self.viewer.view.viewport()
        return display_box(view.size(), view.devicePixelRatioF())

    def show(self, attachment: AttachmentView | None, page: int = 0) -> None:
        """Show page ``page`` of ``attachment`` (None: nothing). A cached picture appears
        synchronously; ``settled`` follows once something is on screen."""
        if (
            attachment is not None
            and self.attachment is not None
            and attachment.sha256 == self.attachment.sha256
            and attachment.ordinal == self.attachment.ordinal
            and page == self.page
            and (self.viewer.has_image or self.viewer.showing_unreadable)
        ):
            # The same picture: keep zoom, rotation and adjustments. It is on screen, so
            # whoever waits for this viewer to settle may go on.
            self.settled.emit()
            return
        self._generation.advance()
        self._adjust_generation.advance()
        self.attachment = attachment
        self.page = page
        self._base = None
        if attachment is None:
            self.viewer.clear()
            self.settled.emit()
            return
        if not _worth_decoding(attachment):
            self.viewer.set_unreadable(
                document_title(attachment.label),
                file_problem(attachment.reason) if attachment.reason else self.tr("无法识别的文件"),
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
            page=page,
        )

    def show_first(self, image: QImage) -> None:
        """Show ``image``, the picture the case opens on, before its attachment is known
        (the queue row named it). :meth:`show` of the real attachment replaces it."""
        self._generation.advance()
        self._adjust_generation.advance()
        self.attachment = None
        self.page = 0
        self._base = image
        self.viewer.set_image(image, original_size=image.size())
        self.settled.emit()

    def _original_size(self, image: QImage) -> tuple[int, int] | QSize:
        att = self.attachment
        if att is not None and is_pdf(att):
            info = self._loader.pdf_info(att.sha256)
            if info is not None and self.page < info.page_count:
                return info.page_pixels(self.page)
            return image.size()
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
        label = document_title(self.attachment.label) if self.attachment else ""
        if reason is None:
            log.error("cannot show attachment %s: %r", label, error)
            reason = self.tr("显示时出错（已记录）：%1").replace("%1", type(error).__name__)
        self.viewer.set_unreadable(label, reason)
        self.settled.emit()

    def _on_full_wanted(self) -> None:
        if self.attachment is None:
            return
        self._loader.request_full(
            self.attachment.sha256,
            self._on_full,
            self._on_error,
            generation=self._generation,
            page=self.page,
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
    """Thumbnails above, the selected attachment page (or two, compared) below."""

    current_changed = Signal(int)  # ordinal of the attachment now selected (-1: none)
    return_requested = Signal(int)  # ordinal of an unreadable attachment to ask for again
    compare_toggled = Signal(bool)
    settled = Signal()  # every picture shown is on screen, or says why it cannot be

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._attachments: tuple[AttachmentView, ...] = ()
        self._slots: list[Slot] = []
        self._verdicts: dict[int, str] = {}
        self._thumb_generation = Generation()
        self._first_generation = Generation()  # advanced when an expected picture is moot
        self._thumbs: dict[tuple[int, int], QImage] = {}
        self._thumb_errors: dict[tuple[int, int], str] = {}
        self._thumb_queue: deque[tuple[int, int]] = deque()
        self._thumbs_running = 0
        self._thumbs_started = False
        self._pumping = False
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
        self._compare_row = caption_row

        self.viewer = ImageViewer(self)
        self.viewer.setObjectName("mainViewer")
        self.compare_view = CompareView(self)
        self._link_button = self.compare_view.take_link_button()
        self._compare_row.addWidget(self._link_button)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.viewer)
        self._stack.addWidget(self.compare_view)

        self.main_feeder = ViewerFeeder(self.viewer, loader, self)
        self.left_feeder = ViewerFeeder(self.compare_view.left, loader, self)
        self.right_feeder = ViewerFeeder(self.compare_view.right, loader, self)
        for feeder in (self.main_feeder, self.left_feeder, self.right_feeder):
            feeder.return_requested.connect(self.return_requested)
            # Whoever waits for the picture goes first: thumbnails would compete with it.
            feeder.settled.connect(self._on_feeder_settled)
            feeder.settled.connect(self._thumbnails_after_paint)
        self._thumbnails_wanted = False
        loader.pdf_info_ready.connect(self._on_pdf_info_ready)

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
        self._first_generation.advance()  # the real attachments replace any expected one
        if [(a.ordinal, a.sha256) for a in attachments] == [
            (a.ordinal, a.sha256) for a in self._attachments
        ] and attachments:
            self._attachments = attachments
            return
        self._attachments = attachments
        self._verdicts = {}
        self._thumb_generation.advance()
        self._thumbs = {}
        self._thumb_errors = {}
        self._thumb_queue.clear()
        self._thumbs_running = 0  # stale thumbnails are dropped: nobody will count them down
        self._thumbs_started = False
        self._slots = [
            slot for index, a in enumerate(attachments) for slot in self._slots_of(index, a)
        ]
        self._second = 1 if len(self._slots) > 1 else -1
        # Before selecting: a picture already on screen settles at once.
        self._thumbnails_wanted = bool(attachments)
        self._rebuild_strip(current=-1)
        if not attachments:
            self.set_comparing(False)
            self._show_current()
        else:
            self.select(0)  # emits through the strip, shows the picture
        self._update_compare_controls()
        # Thumbnails wait until the main picture is on screen: decoding them alongside
        # would take the cpu lane's second core from the picture the reviewer waits for.
        if self._thumbnails_wanted and self._shown_viewers_settled():
            self._thumbnails_after_paint()

    def clear(self) -> None:
        self.set_attachments(())

    def prefetch(self, attachments: Sequence[AttachmentView], count: int = 2) -> None:
        """Decode the first ``count`` pictures (a PDF's first page) of ``attachments``."""
        box = self.main_feeder.box()
        wanted = [a for a in attachments if _worth_decoding(a)][:count]
        for att in wanted:
            self._loader.prefetch(att.sha256, box)
        for att in wanted:
            self._loader.prefetch(att.sha256, THUMBNAIL_BOX)

    def head_start(self, sha256: str) -> None:
        """Start decoding the picture about to be shown first (a photo, or a PDF's first
        page) at the main viewer's size, before its attachments are known."""
        self._loader.head_start(sha256, self._first_feeder().box())

    def expect_first(self, sha256: str) -> None:
        """Show picture ``sha256`` as soon as it is decoded, if the attachments are still
        unknown then: the case opens on it (see :meth:`head_start`). Any
        :meth:`set_attachments` or :meth:`clear` after this call cancels it."""
        feeder = self._first_feeder()
        generation = self._first_generation
        generation.advance()

        def shown(image: QImage) -> None:
            if not self._attachments and feeder is self._first_feeder():
                feeder.show_first(image)
            self.settled.emit()

        def failed(_error: BaseException) -> None:
            # The real attachment says why, once the attachments are read.
            self.settled.emit()

        self._loader.request(sha256, feeder.box(), shown, failed, generation=generation)

    def _first_feeder(self) -> ViewerFeeder:
        return self.left_feeder if self.is_comparing else self.main_feeder

    def set_verdicts(self, verdicts: dict[int, str]) -> None:
        """Show the reviewer's verdicts in the caption."""
        self._verdicts = dict(verdicts)
        self._update_caption()

    # --- state -------------------------------------------------------------------------

    @property
    def attachments(self) -> tuple[AttachmentView, ...]:
        return self._attachments

    @property
    def loader(self) -> ImageLoader:
        return self._loader

    @property
    def is_settled(self) -> bool:
        """Nothing to wait for: no attachments, or the pictures shown are on screen (or
        their unreadable reasons). ``settled`` is emitted when this becomes true."""
        return not self._slots or self._shown_viewers_settled()

    def paint_pictures_now(self) -> None:
        """Paint the pictures shown at once, not with the next frame: for a caller about
        to keep the GUI thread busy."""
        viewers = self.compare_view.viewers if self.is_comparing else (self.viewer,)
        for viewer in viewers:
            viewer.view.viewport().repaint()

    @property
    def slots(self) -> tuple[Slot, ...]:
        """The strip's entries: photos, and PDF pages once known."""
        return tuple(self._slots)

    @property
    def current_index(self) -> int:
        """The strip entry selected (a photo or a PDF page); -1 for none."""
        return self.strip.currentRow()

    @property
    def current_slot(self) -> Slot | None:
        index = self.current_index
        return self._slots[index] if 0 <= index < len(self._slots) else None

    @property
    def current(self) -> AttachmentView | None:
        slot = self.current_slot
        return slot.attachment if slot is not None else None

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

    def _zoom_targets(self) -> list[ImageViewer]:
        # Linked sides follow each other: zooming both would zoom twice.
        viewers = self.active_viewers()
        return viewers[:1] if self.is_comparing and self.compare_view.linked else viewers

    # --- navigation ----------------------------------------------------------------------

    def select(self, index: int) -> None:
        """Select strip entry ``index`` (a photo or a PDF page)."""
        if not self._slots:
            return
        index = max(0, min(index, len(self._slots) - 1))
        if self.strip.currentRow() == index:
            self._show_current()
        else:
            self.strip.setCurrentRow(index)  # → _on_selected

    def next_attachment(self) -> None:
        if self._slots:
            self.select((self.current_index + 1) % len(self._slots))

    def previous_attachment(self) -> None:
        if self._slots:
            self.select((self.current_index - 1) % len(self._slots))

    def toggle_compare(self) -> None:
        self.set_comparing(not self.is_comparing)

    def set_comparing(self, on: bool, second: int | None = None) -> None:
        """Compare the selected entry (left) with entry ``second`` (right)."""
        on = on and len(self._slots) > 1
        if second is not None:
            self._set_second(second)
        if on and self._second == self.current_index:
            self._set_second((self.current_index + 1) % len(self._slots))
        was = self.is_comparing
        self._stack.setCurrentWidget(self.compare_view if on else self.viewer)
        self._show_current()
        self._update_compare_controls()
        if was != on:
            self.compare_toggled.emit(on)

    def cycle_compare(self) -> None:
        """Next entry on the right (skipping the one on the left)."""
        n = len(self._slots)
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
        for viewer in self._zoom_targets():
            viewer.zoom_in()

    def zoom_out(self) -> None:
        for viewer in self._zoom_targets():
            viewer.zoom_out()

    def fit_page(self) -> None:
        for viewer in self._zoom_targets():
            viewer.fit_page()

    def fit_width(self) -> None:
        for viewer in self._zoom_targets():
            viewer.fit_width()

    def actual_size(self) -> None:
        for viewer in self._zoom_targets():
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

    # --- slots and the strip ------------------------------------------------------------------

    def _slots_of(self, index: int, attachment: AttachmentView) -> list[Slot]:
        if not is_pdf(attachment):
            return [Slot(index, attachment)]
        info = self._loader.pdf_info(attachment.sha256)
        if info is None:
            return [Slot(index, attachment, 0, None)]
        return [Slot(index, attachment, page, info.page_count) for page in range(info.page_count)]

    def _row_of(self, key: tuple[int, int]) -> int:
        for row, slot in enumerate(self._slots):
            if slot.key == key:
                return row
        return -1

    def _entry(self, slot: Slot) -> ThumbnailEntry:
        att = slot.attachment
        reason = self._thumb_errors.get(slot.key)
        if reason is None and not _worth_decoding(att):
            reason = file_problem(att.reason) if att.reason else ""
        return ThumbnailEntry(
            label=f"{att.ordinal + 1}. {document_title(att.label)}",
            image=self._thumbs.get(slot.key),
            unreadable_reason=reason,
            detail=page_text(slot),
        )

    def _rebuild_strip(self, current: int) -> None:
        self.strip.set_attachments([self._entry(slot) for slot in self._slots], current)
        self.compare_combo.blockSignals(True)
        self.compare_combo.clear()
        for slot in self._slots:
            self.compare_combo.addItem(self._slot_text(slot))
        self.compare_combo.setCurrentIndex(self._second)
        self.compare_combo.blockSignals(False)

    def _on_pdf_info_ready(self, sha256: str) -> None:
        info = self._loader.pdf_info(sha256)
        if info is None:
            return
        unfold = {
            slot.index
            for slot in self._slots
            if slot.page_count is None and slot.attachment.sha256 == sha256
        }
        if not unfold:
            return
        current = self.current_slot
        second = self._slots[self._second] if 0 <= self._second < len(self._slots) else None
        slots: list[Slot] = []
        for slot in self._slots:
            if slot.index in unfold:
                slots += [
                    Slot(slot.index, slot.attachment, page, info.page_count)
                    for page in range(info.page_count)
                ]
            else:
                slots.append(slot)
        self._slots = slots
        self._second = self._row_of(second.key) if second is not None else -1
        self._rebuild_strip(self._row_of(current.key) if current is not None else -1)
        if self._thumbs_started:
            for slot in slots:
                if slot.index in unfold and slot.page > 0:
                    self._thumb_queue.append(slot.key)
            self._pump_thumbnails()
        self._update_compare_controls()
        self._update_caption()

    def _pdf_failed(self, index: int, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        reason = unreadable_reason(error) or self.tr("显示时出错")
        key = (index, 0)
        self._thumb_errors[key] = reason
        row = self._row_of(key)
        if row >= 0:
            self.strip.set_unreadable(row, reason)

    # --- thumbnails ----------------------------------------------------------------------

    def _shown_viewers_settled(self) -> bool:
        viewers = self.compare_view.viewers if self.is_comparing else (self.viewer,)
        return all(v.has_image or v.showing_unreadable for v in viewers)

    def _on_feeder_settled(self) -> None:
        if self._slots and self._shown_viewers_settled():
            self.settled.emit()

    def _thumbnails_after_paint(self) -> None:
        """The thumbnails, after the picture on screen now is painted (on the next turn
        of the event loop): even cached ones take the GUI thread a few milliseconds."""
        if self._thumbnails_wanted:
            QTimer.singleShot(0, self._request_thumbnails)

    def _request_thumbnails(self) -> None:
        if not self._thumbnails_wanted or not self._shown_viewers_settled():
            return
        self._thumbnails_wanted = False
        self._thumbs_started = True
        generation = self._thumb_generation
        for index, att in enumerate(self._attachments):
            if is_pdf(att) and self._loader.pdf_info(att.sha256) is None:
                # Its pages: the strip unfolds on pdf_info_ready, or says why it cannot.
                self._loader.request_pdf_info(
                    att.sha256,
                    None,
                    functools.partial(self._pdf_failed, index),
                    generation=generation,
                )
        # The pictures on screen are decoded already: shrink them, no second decode.
        for feeder in (self.main_feeder, self.left_feeder, self.right_feeder):
            shown, base = feeder.attachment, feeder.base_image
            if shown is None or base is None or not feeder.viewer.isVisibleTo(self):
                continue
            for slot in self._slots:
                if (
                    slot.attachment.sha256 == shown.sha256
                    and slot.page == feeder.page
                    and slot.key not in self._thumbs
                ):
                    self._thumbs[slot.key] = QImage()  # reserved: not queued again
                    self._loader.shrink(
                        base,
                        QSize(*THUMBNAIL_BOX),
                        functools.partial(self._thumbnail_done, slot.key, False),
                        generation=generation,
                    )
        for slot in self._slots:
            if not _worth_decoding(slot.attachment) or slot.key in self._thumbs:
                continue
            if slot.page == 0:
                # One per attachment, as many as the round has: requested at once.
                self._request_thumbnail(slot, counted=False)
            else:
                self._thumb_queue.append(slot.key)
        self._pump_thumbnails()

    def _request_thumbnail(self, slot: Slot, *, counted: bool) -> None:
        self._loader.request(
            slot.attachment.sha256,
            THUMBNAIL_BOX,
            functools.partial(self._thumbnail_done, slot.key, counted),
            functools.partial(self._thumbnail_failed, slot.key, counted),
            generation=self._thumb_generation,
            page=slot.page,
        )

    def _pump_thumbnails(self) -> None:
        # Further pages of PDFs (up to MAX_PDF_PAGES each) go a few at a time.
        if self._pumping:
            return  # a thumbnail that came from the cache inside the loop below
        self._pumping = True
        try:
            while self._thumb_queue and self._thumbs_running < THUMBNAIL_CONCURRENCY:
                key = self._thumb_queue.popleft()
                row = self._row_of(key)
                if row < 0 or key in self._thumbs or key in self._thumb_errors:
                    continue
                self._thumbs_running += 1
                self._request_thumbnail(self._slots[row], counted=True)
        finally:
            self._pumping = False

    def _thumbnail_done(self, key: tuple[int, int], counted: bool, image: QImage) -> None:
        if not shiboken6.isValid(self):
            return  # the pane was closed while the thumbnail was made
        if counted:
            self._thumbs_running -= 1
        self._thumbs[key] = image
        row = self._row_of(key)
        if row >= 0:
            self.strip.set_thumbnail(row, image)
        self._pump_thumbnails()

    def _thumbnail_failed(self, key: tuple[int, int], counted: bool, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if counted:
            self._thumbs_running -= 1
        reason = unreadable_reason(error) or self.tr("显示时出错")
        self._thumb_errors[key] = reason
        row = self._row_of(key)
        if row >= 0:
            self.strip.set_unreadable(row, reason)
        self._pump_thumbnails()

    # --- internals -----------------------------------------------------------------------

    def _on_selected(self, index: int) -> None:
        if self.is_comparing and index == self._second and len(self._slots) > 1:
            self._set_second((index + 1) % len(self._slots))
        self._show_current()
        current = self.current
        self.current_changed.emit(current.ordinal if current is not None else -1)

    def _on_compare_combo(self, index: int) -> None:
        if index < 0:
            return
        self._second = index
        if self.is_comparing:
            self._show_current()
        else:
            self.set_comparing(True)

    def _second_slot(self) -> Slot | None:
        return self._slots[self._second] if 0 <= self._second < len(self._slots) else None

    def _show_current(self) -> None:
        current = self.current_slot
        if self.is_comparing:
            second = self._second_slot()
            self.left_feeder.show(*self._shown(current))
            self.right_feeder.show(*self._shown(second))
        else:
            self.main_feeder.show(*self._shown(current))
        self._update_caption()

    @staticmethod
    def _shown(slot: Slot | None) -> tuple[AttachmentView | None, int]:
        return (slot.attachment, slot.page) if slot is not None else (None, 0)

    def _slot_text(self, slot: Slot) -> str:
        att = slot.attachment
        text = f"{att.ordinal + 1}. {document_title(att.label)}"
        page = page_text(slot)
        if page:
            text += f"  {page}"
        return text

    def _label(self, slot: Slot | None) -> str:
        if slot is None:
            return ""
        text = self._slot_text(slot)
        verdict = self._verdicts.get(slot.attachment.ordinal)
        if verdict:
            text += self.tr("（结论：%1）").replace("%1", self.tr(VERDICT_LABELS[verdict]))
        return text

    def _update_caption(self) -> None:
        current = self.current_slot
        if current is None:
            self._caption.setText(self.tr("没有附件"))
            return
        position = f"  {current.index + 1}/{len(self._attachments)}"
        self._caption.setText(self._label(current) + position)
        if self.is_comparing:
            self.compare_view.set_captions(self._label(current), self._label(self._second_slot()))

    def _update_compare_controls(self) -> None:
        visible = len(self._slots) > 1
        self._compare_label.setVisible(visible)
        self.compare_combo.setVisible(visible)
        self._link_button.setVisible(visible and self.is_comparing)


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
