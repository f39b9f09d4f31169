"""Plan targets written as prose (``nlp.goal_grammar``): the clause grammar and the plan/review context.

Real documents (``corpora/goals/documents``, labelled in batches 9 and 15): Shenzhen's 2022
major-project plan reported as news (every planned count, amount and share a goal), a news item
on Ningxia's investment progress (the same shapes as results), a commentary on the 2022 GDP
target, and a news item naming the “倍增计划” programme.
"""
from __future__ import annotations

import pytest

from nlp import goal_grammar, goal_model, goals

SHENZHEN = "news2022_sina_shenzhen_growth_investment_plan.txt"
NINGXIA = "news2021_sina_ningxia_investment_progress.txt"
COMMENTARY = "news2022_sina_gdp_target_commentary.txt"
DONGGUAN = "news2022_sina_dongguan_doubling_plan.txt"


@pytest.mark.parametrize("clause, item, quantity, qualifier", [
    ("续建项目539个", "续建项目", "539个", ""),
    ("新增境内外上市公司30家以上。", "新增境内外上市公司", "30家", "以上"),
    ("2022年深圳地区生产总值预期增长目标6%左右", "2022年深圳地区生产总值预期增长目标", "6%", "左右"),
    ("其中，政府投资575.5亿元", "政府投资", "575.5亿元", ""),
])
def test_an_item_with_its_quantity_parses(clause: str, item: str, quantity: str, qualifier: str) -> None:
    target = goal_grammar.parse(clause)
    assert target is not None
    assert (target.item, target.quantity, target.qualifier) == (item, quantity, qualifier)


@pytest.mark.parametrize("clause", [
    "这个目标高于全国GDP5.5%的增长目标",  # the quantity modifies a noun
    "拟采购货物支出59万元",  # a budget line
    "重点把握好以下五个方面",  # a framing count
    "深圳要加大高质量投资力度",  # no quantity
    "2022年",  # a calendar year is no quantity
])
def test_other_clauses_do_not_parse(clause: str) -> None:
    assert goal_grammar.parse(clause) is None


def test_noun_phrase_targets_open_their_own_plan() -> None:
    # a year target written as a noun phrase, a bound, a striving: each clause is its own frame
    text = "居民消费价格涨幅控制在3%左右，城镇新增就业目标为1100万人以上"
    clauses = goals._clauses(text, 0, len(text))
    found, _ = goal_grammar.sentence_targets(clauses, text, False)
    assert [text[s:e] for s, e in found] == ["居民消费价格涨幅控制在3%左右", "城镇新增就业目标为1100万人以上"]
    assert goal_grammar.parse("城镇新增就业目标为1100万人以上").qualifier == "以上"


def test_review_and_plan_sentences() -> None:
    assert goal_grammar.is_review("2021年完成投资达596.3亿元，计划完成率119.3%")
    assert goal_grammar.is_review("吴忠市计划投资232亿元，完成63.5%")
    assert goal_grammar.is_review("29个省份中，GDP增速目标的平均值为6.4%，中位数为6.5%")
    assert not goal_grammar.is_review("深圳2022年重大项目计划共安排项目883个，总投资35674.8亿元，同比增长26.2%")
    assert goal_grammar.opens_plan("40个重点城市初步计划新增650万套（间）")
    assert not goal_grammar.opens_plan("今年东莞市有521家“倍增计划”试点企业")  # a programme's name
    assert not goal_grammar.opens_plan("2018年本部门共0个项目实行绩效目标管理")


def _spans(name: str) -> tuple[str, list[str]]:
    document = goal_model.load_document(name)
    text = document.text
    return text, [text[s:e] for s, e in goals.plan_prose(document, [])]


@pytest.fixture(scope="module")
def shenzhen() -> tuple[str, list[goals.Goal]]:
    document = goal_model.load_document(SHENZHEN)
    return document.text, goals.extract(None, document)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", [
    "深圳2022年重大项目计划共安排项目883个",  # the clause that opens the plan
    "总投资35674.8亿元，同比增长26.2%",  # a planned amount with its change: the sentence plans it
    "续建项目539个",
    "政府投资575.5亿元，占25.7%",  # 其中… goes on with the sentence before
    "现代产业类项目250个",  # a list paragraph after the colon intro …重点安排于…三大领域：
    "投资占比43.4%",
    "2022年深圳地区生产总值预期增长目标6%左右",  # a target as a noun phrase
])
def test_planned_counts_amounts_and_shares_are_goals(shenzhen: tuple, target: str) -> None:
    text, found = shenzhen
    at = text.index(target)
    assert any(g.start <= at and at + len(target) <= g.end for g in found), target
    goal = next(g for g in found if g.start <= at < g.end)
    assert text[goal.start:goal.end] == goal.text


@pytest.mark.parametrize("result", [
    "2021年完成投资达596.3亿元",  # the year before, reported
    "计划安排投资500亿元",  # last year's plan, in a 完成情况 sentence
    "本次集中启动的新开工项目共200个",  # an event's figures before the plan clause of its sentence
])
def test_the_same_shapes_as_results_are_not_goals(shenzhen: tuple, result: str) -> None:
    text, found = shenzhen
    at = text.index(result)
    assert not any(g.start < at + len(result) and at < g.end for g in found), result


def test_a_progress_report_has_no_plan_targets() -> None:
    text, spans = _spans(NINGXIA)
    assert "计划" in text and spans == []


def test_a_programme_name_opens_no_plan() -> None:
    _, spans = _spans(DONGGUAN)
    assert spans == []


def test_commentary_on_a_target_is_no_goal() -> None:
    document = goal_model.load_document(COMMENTARY)
    found = goals.extract(None, document)  # type: ignore[arg-type]
    for comment in ("实现这一目标仍需付出艰苦努力", "我们对实现预期目标充满信心",
                    "这就要求中国经济增速在“十四五”时期保持6%左右的年均增长率"):
        at = document.text.index(comment)
        assert not any(g.start < at + len(comment) and at < g.end for g in found), comment


def _clause_targets(text: str) -> list[str]:
    """The targets of one sentence (as the layout cuts it: no closing 。) inside a plan frame (a year-plan section)."""
    clauses = goals._clauses(text, 0, len(text))
    found, _ = goal_grammar.sentence_targets(clauses, text, True, len(clauses))
    return [text[s:e] for s, e in found]


def test_in_a_plan_section_a_count_after_a_verb_is_a_target_and_a_count_naming_things_is_not() -> None:
    # Beijing's 2026 year plan (batch 8) and Gansu's (batch 10)
    assert goal_grammar.parse("改建2000张认知障碍照护床位").verb == "改建"
    assert _clause_targets("深入抓好垃圾分类和物业管理两个关键小事，抓好507栋危旧简易楼排险工作") == [
        "抓好507栋危旧简易楼排险工作"]
    assert _clause_targets("做大做强酒泉、天水两个区域中心城市") == []
    assert _clause_targets("输转城乡富余劳动力480万人") == ["输转城乡富余劳动力480万人"]


def test_a_department_budget_has_no_plan_targets() -> None:
    document = goal_model.load_document("budget2017_jiangsu_high_court_dept.pdf")  # batch 1
    skip = goals.table_spans(document)
    assert goals._plan_prose(document.text, skip)  # the shapes are there (拟购买货物525.4万元)
    assert goals.plan_prose(document, skip) == ()  # but a budget's amounts are appropriations


def test_a_commitment_to_complete_the_years_targets_is_a_goal_in_news() -> None:
    document = goal_model.load_document("news2021_sina_provinces_fourth_quarter_growth.txt")  # batch 15
    found = goals.extract(None, document)  # type: ignore[arg-type]
    assert any(g.text == "确保完成全年目标任务" for g in found)
    # 主要目标 inside 完成…主要目标任务 is no list intro (主要目标是：…): the commitment is the goal
    assert any(g.text.startswith("确保完成全年主要目标任务") for g in found)


def test_a_planned_change_with_jiang_is_a_target_and_an_estimate_is_not() -> None:
    # the 1956 national plan and budget report (batch 1): 将比上年增长… is the plan, 预计将… a prediction
    text, spans = _spans("gwr_national_1956_lixiannian.txt")
    assert "沿海航运货物周转量将比上年增长２７％" in spans
    estimate = text.index("社会商品零售总额预计将达到")
    assert not any(estimate <= text.index(s) < estimate + 40 for s in spans)
