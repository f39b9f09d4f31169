"""Against a real Elasticsearch 8/9 (skipped unless ``POLICYLENS_ES_URL`` is set):
reindex from SQLite, then the same answers from both stores. The backend
contract suite (tests/contract) runs against the server as well."""
from __future__ import annotations

import os
import uuid

import pytest

from search.backend import Filter, ItemQuery, Query
from search.compare import compare
from search.reindex import copy_backend
from search.similar import indicator_catalogue, similar_groups
from search.sqlite import SQLiteBackend
from tests.compare_data import fill

URL = os.environ.get("POLICYLENS_ES_URL")
pytestmark = [pytest.mark.es,
              pytest.mark.skipif(not URL, reason="POLICYLENS_ES_URL not set")]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    from search.elastic import ElasticBackend

    src = SQLiteBackend(tmp_path_factory.mktemp("es") / "src.sqlite3")
    fill(src)
    prefix = f"pltest-{uuid.uuid4().hex[:8]}"
    es = ElasticBackend(url=URL, index_prefix=prefix)
    try:
        assert {o.status for o in copy_backend(src, es)} == {"ingested"}
        yield src, es
    finally:
        es.drop()
        es.close()
        src.close()


def cells(table):
    return [(r["key"], {k: c["value"] for k, c in r["cells"].items()})
            for r in table.to_json()["rows"]]


def test_templates_exist(stores):
    _, es = stores
    for name in es.names.values():
        assert es.client.template_exists(f"{name}-template")


def test_same_comparison(stores):
    src, es = stores
    for by in ("org", "region", "year"):
        assert cells(compare(es, by, "all")) == cells(compare(src, by, "all"))


def test_same_items_and_search(stores):
    src, es = stores
    q = ItemQuery(type="indicator", filters=[Filter("level1", "eq", "产出指标")], sort="-value")
    assert [(i["text"], i["passage"]) for i in es.query_items(q).items] == [
        (i["text"], i["passage"]) for i in src.query_items(q).items]  # links need the passage
    for text in ("维修", "满意度", "修", '"公共卫生服务"'):
        a, b = src.search(Query(text, limit=50)), es.search(Query(text, limit=50))
        assert a.total == b.total
        assert sorted(h.text for h in a.hits) == sorted(h.text for h in b.hits)
        for h in b.hits:
            assert all(h.text[s:e] for s, e in h.highlights)


def test_pages_past_the_result_window(stores, monkeypatch):
    """Deep pages walk with search_after: shrink the window to see it with few rows."""
    import search.elastic

    src, es = stores
    monkeypatch.setattr(search.elastic, "MAX_WINDOW", 3)
    monkeypatch.setattr(search.elastic, "SCAN_PAGE", 2)
    q = dict(sort="-value")  # all items, with and without a value
    want = [i["id"] for i in es.query_items(ItemQuery(**q, limit=1000)).items]
    got = [i["id"] for off in range(0, len(want), 4)
           for i in es.query_items(ItemQuery(**q, limit=4, offset=off)).items]
    assert len(want) > 8 and got == want
    assert len(want) == len(src.query_items(ItemQuery(**q, limit=1000)).items)
    total_docs = es.list_documents(limit=0)[1]
    docs, total = es.list_documents(limit=2, offset=total_docs - 1)
    assert total_docs > 2 and total == total_docs and len(docs) == 1


def test_same_similar_and_catalogue(stores):
    src, es = stores
    assert [g["representative"] for g in similar_groups(es, "goal", 0.5)] == [
        g["representative"] for g in similar_groups(src, "goal", 0.5)]
    assert [e["name"] for e in indicator_catalogue(es)] == [
        e["name"] for e in indicator_catalogue(src)]


def test_reindex_again_is_unchanged(stores):
    src, es = stores
    assert {o.status for o in copy_backend(src, es)} == {"unchanged"}
