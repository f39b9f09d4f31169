"""The shared output helpers in api/render.py (pure functions, no store)."""
from __future__ import annotations

import io
import json
import re

from hypothesis import given, strategies as st

from api.render import (annotate_html, csv_lines, emit, filters_from_params, highlight_html,
                        item_query_from_params)
from search.backend import MAX_LIMIT, Filter


def _strip_tags(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def test_highlight_html_escapes_and_marks():
    out = str(highlight_html("a<b>预算&c", [(4, 6), (5, 7), (100, 200)]))
    assert out == "a&lt;b&gt;<mark>预算&amp;</mark>c"


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)),
                                      max_size=6))
def test_highlight_html_keeps_the_text(text, spans):
    out = str(highlight_html(text, spans))
    assert _strip_tags(out) == text
    assert out.count("<mark>") == out.count("</mark>")


def _items(spans):
    types = ["goal", "figure", "indicator", "org", "match"]
    return [{"type": types[i % len(types)], "start": s, "end": e} for i, (s, e) in enumerate(spans)]


@given(st.text(alphabet="预算<>&\"'ab 。", max_size=50),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8),
       st.integers(0, 10))
def test_annotate_html_is_well_formed_and_keeps_the_text(text, spans, base):
    spans = [(s + base, e + base) for s, e in spans]
    out = str(annotate_html(text, base, _items(spans)))
    assert _strip_tags(out) == text
    depth = 0
    for tag in re.findall(r"</?span", out):
        depth += -1 if tag.startswith("</") else 1
        assert depth >= 0
    assert depth == 0


def test_annotate_html_nests_figure_inside_goal():
    text = "力争全年节约资金300万元。"
    items = [{"type": "goal", "start": 0, "end": 13, "vague": False},
             {"type": "figure", "start": 8, "end": 13, "kind": "money", "value": 3e6}]
    out = str(annotate_html(text, 0, items))
    assert out.startswith('<span class="it-goal it-concrete"')
    assert '<span class="it-figure" data-type="figure" title="figure · kind=money · value=3000000">300万元</span></span>' in out


def test_annotate_html_filters_types():
    out = str(annotate_html("abc", 0, [{"type": "figure", "start": 0, "end": 1}], types={"goal"}))
    assert out == "abc"


def test_filters_and_item_query_from_params():
    params = {"kind": "money", "min": "1e8", "region": "烟台市", "vague": "true",
              "level1__in": "产出指标,效益指标", "name__contains": "率", "limit": "9", "year": ""}
    fs = filters_from_params(params)
    assert Filter("kind", "eq", "money") in fs
    assert Filter("value", "gte", 1e8) in fs
    assert Filter("vague", "eq", True) in fs
    assert Filter("level1", "in", ["产出指标", "效益指标"]) in fs
    assert Filter("name", "contains", "率") in fs
    assert not any(f.field in ("limit", "year") for f in fs)
    q = item_query_from_params("figure", params, limit=10_000, offset=-4, sort="-value")
    assert q.type == "figure" and q.limit == MAX_LIMIT and q.offset == 0 and q.sort == "-value"


def test_emit_json_csv_table():
    rows = [{"a": 1, "b": "预算"}, {"a": 2.0, "c": [1, 2]}]
    buf = io.StringIO()
    emit(rows, "json", file=buf)
    assert [json.loads(x) for x in buf.getvalue().splitlines()] == rows
    assert "".join(csv_lines(rows)).splitlines() == ["a,b,c", "1,预算,", '2,,"[1, 2]"']
    buf = io.StringIO()
    emit([{"name": "items[figure]"}], "table", file=buf)
    assert "items[figure]" in buf.getvalue()  # brackets are not read as markup


def test_csv_response_streams_bom_and_header():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.render import csv_response

    app = FastAPI()

    @app.get("/x.csv")
    def x():
        return csv_response(iter([{"名称": "预算", "值": 1.0}, {"名称": 'a,"b"', "值": None}]),
                            "数字.csv", columns=["名称", "值"])

    r = TestClient(app).get("/x.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''%E6%95%B0%E5%AD%97.csv" in r.headers["content-disposition"]
    assert r.content.startswith("\ufeff".encode("utf-8"))
    assert r.content.decode("utf-8-sig").splitlines() == ["名称,值", "预算,1", '"a,""b""",']
