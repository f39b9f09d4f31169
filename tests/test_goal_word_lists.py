"""The word lists goal finding reads from ``corpora/goals`` (reached states, next-steps intros).

Why: these patterns were regexes in ``nlp/goals.py``; as data they can be extended without code,
so this checks that the files are read, that every line compiles, and that they still decide the
real sentences they were written for.
"""
from __future__ import annotations

import re

import corpora
from nlp import goal_model, goals

NDRC = "news2021_sina_ndrc_investment_next_steps.txt"  # batch 11: the NDRC's next-steps list in a news item


def test_every_goal_word_list_is_read_and_compiles() -> None:
    for name in goals.CUE_LISTS + goals.RULE_ONLY_LISTS:
        patterns = corpora.read_lines("goals", f"{name}.txt")
        assert patterns, name
        for p in patterns:
            re.compile(p)
    assert set(goals._cues()) == set(goals.CUE_LISTS) | {
        "reached_states", "next_intros", "certain_commitments", "horizons", "next_frames", "stated_targets", "goal_statements",
        "requirement_intros", "outcome_leads", "reported_met",
        "plan_openers", "plan_reviews", "plan_nontargets", "plan_nonclauses", "target_qualifiers", "quantity_verbs",
        "budget_drafts", "goal_frames", "outline_intros", "review_leads", "review_lead_guards",
        "target_list_frames", "goal_point_titles", "section_indicators",
        "duty_lines", "review_openers",  # session 18 (goalpolicy18): policy documents' duty lines, a plan's review year
        "section_duties",  # session 18 (goalself18): a unit's duties part
        "review_intros", "list_announcements"}  # session 18 (goalcounty18): a review list's intro, a line announcing a list


def test_a_state_reached_between_targets_is_a_state() -> None:
    # the outcome clauses of 2011's national plan sentence between its quantified targets
    assert goals._is_state("能源消费总量得到合理控制")
    assert goals._is_state("城乡居民收入基本达到全国平均水平")
    assert goals._is_state("基本公共服务实现全覆盖")


def test_a_plan_target_lists_balance_and_pace_states_are_states() -> None:
    # the unquantified items between a plan's quantified targets (session 14, labelled goals of batches 1-36)
    assert goals._is_state("居民收入增长与经济增长同步")
    assert goals._is_state("居民人均可支配收入增长与经济增长基本同步")
    assert goals._is_state("国际收支基本平衡")
    assert goals._is_state("碳排放强度、生态环境保护约束性指标完成国家下达控制目标")
    assert goals._is_state("平安江苏、法治江苏建设高水平推进")
    assert not goals._is_state("深入实施“四化同步、城乡融合、五区共兴”发展战略")  # 同步 without a growth pair
    assert not goals._is_state("审核通过的绩效目标同部门预算草案同步报送市人大审查")


def test_holding_a_bottom_line_is_an_outcome_of_an_exhortation() -> None:
    words = goals._cues()["outcome_words"]
    assert words.first("守牢安全底线") and words.first("兜牢民生底线")
    assert words.first("扛牢粮食安全底线")
    assert not words.first("扛牢责任")  # a stance, labelled `0` as often as a goal


def test_a_means_or_a_result_is_no_state() -> None:
    assert not goals._is_state("实现全覆盖的目标仍需努力")  # 实现…全覆盖 not ending the clause
    assert not goals._is_state("推动科技创新和产业创新深度融合")
    assert not goals._is_state("污染治理得到了有效控制")  # a report (了)


def test_a_next_steps_intro_in_running_text_opens_a_next_steps_section() -> None:
    document = goal_model.load_document(NDRC)
    text = document.text
    sections = goals._sections(text, [])
    intro = next(i for i, (s, e, _) in enumerate(sections) if text[s:e].endswith("重点从五个方面抓好补短板稳投资工作："))
    assert sections[intro][2] != "next"  # the framing line is no next step itself
    assert sections[intro + 1][2] == "next"
    assert not any(g.start <= sections[intro][0] < g.end for g in goals.extract(None, document))  # type: ignore[arg-type]


SHAANXI = "news2015_cei_shaanxi_key_projects.txt"  # batch 22: a province's key-project plan in news


def test_an_estimate_is_no_target_clause() -> None:
    # the labellers call an estimate no goal (25 of the 26 clauses with 预计 in batches 1-23):
    # 预计新开工项目70个 in Shaanxi's plan is a prediction beside the plan's figures
    assert "预计新开工项目70个" in goal_model.load_document(SHAANXI).text
    assert not goals._is_target_clause("预计新开工项目70个")
    assert goals._is_target_clause("计划新开工项目70个")
    assert goals._is_target_clause("比上年的预计数增加二十二亿元")  # an estimate named as the baseline
