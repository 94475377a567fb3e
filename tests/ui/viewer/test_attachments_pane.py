"""The attachments pane with real decoding: PDFs page by page, unreadable PDFs, the strip.

A real threaded :class:`TaskManager`, a real :class:`ImageLoader` reading blobs from a
dict, real PDFs made with reportlab and rendered by PDFium, real JPEGs decoded by Pillow.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import pytest
from PIL import Image
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from reportlab.lib import pdfencrypt

from app.intake.imaging import (
    PDF_DPI,
    REASON_HTML,
    REASON_PDF_ENCRYPTED,
    REASON_PDF_TRUNCATED,
    probe,
)
from app.review.cases import AttachmentView
from tests.app.intake.test_pdf_probe import COLOURS, make_pdf
from ui.shell.tasks import TaskManager
from ui.viewer.attachments import AttachmentsPane
from ui.viewer.imageloader import ImageLoader

pytestmark = pytest.mark.gui

A4_AT_DPI = (round(595.2756 * PDF_DPI / 72), round(841.8898 * PDF_DPI / 72))


def _jpeg(colour: str, size: tuple[int, int] = (800, 600)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", quality=85)
    return buf.getvalue()


class Blobs:
    """Attachments as the store hands them to the viewer: bytes by sha256, probed views."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def fetch(self, sha256: str) -> bytes:
        return self.data[sha256]

    def attachment(self, ordinal: int, label: str, content: bytes) -> AttachmentView:
        sha = hashlib.sha256(content).hexdigest()
        self.data[sha] = content
        found = probe(content)
        return AttachmentView(
            ordinal=ordinal,
            label=label,
            filename=f"file{ordinal}",
            sha256=sha,
            media_type=found.media_type,
            size=len(content),
            readable=found.readable,
            reason=found.reason,
            width=found.width,
            height=found.height,
            orientation=found.orientation,
        )


@pytest.fixture
def blobs() -> Blobs:
    return Blobs()


@pytest.fixture
def pane(qtbot: QtBot, tasks: TaskManager, blobs: Blobs) -> Iterator[AttachmentsPane]:
    loader = ImageLoader(blobs.fetch, tasks)
    widget = AttachmentsPane(loader)
    loader.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(900, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def _colour_at_centre(pane: AttachmentsPane) -> QColor:
    image = pane.viewer.pixmap.toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def _near(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 14) -> bool:
    got = (colour.red(), colour.green(), colour.blue())
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb, strict=True))


def _all_thumbnails_settled(pane: AttachmentsPane) -> bool:
    strip = pane.strip
    return all(strip.has_thumbnail(i) or strip.is_unreadable(i) for i in range(strip.count()))


def test_pdf_pages_are_thumbnails_and_page_two_renders(
    qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs
) -> None:
    photo = blobs.attachment(0, "离婚证", _jpeg("orange"))
    judgment = blobs.attachment(1, "法院判决书", make_pdf(3))
    hukou = blobs.attachment(2, "户口簿首页", _jpeg("purple"))

    pane.set_attachments([photo, judgment, hukou])

    # The PDF unfolds into one entry per page once PDFium has read it; every entry then
    # gets its picture (no placeholder left behind).
    qtbot.waitUntil(lambda: pane.strip.count() == 5, timeout=10_000)
    qtbot.waitUntil(lambda: _all_thumbnails_settled(pane), timeout=10_000)
    assert [pane.strip.label(i) for i in range(5)] == [
        "1. 离婚证",
        "2. 法院判决书",
        "2. 法院判决书",
        "2. 法院判决书",
        "3. 户口簿首页",
    ]
    assert [pane.strip.item(i).text().split("\n")[-1] for i in (1, 2, 3)] == [
        "第 1/3 页",
        "第 2/3 页",
        "第 3/3 页",
    ]
    assert all(pane.strip.has_thumbnail(i) for i in range(5))
    assert pane.current_index == 0  # unfolding kept the selection

    with qtbot.waitSignal(pane.current_changed) as changed:
        pane.select(2)
    assert changed.args == [1]  # the PDF's ordinal, whatever the page
    qtbot.waitUntil(lambda: pane.viewer.has_image, timeout=10_000)
    assert _near(_colour_at_centre(pane), COLOURS[1])
    assert pane.viewer.original_size.width() == A4_AT_DPI[0]
    assert pane.viewer.original_size.height() == A4_AT_DPI[1]
    caption = pane.findChild(QLabel, "attachmentCaption")
    assert caption is not None and "第 2/3 页" in caption.text()

    # Zoom and rotate work on a page as on a photo; past the preview the page is
    # rendered again at full resolution.
    with qtbot.waitSignal(pane.viewer.full_resolution_wanted):
        pane.viewer.set_zoom(1.0)
    qtbot.waitUntil(lambda: pane.viewer.is_full_resolution, timeout=10_000)
    assert pane.viewer.pixmap.height() == A4_AT_DPI[1]
    pane.viewer.rotate_right()
    assert pane.viewer.rotation == 90

    pane.next_attachment()
    qtbot.waitUntil(lambda: pane.viewer.has_image, timeout=10_000)
    assert _near(_colour_at_centre(pane), COLOURS[2])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (make_pdf(2, encrypt=pdfencrypt.StandardEncryption("secret")), REASON_PDF_ENCRYPTED),
        (make_pdf(3)[:1500], REASON_PDF_TRUNCATED),
    ],
    ids=["encrypted", "truncated"],
)
def test_unreadable_pdf_shows_the_reason(
    qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs, content: bytes, reason: str
) -> None:
    photo = blobs.attachment(0, "离婚证", _jpeg("orange"))
    judgment = blobs.attachment(1, "法院判决书", content)
    assert not judgment.readable and judgment.reason == reason  # intake's verdict

    pane.set_attachments([photo, judgment])
    qtbot.waitUntil(lambda: pane.strip.is_unreadable(1), timeout=10_000)
    assert reason in pane.strip.item(1).toolTip()
    assert pane.strip.count() == 2

    pane.select(1)
    qtbot.waitUntil(lambda: pane.viewer.showing_unreadable, timeout=10_000)
    shown = pane.viewer.findChild(QLabel, "unreadableReason")
    assert shown is not None and shown.text() == reason


def test_pdf_recorded_as_unreadable_before_pdfs_were_supported_is_shown(
    qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs
) -> None:
    judgment = blobs.attachment(0, "法院判决书", make_pdf(2))
    legacy = AttachmentView(
        **{**judgment.__dict__, "readable": False, "reason": "不是图片文件（内容为 PDF 文档）"}
    )

    pane.set_attachments([legacy])

    qtbot.waitUntil(lambda: pane.viewer.has_image, timeout=10_000)
    qtbot.waitUntil(lambda: pane.strip.count() == 2, timeout=10_000)
    assert _near(_colour_at_centre(pane), COLOURS[0])


def test_no_placeholder_is_left_when_the_next_case_shares_pictures_in_compare(
    qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs
) -> None:
    # Packages share blobs (the same 户口簿 scan in a family's cases). With compare on
    # and the same first pictures the viewers have nothing new to show, yet every entry
    # of the new strip must still get its picture: no grey box may stay behind.
    first = blobs.attachment(0, "离婚证", _jpeg("orange"))
    second = blobs.attachment(1, "户口簿首页", _jpeg("purple"))
    pane.set_attachments([first, second, blobs.attachment(2, "房产证", _jpeg("teal"))])
    pane.set_comparing(True)
    qtbot.waitUntil(lambda: _all_thumbnails_settled(pane), timeout=10_000)

    pane.set_attachments([first, second, blobs.attachment(2, "出生证明", _jpeg("navy"))])

    qtbot.waitUntil(lambda: _all_thumbnails_settled(pane), timeout=10_000)
    assert all(pane.strip.has_thumbnail(i) for i in range(3))


def test_strip_labels_are_never_doubled(qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs) -> None:
    html = b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"
    photo = blobs.attachment(0, "户口簿本人页（学生本人）", _jpeg("orange"))
    page = blobs.attachment(1, "出生医学证明", html)
    pane.set_attachments([photo, page])
    qtbot.waitUntil(lambda: _all_thumbnails_settled(pane), timeout=10_000)
    strip = pane.strip

    for _ in range(2):  # a thumbnail failing or arriving again changes nothing
        strip.set_unreadable(1, REASON_HTML)
        strip.set_thumbnail(0, pane.viewer.pixmap.toImage())

    assert strip.item(1).text() == "2. 出生医学证明\n无法显示"
    assert strip.item(1).toolTip() == f"2. 出生医学证明\n{REASON_HTML}"
    assert strip.item(0).text().count("\n") == 0
    assert strip.label(0) == "1. 户口簿本人页（学生本人）"
    assert "网页" in REASON_HTML and "HTML" not in REASON_HTML  # words a parent knows


def test_head_start_hands_the_worker_its_start_and_the_pane_shows_the_picture_first(
    qtbot: QtBot, pane: AttachmentsPane, blobs: Blobs, tasks: TaskManager
) -> None:
    first = blobs.attachment(0, "离婚证", _jpeg("red", (1600, 1200)))
    second = blobs.attachment(1, "户口簿首页", _jpeg("blue"))
    loader = pane.loader
    # head_start returns once the worker is decoding (a real thread: the GUI thread waited
    # for it), so the decode is under way, not merely queued.
    fetched: list[str] = []
    fetch = blobs.fetch

    def counting_fetch(sha256: str) -> bytes:
        fetched.append(sha256)
        return fetch(sha256)

    loader._fetch = counting_fetch  # the real fetch, counted
    pane.head_start(first.sha256)
    assert fetched == [first.sha256]
    assert loader.is_pending(first.sha256, pane.main_feeder.box())
    pane.clear()
    pane.expect_first(first.sha256)
    qtbot.waitUntil(lambda: pane.viewer.has_image, timeout=10_000)
    assert pane.attachments == ()
    assert _near(_colour_at_centre(pane), (255, 0, 0))
    assert loader.decodes == 1  # the expected picture is the head start's decode
    # The attachments arrive: the same picture stays, the strip fills in.
    pane.set_attachments([first, second])
    assert pane.main_feeder.attachment == first and pane.viewer.has_image
    assert loader.decodes == 1
    qtbot.waitUntil(lambda: _all_thumbnails_settled(pane), timeout=10_000)


def test_head_start_of_a_blob_that_is_missing_does_not_hold_the_gui(
    qtbot: QtBot, pane: AttachmentsPane, tasks: TaskManager
) -> None:
    settled: list[bool] = []
    pane.settled.connect(lambda: settled.append(True))
    pane.head_start("f" * 64)  # the fetch raises KeyError at once: the wait ends with it
    pane.clear()
    pane.expect_first("f" * 64)
    qtbot.waitUntil(lambda: bool(settled), timeout=10_000)
    assert not pane.viewer.has_image
