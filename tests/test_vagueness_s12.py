"""The vague-goal review, session 12: four general mechanisms read off the errors of batches 21-28.

* reaching a set target (完成/实现 … 目标任务, the year's task, a quota) is a tie to a published figure;
* a level held against last year's (与上年持平) or tied to a published target (与…目标保持衔接);
* every member reaching a done/not-done state (全部脱贫) is checkable, a noun after 全部 is not;
* quantities that are no targets: a count naming a plan's own list, an age naming a group;
* a standard or requirement inside a frame (按照…要求) is guidance, not a level to reach, and 同步
  ties only growths (居民收入增长与经济增长同步, not 与全国同步基本实现现代化);
* a building's milestone by a date (年内…封顶), a concentration (33微克/立方米) and a ratio (2.1∶1) check.

Each case is a goal text as the labels have it (batch named), judged through ``vagueness.review``.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

SET_TARGETS = [  # reaching a set target, named: g in the labels
    "努力实现全面建成小康社会目标任务；",  # batch 25
    "努力完成全年收入任务。",  # batch 21
    "完成单位生产总值能耗、化学需氧量、二氧化硫、氨氮、氮氧化物等年度节能减排任务。",  # batch 28
    "高质量完成“十四五”规划目标任务",  # batch 19 (the older rule, kept)
]
BASELINES = [
    "居民收入增长与经济发展同步。",  # batch 4: 同步 of two growths stays a tie
    "实现居民收入增长和经济发展同步、劳动报酬增长和劳动生产率提高同步",  # batch 16
    "地方一般公共预算收入与上年基本持平",  # batch 22
    "居民消费价格指数与国家价格调控目标保持衔接",  # batch 23
]
UNWRITTEN_BEFORE = [  # a structural milestone by a date, a concentration, a ratio
    "年内县医院医技楼、门诊楼封顶;",  # batch 24
    "力争PM2.5浓度下降到33微克/立方米左右",  # 2026 Hunan report (bench corpus)
    "城乡居民收入比缩小至2.1∶1左右",  # 2026 Chongqing report (bench corpus)
    "固定资产投资增速保持在全国平均水平以上",  # 2026 Shaanxi report (bench corpus)
]
WHOLE_SETS = [
    "现行标准下农村贫困人口全部脱贫、贫困县全部摘帽。",  # batch 25
    "2005年底前注册营运的黄标车今年要全部淘汰",  # 2015 national report (bench corpus)
]
STAY_VAGUE = [
    "基本完成5G宏站建设任务。",  # a hedged work task (batch 17)
    "为完成“十五五”规划目标任务打下坚实基础",  # a purpose the goal serves
    "在增产节约运动中热情奉献自己的聪明才智和全部力量",  # a noun after 全部
    "今年投资工作将重点聚焦“十四五”规划102项重大工程",  # a count naming a plan's list (batch 22)
    "对照《政府工作报告》125项具体分解指标任务",  # a count naming a document's list (batch 23)
    "将0至6岁儿童、65岁以上老年人、孕产妇列为重点人群",  # ages naming groups (batch 28)
    "按照省委十一届三次全会和省委经济工作会议要求，全面深化改革开放",  # a frame (batch 24)
    "主体结构封顶",  # a milestone with no date
    "确保新疆与全国同步基本实现社会主义现代化",  # 同步 of no growth (2026 Xinjiang report, bench corpus)
    "坚持走以人为本、四化同步、优化布局、生态文明、传承文化的新型城镇化道路",  # 2014 national report
    "我们要加速实现社会主义的四个现代化",  # counts of abstract nouns (1978 national report, bench corpus)
    "更好地调动中央和地方两个积极性",  # 2012 national report (bench corpus)
    "汽车产业重点抓好整车制造、关键部件配套、智能网联配套服务三条主线",  # 2026 Tianjin report
    "会议于10:30召开",  # a clock time is no ratio
    "各级政府都要按照发展社会主义市场经济的要求，认真转变职能",  # a frame (1996 national report)
]


@pytest.mark.parametrize("text", SET_TARGETS + BASELINES + WHOLE_SETS + UNWRITTEN_BEFORE)
def test_ties_to_a_set_target_a_baseline_or_a_whole_set_are_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert "无量化指标" not in r.reasons


@pytest.mark.parametrize("text", STAY_VAGUE)
def test_frames_purposes_names_and_group_ages_check_nothing(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague, (text, vagueness.target_quantities(text))
    assert "无量化指标" in r.reasons


@pytest.mark.parametrize("text", SET_TARGETS + BASELINES + WHOLE_SETS + STAY_VAGUE)
def test_reasons_cite_only_words_of_the_goal_itself(text: str) -> None:
    for w in vagueness.review(text).vague_words:
        assert w in text


def test_an_age_to_reach_stays_a_target_and_a_frame_leaves_the_standard_reached() -> None:
    assert vagueness.target_quantities("人均预期寿命达到79岁") == ["79岁"]
    assert vagueness.target_quantities("65岁以上老年人健康管理率达到70%") == ["70%"]
    assert not vagueness.review("能源、水资源、碳排放等指标达到国家要求。").vague  # batch 6
    assert vagueness.has_target_cue("水质符合国家标准")
    assert not vagueness.has_target_cue("按照国家标准")
    # goal detection's cue is unchanged: the frame is the review's call only
    assert vagueness.has_counter_cue("按照国家标准")


def test_a_count_of_counties_stays_a_target_beside_an_abstract_count() -> None:
    assert vagueness.target_quantities("新建5个现代化大农业全链条样板县") == ["5个"]
    assert vagueness.target_quantities("实现四个现代化") == []


def test_a_plan_list_count_leaves_the_targets_beside_it() -> None:
    text = "实施“十四五”规划102项重大工程，完成投资500亿元"
    assert vagueness.target_quantities(text) == ["500亿元"]
    assert vagueness.quantities(text) == ["102项", "500亿元"]  # goal detection still sees both


def test_the_goal_pipeline_reviews_a_set_target_goal_as_measurable() -> None:
    """Through goal extraction, as the API reports goals: the review of the goal's own text."""
    from ingest.document import Document, Page
    from nlp import goals

    text = "财政部召开会议。会议要求，要大力支持税务、海关部门依法征管，确保完成全年收入任务。"
    document = Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=text,
                        pages=[Page(1, 0, len(text))])
    found = [g for g in goals.extract(None, document) if "收入任务" in g.text]  # type: ignore[arg-type]
    assert found and not found[0].vague
    assert all(w in found[0].text for r in found[0].reasons for w in r.partition(vagueness.WORDS_SEP)[2].split("、") if w)


def test_ascii_clause_marks_end_a_clause_as_full_width_ones_do() -> None:
    """A news page's ASCII comma ends a cue's clause (省…要求 does not span it); digits keep their separator."""
    full, ascii_ = "支持市里，加快制定标准", "支持市里,加快制定标准"
    assert vagueness.review(full).vague and vagueness.review(ascii_).vague
    assert vagueness.review(ascii_).reasons == vagueness.review(full).reasons
    assert not vagueness.review("完成投资4,399万元").vague
