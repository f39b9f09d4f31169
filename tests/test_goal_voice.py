"""Who speaks and how a digest lists its targets: the batch 16/17 kinds of miss and false goal.

Real documents (``corpora/goals/documents``, labelled blind in batches 16 and 17, studied since):
the 2025 national work report's digest (the year targets as bare lines under 二、今年主要预期目标),
an economist's talk on the 十四五 plan (derivations, predictions and advice in the first person),
a news item quoting an expert on Zhejiang's manufacturing plan, and a news item whose subheadings
restate planned amounts (news, no plan section of lines).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Document, Page
from nlp import goal_model, goal_voice, goals, vagueness

DIGEST = "gwr2025_national_chinadaily_key_points.txt"
TALK = "news2021_sina_liu_yuanchun_fyp_trends.txt"
ZHEJIANG = "news2021_sina_zhejiang_manufacturing_action_plan.txt"
WATER = "news2011_water_conservancy_investment_plans.txt"
WORK_REPORT = Path("/work/shared/corpus/gwr_national_2017.txt")


def _goal_texts(name: str) -> list[str]:
    document = goal_model.load_document(name)
    return [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def digest() -> list[str]:
    return _goal_texts(DIGEST)


@pytest.mark.parametrize("target", ["国内生产总值增长5%左右", "城镇新增就业1200万人以上", "居民消费价格涨幅2%左右",
                                    "单位国内生产总值能耗降低3%左右"])
def test_a_digests_target_lines_under_its_plan_heading_are_goals(digest: list[str], target: str) -> None:
    assert target in digest


@pytest.mark.parametrize("result", ["国内生产总值增长5%", "城镇新增就业1256万人"])
def test_the_same_lines_under_the_review_heading_are_not(digest: list[str], result: str) -> None:
    assert result not in digest


def test_a_news_subheading_with_an_amount_stays_a_heading() -> None:
    document = goal_model.load_document(WATER)
    heading = document.text.index("今年宁夏力争落实各类水利投资30亿元\n")  # the body repeats it as its first target
    found = goals.extract(None, document)  # type: ignore[arg-type]
    assert not any(g.text.startswith("重庆：未来5年投500亿元") or g.start == heading for g in found)


@pytest.fixture(scope="module")
def talk() -> list[str]:
    return _goal_texts(TALK)


def test_a_talk_in_the_first_person_is_commentary() -> None:
    assert goal_voice.is_talk(goal_model.load_document(TALK).text)
    assert not goal_voice.is_talk(WORK_REPORT.read_text(encoding="utf-8"))  # a government's 我们要…


@pytest.mark.parametrize("line", ["GDP总量将在2028年超过美国", "我们的GDP增速必须要达到6%左右",
                                  "我们到2025年人均GDP将达到1.5万美元的水平", "我们要突破卡脖子问题",
                                  "比如今年的目标是什么"])
def test_a_commentators_derivations_predictions_advice_and_questions_are_no_goals(talk: list[str], line: str) -> None:
    assert not any(line in g for g in talk)


def test_the_official_target_a_commentator_restates_is_a_goal(talk: list[str]) -> None:
    assert any("今年确定的GDP增速目标是6%以上" in g for g in talk)
    assert "新增就业1100万以上" in talk


def test_an_experts_paragraph_is_his_voice() -> None:
    text = goal_model.load_document(ZHEJIANG).text
    assert goal_voice.speaker_names(text) == {"曾刚"}  # 华东师范大学…终身教授曾刚告诉城叔
    found = _goal_texts(ZHEJIANG)
    assert not any("要让收入偏低的人更加富有" in g for g in found)  # “…”曾刚认为


def test_an_official_saying_what_a_plan_will_do_is_no_expert() -> None:
    text = "财政部有关负责人表示，将进一步扩大政府采购规模。"
    layout = ((0, len(text)),)
    assert goal_voice.expert_paragraphs(text, layout) == frozenset()
    doc = Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=text,
                   pages=[Page(number=1, start=0, end=len(text))])
    assert [g.text for g in goals.from_text(doc)] == ["将进一步扩大政府采购规模"]
    expert = "中国人民大学教授王五表示，将进一步扩大政府采购规模。"  # the same line from an expert
    assert goal_voice.expert_paragraphs(expert, ((0, len(expert)),))
    assert goals.from_text(Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=expert,
                                    pages=[Page(number=1, start=0, end=len(expert))])) == []


def test_full_width_calendar_years_are_no_quantities() -> None:
    assert vagueness.quantities("１９５６年的预算收入为１００亿元") == ["１００亿元"]
    assert vagueness.quantities("用１５年时间") == ["１５年"]  # a span of years still counts
