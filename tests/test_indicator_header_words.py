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
from test_indicator_fresh_layouts import _docx


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
    """A weak name word names the names beside a target column (alone it may be a merged label)."""
    roles = _roles([cell, "指标值"] if role == "name" else [cell])
    assert roles[role] == 0 and set(roles) <= {role, "name_alt", "target"}
    if role == "name":
        assert "name" not in _roles([cell])


def test_a_unit_name_column_is_no_unit_column() -> None:
    """单位名称 (the budget unit's name, Sichuan forms) is a column of the form, no unit; 计量单位名称 is."""
    assert _roles(["单位名称"]) == {"other": 0} and _roles(["计量单位名称"]) == {"unit": 0}


def test_a_weak_name_word_left_of_the_level_columns_heads_them() -> None:
    """考核指标 over the level columns (考核指标 | 一级指标 | 二级指标 | 三级指标 | 指标值): the names
    are the 三级 column's, as with 绩效指标; with no other name column it is the names'."""
    assert _roles(["考核指标", "一级指标", "二级指标", "三级指标", "指标值"])["name"] == 3
    assert _roles(["一级指标", "二级指标", "考核指标", "目标值"])["name"] == 2
    assert _roles(["一级指标", "二级指标", "绩效指标", "目标值"])["name"] == 2


def test_a_two_row_header_under_a_weak_name_word_keeps_its_levels_over_pages() -> None:
    """绩效指标 over 一级 | 二级 | 三级, repeated on the next page: the names are the 三级 column's and
    the levels carry over the page, though 绩效指标 alone would name the names (一级 | 二级 | 绩效指标)."""
    from ingest.document import Table

    head1 = ["绩效指标", None, None, "指标值", "计量单位"]
    head2 = ["一级指标", "二级指标", "三级指标", None, None]
    part1 = Table(page=2, rows=[head1, head2, ["产出指标", "数量指标", "新建污水管网", "12", "公里"]])
    part2 = Table(page=3, rows=[head1, head2, [None, None, "新建提升泵站", "2", "座"]])
    rows = parse_tables([part1, part2]).indicators
    assert [(r.name, r.level1, r.level2, r.target, r.unit) for r in rows] == [
        ("新建污水管网", "产出指标", "数量指标", "12", "公里"), ("新建提升泵站", "产出指标", "数量指标", "2", "座")]
    assert len({r.table for r in rows}) == 1


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


@pytest.mark.parametrize("text, comparator", [("＞＝95％", "≥"), ("＜＝5％", "≤"), (">＝3次", "≥"), ("=>90%", "≥")])
def test_a_comparator_typed_with_a_full_width_equals_sign_keeps_its_direction(text: str, comparator: str) -> None:
    """Forms typed with a Chinese input method mix widths (＞＝95％): the sign is ≥, not =."""
    from nlp.tables import parse_target

    assert parse_target(text).comparator == comparator


def test_the_form_columns_that_carry_no_field_raise_no_warning(tmp_path: Path) -> None:
    """序号, 项目名称, 年度目标 … are columns of the form, not unknown ones: only 牵头处室 is named."""
    rows = [["序号", "项目名称", "年度目标", "一级指标", "二级指标", "三级指标", "标准值/目标值", "牵头处室"],
            ["1", "农村公路养护", "完成养护任务", "产出指标", "数量指标", "养护里程", "≥120公里", "交通局"]]
    doc = read(_docx(tmp_path / "form.docx", rows))
    warnings: list[str] = []
    parsed = parse_tables(doc.tables, warnings).indicators
    assert [(r.name, r.target, r.level2) for r in parsed] == [("养护里程", "≥120公里", "数量指标")]
    unknown = [w for w in warnings if "未识别的列" in w]
    assert len(unknown) == 1 and "未识别的列（牵头处室）" in unknown[0]


def test_a_unit_in_the_target_header_is_the_unit_of_cells_without_one(tmp_path: Path) -> None:
    """目标值（%） | 95: the header states the unit; a cell with its own (12个) keeps it, a note in the
    header's brackets that is no unit (目标值(标准)) gives none."""
    rows = [["一级指标", "二级指标", "三级指标", "目标值（%）"],
            ["产出指标", "质量指标", "验收合格率", "≥95"],
            ["", "数量指标", "新建站点", "12个"],
            ["效益指标", "社会效益指标", "服务水平", "明显提升"]]
    got = {i.name: (i.comparator, i.value, i.unit) for i in indicators.from_tables(read(_docx(tmp_path / "a.docx", rows)))}
    assert got == {"验收合格率": ("≥", 95, "%"), "新建站点": ("=", 12, "个"), "服务水平": ("", None, "")}
    rows[0][3] = "目标值(标准)"
    got = {i.name: i.unit for i in indicators.from_tables(read(_docx(tmp_path / "b.docx", rows)))}
    assert got == {"验收合格率": "", "新建站点": "个", "服务水平": ""}


def test_a_weak_name_word_as_a_merged_label_on_a_row_of_values_is_no_header() -> None:
    """Shanghai's form: 绩效指标 is a merged cell at the left of the first row of values, beside the
    levels and the target; that row is an indicator, not a header naming a township's target column."""
    from ingest.document import Table

    rows = [["项目名称", None, "社区公共服务中心", None, "项目性质", "阶段性项目"],
            ["", "一级指标", "二级指标", "三级指标", None, "年度(/项目)指标值"],
            ["绩效指标", "产出指标", "数量指标", "规划建筑面积", None, "≥13459.00(平方米)"],
            [None, None, "质量指标", "完工及时率", None, "及时率"],
            [None, "满意度指标", "服务对象满意度指标", "居民满意度", None, "满意度"]]
    warnings: list[str] = []
    parsed = parse_tables([Table(page=31, rows=rows)], warnings).indicators
    assert [(r.name, r.level1, r.level2, r.target) for r in parsed] == [
        ("规划建筑面积", "产出指标", "数量指标", "≥13459.00(平方米)"), ("完工及时率", "产出指标", "质量指标", "及时率"),
        ("居民满意度", "满意度指标", "服务对象满意度指标", "满意度")]
    assert not any("未识别的列" in w for w in warnings)


@pytest.mark.parametrize("text, unit", [("530元/人·月", "元/人·月"), (">=530元/人*月", "元/人*月"),
                                        ("5300元/户·年", "元/户·年"), ("100元/人", "元/人"), ("5元*3次", "元")])
def test_a_rate_per_head_and_period_keeps_its_period_as_written(text: str, unit: str) -> None:
    """Relief standards are per head and month (≥530元/人·月): the unit is the whole rate as written;
    a product of a price and a count (5元*3次) is no rate."""
    from nlp.tables import parse_target

    assert parse_target(text).unit == unit
