"""A number said in words (一万亿, 十四个点, 一点七倍, 五百万, 七月) matched to the
figure a passage writes in digits (10000亿元, 14.2个百分点, 1.7, 500万元, 7月份).

People retelling a report say its figures in words and rounded: 七月收入增速比六月回落
十四个点 for 7月份全国财政收入……增速比6月份回落14.2个百分点, 城乡收入差距缩小到一点七倍
以内 for 城乡居民收入倍差缩小到1.7以内, 引进一万亿内资 for 累计引进省外内资10000亿元. The
query word matched nothing (jieba even cut 一点七倍 into 一点 / 七倍 and dropped the 点
of 十四个点), so the passage that states the figure was no surer a match than any
passage that shares the common words. Shares (三成, 百分之十四) have their own reading
(:mod:`search.shares`); this module reads every other number that writes a place word
of a hundred or more (五百万, 一万亿), a decimal point (一点七) or a measure (十四个点, 两倍),
with the number grammar of the documents (:func:`nlp.numbers.parse_range`),
and a passage holds it when it writes a number that rounds to it: within half a unit
of the last place the words name (十四 -> 13.5 to 14.5; 一点七 -> 1.65 to 1.75; 五百万 ->
4.5 to 5.5 million), at the scale it writes (10000亿 and 1万亿 are one number).

Why only those: a bare 五 or 十五 is in nearly every passage, and 十五, 八五 and 十四五 are
the names of five-year plans, not figures; a month said in words (七月) is a period
instead and gets the digit form its reports write (:func:`month_forms`).
"""
from __future__ import annotations

import functools
import re

from nlp.numbers import parse_range
from search.shares import share_range
from search.tokenize import jieba_freq

# a number said in words: a digit or 十 first (not 万一, not 百姓), place words and
# digits after it, an optional decimal part (一点七), and the measure that makes a
# small number a figure (倍, 个百分点, 个点; 成 is a share, read by search.shares)
_DIGIT = "一二两三四五六七八九十"
_PLACE = "零〇一二两三四五六七八九十百千万亿"
_SPOKEN = re.compile(f"[{_DIGIT}][{_PLACE}]*(?:点[零〇一二三四五六七八九]+)?(?:个百分点|个点|倍|成)?")
# before a number: it is part of a share (百分之十四), an ordinal (第十四) or a period
# (前十个月, 头十个月), which other readings own
_NOT_AFTER = "之第前头"
# after a number: a time or an ordinal measure (十年, 十个月, 十月, 十日): not a figure
_NOT_BEFORE = re.compile(r"个月|[年月日天号岁期届次]")
# a figure a passage writes in digits, with the 万 / 亿 it is scaled by
_WRITTEN = re.compile(r"([0-9]+(?:\.[0-9]+)?)(万亿|亿|万)?")
_SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, None: 1.0}
_BIG_PLACES = "百千万亿"  # a number that writes one of these is a figure without a measure
NUMBER_CACHE = 8192
_MONTH = re.compile(f"([{_DIGIT}]{{1,2}})月份?")


def spoken_spans(piece: str) -> list[tuple[int, int]]:
    """(start, end) of each number said in words in ``piece`` that is read as a
    figure (:func:`number_range` or, for 成, :func:`search.shares.share_range`
    reads it), so the query cut keeps it one word: jieba cuts 一点七倍 into 一点 /
    七倍, drops the 点 of 十四个点 and cuts 超过一成 into 超过 / 一 / 成. A number
    that begins a longer dictionary word (一成不变, 十四个) is left to jieba."""
    out = []
    for m in _SPOKEN.finditer(piece):
        if m.start() and piece[m.start() - 1] in _NOT_AFTER:
            continue
        if _NOT_BEFORE.match(piece, m.end()) or _begins_word(piece, m.start(), m.end()):
            continue
        word = m.group()
        if number_range(word) is not None or (word.endswith("成") and share_range(word)):
            out.append((m.start(), m.end()))
    return out


def _begins_word(piece: str, start: int, end: int) -> bool:
    """Whether a jieba dictionary word longer than ``piece[start:end]`` starts at ``start``."""
    freq = jieba_freq()
    return any(freq.get(piece[start:k]) for k in range(end + 1, min(len(piece), start + 8) + 1))


@functools.lru_cache(maxsize=4096)
def number_range(word: str) -> tuple[float, float] | None:
    """(low, high) a query word that is one number said in words rounds
    (十四个点 -> (13.5, 14.5), 一万亿 -> (5e11, 1.5e12), 一点七倍 -> (1.65, 1.75)),
    else None: a word with Arabic digits, a share (三成), a number with neither a
    place word of a hundred or more, a decimal point nor a measure (十五, 八五)."""
    m = _SPOKEN.fullmatch(word)
    if m is None or word.endswith("成"):
        return None
    number = word.removesuffix("个百分点").removesuffix("个点").removesuffix("倍")
    if number == word and not any(c in _BIG_PLACES + "点" for c in number):
        return None
    try:
        low, high = parse_range(number)
    except ValueError:
        return None
    if high is None:
        high = low
    if "点" in number:
        step = 0.5 * 10.0 ** -len(number.split("点", 1)[1])
    else:
        step = 0.5 * _last_place(low)
    return low - step, high + step


def _last_place(value: float) -> float:
    """The place of the last non-zero digit of a whole number (14 -> 1, 5e6 -> 1e6)."""
    place = 1.0
    while value >= 10 * place and value % (10 * place) == 0:
        place *= 10
    return place


@functools.lru_cache(maxsize=NUMBER_CACHE)
def written_numbers(norm_text: str) -> tuple[float, ...]:
    """Every number ``norm_text`` (normalised) writes in digits, times its 万 / 亿."""
    return tuple(float(m.group(1)) * _SCALES[m.group(2)] for m in _WRITTEN.finditer(norm_text))


def holds_number(norm_text: str, rng: tuple[float, float]) -> bool:
    """Whether the passage writes a number within ``rng`` (low, high)."""
    low, high = rng
    return any(low <= v <= high for v in written_numbers(norm_text))


def month_forms(word: str) -> list[str]:
    """The digit form of a month said in words (七月 -> 7月, 十二月份 -> 12月), which
    the monthly reports write (7月份 holds 7月); [] for any other word."""
    m = _MONTH.fullmatch(word)
    if m is None:
        return []
    low, high = parse_range(m.group(1))
    if high is not None or not 1 <= low <= 12:
        return []
    return [f"{int(low)}月"]
