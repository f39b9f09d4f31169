"""PDF reading: real budget PDFs (pages, tables, captions), broken and encrypted files."""
from __future__ import annotations

from pathlib import Path

import pytest

import corpora
from ingest.document import Document, IngestError
from ingest.pdf import PAGE_SEPARATOR, clean_cell, clean_rows, garbage_flag, is_page_number
from ingest.readers import read, read_bytes
from fixtures.ingest_files import encrypted_pdf, pdf_of_garbage_only, pdf_with_garbage_page, read_sample, simple_pdf, text_pdf

WANLI = corpora.path("samples", "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf")
FINANCE = corpora.path("samples", "budget2025_shanghai_putuo_finance_bureau_dept.pdf")


def doc_of(path: Path) -> Document:
    return read_sample(path.name)


def test_pages_are_ranges_joined_by_separator() -> None:
    doc = doc_of(WANLI)
    assert doc.format == "pdf" and len(doc.pages) == 35
    assert [p.number for p in doc.pages] == list(range(1, 36))
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert doc.text[a.end:b.start] == PAGE_SEPARATOR
    assert doc.title == "上海市普陀区2023年区级部门预算"
    assert doc.page_at(doc.text.index("财政项目支出绩效目标填报表")) >= 31


def test_passages_carry_their_page() -> None:
    doc = doc_of(FINANCE)
    for p in doc.passages:
        page = doc.pages[p.page - 1]
        assert page.start <= p.start < p.end <= page.end
    # a paragraph wrapped over two PDF lines is one passage
    joined = [doc.passage_text(p) for p in doc.passages if "年度基\n本支出计划" in doc.passage_text(p)]
    assert len(joined) == 1 and joined[0].startswith("（一）基本支出预算")


def test_dedupe_chars_removes_doubled_glyphs() -> None:
    doc = doc_of(FINANCE)
    assert "上海市普陀区财政局" in doc.text
    assert "上上海海" not in doc.text


def test_budget_tables_have_captions_with_unit() -> None:
    doc = doc_of(FINANCE)
    income = [t for t in doc.tables if "收入预算总表" in t.caption]
    assert income, [t.caption for t in doc.tables]
    t = income[0]
    assert "单位：元" in t.caption
    assert any(r[:4] == ["201", "", "", "一般公共服务支出"] for r in t.rows)
    assert t.start is not None and "一般公共服务支出" in doc.text[t.start:t.end]
    assert doc.page_at(t.start) == t.page
    # every table on a budget page knows its unit, continuation pages included
    assert all("单位" in t.caption for t in doc.tables)


def test_performance_target_tables_rows() -> None:
    """Pages 31-35: wrapped cells joined, merged cells as None, indicator rows intact."""
    doc = doc_of(WANLI)
    perf = [t for t in doc.tables if 31 <= t.page <= 35]
    assert len(perf) >= 5
    for t in perf:
        assert t.rows[0][0] == "财政项目支出绩效目标填报表"
        assert all(c is None or "\n" not in c for r in t.rows for c in r)
        header = next(r for r in t.rows if "三级指标" in r)
        assert "一级指标" in header and "年度(/项目)指标值" in header
    rows = [r for t in perf for r in t.rows]
    flat = [[c for c in r if c] for r in rows]
    assert ["满意度指标", "服务对象满意度指标", "补贴对象满意度", "≥80.00(%)"] in flat
    assert any(r and r[0] == "项目资金（元）" for r in flat)  # "项目资金\n（元）" joined


def test_cell_cleaning() -> None:
    assert clean_cell("服务对象满意\n度指标") == "服务对象满意度指标"
    assert clean_cell("annual\nreport") == "annual report"
    assert clean_cell(None) is None
    rows = clean_rows([["a", None, "b"], [None, None, ""], ["c", None, "d"]])
    assert rows == [["a", "b"], ["c", "d"]]
    assert clean_rows([["a", None, ""], ["b", None, ""]]) == [["a", ""], ["b", ""]]


@pytest.mark.parametrize("text,flag", [
    ("(cid:12)(cid:13)(cid:14) (cid:99)\n(cid:3)", "cid-garbage"),
    ("预算(cid:1)(cid:2)(cid:3)(cid:4)", "cid-garbage"),
    ("\ue000\ue001\ue002\ue003 \ue004", "private-use"),
    ("   \n ", "no-text"),
    ("2023年部门预算(cid:3)说明，收入增加。", None),
    ("上海市普陀区财政局\ue000", None),
])
def test_garbage_detector(text: str, flag: str | None) -> None:
    assert garbage_flag(text) == flag


def test_generated_pdf_reads() -> None:
    doc = read_bytes(simple_pdf(), "hello.pdf")
    assert doc.text == "Hello PolicyLens" and doc.title == "Hello PolicyLens"
    assert doc.pages[0].flag is None and doc.passages[0].page == 1


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    f = tmp_path / "cut.pdf"
    f.write_bytes(FINANCE.read_bytes()[:60000])
    with pytest.raises(IngestError, match="cut.pdf.*corrupt PDF"):
        read(f)


def test_encrypted_pdf_is_reported_as_such(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    f.write_bytes(encrypted_pdf())
    with pytest.raises(IngestError, match="locked.pdf.*encrypted"):
        read(f)


def test_cid_garbage_page_is_flagged_and_not_indexed() -> None:
    doc = read_bytes(pdf_with_garbage_page(), "mixed.pdf")
    good, bad = doc.pages
    assert good.flag is None and doc.text[good.start:good.end] == "Budget report 2023"
    assert bad.flag == "cid-garbage" and bad.start == bad.end  # garbage kept out of the text
    assert "cid" not in doc.text
    assert [p.page for p in doc.passages] == [1]
    assert doc.meta["flagged_pages"] == [2]



def test_paragraph_over_a_page_break_is_one_passage() -> None:
    pdf = text_pdf([
        ["Budget overview", "The district will raise spending on schools and clinics and", "- 1 -"],
        ["will publish the results every quarter.", "A new paragraph starts here and ends.", "- 2 -"],
    ])
    doc = read_bytes(pdf, "two_pages.pdf")
    texts = [(p.page, doc.passage_text(p)) for p in doc.passages]
    assert texts == [
        (1, "Budget overview"),
        (1, "The district will raise spending on schools and clinics and"
            + PAGE_SEPARATOR + "will publish the results every quarter."),
        (2, "A new paragraph starts here and ends."),
    ]
    assert "- 1 -" not in doc.text and "- 2 -" not in doc.text  # page numbers are not text
    assert [doc.text[p.start:p.end] for p in doc.pages][1] == (
        "will publish the results every quarter.\nA new paragraph starts here and ends.")
    assert doc.meta["dropped_lines"] == 2


def test_complete_paragraph_does_not_join_the_next_page() -> None:
    pdf = text_pdf([["The first page ends with a full sentence of its own."],
                    ["The second page starts a new paragraph."]])
    doc = read_bytes(pdf, "p.pdf")
    assert [p.page for p in doc.passages] == [1, 2]


@pytest.mark.parametrize("line,expected", [
    ("- 3 -", True), ("— 12 —", True), ("12", True), ("第3页", True), ("第 3 页 共 24 页", True),
    ("3/24", True), ("Page 7 of 9", True),
    ("2023", False), ("2023年", False), ("一、总体要求", False), ("3.5%", False),
])
def test_page_number_lines(line: str, expected: bool) -> None:
    assert is_page_number(line) is expected


def test_pdf_without_any_readable_page_is_an_error() -> None:
    with pytest.raises(IngestError, match="scan.pdf.*no extractable text.*cid-garbage"):
        read_bytes(pdf_of_garbage_only(), "scan.pdf")


def test_running_headers_and_footers_are_left_out_of_passages() -> None:
    header = "Jiangsu Provincial Finance Department 2023 Budget"
    pages = [[header, f"Section {n} reports spending on item {n}.", "A second full sentence.",
              "Footer line of the budget report", f"- {n} -"] for n in range(1, 5)]
    pages[2].insert(2, "Section 3 reports spending on item 3.")  # repeated once: not running
    # lines that differ only in their numbers are not one running line
    doc = read_bytes(text_pdf(pages), "running.pdf")
    texts = [doc.passage_text(p) for p in doc.passages]
    assert not any(header in t or "Footer line" in t for t in texts), texts
    assert sum(t.count("Section 3 reports") for t in texts) == 2
    assert sorted({p.page for p in doc.passages if "Section" in doc.passage_text(p)}) == [1, 2, 3, 4]
    assert header not in doc.text and "- 1 -" not in doc.text  # left out of the text itself
