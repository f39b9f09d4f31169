"""Goals of budgets' and self-evaluations' goal tables as stored pages flatten them, and of their goal headings
(session 17, helper goalbudget17): real texts of the budget17 set, batches 27, 35 and kinds12 -> the goal cell a goal
column names, never a result cell or the indicator rows; the goal a heading's sentence states; one goal per item of a
heading's ；-list."""
from __future__ import annotations

from nlp import goal_budget, goal_model, goals

QINGSHEN = "selfeval2023_qingshen_drc_wage_project_table.txt"  # budget17: one cell a line, each ending in |
TANGXI = "selfeval2022_guichi_tangxi_commission_project_table.txt"  # budget17: cells separated by spaces
NINGXIANG = "budget2021_ningxiang_batang_project_goal_table_flat.txt"  # budget17: cells run together
JINGYAN = "budget2023_jingyan_mata_town_performance_targets.txt"  # batch 27: a | table, a row per project
LEIYANG = "selfeval2022_leiyang_no4_middle_school_funds.txt"  # kinds12: (二)资金及项目绩效目标 under 一、基本情况
WEIQI = "selfeval2022_weiqi_town_relocation_award_project.txt"  # batch 35: (二)项目绩效目标 一是…；二是…；三是…


def _cells(name: str) -> list[str]:
    text = goal_model.load_document(name).text
    return [text[s:e] for spans, _ in goal_budget.flat_goal_cells(text) for s, e in spans]


def _goal_texts(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_the_goal_column_names_the_goal_cell_not_the_result_cell() -> None:
    assert _cells(QINGSHEN) == ["严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。"]
    found = _goal_texts(QINGSHEN)
    # the cell is the goal; the form's instructions and the table's figures are none
    assert found == ["严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金"]
    (cell,) = _cells(TANGXI)  # 年度总体目标 预期目标 实际完成情况 <expected> <done>
    assert cell.startswith("本项目共申请预算资金90万元") and "完成预算资金" not in cell
    found = _goal_texts(TANGXI)
    assert not any("完成预算资金" in t for t in found)
    assert "本项目共申请预算资金90万元" in found  # a goal item never runs over a sentence: the cell's first


def test_goal_cells_written_together_end_at_the_indicators() -> None:
    assert _cells(NINGXIANG) == ["改善镇域内基础设施,振兴乡村经济全面完成集镇立面改造、机关、学校、乡村振兴等项目,搞好提质改造"]


def test_a_row_tables_goal_column_gives_each_projects_goal() -> None:
    cells = _cells(JINGYAN)
    assert cells[0] == "按时发放村组干部报酬"
    assert not any("指标" in c for c in cells)


def test_prose_and_goal_headings_are_no_flattened_table() -> None:
    assert goal_budget.flat_goal_cells("2019年本部门共0个项目实行绩效目标管理，涉及财政性资金合计0万元。") == []
    assert goal_budget.flat_goal_cells("（二）项目绩效目标\n一是全力提高基层政府服务农村能力；二是全力保障镇政府行政运行；") == []


def test_a_goal_stated_under_a_goal_heading_in_a_review_part() -> None:
    found = _goal_texts(LEIYANG)
    assert "项目绩效目标是保证学校的正常运转" in found
    assert not any("239万元" in t for t in found)  # the funds that frame it are appropriations


def test_a_goal_headings_numbered_list_is_one_goal_per_item() -> None:
    found = _goal_texts(WEIQI)
    assert "一是全力提高基层政府服务农村能力，加强乡镇基层政权保障水平" in found
    assert "二是全力保障镇政府行政运行" in found


def test_a_tab_separated_header_reads_tab_separated_cells() -> None:
    # the budget17 self-evaluation's header and cells as a tab-separated page gives them (the cells' own text)
    text = ("项目年度目标\t年度目标完成情况\n严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。\t"
            "工资及时足额发放\n绩效指标\t一级指标\t二级指标\n")
    ((spans, _),) = goal_budget.flat_goal_cells(text)
    assert [text[s:e] for s, e in spans] == ["严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。"]


def test_a_row_table_written_with_bars_at_both_ends_and_merged_cells_at_the_rows_end() -> None:
    # budget17: another page's copy of the batch-27 table (| a | b | … | |||||)
    cells = _cells("budget2023_jingyan_mata_town_performance_targets_md.txt")
    assert cells[0] == "按时发放村组干部报酬"
    assert cells == _cells(JINGYAN)
    assert "满意度指标" not in cells


def test_a_tab_separated_row_table_is_read_as_the_bar_table() -> None:
    # batch 27's table with its | cells as tabs (a spreadsheet's text)
    text = goal_model.load_document(JINGYAN).text.replace(" | ", "\t")
    cells = [text[s:e] for spans, _ in goal_budget.flat_goal_cells(text) for s, e in spans]
    assert cells == _cells(JINGYAN)


def test_the_column_terms_search_with_a_lead_lookahead_and_find_the_same_cells() -> None:
    """goalspeed17: the column term is searched over every page's whole text; with_lead puts a lookahead for its
    first characters before it (a tenth of the time), the same matches and named groups as the plain union."""
    import re

    from nlp.regex_union import kinded_goal_vocabulary, with_lead

    term, _, _ = goal_budget._column_terms()
    assert term.pattern.startswith("(?=[") and "项" in term.pattern[:40]
    v = kinded_goal_vocabulary("flat_goal_columns.txt", ("goal", "head", "result", "stop", "instruction"))
    plain = re.compile("|".join(f"(?P<{k}>{v[k].pattern})" for k in ("result", "goal", "head")))
    for name in (QINGSHEN, TANGXI, NINGXIANG, JINGYAN):
        text = goal_model.load_document(name).text
        found = [(m.span(), m.lastgroup) for m in term.finditer(text)]
        assert found and found == [(m.span(), m.lastgroup) for m in plain.finditer(text)]
    # first characters not known (a class of digits, a start anchor): the pattern is given back as it is
    for unknown in (re.compile(r"\d+年目标"), re.compile(r"^对照"), re.compile(r"(?:年度)?")):
        assert with_lead(unknown) is unknown
