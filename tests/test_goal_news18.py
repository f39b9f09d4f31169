"""News items of the evaluation set news18 (session 18, helper goalnews18): a question in a lead opens no next steps,
a target weighed in a press conference is no goal, and a meeting report's plenum ordinals and periods make no target
list. The sentences are news18's (``corpora/goals/eval_labels_news18.jsonl``)."""
from __future__ import annotations

from ingest.document import Document
from nlp import goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page("新闻\n\n" + text + "\n", "n")


def _rule_texts(text: str) -> list[str]:
    return [g.text for g in goals.from_text(_doc(text))]


def test_a_question_in_a_lead_opens_no_next_steps() -> None:
    # 人民日报 on the 2018 assessment of press-release work: the lead asks what comes next; the report below is results
    text = ("近期,中央宣传部(国务院新闻办)公布了对65个中央有关部门2018年度新闻发布工作的评估情况。我国新闻发布工作的发展"
            "有何特点?下一步发展还需从哪些方面着力?记者就此进行了采访。\n\n"
            "记者了解到,2018年度各地各部门新闻发布工作稳中有进。2018年,商务部共召开例行新闻发布会37场,"
            "新闻发言人回答记者提问348次。")
    assert _rule_texts(text) == []


def test_a_next_steps_line_still_opens_them() -> None:
    doc = _doc("下一步，我们将继续推进新闻发布制度建设。")
    kinds = [k for ss, se, k in goals._sections(doc.text, []) if "继续推进" in doc.text[ss:se]]
    assert kinds == ["next"]


def test_a_target_weighed_at_a_press_conference_is_no_goal() -> None:
    assert _rule_texts("付凌晖说,明确这一预期目标,需要指出的是,实现5%左右的预期经济成长「绝非轻而易举」,"
                       "需要付出艰苦的努力。") == []
    assert _rule_texts("政府工作报告将今年中国经济增长预期目标设定为5%左右,而一些国际机构的预测则为4.5%左右。") == []
    assert _rule_texts("今年将5%左右作为中国经济增长预期目标,是党中央、国务院在综合平衡基础上兼顾当前和长远、需要和可能"
                       "提出的,是经过科学论证的。") == []
    assert _rule_texts("只要不发生重大、突发自然灾害,今年1.3万亿斤的粮食总产量有可能实现。") == []
    assert _rule_texts("中国有信息、有决心、有实力也有底气实现今年的目标任务。") == []


def test_a_stated_target_is_still_a_goal() -> None:
    assert _rule_texts("2025年,力争全社会研发投入强度达到2.95%。") == ["力争全社会研发投入强度达到2.95%"]


def test_plenum_ordinals_and_periods_make_no_target_list() -> None:
    # 长乐's standing committee: three plenum ordinals; 上海's executive meeting: 今年最后两个月 and 后五年
    sentence = ("全市各级各部门要认真学习贯彻省委十届三次全会、福州市委十一届五次全会精神,全力加快补齐民生社会事业领域短板,"
                "认真做好市委五届七次全会筹备工作。")
    spans = [(s, e) for s, e in goals._clauses(sentence, 0, len(sentence))]
    assert len(goals._list_heads(sentence, spans)) == 0
    sentence = ("一手抓当前,以认真贯彻落实十七大精神为动力,全力以赴做好今年最后两个月各项工作,确保全面完成今年各项目标任务;"
                "一手抓谋划,深化细化明年和后五年工作思路。")
    spans = [(s, e) for s, e in goals._clauses(sentence, 0, len(sentence))]
    assert len(goals._list_heads(sentence, spans)) == 1  # 后五年 stays a count, the months left do not
    # vague19's 杭州 targets: 学前三年 is what is to be universal, a count of the list
    sentence = "2010年,每个乡镇都建有1所公办中心幼儿园,全面普及学前三年教育。"
    spans = [(s, e) for s, e in goals._clauses(sentence, 0, len(sentence))]
    assert len(goals._list_heads(sentence, spans)) == 2
    # a target list's quantified heads are still heads
    sentence = "主要预期目标是:地区生产总值增长6%左右,城镇新增就业5万人以上。"
    spans = [(s, e) for s, e in goals._clauses(sentence, 0, len(sentence))]
    assert len(goals._list_heads(sentence, spans)) == 2


def test_a_report_being_revised_is_no_goal() -> None:
    # 海安's standing committee on its plenum report draft (traditional script in the page, simplified here)
    text = ("陆卫东指出,这些建议和意见很细致、很中肯。下一步,要将讨论修改意见和建议进行认真梳理,整理归纳,同时对文字进行推敲,"
            "努力做到精益求精,使报告真正成为集中智慧、指导工作、推动发展的高质量报告。")
    assert [g.text for g in goals.extract(None, _doc(text), use_model=True)] == []
