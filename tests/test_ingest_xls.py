"""Excel 97-2003 .xls forms: a real .xls file made in the test (tests/xls_file.py writes the
BIFF8 records and the OLE2 container by hand; xlrd reads it) is read like an .xlsx, each cell
with its sheet!A1 source; broken, renamed and oversized files give a clear error or warning."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest import xls, xlsx
from ingest.document import IngestError
from ingest.readers import SUPPORTED_EXTENSIONS, read, read_bytes
from nlp import goals, indicators
from xls_file import xls_bytes

FORM = [
    ["项目名称", "普法宣传项目"],
    ["年度绩效目标", "全年开展普法讲座不少于20场，覆盖3.5万人次"],
    [],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"],
    ["产出指标", "数量指标", "购置宣传设备", "正向", 120, "台（套）"],
    [None, None, "举办普法讲座", "正向", 20, "场"],
    [None, "成本指标", "单场讲座成本", "反向", 0.3, "万元"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "正向", 90, "%"],
]


def test_an_xls_form_is_read_like_an_xlsx_with_cell_sources(tmp_path: Path) -> None:
    assert ".xls" in SUPPORTED_EXTENSIONS
    path = tmp_path / "forms.xls"
    path.write_bytes(xls_bytes([("普法宣传", FORM), ("说明", [["填表说明：金额单位为万元"]])]))
    doc = read(path)
    assert doc.format == "xls" and [p.number for p in doc.pages] == [1, 2]
    assert doc.meta["sheets"] == ["普法宣传", "说明"]
    items = {i.name: i for i in indicators.from_tables(doc)}
    assert list(items) == ["购置宣传设备", "举办普法讲座", "单场讲座成本", "群众满意度"]
    got = {n: (i.comparator, i.value, i.unit, i.level1, i.level2, i.cell) for n, i in items.items()}
    assert got == {
        "购置宣传设备": ("≥", 120, "台（套）", "产出指标", "数量指标", "普法宣传!C5"),
        "举办普法讲座": ("≥", 20, "场", "产出指标", "数量指标", "普法宣传!C6"),
        "单场讲座成本": ("≤", 0.3, "万元", "产出指标", "成本指标", "普法宣传!C7"),
        "群众满意度": ("≥", 90, "%", "满意度指标", "服务对象满意度指标", "普法宣传!C8"),
    }
    for it in items.values():
        assert doc.text[it.start:it.end] == it.text and it.project == "普法宣传项目" and it.page == 1
    assert [g.cell for g in goals.from_tables(doc)] == ["普法宣传!B2"]


def test_broken_renamed_and_empty_xls_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"a.xls.*corrupt .xls.*not an Excel 97-2003 file"):
        read_bytes("一级指标,二级指标\n产出指标,数量指标".encode(), "a.xls")  # a CSV export named .xls
    with pytest.raises(IngestError, match=r"b.xls.*corrupt .xls.*it is an .xlsx file"):
        read_bytes(b"PK\x03\x04" + b"\0" * 100, "b.xls")
    whole = xls_bytes([("表", FORM)])
    with pytest.raises(IngestError, match=r"c.xls.*corrupt .xls"):
        read_bytes(whole[:700], "c.xls")  # cut off inside the container
    with pytest.raises(IngestError, match=r"d.xls.*empty workbook"):
        read_bytes(xls_bytes([("空", [])]), "d.xls")


def test_an_oversized_sheet_is_cut_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xls, "MAX_ROWS", 40)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 40)
    rows = [["三级指标", "指标值"]] + [[f"指标名称{i}", f"{i}个"] for i in range(60)]
    doc = read_bytes(xls_bytes([("大表", rows)]), "big.xls")
    assert len(doc.tables[0].rows) == 40
    assert any("大表" in w and "61行" in w and "前40行" in w for w in doc.meta["warnings"])
    assert len(indicators.from_tables(doc)) == 39
