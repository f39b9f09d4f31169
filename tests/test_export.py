"""CSV and XLSX writers, read back with the csv module and openpyxl."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from search.export import Sheet, cell_value, sheet_title, to_csv, to_xlsx

HEADER = ["单位 org", "资金（元）", "占比", "原因 reasons"]
ROWS = [["县教育局", 7000000.0, 0.5, ["含糊词", "无数字"]],
        ["=HYPERLINK(\"http://x\")", 15000000, None, "@SUM(A1)"],
        ["县卫健委", 8000000.25, True, "说明,带逗号\n和换行"],
        ["=", -3, "=85%", "+"]]


def test_csv_round_trip():
    text = to_csv(HEADER, ROWS)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == HEADER
    assert rows[1] == ["县教育局", "7000000", "0.5", '["含糊词", "无数字"]']
    # formula-like text is quoted so a spreadsheet shows it instead of running it
    assert rows[2] == ["'=HYPERLINK(\"http://x\")", "15000000", "", "'@SUM(A1)"]
    assert rows[3] == ["县卫健委", "8000000.25", "是", "说明,带逗号\n和换行"]
    assert rows[4] == ["'=", "-3", "'=85%", "'+"]  # every text cell that starts like a formula
    assert not to_csv(HEADER, []).startswith("\ufeff" * 2)
    assert to_csv(["a"], [[1]], bom=False) == "a\r\n1\r\n"


def test_xlsx_round_trip_with_links_and_sheet_names():
    links = [[None, "/api/figures?kind=money&org=县教育局", None, None], [None] * 4,
             [None, "https://example.invalid/x", None, None], [None] * 4]
    data = to_xlsx([Sheet("比较 compare", HEADER, ROWS, links),
                    Sheet("a/b:c*d?[e]" + "长" * 40, ["x"], [[1]]),
                    Sheet("比较 compare", ["y"], [[2]])], base_url="http://host:8000/")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "比较 compare"
    assert wb.sheetnames[1] == sheet_title("a/b:c*d?[e]" + "长" * 40)
    assert len(wb.sheetnames[1]) == 31 and not set("[]:*?/\\") & set(wb.sheetnames[1])
    assert wb.sheetnames[2] != wb.sheetnames[0]  # duplicate names get a suffix
    ws = wb["比较 compare"]
    got = [[c.value for c in r] for r in ws.iter_rows()]
    assert got[0] == HEADER
    assert got[1] == ["县教育局", 7000000, 0.5, '["含糊词", "无数字"]']
    assert isinstance(ws["B2"].value, (int, float))  # numbers stay numbers
    # text stays exactly as written and is stored as text, not as a formula
    assert got[2][0] == "=HYPERLINK(\"http://x\")" and ws["A3"].data_type == "s"
    assert got[2][2] is None and got[4] == ["=", -3, "=85%", "+"]
    assert ws["C5"].data_type == "s"
    assert ws["B2"].hyperlink.target == "http://host:8000/api/figures?kind=money&org=县教育局"
    assert ws["B4"].hyperlink.target == "https://example.invalid/x"
    assert ws["A2"].hyperlink is None
    assert ws.freeze_panes == "A2"


def test_cell_values():
    assert cell_value(None) is None and cell_value(3) == 3 and cell_value(False) == "否"
    assert cell_value({"a": "甲"}) == '{"a": "甲"}'
    assert cell_value("-1") == "'-1" and cell_value("正常文本") == "正常文本"


def test_xlsx_drops_control_characters_a_worksheet_cannot_hold():
    """A stored name with control characters (a metadata correction can carry
    them) made the .xlsx export a 500; the characters are dropped, the rest kept."""
    data = to_xlsx([Sheet("比较", ["单位\x01 org"], [["县\x0b教育局\x1f"], ["¸%\x07"]])])
    got = [[c.value for c in r] for r in load_workbook(io.BytesIO(data))["比较"].iter_rows()]
    assert got == [["单位 org"], ["县教育局"], ["¸%"]]
