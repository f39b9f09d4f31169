"""Sentence boundaries for Chinese text.

A sentence ends after 。！？； (and their ASCII forms ! ? ;) together with any
closing quotes or brackets that follow, and at a paragraph break (a blank line).
Single line breaks are *not* boundaries: PDF and newspaper text breaks lines in
the middle of sentences.
"""
from __future__ import annotations

import re

# terminator, then optional closing quotes/brackets
_END = re.compile(r"[。！？；!?;…]+[”’」』）)\]】]*|\n\s*\n")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, leading/trailing white space trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _END.finditer(text, start, end):
        _append_trimmed(text, pos, m.end(), spans)
        pos = m.end()
    _append_trimmed(text, pos, end, spans)
    return spans


def trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    """``(s, e)`` without leading/trailing white space, or ``None`` when nothing is left."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    span = trim(text, s, e)
    if span:
        out.append(span)
