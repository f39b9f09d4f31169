"""Scanned PDF pages: OCR when the ``ocr`` extra is installed, a visible warning
when it is not. The scan is made in the test: Chinese text printed with a
system CJK font (Debian fonts-wqy-zenhei) into an image, the image put on a PDF
page after a page with a real text layer."""
from __future__ import annotations

import io

import pytest

from fixtures.ingest_files import text_pdf
from ingest import ocr
from ingest.readers import read_bytes

SCANNED = "烟台市财政局部门预算说明\n一般公共预算收入1000万元，增长5.2%。"


def _mixed_pdf() -> bytes:
    """Page 1: a text layer; page 2: only an image of printed Chinese text."""
    import pypdfium2

    scan = io.BytesIO()
    ocr.sample_page_image(SCANNED).save(scan, format="PDF", resolution=100)
    pdf = pypdfium2.PdfDocument(text_pdf([["Budget report 2023", "General budget revenue"]]))
    pdf.import_pages(pypdfium2.PdfDocument(scan.getvalue()))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.skipif(not ocr.available(), reason="OCR extra not installed: pip install '.[ocr]'")
def test_scanned_page_is_read_by_ocr_with_a_box_per_character():
    doc = read_bytes(_mixed_pdf(), "scan.pdf")
    assert doc.meta["ocr_pages"] == [2]
    page = doc.pages[1]
    assert page.flag is None
    text = doc.text[page.start:page.end]
    assert "1000万元" in text and "财政局" in text
    chars = doc.meta["ocr_chars"]["2"]
    assert [c[0] for c in chars] == [i for i in range(page.start, page.end) if doc.text[i] != "\n"]
    for _, x0, top, x1, bottom in chars:
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 843

    from nlp.pipeline import analyse

    money = [i for i in analyse(doc).items if i.type == "figure" and i.text.startswith("1000万元")]
    assert money and money[0].page == 2
    assert doc.text[money[0].start:money[0].end] == money[0].text


def test_scanned_page_without_ocr_gives_a_warning(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = read_bytes(_mixed_pdf(), "scan.pdf")
    assert doc.pages[1].flag == "no-text"
    assert "ocr_pages" not in doc.meta
    assert any("page 2" in w and "OCR" in w for w in doc.meta["warnings"])


def test_blank_page_is_neither_recognised_nor_warned_about():
    doc = read_bytes(text_pdf([["Budget report 2023", "General budget revenue"], []]), "blank.pdf")
    assert doc.pages[1].flag == "no-text"
    assert "ocr_pages" not in doc.meta and "warnings" not in doc.meta


@pytest.mark.skipif(not ocr.available(), reason="OCR extra not installed: pip install '.[ocr]'")
def test_a_scanned_page_is_searched_stored_and_shown_like_any_page(tmp_path):
    """Through the real CLI into a real SQLite store: the OCR'd text is found
    by search on its page, the store records which pages were OCR'd (JSON and
    the document page say so), and the figures on it are extracted."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from conftest import run_cli
    from search.sqlite import SQLiteBackend

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(_mixed_pdf())
    proc = run_cli(["ingest", "-q", tmp_path / "in"], tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    hits = [__import__("json").loads(line) for line in
            run_cli(["search", "部门预算说明", "--json"], tmp_path / "data").stdout.splitlines()]
    top = hits[0]["hits"][0]
    assert top["doc"] == "scan.pdf" and top["page"] == 2 and "部门预算" in top["text"]
    store = SQLiteBackend(tmp_path / "data" / "policylens.sqlite3")
    try:
        with TestClient(create_app(backend=store)) as client:
            doc = client.get(f"/api/documents/{top['doc_id']}").json()
            assert doc["ocr_pages"] == [2]
            assert any(i["type"] == "figure" and i["page"] == 2 and i["text"].startswith("1000万元")
                       for i in doc["items"])
            page = client.get(f"/documents/{top['doc_id']}").text
            assert page.count("扫描页 OCR") == 1
    finally:
        store.close()
