"""The vague-goal review, helper vague18 (session 17): causes of the vague errors of batches 39-42 (retired to development data).

* the year's target set reached, the set first (确保全年目标圆满实现), and 任务目标 as a set target after 完成;
* a numbered rank reached (挺进全省十强县（市）); unnumbered ranks (走在前列) stay vague;
* an external examination passed after a word of commitment (确保“一次性通过复审”);
* a deadline named by a time limit (在…整改完成时限前) or 限期 a few characters before the outcome, and 完毕 as the
  outcome (限期按照创国卫标准整改完毕);
* 24小时 before a duty names round-the-clock work, no quantity (24小时值班); opening hours keep theirs;
* a count of buildings (所, 座) after a list is the number of works (小学等8所学校建设); aspects and areas stay counts
  restating a list.

Each case is a goal text as a labelled batch has it (batch named), judged through ``vagueness.review``; every case of
NOW_* was called the other way before this helper, every guard is called the same before and after.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

NOW_MEASURABLE_S18 = [  # g in the labels, vague before this helper
    "对2015年全区经济工作会议工作报告的目标任务进行分解，要求各责任单位和责任人领回任务，细化措施，确保全年目标圆满实现",  # 41
    "全区上下要提高主动性和责任意识，再接再厉、加压鼓劲，确保完成各项任务目标",  # 42
    "挺进全省十强县（市）。",  # 41
    "各级各部门要提高站位，深刻认识国家卫生城市复审工作的重要意义，进一步增强工作责任感、紧迫感，坚决克服麻痹思想和松懈心理，"
    "下硬茬、用重拳、出实招，确保“一次性通过复审”",  # 42
    "市级验收责任单位要在市级整改方案明确的整改完成时限前，高质量完成市级自行验收工作",  # 41
    "限期按照创国卫标准整改完毕；",  # 41
    "限期整改完毕。",  # 41
    "推进虹桥商务区小学等8所学校建设",  # 41
]

NOW_VAGUE_S18 = [  # v in the labels, measurable before this helper
    "要加强应急值班值守，严格落实领导带班、24小时值班、火情信息报送和监测热点核查等应急值守制度，全力维护安全稳定社会环境",  # 39
]

STAY_VAGUE_S18 = [  # v in the labels: purposes, time limits with no due point, unnumbered ranks, restated lists
    "为实现全年目标任务打下坚实基础。",  # 40
    "为完成全年目标奠定坚实基础。",  # 34
    "明确整改时限",  # 32
    "全市各相关部门要严格按要求、按时限",  # 40
    "确保各项工作走在全市前列。",  # 31
    "力争各项主要经济指标进入全市第一方阵。",  # 31
    "中央单位政府采购制度改革将从政府采购预算管理、标准化建设、信息化建设、政策功能等4个方面实现新突破。",  # 16
    "深圳将扎实推进深圳湾超级总部基地、香蜜湖新金融中心、北站国际商务区、笋岗-清水河片区、光明科学城中心区、空港新城、"
    "盐田临港产业带、坪山燕子湖、坝光国际生物谷等20个重点片区规划建设",  # 15
]

STAY_MEASURABLE_S18 = [  # g in the labels, or a dev document's goal outside them
    "确保完成全年目标任务。",  # 15
    "徐泾南部九年一贯制学校、世外高中等10所学校投入使用",  # 41
    "经济开发区、高新技术产业开发区各有2家进入全国前十强",  # 9
    "有序推动公园24小时开放",  # gwr2026_shanghai_excerpt (outside the labels): opening hours keep their figure
    "确保实现全年目标任务。",  # 33
]

NOW_MEASURABLE_UNLABELLED_S18 = [  # dev documents' goals outside the labels, vague before this helper
    # gwr2026_hunan: a numbered rank held
    "统筹教育强省、科技强省、人才强省建设，推动国家实验室体系、大科学装置取得突破性进展，区域创新能力保持全国前十",
]

STAY_VAGUE_UNLABELLED_S18 = [  # the year's target as an attribute (news2025_mof_minister_npc_press_big5, traditional)
    "既充分考慮實現年度預期目標的需要,又著力增強中長期發展的動能,體現了宏觀調控的針對性和前瞻性",
]


@pytest.mark.parametrize("text", NOW_MEASURABLE_S18 + STAY_MEASURABLE_S18 + NOW_MEASURABLE_UNLABELLED_S18)
def test_set_targets_ranks_passes_time_limits_and_works_are_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert all(w in text for w in r.vague_words)  # reasons cite only the goal's own words


@pytest.mark.parametrize("text", NOW_VAGUE_S18 + STAY_VAGUE_S18 + STAY_VAGUE_UNLABELLED_S18)
def test_duty_names_purposes_unnumbered_ranks_and_restated_lists_are_vague(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague and "无量化指标" in r.reasons, (text, r.reasons)
    assert all(w in text for w in r.vague_words)


def test_round_the_clock_duty_keeps_its_quantity_for_goal_detection() -> None:
    # the name rule is the review's: goal detection still reads every number with a unit
    text = "严格落实领导带班、24小时值班"
    assert vagueness.quantities(text) == ["24小时"]
    assert vagueness.target_quantities(text) == []
