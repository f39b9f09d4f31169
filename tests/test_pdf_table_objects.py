"""Ruled (table) pages read from pdfium's objects give exactly what
pdfplumber's own parse gives: text, tables, page ranges, passages (real PDFs
of the repository, plus a page made in the test for the edge cases)."""
from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from cjk_pdf import cjk_pdf, table_page
from fixtures.ingest_files import minimal_pdf
from ingest import pdf as pdf_reader
from ingest import pdfium_pages
from ingest.readers import read_bytes

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
        number = next(i for i, page in enumerate(pdf.pages) if len(page.edges) > 20)
        mine, theirs = pdfium_pages.page_edges(doc[number], set()), pdf.pages[number].edges
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


def _rotated_table_pdf(rotate: int, turn: bytes) -> bytes:
    """One page shown turned by ``rotate`` degrees whose content is turned
    back by ``turn`` (a landscape table printed on a portrait sheet): a
    caption and a ruled 3 x 2 table in Helvetica (a standard font pdfium has
    the glyphs of)."""
    xs, ys = [40.0, 240.0, 340.0], [680.0, 650.0, 620.0, 590.0]
    ops = [b"q " + turn + b" cm 0.5 w"]
    ops += [b"%.1f %.1f m %.1f %.1f l S" % (x, ys[0], x, ys[-1]) for x in xs]
    ops += [b"%.1f %.1f m %.1f %.1f l S" % (xs[0], y, xs[-1], y) for y in ys]
    cells = [("Item", "Amount"), ("Income", "1000"), ("Spending", "900")]
    ops.append(b"BT /F1 9 Tf 40 700 Td (Unit: 10k yuan) Tj ET")
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            ops.append(b"BT /F1 9 Tf %.1f %.1f Td (%s) Tj ET" % (xs[c] + 3, ys[r] - 12, cell.encode()))
    stream = b"\n".join(ops) + b"\nQ"
    return minimal_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Rotate %d /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % rotate,
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


@pytest.mark.parametrize("rotate,turn", [(90, b"0 1 -1 0 842 0"), (270, b"0 -1 1 0 0 595")])
def test_rotated_ruled_page_reads_through_pdfium_objects_as_through_pdfplumber(rotate: int, turn: bytes) -> None:
    """pdfium's characters and edges of a rotated page are turned as pdfminer
    turns them: the table reads the same either way, without pdfplumber."""
    data = _rotated_table_pdf(rotate, turn)
    fast = pdf_reader.read(data, "r.pdf", "r.pdf", "r", pdf_reader.DEFAULT_SETTINGS)
    slow = pdf_reader.read(data, "r.pdf", "r.pdf", "r", PLUMBER)
    assert fast.meta["pdfplumber_pages"] == [] and slow.meta["pdfplumber_pages"] == [1]
    assert [t.rows for t in slow.tables] == [[["Item", "Amount"], ["Income", "1000"], ["Spending", "900"]]]
    assert slow.tables[0].caption == "Unit: 10k yuan"
    assert (fast.text, fast.pages, fast.passages) == (slow.text, slow.pages, slow.passages)
    assert [asdict(t) for t in fast.tables] == [asdict(t) for t in slow.tables]


def test_glyphs_pdfium_drops_leave_the_page_to_pdfplumber() -> None:
    """The test font is not embedded; on a rotated page pdfium's text page
    drops its Chinese glyphs. The page goes to pdfplumber and loses nothing."""
    rows = [[["项目"], ["金额"]], [["收入"], ["1000"]], [["支出"], ["900"]]]
    page = table_page([(40.0, 700.0, "单位：万元")], rows, 680.0, [200.0, 100.0])
    doc = read_bytes(cjk_pdf([b"q 0 1 -1 0 842 0 cm\n" + page + b"\nQ"], rotate=90), "r.pdf")
    assert doc.meta["pdfplumber_pages"] == [1]
    assert [t.rows for t in doc.tables] == [[["项目", "金额"], ["收入", "1000"], ["支出", "900"]]]


def test_table_cells_read_as_pdfplumbers_extract() -> None:
    """The reader's cell lookup gives pdfplumber's ``Table.extract`` rows."""
    from pdfplumber.table import TableFinder, TableSettings

    compared = 0
    with pdfplumber.open(REAL[0]) as pdf:
        for page in pdf.pages[8:14]:
            objects = pdf_reader._plumber_objects(page, pdf_reader.DEFAULT_SETTINGS)
            for table in TableFinder(objects, TableSettings.resolve({})).tables:
                assert pdf_reader._extract(table, objects) == table.extract()
                compared += 1
    assert compared >= 3
