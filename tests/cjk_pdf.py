"""A PDF with Chinese text and ruled tables, generated in the test (no binary committed).

Why: the split-layout indicator table and the wrapped goal cell are PDF problems
(pdfplumber's table cells vs the interleaved page text); the test must go through
the real PDF reader. Characters are drawn with a Type0 font whose CIDs are the
Unicode code points and whose ToUnicode map is the identity, so text extracts as written.
"""
from __future__ import annotations

from fixtures.ingest_files import minimal_pdf

FONT_SIZE = 9


def _hex(text: str) -> bytes:
    return b"<" + "".join(f"{ord(c):04X}" for c in text).encode() + b">"


def _to_unicode() -> bytes:
    highs = [0x00, *range(0x20, 0x31), *range(0x4E, 0xA0), 0xFF]  # Latin, punctuation, ≥ ≤ ……, CJK, full-width
    ranges = b"".join(b"<%02X00> <%02XFF> <%02X00>\n" % (h, h, h) for h in highs)
    n = len(highs)
    body = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            b"%d beginbfrange\n" % n + ranges + b"endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end")
    return b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def text_ops(lines: list[tuple[float, float, str]]) -> list[bytes]:
    """Content-stream operators drawing free text ``lines`` (x, y, text)."""
    return [b"BT /F1 %d Tf %.1f %.1f Td " % (FONT_SIZE, x, y) + _hex(s) + b" Tj ET" for x, y, s in lines]


def table_page(lines: list[tuple[float, float, str]], rows: list[list[list[str]]], top: float,
               widths: list[float], row_height: float = 30.0, left: float = 40.0,
               font_size: float = FONT_SIZE) -> bytes:
    """Content stream: free text ``lines`` (x, y, text) and a ruled table whose cells hold
    lines of text, drawn at ``font_size`` with a leading of 4/3 of it (a small size
    holds a long wrapped cell on its page)."""
    ops = [b"0.5 w"]
    y = top
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    heights = [row_height * max(1, max(len(c) for c in r)) for r in rows]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for x in xs:
        ops.append(b"%.1f %.1f m %.1f %.1f l S" % (x, ys[0], x, ys[-1]))
    for yy in ys:
        ops.append(b"%.1f %.1f m %.1f %.1f l S" % (xs[0], yy, xs[-1], yy))
    text = text_ops(lines)
    leading = font_size * 4 / 3
    for r, row in enumerate(rows):
        y = ys[r]
        for c, cell in enumerate(row):
            for k, part in enumerate(cell):
                text.append(b"BT /F1 %g Tf %.1f %.1f Td " % (font_size, xs[c] + 3, y - leading * (k + 1))
                            + _hex(part) + b" Tj ET")
    return b"\n".join(ops + text)


def cjk_pdf(pages: list[bytes], rotate: int = 0) -> bytes:
    """A PDF of the given content streams, one per page (A4 landscape-ish 842 x 595),
    each page shown turned by ``rotate`` degrees (``/Rotate``)."""
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /CJK /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CJK "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        b"/FontDescriptor %d 0 R >>" % (6 + 2 * n),
        _to_unicode(),
    ]
    for i, stream in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /Rotate %d /MediaBox [0 0 842 595] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (rotate, 7 + 2 * i))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /FontDescriptor /FontName /CJK /Flags 4 /FontBBox [0 -120 1000 880] "
                   b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    return minimal_pdf(objects)
