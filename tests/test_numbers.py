"""Number parsing: every written form, the known traps, and property-based round trips."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.numbers import NumberError, parse_number, try_parse


@pytest.mark.parametrize("text, value", [
    # Arabic, separators, decimals, full-width
    ("705", 705), ("1,100", 1100), ("7,800,000.00", 7800000), ("273180.48", 273180.48),
    ("１２", 12), ("３５６.５", 356.5), ("1，234", 1234),
    # Chinese numerals
    ("三千二百", 3200), ("一百二十", 120), ("两", 2), ("〇", 0), ("十", 10), ("十二", 12),
    ("二十", 20), ("一百零五", 105), ("一千零一", 1001), ("三千五", 3500), ("一万二", 12000),
    ("二〇二三", 2023), ("三点五", 3.5),
    # financial numerals
    ("壹佰贰拾叁", 123), ("壹仟零伍拾", 1050), ("玖拾玖", 99), ("贰万", 20000),
    # mixed Arabic and Chinese units
    ("2万3千", 23000), ("3亿2千万", 320000000), ("10万5千", 105000), ("1.2万", 12000),
    ("273180.48万", 2731804800), ("1,100万", 11000000), ("2.38万亿", 2.38e12), ("1万亿", 1e12),
    ("三千二百万", 32000000), ("壹佰贰拾叁万", 1230000), ("92 万", 920000),
    # 零 before Arabic digits, 个 before 亿, traditional 大写 (blind batteries 3 and 4)
    ("2万零500", 20500), ("1亿零200万", 102000000), ("两个亿", 2e8), ("五个億", 5e8), ("參萬", 30000),
    # a last 万 over a number with its own 万 (万万 = 亿)
    ("四万万", 4e8), ("一万二千万", 1.2e8), ("十二万三千三百二十九万", 1233290000),
])
def test_parses_every_written_form(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "万", "百", "元", "三x", "万三千亿"])
def test_rejects_what_is_not_one_number(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)
    assert try_parse(text) is None


# ---------------------------------------------------------------- property-based

_DIG = "零一二三四五六七八九"


def _section_cn(n: int) -> str:
    """0 < n < 10000 in Chinese numerals, the way people write it (零 for gaps)."""
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            if zero and out:
                out += "零"
            out += _DIG[d] + name
            zero = False
        else:
            zero = True
    return out


def to_chinese(n: int) -> str:
    """An independent writer of Chinese numerals, to check the reader against."""
    if n == 0:
        return "零"
    parts = []
    for unit, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // unit % 10**4 if unit < 10**8 else n // unit
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append((to_chinese(chunk) if unit == 10**8 and chunk >= 10**4 else _section_cn(chunk)) + name)
        elif parts and parts[-1] != "零":
            parts.append("零")
    return "".join(parts).rstrip("零")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_number(to_chinese(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**11))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("", 1)]))
def test_decimals_with_groupings_round_trip(whole: int, cents: int, unit: tuple[str, int]) -> None:
    word, factor = unit
    written = f"{whole}.{cents:02d}{word}"
    assert parse_number(written) == pytest.approx((whole + cents / 100) * factor, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999))
def test_mixed_arabic_and_units_round_trip(high: int, low: int) -> None:
    # 2万3千 style: Arabic digits before 万, Chinese numerals after it (零 marks a
    # gap, as in 1万零一; without it 1万一 is read 11000 like 一万一)
    gap = "零" if low < 1000 else ""
    assert parse_number(f"{high}万{gap}{_section_cn(low)}") == high * 10**4 + low


def test_lone_digit_after_unit_is_one_place_below() -> None:
    assert parse_number("1万一") == 11000
    assert parse_number("两千五") == 2500


@pytest.mark.parametrize("text, value", [
    ("百万", 1e6), ("千万", 1e7), ("百亿", 1e10), ("千亿", 1e11), ("佰万", 1e6),
])
def test_round_scale_without_a_digit(text: str, value: float) -> None:
    # 突破百万吨大关, 千亿元: 百/千 before 万/亿 is a number of its own
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["百", "千", "百千", "千千"])
def test_hundreds_alone_are_no_number(text: str) -> None:
    assert try_parse(text) is None


@pytest.mark.parametrize("text, value", [
    ("四亿零七百万", 4.07e8), ("七亿七千万", 7.7e8), ("一亿一千四百万", 1.14e8),
    ("二十五亿七千万", 2.57e9),
])
def test_wan_inside_the_section_after_yi(text: str, value: float) -> None:
    # the 万 closes the part after 亿: 4亿 + 700万, not (4亿 + 700) x 万
    assert parse_number(text) == value
