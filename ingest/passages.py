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
* A *heading* is a short incomplete line (``heading_max`` chars) with no
  sentence end inside and no continuation mark (``，、``) or dangling particle
  (``的了和``, ``corpora/ingest/dangling_end.txt``) at its end. Headings
  stay their own passages.
* An incomplete paragraph goes on with the next line (with or without a blank
  line between them: newspaper text puts blank lines anywhere) unless the
  paragraph or the next line is a heading. "许\\n\\n多工作" joins;
  "…管理模\\n\\n立足“长效管用” 夯实…" does not.
* A next line that starts as a fragment (``疼。”…``: punctuation first or
  second), or a paragraph ending in a continuation mark or dangling particle,
  always continues.
* With ``wrapped=True`` (PDF page text, lines cut at the page width) a line
  that fills the width joins the next line of its block even if it happens to
  end in punctuation.
* Paragraphs longer than ``max_chars`` split at sentence ends into chunks of at
  most ``max_chars``; a longer stretch without sentence ends (a list, a table of
  contents) splits at line breaks; a single longer line stays whole.
"""
from __future__ import annotations

import re
import os
from dataclasses import dataclass, field
from functools import lru_cache

import corpora

Span = tuple[int, int]

OPENERS = frozenset("（(“‘《")  # opening marks start new text, never end a broken word
NUMERALS = frozenset("一二三四五六七八九十")
# the number of a section label: 一、 （一） (1) 1. 1、 第二章 第三节 (after Markdown #s too)
_LABEL_NUMBER = re.compile(r"\s*#*\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.．、]"
                           r"|第[一二三四五六七八九十百0-9]+[章节编部分])\s*")


@dataclass(frozen=True)
class PassageSettings:
    """Tunables of paragraph building; defaults suit Chinese government prose."""

    heading_max: int = 40  # an incomplete line this short is a heading
    heading_max_commas: int = 1  # a line with more commas is a broken sentence, not a heading
    max_chars: int = 600  # split paragraphs longer than this at sentence ends
    min_chars: int = 50  # a split chunk shorter than this is merged with its neighbour
    wrapped: bool = False  # lines are cut at a fixed width (PDF page text)
    full_ratio: float = 0.85  # with ``wrapped``: a line this close to the widest is "full"
    join_across_blank: bool = True  # False where a blank line is a real paragraph break (Markdown)
    # join each heading to the passage it introduces (attach_headings). Off: measured on
    # our search gold it lifted the bigram baseline and semantic mode but lowered hybrid
    # ranking on the tuning half (docs/search_relevance.md, fourth session)
    # (POLICYLENS_JOIN_HEADINGS=1 turns it on, to build a store that measures it)
    join_headings: bool = field(
        default_factory=lambda: os.environ.get("POLICYLENS_JOIN_HEADINGS") == "1")


DEFAULT_SETTINGS = PassageSettings()


@lru_cache(maxsize=1)
def _punctuation() -> dict[str, frozenset[str]]:
    """Character classes from ``corpora/ingest`` (see each file's header)."""
    names = ("sentence_end", "split_end", "closing", "continuation", "internal_end", "dangling_end")
    return {n: frozenset(corpora.read_lines("ingest", f"{n}.txt")) for n in names}


def _core(line: str) -> str:
    """``line`` without surrounding space and trailing closing quotes/brackets."""
    closing = _punctuation()["closing"]
    s = line.strip()
    while s and s[-1] in closing:
        s = s[:-1].rstrip()
    return s


def is_complete(line: str) -> bool:
    """True when ``line`` ends a sentence (closing quotes/brackets skipped)."""
    s = _core(line)
    return bool(s) and s[-1] in _punctuation()["sentence_end"]


def is_heading(line: str, settings: PassageSettings = DEFAULT_SETTINGS) -> bool:
    """A short line that looks like a title, heading or label, not broken prose.

    Short, with letters, not ending a sentence, not ending in a continuation
    mark (``，、（``) or a dangling particle (``的了和``), without a sentence end
    inside (``…新路径,许`` is the tail of prose) and with at most
    ``heading_max_commas`` commas (a clause list is prose).
    """
    s = line.strip()
    if not 0 < len(s) <= settings.heading_max or is_complete(s):
        return False
    marks = _punctuation()
    if s[-1] in marks["continuation"] or s[-1] in marks["dangling_end"]:
        return False
    if not any(c.isalpha() for c in s):  # "2.5", "- 3 -": a number is not a heading
        return False
    if sum(1 for c in s if c in "，,") > settings.heading_max_commas:
        return False
    return not any(c in marks["internal_end"] for c in _core(s)[:-1])


def starts_as_fragment(line: str) -> bool:
    """The line begins with the end of a broken word: ``疼。”…``, ``杂,有…``, ``，…``.

    A new paragraph does not start with punctuation or with one character
    followed by punctuation, so such a line continues the previous one.
    """
    s = line.lstrip()
    if len(s) < 2:
        return False
    marks = _punctuation()
    punct = (marks["sentence_end"] | marks["continuation"] | marks["closing"]) - OPENERS
    if s[0] in punct:
        return True
    # "一、", "1." and "3," start numbered items, not broken words
    return s[1] in punct and s[1] not in "、.．" and not s[0].isdigit() and s[0] not in NUMERALS


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
        # the full-width rule needs a few lines to know what "full" is
        width = max(e - s for s, e in block) if len(block) >= 3 else 0
        for i, (s, e) in enumerate(block):
            if paras and (i > 0 or settings.join_across_blank) \
                    and continues(text, paras[-1], text[s:e], i > 0, width, settings):
                paras[-1] = (paras[-1][0], e)
            else:
                paras.append((s, e))
    return paras


def _last_line(text: str, span: Span) -> str:
    s, e = span
    nl = text.rfind("\n", s, e)
    return text[(s if nl < 0 else nl + 1):e]


def continues(text: str, para: Span, next_line: str, same_block: bool, width: int,
              settings: PassageSettings) -> bool:
    """Does paragraph ``para`` go on with ``next_line``? (See the module docstring.)

    ``same_block``: no blank line (or page break) between them; ``width``: the
    widest line of the block, for the ``wrapped`` full-line rule.
    """
    last = _last_line(text, para)
    full = (settings.wrapped and same_block and width >= 20
            and len(last.strip()) >= settings.full_ratio * width)
    if is_complete(last):
        return full
    marks = _punctuation()
    tail = last.rstrip()[-1:]
    dangling = bool(tail) and (tail in marks["continuation"] or tail in marks["dangling_end"])
    if full or dangling or starts_as_fragment(next_line):
        return True  # "…发展的" / "…组织形式," cannot end a paragraph
    return not is_heading(text[para[0]:para[1]], settings) and not is_heading(next_line, settings)


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
    out: list[Span] = []
    for a, b in chunks:
        if b - a > settings.max_chars and "\n" in text[a:b]:
            out.extend(chunk_lines(text, a, b, settings.max_chars))  # no sentence ends: lists, TOCs
        else:
            out.append(_strip(text, a, b))
    return out


def _sentences(text: str, s: int, e: int) -> list[Span]:
    """Sentence spans of ``text[s:e]`` (closing quotes stay with their sentence)."""
    splits, closing = _punctuation()["split_end"], _punctuation()["closing"]
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
    """Paragraph-sized passage spans: :func:`paragraphs` then :func:`split_long`
    (then :func:`attach_headings` with ``settings.join_headings``)."""
    out: list[Span] = []
    for para in paragraphs(text, start, end, settings):
        out.extend(split_long(text, para, settings))
    return attach_headings(text, out, settings)


def is_label(line: str, settings: PassageSettings = DEFAULT_SETTINGS) -> bool:
    """A heading, a short line that introduces what follows (``…情况如下：``), or
    a numbered section label that ends in a full stop
    (``（一）一般公共预算收入情况。``, ``第二章 预算收支范围``): short, one line,
    no comma, and no figure beyond its number, so ``8.车辆购置税677亿元。`` (a
    numbered item that says something) is not one."""
    s = line.strip()
    if "\n" in s or not s:
        return False
    if is_heading(s, settings):
        return True
    if len(s) <= settings.heading_max and s[-1] in "：:" \
            and not any(c in _punctuation()["internal_end"] for c in s[:-1]):
        return True  # 主要税收收入项目情况如下： introduces what follows
    m = _LABEL_NUMBER.match(s)
    if not m or len(s) > settings.heading_max or any(c in s for c in "，,；;："):
        return False
    rest = _core(s[m.end():])
    if rest.endswith("。"):
        rest = rest[:-1]
    return bool(rest) and not any(c.isdigit() for c in rest) and is_heading(rest, settings)


def attach_headings(text: str, spans: list[Span], settings: PassageSettings = DEFAULT_SETTINGS,
                    barriers: frozenset[int] = frozenset()) -> list[Span]:
    """Join each heading (:func:`is_label`) to the passage right after it.

    Why: a heading alone is a poor search result (it matches the query's words
    densely and answers nothing), and the passage under it loses what the
    heading says (``（一）政府性基金预算收入情况`` above ``1-10月，全国…``). Runs
    of headings (``一、…`` then ``（一）…``) join the same passage. Unnumbered
    headings before the first passage of prose (the title block) stay alone. A heading
    stays alone before a passage it cannot join without passing
    ``max_chars``, at the end of the text, where other text lies between
    them (a table the spans leave out), or before a passage that starts at
    one of ``barriers`` (a new PDF page). Spans stay exact spans of ``text``.
    """
    if not settings.join_headings:
        return list(spans)
    out: list[Span] = []
    pending: Span | None = None  # heading(s) waiting for their passage
    body = False  # a passage that is not a heading has been seen
    for s, e in spans:
        heading = is_label(text[s:e], settings)
        if heading and not body and not _LABEL_NUMBER.match(text[s:e]):
            # the title block (title, date, source line) stays as it was: joined to
            # the first passage it would lift that passage for every query that
            # names the document's year or period, which every passage shares
            if pending is not None:
                out.append(pending)
                pending = None
            out.append((s, e))
            continue
        body = body or not heading
        if pending is not None:
            # a run of headings (a list of short lines) stays within max_chars;
            # a heading may take a full passage one heading's length past it
            room = settings.max_chars + (0 if heading else settings.heading_max)
            joinable = (not text[pending[1]:s].strip() and e - pending[0] <= room
                        and s not in barriers)
            if joinable:
                s = pending[0]
            else:
                out.append(pending)
            pending = None
        if heading:
            pending = (s, e)
        else:
            out.append((s, e))
    if pending is not None:
        out.append(pending)
    return out


def _strip(text: str, s: int, e: int) -> Span:
    """Narrow ``[s, e)`` to exclude surrounding whitespace (incl. BOM, full-width space)."""
    while s < e and (text[s].isspace() or text[s] == "\ufeff"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == "\ufeff"):
        e -= 1
    return s, e
