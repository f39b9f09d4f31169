"""A progress report says in its lead that it reports (``review_leads.txt``): its figures are results.

Why: a half-year execution report in news lists disbursements sentence after sentence (拨付资金3500万元)
with no review heading above them; the quantified-target rule made each a certain goal. The lead
(title lines and first sentence) is where such a text says what it is.
"""
from __future__ import annotations

from ingest.document import Document, Page
from nlp import goal_model, goals

ZHENGZHOU = "news2012_zhengzhou_finance_midyear_report.txt"  # batch 25: a finance bureau's half-year execution report
COUNTY = "news2020_county_key_projects_first_half.txt"  # batch 24: a county's key projects, plan and first half


def _doc(text: str) -> Document:
    return Document(id="p", source="p.txt", path="p.txt", format="text", title="p", text=text,
                    pages=[Page(1, 0, len(text))])


def test_an_execution_report_lead_makes_its_disbursements_results() -> None:
    document = goal_model.load_document(ZHENGZHOU)
    assert goals.lead_kind(document.text)[0] == "review"
    found = [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]
    assert "拨付资金3500万元" in document.text
    assert not any("拨付资金3500万元" in t or "将新农合人均筹资标准提高到290元" in t for t in found)


def test_a_progress_report_keeps_its_planned_figures_and_drops_what_is_done() -> None:
    document = goal_model.load_document(COUNTY)
    found = [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]
    assert any("年度计划完成投资56.21亿元" in t for t in found)  # 计划: the year's plan, still ahead
    assert not any("1-6月份累计完成投资35.9亿元" in t for t in found)  # 累计: done


def test_a_lead_that_also_looks_ahead_opens_no_review() -> None:
    draft = "市财政局局长作了关于2024年预算执行情况和2025年预算草案的报告。今年拟安排民生支出120亿元。"
    assert goals.lead_kind(draft) == (None, 0)
    plain = "市财政局局长作了关于2024年1-6月预算执行情况的报告。上半年拨付民生资金12亿元。"
    assert goals.lead_kind(plain)[0] == "review"
    assert not goals.from_text(_doc(plain))


def test_a_digest_whose_first_item_reports_opens_no_review() -> None:
    digest = ("财经早餐2024年8月27日\n\n热点聚焦\n\n1、财政部数据显示，1-7月，全国一般公共预算收入累计达135663亿元。\n\n"
              "2、国务院要求，今年城镇新增就业1200万人以上。\n")
    assert goals.lead_kind(digest) == (None, 0)


def test_the_lead_review_ends_at_the_first_heading_after_the_lead() -> None:
    text = ("上半年全市重点项目进展顺利\n截至6月底，全市重点项目累计完成投资120亿元。其中拨付资金3亿元。\n"
            "下半年工作安排\n全年完成投资300亿元，开工项目50个。\n")
    kinds = {text[s:e]: k for s, e, k in goals._sections(text, [])}
    assert kinds["其中拨付资金3亿元"] == "review"
    assert kinds["全年完成投资300亿元，开工项目50个"] == "plan"
