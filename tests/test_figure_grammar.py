"""The number grammar of issue 10: decimals with 点, ranges, signs, parts of a
yuan, other currencies, 千 before metric units, 成/倍/翻番/fractions; random
values rendered in every style and read back (hypothesis); bad input."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.figures import find_figures
from nlp.numbers import parse_range
from tests.test_numbers import to_chinese

FIN = dict(zip("零一二三四五六七八九十百千万亿", "零壹贰叁肆伍陆柒捌玖拾佰仟万亿"))


def only(text: str):
    figs = find_figures(text)
    assert len(figs) == 1, [(f.text, f.kind, f.value, f.high) for f in figs]
    return figs[0]


@pytest.mark.parametrize("text, kind, value, high", [
    # 点 decimals anywhere in a Chinese number
    ("拨付二点五万美元", "money", 25000, None), ("参保八点七三万人", "count", 87300, None),
    ("回落零点三个百分点", "percent_point", 0.3, None), ("占百分之零点九", "percent", 0.9, None),
    ("共九点零五亿元", "money", 905000000, None), ("增长二十一点四倍", "multiple", 21.4, None),
    # ranges: a dash after a unit, 含, spoken ranges, a borrowed scale, 从...到
    ("奖补2000元-5万元", "money", 2000, 50000), ("额度5万（含）-10万元", "money", 50000, 100000),
    ("约需七八万元", "money", 70000, 80000), ("每斤二十三四元", "money", 23, 24),
    ("三百五六十人", "count", 350, 360), ("两万八九元", "money", 28000, 29000),
    ("补贴4至6千元", "money", 4000, 6000), ("从600到2千元", "money", 600, 2000),
    ("五~8百家", "count", 500, 800),
    # signs
    ("差额为负二十元", "money", -20, None), ("利润率为负百分之五", "percent", -5, None),
    ("增速为百分之负一点二", "percent", -1.2, None), ("零下三十摄氏度", "measure", -30, None),
    # parts of a yuan, 块, 圆整
    ("贰拾元伍角叁分", "money", 20.53, None), ("五块八毛", "money", 5.8, None),
    ("叁仟圆整", "money", 3000, None), ("每斤四块五", "money", 4.5, None), ("六毛钱", "money", 0.6, None),
    ("售价九块九毛九", "money", 9.99, None), ("叁佰陆拾伍圆伍角", "money", 365.5, None),
    # 千 before metric units, temperatures, weights, words
    ("四十千米", "measure", 40, None), ("三百千克", "measure", 300, None),
    ("零下5℃", "measure", -5, None), ("二十毫秒", "measure", 20, None), ("半斤", "measure", 0.5, None),
    ("收费零元", "money", 0, None), ("达百分之百", "percent", 100, None), ("卅五人", "count", 35, None),
    ("兩千三百萬元", "money", 23000000, None),
    # 成, 倍, 翻番, fractions
    ("九成以上", "percent", 90, None), ("六成五", "percent", 65, None), ("增长3倍", "multiple", 3, None),
    ("翻三番", "multiple", 8, None), ("八成五", "percent", 85, None), ("五分之二", "percent", 40, None), ("千分之三", "percent", 0.3, None),
])
def test_grammar(text: str, kind: str, value: float, high: float | None) -> None:
    f = only(text)
    assert f.kind == kind
    assert f.value == pytest.approx(value, rel=1e-9, abs=1e-12)
    assert (f.high is None) if high is None else f.high == pytest.approx(high, rel=1e-9)


@pytest.mark.parametrize("text, currency, value", [
    ("1.5万美元", "USD", 15000), ("三亿港元", "HKD", 3e8), ("20亿港币", "HKD", 2e9),
    ("500日元", "JPY", 500), ("8欧元", "EUR", 8), ("12英镑", "GBP", 12), ("1万韩元", "KRW", 1e4),
    ("90卢布", "RUB", 90), ("100泰铢", "THB", 100), ("7澳元", "AUD", 7), ("3万新台币", "TWD", 3e4),
    ("50台币", "TWD", 50),
])
def test_other_currencies_keep_their_value_and_name_it(text: str, currency: str, value: float) -> None:
    f = only(text)
    assert (f.kind, f.currency) == ("money", currency)
    assert f.value == value  # never converted to 元


def test_more_after_fan_is_over() -> None:
    f = only("产值翻了两番多")
    assert (f.value, f.qualifier) == (4, "over")


def test_yuan_has_no_currency() -> None:
    assert only("人民币500元").currency is None
    assert only("5000元人民币").currency is None


@pytest.mark.parametrize("text", [
    "全年再减少企业税负3500亿元左右",  # 负 ends 税负: never a minus
    "奖补2000元-5万元", "额度5万（含）-10万元", "肩负3项任务", "减负2亿元",
])
def test_no_wrong_sign(text: str) -> None:
    assert all(f.value >= 0 for f in find_figures(text))


@pytest.mark.parametrize("text", ["三五年", "一二三", "三两天", "一成不变", "千家万户", "下午三点五分",
                                  "7点一直忙到12点"])
def test_words_that_look_like_the_grammar_are_no_figures(text: str) -> None:
    assert find_figures(text) == []


def test_spoken_ranges_need_neighbouring_digits() -> None:
    assert parse_range("三五万") == (30000, 50000)
    assert parse_range("三六万") == (360000, None)  # not a spoken range: 36万


# ---------------------------------------------------------------- round trips

def _cn(n: int, financial: bool) -> str:
    s = to_chinese(n)
    return "".join(FIN.get(c, c) for c in s) if financial else s


_STYLES = st.sampled_from(["arabic", "comma", "cn", "fin", "wan"])


def _render(n: int, style: str) -> tuple[str, float]:
    """n written in one style, with the scale its unit will carry."""
    if style == "arabic":
        return str(n), 1
    if style == "comma":
        return f"{n:,}", 1
    if style == "cn":
        return _cn(n, False), 1
    if style == "fin":
        return _cn(n, True), 1
    return f"{n}万", 1e4  # mixed: Arabic digits and a Chinese place word


UNITS = [("元", "money", 1), ("万元", "money", 1e4), ("亿元", "money", 1e8), ("人", "count", 1),
         ("%", "percent", 1), ("个百分点", "percent_point", 1), ("吨", "measure", 1)]
QUALS = [("", "", "exact"), ("约", "", "about"), ("", "左右", "about"), ("超过", "", "over"),
         ("不到", "", "under"), ("", "以上", "at_least"), ("不超过", "", "at_most"),
         ("約", "", "about"), ("超過", "", "over"), ("不超過", "", "at_most")]  # traditional script


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.integers(min_value=2, max_value=99_999_999), _STYLES, st.sampled_from(UNITS),
       st.sampled_from(QUALS))
def test_any_value_in_any_style_reads_back(n: int, style: str, unit, qual) -> None:
    written, scale = _render(n, style)
    word, kind, factor = unit
    if (scale > 1 or any(c in written for c in "万亿")) and word.startswith(("万", "亿")):
        word, factor = "元", 1  # 3万万元 is not written
    pre, post, qualifier = qual
    f = only(f"本年度{pre}{written}{word}{post}。")
    assert f.kind == kind
    assert f.value == pytest.approx(n * scale * factor, rel=1e-9)
    assert f.qualifier == qualifier


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=99),
       st.sampled_from([("万", 1e4), ("亿", 1e8), ("", 1)]), st.booleans())
def test_decimals_written_with_dian_read_back(whole: int, frac: int, big, traditional: bool) -> None:
    word, factor = big
    digits = f"{frac:02d}".rstrip("0")
    point = "點" if traditional else "点"
    written = to_chinese(whole) + point + "".join("零一二三四五六七八九"[int(d)] for d in digits)
    f = only(f"共计{written}{word}元。")
    assert f.value == pytest.approx(float(f"{whole}.{digits}") * factor, rel=1e-9)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=1, max_value=9000), st.integers(min_value=1, max_value=9000),
       st.sampled_from(["至", "到", "-", "~", "—"]), st.sampled_from([("万元", 1e4), ("元", 1), ("亿元", 1e8)]),
       st.booleans())
def test_ranges_read_back_with_both_ends_at_their_scale(a: int, b: int, sep: str, unit, both: bool) -> None:
    low, high = sorted((a, b))
    if low == high:
        high += 1
    word, factor = unit
    written = f"{low}{word}{sep}{high}{word}" if both else f"{low}{sep}{high}{word}"
    f = only(f"补助标准为{written}。")
    assert f.qualifier == "range" and f.value >= 0
    assert f.high == pytest.approx(high * factor, rel=1e-9)
    # a bare low end borrows the high end's place word only when it is below its coefficient
    assert f.value == pytest.approx(low * factor, rel=1e-9)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["元", "%", "个百分点"]))
def test_negative_values_keep_their_sign(n: int, word: str) -> None:
    f = only(f"余额为负{to_chinese(n)}{word}。")
    assert f.value == -n


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("text", [
    "金额" + "9" * 200 + "元", "金额" + "九" * 200 + "万元", "增长1e400%", "金额1e400元",
    "资金１２3万元", "资金12三万元", "总额壹佰贰拾3万元", "资金273180.\n48万元", "资金27\n3180.48万元",
    "资金一点" + "五" * 300 + "亿元", "负" * 50 + "百分之" * 20, "百分之负负三", "翻翻番", "三分之零",
    "零分之三", "\x00\ufffd万元", "从到万元", "5000元-", "-", "元-1万元",
    # pieces of the blind batteries' grammar
    "￥", "￥￥1", "港币", "港币元", "千余" * 50, "万多万余", "翻番番", "实现翻番" * 30, "第3-5-7-9-" * 20 + "条",
    "1万元" + "-" * 100 + "5万元", "约占约为约合", "伍拾壹点", "四万点", "九毛九毛九", "八角五分分",
    "補助五萬新台幣" * 10, "亏损负负五百万元", "（含）以上", "50万元（含）（含）以上",
    # pieces of blind battery 3's grammar: 个亿, 百分 without 之, 半 after a unit, 負, idioms
    "个亿", "两个个亿元", "五个亿" * 30, "百分", "百分百分百", "百分之百分", "半", "斤半", "三斤半半",
    "一年半" * 40, "負負十萬元", "餘額為負", "九牛一毛" * 20, "三番五次三番五次", "美元", "美元万",
    "人民币" + "9" * 200 + "万", "美元1e400亿", "又三分之一", "又又三分之一倍", "9" * 300 + "又三分之一", "9" * 308 + "又三分之一", "资金二十三\f万元", "资金三点\n五万元", "１２三万元半",
])
def test_bad_input_gives_a_figure_or_nothing(text: str) -> None:
    for f in find_figures(text):
        assert f.value is None or math.isfinite(f.value)
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize("text", ["资金273180.\n48万元", "资金27\n3180.48万元", "资金2731\f80.48万元"])
def test_a_number_cut_by_a_break_is_not_read_as_its_tail(text: str) -> None:
    assert [f.value for f in find_figures(text)] in ([], [2731804800])


def test_a_long_run_of_digits_is_read_without_backtracking() -> None:
    # the number pattern once split digit runs in exponentially many ways
    assert [f.value for f in find_figures("金额" + "9" * 60 + "万")] == []
    assert find_figures("合计" + "1" * 200 + "元")[0].value == pytest.approx(float("1" * 200))


# ---------------------------------------------------------------- sign and scale

# left contexts: (words before the amount, sign, how a minus is written there);
# words that end in 负 (税负, 减负) and change words (下降, 减少) never make a minus
_SIGN_CONTEXTS = [("本年度收入", 1, ""), ("全年减少企业税负", 1, ""), ("为企业减负", 1, ""),
                  ("同比下降", 1, ""), ("比上年减少", 1, ""), ("上年补助5000元，今年", 1, ""),
                  ("余额为", -1, "负"), ("亏损", -1, "负"), ("利润为", -1, "-"), ("差额：", -1, "负"),
                  ("结余为", -1, "－"),
                  # traditional script and 负的 (blind battery 3): 稅負 is a word, 負 a minus
                  ("全年減少企業稅負", 1, ""), ("餘額為", -1, "負"), ("差额为", -1, "负的")]
_AFTER = ["。", "左右。", "以上。", "（含）以上。", "，比上年增加3%。"]


def _render_amount(n: int, style: str) -> tuple[str, float]:
    """An amount of n units written in one style, and the factor its text carries."""
    if style == "decimal":  # 12.34万 / 十二点三四万
        return f"{n / 100:.2f}".rstrip("0").rstrip(".") + "万", 1e2
    if style == "dian":
        whole, frac = divmod(n, 100)
        digits = f"{frac:02d}".rstrip("0")
        tail = ("点" + "".join("零一二三四五六七八九"[int(d)] for d in digits)) if digits else ""
        return (to_chinese(whole) if whole else "零") + tail + "万", 1e2
    if style == "trad":  # 兩千三百萬: traditional place words
        return to_chinese(n).translate(str.maketrans("万亿两", "萬億兩")), 1
    if style == "mixed" and n >= 10_000:  # 3万2000
        high, low = divmod(n, 10_000)
        return f"{high}万{low}" if low else f"{high}万", 1
    written, scale = _render(n, style if style != "mixed" else "arabic")
    return written, scale


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.integers(min_value=1, max_value=99_999_999),
       st.sampled_from(["arabic", "comma", "cn", "fin", "wan", "decimal", "dian", "mixed", "trad"]),
       st.sampled_from([("元", 1), ("万元", 1e4), ("亿元", 1e8)]),
       st.sampled_from(_SIGN_CONTEXTS), st.sampled_from(_AFTER))
def test_no_wrong_sign_and_no_scale_off(n: int, style: str, unit, context, after: str) -> None:
    """Whatever the style and the words around it, an amount comes out with its
    own sign and its own scale: never negative after 税负/减负/下降, never off by
    10^4 (万) or 10^8 (亿)."""
    written, scale = _render_amount(n, style)
    word, factor = unit
    if any(c in written for c in "万亿萬億") and word != "元":
        word, factor = "元", 1  # 3万万元 is not written
    left, sign, minus = context
    text = f"{left}{minus}{written}{word}{after}"
    start = text.index(written)
    figs = [f for f in find_figures(text) if f.start <= start < f.end]
    assert len(figs) == 1, (text, [(f.text, f.value) for f in find_figures(text)])
    assert figs[0].kind == "money"
    assert figs[0].value == pytest.approx(sign * n * scale * factor, rel=1e-9), text


@pytest.mark.parametrize("text, kind, value, high, currency, qualifier", [
    ("安排伍拾壹点肆万元", "money", 514000, None, None, "exact"),  # 大写 digits after 点
    ("本金四万点六元", "money", 40000.6, None, None, "exact"),  # a point after 万
    ("支付港币两千九百六十元", "money", 2960, None, "HKD", "exact"),  # currency named first
    ("募集新台币 177.1 亿元", "money", 1.771e10, None, "TWD", "exact"),
    ("補助五萬新台幣", "money", 50000, None, "TWD", "exact"),  # traditional characters
    ("花費二百歐元", "money", 200, None, "EUR", "exact"),
    ("合计￥1,280.50。", "money", 1280.5, None, None, "exact"),
    ("奖励1万元--5万元", "money", 10000, 50000, None, "range"),  # a doubled dash
    ("安排一千到两千万元", "money", 1e7, 2e7, None, "range"),  # the low end borrows 万
    ("规模七千到九千亿元", "money", 7e11, 9e11, None, "range"),
    ("合同额50万元（含）以上", "money", 500000, None, None, "at_least"),
    ("参会千余人", "count", 1000, None, None, "over"), ("惠及万余户", "count", 10000, None, None, "over"),
    ("约占十分之一", "percent", 10, None, None, "about"),  # a verb between qualifier and number
    ("亏损负五百万元", "money", -5e6, None, None, "exact"), ("有负百分之十三的样本", "percent", -13, None, None, "exact"),
    ("一千克大米", "measure", 1, None, None, "exact"),
    ("售价九毛九。", "money", 0.99, None, None, "exact"), ("每张八角五分。", "money", 0.85, None, None, "exact"),
    ("收入实现翻番", "multiple", 2, None, None, "exact"), ("增长两倍多。", "multiple", 2, None, None, "over"),
    # blind battery 3 (issue 10)
    ("投入五个亿日元", "money", 5e8, None, "JPY", "exact"),  # 两个亿: 个 inside a number
    ("合同金额美元1200万。", "money", 1.2e7, None, "USD", "exact"),  # the currency named, no unit after
    ("贷款人民币3亿。", "money", 3e8, None, None, "exact"),
    ("买了三斤半。", "measure", 3.5, None, None, "exact"), ("工期一年半。", "measure", 1.5, None, None, "exact"),
    ("成本降低一成半。", "percent", 15, None, None, "exact"), ("两块半。", "money", 2.5, None, None, "exact"),
    ("覆盖率百分百。", "percent", 100, None, None, "exact"), ("占比百分四十五。", "percent", 45, None, None, "exact"),
    ("同比增长一成。", "percent", 10, None, None, "exact"),  # a lone 一 before 成 is a number
    ("餘額為負十萬元。", "money", -1e5, None, None, "exact"),  # traditional 負, 約, 佔, 點, 個
    ("約佔三成。", "percent", 30, None, None, "about"), ("增加三點二個百分點。", "percent_point", 3.2, None, None, "exact"),
    ("步行三公里。", "measure", 3, None, None, "exact"),  # 三公 (三公经费) is no name inside 三公里
    # blind battery 4 (issue 10)
    ("补助八十至一百万元。", "money", 8e5, 1e6, None, "range"),  # borrows 万, not 百万
    ("捐款參萬元整。", "money", 30000, None, None, "exact"),  # traditional 大写 參
    ("近一成的企业。", "percent", 10, None, None, "under"), ("三成的企业。", "percent", 30, None, None, "exact"),
    ("奖励2万零500元。", "money", 20500, None, None, "exact"),  # 零 before Arabic digits
    ("下达1亿零200万元。", "money", 1.02e8, None, None, "exact"),
    ("逾千人。", "count", 1000, None, None, "over"), ("不足百人。", "count", 100, None, None, "under"),
    ("等于一九五○年的六倍半。", "multiple", 6.5, None, None, "exact"),
    # styles of the ITN suites (WeTextProcessing / NeMo)
    ("一共有一亿零两千三百人。", "count", 100002300, None, None, "exact"),  # 两 after 零 is a digit
    ("一点二五人民币。", "money", 1.25, None, None, "exact"), ("有负的百分之二十。", "percent", -20, None, None, "exact"),
    ("每斤5元2。", "money", 5.2, None, None, "exact"),
    ("三又五分之一。", "percent", 320, None, None, "exact"),  # a mixed number, as a percentage
    ("增长一又二分之一倍。", "multiple", 1.5, None, None, "exact"),  # a fraction of times
])
def test_grammar_of_the_blind_battery(text: str, kind: str, value: float, high: float | None,
                                      currency: str | None, qualifier: str) -> None:
    f = only(text)
    assert (f.kind, f.currency, f.qualifier) == (kind, currency, qualifier)
    assert f.value == pytest.approx(value, rel=1e-9)
    assert (f.high is None) if high is None else f.high == pytest.approx(high, rel=1e-9)


@pytest.mark.parametrize("text", ["依据第3-5条执行", "第三至五章", "为企业减负3000万元", "误差正负5%",
                                  "新增负债2000万元", "最后一公里", "三角债", "稅負下降3%"])
def test_ordinal_ranges_and_words_with_fu(text: str) -> None:
    assert all(f.value > 0 for f in find_figures(text))
    if text.startswith(("依据", "第", "最后", "三角")):
        assert find_figures(text) == []


@pytest.mark.parametrize("text", ["三番五次督促整改。", "九牛一毛。", "只是冰山一角。", "半斤八两。",
                                  "工期一年半载。", "城乡二元结构。", "推进管理一元化。", "三公经费下降。",
                                  "一块半导体材料。", "一成不变。", "千家万户。", "达到千家万户。",
                                  "把每一分钱都用在刀刃上。", "在一、二两月份。", "全国煤矿在一二两月份。", "千亿提升、百亿成势。",
                                  # digits typeset with spaces (1998 work report): the last digit alone is a wrong value
                                  "总值达到7 4 7 7 2 亿元，按", "平均每年增长1 1 ％。", "产量达到4 9 2 5 0 万吨。"])
def test_idioms_and_words_with_numbers_are_no_figures(text: str) -> None:
    """corpora/figures/idioms.txt and the unit look-aheads: a number in an
    idiom or a word (二元结构, 一成不变) is no figure."""
    assert find_figures(text) == []


def _battery_cases() -> list:
    from nlp import figure_eval
    from nlp.scoring import read_jsonl
    import corpora
    return [pytest.param(case, id=f"{which[1]}:{case['id']}")
            for which in figure_eval.BATTERIES for case in read_jsonl(corpora.path(*which))]


@pytest.mark.parametrize("case", _battery_cases())
def test_every_battery_case_comes_out_exactly(case: dict) -> None:
    """Every case of the number batteries (corpora/figures/battery*.jsonl, the
    blind ones included once fixed) gives exactly the wanted figures: a change
    to the grammar that breaks one is seen here, not only in ``make eval``."""
    from nlp.figure_eval import battery_case
    assert battery_case(case) == "ok", (case["text"], [(f.text, f.kind, f.value, f.high)
                                                       for f in find_figures(case["text"])])


@pytest.mark.parametrize("end_of_page_1, start_of_page_2, value", [
    ("全年安排资金273180.", "48万元用于改造。", 2731804800),  # Arabic, cut after the point
    ("全年安排资金二十七万三千一百八十", "万元用于改造。", 2731800000),  # Chinese, cut before 万
    ("全年安排资金一点五", "亿美元用于改造。", 150000000),  # cut before 亿 and the currency
])
def test_a_figure_split_by_a_page_break_of_a_real_pdf(end_of_page_1: str, start_of_page_2: str,
                                                      value: float) -> None:
    """A PDF made in the test, read by the real reader, with an amount cut by
    the page break: the figure comes out whole or not at all (never its tail
    read as a smaller amount), and nothing raises."""
    from cjk_pdf import FONT_SIZE, _hex, cjk_pdf
    from ingest.readers import read_bytes
    from nlp.figures import extract

    def page(line: str) -> bytes:
        return b"BT /F1 %d Tf 40.0 500.0 Td " % FONT_SIZE + _hex(line) + b" Tj ET"

    doc = read_bytes(cjk_pdf([page(end_of_page_1), page(start_of_page_2)]), "page_break.pdf")
    figures = extract(None, doc)
    assert all(f.value == pytest.approx(value) for f in figures if f.kind == "money"), \
        [(f.text, f.value, f.page) for f in figures]
    assert all(doc.text[f.start:f.end] == f.text for f in figures)
