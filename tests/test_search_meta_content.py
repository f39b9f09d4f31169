"""A query that names a year, region or organisation and a topic asks for what
the document says there: a document's section heading and title line,
which repeat the query's words most densely, come after that document's content,
and other documents keep their places (search.hybrid.content_first). And a year
in front of a report's name is that report's own year, so next year's report (which reviews it) is another year
(search.understand._names_document). Real text of the bench corpus in a real
SQLite store (docs/search_relevance.md, eleventh session, helper searchmeta11)."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.backend import Query
from search.hybrid import content_first, is_heading
from search.understand import meta_matches, understand
from tests.search_helpers import report_store

REVIEW = "2013年政府工作报告 过去五年工作回顾"
# the opening lines and the first section of gwr_national_2013_wenjiabao.txt (bench corpus),
# its first paragraph cut after two sentences
REPORT_2013 = (
    "2013政府工作报告\n\n"
    "——2013年3月5日在第十二届全国人民代表大会第一次会议上\n\n"
    "一、过去五年工作回顾\n\n"
    "第十一届全国人民代表大会第一次会议以来的五年，是我国发展进程中极不平凡的五年。"
    "我们有效应对国际金融危机的严重冲击，保持经济平稳较快发展，国内生产总值从26.6万亿元"
    "增加到51.9万亿元，跃升到世界第二位。\n\n"
    "这五年，我国宏观经济总体上保持增速平稳较快、物价相对稳定、就业持续增加、国际收支趋于"
    "平衡的良好态势，国内生产总值年均增长9.3%，显著高于同期全球和新兴经济体的增速，通货膨胀"
    "率远低于其他新兴经济体。我国经济稳定，充满活力。\n"
)
@pytest.fixture()
def store(tmp_path, monkeypatch):
    backend = report_store(tmp_path, monkeypatch, REPORT_2013)
    yield backend
    backend.close()


def test_headings_and_title_lines_are_told_from_sentences():
    assert is_heading("一、过去五年工作回顾") and is_heading("2021年10月财政收支情况")
    assert not is_heading("五年来的主要工作及特点：")  # leads into a list: content
    assert not is_heading("非税收入有所下降。")
    assert not is_heading(REPORT_2013.split("\n\n")[3])


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_meta_query_on_a_section_gets_its_content_before_its_heading(store, mode):
    hits = store.search(Query(REVIEW, limit=5, mode=mode)).hits
    texts = [h.text.strip() for h in hits]
    assert "一、过去五年工作回顾" in texts  # still found, just not first
    assert not is_heading(texts[0]), texts
    content = [i for i, t in enumerate(texts) if Path(hits[i].doc).name.startswith("gwr")
               and not is_heading(t)]
    assert content and max(content) < texts.index("一、过去五年工作回顾")


def test_only_a_documents_own_places_change():
    u = understand(REVIEW)
    texts = {1: "一、过去五年工作回顾", 2: "另一份报告的正文，说了很多别的事情。", 3: "过去五年，我们有效应对了危机。",
             4: "2026年自治区民生实事"}
    doc_of = {1: "a", 2: "b", 3: "a", 4: "c"}
    ranked = [(4.0, 1), (3.0, 2), (2.0, 3), (1.0, 4)]
    # a's content takes a's first place; b keeps its place; c's heading is all c has: it stays
    assert content_first(ranked, texts, doc_of, u) == [(4.0, 3), (3.0, 2), (2.0, 1), (1.0, 4)]
    # a question is answered by a sentence too: its headings go behind (fifteenth session)
    assert content_first(ranked, texts, doc_of, understand("过去五年工作回顾是什么？")) == [
        (4.0, 3), (3.0, 2), (2.0, 1), (1.0, 4)]
    assert content_first(ranked, texts, doc_of, understand("过去五年工作回顾")) == ranked
    assert content_first(ranked, texts, doc_of, u, ordered=True) == ranked


def test_a_question_keeps_its_order(store):
    # a question is answered by a sentence; its order is the one it had (no heading is damped)
    plain = [h.text for h in store.search(Query("过去五年工作回顾", limit=5, mode="lexical")).hits]
    assert plain and is_heading(plain[0])


def test_a_year_in_front_of_a_report_name_is_that_reports_year():
    u = understand("2011年政府工作报告 “十二五”时期主要目标")
    assert u.year == 2011 and u.year_of_doc
    next_year = {"year": 2012, "doc_type": "work_report"}
    assert meta_matches(u, next_year)["year"] == 0.0
    assert meta_matches(u, next_year)["year_other"] == 1.0
    assert meta_matches(u, {"year": 2011, "doc_type": "work_report"})["year"] == 1.0
    # without the report's name (or with a space between) the next year's review still half-counts
    for query in ("1982年 第六个五年计划 财政收入", "2011年 政府工作报告 就业"):
        assert meta_matches(understand(query), {"year": query[:4] and int(query[:4]) + 1,
                                                "doc_type": "work_report"})["year"] == 0.5
    # a self-evaluation's year is the year it reports on: written the next year, it still matches
    u = understand("2019年度绩效自评报告 项目支出")
    assert not u.year_of_doc
    assert meta_matches(u, {"year": 2020, "doc_type": "self_evaluation"})["year"] == 0.5
