"""Demo document rendering: real decodes of the produced JPEG/PNG bytes."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

from app.demo.documents import (
    DOC_LABELS,
    DOC_TYPES,
    label_for,
    make_id_number,
    render_document,
    render_page,
)
from resources import FONT_PATH

SMALL = (800, 600)  # keeps the per-type tests quick; the pipeline is size independent


def _open(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_every_type_has_a_chinese_label() -> None:
    assert set(DOC_TYPES) == set(DOC_LABELS)
    assert label_for("divorce_certificate") == "离婚证"
    assert label_for("birth_certificate") == "出生医学证明"
    assert all("\u4e00" <= label_for(t)[0] <= "\u9fff" for t in DOC_TYPES)
    with pytest.raises(ValueError):
        label_for("passport")


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_each_type_renders_a_decodable_jpeg(doc_type: str) -> None:
    data = render_document(doc_type, {}, random.Random(7), size=SMALL)
    img = _open(data)
    assert img.format == "JPEG"
    assert img.size == SMALL
    assert img.mode == "RGB"
    # a photo, not a flat colour: the page is brighter than the table around it
    gray = img.convert("L")
    centre = gray.crop((300, 200, 500, 400))
    lo, hi = centre.getextrema()
    assert isinstance(lo, int) and isinstance(hi, int)
    assert hi - lo > 80  # dark text on light paper somewhere in the middle


def test_full_size_photo() -> None:
    data = render_document("court_judgment", {}, random.Random(1))
    img = _open(data)
    assert (img.format, img.size) == ("JPEG", (4000, 3000))
    assert len(data) > 300_000  # noise and detail, not a flat image


def test_png_scan() -> None:
    data = render_document("kinship_proof", {}, random.Random(3), fmt="PNG", size=(1240, 1754))
    img = _open(data)
    assert (img.format, img.size) == ("PNG", (1240, 1754))
    # a scan is white around the page, with no table texture
    assert min(img.getpixel((3, 3))) > 230  # type: ignore[arg-type]


@pytest.mark.parametrize(("orientation", "raw_size"), [(6, (3000, 4000)), (8, (3000, 4000))])
def test_exif_orientation_rotates_the_stored_pixels(
    orientation: int, raw_size: tuple[int, int]
) -> None:
    data = render_document("hukou_home", {}, random.Random(5), exif_orientation=orientation)
    raw = _open(data)
    assert raw.size == raw_size
    assert raw.getexif()[0x0112] == orientation
    upright = ImageOps.exif_transpose(raw)
    assert upright.size == (4000, 3000)
    # the same seed without the tag gives the upright picture: the viewer must agree
    plain = _open(render_document("hukou_home", {}, random.Random(5)))
    diff = ImageChops.difference(upright.convert("L"), plain.convert("L"))
    small = diff.resize((40, 30), Image.Resampling.BOX)
    high = small.getextrema()[1]
    assert isinstance(high, int) and high < 16  # only JPEG re-encoding differences


def test_same_seed_same_bytes_different_seed_different_bytes() -> None:
    fields = {"child_name": "王子涵", "district": "新建区"}
    a = render_document("birth_certificate", fields, random.Random(42), size=SMALL)
    b = render_document("birth_certificate", fields, random.Random(42), size=SMALL)
    c = render_document("birth_certificate", fields, random.Random(43), size=SMALL)
    assert a == b
    assert a != c


def test_fields_are_used_and_defaults_are_consistent() -> None:
    rng = random.Random(9)
    child_id = make_id_number("360112", dt.date(2016, 3, 4), True, rng)
    assert len(child_id) == 18
    page1 = render_page(
        "court_judgment", {"child_id": child_id, "child_name": "李明"}, random.Random(1)
    )
    page2 = render_page(
        "court_judgment", {"child_id": child_id, "child_name": "李明明"}, random.Random(1)
    )
    assert page1.tobytes() != page2.tobytes()  # the name reached the page


def _ink_fraction(img: Image.Image, box: tuple[int, int, int, int]) -> float:
    region = img.convert("L").crop(box)
    hist = region.histogram()
    dark = sum(hist[:120])
    return dark / (region.width * region.height)


def test_titles_are_drawn_with_the_cjk_font() -> None:
    # The court's name is the title line of the judgment.  Its ink must match the
    # same text drawn with the bundled CJK font: a missing font, tofu boxes or an
    # empty band all fail.
    page = render_page("court_judgment", {"district": "青山湖区"}, random.Random(2))
    assert page.size == (1240, 1754)
    band = (100, 100, 1140, 200)
    assert _ink_fraction(page, band) > 0.05
    assert _ink_fraction(page, (150, 5, 1090, 60)) == 0.0
    expected = Image.new("L", page.size, 255)
    ImageDraw.Draw(expected).text(
        (620, 150),
        "江西省南昌市青山湖区人民法院",
        font=ImageFont.truetype(str(FONT_PATH), 48, index=0),
        fill=0,
        anchor="mm",
        stroke_width=1,
        stroke_fill=0,
    )
    got = page.convert("L").crop(band).point(lambda v: 255 if v < 120 else 0)
    want = expected.crop(band).point(lambda v: 255 if v < 120 else 0)
    inter = ImageChops.logical_and(got.convert("1"), want.convert("1")).histogram()[-1]
    union = ImageChops.logical_or(got.convert("1"), want.convert("1")).histogram()[-1]
    assert inter / union > 0.9


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_pages_carry_a_red_seal(doc_type: str) -> None:
    page = render_page(doc_type, {}, random.Random(11))
    r, g, b = page.split()
    redness = ImageChops.subtract(r, g)
    red_pixels = redness.point(lambda v: 255 if v > 90 else 0).histogram()[255]
    # the divorce agreement has only two red thumbprints; the others carry seals
    assert red_pixels > (150 if doc_type == "divorce_agreement" else 2000)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        render_document("nope", {}, random.Random(1), size=SMALL)
    with pytest.raises(ValueError):
        render_document("hukou_home", {}, random.Random(1), size=SMALL, exif_orientation=5)
    with pytest.raises(ValueError):
        render_document("hukou_home", {}, random.Random(1), size=SMALL, fmt="GIF")
