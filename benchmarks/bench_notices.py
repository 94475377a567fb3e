"""Notice batch printing speed against bare reportlab drawing of the same pages.

The floor draws exactly the same page content (same font, same strings at the same
positions, same seal, same QR encoded by segno and drawn as one path) with plain canvas
calls from precomputed positions, in the same run. The measured figure is the real
``render_batch`` path, which also does the wording, Chinese line breaking and layout.

    python -m benchmarks.bench_notices [--quick]
"""

from __future__ import annotations

import io
import sys
import time
from typing import Any

from app.notices import TEMPLATE_NAMES, NoticeData, layout_notice, render_batch
from app.notices.render import (
    OP_CIRCLE,
    OP_INK,
    OP_LINE,
    OP_POLY,
    OP_QR,
    OP_RECT,
    OP_RTEXT,
    OP_TEXT,
    finish_canvas,
    new_canvas,
    qr_matrix,
)
from app.notices.samples import sample_notice
from app.notices.signing import generate_keypair
from app.notices.text import ensure_font
from benchmarks.common import Result


def _items(n: int) -> list[NoticeData]:
    private_pem, _ = generate_keypair()
    return [
        sample_notice(TEMPLATE_NAMES[i % 4], private_pem, i, reprint=i % 10 == 9) for i in range(n)
    ]


def _floor_pages(items: list[NoticeData]) -> list[list[tuple[Any, ...]]]:
    """Precomputed page content (not timed)."""
    return [layout_notice(d) for d in items]


def _draw_floor(pages: list[list[tuple[Any, ...]]]) -> bytes:
    """Bare reportlab canvas calls for the precomputed pages."""
    font = ensure_font()
    buf = io.BytesIO()
    c = new_canvas(buf, "floor")
    for ops in pages:
        # like any hand-written canvas code, only set font and colour when they change
        cur_size = -1.0
        cur_fill: Any = None
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
                if dash:
                    c.setDash([], 0)
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
                matrix = qr_matrix(text)  # the same segno encode as the renderer
                n = len(matrix)
                mod = size / (n + 8)
                parts = [
                    f"q 0 g {mod:.5f} 0 0 {-mod:.5f} {x + 4 * mod:.3f} {y + size - 4 * mod:.3f} cm"
                ]
                for r, row in enumerate(matrix):
                    i = 0
                    while i < n:
                        if row[i]:
                            j = i + 1
                            while j < n and row[j]:
                                j += 1
                            parts.append(f"{i} {r - 0.02:.2f} {j - i} 1.04 re")
                            i = j
                        else:
                            i += 1
                parts.append("f Q")
                c.addLiteral("\n".join(parts))  # q ... Q: graphics state unchanged
            elif k == OP_INK:
                if op[1]:
                    c.saveState()
                    c.setBlendMode("Multiply")
                else:
                    c.restoreState()
                    cur_size = -1.0
                    cur_fill = None
        c.showPage()
    finish_canvas(c)  # same PDF writing settings as the renderer
    return buf.getvalue()


def run(quick: bool) -> list[Result]:
    n = 100 if quick else 1000
    items = _items(n)
    ensure_font()
    render_batch(items[:4])  # warm caches (font registration, templates)
    pages = _floor_pages(items)
    best_ours = best_floor = float("inf")
    size_ours = size_floor = 0
    rounds = 5 if quick else 3
    for k in range(rounds):
        # alternate which goes first so that neither always gets the warmer machine
        for which in ("ours", "floor") if k % 2 == 0 else ("floor", "ours"):
            t0 = time.process_time()
            if which == "ours":
                size_ours = len(render_batch(items))
                best_ours = min(best_ours, time.process_time() - t0)
            else:
                size_floor = len(_draw_floor(pages))
                best_floor = min(best_floor, time.process_time() - t0)
    ours = n / best_ours
    floor = n / best_floor
    return [
        Result(
            name=f"notices.batch_{n}_pages_per_s",
            value=ours,
            unit="pages/s",
            floor=floor,
            higher_is_better=True,
            note=(
                f"render_batch {best_ours:.2f}s vs bare canvas {best_floor:.2f}s "
                f"(process CPU time, best of {rounds} interleaved rounds); "
                f"PDF {size_ours / n / 1024:.1f} KiB/page (floor {size_floor / n / 1024:.1f}); "
                "target >= 0.8x"
            ),
        )
    ]


def main(argv: list[str]) -> int:
    for result in run(quick="--quick" in argv):
        print(result.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
