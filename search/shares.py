"""A share said in words (三成, 两成, 四分之一, 百分之一) matched to the percentages a
passage states.

People round a change to tenths or a fraction when they retell a figure: 个税少三成,
卖地收入前两个月掉了四分之一, 养老金又涨了一成. The report says 同比下降30.2% or
下降24.7%, never 三成, so the query word matched nothing, and in a pool of
passages that all name 个人所得税 nothing told the line with the 30% change from
the others. A query word that is one share (read by :func:`nlp.figures.find_figures`,
the same grammar that reads the figures of documents) is matched by a passage that
states a percentage it rounds: within ``ROUNDED`` points of a share in 成 or a
fraction, within ``EXACT`` of one written 百分之N or N%.
"""
from __future__ import annotations

import functools
import re

from nlp.figures import find_figures
from nlp.numbers import try_parse

# how far a passage's percentage may be from a share written in 成 or as a fraction
# (三成 is 25% to 35%: rounded to the nearest tenth) and from one written in percent
ROUNDED = 5.0
EXACT = 0.5
_WRITTEN_PERCENT = ("%", "百分之")
# a percentage a passage states: 30.2% (normalised text: ％ is %) or 百分之十八
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)%|百分之([零〇一二两三四五六七八九十百点]+)")
PERCENT_CACHE = 8192


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


@functools.lru_cache(maxsize=PERCENT_CACHE)
def percents(norm_text: str) -> tuple[float, ...]:
    """Every percentage ``norm_text`` (normalised) states, in the order written."""
    out = []
    for m in _PERCENT.finditer(norm_text):
        value = float(m.group(1)) if m.group(1) else try_parse(m.group(2))
        if value is not None:
            out.append(value)
    return tuple(out)


def holds_share(norm_text: str, share: tuple[float, float]) -> bool:
    """Whether the passage states a percentage within ``share`` (low, high)."""
    low, high = share
    return any(low <= v <= high for v in percents(norm_text))
