"""Layouts that held-out batch 5 (corpora/indicators/heldout_tables_5.jsonl) found failing on
its first score, each in a real file made in the test: a Sichuan form whose header also names the
project and goal columns (单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | … | 指标性质 | 指标值 |
度量单位 | 权重 | 指标方向性), 指标性质 正向 beside 指标方向 =, a date serial copied into the unit
column, and a self-evaluation target column headed 年初目标值(A)."""
from __future__ import annotations

from pathlib import Path

from ingest.readers import read
from nlp import indicators
from tests.test_indicator_fresh_layouts import _docx  # a one-table .docx under a 项目支出绩效目标表 title


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门预算项目绩效目标申报表(2023年度)"])
    for r in rows:
        ws.append([c or None for c in r])
    wb.save(str(path))
    return path


def _items(path: Path) -> dict[str, indicators.Indicator]:
    return {i.name: i for i in indicators.from_tables(read(path))}


def test_a_header_naming_project_and_goal_columns_is_still_an_indicator_header(tmp_path: Path) -> None:
    rows = [
        ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
         "度量单位", "权重", "指标方向性"],
        ["820001-马踏镇人民政府", "村组干部报酬", "3,309,840.00", "按时发放村组干部报酬", "效益指标",
         "社会效益指标", "维护社会稳定", "≥", "95", "%", "10", "正向指标"],
        ["", "", "", "", "产出指标", "数量指标", "村组干部230人", "≥", "230", "个", "10", "正向指标"],
        ["", "", "", "", "产出指标", "时效指标", "维持时效", "≥", "1", "年", "20", "正向指标"],
    ]
    got = _items(_xlsx(tmp_path / "sichuan.xlsx", rows))
    assert {k: (i.comparator, i.value, i.unit, i.level2) for k, i in got.items()} == {
        "维护社会稳定": ("≥", 95, "%", "社会效益指标"),
        "村组干部230人": ("≥", 230, "个", "数量指标"),
        "维持时效": ("≥", 1, "年", "时效指标"),
    }
    assert "预算数" not in {i.project for i in got.values()}  # the header's 项目名称 cell names a column


def test_a_comparator_sign_beats_a_direction_word_in_the_next_column(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "目标值", "计量单位", "分值"],
        ["产出指标", "数量指标", "出差人次", "正向", "=", "24", "人/次", "4"],
        ["产出指标", "成本指标", "出差总成本", "反向", "=", "1", "万元", "4"],
        ["产出指标", "质量指标", "工作任务完成率", "正向", "", "100", "%", "4"],  # no sign: 正向 reads as ≥
        ["产出指标", "时效指标", "工作计划按时完成时间", "正向", "=", "44,561", "44,561", "4"],
    ]
    got = _items(_docx(tmp_path / "directions.docx", rows))
    assert {k: (i.comparator, i.value, i.unit) for k, i in got.items()} == {
        "出差人次": ("=", 24, "人/次"),
        "出差总成本": ("=", 1, "万元"),
        "工作任务完成率": ("≥", 100, "%"),
        "工作计划按时完成时间": ("=", 44561, ""),  # a number in the unit column is no unit
    }


def test_a_target_column_headed_with_the_year_start_is_read(tmp_path: Path) -> None:
    rows = [
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        ["", "产出指标", "数量指标", "拆除活人墓、豪华墓", "32座", "32座", "20"],
        ["", "满意度指标", "群众满意度 指标", "群众对政府工作满意度", "≧90%", "95%", "20"],
    ]
    got = _items(_docx(tmp_path / "selfeval.docx", rows))
    assert {k: (i.comparator, i.value, i.unit, i.actual) for k, i in got.items()} == {
        "拆除活人墓、豪华墓": ("=", 32, "座", "32座"),
        "群众对政府工作满意度": ("≥", 90, "%", "95%"),
    }
