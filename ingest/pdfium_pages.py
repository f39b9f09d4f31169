"""Fast PDF page text through pypdfium2, for pages that need no table finding.

pdfplumber (pdfminer in pure Python) parses every glyph of a page; that is
what makes its tables and character positions possible, and what makes it
slow. Most pages of a report are prose. For those, pdfium (C++) gives each
character with its box about ten times faster, and the lines are then built by
pdfplumber's own text-map functions from these characters, so a prose page
reads the same whichever library parsed it.

A page goes to pdfplumber instead (:func:`needs_pdfplumber`) when it shows
table signs (ruling lines: at least three horizontal and three vertical edges
among its path objects, the lines pdfplumber's table finder works from, or
three horizontal and two vertical ones: a box with a rule inside it, which may
be a one-column table), when
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
from typing import Any, Iterator

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
    box_edges: int = 2  # vertical edges that, with table_edges horizontal ones, make a box sign
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
    box = [ctypes.c_float() for _ in range(4)]
    for obj, kind, _ in _walk(page, None, max_depth=3):
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetBounds(obj, *box)
        left, bottom, right, top = (v.value for v in box)
        width, height = right - left, top - bottom
        if height <= settings.thin and width >= settings.min_edge:
            horizontal += 1
        elif width <= settings.thin and height >= settings.min_edge:
            vertical += 1
        elif width >= settings.min_edge and height >= settings.min_edge:
            if raw.FPDFPath_CountSegments(obj) > 5:
                return "ruled"  # one path drawing many segments: a grid or a chart
            horizontal += 2
            vertical += 2
        # a grid, or a box with a rule inside (perhaps a one-column table): counts only
        # grow, so the first path that makes the sign decides
        if horizontal >= settings.table_edges and vertical >= min(settings.box_edges,
                                                                   settings.table_edges):
            return "ruled"
    return None


Rule = tuple[float, float, float]  # a drawn horizontal rule: (top, x0, x1), in page points


def horizontal_rules(lines: list[Char], rects: list[Char], thin: float = DEFAULT_LAYOUT.thin) -> list[Rule]:
    """The horizontal rules a reader sees among pdfminer-style line and rect
    dicts (with their ``stroke`` and ``fill`` flags): a stroked horizontal
    line, the top and bottom of a stroked rectangle, a thin filled bar (how
    word processors draw cell borders). A filled rectangle that is not stroked
    and not thin is a background (some producers put each text line on a
    white one), not a rule; the table finder still sees its edges, so a
    one-column table is taken only where its rows are divided by these."""
    out: list[Rule] = []
    for ln in lines:
        if ln.get("stroke", True) and ln["bottom"] - ln["top"] <= thin:
            out.append((ln["top"], ln["x0"], ln["x1"]))
    for r in rects:
        if r.get("stroke"):
            out += [(r["top"], r["x0"], r["x1"]), (r["bottom"], r["x0"], r["x1"])]
        elif r.get("fill") and r["bottom"] - r["top"] <= thin:
            out.append(((r["top"] + r["bottom"]) / 2, r["x0"], r["x1"]))
    return out


def page_chars(page: pdfium.PdfPage, display: Display | None = None,
               kept: set[int] | None = None) -> list[Char] | None:
    """Characters of a page as pdfplumber-style dicts, or ``None`` when the page
    must go to pdfplumber (rotated text, glyphs without a Unicode mapping).

    ``x0``/``x1`` are pdfium's loose box (origin to advance); ``top``/``bottom``
    are computed as pdfminer does (baseline + font descent, height = font
    size), so lines cluster the same way as pdfplumber's. With ``display``
    (:func:`display`) the characters are placed on the page as shown, as
    pdfminer places them on a rotated page. ``kept`` receives the text
    objects (addresses) that gave at least one character."""
    textpage = page.get_textpage()
    try:
        return _chars(textpage.raw, display or ((1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0.0, page.get_height()),
                      set() if kept is None else kept)
    finally:
        textpage.close()


Display = tuple[tuple[float, float, float, float, float, float], float, float]


def display(page: pdfium.PdfPage) -> Display | None:
    """The page as shown, as pdfminer sets it up: the matrix from PDF page
    space (``/Rotate`` applied), the width and the height; ``None`` for a page
    box not at the origin or cropped (pdfminer and pdfium would disagree)."""
    left, bottom, right, top = page.get_mediabox()
    if (left, bottom) != (0, 0) or page.get_cropbox() != (left, bottom, right, top):
        return None
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (0.0, -1.0, 1.0, 0.0, 0.0, right), top, right
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, right, top), right, top
    if rotation == 270:
        return (0.0, 1.0, -1.0, 0.0, top, 0.0), top, right
    return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), right, top


# FPDFText_GetTextObject answering the address (an int) instead of a pointer
# object that must be cast for every character
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)


def _chars(tp: Any, shown: Display, kept: set[int]) -> list[Char] | None:
    """The characters of a text page (see :func:`page_chars`). The matrix,
    font and size are a text object's, so they are read once per object."""
    (da, db, dc, dd, de, df), _, page_height = shown
    count = raw.FPDFText_CountChars(tp)
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy, descent = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    objects: dict[int, tuple[int, float, float]] = {}  # text object -> (font id, descent per point, size)
    out: list[Char] = []
    for i in range(count):
        if raw.FPDFText_IsGenerated(tp, i):
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        if code == 0 or code == 0xFFFE or raw.FPDFText_HasUnicodeMapError(tp, i):
            return None
        key = _text_object_address(tp, i) or 0
        font = objects.get(key)
        if font is None:
            raw.FPDFText_GetMatrix(tp, i, matrix)
            a, b = matrix.a * da + matrix.b * dc, matrix.a * db + matrix.b * dd
            c, d = matrix.c * da + matrix.d * dc, matrix.c * db + matrix.d * dd
            if not (a * d > 0 and b * c <= 0 and b == 0):
                return None  # rotated or skewed text: pdfplumber's line logic handles it
            handle = raw.FPDFTextObj_GetFont(raw.FPDFText_GetTextObject(tp, i))
            raw.FPDFFont_GetDescent(handle, 1000.0, descent)
            font = objects[key] = (ctypes.cast(handle, ctypes.c_void_p).value or 0, descent.value / 1000,
                                   raw.FPDFText_GetFontSize(tp, i) * abs(d))
            kept.add(key)
        size = font[2]
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        if db == 0:  # upright page: no arithmetic, the coordinates as pdfium gives them
            x0, x1, y = rect.left, rect.right, oy.value
        else:
            xa, xb = da * rect.left + dc * rect.bottom + de, da * rect.right + dc * rect.top + de
            x0, x1, y = min(xa, xb), max(xa, xb), db * ox.value + dd * oy.value + df
        bottom = y + font[1] * size
        top = page_height - (bottom + size)
        out.append({"text": chr(code), "x0": x0, "x1": x1, "top": top,
                    "bottom": page_height - bottom, "doctop": top, "upright": True,
                    "size": size, "fontname": font[0]})
    return out


X_TOLERANCE = 3.0  # pdfplumber's default gap between characters that starts a new word


def near_ties(chars: list[Char], x_tolerance: float = X_TOLERANCE, eps: float = 0.01) -> bool:
    """Whether pdfium's characters may not place words as pdfminer's would.

    pdfium keeps coordinates in single precision, pdfminer in double: where
    the gap between two characters of a line is the word-break tolerance to
    within ``eps``, the two libraries' rounding decides between "公开 01表"
    and "公开01表". A character box much wider than its font size is pdfium's
    loose box stretched over the spacing after a glyph (vertical text laid
    out one glyph per line), which pdfminer does not do. Such a page is read
    by pdfplumber."""
    prev = None
    for c in chars:
        if c["x1"] - c["x0"] > 2 * c["size"] + 1:
            return True
        if (prev is not None and abs(c["top"] - prev["top"]) <= x_tolerance
                and abs(c["x0"] - prev["x1"] - x_tolerance) < eps):
            return True
        prev = c
    return False


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
    return page_text(page, chars, settings)


def page_text(page: pdfium.PdfPage, chars: list[Char], settings: LayoutSettings = DEFAULT_LAYOUT) -> str:
    """The text of a page from its characters (:func:`page_chars`), in reading order."""
    chars = dedupe(chars, settings.dedupe_tolerance)
    blocks = columns(chars, page.get_width(), settings) or [chars]
    return "\n".join(line for block in blocks for line in text_lines(block))


def page_edges(page: pdfium.PdfPage, kept: set[int], rules: list[Rule] | None = None,
               thin: float = DEFAULT_LAYOUT.thin) -> list[Char] | None:
    """The ruling edges of a page as pdfplumber's ``page.edges`` gives them
    (lines, then the four edges of each rectangle, then polyline pieces), built
    from pdfium's path objects, or ``None`` when a path is not one pdfminer
    would turn into the same objects (a Bézier curve, a box not at the origin).
    A rotated page is turned as pdfminer turns it (:func:`display`).

    pdfminer makes a one-segment path a line, a closed axis-aligned
    four-segment path a rectangle and anything else a curve; pdfium keeps a
    ``re`` or a path closed with ``h`` as segments ending on the start point
    with the close flag, which is read back as pdfminer's ``h``. This is what
    lets pdfplumber's table finder run on a page pdfminer never parsed.

    A text object that gave no character to pdfium's text page (``kept``:
    :func:`page_chars`) is an empty string (common in generated tables:
    ``<> Tj`` in every empty cell) or one whose glyphs pdfium dropped for want
    of their boxes (seen with fonts that are not embedded: a one-character
    cell ``<4EF6> Tj``, which pdfminer reads as "件", and the text of a rotated
    page). An embedded font has its glyphs' boxes, so such an object is taken
    as empty; with a font that is not embedded the page is left to pdfplumber.

    ``rules`` receives the page's drawn horizontal rules (:func:`horizontal_rules`, with
    the layout's ``thin``, as the pdfplumber route reads them)."""
    from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

    shown = display(page)
    if shown is None:
        return None
    rotation, _, height = shown
    lines: list[Char] = []
    rects: list[Char] = []
    curves: list[Char] = []
    for obj, kind, container in _walk(page, rotation):
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            if (ctypes.cast(obj, ctypes.c_void_p).value not in kept
                    and not raw.FPDFFont_GetIsEmbedded(raw.FPDFTextObj_GetFont(obj))):
                return None  # pdfium may have lost this object's glyphs (see below)
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        subpaths = _subpaths(obj, _matrix(obj, container))
        if subpaths is None:
            return None
        n_lines, n_rects = len(lines), len(rects)
        for shape, pts in subpaths:
            _path_object(shape, pts, height, lines, rects, curves)
        if rules is not None:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj, fill, stroke)
            for o in lines[n_lines:] + rects[n_rects:]:
                o["stroke"], o["fill"] = bool(stroke.value), fill.value != raw.FPDF_FILLMODE_NONE
    if rules is not None:
        rules += horizontal_rules(lines, rects, thin)
    return ([line_to_edge(x) for x in lines] + [e for r in rects for e in rect_to_edges(r)]
            + [e for c in curves for e in curve_to_edges(c)])


def _walk(page: pdfium.PdfPage, matrix: tuple[float, ...] | None, max_depth: int = 15,
          form: Any = None, level: int = 0) -> Iterator[tuple[Any, int, tuple[float, ...] | None]]:
    """Every page object (raw handle), its type and the matrix of what holds
    it (``matrix`` for the page, times a form's own for the objects in that
    form), in content order, descending into forms as ``get_objects`` does
    (without building a helper object for each)."""
    count = raw.FPDFFormObj_CountObjects(form) if form is not None else raw.FPDFPage_CountObjects(page.raw)
    for i in range(count):
        obj = raw.FPDFFormObj_GetObject(form, i) if form is not None else raw.FPDFPage_GetObject(page.raw, i)
        kind = raw.FPDFPageObj_GetType(obj)
        yield obj, kind, matrix
        if kind == raw.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
            inner = _matrix(obj, matrix) if matrix is not None else None
            yield from _walk(page, inner, max_depth, obj, level + 1)


def _matrix(obj: Any, parent: tuple[float, ...] | None) -> tuple[float, ...]:
    """An object's matrix ``(a, b, c, d, e, f)`` on the page (times its form's)."""
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    if parent is None:
        return (a, b, c, d, e, f)
    pa, pb, pc, pd, pe, pf = parent
    return (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
            e * pa + f * pc + pe, e * pb + f * pd + pf)


def _subpaths(path: Any, matrix: tuple[float, ...]
              ) -> list[tuple[str, list[tuple[float, float]]]] | None:
    """A path object's subpaths as pdfminer sees them: the shape (``m``, ``l``,
    ``h``) and the points on the page; ``None`` for a curve."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[str, list[tuple[float, float]]]] = []
    start = None
    for i in range(raw.FPDFPath_CountSegments(path)):
        seg = raw.FPDFPath_GetPathSegment(path, i)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (x.value, y.value)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
            out.append(("m", [point]))
            continue
        if kind != raw.FPDF_SEGMENT_LINETO or start is None:
            return None
        shape, pts = out[-1]
        if raw.FPDFPathSegment_GetClose(seg) and point == start:
            out[-1] = (shape + "h", pts + [start])
        else:
            out[-1] = (shape + "l", pts + [point])
            if raw.FPDFPathSegment_GetClose(seg):
                out[-1] = (shape + "lh", pts + [point, start])
    return [(shape, [(a * px + c * py + e, b * px + d * py + f) for px, py in pts])
            for shape, pts in out]


def _path_object(shape: str, pts: list[tuple[float, float]], height: float,
                 lines: list[Char], rects: list[Char], curves: list[Char]) -> None:
    """pdfminer's ``paint_path`` for one subpath, as pdfplumber's object dicts."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        lines.append({**_box(pts[:2], height), "object_type": "line"})
        return
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            rects.append(_box([pts[0], pts[2]], height))
            return
    curve = _box(pts, height)
    curve["pts"] = [(px, height - py) for px, py in pts]
    curves.append(curve)


def _box(pts: list[tuple[float, float]], height: float) -> Char:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": height - y1, "bottom": height - y0, "doctop": height - y1}
