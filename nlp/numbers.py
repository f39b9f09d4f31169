"""Parse numbers as Chinese public-finance texts write them.

One function, :func:`parse_number`, turns any written form into a float:
Arabic digits with thousands separators and decimals (``1,100``,
``273180.48``), full-width digits (``１２``), Chinese numerals (``三千二百``,
``一百二十``, ``两``, ``〇``), financial numerals (``壹佰贰拾叁``) and mixed
forms (``2万3千``, ``3亿2千万``, ``1.2万``, ``一万二``). Figures (nlp/figures.py)
find the spans; this module only knows what a number string is worth, so it
can be tested on its own, exhaustively (see tests/test_numbers.py).

The character tables are tiny and fixed by the writing system itself (not
rules we tune), so they live here rather than in ``corpora/``.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# digits 0-9 in every script the documents use
DIGITS: dict[str, int] = {}
for _i, _chars in enumerate(("〇零", "一壹", "二两兩贰貳弍", "三叁參", "四肆",
                             "五伍", "六陆陸", "七柒", "八捌", "九玖")):
    for _c in _chars:
        DIGITS[_c] = _i

# units below 万 (they multiply the digit in front of them)
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# section units: everything in front of them is multiplied
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

# 廿 (20), 卅 (30), 卌 (40): one character for a round tens, read as written out
TENS_WORDS = {"廿": "二十", "卅": "三十", "卌": "四十"}
# the decimal point written as a word (三点五, 一點五)
POINTS = "点點"
# a spoken range names two neighbouring digits (两三, 十五六, 七百三四十); 三五 is
# the one idiomatic pair that skips a digit ("three to five"), and only before a
# place word (三五万, 三五百)
RANGE_PAIRS = frozenset({(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)})

CN_DIGIT_CHARS = "".join(DIGITS)
CN_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)

# An Arabic number: ASCII or full-width digits, optional thousands separators
# (, ，) and a decimal part (. ．).
ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_ARABIC_RE = re.compile(ARABIC)


class NumberError(ValueError):
    """The string is not a number we can read."""


def _to_ascii(s: str) -> str:
    """Full-width digits and separators to ASCII; thousands separators removed."""
    s = unicodedata.normalize("NFKC", s)
    return s.replace(",", "").replace("，", "")


def _tokens(s: str) -> list[tuple[str, float]]:
    """Split a number string into ("num", value) and ("unit", factor) tokens."""
    out: list[tuple[str, float]] = []
    i = 0
    while i < len(s):
        c = s[i]
        m = _ARABIC_RE.match(s, i)
        if m and c not in "〇零":
            out.append(("num", float(_to_ascii(m.group()))))
            i = m.end()
            continue
        if c in DIGITS:  # Chinese digits; ASCII/full-width ones matched above
            out.append(("digit", float(DIGITS[c])))
        elif c in SMALL_UNITS:
            out.append(("small", float(SMALL_UNITS[c])))
        elif c in BIG_UNITS:
            out.append(("big", float(BIG_UNITS[c])))
        elif c.isspace():
            pass
        else:
            raise NumberError(f"not a number character: {c!r} in {s!r}")
        i += 1
    return out


def _section(tokens: list[tuple[str, float]]) -> float:
    """Value of a part below 万: digits and 十/百/千 (``三千二百``, ``十二``, ``5千``)."""
    if not tokens:
        return 0.0
    while len(tokens) > 1 and tokens[0] == ("digit", 0.0) and tokens[1][0] == "num":
        tokens = tokens[1:]  # 2万零500: the 零 only holds the empty 千 place
    kinds = [k for k, _ in tokens]
    if "small" not in kinds:
        nums = [v for k, v in tokens if k in ("digit", "num")]
        if len(nums) == 1:
            return nums[0]
        if all(k == "digit" for k in kinds):  # 二〇二三: digit by digit
            return float("".join(str(int(v)) for v in nums))
        raise NumberError("digits without units")
    total = 0.0
    current: float | None = None
    last_unit = None
    for kind, v in tokens:
        if kind in ("digit", "num"):
            if v == 0 and kind == "digit":  # 零 is a place holder: 一百零五
                current = None if current is None else current
                continue
            if current is not None:
                raise NumberError("two numbers in a row")
            current = v
        else:
            total += (1.0 if current is None else current) * v
            current = None
            last_unit = v
    if current is not None:
        # 三千五 = 3500: a trailing digit counts one place below the last unit,
        # unless a 零 marks it as units (一百零五 = 105)
        zero_before = any(k == "digit" and v == 0 for k, v in tokens[-2:-1])
        if last_unit and last_unit >= 100 and not zero_before and current < 10:
            total += current * last_unit / 10
        else:
            total += current
    return total


def _value(tokens: list[tuple[str, float]]) -> float:
    """Value of a token list, splitting at the largest section unit (亿, then 万)."""
    for factor in (1e8, 1e4):
        idx = [i for i, (k, v) in enumerate(tokens) if k == "big" and v == factor]
        if not idx:
            continue
        if factor == 1e4 and len(idx) > 1 and idx[-1] == len(tokens) - 1:
            # 四万万, 十二万三千万: a last 万 multiplies a number that has its own
            # 万 (万万 = 亿; 一万二千万 = 12000万)
            return _value(tokens[:-1]) * factor
        i = idx[-1] if factor == 1e8 else idx[0]
        left, right = tokens[:i], tokens[i + 1:]
        left_value = _value(left) if left else 1.0
        if left and left[0][0] == "big":
            raise NumberError("unit without number")
        right_value = _value(right) if right else 0.0
        # 一万二 = 12000: a lone digit after the unit counts one place below it
        if len(right) == 1 and right[0][0] == "digit" and right[0][1] != 0:
            right_value = right[0][1] * factor / 10
        if right and right_value >= factor:
            raise NumberError("lower section not below its unit")
        return left_value * factor + right_value
    if any(k == "big" for k, _ in tokens):
        raise NumberError("misplaced unit")
    return _section(tokens)


def _round_scale(tokens: list[tuple[str, float]]) -> bool:
    """True for 百万, 千万, 百亿, 千亿 (a round scale written without a digit, as in
    突破百万吨, 千亿元级): 百/千 then 万/亿 means one hundred/thousand of them. A lone
    百 or 千, or 万 or 亿 alone, stays no number (百年, 千家万户)."""
    return (len(tokens) == 2 and tokens[0][0] == "small" and tokens[0][1] in (100, 1000)
            and tokens[1][0] == "big")


def _normalise(text: str) -> str:
    """廿/卅 written out; 两个亿 read as 两亿; white space dropped."""
    s = text.strip().replace("个亿", "亿").replace("个億", "億")  # 两个亿 = 两亿
    for word, spelled in TENS_WORDS.items():
        s = s.replace(word, spelled)
    return s


def _decimal(s: str, text: str) -> float:
    """``三点五`` = 3.5, ``一点五万`` = 15000, ``六点四二万`` = 64200: the digits after
    the point are read one by one, then the 万/亿 after them scale the whole."""
    point = next(i for i, c in enumerate(s) if c in POINTS)
    whole, rest = s[:point], s[point + 1:]
    digits = ""
    while rest and rest[0] in DIGITS:
        digits += str(DIGITS[rest[0]])
        rest = rest[1:]
    if not digits or any(c not in BIG_UNITS for c in rest):
        raise NumberError(f"bad decimal part in {text!r}")
    value = float(f"{int(parse_number(whole))}.{digits}")
    for c in rest:
        value *= BIG_UNITS[c]
    return float(round(value, 6))


def parse_number(text: str) -> float:
    """The value of a written number: ``"2万3千"`` -> 23000.0, ``"壹佰贰拾叁万"`` -> 1230000.0,
    ``"一点五万"`` -> 15000.0, ``"廿三"`` -> 23.0.

    Raises :class:`NumberError` for strings that are not one number.
    """
    s = _normalise(text)
    if not s:
        raise NumberError("empty")
    if s == "半":
        return 0.5
    if any(c in POINTS for c in s):
        return _decimal(s, text)
    tokens = _tokens(s)
    if not tokens or all(k == "big" or k == "small" and v != 10 for k, v in tokens) and not _round_scale(tokens):
        raise NumberError(f"no digits in {text!r}")
    value = _value(tokens)
    if value != value or value in (float("inf"), float("-inf")):
        raise NumberError(f"too large: {text[:20]!r}")
    return float(round(value, 6))


@functools.lru_cache(maxsize=16384)
def parse_range(text: str) -> tuple[float, float | None]:
    """A number that may be a spoken range: ``三五万`` -> (30000, 50000), ``十五六`` ->
    (15, 16), ``七百三四十`` -> (730, 740), ``一万六七`` -> (16000, 17000), ``两三`` ->
    (2, 3); any other number -> (value, None).

    Why this way: the two neighbouring digits stand for two numbers that share
    everything else, so dropping one digit at a time gives the two ends, each
    read by :func:`parse_number` with its own place values."""
    s = _normalise(text)
    if any(c in POINTS for c in s):
        return parse_number(s), None  # 一点七八万: digits after a point are never a range
    for i in range(len(s) - 1):
        a, b = s[i], s[i + 1]
        if a in "〇零" or b in "〇零" or a not in DIGITS or b not in DIGITS:
            continue
        if (DIGITS[a], DIGITS[b]) not in RANGE_PAIRS:
            continue
        if DIGITS[b] - DIGITS[a] > 1 and not (i + 2 < len(s) and has_place_word(s[i + 2])):
            continue  # 三五万 (30000-50000) but not 三五年 (a year, '35)
        if (i + 2 < len(s) and s[i + 2] in DIGITS) or (i > 0 and s[i - 1] in DIGITS):
            continue  # three digits in a row: a code or a year, not a range
        low, high = parse_number(s[:i] + a + s[i + 2:]), parse_number(s[:i] + b + s[i + 2:])
        if high > low:
            return low, high
    return parse_number(s), None


def trailing_scale(text: str) -> float:
    """The factor of the place words a number ends with: ``3万`` -> 1e4, ``3百`` ->
    100, ``5千万`` -> 1e7, ``30`` -> 1 (a range's low end may borrow it: 2至3万)."""
    factor = 1.0
    for c in reversed(_normalise(text)):
        if c in BIG_UNITS:
            factor *= BIG_UNITS[c]
        elif c in SMALL_UNITS and c not in "十拾":
            factor *= SMALL_UNITS[c]
        else:
            break
    return factor


def trailing_big_scale(text: str) -> float:
    """The factor of the 万/亿 among the place words a number ends with:
    ``两千万`` -> 1e4, ``九千亿`` -> 1e8, ``3百`` -> 1, ``一万二千`` -> 1."""
    factor = 1.0
    for c in reversed(_normalise(text)):
        if c in BIG_UNITS:
            factor *= BIG_UNITS[c]
        elif c not in SMALL_UNITS or c in "十拾":
            break
    return factor


def has_place_word(text: str) -> bool:
    """True when the number writes a place word (十/百/千/万/亿) of its own."""
    return any(c in SMALL_UNITS or c in BIG_UNITS or c in TENS_WORDS for c in text)


def try_parse(text: str) -> float | None:
    """:func:`parse_number`, or ``None`` when the string is not a number."""
    try:
        return parse_number(text)
    except NumberError:
        return None


def has_digit(text: str) -> bool:
    """True when the string holds at least one digit in any script (not only units)."""
    return any(c in DIGITS or c.isdigit() for c in text)
