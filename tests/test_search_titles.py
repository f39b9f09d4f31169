"""Two more ways a query names a part of a document (search.sections): a report's
title over its parts names the whole report (财政部 2025年1-2月财政收支情况: the readers
label every figure of it), and a marked heading that the passage cut joined to its
section's first paragraph (三、深入改革经济体制和扩大对外开放 国民经济的…) opens the
section as a heading line does. Real SQLite stores (docs/search_relevance.md,
thirteenth session, helper searchfix13)."""
from __future__ import annotations

import pytest

from search.backend import Query
from search.hybrid import is_heading
from search.sections import (LEAD_SHARE, head_line, heads_parts, holds_some, is_subheading,
                             is_title, section_length, topic_share)
from search.understand import understand
from search.sections import names_year
from tests.search_helpers import OTHER_LINES as OTHER
from tests.search_helpers import add_text as _add
from tests.search_helpers import report_store


def monthly(year: int, revenue: str, day: str) -> str:
    """A Ministry of Finance monthly report as the bench corpus holds them (mof_t2025…):
    title, date and source line, then its marked parts."""
    return "\n\n".join([
        f"{year}年1-2月财政收支情况",
        f"{year}年3月{day}日 来源：国库司",
        "一、全国一般公共预算收支情况",
        "（一）一般公共预算收入情况。",
        f"1-2月，全国一般公共预算收入{revenue}亿元，同比下降1.6%。其中，全国税收收入36349亿元。",
        "主要税收收入项目情况如下：",
        "1.国内增值税15128亿元，同比增长1.1%。",
        "2.国内消费税4079亿元，同比增长0.3%。",
        "（二）一般公共预算支出情况。",
        "1-2月，全国一般公共预算支出45096亿元，同比增长3.4%。",
    ]) + "\n"


@pytest.fixture()
def reports(tmp_path, monkeypatch):
    # the 2024 report is stored first: its title holds every word of the query but its year
    backend = report_store(tmp_path, monkeypatch, "2013政府工作报告\n\n各位代表：\n")
    for year, revenue, day in ((2024, "44585", "21"), (2025, "43856", "24")):
        _add(backend, tmp_path, f"mof_{year}.txt", monthly(year, revenue, day),
             title=f"{year}年1-2月财政收支情况", year=year, region="全国", org="财政部",
             doc_type="fiscal_report")
    yield backend
    backend.close()


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_query_naming_a_report_by_its_title_gets_the_reports_body(reports, mode):
    hits = reports.search(Query("财政部 2025年1-2月财政收支情况", limit=10, mode=mode)).hits
    first = [h for h in hits[:6]]
    # before: the 2025 title and a figure, then the 2024 report's title and date lines
    assert all(h.doc == "mof_2025.txt" for h in first), [(h.doc, h.text) for h in hits]
    assert not any(is_heading(h.text) for h in first), [h.text for h in first]
    assert "43856" in first[0].text  # in the report's order


# gwr_national_1987_zhaoziyang.txt (bench corpus), paragraphs cut short: the third part's
# heading stands in one passage with its first paragraph
REPORT_1987 = "\n\n".join([
    "1987年政府工作报告",
    "各位代表：",
    "二、集中力量保证重点建设 今年的固定资产投资要继续控制规模，对外开放中的引进项目也要审查。",
    "三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展，既要靠坚持正确的建设方针，"
    "又要靠深入改革和扩大对外开放。",
    "第一，深化企业改革，建立和健全责权利相结合的企业经营机制。增强企业活力是中心环节。",
    "第二，继续发展各种横向经济联合，鼓励建立企业群体和企业集团。",
    "价格改革和物价问题是当前人们普遍关心和议论较多的问题。",
    "四、巩固和发展安定团结的政治局面",
    "我国的建设、改革和开放，任何时候也离不开政治上的安定团结。经济体制改革和对外开放都需要它。",
]) + "\n"
PART_3 = ("三、深入改革", "第一，深化企业改革", "第二，继续发展", "价格改革和物价")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_heading_joined_to_its_first_paragraph_opens_its_section(tmp_path, monkeypatch, mode):
    backend = report_store(tmp_path, monkeypatch, REPORT_1987.replace("1987", "2013"))
    hits = backend.search(Query("2013年政府工作报告 深入改革经济体制和扩大对外开放", limit=4,
                                mode=mode)).hits
    backend.close()
    texts = [h.text for h in hits]
    # before: the heading's passage, then the next part's paragraph that repeats the words
    assert [t[:4] for t in texts] == [s[:4] for s in PART_3], texts


def test_head_lines_titles_and_whole_documents():
    assert head_line("三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展。") == \
        "三、深入改革经济体制和扩大对外开放"
    assert head_line("一、过去五年工作回顾") is None  # a heading alone is an opener already
    assert head_line("初步统计 全省一般公共预算收入增长5%。") is None  # no mark
    assert head_line("1.国内增值税15128亿元 同比增长1.1%。") is None  # a table row, not a heading
    body = monthly(2025, "43856", "24").split("\n\n")
    assert heads_parts(body[1:])  # a date line, then 一、
    assert not heads_parts(body[4:])  # a paragraph first
    assert not heads_parts(["（一）一般公共预算收入情况。", "一、"])  # parts start at 一、
    assert section_length(body[0], body[1:]) == 0  # an unmarked heading ends at the next one
    assert section_length(body[0], body[1:], whole=True) == len(body) - 1
    assert names_year(understand("2025年1-2月财政收支情况"), body[0])
    assert not names_year(understand("2024年1-2月财政收支情况"), body[0])
    assert names_year(understand("财政收支情况"), body[0])


# gwr_national_2003_zhurongji.txt (bench corpus), cut short: 过去五年 names the first part,
# “三农” a heading inside it; the second part speaks of “三农” too
REPORT_2003 = "\n\n".join([
    "2003年政府工作报告",
    "各位代表：",
    "一、过去五年政府工作的回顾",
    "五年来，国民经济保持良好发展势头，经济结构战略性调整迈出重要步伐。",
    "（二）坚持以经济结构调整为主线，着力提高经济增长质量和效益",
    "积极推进工业结构优化升级，加快发展服务业。",
    "（三）坚持把解决“三农”问题放在突出位置，巩固和加强农业基础地位",
    "农业、农村、农民问题，是关系改革开放和现代化建设全局的重大问题。",
    "一是推进农业结构调整，发展优质高效农业。",
    "二是深化粮棉流通体制改革，保护农民利益。",
    "（四）坚持推进国有企业改革，切实加强再就业工作",
    "国有企业改革取得重大进展。",
    "二、对今年政府工作的建议",
    "（二）促进农业和农村经济全面发展",
    "继续把发展农业和农村经济、增加农民收入，作为重中之重，切实做好“三农”工作。",
]) + "\n"
NESTED = ("农业、农村、农民", "一是推进农业结构", "二是深化粮棉流通")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_query_naming_a_part_and_a_heading_inside_it_gets_that_headings_section(
        tmp_path, monkeypatch, mode):
    backend = report_store(tmp_path, monkeypatch, REPORT_2003.replace("2003", "2013"))
    hits = backend.search(Query("2013年政府工作报告 过去五年 “三农”问题", limit=3,
                                mode=mode)).hits
    backend.close()
    # before: the second part's 切实做好“三农”工作 and the first part's heading led
    assert [h.text[:5] for h in hits] == [s[:5] for s in NESTED], [h.text for h in hits]


def test_headings_inside_a_part():
    assert is_subheading("（三）坚持把解决“三农”问题放在突出位置，巩固和加强农业基础地位")
    assert is_subheading("三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展。")
    assert is_subheading("８月份主要收入项目情况如下：")  # a lead-in
    assert not is_subheading("（一）今年以来，全国财政收入增长较快。")  # a sentence
    assert not is_subheading("今年以来全国财政收入增长较快")  # no mark, no lead-in


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_titles_source_line_counts_with_the_title(reports, mode):
    # 国库司 is in the line under the title only (2025年3月24日 来源：国库司)
    hits = reports.search(Query("财政部国库司 2025年1-2月财政收支情况", limit=10, mode=mode)).hits
    first = hits[:6]
    assert all(h.doc == "mof_2025.txt" and not is_heading(h.text) for h in first), \
        [(h.doc, h.text) for h in hits]


def test_date_lines_are_no_titles():
    u = understand("财政部国库司 2019年上半年财政收支情况")
    assert is_title(u, "2019年上半年财政收支情况")
    assert not is_title(u, "2019年7月16日 来源：国库司")
    assert not is_title(u, "2018年上半年财政收支情况")  # another year
    assert not is_title(understand("上半年财政收支情况 国库司"), "2019年上半年财政收支情况")


# gwr_national_1991_lipeng.txt (bench corpus), cut short and dated 2013 for the store:
# 计划 names the part, the lead-in under it names the targets without it
REPORT_PLAN = "\n\n".join([
    "2013政府工作报告",
    "各位代表：",
    "二、关于二〇一三年国民经济和社会发展计划",
    "今年是实施十年规划和“八五”计划的第一年，做好今年的经济工作十分重要。",
    "二〇一三年国民经济和社会发展的主要目标是：",
    "1.农业总产值比上年增长3.5%。",
    "2.工业总产值比上年增长6%。",
    "三、坚持改革开放",
    "国民经济和社会发展的主要目标能否实现，取决于改革开放。",
]) + "\n"


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_lead_in_inside_the_named_part_opens_its_list(tmp_path, monkeypatch, mode):
    backend = report_store(tmp_path, monkeypatch, REPORT_PLAN)
    hits = backend.search(Query("2013年 国民经济和社会发展计划 主要目标", limit=2,
                                mode=mode)).hits
    backend.close()
    assert [h.text[:2] for h in hits] == ["1.", "2."], [h.text for h in hits]


def test_a_period_names_the_report_not_a_part_of_it():
    from search.query import parse

    q = "2013年8月全国财政收入"
    pq, u = parse(q), understand(q)
    # ８月份主要收入项目情况如下： under 一、全国公共财政收入情况 holds only the period
    assert holds_some(pq, u, "８月份主要收入项目情况如下：")
    assert topic_share(pq, u, "８月份主要收入项目情况如下：") == 0
    assert topic_share(pq, u, "全国公共财政收入情况") == 1.0
    # and 1-8月累计，主要收入项目情况如下： little of 2018年8月 全国一般公共预算收入's topic
    q = "2018年8月 全国一般公共预算收入"
    assert topic_share(parse(q), understand(q), "1-8月累计，主要收入项目情况如下：") < LEAD_SHARE
