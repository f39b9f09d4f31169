"""Two ways a retold figure is read (docs/search_relevance.md, fourteenth session,
helper searchpara14): a vocabulary entry that jieba's HMM guess straddled is cut
out whole (个税少三成 was cut 个 / 税少 / 三成, losing 个税 > 个人所得税), and a share
said in words (三成, 四分之一, 百分之一) is matched by the percentage a passage states,
unless the passage states it as a change the other way than the query says (少, 涨).
The ranking test runs a real SQLite store."""
from __future__ import annotations

import pytest

from search.backend import Query
from search.query import EXPANSION_SHARE, _vocabulary_cut, parse
from search.shares import change_at, holds_share, percents, share_range
from search.sqlite import SQLiteBackend
from search.tokenize import normalize
from tests.search_helpers import add_text


def units(text: str) -> list[str]:
    return [u.text for u in parse(text).units]


def test_an_entry_a_guessed_word_straddles_is_cut_out_whole():
    assert units("个税少三成") == ["个税", "三成"]
    assert "个人所得税" in parse("个税少三成").units[0].forms
    assert units("卖地钱少了") == ["卖地钱", "少了"]  # 钱少 was a guess; 少了 > 减少 is an entry


def test_dictionary_words_and_whole_entries_stay():
    # 员工 / 人数 are dictionary words: the entry-like 工人 across them is no reason to re-cut
    assert _vocabulary_cut(["员工", "人数"]) == ["员工", "人数"]
    assert units("员工人数") == ["员工", "人数"]
    # an entry the cut spells out already keeps its place against one as long across a guess
    assert "少了" not in units("疫情那年上半年国家收的税少了多少")


@pytest.mark.parametrize("word,low,high", [("三成", 25, 35), ("两成", 15, 25), ("一成", 5, 15),
                                           ("四分之一", 20, 30), ("百分之一", 0.5, 1.5)])
def test_a_share_said_in_words_stands_for_the_percentages_it_rounds(word, low, high):
    assert share_range(word) == (low, high)


@pytest.mark.parametrize("word", ["三成多的", "成本", "收入", "百分之一的人", "2019", ""])
def test_a_word_that_is_not_one_share_has_none(word):
    assert share_range(word) is None


def test_a_passage_states_percentages_in_digits_or_words_with_their_direction():
    text = normalize("同比下降３０．２％，提高百分之十八，占比30%")
    assert [v for v, _, _ in percents(text)] == [30.2, 18.0, 30.0]
    assert [change_at(text, s, e) for _, s, e in percents(text)] == ["decrease", "increase", None]
    assert holds_share("同比下降30.2%", (25, 35)) and not holds_share("同比下降3.2%", (25, 35))
    # a change the other way than the query says does not match; one stated without a way does
    assert holds_share("同比下降30.2%", (25, 35), "decrease")
    assert not holds_share("同比增长30.2%", (25, 35), "decrease")
    assert holds_share("占比30%", (25, 35), "decrease")


@pytest.mark.parametrize("query,change", [("个税少三成", "decrease"), ("卖地钱涨四成", "increase"),
                                          ("个人所得税前八个月少了差不多三成", "decrease"),
                                          ("国家收农民粮食的价格提高近两成", "increase"),
                                          ("机关开的公司八成已关掉或脱钩", None)])
def test_the_way_a_query_says_its_share_moved(query, change):
    share = next(u for u in parse(query).units if u.share is not None)
    assert share.share_change == change


def test_a_share_unit_counts_like_an_expansion():
    share = parse("个税少三成").units[1]
    assert share.match("个人所得税同比下降30.2%") == EXPANSION_SHARE
    assert share.match("个人所得税同比下降5.2%") == 0.0
    assert share.match("减少三成") == 1.0  # the word itself
    assert share.held("下降30.2%") and not share.held("下降5.2%")


LINES = [
    # months whose 个人所得税 lines say more of it than the answer, with other changes
    ("mof_201905.txt", "2019年1-5月财政收支情况", "个人所得税5401亿元，同比下降5.3%。个人所得税收入随减税放缓。"),
    ("mof_201906.txt", "2019年上半年财政收支情况", "个人所得税6111亿元，同比下降4.2%。个人所得税专项附加扣除落地。"),
    ("mof_201907.txt", "2019年1-7月财政收支情况", "个人所得税6897亿元，同比下降12.1%。个人所得税改革继续推进。"),
    # the right size, the other way
    ("mof_201807.txt", "2018年1-7月财政收支情况", "个人所得税8935亿元，同比增长30.1%。个人所得税收入增长较快。"),
    ("mof_201908.txt", "2019年1-8月财政收支情况", "个人所得税7663亿元，同比下降29.8%。"),
]


@pytest.fixture()
def months(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for name, title, line in LINES:
        add_text(backend, tmp_path, name, line + "\n", title=title, year=2019, region="全国",
                 org="财政部", doc_type="fiscal_report")
    add_text(backend, tmp_path, "other.txt", "国内增值税同比下降30.5%。\n", title="其他",
             year=2019, region="全国", doc_type="fiscal_report")
    yield backend
    backend.close()


def test_the_line_whose_change_the_share_rounds_ranks_first(months):
    hits = months.search(Query("个税少三成", limit=5, mode="lexical")).hits
    # before: 个税 was lost in the cut and 三成 matched nothing; the first hit was another
    # month's line, which names 个人所得税 twice; without the direction, 2018's 增长30.1%
    assert hits and hits[0].doc == "mof_201908.txt", [(h.doc, h.text) for h in hits]


@pytest.mark.parametrize("query,form,period", [("2025年头四个月卖地收入", "1-4月", 4),
                                               ("今年头三个月涨了", "1-3月", 3),
                                               ("2019年头3个月税收", "1-3月", 3)])
def test_the_first_months_said_with_tou_are_the_reports_period(query, form, period):
    from search.understand import understand

    assert any(form in u.forms for u in parse(query).units), [u.forms for u in parse(query).units]
    assert understand(query).period == period
