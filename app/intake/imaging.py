"""Probe and decode uploaded attachments (photos and PDFs): bounded, Qt-free, never trusting the bytes.

Parents upload phone photos through a web form, and documents such as court judgments as
PDFs. What arrives is sometimes not what the
extension says: an HTML error page saved as ``.jpg``, a zero-byte file, a JPEG cut off
mid-upload, a PNG whose header declares a gigantic canvas. Every function here sniffs the
real type from the content, checks sizes *before* decoding, and turns every decoder
failure into an :class:`ImageUnreadable` (or an unreadable :class:`ProbeResult`) whose
``reason`` is a plain Chinese sentence that says what is wrong and what to do, worded so
that a reviewer can pass it on to the parent unchanged ("退回补拍").

Nothing here touches Pillow's process-wide switches (``Image.MAX_IMAGE_PIXELS``,
``ImageFile.LOAD_TRUNCATED_IMAGES``, the warnings filters): the functions run on worker
threads, and a temporary global change would leak into whatever else is decoding at the
same moment. Our own :data:`MAX_PIXELS` limit is checked from the header instead.

PDF pages are rasterised with PDFium (pypdfium2). PDFium is not thread-safe, so every
call into it holds the one process-wide PDFium lock that the notice printer uses too.
A PDF's "original size" is its page at :data:`PDF_DPI`, so zoom 100% means the same for a
page as for a photo.

All functions are pure ``(bytes or path, sizes) -> pixels`` and safe to call from any
thread; the GUI converts the result to a ``QImage`` via :func:`to_rgb_bytes`.
"""

from __future__ import annotations

import io
import logging
import math
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias, TypeVar

from PIL import Image, ImageEnhance, ImageFile
from pillow_heif import register_heif_opener

if TYPE_CHECKING:
    import pypdfium2

# Adds the "HEIF" format to Pillow's registry (idempotent); iPhones upload HEIC by default.
register_heif_opener()

log = logging.getLogger(__name__)

Source: TypeAlias = bytes | str | os.PathLike[str]
"""Raw file content, or a filesystem path to read it from."""

T = TypeVar("T")

MAX_FILE_BYTES: Final = 40 * 1024 * 1024
"""Files larger than this are refused before reading: a 12-MP phone JPEG is 3–8 MB, a
48-MP HEIC about 15 MB."""

MAX_PIXELS: Final = 64_000_000
"""Largest accepted canvas, read from the header before any pixel is decoded.

50-MP phone sensors (8160×6144) fit; a full-resolution decode at this limit is ~190 MB of
RGB. Kept below Pillow's own default (89.5 MP) so our check, not a process-wide setting
someone may have changed, decides."""

OCTET_STREAM: Final = "application/octet-stream"
PDF: Final = "application/pdf"

DRAFT_SLACK: Final = 0.9
"""A JPEG's DCT scale may give a picture this much smaller than the display box.

Display boxes are rounded up (``ui.viewer.imageloader.display_box``), so a decode a few
per cent under the box still covers the viewer; taking it saves the resampling pass, which
costs twice the decode itself (4000×3000 into 1024×768: 1/4 scale is 1000×750)."""

PDF_DPI: Final = 200
"""Resolution of a PDF page at zoom 100% (its "original" pixels): an A4 page is 1654×2339,
enough for the small print of a scanned judgment."""

MAX_PDF_PAGES: Final = 100
"""More pages than any document a parent needs to upload; refused before rendering."""

MAX_PDF_PAGE_POINTS: Final = 5000.0
"""Longest accepted page side in PDF points (about 1.76 m, beyond A0)."""

# Reasons shown to reviewers and, through a return, to parents: what is wrong and what
# to do, in plain words. Kept together so wording stays consistent.
REASON_EMPTY: Final = "文件是空的（0 字节），上传没有成功，请重新上传"
REASON_TRUNCATED: Final = "图片文件不完整（上传时被截断），请重新上传"
REASON_CORRUPT: Final = "图片文件已损坏，打不开，请重新拍照上传"
REASON_BOMB: Final = "图片的尺寸大得异常，无法打开，请用手机正常拍照后重新上传"
REASON_HTML: Final = "上传的不是照片，而是一个网页文件，请重新选择照片上传"
REASON_TEXT: Final = "上传的不是照片，而是一个文字文件，请重新选择照片上传"
REASON_UNKNOWN: Final = "无法识别文件格式，请拍照后以 JPG 或 PNG 图片上传"
REASON_NOT_FOUND: Final = "文件不存在"
REASON_NO_PERMISSION: Final = "没有读取该文件的权限"
REASON_NOT_REGULAR: Final = "不是普通文件，无法读取"
REASON_IO: Final = "无法读取文件"
REASON_PDF_ENCRYPTED: Final = "PDF 文件设置了打开密码，无法查看，请上传没有密码的 PDF，或拍照上传"
REASON_PDF_TRUNCATED: Final = "PDF 文件不完整（上传时被截断），请重新上传"
REASON_PDF_CORRUPT: Final = "PDF 文件已损坏，打不开，请重新上传，或拍照上传"
REASON_PDF_NO_PAGES: Final = "PDF 文件里没有任何页面，请重新上传"
REASON_NOT_PDF: Final = "不是 PDF 文件"


def reason_too_large(size: int) -> str:
    """Reason for a file over :data:`MAX_FILE_BYTES`."""
    return (
        f"文件太大（{size / 1048576:.1f} MB，最大 {MAX_FILE_BYTES // 1048576} MB），"
        "请压缩或降低分辨率后重新上传"
    )


def reason_unsupported(label: str) -> str:
    """Reason for a real image in a format we do not accept."""
    return f"不支持 {label} 格式的图片，请以 JPG 或 PNG 图片重新上传"


def reason_pdf_too_many_pages(count: int) -> str:
    """Reason for a PDF over :data:`MAX_PDF_PAGES`."""
    return f"PDF 共 {count} 页，超过 {MAX_PDF_PAGES} 页的上限，请只上传需要的页面"


def reason_pdf_page_too_large(page_no: int, width_pt: float, height_pt: float) -> str:
    """Reason for a PDF page (1-based ``page_no``) outside the size bounds."""
    width_mm, height_mm = round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)
    return (
        f"PDF 第 {page_no} 页的尺寸异常（{width_mm}×{height_mm} 毫米），无法显示，"
        "请按 A4 等常规纸张重新上传"
    )


class ImageUnreadable(Exception):
    """The content cannot be shown as an image; ``reason`` says why, for the reviewer.

    This is an environmental error (bad upload), not a bug: callers show ``reason`` and
    offer "退回补拍" rather than reporting a crash.
    """

    def __init__(self, reason: str, media_type: str = OCTET_STREAM) -> None:
        super().__init__(reason)
        self.reason = reason
        self.media_type = media_type


@dataclass(frozen=True)
class ProbeResult:
    """What :func:`probe` learned about one attachment.

    ``width``/``height`` are as displayed, i.e. after applying the EXIF orientation; they
    are ``None`` when the content is unreadable. For a PDF they are its first page at
    :data:`PDF_DPI` and ``page_count`` is its number of pages (``None`` for images).
    """

    readable: bool
    reason: str | None
    media_type: str
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    page_count: int | None = None


@dataclass(frozen=True)
class PdfInfo:
    """The pages of a PDF that passed the bounds: their sizes in points, as displayed."""

    page_sizes: tuple[tuple[float, float], ...]

    @property
    def page_count(self) -> int:
        """How many pages the document has."""
        return len(self.page_sizes)

    def page_pixels(self, index: int) -> tuple[int, int]:
        """Page ``index`` at :data:`PDF_DPI` (zoom 100%), scaled down to :data:`MAX_PIXELS`."""
        width_pt, height_pt = self.page_sizes[index]
        scale = _full_scale(width_pt, height_pt)
        return max(1, round(width_pt * scale)), max(1, round(height_pt * scale))


# --- sniffing ----------------------------------------------------------------------------

# Pillow format names we decode, per media type. Opening is restricted to the one plugin
# the magic bytes point at, so no other decoder ever parses the content.
_SUPPORTED: Final[dict[str, str]] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
}

# Real images we recognise but do not accept: media type -> label for the reason.
_UNSUPPORTED_IMAGES: Final[dict[str, str]] = {
    "image/gif": "GIF",
    "image/bmp": "BMP",
    "image/tiff": "TIFF",
    "image/avif": "AVIF",
    "image/svg+xml": "SVG",
    "image/x-icon": "ICO",
    "image/vnd.adobe.photoshop": "PSD",
    "image/jxl": "JPEG XL",
    "image/jp2": "JPEG 2000",
}

# Non-images people upload by mistake: media type -> reason.
_NOT_IMAGES: Final[dict[str, str]] = {
    "text/html": REASON_HTML,
    "text/plain": REASON_TEXT,
    "application/json": "上传的不是照片，而是一个数据文件，请重新选择照片上传",
    "application/zip": "上传的是压缩包或 Word、Excel 等办公文档，请拍照或导出为 PDF 后重新上传",
    "video/mp4": "上传的是视频，不是照片，请拍照后重新上传",
    "video/quicktime": "上传的是视频，不是照片，请拍照后重新上传",
}

_HEIC_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_HEIF_BRANDS: Final = frozenset({b"mif1", b"msf1", b"heif"})
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
_QUICKTIME_BRANDS: Final = frozenset({b"qt  "})

# Tags from the WHATWG MIME sniffing standard that identify HTML when they open a document.
_HTML_TAGS: Final = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div",
    b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p",
    b"<!--",
)  # fmt: skip


def _sniff_iso_bmff(data: bytes) -> str:
    """Media type of an ISO base media file (HEIF/AVIF/MP4/MOV) from its ``ftyp`` box."""
    box_size = int.from_bytes(data[0:4], "big")
    major = data[8:12]
    end = min(box_size, len(data), 512) if box_size >= 16 else 16
    compatible = {data[i : i + 4] for i in range(16, end - 3, 4)}
    brands = {major} | compatible
    # An AVIF file often declares mif1 as its major brand; the avif brand decides.
    if brands & _AVIF_BRANDS and not brands & _HEIC_BRANDS:
        return "image/avif"
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and compatible & _HEIC_BRANDS):
        return "image/heic"
    if brands & _HEIF_BRANDS:
        return "image/heif"
    if major in _QUICKTIME_BRANDS:
        return "video/quicktime"
    return "video/mp4"


def _sniff_text(data: bytes) -> str | None:
    """``text/html``, ``image/svg+xml``, ``application/json`` or ``text/plain`` for textual
    content; ``None`` if the content is binary."""
    head = data[:1024]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    stripped = head.lstrip(b" \t\r\n\x0c").lower()
    for tag in _HTML_TAGS:
        # The tag must be followed by a space or '>' so "<abc" is not taken for "<a".
        if stripped.startswith(tag) and stripped[len(tag) : len(tag) + 1] in (b" ", b">"):
            return "text/html"
    if stripped.startswith(b"<!doctype html"):
        return "text/html"
    if stripped.startswith((b"<svg", b"<?xml")) and b"<svg" in stripped:
        return "image/svg+xml"
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 1024-byte boundary is still text.
        if exc.start < len(head) - 4:
            return None
    if stripped.startswith((b"{", b"[")):
        return "application/json"
    return "text/plain"


def sniff_media_type(data: bytes) -> str:
    """The media type of ``data`` judged from its content (never from a file name)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return _sniff_iso_bmff(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if data.startswith(b"BM") and len(data) >= 26:
        return "image/bmp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return "application/zip"
    if data.startswith(b"8BPS"):
        return "image/vnd.adobe.photoshop"
    if data.startswith(b"\x00\x00\x01\x00"):
        return "image/x-icon"
    if data.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")):
        return "image/jxl"
    if data.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n"):
        return "image/jp2"
    return _sniff_text(data) or OCTET_STREAM


# --- reading and opening -----------------------------------------------------------------


def _read(source: Source) -> bytes:
    """The content of ``source``, refusing oversized files before reading them."""
    if isinstance(source, bytes):
        if len(source) > MAX_FILE_BYTES:
            raise ImageUnreadable(reason_too_large(len(source)))
        return source
    try:
        # Open first and fstat the descriptor, so the size we check is the file we read.
        # O_NONBLOCK keeps a FIFO from blocking the open; the S_ISREG check rejects it.
        fd = os.open(
            source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        )
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ImageUnreadable(REASON_NOT_REGULAR)
            if info.st_size > MAX_FILE_BYTES:
                raise ImageUnreadable(reason_too_large(info.st_size))
            # Read one byte past the limit in case the file grew since fstat.
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ImageUnreadable(REASON_NOT_FOUND) from None
    except PermissionError:
        raise ImageUnreadable(REASON_NO_PERMISSION) from None
    except IsADirectoryError:
        raise ImageUnreadable(REASON_NOT_REGULAR) from None
    except OSError as exc:
        log.info("cannot read %s: %s", source, exc)
        raise ImageUnreadable(f"{REASON_IO}（{exc.strerror or exc}）") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImageUnreadable(reason_too_large(len(data)))
    return data


def _check_type(data: bytes) -> tuple[str, str]:
    """``(media_type, pillow_format)`` for supported content; raises for everything else."""
    if not data:
        raise ImageUnreadable(REASON_EMPTY)
    media_type = sniff_media_type(data)
    if media_type in _SUPPORTED:
        return media_type, _SUPPORTED[media_type]
    if media_type in _UNSUPPORTED_IMAGES:
        raise ImageUnreadable(reason_unsupported(_UNSUPPORTED_IMAGES[media_type]), media_type)
    raise ImageUnreadable(_NOT_IMAGES.get(media_type, REASON_UNKNOWN), media_type)


def _looks_truncated(data: bytes, pillow_format: str, exc: BaseException) -> bool:
    """Whether a decoder failure is best explained by the file ending too early."""
    if isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return True
    tail = data[-64:].rstrip(b"\x00")
    if pillow_format == "JPEG":
        return not tail.endswith(b"\xff\xd9")
    if pillow_format == "PNG":
        return b"IEND" not in tail
    return False


def _decode_failure(
    data: bytes, media_type: str, pillow_format: str, exc: Exception
) -> ImageUnreadable:
    # Decoders raise a zoo of types on malformed input (OSError, SyntaxError, ValueError,
    # struct.error, ...). The input is the environment, not our bug, so every one becomes
    # a reason; the original is logged so nothing disappears.
    log.info("cannot decode %s: %r", media_type, exc)
    reason = REASON_TRUNCATED if _looks_truncated(data, pillow_format, exc) else REASON_CORRUPT
    return ImageUnreadable(reason, media_type)


def _open(data: bytes) -> tuple[ImageFile.ImageFile, str]:
    """Open ``data`` (header only) with the one plugin its magic bytes name.

    Raises :class:`ImageUnreadable` for unsupported content and canvases over
    :data:`MAX_PIXELS`. The returned image is not yet decoded.
    """
    media_type, pillow_format = _check_type(data)
    try:
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning arrives as an exception only if someone made warnings errors; the
        # MAX_PIXELS check below rejects those canvases either way.
        raise ImageUnreadable(REASON_BOMB, media_type) from None
    except Exception as exc:  # see _decode_failure
        raise _decode_failure(data, media_type, pillow_format, exc) from None
    width, height = image.size
    if width <= 0 or height <= 0:
        image.close()
        raise ImageUnreadable(REASON_CORRUPT, media_type)
    if width * height > MAX_PIXELS:
        image.close()
        raise ImageUnreadable(REASON_BOMB, media_type)
    return image, media_type


def _load(image: ImageFile.ImageFile, data: bytes, media_type: str) -> None:
    """Decode all pixel data, so a truncated or corrupt file is detected here.

    Relies on ``ImageFile.LOAD_TRUNCATED_IMAGES`` keeping its default (False); we never
    set it, because it is process-wide.
    """
    # One read of the whole content instead of 64 KiB blocks: the decoder releases the GIL
    # for each block, and on a busy GUI every block paid for getting it back again.
    image.decodermaxblock = max(len(data), ImageFile.MAXBLOCK)
    try:
        image.load()
    except Exception as exc:  # see _decode_failure
        raise _decode_failure(data, media_type, image.format or "", exc) from None


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation (1–8), or ``None`` if absent or nonsensical."""
    try:
        value = image.getexif().get(0x0112)
    except Exception as exc:  # a broken EXIF block must not hide the photo
        log.info("ignoring unreadable EXIF: %r", exc)
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _swaps_axes(orientation: int | None) -> bool:
    """Orientations 5–8 rotate by 90° (possibly mirrored), so width and height swap."""
    return orientation is not None and orientation >= 5


def _fitted_stored_size(
    stored: tuple[int, int], orientation: int | None, max_w: int, max_h: int
) -> tuple[int, int]:
    """The size, in stored orientation, the picture will have once fitted upright in the box.

    ``Image.draft`` wants the final size, not the box: it picks the largest DCT scale that
    keeps both sides at least that large, so asking for the box itself would pick too
    fine a scale whenever the aspect ratios differ.
    """
    width, height = stored
    box_w, box_h = (max_h, max_w) if _swaps_axes(orientation) else (max_w, max_h)
    factor = min(box_w / width, box_h / height, 1.0)
    return max(1, round(width * factor)), max(1, round(height * factor))


# What turns a stored picture with this EXIF orientation upright (as ImageOps.exif_transpose).
_UPRIGHT: Final[dict[int, Image.Transpose]] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _transposed(image: Image.Image, orientation: int | None) -> Image.Image:
    """``image`` turned upright for the EXIF ``orientation`` already read (no second parse)."""
    method = _UPRIGHT.get(orientation) if orientation is not None else None
    return image if method is None else image.transpose(method)


def _detached(result: Image.Image, opened: Image.Image) -> Image.Image:
    """``result``, copied if it is the opened file's image, which closing will destroy."""
    return result.copy() if result is opened else result


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency is composited on white (the page colour of a document)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


# --- PDF ----------------------------------------------------------------------------------


def _pdfium_lock() -> threading.Lock:
    """The one process-wide PDFium lock: PDFium is not thread-safe, and the notice printer
    renders PDFs on the same worker pool, so both must hold the same lock."""
    # Imported late: app.notices pulls in the store, which intake does not otherwise need
    # at import time (the GUI has it loaded long before the first attachment is shown).
    from app.notices.printing import _PDFIUM_LOCK

    return _PDFIUM_LOCK


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` is a PDF document, judged from its content."""
    return sniff_media_type(data) == PDF


def _pdf_truncated(data: bytes) -> bool:
    # Every complete PDF ends with %%EOF; readers look for it in the last 1024 bytes. An
    # upload cut short loses it (and PDFium may still open the rest, missing pages).
    return b"%%EOF" not in data[-1024:]


def _full_scale(width_pt: float, height_pt: float) -> float:
    """Pixels per point at :data:`PDF_DPI`, lowered so the page stays within MAX_PIXELS."""
    scale = PDF_DPI / 72
    area = width_pt * height_pt * scale * scale
    if area > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / area)
    return scale


def _check_page_size(index: int, width_pt: float, height_pt: float) -> None:
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)):
        raise ImageUnreadable(REASON_PDF_CORRUPT, PDF)
    if width_pt < 1 or height_pt < 1:
        raise ImageUnreadable(REASON_PDF_CORRUPT, PDF)
    if max(width_pt, height_pt) > MAX_PDF_PAGE_POINTS:
        raise ImageUnreadable(reason_pdf_page_too_large(index + 1, width_pt, height_pt), PDF)


def _open_pdf(data: bytes) -> pypdfium2.PdfDocument:
    """Open ``data`` with PDFium; the caller holds the PDFium lock and closes the document."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if _pdf_truncated(data):
        raise ImageUnreadable(REASON_PDF_TRUNCATED, PDF)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ImageUnreadable(REASON_PDF_ENCRYPTED, PDF) from None
        log.info("cannot open PDF: %r", exc)
        raise ImageUnreadable(REASON_PDF_CORRUPT, PDF) from None


def _pdf_pages(doc: pypdfium2.PdfDocument, *, load_pages: bool) -> PdfInfo:
    """The page sizes of ``doc`` after the bounds checks; ``load_pages`` parses each page."""
    count = len(doc)
    if count < 1:
        raise ImageUnreadable(REASON_PDF_NO_PAGES, PDF)
    if count > MAX_PDF_PAGES:
        raise ImageUnreadable(reason_pdf_too_many_pages(count), PDF)
    sizes = []
    for index in range(count):
        if load_pages:
            page = doc[index]  # a broken page object fails here, not in front of a reviewer
            try:
                width_pt, height_pt = page.get_size()
            finally:
                page.close()
        else:
            width_pt, height_pt = doc.get_page_size(index)
        _check_page_size(index, width_pt, height_pt)
        sizes.append((float(width_pt), float(height_pt)))
    return PdfInfo(tuple(sizes))


def _with_pdf(data: bytes, what: str, work: Callable[[pypdfium2.PdfDocument], T]) -> T:
    """Run ``work`` on the opened document under the PDFium lock; every failure of PDFium
    on bad content becomes an :class:`ImageUnreadable`."""
    with _pdfium_lock():
        doc = _open_pdf(data)
        try:
            return work(doc)
        except (ImageUnreadable, IndexError):
            raise
        except Exception as exc:  # PDFium's errors on malformed input; see _decode_failure
            log.info("cannot %s PDF: %r", what, exc)
            raise ImageUnreadable(REASON_PDF_CORRUPT, PDF) from None
        finally:
            doc.close()


def _require_pdf(data: bytes) -> None:
    if not data:
        raise ImageUnreadable(REASON_EMPTY)
    if not is_pdf(data):
        _check_type(data)  # names what it is instead, if it is no image either
        raise ImageUnreadable(REASON_NOT_PDF, sniff_media_type(data))


def pdf_info(source: Source) -> PdfInfo:
    """Page count and sizes of the PDF ``source``, bounds checked.

    Raises :class:`ImageUnreadable` for encrypted, damaged, truncated or oversized PDFs.
    """
    data = _read(source)
    _require_pdf(data)
    return _with_pdf(data, "read", lambda doc: _pdf_pages(doc, load_pages=False))


def render_pdf_page(
    source: Source, index: int, max_w: int | None = None, max_h: int | None = None
) -> tuple[Image.Image, PdfInfo]:
    """Page ``index`` (0-based) as RGB pixels, with the document's :class:`PdfInfo`.

    With a box, the page is fitted into ``max_w`` × ``max_h`` (never beyond
    :data:`PDF_DPI`); without one it is rendered at :data:`PDF_DPI` ("full resolution",
    kept within :data:`MAX_PIXELS`). Raises :class:`ImageUnreadable` for bad content and
    ``IndexError`` for a page the document does not have.
    """
    if (max_w is None) != (max_h is None):
        raise ValueError("give both sides of the box or neither")
    if max_w is not None and max_h is not None and (max_w < 1 or max_h < 1):
        raise ValueError(f"display box must be positive, got {max_w}×{max_h}")
    data = _read(source)
    _require_pdf(data)

    def work(doc: pypdfium2.PdfDocument) -> tuple[Image.Image, PdfInfo]:
        info = _pdf_pages(doc, load_pages=False)
        if not 0 <= index < info.page_count:
            raise IndexError(f"page {index} of a {info.page_count}-page PDF")
        width_pt, height_pt = info.page_sizes[index]
        scale = _full_scale(width_pt, height_pt)
        if max_w is not None and max_h is not None:
            # A hair under the exact fit: the renderer rounds the bitmap size up.
            scale = min(scale, max_w / width_pt * 0.99999, max_h / height_pt * 0.99999)
        page = doc[index]
        try:
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
            try:
                # to_pil may share the bitmap's memory; the copy outlives bitmap.close().
                pixels = bitmap.to_pil().convert("RGB").copy()
            finally:
                bitmap.close()
        finally:
            page.close()
        return pixels, info

    return _with_pdf(data, "render", work)


# --- public API ----------------------------------------------------------------------------


def probe(source: Source) -> ProbeResult:
    """Sniff, bound-check and test-decode ``source``; never raises for bad content.

    JPEGs are test-decoded at 1/8 scale (``Image.draft``): the entropy-coded data is still
    read to the end, so truncation is caught, at a fraction of the cost of a full decode.
    PDFs are opened and every page object is parsed and size-checked (nothing rendered);
    the result carries the page count.
    """
    try:
        data = _read(source)
        if data and is_pdf(data):
            info = _with_pdf(data, "probe", lambda doc: _pdf_pages(doc, load_pages=True))
            width, height = info.page_pixels(0)
            return ProbeResult(
                readable=True,
                reason=None,
                media_type=PDF,
                width=width,
                height=height,
                page_count=info.page_count,
            )
        image, media_type = _open(data)
        with image:
            orientation = _orientation(image)
            width, height = image.size
            if image.format == "JPEG":
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
            _load(image, data, media_type)
    except ImageUnreadable as exc:
        return ProbeResult(readable=False, reason=exc.reason, media_type=exc.media_type)
    if _swaps_axes(orientation):
        width, height = height, width
    return ProbeResult(
        readable=True,
        reason=None,
        media_type=media_type,
        width=width,
        height=height,
        orientation=orientation,
    )


def decode_for_display(
    source: Source,
    max_w: int,
    max_h: int,
    *,
    page: int = 0,
    started: Callable[[], object] | None = None,
) -> Image.Image:
    """An upright RGB image fitting in ``max_w`` × ``max_h`` (never enlarged).

    JPEGs are decoded once, with shrink-on-decode (``Image.draft``), at the coarsest DCT
    scale no more than :data:`DRAFT_SLACK` below the fitted size. A result within the box
    is kept as it is (a 4000×3000 photo for a 1024×768 box decodes at 1/4 to 1000×750, no
    resampling); only a larger one is resampled down (Lanczos), then turned upright. A PDF
    renders its page ``page`` (0-based) into the box; an image has only page 0. Raises
    :class:`ImageUnreadable` for bad content.

    ``started`` is called once the pixels are being decoded (the headers are read), from
    where the work runs in C without Python's lock: a caller waiting for its worker to
    get that far knows it may go on without slowing the decode.
    """
    if max_w < 1 or max_h < 1:
        raise ValueError(f"display box must be positive, got {max_w}×{max_h}")
    data = _read(source)
    if data and is_pdf(data):
        if started is not None:
            started()
        return render_pdf_page(data, page, max_w, max_h)[0]
    if page != 0:
        raise IndexError(f"page {page} of an image")
    image, media_type = _open(data)
    with image:
        orientation = _orientation(image)
        target = _fitted_stored_size(image.size, orientation, max_w, max_h)
        if image.format == "JPEG":
            image.draft(
                "RGB",
                (math.ceil(target[0] * DRAFT_SLACK), math.ceil(target[1] * DRAFT_SLACK)),
            )
        if started is not None:
            started()
        _load(image, data, media_type)
        # Resample before transposing, so the rotation moves the small image, not the big.
        rgb = _to_rgb(image)
        if rgb.width > target[0] or rgb.height > target[1]:
            rgb = rgb.resize(target, Image.Resampling.LANCZOS)
        return _detached(_transposed(rgb, orientation), image)


def decode_full(source: Source, *, page: int = 0) -> Image.Image:
    """The upright RGB image at full resolution, for 1:1 zoom (a PDF page at :data:`PDF_DPI`).

    Raises :class:`ImageUnreadable` for bad content.
    """
    data = _read(source)
    if data and is_pdf(data):
        return render_pdf_page(data, page)[0]
    if page != 0:
        raise IndexError(f"page {page} of an image")
    image, media_type = _open(data)
    with image:
        orientation = _orientation(image)
        _load(image, data, media_type)
        return _detached(_to_rgb(_transposed(image, orientation)), image)


def adjust(img: Image.Image, brightness: float, contrast: float) -> Image.Image:
    """``img`` with brightness and contrast scaled (1.0 = unchanged), for dim photos.

    Returns ``img`` itself when both factors are 1.0; never modifies it.
    """
    if brightness < 0 or contrast < 0:
        raise ValueError(f"factors must be >= 0, got brightness={brightness}, contrast={contrast}")
    result = img
    if brightness != 1.0:
        result = ImageEnhance.Brightness(result).enhance(brightness)
    if contrast != 1.0:
        result = ImageEnhance.Contrast(result).enhance(contrast)
    return result


def to_rgb_bytes(img: Image.Image) -> tuple[bytes, int, int, int]:
    """``(pixels, width, height, bytes_per_line)`` of ``img`` as packed 8-bit RGB.

    The ui layer wraps this in a ``QImage`` (``Format_RGB888``) so that ``app`` never
    imports Qt; doing the conversion on the worker thread keeps the copy off the GUI.
    """
    rgb = _to_rgb(img)
    return _packed_rgb(rgb), rgb.width, rgb.height, rgb.width * 3


def _packed_rgb(rgb: Image.Image) -> bytes:
    """``rgb.tobytes()`` in one call of Pillow's raw encoder.

    ``tobytes`` packs in 64 KiB pieces, letting go of Python's lock for each: 35 pieces for
    a 1000×750 picture, and on a busy GUI every piece waited to get the lock back (measured
    1.3–4 ms instead of 0.6). One piece of the whole size does the same work at once. It
    uses ``Image._getencoder``, Pillow's own entry to its encoders (stable since PIL); if
    a Pillow release changes it, the documented ``tobytes`` takes over.
    """
    size = rgb.width * rgb.height * 3
    try:
        encoder = Image._getencoder("RGB", "raw", "RGB")
        try:
            encoder.setimage(rgb.im, (0, 0, rgb.width, rgb.height))
            _, errcode, data = encoder.encode(size + 1)
        finally:
            encoder.cleanup()
    except Exception as exc:  # an internal of Pillow's changed: take the public way
        log.debug("one-piece packing unavailable: %r", exc)
        return rgb.tobytes()
    if errcode != 1 or len(data) != size:
        return rgb.tobytes()
    return bytes(data)
