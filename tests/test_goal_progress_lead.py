"""A progress report says in its lead that it reports (``review_leads.txt``): its figures are results.

Why: a half-year execution report in news lists disbursements sentence after sentence (拨付资金3500万元)
with no review heading above them; the quantified-target rule made each a certain goal. The lead
(title lines and first sentence) is where such a text says what it is.
"""
from __future__ import annotations

from ingest.document import Document
from nlp import goal_model, goals
from tests.text_documents import one_page

ZHENGZHOU = "news2012_zhengzhou_finance_midyear_report.txt"  # batch 25: a finance bureau's half-year execution report
COUNTY = "news2020_county_key_projects_first_half.txt"  # batch 24: a county's key projects, plan and first half


def _doc(text: str) -> Document:
    return one_page(text, "p")


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


def test_last_years_targets_reported_reached_are_results() -> None:
    # a news item on the 2013 report quotes the 2012 results (batch 28): no goal, though each has a number and 增长
    text = ("温家宝说，2012年，我们合理把握政策力度，全面实现年初确定的主要目标，国内生产总值增长7.8%，"
            "城镇新增就业1266万人，居民消费价格涨幅回落到2.6%。")
    assert not goals.from_text(_doc(text))
    ahead = "今年要力争实现年初确定的主要目标，国内生产总值增长7.5%左右，城镇新增就业900万人以上。"
    assert any("7.5%" in g.text for g in goals.from_text(_doc(ahead)))


def test_every_item_of_a_target_list_is_a_target() -> None:
    # the 2020 report's targets after its lead cue (batch 25): the items without a number are targets too
    text = ("报告指出，今年要优先稳就业保民生，努力实现全面建成小康社会目标任务；城镇新增就业900万人以上，城镇调查失业率"
            "6%左右；居民消费价格涨幅3.5%左右；进出口促稳提质，国际收支基本平衡；重大金融风险有效防控；单位国内生产总值"
            "能耗和主要污染物排放量继续下降，努力完成“十三五”规划目标任务。")
    found = [g.text for g in goals.extract(None, _doc(text))]  # type: ignore[arg-type]
    for target in ("进出口促稳提质", "国际收支基本平衡", "重大金融风险有效防控", "努力完成“十三五”规划目标任务"):
        assert any(target in t for t in found), target


def test_a_short_list_keeps_its_unquantified_items_out() -> None:
    # two ；-items after the cue's own: too short to call a list of targets
    text = "今年要稳增长；城镇新增就业900万人以上，城镇调查失业率6%左右；加强作风建设，转变工作方式。"
    assert goals._unquantified_items(text, goals._clauses(text, 0, len(text)), 0) == []


def test_every_member_of_a_named_set_reaching_a_state_is_checkable() -> None:
    from nlp import vagueness

    assert not vagueness.review("现行标准下农村贫困人口全部脱贫、贫困县全部摘帽").vague  # batch 25 labels it g
    assert vagueness.review("贫困人口基本全部脱贫").vague  # hedged (基本): no full coverage
