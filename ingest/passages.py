"""Paragraph joining and splitting: pure functions from text to character spans.

Why this exists: text extracted from PDFs and newspaper scans breaks lines in
the middle of sentences ("许\\n\\n多工作"), while plain-text reports put one
paragraph per line. Search and extraction want paragraph-sized chunks, and every
chunk must still point at the *unchanged* reader text. So nothing here edits
text: functions return ``(start, end)`` spans into the string they were given,
and a joined paragraph simply covers the line breaks between its parts.

The rules (all general, no per-document tuning):

* A *line* is complete when its last visible character (ignoring closing quotes
  and brackets) is a sentence end (``corpora/ingest/sentence_end.txt``).
* A *heading* is a short incomplete line (``heading_max`` chars). Headings stay
  their own passages and never absorb the next line.
* Lines of one block (no blank line between them) join when the earlier line is
  incomplete and not a heading; with ``wrapped=True`` (PDF page text, whose
  lines are cut at the page width) a line that fills the width also joins the
  next, even if it happens to end in punctuation.
* Across a blank line a paragraph continues only when it is incomplete, long
  enough not to be a heading, and the next block does not start with a heading
  (newspaper text: "许\\n\\n多工作" joins; "…管理模\\n\\n立足“长效管用” …" does not).
* Paragraphs longer than ``max_chars`` split at sentence ends into chunks of at
  most ``max_chars`` (a single longer sentence stays whole).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import corpora

Span = tuple[int, int]


@dataclass(frozen=True)
class PassageSettings:
    """Tunables of paragraph building; defaults suit Chinese government prose."""

    heading_max: int = 40  # an incomplete line this short is a heading
    max_chars: int = 600  # split paragraphs longer than this at sentence ends
    min_chars: int = 50  # a split chunk shorter than this is merged with its neighbour
    wrapped: bool = False  # lines are cut at a fixed width (PDF page text)
    full_ratio: float = 0.85  # with ``wrapped``: a line this close to the widest is "full"


DEFAULT_SETTINGS = PassageSettings()


@lru_cache(maxsize=1)
def _punctuation() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Sentence-end, split-point and closing characters from ``corpora/ingest``."""
    return (
        frozenset(corpora.read_lines("ingest", "sentence_end.txt")),
        frozenset(corpora.read_lines("ingest", "split_end.txt")),
        frozenset(corpora.read_lines("ingest", "closing.txt")),
    )


def is_complete(line: str) -> bool:
    """True when ``line`` ends a sentence (closing quotes/brackets skipped)."""
    ends, _, closing = _punctuation()
    s = line.rstrip()
    while s and s[-1] in closing:
        s = s[:-1].rstrip()
    return bool(s) and s[-1] in ends


def is_heading(line: str, settings: PassageSettings = DEFAULT_SETTINGS) -> bool:
    """A short line that does not end a sentence: a title, heading or label."""
    s = line.strip()
    return 0 < len(s) <= settings.heading_max and not is_complete(s)


def lines(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans of the lines of ``text[start:end]``, stripped of surrounding whitespace.

    Blank lines give no span; use :func:`blocks` to see where they were.
    """
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        s, e = _strip(text, pos, stop)
        if s < e:
            out.append((s, e))
        pos = stop + 1
    return out


def blocks(text: str, start: int = 0, end: int | None = None) -> list[list[Span]]:
    """Groups of consecutive non-blank lines (blocks separated by blank lines)."""
    out: list[list[Span]] = []
    current: list[Span] = []
    prev_end: int | None = None
    for s, e in lines(text, start, end):
        if current and prev_end is not None and text.count("\n", prev_end, s) > 1:
            out.append(current)
            current = []
        current.append((s, e))
        prev_end = e
    if current:
        out.append(current)
    return out


def paragraphs(text: str, start: int = 0, end: int | None = None,
               settings: PassageSettings = DEFAULT_SETTINGS) -> list[Span]:
    """Spans of the paragraphs of ``text[start:end]`` (broken lines joined)."""
    paras: list[Span] = []
    for block in blocks(text, start, end):
        width = max(e - s for s, e in block)
        first = True
        for s, e in block:
            line = text[s:e]
            if paras and first and _continues_across_blank(text, paras[-1], line, settings):
                paras[-1] = (paras[-1][0], e)
            elif paras and not first and _continues(text, paras[-1], settings, width):
                paras[-1] = (paras[-1][0], e)
            else:
                paras.append((s, e))
            first = False
    return paras


def _last_line(text: str, span: Span) -> str:
    s, e = span
    nl = text.rfind("\n", s, e)
    return text[(s if nl < 0 else nl + 1):e]


def _continues(text: str, para: Span, settings: PassageSettings, width: int) -> bool:
    """Inside a block: does the paragraph ``para`` go on with the next line?"""
    last = _last_line(text, para).strip()
    para_text = text[para[0]:para[1]]
    if is_heading(para_text, settings) and "\n" not in para_text:
        return False
    if not is_complete(last):
        return True
    return settings.wrapped and width >= 20 and len(last) >= settings.full_ratio * width


def _continues_across_blank(text: str, para: Span, next_line: str,
                            settings: PassageSettings) -> bool:
    """Across a blank line: only an unfinished long paragraph continues into prose."""
    para_text = text[para[0]:para[1]]
    if is_complete(_last_line(text, para)) or len(para_text.strip()) <= settings.heading_max:
        return False
    return not is_heading(next_line, settings)


def split_long(text: str, span: Span, settings: PassageSettings = DEFAULT_SETTINGS) -> list[Span]:
    """Split one paragraph span at sentence ends into chunks of at most ``max_chars``."""
    s, e = span
    if e - s <= settings.max_chars:
        return [span]
    sentences = _sentences(text, s, e)
    chunks: list[Span] = []
    cur_s, cur_e = sentences[0]
    for ss, se in sentences[1:]:
        if se - cur_s > settings.max_chars and cur_e - cur_s >= settings.min_chars:
            chunks.append((cur_s, cur_e))
            cur_s = ss
        cur_e = se
    chunks.append((cur_s, cur_e))
    if len(chunks) > 1 and chunks[-1][1] - chunks[-1][0] < settings.min_chars:
        tail = chunks.pop()
        chunks[-1] = (chunks[-1][0], tail[1])
    return [_strip(text, a, b) for a, b in chunks]


def _sentences(text: str, s: int, e: int) -> list[Span]:
    """Sentence spans of ``text[s:e]`` (closing quotes stay with their sentence)."""
    _, splits, closing = _punctuation()
    out: list[Span] = []
    begin = s
    i = s
    while i < e:
        if text[i] in splits:
            j = i + 1
            while j < e and text[j] in closing:
                j += 1
            a, b = _strip(text, begin, j)
            if a < b:
                out.append((a, b))
            begin = j
            i = j
            continue
        i += 1
    a, b = _strip(text, begin, e)
    if a < b:
        out.append((a, b))
    return out or [(s, e)]


def chunk_lines(text: str, start: int, end: int, max_chars: int = 600) -> list[Span]:
    """Group the lines of ``text[start:end]`` into spans of at most ``max_chars``.

    For table text, whose lines are rows rather than sentences: rows are kept
    whole and together, never joined as prose.
    """
    out: list[Span] = []
    for s, e in lines(text, start, end):
        if out and e - out[-1][0] <= max_chars:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def passage_spans(text: str, start: int = 0, end: int | None = None,
                  settings: PassageSettings = DEFAULT_SETTINGS) -> list[Span]:
    """Paragraph-sized passage spans: :func:`paragraphs` then :func:`split_long`."""
    out: list[Span] = []
    for para in paragraphs(text, start, end, settings):
        out.extend(split_long(text, para, settings))
    return out


def _strip(text: str, s: int, e: int) -> Span:
    """Narrow ``[s, e)`` to exclude surrounding whitespace (incl. BOM, full-width space)."""
    while s < e and (text[s].isspace() or text[s] == "\ufeff"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == "\ufeff"):
        e -= 1
    return s, e
