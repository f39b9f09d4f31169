"""Fast PDF page text through pypdfium2, for pages that need no table finding.

pdfplumber (pdfminer in pure Python) parses every glyph of a page; that is
what makes its tables and character positions possible, and what makes it
slow. Most pages of a report are prose. For those, pdfium (C++) gives each
character with its box about ten times faster, and the lines are then built by
pdfplumber's own text-map functions from these characters, so a prose page
reads the same whichever library parsed it.

A page goes to pdfplumber instead (:func:`needs_pdfplumber`) when it shows
table signs (ruling lines: at least three horizontal and three vertical edges
among its path objects, the lines pdfplumber's table finder works from), when
it is rotated or holds rotated text, or when a glyph has no Unicode mapping
(pdfplumber's ``(cid:N)`` placeholders are what flag such pages as garbage).

Reading order: a page whose characters form two columns with a gutter
(:func:`columns`) is read left column first, then right; lines that cross the
gutter (a title over both columns, a centred page number) stay above or below.
"""
from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

Char = dict[str, Any]


@dataclass(frozen=True)
class LayoutSettings:
    """Tunables of the fast path, in PDF points."""

    dedupe_tolerance: float = 1.0  # same as pdfplumber ``dedupe_chars``
    thin: float = 2.0  # a path thinner than this is a ruling line
    min_edge: float = 10.0  # shorter lines are decoration, not table rules
    table_edges: int = 3  # horizontal and vertical edges that make a table sign
    min_gutter: float = 8.0  # narrowest white band between two columns
    max_gutter: float = 0.12  # widest, as a share of the page width (wider: labels and amounts)
    column_ratio: float = 0.5  # the narrower column is at least this share of the wider
    min_column_lines: int = 5  # lines each column needs
    column_fill: float = 0.5  # share of a column's lines reaching near its right edge
    gutter_band: tuple[float, float] = (0.25, 0.75)  # where a gutter may lie (share of width)


DEFAULT_LAYOUT = LayoutSettings()


def needs_pdfplumber(page: pdfium.PdfPage, settings: LayoutSettings = DEFAULT_LAYOUT) -> str | None:
    """Why this page must be read by pdfplumber (``"rotated"``, ``"ruled"``), or ``None``."""
    if page.get_rotation() % 360:
        return "rotated"
    horizontal = vertical = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= settings.thin and width >= settings.min_edge:
            horizontal += 1
        elif width <= settings.thin and height >= settings.min_edge:
            vertical += 1
        elif width >= settings.min_edge and height >= settings.min_edge:
            if raw.FPDFPath_CountSegments(obj.raw) > 5:
                return "ruled"  # one path drawing many segments: a grid or a chart
            horizontal += 2
            vertical += 2
        if horizontal >= settings.table_edges and vertical >= settings.table_edges:
            return "ruled"
    return None


def page_chars(page: pdfium.PdfPage) -> list[Char] | None:
    """Characters of a page as pdfplumber-style dicts, or ``None`` when the page
    must go to pdfplumber (rotated text, glyphs without a Unicode mapping).

    ``x0``/``x1`` are pdfium's loose box (origin to advance); ``top``/``bottom``
    are computed as pdfminer does (baseline + font descent, height = font
    size), so lines cluster the same way as pdfplumber's."""
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, page.get_height())
    finally:
        textpage.close()


def _chars(tp: Any, page_height: float) -> list[Char] | None:
    count = raw.FPDFText_CountChars(tp)
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    fonts: dict[int, tuple[int, float]] = {}  # text object -> (font id, descent per point)
    out: list[Char] = []
    for i in range(count):
        if raw.FPDFText_IsGenerated(tp, i):
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        if code == 0 or code == 0xFFFE or raw.FPDFText_HasUnicodeMapError(tp, i):
            return None
        raw.FPDFText_GetMatrix(tp, i, matrix)
        if not (matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0 and matrix.b == 0):
            return None  # rotated or skewed text: pdfplumber's line logic handles it
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        obj = raw.FPDFText_GetTextObject(tp, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        font = fonts.get(key)
        if font is None:
            handle = raw.FPDFTextObj_GetFont(obj)
            raw.FPDFFont_GetDescent(handle, 1000.0, descent)
            font = fonts[key] = (ctypes.cast(handle, ctypes.c_void_p).value or 0, descent.value / 1000)
        size = raw.FPDFText_GetFontSize(tp, i) * abs(matrix.d)
        bottom = oy.value + font[1] * size
        top = page_height - (bottom + size)
        out.append({"text": chr(code), "x0": rect.left, "x1": rect.right, "top": top,
                    "bottom": page_height - bottom, "doctop": top, "upright": True,
                    "size": size, "fontname": font[0]})
    return out


def dedupe(chars: list[Char], tolerance: float) -> list[Char]:
    """pdfplumber's ``dedupe_chars`` (the doubled glyphs of "fake bold" text),
    same result in n log n: pdfplumber restores the order with ``list.index``
    on dicts, quadratic on a dense page."""
    from pdfplumber.utils.clustering import cluster_objects

    key = itemgetter("upright", "text", "fontname", "size")
    order = {id(c): i for i, c in enumerate(chars)}
    keep: list[Char] = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        same = list(group)
        if len(same) == 1:  # most glyphs of a Chinese page: nothing to cluster
            keep.append(same[0])
            continue
        for y_cluster in cluster_objects(same, itemgetter("doctop"), tolerance):
            if len(y_cluster) == 1:
                keep.append(y_cluster[0])
                continue
            for x_cluster in cluster_objects(y_cluster, itemgetter("x0"), tolerance):
                keep.append(min(x_cluster, key=itemgetter("doctop", "x0")))
    keep.sort(key=lambda c: order[id(c)])
    return keep


def text_lines(chars: list[Char]) -> list[str]:
    """Lines of a block of characters, as pdfplumber's ``extract_text_lines``."""
    from pdfplumber.utils.text import chars_to_textmap

    if not chars:
        return []
    return [ln["text"] for ln in chars_to_textmap(chars).extract_text_lines(strip=True, return_chars=False)]


def _line_groups(chars: list[Char], tolerance: float = 3.0) -> list[list[Char]]:
    from pdfplumber.utils.clustering import cluster_objects

    return cluster_objects(chars, itemgetter("top"), tolerance)


def columns(chars: list[Char], page_width: float,
            settings: LayoutSettings = DEFAULT_LAYOUT) -> list[list[Char]] | None:
    """``[above, left, right, below]`` character blocks of a two-column page, or
    ``None`` for a one-column page.

    The gutter is the widest band in the middle of the page that no line's
    characters cover, apart from a few lines crossing it (a title, a centred
    page number), and it is narrow (``max_gutter``). Two columns need at least
    ``min_column_lines`` lines on each side, of similar widths, and most lines
    on each side must fill their column: prose, not a label column beside a
    column of amounts."""
    lines = _line_groups([c for c in chars if not c["text"].isspace()])
    if len(lines) < settings.min_column_lines:
        return None
    lo, hi = int(page_width * settings.gutter_band[0]), int(page_width * settings.gutter_band[1])
    cover = [0] * (hi - lo + 1)
    for line in lines:
        seen = set()
        for c in line:
            for x in range(max(lo, int(c["x0"]) + 1), min(hi, int(c["x1"]) - 1) + 1):
                seen.add(x)
        for x in seen:
            cover[x - lo] += 1
    allowed = max(1, len(lines) // 10)
    best, run_start = (0, 0), None
    for k, n in enumerate(cover + [allowed + 1]):
        if n <= allowed and run_start is None:
            run_start = k
        elif n > allowed and run_start is not None:
            if k - run_start > best[1] - best[0]:
                best = (run_start, k)
            run_start = None
    if not settings.min_gutter <= best[1] - best[0] <= settings.max_gutter * page_width:
        return None
    g0, g1 = lo + best[0], lo + best[1]
    return _split(lines, g0, g1, settings)


def _split(lines: list[list[Char]], g0: float, g1: float,
           settings: LayoutSettings) -> list[list[Char]] | None:
    """Characters of each line on the left of the gutter ``g0..g1``, on the
    right, or crossing it (then the whole line stays above or below the columns)."""
    left_lines, right_lines, crossing = [], [], []
    for line in lines:
        if any(c["x0"] < g1 - 1 and c["x1"] > g0 + 1 for c in line):
            crossing.append(line)
            continue
        left = [c for c in line if c["x1"] <= g0 + 1]
        right = [c for c in line if c["x0"] >= g1 - 1]
        if left:
            left_lines.append(left)
        if right:
            right_lines.append(right)
    if min(len(left_lines), len(right_lines)) < settings.min_column_lines:
        return None
    widths = []
    for side in (left_lines, right_lines):
        ends = [max(c["x1"] for c in ln) for ln in side]
        width = max(ends) - min(min(c["x0"] for c in ln) for ln in side)
        if width <= 0 or sum(e >= max(ends) - 0.15 * width for e in ends) < settings.column_fill * len(ends):
            return None
        widths.append(width)
    if min(widths) < settings.column_ratio * max(widths):
        return None
    top = min(min(c["top"] for c in ln) for ln in left_lines + right_lines)
    above = [c for ln in crossing if ln[0]["top"] < top for c in ln]
    below = [c for ln in crossing if ln[0]["top"] >= top for c in ln]
    return [above, [c for ln in left_lines for c in ln], [c for ln in right_lines for c in ln], below]


def read_page(page: pdfium.PdfPage, settings: LayoutSettings = DEFAULT_LAYOUT) -> str | None:
    """The text of a page without table signs (lines joined by ``\\n``, in
    reading order), or ``None`` when the page must go to pdfplumber."""
    if needs_pdfplumber(page, settings):
        return None
    chars = page_chars(page)
    if chars is None:
        return None
    chars = dedupe(chars, settings.dedupe_tolerance)
    blocks = columns(chars, page.get_width(), settings) or [chars]
    return "\n".join(line for block in blocks for line in text_lines(block))
