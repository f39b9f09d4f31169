"""Query parsing, tokenisation, highlights and the search vocabularies (data files)."""
from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

import corpora
from search.backend import MAX_QUERY_CHARS
from search.filters import split_tag_filters
from search.backend import Filter
from search.highlight import highlights, merge
from search.query import fts_expression, parse, stopwords, synonyms
from search.tokenize import gram_tokens, index_columns, normalize


def test_normalize_keeps_length_and_maps_fullwidth():
    s = "ＧＤＰ增长６．５％，Ｒ＆Ｄ投入　"
    n = normalize(s)
    assert len(n) == len(s)
    assert n == "gdp增长6.5%,r&d投入 "


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_normalize_is_length_preserving_for_any_text(s):
    assert len(normalize(s)) == len(s)


def test_grams_cover_every_character():
    assert gram_tokens(normalize("预算绩效，GDP")) == ["预算", "算绩", "绩效", "效", "gd", "dp", "p"]


def test_question_drops_stop_words_keeps_content():
    pq = parse("预算批准后多少天内要向社会公开")
    words = [u.text for u in pq.units]
    assert "预算" in words and "公开" in words
    assert not set(words) & {"多少", "要", "后", "向"}


def test_only_stop_words_are_kept_rather_than_nothing():
    assert [u.text for u in parse("什么").units] == ["什么"]


def test_phrase_and_exclusion_parse():
    pq = parse('"预算绩效管理" -扶贫 -"专项 资金"')
    assert [(u.text, u.phrase) for u in pq.units] == [("预算绩效管理", True)]
    assert pq.excluded == ["扶贫", "专项 资金"]


def test_latin_terms_stay_whole_and_get_synonyms():
    pq = parse("R&D投入占GDP比重")
    texts = [u.text for u in pq.units]
    assert "r&d" in texts and "gdp" in texts
    gdp = next(u for u in pq.units if u.text == "gdp")
    assert "国内生产总值" in gdp.alternatives


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_any_input_gives_a_valid_fts_expression(text):
    """Whatever the user types, the MATCH expression compiles in FTS5."""
    expr = fts_expression(parse(text))
    if expr is None:
        return
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(words, grams, tags)")
    conn.execute("INSERT INTO t VALUES (?, ?, '')", index_columns("预算绩效管理 GDP 扶贫 and or"))
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expr,)).fetchone()


def test_query_is_capped():
    pq = parse("预算" * MAX_QUERY_CHARS + " 扶贫")
    assert "扶贫" not in [u.text for u in pq.units]


def test_highlights_on_original_characters():
    text = "全面实施预算绩效管理，ＧＤＰ增长6.5%。"
    spans = highlights(text, parse("预算 gdp"))
    assert [text[s:e] for s, e in spans] == ["预算", "ＧＤＰ"]
    assert merge([(0, 2), (1, 4), (6, 7)]) == [(0, 4), (6, 7)]


def test_tag_filters_only_for_equality_on_document_fields():
    expr, rest = split_tag_filters([Filter("region", "eq", "烟台市"), Filter("year", "gte", 2020),
                                    Filter("doc", "in", ["a.txt", "b.txt"])])
    assert expr.count("tags:") == 3
    assert rest == [Filter("year", "gte", 2020)]


def test_vocabulary_files_are_well_formed():
    for line in corpora.read_lines("search", "synonyms.txt"):
        left, arrow, right = line.partition(">")
        if arrow:  # one way: everyday word(s) > official term(s)
            sides = [[w.strip() for w in x.split("/")] for x in (left, right)]
            assert all(all(side) for side in sides) and not set(sides[0]) & set(sides[1]), line
            continue
        group = [w.strip() for w in line.split("/")]
        assert len(group) >= 2 and all(group), line
        assert len(set(group)) == len(group), line
    syn = synonyms()
    assert "预算资金" in syn["财政资金"] and "财政资金" in syn["预算资金"]
    assert {"多少", "什么", "是否"} <= stopwords()
    assert not {"预算", "绩效", "资金"} & stopwords()


def test_synonym_entry_cut_apart_by_jieba_is_joined_again():
    """压缩行政开支: jieba cuts 行政/开支, but 行政开支 is a synonym entry, so the
    query also finds 行政支出 and 行政经费."""
    from search.query import parse

    units = {u.text: u.alternatives for u in parse("压缩行政开支").units}
    assert "行政开支" in units and {"行政支出", "行政经费"} <= set(units["行政开支"])
    assert "行政" not in units and "开支" not in units


def test_national_and_regional_gdp_are_not_synonyms():
    from search.query import parse, synonyms

    assert "地区生产总值" not in synonyms()["国内生产总值"]
    assert {"国内生产总值", "地区生产总值"} <= set(synonyms()["gdp"])
    assert [u.alternatives for u in parse("国内生产总值").units] == [["gdp"]]


def test_everyday_words_widen_to_official_terms_one_way():
    # corpora/search/synonyms.txt: "卖地 > 土地出让/国有土地使用权出让", "砍掉 > 削减/压减/调减"
    units = {u.text: u for u in parse("卖地的钱大幅下滑").units}
    assert "土地出让" in units["卖地"].expansions and units["下滑"].expansions == ["下降"]
    assert "土地出让" in units["卖地"].forms and units["卖地"].alternatives == []
    assert "调减" in parse("砍掉").units[0].expansions
    # the official terms do not widen back, nor to each other
    assert parse("调减").units[0].forms == ["调减"]
    assert parse("下降").units[0].forms == ["下降"]


def test_colloquial_vocabulary_expands_everyday_phrases():
    # corpora/search/colloquial.txt: "没花完 > 结转结余/结余/结转", "过紧日子 > 厉行节约/..."
    units = {u.text: u for u in parse("项目资金没花完怎么处理").units}
    assert "结转结余" in units["没花完"].expansions
    assert "厉行节约" in parse("过紧日子").units[0].expansions
    # an official term is never widened to the everyday word
    assert "没花完" not in parse("结转结余").units[0].forms


def test_an_expansion_counts_less_than_the_word_typed():
    """A passage holding only the official term an everyday word stands for
    counts EXPANSION_SHARE of the unit; the word itself or an equal synonym
    counts fully."""
    from search.query import EXPANSION_SHARE
    from search.sqlite import rerank_score

    unit = parse("卖地").units[0]
    assert unit.match("卖地收入") == 1.0 and unit.match("土地出让收入") == EXPANSION_SHARE < 1.0
    assert unit.match("税收收入") == 0.0
    assert parse("gdp").units[0].match("国内生产总值") == 1.0  # equals count fully
    pq = parse("卖地 大幅下降")
    typed = normalize("今年卖地的钱大幅下降，各地财政承压明显，需要统筹安排支出。")
    official = normalize("今年土地出让的钱大幅下降，各地财政承压明显，需要统筹安排支出。")
    assert rerank_score(10.0, official, pq) < rerank_score(10.0, typed, pq)


def test_months_and_days_stay_one_unit():
    # jieba cuts 5月 into 5 / 月 and one-character words are dropped: the month was lost
    assert [u.text for u in parse("2018年5月一般公共预算支出为什么增长慢").units][:2] == ["2018", "5月"]
    assert "10月" in [u.text for u in parse("2018年10月份全国一般公共预算收入").units]
    assert [u.text for u in parse("12月22日大海阳社区清雪").units][0] == "12月22日"
    units = {u.text: u.alternatives for u in parse("2013年1-5月教育支出").units}
    assert "前5个月" in units["1-5月"]  # a run of months keeps its synonyms


def _one_report_store(tmp_path, text: str):
    """A real SQLite store holding one analysed text report."""
    from search.sqlite import SQLiteBackend
    from ingest.readers import read_bytes
    from nlp.pipeline import analyse

    doc = read_bytes(text.encode("utf-8"), "report.txt")
    store = SQLiteBackend(tmp_path / "s.sqlite3")
    store.add(doc, analyse(doc))
    return store


def test_a_month_finds_its_passage_in_a_real_store(tmp_path):
    from search.backend import Query

    text = ("5月份，全国一般公共预算支出17003亿元，同比增长0.5%，增长较慢。\n"
            "全国一般公共预算支出情况：教育支出增长较快，科学技术支出增长较慢。\n")
    store = _one_report_store(tmp_path, text)
    hits = store.search(Query("5月一般公共预算支出为什么增长慢", limit=2, mode="lexical")).hits
    assert hits[0].text.startswith("5月份")
    store.close()


def test_a_run_of_months_is_one_unit_however_it_is_written():
    # users type 1到5月 or 1至5月, some reports print 1—10月: each was a unit of its
    # own (or lost its 1), never matching 1-5月 nor knowing its synonyms (前5个月)
    # 1月至5月 / 1月-5月 name the month at both ends: it was 1月 and 5月, two single months
    for typed in ("1到5月", "1至5月", "1~5月", "1—5月", "1-5月", "1月至5月", "1月-5月", "1月到5月"):
        unit = next(u for u in parse(f"2020年{typed}全国一般公共预算支出").units if "月" in u.text)
        assert unit.text == "1-5月" and "前5个月" in unit.alternatives
        assert unit.match(normalize("1—5月累计，全国一般公共预算支出")) == 1.0
    assert [u.text for u in parse("5月份支出").units][0] == "5月"  # one month stays as it was


def test_a_run_of_months_typed_with_to_finds_the_report_in_a_real_store(tmp_path):
    from search.backend import Query

    text = ("1-5月累计，全国一般公共预算支出90281亿元，同比下降2.9%。\n"
            "5月份，全国一般公共预算支出17003亿元，同比增长0.5%。\n"
            "1-4月累计，全国一般公共预算支出72210亿元，同比下降5.8%。\n")
    store = _one_report_store(tmp_path, text)
    for query in ("1到5月全国一般公共预算支出", "1至5月全国一般公共预算支出", "1月至5月全国一般公共预算支出"):
        hits = store.search(Query(query, limit=3, mode="lexical")).hits
        assert hits[0].text.startswith("1-5月累计"), query
    store.close()


def test_a_longer_vocabulary_phrase_keeps_the_matches_of_its_parts():
    """买电脑, 社保基金 and 公车费 are colloquial entries of their own; joining the
    jieba words into the entry must not lose what the parts matched (电脑 >
    计算机, 社保 > 社会保险, 公车 > 公务用车): the parts stay as weaker forms of
    the unit, a passage holding the whole phrase still counts most."""
    from search.query import EXPANSION_SHARE

    for query, part_only, whole in (
            ("买电脑", "今年为学校采购计算机三百台。", "各单位买电脑须纳入政府采购。"),
            ("社保基金", "社保缴费基数按上年平均工资核定。", "社保基金运行总体平稳。"),
            ("公车费", "公务用车管理进一步规范。", "公车费同比下降两成。")):
        units = parse(query).units
        assert [u.text for u in units] == [query]
        unit = units[0]
        assert 0.0 < unit.match(normalize(part_only)) < EXPANSION_SHARE, query
        assert unit.match(normalize(whole)) == 1.0, query
        assert unit.match(normalize("税收收入稳步增长。")) == 0.0
    # the same inside a longer query, where jieba's words are joined again
    unit = next(u for u in parse("社保基金结余有多少").units if u.text == "社保基金")
    assert unit.match(normalize("社保缴费基数按上年平均工资核定。")) > 0.0
    # only shorter entries are parts: 行政 and 开支 are plain words, and
    # 行政开支 is an entry because it means more than either
    unit = next(u for u in parse("压缩行政开支").units if u.text == "行政开支")
    assert unit.parts == [] and unit.match(normalize("开支同比下降。")) == 0.0


def test_a_part_of_a_phrase_finds_its_passage_in_a_real_store(tmp_path):
    """A store holding only 计算机 (what 电脑 expands to) answers 买电脑."""
    from search.backend import Query

    text = ("本年度为全县中小学采购计算机三百台，资金来源为教育专项。\n"
            "全县一般公共预算收入同比增长百分之五。\n")
    store = _one_report_store(tmp_path, text)
    hits = store.search(Query("买电脑", limit=2, mode="lexical")).hits
    assert hits and "计算机" in hits[0].text
    store.close()
