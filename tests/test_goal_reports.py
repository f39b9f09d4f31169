"""Goals the rules were certain of in sentences that report (session 14, goalprec14b): a progress report's
figures compared with the same period before, the funds it lists after them, and a self-evaluation's problems.

Why: ``完成6850万元`` reads as a quantified target clause and a problems list can stand in a next-steps section
(偏离绩效目标的原因和改进措施), so the model could not veto them. A sentence that reports (``goals.reports``) is
never certain, and the review grammars drop it. Each test reads a real stored document of batches 35-36 and
checks the labelled goal beside the false ones is still found.
"""
from __future__ import annotations

from nlp import goal_model, goal_tense, goals

YANGLING = "news2023_yangling_finance_bureau_first_quarter_review.txt"  # batch 35: a finance bureau's quarter review
LINTANG = "selfeval2022_lintang_township_projects_big5.txt"  # batch 36: a township's self-evaluation (traditional)


def _found(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_a_quarter_review_reports_its_figures_and_the_funds_obtained() -> None:
    found = _found(YANGLING)
    # 截至3月底，全区一般预算收入完成6850万元，较上年同期…增长7.15%: labelled 0, certain as a target clause before
    assert not any("6850万元" in g or "29901万元" in g for g in found)
    # the funds obtained, listed in the next sentence of the paragraph (…争资争项工作取得新进展): labelled 0
    assert not any("3600万元" in g or "2867万元" in g for g in found)
    # the meeting's requirement after them stays: labelled g
    assert any("推动财政各项重点工作扎实开展" in g for g in found)


def test_a_self_evaluation_lists_its_problems() -> None:
    found = _found(LINTANG)
    # 存在的問題主要有：一是資金撥付的審核時間比較長，二是…要更符合實際需求: labelled 0, certain in a 改进措施 part before
    assert not any("審核時間" in g or "績效指標設置" in g for g in found)


def test_the_review_grammars_on_sentences() -> None:
    # a period run and a figure compared with the same period before: a result, no report cue needed
    assert goal_tense.in_review_tense("截至3月底，全市地方财政收入完成26.04亿元，占年预算的26.76%，较上年同期增长9.5%。")
    assert not goal_tense.in_review_tense("全市地方财政收入力争完成30亿元，较上年同期增长10%。")  # no period run: a plan
    assert not goal_tense.in_review_tense("今年以来，收入同比增长6%，下半年要确保完成全年目标。")  # names what is ahead
    assert goal_tense.lists_problems("存在的问题主要有：一是资金拨付的审核时间比较长，二是要更符合实际需求。")
    assert not goal_tense.lists_problems("针对存在的问题，下一步将加快资金拨付。")
    text = "截至3月底，收入完成6850万元，较上年同期增长7.15%。跑省争取一般债券资金3600万元，切实提高了资金使用效率。下阶段要加快支出进度。"
    carried = goals._review_carried(text)
    assert [text[s:e] for s, e in carried] == ["跑省争取一般债券资金3600万元，切实提高了资金使用效率"]  # not the plan after
