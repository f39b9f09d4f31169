"""Goals of the kinds batches 18-20 missed or took wrongly (session 8), each a general rule on data in
``corpora/goals``: targets after a scope phrase, an official's plan list reported in news with its
cue-less sentences, a budget draft's planned amounts, 将紧紧围绕; and the false goals of the same
shapes: last year's targets reported met, what the year is, a line announcing the list after it.
The sentences are batch 20's (seen since session 8) and the dev corpus's."""
from __future__ import annotations

from nlp import goal_grammar, goal_model, goals
from tests.test_goal_news_kinds import _texts  # goals.extract over a one-page text document


SCOPED = ("李强在作政府工作报告时提出今年的主要预期目标，包括经济方面，国内生产总值增长5%左右；粮食安全方面，"
          "粮食产量1.3万亿斤以上；绿色发展方面，单位国内生产总值能耗降低2.5%左右等。\n")


def test_targets_after_a_scope_phrase_are_one_goal_each() -> None:
    """提出…目标，包括… introduces the targets (no comment on them), and a scope phrase (经济方面) joins the
    target after it instead of standing as a goal of its own."""
    texts = _texts(SCOPED)
    assert len(texts) == 3
    assert texts[0].endswith("国内生产总值增长5%左右") and texts[1].endswith("粮食产量1.3万亿斤以上")
    assert not any(t.endswith("方面") for t in texts)


def test_a_comment_on_a_stated_target_is_still_no_goal() -> None:
    # the dev convention kept: 提出…目标，是为了… goes on about the target
    assert not _texts("中央提出今年经济增长预期目标为8%左右，是为了给结构调整留出空间。\n")


REPORTED_MET = ("中国国务院总理李强在作政府工作报告时表示，2023年经济社会发展主要目标任务圆满完成，诸如：国内生产总值超过"
                "126万亿元，增长5.2%；城镇新增就业1244万人；城镇调查失业率平均为5.2%；粮食产量1.39万亿斤等等。\n")


def test_targets_reported_met_are_results_not_goals() -> None:
    assert _texts(REPORTED_MET) == []


def test_a_commitment_to_meet_the_targets_stays_a_goal() -> None:
    assert _texts("今年要确保全年目标任务圆满完成，城镇新增就业1200万人以上。\n")


def test_what_the_year_is_states_no_goal() -> None:
    text = "李强总理表示，今年是中华人民共和国成立75周年，是实现“十四五”规划目标任务的关键一年。\n"
    assert _texts(text) == []


def test_a_line_announcing_the_list_after_it_is_no_goal() -> None:
    text = "围绕上述目标，我们将着重抓好以下六个方面的工作。\n（一）大抓经济发展，全面夯实高质量发展基础。\n"
    assert not any("以下六个方面" in t for t in _texts(text))


RURAL = "news2019_mof_rural_revitalization_press.txt"  # batch 20: a vice-minister's plan list for the year


def test_an_officials_plan_list_in_news_gives_each_sentence_of_an_item() -> None:
    """主要有以下三个方面： after 关于今年… frames the numbered items; in news the cue-less sentences after
    an item on its line are the official's measures, one goal each."""
    document = goal_model.load_document(RURAL)
    found = [g.text for g in goals.extract(None, document)]
    assert "一是建立投入保障机制" in found and "三是着力提升工作成效" in found
    assert "加快落实通过建立土地指标跨省域调剂机制,将土地增值收益更多用于“三农”" in found
    assert "切实加强财政涉农资金监管,健全绩效评价制度,提高资金使用效益" in found
    assert not any(t.startswith("(中评社报道组") for t in found)


def test_the_same_sentences_in_a_work_report_are_tasks() -> None:
    """Under a work report's numbered heading the sentences after it are its tasks, not goals."""
    document = goal_model.load_document(RURAL)
    found = [g.text for g in goals.from_text(document, [], kind="work_report")]
    assert "一是建立投入保障机制" in found
    assert not any(t.startswith("支持统筹推进山水林田湖草综合治理") for t in found)


def test_an_exhortations_list_is_not_framed_as_a_plan_list() -> None:
    """今年要着重做好以下方面： (advice on reaching a target, batch 6 labels its items 0) frames nothing."""
    text = ("国务院研究室副主任向东介绍，为实现经济增长“5.5%左右”的预期目标，今年要着重做好以下方面：\n"
            "一是坚持稳字当头、稳中求进。各地区各部门要切实担负起稳定宏观经济的责任，积极推出有利于经济稳定的政策。\n")
    assert goals._next_list_parts(text, ()) == ((), ())


ZHONGSHAN = ("报告按照全市经济社会发展计划和宏观调控总体要求，2019年一般公共预算收入预期增长5%，全市一般公共预算收入"
             "331亿元，加上级补助收入43.6亿元、调入资金49.2亿元，预算内总收入合计423.8亿元。\n")


def test_a_budget_drafts_planned_revenue_is_a_plan_target() -> None:
    """A budget draft's planned amounts reported in news are targets: 预算/收入 no longer make a clause a
    budget line; a department budget's appropriations still are (and budgets read no plan prose)."""
    texts = _texts(ZHONGSHAN)
    assert "2019年一般公共预算收入预期增长5%" in texts and "全市一般公共预算收入331亿元" in texts
    assert goal_grammar.parse("拟采购货物支出59万元") is None
    assert goal_grammar.parse("涉及财政性资金合计0万元") is None


def test_a_plan_held_to_closely_is_a_commitment() -> None:
    text = "今年中山市市级预算支出编制将紧紧围绕全市重点工作部署，扎实推进高质量发展，加快形成全面开放格局。\n"
    assert _texts(text)


def test_a_target_of_research_spending_is_no_budget_line() -> None:
    """经费 alone no longer makes a budget line (2026 Gansu, batch 10: 全社会研发经费投入年均增长9.5%)."""
    assert goal_grammar.parse("全社会研发经费投入年均增长9.5%") is not None
    assert goal_grammar.parse("包括人员经费和公用经费两部分") is None


JINAN = ("报告中指出，2025年济南市经济社会发展的总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，坚持稳中求进工作"
         "总基调，以“项目提升年”为总牵引，纵深推进数字济南、工业强市建设，推动经济持续回升向好，切实增进民生福祉，高质量完成"
         "“十四五”规划目标任务，在奋力谱写中国式现代化山东篇章中勇当排头兵，不断开创“强新优富美高”新时代社会主义现代化强省会"
         "建设新局面。\n")


def test_the_closing_outcomes_of_a_general_requirement_are_one_goal() -> None:
    """Batch 19's Jinan digest: the guiding ideas and means are no goal, the outcomes closing the 总体要求 are."""
    runs = [JINAN[s:e] for s, e in goals._requirement_outcomes(JINAN, ())]
    assert runs == [JINAN[JINAN.index("推动经济持续回升向好"):JINAN.index("建设新局面") + 5]]
    assert any(t.startswith("推动经济持续回升向好") for t in _texts(JINAN))


def test_the_requirement_may_close_in_the_sentence_after_its_intro() -> None:
    """漾濞 2023 (batch 20): the 总体要求 goes on in a second sentence, which closes on the outcomes; a
    stance (全力以赴抢机遇…促团结) ends the run, and the targets sentence after it is no part of it."""
    text = ("2023年政府工作总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，完整、准确、全面贯彻新发展理念，"
            "加快构建新发展格局。着力推动高质量发展，更好统筹发展和安全，全力以赴抢机遇、补短板、强弱项、促团结，"
            "推动经济社会高质量可持续发展，全面构建“一核两极多点”县域发展新格局。"
            "2023年经济社会发展的主要预期目标建议为：地区生产总值增长8%以上。\n")
    runs = [text[s:e] for s, e in goals._requirement_outcomes(text, ())]
    assert runs == ["推动经济社会高质量可持续发展，全面构建“一核两极多点”县域发展新格局"]


def test_a_stance_between_outcomes_cuts_the_run() -> None:
    # 2026 Gansu: 更好统筹发展和安全 is labelled 0 between two outcome clauses; the run starts after it
    text = ("政府工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，因地制宜发展新质生产力，推动经济实现质的有效提升和"
            "量的合理增长，更好统筹发展和安全，保持社会和谐稳定，实现“十五五”良好开局。\n")
    runs = [text[s:e] for s, e in goals._requirement_outcomes(text, ())]
    assert runs == ["保持社会和谐稳定，实现“十五五”良好开局"]


def test_targets_met_reported_in_a_clause_of_their_own_are_no_goal() -> None:
    """2014's review: a clause opening on 圆满实现…目标 reports it; 确保圆满完成… looks ahead."""
    review = ("全国各族人民从容应对挑战，奋力攻坚克难，圆满实现全年经济社会发展主要预期目标，改革开放和社会主义现代化建设"
              "取得令人瞩目的重大成就。\n")
    assert _texts(review) == []
    assert _texts("今年要确保圆满完成全年经济社会发展主要预期目标，城镇新增就业1100万人以上。\n")


def test_a_count_announcing_the_list_is_no_plan_clause() -> None:
    """2009: 今年重点抓好五件事： announces the items after it."""
    assert not goals._is_plan_clause("今年重点抓好五件事")
    assert goals._is_plan_clause("今年新增城镇就业900万人以上")


def test_growth_measured_against_the_budget_target_is_a_result() -> None:
    """An MOF monthly report (2013): 预算 no longer blocks a plan target, so the comparison with the target
    must read as a review by itself."""
    sentence = "1-11月中央财政收入累计增幅仍低于预算目标（7%）0.5个百分点"
    assert goal_grammar.is_review(sentence)
    assert _texts("中央财政收入63000亿元，比上年同期增长6.5%，" + sentence + "。\n") == []
