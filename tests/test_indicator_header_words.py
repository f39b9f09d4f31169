"""Other forms' words for the columns of indicator tables (``corpora/indicators/headers.tsv``):
real .docx and .xlsx files made in the test, read through the real readers.

Why: each province's form names its columns its own way (考核指标 | 绩效目标值 | 计量单位（%）|
全年实际完成值 | 自评分); an unknown target or name column loses the whole table, and a column
whose header starts with 指标值 but holds its note, unit or sign (指标值说明, 指标值单位,
指标值性质) must not be taken for the target.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.readers import read
from nlp import indicators
from nlp.tables import _roles, parse_tables


def _docx(path: Path, rows: list[list[str]], before: str = "项目支出绩效目标表") -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(before)
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c
    d.save(str(path))
    return path


def _xlsx(path: Path, rows: list[list[str]], sheet: str = "绩效自评表") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(str(path))
    return path


@pytest.mark.parametrize("cell, role", [
    ("考核指标", "name"), ("评价指标", "name"), ("指标名", "name"), ("指标项", "name"),
    ("绩效目标值", "target"), ("2024年目标值", "target"), ("年度绩效目标值", "target"), ("计划值", "target"),
    ("全年实际完成值", "actual"), ("实际完成指标值", "actual"),
    ("指标值说明", "explanation"), ("指标值设定依据", "explanation"), ("指标值单位", "unit"),
    ("指标值性质", "comparator"), ("指标方向性", "comparator"), ("计量单位（%）", "unit"),
    ("分值(分)", "weight"), ("自评分", "score"), ("差异原因", "deviation"), ("数据来源", "explanation"),
])
def test_a_header_cell_names_its_column_role(cell: str, role: str) -> None:
    assert _roles([cell]) == {role: 0}


def test_a_unit_name_column_is_no_unit_column() -> None:
    """单位名称 (the budget unit's name, Sichuan forms) names no column role; 计量单位名称 is the unit."""
    assert _roles(["单位名称"]) == {} and _roles(["计量单位名称"]) == {"unit": 0}


def test_a_weak_name_word_left_of_the_level_columns_heads_them() -> None:
    """考核指标 over the level columns (考核指标 | 一级指标 | 二级指标 | 三级指标 | 指标值): the names
    are the 三级 column's, as with 绩效指标; with no other name column it is the names'."""
    assert _roles(["考核指标", "一级指标", "二级指标", "三级指标", "指标值"])["name"] == 3
    assert _roles(["一级指标", "二级指标", "考核指标", "目标值"])["name"] == 2


def test_a_form_with_other_column_words_is_read_whole(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "考核指标", "指标值性质", "绩效目标值", "指标值单位", "指标值说明"],
            ["产出指标", "数量指标", "培训基层干部", "≥", "300", "人次", "全年累计"],
            ["", "质量指标", "培训合格率", "≥", "95", "%", "考核合格人数/参训人数"],
            ["满意度指标", "服务对象满意度指标", "参训人员满意度", "≥", "90", "%", ""]]
    doc = read(_docx(tmp_path / "form.docx", rows))
    got = {i.name: (i.comparator, i.value, i.unit, i.level1, i.level2) for i in indicators.from_tables(doc)}
    assert got == {"培训基层干部": ("≥", 300, "人次", "产出指标", "数量指标"),
                   "培训合格率": ("≥", 95, "%", "产出指标", "质量指标"),
                   "参训人员满意度": ("≥", 90, "%", "满意度指标", "服务对象满意度指标")}


def test_a_self_evaluation_sheet_with_other_column_words_keeps_target_and_actual_apart(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "年度绩效目标值", "全年实际完成值", "分值(分)", "自评分", "差异原因"],
            ["产出指标", "数量指标", "新建村级道路", "12公里", "10公里", "20", "16", "两段待验收"],
            ["效益指标", "社会效益指标", "受益群众人数", "≥5000人", "5200人", "20", "20", ""]]
    doc = read(_xlsx(tmp_path / "eval.xlsx", rows))
    parsed = parse_tables(doc.tables).indicators
    assert [(r.name, r.target, r.actual, r.weight, r.score, r.deviation) for r in parsed] == [
        ("新建村级道路", "12公里", "10公里", "20", "16", "两段待验收"),
        ("受益群众人数", "≥5000人", "5200人", "20", "20", None)]


def test_an_unknown_column_warning_names_the_sheet_cell_and_title(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标值", "牵头处室"],
            ["产出指标", "数量指标", "开展培训", "3次", "人事处"]]
    doc = read(_xlsx(tmp_path / "eval.xlsx", rows, sheet="项目表"))
    warnings: list[str] = []
    parse_tables(doc.tables, warnings)
    assert any("有未识别的列（牵头处室）" in w and "单元格项目表!A1" in w for w in warnings), warnings
    doc = read(_docx(tmp_path / "form.docx", rows, before="2024年度项目支出绩效目标表"))
    warnings = []
    parse_tables(doc.tables, warnings)
    assert any("有未识别的列（牵头处室）" in w and "标题“2024年度项目支出绩效目标表”" in w for w in warnings), warnings
