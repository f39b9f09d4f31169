"""The one document type every reader returns.

Offsets everywhere in PolicyLens are character offsets into ``Document.text``,
which is the text *exactly as the reader produced it* (for a text file: the
decoded file, unchanged). Normalisation for matching or indexing happens on
copies, never on this string, so every extracted item can point back to the
characters a user sees.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any


class IngestError(Exception):
    """A file could not be read. ``str(err)`` names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    status = 400  # as an HTTP answer: the file is unreadable


class LimitError(IngestError):
    """A file over a work limit (size, expanded size, number of entries): refused
    before the work is done; as an HTTP answer a 413 naming the limit."""

    status = 413


@dataclass(frozen=True)
class Page:
    """One PDF page (or the whole text for other formats) as a range of ``Document.text``.

    ``flag`` is set when the page's text is unusable (``"cid-garbage"``,
    ``"private-use"``, ``"no-text"``); such pages are kept for page numbering but
    their text is not indexed.
    """

    number: int  # 1-based
    start: int
    end: int
    flag: str | None = None


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized chunk: ``Document.text[start:end]``.

    Lines broken in the middle of a sentence (PDF and newspaper text) are joined
    into one passage; the passage still covers the original characters, line
    breaks included.
    """

    index: int
    start: int
    end: int
    page: int | None = None
    article: int | None = None  # index into the analysis' articles (newspaper pages)


@dataclass
class Table:
    """A table found on a page: rows of cell strings (``None`` for empty/merged cells).

    ``caption`` is the text just above the table (e.g. ``单位：万元``), which may
    carry the unit of its numbers. ``start``/``end`` locate the table's text in
    ``Document.text`` when the reader could find it (else ``None``).
    """

    page: int
    rows: list[list[str | None]]
    caption: str = ""
    start: int | None = None
    end: int | None = None
    cell_refs: list[list[str | None]] | None = None  # each cell's source (sheet!A1) for spreadsheets


@dataclass
class Document:
    """A read document: identity, text, pages, passages and tables."""

    id: str  # sha256 of the file bytes (first 16 hex chars): stable across runs
    source: str  # file base name, e.g. "yantai_daily_budget_performance_2023.txt"
    path: str  # resolved path at ingest time
    format: str  # "text" | "markdown" | "pdf" | "docx"
    title: str
    text: str
    pages: list[Page] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # reader facts: file mtime, pdf metadata ...

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding character ``offset`` (``None`` for unpaged formats)."""
        if self.format != "pdf" or not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return self.pages[max(i, 0)].number

    def passage_text(self, passage: Passage) -> str:
        return self.text[passage.start : passage.end]


def content_id(data: bytes) -> str:
    """Stable document id from the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]
