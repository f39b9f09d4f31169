"""A target table that gives one target column per township or village (transfer-payment forms:
指标方向 | 笏石街道办 | 埭头镇) reads the first place's column as the target when no column names
the target. Rows of the 莆田市秀屿区 2025 and 安溪县 2022 forms (held-out batch 6), in real files."""
from __future__ import annotations

from pathlib import Path

from tests.test_indicator_batch5_layouts import _items, _xlsx
from tests.test_indicator_fresh_layouts import _docx


def test_the_first_place_column_is_the_target_beside_a_direction_column(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标解释", "指标方向", "笏石街道办", "埭头镇"],
            ["成本指标", "经济成本指标", "省级财政专项资金投入成本控制率(%)", "反映省级财政专项资金投入成本控制情况",
             "≤", "100%", "100%"],
            ["产出指标", "数量指标", "开展修复工程(个)", "反映防洪水利设施水毁修复项目开展情况", "≥", "1", "1"],
            ["", "质量指标", "已建工程是否存在质量问题", "当年已完工项目是否在检查中发现质量问题", "是/否", "否", "否"]]
    got = _items(_xlsx(tmp_path / "xiuyu.xlsx", rows))
    cost, count, yesno = got["省级财政专项资金投入成本控制率(%)"], got["开展修复工程(个)"], got["已建工程是否存在质量问题"]
    assert (cost.comparator, cost.value, cost.unit) == ("≤", 100.0, "%")
    assert (count.comparator, count.value, count.unit) == ("≥", 1.0, "个")
    assert (yesno.value, yesno.target) == (None, "否")


def test_village_columns_without_a_direction_column(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标解释", "西坪镇尧山村", "桃舟乡吾培村", "芦田镇三洋村"],
            ["产出指标", "数量指标", "开展小型水利工程建设(个)", "反映小型水利工程建设项目开展情况", "1", "1", "1"]]
    got = _items(_docx(tmp_path / "anxi.docx", rows))
    assert (got["开展小型水利工程建设(个)"].value, got["开展小型水利工程建设(个)"].unit) == (1.0, "个")


def test_a_named_target_column_still_wins_over_a_place_column(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标值", "笏石街道办"],
            ["产出指标", "数量指标", "开展修复工程", "≥2个", "1"]]
    got = _items(_xlsx(tmp_path / "named.xlsx", rows))
    assert (got["开展修复工程"].value, got["开展修复工程"].unit) == (2.0, "个")
