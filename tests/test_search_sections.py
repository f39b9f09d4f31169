"""A query that names a report's section gets the passages under the section's
heading (search.sections), and a query that names a reporting period (上半年,
第三季度, 1-8月) prefers the report of that period over other months of the year
(search.understand.period_of). Real SQLite stores, texts from the bench corpus
(docs/search_relevance.md, twelfth session, helper searchsection12)."""
from __future__ import annotations

import pytest

from search.backend import Filter, Query
from search.hybrid import is_heading
from search.sections import (is_lead_in, is_opener, marker_level, section_first,
                             section_length)
from search.sqlite import SQLiteBackend
from search.understand import meta_boost, meta_matches, period_of, understand
from tests.search_helpers import add_text as _add
from tests.search_helpers import OTHER_LINES as OTHER
from tests.search_helpers import report_store

REVIEW = "2013年政府工作报告 过去五年工作回顾"
# gwr_national_2013_wenjiabao.txt (bench corpus): the opening, the first section (its
# paragraphs cut short) and the start of the second; the opening line says 过去五年 too
REPORT_2013 = "\n\n".join([
    "2013政府工作报告",
    "——2013年3月5日在第十二届全国人民代表大会第一次会议上",
    "现在，我代表国务院，向大会报告过去五年的政府工作，并对今年工作提出建议，请各位代表审议。",
    "一、过去五年工作回顾",
    "第十一届全国人民代表大会第一次会议以来的五年，是我国发展进程中极不平凡的五年。"
    "我们有效应对国际金融危机的严重冲击，保持经济平稳较快发展。",
    "五年来的主要工作及特点：",
    "一是有效应对国际金融危机，促进经济平稳较快发展。我们及时调整宏观经济政策取向，"
    "实施积极的财政政策和适度宽松的货币政策。",
    "二是加快经济结构调整，提高经济发展的质量和效益。坚持实施扩大内需战略，内需对经济"
    "增长的贡献率明显提高。",
    "三是毫不放松地抓好“三农”工作，巩固和加强农业基础地位。",
    "二、今年经济社会发展的总体要求、主要预期目标和宏观经济政策",
    "党的十八大科学总结了过去五年的工作和党的十六大以来的奋斗历程和历史性成就。",
    "结合过去十年特别是近五年工作的体会，对今年政府主要工作提出以下建议。",
]) + "\n"
SECTION = ("第十一届全国人民代表大会", "一是有效应对", "二是加快经济结构调整", "三是毫不放松")
@pytest.fixture()
def store(tmp_path, monkeypatch):
    backend = report_store(tmp_path, monkeypatch, REPORT_2013)
    yield backend
    backend.close()


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_query_naming_a_section_gets_the_passages_under_its_heading(store, mode):
    hits = store.search(Query(REVIEW, limit=4, mode=mode)).hits
    texts = [h.text for h in hits]
    # the section's paragraphs share no word with 过去五年工作回顾 but the heading's; without
    # the section they were not on the page, and the opening line (过去五年的政府工作) led it
    assert all(any(t.startswith(s) for s in SECTION) for t in texts), texts
    assert [t[:6] for t in texts] == [s[:6] for s in SECTION]  # in the document's order


def test_the_sections_heading_and_list_lead_come_after_its_paragraphs(store):
    texts = [h.text for h in store.search(Query(REVIEW, limit=20, mode="lexical")).hits]
    assert texts.index("五年来的主要工作及特点：") > max(
        i for i, t in enumerate(texts) if any(t.startswith(s) for s in SECTION))
    assert texts.index("一、过去五年工作回顾") > texts.index("五年来的主要工作及特点：")
    assert not any(t.startswith("党的十八大") for t in texts[:5])  # the next section stays out


def test_questions_and_filtered_queries_keep_their_order(store):
    question = [h.text for h in store.search(
        Query("过去五年工作回顾是什么？", limit=3, mode="lexical")).hits]
    assert not any(t.startswith(SECTION[0]) for t in question)
    filtered = [h.text for h in store.search(
        Query(REVIEW, limit=3, mode="lexical",
              filters=[Filter("doc_type", "eq", "work_report")])).hits]
    assert not filtered[0].startswith(SECTION[0])


def test_marks_lead_ins_and_openers():
    assert marker_level("一、过去五年工作回顾") == 1
    assert marker_level("第三十四条 县级以上人民代表大会常务委员会") == 1
    assert marker_level("（二）一般公共预算支出情况。") == 2
    assert marker_level("1.教育支出7220亿元，同比下降2.1%。") == 3
    assert marker_level("１．教育支出") == 3  # full-width digits
    assert marker_level("（1）公务用车购置费 0 万元") == 4
    assert marker_level("1.5万亿元用于") is None and marker_level("2013年是") is None
    assert is_lead_in("主要支出科目情况如下：") and is_lead_in("汇报如下:")
    assert not is_lead_in("第三十四条 县级以上人民代表大会常务委员会对预算调整方案审查的主要内容：")
    assert not is_lead_in("初步统计，2025年全省地区生产总值60199.45亿元、增长5%，地方一般公共预算"
                          "收入3723.35亿元、增长3%，社会消费品零售总额增长，主要做了以下工作：")
    assert is_opener("（一）一般公共预算收入情况。") and is_opener("一、过去五年工作回顾")
    assert not is_opener("非税收入有所下降。")


def test_a_sections_end():
    following = ["第一段正文。", "（一）小标题", "第二段正文。", "二、下一部分", "别的正文。"]
    assert section_length("一、第一部分", following) == 3  # to the next mark of its level
    assert section_length("（一）一般公共预算收入情况。", ["正文。", "（二）支出情况。"]) == 1
    # a lead-in into a numbered list: the list, up to a mark above its items' level
    items = ["1.教育支出7220亿元。", "2.科学技术支出1033亿元。", "二、全国政府性基金预算收支情况"]
    assert section_length("主要支出科目情况如下：", items) == 2
    # a lead-in into unmarked lines ends at the next lead-in
    lines = ["——农业总产值增长３．５％。", "——控制货币发行。", "计划的任务，主要有以下几个方面：", "x。"]
    assert section_length("一九九一年国民经济和社会发展的主要目标是：", lines) == 2
    assert section_length("汇报如下:", ["一、编制情况", "正文。", "二、建议", "正文。"]) == 4


def test_section_first_moves_only_its_documents_places():
    doc_of = {1: "a", 2: "b", 3: "a", 10: "a", 11: "a"}
    ranked = [(4.0, 1), (3.0, 2), (2.0, 3)]
    out = section_first(ranked, doc_of, {"a": [(10, "x"), (11, "y")]})
    # the new places follow the document's first one; the other document keeps its order
    assert [r for _, r in out] == [10, 11, 1, 2, 3]
    assert [s for s, _ in out] == [4.0, 4.0, 4.0, 3.0, 2.0]  # a place keeps its score
    assert section_first(ranked, doc_of, {}) == ranked


# -- reporting periods ---------------------------------------------------------------

def test_periods_are_read_as_the_month_they_end():
    assert period_of("2018年8月 全国一般公共预算收入") == 8
    assert period_of("2021年1-10月全国一般公共预算收入") == 10
    assert period_of("2023年前10个月国有土地使用权出让收入") == 10
    assert period_of("2013年前三季度中央财政收入") == 9
    assert period_of("2019年上半年财政收支情况") == 6
    assert period_of("2011年1、2月份公共财政收入情况") == 2
    assert period_of("2010年1月和2月财政收入") == 2
    assert period_of("——2013年3月5日在第十二届全国人民代表大会") is None  # a day's date
    assert period_of("１９９１年计划") is None and period_of("") is None
    assert understand("2019年上半年 个人所得税").to_json()["period"] == 6
    assert "期间 截至6月" in understand("2019年上半年 个人所得税").describe()


def test_another_period_of_the_year_asked_loses_a_share():
    u = understand("2019年第三季度 个人所得税")
    september = {"year": 2019, "title": "2019年9月财政收支情况", "doc_type": "fiscal_report"}
    june = {"year": 2019, "title": "2019年上半年财政收支情况", "doc_type": "fiscal_report"}
    assert meta_matches(u, september)["period"] == 1.0
    assert meta_matches(u, june)["period_other"] == 1.0
    assert meta_boost(u, june) < meta_boost(u, september)
    # another year counts once, as a year: its period is not compared
    other_year = {"year": 2018, "title": "2018年9月财政收支情况", "doc_type": "fiscal_report"}
    assert meta_matches(u, other_year)["period"] == meta_matches(u, other_year)["period_other"] == 0


def test_a_query_naming_a_period_finds_that_periods_report(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    # the June report first: without the period the two tie, and the first stored wins
    for title, tax in (("2019年上半年财政收支情况", "5639"), ("2019年9月财政收支情况", "8053")):
        _add(backend, tmp_path, f"{title}.txt", f"{title}\n\n4.个人所得税{tax}亿元，同比下降30%。\n",
             title=title, year=2019, region="全国", doc_type="fiscal_report")
    for i, line in enumerate(OTHER):
        _add(backend, tmp_path, f"budget{i}.txt", line, title=f"预算报告{i}", year=2012,
             region="全国", doc_type="budget")
    hits = backend.search(Query("2019年第三季度 个人所得税", limit=3, mode="lexical")).hits
    backend.close()
    assert not is_heading(hits[0].text) and "8053" in hits[0].text, [h.text for h in hits]


def test_a_named_sections_document_shows_more_than_four_passages_on_the_first_page(store):
    # PER_DOC keeps a page scannable; a section the query names is the answer, so its
    # document may show SECTION_PER_DOC passages (the whole section here: four and its lead)
    hits = store.search(Query(REVIEW, limit=10, mode="lexical")).hits
    report = [h for h in hits if h.doc.startswith("gwr")]
    assert len(report) > 4 and all(
        any(h.text.startswith(s) for s in SECTION) for h in report[:4])
