"""Performance-target forms kept as spreadsheets: a real .xlsx made in the test (one
project per sheet: a label/value block, then 一级指标 | 二级指标 | 三级指标 | 目标值 |
指标解释 with merged cells) is read like any table, each item with its cell as source."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import IngestError
from ingest.readers import SUPPORTED_EXTENSIONS, read, read_bytes
from nlp import goals, indicators


def _form(ws, project: str, goal: str, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    ws.append(["项目名称", project, None, None, None])
    ws.merge_cells("B1:E1")
    ws.append(["主管部门", "区司法局", None, None, None])
    ws.append(["年度绩效目标", goal, None, None, None])
    ws.merge_cells("B3:E3")
    ws.append([])
    ws.append(["一级指标", "二级指标", "三级指标", "目标值", "指标解释"])
    first = ws.max_row + 1
    for r in rows:
        ws.append(list(r))
    ws.merge_cells(f"A{first}:A{first + 2}")  # 产出指标 over three rows


def _workbook(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    a = wb.active
    a.title = "普法宣传"
    _form(a, "普法宣传项目", "全年开展普法讲座不少于20场，覆盖3.5万人次", [
        ("产出指标", "数量指标", "购置宣传设备", "≥120台（套）", "年内购置"),
        (None, None, "举办普法讲座", "≥20场", None),
        (None, "质量指标", "讲座参与率", 0.95, "实际参与/应参与"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", None),
    ])
    b = wb.create_sheet("法律援助")
    _form(b, "法律援助项目", "进一步提升法律援助服务质量", [
        ("产出指标", "时效指标", "援助案件办结及时率", "≥98%", None),
        (None, "成本指标", "单件援助成本", "≤0.3万元", None),
        (None, "数量指标", "办理援助案件", "1500件", None),
    ])
    wb.save(str(path))
    return path


def test_a_spreadsheet_form_is_read_like_any_table(tmp_path: Path) -> None:
    assert ".xlsx" in SUPPORTED_EXTENSIONS
    doc = read(_workbook(tmp_path / "forms.xlsx"))
    assert doc.format == "xlsx" and [p.number for p in doc.pages] == [1, 2]
    items = {i.name: i for i in indicators.from_tables(doc)}
    assert list(items) == ["购置宣传设备", "举办普法讲座", "讲座参与率", "群众满意度",
                           "援助案件办结及时率", "单件援助成本", "办理援助案件"]
    eq = items["购置宣传设备"]
    assert (eq.comparator, eq.value, eq.unit) == ("≥", 120, "台（套）")
    assert eq.cell == "普法宣传!C6" and eq.project == "普法宣传项目" and eq.page == 1
    # merged 一级 cell: the rows below inherit it
    assert (items["举办普法讲座"].level1, items["举办普法讲座"].level2) == ("产出指标", "数量指标")
    assert items["讲座参与率"].cell == "普法宣传!C8" and items["讲座参与率"].value == 0.95
    cost = items["单件援助成本"]
    assert (cost.level1, cost.level2, cost.comparator, cost.unit, cost.cell) == (
        "产出指标", "成本指标", "≤", "万元", "法律援助!C7")
    assert cost.project == "法律援助项目" and cost.page == 2
    for it in items.values():
        assert doc.text[it.start:it.end] == it.text and it.text.startswith(it.name)
    found = {g.cell: g for g in goals.from_tables(doc)}
    assert set(found) == {"普法宣传!B3", "法律援助!B3"}
    assert found["法律援助!B3"].vague and not found["普法宣传!B3"].vague
    assert found["普法宣传!B3"].project == "普法宣传项目"


def test_broken_and_empty_workbooks_are_clear_errors(tmp_path: Path) -> None:
    import openpyxl

    with pytest.raises(IngestError, match="forms.xlsx.*corrupt .xlsx"):
        read_bytes(b"PK\x03\x04 not really a zip", "forms.xlsx")
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(str(empty))
    with pytest.raises(IngestError, match="empty.xlsx.*empty workbook"):
        read(empty)
