"""Find a table cell's text in ``Document.text``, ignoring white space.

Why: table cells come from the PDF's table structure, while item offsets must
point into the document's running text, where the same words may be broken by
line ends and spaces (and cells of a row are interleaved with their
neighbours). Searching on a white-space-free copy with an index map back to the
original gives exact offsets, and ``text == document.text[start:end]`` holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.document import Document


@dataclass
class Locator:
    """White-space-free view of a document, with a cursor per page for table order."""

    document: Document
    chars: str = ""
    index: list[int] = field(default_factory=list)
    cursor: dict[int | None, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        text = self.document.text
        keep = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.index = keep
        self.chars = "".join(text[i] for i in keep)

    def _range(self, page: int | None) -> tuple[int, int]:
        """Squashed-index range of a page (the whole text when unknown)."""
        import bisect

        if page is not None:
            for p in self.document.pages:
                if p.number == page:
                    return bisect.bisect_left(self.index, p.start), bisect.bisect_left(self.index, p.end)
        return 0, len(self.chars)

    def find(self, needle: str, page: int | None = None, min_prefix: int = 4) -> tuple[int, int] | None:
        """(start, end) of ``needle`` on ``page``, reading forward from the last find.

        Falls back to the longest prefix of at least ``min_prefix`` characters
        (a cell whose text differs a little from the running text)."""
        sq = re.sub(r"\s+", "", needle or "")
        if not sq:
            return None
        lo, hi = self._range(page)
        cur = max(self.cursor.get(page, lo), lo)
        for n in range(len(sq), min(min_prefix, len(sq)) - 1, -1):
            part = sq[:n]
            i = self.chars.find(part, cur, hi)
            if i < 0:
                i = self.chars.find(part, lo, hi)
            if i >= 0:
                j = i + n
                self.cursor[page] = j
                return self.index[i], self.index[j - 1] + 1
            if n > 12:  # long cells: try shorter prefixes quickly
                continue
        return None

    def find_after(self, needle: str, start: int, limit: int = 300) -> tuple[int, int] | None:
        """(start, end) of ``needle`` within ``limit`` squashed chars after offset ``start``."""
        import bisect

        sq = re.sub(r"\s+", "", needle or "")
        if not sq:
            return None
        s = bisect.bisect_left(self.index, start)
        i = self.chars.find(sq, s, s + limit + len(sq))
        if i < 0:
            return None
        return self.index[i], self.index[i + len(sq) - 1] + 1

    def find_whole(self, needle: str, page: int | None = None, window: int = 400) -> tuple[int, int] | None:
        """(start, end) covering every piece of ``needle`` on ``page``.

        A PDF table cell that wraps is interleaved with its neighbour cells in
        the page text (…活动场所。更 | 邻格 | 有效的整合…): its first piece is found
        like :meth:`find`, then each remaining piece within ``window`` squashed
        characters after the last one. The span runs from the first piece to the
        last, so it covers the whole cell (and the neighbour text in between).
        """
        first = self.find(needle, page)
        if first is None:
            return None
        import bisect

        sq = re.sub(r"\s+", "", needle)
        s = bisect.bisect_left(self.index, first[0])
        e = bisect.bisect_left(self.index, first[1] - 1) + 1
        done = e - s
        end = e
        while done < len(sq):
            hit = None
            for n in range(len(sq) - done, 0, -1):
                i = self.chars.find(sq[done:done + n], end, end + window)
                if i >= 0 and (n >= 2 or done + n == len(sq)):
                    hit = (i, n)
                    break
            if hit is None:
                break
            end = hit[0] + hit[1]
            done += hit[1]
        return self.index[s], self.index[end - 1] + 1
