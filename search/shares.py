"""A share said in words (三成, 两成, 四分之一, 百分之一) matched to the percentages a
passage states.

People round a change to tenths or a fraction when they retell a figure: 个税少三成,
卖地收入前两个月掉了四分之一, 养老金又涨了一成. The report says 同比下降30.2% or
下降24.7%, never 三成, so the query word matched nothing, and in a pool of
passages that all name 个人所得税 nothing told the line with the 30% change from
the others. A query word that is one share (read by :func:`nlp.figures.find_figures`,
the same grammar that reads the figures of documents) is matched by a passage that
states a percentage it rounds: within ``ROUNDED`` points of a share in 成 or a
fraction, within ``EXACT`` of one written 百分之N or N%. When the query says which
way the figure moved (a verb of ``corpora/search/change_verbs.txt`` just before the
share, or the change the figure grammar reads: 提高近两成), a percentage the
passage states as a change the other way (契税同比增长17.8% for 契税掉两成) does not match.
"""
from __future__ import annotations

import functools
import re

import corpora
from nlp.figures import find_figures
from nlp.numbers import try_parse

# how far a passage's percentage may be from a share written in 成 or as a fraction
# (三成 is 25% to 35%: rounded to the nearest tenth) and from one written in percent
ROUNDED = 5.0
EXACT = 0.5
_WRITTEN_PERCENT = ("%", "百分之")
PERCENT_CACHE = 8192
# how far (characters) before a share word its verb of change may stand (少了差不多三成)
VERB_REACH = 5
# a percentage a passage states: 30.2% (normalised text: ％ is %) or 百分之十八
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%|百分之([零〇一二两三四五六七八九十百点]+)")
# how much text before a percentage the figure grammar reads for its change word (its
# clause: 个人所得税7663亿元，同比下降29.8%)
CHANGE_CONTEXT = 40


@functools.lru_cache(maxsize=4096)
def share_range(word: str) -> tuple[float, float] | None:
    """(low, high) percent a query word stands for when the whole word is one
    share (三成 -> (25, 35), 四分之一 -> (20, 30), 百分之一 -> (0.5, 1.5)), else None."""
    if not word or not any(c in word for c in "成分%"):
        return None
    figures = find_figures(word, annotate=False)
    if len(figures) != 1:
        return None
    fig = figures[0]
    if fig.kind != "percent" or fig.value is None or (fig.start, fig.end) != (0, len(word)):
        return None
    step = EXACT if any(p in word for p in _WRITTEN_PERCENT) else ROUNDED
    return fig.value - step, fig.value + step


@functools.lru_cache(maxsize=1)
def change_verbs() -> dict[str, str]:
    """character -> increase | decrease (``corpora/search/change_verbs.txt``)."""
    out = {}
    for line in corpora.read_lines("search", "change_verbs.txt"):
        char, _, change = line.partition("\t")
        if char.strip() and change.strip() in ("increase", "decrease"):
            out[char.strip()] = change.strip()
    return out


def share_change(text: str, word: str) -> str | None:
    """Which way the query ``text`` says its share ``word`` moved: the change the
    figure grammar reads for it (提高近两成), else the verb of change nearest before
    it within ``VERB_REACH`` characters (个税少三成, 涨了一成); None when it says neither."""
    at = text.find(word)
    if at < 0:
        return None
    for fig in find_figures(text, annotate=True):
        if fig.kind == "percent" and fig.start <= at < fig.end and fig.change:
            return fig.change
    verbs = change_verbs()
    return next((verbs[c] for c in reversed(text[max(0, at - VERB_REACH):at]) if c in verbs),
                None)


@functools.lru_cache(maxsize=PERCENT_CACHE)
def percents(norm_text: str) -> tuple[tuple[float, int, int], ...]:
    """(value, start, end) of every percentage ``norm_text`` (normalised) states, in order."""
    out = []
    for m in _PERCENT.finditer(norm_text):
        value = float(m.group(1)) if m.group(1) else try_parse(m.group(2))
        if value is not None:
            out.append((value, m.start(), m.end()))
    return tuple(out)


@functools.lru_cache(maxsize=PERCENT_CACHE)
def change_at(norm_text: str, start: int, end: int) -> str | None:
    """The way the passage says the percentage at ``start:end`` moved (increase,
    decrease, None), as :func:`nlp.figures.find_figures` reads it in the text just
    before it: only a percentage a share might match is read, so a share query does
    not run the figure grammar over every pooled passage."""
    lo = max(0, start - CHANGE_CONTEXT)
    return next((fig.change for fig in find_figures(norm_text[lo:end], annotate=True)
                 if fig.kind == "percent" and fig.start <= start - lo < fig.end), None)


def holds_share(norm_text: str, share: tuple[float, float], change: str | None = None) -> bool:
    """Whether the passage states a percentage within ``share`` (low, high) that it
    does not state as a change the other way than ``change``."""
    low, high = share
    for value, start, end in percents(norm_text):
        if low <= value <= high:
            moved = change_at(norm_text, start, end) if change else None
            if not (moved and moved != change):
                return True
    return False
