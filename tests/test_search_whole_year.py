"""A query that names a year and no period asks for the whole year: a document
whose title dates it to a part of that year (a monthly or quarterly fiscal
report) is a finer date than asked when the year's own report is a candidate too
(search.understand.pool_boosts, meta_matches, period_of_year). Real titles, passages and
queries of search set 17 (corpora/search/gold_fresh16.jsonl, a015 and a027)."""
from __future__ import annotations

from pathlib import Path

from search.backend import Query
from search.sqlite import SQLiteBackend
from search.understand import meta_boost, meta_matches, period_of_year, pool_boosts, understand
from tests.search_helpers import add_text

# passages quoted whole from the bench corpus (mof_t20100205_269099.txt, mof_t20090413_132140.txt)
YEAR_TEXT = ("1-12月累计，全国财政支出执行初步统计数为75874亿元，比上年增加13281亿元，增长21.2%。"
             "分中央地方看，中央财政支出43901亿元，其中，中央本级支出15280亿元，同比增长14.5%，"
             "对地方税收返还和转移支付支出28621亿元，同比增长29.8%。")
MARCH_TEXT = ("3月份，全国财政支出5007.39亿元，比去年同月增加1197.58亿元，增长31.4%。其中，"
              "中央本级支出1035.2亿元，增长44.8%；地方本级支出3972.19亿元，增长28.3%。")
YEAR_DOC = {"year": 2009, "title": "2009年财政收支情况", "doc_type": "fiscal_report"}
QUARTER_DOC = {"year": 2009, "title": "2009年一季度财政收支情况", "doc_type": "fiscal_report"}
JULY_DOC = {"year": 2009, "title": "2009年7月份财政收支情况", "doc_type": "fiscal_report"}


def test_period_of_year_reads_the_period_of_the_year_asked():
    assert period_of_year("2009年7月份财政收支情况", 2009) == 7
    assert period_of_year("2009年一季度财政收支情况", 2009) == 3
    assert period_of_year("2009年财政收支情况", 2009) is None
    # the 上半年 is 2022's: the 2021 final accounts are the whole of 2021
    assert period_of_year("关于2021年区本级决算和2022年上半年预算执行情况的报告", 2021) is None
    assert period_of_year("关于2021年区本级决算和2022年上半年预算执行情况的报告", 2022) == 6
    assert period_of_year("2009年7月份财政收支情况", 2010) is None


def test_a_year_alone_prefers_the_whole_year_report():
    for query in ("2009年全国财政支出是多少？", "财政部 2009年全国财政收支"):
        u = understand(query)
        assert u.year == 2009 and not u.period
        assert meta_matches(u, JULY_DOC)["part_year"] == 1.0
        assert meta_matches(u, QUARTER_DOC)["part_year"] == 1.0
        assert meta_matches(u, YEAR_DOC)["whole_year"] == 1.0
        boosts = pool_boosts(u, {"year": YEAR_DOC, "july": JULY_DOC, "quarter": QUARTER_DOC})
        assert boosts["year"] > boosts["july"] == boosts["quarter"]


def test_a_report_on_part_of_the_year_is_still_of_the_year_named():
    """Without the year's own report among the candidates, a part-year report keeps its full
    year match: the only 2025 report (2025年1-2月) is what 2025年 一般公共预算支出 asks for, shown
    whole and above other years' (tests/test_search_document_focus.py, the per-document cap)."""
    from search.hybrid import names_fully

    u = understand("2009年全国财政支出是多少？")
    other = {**JULY_DOC, "year": 2008, "title": "2008年7月份财政收支情况"}
    boosts = pool_boosts(u, {"july": JULY_DOC, "other": other})
    assert boosts["july"] == meta_boost(u, JULY_DOC) and names_fully(boosts["july"])
    assert boosts["july"] > boosts["other"]


def test_a_period_named_is_read_as_before():
    u = understand("2009年7月全国财政支出是多少？")
    assert u.period == 7
    assert meta_matches(u, JULY_DOC)["period"] == 1.0
    assert meta_matches(u, JULY_DOC)["period_other"] == 0.0
    assert meta_matches(u, QUARTER_DOC)["period_other"] == 1.0


def test_store_ranks_the_year_report_first(tmp_path: Path):
    backend = SQLiteBackend(tmp_path / "store.sqlite3")
    add_text(backend, tmp_path, "mof_t20090413_132140.txt", f"2009年一季度财政收支情况\n\n{MARCH_TEXT}",
             title="2009年一季度财政收支情况", year=2009, doc_type="fiscal_report")
    add_text(backend, tmp_path, "mof_t20100205_269099.txt", f"2009年财政收支情况\n\n{YEAR_TEXT}",
             title="2009年财政收支情况", year=2009, doc_type="fiscal_report")
    hits = backend.search(Query("2009年全国财政支出是多少？", limit=5, mode="lexical")).hits
    texts = [h.to_json()["text"] for h in hits]
    assert texts[0].startswith("1-12月累计，全国财政支出")
    assert any(t.startswith("3月份，全国财政支出") for t in texts)
