"""The vague-goal review on real goal sentences of the labelled batches (corpora/goals/clause_labels*.jsonl).

Three kinds of quantity that are not targets (horizons, counts restating a list or counting
abstract nouns, measurable nouns with no value) and the measurable targets written without
a number and unit (doubling, no-decrease bounds, ties to a published level or standard class).
"""
from __future__ import annotations

import pytest

from bench import vague_eval
from nlp import goal_model, vagueness

HORIZONS = [  # a span of time to reach a vague outcome: the horizon is a deadline, not a target
    "我国将用15年时间",  # batch 18
    "力争用3至5年把上海打造成为具有全球引领性的金融科技中心。",  # batch 18
    "税务部门力争经过5年左右努力",  # batch 10
    "然后再经过二三十年时间的努力",  # batch 1
    "在此基础上再奋斗五年",  # batch 10
    "争取三年内基本解决农村“普九”债务问题。",  # held-out sample 2 (gwr national)
    "今后五年，政府将着力推进十个方面重点任务。",  # a horizon and a count of abstract nouns
    "力争用三年时间，基本建成覆盖城乡、功能完善的疾病预防控制和医疗救治体系",  # horizon, hedged outcome
]
NON_TARGET_COUNTS = [  # a count restating a list, or a count of abstract nouns
    "中央单位政府采购制度改革将从政府采购预算管理、标准化建设、信息化建设、政策功能等4个方面实现新突破。",
    "积极开展国内相关配套改革”等四个坚持、实现四个突破。",
    "要充分利用国内和国际两种资源、两个市场",
    "推动一批项目尽快具备开工条件。",
]
NOUNS_WITHOUT_VALUE = [  # a measurable noun nobody set a value for
    "县级中医医院力争实现医疗服务能力达标率、中医类别医师占比达标率、二级甲等达标率等全面提升。",
    "工业和制造业占比稳步提高",
]
MEASURABLE = [  # checkable targets, several written without a number and a unit
    "力争外贸进出口总值翻一番。",
    "省级及以上开发区、高新区等存量工业用地总量不下降。”",
    "确保工业用地总量稳中有升；",
    "浙江提出制造业增加值占生产总值比重稳定在1/3左右",
    "到2025年全省制造业比重“由2020年的32.7%提高至33.3%左右”。",
    "居民主要健康指标达到全国中上水平。",
    "力争人均预期寿命达81.2岁。",
    "累计实际利用外资1000亿美元",
    "推动酒泉阳关玉门关、临夏古生物化石、张掖马蹄石窟群创建5A级景区。",
    "黄河干流宁夏段水质稳定保持Ⅱ类进出",
    "力争实现每个地市都有三甲医院",
    "确保完成全年目标任务。",
    "全面完成工业园区转供电改造",  # completion of a whole set: done or not done
    "努力实现政府采购全流程电子化操作",
    "目标是在2030年碳达峰、2060年碳中和。",
    "用3年时间完成老旧小区改造",  # a horizon with a done/not-done outcome is a deadline that checks
    "今后五年，城镇新增就业5000万人",  # the horizon leaves the real target counted
    "力争3年内建成投运",  # a span of years with a done/not-done outcome checks
    "不动产登记5个工作日内办结",  # a service time limit is a target, not a horizon
]
STAYS_VAGUE = [  # a published-sounding level that names no figure
    "重要发展指标达到国际领先水平",
    "到2025年，山东将基本建成制造强省",
]


@pytest.mark.parametrize("text", HORIZONS + NON_TARGET_COUNTS + NOUNS_WITHOUT_VALUE + STAYS_VAGUE)
def test_goals_without_a_target_are_vague(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague, (text, vagueness.target_quantities(text))
    assert "无量化指标" in r.reasons


@pytest.mark.parametrize("text", MEASURABLE)
def test_checkable_goals_are_not_vague(text: str) -> None:
    assert not vagueness.review(text).vague, text


def test_a_horizon_is_a_deadline_not_a_target() -> None:
    text = "力争用3至5年把上海打造成为具有全球引领性的金融科技中心"
    assert vagueness.horizons(text) == ["5年"]
    assert vagueness.target_quantities(text) == []
    assert "无完成时限" not in vagueness.review(text).reasons
    # goal detection still sees the number with its unit
    assert vagueness.quantities(text) == ["5年"]


def test_a_bare_year_is_a_deadline_only_before_an_outcome_reached_by_then() -> None:
    """corpora/goals/deadlines.txt: 在2030年 dates 碳达峰, not 推进改革; a service limit and a
    recurring date are deadlines too."""
    assert vagueness.review("在2030年碳达峰").reasons == []
    assert "无完成时限" in vagueness.review("在2030年推进改革").reasons
    assert "无完成时限" not in vagueness.review("3个工作日内办结").reasons
    assert vagueness.review("每季度公开一次").reasons == ["无量化指标"]
    assert vagueness.horizons("力争用3个月时间完成整治") == ["3个月"]  # 月 is a span unit


def test_a_counted_list_keeps_other_quantities() -> None:
    text = "河北省将投资约1000亿元，重点建设水利等4个方面"
    assert vagueness.target_quantities(text) == ["1000亿元"]


def test_a_rate_noun_is_no_cue_but_reaching_the_standard_is() -> None:
    assert not vagueness.has_target_cue("达标率全面提升")
    assert vagueness.has_target_cue("污水处理全面达标")
    assert vagueness.has_counter_cue("达标率全面提升")  # goal detection's cue is unchanged


def test_the_bench_scores_every_labelled_goal_clause_of_a_batch() -> None:
    pairs = vague_eval.clause_pairs("batch18", vague_eval.is_vague)
    assert len(pairs) == sum(1 for r in vague_eval.goal_clauses("batch18"))
    assert {gold for _, gold, _ in pairs} == {True, False}
    total, kinds = vague_eval.tallies(pairs)
    assert total.n == len(pairs) and sum(t.n for t in kinds.values()) == total.n
    # batches 19-20 are seen since session 8; the later blind batches are never read here
    assert {"batch19", "batch20"} <= set(vague_eval.BATCHES)
    blind = {f"batch{n}" for n in range(goal_model.LAST_TRAINED_BATCH + 1, goal_model.LAST_TRAINED_BATCH + 10)}
    assert not blind & set(vague_eval.BATCHES)


def test_the_goal_pipeline_flags_a_horizon_goal_and_keeps_a_doubling_goal_checkable() -> None:
    """Through goal extraction, as the API reports goals: each goal carries the review of its own text."""
    from ingest.document import Document, Page
    from nlp import goals

    text = ("国务院印发规划。我国将用15年时间，基本建成覆盖城乡的现代公共文化服务体系。"
            "到2030年，力争外贸进出口总值翻一番。")
    document = Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=text,
                        pages=[Page(1, 0, len(text))])
    found = {g.text: g for g in goals.extract(None, document)}  # type: ignore[arg-type]
    horizon = next(g for t, g in found.items() if "15年" in t)
    doubling = next(g for t, g in found.items() if "翻一番" in t)
    assert horizon.vague and "无量化指标" in horizon.reasons
    assert not doubling.vague
