"""The vague-goal review, session 17: what makes a count or a whole-set cue checkable, read from the goal's own text.

* a hedged verb of reaching (基本实现, 基本完成, 初步达到: hedges.txt x hedged_reaches.txt) governing a cue of its
  clause makes the whole set or task the cue names uncheckable (力争…基本实现…全覆盖); a hedge before a number or on a
  comparator (基本同步) does not, and an unhedged verb later in the clause governs its own cue (…、实现…翻一番);
* a small count written in words (两个, 三项, 四个) before a noun names a set (两个特别行政区, 三项基本社会保险,
  两项整改工作), no amount to reach, unless a verb of making or adding stands right before it (进行一到二次…清理);
* 三次产业 and 九年义务教育 are names, no count and no span;
* a template's masked figure with its unit (20xx亩) is a quantity the filled-in text will carry.

Each case is a goal text as a labelled batch has it (batch named), judged through ``vagueness.review``; every vague
case was called measurable before this session, every guard is measurable before and after.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

NOW_VAGUE_S17 = [  # v in the labels, measurable before this session
    "力争具备条件的县级行政区基本实现农村客货邮融合发展全覆盖,",  # sample s8: hedged whole set
    "中央政府将继续全力支持香港、澳门两个特别行政区政府和行政长官依法施政",  # batch 3: a set restated
    "力争三项基本社会保险参保人员数稳步提高",  # batch 23: the count names the insurances
    "以更大格局推动三次产业高质量协同发展",  # batch 23: 三次产业 is a name
    "强链”三个要点",  # batch 26: a slogan's points
    "各部门单位仍需盯紧盯牢两项整改工作",  # kinds12: work counted, no amount to reach
    "因地制宜地实施九年义务教育",  # gwr_national_1988 (a dev document outside the labels): a name
]

STAY_MEASURABLE_S17 = [  # g in the labels, or a guard of the new rules
    "实现医疗与养老机构合作全覆盖。",  # batch 10: an unhedged whole set
    "居民收入增长与经济增长基本同步；",  # batch 10: a hedge on a comparator
    "年内基本建成保障房480万套",  # batch 1: a hedge before a number
    "并根据需要进行一\n到二次法规清理。",  # batch 3: a count after a verb of doing (a PDF line break inside)
    "确保问题整改见底清零。",  # batch 32: an unhedged zero
    "重点打造好20xx亩石榴园和20xx亩竹柳基地",  # batch 36: a template's masked figures
    "要使全国80％以上的人口地区普及九年义务教育",  # gwr_national (dev, outside the labels): the share stays
    # an unhedged 实现 governs the cue after it (gwr2026_guangxi, a dev document outside the labels)
    "为确保与全国同步基本实现社会主义现代化、实现2035年人均地区生产总值比2020年翻一番打好基础",
]


@pytest.mark.parametrize("text", NOW_VAGUE_S17)
def test_hedged_whole_sets_and_counts_naming_a_set_are_vague(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague and "无量化指标" in r.reasons, (text, r.reasons)
    assert all(w in text for w in r.vague_words)  # reasons cite only the goal's own words


@pytest.mark.parametrize("text", STAY_MEASURABLE_S17)
def test_unhedged_sets_hedged_numbers_comparators_and_counts_of_doing_stay_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert all(w in text for w in r.vague_words)


def test_a_set_count_keeps_its_quantity_for_goal_detection() -> None:
    # the rule is the review's: goal detection still reads every number with a unit
    assert vagueness.quantities("各部门单位仍需盯紧盯牢两项整改工作") == ["两项"]
    assert vagueness.target_quantities("各部门单位仍需盯紧盯牢两项整改工作") == []
    assert vagueness.target_quantities("新建两所学校") == ["两所"]


def test_a_masked_year_is_no_quantity() -> None:
    assert vagueness.target_quantities("依照《20xx年度重大公共卫生服务项目》") == []
    assert vagueness.target_quantities("重点打造好20xx亩石榴园") == ["20xx亩"]
