"""The CJK font and measured Chinese line breaking for notices."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import FONT_PATH

FONT_NAME: Final = "RD-WenQuanYiMicroHei"
# Em-relative metrics of WenQuanYi Micro Hei (ascent 765, descent -240 per 1000).
ASCENT: Final = 0.765
DESCENT: Final = 0.240

# Chinese line-breaking rules (禁则): never start a line with closing punctuation, never
# end one with opening punctuation.
NO_LINE_START: Final = frozenset("，。、；：？！）》」』】〕〉…—～”’,.;:?!)]}%·")
NO_LINE_END: Final = frozenset("（《「『【〔〈“‘([{")
_WORD_CHARS: Final = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_./:*@#+"
)

# Text between these markers is never broken across lines (markers are not printed).
KEEP_START: Final = "\x02"
KEEP_END: Final = "\x03"

_lock = threading.Lock()
_widths: dict[str, float] = {}
_registered = False


def ensure_font() -> str:
    """Register the embedded (subset) TrueType CJK font once; return its name."""
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            font = TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0)
            pdfmetrics.registerFont(font)
            face = font.face
            default = float(face.defaultWidth) / 1000.0
            table = face.charWidths
            _widths.update(
                {chr(code): float(w) / 1000.0 for code, w in table.items() if code < 0x30000}
            )
            _widths.setdefault("\u0000", default)
            _registered = True
    return FONT_NAME


def has_glyph(ch: str) -> bool:
    ensure_font()
    return ch in _widths


def em_width(text: str) -> float:
    """Width of ``text`` in ems (multiply by the font size for points)."""
    w = _widths
    return sum(w.get(ch, 1.0) for ch in text)


def text_width(text: str, size: float) -> float:
    return em_width(text) * size


def _tokens(text: str) -> Iterator[str]:
    """Break opportunities: each CJK character alone, runs of Latin/digits together."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == KEEP_START:
            j = text.find(KEEP_END, i + 1)
            j = n if j < 0 else j
            yield text[i + 1 : j]
            i = j + 1
        elif ch in _WORD_CHARS:
            j = i + 1
            while j < n and text[j] in _WORD_CHARS:
                j += 1
            yield text[i:j]
            i = j
        else:
            yield ch
            i += 1


def wrap(text: str, size: float, width: float, first_indent: float = 0.0) -> tuple[str, ...]:
    """Lines of ``text`` that fit ``width`` points at ``size``, honouring 禁则.

    ``first_indent`` is taken off the first line's width. Hard newlines are kept.
    Results are cached: batches repeat most paragraphs.
    """
    ensure_font()
    return _wrap(text, size, width, first_indent)


@lru_cache(maxsize=8192)
def _wrap(text: str, size: float, width: float, first_indent: float) -> tuple[str, ...]:
    lines: list[str] = []
    limit_em_first = (width - first_indent) / size
    limit_em = width / size
    start = 0
    for para_no, para in enumerate(text.split("\n")):
        limit = limit_em_first if para_no == 0 else limit_em
        cur: list[str] = []
        cur_w = 0.0
        for tok in _split_wide(_tokens(para), min(limit_em_first, limit_em)):
            tw = em_width(tok)
            if not cur or cur_w + tw <= limit + 1e-6:
                cur.append(tok)
                cur_w += tw
                continue
            carry: list[str] = [tok]
            # Closing punctuation may not start the next line: pull the previous
            # token down with it. Opening punctuation may not end this line.
            if tok in NO_LINE_START and len(cur) > 1:
                carry.insert(0, cur.pop())
            while len(cur) > 1 and cur[-1] in NO_LINE_END:
                carry.insert(0, cur.pop())
            lines.append("".join(cur))
            limit = limit_em
            cur = carry
            cur_w = sum(em_width(t) for t in cur)
        lines.append("".join(cur))
        if len(lines) - start >= 2:
            _avoid_orphan(lines)
        start = len(lines)
    return tuple(lines)


def _avoid_orphan(lines: list[str]) -> None:
    """No lone character on a paragraph's last line (孤字): pull one more down."""
    prev, last = lines[-2], lines[-1]
    if len(last) > 2 or len(last.rstrip("".join(NO_LINE_START))) > 1 or len(prev) < 6:
        return
    take = 1
    if prev[-1] in _WORD_CHARS:
        return
    if prev[-1] in NO_LINE_START:
        take = 2
    if prev[-take - 1] in NO_LINE_END or prev[-take] in NO_LINE_START:
        return
    lines[-2], lines[-1] = prev[:-take], prev[-take:] + last


def _split_wide(tokens: Iterator[str], limit: float) -> Iterator[str]:
    """Tokens as given, except that one wider than a whole line is cut into characters."""
    for tok in tokens:
        if len(tok) > 1 and em_width(tok) > limit:
            yield from tok
        else:
            yield tok
