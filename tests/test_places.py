"""Region and org filters that follow the map (search/places.py), through the
API and the pages, over the session's samples index (a real SQLite file):
上海市 finds the 普陀区 budgets, 山东 finds 烟台市 and 乐陵市, 万里街道 finds
the subdistrict office, and a name that matches nothing says so."""
from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from search.backend import Filter
from search.places import Places, resolve_org, resolve_places, resolve_region


@pytest.fixture(scope="module")
def client(samples_store):
    with TestClient(create_app(backend=samples_store)) as c:
        yield c


def search(client, **params):
    return client.get("/api/search", params={"q": "预算", "limit": 50, "facets": "region,org",
                                             **params}).json()


def notes(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<p class="note">(.*?)</p>', page)]


def test_a_province_city_includes_its_districts(client):
    shanghai = search(client, region="上海市")
    putuo = search(client, region="普陀区")
    assert putuo["total"] > 0 and shanghai["total"] == putuo["total"]
    assert set(shanghai["facets"]["region"]) == {"普陀区"}
    assert any("上海市" in n for n in shanghai["notes"])
    # only the city itself: no sample document is located in 上海市 itself
    assert search(client, region="上海市", include_children="false")["total"] == 0


def test_short_and_partial_names_resolve_and_say_what_they_matched(client):
    shandong = search(client, region="山东")
    assert set(shandong["facets"]["region"]) == {"烟台市", "乐陵市"}
    assert any("山东省" in n for n in shandong["notes"])
    assert search(client, region="烟台")["total"] == search(client, region="烟台市")["total"] > 0
    wanli = search(client, region="万里街道")
    assert wanli["total"] > 0
    assert set(wanli["facets"]["org"]) == {"上海市普陀区人民政府万里街道办事处"}
    assert any("按单位" in n for n in wanli["notes"])


def test_org_filters_take_the_org_tree(client):
    def total(org: str, **more) -> int:
        return client.get("/api/figures", params={"org": org, **more}).json()["total"]

    bureau, office = total("上海市普陀区财政局"), total("上海市普陀区人民政府万里街道办事处")
    assert bureau > 0 and office > 0
    assert total("上海市普陀区") == bureau + office  # a prefix: every org below it
    assert total("上海市普陀区人民政府") == office
    assert total("上海市普陀区财政局", include_children="false") == bureau


@pytest.mark.parametrize("path", ["/", "/documents", "/items/figure", "/compare"])
def test_a_name_that_matches_nothing_is_a_note_not_an_error(client, path):
    r = client.get(path, params={"q": "预算", "region": "火星<b>"})
    assert r.status_code == 200
    assert any("没有匹配" in n and "火星<b>" in n for n in notes(r.text))
    assert "火星<b>" not in r.text  # escaped


def test_pages_filter_with_children_by_default(client):
    page = client.get("/documents", params={"region": "上海市"}).text
    assert int(re.search(r'id="total">(\d+)<', page).group(1)) == 2
    assert "普陀区" in page
    only = client.get("/documents", params={"region": "上海市", "include_children": "false"}).text
    assert int(re.search(r'id="total">(\d+)<', only).group(1)) == 0


def test_place_suggestions_come_from_the_index(client):
    regions = client.get("/api/places", params={"field": "region", "q": "普陀"}).json()["items"]
    assert regions[0]["name"] == "普陀区" and regions[0]["path"] == ["上海市", "普陀区"]
    orgs = client.get("/api/places", params={"field": "org", "q": "财政局"}).json()["items"]
    assert {"烟台市财政局", "上海市普陀区财政局"} <= {o["name"] for o in orgs}


def test_resolution_on_a_made_up_map():
    places = Places(orgs={"甲市财政局", "甲市财政局办公室", "乙县教育局"})
    places.add_region("乙县", ["甲省", "甲市", "乙县"])
    places.add_region("甲市", ["甲省", "甲市"])
    m = resolve_region("甲省", places)
    assert m.how == "exact" and set(m.values) == {"甲市", "乙县"}
    assert resolve_region("甲市", places, include_children=False).values == ("甲市",)
    assert resolve_region("乙", places).values == ("乙县",) and resolve_region("乙", places).how == "prefix"
    assert resolve_region("教育局", places).field == "org"
    assert resolve_region("丙", places).how == "none"
    assert set(resolve_org("甲市财政局", places).values) == {"甲市财政局", "甲市财政局办公室"}
    assert resolve_org("甲市财政局", places, include_children=False).values == ("甲市财政局",)


def test_other_filters_pass_through(samples_store):
    filters = [Filter("year", "eq", 2023), Filter("region", "in", ["普陀区"])]
    assert resolve_places(samples_store, filters) == (filters, [])


def test_places_follow_a_replaced_document_at_once(tmp_path):
    """The indexed places are kept between requests until the store changes: a
    file replaced by a version naming another place (the document count stays
    the same) is resolved by its new place on the very next request."""
    from ingest.document import Document, Passage
    from nlp.items import Analysis, DocumentMeta
    from search.sqlite import SQLiteBackend

    def doc(text: str) -> Document:
        from hashlib import sha1
        return Document(id=sha1(text.encode()).hexdigest()[:16], source="a.txt",
                        path="/corpus/a.txt", format="text", title="", text=text,
                        passages=[Passage(0, 0, len(text))])

    b = SQLiteBackend(tmp_path / "p.sqlite3")
    b.add(doc("甲地的预算。"), Analysis(meta=DocumentMeta(region="甲县", region_path=["甲县"])))
    assert resolve_places(b, [Filter("region", "eq", "甲县")])[1][0].how == "exact"
    b.add(doc("乙地的预算。"), Analysis(meta=DocumentMeta(region="乙县", region_path=["乙县"])))
    assert b.list_documents(0, 0)[1] == 1
    assert resolve_places(b, [Filter("region", "eq", "甲县")])[1][0].how == "none"
    assert resolve_places(b, [Filter("region", "eq", "乙县")])[1][0].values == ("乙县",)
    b.close()
