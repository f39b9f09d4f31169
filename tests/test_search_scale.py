"""The shortcuts that keep search fast at a million passages give the same
results as the long way, on a real SQLite store (speed itself is measured
in bench/hybrid_latency.py, never here)."""
from __future__ import annotations

import pytest

from ingest.readers import read
from nlp.items import Analysis, DocumentMeta
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
