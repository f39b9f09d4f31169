"""A target table printed as a tree, its levels as heading rows among the names (项目 | 指标值 |
绩效金额: 产出指标 / 成本指标(必填硬性指标) / name | 100%), as the 石嘴山市疾病预防控制中心 2020 approval
form (held-out batch 6) has it: each row takes the levels of the headings above it, blocks in
any order; the unit and project lines above the first heading are no indicators. Real .docx files."""
from __future__ import annotations

from pathlib import Path

from tests.test_indicator_batch5_layouts import _items
from tests.test_indicator_fresh_layouts import _docx

ROWS = [["项目", "指标值", "绩效金额"],
        ["石嘴山市疾病预防控制中心", "", ""],
        ["狂犬、乙肝、流感等疫苗及美沙酮药物", "", "3000000"],
        ["产出指标", "", ""],
        ["成本指标(必填硬性指标)", "", ""],
        ["按照物价部门定价标准采购", "100%", ""],
        ["数量指标(必填硬性指标)", "", ""],
        ["疫苗使用率", "100%", ""],
        ["满意度指标", "", ""],
        ["服务对象满意度指标(必填)", "", ""],
        ["服务对象满意度", "100%", ""],
        ["效益指标", "", ""],
        ["可持续影响指标(必填)", "", ""],
        ["通过注射疫苗,可以有效降低疫苗针对传染病的发生", "40%", ""],
        ["社会效益指标(必填)", "", ""],
        ["满足辖区居民对常用疫苗的需求", "100%", ""]]


def test_heading_rows_give_the_levels_of_the_rows_below(tmp_path: Path) -> None:
    got = _items(_docx(tmp_path / "tree.docx", ROWS))
    assert {n: (i.level1, i.level2) for n, i in got.items()} == {
        "按照物价部门定价标准采购": ("产出指标", "成本指标"),
        "疫苗使用率": ("产出指标", "数量指标"),
        "服务对象满意度": ("满意度指标", "服务对象满意度指标"),
        "通过注射疫苗,可以有效降低疫苗针对传染病的发生": ("效益指标", "可持续影响指标"),
        "满足辖区居民对常用疫苗的需求": ("效益指标", "社会效益指标"),
    }
    assert (got["通过注射疫苗,可以有效降低疫苗针对传染病的发生"].value,
            got["通过注射疫苗,可以有效降低疫苗针对传染病的发生"].unit) == (40.0, "%")


def test_a_project_column_beside_level_columns_is_not_read_as_names(tmp_path: Path) -> None:
    rows = [["项目", "一级指标", "二级指标", "三级指标", "指标值"],
            ["档案库房改造", "产出指标", "数量指标", "改造库房面积", "200平方米"]]
    got = _items(_docx(tmp_path / "project.docx", rows))
    assert set(got) == {"改造库房面积"}
