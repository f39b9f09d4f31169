"""Goals of the finance kinds' layouts of the fin18 set (session 18, helper goalfin18), on the set's real texts:
a self-evaluation form written run together (its header off any cell boundary, its result cell restating the goal
cell), the indicator rows of such a form, a project's indicators written as prose under 一、 产出指标, and a cell's
其中 breakdown (budget17)."""
from __future__ import annotations

from nlp import goal_budget, goal_model, goals

ZHONGJIANG = "fin18_selfeval2022_zhongjiang_water_selfeval_table.txt"  # 年度总体目标年初设定目标年度总体目标完成情况综述…
YUANZHOU = "fin18_selfeval2022_yuanzhou_tea_selfeval_table.txt"  # …1.75万元年度总体目标<cell>绩效指标一级指标…
TONGXIN = "fin18_budget2023_tongxin_xiamaguan_grape_goal_notice.txt"  # 项目总体绩效目标是：… then 一、 产出指标 …
TANGXI = "selfeval2022_guichi_tangxi_commission_project_table.txt"  # budget17: 预期目标 cell with a 其中 breakdown


def _goal_texts(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_a_run_together_goal_cell_before_a_result_cell_that_restates_it() -> None:
    text = goal_model.load_document(ZHONGJIANG).text
    ((spans, _),) = goal_budget.flat_goal_cells(text)
    assert [text[s:e] for s, e in spans] == ["对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,"]
    found = _goal_texts(ZHONGJIANG)
    # one goal per piece, as the labels cut the cell; the result cell's copy and the indicator rows are none
    assert found == ["对农村地区供水计量设施设备进行改进", "对项目区农业用水计量", "为项目区农业生产夯实基础"]


def test_the_indicator_rows_of_a_run_together_form_are_no_goals() -> None:
    found = _goal_texts(YUANZHOU)
    assert not any("3875人" in t or "3620人" in t or "指标" in t for t in found)


def test_indicators_written_as_prose_under_an_indicator_heading_are_no_goals() -> None:
    found = _goal_texts(TONGXIN)
    assert "增加特色产业产值80万元" in found  # the project's 总体绩效目标, before the indicator part
    assert not any("17600株" in t or "≥95%" in t or "≥10户" in t or t == "生态修复功能提高" for t in found)


def test_a_cells_breakdown_of_its_sum_is_no_goal() -> None:
    found = _goal_texts(TANGXI)
    assert "本项目共申请预算资金90万元" in found
    assert not any("30万元用于" in t for t in found)


def test_a_forms_title_is_no_column_header_off_a_boundary() -> None:
    # 绩效目标 of 绩效目标自评表 runs on into the form's name, even where a run-together form's stop term follows
    text = "2022年12月30日绩效目标自评表(2022年度)项目名称小型水库水标尺制作安装绩效指标一级指标二级指标"
    assert goal_budget.flat_goal_cells(text) == []


def test_a_goal_part_ends_where_a_higher_part_begins_run_on_into_its_sentence() -> None:
    # one line as the page gives it: (二)项目绩效目标。<goal> 二、绩效评价工作开展情况为加强…。…县本级机构减少173个…
    found = _goal_texts("fin18_selfeval2021_county_editorial_office_fund_report.txt")
    assert any(t.startswith("抓好事业单位分类改革") for t in found)
    assert not any("173个" in t or "上级事业单位改革精神" in t for t in found)


def test_prose_naming_indicators_after_a_goal_term_is_no_run_together_form() -> None:
    # off a cell boundary only a form's indicator header (绩效指标一级指标…) closes a run-together header, not prose
    assert goal_budget.flat_goal_cells("对照年度目标逐项分析绩效指标完成情况，各项指标均已完成。") == []
