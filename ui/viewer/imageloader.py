"""Background decoding of attachment pictures, with a small LRU of ready ``QImage`` objects.

Every decode runs in the task manager's ``cpu`` lane: the blob is read, decoded with
:func:`app.intake.imaging.decode_for_display` (shrink-on-decode) or :func:`decode_full`, and
turned into a ``QImage`` on the worker thread, so the GUI thread only swaps a pixmap.

Results are cached by ``(sha256, box width, box height)`` — the box is the display size
in device pixels, rounded up to :data:`BOX_STEP` so that a viewer a few pixels larger or
smaller still hits the cache. A prefetch for the next case's first pictures fills the
same cache, so opening that case shows its first picture from memory in one frame.

Requests for the same key while a decode is running share that decode. The cache is
filled before callers are told, so a result nobody waits for any more (the reviewer moved
on) still serves the next request; stale *callers* are skipped by their ``Generation``.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PIL import Image
from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QImage

from app.intake.imaging import (
    ImageUnreadable,
    adjust,
    decode_for_display,
    decode_full,
    to_rgb_bytes,
)
from ui.shell.tasks import Generation, TaskManager
from ui.viewer.viewer import qimage_from_rgb

log = logging.getLogger(__name__)

BOX_STEP = 256
"""Display boxes are rounded up to a multiple of this many device pixels."""

MIN_BOX = QSize(1024, 768)
"""Smallest display decode: a viewer not yet laid out still gets a useful picture."""

DEFAULT_BUDGET_BYTES = 320 * 1024 * 1024
"""About eight full 12-MP decodes, or thirty display-size ones."""

FULL = (0, 0)
"""The box of a full-resolution decode in cache keys."""

REASON_NOT_LOCAL = "图片尚未下载到本机，请稍后再试"


Key = tuple[str, int, int]
DoneCallback = Callable[[QImage], None]
ErrorCallback = Callable[[BaseException], None]


def display_box(size: QSize, device_pixel_ratio: float = 1.0) -> tuple[int, int]:
    """The decode box for a viewer of ``size`` logical pixels: device pixels, rounded up."""
    width = max(MIN_BOX.width(), math.ceil(size.width() * device_pixel_ratio))
    height = max(MIN_BOX.height(), math.ceil(size.height() * device_pixel_ratio))
    return (
        math.ceil(width / BOX_STEP) * BOX_STEP,
        math.ceil(height / BOX_STEP) * BOX_STEP,
    )


def unreadable_reason(error: BaseException) -> str | None:
    """The reviewer-facing reason for a decode failure, or ``None`` if it is a bug."""
    if isinstance(error, ImageUnreadable):
        return error.reason
    # reviewdb.blobs.BlobError: the picture has not been synchronised to this computer.
    if type(error).__name__ == "BlobError":
        return REASON_NOT_LOCAL
    return None


def _to_qimage(img: Image.Image) -> QImage:
    data, width, height, stride = to_rgb_bytes(img)
    return qimage_from_rgb(data, width, height, stride)


def _to_pil(image: QImage) -> Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = rgb.bytesPerLine()
    raw = bytes(rgb.constBits())[: stride * rgb.height()]
    return Image.frombuffer("RGB", (rgb.width(), rgb.height()), raw, "raw", "RGB", stride, 1)


@dataclass
class _Waiter:
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    generation: Generation | None
    started_at: int

    def fresh(self) -> bool:
        return self.generation is None or self.generation.current == self.started_at


class ImageLoader(QObject):
    """Decodes attachments in the background and keeps the recent results.

    ``fetch(sha256) -> bytes`` reads a blob (``Workbench.attachment_bytes``); it runs on
    the worker thread together with the decode.
    """

    def __init__(
        self,
        fetch: Callable[[str], bytes],
        tasks: TaskManager,
        parent: QObject | None = None,
        *,
        budget_bytes: int = DEFAULT_BUDGET_BYTES,
    ) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._tasks = tasks
        self._budget = budget_bytes
        self._cache: OrderedDict[Key, QImage] = OrderedDict()
        self._cached_bytes = 0
        self._inflight: dict[Key, list[_Waiter]] = {}
        self.decodes = 0  # how many decodes actually ran, for tests and benchmarks

    # --- cache -------------------------------------------------------------------------

    def cached(self, sha256: str, box: tuple[int, int]) -> QImage | None:
        """The cached picture for ``(sha256, box)``, marking it recently used."""
        key = (sha256, box[0], box[1])
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
        return image

    def is_pending(self, sha256: str, box: tuple[int, int]) -> bool:
        """Whether a decode for ``(sha256, box)`` is running."""
        return (sha256, box[0], box[1]) in self._inflight

    @property
    def cached_bytes(self) -> int:
        """Bytes of pixels held by the cache."""
        return self._cached_bytes

    def clear(self) -> None:
        """Drop every cached picture (running decodes still complete)."""
        self._cache.clear()
        self._cached_bytes = 0

    def _store(self, key: Key, image: QImage) -> None:
        old = self._cache.pop(key, None)
        if old is not None:
            self._cached_bytes -= old.sizeInBytes()
        self._cache[key] = image
        self._cached_bytes += image.sizeInBytes()
        while self._cached_bytes > self._budget and len(self._cache) > 1:
            _, evicted = self._cache.popitem(last=False)
            self._cached_bytes -= evicted.sizeInBytes()

    # --- requests ----------------------------------------------------------------------

    def request(
        self,
        sha256: str,
        box: tuple[int, int],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
    ) -> bool:
        """Ask for ``sha256`` fitted in ``box`` device pixels.

        A cached picture is handed to ``on_done`` at once (returns True); otherwise the
        decode runs in the background and the callbacks follow unless ``generation``
        advanced meanwhile (returns False).
        """
        key = (sha256, box[0], box[1])
        image = self.cached(sha256, box)
        if image is not None:
            if on_done is not None:
                on_done(image)
            return True

        def work() -> QImage:
            data = self._fetch(sha256)
            if key[1:] == FULL:
                return _to_qimage(decode_full(data))
            return _to_qimage(decode_for_display(data, key[1], key[2]))

        self._start(key, work, on_done, on_error, generation)
        return False

    def request_full(
        self,
        sha256: str,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
    ) -> bool:
        """Ask for the full-resolution picture (for 1:1 zoom); as :meth:`request`."""
        return self.request(sha256, FULL, on_done, on_error, generation=generation)

    def prefetch(self, sha256: str, box: tuple[int, int]) -> None:
        """Decode into the cache ahead of need; errors are left for the real request."""
        if self.cached(sha256, box) is None and not self.is_pending(sha256, box):
            self.request(sha256, box, None, lambda _error: None)

    def adjust(
        self,
        image: QImage,
        brightness: float,
        contrast: float,
        on_done: DoneCallback,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
    ) -> None:
        """Brightness/contrast of ``image`` in the background (never cached)."""
        source = QImage(image)  # an implicitly shared copy: safe to read on the worker

        def work() -> QImage:
            return _to_qimage(adjust(_to_pil(source), brightness, contrast))

        def done(image: QImage) -> None:
            if shiboken6.isValid(self):
                on_done(image)

        self._tasks.run(work, done, on_error, lane="cpu", generation=generation)

    def _start(
        self,
        key: Key,
        work: Callable[[], QImage],
        on_done: DoneCallback | None,
        on_error: ErrorCallback | None,
        generation: Generation | None,
    ) -> None:
        waiter = _Waiter(on_done, on_error, generation, generation.current if generation else 0)
        waiting = self._inflight.get(key)
        if waiting is not None:
            waiting.append(waiter)
            return
        self._inflight[key] = [waiter]
        self.decodes += 1
        self._tasks.run(
            work,
            lambda image: self._finished(key, image, None),
            lambda error: self._finished(key, None, error),
            lane="cpu",
        )

    def _finished(self, key: Key, image: Any, error: BaseException | None) -> None:
        if not shiboken6.isValid(self):
            return  # the view owning this loader was closed while the decode ran
        waiters = self._inflight.pop(key, [])
        if image is not None:
            self._store(key, image)
        for waiter in waiters:
            if not waiter.fresh():
                continue
            if error is None:
                if waiter.on_done is not None:
                    waiter.on_done(image)
            elif waiter.on_error is not None:
                waiter.on_error(error)
            else:
                log.error("decode of %s failed: %r", key[0][:12], error)
