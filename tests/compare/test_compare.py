"""Comparison tables on a real SQLite index filled with hand-built analyses
(tests/compare_data.py), through the library, the HTTP route and the CLI."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from openpyxl import load_workbook

from search.backend import Filter, ItemQuery
from search.compare import MISSING_KEY, compare, parse_metrics
from search.filters import FilterError
from search.sqlite import SQLiteBackend
from tests.compare_data import fill
from tests.conftest import run_cli



def values(table, column: str) -> dict:
    return {k: cells[column].value for k, cells in table.rows.items() if column in cells}


MONEY = "money:budgeted"


def test_money_totals_by_org_and_year(backend):
    t = compare(backend, "org", "money")
    # 农业农村局: 1200万元, 其中项目资金300万元 is a part of it, counted once
    assert values(t, MONEY) == {"县教育局": 7e6, "县卫健委": 8e6, "县农业农村局": 1.2e7}
    assert t.ordered_keys() == ["县农业农村局", "县卫健委", "县教育局"]  # largest first
    assert t.rows["县教育局"][MONEY].count == 2
    by_year = compare(backend, "year", "money")
    assert values(by_year, MONEY) == {2022: 1.2e7, 2023: 1.5e7}


def test_money_for_one_measured_noun(backend):
    t = compare(backend, "org", "money", subject="建设资金")
    assert values(t, MONEY) == {"县农业农村局": 1.2e7}
    split = compare(backend, "region", "money_by_subject")
    assert values(split, "money_by_subject:补助资金") == {"甲县": 5e6}
    assert values(split, "money_by_subject:建设资金") == {"乙县": 1.2e7}


def test_counts_shares_levels_projects_self_evaluation(backend):
    t = compare(backend, "org", "all")
    assert values(t, "goals") == {"县教育局": 2, "县卫健委": 2, "县农业农村局": 1}
    assert values(t, "indicators") == {"县教育局": 2, "县卫健委": 2, "县农业农村局": 1}
    assert values(t, "vague_share") == {"县教育局": 0.5, "县卫健委": 0.5, "县农业农村局": 1.0}
    assert values(t, "indicators_level1:产出指标") == {"县教育局": 2, "县卫健委": 1}
    assert values(t, "indicators_level1:满意度指标") == {"县卫健委": 1, "县农业农村局": 1}
    assert values(t, "indicators_level2:数量指标") == {"县教育局": 1}
    # distinct project names over goals and indicators
    assert values(t, "projects") == {"县教育局": 2, "县卫健委": 1}
    # 100 * sum(得分) / sum(分值): (9.5 + 10) / 20 and (8 + 10) / 20
    assert values(t, "self_eval") == {"县教育局": 97.5, "县卫健委": 90.0}


def test_document_filters_restrict_every_measure(backend):
    t = compare(backend, "org", "money,goals", filters=[Filter("year", "eq", 2023)])
    assert set(t.rows) == {"县教育局", "县卫健委"}
    link = urlsplit(t.rows["县教育局"][MONEY].link)
    assert link.path == "/api/figures"
    assert set(parse_qsl(link.query)) == {("year", "2023"), ("kind", "money"), ("org__in", "县教育局"),
                                          ("role", "budgeted"), ("in_total", "true")}


def test_every_cell_links_to_exactly_its_items(backend, client):
    """Following a cell's link through the real item route gives the items the
    number was computed from."""
    t = compare(backend, "org", "money,vague_share")
    for org, cells in t.rows.items():
        money = cells[MONEY]
        res = client.get(money.link)
        assert res.status_code == 200, money.link
        body = res.json()
        assert body["total"] == money.count
        assert sum(i["value"] for i in body["items"]) == pytest.approx(money.value)
        assert {i["kind"] for i in body["items"]} == {"money"}
        vague = cells["vague_share"]
        assert urlsplit(vague.link).path == "/api/goals"
        assert ("vague", "true") in parse_qsl(urlsplit(vague.link).query)
        # the same cell as data: the query re-run on the backend
        q = vague.query
        page = backend.query_items(ItemQuery(type=q["type"],
                                             filters=[Filter(*f) for f in q["filters"]]))
        assert page.total == round(vague.value * cells["vague_share"].count)


def test_items_without_a_group_are_a_labelled_row_without_link(tmp_path):
    from ingest.document import Document, Passage
    from nlp.items import Analysis, DocumentMeta, Figure

    b = SQLiteBackend(tmp_path / "x.sqlite3")
    fill(b)
    text = "某地安排资金100万元。"
    doc = Document(id="f" * 16, source="anon.txt", path="/corpus/anon.txt", format="text",
                   title="", text=text, passages=[Passage(0, 0, len(text))])
    s = text.index("100万元")
    b.add(doc, Analysis(items=[Figure(start=s, end=s + 5, text="100万元", kind="money",
                                      value=1e6, unit="元", role="budgeted", in_total=True)],
                        meta=DocumentMeta()))
    t = compare(b, "org", "money")
    assert t.rows[None][MONEY].value == 1e6 and t.rows[None][MONEY].link is None
    header, rows = t.flat()
    assert rows[-1][0] == MISSING_KEY
    b.close()


def test_bad_grouping_or_metric_is_a_clear_error(backend):
    with pytest.raises(FilterError, match="org"):
        compare(backend, "department")
    with pytest.raises(FilterError, match="nope"):
        parse_metrics("money,nope")
    assert parse_metrics(None) == parse_metrics("") and "money" in parse_metrics(None)
    # the API's pattern allows "all" inside a list: it means every metric there too
    assert parse_metrics("all") == parse_metrics("vague_share, all ,indicators")


def test_api_json_csv_xlsx(client):
    res = client.get("/api/compare", params={"by": "org", "metric": "money,goals"})
    assert res.status_code == 200
    body = res.json()
    assert [c["key"] for c in body["columns"]] == [MONEY, "goals"]
    first = body["rows"][0]
    assert first["key"] == "县农业农村局" and first["cells"][MONEY]["value"] == 1.2e7
    assert first["cells"][MONEY]["link"].startswith("/api/figures?kind=money&role=budgeted&in_total=true&org__in=")

    res = client.get("/api/compare", params={"by": "year", "metric": "money", "format": "csv"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows == [["年度 year", "预算安排（元）money:budgeted"], ["2023", "15000000"],
                    ["2022", "12000000"]]

    res = client.get("/api/compare", params={"by": "org", "metric": "money,vague_share",
                                             "format": "xlsx"})
    assert res.status_code == 200
    ws = load_workbook(io.BytesIO(res.content)).active
    got = [[c.value for c in r] for r in ws.iter_rows()]
    assert got[0] == ["单位 org", "预算安排（元）money:budgeted", "模糊目标占比 vague share"]
    assert got[1] == ["县农业农村局", 12000000, 1]
    assert ws["B2"].hyperlink.target.startswith("http://testserver/api/figures?kind=money")


@pytest.mark.parametrize("params", [{"by": "x; DROP TABLE items"}, {"metric": "sum:value"},
                                    {"format": "pdf"}, {"by": ""}, {"year": "abc"}])
def test_api_bad_parameters_are_4xx_not_500(client, params):
    res = client.get("/api/compare", params=params)
    assert res.status_code in (400, 422), res.text


def test_cli_table_csv_json_and_xlsx_file(data_dir, tmp_path):
    res = run_cli(["compare", "--by", "org", "--metric", "money", "--format", "csv"], data_dir)
    assert res.returncode == 0, res.stderr
    assert list(csv.reader(io.StringIO(res.stdout)))[1] == ["县农业农村局", "12000000"]
    res = run_cli(["compare", "--by", "region", "-m", "goals", "-f", "json"], data_dir)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["key"]: r["cells"]["goals"]["value"] for r in rows} == {"甲县": 4, "乙县": 1}
    out = tmp_path / "cmp.xlsx"
    res = run_cli(["compare", "--by", "org", "-m", "self_eval", "-f", "xlsx", "-o", out], data_dir)
    assert res.returncode == 0, res.stderr
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]] == ["县教育局", 97.5]
    res = run_cli(["compare", "--by", "nothing"], data_dir)
    assert res.returncode == 2 and "nothing" in res.stderr and "Traceback" not in res.stderr


def test_links_of_every_measure_list_the_counted_items(backend, client):
    """For each cell (but projects, which counts names), the linked route's
    total is the number of items behind the cell."""
    t = compare(backend, "org", "all")
    checked = 0
    for org, cells in t.rows.items():
        for key, cell in cells.items():
            if key == "projects" or cell.link is None:
                continue
            res = client.get(cell.link)
            assert res.status_code == 200, (cell.link, res.text)
            expected = round(cell.value * cell.count) if key == "vague_share" else cell.count
            assert res.json()["total"] == expected, cell.link
            checked += 1
    assert checked >= 20


def test_tables_follow_every_change_of_the_store(tmp_path):
    """A comparison is kept between requests, but never past a write: adding a
    document, then deleting it, changes the table each time, also when the
    write comes through a second connection to the same file (another process)."""
    from ingest.document import Document, Passage
    from nlp.items import Analysis, DocumentMeta, Figure

    path = tmp_path / "x.sqlite3"
    b = SQLiteBackend(path)
    fill(b)
    before = compare(b, "org", "money").to_json()
    assert compare(b, "org", "money").to_json() == before
    text = "某地安排资金100万元。"
    doc = Document(id="e" * 16, source="late.txt", path="/corpus/late.txt", format="text",
                   title="", text=text, passages=[Passage(0, 0, len(text))])
    s = text.index("100万元")
    other = SQLiteBackend(path)  # the writer is another connection, as a CLI ingest is
    other.add(doc, Analysis(items=[Figure(start=s, end=s + 5, text="100万元", kind="money",
                                          value=1e6, unit="元", role="budgeted", in_total=True)],
                            meta=DocumentMeta(org="新来的单位")))
    t = compare(b, "org", "money")
    assert t.rows["新来的单位"][MONEY].value == 1e6
    other.delete_document(doc.id)
    assert compare(b, "org", "money").to_json() == before
    other.close()
    b.close()


def test_measure_names_come_from_one_vocabulary(client):
    """corpora/compare/measures.tsv names every measure and money column: the API
    label (bilingual, with the unit) and the page's Chinese header come from it,
    and so do the page's measure check boxes (api.labels.MEASURES)."""
    from api.labels import MEASURES
    from search.compare import METRICS, MONEY_ROLES, column_names, measure_names

    names = measure_names()
    assert set(METRICS) <= set(names) and all(f"money:{r}" in names for r in MONEY_ROLES)
    assert MEASURES == {k: names[k][0] for k in METRICS}
    body = client.get("/api/compare", params={"by": "org", "metric": "money,goals"}).json()
    assert [(c["label"], c["name"]) for c in body["columns"]] == [
        column_names(MONEY), column_names("goals")] == [
        ("预算安排（元）money:budgeted", "预算安排"), ("目标数 goals", "目标数")]
    page = client.get("/compare", params={"by": "org", "metric": "money,goals"}).text
    assert ">预算安排<" in page.replace(" ", "") or "预算安排</" in page
    assert "money:budgeted</" not in page  # no code in the page's headers
