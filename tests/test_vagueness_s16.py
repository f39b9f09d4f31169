"""The vague-goal review, session 16: general causes read off the errors of batches 29-36 and kinds12.

* the completion of an assigned task (完成…任务, 任务…完成, 整改工作…完成) is done or not done, as batches 27 and
  29-36 label it, unless hedged (基本完成), a purpose (为完成…) or 完成好;
* a checkable zero (不发生…火灾/事故), the half-year target (双过半), a published average exceeded
  (高于全省平均水平) and a magnitude class (千亿级) are targets without a number and a unit;
* a magnitude with 左右 and its counted noun after it (1亿左右农业转移人口) is a quantity;
* a count after a document's kind (工作要点36条) names its items, no target, as 规划102项;
* 按期 / 限时 right before a done/not-done outcome is a deadline (按期整改到位), not as a rule's attribute.

Each case is a goal text as the labels have it (batch named), judged through ``vagueness.review``.
Every measurable case was called vague before this session.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

MEASURABLE_S16 = [  # g in the labels
    "高质量完成脱贫攻坚任务",  # batch 31
    "不折不扣完成各阶段工作任务",  # batch 31
    "确保各项既定任务限时完成。",  # batch 31
    "实现整改工作完成并销号的目标。",  # batch 31
    "确保整改工作高质量完成。",  # batch 31
    "完成2016年清潔鄉村考核任務",  # batch 33 (traditional)
    "圆满完成今年财政工作任务",  # batch 33
    "确保各项目标任务保质保量完成。",  # batch 34
    "确保各项任务目标有效完成。",  # batch 36
    "确保保质保量、不折不扣完成。",  # batch 36 (the object is the sentence's subject)
    "坚决确保不发生较大以上森林火灾",  # batch 35
    "确保不发生因森林火灾造成的人员伤亡事故",  # batch 35
    "确保各项工作齐头并进、顺利实现“双过半”",  # batch 32
    "全力冲刺“双过半”。",  # batch 34
    "主要经济指标增幅普遍高于全省平均水平。",  # batch 35
    "奋力打造千亿级示范区。",  # batch 35
    "确保所有问题按期整改到位。",  # batch 33
    "实现1亿左右农业转移人口和其他常住人口在城镇落户",  # batch 1 (a magnitude, its noun after 左右)
]

STAY_VAGUE_S16 = [  # v in the labels, or guards of the new cues
    "基本完成5G宏站建设任务。",  # batch 17: hedged
    "为完成全年目标任务打下坚实基础。",  # batch 32: a purpose
    "要齐心协力把全国住房城乡建设会议提出的各项目标任务完成好",  # batch 19: do well
    "把整改工作作为近期一项重点工作来完成",  # kinds12: work named as a priority
    "切实落实分管领域整改任务。",  # batch 33: implementing, no completion
    "守牢不发生系统性区域性重大风险底线。",  # batch 31: a risk is no countable event
    "研究完善非公司经营主体依法按期出资的管理制度",  # batch 18: 按期 is a rule's attribute
    "碳达峰战略目标如期实现。",  # batch 1: 如期 is no deadline
    "按照2023年区财政工作要点36条安排",  # batch 35: a count of a document's own points
    "各项目标任务基本完成",  # hedged, the set first
    # a bare, historic or new task, or a task as an attribute: sentences of dev documents outside the labels
    "稳步地完成这个重大的历史任务",  # gwr_national_1981
    "支持军队完成各项任务",  # gwr_national_1994
    "要完成新阶段的发展任务",  # gwr_national_2006
    "不断提高以打赢信息化条件下局部战争能力为核心的完成多样化军事任务的能力",  # gwr_national_2011
    "为了确保目标的完成，浙江省在土地、项目审批、财税金融等提出了多项支持政策",  # news2021 (a purpose)
]


@pytest.mark.parametrize("text", MEASURABLE_S16)
def test_completions_zeros_named_targets_and_set_deadlines_are_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert "无量化指标" not in r.reasons
    assert all(w in text for w in r.vague_words)  # reasons cite only the goal's own words


@pytest.mark.parametrize("text", STAY_VAGUE_S16)
def test_hedged_purposes_work_priorities_risks_and_attributes_stay_vague(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague and "无量化指标" in r.reasons, (text, r.reasons)


def test_a_set_deadline_is_read_as_a_deadline() -> None:
    assert "无完成时限" not in vagueness.review("确保所有问题按期整改到位。").reasons
    assert "无完成时限" in vagueness.review("确保“立行立改”的问题整改到位").reasons  # kinds12 v, no date


def test_loose_words_are_cited_as_the_goal_writes_them() -> None:
    text = "要进一步坚定信心，增强底气，确保各项任务目标有效完成"  # batch 36's sentence, shortened
    r = vagueness.review(text)
    assert not r.vague
    assert r.vague_words and all(w in text for w in r.vague_words)
