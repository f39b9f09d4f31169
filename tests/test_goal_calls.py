"""A meeting's ；-separated call is cut item by item, the convention of the labelled batches 1-36
(``bench.goal_semicalls``; README "Batches 10 and after: where the convention was silent"): an item with
a goal of its own (its own cue, 要 with an outcome after it, a target, an outcome state) is a goal, an item of
means only is none. The sentences are batch 31's, batch 32's and the dev corpus's (its meeting call's goal is
tested in ``test_goal_news_kinds.py``)."""
from __future__ import annotations

from ingest.document import Document
from nlp import goal_cases, goal_model, goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "n")


def _rule_texts(text: str) -> list[str]:
    """The goals of the rules, before the clause model (the cut is the rules')."""
    return [g.text for g in goals.from_text(_doc(text))]


def _texts(text: str) -> list[str]:
    return [g.text for g in goals.extract(None, _doc(text))]  # type: ignore[arg-type]


HANSHOU = ("会议强调，要抢攻争资争项，谋深谋实项目；强攻招商引资，深化全员招商意识；快攻项目建设，抢抓施工黄金期；"
           "要专攻园区提质，提升承载能力；猛攻产业培强，壮大主导产业集群；围攻生态治理，抓好污染防治；"
           "总攻收官谋篇，确保“十四五”圆满收官。\n")


def test_a_meetings_call_is_one_goal_per_item_that_states_one() -> None:
    assert _rule_texts(HANSHOU) == ["要专攻园区提质，提升承载能力", "总攻收官谋篇，确保“十四五”圆满收官"]


def test_two_cases_of_one_call_are_two_goals() -> None:
    # batch 32 labels both items: 对…的问题要…；对…的问题，要…确保…
    text = ("会议要求，对立行立改类的问题要加快推进，尽快销号，推动按期完成；对整改难度大的问题，要深入研究、找准症结，"
            "积极协调相关部门，推动整改工作有序推进。\n")
    texts = _texts(text)
    assert len(texts) == 2 and texts[0].startswith("对立行立改类") and texts[1].startswith("对整改难度大")


def test_a_commitments_list_is_cut_as_before() -> None:
    # 将 runs over the list: every part is a goal, with or without a cue of its own
    text = ("国家发改委表示，正有序推进新版清单修订，将按程序报批后印发实施；全面开展市场准入效能评估工作，"
            "明年起逐步实现市场准入效能评估全覆盖；在深海等领域再推出一批市场准入特别措施。\n")
    assert len(goals._at_semicolons(text, text.index("将按程序"), len(text) - 2)) == 3


def test_the_cases_of_one_requirement_stay_one_goal() -> None:
    # dev gold (gwr_national_2017.txt): 有条件的…；一时难以解决的… are two cases of one topic, one goal
    text = ("对群众反映强烈、期待迫切的问题，有条件的要抓紧解决，把好事办好；一时难以解决的，要努力创造条件逐步加以解决。\n")
    assert _rule_texts(text) == [text[text.index("有条件的"):-2]]


def test_a_parallel_calls_outcome_items_are_goals() -> None:
    # batch 31 (news2025_hanshou_county_government_plenary.txt): ten items, nine of them means + outcome;
    # 巧攻城乡建设，提升城市品位 and 力攻风险防范，守住各类底线 are labelled goals, 谋深谋实项目 (means) is not
    document = goal_model.load_document("news2025_hanshou_county_government_plenary.txt")
    start, end = document.text.index("要抢攻"), document.text.index("三是要紧盯")
    texts = [g.text for g in goals.extract(None, document) if start <= g.start < end]  # type: ignore[arg-type]
    assert "巧攻城乡建设，提升城市品位" in texts and "力攻风险防范，守住各类底线" in texts
    assert not any("谋深谋实项目" in t for t in texts)


def test_a_call_whose_items_run_on_is_no_parallel_call() -> None:
    # the dev gold's meeting call: items of three, two, two and three clauses
    text = ("会议号召,全市各级组织和广大社员要更加紧密地团结在党中央周围,加强思想政治建设,巩固主题教育成果;"
            "推进“人才强社”战略,增强组织活力;积极开展调查研究,提升议政建言质量;"
            "发挥科技界别优势,打造社会服务品牌,努力为开创高质量发展新局面作出更大贡献。\n")
    assert not goal_cases.parallel_call(text, goals._semicolon_pieces(text, 0, len(text) - 2))
