"""Ruled (table) pages read from pdfium's objects give exactly what
pdfplumber's own parse gives: text, tables, page ranges, passages (real PDFs
of the repository, plus a page made in the test for the edge cases)."""
from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from ingest import pdf as pdf_reader
from ingest import pdfium_pages

ROOT = Path(__file__).resolve().parents[1]
REAL = [ROOT / "corpora" / "samples" / "budget2025_shanghai_putuo_finance_bureau_dept.pdf",
        ROOT / "corpora" / "indicators" / "heldout" / "hk_e_clearance_eval.pdf",
        ROOT / "corpora" / "indicators" / "heldout" / "synthetic_justice_split_layout.pdf",
        ROOT / "corpora" / "indicators" / "heldout" / "xiangtan_fog_cannon_targets.pdf"]
PLUMBER = replace(pdf_reader.DEFAULT_SETTINGS, pdfium_tables=False)


def _read(path: Path, settings: pdf_reader.PdfSettings) -> pdf_reader.Document:
    return pdf_reader.read(path.read_bytes(), path.name, str(path), "d", settings)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_real_pdf_reads_the_same_with_tables_from_pdfium_objects(path: Path) -> None:
    fast, slow = _read(path, pdf_reader.DEFAULT_SETTINGS), _read(path, PLUMBER)
    assert fast.text == slow.text
    assert fast.pages == slow.pages
    assert [asdict(t) for t in fast.tables] == [asdict(t) for t in slow.tables]
    assert fast.passages == slow.passages
    assert slow.tables and len(fast.meta["pdfplumber_pages"]) < len(slow.meta["pdfplumber_pages"])


def test_page_edges_are_pdfplumbers_edges() -> None:
    """Lines, rectangle edges and their order as pdfplumber's ``page.edges``
    (coordinates to pdfium's single precision)."""
    path = REAL[0]
    doc = pdfium.PdfDocument(path)
    with pdfplumber.open(path) as pdf:
        number = next(i for i, page in enumerate(pdf.pages)
                      if len(page.edges) > 20 and pdfium_pages.page_edges(doc[i]) is not None)
        mine, theirs = pdfium_pages.page_edges(doc[number]), pdf.pages[number].edges
    keys = ("x0", "x1", "top", "bottom", "width", "height")
    assert mine is not None and len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert (a["object_type"], a["orientation"]) == (b["object_type"], b["orientation"])
        assert all(abs(a[k] - b[k]) < 1e-3 for k in keys)


def test_a_word_gap_at_the_tolerance_leaves_the_page_to_pdfplumber() -> None:
    """pdfium's single precision could break "公开01表" where pdfminer does not."""
    char = {"top": 10.0, "size": 12.0}
    tie = [dict(char, x0=79.44, x1=91.44), dict(char, x0=94.44, x1=100.44)]
    clear = [dict(char, x0=79.44, x1=91.44), dict(char, x0=91.44, x1=103.44)]
    stretched = [dict(char, x0=79.44, x1=284.6)]
    assert pdfium_pages.near_ties(tie) and pdfium_pages.near_ties(stretched)
    assert not pdfium_pages.near_ties(clear)
