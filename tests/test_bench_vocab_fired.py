"""The vocabulary diagnosis bench (bench/vocab_fired.py) on a real SQLite store
with a deterministic embedder: which queries fire a vocabulary entry, into
which class each falls, hybrid scored as the store scores it, and the
one-way entries switched off for a run and on again after it."""
from __future__ import annotations

import json

import pytest

from bench import vocab_fired
from search import query as query_mod
from search import relevance
from search import sqlite as sqlite_mod
from search.baseline import score_runs
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

GOLD = [
    # 卖地 > 土地出让 and 少了 > 减少/下降 fire; the answer holds the official terms
    {"id": "q1", "query": "卖地的钱少了", "kind": "paraphrase",
     "relevant": [{"doc": "land.txt", "contains": "国有土地使用权出让收入"}]},
    # 老人 > 老年人 fires, but the answer says 老年助餐: neither the word nor its term
    {"id": "q2", "query": "老人吃饭", "kind": "paraphrase",
     "relevant": [{"doc": "care.txt", "contains": "老年助餐"}]},
    # no entry fires
    {"id": "q3", "query": "湖南经济运行", "kind": "paraphrase",
     "relevant": [{"doc": "hunan.txt", "contains": "经济运行总体平稳"}]},
    {"id": "q4", "query": "国有土地使用权出让收入", "kind": "keyword",
     "relevant": [{"doc": "land.txt", "contains": "国有土地使用权出让收入"}]},
]


@pytest.fixture()
def store(tmp_path, monkeypatch):
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "land.txt", "全国国有土地使用权出让收入同比下降百分之二十。\n\n"
         "全国一般公共预算收入增长百分之五。", title="财政收支情况", year=2024, doc_type="budget")
    _add(backend, tmp_path, "care.txt", "因地制宜发展老年助餐服务，办好社区食堂。\n\n"
         "老人乘坐公交车免费。", title="民生实事", year=2025, doc_type="work_report")
    _add(backend, tmp_path, "hunan.txt", "湖南经济运行总体平稳，各项事业取得新进展。",
         title="湖南省政府工作报告", year=2026, region="湖南省", region_path=["湖南省"],
         doc_type="work_report")
    embed_store(backend, emb)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD), encoding="utf-8")
    yield backend, f"s:{tmp_path / 'db.sqlite3'}::{gold}"
    backend.close()


def test_fired_units_are_the_vocabulary_entries_of_the_query():
    assert [u.text for u in vocab_fired.fired_units("卖地的钱少了")] == ["卖地", "少了"]
    assert vocab_fired.fired_units("湖南经济运行") == []


def test_each_paraphrase_gets_its_class_and_the_store_s_hybrid_score(store):
    backend, spec = store
    rows = {r["id"]: r for r in vocab_fired.collect([spec])}
    assert set(rows) == {"q1", "q2", "q3"}  # the keyword query is not a paraphrase
    assert rows["q1"]["class"] == "B" and rows["q1"]["lex_rank"] == 1
    assert rows["q1"]["fired"][0] == ("卖地", ["土地出让", "国有土地使用权出让"])
    assert rows["q2"]["class"] == "A"
    assert rows["q3"]["class"] == "-" and rows["q3"]["fired"] == []
    paraphrases = [g for g in GOLD if g["kind"] == "paraphrase"]
    for g in paraphrases:  # hybrid as the store ranks it, query by query
        real = score_runs([g], relevance.run_mode(backend, [g], "hybrid"))["ndcg@10"]
        assert rows[g["id"]]["hybrid"] == pytest.approx(real)
    summary = vocab_fired.summary(list(rows.values()))
    assert {cls: n for cls, (n, *_) in summary.items()} == {"-": 1, "A": 1, "B": 1}


def test_without_expansions_the_everyday_word_finds_only_itself_for_that_run(store):
    _, spec = store
    real = query_mod._expansions
    rows = {r["id"]: r for r in vocab_fired.collect([spec], without_expansions=True)}
    # 卖地 and 少了 still fire (they are entries) but match only themselves, which the
    # answer does not hold
    assert rows["q1"]["class"] == "A" and rows["q1"]["fired"][0] == ("卖地", [])
    assert query_mod._expansions is real  # switched on again after the run
    assert vocab_fired.collect([spec])[0]["class"] == "B"
