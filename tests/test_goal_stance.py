"""The stance test and the review tense as grammars (session 14): a commitment line naming no outcome, and
a sentence reporting what was done, are no goals whatever the clause model says (``nlp.goal_stance``,
``nlp.goal_tense``).

Why: in batches 1-34, 要/将/努力 lines of meetings that ask for resolve (使命感, 定力, 谱写…新篇章) were the
largest class of false goals, and the model keeps them as it keeps the goals beside them. Each test reads a
real stored document and checks the labelled goal beside the false one is still found.
"""
from __future__ import annotations

from nlp import goal_model, goal_stance, goal_tense, goals

WEIHAI = "news2022_weihai_secretary_wendeng_delegation_big5.txt"  # batch 32: a secretary's call and the delegates' pledge
DAHUANGJI = "news2024_dahuangji_town_mobilization.txt"  # batch 34: a town's mobilisation meeting


def _found(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_a_pledge_is_no_goal_and_an_outcome_beside_it_stays() -> None:
    found = _found(WEIHAI)
    # the delegates' pledge (traditional script, read through its simplified view): labelled 0
    assert not any("奮力譜寫威海高質量發展新篇章" in g for g in found)
    # the secretary's call closes on 作出更大貢獻 too, but names outcomes (推動…發展, 實現共同富裕): labelled v
    assert any("實現共同富裕" in g for g in found)


def test_a_call_for_resolve_is_no_goal() -> None:
    found = _found(DAHUANGJI)
    assert not any("使命感" in g for g in found)  # 必须要增强“舍我其谁”的使命感…: labelled 0
    assert not any("新局面" in g for g in found)  # 要压实责任、激发干劲，…奋力开创…新局面: labelled 0


def test_the_grammar_tells_an_outcome_from_a_stance_object() -> None:
    assert goal_stance.is_stance("会议强调，要保持战略定力，坚定必胜信心，增强忧患意识。")
    assert not goal_stance.is_stance("要保持经济运行在合理区间，增强发展信心。")  # 保持…合理区间: an outcome
    assert not goal_stance.is_stance("要提振市场信心，稳定社会预期。")  # the market's confidence is an outcome
    # a quoted slogan names no outcome (坚决做到“两个维护”); 树牢“四个意识” is a stance
    assert goal_stance.is_stance("我们要以习近平新时代中国特色社会主义思想为指导，树牢“四个意识”，坚决做到“两个维护”。")
    # a strong cue or a quantified target names what is to be reached
    assert not goal_stance.is_stance("要保持昂扬士气，确保完成全年目标任务。")
    assert not goal_stance.is_stance("要增强责任意识，全年新增就业1.5万人以上。")


def test_a_sentence_reporting_a_period_run_is_a_review() -> None:
    assert goal_tense.in_review_tense("今年以来，我国加紧实施更加积极有为的宏观政策，着力稳市场、稳预期，确保了上半年经济运行总体平稳。")
    assert goal_tense.in_review_tense("抢抓政策机遇，加强对上衔接，全年争取到位基本建设类补助资金9.66亿元。")
    assert goal_tense.in_review_tense("2021年，牟定县经济社会发展各项目标任务已全面完成。")
    # a period run and a plan in one sentence: not a review
    assert not goal_tense.in_review_tense("今年以来，全市经济稳中向好，下半年要确保完成全年目标任务。")
    assert not goal_tense.in_review_tense("2025年，鹿乡镇将聚焦产业发展，确保农民收入增长6%。")


QINGHAI = "news2022_qinghai_npc_press_conference.txt"  # batch 34: a press conference on a province's report


def test_a_line_saying_what_a_year_is_is_no_goal() -> None:
    assert not any("重要一年" in g for g in _found(QINGHAI))  # 2022年是…的关键一年，是…的重要一年: labelled 0
    assert goal_stance.only_frames("今后五年是关键时期")
    assert not goal_stance.only_frames("今后五年是关键时期，要确保经济增长6%左右")
