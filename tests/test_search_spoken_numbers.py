"""A number said in words (一点七倍, 十四个点, 一万亿, 七月) matched to the figure a
passage writes in digits (docs/search_relevance.md, fifteenth session, helper
searchpara15). The ranking tests run a real SQLite store."""
from __future__ import annotations

import pytest

from search.backend import Query
from search.query import EXPANSION_SHARE, parse
from search.spoken_numbers import holds_number, month_forms, number_range, written_numbers
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text


def units(text: str) -> list[str]:
    return [u.text for u in parse(text).units]


@pytest.mark.parametrize("word,low,high", [("十四个点", 13.5, 14.5), ("一点七倍", 1.65, 1.75),
                                           ("一万亿", 5e11, 1.5e12), ("五百万", 4.5e6, 5.5e6),
                                           ("两倍", 1.5, 2.5), ("一点五", 1.45, 1.55)])
def test_a_number_said_in_words_stands_for_the_figures_it_rounds(word, low, high):
    got = number_range(word)
    assert got is not None and got == pytest.approx((low, high)), got


@pytest.mark.parametrize("word", ["十五", "八五", "十四五", "三成", "五年", "14个点", "万一", "统一", ""])
def test_plan_names_shares_and_other_words_are_no_number(word):
    # 十五 / 八五 / 十四五 name five-year plans; 三成 is a share (search.shares)
    assert number_range(word) is None


def test_the_cut_keeps_a_number_said_in_words_whole():
    assert "一点七倍" in units("城乡收入差距缩小到一点七倍以内")  # jieba: 一点 / 七倍
    assert "十四个点" in units("七月收入增速比六月回落十四个点")  # jieba dropped 点
    assert "一成" in units("县里去年经济总量下降超过一成")  # jieba: 一 / 成, a share lost
    # a number that begins a dictionary word, a share's and a period's numbers stay as they were
    assert units("一成不变") == ["一成不变"]
    assert "百分之十四" in units("税收涨了百分之十四")
    assert "前十个月" in units("2018年前十个月耕地占用税")


def test_a_month_said_in_words_has_the_reports_digit_form():
    assert month_forms("七月") == ["7月"] and month_forms("十二月份") == ["12月"]
    assert month_forms("十三月") == [] and month_forms("岁月") == []
    assert "6月" in parse("比六月回落").units[0].forms


def test_a_passage_writes_a_number_in_digits_at_its_scale():
    assert written_numbers("累计引进省外内资10000亿元，1.7以内") == (1e12, 1.7)
    assert holds_number("回落14.2个百分点", (13.5, 14.5))
    assert not holds_number("回落4.2个百分点", (13.5, 14.5))
    assert holds_number("1万亿元", number_range("一万亿"))


def test_a_number_unit_counts_like_an_expansion():
    unit = next(u for u in parse("回落十四个点").units if u.number)
    assert unit.match("增速回落14.2个百分点") == EXPANSION_SHARE
    assert unit.match("增速回落4.2个百分点") == 0.0
    assert unit.held("回落14.2个百分点") and not unit.held("回落4个百分点")


PLAN = [
    ("plan_a.txt", "某县新型城镇化实施方案",
     "到2027年，力争实现地区生产总值超600亿元，城乡居民收入倍差缩小到1.7以内。"),
    ("plan_b.txt", "某市收入分配报告", "城乡居民收入差距比上年缩小了一点，仍需努力。"),
    ("plan_c.txt", "某省共同富裕方案", "缩小城乡收入差距，城乡居民收入差距进一步缩小。"),
]
MONTHS = [
    ("mof_200807.txt", "2008年7月财政收支情况",
     "7月份全国财政收入6073.52亿元，同比增长16.5%，增速比6月份回落14.2个百分点。"),
    ("mof_200809.txt", "2008年9月财政收支情况",
     "9月份全国财政收入4478亿元，同比增长3.1%，增速比8月份回落4.2个百分点。"),
    ("mof_200805.txt", "2008年5月财政收支情况",
     "5月份全国财政收入增速比4月份回落6.1个百分点，收入增速回落。"),
]


def _store(tmp_path, lines):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for name, title, line in lines:
        add_text(backend, tmp_path, name, line + "\n", title=title, year=2023, region="全国",
                 doc_type="plan")
    return backend


@pytest.mark.parametrize("lines,query,answer", [
    (PLAN, "城乡收入差距缩小到一点七倍以内", "plan_a.txt"),
    (MONTHS, "七月收入增速比六月回落十四个点", "mof_200807.txt")])
def test_the_passage_that_writes_the_figure_ranks_first(tmp_path, lines, query, answer):
    backend = _store(tmp_path, lines)
    try:
        hits = backend.search(Query(query, limit=3, mode="lexical")).hits
    finally:
        backend.close()
    # before: 一点七倍 was cut 一点 / 七倍, so 缩小了一点 matched and 1.7 did not; 十四个点
    # was cut 十四个 and 七月 / 六月 had no digit form, so the months that say 回落 twice won
    assert hits and hits[0].doc == answer, [(h.doc, h.text) for h in hits]
