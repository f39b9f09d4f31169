"""Query words the vocabulary keeps or maps (corpora/search/single_words.txt,
colloquial.txt), proved on a real SQLite store and, when an engine is set
(``POLICYLENS_ES_URL``), on the engine too."""
from __future__ import annotations

import os
import uuid

import pytest

import corpora
from search.backend import Query
from search.query import fts_expression, parse, single_words
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text

URL = os.environ.get("POLICYLENS_ES_URL")

# one tax line among many (the answer of 股票交易的税 names neither 股票 nor 交易 the same way),
# one line on stocks without any tax, one on housing taxes, one on housing without tax
PASSAGES = {
    "tax1.txt": "车船税、船舶吨税、烟叶税等税收收入401亿元，同比增长9.8%。",
    "tax2.txt": "国内增值税3787亿元，同比增长46.4%；营业税45亿元，同比下降96.6%。",
    "tax3.txt": "企业所得税5260亿元，同比增长10%，个人所得税712亿元。",
    "stock.txt": "股票交易活跃，证券市场成交额大幅增长，股票交易量创新高。",
    "house_tax.txt": "受成交减少影响，契税、土地增值税等与房子有关的税下降。",
    "house.txt": "与房子有关的成交减少，房子库存增加，房子价格有所回落，房子销售放缓。",
}


def _store(tmp_path) -> SQLiteBackend:
    backend = SQLiteBackend(tmp_path / "words.sqlite3")
    for name, text in PASSAGES.items():
        add_text(backend, tmp_path, name, text, title=name, year=2024, doc_type="fiscal_report")
    return backend


def _docs(backend, text: str) -> list[str]:
    return [h.doc for h in backend.search(Query(text, limit=10, mode="lexical")).hits]


def test_the_listed_one_character_words_are_kept_beside_longer_words():
    assert {"税", "债", "乱"} <= single_words()
    assert {"的", "年", "个"}.isdisjoint(single_words())
    units = {u.text: u for u in parse("跟房子有关的税都少了").units}
    assert "税" in units and units["税"].narrow
    assert "的" not in units
    # typed alone, a one-character word searches as before
    assert [(u.text, u.narrow) for u in parse("税").units] == [("税", False)]


def test_every_listed_word_is_one_character_and_not_a_stop_word():
    stop = set(corpora.read_lines("search", "stopwords.txt"))
    for w in corpora.read_lines("search", "single_words.txt"):
        assert len(w) == 1 and w not in stop, w


def test_a_kept_one_character_word_ranks_but_does_not_search(tmp_path):
    """税 lifts the passage on housing taxes above the housing passage that says 房子
    more often, and brings in none of the tax lines that do not name 房子."""
    backend = _store(tmp_path)
    try:
        docs = _docs(backend, "房子有关的税")
        assert docs[0] == "house_tax.txt"
        assert "house.txt" in docs
        assert not {"tax1.txt", "tax2.txt", "tax3.txt"} & set(docs)
        # without the kept word the housing passage (four times 房子) ranks first
        assert _docs(backend, "房子有关的")[0] == "house.txt"
        # 股票交易的税: the stock line, no tax line pulled in by 税 alone
        assert _docs(backend, "股票交易的税") == ["stock.txt"]
        assert "税" not in (fts_expression(parse("股票交易的税")) or "")
    finally:
        backend.close()


@pytest.mark.es
@pytest.mark.skipif(not URL, reason="POLICYLENS_ES_URL not set")
def test_the_engine_keeps_the_word_the_same_way(tmp_path):
    from search.elastic import ElasticBackend
    from search.reindex import copy_backend

    src = _store(tmp_path)
    es = ElasticBackend(url=URL, index_prefix=f"pltest-{uuid.uuid4().hex[:8]}")
    try:
        copy_backend(src, es)
        for text in ("房子有关的税", "股票交易的税"):
            assert _docs(es, text) == _docs(src, text), text
    finally:
        es.drop()
        es.close()
        src.close()


def test_session_8_entries_find_the_official_wording(tmp_path):
    """Words no entry mapped before (亏钱, 涨得慢, 退下来的, 花出去) now find the passage
    that says it officially, above a passage that only shares the query's other words."""
    backend = SQLiteBackend(tmp_path / "vocab.sqlite3")
    lines = {
        "loss.txt": "部分国有企业生产经营困难，亏损增加，要认真抓好扭亏增盈工作。",
        "firms.txt": "国有企业改革稳步推进，企业管理水平不断提高。",
        "prices.txt": "居民消费价格涨幅回落，物价总水平低位运行。",
        "prices2.txt": "物价管理要加强，物价工作要做细。",
        "retired.txt": "离退休干部活动经费和离退休人员管理支出。",
        "cadres.txt": "干部教育培训经费，干部培训支出。",
        "spend.txt": "国有土地使用权出让收入相关支出下降。",
        "income.txt": "国有土地使用权出让收入下降，收入减少。",
    }
    for name, text in lines.items():
        add_text(backend, tmp_path, name, text, title=name, year=2024, doc_type="fiscal_report")
    try:
        assert _docs(backend, "企业亏钱")[0] == "loss.txt"
        assert _docs(backend, "物价涨得慢")[0] == "prices.txt"
        assert _docs(backend, "退下来的干部花的钱")[0] == "retired.txt"
        assert _docs(backend, "卖地收入花出去的钱")[0] == "spend.txt"
    finally:
        backend.close()


def test_the_engine_body_searches_by_the_same_units_as_the_sqlite_expression():
    """The engine's should clauses are built from ``searching_units`` too: the kept
    税 of 股票交易的税 is no clause, while 税 typed alone is one."""
    import json

    from search.elastic import search_body

    body = json.dumps(search_body(parse("股票交易的税"), [], 10)["query"], ensure_ascii=False)
    assert "股票交易" in body and '"税"' not in body
    alone = json.dumps(search_body(parse("税"), [], 10)["query"], ensure_ascii=False)
    assert '"税"' in alone
