"""A one-column ruled table in a real PDF made in the test is a table: its text is
in the document once, inside the table's range, and the indicator reader warns
that it has only one column ("只有一列"), as it does for an .xlsx, a .docx and an
.xls. A page frame, a text box holding a paragraph and lines on white background
rectangles are boxes the table finder also sees as one-column rows: they stay
prose, with no table and no warning."""
from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from cjk_pdf import cjk_pdf, table_page, text_ops
from ingest import pdf as pdf_reader
from ingest.document import Document
from nlp import indicators

CAPTION = (40, 570, "项目绩效目标表")
NAMES = ["三级指标", "购置设备数量", "培训合格率"]
PLUMBER = replace(pdf_reader.DEFAULT_SETTINGS, pdfium_tables=False)


def _column_of_lines() -> bytes:
    """Two vertical and four horizontal stroked lines: the test tables' usual drawing."""
    return table_page([CAPTION], [[[n]] for n in NAMES], top=550, widths=[200])


def _rectangle_and_rules() -> bytes:
    """One stroked rectangle with two horizontal rules inside it (no vertical line at all)."""
    ops = [b"0.5 w", b"40 460 200 90 re S", b"40 520 m 240 520 l S", b"40 490 m 240 490 l S"]
    ops += text_ops([CAPTION] + [(43, 538 - 30 * i, n) for i, n in enumerate(NAMES)])
    return b"\n".join(ops)


def _thin_bars() -> bytes:
    """Borders drawn as thin filled bars, as word processors export table borders."""
    ops = [b"0 g"]
    ops += [b"40 %d 200 0.5 re f" % y for y in (550, 520, 490, 460)]
    ops += [b"%d 460 0.5 90 re f" % x for x in (40, 240)]
    ops += text_ops([CAPTION] + [(43, 538 - 30 * i, n) for i, n in enumerate(NAMES)])
    return b"\n".join(ops)


def _read(page: bytes, settings: pdf_reader.PdfSettings = pdf_reader.DEFAULT_SETTINGS) -> Document:
    return pdf_reader.read(cjk_pdf([page]), "one.pdf", "one.pdf", "d", settings)


@pytest.mark.parametrize("draw", [_column_of_lines, _rectangle_and_rules, _thin_bars],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_one_column_ruled_box_is_a_table_read_once_with_a_warning(draw) -> None:  # type: ignore[no-untyped-def]
    doc = _read(draw())
    assert [t.rows for t in doc.tables] == [[[n] for n in NAMES]]
    table = doc.tables[0]
    assert table.caption == "项目绩效目标表"
    assert table.start is not None and table.end is not None
    for name in NAMES:  # once in the text, inside the table's range, and in a passage
        assert doc.text.count(name) == 1
        assert table.start <= doc.text.index(name) < table.end
        assert sum(doc.text[p.start:p.end].count(name) for p in doc.passages) == 1
    indicators.extract(None, doc)  # type: ignore[arg-type]
    assert "第1页表格只有一列，未读取指标" in doc.meta["warnings"]


@pytest.mark.parametrize("draw", [_column_of_lines, _rectangle_and_rules, _thin_bars],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_one_column_table_reads_the_same_when_pdfplumber_parses_the_page(draw) -> None:  # type: ignore[no-untyped-def]
    fast, slow = _read(draw()), _read(draw(), PLUMBER)
    assert slow.meta["pdfplumber_pages"] == [1] and fast.meta["pdfplumber_pages"] == []
    assert fast.text == slow.text and fast.passages == slow.passages
    assert [asdict(t) for t in fast.tables] == [asdict(t) for t in slow.tables] and slow.tables


PROSE = ["第一段正文，说明本年度的主要工作安排。", "第二段正文，列出完成的各项任务情况。", "第三段正文，总结经验并提出下一步打算。"]


def _page_frame() -> bytes:
    """A frame round the page with a rule under the title: two ruled rows, the page's frame."""
    ops = [b"0.5 w", b"20 20 802 555 re S", b"20 540 m 822 540 l S"]
    ops += text_ops([(40, 550, "关于年度工作的报告")] + [(40, 510 - 20 * i, s) for i, s in enumerate(PROSE)])
    return b"\n".join(ops)


def _text_box() -> bytes:
    """A box with a title row and a paragraph row: a text box, not a one-column table."""
    long_lines = [PROSE[i % 3] * 2 for i in range(6)]  # 6 lines of 38 characters: a paragraph
    ops = [b"0.5 w", b"40 300 400 250 re S", b"40 520 m 440 520 l S"]
    ops += text_ops([(43, 530, "专栏一 年度重点任务")] + [(43, 505 - 15 * i, s) for i, s in enumerate(long_lines)])
    return b"\n".join(ops)


def _white_backgrounds() -> bytes:
    """Each prose line on a white filled rectangle, as some producers write a page: the
    finder sees ruled rows, but nothing is drawn between them."""
    ops = [b"1 g"] + [b"74 %d 444 27 re f" % (500 - 27 * i) for i in range(len(PROSE))] + [b"0 g"]
    ops += text_ops([(76, 508 - 27 * i, s) for i, s in enumerate(PROSE)])
    return b"\n".join(ops)


@pytest.mark.parametrize("draw", [_page_frame, _text_box, _white_backgrounds], ids=lambda f: f.__name__.strip("_"))
def test_a_frame_a_text_box_and_white_backgrounds_are_not_tables(draw) -> None:  # type: ignore[no-untyped-def]
    page = draw()
    doc = _read(page)
    assert doc.tables == []
    for line in PROSE:
        assert doc.text.count(line) >= 1
    assert doc.text.count(PROSE[0]) == _read(page, PLUMBER).text.count(PROSE[0])
    indicators.extract(None, doc)  # type: ignore[arg-type]
    assert not any("只有一列" in w for w in doc.meta.get("warnings", []))


def test_the_negative_cases_are_boxes_the_table_finder_does_find() -> None:
    """Without the checks these boxes would be one-column tables: the test above can fail."""
    from pdfplumber.table import TableFinder, TableSettings

    for draw in (_page_frame, _text_box, _white_backgrounds):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(cjk_pdf([draw()]))
        objects = pdf_reader._pdfium_objects(pdf[0], 1, pdf_reader.DEFAULT_SETTINGS)
        pdf.close()
        assert objects is not None
        found = TableFinder(objects, TableSettings.resolve({})).tables
        rows = [pdf_reader.clean_rows(pdf_reader._extract(t, objects)) for t in found]
        assert any(len(r) >= 2 and max(len(c) for c in r) == 1 for r in rows), draw.__name__
