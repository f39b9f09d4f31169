"""Against a real engine (OpenSearch from ``make engine-up`` in CI, or Elasticsearch
8/9; skipped unless ``POLICYLENS_ES_URL`` is set):
reindex from SQLite, then the same answers from both stores. The backend
contract suite (tests/contract) runs against the server as well."""
from __future__ import annotations

import os
import uuid

import pytest

from nlp.items import Analysis, DocumentMeta
from search.backend import Filter, ItemQuery, Query
from search.compare import compare
from search.reindex import copy_backend
from search.similar import indicator_catalogue, similar_groups
from search.sqlite import SQLiteBackend
from tests.compare_data import fill
from tests.contract.conftest import ENGINE_SKIP_REASON

URL = os.environ.get("POLICYLENS_ES_URL")
pytestmark = [pytest.mark.es,
              pytest.mark.skipif(not URL, reason=ENGINE_SKIP_REASON)]


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


# ---- the engine, and bad input against it ---------------------------------------------


@pytest.fixture
def fresh():
    """An empty store under its own prefix, dropped afterwards."""
    from search.elastic import ElasticBackend

    b = ElasticBackend(url=URL, index_prefix=f"pltest-{uuid.uuid4().hex[:8]}")
    yield b
    b.drop()
    b.close()


def test_engine_is_read_from_the_server(fresh):
    info = fresh.client.raw.info()
    is_os = info["version"].get("distribution") == "opensearch"
    assert fresh.engine.is_opensearch == is_os
    assert fresh.engine.version == info["version"]["number"]
    assert fresh.stats()["engine"] == fresh.engine.label
    mapping = fresh.client.raw.indices.get_mapping(index=fresh.names["items"])
    extra = mapping[fresh.names["items"]]["mappings"]["properties"]["extra"]["type"]
    assert extra == ("flat_object" if is_os else "flattened")


def test_one_bad_document_fails_alone_with_the_engine_reason(fresh):
    """A batch where the engine refuses one document's rows (a year that is not a
    number): that document fails with the engine, the document and the cause,
    nothing of it is stored, the rest of the batch is indexed."""
    from search.engines import IndexingError
    from tests.contract.conftest import leling, make_document, yantai

    bad_doc = make_document("bad_year.txt", "某县财政局安排资金100万元。\n")
    bad = Analysis(meta=DocumentMeta(title="坏", year="二〇二三年"))  # type: ignore[arg-type]
    batch = [yantai(), (bad_doc, bad), leling()]
    outcomes = []
    for doc, analysis in batch:
        try:
            outcomes.append(fresh.add(doc, analysis).status)
        except IndexingError as err:
            outcomes.append(str(err))
    assert outcomes[0] == outcomes[2] == "ingested"
    msg = outcomes[1]
    assert msg.startswith(fresh.engine.label) and "bad_year.txt" in msg
    assert "year" in msg and "exception" in msg  # the engine's own reason
    assert fresh.get_document(bad_doc.id) is None
    assert fresh.stats()["documents"] == 2
    assert fresh.search(Query('"某县财政局安排资金"')).total == 0
    assert fresh.search(Query("扶贫资金")).total > 0


def test_older_mapping_is_refused_with_the_index_named(fresh):
    from search.elastic import ElasticBackend
    from search.engines import BackendUnavailable

    prefix = f"pltest-{uuid.uuid4().hex[:8]}"
    old = f"{prefix}-items"
    fresh.client.raw.indices.create(index=old, body={"mappings": {"properties": {
        "doc_id": {"type": "keyword"}}}})  # as an older PolicyLens made it: no version
    try:
        with pytest.raises(BackendUnavailable) as err:
            ElasticBackend(url=URL, index_prefix=prefix)
        assert old in str(err.value) and "mapping version" in str(err.value)
        assert fresh.engine.label in str(err.value)
    finally:
        fresh.client.raw.indices.delete(index=f"{prefix}-*")
        for kind in ("documents", "passages", "items"):
            fresh.client.delete_template(f"{prefix}-{kind}-template")


def test_wrong_url_path_is_one_clear_error():
    from search.elastic import ElasticBackend
    from search.engines import BackendUnavailable

    url = URL.rstrip("/") + "/no-such-path"
    with pytest.raises(BackendUnavailable) as err:
        ElasticBackend(url=url, index_prefix="pltest-never", max_retries=0)
    assert url in str(err.value)


def test_engine_highlights_a_match_at_the_passage_start_and_across_spaces(fresh):
    """PDF text is often letter-spaced: the character analyzer drops the spaces,
    so the engine finds the phrase and tags its characters. A match at the very
    start of a passage keeps its opening tag (control-character tags were trimmed
    off there by the highlighter)."""
    from tests.contract.conftest import make_document

    text = "一 般 公 共 预 算 收 入 17981.68 万 元\n全年一般公共预算支出下降\n"
    doc = make_document("spaced.pdf", text)
    fresh.add(doc, Analysis())
    hits = {h.passage: h for h in fresh.search(Query("一般公共预算")).hits}
    assert set(hits) == {0, 1}
    first, second = hits[0], hits[1]
    assert [first.text[s:e] for s, e in first.highlights] == ["一 般 公 共 预 算"]
    assert [second.text[s:e] for s, e in second.highlights] == ["一般公共预算"]


def test_a_money_cell_link_lists_its_items_on_the_engine(tmp_path):
    """Copies of a report on the engine: the cell's ``once=org`` link, followed through
    the app, leaves out the same documents as the comparison (search.compare.counted_once)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from search.elastic import ElasticBackend
    from tests.test_compare_repeats import _copies

    src = SQLiteBackend(tmp_path / "src.sqlite3")
    _copies(src, 3)
    es = ElasticBackend(url=URL, index_prefix=f"pltest-{uuid.uuid4().hex[:8]}")
    try:
        assert {o.status for o in copy_backend(src, es)} == {"ingested"}
        cell = compare(es, "org", "money").rows["某市人民政府"]["money:revenue"]
        assert cell.count == 1 and "once=org" in cell.link
        with TestClient(create_app(backend=es)) as client:
            assert [i["doc"] for i in client.get(cell.link).json()["items"]] == ["copy0000.txt"]
    finally:
        es.drop()
        es.close()
        src.close()
