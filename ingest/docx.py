"""Word .docx reader (python-docx): paragraphs and tables in document order.

``Document.text`` is built by us: body paragraphs joined with ``\\n`` and each
table written as text too (one row per line, cells separated by a tab) so
tables are searchable; :class:`Table` objects carry the rows, the range of the
table text and the caption (the short paragraph just above, e.g. ``单位：万元``).
Each Word paragraph is a real paragraph, so passages are not joined across
paragraphs; only very long ones are split at sentence ends. Title: the first
paragraph styled Title/Heading 1, else the document property, else the first
title-like line.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from ingest.document import Document, IngestError, LimitError, Page, Passage, Table
from ingest.passages import DEFAULT_SETTINGS, chunk_lines, is_heading, split_long
from ingest.text import title_of

CAPTION_MAX = 80  # a paragraph longer than this above a table is prose, not its caption
# work limits checked on the zip directory before any XML is parsed (zip bombs):
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # all entries together, uncompressed
MAX_ENTRIES = 5000  # files in the archive
MAX_RATIO = 200  # uncompressed / compressed size of one large entry


def check_archive(data: bytes, path: str) -> None:
    """Refuse an Office archive (.docx, .xlsx) whose directory promises more work
    than the limits allow, before anything is decompressed.

    The sizes in the zip directory are what the entries claim; python's zipfile
    stops reading an entry at its declared size, so a lying directory cannot
    expand beyond what it declares here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        kind = PurePath(path).suffix.lower() or "Office"
        raise IngestError(path, f"Office文件损坏 / corrupt {kind} (not a zip archive): {exc}") from exc
    if len(infos) > MAX_ENTRIES:
        raise LimitError(path, f"压缩包条目过多 / too many entries: {len(infos)} > limit "
                               f"{MAX_ENTRIES} (MAX_ENTRIES)")
    expanded = sum(i.file_size for i in infos)
    if expanded > MAX_EXPANDED_BYTES:
        raise LimitError(path, f"解压后过大 / expands to {expanded} bytes > limit "
                               f"{MAX_EXPANDED_BYTES} (MAX_EXPANDED_BYTES)")
    for i in infos:
        if i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(1, i.compress_size):
            raise LimitError(path, f"压缩比异常 / entry {i.filename[:80]!r} expands "
                                   f"{i.file_size // max(1, i.compress_size)}x > limit "
                                   f"{MAX_RATIO}x (MAX_RATIO)")


def _iter_blocks(doc):  # type: ignore[no-untyped-def]
    """Paragraphs and tables of the body in document order."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, doc)
        elif tag == "tbl":
            yield DocxTable(child, doc)


def _is_title_style(paragraph) -> bool:  # type: ignore[no-untyped-def]
    """Word's "Title" / "Heading 1" styles (also the Chinese names "标题", "标题 1")."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name in ("Title", "Heading 1", "标题", "标题 1")


def _rows(table) -> list[list[str | None]]:  # type: ignore[no-untyped-def]
    """Cell texts per row; a merged cell repeated by python-docx is kept once (``None`` after)."""
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        prev = None
        for cell in row.cells:
            if prev is not None and cell._tc is prev:
                cells.append(None)
                continue
            prev = cell._tc
            cells.append(" ".join(cell.text.split()) or None)
        rows.append(cells)
    return rows


def read(data: bytes, source: str, path: str, doc_id: str) -> Document:
    """Read .docx bytes into a :class:`Document` (raises :class:`IngestError`)."""
    import docx
    from docx.table import Table as DocxTable

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(path, "Word文件损坏 / corrupt .docx (not a zip archive)")
    check_archive(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_iter_blocks(document))
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        tables: list[Table] = []
        pos = 0
        last_para = ""
        styled_title = ""
        for block in blocks:
            if isinstance(block, DocxTable):
                rows = _rows(block)
                body = "\n".join("\t".join(c or "" for c in r) for r in rows)
                start = pos
                parts.append(body + "\n")
                pos += len(body) + 1
                caption = last_para if len(last_para) <= CAPTION_MAX else ""
                tables.append(Table(page=1, rows=rows, caption=caption, start=start, end=start + len(body)))
                spans.extend((start + a, start + b) for a, b in chunk_lines(body, 0, len(body)))
                last_para = ""
            else:
                para = block.text
                start = pos
                parts.append(para + "\n")
                pos += len(para) + 1
                stripped = para.strip()
                if stripped and not styled_title and _is_title_style(block):
                    styled_title = stripped
                if stripped:
                    lead = len(para) - len(para.lstrip())
                    s, e = start + lead, start + lead + len(stripped)
                    if is_heading(stripped):
                        spans.append((s, e))
                    else:
                        spans.extend((start + a, start + b) for a, b in
                                     split_long(para, (lead, lead + len(stripped)), DEFAULT_SETTINGS))
                    last_para = stripped
    except IngestError:
        raise
    except Exception as exc:  # python-docx / lxml raise many types for broken files
        raise IngestError(path, f"Word文件损坏 / corrupt .docx: {type(exc).__name__}: {exc}") from exc
    text = "".join(parts)
    if text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        raise IngestError(path, "文件内容为空 / empty document (no text)")
    title = styled_title or (document.core_properties.title or "").strip() \
        or title_of(text, PurePath(source).stem)
    passages = [Passage(i, s, e) for i, (s, e) in enumerate(spans)]
    return Document(id=doc_id, source=source, path=path, format="docx", title=title, text=text,
                    pages=[Page(1, 0, len(text))], passages=passages, tables=tables)
