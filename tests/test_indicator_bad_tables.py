"""Bad tables in real files, through the real command line: a table with no header, a header
with unknown columns, a one-column table, a 300-row table and a 5,000-character cell, in an
.xlsx, a .docx and an .xls made in the test. Rows are read or skipped with a reason printed as
a warning naming the file; the command never fails and never prints a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xls_file import xls_bytes

LONG = "指" * 5000
SHEETS: list[tuple[str, list[list]]] = [  # type: ignore[type-arg]
    ("无表头", [["产出指标", "数量指标", "购置设备", "10台"], ["产出指标", "质量指标", "验收合格率", "100%"]]),
    ("未知列", [["三级指标", "指标值", "牵头处室", "联系电话"], ["开展培训", "≥4次", "综合科", "12345"]]),
    ("一列", [["三级指标"], ["只有名称"]]),
    ("三百行", [["一级指标", "三级指标", "指标值"]] + [["产出指标", f"指标名称{i}", f"{i}个"] for i in range(300)]),
    ("长单元格", [["三级指标", "指标值"], [LONG, "1个"], ["正常指标", "≥2个"],
                 ["年度绩效目标", "全年" + "开展培训" * 1250]]),
]


def _xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in SHEETS:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(str(path))
    return path


def _docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for title, rows in SHEETS:
        d.add_paragraph(f"绩效目标表（{title}）")
        t = d.add_table(rows=0, cols=max(len(r) for r in rows))
        for r in rows:
            cells = t.add_row().cells
            for i, c in enumerate(r):
                cells[i].text = c
    d.save(str(path))
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(xls_bytes(SHEETS))
    return path


@pytest.mark.parametrize("make", [_xlsx, _docx, _xls], ids=["xlsx", "docx", "xls"])
def test_bad_tables_are_read_or_skipped_with_a_warning_through_the_cli(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / f"bad.{make.__name__[1:]}")
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "api.cli", "extract", "--json", "--type", "indicator", str(path)],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1], timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    names = [json.loads(line)["name"] for line in proc.stdout.splitlines() if line.strip()]
    assert len([n for n in names if n.startswith("指标名称")]) == 300  # the 300-row table, whole
    assert "开展培训" in names and "正常指标" in names  # unknown columns and a long cell do not stop a table
    assert LONG not in names and "只有名称" not in names
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("警告 warning:")]
    assert all(str(path) in w for w in warnings)
    joined = "\n".join(warnings)
    assert "无表头" in joined and "只有一列" in joined and "未识别的列（牵头处室、联系电话）" in joined
    assert "指标名称过长（5000字），已跳过" in joined


def test_bad_tables_in_a_pdf_are_read_or_skipped_with_a_warning_through_the_cli(tmp_path: Path) -> None:
    """The same bad tables as ruled tables in a real PDF made in the test: no header,
    unknown columns, one column, 300 rows continued over nine pages without a
    repeated header (all 300 read), and the two 5,000-character cells, each wrapped
    over 30 lines of small type so the whole table stays on its page. The one-column
    box is a table (its rows are ruled) that gives no indicator and a "只有一列"
    warning; the long name is skipped with its length in the warnings, and the
    table's other rows are read."""
    from cjk_pdf import cjk_pdf, table_page

    def cells(rows: list[list[str]]) -> list[list[list[str]]]:
        return [[[c] for c in r] for r in rows]

    widths = [90, 110, 200, 120]
    pages = [table_page([(40, 570, "项目绩效目标表")], cells(SHEETS[0][1]), top=550, widths=widths),
             table_page([(40, 570, "绩效目标表")], cells(SHEETS[1][1]), top=550, widths=widths),
             table_page([(40, 570, "绩效目标表")], cells(SHEETS[2][1]), top=550, widths=[200])]
    long_table = SHEETS[3][1]
    for k in range(0, len(long_table), 36):
        pages.append(table_page([], cells(long_table[k:k + 36]), top=570, widths=[100, 200, 100],
                                row_height=15))
    per_line = 170  # 4-point type: 170 characters fill a 700-point column
    long_rows = [[[c[k:k + per_line] for k in range(0, len(c), per_line)] for c in r] for r in SHEETS[4][1]]
    assert max(len(lines) for r in long_rows for lines in r) == 30  # 6 points a line: 180 points a cell
    pages.append(table_page([(40, 575, "绩效目标表")], long_rows, top=565, widths=[700, 60], row_height=6,
                            font_size=4))
    long_page = len(pages)
    path = tmp_path / "bad.pdf"
    path.write_bytes(cjk_pdf(pages))
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "api.cli", "extract", "--json", "--type", "indicator", str(path)],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1], timeout=600)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    items = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    names = [i["name"] for i in items]
    assert [n for n in names if n.startswith("指标名称")] == [f"指标名称{i}" for i in range(300)]
    assert {i["page"] for i in items if i["name"].startswith("指标名称")} == set(range(4, long_page))
    assert "开展培训" in names and "只有名称" not in names and "购置设备" not in names
    assert LONG not in names and [i["page"] for i in items if i["name"] == "正常指标"] == [long_page]
    joined = "\n".join(ln for ln in proc.stderr.splitlines() if ln.startswith("警告 warning:"))
    assert f"{path}: 第1页表格无表头" in joined and "第2页表格有未识别的列（牵头处室、联系电话）" in joined
    assert f"{path}: 第3页表格只有一列，未读取指标" in joined
    assert f"{path}: 第{long_page}页表格第2行：指标名称过长（5000字），已跳过" in joined
