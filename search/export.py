"""CSV and XLSX writers for tables (comparison, similar groups, indicator catalogue).

A table is a header plus rows of plain values, so every export in the project
goes through the same two functions. CSV is UTF-8 with a BOM (spreadsheet
programs then read the Chinese text correctly); XLSX keeps numbers as numbers,
text exactly as it is (typed as text, so ``=85%`` is never a formula), and a
cell may carry a hyperlink to the items behind it.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# Excel's sheet-name rules: at most 31 characters, none of these
_BAD_SHEET_CHARS = set("[]:*?/\\")
# values that a spreadsheet would run as a formula (CSV/formula injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    """One table: ``rows`` of values under ``header``; ``links`` (optional) has the
    same shape as ``rows`` and holds a URL or ``None`` per cell."""

    name: str
    header: list[str]
    rows: list[list[Any]]
    links: list[list[str | None]] | None = None
    widths: dict[int, int] = field(default_factory=dict)


def neutralise(text: str) -> str:
    """CSV text a spreadsheet could run as a formula (``=HYPERLINK(...)`` in a
    document!, ``@SUM``, ``+``/``-`` expressions, a leading tab or CR) with a
    leading ``'``, which spreadsheets hide and which makes the cell plain text.
    Every CSV export in the project writes its text cells through this."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def cell_value(v: Any, quote_formulas: bool = True) -> Any:
    """A value as a spreadsheet/CSV cell: numbers stay numbers, lists and dicts
    become compact JSON. In CSV (``quote_formulas``) text goes through
    :func:`neutralise`; XLSX types text as text instead."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, (list, tuple, dict)):
        v = json.dumps(v, ensure_ascii=False)
    s = str(v)
    return neutralise(s) if quote_formulas else s


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], bom: bool = True) -> str:
    """The table as CSV text (with a BOM by default)."""
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if (c := cell_value(v)) is None else
                    (int(c) if isinstance(c, float) and c.is_integer() else c) for v in r])
    return buf.getvalue()


def sheet_title(name: str) -> str:
    clean = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in name).strip("'")
    return (clean or "Sheet")[:31]


def _xlsx_text(value: Any) -> Any:
    """A cell value without the control characters a worksheet cannot hold
    (a stored name may carry them; the export must not fail on it)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_xlsx(sheets: Sequence[Sheet], base_url: str = "") -> bytes:
    """An XLSX workbook with one worksheet per :class:`Sheet`.

    Relative links get ``base_url`` in front (Excel needs absolute URLs); with no
    base URL, relative links are written as they are."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sh in sheets:
        title = sheet_title(sh.name)
        n = 2
        while title in used:
            title = sheet_title(f"{sh.name[:27]} ({n})")
            n += 1
        used.add(title)
        ws = wb.create_sheet(title)
        ws.append([_xlsx_text(h) for h in sh.header])
        for c in ws[1]:
            c.font = Font(bold=True)
        for i, row in enumerate(sh.rows):
            ws.append([_xlsx_text(cell_value(v, quote_formulas=False)) for v in row])
            for c in ws[ws.max_row]:  # text is text: never stored as a formula
                if isinstance(c.value, str):
                    c.data_type = "s"
            if not sh.links or i >= len(sh.links):
                continue
            for j, url in enumerate(sh.links[i]):
                if url:
                    cell = ws.cell(row=i + 2, column=j + 1)
                    cell.hyperlink = (base_url.rstrip("/") + url) if url.startswith("/") else url
                    cell.font = Font(color="0563C1", underline="single")
        ws.freeze_panes = "A2"
        for j, h in enumerate(sh.header, start=1):
            width = sh.widths.get(j - 1) or min(60, max(8, 2 * len(str(h)) + 2))
            ws.column_dimensions[get_column_letter(j)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
