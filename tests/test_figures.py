"""Figure extraction: kinds, values, qualifiers, changes, exclusions, grounding, tables."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import corpora
from ingest.document import Document, Page, Table
from nlp.figure_rules import rules
from nlp.figures import extract, find_figures, table_figures

SAMPLES = Path(corpora.path("samples"))


def one(text: str):
    figs = find_figures(text)
    assert len(figs) == 1, [f.text for f in figs]
    return figs[0]


@pytest.mark.parametrize("text, kind, value, unit", [
    ("涉及资金273180.48万元。", "money", 2731804800, "元"),
    ("资金2万3千元", "money", 23000, "元"),
    ("总投资3亿2千万元", "money", 320000000, "元"),
    ("补助10万5千元", "money", 105000, "元"),
    ("资金1,100万元", "money", 11000000, "元"),
    ("贷款8亿元人民币", "money", 800000000, "元"),
    ("合计壹佰贰拾叁万元整", "money", 1230000, "元"),
    ("三千二百万元", "money", 32000000, "元"),
    ("财政赤字2.38万亿元", "money", 2.38e12, "元"),
    ("每次200多块钱", "money", 200, "元"),
    ("收入３５６万元", "money", 3560000, "元"),
    ("提高2.3个百分点", "percent_point", 2.3, "百分点"),
    ("增长6.5%", "percent", 6.5, "%"),
    ("占比５０％", "percent", 50, "%"),
    ("达到百分之三点五", "percent", 3.5, "%"),
    ("项目705个", "count", 705, "个"),
    ("帮助218名残疾人", "count", 218, "名"),
    ("捐赠棉被2285床", "count", 2285, "床"),
    ("选取10大领域", "count", 10, "领域"),
    ("举办两届", "count", 2, "届"),
    ("雪深达53厘米", "measure", 53, "厘米"),
    ("面积48平方米", "measure", 48, "平方米"),
    ("用了4个多月", "measure", 4, "月"),
    ("发生6.2级地震", "measure", 6.2, "级"),
    ("中职三年", "measure", 3, "年"),
    ("执行数为1.48\n万元", "money", 14800, "元"),  # a PDF line break between number and unit
])
def test_kinds_values_units(text: str, kind: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.unit) == (kind, unit)
    assert f.value == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text, qualifier, value", [
    ("约2亿元", "about", 2e8), ("3500亿元左右", "about", 3.5e11), ("5%上下", "about", 5),
    ("100余万元", "over", 1e6), ("一千多万元", "over", 1e7), ("三十几万元", "over", 3e5),
    ("92 万余元", "over", 920000), ("逾500人", "over", 500), ("超过1000亿元", "over", 1e11),
    ("近30个", "under", 30), ("不到六岁", "under", 6), ("不足10家", "under", 10),
    ("1100万人以上", "at_least", 1.1e7), ("不低于5%", "at_least", 5), ("不少于3次", "at_least", 3),
    ("≥90%", "at_least", 90), ("至少1次", "at_least", 1), ("60岁以上", "at_least", 60),
    ("4.5%以内", "at_most", 4.5), ("不超过30万元", "at_most", 300000), ("≤5%", "at_most", 5),
    ("20人以下", "at_most", 20),
])
def test_qualifiers(text: str, qualifier: str, value: float) -> None:
    f = one(text)
    assert f.qualifier == qualifier
    assert f.value == pytest.approx(value)
    assert f.text == text  # the span keeps the qualifier words


@pytest.mark.parametrize("text, low, high, unit", [
    ("期限3至5年", 3, 5, "年"), ("补助20-30万元", 200000, 300000, "元"),
    ("增长4.5%-5%", 4.5, 5, "%"), ("积雪两三厘米", 2, 3, "厘米"), ("三四十万元", 300000, 400000, "元"),
    ("5%～10%", 5, 10, "%"), ("百分之一至百分之三", 1, 3, "%"), ("二三十人", 20, 30, "人"),
])
def test_ranges(text: str, low: float, high: float, unit: str) -> None:
    f = one(text)
    assert (f.qualifier, f.unit) == ("range", unit)
    assert (f.value, f.high) == (pytest.approx(low), pytest.approx(high))


def test_changes_and_bases() -> None:
    figs = find_figures("收入792.22万元。同比上年度增加189.25万元，增加31.39%。")
    assert [(f.text, f.change) for f in figs] == [
        ("792.22万元", None), ("189.25万元", "increase"), ("31.39%", "increase")]
    assert figs[1].base == "同比"
    figs = find_figures("二氧化硫、氮氧化物排放量分别下降5.6%和4%，74个重点城市浓度下降9.1%。")
    assert [f.change for f in figs] == ["decrease", "decrease", None, "decrease"]
    assert one("一律按不低于5%的幅度压减一般性支出").change == "decrease"
    assert one("城镇新增就业预期目标比去年多100万人，").change == "increase"
    assert one("全市预计压减预算资金约2亿元").change == "decrease"
    # a new level, not the size of a change
    assert one("比重提高到56.2%").change is None
    # 提高三个质量: the count is the object, not the change
    assert one("提高三个质量").change is None
    # a change word before another kind of figure does not carry over
    figs = find_figures("增加值增长3.9%、总量连续37年居全国首位")
    assert [f.change for f in figs] == ["increase", None]


@pytest.mark.parametrize("text", [
    "2023年", "12月22日下午", "22日下午", "2019年度", "二〇二三年", "2021-2025年", "2023-12-01",
    "上午10点左右", "7点10分", "烟财〔2023〕10号", "湘政办发[2020]12号", "第十条", "第二家盲人按摩店",
    "第三次国务院大督查", "电话0535-6688123", "手机13912345678", "科目编码301 02",
    "“6个3”绩效管理模式", "按照“1+N+X”思路", "“两书两函”制度", "落实八项规定精神",
    "十八届三中全会", "九届三次全委会议", "《十四五规划》", "PM2.5", "5G基站",
    "没有一个人", "一批腐败分子", "过去一年", "数十家企业", "几百人", "1、每日",
    "百年变局", "零部件", "三次产业比重", "１９５５年国家决算", "１９８０、１９８１年", "１９８０．１２．３１", "PM\n2.5\n年平均浓度", "附件2\n名词解释",
])
def test_exclusions(text: str) -> None:
    assert find_figures(text) == []


def test_figures_among_exclusions() -> None:
    figs = find_figures("2023年，组织82个市直部门对1561个项目开展了绩效自评（烟财〔2023〕10号）。")
    assert [(f.text, f.value) for f in figs] == [("82个", 82), ("1561个", 1561)]


def test_spans_are_exact_in_a_real_document() -> None:
    path = SAMPLES / "yantai_daily_budget_performance_2023.txt"
    text = path.read_text(encoding="utf-8")
    figs = find_figures(text)
    assert len(figs) > 30
    for f in figs:
        assert text[f.start:f.end] == f.text
        assert f.value is not None and f.value >= 0
    by_text = {f.text: f for f in figs}
    assert by_text["141亿元"].value == 14100000000
    assert by_text["92 万余元"].qualifier == "over"
    assert by_text["141亿元"].subject == "资金"
    assert "6个3" not in text[figs[0].start - 2:figs[0].end + 2]


def test_every_unit_row_is_usable() -> None:
    """The data file is well-formed: known kinds, positive factors, valid lookaheads."""
    r = rules()
    assert {u.kind for u in r.units.values()} == {"money", "percent", "percent_point", "count", "measure",
                                                     "multiple"}
    for u in r.units.values():
        assert u.factor > 0
        re.compile(u.follow or "")
    for word, (q, pos) in r.qualifiers.items():
        assert q in {"exact", "about", "over", "under", "at_least", "at_most"} and pos in {"pre", "post", "mid"}
    assert set(r.changes.values()) == {"increase", "decrease"}


def _pdf_like(text: str, tables: list[Table]) -> Document:
    return Document(id="t", source="t.pdf", path="t.pdf", format="pdf", title="t", text=text,
                    pages=[Page(1, 0, len(text))], tables=tables)


def test_table_cells_take_the_caption_unit_and_are_grounded() -> None:
    text = "单位：万元\n项目 科目编码 金额\n办公经费 301 02 12.50\n培训费 302 16 1,200.00\n"
    table = Table(page=1, caption="单位：万元",
                  rows=[["项目", "科目编码", "金额"], ["办公经费", "301 02", "12.50"],
                        ["培训费", "302 16", "1,200.00"], ["差旅费", "302 11", "99.99"]])
    doc = _pdf_like(text, [table])
    figs = table_figures(doc)
    assert [(f.text, f.value, f.page) for f in figs] == [("12.50", 125000, 1), ("1,200.00", 12000000, 1)]
    for f in figs:  # grounded; the 差旅费 row is not in the text and is skipped
        assert text[f.start:f.end] == f.text
    assert figs[0].subject == "办公经费"


def test_table_row_label_unit_covers_merged_rows() -> None:
    text = "项目资金（元） 项目资金总额 7595500.00\n其中：财政资金 7595500.00\n其他资金 0.00\n人数 12\n"
    table = Table(page=1, rows=[["项目资金（元）", "项目资金总额", "7595500.00"],
                                [None, "其中：财政资金", "7595500.00"], [None, "其他资金", "0.00"],
                                ["人数", None, "12"]])
    figs = table_figures(_pdf_like(text, [table]))
    assert [(f.value, f.subject) for f in figs] == [
        (7595500, "项目资金总额"), (7595500, "其中：财政资金"), (0, "其他资金")]


def test_bracketed_units_of_goal_tables() -> None:
    f = one("解决小朋友寒暑假看护难问题 ≥120.00(人次)")
    assert (f.kind, f.value, f.unit, f.qualifier, f.text) == ("count", 120, "人次", "at_least", "≥120.00(人次)")
    assert one("=5.00(万人次)").value == 50000


def test_table_header_unit_per_column() -> None:
    text = "项目资金（元） 人数\n85,000.00 12\n"
    table = Table(page=1, rows=[["项目资金（元）", "人数"], ["85,000.00", "12"]])
    figs = extract(None, _pdf_like(text, [table]))
    assert [(f.text, f.kind, f.value) for f in figs] == [("85,000.00", "money", 85000)]


def test_unit_ellipsis_takes_the_next_figures_unit() -> None:
    figs = find_figures("以前一箱要300多，现在只要80多块钱。")
    assert [(f.text, f.kind, f.value, f.qualifier) for f in figs] == [
        ("300多", "money", 300, "over"), ("80多块钱", "money", 80, "over")]
    # no figure with a unit later in the sentence: not a figure
    assert find_figures("去年来了300多，今年更多。") == []


def test_people_from_the_phrase_after_a_large_number() -> None:
    f = one("为1700多万困难和重度残疾人发放生活补贴")
    assert (f.text, f.kind, f.value, f.unit, f.qualifier) == ("1700多万", "count", 17000000, "人", "over")


def test_real_pdf_text_and_table_figures_are_grounded() -> None:
    from ingest.readers import read

    document = read(SAMPLES / "budget2025_shanghai_putuo_finance_bureau_dept.pdf")
    figs = extract(None, document)
    assert len(figs) > 100
    for f in figs:
        assert document.text[f.start:f.end] == f.text
        assert f.page == document.page_at(f.start)
    money = {(f.page, f.text): f for f in figs if f.kind == "money"}
    # running text: 3,121.42万元; table under 单位：元: 31,214,205.80
    assert money[(7, "3,121.42万元")].value == pytest.approx(31214200)
    assert money[(9, "31,214,205.80")].value == pytest.approx(31214205.8)
    # budget codes (301 02) and code columns (类/款/项) never become figures
    assert not [f for f in figs if re.fullmatch(r"\d{3}( \d{2})?|0\d", f.text)]


def test_words_that_only_look_like_qualifiers() -> None:
    f = one("实际支出4,573,732.68元，节约3,226,267.32元".split("，")[1])
    assert (f.text, f.qualifier, f.change) == ("3,226,267.32元", "exact", "decrease")
    assert one("最近5年").qualifier == "exact"


def test_negative_figures_and_non_ranges() -> None:
    f = one("收支差额为-3.5亿元")
    assert (f.text, f.value) == ("-3.5亿元", -350000000)
    assert find_figures("三五年") == []  # 三五 is not a range (not adjacent digits)
    assert one("表中共1-2个").qualifier == "range"


def test_exclusion_guard_changes_nothing() -> None:
    """The first-character guard is only a speed-up: same spans as without it."""
    pattern = rules().exclusion_re.pattern
    assert pattern.startswith("(?=[")
    body = pattern[pattern.index("])(?:") + 2:]
    plain = re.compile(body)
    for name in ("gwr2026_guangdong.txt", "yantai_daily_budget_performance_2023.txt",
                 "law_budget_law_2018.md"):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        assert [m.span() for m in rules().exclusion_re.finditer(text)] == \
            [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("text, number, subject", [
    ("中央财政还安排150亿元用于灾后重建。", "150亿元", "中央财政"),  # adverb 还 is not the subject
    ("城镇新增就业900万人。", "900万人", "就业"),  # a two-character verb can be
    ("全国粮食总产量达到46947万吨。", "46947万吨", "总产量"),
    ("近两年来宏观调控取得明显成效。", "近两年", "宏观调控"),  # 来 is not the subject
])
def test_subject_is_a_content_word(text, number, subject):
    fig = next(f for f in find_figures(text) if f.text == number)
    assert fig.subject == subject


@pytest.mark.parametrize("text,value", [
    ("1亿元", 1e8), ("1亿", 1e8), ("5000万元", 5e7), ("273180.48万元", 2731804800.0),
    ("三千万", 3e7), ("１亿元", 1e8), ("1e8", 1e8), (" 100 ", 100.0), ("6.5%", 6.5),
    ("2个百分点", 2.0), ("1,000万元", 1e7), ("-3", -3.0)])
def test_parse_bound_reads_what_users_type(text, value):
    from nlp.figures import parse_bound

    assert parse_bound(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "1亿元到2亿元", "约", "亿元"])
def test_parse_bound_refuses_what_is_no_single_value(text):
    from nlp.figures import parse_bound

    with pytest.raises(ValueError, match="not a number"):
        parse_bound(text)


# ---------------------------------------------------------------- found on unseen texts
# (corpora/figures/labelled_heldout.jsonl, nlp/figure_eval.py): sentences in the
# style of the bench corpus, not the dev gold

@pytest.mark.parametrize("text, kind, value, unit, qualifier", [
    # 多/余 before 万 inside a number with 亿: 4亿 + 700多万
    ("粮食产量达到四亿零七百多万吨", "measure", 4.07e8, "吨", "over"),
    ("原油达到一亿一千四百多万吨", "measure", 1.14e8, "吨", "over"),
    ("因为劳动效率过低损失二十三亿五千多万元", "money", 2.35e9, "元", "over"),
    # 千瓦 after 万/亿: the 千 is the unit's, not the number's
    ("发电装机1.6亿千瓦", "measure", 1.6e8, "千瓦", "exact"),
    ("清洁能源电力装机突破1300万千瓦", "measure", 1.3e7, "千瓦", "over"),
    ("新建3千瓦光伏电站", "measure", 3, "千瓦", "exact"),
    # a round scale written without a digit
    ("肉蛋奶、蔬菜产量均突破百万吨大关", "measure", 1e6, "吨", "over"),
    ("粮食产量稳定在百万吨以上", "measure", 1e6, "吨", "at_least"),
    # measure words and units that were missing
    ("运动员喜摘奖牌111枚", "count", 111, "枚", "exact"),
    ("棉布增加了四千三百万匹", "count", 4.3e7, "匹", "exact"),
    ("电话交换机总容量新增5800多万门", "count", 5.8e7, "门", "over"),
    ("开设老年教育课程100门。", "count", 100, "门", "exact"),
    ("每年出产五十四匹马力的拖拉机", "measure", 54, "匹马力", "exact"),
    ("对1.6升及以下排量乘用车减半征收", "measure", 1.6, "升", "at_most"),
    ("关停10万千瓦及以下燃煤机组", "measure", 1e5, "千瓦", "at_most"),
    ("60岁及以上老年人", "measure", 60, "岁", "at_least"),
    # 个百分点 and money after a lone 一; 一个半月
    ("教育经费所占比例每年提高一个百分点", "percent_point", 1, "百分点", "exact"),
    ("在会议举行的一个半月前进行初步审查", "measure", 1.5, "月", "exact"),
    # 突破 (exceeded) is over
    ("高速公路通车里程突破1万公里", "measure", 1e4, "公里", "over"),
    # a year and a month written with a dot is a date; 1160.5万户 is not
    ("经营主体1160.5万户。", "count", 11605000, "户", "exact"),
    ("农村劳动力转移就业1697.7万人", "count", 16977000, "人", "exact"),
])
def test_unseen_forms(text: str, kind: str, value: float, unit: str, qualifier: str) -> None:
    f = one(text)
    assert (f.kind, f.unit, f.qualifier) == (kind, unit, qualifier)
    assert f.value == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("text, value, qualifier", [
    ("财政部门应当在会议举行的三十日前提交初步方案", 30, "exact"),
    ("应当在召开初步审查会议7日前提供下列材料", 7, "exact"),
    ("应当自批准之日起30日内批复部门预算", 30, "at_most"),
    ("应当在印发后十五日内报送备案", 15, "at_most"),
    ("在听取审计工作报告后的六个月内报告整改情况", 6, "at_most"),
    ("应当在十个工作日内作出复核决定", 10, "at_most"),
])
def test_spans_of_days_in_budget_regulations(text: str, value: float, qualifier: str) -> None:
    f = one(text)
    assert f.kind == "measure" and f.value == value and f.qualifier == qualifier


@pytest.mark.parametrize("text", [
    "于2019年9月20日修订",
    "每月10日前报送上月预算执行情况",
    "于每月十五日前报送",
    "本条例自2020年1月1日起施行",
    "2023.12.31前完成",
    "黄河三门峡水利枢纽",
    "推动三门核电三期项目",
    "工业投资连续保持两位数增长",
    "建立一支成千万人的工人阶级知识分子队伍",
    "开展百万千瓦级核电机组研制",
    "地区生产总值跨越3个千亿元台阶",
])
def test_not_figures_found_on_unseen_texts(text: str) -> None:
    assert [f.text for f in find_figures(text) if f.unit not in ("个",)] == []


def test_within_only_after_a_span_of_time() -> None:
    f = one("设立3个内设机构")
    assert (f.text, f.qualifier) == ("3个", "exact")


def test_people_named_before_a_unitless_number() -> None:
    figs = find_figures("贫困人口由8500万减少到6500万")
    assert [(f.value, f.unit, f.kind) for f in figs] == [(8.5e7, "人", "count"), (6.5e7, "人", "count")]


def test_net_and_refund_changes() -> None:
    assert one("耕地面积净增212万亩").change == "increase"
    figs = find_figures("出口退税7327亿元，比上年多退841亿元，增长13%")
    assert [f.change for f in figs] == [None, "increase", "increase"]
    assert one("同比少退60亿元").change == "decrease"


def test_listed_change_stops_at_a_level() -> None:
    figs = find_figures("净增经营主体34.6万家、企业14万家")
    assert [f.change for f in figs] == ["increase", "increase"]
    figs = find_figures("累计净增经营主体155万户、总量达474万户")
    assert [f.change for f in figs] == ["increase", None]


def test_decimal_percent_in_words_is_no_time_of_day() -> None:
    # 十四点二 inside 百分之… is a number, not 四点 (four o'clock)
    f = one("工业总产值比上年增长百分之十四点二。")
    assert (f.kind, f.value, f.change) == ("percent", 14.2, "increase")
    assert find_figures("会议于下午三点召开") == []
