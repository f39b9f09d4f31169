"""A hybrid query that names a year, region or organisation and is no question
(财政部 2025年1-2月财政收支情况) asks for what one document says; when a pooled
document is of what it names, hybrid ranks as semantic mode does, by cosine
times the document boost (search.hybrid.document_focus), instead of fusing
the ranks of a lexical list whose first places are other years' title lines
with the same words. Real opening lines of four monthly reports of the bench
corpus in a real SQLite store (docs/search_relevance.md, thirteenth session,
helper searchmeta13)."""
from __future__ import annotations

from pathlib import Path

import pytest

from search import hybrid
from search.backend import Query
from search.query import parse
from search.understand import understand
from tests.search_helpers import CountingEmbedder, add_text

BENCH = Path(__file__).resolve().parent / "fixtures" / "focus"
QUERY = "财政部 2025年1-2月财政收支情况"
# the opening lines of mof_t20250324_3960418.txt and of the same report of three other years
REPORTS = {2025: "mof_t20250324_3960418.txt", 2024: "mof_t20240321_3931078.txt",
           2023: "mof_t20230317_3873328.txt", 2019: "mof_t20190318_3195073.txt"}


@pytest.fixture()
def store(tmp_path, monkeypatch):
    from search import sqlite as sqlite_mod
    from search.embed import embed_store
    from search.sqlite import SQLiteBackend

    emb = CountingEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for year, name in REPORTS.items():
        text = (BENCH / name).read_text(encoding="utf-8")
        add_text(backend, tmp_path, name, text, title=f"{year}年1-2月财政收支情况", year=year,
                 region="全国", org="财政部", doc_type="fiscal_report")
    embed_store(backend, emb)
    yield backend, emb
    backend.close()


def _page(backend, mode: str) -> list[tuple[str, str]]:
    return [(h.doc, h.text) for h in backend.search(Query(QUERY, mode=mode, limit=10)).hits]


def test_hybrid_ranks_the_named_report_as_semantic_mode_does(store):
    page, semantic = _page(store[0], "hybrid"), _page(store[0], "semantic")
    assert page[:4] == semantic[:4]
    first = [doc for doc, _ in page[:4]]
    assert first == [REPORTS[2025]] * 4, page  # no other year's title line among them
    others = [p for p in page if p[0] != REPORTS[2025]]
    assert others == [p for p in semantic if p[0] != REPORTS[2025]][:len(others)]  # same order


def test_the_named_report_is_not_held_to_the_per_document_cap(store):
    # the query asks for what the 2025 report says: its passages, not other years', fill the
    # page (the per-document cap held it to four and filled six places with 2019-2024's)
    query = "2025年 全国一般公共预算支出"
    page = [(h.doc, h.text) for h in store[0].search(Query(query, mode="hybrid", limit=10)).hits]
    named = [text for doc, text in page if doc == REPORTS[2025]]
    assert len(named) == len(page) == 10, page
    semantic = store[0].search(Query(query, mode="semantic", limit=10)).hits
    assert [h.text for h in semantic] == named  # semantic mode's order, and its page (below)


def test_semantic_mode_shows_the_named_report_whole(store):
    # semantic mode orders a query that names a year as document focus does; the cap held the
    # 2025 report to four places and filled six with 2019-2024's passages
    query = "2025年 全国一般公共预算支出"
    page = [(h.doc, h.text) for h in store[0].search(Query(query, mode="semantic", limit=10)).hits]
    assert [doc for doc, _ in page] == [REPORTS[2025]] * 10, page


def test_semantic_mode_keeps_the_cap_when_the_name_is_inside_a_topic_word():
    # 海南 of 海南岛 is the topic, not a document asked for (names_in_words)
    q = "十四个沿海港口城市 海南岛 开放"
    docs = [("hainan", {"region": "海南省", "year": 2020})]
    assert hybrid.shown_whole("semantic", False, parse(q), understand(q), docs) == frozenset()
    q = "2025年 全国一般公共预算支出"
    docs = [("mof2025", {"region": "全国", "year": 2025}), ("mof2024", {"region": "全国", "year": 2024})]
    assert hybrid.shown_whole("semantic", False, parse(q), understand(q), docs) == {"mof2025"}
    assert hybrid.shown_whole("lexical", False, parse(q), understand(q), docs) == frozenset()


def test_the_semantic_list_is_read_even_when_one_passage_holds_every_word(store):
    backend, emb = store
    emb.asked.clear()
    hits = backend.search(Query(QUERY.split()[1], mode="hybrid", limit=10)).hits
    assert emb.asked  # the title line holds every word: the fusion rule alone skipped the list
    assert {h.doc for h in hits[:4]} == {REPORTS[2025]}


def test_focus_needs_a_document_of_what_the_query_names():
    u, pq = understand(QUERY), parse(QUERY)
    assert hybrid.document_focus(u, [1.0, 2.69], pq)
    # only the document type, a parent region or the next year's review: fusion stays
    assert not hybrid.document_focus(u, [1.0, 1.2, 1.3], pq)
    assert not hybrid.document_focus(u, [], pq)
    # a question asks for a sentence, not a document
    question = "2025年1-2月财政收入是多少？"
    assert not hybrid.document_focus(understand(question), [2.69], parse(question))


@pytest.mark.parametrize("query, named", [
    ("十四个沿海港口城市 海南岛 开放", False),  # 海南 only inside 海南岛, a topic word
    ("海南 自由贸易港", True), ("海南省 自由贸易港", True),
    ("北京市政府花钱的账要及时向社会晒出来", True),  # 北京市 inside an organisation's word
])
def test_focus_needs_the_name_in_a_word_of_its_own(query, named):
    u, pq = understand(query), parse(query)
    assert u.region == "海南省" or u.region == "北京市"
    assert hybrid.names_in_words(pq, u) is named
    assert hybrid.document_focus(u, [1.0, 1.4], pq) is named


def test_a_named_report_not_embedded_yet_stays_on_the_hybrid_page(tmp_path, monkeypatch):
    # embedding runs after ingest: the 2025 report, stored after the others were embedded, has
    # no vector yet. Ranking by the semantic list alone would drop it; it is found by its words
    from search import sqlite as sqlite_mod
    from search.embed import embed_store
    from search.sqlite import SQLiteBackend

    emb = CountingEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for year, name in sorted(REPORTS.items()):  # 2025 last
        if year == 2025:
            embed_store(backend, emb)
        add_text(backend, tmp_path, name, (BENCH / name).read_text(encoding="utf-8"),
                 title=f"{year}年1-2月财政收支情况", year=year, region="全国", org="财政部",
                 doc_type="fiscal_report")
    try:
        docs = [h.doc for h in backend.search(Query(QUERY, mode="hybrid", limit=10)).hits]
        assert REPORTS[2025] in docs, docs  # (fused as before document focus: not first)
    finally:
        backend.close()


def test_focused_order_keeps_the_lexical_passages_the_semantic_list_lacks():
    boost = {1: 2.69, 2: 1.0, 3: 2.69}
    lex = [(9.0, 3), (8.0, 2), (7.0, 1)]
    sem = [(0.9, 2), (0.5, 1)]
    ranked = [r for _, r in hybrid.focused_order(lex, sem, boost)]
    assert ranked == [1, 2, 3]  # 0.5 x 2.69 beats 0.9; passage 3 (no vector) follows
    # no passage of the semantic list is of the named document: fuse as usual
    assert hybrid.focused_order(lex, [(0.9, 2)], boost) is None
