"""Traditional-script text read through a simplified view of the same length.

Why: goal cues, vetoes, section headings and the clause model's n-grams are all
written in simplified characters, so a page in traditional script (a mirror
site's Big5 copy of a work report: 國內生產總值增長6%左右) matched none of them and
gave no goal at all (corpora/goals/README.md, "Session 11 (lead)"). Converting
the text character by character keeps every offset: what is found in the view
has the same span in the original, and its text is taken from the original, as
written.

The table is OpenCC's one-character traditional -> simplified list
(``TSCharacters.txt``, shipped inside the ``opencc-python-reimplemented``
package, Apache-2.0); of a character with several simplified forms the first is
kept, and only pairs of one code point each are used, so the length never
changes. A document is read through the view only when at least
:data:`TRADITIONAL_SHARE` of its Han characters are traditional: a simplified
text with a stray 著 or 乾 is left as it is.

The same table is the project's one answer to "which simplified character is
this traditional one": search folds every character of passages and queries
through it (:func:`search.tokenize.normalize`, so a simplified query finds a
traditional passage), and cover metadata reads a title through :func:`fold`.
Those fold per character with no share test: matching only needs both sides
folded the same way, and the table leaves simplified characters as they are
(著 and 甚 stay; the few it does change, such as 乾 of 乾隆 -> 干, change on both
sides alike).
"""
from __future__ import annotations

import functools
import re
from importlib import resources

# share of a text's Han characters that must be traditional before it is read through the view
TRADITIONAL_SHARE = 0.05
# characters read to tell the script of a text
SAMPLE = 20_000


@functools.lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Traditional code point -> simplified character, one code point each way
    (a ``str.translate`` table; :func:`table` gives a copy)."""
    listing = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0]
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = first
    return table


def table() -> dict[int, str]:
    """Traditional code point -> simplified character (a copy: callers such as
    search compose it with their own normalisation)."""
    return dict(_table())


def fold(text: str) -> str:
    """``text`` with every traditional character of the table in its simplified
    form, same length, whatever the script of the text (short strings: a title,
    a cover's first lines)."""
    return text.translate(_table())


_HAN_RUNS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=1)
def _dropped() -> dict[int, None]:
    """A ``str.translate`` table that drops every traditional character of the table (counted in C,
    not per character in Python: every document passes here; a 4,000-character regex class is 10x slower)."""
    return dict.fromkeys(_table())


def traditional_share(text: str) -> float:
    """Share of the Han characters of ``text`` (its first :data:`SAMPLE` characters: a
    document keeps one script) that the table changes."""
    head = text[:SAMPLE]
    han = sum(map(len, _HAN_RUNS.findall(head)))
    return (len(head) - len(head.translate(_dropped()))) / han if han else 0.0


def simplified_view(text: str) -> str | None:
    """``text`` in simplified characters, same length, when it is written in
    traditional ones (:data:`TRADITIONAL_SHARE`); ``None`` otherwise."""
    if traditional_share(text) < TRADITIONAL_SHARE:
        return None
    return fold(text)


def as_written(words: str, view: str, original: str, start: int, end: int) -> str:
    """``words`` (found in ``view[start:end]``) as ``original`` writes them at the
    same place; unchanged when they are not there."""
    at = view.find(words, start, end)
    return original[at:at + len(words)] if at >= 0 and words else words
