"""The shortcuts that keep search fast at a million passages give the same
results as the long way, on a real SQLite store (speed itself is measured
in bench/hybrid_latency.py, never here)."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.readers import read
from nlp.items import Analysis, DocumentMeta
from search import sqlite as sqlite_mod
from search.backend import Query
from search.hybrid import collapse
from search.query import fts_expression, gram_phrase, parse
from search.sqlite import SQLiteBackend
from search.tokenize import index_columns, normalize
from tests.search_helpers import add_text


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


def test_document_metadata_kept_in_memory_follows_every_write(store):
    q = Query("2020年 预算公开", limit=3, mode="lexical")
    first = store.search(q).hits[0].doc
    assert first != "d27.txt"
    with store.writer() as conn:  # e.g. a metadata correction: the year is now known
        conn.execute("UPDATE documents SET year = 2020 WHERE source = 'd27.txt'")
    assert store.search(q).hits[0].doc == "d27.txt"  # its year boost counts at once


def test_collapse_of_the_page_asked_for_equals_the_whole_collapse():
    texts = {i: f"段落{i % 17}" for i in range(60)}  # repeats are collapsed
    doc_of = {i: "abc"[i % 7 % 3] for i in range(60)}
    ranked = [(100 - i, i) for i in range(60)]
    whole = collapse(ranked, texts, doc_of)
    for need in (1, 10, 11, 15, 40, 100):
        assert collapse(ranked, texts, doc_of, need=need)[:need] == whole[:need]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="12年月预算-、 .用", min_size=1, max_size=30), st.data())
def test_exact_inner_character_still_matches_every_passage_holding_the_form(text, data):
    """The large-index plan (``exact_inner``: the 1 of 1-2月 as the exact token,
    not a prefix) never loses a passage that holds the form as written."""
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    form = normalize(text[a:b])
    expr = gram_phrase(form, exact_inner=True)
    if expr is None:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(words, grams, tags)")
    conn.execute("INSERT INTO t VALUES (?, ?, '')", index_columns(text))
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expr,)).fetchone()[0] == 1


def test_large_index_plan_finds_the_same_reporting_period(store, tmp_path, monkeypatch):
    add_text(store, tmp_path, "m.txt", "2019年1-2月全国一般公共预算收入同比增长。")
    q = Query("2019年1-2月预算收入", limit=5, mode="lexical")
    small = store.search(q)
    monkeypatch.setattr(sqlite_mod, "LARGE_INDEX", 0)
    large = store.search(q)
    assert small.hits[0].doc == large.hits[0].doc == "m.txt"
    assert "grams:\"1\" AND" in fts_expression(parse("1-2月"), exact_inner=True)


def test_a_lone_character_found_everywhere_is_left_out_of_the_bm25_pool(store, tmp_path,
                                                                       monkeypatch):
    """Units jieba does not know are pruned by their gram counts too (a lone 用
    matches most passages), only where they are known to be common."""
    for i in range(6):
        add_text(store, tmp_path, f"u{i}.txt", f"发挥作用。第{i}批项目。")
    add_text(store, tmp_path, "z.txt", "社区事务受理中心建成后用。")
    monkeypatch.setattr(sqlite_mod, "PRUNE_MATCHES", 0)
    conn = store._reader()
    pq = parse("社区事务受理中心做什么用")
    n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0]
    kept = [u.text for u in store._rank_query(conn, pq, n).units]
    assert "用" in [u.text for u in pq.units] and "用" not in kept and "事务" in kept
    assert store.search(Query("社区事务受理中心做什么用", limit=3, mode="lexical")).hits[0].doc == "z.txt"
