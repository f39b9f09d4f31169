"""The item and comparison pages over the session's samples index (a real SQLite
file made by ``policylens ingest``): what a reporter or reviewer sees, the links
they follow (comparison cell -> items -> passage), and bad input as a message."""
from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.item_pages import format_value, page_link


@pytest.fixture(scope="module")
def client(samples_store):
    with TestClient(create_app(backend=samples_store)) as c:
        yield c


def total(page: str) -> int:
    return int(re.search(r'id="total">(\d+)<', page).group(1))


def source_links(page: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(r'<a class="source" href="([^"]+)"', page)]


def cells(page: str) -> list[tuple[str, int, str]]:
    """(link, items behind it, shown value) of each linked comparison cell."""
    table = page[page.index('id="compare"'):]
    return [(html.unescape(u), int(n), v) for u, n, v in
            re.findall(r'<a href="([^"]+)" title="基于 (\d+) 条[^"]*">([^<]+)</a>', table)]


def test_format_value():
    assert format_value(2731804800.0) == "2,731,804,800"
    assert format_value(6.5) == "6.5" and format_value(0.1 + 0.2) == "0.3"
    assert format_value(True) == "是" and format_value(None) == ""
    assert format_value(["无量化指标", "无完成时限"]) == "无量化指标；无完成时限"
    assert format_value([{"rule": "r", "message": "缺少目标值"}]) == "缺少目标值"


def test_page_link_maps_item_routes_only():
    assert page_link("/api/goals?org=X&vague=true") == "/items/goal?org=X&vague=true"
    assert page_link("/api/figures") == "/items/figure"
    assert page_link("/api/figuresx?a=1") == "/api/figuresx?a=1"
    assert page_link(None) is None


def test_money_figures_with_an_amount_bound(client):
    page = client.get("/items/figure", params={"kind": "money", "min": "1亿元", "sort": "-value",
                                               "region": "乐陵市"})
    assert page.status_code == 200
    text = page.text
    values = [float(v.replace(",", "")) for v in re.findall(r'<td class="num value"[^>]*>([\d,.]+)</td>', text)]
    assert values and values == sorted(values, reverse=True) and min(values) >= 1e8
    assert "2,731,804,800" in text  # 273180.48万元, normalised, with separators
    assert total(text) == client.get("/api/figures", params={"kind": "money", "min": 1e8,
                                                             "region": "乐陵市"}).json()["total"]
    # the export link exports what the page shows
    csv_link = html.unescape(re.search(r'<a href="([^"]+)" id="csv"', text).group(1))
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).content.decode("utf-8-sig"))))
    assert len(rows) == total(text) and all(float(r["value"]) >= 1e8 for r in rows)


def test_every_item_row_links_to_the_passage_that_holds_it(client):
    page = client.get("/items/figure", params={"kind": "money", "region": "烟台市"}).text
    links = source_links(page)
    assert links
    for link in links[:5]:
        doc_url, _, anchor = link.partition("#")
        doc_page = client.get(doc_url).text
        # the passage the link leads to is the marked one, and the item is marked in it
        passage = re.search(rf'<p class="para current" id="{anchor}">(.*?)</p>', doc_page, re.S)
        assert passage and "it-figure" in passage.group(1) and "it-here" in passage.group(1)


def test_vague_goals_show_their_reasons(client):
    text = client.get("/items/goal", params={"vague": "true"}).text
    assert total(text) > 0
    assert text.count('<tr class="vague">') == min(total(text), 50)
    assert "无量化指标" in text or "无完成时限" in text


def test_paging_walks_the_list(client):
    first = client.get("/items/figure", params={"sort": "-value"}).text
    assert total(first) > 50 and 'rel="next"' in first and 'rel="prev"' not in first
    nxt = html.unescape(re.search(r'<a href="([^"]+)" rel="next"', first).group(1))
    second = client.get(nxt).text
    assert "（第 51–" in second and 'rel="prev"' in second
    api = client.get("/api/figures", params={"sort": "-value", "limit": 50, "offset": 50}).json()
    # each source link is the item's passage, with the item's span to mark there
    assert [re.sub(r"\?[^#]*", "", u) for u in source_links(second)] == [i["link"] for i in api["items"]]
    assert [re.search(r"mark=(\d+)-(\d+)", u).groups() for u in source_links(second)] == [
        (str(i["start"]), str(i["end"])) for i in api["items"]]


@pytest.mark.parametrize("params,needle", [
    ({"min": "很多"}, "很多"), ({"sort": "bogus"}, "bogus"), ({"value__gt": "x"}, "x")])
def test_bad_filters_are_a_message_not_an_error_page(client, params, needle):
    r = client.get("/items/figure", params=params)
    assert r.status_code == 200
    error = re.search(r'<p class="error">([^<]*)</p>', r.text)
    assert error and needle in html.unescape(error.group(1))


def test_unknown_item_type_is_a_404_page(client):
    r = client.get("/items/widget")
    assert r.status_code == 404 and "widget" in r.text


def test_markup_in_filters_is_shown_as_text(client):
    r = client.get("/items/goal", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200 and "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text


def test_comparison_cells_lead_to_the_items_behind_them(client):
    page = client.get("/compare", params={"by": "org", "metric": ["money", "goals"]})
    assert page.status_code == 200
    found = cells(page.text)
    assert len(found) >= 4
    for link, count, shown in found:
        assert link.startswith("/items/")
        assert total(client.get(link).text) == count, (link, shown)
    downloads = re.findall(r'<a href="(/api/compare[^"]+)">导出 (CSV|XLSX)', page.text)
    assert {fmt for _, fmt in downloads} == {"CSV", "XLSX"}
    xlsx = client.get(html.unescape(dict((f, u) for u, f in downloads)["XLSX"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_vague_share_is_a_percentage_linking_to_the_vague_goals(client):
    page = client.get("/compare", params={"by": "org", "metric": "vague_share"}).text
    found = cells(page)
    assert found
    for link, goals, shown in found:
        # the share with the counts it is made of: 79.7%（3,885/4,875）
        m = re.fullmatch(r"([\d.]+)%（([\d,]+)/([\d,]+)）", shown)
        assert m, shown
        share, n_vague, n_goals = float(m[1]) / 100, int(m[2].replace(",", "")), int(m[3].replace(",", ""))
        vague = total(client.get(link).text)
        assert n_goals == goals and vague == n_vague
        assert "vague=true" in link and abs(vague - share * goals) <= 0.5 + goals * 0.0005


def test_bad_comparison_input_is_a_message(client):
    r = client.get("/compare", params={"by": "colour", "year": "去年"})
    assert r.status_code == 200
    assert "去年" in r.text and "colour" in html.unescape(r.text)
