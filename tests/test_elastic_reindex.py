"""``reindex``: a store rebuilt from another store's public reads is the same store.

The copy target here is a second SQLite file (no Elasticsearch on the test
machine); the same code path feeds ElasticBackend.add in ``policylens reindex``.
"""
from __future__ import annotations

import pytest

from search.backend import Query
from search.compare import compare
from search.reindex import copy_backend, document_from_stored, item_from_json
from search.sqlite import SQLiteBackend
from tests.compare_data import documents, fill
from tests.conftest import refused_url, run_cli


def strip_ids(items):
    return [{k: v for k, v in i.items() if k != "id"} for i in items]


@pytest.fixture
def pair(tmp_path):
    src = SQLiteBackend(tmp_path / "src" / "policylens.sqlite3")
    fill(src)
    dst = SQLiteBackend(tmp_path / "dst.sqlite3")
    yield src, dst
    src.close()
    dst.close()


def test_copy_is_faithful(pair):
    src, dst = pair
    seen = []
    outcomes = copy_backend(src, dst, seen.append)
    assert [o.status for o in outcomes] == ["ingested"] * 3 and seen == outcomes
    for doc, analysis in documents():
        a, b = src.get_document(doc.id), dst.get_document(doc.id)
        assert b["text"] == a["text"] == doc.text
        assert b["passages"] == a["passages"]
        assert strip_ids(b["items"]) == strip_ids(a["items"])
        assert (b["org"], b["region"], b["year"], b["doc_type"]) == (
            a["org"], a["region"], a["year"], a["doc_type"])
    assert src.search(Query("维修")).total == dst.search(Query("维修")).total > 0
    ca, cb = compare(src, "org", "all").to_json(), compare(dst, "org", "all").to_json()
    values = lambda t: [(r["key"], {k: c["value"] for k, c in r["cells"].items()})  # noqa: E731
                        for r in t["rows"]]
    assert values(ca) == values(cb)
    # a second copy changes nothing
    assert {o.status for o in copy_backend(src, dst)} == {"unchanged"}


def test_item_types_come_back():
    doc, analysis = documents()[0]
    for item in analysis.items:
        back = item_from_json({**item.to_json(), "id": 7, "doc": "x", "doc_id": "y"})
        assert type(back) is type(item) and back.to_json() == item.to_json()
    ent = item_from_json({"type": "org", "start": 0, "end": 3, "text": "教育局",
                          "canonical": "县教育局"})
    assert ent.type == "org" and ent.canonical == "县教育局"


def test_rebuilt_document_offsets(pair):
    src, _ = pair
    doc, _ = documents()[1]
    rebuilt, analysis = document_from_stored(src.get_document(doc.id))
    assert rebuilt.id == doc.id and rebuilt.passages == doc.passages
    assert all(rebuilt.text[i.start:i.end] == i.text for i in analysis.items)
    assert analysis.meta.org == "县卫健委"


def test_cli_reindex_errors_are_one_line(tmp_path):
    res = run_cli(["reindex", "--to", "es"], tmp_path)
    assert res.returncode == 2 and "POLICYLENS_ES_URL" in res.stderr
    res = run_cli(["reindex", "--to", "es", "--url", "http://127.0.0.1:9200"], tmp_path)
    assert res.returncode == 2 and "SQLite" in res.stderr
    src = SQLiteBackend(tmp_path / "policylens.sqlite3")
    src.close()
    with refused_url() as url:  # nothing listens there
        res = run_cli(["reindex", "--url", url], tmp_path)
        assert res.returncode == 2 and url in res.stderr and "Traceback" not in res.stderr
        res = run_cli(["reindex", "--to", "solr", "--url", url], tmp_path)
        assert res.returncode == 2 and "solr" in res.stderr
