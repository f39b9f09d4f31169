"""Highlights: where the query's words occur in the ORIGINAL passage text.

Matching runs on the length-preserving normalised copy
(:func:`search.tokenize.normalize`), so a span found there is the same span in
the original characters: no stray spaces, no shifted offsets.
"""
from __future__ import annotations

from search.query import ParsedQuery
from search.tokenize import normalize


def find_all(norm_text: str, needle: str) -> list[tuple[int, int]]:
    out = []
    if not needle:
        return out
    i = norm_text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = norm_text.find(needle, i + 1)
    return out


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of spans."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def highlights(text: str, pq: ParsedQuery, norm: str | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets into ``text`` of every occurrence of a query unit or synonym."""
    norm = norm if norm is not None else normalize(text)
    spans = [sp for unit in pq.units for form in unit.forms for sp in find_all(norm, form)]
    return merge(spans)
