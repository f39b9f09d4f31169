"""Every CSV export neutralises cells a spreadsheet would run as a formula.

A real text file and a real .docx (made here) whose goals, figure sentences and
indicator names start with ``=``, ``@``, ``+`` or ``-`` are analysed into a temp
SQLite store; the item exports, the comparison export and the CLI's ``--csv``
must then carry no text cell starting with a formula character.
"""
from __future__ import annotations

import csv
import io

import docx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.render import csv_lines
from ingest.readers import read
from search.export import neutralise, to_csv
from search.indexing import store_document
from search.sqlite import SQLiteBackend

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_TEXT = (
    '=HYPERLINK("http://evil.example","点击")乐陵市财政局2019年部门预算绩效目标表\n'
    "@SUM(A1)项目名称：农村公路养护\n"
    "+1+2年度目标：=1+1完成农村公路养护里程不低于300公里，资金使用率达到95%以上。\n"
    "-2+3全年安排资金500万元，比上年增长10%。\n")
INDICATORS = [["一级指标", "二级指标", "三级指标", "指标值"],
              ["产出指标", "数量指标", '=HYPERLINK("x")养护里程', "≥300公里"],
              ["产出指标", "质量指标", "@养护合格率", "≥95%"],
              ["效益指标", "社会效益指标", "+群众满意度", "≥90%"]]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    word = docx.Document()
    word.add_paragraph("乐陵市财政局2019年部门项目绩效目标表")
    table = word.add_table(rows=len(INDICATORS), cols=4)
    for r, row in enumerate(INDICATORS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    word.save(folder / "hostile.docx")
    store = SQLiteBackend(folder / "store.sqlite3")
    for name in ("hostile.txt", "hostile.docx"):
        store_document(read(folder / name), store)
    yield TestClient(create_app(backend=store))
    store.close()


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def dangerous(values: list[str]) -> list[str]:
    """Text cells a spreadsheet would run (numbers such as -3 are numbers, not formulas)."""
    def number(v: str) -> bool:
        try:
            float(v)
            return True
        except ValueError:
            return False
    return [v for v in values if v.startswith(FORMULA_START) and not number(v)]


@pytest.mark.parametrize("route,expected", [
    ("/api/figures.csv", "'-2+3全年安排资金500万元"),
    ("/api/goals.csv", "'=1+1完成农村公路养护里程不低于300公里"),
    ("/api/indicators.csv", "'=HYPERLINK(\"x\")养护里程"),
])
def test_item_exports_neutralise_formulas(client, route, expected):
    r = client.get(route)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    values = cells(r.text)
    assert any(v.startswith(expected) for v in values), values
    assert dangerous(values) == []


def test_comparison_export_neutralises_formulas(client):
    r = client.get("/api/compare", params={"by": "org", "format": "csv"})
    assert r.status_code == 200
    assert dangerous(cells(r.text)) == []


def test_one_helper_for_every_cell_start():
    for start in FORMULA_START:
        assert neutralise(start) == "'" + start
        assert neutralise(start + "1+1") == "'" + start + "1+1"
    assert neutralise("乐陵市") == "乐陵市" and neutralise("") == ""
    rows = [{"a": "=1+1", "b": -3, "c": "@x", "d": "\tx", "e": "\rx", "f": 2.5}]
    assert cells("".join(csv_lines(rows)))[6:] == ["'=1+1", "-3", "'@x", "'\tx", "'\rx", "2.5"]
    assert cells(to_csv(["a", "b"], [["+x", -3]]))[2:] == ["'+x", "-3"]
