"""Indicator tables read by what each column means: the split layout
(指标性质/指标方向 | 指标值 | 度量单位/计量单位), two-row headers, tables continued
over pages with and without a repeated header, real .docx files made in the test,
and bad tables that are read or skipped with a reason in the document's warnings."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Document, Page, Table
from ingest.readers import read
from nlp import indicators
from nlp.tables import parse_tables

SPLIT_HEAD = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标解释"]
SPLIT_ROWS = [
    ["产出指标", "数量指标", "购置执法装备", "正向", "120", "台（套）", "年内购置并投入使用"],
    [None, None, "举办普法讲座", "正向", "3.5", "万人次", "全年参加人次"],
    [None, "质量指标", "装备验收合格率", "正向", "100", "%", None],
    [None, "成本指标", "单台装备采购成本", "反向", "2", "万元", "不超过预算"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "正向", "≥90", "%", None],
    ["效益指标", "社会效益指标", "执法规范化水平", "定性", "明显提升", None, None],
]
EXPECTED = {  # name: (comparator, value, unit, level1, level2)
    "购置执法装备": ("≥", 120, "台（套）", "产出指标", "数量指标"),
    "举办普法讲座": ("≥", 3.5, "万人次", "产出指标", "数量指标"),
    "装备验收合格率": ("≥", 100, "%", "产出指标", "质量指标"),
    "单台装备采购成本": ("≤", 2, "万元", "产出指标", "成本指标"),
    "群众满意度": ("≥", 90, "%", "满意度指标", "服务对象满意度指标"),
    "执法规范化水平": ("", None, "", "效益指标", "社会效益指标"),
}


def _docx(path: Path, tables: list[list[list[str | None]]], before: str = "绩效目标表") -> Path:
    import docx

    d = docx.Document()
    for rows in tables:
        d.add_paragraph(before)
        t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                if c is not None:
                    t.cell(i, j).text = c
    d.save(str(path))
    return path


def _check(items) -> None:  # type: ignore[no-untyped-def]
    got = {i.name: (i.comparator, i.value, i.unit, i.level1, i.level2) for i in items}
    assert got == EXPECTED


def test_split_layout_gives_comparators_from_direction_and_units_as_written(tmp_path: Path) -> None:
    doc = read(_docx(tmp_path / "split.docx", [[SPLIT_HEAD, *SPLIT_ROWS]]))
    items = indicators.from_tables(doc)
    _check(items)
    for it in items:
        assert it.text == doc.text[it.start:it.end] and it.level_source == "table"
    assert doc.meta.get("warnings", []) == [] or all("未识别" not in w for w in doc.meta["warnings"])


def test_other_names_of_the_same_columns_in_another_order(tmp_path: Path) -> None:
    head = ["三级指标", "计量单位", "年度指标值", "指标方向", "二级指标", "一级指标"]
    order = [2, 5, 4, 3, 1, 0]  # the columns of SPLIT_ROWS in this table's order
    rows = [[r[k] for k in order] for r in SPLIT_ROWS]
    doc = read(_docx(tmp_path / "order.docx", [[head, *rows]]))
    _check(indicators.from_tables(doc))


def test_two_row_header_and_a_table_continued_with_and_without_its_header() -> None:
    head1 = ["绩效指标", None, None, "指标性质", "指标值", "计量单位"]
    head2 = ["一级指标", "二级指标", "三级指标", None, None, None]
    part1 = Table(page=3, caption="项目绩效目标表", rows=[
        head1, head2, ["产出指标", "数量指标", "购置执法装备", "正向", "120", "台（套）"]])
    part2 = Table(page=4, rows=[head1, head2, [None, None, "举办普法讲座", "正向", "3.5", "万人次"]])
    part3 = Table(page=5, rows=[[None, "质量指标", "装备验收合格率", "反向", "1", "%"]])
    rows = {r.name: r for r in parse_tables([part1, part2, part3]).indicators}
    assert list(rows) == ["购置执法装备", "举办普法讲座", "装备验收合格率"]
    assert (rows["举办普法讲座"].level1, rows["举办普法讲座"].level2) == ("产出指标", "数量指标")
    assert (rows["装备验收合格率"].level1, rows["装备验收合格率"].level2) == ("产出指标", "质量指标")
    assert rows["装备验收合格率"].comparator == "反向" and rows["举办普法讲座"].unit == "万人次"


def _document(tables: list[Table]) -> Document:
    text = "表"
    return Document(id="b", source="bad.pdf", path="bad.pdf", format="pdf", title="t", text=text,
                    pages=[Page(n, 0, len(text)) for n in range(1, 8)], tables=tables)


def test_bad_tables_are_read_or_skipped_with_a_reason_never_an_exception() -> None:
    long_cell = "指" * 5000
    tables = [
        Table(page=1, caption="项目绩效目标表", rows=[["产出指标", "数量指标", "购置设备", "10台"],
                                                   ["产出指标", "质量指标", "合格率", "100%"]]),  # no header
        Table(page=2, caption="绩效目标表", rows=[["三级指标"], ["购置设备"]]),  # one column
        Table(page=3, rows=[["三级指标", "指标值", "牵头处室", "联系电话"], ["购置设备", "10台", "装财处", "123"]]),
        Table(page=5, rows=[["三级指标", "指标值"]] + [[f"指标{i}", f"{i}个"] for i in range(300)]),
        Table(page=7, rows=[["三级指标", "指标值"], [long_cell, "1个"], ["正常指标", "2个"]]),
    ]
    doc = _document(tables)
    warnings: list[str] = []
    parsed = parse_tables(doc.tables, warnings)
    names = [r.name for r in parsed.indicators]
    assert "购置设备" in names and "指标299" in names and "正常指标" in names
    assert len([n for n in names if n.startswith("指标") and n[2:].isdigit()]) == 300
    assert long_cell not in names
    joined = "\n".join(warnings)
    assert "第1页表格无表头" in joined
    assert "第2页表格只有一列" in joined
    assert "第3页表格有未识别的列（牵头处室、联系电话）" in joined
    assert "第7页表格第2行：指标名称过长（5000字），已跳过" in joined
    items = indicators.extract(None, doc)  # type: ignore[arg-type]
    assert isinstance(items, list)
    assert any("无表头" in w for w in doc.meta["warnings"])


@pytest.mark.parametrize("rows", [
    [[None, None], [None, None]],
    [["三级指标", "指标值"], [None, "5个"], ["", ""]],
    [["三级指标", "指标值", "实际完成值"], ["设备", None]],
])
def test_odd_rows_never_raise(rows) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    parse_tables([Table(page=1, rows=rows)], warnings)


# ---- layouts of the held-out sample (nlp/indicator_eval.py) ---------------------------------


def _items(tables: list[Table]) -> dict[str, tuple]:  # type: ignore[type-arg]
    text = "\n".join(c or "" for t in tables for r in t.rows for c in r)
    doc = Document(id="h", source="h.pdf", path="h.pdf", format="pdf", title="t", text=text,
                   pages=[Page(1, 0, len(text))], tables=tables)
    return {i.name: (i.comparator, i.value, i.unit, i.level1, i.level2) for i in indicators.from_tables(doc)}


def test_levels_one_column_left_and_an_explanation_column_named_like_a_target() -> None:
    # 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值: the 一级 column holds 数量指标 …, the 二级 column
    # the names, and 绩效标准 explains the indicator when a real target column exists
    t = Table(page=1, caption="项目支出绩效目标表", rows=[
        ["一级指标", "二级指标", "绩效标准", "当年预期实现值"],
        ["数量指标", "大楼安检巡察次数", "反映大楼保卫巡检情况", "200次"],
        ["质量指标", "设备更新验收合格率", "反映设备更新验收情况", ">92%"]])
    assert _items([t]) == {"大楼安检巡察次数": ("=", 200, "次", "产出指标", "数量指标"),
                           "设备更新验收合格率": (">", 92, "%", "产出指标", "质量指标")}


def test_level_synonyms_remarks_and_a_merged_level_cell_over_the_satisfaction_row() -> None:
    t = Table(page=1, caption="绩效目标表", rows=[
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["项目产出", "数量指标（必填硬性指标）", "实施营造林总面积(亩)", "80000"],
        [None, "质量指标（必填）", "苗木成活率(≥**%)", "85"],
        ["项目效果", "环境效益", "是否有利于保护生态环境", "是"],
        [None, "社会公众或服务对象满意度指标", "市民满意度", "≥90%"]])
    assert _items([t]) == {
        "实施营造林总面积(亩)": ("=", 80000, "亩", "产出指标", "数量指标"),  # unit from the name's brackets
        "苗木成活率(≥**%)": ("≥", 85, "%", "产出指标", "质量指标"),  # direction and unit from the name
        "是否有利于保护生态环境": ("", None, "", "效益指标", "生态效益指标"),
        "市民满意度": ("≥", 90, "%", "满意度指标", "服务对象满意度指标"),
    }


def test_empty_numbered_slots_and_ellipsis_rows_of_a_self_evaluation_form_are_not_indicators() -> None:
    t = Table(page=1, caption="项目支出绩效自评表", rows=[
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标（50分）", "数量指标", "指标1：完成灌区节水改造项目数量", "1", "1", "10", "10"],
        [None, None, "指标2：", None, None, None, None],
        [None, None, "……", None, None, None, None],
        [None, "生态效益指标", "指标1：/", "/", "/", None, None],
        [None, "质量指标", "指标2", "100", "100", "10", "10"]])  # a slot with a value is read
    assert list(_items([t])) == ["指标1：完成灌区节水改造项目数量", "指标2"]


def test_periods_latin_units_and_bare_wan_as_written() -> None:
    t = Table(page=1, caption="绩效目标表", rows=[
        ["一级指标", "二级指标", "三级指标", "指标值及单位"],
        ["产出指标", "时效指标", "服务周期", "2023.07-2024.01"],
        [None, None, "实施时间", "1-12月"],
        [None, "数量指标", "雾炮车风炮射程", "≥80M"],
        [None, "成本指标", "控制在预算成本内", "250万"]])
    got = _items([t])
    assert got["服务周期"][:3] == ("", None, "") and got["实施时间"][:3] == ("", None, "")
    assert got["雾炮车风炮射程"][:3] == ("≥", 80, "M") and got["控制在预算成本内"][:3] == ("=", 250, "万")


def test_a_table_with_only_the_first_level_gets_a_second_level_among_its_children() -> None:
    from nlp import levels
    from nlp.tables import parent_of

    t = Table(page=1, caption="绩效目标表", rows=[
        ["一级指标", "三级指标", "指标值"],
        ["效益指标", "设备验收合格率", "100%"],
        ["产出指标", "受益群众满意度", "≥90%"]])
    got = _items([t])
    # the name alone points elsewhere (合格率 -> 质量指标, 满意度 -> 服务对象满意度指标) …
    assert levels.predict("设备验收合格率")[1] == "质量指标"
    # … but the table's 一级 holds: the 二级 is one of its children
    assert got["设备验收合格率"][3] == "效益指标" and parent_of(got["设备验收合格率"][4]) == "效益指标"
    assert got["受益群众满意度"][3] == "产出指标" and parent_of(got["受益群众满意度"][4]) == "产出指标"


def test_rate_units_a_cell_unit_over_its_column_and_a_level_cell_ending_in_deng() -> None:
    t = Table(page=1, caption="绩效自评表", rows=[
        ["一级指标", "二级指标", "三级指标", "计量单位", "目标值"],
        ["产出指标", "成本指标", "景观建设成本", None, "<=2875元/个"],
        [None, "数量指标", "年度申请就学补助户数", None, ">=101人/次"],
        [None, "质量指标", "有症状者检疫筛查率", "%", "5人/10万人"],
        ["满意度指标", "服务对象满意度指标等", "家长满意度", "%", "≥95"]])
    got = _items([t])
    assert got["景观建设成本"][:3] == ("≤", 2875, "元/个")
    assert got["年度申请就学补助户数"][:3] == ("≥", 101, "人/次")
    assert got["有症状者检疫筛查率"][:3] == ("=", 5, "人/10万人")
    assert got["家长满意度"] == ("≥", 95, "%", "满意度指标", "服务对象满意度指标")


def test_a_docx_with_a_two_row_header_and_merged_cells_reads_as_the_pdf_does(tmp_path: Path) -> None:
    """The same table code for .docx as for PDF (tests/test_indicator_pdf.py): a
    header over two rows (绩效指标 merged over the three level columns, 指标性质 |
    指标值 | 计量单位 merged down both rows) and level cells merged down the rows."""
    import docx

    rows = [["绩效指标", None, None, "指标性质", "指标值", "计量单位"],
            ["一级指标", "二级指标", "三级指标", None, None, None],
            ["产出指标", "数量指标", "购置执法装备", "正向", "120", "台（套）"],
            [None, None, "举办普法讲座", "正向", "3.5", "万人次"],
            [None, "成本指标", "单台装备采购成本", "反向", "2", "万元"],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "正向", "90", "%"]]
    d = docx.Document()
    d.add_paragraph("项目绩效目标表")
    t = d.add_table(rows=len(rows), cols=6)
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            if c is not None:
                t.cell(i, j).text = c
    t.cell(0, 0).merge(t.cell(0, 2))
    for j in (3, 4, 5):
        t.cell(0, j).merge(t.cell(1, j))
    t.cell(2, 0).merge(t.cell(4, 0))
    t.cell(2, 1).merge(t.cell(3, 1))
    d.save(str(tmp_path / "merged.docx"))
    doc = read(tmp_path / "merged.docx")
    got = {i.name: (i.comparator, i.value, i.unit, i.level1, i.level2) for i in indicators.from_tables(doc)}
    assert got == {k: v for k, v in EXPECTED.items() if k in got} and len(got) == 4
    assert set(got) == {"购置执法装备", "举办普法讲座", "单台装备采购成本", "群众满意度"}


def test_a_comparator_column_gives_the_comparator(tmp_path: Path) -> None:
    """比较符 as a column of its own (≥ / ≤ / =), beside 指标值 and 度量单位."""
    head = ["三级指标", "比较符", "指标值", "度量单位"]
    rows = [["购置执法装备", "≥", "120", "台（套）"], ["单台装备采购成本", "≤", "2", "万元"],
            ["举办普法讲座", "=", "3.5", "万人次"]]
    doc = read(_docx(tmp_path / "cmp.docx", [[head, *rows]]))
    got = {i.name: (i.comparator, i.value, i.unit) for i in indicators.from_tables(doc)}
    assert got == {"购置执法装备": ("≥", 120, "台（套）"), "单台装备采购成本": ("≤", 2, "万元"),
                   "举办普法讲座": ("=", 3.5, "万人次")}
