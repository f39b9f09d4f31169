"""The latent-terms / mined-associations replay (bench/latent_replay.py) on a real
SQLite store with a deterministic embedder: a word's association comes from the
passages that hold it, a query's expansion words are never words it typed, the
third list ranks the passages that hold them, and a zero-weight third list
leaves the shipped ranking as it is."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bench import fusion_replay, latent_replay
from search import sqlite as sqlite_mod
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

PASSAGES = ["湖南完善退役军人服务保障体系，维护军人军属合法权益。",
            "湖南经济运行总体平稳，各项事业取得新进展。",
            "河北照顾好困难群众，办好民生实事。",
            "全省一般公共预算收入增长百分之五，税收收入稳定增长。"]
GOLD = [{"id": "q1", "query": "湖南照顾当过兵的人和他们家属",
         "relevant": [{"doc": "hunan.txt", "contains": "退役军人服务保障"}]}]


@pytest.fixture()
def captured(tmp_path, monkeypatch):
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "hunan.txt", "\n\n".join(PASSAGES[:2]), title="湖南省政府工作报告",
         year=2026, region="湖南省", region_path=["湖南省"], doc_type="work_report")
    _add(backend, tmp_path, "hebei.txt", PASSAGES[2], title="河北省政府工作报告", year=2026,
         region="河北省", region_path=["河北省"], doc_type="work_report")
    _add(backend, tmp_path, "budget.txt", PASSAGES[3], title="预算执行情况", year=2025,
         doc_type="budget")
    embed_store(backend, emb)
    backend.close()
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD), encoding="utf-8")
    queries = fusion_replay.capture("s", tmp_path / "db.sqlite3", None, gold)
    store = latent_replay.Store(tmp_path / "db.sqlite3")
    store._assoc = latent_replay.build_assoc(store.texts, store.centred, min_df=1, max_share=1.0)
    yield queries[0], store
    store.conn.close()


def test_a_words_centroid_is_the_mean_of_the_passages_that_hold_it(captured):
    _, store = captured
    a = store.assoc()
    j = a["vocab"].index("退役军人")
    holders = [i for i, ws in enumerate(a["words"]) if "退役军人" in ws]
    assert len(holders) == 1
    assert np.allclose(a["cent"][j], store.centred[holders[0]], atol=1e-5)


def test_expansion_words_are_not_typed_and_rank_the_passages_holding_them(captured):
    q, store = captured
    terms = latent_replay.expansion_terms(q, store, 5)
    assert len(terms) == 5
    assert not any(w in q["gold"]["query"] for w, _, _ in terms)
    third = latent_replay.assoc_list(q, store, 5, "store")
    words = store.assoc()["words"]
    pos = {r: i for i, r in enumerate(store.ids)}
    assert third and all(any(w in words[pos[r]] for w, _, _ in terms) for _, r in third)
    assert all(r in q["info"] for _, r in third)  # judged, so nDCG can score them


def test_a_third_list_of_weight_zero_keeps_the_shipped_ranking(captured):
    q, store = captured
    third = latent_replay.assoc_list(q, store, 5, "store")
    assert [r for _, r in latent_replay.with_third(q, third, 0.0)] == \
        [r for _, r in fusion_replay.shipped(q)]
    weighted = latent_replay.with_third(q, third, 5.0)
    assert weighted[0][1] == third[0][1]  # a heavy third list puts its first passage first


def test_the_latent_list_ranks_by_shared_features_weighted_by_idf(captured):
    q, store = captured
    # feature 0 in every passage (idf ~0: says nothing), feature 7 only where 退役军人 is
    cache = {latent_replay.sparse_key(t): (np.array([0, 7] if "退役军人" in t else [0, 3], np.int32),
                                           np.array([5.0, 1.0], np.float32)) for t in store.texts}
    codes = {q["gold"]["query"]: (np.array([0, 7], np.int32), np.array([5.0, 1.0], np.float32))}
    ranked = latent_replay.latent_list(q, store, cache, codes, "store", 1.0)
    holders = [r for r, t in zip(store.ids, store.texts) if "退役军人" in t]
    assert holders and [r for _, r in ranked] == holders  # feature 0 (in all) scores nothing
    assert all(r in q["info"] for r in holders)
