"""Goals of budget reports, plans' numbered target lists and opinions' goal points (session 14): real stored texts
of batches 24, 33 and 34 -> the goals the labellers count, and none where the same words report or appropriate."""
from __future__ import annotations

import pytest

from nlp import goal_budget, goal_model, goals

LANSHAN = "fiscal2024_lanshan_county_budget_report.txt"  # batch 34: a county's budget, its 收入安排 part
WEIFANG = "budget2024_weifang_city_budget_report_abstract.txt"  # batch 24: a city's budget report, execution part
FUJIAN = "gwr2024_fujian_plan_targets_big5.txt"  # batch 33: 主要预期目标：一是… (traditional script)
SHANDONG = "law2014_shandong_budget_management_reform_opinions.txt"  # batch 33: 2.目标任务。…


def _goal_texts(name: str) -> list[str]:
    document = goal_model.load_document(name)
    return [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]


def test_a_budget_reports_planned_figures_are_goals_one_per_target() -> None:
    found = _goal_texts(LANSHAN)
    assert "地方一般公共预算收入116059万元，较上年增加6570万元，增长6%" in found
    assert any(t.startswith("其中税收收入82539万元") for t in found)
    assert any(t.startswith("非税收入33520万元") for t in found)
    assert any(t.startswith("税收收入占地方一般公共预算收入的比重为71.1%") for t in found)


def test_a_budget_reports_execution_figures_stay_results() -> None:
    text = goal_model.load_document(WEIFANG).text
    assert goal_budget.is_budget_report(text)
    assert goals.budget_plan_amounts(text, []) == ()
    assert not any("完成预算的" in t for t in _goal_texts(WEIFANG))


PARTS = ("关于某县2023年预算执行情况和2024年预算草案的报告\n一、2023年预算执行情况\n全县一般公共预算收入10亿元，增长5%。\n"
         "二、2024年预算草案\n（一）一般公共预算\n全县一般公共预算收入安排10.5亿元，增长5%；支出安排20亿元。\n"
         "三、完成2024年预算的主要措施\n全力组织收入，力争收入增长6%。\n")


def test_the_coming_years_part_ends_at_the_next_top_level_part() -> None:
    found = [PARTS[s:e] for s, e in goals.budget_plan_amounts(PARTS, [])]
    assert found == ["全县一般公共预算收入安排10.5亿元，增长5%", "支出安排20亿元"]


def test_a_part_named_by_the_drafts_year_alone_is_the_coming_years() -> None:
    by_year = PARTS.replace("二、2024年预算草案", "二、2024年全县预算")
    assert [by_year[s:e] for s, e in goals.budget_plan_amounts(by_year, [])] == [
        "全县一般公共预算收入安排10.5亿元，增长5%", "支出安排20亿元"]
    run_year = PARTS.replace("二、2024年预算草案", "二、2023年全县预算")  # the year run's, not the draft's
    assert goals.budget_plan_amounts(run_year, []) == ()


def test_a_departments_budget_with_the_same_headings_states_no_planned_figure() -> None:
    department = PARTS.replace("关于某县2023年预算执行情况和2024年预算草案的报告", "某县财政局2024年部门预算")
    assert not goal_budget.is_budget_report(department)
    assert goals.budget_plan_amounts(department, []) == ()


def test_a_bad_part_line_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    goal_budget._lists.cache_clear()
    real = goal_budget.corpora.read_lines
    monkeypatch.setattr(goal_budget.corpora, "read_lines",
                        lambda *p: ["预算安排 plan"] if p[-1] == "budget_plan_parts.txt" else real(*p))
    with pytest.raises(ValueError, match="budget_plan_parts.txt: line 1"):
        goal_budget.part_kind("二、2024年预算草案")
    goal_budget._lists.cache_clear()


def test_a_numbered_target_lists_item_head_is_a_goal_and_its_means_are_not() -> None:
    found = _goal_texts(FUJIAN)
    assert "一是增強高質量發展新動能" in found
    assert not any(t.startswith("以科技創新為引領") for t in found)  # the item's means, labelled 0


def test_an_opinions_goal_point_states_its_goals_sentence_by_sentence() -> None:
    found = _goal_texts(SHANDONG)
    assert any("全面启动预算管理制度改革" in t for t in found)
    text = goal_model.load_document(SHANDONG).text
    sections = goals._sections(text, [])
    title = text.index("2.目标任务")
    assert not any(s <= title < e for s, e, _ in sections)  # the title itself is no goal
    after = text.index("从2014年开始")
    assert any(s <= after < e and k == "next" for s, e, k in sections)
    guidance = text.index("1.指导思想")
    assert all(k != "next" for s, e, k in sections if s < guidance)


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_goal_point_ends_with_its_line(gap: str) -> None:
    text = f"一、总体要求\n1.目标任务。全面启动改革。到2016年基本建立制度。{gap}2.实施步骤。各地要加强组织领导，认真履行职责。\n"
    sections = goals._sections(text, [])

    def kind(start: str) -> str | None:
        return next(k for s, e, k in sections if text[s:e].startswith(start))

    assert kind("全面启动") == kind("到2016年") == "next"
    assert kind("各地要加强") == "plan"  # back to the part it is in (总体要求)
