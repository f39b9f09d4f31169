"""Where a text's paragraphs end and which lines are headings, read from the text's own lines.

Why: a stored text parts its paragraphs in one of two ways. Most web texts and every PDF page of ours
leave a blank line between paragraphs, and a single line break inside one is a wrap. Many stored pages
(a county meeting report, a work report's digest) have single line breaks only: each line is a
paragraph. Read as one paragraph, such a text lets a paragraph-scoped reading reach across the whole
text: the expert voice (``goal_voice.expert_paragraphs``) found 专家…分析 in a meeting report's agenda
line and dropped every 要 line of the meeting after it. A line is a paragraph of its own when it closes
a sentence (ends on 。！？；：… or a closing quote after them) and is not a full line of a hard-wrapped
text, when it is a heading (no clause punctuation), or when the next line opens a numbered item.

A heading is a line of its own without clause punctuation: short (24 characters, a news subheading
or 七、绩效目标), or of any length up to :data:`NUMBERED_HEADING_MAX` when it opens with a section
number (二、2007年我区国民经济和社会发展的主要预期目标, （三）…, 第二部分…), which a running sentence
never does without punctuation.
"""
from __future__ import annotations

import re
from collections import Counter

SHORT_HEADING_MAX = 24
NUMBERED_HEADING_MAX = 60
CLAUSE_STOP = re.compile(r"[，,；;。！？]")  # a heading line has none of these
# a section number opening a heading: 二、 （三） 第二部分 第三章 3. (not 一是, which opens a running item)
SECTION_NUMBER = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[部章节篇]"
                            r"|\d{1,2}\s*[、.．](?!\d))")
# a line that closes its sentence (a quote or bracket may follow the mark)
SENTENCE_CLOSE = re.compile(r"[。！？!?；;：:…][”’」』）)\]】]*\s*$")
ITEM_OPEN = re.compile(r"\s*(?:[一二三四五六七八九十]+[是、]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[、.．](?!\d)"
                       r"|第[一二三四五六七八九十]+[条部章节]|[●•◆▪◇■])")
BLANK_LINE = re.compile(r"\n\s*\n")
WRAP_SHARE = 0.6  # the share of long lines at one length (give or take one) that marks a hard-wrapped text
MIN_WRAP_LINES = 8  # fewer long lines than this fall near one length by chance


def heading_length_ok(line: str) -> bool:
    """A line of heading length: short, or numbered as a section and at most :data:`NUMBERED_HEADING_MAX`."""
    n = len(line.strip())
    return n <= SHORT_HEADING_MAX or (n <= NUMBERED_HEADING_MAX and bool(SECTION_NUMBER.match(line)))


def is_heading_line(line: str) -> bool:
    """A line that is a heading: of heading length (:func:`heading_length_ok`) and without clause punctuation."""
    return bool(line.strip()) and heading_length_ok(line) and not CLAUSE_STOP.search(line)


def wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text's full lines share (None when the lines are not wrapped).

    A wrapped text has most of its long prose lines at one length (give or take one character for a
    punctuation mark pushed onto the line); a text of paragraph lines has lengths all over."""
    long_lines = [len(line.strip()) for line in lines
                  if len(line.strip()) > SHORT_HEADING_MAX and CLAUSE_STOP.search(line)]  # prose, not a contents list
    if len(long_lines) < MIN_WRAP_LINES:
        return None
    counts = Counter(long_lines)
    width, _ = counts.most_common(1)[0]
    near = counts[width - 1] + counts[width] + counts[width + 1]
    return width if near / len(long_lines) >= WRAP_SHARE else None


def line_paragraph_ends(text: str) -> list[int]:
    """The single line breaks of ``text`` that end a paragraph, for a text with no blank line.

    A text that leaves blank lines between paragraphs has none here: its single breaks are wraps."""
    if BLANK_LINE.search(text) or "\n" not in text:
        return []
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    lines = [text[s:text.find("\n", s) if text.find("\n", s) >= 0 else len(text)] for s in starts]
    width = wrap_width(lines)
    out = []
    for k in range(len(lines) - 1):
        line, nxt = lines[k], lines[k + 1]
        if not line.strip():
            continue
        closes = bool(SENTENCE_CLOSE.search(line)) and (width is None or len(line.strip()) < width - 1)
        if closes or is_heading_line(line) or ITEM_OPEN.match(nxt):
            out.append(starts[k + 1] - 1)
    return out
