"""A PDF page as an image, with boxes around extracted items.

The document view shows the page as it was printed beside the extracted text,
so a reader can check a figure or a table against the original. The page is
rendered on the server (pdfplumber's ``to_image``, which uses pypdfium2); an
item's box comes from the positions of the characters it was read from:
the item's text is searched among the page's characters (after the same
``dedupe_chars`` as the reader), and its n-th occurrence on the page is taken
when the text occurs more than once (n counted in the extracted page text).
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

RESOLUTION = 96  # dots per inch: a page about 800 px wide
MAX_PAGES = 5000


class PageImageError(ValueError):
    """The page cannot be shown (not a PDF, file gone, no such page): the reason."""


@dataclass(frozen=True)
class Box:
    """An item to outline: its text, its n-th occurrence on the page, its colour."""

    text: str
    occurrence: int
    color: tuple[int, int, int]
    width: int = 2


@contextmanager
def _open_page(path: str | Path, number: int) -> Iterator[Any]:
    """Page ``number`` (1-based) of the PDF at ``path``, after the reader's
    ``dedupe_chars``; a PageImageError naming the file and the reason otherwise."""
    import pdfplumber

    from ingest.pdf import DEFAULT_SETTINGS

    file = Path(path)
    if file.suffix.lower() != ".pdf" or not file.is_file():
        raise PageImageError(f"{file.name}: 原始 PDF 不可用 the original PDF is not available")
    try:
        pdf = pdfplumber.open(file)
    except Exception as err:  # noqa: BLE001 - any unreadable file is reported by name
        raise PageImageError(f"{file.name}: 无法打开 cannot open: {err}") from err
    with pdf:
        if not 1 <= number <= min(len(pdf.pages), MAX_PAGES):
            raise PageImageError(f"{file.name}: 没有第 {number} 页 no page {number} "
                                 f"(共 {len(pdf.pages)} 页)")
        yield pdf.pages[number - 1].dedupe_chars(tolerance=DEFAULT_SETTINGS.dedupe_tolerance)


def render_page(path: str | Path, number: int, boxes: list[Box],
                resolution: int = RESOLUTION) -> bytes:
    """PNG bytes of page ``number`` (1-based) of the PDF at ``path`` with ``boxes`` drawn."""
    with _open_page(path, number) as page:
        image = page.to_image(resolution=resolution)
        for box in boxes:
            found = _find(page, box.text)
            if not found:
                continue
            hit = found[min(box.occurrence, len(found) - 1)]
            bbox = (hit["x0"], hit["top"], hit["x1"], hit["bottom"])
            image.draw_rect(bbox, fill=None, stroke=box.color, stroke_width=box.width)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


def _find(page, text: str) -> list[dict]:
    """Where ``text`` occurs among the page's characters (spaces and line breaks
    in the extracted text need not be in the PDF)."""
    needle = "".join(text.split())
    if not needle:
        return []
    try:
        return page.search(needle, regex=False, return_chars=False)
    except Exception:  # noqa: BLE001 - a search failure only means no box
        return []


def page_tables(path: str | Path, number: int) -> list[list[list[str | None]]]:
    """The tables of page ``number`` as rows of cells, found as the reader finds
    them (pdfplumber's ruling lines, cells joined by ``ingest.pdf.clean_rows``),
    so the document view can show a table as a table instead of flattened lines."""
    from ingest.pdf import DEFAULT_SETTINGS, clean_rows

    with _open_page(path, number) as page:
        found = page.find_tables(DEFAULT_SETTINGS.table_settings or {})
        return [rows for rows in (clean_rows(t.extract()) for t in found) if rows]
