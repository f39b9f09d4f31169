"""Layouts that the third held-out batch (corpora/indicators/heldout_tables_3.jsonl) found
failing on its first score, each in a real file made in the test: an unlisted counting word
after a number (≥100组), a score block below an evaluation table (考核节点进度完成率 | 10分), and
an evaluation framework whose 二级 cell is 绩效目标 with a name that starts with those words."""
from __future__ import annotations

from pathlib import Path

from ingest.readers import read
from nlp import indicators


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


def _fields(path: Path) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {i.name: (i.comparator, i.value, i.unit) for i in indicators.from_tables(read(path))}


def test_a_counting_word_closing_the_target_cell_is_its_unit_as_written(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "监督抽检批次", "≥100组"],
        ["", "", "更换防火门", "8樘"],  # 樘 is in no list: the character closing the cell is the unit
        ["", "", "购置灭火装置", "10套"],
        ["", "", "培训人员", "约50余"],  # 余 is no unit
        ["", "时效指标", "检测及时率", "≤7工作日"],
    ]
    got = _fields(_docx(tmp_path / "units.docx", rows))
    assert got == {
        "监督抽检批次": ("≥", 100, "组"),
        "更换防火门": ("=", 8, "樘"),
        "购置灭火装置": ("=", 10, "套"),
        "培训人员": ("=", 50, ""),
        "检测及时率": ("≤", 7, "工作日"),
    }


def test_a_score_block_below_an_evaluation_table_gives_no_indicator(tmp_path: Path) -> None:
    from cjk_pdf import cjk_pdf, table_page

    rows = [
        ["一级指标", "二级指标", "三级指标", "预算设定指标值", "项目完成指标值"],
        ["产出指标", "数量指标", "改造实验室", "2间", "2间"],
        ["", "质量指标", "设备验收合格率", "100%", "100%"],
        ["满意度指标", "服务对象满意度指标", "师生满意度", "≥95%", "≥95%"],
        ["预算绩效评价结果", "考核节点进度完成率", "10分", "项目采购节约率", "10分"],
        ["", "预算编制准确度", "9分", "绩效评价结果", "29分"],
    ]
    page = table_page([(40.0, 570.0, "项目预算绩效评价结果")], [[[c] for c in r] for r in rows],
                      top=540, widths=[110.0, 130.0, 150.0, 130.0, 120.0], row_height=20)
    path = tmp_path / "eval.pdf"
    path.write_bytes(cjk_pdf([page]))
    got = _fields(path)
    assert got == {"改造实验室": ("=", 2, "间"), "设备验收合格率": ("=", 100, "%"), "师生满意度": ("≥", 95, "%")}


def test_a_framework_with_a_second_level_named_like_a_goal_cell(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目绩效目标"])
    for r in [
        ["一级指标", "二级指标", "三级指标", "半年(程)指标值", "全年(程)指标值"],
        ["决策", "项目立项", "立项程序规范性", "规范", "规范"],
        [None, "绩效目标", "绩效指标明确性", "明确", "明确"],
        [None, None, "绩效目标合理性", "合理", "合理"],
        ["产出", "产出数量", "开放天数", "≥150天", "≥300天"],
    ]:
        ws.append(r)
    path = tmp_path / "framework.xlsx"
    wb.save(str(path))
    items = {i.name: i for i in indicators.from_tables(read(path))}
    assert list(items) == ["立项程序规范性", "绩效指标明确性", "绩效目标合理性", "开放天数"]
    assert (items["绩效目标合理性"].level1, items["绩效目标合理性"].level2) == ("决策", "绩效目标")
    # the full-year column is the target, not the half-year one
    assert (items["开放天数"].comparator, items["开放天数"].value, items["开放天数"].unit) == ("≥", 300, "天")
