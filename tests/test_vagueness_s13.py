"""The vague-goal review, session 13: general mechanisms read off the errors of batches 1-30 and kinds12.

* a goal in traditional characters is reviewed as its simplified view (年度計劃投資440.07億元 has a
  quantity), and the vague words it cites are written as the goal writes them (進一步);
* a set target completed in either order (完成整改任务, 各项目标任务圆满完成), not 完成好;
* part of a month is a date (10月中旬前), and a rectification by such a date (整改到位) is checkable;
* a standard or a requirement is a level only when the clause reaches it (达到国家要求), not a directive
  implemented (落实省委工作要求); 全覆盖 only as a state reached, not as an attribute (全覆盖的…体系) or inside
  健全; a comparator sign only before a number (not < 红河州…制度> quoting a title);
* a bound (控制在, 不低于, 至少) is a level only with what it bounds by: a number, a set figure, a baseline
  or another growth (not 控制在可以承受的范围内).

Each case is a goal text as the labels have it (batch named), judged through ``vagueness.review``.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

TRADITIONAL = [  # numbers with units written in traditional characters: g in the labels
    "年度計劃投資440.07億元",  # batch 29
    "糧食産量1.3萬億斤以上；",  # batch 29
    "通過土地整治補充耕地2000萬畝；",  # batch 30
    "經整治的基本農田質量平均提高1個等級。",  # batch 30
    "全國一般公共預算支出計劃為29.7萬億元",  # kinds12
]


@pytest.mark.parametrize("text", TRADITIONAL)
def test_a_traditional_goal_is_reviewed_as_its_simplified_view(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert not r.vague_words or all(w in text for w in r.vague_words)


def test_a_traditional_goal_cites_its_vague_words_as_written() -> None:
    r = vagueness.review("進一步加強監督管理")
    assert r.vague
    assert r.vague_words and all(w in "進一步加強監督管理" for w in r.vague_words)
    assert any(w.startswith("進") for w in r.vague_words)
    simplified = vagueness.review("进一步加强监督管理")
    assert r.vague == simplified.vague and len(r.reasons) == len(simplified.reasons)

SET_TARGETS_S13 = [  # a set target completed, in either order: g in the labels
    "不折不扣的完成整改任务",  # kinds12 (a rectification list is a set target)
    "按照既定的整改时间表、路线图完成整改任务。",  # kinds12
    "以务实举措确保各项目标任务圆满完成",  # batch 30 (the set first, its completion after)
    "在10月中旬前将全部问题整改到位",  # kinds12 (a month deadline and a done/not-done rectification)
    "6月30日前完成整改",  # a month deadline with a completion
]
STAY_VAGUE_S13 = [
    "要齐心协力把全国住房城乡建设会议提出的各项目标任务完成好",  # batch 19: 完成好, do well
    "确保“立行立改”的问题整改到位",  # kinds12: rectified, no date
    "2023年目标任务完成情况",  # a review noun
    "各项目标任务基本完成",  # hedged
]




def test_part_of_a_month_is_a_deadline_not_a_quantity() -> None:
    text = "在10月中旬前将全部问题整改到位"
    assert vagueness.target_quantities(text) == []
    assert "无完成时限" not in vagueness.review(text).reasons
    assert vagueness.quantities(text) == ["10月"]  # goal detection still sees the number
    assert vagueness.target_quantities("工期缩短2个月") == ["2个月"]


REQUIREMENTS_REACHED = [
    "能源、水资源、碳排放等指标达到国家要求。",  # batch 6
    "出水水质符合国家标准",
    "做到省级环保督察市州全覆盖。",  # batch 10
    "实现绩效自评全覆盖",  # batch 29
    "维护社会稳定 | ≥ | 95 | % | 10 | 正向指标",  # a table row's comparator cell before its value
]
DIRECTIVES_AND_ATTRIBUTES = [
    "确保党中央决策部署及省委工作要求落地见效",  # 2026 Anhui report (bench corpus)
    "认真落实省委要求",  # 2026 Jiangsu report (bench corpus)
    "企业要转变观念，使生产经营和内部管理适应市场的要求",  # 1998 national report: 市场, no government's
    "以构建全方位、全过程、全覆盖的绩效管理体系为目标",  # kinds12
    "健全覆盖全人群、全生命周期的人口服务体系",  # 2026 Hunan report (bench corpus)
    "部门应严格执行《红河州生态环境局关于印发< 红河州生态环境局财务管理制度(试行)>的通知》的相关要求",  # batch 12
]



@pytest.mark.parametrize("text", DIRECTIVES_AND_ATTRIBUTES)
def test_goal_detection_still_sees_the_cue_the_review_sets_aside(text: str) -> None:
    assert vagueness.has_counter_cue(text)  # the condition is the review's only


@pytest.mark.parametrize("text", TRADITIONAL + SET_TARGETS_S13 + STAY_VAGUE_S13 + DIRECTIVES_AND_ATTRIBUTES)
def test_reasons_cite_only_words_of_the_goal_itself(text: str) -> None:
    r = vagueness.review(text)
    for w in r.vague_words:
        assert w in text
    for reason in r.reasons:
        for w in reason.partition(vagueness.WORDS_SEP)[2].split("、"):
            assert not w or w in text


BOUNDS = [
    "“四化”等政府投资基金支持民间投资项目的资金占比不低于50%。",  # s7 sample
    "节能减排指标控制在省定目标内。",  # s8 sample
    "确保居民收入增速不低于经济增速",  # 2026 report (bench corpus): tied to another growth
    "确保零就业家庭至少一人就业",  # 2026 Shanxi report (bench corpus)
]
FIGURELESS_BOUNDS = [
    "仍控制在可以承受的范围内。",  # batch 3
    "努力做到不超过各方面的承受能力",  # 1988 national report (bench corpus)
    "居民消费价格总水平丈夫控制在累右",  # batch 28 (OCR-garbled: the figure is lost)
]


@pytest.mark.parametrize("text", SET_TARGETS_S13 + REQUIREMENTS_REACHED + BOUNDS)
def test_set_targets_dated_rectifications_standards_reached_and_bounded_figures_are_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague and "无量化指标" not in r.reasons, (text, r.reasons)


@pytest.mark.parametrize("text", STAY_VAGUE_S13 + DIRECTIVES_AND_ATTRIBUTES + FIGURELESS_BOUNDS)
def test_doing_well_directives_attributes_brackets_and_figureless_bounds_check_nothing(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague and "无量化指标" in r.reasons, (text, r.reasons)
