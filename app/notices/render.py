"""Lay out and draw notices as A4 PDF pages with reportlab.

Layout produces a flat list of drawing operations (:data:`Op`); drawing replays them on a
canvas. Text uses the embedded, subset WenQuanYi Micro Hei TrueType font; the QR code is
one filled path built from segno's module matrix; the seal is vector art in red ink.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import segno
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.notices.model import NoticeData, NoticeError, load_templates
from app.notices.text import (
    ASCENT,
    DESCENT,
    KEEP_END,
    KEEP_START,
    ensure_font,
    text_width,
    wrap,
)

mm: Final[float] = 72.0 / 25.4
PAGE_W: Final[float] = float(A4[0])
PAGE_H: Final[float] = float(A4[1])
MARGIN_X: Final = 22 * mm
MARGIN_BOTTOM: Final = 12 * mm
CONTENT_W: Final = PAGE_W - 2 * MARGIN_X

Color = tuple[float, float, float]
BLACK: Final[Color] = (0.0, 0.0, 0.0)
GREY: Final[Color] = (0.35, 0.35, 0.35)
RED: Final[Color] = (0.86, 0.05, 0.08)  # 红头 / seal red
SEAL_RED: Final[Color] = (0.88, 0.10, 0.12)

# QR: error level M, fixed mask pattern (skipping segno's 8-way mask evaluation makes
# the encode ~6x faster; every mask is valid for readers).
QR_ERROR: Final = "m"
QR_MASK: Final = 4
QR_SIZE: Final = 30 * mm
SEAL_R: Final = 20 * mm

# Drawing operations (first element is the kind).
OP_TEXT: Final = 0  # (0, size, x, y, text, color, char_space, bold)
OP_LINE: Final = 1  # (1, x1, y1, x2, y2, width, color, dash)
OP_RECT: Final = 2  # (2, x, y, w, h, width, stroke_color|None, fill_color|None)
OP_CIRCLE: Final = 3  # (3, cx, cy, r, width, color)
OP_POLY: Final = 4  # (4, points, color)  filled
OP_RTEXT: Final = 5  # (5, x, y, angle_deg, size, text, color)  centred at x, baseline y
OP_QR: Final = 6  # (6, x, y, size, text)
OP_INK: Final = 7  # (7, on)  red-ink mode (multiply blend) for seals and stamps
Op = tuple[Any, ...]

SCALES: Final = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)


class BatchCancelled(Exception):
    """render_batch stopped because ``cancelled()`` returned True."""

    def __init__(self, done: int) -> None:
        super().__init__(f"batch cancelled after {done} page(s)")
        self.done = done


# ---------------------------------------------------------------------- wording


class _Strict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise NoticeError(f"template placeholder {{{key}}} has no value")


def _cn_date(value: Any, fmt: str) -> str:
    return fmt.format(y=value.year, m=value.month, d=value.day)


def _fields(data: NoticeData, tpl: dict[str, Any]) -> _Strict:
    common = tpl["common"]
    date_fmt = common["date"]
    outcome_key = data.slip_outcome
    return _Strict(
        year=str(data.decision_date.year),
        case_no=data.case_no,
        round=str(data.round),
        serial=data.serial,
        student_name=data.student_name,
        student_id=data.student_id,
        school=data.school,
        district_name=data.district_name,
        issuing_office=data.issuing_office,
        kind_title=tpl["kinds"][data.kind.value],
        kind_label=data.kind.label,
        date=_cn_date(data.decision_date, date_fmt),
        deadline=_cn_date(data.deadline, date_fmt) if data.deadline else "",
        reviewer_code=data.reviewer_code,
        template_version=data.template_version,
        copy_no=str(data.copy_no),
        venue=data.venue or "",
        contact_phone=data.contact_phone or "",
        outcome_label=common["outcome_labels"][outcome_key],
        missing_count=str(len(data.missing_documents)),
    )


def _fmt(text: str, fields: _Strict) -> str:
    return text.format_map(fields)


# Content blocks (scale independent): ("para", text, indent) | ("heading", text)
# | ("list", items, numbered_prefix) | ("table", rows) | ("box", text) | ("small", text)
Block = tuple[Any, ...]


def _blocks(data: NoticeData, tpl: dict[str, Any], f: _Strict) -> list[Block]:
    common = tpl["common"]
    t = tpl["templates"][data.template]
    labels = common["table"]
    blocks: list[Block] = []
    if t.get("salutation", True):
        blocks.append(("salute", _fmt(common["salutation"], f)))
    stage = data.stage.label if data.stage is not None else labels["not_given"]
    rows: list[list[str]] = [
        [labels["student_name"], data.student_name, labels["student_id"], data.student_id],
        [labels["kind"], data.kind.label, labels["stage"], stage],
        [labels["school"], data.school],
    ]
    if data.template == "onsite_receipt":
        rows.append([labels["venue"], data.venue or labels["not_given"]])
    rows.append([labels["outcome"], f["outcome_label"]])
    blocks.append(("table", rows))
    if data.template == "approval":
        f["kind_next"] = t["kind_next"][data.kind.value]
    for p in t["paragraphs"]:
        blocks.append(("para", _fmt(p, f), True))

    def reason_items() -> list[str]:
        # the code suffix is kept on one line (KEEP_START/KEEP_END make one token)
        return [
            f"{wording}{KEEP_START}（原因代码：{code}）{KEEP_END}" for code, wording in data.reasons
        ]

    if data.template == "approval" and t.get("tips"):
        blocks.append(("heading", t["tips_heading"]))
        blocks.append(("list", [_fmt(x, f) for x in t["tips"]], "num"))
    if data.template == "rejection":
        blocks.append(("heading", t["reasons_heading"]))
        blocks.append(("list", reason_items(), "num"))
        deadline = (
            _fmt(t["appeal_deadline_date"], f)
            if data.deadline
            else _fmt(t["appeal_deadline_default"], f)
        )
        f["appeal_deadline"] = deadline
        blocks.append(("heading", t["appeal_heading"]))
        for p in t["appeal"]:
            blocks.append(("para", _fmt(p, f), True))
    elif data.template == "missing":
        blocks.append(("heading", t["missing_heading"]))
        blocks.append(("list", list(data.missing_documents), "box"))
        if data.reasons:
            blocks.append(("heading", t["reasons_heading"]))
            blocks.append(("list", reason_items(), "num"))
        blocks.append(("box", _fmt(t["deadline_box"], f)))
        for p in t["after"]:
            blocks.append(("para", _fmt(p, f), True))
    elif data.template == "onsite_receipt":
        if data.checked_documents:
            blocks.append(("heading", t["checked_heading"]))
            blocks.append(("list", list(data.checked_documents), "check"))
        f["result_hint"] = (
            _fmt(t["result_hint_date"], f) if data.deadline else _fmt(t["result_hint_default"], f)
        )
        for p in t["after"]:
            blocks.append(("para", _fmt(p, f), True))
    if data.note:
        blocks.append(("para", common["note_heading"] + data.note, False))
    tail = []
    if data.contact_phone:
        tail.append(_fmt(common["contact"], f))
    tail.append(common["privacy"])
    blocks.append(("small", "　".join(tail)))
    return blocks


# ----------------------------------------------------------------------- layout


class _Page:
    """Collects operations for one page."""

    __slots__ = ("ops",)

    def __init__(self) -> None:
        self.ops: list[Op] = []

    def text(
        self,
        size: float,
        x: float,
        y: float,
        s: str,
        color: Color = BLACK,
        char_space: float = 0.0,
        bold: bool = False,
    ) -> None:
        if s:
            self.ops.append((OP_TEXT, size, x, y, s, color, char_space, bold))

    def centred(
        self,
        size: float,
        cx: float,
        y: float,
        s: str,
        color: Color = BLACK,
        char_space: float = 0.0,
        bold: bool = False,
    ) -> None:
        w = text_width(s, size) + char_space * (len(s) - 1)
        self.text(size, cx - w / 2, y, s, color, char_space, bold)

    def right(
        self,
        size: float,
        x: float,
        y: float,
        s: str,
        color: Color = BLACK,
        char_space: float = 0.0,
        bold: bool = False,
    ) -> None:
        w = text_width(s, size) + char_space * (len(s) - 1)
        self.text(size, x - w, y, s, color, char_space, bold)

    def para_lines(
        self,
        lines: Sequence[str],
        size: float,
        x: float,
        y: float,
        width: float,
        leading: float,
        first_indent: float = 0.0,
        justify: bool = True,
        color: Color = BLACK,
    ) -> float:
        """Draw wrapped lines with their first baseline at ``y``; return the last baseline."""
        last = len(lines) - 1
        for i, line in enumerate(lines):
            lx = x + (first_indent if i == 0 else 0.0)
            cs = 0.0
            if justify and i < last and len(line) > 1:
                slack = (width - (lx - x)) - text_width(line, size)
                if 0 < slack < size * 2.5:
                    cs = slack / (len(line) - 1)
            self.text(size, lx, y, line, color, cs)
            y -= leading
        return y + leading


def _fit_letterhead(text: str) -> tuple[float, float]:
    """Size and letter spacing for the red letterhead, fitted to the content width."""
    n = max(len(text), 1)
    size = 26.0
    cs = size * 0.18
    while size > 14 and text_width(text, size) + cs * (n - 1) > CONTENT_W - 24 * mm:
        size -= 1
        cs = size * 0.18
    return size, cs


def _header(page: _Page, data: NoticeData, tpl: dict[str, Any], f: _Strict) -> float:
    """Letterhead, red rule, title; returns the y where the body may start."""
    common = tpl["common"]
    t = tpl["templates"][data.template]
    cx = PAGE_W / 2
    size, cs = _fit_letterhead(data.letterhead)
    base = PAGE_H - 27 * mm
    page.centred(size, cx, base, data.letterhead, color=RED, char_space=cs, bold=True)
    if data.reprint:
        _reprint_stamp(page, common, f)
    y = base - 12 * mm
    page.text(10, MARGIN_X, y, _fmt(common["case_line"], f), GREY)
    page.right(10, PAGE_W - MARGIN_X, y, _fmt(common["serial_line"], f), GREY)
    y -= 4 * mm
    page.ops.append((OP_LINE, MARGIN_X, y, PAGE_W - MARGIN_X, y, 2.2, RED, None))
    page.ops.append((OP_LINE, MARGIN_X, y - 2.6, PAGE_W - MARGIN_X, y - 2.6, 0.6, RED, None))
    y -= 11 * mm
    page.centred(13, cx, y, _fmt(common["kicker"], f), char_space=0.5)
    y -= 10 * mm
    page.centred(22, cx, y, t["title"], char_space=3.0, bold=True)
    return y - 8 * mm


def _reprint_stamp(page: _Page, common: dict[str, Any], f: _Strict) -> None:
    """A red boxed 补打 stamp with the copy number, in the top-right corner margin."""
    w, h = 34 * mm, 12 * mm
    x = PAGE_W - MARGIN_X - w
    y = PAGE_H - 6 * mm - h
    page.ops.append((OP_INK, True))
    page.ops.append((OP_RECT, x, y, w, h, 1.6, SEAL_RED, None))
    page.ops.append((OP_RECT, x + 2, y + 2, w - 4, h - 4, 0.5, SEAL_RED, None))
    page.text(
        16,
        x + 3 * mm,
        y + h / 2 - 16 * 0.35,
        common["reprint_stamp"],
        SEAL_RED,
        char_space=2.0,
        bold=True,
    )
    copy = _fmt(common["reprint_copy"], f)
    page.right(11, x + w - 3 * mm, y + h / 2 - 11 * 0.35, copy, SEAL_RED)
    page.ops.append((OP_INK, False))


def _table(page: _Page, rows: list[list[str]], y: float, s: float) -> float:
    """A bordered 4-column label/value grid; two-cell rows span the full width."""
    size = 11.5 * s
    lead = size * 1.35
    pad_y = 2.2 * mm * s
    pad_x = 2 * mm
    label_w = 22 * mm
    half = CONTENT_W / 2
    val_w = half - label_w
    x0 = MARGIN_X
    top = y
    grid: list[Op] = []
    for row in rows:
        cells: list[tuple[float, float, str, bool]] = []  # x, width, text, is_label
        if len(row) == 4:
            cells = [
                (x0, label_w, row[0], True),
                (x0 + label_w, val_w, row[1], False),
                (x0 + half, label_w, row[2], True),
                (x0 + half + label_w, val_w, row[3], False),
            ]
        else:
            cells = [
                (x0, label_w, row[0], True),
                (x0 + label_w, CONTENT_W - label_w, row[1], False),
            ]
        wrapped = [wrap(c[2], size, c[1] - 2 * pad_x) for c in cells]
        n = max(len(w) for w in wrapped)
        h = n * lead + 2 * pad_y - (lead - size)
        bottom = y - h
        for (cx, cw, _txt, is_label), lines in zip(cells, wrapped, strict=True):
            if is_label:
                page.ops.append((OP_RECT, cx, bottom, cw, h, 0, None, (0.94, 0.94, 0.94)))
            block_h = len(lines) * lead - (lead - size)
            base = bottom + (h - block_h) / 2 + block_h - size * ASCENT - (size * 0.03)
            for line in lines:
                if is_label:
                    page.centred(size, cx + cw / 2, base, line, color=GREY)
                else:
                    page.text(size, cx + pad_x, base, line, bold=row is rows[-1])
                base -= lead
            grid.append((OP_LINE, cx, bottom, cx, y, 0.6, BLACK, None))
        grid.append((OP_LINE, x0, bottom, x0 + CONTENT_W, bottom, 0.6, BLACK, None))
        y = bottom
    grid.append((OP_LINE, x0, top, x0 + CONTENT_W, top, 0.6, BLACK, None))
    grid.append((OP_LINE, x0 + CONTENT_W, y, x0 + CONTENT_W, top, 0.6, BLACK, None))
    page.ops.extend(grid)
    return y


def _body(page: _Page, blocks: list[Block], y: float, s: float) -> float:
    """Flow the content blocks from ``y`` down; return the bottom of the last block."""
    size = 12.5 * s
    lead = size * 1.62
    small = 9.5 * s
    x = MARGIN_X
    w = CONTENT_W
    for block in blocks:
        kind = block[0]
        if kind == "salute":
            y -= size * ASCENT
            page.text(size, x, y, block[1])
            y -= size * DESCENT + 3 * mm * s
        elif kind == "table":
            y = _table(page, block[1], y, s) - 4 * mm * s
        elif kind == "para":
            indent = 2 * size if block[2] else 0.0
            lines = wrap(block[1], size, w, indent)
            y -= size * ASCENT
            y = page.para_lines(lines, size, x, y, w, lead, indent)
            y -= size * DESCENT + (lead - size) * 0.6
        elif kind == "heading":
            y -= size * ASCENT + (lead - size) * 0.4
            page.text(size, x, y, block[1], bold=True)
            y -= size * DESCENT + (lead - size) * 0.6
        elif kind == "list":
            items: list[str] = block[1]
            style: str = block[2]
            for i, item in enumerate(items, 1):
                if style == "box":
                    prefix = f"□ {i}．"
                elif style == "check":
                    prefix = f"√ {i}．"
                else:
                    prefix = f"{i}．"
                pw = text_width(prefix, size)
                hang = x + 2 * size
                lines = wrap(item, size, w - (hang - x) - pw)
                y -= size * ASCENT
                page.text(size, hang, y, prefix)
                y = page.para_lines(lines, size, hang + pw, y, w - (hang - x) - pw, lead)
                y -= size * DESCENT + (lead - size) * 0.75
        elif kind == "box":
            bsize = size * 1.08
            h = bsize * 2.2
            y -= 1.5 * mm
            page.ops.append((OP_RECT, x + 2 * size, y - h, w - 4 * size, h, 1.2, RED, None))
            page.centred(bsize, x + w / 2, y - h / 2 - bsize * 0.36, block[1], color=RED, bold=True)
            y -= h + 3 * mm * s
        elif kind == "small":
            lines = wrap(block[1], small, w)
            y -= small * ASCENT + 1 * mm
            y = page.para_lines(lines, small, x, y, w, small * 1.5, justify=False, color=GREY)
            y -= small * DESCENT
    return y


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(90 + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def _seal(page: _Page, cx: float, cy: float, r: float, text: str) -> None:
    """A round red official seal: ring, five-pointed star, the bureau's name on the arc."""
    page.ops.append((OP_INK, True))
    page.ops.append((OP_CIRCLE, cx, cy, r - 1.4, 2.8, SEAL_RED))
    page.ops.append((OP_POLY, _star(cx, cy, r * 0.29), SEAL_RED))
    n = len(text)
    size = min(r * 0.30, r * 4.2 / max(n, 1))
    rt = r - 2.8 - r * 0.08 - size * ASCENT  # baseline radius
    span = min(196.0, max(110.0, n * 20.0))
    start = 90 + span / 2
    step = span / (n - 1) if n > 1 else 0.0
    for i, ch in enumerate(text):
        a = start - i * step
        ar = math.radians(a)
        page.ops.append(
            (OP_RTEXT, cx + rt * math.cos(ar), cy + rt * math.sin(ar), a - 90, size, ch, SEAL_RED)
        )
    page.ops.append((OP_INK, False))


def _band(page: _Page, data: NoticeData, tpl: dict[str, Any], f: _Strict, top: float) -> float:
    """QR + note on the left, signature with seal on the right; returns its bottom."""
    common = tpl["common"]
    band_h = max(QR_SIZE, 2 * SEAL_R) + 2 * mm
    bottom = top - band_h
    # QR (its quiet zone is part of QR_SIZE).
    qy = bottom + (band_h - QR_SIZE) / 2
    page.ops.append((OP_QR, MARGIN_X - 4 * mm, qy, QR_SIZE, data.qr_text))
    tx = MARGIN_X - 4 * mm + QR_SIZE + 1 * mm
    page.text(12, tx, qy + QR_SIZE - 8 * mm, common["qr_label"], bold=True)
    hint_w = 72 * mm
    hs = 8.5
    lines = wrap(_fmt(common["qr_hint"], f), hs, hint_w)
    page.para_lines(
        lines, hs, tx, qy + QR_SIZE - 14 * mm, hint_w, hs * 1.45, justify=True, color=GREY
    )
    # Signature and date, with the seal pressed over them (GB/T 9704 style).
    sx = PAGE_W - MARGIN_X - 4 * mm
    sign = data.district_name
    date = f["date"]
    sw = max(text_width(sign, 13), text_width(date, 13))
    scx = sx - sw / 2
    scy = bottom + band_h / 2
    # name and date sit in the lower half of the seal, below the star
    page.centred(13, scx, scy - 9 * mm, sign)
    page.centred(13, scx, scy - 15.5 * mm, date)
    _seal(page, scx, scy, SEAL_R, data.seal_text)
    return bottom


def _footer(page: _Page, data: NoticeData, tpl: dict[str, Any], f: _Strict) -> None:
    page.centred(
        8, PAGE_W / 2, MARGIN_BOTTOM - 8 * 0.2, _fmt(tpl["common"]["footer"], f), color=GREY
    )


def _stub(page: _Page, data: NoticeData, tpl: dict[str, Any], f: _Strict) -> float:
    """Tear-off stub at the foot of the on-site receipt; returns the cut line's y."""
    t = tpl["templates"]["onsite_receipt"]
    size = 10.5
    lead = 6.6 * mm
    col_w = CONTENT_W / 2
    # (label, value lines, wide): wide fields take a whole row and may wrap
    fields: list[tuple[str, Sequence[str], bool]] = []
    rows = 0
    col = 0
    for spec in t["stub_fields"]:
        label = f"{spec[0]}："
        value = _fmt(spec[1], f)
        wide = len(spec) > 2 and spec[2] == "wide"
        avail = (CONTENT_W if wide else col_w - 3 * mm) - text_width(label, size)
        lines = wrap(value, size, avail)
        if not wide and len(lines) > 1:
            wide = True
            lines = wrap(value, size, CONTENT_W - text_width(label, size))
        fields.append((label, lines, wide))
        if wide:
            rows += len(lines)
            col = 0
        else:
            rows += 1 if col == 0 else 0
            col = 1 - col
    stub_h = 10 * mm + rows * lead + 12 * mm
    base = MARGIN_BOTTOM + 5 * mm
    cut = base + stub_h
    # dashed cut line with a centred note
    note = t["cut_line"]
    nw = text_width(note, 8) + 6 * mm
    mid = PAGE_W / 2
    dash = (4, 3)
    page.ops.append((OP_LINE, 10 * mm, cut, mid - nw / 2, cut, 0.6, GREY, dash))
    page.ops.append((OP_LINE, mid + nw / 2, cut, PAGE_W - 10 * mm, cut, 0.6, GREY, dash))
    page.centred(8, mid, cut - 8 * 0.3, note, color=GREY)
    y = cut - 9 * mm
    page.centred(13, mid, y, t["stub_title"], bold=True)
    y -= 8 * mm
    col = 0
    for label, value_lines, wide in fields:
        lw = text_width(label, size)
        if wide:
            if col:
                y -= lead
                col = 0
            page.text(size, MARGIN_X, y, label, GREY)
            for line in value_lines:
                page.text(size, MARGIN_X + lw, y, line)
                y -= lead
        else:
            x = MARGIN_X + col * col_w
            page.text(size, x, y, label, GREY)
            page.text(size, x + lw, y, value_lines[0] if value_lines else "")
            if col:
                y -= lead
            col = 1 - col
    if col:
        y -= lead
    y -= 1.5 * mm
    page.text(size, MARGIN_X, y, t["stub_sign"], GREY)
    sl = MARGIN_X + text_width(t["stub_sign"], size)
    page.ops.append((OP_LINE, sl, y - 2, sl + 45 * mm, y - 2, 0.5, BLACK, None))
    dx = MARGIN_X + col_w
    page.text(size, dx, y, t["stub_sign_date"], GREY)
    dl = dx + text_width(t["stub_sign_date"], size)
    page.ops.append((OP_LINE, dl, y - 2, dl + 40 * mm, y - 2, 0.5, BLACK, None))
    return cut


def layout_notice(data: NoticeData) -> list[Op]:
    """The drawing operations for one notice page (the smallest scale-down that fits)."""
    if not data.qr_text:
        raise NoticeError("notice has no signed QR text (use sign_notice)")
    ensure_font()
    tpl = load_templates()
    if data.template_version != tpl["template_version"]:
        raise NoticeError(
            f"notice asks for template version {data.template_version}, "
            f"loaded {tpl['template_version']}"
        )
    f = _fields(data, tpl)
    blocks = _blocks(data, tpl, f)
    for s in SCALES:
        page = _Page()
        y = _header(page, data, tpl, f)
        floor = MARGIN_BOTTOM + 5 * mm
        if data.template == "onsite_receipt":
            floor = _stub(page, data, tpl, f) + 5 * mm
        y = _body(page, blocks, y, s)
        bottom = _band(page, data, tpl, f, y - 3 * mm)
        if bottom >= floor:
            _footer(page, data, tpl, f)
            return page.ops
    raise NoticeError("notice content does not fit on one page")


# ---------------------------------------------------------------------- drawing


def qr_matrix(text: str) -> tuple[bytearray, ...]:
    qr = segno.make(text, error=QR_ERROR, mask=QR_MASK, boost_error=False)
    return tuple(qr.matrix)


def qr_path_code(x: float, y: float, size: float, text: str) -> str:
    """PDF operators painting the QR code as ONE filled path (quiet zone included).

    The path is built in module units (a ``cm`` transform maps them onto the page), one
    ``re`` per horizontal run of dark modules, then filled once with ``f``.
    """
    matrix = qr_matrix(text)
    n = len(matrix)
    mod = size / (n + 8)
    parts = [f"q 0 g {mod:.5f} 0 0 {-mod:.5f} {x + 4 * mod:.3f} {y + size - 4 * mod:.3f} cm"]
    append = parts.append
    for r, row in enumerate(matrix):
        i = 0
        while i < n:
            if row[i]:
                j = i + 1
                while j < n and row[j]:
                    j += 1
                # a hair of vertical overlap avoids anti-aliasing seams between rows
                append(f"{i} {r - 0.02:.2f} {j - i} 1.04 re")
                i = j
            else:
                i += 1
    append("f Q")
    return "\n".join(parts)


def draw_qr(c: Canvas, x: float, y: float, size: float, text: str) -> None:
    """Draw the QR code (one path) on the canvas; the graphics state is left unchanged."""
    c.addLiteral(qr_path_code(x, y, size, text))


def draw_ops(c: Canvas, ops: Iterable[Op]) -> None:
    """Replay layout operations on the current page of ``c``."""
    font = ensure_font()
    cur_size = -1.0
    cur_fill: Color | None = None
    for op in ops:
        k = op[0]
        if k == OP_TEXT:
            _, size, x, y, s, color, cs, bold = op
            if size != cur_size:
                c.setFont(font, size)
                cur_size = size
            if color != cur_fill:
                c.setFillColorRGB(*color)
                cur_fill = color
            if bold:
                c.setStrokeColorRGB(*color)
                c.setLineWidth(size * 0.035)
                c.drawString(x, y, s, mode=2, charSpace=cs)
            else:
                c.drawString(x, y, s, charSpace=cs)
        elif k == OP_LINE:
            _, x1, y1, x2, y2, w, color, dash = op
            c.setStrokeColorRGB(*color)
            c.setLineWidth(w)
            if dash:
                c.setDash(list(dash), 0)
                c.line(x1, y1, x2, y2)
                c.setDash([], 0)
            else:
                c.line(x1, y1, x2, y2)
        elif k == OP_RECT:
            _, x, y, w, h, lw, stroke, fill = op
            if fill is not None:
                c.setFillColorRGB(*fill)
                cur_fill = fill
            if stroke is not None:
                c.setStrokeColorRGB(*stroke)
                c.setLineWidth(lw)
            c.rect(x, y, w, h, stroke=1 if stroke else 0, fill=1 if fill else 0)
        elif k == OP_CIRCLE:
            _, cx, cy, r, lw, color = op
            c.setStrokeColorRGB(*color)
            c.setLineWidth(lw)
            c.circle(cx, cy, r, stroke=1, fill=0)
        elif k == OP_POLY:
            _, pts, color = op
            p = c.beginPath()
            p.moveTo(*pts[0])
            for pt in pts[1:]:
                p.lineTo(*pt)
            p.close()
            c.setFillColorRGB(*color)
            cur_fill = color
            c.drawPath(p, stroke=0, fill=1)
        elif k == OP_RTEXT:
            _, x, y, angle, size, s, color = op
            c.saveState()
            c.translate(x, y)
            c.rotate(angle)
            c.setFont(font, size)
            c.setFillColorRGB(*color)
            c.drawCentredString(0, 0, s)
            c.restoreState()
        elif k == OP_QR:
            _, x, y, size, text = op
            draw_qr(c, x, y, size, text)
            cur_fill = BLACK
        elif k == OP_INK:
            if op[1]:
                c.saveState()
                c.setBlendMode("Multiply")
            else:
                c.restoreState()
                cur_size = -1.0
                cur_fill = None


def new_canvas(buf: io.BytesIO, title: str) -> Canvas:
    """A canvas whose only font is the embedded CJK one (no stray base-14 Helvetica)."""
    font = ensure_font()
    c = Canvas(
        buf,
        pagesize=A4,
        pageCompression=1,
        invariant=1,
        initialFontName=font,
        initialFontSize=12,
    )
    c.setTitle(title)
    c.setAuthor("ReviewDesk 审核工作台")
    c.setCreator("ReviewDesk")
    return c


def finish_canvas(c: Canvas) -> None:
    """Write the PDF: Flate-compressed streams without the ASCII85 layer.

    ASCII85 only makes the file 25% larger and costs ~5 ms per page in pure Python;
    reportlab reads the switch while saving, so it is turned off just for this save.
    """
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        c.save()
    finally:
        rl_config.useA85 = previous


def render_notice(data: NoticeData) -> bytes:
    """One notice as a one-page A4 PDF."""
    return render_batch([data])


def render_batch(
    items: Iterable[NoticeData],
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Many notices in one PDF, one A4 page each.

    ``progress(n)`` is called after each page with the number of pages done;
    ``cancelled()`` is polled before each page and, when it returns True, the batch
    stops with :class:`BatchCancelled` (no partial PDF is returned).
    """
    buf = io.BytesIO()
    c = new_canvas(buf, "审核通知")
    done = 0
    for data in items:
        if cancelled is not None and cancelled():
            raise BatchCancelled(done)
        draw_ops(c, layout_notice(data))
        c.showPage()
        done += 1
        if progress is not None:
            progress(done)
    if done == 0:
        raise NoticeError("no notices to render")
    finish_canvas(c)
    return buf.getvalue()
