"""Excel 97-2003 .xls reader (xlrd 2.x): read like .xlsx, every cell with its ``sheet!A1``.

Why: many performance-target forms (绩效目标申报表, 自评表) are still exchanged as
.xls. xlrd 2.x reads exactly this format (BIFF in an OLE2 container) and nothing
else; it is BSD-licensed and has no dependencies. The document is built by the
same code as for .xlsx (:func:`ingest.xlsx.workbook_document`), so tables,
pages, passages and cell references are the same for both formats.

Limits: the file size limit of :mod:`ingest.readers` applies first; only the
first ``MAX_ROWS`` rows and ``MAX_COLS`` columns of a sheet are read (a warning
says so); sheets are loaded one at a time (``on_demand``) and released. Merged
cells keep their value in the top-left cell and are empty elsewhere, as in the
other readers. The format itself bounds a sheet at 65,536 x 256 cells: a file whose
one sheet declares and fills that corner reads in about 3 s and 175 MB (measured). A broken, encrypted or foreign file is an :class:`IngestError`
naming the file and the reason.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from ingest.document import Document, IngestError
from ingest.xlsx import MAX_COLS, MAX_ROWS, sheet_table, workbook_document

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _values(sheet: Any, datemode: int) -> Iterator[list[Any]]:
    """Each row's values, dates as dates and error cells empty."""
    import xlrd

    for r in range(min(sheet.nrows, MAX_ROWS)):
        row = []
        for cell in sheet.row_slice(r, 0, min(sheet.ncols, MAX_COLS)):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    value: Any = xlrd.xldate_as_datetime(cell.value, datemode)
                    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                        value = value.date()
                except (ValueError, OverflowError):  # a date cell with an impossible serial number
                    value = cell.value
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            else:
                value = cell.value
            row.append(value)
        yield row


def read(data: bytes, source: str, path: str, doc_id: str) -> Document:
    """Read .xls bytes into a :class:`Document` (raises :class:`IngestError`)."""
    import xlrd

    if data[:8] != OLE2_SIGNATURE:
        # an .xlsx renamed to .xls, an HTML or CSV "xls" export: say what it is instead
        hint = "实为.xlsx文件 / it is an .xlsx file" if data[:2] == b"PK" else "不是Excel 97-2003文件 / not an Excel 97-2003 file"
        raise IngestError(path, f"Excel文件损坏 / corrupt .xls: {hint}")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=False,
                                  logfile=_Quiet())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct/index errors on broken files
        raise IngestError(path, f"Excel文件损坏 / corrupt .xls: {type(exc).__name__}: {exc}") from exc
    warnings: list[str] = []
    sheets = []
    try:
        for i in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(i)
            except Exception as exc:  # one unreadable sheet: skip it, say so
                warnings.append(f"第{i + 1}个工作表无法读取，已跳过：{type(exc).__name__}")
                continue
            rows, refs = sheet_table(sheet.name, _values(sheet, book.datemode), sheet.nrows, sheet.ncols, warnings)
            sheets.append((sheet.name, rows, refs))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return workbook_document(sheets, warnings, source, path, doc_id, "xls", "")


class _Quiet:
    """xlrd writes warnings about odd records to a log file; keep them out of the output."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None
