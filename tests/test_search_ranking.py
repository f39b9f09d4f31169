"""The coverage re-rank shared by both backends (search.sqlite.rerank_score)."""
from __future__ import annotations

from search.query import parse
from search.sqlite import near_pairs, rerank_score
from search.tokenize import normalize


def test_near_pairs_counts_adjacent_units_close_together():
    pq = parse("民生 支出 比例")
    assert near_pairs(normalize("民生类支出所占比例"), pq.units) == 1.0
    # 民生..支出 close, 支出..比例 too far apart
    far = "民生类支出" + "。" * 20 + "比例"
    assert near_pairs(far, pq.units) == 0.5
    # either order counts; a missing unit breaks its pairs only
    assert near_pairs("支出用于民生", pq.units) == 0.5
    assert near_pairs("比例", pq.units) == 0.0


def test_near_pairs_uses_synonyms():
    pq = parse("R&D 投入")
    assert near_pairs(normalize("研发投入强度"), pq.units) == 1.0


def test_rerank_prefers_query_units_close_together():
    pq = parse("财政支出 民生")
    close = normalize("全年财政支出七成用于民生。" + "其他工作稳步推进。" * 5)
    apart = normalize("全年财政支出稳步增长。" + "其他工作稳步推进。" * 5 + "保障民生。")
    assert rerank_score(10.0, close, pq) > rerank_score(10.0, apart, pq)


def test_rerank_single_unit_unchanged_by_proximity():
    pq = parse("雾霾")
    text = normalize("重点地区雾霾频发，必须加强治理，改善空气质量，保障人民群众身体健康。")
    assert len(text) >= 30  # not damped as a short passage
    # full coverage (x1), whole term found (x1.5), no pair to be near
    assert abs(rerank_score(10.0, text, pq) - 15.0) < 1e-9
