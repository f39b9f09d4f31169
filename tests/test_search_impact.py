"""Impact lists of common units (search/impact.py): a BM25 pool read from them
equals FTS5's ranking of the whole query, on a real SQLite store whose
common units are in a fifth to a half of the passages; when the threshold
lists cannot give the whole pool, FTS5 ranks; a write makes the lists stale."""
from __future__ import annotations

import random

import pytest

from search import impact as impact_mod
from search import sqlite as sqlite_mod
from search.backend import Query
from search.query import fts_expression, parse
from search.sqlite import BM25, SQLiteBackend
from tests.search_helpers import add_text

SENTENCES = [
    "政府性基金预算收入完成情况良好。", "政府性基金预算支出增长较快。",
    "一般公共预算收入稳定增长。", "国有土地使用权出让收入下降。",
    "专项债券资金用于重大项目建设。", "社会保险基金预算收支平衡。",
    "结转结余资金按规定收回统筹使用。", "三公经费预算比上年有所减少。",
    "教育支出和卫生健康支出保持增长。", "2025年1-4月全省财政收入增长3.2%。",
    "部门预算绩效管理进一步加强。", "地方政府债务风险总体可控。",
    "零基预算改革在全市推开。", "农村生活污水治理设施改造提升。",
    "政府采购项目公开招标。", "基金收入主要来自土地出让。",
]
QUERIES = ["政府性基金预算支出", "2025年1-4月政府性基金预算收入增长多少", "预算收入增长",
           "土地出让收入下降", "专项债券 重大项目", "部门预算绩效", "零基预算改革",
           "卫生健康支出增长", "政府 基金 预算 收入 支出", "污水治理"]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A store of 600 short passages made of the sentences above (seeded), large
    enough for the large-index plans once LARGE_INDEX is lowered."""
    tmp = tmp_path_factory.mktemp("impact")
    rng = random.Random(11)
    backend = SQLiteBackend(tmp / "db.sqlite3")
    for d in range(6):
        paras = ["".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
                 for _ in range(100)]
        add_text(backend, tmp, f"d{d}.txt", "\n\n".join(paras), title=f"文件{d}",
                 year=2020 + d)
    yield backend
    backend.close()


@pytest.fixture()
def large(monkeypatch):
    """The large-index plans on a small store: exact inner runs, the total
    counted beside the ranking, and no unit pruned from the pool."""
    monkeypatch.setattr(sqlite_mod, "LARGE_INDEX", 100)
    monkeypatch.setattr(sqlite_mod, "COMMON_SHARE", 0.6)


def _fts_pool(backend, text: str, size: int = 200) -> list[tuple[int, float]]:
    conn = backend._reader()
    expr = fts_expression(parse(text), exact_inner=True)
    return [(r, s) for r, s, _, _ in backend._rank_pool(conn, expr, size)]


def _results(backend) -> list:
    out = []
    for text in QUERIES:
        for mode in ("lexical", "hybrid"):
            res = backend.search(Query(text, limit=10, mode=mode))
            out.append((res.total, [(h.doc, h.passage, round(h.score, 9)) for h in res.hits]))
    return out


def _same_ranking(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> None:
    """The same rows and scores, up to the last bits of a score: FTS5 sums a
    row's phrase terms in the expression's order, the lists add the listed
    phrases' terms first, then FTS5's sum of the others, so a score may differ
    by an ulp or two, and two rows whose scores are that close may swap or
    trade the pool's last place (on the gold queries at a million passages no
    pool did; here, with a dozen sentences repeated, up to 5 rows in 40)."""
    assert len(got) == len(want)
    assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-12, abs=1e-18)
    mine, theirs = dict(got), dict(want)
    for i, ((r, s), (r2, s2)) in enumerate(zip(got, want)):
        if r != r2:  # only near-ties may swap
            assert s == pytest.approx(s2, rel=1e-12, abs=1e-18)
        if r in theirs:
            assert s == pytest.approx(theirs[r], rel=1e-12, abs=1e-18)
        else:  # a row in our pool, not FTS5's: tied with FTS5's last row
            assert s == pytest.approx(want[-1][1], rel=1e-12, abs=1e-18)
    assert sum(r != r2 for (r, _), (r2, _) in zip(got, want)) <= len(got) // 8


def _pools_equal_fts5(backend, sizes=(5, 40, 200)) -> int:
    """Every query's pool from the lists against FTS5's ranking of the whole
    store; returns how many pools came from the lists."""
    conn = backend._reader()
    lists, view = backend._impact_lists(conn)
    used = 0
    for text in QUERIES:
        for size in sizes:
            pq = parse(text)
            got = impact_mod.pool(conn, BM25, pq, fts_expression(pq, exact_inner=True), lists,
                                  view, size)
            if got is None:
                continue
            used += 1
            _same_ranking(got, _fts_pool(backend, text, size))
    return used


def test_pool_from_impact_lists_equals_fts5_ranking(big, large):
    before = _results(big)
    made = big.build_impact_index(low_share=0.15)
    lists, _ = big._impact_lists(big._reader())
    assert made == len(lists) >= 5  # 预算, 收入, 政府性基金预算's grams, 增长, 支出, ...
    assert _pools_equal_fts5(big) >= 20
    # the pools ran one after another on this thread's buffer: each found its
    # rows from the marks and left scores and marks cleared for the next
    scores, marks = lists.buffer()
    assert not scores.any() and not marks.any()
    assert _results(big) == before  # the searches themselves do not change


def test_fts5_ranks_when_the_lists_cannot_give_the_whole_pool(big, large, monkeypatch):
    big.build_impact_index(low_share=0.15)
    conn = big._reader()
    lists, view = big._impact_lists(conn)
    text = "2025年1-4月政府性基金预算收入增长多少"  # listed phrases and phrases without a list

    def pool(q: str):
        pq = parse(q)
        return impact_mod.pool(conn, BM25, pq, fts_expression(pq, exact_inner=True), lists,
                               view, 200)

    assert pool(text) is not None
    assert pool("污水治理 -政府") is None  # excluded
    monkeypatch.setattr(impact_mod, "RARE_ROWS", 3)  # the unlisted phrases have more rows
    assert pool(text) is None
    ranked: list[str] = []
    real = SQLiteBackend._rank_pool

    def spy(conn, expr, pool):
        ranked.append(expr)
        return real(conn, expr, pool)

    monkeypatch.setattr(SQLiteBackend, "_rank_pool", staticmethod(spy))
    fallback = big.search(Query(text, limit=10, mode="lexical"))
    assert len(ranked) == 1  # FTS5 ranked it
    monkeypatch.setattr(impact_mod, "RARE_ROWS", 40_000)
    listed = big.search(Query(text, limit=10, mode="lexical"))
    assert len(ranked) == 1  # the lists gave the pool
    assert [(h.passage, round(h.score, 9)) for h in listed.hits] == [
        (h.passage, round(h.score, 9)) for h in fallback.hits]


def test_writes_keep_the_lists_exact(tmp_path, large, monkeypatch):
    """Ingest, build, search; ingest more, delete, replace: the lists stay in
    use and every pool still equals FTS5's ranking of the whole store (new
    rows ranked by FTS5 above the watermark, deleted ones left out, every
    idf and the mean length taken from the store as it is now)."""
    rng = random.Random(5)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")

    def add(name: str, n: int, year: int) -> None:
        paras = ["".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
                 for _ in range(n)]
        add_text(backend, tmp_path, name, "\n\n".join(paras), title=name, year=year)

    for d in range(4):
        add(f"d{d}.txt", 80, 2020 + d)
    made = backend.build_impact_index(low_share=0.15)
    assert made >= 5
    lists, _ = backend._impact_lists(backend._reader())
    top = lists.watermark
    before = backend.generation()
    assert backend.build_impact_index(low_share=0.15) == made  # nothing changed: kept
    assert backend.generation() == before  # and no write: the servers' caches stay valid
    assert backend._impact_lists(backend._reader())[0] is lists
    assert _pools_equal_fts5(backend) >= 20
    ranked: list[str] = []
    real = SQLiteBackend._rank_pool
    monkeypatch.setattr(SQLiteBackend, "_rank_pool", staticmethod(
        lambda conn, expr, pool: ranked.append(expr) or real(conn, expr, pool)))

    add("new.txt", 60, 2026)  # rows above the watermark
    assert backend._impact_lists(backend._reader())[0] is lists  # still in use
    assert _pools_equal_fts5(backend) >= 20
    ranked.clear()
    doc = backend.search(Query("政府性基金预算支出", limit=300, mode="lexical")).hits
    assert any(h.title == "new.txt" for h in doc)
    assert not ranked  # the lists gave the pool

    listed = [h.doc_id for h in doc if h.title == "d1.txt"][0]
    assert backend.delete_document(listed)  # rows under the watermark leave the lists
    assert _pools_equal_fts5(backend) >= 20
    add("d3.txt", 30, 2030)  # replaced: the old rows go, the new ones come above
    assert _pools_equal_fts5(backend) >= 20
    conn = backend._reader()
    assert conn.execute("SELECT min(rowid) FROM passages p JOIN documents d ON d.id = p.doc_id"
                        " WHERE d.source = 'd3.txt'").fetchone()[0] > top
    ranked.clear()
    hits = backend.search(Query("政府性基金预算支出", limit=300, mode="lexical")).hits
    assert "d1.txt" not in {h.title for h in hits}
    assert not ranked
    backend.build_impact_index(low_share=0.15)  # over IMPACT_REBUILD changed: built again
    assert backend._impact_lists(backend._reader())[0].watermark > top
    assert _pools_equal_fts5(backend) >= 10
    backend.close()
