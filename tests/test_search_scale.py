"""The shortcuts that keep search fast at a million passages give the same
first page as the long way, on a real SQLite store (speed itself is measured
in bench/hybrid_latency.py, never here)."""
from __future__ import annotations

import pytest

from ingest.readers import read
from nlp.items import Analysis, DocumentMeta
from search import sqlite as sqlite_mod
from search.backend import Query
from search.hybrid import collapse
from search.sqlite import SQLiteBackend


@pytest.fixture()
def store(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for i in range(30):
        both = "预算公开工作稳步推进，" if i % 3 == 0 else ""
        one = "预算执行情况良好。" if i % 3 == 1 else "部门决算公开及时。"
        path = tmp_path / f"d{i:02d}.txt"
        path.write_text(f"第{i}号通知\n\n{both}{one}第{i}项工作。\n\n附件{i}。", encoding="utf-8")
        backend.add(read(path), Analysis(meta=DocumentMeta(title=f"第{i}号通知")))
    yield backend
    backend.close()


def _page(backend: SQLiteBackend, q: str, **kw) -> list[tuple[str, int]]:
    return [(h.doc, h.passage) for h in backend.search(Query(q, limit=10, **kw)).hits]


@pytest.mark.parametrize("pool", [5, 200])
def test_all_units_pool_gives_the_first_page_of_the_full_ranking(store, monkeypatch, pool):
    full = _page(store, "预算 公开", mode="lexical")
    assert full
    monkeypatch.setattr(sqlite_mod, "RERANK_POOL", pool)
    full_small_pool = _page(store, "预算 公开", mode="lexical")
    monkeypatch.setattr(sqlite_mod, "ALL_UNITS_FROM", 0)  # this store counts as large
    shortcut = _page(store, "预算 公开", mode="lexical")
    # pool 5: ten passages hold both words, so only they are ranked; pool 200:
    # too few hold both, and the OR of the units is ranked as before
    assert shortcut[:3] == full_small_pool[:3] == full[:3]
    if pool == 200:
        assert shortcut == full


def test_collapse_of_the_page_asked_for_equals_the_whole_collapse():
    texts = {i: f"段落{i % 17}" for i in range(60)}  # repeats are collapsed
    doc_of = {i: "abc"[i % 7 % 3] for i in range(60)}
    ranked = [(100 - i, i) for i in range(60)]
    whole = collapse(ranked, texts, doc_of)
    for need in (1, 10, 11, 15, 40, 100):
        assert collapse(ranked, texts, doc_of, need=need)[:need] == whole[:need]
