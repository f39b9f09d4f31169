"""PDF reader (pypdfium2 and pdfplumber): page texts, tables with captions, garbage-page flags.

``Document.text`` is the page texts joined with :data:`PAGE_SEPARATOR`; each
:class:`Page` holds its character range. A page's text is built from
pdfplumber's text lines (after ``dedupe_chars``, which removes the doubled
characters of "fake bold" PDFs), so we know which lines lie inside a table and
can give every :class:`Table` its range in ``Document.text`` and its caption
(the lines just above it, e.g. ``编制部门：… 单位：元``).

Flagged pages: a page whose text is mostly ``(cid:N)`` placeholders or
private-use characters (fonts without a Unicode map) is unreadable. Decision:
its garbage text is NOT put into ``Document.text`` (the page keeps an empty
range and a ``flag``), so nothing downstream can index or match it by accident;
page numbering stays intact. A PDF with no readable page at all (a scan without
OCR) is an :class:`IngestError`, not an empty document.

Every page is parsed once, by pypdfium2 (:mod:`ingest.pdfium_pages`): a page
without table signs is read from its characters (two-column reading order
included); a ruled or rotated page goes to pdfplumber's table finder, run on
pdfium's characters and ruling edges (:func:`_pdfium_objects`). pdfplumber
(pdfminer) parses a page itself only where pdfium's objects cannot stand in
for its own: glyphs without a Unicode mapping, curves, glyphs pdfium dropped,
a word gap at the tolerance that single precision could decide differently
(``meta["pdfplumber_pages"]`` lists them).

Printed page numbers and running headers and footers at the top or bottom of a
page are left out of ``Document.text``. Passages: prose is joined into
paragraphs by :mod:`ingest.passages` (in ``wrapped`` mode: PDF lines are cut
at the page width), also over a page break, so with no page number inside;
table text becomes passages of whole rows.
"""
from __future__ import annotations

import bisect
import io
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any

import corpora
from ingest import ocr, pdfium_pages
from ingest.document import Document, IngestError, Page, Passage, Table
from ingest.passages import (PassageSettings, Span, attach_headings, chunk_lines, continues,
                             lines, paragraphs, split_long)

PAGE_SEPARATOR = "\n\n"

CID_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class PdfSettings:
    """Every tunable of PDF reading, with defaults in one place."""

    dedupe_tolerance: float = 1.0  # pdfplumber ``dedupe_chars`` tolerance (points)
    table_settings: dict[str, Any] = field(default_factory=dict)  # pdfplumber TableSettings
    min_table_rows: int = 2  # fewer rows: a frame or a box, not a table
    min_table_cols: int = 2  # or one column, when the rows are ruled (:func:`_one_column_table`)
    one_column_cell_chars: int = 200  # a longer row is a paragraph in a text box, not a cell
    frame_share: float = 0.8  # a box this share of the page's width and height is its frame
    caption_max_lines: int = 3  # lines above a table taken as its caption
    caption_max_gap: float = 60.0  # points above the table top searched for the caption
    garbage_ratio: float = 0.3  # share of unreadable characters that flags a page
    passage: PassageSettings = field(default_factory=lambda: PassageSettings(wrapped=True))
    table_passage_chars: int = 600
    layout: pdfium_pages.LayoutSettings = pdfium_pages.DEFAULT_LAYOUT  # the pypdfium2 path
    pdfium_tables: bool = True  # ruled pages from pdfium's objects (False: pdfplumber parses them)


DEFAULT_SETTINGS = PdfSettings()


def garbage_flag(text: str, ratio: float = DEFAULT_SETTINGS.garbage_ratio) -> str | None:
    """``"cid-garbage"``, ``"private-use"``, ``"no-text"`` or ``None`` for a page text.

    Counted over visible characters: each ``(cid:N)`` placeholder counts as one
    unreadable character, as does every private-use code point.
    """
    cids = len(CID_RE.findall(text))
    rest = CID_RE.sub("", text)
    visible = [c for c in rest if not c.isspace()]
    pua = sum(1 for c in visible if _is_private_use(c))
    total = len(visible) + cids
    if total == 0:
        return "no-text"
    if cids / total >= ratio:
        return "cid-garbage"
    if pua / total >= ratio:
        return "private-use"
    return None


def _is_private_use(c: str) -> bool:
    o = ord(c)
    return 0xE000 <= o <= 0xF8FF or 0xF0000 <= o <= 0xFFFFD or 0x100000 <= o <= 0x10FFFD


def clean_cell(cell: str | None) -> str | None:
    """Join a cell's wrapped lines: CJK text joins directly, Latin words with a space."""
    if cell is None:
        return None
    parts = [p.strip() for p in cell.split("\n") if p.strip()]
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def clean_rows(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Clean cells, drop empty rows and grid columns that have no cell in any row.

    pdfplumber makes one column per vertical ruling line; merged cells leave
    columns that are ``None`` (no cell) in every row. Those carry no information.
    Columns of real but empty cells (``""``) are kept, so a table continued on
    the next page keeps the column layout of its header.
    """
    rows = [[clean_cell(c) for c in r] for r in rows]
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    rows = [r + [None] * (ncols - len(r)) for r in rows]
    keep = [j for j in range(ncols) if any(r[j] is not None for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def read(data: bytes, source: str, path: str, doc_id: str,
         settings: PdfSettings = DEFAULT_SETTINGS) -> Document:
    """Read PDF bytes into a :class:`Document` (raises :class:`IngestError`).

    Each page is read by pypdfium2 when it shows no table signs
    (:mod:`ingest.pdfium_pages`), else by pdfplumber, which finds its tables;
    pdfplumber is opened only when a page needs it."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(path, "不是有效的PDF文件 / not a PDF file (missing %PDF header)")
    plumber = _LazyPlumber(data)
    with _PDFIUM_LOCK:
        return _read_pdf(data, source, path, doc_id, settings, plumber)


# pdfium is not thread-safe: one document at a time per process (readers run
# in worker processes; this only matters for a caller that reads from threads)
_PDFIUM_LOCK = threading.Lock()


def _read_pdf(data: bytes, source: str, path: str, doc_id: str, settings: PdfSettings,
              plumber: _LazyPlumber) -> Document:
    import pypdfium2 as pdfium

    parts: list[str] = []
    pages: list[Page] = []
    tables: list[Table] = []
    pos = 0
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(path, "PDF已加密，需要密码 / encrypted PDF (password required)") from exc
        raise IngestError(path, f"PDF文件损坏 / corrupt PDF: {exc}") from exc
    try:
        meta: dict[str, Any] = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items()
                                if isinstance(v, (str, int, float))}
        for number in range(1, len(doc) + 1):
            if parts:
                parts.append(PAGE_SEPARATOR)
                pos += len(PAGE_SEPARATOR)
            page_text, page_tables, table_line_ranges = _read_any_page(doc, plumber, number, settings)
            flag = garbage_flag(page_text, settings.garbage_ratio)
            if flag == "no-text":
                page_text, flag = _scanned_page(data, number, pos, meta)
                page_tables, table_line_ranges = [], []
            if flag:
                pages.append(Page(number, pos, pos, flag))
                continue
            parts.append(page_text)
            pages.append(Page(number, pos, pos + len(page_text)))
            for t, (ts, te) in zip(page_tables, table_line_ranges):
                _inherit_caption(t, tables, ts == 0)
                if ts is not None:
                    t.start, t.end = pos + ts, pos + te
                tables.append(t)
            pos += len(page_text)
    except IngestError:
        raise
    except Exception as exc:  # pdfminer and pdfium raise many types for broken files
        raise IngestError(path, f"PDF文件损坏 / corrupt PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        plumber.close()
        doc.close()

    if not any(p.flag is None for p in pages):
        flags = sorted({p.flag for p in pages if p.flag})
        hint = "" if ocr.available() else "; OCR not installed: pip install '.[ocr]'"
        raise IngestError(path, "PDF中没有可提取的文字（可能是扫描件）/ no extractable text "
                                f"(scanned or unmapped fonts: {', '.join(flags) or 'no pages'}{hint})")
    text, pages = _drop_edge_lines("".join(parts), pages, tables, meta)
    passages = _passages(text, pages, tables, settings)
    title = _title(text, pages) or PurePath(source).stem
    meta["page_count"] = len(pages)
    meta["flagged_pages"] = [p.number for p in pages if p.flag]
    meta["pdfplumber_pages"] = plumber.used
    return Document(id=doc_id, source=source, path=path, format="pdf", title=title, text=text,
                    pages=pages, passages=passages, tables=tables, meta=meta)


class _LazyPlumber:
    """pdfplumber's view of the same bytes, opened on the first page that needs it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf: Any = None
        self.used: list[int] = []  # page numbers read by pdfplumber

    def page(self, number: int) -> Any:
        if self.pdf is None:
            import pdfplumber

            self.pdf = pdfplumber.open(io.BytesIO(self.data))
        self.used.append(number)
        return self.pdf.pages[number - 1]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _drop_edge_lines(text: str, pages: list[Page], tables: list[Table],
                     meta: dict[str, Any]) -> tuple[str, list[Page]]:
    """The text without page-number lines and running headers and footers at
    the top or bottom of each page (:func:`_trim_page_numbers`; table rows are
    kept), and the pages re-located in it.

    They are dropped from ``Document.text`` itself, not only from passages: a
    paragraph that runs over a page break is one passage, one span of the
    text, and the page number printed between its two halves would otherwise
    sit inside it (and be read as a figure or split a sentence). Table ranges
    and OCR character offsets move with their page; ``meta["dropped_lines"]``
    counts the lines left out."""
    running = running_lines(text, pages)
    parts: list[str] = []
    new_pages: list[Page] = []
    shifts: list[tuple[int, int, int]] = []  # (old start, old end, new start) per kept range
    pos = dropped = 0
    for page in pages:
        if parts:
            parts.append(PAGE_SEPARATOR)
            pos += len(PAGE_SEPARATOR)
        if page.flag:
            new_pages.append(Page(page.number, pos, pos, page.flag))
            continue
        in_tables = sorted((t.start, t.end) for t in tables
                           if t.page == page.number and t.start is not None)
        start, end = _trim_page_numbers(text, page.start, page.end, in_tables, running)
        dropped += len(lines(text, page.start, page.end)) - len(lines(text, start, end))
        parts.append(text[start:end])
        new_pages.append(Page(page.number, pos, pos + end - start))
        shifts.append((start, end, pos))
        pos += end - start

    starts = [a for a, _, _ in shifts]

    def move(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0 or offset > shifts[i][1]:
            return None  # in a dropped line
        return offset - shifts[i][0] + shifts[i][2]

    for t in tables:
        if t.start is not None:
            t.start, t.end = move(t.start), move(t.end)
    for number, boxes in meta.get("ocr_chars", {}).items():
        moved = [[move(b[0]), *b[1:]] for b in boxes]
        boxes[:] = [b for b in moved if b[0] is not None]
    meta["dropped_lines"] = dropped
    return "".join(parts), new_pages


def _read_any_page(doc: Any, plumber: _LazyPlumber, number: int, settings: PdfSettings
                   ) -> tuple[str, list[Table], list[tuple[int | None, int | None]]]:
    """One page from pdfium's parse when it can be read that way: a prose page
    by :func:`ingest.pdfium_pages.read_page`, a ruled page by pdfplumber's
    table finder run on pdfium's characters and ruling edges
    (:func:`_pdfium_objects`). pdfplumber parses the page only when pdfium's
    objects cannot stand in for its own (unmapped glyphs, curves, ...). A
    rotated page takes the table finder's route too: pdfplumber reads it so."""
    page = doc[number - 1]
    try:
        reason = pdfium_pages.needs_pdfplumber(page, settings.layout)
        if reason is None:
            chars = pdfium_pages.page_chars(page)
            if chars is not None:
                return pdfium_pages.page_text(page, chars, settings.layout), [], []
        else:  # ruled or rotated: the table finder, on pdfium's objects if they stand in
            objects = _pdfium_objects(page, number, settings)
            if objects is not None:
                return _read_page(objects, settings)
    finally:
        page.close()
    return _read_page(_plumber_objects(plumber.page(number), settings), settings)


@dataclass
class _PageObjects:
    """What pdfplumber's table finder, ``Table.extract`` and text lines read
    from a page (characters after ``dedupe_chars``, ruling edges, the page
    box), whichever library parsed the page: each page is parsed once."""

    page_number: int
    width: float
    height: float
    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    rules: list[pdfium_pages.Rule]  # drawn horizontal rules (:func:`ingest.pdfium_pages.horizontal_rules`)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0, 0, self.width, self.height)


def _lines_strategy(settings: PdfSettings) -> bool:
    """Whether the table finder works from ruling lines only (not from words
    or explicit lines, which need pdfplumber's own page)."""
    from pdfplumber.table import TableSettings

    found = TableSettings.resolve(settings.table_settings or {})
    return (found.vertical_strategy in ("lines", "lines_strict")
            and found.horizontal_strategy in ("lines", "lines_strict")
            and not found.explicit_vertical_lines and not found.explicit_horizontal_lines)


def _pdfium_objects(page: Any, number: int, settings: PdfSettings) -> _PageObjects | None:
    """A ruled page's objects from pdfium, or ``None`` when pdfplumber must parse it."""
    if not settings.pdfium_tables or not _lines_strategy(settings):
        return None
    shown = pdfium_pages.display(page)
    kept: set[int] = set()
    chars = pdfium_pages.page_chars(page, shown, kept) if shown is not None else None
    if chars is None or pdfium_pages.near_ties(chars):
        return None
    rules: list[pdfium_pages.Rule] = []
    edges = pdfium_pages.page_edges(page, kept, rules, settings.layout.thin)
    if edges is None:
        return None
    return _PageObjects(number, shown[1], shown[2], pdfium_pages.dedupe(chars, settings.dedupe_tolerance),
                        edges, rules)


def _plumber_objects(page: Any, settings: PdfSettings) -> _PageObjects:
    """A page's objects from pdfplumber's parse, with the reader's ``dedupe_chars``
    (:func:`ingest.pdfium_pages.dedupe`: the same result as pdfplumber's, whose
    restoring of the char order is quadratic on a dense page)."""
    return _PageObjects(page.page_number, page.width, page.height,
                        pdfium_pages.dedupe(page.chars, settings.dedupe_tolerance), page.edges,
                        pdfium_pages.horizontal_rules(page.lines, page.rects, settings.layout.thin))


def _scanned_page(data: bytes, number: int, pos: int, meta: dict[str, Any]) -> tuple[str, str | None]:
    """Text of a page without a text layer, by OCR: ``(text, flag)``.

    The page is recorded in ``meta["ocr_pages"]`` and each recognised
    character's box in ``meta["ocr_chars"]`` as ``[offset in Document.text, x0,
    top, x1, bottom]`` (points). Without the OCR extra the page stays flagged
    ``no-text`` and ``meta["warnings"]`` says so, so nobody mistakes a scan for
    an empty page. A page without any image is blank and stays ``no-text``
    quietly."""
    if not ocr.has_image(data, number - 1):
        return "", "no-text"  # a blank page, not a scan
    if not ocr.available():
        meta.setdefault("warnings", []).append(
            f"第{number}页没有文字层，未安装OCR，未读取 / page {number} has no text layer and OCR "
            "is not installed (pip install '.[ocr]'): not read")
        return "", "no-text"
    lines = ocr.pdf_page(data, number - 1)
    if not lines:
        return "", "no-text"
    chars = meta.setdefault("ocr_chars", {}).setdefault(str(number), [])
    offset = pos
    for line in lines:
        chars.extend([offset + i, *box] for i, box in enumerate(line.boxes))
        offset += len(line.text) + 1
    meta.setdefault("ocr_pages", []).append(number)
    return "\n".join(line.text for line in lines), None


def _read_page(page: _PageObjects, settings: PdfSettings
               ) -> tuple[str, list[Table], list[tuple[int | None, int | None]]]:
    """Text of one page (lines joined by ``\\n``), its tables and their text ranges."""
    from pdfplumber.table import TableFinder, TableSettings

    table_settings = TableSettings.resolve(settings.table_settings or {})
    found = TableFinder(page, table_settings).tables
    snap = table_settings.snap_y_tolerance  # how far a rule may lie from a row boundary it makes
    boxes = []
    for t in found:
        rows = clean_rows(_extract(t, page))
        if len(rows) < settings.min_table_rows:
            continue
        if max(len(r) for r in rows) >= settings.min_table_cols or _one_column_table(t, rows, page, settings, snap):
            boxes.append((t.bbox, rows))
    boxes.sort(key=lambda b: (b[0][1], b[0][0]))
    text_lines = _reading_order_lines(page, settings, [t.bbox for t in found])

    offsets: list[tuple[int, int]] = []
    text = ""
    for ln in text_lines:
        if text:
            text += "\n"
        offsets.append((len(text), len(text) + len(ln["text"])))
        text += ln["text"]

    def inside(ln: dict, bbox: tuple) -> bool:
        mid = (ln["top"] + ln["bottom"]) / 2
        return bbox[1] - 1 <= mid <= bbox[3] + 1 and ln["x1"] > bbox[0] and ln["x0"] < bbox[2]

    tables: list[Table] = []
    ranges: list[tuple[int | None, int | None]] = []
    for bbox, rows in boxes:
        idx = [i for i, ln in enumerate(text_lines) if inside(ln, bbox)]
        above = [i for i, ln in enumerate(text_lines)
                 if ln["bottom"] <= bbox[1] + 1 and ln["bottom"] >= bbox[1] - settings.caption_max_gap
                 and not any(inside(ln, b) for b, _ in boxes)]
        caption = "\n".join(text_lines[i]["text"].strip() for i in above[-settings.caption_max_lines:])
        tables.append(Table(page=page.page_number, rows=rows, caption=caption))
        ranges.append((offsets[idx[0]][0], offsets[idx[-1]][1]) if idx else (None, None))
    return text, tables, ranges


def _one_column_table(table: Any, rows: list[list[str | None]], page: _PageObjects,
                      settings: PdfSettings, snap: float) -> bool:
    """Whether a one-column box the table finder found is a table: at least
    ``min_table_rows`` rows hold text, no row is a paragraph, every boundary
    between two rows is a drawn rule, and the box is not the page's frame.

    Why: a one-column table (a list of indicator names, say) must reach the
    table reader, which warns that it has only one column; but a text box, a
    frame round the page and a page whose lines each sit on a white
    background rectangle (the finder sees ruled rows there too) are prose,
    whose goals and indicators the text analysis must still find."""
    texts = ["".join(c or "" for c in r).strip() for r in rows]
    if sum(1 for t in texts if t) < settings.min_table_rows:
        return False
    if max(len(t) for t in texts) > settings.one_column_cell_chars:
        return False
    x0, top, x1, bottom = table.bbox
    if x1 - x0 >= settings.frame_share * page.width and bottom - top >= settings.frame_share * page.height:
        return False

    def ruled(y: float) -> bool:
        return any(abs(ry - y) <= snap and min(rx1, x1) - max(rx0, x0) >= (x1 - x0) / 2
                   for ry, rx0, rx1 in page.rules)

    return all(ruled(row.bbox[1]) for row in table.rows[1:])


def _extract(table: Any, page: _PageObjects) -> list[list[str | None]]:
    """pdfplumber's ``table.extract()``, the same rows, without testing every
    character of the page against every row: characters are looked up by the
    middle of their height (sorted once), and each row's and cell's keep the
    page order, as ``Table.extract`` gives them to ``extract_text``."""
    from pdfplumber.utils import extract_text

    chars = page.chars
    v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
    h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
    order = sorted(range(len(chars)), key=v_mid.__getitem__)
    v_sorted = [v_mid[i] for i in order]

    def inside(i: int, box: tuple[float, float, float, float]) -> bool:
        return box[0] <= h_mid[i] < box[2] and box[1] <= v_mid[i] < box[3]

    out: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        lo, hi = bisect.bisect_left(v_sorted, top), bisect.bisect_left(v_sorted, bottom)
        in_row = sorted(i for i in order[lo:hi] if x0 <= h_mid[i] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            found = [chars[i] for i in in_row if inside(i, cell)]
            cells.append(extract_text(found) if found else "")
        out.append(cells)
    return out


def _reading_order_lines(page: _PageObjects, settings: PdfSettings, table_boxes: list[tuple]
                         ) -> list[dict[str, Any]]:
    """The page's text lines (pdfplumber line dicts, without characters) in
    reading order. When the text outside the tables forms two columns
    (:func:`ingest.pdfium_pages.columns`, the same test as on the fast path),
    the left column is read first, then the right, and lines crossing the
    gutter stay above or below; each table goes with the column it stands in
    (or above or below, when it spans both). Tables are left out of the test:
    a grid's label and amount columns are not two columns of prose. Any other
    page reads as pdfplumber reads it."""
    from pdfplumber.utils.text import chars_to_textmap

    def in_table(c: dict[str, Any]) -> bool:
        return any(b[0] - 1 <= (c["x0"] + c["x1"]) / 2 <= b[2] + 1
                   and b[1] - 1 <= (c["top"] + c["bottom"]) / 2 <= b[3] + 1 for b in table_boxes)

    chars = page.chars
    prose = [c for c in chars if not in_table(c)] if table_boxes else chars
    blocks = (pdfium_pages.columns(prose, page.width, settings.layout)
              if all(c.get("upright", True) for c in chars) else None)
    if blocks is None:
        return chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width,  # as Page's
                                layout_height=page.height).extract_text_lines(strip=True, return_chars=False)
    above, left, right, below = blocks
    left_edge = max(c["x1"] for c in left)
    right_edge = min(c["x0"] for c in right)
    top = min(c["top"] for c in left + right)
    for box in table_boxes:
        inside = [c for c in chars if in_table(c) and box[0] - 1 <= (c["x0"] + c["x1"]) / 2 <= box[2] + 1
                  and box[1] - 1 <= (c["top"] + c["bottom"]) / 2 <= box[3] + 1]
        if box[2] <= right_edge:
            left += inside
        elif box[0] >= left_edge:
            right += inside
        else:
            (above if box[1] < top else below).extend(inside)
    return [ln for block in (above, left, right, below) if block
            for ln in chars_to_textmap(block).extract_text_lines(strip=True, return_chars=False)]


def _inherit_caption(table: Table, earlier: list[Table], at_page_top: bool) -> None:
    """A table continued from the previous page inherits that table's caption.

    Long budget tables run over several pages and only the first part has the
    ``单位：元`` caption; without it the numbers of the later parts lose their unit.
    Continued = no caption of its own, first text on its page, and the previous
    table (on the previous page) has the same number of columns.
    """
    if table.caption or not at_page_top or not earlier:
        return
    prev = earlier[-1]
    ncols = max((len(r) for r in table.rows), default=0)
    pcols = max((len(r) for r in prev.rows), default=0)
    if prev.page == table.page - 1 and ncols == pcols:
        table.caption = prev.caption


def _passages(text: str, pages: list[Page], tables: list[Table],
              settings: PdfSettings) -> list[Passage]:
    """Passages of all readable pages: prose paragraphs and chunks of table rows.

    Page-number lines and running headers and footers are no longer in the
    text (:func:`_drop_edge_lines`), and a prose paragraph that runs over a page break (prose at the end of one page, prose
    at the start of the next, and :func:`ingest.passages.continues` agrees) is
    one passage spanning the break; its ``page`` is the page it starts on.
    """
    units: list[tuple[Span, int, bool]] = []  # (span, page, is_table) before long ones are split
    open_prose = False  # the last unit ends its page as prose that may continue
    prev_page = None
    for page in pages:
        if page.flag:
            continue
        in_tables = sorted((t.start, t.end) for t in tables
                           if t.page == page.number and t.start is not None)
        regions = _regions(page.start, page.end, in_tables)
        for k, (s, e, is_table) in enumerate(regions):
            if is_table:
                units.extend(((a, b), page.number, True)
                             for a, b in chunk_lines(text, s, e, settings.table_passage_chars))
                continue
            paras = paragraphs(text, s, e, settings.passage)
            if (paras and k == 0 and open_prose and prev_page == page.number - 1
                    and continues(text, units[-1][0], _first_line(text, paras[0]), False, 0,
                                  settings.passage)):
                (a, _), p, _ = units[-1]
                units[-1] = ((a, paras[0][1]), p, False)
                paras = paras[1:]
            units.extend((span, page.number, False) for span in paras)
        open_prose = bool(regions) and not regions[-1][2] and bool(units) and not units[-1][2]
        prev_page = page.number

    spans: list[Span] = []
    page_at: dict[int, int] = {}
    for span, number, is_table in units:
        for a, b in ([span] if is_table else split_long(text, span, settings.passage)):
            spans.append((a, b))
            page_at[a] = number
    # a heading joins the passage it introduces on its own page (a cover page stays alone)
    firsts = frozenset(a for k, (a, _) in enumerate(spans)
                       if k and page_at[a] != page_at[spans[k - 1][0]])
    return [Passage(i, a, b, page=page_at[a])
            for i, (a, b) in enumerate(attach_headings(text, spans, settings.passage, firsts))]


def _first_line(text: str, span: Span) -> str:
    nl = text.find("\n", span[0], span[1])
    return text[span[0]:(span[1] if nl < 0 else nl)]


@lru_cache(maxsize=1)
def _page_number_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in corpora.read_lines("ingest", "page_number.txt")]


def is_page_number(line: str) -> bool:
    """A printed page number line ("- 3 -", "第3页", "3/24")."""
    s = line.strip()
    return bool(s) and any(p.fullmatch(s) for p in _page_number_patterns())


RUNNING_MAX_CHARS = 60  # a running header or footer is one short line
RUNNING_LINES = 2  # lines at the top and at the bottom of a page looked at


def _line_key(line: str) -> str:
    """A line with white space removed (numbers kept: 表1 and 表2 are not one line;
    page counts are :func:`is_page_number`'s)."""
    return "".join(line.split())


def running_lines(text: str, pages: list[Page]) -> frozenset[str]:
    """Keys (:func:`_line_key`) of running headers and footers: short lines among
    the first or last :data:`RUNNING_LINES` lines of at least half of the
    readable pages (and of three at least)."""
    readable = [p for p in pages if not p.flag and p.end > p.start]
    if len(readable) < 3:
        return frozenset()
    counts: Counter[str] = Counter()
    for p in readable:
        page_lines = lines(text, p.start, p.end)
        edge = page_lines[:RUNNING_LINES] + page_lines[-RUNNING_LINES:]
        counts.update({_line_key(text[a:b]) for a, b in edge if b - a <= RUNNING_MAX_CHARS})
    need = max(3, (len(readable) + 1) // 2)
    return frozenset(k for k, n in counts.items() if n >= need and k)


def _trim_page_numbers(text: str, start: int, end: int, in_tables: list[Span],
                       running: frozenset[str] = frozenset()) -> Span:
    """Page range without page-number lines and running headers and footers at
    its top or bottom (table rows kept)."""
    page_lines = lines(text, start, end)

    def trim(line: Span) -> bool:
        s = text[line[0]:line[1]]
        return (is_page_number(s) or _line_key(s) in running) and not any(
            a <= line[0] < b for a, b in in_tables)

    for _ in range(RUNNING_LINES):
        if page_lines and trim(page_lines[-1]):
            page_lines = page_lines[:-1]
    for _ in range(RUNNING_LINES):
        if page_lines and trim(page_lines[0]):
            page_lines = page_lines[1:]
    if not page_lines:
        return start, start
    return page_lines[0][0], page_lines[-1][1]


def _regions(start: int, end: int, tables: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Split a page range into prose and table regions (tables may not overlap)."""
    out: list[tuple[int, int, bool]] = []
    pos = start
    for ts, te in tables:
        if ts < pos:
            continue
        if ts > pos:
            out.append((pos, ts, False))
        out.append((ts, te, True))
        pos = te
    if pos < end:
        out.append((pos, end, False))
    return out


def _title(text: str, pages: list[Page]) -> str:
    """First non-empty line of the first readable page."""
    for p in pages:
        if p.flag:
            continue
        for line in text[p.start:p.end].split("\n"):
            if line.strip():
                return line.strip()[:200]
    return ""
