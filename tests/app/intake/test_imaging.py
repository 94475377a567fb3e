"""Tests for app.intake.imaging: every bad-upload class, EXIF orientation, HEIC and shrink-on-decode.

Every input is a real file produced here (with Pillow, pillow-heif or by hand), never a
mock of the decoder.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import time
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageFile, ImageStat
from PIL.JpegImagePlugin import JpegImageFile

from app.intake import imaging
from app.intake.imaging import (
    REASON_BOMB,
    REASON_EMPTY,
    REASON_HTML,
    REASON_TRUNCATED,
    ImageUnreadable,
    adjust,
    decode_for_display,
    decode_full,
    probe,
    sniff_media_type,
    to_rgb_bytes,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)


# --- real files ----------------------------------------------------------------------------


def _detailed(width: int, height: int) -> Image.Image:
    """An RGB picture with enough detail that its JPEG scan data is not trivial."""
    noise = Image.effect_noise((width, height), 30)
    gradient = Image.linear_gradient("L").resize((width, height))
    return Image.merge("RGB", (noise, gradient, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))


def _jpeg_bytes(image: Image.Image, orientation: int | None = None, **params: object) -> bytes:
    buf = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        params["exif"] = exif
    image.save(buf, "JPEG", quality=90, **params)
    return buf.getvalue()


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def _left_red_right_blue(width: int = 80, height: int = 40) -> Image.Image:
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose IHDR claims ``width`` × ``height`` RGB pixels.

    The IDAT holds only one compressed row, so the file stays small whatever the claim.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * 3 * min(width, 1000), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@pytest.fixture(scope="module")
def photo_jpeg() -> bytes:
    """A 4000×3000 JPEG, the shape of a phone photo."""
    return _jpeg_bytes(_detailed(4000, 3000))


# --- good input ----------------------------------------------------------------------------


def test_probe_reads_a_good_jpeg_from_path(tmp_path: Path, photo_jpeg: bytes) -> None:
    path = tmp_path / "户口本首页.jpg"
    path.write_bytes(photo_jpeg)

    result = probe(path)

    assert result == imaging.ProbeResult(
        readable=True,
        reason=None,
        media_type="image/jpeg",
        width=4000,
        height=3000,
        orientation=None,
    )


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("PNG", "image/png"), ("WEBP", "image/webp"), ("JPEG", "image/jpeg")],
)
def test_probe_accepts_supported_formats(fmt: str, media_type: str) -> None:
    result = probe(_encode(_detailed(120, 90), fmt))

    assert (result.readable, result.media_type, result.width, result.height) == (
        True,
        media_type,
        120,
        90,
    )


def test_heic_written_with_pillow_heif_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "iphone.heic"
    _left_red_right_blue(96, 64).save(path, format="HEIF", quality=90)

    result = probe(path)
    shown = decode_for_display(path, 48, 48)
    full = decode_full(path)

    assert (result.readable, result.media_type, result.width, result.height) == (
        True,
        "image/heic",
        96,
        64,
    )
    assert shown.size == (48, 32)
    assert full.size == (96, 64)
    assert _near(full.getpixel((5, 32)), RED)
    assert _near(full.getpixel((90, 32)), BLUE)


def test_truncated_heic_is_unreadable(tmp_path: Path) -> None:
    data = _encode(_detailed(256, 256), "HEIF", quality=90)
    path = tmp_path / "cut.heic"
    path.write_bytes(data[: len(data) * 2 // 3])

    result = probe(path)

    assert result.readable is False
    assert result.media_type == "image/heic"
    assert result.reason


# --- bad input, one class at a time ----------------------------------------------------------


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.2])
def test_truncated_jpeg_is_detected(tmp_path: Path, photo_jpeg: bytes, keep: float) -> None:
    path = tmp_path / "cut.jpg"
    path.write_bytes(photo_jpeg[: int(len(photo_jpeg) * keep)])

    result = probe(path)

    assert (result.readable, result.reason, result.media_type) == (
        False,
        REASON_TRUNCATED,
        "image/jpeg",
    )
    for decode in (lambda: decode_for_display(path, 800, 600), lambda: decode_full(path)):
        with pytest.raises(ImageUnreadable) as info:
            decode()
        assert info.value.reason == REASON_TRUNCATED


def test_jpeg_cut_inside_its_header_is_truncated(photo_jpeg: bytes) -> None:
    result = probe(photo_jpeg[:300])

    assert (result.readable, result.reason) == (False, REASON_TRUNCATED)


def test_truncated_png_is_detected() -> None:
    data = _encode(_detailed(400, 300), "PNG")

    result = probe(data[: len(data) // 2])

    assert (result.readable, result.reason, result.media_type) == (
        False,
        REASON_TRUNCATED,
        "image/png",
    )


def test_zero_byte_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()

    assert probe(path) == imaging.ProbeResult(
        readable=False, reason=REASON_EMPTY, media_type="application/octet-stream"
    )
    with pytest.raises(ImageUnreadable, match=REASON_EMPTY):
        decode_for_display(path, 100, 100)


def test_html_saved_as_jpg_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "身份证.jpg"
    path.write_text(
        "\ufeff\n<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
        "<body><h1>502 Bad Gateway</h1></body></html>\n",
        encoding="utf-8",
    )

    result = probe(path)

    assert (result.readable, result.reason, result.media_type) == (
        False,
        REASON_HTML,
        "text/html",
    )
    with pytest.raises(ImageUnreadable, match="网页文件"):
        decode_full(path)


def test_decompression_bomb_png_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_declaring(100_000, 100_000))
    assert path.stat().st_size < 1000  # the danger is the claim, not the file

    started = time.perf_counter()
    result = probe(path)
    elapsed = time.perf_counter() - started

    assert (result.readable, result.reason, result.media_type) == (False, REASON_BOMB, "image/png")
    assert elapsed < 0.5
    with pytest.raises(ImageUnreadable, match=REASON_BOMB):
        decode_for_display(path, 800, 600)
    with pytest.raises(ImageUnreadable, match=REASON_BOMB):
        decode_full(path)


def test_own_pixel_limit_holds_even_if_pillows_global_is_disabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another module may switch Pillow's global check off; ours must not depend on it.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    side = int(imaging.MAX_PIXELS**0.5) + 10

    result = probe(_png_declaring(side, side))

    assert (result.readable, result.reason) == (False, REASON_BOMB)


def test_canvas_between_our_limit_and_pillows_is_refused_without_warning() -> None:
    width, height = 10_000, imaging.MAX_PIXELS // 10_000 + 100
    assert imaging.MAX_PIXELS < width * height < Image.MAX_IMAGE_PIXELS  # type: ignore[operator]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = probe(_png_declaring(width, height))

    assert (result.readable, result.reason) == (False, REASON_BOMB)


def test_probing_bad_input_leaves_pillow_globals_alone(tmp_path: Path, photo_jpeg: bytes) -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, list(warnings.filters))

    probe(_png_declaring(100_000, 100_000))
    probe(photo_jpeg[: len(photo_jpeg) // 2])
    decode_for_display(photo_jpeg, 100, 100)

    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, list(warnings.filters)) == (
        before
    )


@pytest.mark.parametrize(
    ("fmt", "label", "media_type"),
    [("TIFF", "TIFF", "image/tiff"), ("BMP", "BMP", "image/bmp"), ("GIF", "GIF", "image/gif")],
)
def test_real_image_in_unsupported_format_is_named(
    tmp_path: Path, fmt: str, label: str, media_type: str
) -> None:
    path = tmp_path / "scan.jpg"  # the extension lies; the content decides
    _detailed(64, 48).save(path, format=fmt)

    result = probe(path)

    assert (result.readable, result.reason, result.media_type) == (
        False,
        f"不支持 {label} 格式的图片，请以 JPG 或 PNG 图片重新上传",
        media_type,
    )
    with pytest.raises(ImageUnreadable, match=label):
        decode_for_display(path, 100, 100)


def test_random_bytes_are_not_an_image() -> None:
    result = probe(bytes(range(256)) * 8)

    assert (result.readable, result.media_type) == (False, "application/octet-stream")
    assert result.reason == imaging.REASON_UNKNOWN


def test_file_over_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as file:  # sparse: costs no disk, but stat says 40 MiB + 1
        file.truncate(imaging.MAX_FILE_BYTES + 1)

    result = probe(path)

    assert result.readable is False
    assert result.reason is not None and result.reason.startswith("文件太大（40.0 MB，最大 40 MB）")


def test_oversized_bytes_are_refused() -> None:
    result = probe(b"\xff\xd8\xff" + b"\x00" * imaging.MAX_FILE_BYTES)

    assert result.reason is not None and result.reason.startswith("文件太大")


def test_missing_file_and_directory_are_unreadable(tmp_path: Path) -> None:
    assert probe(tmp_path / "nope.jpg").reason == imaging.REASON_NOT_FOUND
    assert probe(tmp_path).reason == imaging.REASON_NOT_REGULAR


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)

    assert probe(path).reason == imaging.REASON_NOT_REGULAR


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1miaf", "image/heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "image/avif"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "video/mp4"),
        (b'{"code": 500, "msg": "error"}', "application/json"),
        ("家长上传的说明文字".encode(), "text/plain"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/svg+xml"),
        (b"<abc>not html</abc>", "text/plain"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_sniff_media_type(head: bytes, media_type: str) -> None:
    assert sniff_media_type(head) == media_type


# --- orientation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "top_colour", "bottom_colour"),
    # 6: the camera was turned clockwise, so the stored left edge belongs on top.
    [(6, RED, BLUE), (8, BLUE, RED)],
)
def test_exif_orientation_swaps_size_and_turns_pixels(
    tmp_path: Path,
    orientation: int,
    top_colour: tuple[int, int, int],
    bottom_colour: tuple[int, int, int],
) -> None:
    path = tmp_path / "rotated.jpg"
    path.write_bytes(_jpeg_bytes(_left_red_right_blue(80, 40), orientation=orientation))

    result = probe(path)
    full = decode_full(path)
    shown = decode_for_display(path, 20, 20)

    assert (result.width, result.height, result.orientation) == (40, 80, orientation)
    assert full.size == (40, 80)
    assert shown.size == (10, 20)
    assert _near(full.getpixel((20, 5)), top_colour)
    assert _near(full.getpixel((20, 75)), bottom_colour)


def test_orientation_1_is_reported_and_keeps_size() -> None:
    result = probe(_jpeg_bytes(_left_red_right_blue(80, 40), orientation=1))

    assert (result.width, result.height, result.orientation) == (80, 40, 1)


# --- display decoding --------------------------------------------------------------------------


@pytest.fixture
def draft_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Sizes JPEGs had right after ``draft()``: the resolution the decoder actually produced."""
    sizes: list[tuple[int, int]] = []
    original: Callable[..., object] = JpegImageFile.draft

    def spy(self: JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> object:
        result = original(self, mode, size)
        sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    return sizes


def test_display_decode_fits_box_using_shrink_on_decode(
    photo_jpeg: bytes, draft_sizes: list[tuple[int, int]]
) -> None:
    shown = decode_for_display(photo_jpeg, 800, 600)

    assert shown.mode == "RGB"
    assert shown.size == (800, 600)
    # 4000×3000 → 800×600 is 1/5; the coarsest DCT scale not below that is 1/4.
    assert draft_sizes == [(1000, 750)]


def test_display_decode_of_portrait_photo_drafts_in_stored_orientation(
    draft_sizes: list[tuple[int, int]],
) -> None:
    data = _jpeg_bytes(_detailed(4000, 3000), orientation=6)

    shown = decode_for_display(data, 800, 600)

    assert shown.size == (450, 600)
    # Upright it is 3000×4000 → 450×600 (0.15); stored 4000×3000 at 1/4 is the coarsest ≥.
    assert draft_sizes == [(1000, 750)]


def test_display_decode_never_enlarges() -> None:
    shown = decode_for_display(_encode(_detailed(120, 90), "PNG"), 800, 600)

    assert shown.size == (120, 90)


def test_transparent_png_is_composited_on_white() -> None:
    data = _encode(Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG")

    shown = decode_for_display(data, 10, 10)

    assert shown.mode == "RGB"
    assert shown.getpixel((5, 5)) == (255, 255, 255)


def test_display_decode_says_when_the_pixels_are_being_decoded(
    photo_jpeg: bytes, draft_sizes: list[tuple[int, int]]
) -> None:
    # ``started`` comes once, after the headers are read and the draft is set, before the
    # pixels: a caller waiting for it knows the decode runs without Python's lock.
    seen: list[list[tuple[int, int]]] = []
    shown = decode_for_display(photo_jpeg, 800, 600, started=lambda: seen.append(list(draft_sizes)))
    assert seen == [[(1000, 750)]]
    assert shown.size == (800, 600)
    # Content that is not a picture fails before any pixel: never said to be started.
    seen.clear()
    with pytest.raises(ImageUnreadable):
        decode_for_display(b"not a picture", 800, 600, started=lambda: seen.append([]))
    assert seen == []


def test_display_box_must_be_positive(photo_jpeg: bytes) -> None:
    with pytest.raises(ValueError):
        decode_for_display(photo_jpeg, 0, 600)


def test_full_decode_keeps_full_resolution(photo_jpeg: bytes) -> None:
    assert decode_full(photo_jpeg).size == (4000, 3000)


# --- adjustments and conversion ------------------------------------------------------------------


def test_adjust_brightens_and_stretches_contrast() -> None:
    dim = Image.linear_gradient("L").resize((64, 64)).point(lambda v: 40 + v // 4).convert("RGB")

    brighter = adjust(dim, brightness=1.8, contrast=1.0)
    contrastier = adjust(dim, brightness=1.0, contrast=2.0)

    assert ImageStat.Stat(brighter).mean[0] > ImageStat.Stat(dim).mean[0] * 1.5
    assert ImageStat.Stat(contrastier).stddev[0] > ImageStat.Stat(dim).stddev[0] * 1.5
    assert dim.getpixel((0, 0)) == (40, 40, 40)  # the input is untouched


def test_adjust_neutral_is_identity_and_negative_is_refused() -> None:
    image = _detailed(16, 16)

    assert adjust(image, 1.0, 1.0).tobytes() == image.tobytes()
    with pytest.raises(ValueError):
        adjust(image, -0.1, 1.0)


def test_to_rgb_bytes_packs_rows() -> None:
    data, width, height, stride = to_rgb_bytes(Image.new("L", (7, 3), 200))

    assert (width, height, stride) == (7, 3, 21)
    assert data == bytes([200]) * 63


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (1000, 750), (2001, 37)])
def test_to_rgb_bytes_is_pillows_own_packing_in_one_piece(size: tuple[int, int]) -> None:
    # Noise in every channel, sizes across several of tobytes' 64 KiB pieces and odd ones.
    bands = [Image.effect_noise(size, 60 + 20 * i) for i in range(3)]
    image = Image.merge("RGB", bands)

    data, width, height, stride = to_rgb_bytes(image)

    assert (width, height, stride) == (size[0], size[1], size[0] * 3)
    assert data == image.tobytes()
    assert Image.frombytes("RGB", size, data).getpixel((size[0] - 1, size[1] - 1)) == (
        image.getpixel((size[0] - 1, size[1] - 1))
    )


def test_module_does_not_import_qt() -> None:
    # app/ must stay Qt-free: importing it from a clean interpreter pulls in no Qt module.
    import subprocess

    code = (
        "import sys, app.intake.imaging; print([m for m in sys.modules if m.startswith('PySide6')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    ).stdout.strip()
    assert out == "[]"


def test_pillow_heif_is_registered() -> None:
    assert "HEIF" in Image.OPEN
    assert pillow_heif.__version__
