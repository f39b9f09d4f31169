"""Excel .xlsx reader (openpyxl): every sheet a table, every cell with its sheet, row and column.

Why: performance-target forms (绩效目标申报表) are often kept as spreadsheets,
one project per sheet: a label/value block (项目名称 | …, 年度绩效目标 | …) and
then 一级指标 | 二级指标 | 三级指标 | 目标值 | 指标解释 with merged cells. A sheet is
read like any other table (:mod:`nlp.tables` reads columns by their role), so
the same code serves PDF, .docx and .xlsx.

``Document.text`` is built by us: per sheet a title line 【sheet】 and one line
per row, cells separated by a tab (as the .docx reader writes tables), so the
sheet is searchable and every item has offsets. Each sheet is a :class:`Page`
(numbered from 1 in workbook order) and a :class:`Table` whose ``cell_refs``
give each cell's source as ``sheet!A1``. Merged cells keep their value in the
top-left cell and are empty elsewhere, as in PDF tables. Formulas are read as
their cached values. Empty rows and columns are dropped; very large sheets are
cut (``MAX_ROWS`` x ``MAX_COLS``) with a warning in ``meta["warnings"]``.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import PurePath
from typing import Any, Iterable, Sequence

from ingest.document import Document, IngestError, Page, Passage, Table
from ingest.passages import chunk_lines

MAX_ROWS = 5000
MAX_COLS = 100


def _cell_text(value: Any) -> str | None:
    """A cell value as text: integral floats without .0, dates as ISO dates."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    text = " ".join(str(value).split())
    return text or None


def column_letter(n: int) -> str:
    """Spreadsheet column name of 1-based column ``n`` (1 -> A, 27 -> AA)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def sheet_table(title: str, rows_in: Iterable[Sequence[Any]], nrows: int, ncols: int,
                warnings: list[str]) -> tuple[list[list[str | None]], list[list[str | None]]]:
    """Rows of cell texts and their ``sheet!A1`` references, empty rows and columns dropped.

    ``rows_in`` yields each row's cell values from row 1; only the first ``MAX_ROWS``
    rows and ``MAX_COLS`` columns are read (with a warning), whatever the file declares.
    Shared by the .xlsx and .xls readers so both give the same tables.
    """
    if nrows > MAX_ROWS or ncols > MAX_COLS:
        warnings.append(f"工作表“{title}”过大（{nrows}行×{ncols}列），只读取前{MAX_ROWS}行、前{MAX_COLS}列")
    rows: list[list[str | None]] = []
    refs: list[list[str | None]] = []
    for r, row in enumerate(rows_in, start=1):
        if r > MAX_ROWS:
            break
        cells = [_cell_text(v) for v in list(row)[:MAX_COLS]]
        if any(cells):
            rows.append(cells)
            refs.append([f"{title}!{column_letter(c)}{r}" for c in range(1, len(cells) + 1)])
    if not rows:
        return [], []
    keep = [j for j in range(max(len(r) for r in rows)) if any(j < len(r) and r[j] for r in rows)]
    return ([[r[j] if j < len(r) else None for j in keep] for r in rows],
            [[f[j] if j < len(f) else None for j in keep] for f in refs])


def _sheet_rows(ws: Any, warnings: list[str]) -> tuple[list[list[str | None]], list[list[str | None]]]:
    nrows, ncols = ws.max_row or 0, ws.max_column or 0
    return sheet_table(ws.title, ws.iter_rows(min_row=1, max_row=min(nrows, MAX_ROWS),
                                              max_col=min(ncols, MAX_COLS), values_only=True),
                       nrows, ncols, warnings)


def workbook_document(sheets: list[tuple[str, list[list[str | None]], list[list[str | None]]]],
                      warnings: list[str], source: str, path: str, doc_id: str, fmt: str,
                      title: str) -> Document:
    """A :class:`Document` of a workbook's sheets (title, rows, cell references): one page and
    one table per sheet, the text built as 【sheet】 then one tab-separated line per row."""
    parts: list[str] = []
    pages: list[Page] = []
    tables: list[Table] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for number, (name, rows, refs) in enumerate(sheets, start=1):
        head = f"【{name}】"
        body = "\n".join("\t".join(c or "" for c in r) for r in rows)
        start = pos
        block = head + ("\n" + body if body else "")
        parts.append(block + "\n")
        pos += len(block) + 1
        pages.append(Page(number, start, start + len(block)))
        spans.append((start, start + len(head)))
        if rows:
            t_start = start + len(head) + 1
            tables.append(Table(page=number, rows=rows, caption=name, start=t_start,
                                end=t_start + len(body), cell_refs=refs))
            spans.extend((t_start + a, t_start + b) for a, b in chunk_lines(body, 0, len(body)))
    text = "".join(parts).rstrip("\n")
    if not any(t.rows for t in tables):
        raise IngestError(path, "文件内容为空 / empty workbook (no cell has a value)")
    passages = [Passage(i, s, e, page=next(p.number for p in pages if p.start <= s <= p.end))
                for i, (s, e) in enumerate(spans)]
    meta: dict[str, Any] = {"sheets": [name for name, _, _ in sheets]}
    if warnings:
        meta["warnings"] = warnings
    return Document(id=doc_id, source=source, path=path, format=fmt, title=title or PurePath(source).stem,
                    text=text, pages=pages, passages=passages, tables=tables, meta=meta)


def read(data: bytes, source: str, path: str, doc_id: str) -> Document:
    """Read .xlsx bytes into a :class:`Document` (raises :class:`IngestError`)."""
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(path, "Excel文件损坏 / corrupt .xlsx (not a zip archive)")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken or foreign files
        raise IngestError(path, f"Excel文件损坏 / corrupt .xlsx: {type(exc).__name__}: {exc}") from exc
    warnings: list[str] = []
    sheets = [(ws.title, *_sheet_rows(ws, warnings)) for ws in wb.worksheets]
    return workbook_document(sheets, warnings, source, path, doc_id, "xlsx", (wb.properties.title or "").strip())
