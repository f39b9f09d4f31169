"""A regular expression tried only near its anchors, with ``finditer``'s matches.

Why: some patterns are slow to try at every place of a long text but can only match
close to an anchor that a cheap pattern finds (a document number ends in a bracketed
year; a text indicator's name ends in 满意度, 覆盖率 ...). Trying the slow pattern only at
the few places an anchor allows, left to right from where the last match ended, gives
exactly the matches of ``pattern.finditer(text)``, provided every match starts within
the anchor's window (``starts``) of some anchor at or after that start.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator


def anchored_matches(pattern: re.Pattern[str], anchor: re.Pattern[str], text: str,
                     starts: Callable[[str, re.Match[str]], tuple[int, int]]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying ``pattern`` only at the places ``starts(text, a)``
    gives for each anchor ``a`` (a half-open range ``[lo, hi)`` of start positions).

    An anchor with no match there is passed over (the next is sought after its start);
    after a match, anchors are sought from its end, as ``finditer`` resumes there."""
    pos = 0
    while (a := anchor.search(text, pos)) is not None:
        lo, hi = starts(text, a)
        for p in range(max(pos, lo), hi):
            m = pattern.match(text, p)
            if m:
                yield m
                pos = m.end()
                break
        else:
            pos = a.start() + 1
