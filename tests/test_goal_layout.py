"""Paragraphs and headings read from a text's own lines (session 14, helper goalpara14): real stored texts of
batches 6, 33 and 34 -> the paragraphs and sections the paragraph- and heading-scoped readings walk."""
from __future__ import annotations

from nlp import goal_layout, goal_model, goal_voice, goals

LINSHU = "news2021_linshu_county_executive_meeting.txt"  # batch 33: a meeting report, one paragraph a line
DISTRICT_2007 = "gwr2007_district_plan_report_targets_70edu.txt"  # batch 34: 二、2007年…主要预期目标 (27 characters)
BEIJING = "gwr2026_beijing_excerpt.txt"  # batch 6: 二、“十四五”时期发展成就和“十五五”时期主要目标任务
CONTENTS = "budget2024_dongzhi_huayuan_township_unit_budget_big5.txt"  # a budget's contents list, lines of like length


def _text(name: str) -> str:
    return goal_model.load_document(name).text


def test_a_text_of_single_line_breaks_has_a_paragraph_a_line() -> None:
    text = _text(LINSHU)
    paragraphs = [(ps, pe) for ps, pe, _ in goals._layout(text)]
    assert len(paragraphs) == len([line for line in text.split("\n") if line.strip()])
    assert all("\n" not in text[ps:pe] for ps, pe in paragraphs)


def test_the_expert_voice_of_an_agenda_line_stays_in_its_line() -> None:
    """专家评选…形势分析 (an agenda line) read 专家…分析 as an expert speaking: no 要 line of the meeting after it
    is a commentator's advice."""
    text = _text(LINSHU)
    experts = goal_voice.expert_paragraphs(text, tuple((ps, pe) for ps, pe, _ in goals._layout(text)))
    assert [text[ps:pe][:6] for ps, pe in experts] == ["会议研究审议"]
    found = [g.text for g in goals.extract(None, goal_model.load_document(LINSHU))]  # type: ignore[arg-type]
    assert any(t.endswith("确保实现全年目标任务") for t in found)


def test_a_long_numbered_heading_opens_its_section() -> None:
    text = _text(DISTRICT_2007)
    heading = "二、2007年我区国民经济和社会发展的主要预期目标"
    start = text.index(heading)
    sections = goals._sections(text, [])
    assert not any(s <= start < e for s, e, _ in sections)  # a heading, no sentence of its own
    after = next(kind for s, _, kind in sections if s > start)
    assert after == "plan"
    assert goals._is_heading(text, start, start + len(heading))


def test_a_review_heading_naming_the_coming_targets_opens_no_plan_section() -> None:
    text = _text(BEIJING)
    heading = "二、“十四五”时期发展成就和“十五五”时期主要目标任务"
    start = text.index(heading)
    assert goals._is_heading(text, start, start + len(heading))
    assert goals._orientation(heading, None) == "review"  # a short heading of the same words heads a review
    assert goals._over_review_and_plan(heading)
    after = next(kind for s, _, kind in goals._sections(text, []) if s > start)
    assert after is None


def test_a_contents_list_is_no_hard_wrapped_text() -> None:
    assert goal_layout.wrap_width(_text(CONTENTS).split("\n")) is None


def test_a_hard_wrapped_paragraph_stays_one_paragraph() -> None:
    line = "全县各级要保持发展定力、精准把握形势，突出稳中求进，把优势工作保持住。"  # 36 characters, a wrap's width
    wrapped = "\n".join([line[:-1] + "好"] * 9 + ["要突出问题导向。", "二、主要目标", line])
    ends = goal_layout.line_paragraph_ends(wrapped)
    assert [wrapped[:b].count("\n") for b in ends] == [9, 10]  # after the short closing line and the heading


def test_a_text_with_blank_lines_keeps_its_single_breaks_inside_paragraphs() -> None:
    assert goal_layout.line_paragraph_ends("第一段第一行。\n第一段第二行。\n\n第二段。") == []


def test_a_running_sentence_is_no_heading_however_it_opens() -> None:
    assert goal_layout.is_heading_line("二、2007年我区国民经济和社会发展的主要预期目标")
    assert not goal_layout.is_heading_line("一是增强高质量发展新动能和经济社会发展的主要预期目标任务")
    assert not goal_layout.is_heading_line("二、全年地区生产总值增长6%，城镇新增就业1万人以上")


def test_a_meetings_requirements_run_on_across_its_lines() -> None:
    """会议要求，…要… opens a run of requirements to its paragraph's end; in a text of one paragraph a line the next
    line's 会议指出，市审计局要… goes on with it (kinds12's rectification meeting, labelled a goal)."""
    text = _text("rectification2024_daye_audit_rectification_meeting.txt")
    kinds = {text[s:e][:7]: kind for s, e, kind in goals._sections(text, [])}
    assert kinds["会议强调,各责"] == "next"
    assert kinds["会议指出,市审"] == "next"
