"""Fusion of the lexical and semantic lists (search.hybrid): a lexical passage
that holds only the query's year, region or organisation is no lexical
evidence. Pure functions on real parsed queries, then a real SQLite store."""
from __future__ import annotations

import pytest

from search import hybrid
from search import sqlite as sqlite_mod
from search.backend import Query
from search.embed import embed_store
from search.hybrid import fuse, metadata_only
from search.query import parse
from search.sqlite import SQLiteBackend
from search.tokenize import normalize
from search.understand import understand
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

QUERY = "湖南照顾当过兵的人和他们家属"
REGION_ONLY = "各位代表！过去一年，湖南经济运行总体平稳，湖南各项事业取得新进展。"
ANSWER = "完善退役军人服务保障体系，维护军人军属合法权益，巩固军政军民团结。"


def test_a_passage_holding_only_the_region_typed_is_metadata_only():
    pq, u = parse(QUERY), understand(QUERY)
    assert u.region == "湖南省"
    rows = [(1, REGION_ONLY), (2, "湖南要照顾好困难群众。"), (3, "湖南做好军人家属服务。"),
            (4, "我们全力支持国防和军队现代化建设。")]
    assert metadata_only(pq, u, [(i, normalize(t)) for i, t in rows]) == frozenset({1, 4})


def test_queries_of_one_kind_of_unit_mark_nothing():
    # only content words: every pooled passage holds one of them
    pq, u = parse("照顾当过兵的人"), understand("照顾当过兵的人")
    assert metadata_only(pq, u, [(1, REGION_ONLY)]) == frozenset()
    # only the region: nothing to tell apart
    assert metadata_only(parse("湖南"), understand("湖南"), [(1, REGION_ONLY)]) == frozenset()


def test_the_semantic_first_passes_a_region_only_match_both_lists_hold():
    # two region-only passages lead the lexical list and sit 5th and 6th in the
    # semantic one; the answer is semantic 1st, lexical nowhere
    lex = [(9.0, 1), (8.0, 2)]
    sem = [(0.87, 3), (0.86, 6), (0.86, 7), (0.85, 8), (0.85, 1), (0.84, 2)]
    boost = {r: 1.0 for r in range(1, 9)}
    coverage = 0.4
    before = [r for _, r in fuse(lex, sem, coverage, boost, "hybrid")]
    assert before[:2] == [1, 2]  # held by both lists, they beat the answer
    after = [r for _, r in fuse(lex, sem, coverage, boost, "hybrid", frozenset({1, 2}))]
    assert after[0] == 3 and after.index(1) > after.index(3)
    # lexical mode is the lexical order whatever is marked
    assert fuse(lex, sem, coverage, boost, "lexical", frozenset({1})) == lex


@pytest.fixture()
def store(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "gwr2026_hunan.txt", "\n\n".join([REGION_ONLY, ANSWER]),
         title="2026年湖南省政府工作报告", year=2026, region="湖南省",
         region_path=["湖南省"], doc_type="work_report")
    _add(backend, tmp_path, "gwr2026_hebei.txt", "河北照顾好困难群众，办好民生实事。",
         title="2026年河北省政府工作报告", year=2026, region="河北省",
         region_path=["河北省"], doc_type="work_report")
    yield backend
    backend.close()


def test_a_hybrid_search_marks_the_region_only_passages(store, monkeypatch):
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    embed_store(store, emb)
    seen = []

    def spy(lex, sem, coverage, boost, mode, meta_only=frozenset()):
        seen.append((mode, bool(sem), meta_only, coverage))
        return fuse(lex, sem, coverage, boost, mode, meta_only)

    monkeypatch.setattr(hybrid, "fuse", spy)  # both stores fuse through hybrid.fuse_query
    # the Hunan report is of the region named: hybrid ranks as semantic mode does
    # (hybrid.document_focus) and fuses nothing
    hits = store.search(Query(QUERY, limit=5, mode="hybrid")).hits
    assert not seen and [h.text for h in hits] == [
        h.text for h in store.search(Query(QUERY, limit=5, mode="semantic")).hits]
    # without a document of the region (focus off), the fusion marks the region-only passage
    monkeypatch.setattr(hybrid, "FOCUS_BOOST", float("inf"))
    hits = store.search(Query(QUERY, limit=5, mode="hybrid")).hits
    mode, had_sem, marked, coverage = seen[-1]
    assert mode == "hybrid" and had_sem and hits
    # units 湖南 照顾 当过兵 他们 家属 (weights 2 2 3 2 2): the best passage holds 照顾
    # (or 湖南) of all 11, and 照顾 of the 9 the topic weighs; the fusion mixes the two
    assert [x.text for x in parse(QUERY).units] == ["湖南", "照顾", "当过兵", "他们", "家属"]
    share = hybrid.CONTENT_SHARE
    assert coverage == pytest.approx((1 - share) * 2 / 11 + share * 2 / 9)
    texts = dict(store._reader().execute("SELECT rowid, text FROM passages").fetchall())
    assert {texts[r] for r in marked} == {REGION_ONLY}  # not 河北照顾…, not the answer
    store.search(Query(QUERY, limit=5, mode="lexical"))
    assert seen[-1][2] == frozenset()  # lexical mode marks nothing
    assert hybrid.PER_DOC >= 2  # (both Hunan passages may show)


def test_the_fusion_coverage_counts_the_topic_half():
    from search.hybrid import CONTENT_SHARE, coverage_of_norms, fusion_coverage

    query = "2022年湖南印花税"
    pq, u = parse(query), understand(query)
    assert u.year == 2022 and u.region == "湖南省"
    texts = ["2022年湖南经济运行总体平稳。", "全国印花税收入增长。"]
    norms = [normalize(t) for t in texts]
    full = coverage_of_norms(pq, norms)
    mixed = fusion_coverage(pq, u, norms, full)
    # the best passage by all units holds the year and the region, not the topic;
    # by the topic alone the second passage holds all of it
    assert mixed == pytest.approx((1 - CONTENT_SHARE) * full + CONTENT_SHARE * 1.0)
    assert fusion_coverage(pq, u, norms[:1], full) < full  # the topic found nowhere
    # a query with no year, region or organisation keeps its coverage
    plain = parse("印花税 证券交易")
    assert fusion_coverage(plain, understand("印花税 证券交易"), norms, 0.5) == 0.5


def test_a_hybrid_query_normalises_each_pooled_passage_once(store, monkeypatch):
    """The coverage (which decides whether the semantic list is needed) and the
    fusion read the same normalised texts: a pooled passage is normalised once
    per query, not once for the coverage and again for the re-rank."""
    from collections import Counter

    from search.hybrid import COVERAGE_TOP, coverage_of_norms

    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    embed_store(store, emb)
    calls: Counter = Counter()

    def counting(text):
        calls[text] += 1
        return normalize(text)

    monkeypatch.setattr(sqlite_mod, "normalize", counting)
    monkeypatch.setattr(hybrid, "normalize", counting)
    hits = store.search(Query(QUERY, limit=5, mode="hybrid")).hits
    assert hits and calls[REGION_ONLY] == 1 and calls[ANSWER] == 1
    # the coverage is the best passage's among the first COVERAGE_TOP of the pool
    pq = parse(QUERY)
    region, more = normalize(REGION_ONLY), normalize("湖南做好军人家属服务。")
    assert 0.0 < coverage_of_norms(pq, [region]) < coverage_of_norms(pq, [region, more])
    assert (coverage_of_norms(pq, [region] * COVERAGE_TOP + [more])
            == coverage_of_norms(pq, [region]))
    assert coverage_of_norms(pq, [normalize(QUERY)]) == 1.0
    assert coverage_of_norms(pq, []) == 0.0


def test_both_stores_normalise_their_lexical_pool_with_one_function():
    from search import elastic

    rows = [(1, -3.0, "２０２２年　湖南省预算", "a.txt"), (2, -2.0, ANSWER, "b.txt")]
    expected = {1: normalize(rows[0][2]), 2: normalize(ANSWER)}
    assert hybrid.pool_norms((r[0], r[2]) for r in rows) == expected
    assert SQLiteBackend._pool_norms((2, {}, rows, "eq")) == expected
    assert SQLiteBackend._pool_norms(None) == {}  # a semantic-only query pools nothing
    hits = [{"_id": pid, "_source": {"text": text, "doc_id": doc}} for pid, _, text, doc in rows]
    assert elastic._pool_norms(hits) == expected
