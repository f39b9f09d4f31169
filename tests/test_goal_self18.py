"""Goals of final accounts and self-evaluations of the self18 set (session 18, helper goalself18), on real texts:
a self-evaluation's (一)绩效目标情况 part under 一、项目基本情况 (batch 33's sample, self18's 乡村振兴 sample) and a unit's
duties part ((一)基本职能 of a town's final accounts), which gives no goals."""
from __future__ import annotations

from nlp import goal_model, goals

MIANYANG = "selfeval2021_mianyang_science_bureau_projects_sample.txt"  # batch 33: （一）绩效目标情况 over the purposes
RURAL = "self18_selfeval_rural_revitalization_project_report_sample.txt"  # (一)绩效目标情况 切实改善…衔接推进乡村振兴。
QINGLONG = "self18_final2021_quxian_qinglong_town_accounts.txt"  # (一)基本职能 一是促进经济发展…确保农民受益。


def _goal_texts(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def test_a_goal_part_headed_bare_goal_situation_under_the_basic_situation() -> None:
    found = _goal_texts(RURAL)
    assert any(t.startswith("切实改善脱贫村和配贫困村群众生产生活设施条件") and "衔接推进乡村振兴" in t for t in found)
    found = _goal_texts(MIANYANG)
    assert any("部门预算项目支出主要用于积极引进、培养人才" in t for t in found)
    assert not any("项目资金总预算为2455.5万元" in t for t in found)  # the part's funds line stays no goal


def test_a_units_duties_part_gives_no_goals() -> None:
    assert not any("确保农民受益" in t or "增加农民收入" in t for t in _goal_texts(QINGLONG))


SIXIA = "self18_evalreport2019_sixia_gaoqikeng_road_project.txt"  # (二)績效目標:道路硬化≥0.565km;… under 一、項目基本情況


def test_a_goal_label_and_colon_state_the_goals_inside_a_review_part() -> None:
    # the evaluation report runs its goal label into the targets; 一、項目基本情況 (a review heading) stands above it
    found = _goal_texts(SIXIA)
    assert "項目(工程)驗收合格率≥100%" in found
    assert "受益貧困人口滿意度≥96%" in found
    assert not any("績效目標" in t for t in found)  # the label itself is no goal
    assert not any("高質量完成" in t or "改善了村民出行條件" in t for t in found)  # the conclusions stay results
