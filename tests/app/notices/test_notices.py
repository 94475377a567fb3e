"""Printed notices, checked with the real PDF tools (poppler, zbar).

The tools are required: a missing tool fails the test with a clear message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.domain import CaseKind
from app.notices import (
    TEMPLATE_NAMES,
    BatchCancelled,
    NoticeData,
    NoticeError,
    layout_notice,
    load_templates,
    mask_id_number,
    render_batch,
    render_notice,
    sign_notice,
)
from app.notices.render import (
    OP_INK,
    OP_QR,
    OP_TEXT,
    PAGE_H,
    PAGE_W,
)
from app.notices.samples import SAMPLE_IDS, sample_notice
from app.notices.signing import SignatureInvalid, generate_keypair, verify_payload
from app.notices.text import ASCENT, DESCENT, has_glyph, text_width, wrap

FULL_ID = SAMPLE_IDS[0]
MASKED_ID = FULL_ID[:6] + "********" + FULL_ID[-4:]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"required tool {name!r} is not installed (poppler-utils / zbar-tools)")
    return path


def _run(*args: str) -> str:
    proc = subprocess.run(
        [_tool(args[0]), *args[1:]], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, f"{args[0]} failed ({proc.returncode}): {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_keypair()


@pytest.fixture(scope="module")
def rendered(
    keys: tuple[bytes, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[NoticeData, Path]]:
    out = tmp_path_factory.mktemp("notices")
    result: dict[str, tuple[NoticeData, Path]] = {}
    for i, template in enumerate(TEMPLATE_NAMES):
        data = sample_notice(
            template, keys[0], i, reprint=template == "rejection", student_id=FULL_ID
        )
        pdf = out / f"{template}.pdf"
        pdf.write_bytes(render_notice(data))
        result[template] = (data, pdf)
    return result


def _pages(pdf: Path) -> int:
    m = re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M)
    assert m, "pdfinfo printed no page count"
    return int(m.group(1))


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_one_a4_page(rendered: dict[str, tuple[NoticeData, Path]], template: str) -> None:
    _, pdf = rendered[template]
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert _pages(pdf) == 1
    info = _run("pdfinfo", str(pdf))
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m and abs(float(m.group(1)) - 595.28) < 1 and abs(float(m.group(2)) - 841.89) < 1


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_cjk_font_embedded_and_subset(
    rendered: dict[str, tuple[NoticeData, Path]], template: str
) -> None:
    _, pdf = rendered[template]
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert lines, "pdffonts lists no fonts"
    cjk = 0
    for line in lines:
        cols = line.split()
        name, emb, sub = cols[0], cols[-5], cols[-4]
        # every font in the file must be embedded (no base-14 Helvetica, no CID fonts)
        assert emb == "yes", f"font not embedded: {line}"
        if "WenQuanYi" in name:
            cjk += 1
            assert sub == "yes", f"CJK font not subset: {line}"
            assert re.fullmatch(r"[A-Z]{6}\+WenQuanYiMicroHei.*", name), name
    assert cjk >= 1, "WenQuanYi Micro Hei not in the PDF"


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_text_has_title_name_and_masked_id_only(
    rendered: dict[str, tuple[NoticeData, Path]], template: str
) -> None:
    data, pdf = rendered[template]
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    flat = re.sub(r"\s+", "", text)
    title = load_templates()["templates"][template]["title"]
    assert title in flat
    assert data.student_name in flat
    assert MASKED_ID in flat
    assert FULL_ID not in flat
    assert FULL_ID[6:14] not in flat  # the birth date part never shows
    assert data.serial in flat
    assert data.case_no in flat
    if template == "rejection":
        for code, wording in data.reasons:
            assert code in flat
            assert re.sub(r"\s+", "", wording) in flat
        assert "复核" in flat and "行政复议" in flat
        assert "补打" in flat and "第2份" in flat
    if template == "missing":
        for doc in data.missing_documents:
            assert doc in flat
        assert "补充截止时间：2025年6月20日" in flat
    if template == "onsite_receipt":
        assert "存根" in flat
        for doc in data.checked_documents:
            assert doc in flat
    assert "扫码核验" in flat


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_qr_decodes_and_verifies(
    rendered: dict[str, tuple[NoticeData, Path]],
    keys: tuple[bytes, bytes],
    template: str,
    tmp_path: Path,
) -> None:
    data, pdf = rendered[template]
    prefix = tmp_path / "page"
    _run("pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(prefix))
    png = prefix.with_suffix(".png")
    assert png.stat().st_size > 10_000
    decoded = _run("zbarimg", "--raw", "-q", str(png)).strip()
    assert decoded == data.qr_text
    payload = verify_payload(decoded, keys[1])
    assert payload == data.slip_payload()
    assert payload.case_no == data.case_no and payload.serial == data.serial
    # one changed byte anywhere in the scanned text is refused
    for i in range(len(decoded)):
        ch = decoded[i]
        bad = decoded[:i] + ("B" if ch == "A" else "A") + decoded[i + 1 :]
        with pytest.raises(SignatureInvalid):
            verify_payload(bad, keys[1])


def test_batch_pages_progress_and_cancel(keys: tuple[bytes, bytes], tmp_path: Path) -> None:
    n = 9
    items = [sample_notice(TEMPLATE_NAMES[i % 4], keys[0], i) for i in range(n)]
    seen: list[int] = []
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(render_batch(items, progress=seen.append))
    assert _pages(pdf) == n
    assert seen == list(range(1, n + 1))
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    assert text.count("\f") == n
    for page, item in zip(text.split("\f"), items, strict=False):
        assert item.serial in page

    calls = 0

    def cancel_after_three() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(BatchCancelled) as exc:
        render_batch(items, cancelled=cancel_after_three)
    assert exc.value.done == 3


def _boxes(
    data: NoticeData,
) -> tuple[list[tuple[float, float, float, float, str]], list[tuple[float, float, float, float]]]:
    """Text boxes outside the red-ink groups, and the QR square(s)."""
    texts: list[tuple[float, float, float, float, str]] = []
    qrs: list[tuple[float, float, float, float]] = []
    ink = False
    for op in layout_notice(data):
        if op[0] == OP_INK:
            ink = op[1]
        elif op[0] == OP_TEXT and not ink:
            _, size, x, y, s, _c, cs, _b = op
            w = text_width(s, size) + cs * (len(s) - 1)
            texts.append((x, y - DESCENT * size, x + w, y + ASCENT * size, s))
        elif op[0] == OP_QR:
            _, x, y, size, _t = op
            qrs.append((x, y, x + size, y + size))
    return texts, qrs


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    eps = 0.3
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
@pytest.mark.parametrize("reprint", [False, True])
def test_layout_nothing_overlaps_or_is_cut(
    keys: tuple[bytes, bytes], template: str, reprint: bool
) -> None:
    data = sample_notice(template, keys[0], 5, reprint=reprint)  # type: ignore[arg-type]
    texts, qrs = _boxes(data)
    margin = 8 * 72 / 25.4
    for box in texts:
        assert box[0] >= margin and box[2] <= PAGE_W - margin, f"cut horizontally: {box}"
        assert box[1] >= margin and box[3] <= PAGE_H - margin, f"cut vertically: {box}"
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not _overlap(a, b), f"text overlaps: {a[4]!r} / {b[4]!r}"
        for q in qrs:
            assert not _overlap(a, q), f"text over QR: {a[4]!r}"
    assert len(qrs) == 1


def test_long_content_scales_down_then_refuses(keys: tuple[bytes, bytes], tmp_path: Path) -> None:
    base = sample_notice("rejection", keys[0], 0)
    many = tuple(
        (
            f"R{i:02d}",
            "所提交的不动产权证登记日期晚于规定的5月31日截止日期，不能作为本年度招生依据。",
        )
        for i in range(9)
    )
    data = dataclasses.replace(base, reasons=many)
    texts, _ = _boxes(data)
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not _overlap(a, b)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_notice(data))
    assert _pages(pdf) == 1
    flat = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    assert "R08" in flat
    too_many = dataclasses.replace(base, reasons=many * 8)
    with pytest.raises(NoticeError, match="does not fit"):
        render_notice(too_many)


def test_notice_data_masks_and_validates(keys: tuple[bytes, bytes]) -> None:
    data = sample_notice("approval", keys[0], 0, student_id=FULL_ID)
    assert data.student_id == MASKED_ID
    assert mask_id_number("36010220170921002x") == "360102********002X"
    assert mask_id_number(MASKED_ID) == MASKED_ID
    with pytest.raises(NoticeError):
        mask_id_number("12345")
    # a QR text describing another notice is refused
    other = sample_notice("approval", keys[0], 1)
    with pytest.raises(NoticeError, match="does not describe"):
        dataclasses.replace(data, qr_text=other.qr_text)
    # unsigned notices cannot be rendered
    with pytest.raises(NoticeError, match="QR"):
        render_notice(dataclasses.replace(data, qr_text=""))
    with pytest.raises(NoticeError):
        dataclasses.replace(data, template="missing", deadline=None, qr_text="")
    with pytest.raises(NoticeError):
        dataclasses.replace(data, template="rejection", reasons=(), qr_text="")
    resigned = sign_notice(dataclasses.replace(data, kind=CaseKind.KINSHIP), keys[0])
    assert verify_payload(resigned.qr_text, keys[1]).outcome == "approve"
    assert data.decision_date == dt.date(2025, 6, 12)


def test_every_template_character_has_a_glyph() -> None:
    tpl = load_templates()
    chars: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            chars.update(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tpl)
    missing = sorted(c for c in chars if c not in "{}" and not has_glyph(c))
    assert not missing, f"characters without a glyph in the CJK font: {missing}"


def test_wrap_follows_line_breaking_rules() -> None:
    text = "你（您）提交的补充材料，经南昌市东湖区教育体育局审核，结论为：审核通过。" * 3
    for width in range(60, 400, 7):
        lines = wrap(text, 12, width)
        assert "".join(lines) == text
        for line in lines:
            assert text_width(line, 12) <= width + 0.01
            assert line[0] not in "，。、；：）"
            assert line[-1] not in "（"
        if width >= 100 and len(lines) > 1:
            assert len(lines[-1]) >= 3, f"lone character on the last line: {lines}"
    # no lone character on a paragraph's last line (孤字)
    assert wrap("一二三四五六七八九十。", 10, 90) == ("一二三四五六七八", "九十。")
    assert wrap("ABC-123456 中文", 12, 1000) == ("ABC-123456 中文",)
    # a Latin run is not broken inside when it fits on the next line ...
    lines = wrap("审核编号为ABCDEFGH-1234的案件", 12, 100)
    assert any("ABCDEFGH-1234" in line for line in lines), lines
    # ... and is cut by character when it is wider than a whole line
    lines = wrap("审核编号为ABCDEFGH-12345678-ABCDEFGH的案件", 12, 100)
    assert "".join(lines) == "审核编号为ABCDEFGH-12345678-ABCDEFGH的案件"
    assert all(text_width(line, 12) <= 100.01 for line in lines), lines
