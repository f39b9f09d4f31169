"""The same table code for PDF: a real PDF made in the test with a goal table whose goal
cell wraps beside a neighbour cell, and a split-layout indicator table (指标性质 | 指标值 |
度量单位) with a two-row header, continued on the next page under a repeated header."""
from __future__ import annotations

import re

import pytest

from cjk_pdf import cjk_pdf, table_page
from ingest.readers import read_bytes
from nlp import goals, indicators

GOAL = ["建成后作为社区事务受理、社区管理、", "社区文化艺术活动场所。更有效的整合", "社区公共服务资源，提供便捷服务。"]
NOTE = ["本项目由街道办事处", "统一组织实施，按季", "度报告进展情况。"]
HEAD1 = [["绩效指标"], [""], [""], ["指标性质"], ["指标值"], ["度量单位"]]
HEAD2 = [["一级指标"], ["二级指标"], ["三级指标"], [""], [""], [""]]
WIDTHS = [70, 90, 150, 60, 60, 70]


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    goal_table = [[["项目名称"], ["社区服务中心建设"], ["主管部门"], ["街道办事处"]],
                  [["年度总体目标"], GOAL, ["备注"], NOTE]]
    p1 = table_page([(40, 570, "项目绩效目标表")], goal_table, top=550, widths=[90, 200, 60, 150])
    rows1 = [HEAD1, HEAD2,
             [["产出指标"], ["数量指标"], ["购置执法装备"], ["正向"], ["120"], ["台（套）"]],
             [[""], [""], ["举办普法讲座"], ["正向"], ["3.5"], ["万人次"]]]
    p1 += b"\n" + table_page([], rows1, top=380, widths=WIDTHS)
    rows2 = [HEAD1, HEAD2,
             [[""], ["成本指标"], ["单台装备采购成本"], ["反向"], ["2"], ["万元"]],
             [["满意度指标"], ["服务对象满意度指标"], ["群众满意度"], ["正向"], ["90"], ["%"]]]
    p2 = table_page([], rows2, top=560, widths=WIDTHS)
    return read_bytes(cjk_pdf([p1, p2]), "target_form.pdf")


def test_split_layout_pdf_rows_with_comparator_unit_levels_and_page(doc) -> None:  # type: ignore[no-untyped-def]
    items = {i.name: i for i in indicators.from_tables(doc)}
    assert list(items) == ["购置执法装备", "举办普法讲座", "单台装备采购成本", "群众满意度"]
    got = {n: (i.comparator, i.value, i.unit, i.level1, i.level2, i.page) for n, i in items.items()}
    assert got == {
        "购置执法装备": ("≥", 120, "台（套）", "产出指标", "数量指标", 1),
        "举办普法讲座": ("≥", 3.5, "万人次", "产出指标", "数量指标", 1),
        # page 2 repeats the header: 产出指标 carries on over the page break
        "单台装备采购成本": ("≤", 2, "万元", "产出指标", "成本指标", 2),
        "群众满意度": ("≥", 90, "%", "满意度指标", "服务对象满意度指标", 2),
    }
    for it in items.values():
        assert it.text == doc.text[it.start:it.end] and it.project == "社区服务中心建设"


def test_a_wrapped_goal_cell_is_one_whole_goal_in_reading_order(doc) -> None:  # type: ignore[no-untyped-def]
    page = re.sub(r"\s+", "", doc.text[doc.pages[0].start:doc.pages[0].end])
    # in the page text the goal cell is interleaved with its neighbour, line by line
    assert page.index("社区管理、") < page.index("本项目由街道办事处") < page.index("社区文化艺术活动场所")
    found = goals.extract(None, doc)  # type: ignore[arg-type]
    cell = [g for g in found if g.text.startswith("建成后作为社区事务受理")]
    assert len(cell) == 1
    g = cell[0]
    assert g.text == "".join(GOAL) and g.source == "table" and g.page == 1
    assert not any("本项目由街道办事处" in x.text for x in found)  # the neighbour cell is no part of it
    others = [re.sub(r"\s+", "", o.text) for o in found if o is not g]
    assert not any(p in o for o in others for p in ("有效的整合", "社区文化艺术活动场所"))
    vague = [r for r in g.reasons if r.startswith("模糊用语")]
    assert vague  # and it cites only words of the shown text
    assert all(w in g.text for r in vague for w in r.split(": ", 1)[1].split("、"))
    squashed = re.sub(r"\s+", "", doc.text[g.start:g.end])
    assert squashed.startswith("建成后作为") and squashed.endswith("提供便捷服务。")
