"""A real Excel 97-2003 .xls file made in the test (no binary committed, no .xls writer).

Why by hand: the only Python .xls writer (xlwt) is unmaintained, and no office suite is
installed. An .xls file is a BIFF8 workbook stream inside an OLE2 compound file; both
formats are documented ([MS-XLS], [MS-CFB]) and a workbook of text and number cells
needs only a few record types: BOF, CODEPAGE, BOUNDSHEET, EOF for the workbook, and
BOF, DIMENSIONS, LABEL, NUMBER, EOF per sheet. The compound file holds one stream,
"Workbook", padded to 4096 bytes so it lives in regular 512-byte sectors.
"""
from __future__ import annotations

import struct

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(sheet: bool) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010 if sheet else 0x0005, 0x0DBB, 0x07CC, 0, 6))


def _string(text: str, wide_len: bool) -> bytes:
    """A BIFF8 unicode string: its length, the 'UTF-16' flag, the characters."""
    head = struct.pack("<HB", len(text), 1) if wide_len else struct.pack("<BB", len(text), 1)
    return head + text.encode("utf-16-le")


def _sheet(rows: list[list[str | float | None]]) -> bytes:
    ncols = max((len(r) for r in rows), default=0)
    out = _bof(True) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, ncols, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)):
                out += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
            else:
                out += _record(0x0204, struct.pack("<HHH", r, c, 0) + _string(str(value), True))
    return out + _record(0x000A)


def workbook_stream(sheets: list[tuple[str, list[list[str | float | None]]]]) -> bytes:
    """The BIFF8 workbook stream of ``sheets`` (name, rows of cell values)."""
    bodies = [_sheet(rows) for _, rows in sheets]
    head_len = len(_bof(False)) + len(_record(0x0042, b"\0\0")) + len(_record(0x000A))
    bound_lens = [len(_record(0x0085, b"\0" * 6 + _string(name, False))) for name, _ in sheets]
    offset = head_len + sum(bound_lens)
    out = _bof(False) + _record(0x0042, struct.pack("<H", 1200))
    for (name, _), body in zip(sheets, bodies):
        out += _record(0x0085, struct.pack("<IBB", offset, 0, 0) + _string(name, False))
        offset += len(body)
    out += _record(0x000A)
    return out + b"".join(bodies)


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = FREE) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", FREE, FREE, child) + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
            + struct.pack("<III", start, size, 0))


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream."""
    stream = stream.ljust(max(4096, -(-len(stream) // SECTOR) * SECTOR), b"\0")
    n = len(stream) // SECTOR
    assert n + 2 <= SECTOR // 4, "one FAT sector holds 128 entries"
    fat = [FATSECT, END] + [3 + i if i < n - 1 else END for i in range(n)]
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    directory = (_dir_entry("Root Entry", 5, END, 0, child=1) + _dir_entry(name, 2, 2, len(stream))
                 + _dir_entry("", 0, FREE, 0) + _dir_entry("", 0, FREE, 0))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *([FREE] * 108)))
    return header + fat_sector + directory + stream


def xls_bytes(sheets: list[tuple[str, list[list[str | float | None]]]]) -> bytes:
    """A .xls file of ``sheets`` (name, rows of cell values: text, numbers or empty)."""
    return compound_file(workbook_stream(sheets))
