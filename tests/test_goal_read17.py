"""False goals of batches 39-42 (development data since session 17), each fixed by a general reading written as data
in ``corpora/goals`` (corpora/goals/README.md, "Session 17 (helper goalread17)"). The sentences are those batches'."""
from __future__ import annotations

from ingest.document import Document
from nlp import goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "r")


def test_a_target_restated_with_what_it_serves_is_a_comment() -> None:
    justified = ("报告指出，提出上述预期目标，综合考虑了国内外形势和各方面因素，兼顾了需要与可能。经济增长预期目标为5%左右，"
                 "既是稳就业、防风险、惠民生的需要，也有经济增长潜力和有利条件支撑，并与中长期发展目标相衔接，"
                 "突出迎难而上、奋发有为的鲜明导向。")
    talked = ("王小中指出，岳阳经开区对经济工作会议的确定目标任务，既是区工委、管委会2015年各项工作的总体方向、基本蓝图和大致要求，"
              "更是对全区人民的郑重承诺。")
    stated = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。"
    assert goals.from_text(_doc(justified)) == []
    assert goals.from_text(_doc(talked)) == []
    assert goals.from_text(_doc(stated)) != []


JUNAN = ("日前，《关于莒南县2023年预算执行情况和2024年预算草案的报告》公布。\n"
         "2024年收支预算总体安排\n"
         "1、一般公共预算。综合以上因素，本着“积极稳妥、留有余地”的原则，初步安排一般公共预算收入243500万元，增长8%，"
         "税收比重78%左右；一般公共预算支出安排681436万元，增长2.2%。一般公共财政预算收入，加上税收返还、转移支付、"
         "调入资金、债券转贷收入等500516万元，预计总财力744016万元。\n"
         "2024年总财力预计744016万元，其中可用于当年“三保”财力预计427809万元，预算编制中各“三保”预算项目标准均不低于"
         "中央和省规定标准。全年支出预计681436万元，其中当年“三保”预算支出427809万元，不存在“三保”支出缺口。\n")


def test_an_estimate_governs_its_sentence_in_a_budgets_plan_part() -> None:
    spans = goals.budget_plan_amounts(JUNAN, [])
    found = [JUNAN[s:e] for s, e in spans]
    assert any("243500万元" in t for t in found)  # the planned figures stay
    assert not any("427809" in t or "500516" in t or "744016" in t for t in found)  # the estimates' sentences go


def test_a_plans_drafting_is_no_goal_a_drafted_plan_among_outcomes_is() -> None:
    from nlp import goal_frame

    qingshui = ("会议指出，“十五五”规划是未来五年全县经济社会发展的纲领性文件。各级各部门要切实深化思想认识，把准政治要求，"
                "把牢正确方向，抓住用好国家政策和战略机遇，在全面总结“十四五”发展成就的基础上，认真编制“十五五”规划，"
                "确保规划符合发展规律、契合县情实际、顺应人民期盼。")
    start = qingshui.index("各级各部门")
    goal = goals._goal(_doc(qingshui), start, len(qingshui) - 1, qingshui[start:-1], source="text")
    assert goals.read_as_no_goal(qingshui, goal)
    for drafting in ("确保规划建议编制工作始终沿着正确方向前进", "确保规划上下衔接、同频共振",
                     "要加强组织领导，靠实工作责任，坚持开门问策，强化规划衔接，加快编制进度，高质量完成全县“十五五”规划编制"):
        assert goal_frame.drafts_plan(drafting)
    for kept in ("要编制实施海洋战略规划，发展海洋经济，保护海洋生态环境，提高海洋科技水平，坚决维护国家海洋权益",
                 "确保完成“十四五”的高质量收官和开启“十五五”高起点的征程",
                 "要确保规划定了就做得到、能落地见效"):
        assert not goal_frame.drafts_plan(kept)


def test_the_assigned_set_written_task_first_is_a_set_target() -> None:
    from nlp import vagueness

    assert not vagueness.review("全区上下要提高主动性和责任意识，再接再厉、加压鼓劲，确保完成各项任务目标").vague
    assert vagueness.review("完成新任务").vague  # a bare task names nothing to check


def test_a_sentence_opening_on_the_period_run_carries_the_review_into_its_paragraph() -> None:
    text = ("在来之不易的成绩中增强发展自信。一年来，我国所面临的压力挑战前所未有。有异常复杂的国际环境，也有艰巨繁重的改革"
            "发展稳定任务，我们顶住外部压力，克服内部困难，付出艰辛努力，取得来之不易的成绩。国内生产总值超过126万亿元，"
            "增长5.2%，增速居世界主要经济体前列；城镇新增就业1244万人，城镇调查失业率平均为5.2%。\n"
            "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。\n")
    found = [g.text for g in goals.extract(None, _doc(text))]  # type: ignore[arg-type]
    assert not any("126万亿元" in t or "1244万人" in t or "来之不易" in t for t in found)
    assert any("增长5%左右" in t for t in found)


def test_a_question_in_a_next_steps_place_is_no_goal() -> None:
    text = ("下一步工作\n"
            "中央环保督察反馈意见整改落实到位没有？全省上月对此进行了“回头看”督察。\n"
            "要以此次整改为契机，全面强化全市环境治理，确保各项整改任务按期完成。\n")
    found = [g.text for g in goals.from_text(_doc(text))]
    assert not any("到位没有" in t for t in found)
    assert any("确保各项整改任务按期完成" in t for t in found)
