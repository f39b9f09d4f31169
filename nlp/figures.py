"""Figures: numbers with units in Chinese public-finance text, normalised and grounded.

A figure is a number with what makes it meaningful: a unit (万元, %, 个百分点,
个, 平方米 ...), a qualifier (约, 余, 以上 ...), and, when it is the size of a
change, the direction (增长/压减) and base (同比). Money is normalised to yuan,
so ``273180.48万元`` and ``2731804800元`` compare equal.

How it works, and why this way:

* one regular expression (built from the word lists in ``corpora/figures/`` by
  :mod:`nlp.figure_rules`) finds candidates in the raw ``Document.text``, so
  every figure's ``start``/``end`` are the original characters, whatever the
  script of its digits;
* a second expression marks what is *not* a figure (dates, times, document
  numbers, ordinals, sessions, codes, phone numbers, names and slogans); a
  candidate whose number overlaps such a span is dropped. Excluding spans
  instead of special-casing each candidate keeps the rules declarative;
* numbers are read by :mod:`nlp.numbers`;
* table cells (PDF ``Document.tables``) get the unit of their caption or
  column header (单位：万元) and are located in the page's text; a cell that
  cannot be found is skipped rather than given invented offsets.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from typing import Iterable

from spacy.tokens import Doc

from ingest.document import Document, Table
from nlp import figure_roles, script
from nlp.figure_rules import ROUND_SCALE_STARTS, Unit, rules, unit_of
from nlp.items import Figure
from nlp.numbers import (BIG_UNITS, DIGITS, POINTS, SMALL_UNITS, TENS_WORDS, NumberError,
                         parse_number, parse_range, trailing_big_scale, trailing_scale, try_parse)

BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
CLAUSE_END = "，。；;！？!?：:\n,"
SENTENCE_END = "。；;！？!?\n"
PENDING = "pending"  # a number whose unit comes from the next figure (unit ellipsis)
ELLIPSIS_ENDS = "，,；;"
MAX_ELLIPSIS_GAP = 30
MAX_CHANGE_GAP = 10  # chars between a change word and its figure (other figures not counted)
# 百分之 / 千分之 / 万分之: the factor to percent
PER = {"百分之": 1.0, "千分之": 0.1, "万分之": 0.01, "百分": 1.0}  # 百分四十五, 百分百
# a place word standing alone for one of it (百分之百, 千余人, 万余户)
_BIG_CHARS = frozenset("万萬亿億")
YUAN_SIGNS = "¥￥"  # a yuan sign before a number makes it money (￥1,280.50)
LONE_SCALES = {"百": 100.0, "佰": 100.0, "千": 1000.0, "仟": 1000.0, "万": 1e4, "萬": 1e4}
# kinds that may be negative (负十一元, 零下十摄氏度); a negative count is a misreading
SIGNED_KINDS = frozenset({"money", "percent", "percent_point", "measure"})
_CN_DIGITS_ONLY = re.compile(rf"^[{''.join(DIGITS)}]+$")


# ---------------------------------------------------------------- numbers

def _value_and_high(num: str) -> tuple[float, float | None]:
    """A number string's value; a spoken range (两三, 三四十万, 十五六) gives (low, high)."""
    return parse_range(num)


def _one_is_a_figure(unit_text: str | None) -> bool:
    """A lone 一 is an article before a measure word (一个, 一批, 一年来), but a
    number before 个百分点, a money unit or a physical unit (提高一个百分点, 一亿元,
    一千克), or before 个半 (一个半月 = 1.5 months), where no article reading exists."""
    if not unit_text:
        return False
    if unit_text[1:2] == "半" or unit_text in ("%", "％"):
        return True  # 一个半月; 一%: no article reading
    unit = unit_of(unit_text)
    if unit is not None and unit.kind == "measure":
        return unit.text not in rules().durations  # 一千克, 一吨; not 一年来, 一天
    return unit is not None and unit.kind in ("percent_point", "percent", "money", "multiple")


def _with_tail(num: str, tail: str, value: float) -> float:
    """The value of a number whose 万/亿 comes after 多/余 (``七亿七千多万``,
    ``100余万``): the unit closes the number, so 七亿七千多万 is 7亿 + 7千万, not
    (7亿 + 7千) x 万. Read as one number; ``value`` times the unit when that fails."""
    whole = try_parse(num + tail)
    if whole is not None:
        return whole
    for c in tail:
        value *= BIG.get(c, 1.0)
    return value


def _clean(x: float) -> float:
    """Drop binary noise from decimal arithmetic: 11.37 * 1e12 -> 11370000000000.0."""
    return float(f"{x:.12g}")


# ---------------------------------------------------------------- exclusions

class _Mask:
    """Character spans that are not figures (dates, doc numbers, slogans ...)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in rules().exclusion_re.finditer(text, start, end):
            if m.end() > m.start():
                self.starts.append(m.start())
                self.ends.append(m.end())
        # spans come out sorted by start and never overlap (finditer)

    def hits(self, s: int, e: int, unit: tuple[int, int] | None = None) -> bool:
        """True when a span overlaps ``s:e``. A span that ends inside the
        figure's ``unit`` is a word the unit cuts in half, not one to respect:
        三公 (三公经费) is no name in 三公里 (3 km)."""
        i = bisect.bisect_left(self.ends, s + 1)  # first span ending after s
        while i < len(self.starts) and self.starts[i] < e:
            if unit is None or not unit[0] < self.ends[i] < unit[1]:
                return True
            i += 1
        return False


# ---------------------------------------------------------------- reading one match

def _interpret(text: str, m: re.Match[str], mask: _Mask) -> Figure | None:
    """The Figure a regex match stands for, or None when it is not one."""
    r = rules()
    g = _no_groups() | m.groupdict()  # the fallback pattern has no range groups
    if _bare_number(text, m, g):
        return None
    if g["pre"]:
        pre_end = m.end("preword")
        if text.endswith(r.blockers, 0, pre_end):
            g["pre"] = g["preword"] = None  # 节约3,226,267.32元: 约 is part of 节约
    if g["fanword"] and not g["fan"]:
        g["fan"] = "一"  # 实现翻番: doubled once
    if g["frac"]:  # 三分之一: the number read first is the denominator
        g["den"], g["num"] = g["num"], None
    num_group = next(k for k in ("pnum", "fnum", "fan", "num") if g[k])
    num = g[num_group]
    ns, ne = m.span(num_group) if m.start(num_group) >= 0 else m.span("fanword")
    if g["den"]:
        ns = m.start("num")
    unit_span = m.span("unit") if g["unit"] else None
    if mask.hits(ns, ne if not g["num2"] else m.end("num2"), unit_span):
        return None
    if num in LONE_SCALES and not (g["pre"] or g["mid"] or g["pct"]):
        return None  # 千家万户: 百/千/万 alone need 余/多 or a qualifier (逾千人)
    if _in_idiom(text, ns, ne, num):
        return None  # 九牛一毛, 三番五次: a number inside an idiom
    before = text[ns - 1] if ns > 0 else ""
    if not g["pre"] and not g["pct"] and before in r.vague_prefixes:
        return None  # 数十家, 几百人: estimates without a value
    if before.isascii() and before.isalnum():
        return None  # part of a code or model name
    if before.isspace() and (_split_number_before(text, ns) or _spaced_digits_before(text, ns, num)):
        return None  # 273180.\n48万元, 7 4 7 7 2 亿元: only the tail of a number
    if num[0] in "两兩" and before in DIGITS and before not in "〇零":
        return None  # 三两天, 一两: a few, not two
    if num[0] in ROUND_SCALE_STARTS and (before in r.round_before
                                         or text.startswith(r.round_after, m.end())):
        return None  # 成千万人: an estimate; 百万千瓦级, 千亿元台阶: a class, not an amount
    # a lone 一 is an article ("一个", "一批"), not a count
    if (num.strip() in ("一", "壹") and not (g["num2"] or g["tail"] or g["pct"]
                                           or g["fan"] or g["den"] or g["neg"] or g["half"])
            and not _one_is_a_figure(g["unit"] or g["punit"])):
        return None
    try:
        value, high = (_value_and_high(num) if num not in LONE_SCALES
                       else (LONE_SCALES[num], None))  # 千余人, 万余户, 百分之百
        if _CN_DIGITS_ONLY.match(num) and len(num) >= 2 and high is None:
            return None  # 二〇二三: a year or code written digit by digit
        if g["num2"] or g["pnum2"]:
            high, _ = _value_and_high(g["num2"] or g["pnum2"])
        if g["den"]:
            value, high = _fraction(g["den"], num), None
        elif g["fan"]:
            value, high = 2.0 ** value, None  # 翻两番: doubled twice
    except (NumberError, KeyError, OverflowError):
        return None
    if not math.isfinite(value) or (high is not None and not math.isfinite(high)):
        return None  # 200 digits: no figure rather than an infinite one

    currency: str | None = None
    mixed = _mixed_whole(text, m.start("num")) if g["den"] else None
    if g["den"] and text.startswith("倍", m.end()):
        # 一又二分之一倍: a fraction of times is a multiple, not a percentage
        kind, unit_name, factor = "multiple", "倍", 1.0
        value = (mixed[1] if mixed else 0.0) + value / 100.0
    elif g["den"]:
        if mixed:
            value += mixed[1] * 100.0  # 三又五分之一 = 3.2 = 320%
            if not math.isfinite(value):
                return None
        kind, unit_name, factor = "percent", "%", 1.0
    elif g["fan"]:
        kind, unit_name, factor = "multiple", "倍", 1.0
    elif g["pct"]:
        kind, unit_name, factor = "percent", "%", PER[g["pct"]]
    elif g["group"]:
        kind, unit_name, factor = "count", g["group"], 1.0
    elif g["unit"] or g["punit"]:
        # ≥120.00(人次): goal tables write the unit in brackets after the number
        unit: Unit | None = unit_of(g["unit"] or g["punit"])
        if unit is None:
            return None
        kind, unit_name, factor = unit.kind, unit.stored, unit.factor
        currency = unit.currency
        if kind == "money" and currency is None:
            currency = _currency_before(text, m.start())  # 港币两千九百六十元, 新台币 177.1 亿元
        if g["unit1"]:
            u1 = unit_of(g["unit1"])
            if u1 is None or u1.stored != unit.stored:
                return None
    elif before and before in YUAN_SIGNS and not g["pre"]:
        kind, unit_name, factor = "money", "元", 1.0  # ￥1,280.50
    elif (named := _money_named_before(text, m.start(), num + (g["tail"] or ""))) is not None:
        kind, unit_name, factor = "money", named[0], 1.0  # 美元1200万, 人民币3亿
        currency = named[1]
    else:
        large = bool(g["mid"] or g["tail"] or any(c in num for c in "万亿"))
        people = _people_unit(text, m.end()) if large else None
        if people is None and large:
            people = _people_before(text, ns)
        if people is None:
            if (g["mid"] in ("多", "余") and not g["post"] and not g["num2"]
                    and text[m.end():m.end() + 1] in ELLIPSIS_ENDS):
                # 之前要1000多，现在200多块钱: the unit is left to the next figure
                kind, unit_name, factor = PENDING, "", 1.0
            else:
                return None
        else:
            kind, unit_name, factor = "count", people, 1.0

    if g["sub"]:
        sub = _sub_amount(g["sub"])  # 壹拾壹元壹角壹分, 十块三毛, 七成五, 九毛九
        # 八角五分: the parts are in yuan, the whole here in 角
        value += sub / factor if factor < 1 and "分" in g["sub"] else sub
    if g["half"] and high is None:
        value += 0.5  # 三斤半, 一年半, 一成半, 两块半, 两倍半: half of the unit more
    tail = (g["tail"] or "") + (g["ptail"] or "")
    if g["tail"] and high is None:
        value, tail = _with_tail(num, g["tail"], value), g["ptail"] or ""
    mult = factor
    for c in tail:
        mult *= BIG.get(c, 1.0)
    if g["num2"] and high is not None and not g["unit1"]:
        value = _borrow_scale(num, g["num2"], value)
    value = _clean(value * mult)
    if high is not None:
        high = _clean(high * mult)
        if high < value:
            return None

    qualifier = "exact"
    if high is not None:
        qualifier = "range"
    else:
        pre_word = g["preword"] or ""
        order = ("pre", "mid", "post")
        if pre_word in r.comparisons and g["post"]:
            order = ("post", "pre", "mid")  # 低于13%左右的目标: the figure itself is about 13%
        for key in order:
            word = (g.get("preword" if key == "pre" else key) or "").strip()
            if word in r.qualifiers:
                qualifier = r.qualifiers[word][0]
                break
            if word == "几":
                qualifier = "over"
                break
        if qualifier == "exact" and g["fanmore"]:
            qualifier = "over"  # 翻了两番多
        if qualifier == "exact" and g["unit"] and g["unit"][1:2] in ("多", "余"):
            qualifier = "over"  # 4个多月
    if g["unit"] and g["unit"][1:2] == "半" and high is None:
        value = _clean(value + 0.5 * mult)  # 一个半月 = 1.5 months, 两个半小时
    start, end = m.start(), m.end()
    if kind == "multiple" and g["den"]:
        end += 1  # the 倍 after the fraction
    if mixed:
        start = mixed[0]
    if g["pre"] is None and not (g["pct"] or g["den"] or g["fan"]):
        start = ns - 1 if before and before in YUAN_SIGNS else ns
    negative = bool(g["neg"] or g["pneg"])
    if g["neg"] and g["pre"] is None:
        start = m.start("neg")
    if not negative and before and before in "-－−" and g["pre"] is None and not g["pct"]:
        prev = text[ns - 2] if ns >= 2 else ""
        if _after_a_figure(text, ns - 1):
            return None  # 5000元-1万元 that did not read as a range: never a minus sign
        if not (prev.isascii() and prev.isalnum()) and prev not in "%％":
            negative, start = True, ns - 1  # 增长-2.1%: a negative figure
    if negative:
        if high is not None or kind not in SIGNED_KINDS:
            return None  # a negative range or count is a misreading, not a figure
        value = -value
    # the span keeps the qualifiers but not white space around them
    while end > start and text[end - 1].isspace():
        end -= 1
    fig = Figure(start=start, end=end, text=text[start:end], kind=kind, value=value,
                 unit=unit_name, qualifier=qualifier, high=high, currency=currency)
    fig._factor = factor  # type: ignore[attr-defined]  # not a field: never stored
    return fig


def _currency_before(text: str, pos: int) -> str | None:
    """The ISO code of a currency named right before an amount in 元
    (港币两千九百六十元, 新台币 177.1 亿元: the 元 is that currency's); None when
    none is (人民币500万元 is yuan)."""
    named = _currency_name_before(text, pos)
    return named[1] if named else None


def _currency_name_before(text: str, pos: int) -> tuple[str, str] | None:
    """(name, ISO code) of a currency named right before ``pos``, or None."""
    end = pos
    while end > 0 and text[end - 1] in " \u3000":
        end -= 1
    names, last_chars = _currency_names()
    if end == 0 or text[end - 1] not in last_chars:
        return None  # nearly always: no currency name ends here
    for name, code in names:
        if text.endswith(name, 0, end):
            return name, code
    return None


def _money_named_before(text: str, pos: int, num: str) -> tuple[str, str | None] | None:
    """(unit, currency) of an amount with 万/亿 and no unit after it whose
    currency is named before it (合同金额美元1200万, 人民币3亿): the name is the
    unit. None when no currency name stands there, or the number is small
    (美元 12 is more likely a list than an amount)."""
    if not any(c in num for c in "万萬亿億"):
        return None
    named = _currency_name_before(text, pos)
    if named is not None:
        return named
    end = pos
    while end > 0 and text[end - 1] in " \u3000":
        end -= 1
    return ("元", None) if text.endswith(("人民币", "人民幣"), 0, end) else None


def _in_idiom(text: str, start: int, end: int, num: str) -> bool:
    """True when the number ``text[start:end]`` lies inside an idiom of
    corpora/figures/idioms.txt (九牛一毛, 三番五次, 半斤八两): the number in an
    idiom is a figure of speech. A set look-up of the few windows that cover
    the number; idioms write no Arabic digits, so those numbers skip it."""
    if num[:1].isdigit():
        return False
    idioms, lengths = rules().idioms, rules().idiom_lengths
    for n in lengths:
        for i in range(max(0, end - n), min(start, len(text) - n) + 1):
            if text[i:i + n] in idioms:
                return True
    return False


@functools.lru_cache(maxsize=1)
def _currency_names() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """(name, ISO code) of the currencies.tsv units, longest name first, and
    the characters the names end with."""
    units = rules().units.values()
    names = tuple(sorted(((u.text, u.currency) for u in units if u.currency), key=lambda p: -len(p[0])))
    return names, frozenset(n[-1] for n, _ in names)


@functools.lru_cache(maxsize=1)
def _no_groups() -> dict[str, str | None]:
    """Every group name of the figure pattern, unset (and den, set for a fraction)."""
    return dict.fromkeys([*rules().figure_re.groupindex, "den"])


def _bare_number(text: str, m: re.Match[str], g: dict[str, str | None]) -> bool:
    """True for a number with nothing that makes it a figure: no unit, no
    百分之/分之/翻番/大, no 多/余 and no 万/亿 (which may count people), no ￥
    before it. Most matches are such numbers (years, list numbers, codes);
    rejecting them first keeps the scan fast."""
    if (g["unit"] or g["punit"] or g["pct"] or g["fanword"] or g["frac"] or g["group"]
            or g["mid"] or g["tail"]):
        return False
    num = g["num"] or ""
    if not _BIG_CHARS.isdisjoint(num):
        return False
    start = m.start("num")
    return not (start > 0 and text[start - 1] in YUAN_SIGNS)


def _spaced_digits_before(text: str, pos: int, num: str) -> bool:
    """True for the last digit of a number typeset with a space between its
    digits (``7 4 7 7 2 亿元``, ``1 1 ％``): read alone it would be 2亿元 or 1%,
    a wrong value; nothing is better than that."""
    single = num[:1].isdigit() and not (len(num) > 1 and (num[1].isdigit() or num[1] in ".．,，"))
    return (single and pos >= 3 and text[pos - 1] in " \u3000" and text[pos - 2].isdigit()
            and not text[pos - 3].isdigit())


def _split_number_before(text: str, pos: int) -> bool:
    """True when a line break (and only white space) separates the number at
    ``pos`` from a digit or a decimal point before it: the number is the tail
    of one a line or page break cut, and read alone its value would be wrong."""
    i = pos - 1
    crossed = False
    while i >= 0 and text[i].isspace():
        crossed = crossed or text[i] in "\n\f\r"
        i -= 1
    return crossed and i >= 0 and (text[i].isdigit() or text[i] in ".．,，")


def _mixed_whole(text: str, pos: int) -> tuple[int, float] | None:
    """(start, value) of the whole number of a mixed number written before a
    fraction that starts at ``pos`` (三又五分之一: 3), or None when there is none."""
    if pos < 2 or text[pos - 1] != "又":
        return None
    i = pos - 1
    while i > 0 and (text[i - 1] in DIGITS or text[i - 1] in "十拾百佰千仟万萬亿億点點." or text[i - 1].isdigit()):
        i -= 1
    whole = try_parse(text[i:pos - 1]) if i < pos - 1 else None
    return None if whole is None else (i, whole)


def _fraction(den: str, num: str) -> float:
    """三分之一 -> 33.333...: a fraction as a percentage (FORMAT.md)."""
    d = parse_number(den)
    if d == 0:
        raise NumberError("zero denominator")
    return parse_number(num) / d * 100.0


def _sub_amount(sub: str) -> float:
    """The parts after a whole unit, in that unit: 壹角壹分 -> 0.11, 三毛 -> 0.3,
    零伍分 -> 0.05; a bare digit (两块五, 七成五) is a tenth."""
    total, digit, place = 0.0, None, 0.1
    for c in sub:
        if c in DIGITS and c not in "〇零":
            digit = DIGITS[c]
        elif c.isdigit():
            digit = int(c)
        elif c in "角毛" and digit is not None:
            total, digit, place = total + digit * 0.1, None, 0.01
        elif c == "分" and digit is not None:
            total, digit = total + digit * 0.01, None
    if digit is not None:
        total += digit * place  # 两块五 = 2.5; 九毛九 = 0.99
    return total


def _borrow_scale(low_text: str, high_text: str, low: float) -> float:
    """A range's low end written without the high end's place word takes it
    (2至3万 -> 20000, 两~3百 -> 200, 十至二十万 -> 100000, 八十至一百万 -> 800000),
    but only when the low number is below the high end's coefficient: 从8500到3万
    keeps 8500."""
    if any(c in low_text for c in "万萬亿億"):
        return low
    scales = [trailing_scale(high_text), trailing_big_scale(high_text)]
    if trailing_scale(low_text) > 1:
        # 一千到两千万, 七千到九千亿: a low end with its own 百/千 borrows only the
        # high end's 万/亿 (the place words it does not write)
        scales = scales[1:]
    try:
        high = parse_number(high_text)
    except NumberError:
        return low
    # the whole trailing scale first (两~3百 -> 200), then its 万/亿 alone
    # (八十至一百万 -> 800000: 80 is not below 一百万's 1, but below its 100)
    for scale in scales:
        if scale > 1 and low < high / scale:
            return low * scale
    return low


def _after_a_figure(text: str, dash: int) -> bool:
    """True when the text before a dash ends with a unit or a closing bracket
    after a number (5000元-, 1万(含)-): the dash joins two amounts."""
    left = text[max(0, dash - 6):dash].rstrip()
    if left.endswith(("）", ")")):
        return True
    r = rules()
    return any(left.endswith(u) for u in r.units if len(u) <= len(left)) and \
        bool(re.search(r"[0-9０-９一二三四五六七八九十百千万亿]", left))


def _resolve_ellipsis(text: str, figures: list[Figure]) -> list[Figure]:
    """Give a unit-less approximate number (1000多，) the unit of the next figure
    of the same sentence (200多块钱); drop it when there is none."""
    out = []
    for i, f in enumerate(figures):
        if f.kind != PENDING:
            out.append(f)
            continue
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if (nxt is None or nxt.kind == PENDING or nxt.start - f.end > MAX_ELLIPSIS_GAP
                or any(c in SENTENCE_END for c in text[f.end:nxt.start])):
            continue
        f.kind, f.unit = nxt.kind, nxt.unit
        f.value = _clean((f.value or 0) * getattr(nxt, "_factor", 1.0))
        out.append(f)
    return out


def _people_before(text: str, pos: int) -> str | None:
    """For a number with no unit, the people word its clause names before it
    (``贫困人口由8500万减少到6500万`` -> 人); None when there is none."""
    left = text[_clause_start(text, pos, 24):pos]
    for head, unit in rules().people_before.items():
        if head in left:
            return unit
    return None


def _people_unit(text: str, pos: int) -> str | None:
    """For a number with no unit, the people word closing the phrase after it
    (``1700多万困难和重度残疾人`` -> 人); None when the phrase is about something else."""
    r = rules()
    window = []
    for c in text[pos:pos + 14]:
        if c in CLAUSE_END or c.isspace() or c.isdigit() or c in DIGITS:
            break
        window.append(c)
    phrase = "".join(window)
    if not phrase:
        return None
    for word in _words(phrase)[:6]:
        for head, unit in sorted(r.people_heads.items(), key=lambda kv: -len(kv[0])):
            if word.endswith(head):
                return unit
    return None


# ---------------------------------------------------------------- change, base, subject

def _clause_start(text: str, pos: int, limit: int = 60) -> int:
    lo = max(0, pos - limit)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in CLAUSE_END:
            return i + 1
    return lo


def _annotate(text: str, figures: list[Figure]) -> None:
    """Set change, base and subject of each figure from the words around it."""
    r = rules()
    for idx, f in enumerate(figures):
        cs = _clause_start(text, f.start)
        left = text[cs:f.start]
        # change word before the figure (other figures of a list may stand between)
        last = None
        for m in r.change_re.finditer(left):
            last = m
        if last is not None and text[cs + last.end():cs + last.end() + 1] not in ("到", "至", "为"):
            gap_start = cs + last.end()
            between = [g for g in figures[max(0, idx - 6):idx] if g.start >= gap_start]
            if not between:
                if f.start - gap_start <= MAX_CHANGE_GAP:
                    f.change = r.changes[last.group()]
            else:
                # a list after one change word (下降5.6%和4%): the change carries
                # over to figures of the same kind that follow closely
                prev = between[-1]
                if (prev.change and prev.kind == f.kind
                        and f.start - prev.end <= MAX_CHANGE_GAP
                        and not any(w in text[prev.end:f.start] for w in r.change_stops)):
                    f.change = prev.change
        if f.change is None:
            tail = left.rstrip()
            if tail.endswith(("多", "少")) and ("比" in left or r.base_re.search(left)):
                f.change = "increase" if tail.endswith("多") else "decrease"
        if f.change is None:
            right = text[f.end:f.end + 8]
            for link in r.change_links:
                if right.startswith(link):
                    m = r.change_re.match(right, len(link))
                    if m:
                        f.change = r.changes[m.group()]
                    break
        after = text[f.end:f.end + 1]
        if f.change and f.kind == "count" and "\u4e00" <= after <= "\u9fff" and after != "的":
            # 提高三个质量: the count quantifies the object of the verb, it is not the change
            f.change = None
        if f.change:
            b = None
            for b in r.base_re.finditer(left):
                pass
            if b is not None:
                f.base = b.group()
        f.subject = _subject(text, f, cs)
        if f.subject is None and idx > 0:
            # 支出40150亿元，同比增长22%: the change is of the same thing as the figure before
            prev = figures[idx - 1]
            if not any(c in SENTENCE_END for c in text[prev.end:f.start]) and f.start - prev.end < 40:
                f.subject = prev.subject


_CJK = re.compile(r"[\u4e00-\u9fff]+")


@functools.lru_cache(maxsize=20000)
def _words(phrase: str) -> tuple[str, ...]:
    """jieba words of a short phrase (cached: the same phrases recur across figures)."""
    import jieba  # the pipeline loads it anyway; imported here to keep the module light

    return tuple(jieba.lcut(phrase, HMM=False))


@functools.lru_cache(maxsize=20_000)
def _content_words(phrase: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) of a short phrase's content words: no adverbs,
    pronouns, particles, numerals or one-character verbs
    (corpora/figures/subject_skip_pos.txt), which are never what a figure
    measures (中央财政还安排 -> 中央财政, 安排). Cached: phrases recur."""
    import jieba.posseg  # the pipeline loads jieba anyway; imported here to keep the module light

    skip = _skip_pos()
    return tuple((w.word, w.flag) for w in jieba.posseg.cut(phrase, HMM=False)
                 if w.flag not in skip and not (w.flag.startswith("v") and len(w.word) == 1))


@functools.lru_cache(maxsize=1)
def _skip_pos() -> frozenset[str]:
    import corpora

    return frozenset(corpora.read_lines("figures", "subject_skip_pos.txt"))


def _subject(text: str, f: Figure, clause_start: int) -> str | None:
    """What the figure counts or prices: the noun after a measure word (74个重点城市),
    else the last noun phrase before the number (涉及资金141亿元)."""
    stop = _stopwords()
    if f.kind in ("count", "measure") and f.qualifier != "at_least":
        m = _CJK.match(text, f.end, min(len(text), f.end + 10))
        if m:
            words: list[str] = []
            for word, pos in _content_words(m.group()):
                if word in stop:
                    continue
                if words and pos.startswith("v") and pos != "vn":
                    break  # 74个重点城市 | 取得: the noun phrase ends at its verb
                words.append(word)
                if len(words) == 2:
                    break
            phrase = "".join(words)
            if len(phrase) >= 2:
                return phrase
    left = text[clause_start:f.start]
    pieces = _CJK.findall(left)
    if not pieces:
        return None
    words = [w for w, _pos in _content_words(pieces[-1][-12:])
             if w not in stop and w not in rules().changes and not _is_unitish(w)]
    if not words:
        return None
    return "".join(words[-2:]) if len(words[-1]) == 1 else words[-1]


@functools.lru_cache(maxsize=20_000)
def _is_unitish(word: str) -> bool:
    """Units and number words are never what a figure measures (万亿元, 增至)."""
    r = rules()
    return (word in r.units or word.rstrip("到至从") in r.units or word.endswith(("到", "至"))
            or all(c in DIGITS or c in "百千万亿" for c in word))


_STOP: set[str] | None = None


def _stopwords() -> set[str]:
    global _STOP
    if _STOP is None:
        import corpora

        _STOP = set(corpora.read_lines("figures", "subject_stopwords.txt"))
    return _STOP


# ---------------------------------------------------------------- entry points

@functools.lru_cache(maxsize=1)
def _view_table() -> dict[int, str]:
    """:mod:`nlp.script`'s traditional -> simplified table, less the numerals the number
    grammar reads as written but would not read folded: 參 is 叁 (three), and OpenCC's
    simplified form of it, 参, is no numeral. 萬, 兩, 點 fold (万, 两, 点 are read too)."""
    alphabet = {*DIGITS, *SMALL_UNITS, *BIG_UNITS, *TENS_WORDS, *POINTS}
    return {o: c for o, c in script.table().items() if not (chr(o) in alphabet and c not in alphabet)}


# characters either side of a figure where the subject found in the view is looked for in the original
SUBJECT_WINDOW = 40


def find_figures(text: str, start: int = 0, end: int | None = None,
                 annotate: bool = True) -> list[Figure]:
    """All figures in ``text[start:end]`` with offsets into ``text``.

    Traditional characters (a mirror site's 國內生產總值增長6.5%左右, 港幣, 萬畝) are
    read through a simplified view of the same length (:func:`_view_table`): unit,
    qualifier and change words are written once, in simplified characters, and the
    view also finds those no traditional spelling was listed for (畝, 漲幅). Folded
    per character, as search folds, so a simplified text quoting 新臺幣 is read too.
    Each figure's span is the same in both; its text and subject are quoted from the
    original (:func:`nlp.script.as_written`)."""
    view = text.translate(_view_table())
    if view == text:
        return _find_figures(text, start, end, annotate)
    figures = _find_figures(view, start, end, annotate)
    for f in figures:
        f.text = text[f.start:f.end]
        if f.subject:
            f.subject = script.as_written(f.subject, view, text, max(0, f.start - SUBJECT_WINDOW),
                                          min(len(text), f.end + SUBJECT_WINDOW))
    return figures


def _find_figures(text: str, start: int = 0, end: int | None = None,
                  annotate: bool = True) -> list[Figure]:
    """:func:`find_figures` of a text in simplified characters."""
    r = rules()
    end = len(text) if end is None else end
    mask = _Mask(text, max(0, start - 20), min(len(text), end + 20))
    out: list[Figure] = []
    pos = start
    while True:
        m = r.figure_re.search(text, pos, end)
        if m is None:
            break
        fig = _interpret(text, m, mask)
        if fig is None and m.group("sep"):
            m2 = r.plain_re.match(text, m.start(), end)
            if m2 is not None:
                m = m2
                fig = _interpret(text, m2, mask)
        if fig is not None:
            out.append(fig)
        pos = max(m.end(), m.start() + 1)
    out = _resolve_ellipsis(text, out)
    if annotate:
        _annotate(text, out)
    return out


def parse_bound(text: str) -> float:
    """The value of a bound a user types (``--min 1亿元``, ``?min=5000万``, ``1e8``,
    ``6.5%``), in the unit figures are stored in (money in yuan, percent as
    written), so "资金 >= 1亿元" is a filter on stored values. Raises ValueError
    naming the text when it is not one number or one figure."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    value: float | None
    try:
        value = float(s)
    except ValueError:
        found = find_figures(s, annotate=False)
        if (len(found) == 1 and found[0].start == 0 and found[0].end == len(s)
                and found[0].high is None):  # one figure, not a range
            value = float(found[0].value)
        else:
            value = try_parse(s)  # a bare number with 万/亿 and no unit: 1亿, 三千万
    if value is None or not math.isfinite(value):
        raise ValueError(f"不是数值 not a number or amount: {str(text)[:40]!r} (例 e.g. 1亿元, 5000万, 1e8)")
    return value


def extract(doc: Doc, document: Document) -> list[Figure]:
    """All figures of the document, normalised, with their spans (text and tables)."""
    text = document.text
    figures = find_figures(text)
    if document.tables:
        taken = sorted((f.start, f.end) for f in figures)
        figures += table_figures(document, taken)
    if document.format == "pdf":
        for f in figures:
            if f.page is None:
                f.page = document.page_at(f.start)
    figures.sort(key=lambda f: (f.start, f.end))
    assign_roles(text, figures, document.title, _doc_type(doc))
    return figures


def assign_roles(text: str, figures: list[Figure], title: str, doc_type: str) -> None:
    """Role and in_total of the money figures of one document (nlp.figure_roles):
    in a budget what is spent is what is planned; in one body's accounts only
    the whole of each role enters a total."""
    budget = figure_roles.budget_document(title) or doc_type in ("budget", "unit_budget")
    one_entity = doc_type in figure_roles.ONE_ENTITY_TYPES
    default = "budgeted" if budget else "spent" if one_entity else "other"
    figure_roles.assign(text, figures, budget, one_entity, default)


def _doc_type(doc: Doc | None) -> str:
    """The document type the entities component found (nlp.pipeline runs it
    first), or "" when it did not run."""
    if doc is None or not Doc.has_extension("meta"):
        return ""
    meta = doc._.meta
    return getattr(meta, "doc_type", "") or ""


# ---------------------------------------------------------------- tables

_UNIT_IN_HEADER = re.compile(r"(?:金额)?单位\s*[:：]\s*(万亿元|亿元|万元|千元|元)|[（(]\s*(万亿元|亿元|万元|千元|元)\s*[）)]")
_BARE_NUMBER = re.compile(r"^-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$|^-?[0-9]+(?:\.[0-9]+)?$")
_NOT_MONEY_HEADER = re.compile(r"编码|代码|科目|序号|编号|年度|人数|数量|比例|比率|率|%|％|个数|户数|^[类款项]$")


_LIST_MARK = re.compile(r"^[（(]?[一二三四五六七八九十0-9]+[）)、.．]\s*")


def _row_label(cells: list[str], numeric: list[bool], i: int) -> str | None:
    """What a cell prices: the nearest text cell on its left (项目 / 科目名称)."""
    for j in range(i - 1, -1, -1):
        if cells[j].strip() and not numeric[j]:
            return _LIST_MARK.sub("", cells[j].strip()) or cells[j].strip()
    return None


def _money_factor(unit: str) -> float:
    u = rules().units.get(unit)
    return u.factor if u is not None and u.kind == "money" else 1.0


def table_figures(document: Document, taken: Iterable[tuple[int, int]] = ()) -> list[Figure]:
    """Money figures from numeric table cells whose unit is stated in the caption
    or the column header; each is located in its page's text or skipped."""
    out: list[Figure] = []
    taken_sorted = sorted(taken)
    for table in document.tables:
        out.extend(_one_table(document, table, taken_sorted))
    return out


def _one_table(document: Document, table: Table, taken: list[tuple[int, int]]) -> list[Figure]:
    text = document.text
    m = _UNIT_IN_HEADER.search(table.caption or "")
    table_unit = (m.group(1) or m.group(2)) if m else None
    page = next((p for p in document.pages if p.number == table.page), None)
    lo = table.start if table.start is not None else (page.start if page else 0)
    hi = table.end if table.end is not None else (page.end if page else len(text))
    cursor = lo
    col_units: dict[int, str | None] = {}
    col_headers: dict[int, list[str]] = {}
    row_unit: str | None = None  # 项目资金（元） as a row label, over merged rows below it
    out: list[Figure] = []
    header_done = False
    for row in table.rows:
        cells = [c or "" for c in row]
        numeric = [bool(_BARE_NUMBER.match(c.strip().replace(" ", ""))) for c in cells]
        if not header_done and not any(numeric):
            for i, c in enumerate(row):
                if c is None:
                    continue  # merged cell: the column keeps what an earlier header row said
                cell = c
                if cell.strip():
                    col_headers.setdefault(i, []).append(" ".join(cell.split()))
                hm = _UNIT_IN_HEADER.search(cell)
                if hm:
                    col_units[i] = hm.group(1) or hm.group(2)
                elif cell.strip() and _NOT_MONEY_HEADER.search(cell.strip()):
                    col_units[i] = None
                if "单位" in cell and hm:
                    table_unit = table_unit or col_units[i]
            continue
        header_done = True
        labels = [c for c, num in zip(cells, numeric) if c.strip() and not num]
        label_units = [m.group(1) or m.group(2) for m in map(_UNIT_IN_HEADER.search, labels) if m]
        if label_units:
            row_unit = label_units[0]
        elif row and row[0] is not None and row[0].strip():
            row_unit = None  # a new row label without a unit ends the block
        for i, c in enumerate(cells):
            raw = c.strip()
            if not raw:
                continue
            pos = text.find(raw, cursor, hi)
            if pos < 0:
                continue
            cursor = pos + len(raw)
            if not numeric[i]:
                continue
            unit = row_unit or col_units.get(i, table_unit)
            if unit is None or (raw.startswith("0") and len(raw) > 1 and "." not in raw):
                continue  # not a money column, or a code such as 06
            if _is_code(cells, numeric, i):
                continue  # a classification code (208 05 99) heading its row, not an amount
            if any(s < pos + len(raw) and pos < e for s, e in taken):
                continue
            try:
                value = float(raw.replace(",", "")) * _money_factor(unit)
            except ValueError:
                continue
            label = _row_label(cells, numeric, i)
            header = " / ".join(col_headers.get(i, [])) or None
            first = not any(numeric[j] and not _is_code(cells, numeric, j) for j in range(i))
            out.append(Figure(in_total=None if first else False,start=pos, end=pos + len(raw), text=raw, kind="money",
                              value=_clean(value), unit="元", page=table.page,
                              subject=label, row_header=label or "", col_header=header,
                              table_unit=unit,
                              role=figure_roles.table_role(label, header, table.caption)))
    return out


def _is_code(cells: list[str], numeric: list[bool], i: int) -> bool:
    """A whole number (no separator, no decimals) left of the row's first text
    cell is a 科目编码 / 类款项 code: 208 | 05 | 99 | 其他行政事业单位养老支出."""
    raw = cells[i].strip().replace(" ", "")
    if not raw.isdigit():
        return False
    label = next((j for j, c in enumerate(cells) if c.strip() and not numeric[j]), None)
    return label is None and i < 3 or label is not None and i < label
