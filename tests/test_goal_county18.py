"""Sub-national reports of the evaluation set county18 (session 18, helper goalcounty18): a county's 展望 line opens its
year's goals, a long sentence closing on 以下是2023年工作回顾： opens a review, and a line that only announces the list
after it is no goal. The sentences are county18's (``corpora/goals/eval_labels_county18.jsonl``)."""
from __future__ import annotations

from nlp import goals
from tests.text_documents import one_page

# 沧源 county's 2024 report (county18_cangyuan_county_2024_report_outlook.txt), shortened
CANGYUAN = ("沧源2024年工作报告\n\n"
            "2023年，在党的坚强领导下，沧源各族人民团结一心，砥砺前行，经济社会发展取得了显著成效，以下是2023年工作回顾：\n"
            "1.经济发展稳中向好，全年GDP同比增长8.5%，财政收入增长10%，城乡居民人均可支配收入分别增长9%和10%。\n"
            "2.基础设施建设加快推进，完成交通、水利、能源等基础设施建设投资100亿元，新增高速公路100公里，农村公路500公里。\n"
            "展望2024年，我们将紧紧围绕以下目标开展工作：\n"
            "1.经济高质量发展，着力打造“一核两翼三带”发展格局，推动产业结构优化升级，培育壮大新兴产业。\n"
            "2.基础设施建设再提速，加快交通、水利、能源等基础设施建设，提升城市品质和承载能力。\n")


def _texts(text: str) -> list[str]:
    return [g.text for g in goals.from_text(one_page(text, "c"))]


def test_a_review_intro_closing_on_a_colon_makes_its_list_results() -> None:
    found = _texts(CANGYUAN)
    assert not any("8.5%" in t or "100公里" in t or "100亿元" in t for t in found), found


def test_an_outlook_line_makes_its_numbered_items_goals_and_is_none_itself() -> None:
    found = _texts(CANGYUAN)
    assert any(t.startswith("1.经济高质量发展") for t in found), found
    assert any(t.startswith("2.基础设施建设再提速") for t in found), found
    assert not any(t.startswith("展望2024年") for t in found), found


def test_a_line_announcing_a_list_is_no_goal() -> None:
    # 区人民政府2024年工作计划 (county18_district_2024_work_plan_maok.txt) and 相公庄街道's meeting report
    assert goals.announces_list("重点做好十方面工作。")
    assert goals.announces_list("窦广平从五个方面工作作出安排部署")
    assert goals.announces_list("现将全年工作情况总结如下，并就2026年重点工作作出安排。")
    assert not goals.announces_list("全年安排亿元以上项目325个，完成固定资产投资450亿元以上。")
    plan = ("区人民政府2024年工作计划\n\n二、2024年工作安排\n重点做好十方面工作。\n"
            "发挥投资关键作用。全年安排亿元以上项目325个，完成固定资产投资450亿元以上。\n")
    found = _texts(plan)
    assert not any("十方面" in t for t in found), found
    assert any("325个" in t for t in found), found
