"""Background decoding of attachment pictures and PDF pages, with a small LRU of ready images.

Every decode runs in the task manager's ``cpu`` lane: the blob is read, decoded with
:func:`app.intake.imaging.decode_for_display` (shrink-on-decode) or :func:`decode_full` —
or, for a PDF, one page rendered with :func:`app.intake.imaging.render_pdf_page` — and
turned into a ``QImage`` in the format a pixmap keeps, on the worker thread, so the GUI
thread only swaps a pixmap.

Results are cached by ``(sha256, page, box width, box height)`` — the box is the display
size in device pixels, rounded up to :data:`BOX_STEP` so that a viewer a few pixels larger
or smaller still hits the cache. A prefetch for the next case's first pictures fills the
same cache, so opening that case shows its first picture from memory in one frame.

Rendering a PDF page also tells its page count and page sizes (:class:`PdfInfo`); the
loader keeps them per blob and announces them with ``pdf_info_ready`` so the attachments
pane can show one thumbnail per page. PDF blobs themselves are kept in memory for a
while (:data:`PDF_BYTES_BUDGET`): twenty page renders must not read a 30 MB file twenty
times.

Requests for the same key while a decode is running share that decode. The cache is
filled before callers are told, so a result nobody waits for any more (the reviewer moved
on) still serves the next request; stale *callers* are skipped by their ``Generation``.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PIL import Image
from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage

from app.intake.imaging import (
    ImageUnreadable,
    PdfInfo,
    adjust,
    decode_for_display,
    decode_full,
    is_pdf,
    pdf_info,
    render_pdf_page,
    to_rgb_bytes,
)
from ui.shell.labels import file_problem
from ui.shell.tasks import Generation, TaskManager
from ui.viewer.viewer import qimage_from_rgb

log = logging.getLogger(__name__)

BOX_STEP = 256
"""Display boxes are rounded up to a multiple of this many device pixels."""

MIN_BOX = QSize(1024, 768)
"""Smallest display decode: a viewer not yet laid out still gets a useful picture."""

DEFAULT_BUDGET_BYTES = 320 * 1024 * 1024
"""About eight full 12-MP decodes, or thirty display-size ones."""

PDF_BYTES_BUDGET = 96 * 1024 * 1024
"""PDF blobs kept in memory between page renders (three of the largest allowed)."""

FULL = (0, 0)
"""The box of a full-resolution decode in cache keys."""

HAND_OVER_SECONDS = 0.005
"""How long :meth:`ImageLoader.head_start` waits for its worker to start decoding: a
worker that has not started by then is busy with other work, and waiting longer would
only stall the GUI."""


Key = tuple[str, int, int, int]  # sha256, page, box width, box height
DoneCallback = Callable[[QImage], None]
InfoCallback = Callable[[PdfInfo], None]
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
    """The reviewer-facing reason for a decode failure (in the interface language), or
    ``None`` if it is a bug."""
    if isinstance(error, ImageUnreadable):
        return file_problem(error.reason)
    # reviewdb.blobs.BlobError: the picture has not been synchronised to this computer.
    if type(error).__name__ == "BlobError":
        return QCoreApplication.translate("ImageLoader", "附件尚未下载到本机，请稍后再试")
    return None


def _to_qimage(img: Image.Image) -> QImage:
    data, width, height, stride = to_rgb_bytes(img)
    return qimage_from_rgb(data, width, height, stride)


def _to_pil(image: QImage) -> Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = rgb.bytesPerLine()
    raw = bytes(rgb.constBits())[: stride * rgb.height()]
    return Image.frombuffer("RGB", (rgb.width(), rgb.height()), raw, "raw", "RGB", stride, 1)


@dataclass(frozen=True)
class _Decoded:
    """What a worker hands back: the pixels (None for an info-only task) and, for a PDF,
    what it learned about the document."""

    image: QImage | None
    pdf: PdfInfo | None


@dataclass
class _Waiter:
    on_done: Callable[[Any], None] | None
    on_error: ErrorCallback | None
    generation: Generation | None
    started_at: int
    wants_info: bool = False

    def fresh(self) -> bool:
        return self.generation is None or self.generation.current == self.started_at


class ImageLoader(QObject):
    """Decodes attachments in the background and keeps the recent results.

    ``fetch(sha256) -> bytes`` reads a blob (``Workbench.attachment_bytes``); it runs on
    the worker thread together with the decode.
    """

    pdf_info_ready = Signal(str)  # sha256 of a PDF whose pages just became known

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
        self._pdf_infos: dict[str, PdfInfo] = {}
        # Touched by worker threads only, under its lock.
        self._pdf_bytes: OrderedDict[str, bytes] = OrderedDict()
        self._pdf_bytes_lock = threading.Lock()
        self.decodes = 0  # how many decodes actually ran, for tests and benchmarks

    # --- cache -------------------------------------------------------------------------

    def cached(self, sha256: str, box: tuple[int, int], page: int = 0) -> QImage | None:
        """The cached picture for ``(sha256, page, box)``, marking it recently used."""
        key = (sha256, page, box[0], box[1])
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
        return image

    def is_pending(self, sha256: str, box: tuple[int, int], page: int = 0) -> bool:
        """Whether a decode for ``(sha256, page, box)`` is running."""
        return (sha256, page, box[0], box[1]) in self._inflight

    def pdf_info(self, sha256: str) -> PdfInfo | None:
        """The pages of PDF ``sha256``, once any render or info request has read them."""
        return self._pdf_infos.get(sha256)

    @property
    def cached_bytes(self) -> int:
        """Bytes of pixels held by the cache."""
        return self._cached_bytes

    def clear(self) -> None:
        """Drop every cached picture and PDF (running decodes still complete)."""
        self._cache.clear()
        self._cached_bytes = 0
        self._pdf_infos.clear()
        with self._pdf_bytes_lock:
            self._pdf_bytes.clear()

    def _store(self, key: Key, image: QImage) -> None:
        old = self._cache.pop(key, None)
        if old is not None:
            self._cached_bytes -= old.sizeInBytes()
        self._cache[key] = image
        self._cached_bytes += image.sizeInBytes()
        while self._cached_bytes > self._budget and len(self._cache) > 1:
            _, evicted = self._cache.popitem(last=False)
            self._cached_bytes -= evicted.sizeInBytes()

    # --- worker side ---------------------------------------------------------------------

    def _read(self, sha256: str) -> bytes:
        """The blob's bytes (worker thread); PDFs are kept for the next page's render."""
        with self._pdf_bytes_lock:
            data = self._pdf_bytes.get(sha256)
            if data is not None:
                self._pdf_bytes.move_to_end(sha256)
                return data
        data = self._fetch(sha256)
        if is_pdf(data) and len(data) <= PDF_BYTES_BUDGET:
            with self._pdf_bytes_lock:
                self._pdf_bytes[sha256] = data
                held = sum(len(d) for d in self._pdf_bytes.values())
                while held > PDF_BYTES_BUDGET and len(self._pdf_bytes) > 1:
                    _, dropped = self._pdf_bytes.popitem(last=False)
                    held -= len(dropped)
        return data

    def _decode(
        self,
        sha256: str,
        page: int,
        box: tuple[int, int],
        started: Callable[[], object] | None = None,
    ) -> _Decoded:
        try:
            return self._decode_started(sha256, page, box, started)
        finally:
            if started is not None:
                started()  # also when it failed before getting that far

    def _decode_started(
        self,
        sha256: str,
        page: int,
        box: tuple[int, int],
        started: Callable[[], object] | None,
    ) -> _Decoded:
        data = self._read(sha256)
        if is_pdf(data):
            if started is not None:
                started()  # PDFium renders without Python's lock from here
            pixels, info = (
                render_pdf_page(data, page) if box == FULL else render_pdf_page(data, page, *box)
            )
            return _Decoded(_to_qimage(pixels), info)
        if box == FULL:
            return _Decoded(_to_qimage(decode_full(data, page=page)), None)
        image = decode_for_display(data, box[0], box[1], page=page, started=started)
        return _Decoded(_to_qimage(image), None)

    # --- requests ----------------------------------------------------------------------

    def request(
        self,
        sha256: str,
        box: tuple[int, int],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
        page: int = 0,
    ) -> bool:
        """Ask for page ``page`` of ``sha256`` (0 for a photo) fitted in ``box`` device pixels.

        A cached picture is handed to ``on_done`` at once (returns True); otherwise the
        decode runs in the background and the callbacks follow unless ``generation``
        advanced meanwhile (returns False).
        """
        key = (sha256, page, box[0], box[1])
        image = self.cached(sha256, box, page)
        if image is not None:
            if on_done is not None:
                on_done(image)
            return True
        self._start(key, lambda: self._decode(sha256, page, box), on_done, on_error, generation)
        return False

    def request_full(
        self,
        sha256: str,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
        page: int = 0,
    ) -> bool:
        """Ask for the full-resolution picture (for 1:1 zoom); as :meth:`request`."""
        return self.request(sha256, FULL, on_done, on_error, generation=generation, page=page)

    def request_pdf_info(
        self,
        sha256: str,
        on_done: InfoCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        generation: Generation | None = None,
    ) -> bool:
        """Ask for the pages of PDF ``sha256`` (known ones at once: returns True)."""
        info = self._pdf_infos.get(sha256)
        if info is not None:
            if on_done is not None:
                on_done(info)
            return True
        key = (sha256, -1, 0, 0)

        def work() -> _Decoded:
            return _Decoded(None, pdf_info(self._read(sha256)))

        self._start(key, work, on_done, on_error, generation, wants_info=True)
        return False

    def prefetch(self, sha256: str, box: tuple[int, int], page: int = 0) -> None:
        """Decode into the cache ahead of need; errors are left for the real request."""
        if self.cached(sha256, box, page) is None and not self.is_pending(sha256, box, page):
            self.request(sha256, box, None, lambda _error: None, page=page)

    def head_start(self, sha256: str, box: tuple[int, int], page: int = 0) -> None:
        """:meth:`prefetch` for the picture the reviewer waits for, with the interpreter
        handed to the worker until its decode is under way (at most
        :data:`HAND_OVER_SECONDS`): the decode then runs without Python's lock, while
        the GUI thread goes on; taking turns with it would delay the decode's start by
        the GUI's busiest milliseconds."""
        if self.cached(sha256, box, page) is not None or self.is_pending(sha256, box, page):
            return
        started = threading.Event()
        self._start(
            (sha256, page, box[0], box[1]),
            lambda: self._decode(sha256, page, box, started.set),
            None,
            lambda _error: None,
            None,
        )
        started.wait(HAND_OVER_SECONDS)

    def shrink(
        self,
        image: QImage,
        size: QSize,
        on_done: DoneCallback,
        *,
        generation: Generation | None = None,
    ) -> None:
        """``image`` scaled down to fit ``size`` (smoothly, in the background)."""
        source = QImage(image)  # an implicitly shared copy: safe to read on the worker

        def work() -> QImage:
            return source.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )

        def done(result: QImage) -> None:
            if shiboken6.isValid(self):
                on_done(result)

        self._tasks.run(work, done, None, lane="cpu", generation=generation)

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
        work: Callable[[], _Decoded],
        on_done: Callable[[Any], None] | None,
        on_error: ErrorCallback | None,
        generation: Generation | None,
        *,
        wants_info: bool = False,
    ) -> None:
        waiter = _Waiter(
            on_done, on_error, generation, generation.current if generation else 0, wants_info
        )
        waiting = self._inflight.get(key)
        if waiting is not None:
            waiting.append(waiter)
            return
        self._inflight[key] = [waiter]
        self.decodes += 1
        self._tasks.run(
            work,
            lambda result: self._finished(key, result, None),
            lambda error: self._finished(key, None, error),
            lane="cpu",
        )

    def _finished(self, key: Key, result: _Decoded | None, error: BaseException | None) -> None:
        if not shiboken6.isValid(self):
            return  # the view owning this loader was closed while the decode ran
        waiters = self._inflight.pop(key, [])
        learned = False
        if result is not None:
            if result.image is not None:
                self._store(key, result.image)
            if result.pdf is not None and key[0] not in self._pdf_infos:
                self._pdf_infos[key[0]] = result.pdf
                learned = True
        for waiter in waiters:
            if not waiter.fresh():
                continue
            if result is not None:
                if waiter.on_done is not None:
                    waiter.on_done(result.pdf if waiter.wants_info else result.image)
            elif waiter.on_error is not None:
                waiter.on_error(error if error is not None else RuntimeError("no result"))
            else:
                log.error("decode of %s failed: %r", key[0][:12], error)
        if learned:
            self.pdf_info_ready.emit(key[0])
