"""Runs of requirements and measures in self-evaluation and rectification texts (nlp.goal_self): real stored
texts of the kinds12 training batch and batch 1 -> the goals the labellers count, and no run outside such texts."""
from __future__ import annotations

import pytest

from ingest.document import Document
from nlp import goal_model, goal_self, goals
from tests.text_documents import one_page

DAYE = "rectification2024_daye_audit_rectification_meeting.txt"  # kinds12: a city's rectification meeting
XIJI = "rectification_xiji_county_audit_rectification_meeting.txt"  # kinds12: a county's, commentary first
PIZHOU = "rectification2023_pizhou_audit_rectification_executive_meeting.txt"  # kinds12: ends on a byline
HONGZE = "govinfo2023_jiangsu_huaian_hongze_district_annual_report.pdf"  # batch 1: an annual report's measures


def _goal_texts(name: str) -> list[str]:
    document = goal_model.load_document(name)
    return [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]


def _doc(text: str) -> Document:
    return one_page(text, "t")


def test_a_meetings_cue_less_requirements_after_its_opener_are_goals() -> None:
    found = _goal_texts(DAYE)
    # after 会议要求，…要…: a requirement with no cue word, and the closing purpose sentence
    assert any(t.startswith("对审计查出问题不重视") for t in found)
    assert any(t.startswith("通过部门监督的贯通协作") for t in found)


def test_commentary_before_the_opener_and_the_openers_own_intro_stay_out() -> None:
    text = goal_model.load_document(XIJI).text
    sections = goals._sections(text, [])

    def kind(start: str) -> str | None:
        return next(k for s, e, k in sections if text[s:e].startswith(start))

    assert kind("会议指出,做好审计整改") != "next"  # 更是必须履行的法定职责: no modal, no run
    assert kind("整改质量直接影响") != "next"
    assert kind("审计部门要加强日常调度") == "next"
    assert not any(t.startswith("会议指出,做好审计整改") for t in _goal_texts(XIJI))


def test_a_byline_ends_the_run() -> None:
    assert not any("魏海峰" in t for t in _goal_texts(PIZHOU))
    assert any(t.startswith("既整改具体问题") for t in _goal_texts(PIZHOU))


def test_an_annual_reports_measures_after_its_next_step_are_goals() -> None:
    text = goal_model.load_document(HONGZE).text
    second = text.index("二是围绕区委区政府中心工作")
    assert any(s <= second < e and k == "next" for s, e, k in goals._sections(text, []))


def test_the_same_requirements_in_a_text_that_reports_no_own_work_open_no_run() -> None:
    body = "会议要求，各单位要高度重视。坚持问题导向，按照时间表完成各项任务。"
    other = "市政府召开全市安全生产工作会议。" + body
    own = "市政府召开全市审计整改工作会议。" + body
    assert goal_self.is_self_text(own) and not goal_self.is_self_text(other)
    assert not any(k == "next" for _, _, k in goals._sections(other, []))
    assert [k for _, _, k in goals._sections(own, [])][-1] == "next"
    assert any(g.text.startswith("坚持问题导向") for g in goals.extract(None, _doc(own)))  # type: ignore[arg-type]


def test_a_quoted_document_is_no_meeting_opener() -> None:
    assert goal_self.opens_run("会议强调，审计整改是重要环节，要提高政治站位")
    assert not goal_self.opens_run("覃伟中市长在2023年政府工作报告中指出，要认真抓好审计发现问题的整改")
    assert not goal_self.opens_run("会议指出，做好审计整改更是必须履行的法定职责")


def test_a_bad_opener_line_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    real = goal_self.corpora.read_lines
    monkeypatch.setattr(goal_self.corpora, "read_lines",
                        lambda *parts: ["requirement"] if parts[-1] == "self_run_openers.txt" else real(*parts))
    goal_self._lists.cache_clear()
    try:
        with pytest.raises(ValueError, match="self_run_openers.txt: line 1"):
            goal_self._lists()
    finally:
        goal_self._lists.cache_clear()


HOSPITAL = "selfeval2023_honghe_second_hospital_public_health_funds.txt"  # batch 28: a hospital's self-evaluation
NANXIAN = "selfeval2021_nanxian_cppcc_dept_evaluation.txt"  # batch 23: a department's evaluation
LEIYANG = "selfeval2022_leiyang_no4_middle_school_funds.txt"  # kinds12: a school's funds


def test_the_goals_under_a_goal_heading_are_goals_though_it_names_their_completion() -> None:
    # (二)总体绩效目标完成情况分析。 then the fund's goals; (三)绩效指标完成情况分析 (indicators' results) ends the part
    found = _goal_texts(HOSPITAL)
    assert any(t.startswith("1.免费向城乡居民提供基本公共卫生服务") for t in found)
    assert not any("开展工作督导" in t for t in found)
    assert any(t.startswith("努力做好联谊交流") for t in _goal_texts(NANXIAN))  # under (二)部门整体支出绩效目标


def test_the_funds_under_a_goal_heading_are_no_goal() -> None:
    assert not any("1000元" in t or "239万元" in t for t in _goal_texts(LEIYANG))
    assert goal_self.is_goal_heading("(二)总体绩效目标完成情况分析。")
    assert not goal_self.is_goal_heading("(三)绩效指标完成情况分析。")
    assert not goal_self.is_goal_heading("一是强化绩效目标管理")

QIANYANG = "review_qianyang_inspection_rectification_lookback.txt"  # batch 34: requirements listed after a report's line
JIAOZUO = "news2025_jiaozuo_government_office_inspection_rectification.txt"  # batch 33: a rectification meeting
LUOHU = "rectification2025_luohu_audit_interview_meeting.txt"  # batch 32: 会议强调，一是…
PARK = "selfeval_nanxian_park_project_sample_big5.txt"  # batch 34: a park's goal part with its breakdown


def test_requirements_listed_after_a_framing_line_are_goals() -> None:
    # …提出了整改时限和要求 / 一是夯实整改责任。各被巡察党组织（单位）负责人要…: the items are requirements
    found = _goal_texts(QIANYANG)
    assert any(t.startswith("一是夯实整改责任") for t in found)
    assert any(t.startswith("各镇和相关单位抽调精干力量") for t in found)
    assert not any("提出了整改时限和要求" in t for t in found)  # the framing line itself is no goal


def test_a_framing_line_without_its_items_opens_no_run() -> None:
    assert goal_self.opens_run("各督导组提出了整改时限和要求", "一是夯实整改责任") == "listed"
    assert goal_self.opens_run("并对下步整改工作提出具体要求", "会上，审计局汇报了整改情况") is None
    assert goal_self.opens_run("会议强调，一是提高政治站位，压实整改责任") == "requirement"  # an item mark, no modal


def test_the_openers_own_requirement_is_a_goal() -> None:
    # 会议要求，要压实整改责任。 (then the items of that requirement): the opener states the first requirement
    assert any(t.endswith("要压实整改责任") or "要压实整改责任" in t for t in _goal_texts(JIAOZUO))
    assert any(t.startswith("要坚持“当下改”与“长久立”相结合") for t in _goal_texts(LUOHU))


def test_a_goal_parts_breakdown_is_no_goal() -> None:
    # (二)项目绩效目标 / xx公园管理区域内…的卫生保洁… (a goal) / 其中南县xx公园绿化面积约16万㎡… (what it covers)
    found = _goal_texts(PARK)
    assert any(t.startswith("xx公園管理區域內") for t in found)
    assert not any("面積約" in t for t in found)
