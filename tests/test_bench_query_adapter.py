"""bench.query_adapter fits the query map on a real SQLite store (vectors from
the deterministic stand-in embedder, so no model is needed): fitted on a query
whose relevant passage the raw vector ranks below another, the map ranks it
first, writes a file search.adapter reads, and a set missing from the query
cache is a clear error naming the file."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bench import query_adapter
from search.adapter import read_adapter
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

TEXTS = {
    "a.txt": "国有土地使用权出让金同比减少。",
    "b.txt": "卖地收入的说法另有所指，个税。",
    "c.txt": "义务教育经费保障机制，学生营养改善计划。",
}
QUERY = "卖地收入下降"


@pytest.fixture
def gold_set(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for name, text in TEXTS.items():
        _add(backend, tmp_path, name, text, title="报告")
    embedder = CharEmbedder()
    embed_store(backend, embedder)
    backend.close()
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "q1", "query": QUERY, "relevant": [
        {"doc": "a.txt", "contains": "国有土地使用权出让"}]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    cache = tmp_path / "q.npz"
    np.savez(cache, model=embedder.name, texts=np.array([QUERY]),
             vecs=np.stack([embedder.query(QUERY)]))
    return f"s:{tmp_path / 'db.sqlite3'}:{cache}:{gold}", tmp_path


def test_the_fitted_map_ranks_the_judged_passage_first(gold_set):
    spec, tmp = gold_set
    s = query_adapter.read_set(spec)
    assert s.relevant == [[0]]
    assert query_adapter.cosine_ndcg(s, s.queries)[0] < 1.0  # b.txt shares 卖地收入 with the query, a.txt no word
    a = query_adapter.fit([s], lam=0.001, steps=60, lr=0.01)
    out = tmp / "map.npz"
    query_adapter.adapter_of([s], a).save(out, sets="s")
    adapter = read_adapter(out)
    assert adapter.model == CharEmbedder.name
    moved = np.stack([adapter.apply(q) for q in s.queries])
    assert query_adapter.cosine_ndcg(s, moved)[0] == 1.0


def test_a_query_missing_from_the_cache_is_an_error_naming_the_cache(gold_set, tmp_path):
    spec, _ = gold_set
    name, store, cache, gold = spec.split(":")
    np.savez(cache, model=CharEmbedder.name, texts=np.array(["别的查询"]),
             vecs=np.zeros((1, CharEmbedder.dim), dtype=np.float32))
    with pytest.raises(SystemExit, match="q.npz"):
        query_adapter.read_set(spec)
