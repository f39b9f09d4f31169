"""The vague-goal review, helper vague19 (session 18): causes of the errors on a fresh set labelled before the review ran on it
(``corpora/goals/eval_labels_vague19.jsonl``, 26 public pages no earlier file used).

* a checkable zero of casualties or failures (不死人, 人员不伤亡, 水库不出险, 堤防不决口);
* a numbered grade of a published standard reached (稳定达到二级标准以上);
* a return to a past level (恢复到灾前水平);
* a level a county or an assigning body requires, reached (均达到县委、县政府要求);
* a service connected or a facility opened by a date (到2020年…通客车, 于2020年开办), a festival as the due point (春节前开工);
* the figures in digits of a quoted statement count (按照“今年…增长8%左右); a slogan's counts in words stay names;
* a schooling stage named by its years (学前三年教育) and an age range before 早期 (0-3岁早期教育) are names, no targets.

Each case is a goal clause as the set has it (its document named), judged through ``vagueness.review``; every case of
NOW_* was called the other way before this helper, every guard is called the same before and after.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

NOW_MEASURABLE_S19 = [  # g in the vague19 labels, vague before this helper
    "确保“不死人、少伤人、少损失”的总目标。",  # plan2020_water_bureau_city
    "实现“人员不伤亡、水库不出险、重要堤防不决口、重要基础设施不受冲击”",  # plan2024_ningbo_water_work
    "空气质量稳定达到二级标准以上",  # gwr2025_xianyang_outline
    "確保水毀設施防洪能力恢復到災前水平並有所提升。",  # news2024_water_new_year_targets (traditional script)
    "其他各项目标任务均达到县委、县政府要求。",  # plan2024_jingwuzhou_town
    "到2020年具備條件的建制村要通客車。",  # news2018_rural_roads_minister_big5
    "鹽港園、教科院園、成坑村園(均為暫定名)等多所公辦幼兒園將于2020年開辦",  # news2019_yantian_kindergarten_places
    "力争春节前开工。",  # plan2025_tongzhou_water_bureau
    "按照“今年农村居民人均可支配收入增长8%左右",  # news2025_tianshui_poverty: the quote's closing mark is in the next clause
]

NOW_MEASURABLE_S19B = [  # g in the second fresh set (vague19b), vague before its two rules
    "达到全市前3水平。",  # plan2023_dongtou_sci_tech_scheme: a numbered rank as a level
    "全区高新技术企业和科技型企业在2022年的基础上实现“双倍增”",  # qa2023_wansheng_high_tech_doubling
    "经济总量实现倍增",  # gwr2026_guangdong (dev document, outside the labels): doubling, as 翻一番
]

NOW_VAGUE_S19 = [  # v in the vague19 labels, measurable before this helper
    "全面普及学前三年教育。",  # law2005_hangzhou_preschool_opinion
    "基本形成0-3岁早期教育体制。",  # law2005_hangzhou_preschool_opinion
]

STAY_VAGUE_S19 = [  # v in the labels (set or batch named), or a dev document's goal outside them
    "达到全市前列。",  # vague19b plan2023_dongtou_sci_tech_scheme: an unnumbered rank
    "进一步促使外贸破零倍增;",  # vague19b news2015_hengyang_commerce_targets: 倍增 as a campaign's name
    "守牢“不发生规模性返贫致贫”“1”条底线",  # vague19 news2025_tianshui_poverty: a count in a closed quote is a name
    "确保过渡期圆满收官",  # vague19 news2025_tianshui_poverty
    "落实汛期临灾预警叫应机制",  # batch 31: the flood season named, no due point
    "对照年初计划和目标要求",  # batch 34: a requirement followed, not reached
    "坚决落实过紧日子要求",  # batches 21 and 29
    # gwr_national_1958_boyibo (outside the labels): a slogan in quotes over a comma, its count in words
    "就是要时刻注意发现先进的事物，认真总结和推广先进经验，采取“抓住先进和落后两头，带动中间”的方法，切实地帮助落后单位，赶上先进，"
    "使先进单位更加先进",
]

STAY_MEASURABLE_S19 = [  # g in the vague19 labels, measurable before and after
    "5岁以下儿童生长迟缓率控制在5%以下;",  # news2021_child_health_action_targets: the age names the group, the 5% stays
    "城市受训率达到90%以上",  # law2005_hangzhou_preschool_opinion
    "北京市將在汛前完成14座水庫、223千米堤防水毀工程修復",  # news2024_water_new_year_targets
    "单位GDP能耗完成省下达的任务。",  # news2024_jingzhou_county_targets
]


@pytest.mark.parametrize("text", NOW_MEASURABLE_S19 + NOW_MEASURABLE_S19B)
def test_now_measurable(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert "无量化指标" not in r.reasons


@pytest.mark.parametrize("text", NOW_VAGUE_S19 + STAY_VAGUE_S19)
def test_vague(text: str) -> None:
    assert vagueness.review(text).vague, text


@pytest.mark.parametrize("text", STAY_MEASURABLE_S19)
def test_stay_measurable(text: str) -> None:
    assert not vagueness.review(text).vague, text


def test_reasons_cite_the_goals_own_words() -> None:
    # a traditional-script goal read through the simplified view: the vague word is cited as the text writes it
    r = vagueness.review("到2020年鄉以上的危路要全面進行改造")
    assert r.vague
    assert all(w in "到2020年鄉以上的危路要全面進行改造" for w in r.vague_words), r.vague_words


def test_quantities_unchanged_for_detection() -> None:
    # the quoted statement's figure counts for the review only; goal detection's quantities() still skips quoted text
    text = "按照“今年农村居民人均可支配收入增长8%左右"
    assert vagueness.quantities(text) == []
    assert vagueness.target_quantities(text) == ["8%"]
    # names read by the review only: quantities() keeps them as before
    assert vagueness.quantities("全面普及学前三年教育。") == ["三年"]
    assert vagueness.target_quantities("全面普及学前三年教育。") == []
