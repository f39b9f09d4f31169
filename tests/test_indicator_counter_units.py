"""起 (cases) is a counting word after a count and a date word after a year: 办结信访案件 | 168起
(塘湖镇 2020 self-evaluation, held-out batch 5) keeps its unit, a unit column's 起 is kept as
written, and 2021起 (from 2021) names no unit. Real files made in the test, read by the real reader."""
from __future__ import annotations

from pathlib import Path

from nlp.tables import parse_target
from tests.test_indicator_batch5_layouts import _items, _xlsx


def test_a_count_closed_by_qi_keeps_qi_as_its_unit_and_a_year_does_not() -> None:
    assert (parse_target("168起").value, parse_target("168起").unit) == (168.0, "起")
    assert parse_target("≥3起").unit == "起"
    assert parse_target("2021起").unit == ""
    assert parse_target("10余").unit == ""  # the other words of not_units.txt still name no unit


def test_the_tanghu_row_and_a_unit_column_keep_qi(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
            ["产出指标", "数量指标", "办结信访案件", "168起", "168起", "10"],
            ["", "数量指标", "拆除活人墓、豪华墓", "32座", "32座", "20"]]
    got = _items(_xlsx(tmp_path / "tanghu.xlsx", rows))
    assert (got["办结信访案件"].value, got["办结信访案件"].unit) == (168.0, "起")
    rows = [["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
            ["产出指标", "数量指标", "查处安全生产违法案件", "≥", "12", "起"],
            ["", "质量指标", "案件办结率", "≥", "95", "%"]]
    got = _items(_xlsx(tmp_path / "unit_column.xlsx", rows))
    assert (got["查处安全生产违法案件"].comparator, got["查处安全生产违法案件"].value,
            got["查处安全生产违法案件"].unit) == ("≥", 12.0, "起")
