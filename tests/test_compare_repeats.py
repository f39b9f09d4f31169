"""The same money published twice counts once in a comparison: a department's
budget as the full report and as its tables alone (a real PDF and a tables-only
PDF cut from it in the test, both through the real reader, pipeline and SQLite
store), and a copy of a work report; separate statements still add up."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

import corpora
from ingest.document import Document, Passage
from ingest.readers import read, read_bytes
from nlp.figures import extract
from nlp.items import Analysis, DocumentMeta
from nlp.pipeline import analyse
from search.backend import Filter, ItemQuery
from search.compare import compare, repeated_documents
from search.sqlite import SQLiteBackend

BUDGET = Path(corpora.path("samples")) / "budget2025_shanghai_putuo_finance_bureau_dept.pdf"
TABLE_PAGES_FROM = 8  # pages 9-24 of the report: its tables (收支总表 ...)


def _tables_only() -> bytes:
    """The report's table pages as a PDF of their own, as departments publish them."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(BUDGET))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, list(range(TABLE_PAGES_FROM, len(src))))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def two_pdfs(tmp_path_factory):
    b = SQLiteBackend(tmp_path_factory.mktemp("repeats") / "x.sqlite3")
    docs = [read(BUDGET), read_bytes(_tables_only(), "budget2025_finance_bureau_tables.pdf")]
    for document in docs:
        b.add(document, analyse(document))
    yield b, docs
    b.close()


def _counted(b: SQLiteBackend, doc_id: str, role: str) -> float:
    page = b.query_items(ItemQuery(type="figure", limit=200, filters=[
        Filter("doc_id", "eq", doc_id), Filter("kind", "eq", "money"), Filter("role", "eq", role),
        Filter("in_total", "eq", True)]))
    return sum(i["value"] for i in page.items)


def test_a_budget_published_as_two_pdfs_counts_once(two_pdfs) -> None:
    b, (full, tables) = two_pdfs
    metas = [b.get_document(d.id) for d in (full, tables)]
    assert {(m["org"], m["year"], m["doc_type"]) for m in metas} == {("上海市普陀区财政局", 2025, "budget")}
    each = [_counted(b, d.id, "budgeted") for d in (full, tables)]
    assert each[0] > 0 and each[1] > 0  # each PDF alone states the budget
    assert repeated_documents(b) == [tables.id]  # the fuller report (more items) is kept
    row = compare(b, "org", "money").rows["上海市普陀区财政局"]
    cell = row["money:budgeted"]
    assert cell.value == pytest.approx(each[0])  # once, not each[0] + each[1]
    # the cell's query lists exactly the figures behind it, all of the kept PDF
    page = b.query_items(ItemQuery(type="figure", limit=200,
                                   filters=[Filter(*f) for f in cell.query["filters"]]))
    assert page.total == cell.count and {i["doc_id"] for i in page.items} == {full.id}
    assert sum(i["value"] for i in page.items) == pytest.approx(cell.value)
    # grouped by document, each PDF is its own row with its own total
    by_doc = compare(b, "doc", "money").rows
    assert len(by_doc) == 2


def test_the_cell_link_works_in_the_api(two_pdfs) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    b, (full, _tables) = two_pdfs
    cell = compare(b, "org", "money").rows["上海市普陀区财政局"]["money:budgeted"]
    with TestClient(create_app(backend=b)) as client:
        res = client.get(cell.link)
        assert res.status_code == 200
        items = res.json()["items"]
        assert len(items) == cell.count and {i["doc_id"] for i in items} == {full.id}


def _report(name: str, text: str) -> tuple[Document, Analysis]:
    document = Document(id=name[:16].ljust(16, "0"), source=name, path=name, format="text",
                        title="政府工作报告", text=text, passages=[Passage(0, 0, len(text))])
    meta = DocumentMeta(org="某市人民政府", year=2025, doc_type="work_report")
    return document, Analysis(items=extract(None, document), meta=meta)


def test_a_copy_of_a_work_report_counts_once_separate_reports_add(tmp_path) -> None:
    b = SQLiteBackend(tmp_path / "x.sqlite3")
    text = "一般公共预算收入300亿元。完成铁路投资80亿元。"
    for name, body in (("report.txt", text), ("report_copy.txt", text),
                       ("report_other.txt", "一般公共预算收入310亿元。")):
        b.add(*_report(name, body))
    row = compare(b, "org", "money").rows["某市人民政府"]
    # the copy (same org, year, type and totals) is left out; the other statement adds
    assert row["money:revenue"].value == pytest.approx(6.1e10)
    assert row["money:investment"].value == pytest.approx(8e9)
    b.close()


def test_a_unit_budget_under_the_departments_name_counts_once(tmp_path) -> None:
    b = SQLiteBackend(tmp_path / "x.sqlite3")
    text = "2025年，某办公室收入预算9,101.68万元。支出预算9,101.68万元。收支预算总计9,101.68万元。"
    for name, doc_type, extra in (("dept.txt", "budget", "部门预算说明。"), ("unit.txt", "unit_budget", "")):
        document, analysis = _report(name, text + extra)
        analysis.meta = DocumentMeta(org="某办公室", year=2025, doc_type=doc_type)
        b.add(document, analysis)
    row = compare(b, "org", "money").rows["某办公室"]
    assert row["money:revenue"].value == pytest.approx(91016800) and row["money:revenue"].count == 1
    b.close()


def _copies(b: SQLiteBackend, n: int) -> None:
    """``n`` copies of one work report (same org, year, type and totals), each its own file."""
    text = "一般公共预算收入300亿元。"
    for k in range(n):
        b.add(*_report(f"copy{k:04d}.txt", text))


def test_a_cell_link_stays_short_and_its_page_lists_the_cell_however_many_copies(tmp_path) -> None:
    """300 copies of a report: the cell counts one figure. Its link names the left-out
    documents by ``once=org`` (the route works them out again), not by one ``doc_id__ne``
    each: 299 of those made an 8.5 KB link, past the 8 KB servers and proxies accept, and
    the item page, which keeps one value per parameter, listed 299 of the copies."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.routes.item_pages import page_link

    b = SQLiteBackend(tmp_path / "x.sqlite3")
    _copies(b, 300)
    cell = compare(b, "org", "money").rows["某市人民政府"]["money:revenue"]
    assert (cell.value, cell.count) == (pytest.approx(3e10), 1)
    assert len(cell.link) < 300 and "once=org" in cell.link and "doc_id" not in cell.link
    assert len(cell.query["filters"]) == 299 + 4  # the query as data stays exact: every left-out id
    with TestClient(create_app(backend=b)) as client:
        api = client.get(cell.link)
        assert api.status_code == 200 and api.json()["total"] == 1
        assert [i["doc"] for i in api.json()["items"]] == ["copy0000.txt"]
        page = client.get(page_link(cell.link))
        assert page.status_code == 200 and '<strong id="total">1</strong>' in page.text
        assert "重复发布的账目只计一次" in page.text  # the chip says what once=org does
        csv_rows = client.get(cell.link.replace("/api/figures?", "/api/figures.csv?")).text.splitlines()
        assert len(csv_rows) == 2  # header and the one figure
        assert client.get("/api/figures?once=nonsense").status_code == 400
    b.close()


def test_once_leaves_out_what_the_comparison_left_out_when_the_row_splits_a_repeat(tmp_path) -> None:
    """A copy filed under another region: grouped by region, the copy's row still leaves
    it out (the comparison looks for repeats over its own filters, not within one row),
    and so does the cell's link, which drops its row's region filter before looking."""
    b = SQLiteBackend(tmp_path / "x.sqlite3")
    text = "一般公共预算收入300亿元。"
    for name, region, body in (("a.txt", "甲县", text), ("b_copy.txt", "乙县", text),
                               ("c_other.txt", "乙县", "一般公共预算收入20亿元。")):
        document, analysis = _report(name, body)
        analysis.meta.region = region
        if name == "c_other.txt":
            analysis.meta.org = "乙县人民政府"
        b.add(document, analysis)
    rows = compare(b, "region", "money").rows
    assert rows["甲县"]["money:revenue"].value == pytest.approx(3e10)
    cell = rows["乙县"]["money:revenue"]
    assert (cell.value, cell.count) == (pytest.approx(2e9), 1)  # the copy is left out of 乙县 too
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(backend=b)) as client:
        items = client.get(cell.link).json()["items"]
    assert [i["doc"] for i in items] == ["c_other.txt"]
    b.close()


def test_a_cell_link_carries_the_place_filter_as_written_not_every_place_it_stands_for(tmp_path) -> None:
    """Compare the years of 某市's 80 offices: the cells' links say org=某市 and the item
    routes resolve it again, as the comparison did. They listed all 80 office names
    (org__in: a 4,786-character link), which the item page cut at 200 characters: it
    showed the items of 22 offices, under a cell counting 80."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.routes.item_pages import page_link

    b = SQLiteBackend(tmp_path / "x.sqlite3")
    for k in range(80):
        document, analysis = _report(f"office{k:02d}.txt", f"一般公共预算收入{k + 1}亿元。")
        analysis.meta.org = f"某市第{k:02d}办公室"
        b.add(document, analysis)
    with TestClient(create_app(backend=b)) as client:
        res = client.get("/api/compare", params={"by": "year", "metric": "money", "org": "某市"})
        cell = res.json()["rows"][0]["cells"]["money:revenue"]
        assert cell["count"] == 80 and cell["value"] == pytest.approx(sum(range(1, 81)) * 1e8)
        assert "org=%E6%9F%90%E5%B8%82&" in cell["link"] and "org__in" not in cell["link"]
        assert len(cell["link"]) < 300
        assert client.get(cell["link"]).json()["total"] == 80
        page = client.get(page_link(cell["link"]))
        assert '<strong id="total">80</strong>' in page.text
        # without the offices below it, the link says so too
        res = client.get("/api/compare", params={"by": "year", "metric": "money", "org": "某市第07办公室",
                                                 "include_children": "false"})
        cell = res.json()["rows"][0]["cells"]["money:revenue"]
        assert "include_children=false" in cell["link"]
        assert cell["count"] == client.get(cell["link"]).json()["total"] == 1
    b.close()


def test_a_comparison_over_more_than_a_thousand_repeats_is_answered(tmp_path) -> None:
    """1,100 copies of a report: the totals leave out 1,099 documents, one ``doc_id ne``
    filter each. SQLite refused that chain of ``!=`` ("Expression tree is too large
    (maximum depth 1000)"); the store now asks one ``NOT IN``. The engine's side
    (1,024 clauses at most) is in tests/test_elastic_integration.py."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    b = SQLiteBackend(tmp_path / "x.sqlite3")
    _copies(b, 1100)
    cell = compare(b, "org", "money").rows["某市人民政府"]["money:revenue"]
    assert (cell.value, cell.count) == (pytest.approx(3e10), 1)
    with TestClient(create_app(backend=b)) as client:
        assert client.get(cell.link).json()["total"] == 1
    b.close()


def test_a_cell_link_asks_for_the_repeats_over_the_comparisons_own_filters(tmp_path, monkeypatch) -> None:
    """Compare years under org=某市 (resolved on the map), then follow a money cell:
    the route rebuilds the same filters from the link (the row's own filter aside),
    so it asks for the repeated documents of the same scope, answered from the cache."""
    from fastapi.testclient import TestClient

    import search.compare as compare_mod
    from api.app import create_app

    b = SQLiteBackend(tmp_path / "x.sqlite3")
    _copies(b, 3)
    asked: list[str] = []
    real = compare_mod.repeated_documents
    monkeypatch.setattr(compare_mod, "repeated_documents",
                        lambda backend, filters=None: asked.append(repr(filters)) or real(backend, filters))
    with TestClient(create_app(backend=b)) as client:
        res = client.get("/api/compare", params={"by": "year", "metric": "money", "org": "某市"})
        cell = res.json()["rows"][0]["cells"]["money:revenue"]
        assert "once=year" in cell["link"] and cell["count"] == 1
        assert client.get(cell["link"]).json()["total"] == 1
    assert asked == ["[Filter(field='org', op='in', value=['某市人民政府'])]"]
    b.close()
