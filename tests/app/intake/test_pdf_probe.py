"""PDF attachments in app.intake.imaging and intake: probing, bounds, rendering, flags.

Every PDF is a real document written here with reportlab (encrypted ones with reportlab's
standard encryption) and read by PDFium; damaged ones are real documents cut or spoiled.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from app.intake import imaging
from app.intake.imaging import (
    PDF_DPI,
    REASON_PDF_CORRUPT,
    REASON_PDF_ENCRYPTED,
    REASON_PDF_TRUNCATED,
    ImageUnreadable,
    decode_for_display,
    decode_full,
    pdf_info,
    probe,
    render_pdf_page,
)
from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.checks import IMAGE_UNREADABLE
from app.policy.districts import ensure_districts
from reviewdb.engine import Store
from reviewdb.models import Attachment, FindingRow
from tests.integration.test_intake import files, manifest

COLOURS = ((220, 30, 30), (30, 160, 60), (40, 60, 200))  # page 1 red, 2 green, 3 blue
A4_AT_DPI = (round(A4[0] * PDF_DPI / 72), round(A4[1] * PDF_DPI / 72))  # 1654×2339


def make_pdf(
    pages: int = 3,
    *,
    size: tuple[float, float] = A4,
    encrypt: pdfencrypt.StandardEncryption | None = None,
    colours: Sequence[tuple[int, int, int]] = COLOURS,
) -> bytes:
    """A real PDF: page n is filled with ``colours[n % len]`` and says "Page n"."""
    buf = io.BytesIO()
    doc = canvas.Canvas(buf, pagesize=size, encrypt=encrypt)
    for index in range(pages):
        r, g, b = colours[index % len(colours)]
        doc.setFillColorRGB(r / 255, g / 255, b / 255)
        doc.rect(0, 0, size[0], size[1], stroke=0, fill=1)
        doc.setFillColorRGB(1, 1, 1)
        doc.setFont("Helvetica", 36)
        doc.drawString(72, size[1] - 108, f"Page {index + 1}")
        doc.showPage()
    doc.save()
    return buf.getvalue()


def _centre(image: Image.Image) -> tuple[int, int, int]:
    pixel = image.getpixel((image.width // 2, image.height // 2))
    assert isinstance(pixel, tuple)
    return (int(pixel[0]), int(pixel[1]), int(pixel[2]))


def _near(pixel: tuple[int, int, int], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


# --- probing -------------------------------------------------------------------------------


def test_probe_reads_pages_of_a_multi_page_pdf(tmp_path: Path) -> None:
    path = tmp_path / "judgment.pdf"
    path.write_bytes(make_pdf(3))

    result = probe(path)

    assert result.readable and result.reason is None
    assert result.media_type == "application/pdf"
    assert result.page_count == 3
    assert (result.width, result.height) == A4_AT_DPI
    assert result.orientation is None


def test_probe_of_a_photo_has_no_page_count() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, "JPEG")
    assert probe(buf.getvalue()).page_count is None


def test_encrypted_pdf_is_flagged_with_a_clear_reason() -> None:
    data = make_pdf(2, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))

    result = probe(data)

    assert (result.readable, result.reason, result.media_type) == (
        False,
        REASON_PDF_ENCRYPTED,
        "application/pdf",
    )
    assert "密码" in REASON_PDF_ENCRYPTED
    with pytest.raises(ImageUnreadable, match="密码"):
        render_pdf_page(data, 0, 400, 300)


def test_pdf_with_only_an_owner_password_opens() -> None:
    # Restrictions on printing or copying, but no password to open: viewable as any PDF.
    data = make_pdf(2, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))

    assert probe(data).page_count == 2


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9, 0.99])
def test_truncated_pdf_is_flagged(keep: float) -> None:
    data = make_pdf(3)
    cut = data[: int(len(data) * keep)]

    result = probe(cut)

    assert (result.readable, result.reason) == (False, REASON_PDF_TRUNCATED)
    with pytest.raises(ImageUnreadable) as info:
        decode_for_display(cut, 400, 300)
    assert info.value.reason == REASON_PDF_TRUNCATED


def test_damaged_pdf_is_flagged() -> None:
    # Complete (it still ends with %%EOF), but the body is overwritten with noise.
    data = bytearray(make_pdf(3))
    noise = bytes(range(256)) * len(data)
    data[200:-200] = noise[: len(data) - 400]

    result = probe(bytes(data))

    assert (result.readable, result.reason) == (False, REASON_PDF_CORRUPT)


def test_pdf_with_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imaging, "MAX_PDF_PAGES", 5)
    result = probe(make_pdf(6))

    assert not result.readable
    assert result.reason == "PDF 共 6 页，超过 5 页的上限，请只上传需要的页面"


def test_pdf_with_a_gigantic_page_is_refused() -> None:
    side = imaging.MAX_PDF_PAGE_POINTS + 1
    result = probe(make_pdf(2, size=(side, side)))

    assert not result.readable
    assert result.reason is not None and result.reason.startswith("PDF 第 1 页的尺寸异常")


def test_large_allowed_page_is_rendered_within_the_pixel_limit() -> None:
    data = make_pdf(1, size=(4000, 4000))  # 1.4 m square: 123 MP at 200 dpi

    info = pdf_info(data)
    width, height = info.page_pixels(0)

    assert width * height <= imaging.MAX_PIXELS
    assert abs(width - height) <= 1


# --- rendering -------------------------------------------------------------------------------


def test_render_page_two_fits_the_box() -> None:
    data = make_pdf(3)

    page, info = render_pdf_page(data, 1, 400, 300)

    assert info.page_count == 3
    assert page.mode == "RGB"
    assert page.width <= 400 and page.height <= 300
    assert page.height >= 299  # A4 portrait: the height decides
    assert _near(_centre(page), COLOURS[1])


def test_full_render_is_at_pdf_dpi_and_display_decode_routes_pages() -> None:
    data = make_pdf(3)

    full = decode_full(data, page=2)
    shown = decode_for_display(data, 200, 200, page=0)

    assert full.size == A4_AT_DPI
    assert _near(_centre(full), COLOURS[2])
    assert max(shown.size) <= 200 and _near(_centre(shown), COLOURS[0])
    with pytest.raises(IndexError):
        render_pdf_page(data, 3, 100, 100)


def test_a_photo_has_no_second_page() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, "PNG")
    with pytest.raises(IndexError):
        decode_for_display(buf.getvalue(), 100, 100, page=1)


def test_pdf_rendering_shares_the_pdfium_lock_with_the_notice_printer() -> None:
    # PDFium is not thread-safe: the attachment viewer and the notice printer run on the
    # same worker pool, so both must serialise on one lock. Hammer both at once.
    from app.notices.printing import render_pdf_page as print_render

    data = make_pdf(3)
    errors: list[BaseException] = []
    rendered: list[tuple[int, tuple[int, int, int]]] = []

    def viewer_side() -> None:
        try:
            for index in range(12):
                page, _ = render_pdf_page(data, index % 3, 120, 160)
                rendered.append((index % 3, _centre(page)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    def printer_side() -> None:
        try:
            for _ in range(12):
                print_render(data, 1, 30)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=t) for t in (viewer_side, printer_side, viewer_side)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(rendered) == 24
    assert all(_near(colour, COLOURS[page]) for page, colour in rendered)


# --- intake --------------------------------------------------------------------------------


@pytest.fixture
def ready(store: Store) -> Store:
    with store.write() as s:
        ensure_districts(s)
    return store


def test_intake_records_a_readable_pdf_and_flags_a_damaged_one(
    ready: Store, tmp_path: Path
) -> None:
    m = manifest("PDF-1")
    m["attachments"][1]["path"] = "judgment.pdf"
    m["attachments"][2]["path"] = "hukou.pdf"
    package = files(**{"judgment.pdf": make_pdf(3), "hukou.pdf": make_pdf(2)[:900]})
    del package["img/judgment.jpg"], package["img/hukou_home.jpg"]

    out = import_package(
        ready,
        write_package(tmp_path / "p", m, package, as_zip=True),
        actor=None,
        workstation="ws-test",
    )

    assert out.status == "imported", out.line
    with ready.read() as s:
        rows = {a.label: a for a in s.scalars(select(Attachment))}
        judgment, hukou = rows["法院判决书"], rows["户口簿首页"]
        assert (judgment.readable, judgment.media_type) == (True, "application/pdf")
        assert (judgment.width, judgment.height) == A4_AT_DPI  # its first page
        assert (hukou.readable, hukou.unreadable_reason) == (False, REASON_PDF_TRUNCATED)
        assert IMAGE_UNREADABLE in {f.code for f in s.scalars(select(FindingRow))}
        # Intake keeps the page count probing found (None for the damaged one).
        assert (judgment.page_count, hukou.page_count) == (3, None)
        assert probe(ready.blobs.get(judgment.sha256)).page_count == 3
