"""Goals of policy documents (session 18, helper goalpolicy18): real texts of the policy18 set (意见, 方案, 行动计划,
a notice dividing a work report's targets among units, a plan's notice) -> the numbered targets under a target heading
and the time-bound target sentences are goals; the lines naming who does the work, a plan's review of the year before,
a bare date or basis clause and 目标任务 named as a thing handled are none. Each case failed before the change."""
from __future__ import annotations

from nlp import goal_model, goals

CAIDIAN = "policy18_caidian_2023_gwr_target_division.txt"  # 一、…主要预期目标 （一）地区生产总值增长7%以上 责任单位：…
ANHUI = "policy18_anhui_key_work_division_notice.txt"  # 1﹒全省生产总值增长7%以上… 牵头负责领导：刘惠。…
HUNAN = "policy18_hunan_2017_plan_notice.txt"  # a year plan opening on 2016's results (traditional script)
JIADING = "policy18_jiading_sponge_city_plan_2024.txt"  # 一、工作目标 根据…要求，嘉定区到2025年底，…
SANMENXIA = "policy18_sanmenxia_rural_construction_plan_2022.txt"  # 2025年年底前构建完成…
LIANGPING = "policy18_liangping_2021_gwr_task_division_notice.txt"  # 《…目标任务分解方案》已经区政府同意，现印发给你们


def _goal_texts(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_numbered_targets_under_a_target_heading_are_goals_and_the_list_goes_on() -> None:
    found = _goal_texts(CAIDIAN)
    # （一）… was read as a heading that closed 主要预期目标: none of the three targets was found
    for target in ("(一)地区生产总值增长7%以上", "(二)规上工业增加值增长12%以上", "(三)固定资产投资增长10%以上"):
        assert target in found
    assert not any(t.startswith("责任单位") for t in found)


def test_the_lines_naming_who_does_the_work_are_no_goals() -> None:
    found = _goal_texts(ANHUI)
    assert "1﹒全省生产总值增长7%以上,在实际工作中力争更好结果" in found
    # under the target heading every line was a goal, 牵头负责领导：刘惠 too
    assert not any(t.startswith(("牵头负责领导", "牵头责任单位", "协同责任单位")) for t in found)


def test_a_plan_opening_on_the_year_before_reports_its_results() -> None:
    found = _goal_texts(HUNAN)
    # 2016年，…实现了“十三五”良好开局。全省实现地区生产总值3.12万亿，增长7.9%…: eight results were read as targets
    assert not any("4252.1" in t or "77.4萬人" in t or "能耗下降5%" in t for t in found)


def test_a_date_or_a_basis_alone_is_no_goal_but_frames_the_target() -> None:
    found = _goal_texts(JIADING)
    # the date with its place joins the target after it, as 到2030年底 does; the basis alone is dropped
    assert "嘉定区到2025年底,50平方公里以上建设用地面积达到海绵城市建设目标要求" in found
    assert "到2030年底,80平方公里以上建设用地面积达到海绵城市建设目标要求" in found
    assert "嘉定区到2025年底" not in found and "根据上海市海绵城市建设要求" not in found


def test_a_time_bound_target_sentence_is_a_goal() -> None:
    found = _goal_texts(SANMENXIA)
    # 2025年年底前 (the year said twice) was no cue: the sentence was no goal
    assert any(t.startswith("2025年年底前构建完成县域国土空间一体的规划体系") for t in found)
    # a work completed between the deadline's quantified targets is one of them
    assert "具备条件的县(市、区)完成水源置换工作" in found


def test_target_tasks_named_as_a_thing_handled_set_no_goal() -> None:
    found = _goal_texts(LIANGPING) + _goal_texts(CAIDIAN)
    assert not any("现印发给你们" in t for t in found)  # 《2021年区政府工作报告目标任务分解方案》已经区政府同意
    assert not any(t.startswith("对照2023年区《政府工作报告》确定的目标任务") for t in found)
    assert not any("进展情况报区人民政府办公室" in t for t in found)
    # the notice's commitment to complete the targets stays a goal
    assert any("全力以赴完成区政府工作报告各项目标任务" in t for t in found)


def test_a_guiding_paragraph_closes_on_its_outcomes() -> None:
    found = _goal_texts("policy18_national_inner_mongolia_opinion_2023.txt")
    # (一)指导思想: 以…为指导，… opens the guidance without 要; its closing outcomes were no goal
    assert any(t.startswith("打造服务保障全国高质量发展的重要支撑") and t.endswith("作出更大贡献") for t in found)
    assert not any(t.startswith("以习近平新时代中国特色社会主义思想为指导") for t in found)  # the guidance is none


def test_each_sentence_of_a_requirement_closes_on_its_outcomes() -> None:
    text = goal_model.load_document("policy18_national_electronics_stable_growth_plan_2025.txt").text
    outcomes = [text[s:e] for s, e in goals._requirement_outcomes(text, ())]
    # 一、总体要求 以…为指导，…。统筹好…，进一步提升…安全水平。…，提振产业发展信心。…，保持…合理区间，为…提供有力支撑。
    # only the last sentence's closing outcomes were read
    assert outcomes == ["进一步提升产业链供应链韧性和安全水平", "提振产业发展信心",
                        "保持电子信息制造业经济运行在合理区间,为工业经济稳增长提供有力支撑"]
    assert "进一步提升产业链供应链韧性和安全水平" in _goal_texts("policy18_national_electronics_stable_growth_plan_2025.txt")
