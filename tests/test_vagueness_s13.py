"""The vague-goal review, session 13: general mechanisms read off the errors of batches 1-30 and kinds12.

* a goal in traditional characters is reviewed as its simplified view (年度計劃投資440.07億元 has a
  quantity), and the vague words it cites are written as the goal writes them (進一步);
* a set target completed in either order (完成整改任务, 各项目标任务圆满完成), not 完成好;
* part of a month is a date (10月中旬前), and a rectification by such a date (整改到位) is checkable.

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


@pytest.mark.parametrize("text", SET_TARGETS_S13)
def test_a_set_target_or_a_dated_rectification_is_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)


@pytest.mark.parametrize("text", STAY_VAGUE_S13)
def test_doing_well_an_undated_rectification_and_a_review_noun_stay_vague(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague and "无量化指标" in r.reasons, (text, r.reasons)


def test_part_of_a_month_is_a_deadline_not_a_quantity() -> None:
    text = "在10月中旬前将全部问题整改到位"
    assert vagueness.target_quantities(text) == []
    assert "无完成时限" not in vagueness.review(text).reasons
    assert vagueness.quantities(text) == ["10月"]  # goal detection still sees the number
    assert vagueness.target_quantities("工期缩短2个月") == ["2个月"]
