"""bench.paraphrase_gap on a real SQLite store: where a paraphrase's answer sits in
each list, and which query words it lacks."""
from __future__ import annotations

from bench.paraphrase_gap import analyse, depth_counts
from tests.search_helpers import report_store

REPORT = "各位代表：\n\n个人所得税收入同比下降30.2%。\n\n教育支出增长较快。\n"
GOLD = [{"id": "p1", "kind": "paraphrase", "query": "个税少三成",
         "relevant": [{"doc": "gwr_national_2013_wenjiabao.txt", "contains": "个人所得税收入"}]},
        {"id": "k1", "kind": "keyword", "query": "教育支出",
         "relevant": [{"doc": "gwr_national_2013_wenjiabao.txt", "contains": "教育支出"}]}]


def test_the_answer_of_a_paraphrase_is_placed_and_its_words_marked(tmp_path, monkeypatch):
    backend = report_store(tmp_path, monkeypatch, REPORT)
    try:
        rows = analyse(backend, GOLD, 100, "paraphrase")
    finally:
        backend.close()
    assert [r["id"] for r in rows] == ["p1"]  # only the kind asked for
    row = rows[0]
    assert row["found"] and row["lex"] == 1 and row["page"] == 1
    assert row["units"] == "+个税(个人所得税) +三成"  # the share by its percentage
    assert depth_counts(rows, 100)["lex"] == [1, 1, 1]
