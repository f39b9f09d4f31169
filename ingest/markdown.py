"""Markdown reader: the raw Markdown is the text; structure only guides passages.

Offsets must point at the file as decoded, so markup is not stripped from
``Document.text``. Instead, passages are built block by block: ATX headings
(``# …``) are their own passages, HTML comments and code fences are not
indexed, pipe tables become :class:`Table` objects (and one passage of rows),
and the remaining prose goes through :mod:`ingest.passages` (joining broken
lines inside a block, never across a blank line: in Markdown that is a
paragraph break by definition).
"""
from __future__ import annotations

import re
from pathlib import PurePath

from ingest.document import Document, Page, Passage, Table
from ingest.passages import (PassageSettings, Span, attach_headings, chunk_lines, lines,
                             passage_spans)
from ingest.text import decode_text, title_of

HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
FENCE_RE = re.compile(r"^\s*(```|~~~)")
TABLE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
# a blank line ends a Markdown paragraph by definition: never join across it
PASSAGE_SETTINGS = PassageSettings(join_across_blank=False)

TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _segments(text: str) -> list[tuple[str, Span]]:
    """Classify the lines of ``text`` into runs: ``prose``, ``heading``, ``table``, ``skip``."""
    out: list[tuple[str, Span]] = []
    skip_ranges = [(m.start(), m.end()) for m in COMMENT_RE.finditer(text)]
    in_fence = False
    for s, e in lines(text):
        line = text[s:e]
        if FENCE_RE.match(line):
            in_fence = not in_fence
            kind = "skip"
        elif in_fence or any(a <= s and e <= b for a, b in skip_ranges):
            kind = "skip"
        elif HEADING_RE.match(line):
            kind = "heading"
        elif TABLE_ROW_RE.match(line) or (out and out[-1][0] == "table" and TABLE_RULE_RE.match(line)):
            kind = "table"
        else:
            kind = "prose"
        if out and out[-1][0] == kind and kind in ("prose", "table", "skip"):
            out[-1] = (kind, (out[-1][1][0], e))
        else:
            out.append((kind, (s, e)))
    return out


def _table_rows(text: str, span: Span) -> list[list[str | None]]:
    rows = []
    for s, e in lines(text, *span):
        line = text[s:e]
        if TABLE_RULE_RE.match(line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append([c or None for c in cells])
    return rows


def read(data: bytes, source: str, path: str, doc_id: str) -> Document:
    """Read a Markdown file into a :class:`Document`."""
    text, encoding, warnings = decode_text(data, path)
    spans: list[Span] = []
    tables: list[Table] = []
    title = ""
    prev_prose: Span | None = None
    for kind, span in _segments(text):
        if kind == "heading":
            m = HEADING_RE.match(text[span[0]:span[1]])
            if not title and m and len(m.group(1)) == 1:
                title = m.group(2)
            spans.append(span)
        elif kind == "table":
            caption = ""
            if prev_prose is not None:
                last = lines(text, *prev_prose)[-1]
                caption = text[last[0]:last[1]] if last[1] - last[0] <= 60 else ""
            tables.append(Table(page=1, rows=_table_rows(text, span), caption=caption,
                                start=span[0], end=span[1]))
            spans.extend(chunk_lines(text, *span))
        elif kind == "prose":
            spans.extend(passage_spans(text, *span, settings=PASSAGE_SETTINGS))
        prev_prose = span if kind == "prose" else None
    if not title:
        title = title_of(text, PurePath(source).stem)
    spans = attach_headings(text, spans, PASSAGE_SETTINGS)
    passages = [Passage(i, s, e) for i, (s, e) in enumerate(spans)]
    return Document(id=doc_id, source=source, path=path, format="markdown", title=title,
                    text=text, pages=[Page(1, 0, len(text))], passages=passages,
                    tables=tables, encoding=encoding,
                    meta={"warnings": warnings} if warnings else {})
