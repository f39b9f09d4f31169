"""Clauses: the unit the goal model labels and the labelled training set is written in.

Why clauses: a work report states one target per clause (地区生产总值增长5.5%左右，
城镇新增就业…), and a goal sentence often opens with a clause that is no goal
(今年是“十五五”开局之年，…). Labelling and predicting per clause lets one model
handle target lists, goal sentences and task lists alike; neighbouring goal
clauses are joined again into goal spans by :mod:`nlp.goal_model`.

A clause ends at ，,：: and at a sentence end (。！？；), but not at a mark inside a
number: an ASCII comma before a group of three digits (4,399万元; 1,234,567) and an
ASCII colon between digits (9:30, 1:1, ISO 2958:2024) are part of the number, and a
clause cut there would show a reviewer a wrong number (…4 | 399万元…). In running text a line
break ends a clause too; in PDF text, whose lines wrap at the page width, a
line break ends a clause only after end punctuation or after a short line (a
heading such as 七、绩效目标).
"""
from __future__ import annotations

import functools
import re

from nlp.sentences import trim

SENT_END = re.compile(r"[。！？；!?;]+[”’」』）)\]】]*")
# a comma or colon that is part of a number: 4,399 / 1,234,567 (exactly three digits follow) / 9:30
NUMBER_MARK = r"(?<=\d)(?:,(?=\d{3}(?!\d))|:(?=\d))"


def clause_end(marks: str) -> re.Pattern[str]:
    """A pattern for the clause marks ``marks`` that skips a mark inside a number (:data:`NUMBER_MARK`).

    Every cutter of clauses builds its pattern here, so goal clauses, goal groups and labelled
    clauses are cut at the same marks.
    """
    return re.compile(rf"(?!{NUMBER_MARK})[{re.escape(marks)}]")


CLAUSE_END = clause_end("，,：:")
WORD = re.compile(r"\w")
WRAP_WIDTH = 24  # a PDF line shorter than this is a line of its own (a heading, a table cell)


def _breaks(text: str, wrapped: bool) -> list[int]:
    """Offsets where a unit (sentence or line) ends."""
    out = [m.end() for m in SENT_END.finditer(text)]
    line_start = 0
    for m in re.finditer(r"\n", text):
        line = text[line_start:m.start()].strip()
        blank_next = text[m.end():m.end() + 1] == "\n"
        if not wrapped or blank_next or len(line) < WRAP_WIDTH or (line and line[-1] in "。！？；：:!?;"):
            out.append(m.start())
        line_start = m.end()
    return sorted(set(out))


def sentences(text: str, wrapped: bool = False) -> list[tuple[int, int]]:
    """(start, end) of sentences and lines of their own."""
    return list(_sentences(text, wrapped))


@functools.lru_cache(maxsize=4)
def _sentences(text: str, wrapped: bool) -> tuple[tuple[int, int], ...]:
    """:func:`sentences`, cut once per text: the clauses and the clause model's sentence features read them."""
    out = []
    pos = 0
    for b in _breaks(text, wrapped) + [len(text)]:
        if (span := trim(text, pos, b)):
            out.append(span)
        pos = b
    return tuple(out)


def clauses(text: str, wrapped: bool = False, ends: re.Pattern[str] = CLAUSE_END) -> list[tuple[int, int, int]]:
    """(start, end, sentence index) of every clause of ``text``; ``ends`` other than :data:`CLAUSE_END`
    only to draw old label batches again with the marks they were cut at (``bench.clause_merge``)."""
    return list(_clauses(text, wrapped, ends))


@functools.lru_cache(maxsize=4)
def _clauses(text: str, wrapped: bool, ends: re.Pattern[str] = CLAUSE_END) -> tuple[tuple[int, int, int], ...]:
    """:func:`clauses`, cut once per text: the clause model asks for them more than once per document."""
    out = []
    for k, (s, e) in enumerate(_sentences(text, wrapped)):
        pos = s
        for m in list(ends.finditer(text, s, e)) + [None]:
            cut = m.start() if m else e
            if (span := trim(text, pos, cut)) and WORD.search(text, span[0], span[1]):
                out.append((span[0], span[1], k))
            pos = m.end() if m else e
    return tuple(out)
