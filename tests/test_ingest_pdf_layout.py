"""The pypdfium2 page path of the PDF reader: which pages go to pdfplumber,
that prose pages read the same as through pdfplumber, and two-column pages
read column by column (PDFs made in the test, plus the real sample PDF)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import pypdfium2 as pdfium

from cjk_pdf import FONT_SIZE, _hex, cjk_pdf, table_page
from ingest import pdf as pdf_reader
from ingest import pdfium_pages
from ingest.readers import read, read_bytes

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "samples" / "budget2025_shanghai_putuo_finance_bureau_dept.pdf"


def text_page(lines: list[tuple[float, float, str]]) -> bytes:
    """Content stream of free text lines ``(x, y, text)`` and nothing else."""
    return b"\n".join(b"BT /F1 %d Tf %.1f %.1f Td " % (FONT_SIZE, x, y) + _hex(s) + b" Tj ET"
                      for x, y, s in lines)


LEFT = [f"左栏第{n}行的正文内容，讲本部门二〇二五年预算收入和支出的安排情况与变化原因。" for n in "一二三四五六七"]
RIGHT = [f"右栏第{n}行的正文内容，讲本部门二〇二五年绩效目标和项目支出的执行情况与安排。" for n in "一二三四五六七"]


def two_column_page() -> bytes:
    """A title over both columns, seven lines in each column on the same
    baselines (a gutter of about 40 points), and a centred page number."""
    lines = [(330.0, 540.0, "两栏排版的部门预算说明")]
    for k, (left, right) in enumerate(zip(LEFT, RIGHT)):
        y = 500.0 - 14 * k
        lines += [(40.0, y, left), (430.0, y, right)]
    lines.append((400.0, 40.0, "- 3 -"))
    return text_page(lines)


def test_two_column_page_reads_left_column_then_right() -> None:
    doc = read_bytes(cjk_pdf([two_column_page()]), "two_columns.pdf")
    assert doc.text.split("\n") == ["两栏排版的部门预算说明", *LEFT, *RIGHT]
    assert doc.meta["pdfplumber_pages"] == [] and doc.meta["dropped_lines"] == 1  # "- 3 -", read last
    # every passage keeps its page and points at its own characters
    prose = [doc.text[p.start:p.end] for p in doc.passages]
    assert any(LEFT[0] in t for t in prose) and all(p.page == 1 for p in doc.passages)
    assert not any(LEFT[-1] in t and RIGHT[0] in t and t.index(RIGHT[0]) < t.index(LEFT[-1]) for t in prose)


@pytest.mark.parametrize("pdfium_tables", [True, False])
def test_two_column_page_with_a_ruled_table_reads_columns_through_pdfplumber_too(pdfium_tables: bool) -> None:
    """A two-column page with a ruled table goes to pdfplumber's table finder
    (on pdfium's objects, or pdfplumber's own parse) and is still read left
    column, then right; the table keeps its rows and its range in the text."""
    lines = [(330.0, 540.0, "两栏排版的部门预算说明")]
    for k, (left, right) in enumerate(zip(LEFT, RIGHT)):
        y = 500.0 - 14 * k
        lines += [(40.0, y, left), (430.0, y, right)]
    rows = [[["项目"], ["金额"]], [["收入"], ["1000"]], [["支出"], ["900"]]]
    data = cjk_pdf([table_page(lines, rows, 360.0, [150.0, 100.0])])
    settings = replace(pdf_reader.DEFAULT_SETTINGS, pdfium_tables=pdfium_tables)
    doc = pdf_reader.read(data, "two_columns_table.pdf", "two_columns_table.pdf", "t", settings)
    assert doc.meta["pdfplumber_pages"] == ([] if pdfium_tables else [1])
    got = doc.text.split("\n")
    assert got[0] == "两栏排版的部门预算说明"
    assert got[1:8] == LEFT and RIGHT[0] in got and got.index(RIGHT[0]) > got.index(LEFT[-1])
    assert got[-7:] == RIGHT
    assert [t.rows for t in doc.tables] == [[["项目", "金额"], ["收入", "1000"], ["支出", "900"]]]
    table = doc.tables[0]
    assert doc.text[table.start:table.end].split("\n") == ["项目 金额", "收入 1000", "支出 900"]


def test_one_column_page_with_a_number_column_is_not_split() -> None:
    """Labels on the left and short amounts on the right (a table without
    rules) keep their rows: the amounts do not fill a column."""
    lines = [(40.0, 500.0 - 14 * k, f"第{k}项支出的名称说明") for k in range(8)]
    lines += [(600.0, 500.0 - 14 * k, f"{k}00万元") for k in range(8)]
    doc = read_bytes(cjk_pdf([text_page(lines)]), "labels.pdf")
    assert doc.text.split("\n")[0] == "第0项支出的名称说明 000万元"


def test_ruled_table_page_goes_to_the_table_finder_and_prose_page_does_not() -> None:
    """The ruled page's table is found on pdfium's objects: pdfplumber parses no page."""
    prose = text_page([(40.0, 500.0, "本部门二〇二五年预算收入一千万元。")])
    table = table_page([(40.0, 560.0, "单位：万元")], [[["项目"], ["金额"]], [["收入"], ["1000"]],
                                                  [["支出"], ["900"]]], 540.0, [200.0, 100.0])
    data = cjk_pdf([prose, table])
    doc = read_bytes(data, "mixed.pdf")
    assert doc.meta["pdfplumber_pages"] == []
    assert [t.rows for t in doc.tables] == [[["项目", "金额"], ["收入", "1000"], ["支出", "900"]]]
    assert doc.tables[0].page == 2 and doc.tables[0].caption == "单位：万元"
    pdf = pdfium.PdfDocument(data)
    assert pdfium_pages.needs_pdfplumber(pdf[0]) is None
    assert pdfium_pages.needs_pdfplumber(pdf[1]) == "ruled"


def test_prose_pages_of_a_real_pdf_read_as_through_pdfplumber() -> None:
    """Every page the fast path reads gives the text pdfplumber's lines give."""
    doc = read(SAMPLE)
    pages = pdfium.PdfDocument(SAMPLE)
    fast = [p for p in doc.pages if pdfium_pages.needs_pdfplumber(pages[p.number - 1]) is None and not p.flag]
    assert len(fast) >= 3
    with pdfplumber.open(SAMPLE) as pdf:
        for page in fast:
            objects = pdf_reader._plumber_objects(pdf.pages[page.number - 1], pdf_reader.DEFAULT_SETTINGS)
            expected, tables, _ = pdf_reader._read_page(objects, pdf_reader.DEFAULT_SETTINGS)
            assert not tables
            assert doc.text[page.start:page.end] == expected, page.number


def test_dedupe_matches_pdfplumber() -> None:
    """The fast dedupe keeps the same characters in the same order."""
    from pdfplumber.utils.text import dedupe_chars

    with pdfplumber.open(SAMPLE) as pdf:
        chars = pdf.pages[0].chars
        doubled = chars + [dict(c, x0=c["x0"] + 0.5) for c in chars[::3]]
        assert pdfium_pages.dedupe(doubled, 1.0) == dedupe_chars(doubled, 1.0)


def test_chinese_page_number_inside_a_paragraph_over_a_page_break() -> None:
    """第3页 and a running header between the two halves of a sentence are not
    in its passage (nor in the text), and the figure in the second half keeps
    its page and its span."""
    from nlp.pipeline import analyse

    header = "二〇二三年部门预算说明"
    pages = []
    for n in range(1, 5):
        body = [header, f"第{n}节正文。"]
        if n == 3:
            body.append("本年度一般公共预算拨款用于学校和医院的建设，并将")
        if n == 4:
            body.insert(1, "按季度公开执行结果，全年支出1000万元。")
        pages.append(text_page([(40.0, 560.0 - 14 * k, line) for k, line in enumerate(body)]
                               + [(400.0, 40.0, f"第{n}页")]))
    doc = read_bytes(cjk_pdf(pages), "breaks.pdf")
    spanning = [doc.passage_text(p) for p in doc.passages if "学校和医院" in doc.passage_text(p)]
    assert spanning == ["本年度一般公共预算拨款用于学校和医院的建设，并将" + pdf_reader.PAGE_SEPARATOR
                        + "按季度公开执行结果，全年支出1000万元。"]
    assert "第3页" not in doc.text and header not in doc.text
    assert doc.meta["dropped_lines"] == 8
    money = next(i for i in analyse(doc).items if i.type == "figure" and i.text.startswith("1000"))
    assert money.page == 4 and doc.text[money.start:money.end] == money.text
