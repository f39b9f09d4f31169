"""The session-8 review mechanisms, each on real goal clauses of the labelled batches and of the
fresh sample (``corpora/goals/vague_sample_s8.jsonl``), with the label the clause carries there."""
from __future__ import annotations

import pytest

from bench import vague_eval
from nlp import vagueness

# a set target named and completed: g (batches 19, 20 and the s8 sample)
NAMED_TARGETS = [
    "高质量完成“十四五”规划目标任务。",
    "高质量完成“十四五”规划和三年行动目标任务",
    "●单位地区生产总值能耗完成“十四五”国家考核目标",
    "完成能耗强度降低和煤炭消费压减任务。",
    "高标准完成“三北”工程六期规划任务",  # bench corpus (Qinghai 2026), unlabelled
]
# a work task or a hedged completion: no set target, v (batch 17, batch 1)
NOT_SET_TARGETS = [
    "基本完成5G宏站建设任务。",
    "努力完成“基本解决执行难”工作目标。",
]
# comparators and limits written without a number: g
COMPARATORS = [
    "一般公共预算收入、固定资产投资保持正增长,",  # s8 sample (历城区)
    "确保西康、西十高铁、西安东站和府谷、定边机场建成投运。",  # batch 1
    "力争延安东绕城、洛卢高速公路建成通车。",  # batch 1
    "把农民负担严格限制在国家规定的范围内。",  # batch 1
    "保持广义货币供应量和社会融资规模增速同名义经济增速基本匹配",  # batch 19
    "接着又将在五年时间内使工业生产提高一倍",  # bench corpus (1955 report), unlabelled: a multiple in words
    "全面消除劣V类水体",  # a water-quality class in Latin letters, as 劣Ⅴ类
]
# a deadline with a done/not-done outcome of a project: g (s8 sample, 柘荣)
DEADLINE_OUTCOMES = [
    "力促闽参中药材、严孚医疗、人良健康等项目年内投产;",
    "推动标准化厂房二期、太子参小微园上半年投用;",
]
# numbers that are names or restate a list, and outcomes nobody can find not done: v
NOT_TARGETS = [
    "切实做好川藏铁路、引大济岷、天府机场二期等战略性重大项目资金保障;",  # s8: a phase, a name
    "接续办好15件重点民生实事。",  # s8: the count of the list that follows
    "按照省委十四届九次全会精神和“十五五”规划建议",  # batch 19: a session's ordinal
    "确保省十四届人大三次会议审议通过的省《政府工作报告》各项重点工作落地见效",  # batch 20
    "在九十年代初步建立起新的经济体制",  # batch 1: a decade, a hedged outcome
    # bench-corpus work reports (unlabelled): a completion a purpose serves, works in general, an attribute
    "力争经济发展实现“五个新突破”、整体工作实现“六个开新局”，为完成“十五五”规划目标任务打下坚实基础",
    "努力缩短建设周期，争取有更多的工程建成投产",
    "要抓好当年投产机组的配套和并网发电",
    "我们一定要加倍努力",  # no multiple
    "为到2035年建成“规模结构合理、设施品质优良、治理规范有效、运输服务优质”的农村公路交通运输体系,",  # s8
]


@pytest.mark.parametrize("text", NAMED_TARGETS + COMPARATORS + DEADLINE_OUTCOMES)
def test_checkable_without_a_number_and_unit(text: str) -> None:
    assert not vagueness.review(text).vague, text


@pytest.mark.parametrize("text", NOT_SET_TARGETS + NOT_TARGETS)
def test_no_target_is_vague(text: str) -> None:
    assert vagueness.review(text).vague, (text, vagueness.target_quantities(text))


def test_a_phase_is_a_name_but_phases_counted_are_a_target() -> None:
    assert vagueness.target_quantities("天府机场二期等战略性重大项目") == []
    assert vagueness.target_quantities("托管服务60期以上,") == ["60期"]  # s8 sample (璧山区), g
    assert vagueness.quantities("天府机场二期等") == ["二期"]  # goal detection still sees it


def test_a_decade_is_a_deadline() -> None:
    assert vagueness.horizons("在九十年代初步建立起新的经济体制") == ["九十年"]
    assert "无完成时限" not in vagueness.review("在九十年代初步建立起新的经济体制").reasons


def test_an_abstract_object_needs_its_own_target_but_a_road_does_not() -> None:
    built_system = "到2030年建成现代化综合交通运输体系"
    built_road = "到2027年建成沪渝蓉高铁武汉至宜昌段"
    assert vagueness.review(built_system).vague
    assert not vagueness.review(built_road).vague


def test_a_list_count_keeps_the_quantities_of_its_items() -> None:
    text = "接续办好15件重点民生实事。新开工改造城镇老旧小区3011万平方米。"  # s8 sample (重庆)
    assert vagueness.target_quantities(text) == ["3011万平方米"]


def test_the_fresh_sample_is_scored_apart_from_the_batches() -> None:
    pairs = vague_eval.clause_pairs("sample_s8", vague_eval.is_vague)
    assert len(pairs) == 166 and len({r["doc"] for r, _, _ in pairs}) == 13
    assert sum(gold for _, gold, _ in pairs) == 80
    assert "sample_s8" in vague_eval.SAMPLES


def test_a_samples_predicted_goals_are_paired_with_the_clauses_they_cover() -> None:
    """The item measure of a sample: goals.extract over its documents, each goal with its labelled clauses."""
    pairs = vague_eval.sample_item_pairs("sample_s8b")
    assert pairs
    labelled = {(r["doc"], r["start"]) for r in vague_eval.goal_clauses("sample_s8b")}
    for row, _gold, _pred in pairs:
        assert (row["doc"], row["start"]) in labelled and row["pred_text"]
    # 2024年安排市重点项目476个 (g) is found and reviewed as measurable
    assert any(r["text"].startswith("2024年安排市重点项目") and not gold and not pred for r, gold, pred in pairs)


def test_the_lead_can_add_later_batches_without_editing_the_bench(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``--blind N`` adds clause_labels_batchN.jsonl (here batch 20, seen) to the scored batches."""
    monkeypatch.setattr(vague_eval, "BATCHES", {"batch4": vague_eval.BATCHES["batch4"]})
    vague_eval.main(["--blind", "20"])
    out = capsys.readouterr().out
    assert "batch20" in out and "batch4" in out
