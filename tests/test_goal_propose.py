"""The goal proposer (nlp.goal_propose): frames name clauses no rule proposes, the clause model keeps or drops
them, and a bad frame file is an error naming the file and line, never a crash later."""
from __future__ import annotations

import pytest

from ingest.document import Document, Page
from nlp import goal_model, goal_propose, goals
from tests.text_documents import one_page

NEWS = ("国家发展改革委有关负责人表示，今年将持续推进重大项目建设，努力形成更多实物工作量。"
        "一、去年工作回顾\n去年安排资金3500万元，改造老旧小区12个。")


def _frames(threshold: float) -> tuple[goal_propose.Frame, ...]:
    """The shipped frames but the one naming any clause (model_sure), at one threshold (a frame may be off
    in the shipped file)."""
    return tuple(f._replace(threshold=threshold) for f in goal_propose.frames() if f.name != "model_sure")


def _doc(text: str) -> Document:
    return one_page(text, "t")


def _texts(document: Document, spans: dict[tuple[int, int], goal_propose.Frame]) -> list[str]:
    return [document.text[s:e] for s, e in sorted(spans)]


def test_a_reported_plan_is_proposed_from_its_modal_on_not_the_speaker() -> None:
    document = _doc(NEWS)
    found = goal_propose.candidates(document, [], [], _frames(0.5))
    texts = _texts(document, found)
    assert "今年将持续推进重大项目建设" in texts and "努力形成更多实物工作量。" in texts
    assert not any("表示" in t for t in texts)
    assert found[next(k for k in found if document.text[k[0]:k[1]] == "今年将持续推进重大项目建设")].name == "reported_plan"


def test_no_clause_is_proposed_in_a_review_section_or_under_a_rule_goal() -> None:
    document = _doc(NEWS)
    texts = _texts(document, goal_propose.candidates(document, [], [], _frames(0.5)))
    assert not any("3500万元" in t or "老旧小区" in t for t in texts)  # 去年工作回顾: a review
    start = NEWS.index("今年将")
    rule = goals._goal(document, start, start + 13, NEWS[start:start + 13], source="text")
    assert "今年将持续推进重大项目建设" not in _texts(document, goal_propose.candidates(document, [rule], [], _frames(0.5)))


def test_a_proposed_clause_becomes_a_goal_only_at_its_frames_threshold() -> None:
    document = _doc(NEWS)
    cls = goal_model.document_clauses(document)
    for threshold, want in ((0.5, ["今年将持续推进重大项目建设，努力形成更多实物工作量"]), (0.9, [])):
        proposed = goal_propose.candidates(document, [], [], _frames(threshold))
        scores = [(s, e, k, 0.8 if (s, e) in proposed else 0.0) for s, e, k in cls]
        assert [g.text for g in goal_propose.proposed_goals(document, scores, proposed, [])] == want


def test_a_frame_above_1_proposes_nothing() -> None:
    assert goal_propose.candidates(_doc(NEWS), [], [], _frames(1.01)) == {}


@pytest.mark.parametrize("line, reason", [
    ("only\ttwo", "want name"), ("x\tsideways\tany\t0.5\t将", "want name"), ("x\tafter\tnowhere\t0.5\t将", "want name"),
    ("x\tafter\tany\t0.5\t(将", "bad pattern"), ("x\tafter\tany\thigh\t将", "want name")])
def test_a_bad_frame_line_names_the_file_and_line(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=rf"propose_frames.txt: line 2: {reason}"):
        goal_propose.parse_frames(["ok\tclause\tany\t0.5\t将", line])


def test_the_shipped_frames_parse() -> None:
    names = [f.name for f in goal_propose.frames()]
    assert names and len(names) == len(set(names))


def test_the_leave_out_bench_gives_the_pipelines_goals(tmp_path, monkeypatch) -> None:
    """bench.goal_propose (and bench.goal_lobo under it) with the shipped model's probabilities gives exactly
    the goals ``goals.extract`` gives: cut at ；-lists, regrouped, with the proposer's goals (three here:
    the 新华社 item's 今年要优先稳就业保民生… after a speech verb). Before session 11 the bench kept target lists whole."""
    from bench import goal_add, goal_items, goal_lobo
    from bench import goal_propose as bench_propose

    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(tmp_path))
    name = "gwr2020_national_jschina_xinhua_targets.txt"
    c = goal_add._cache(name)
    keep = goal_lobo.scored(name)
    p = goal_model._proba(goal_model.model(), [goal_add._veto_view(c["records"][n]) for n in keep])
    veto = [(*c["cls"][n], float(x)) for n, x in zip(keep, p)]
    proposed = bench_propose.proposals(name, goal_propose.frames())
    assert len([1 for s, e, _, x in veto if (s, e) in proposed and x >= proposed[(s, e)].threshold]) >= 2
    bench = bench_propose.items(name, veto, goal_propose.frames())
    pipeline = goal_items.predictions([name], True)[name]
    assert [(g["start"], g["end"]) for g in bench] == [(g["start"], g["end"]) for g in pipeline]
    assert len(bench) > len(bench_propose.items(name, veto, None))


MEETING = ("12月17日，县政府召开常务会议。\n"
           "会议指出，2024年，全县上下全力以赴拼经济搞建设，成绩来之不易。\n"
           "会议强调，要全力完成年度目标任务。要对照2024年工作目标和重点任务，迅速补短板、强弱项。"
           "要聚焦民生关切，办好民生实事。\n"
           "会议还研究了其他事项。")


def _named(document: Document, found: dict[tuple[int, int], goal_propose.Frame], name: str) -> list[str]:
    return [document.text[s:e] for (s, e), f in sorted(found.items()) if f.name == name]


def test_a_meetings_requirement_section_runs_to_the_end_of_its_paragraph() -> None:
    """会议强调，要…。要…。要…: every sentence of the paragraph after the meeting's verb is a candidate, not only
    the first (the after scope stops at the sentence's end); the next paragraph is not."""
    document = _doc(MEETING)
    found = goal_propose.candidates(document, [], [], _frames(0.5))
    assert "要全力完成年度目标任务。" in _texts(document, found)  # reported_plan names it too (强调，…要)
    texts = _named(document, found, "news_meeting")
    assert "迅速补短板、强弱项。" in texts and "办好民生实事。" in texts
    assert not any("其他事项" in t or "常务会议" in t for t in texts)


def test_a_plan_opened_by_its_year_carries_over_its_semicolon_items() -> None:
    """2025年，鹿乡镇将聚焦…；聚焦…；… (batch 30): the ；-items end sentences, and each is a candidate."""
    text = goal_model.load_document("news2024_luxiang_town_npc_session.txt").text
    document = _doc(text)
    texts = _named(document, goal_propose.candidates(document, [], [], _frames(0.5)), "news_year_plan")
    assert "鹿乡镇将聚焦项目攻坚" in texts and "聚焦补链强链" in texts and "聚焦施政水平" in texts
    assert not any("2024年" in t or "人大主席" in t for t in texts)  # the review and the next paragraph


def test_a_paragraph_frame_proposes_nothing_in_a_review_sentence_it_runs_into() -> None:
    """A sentence that reports targets met (reported_met) is no candidate even inside the paragraph."""
    document = _doc("会议强调，要全力完成年度目标任务。去年主要目标任务圆满完成。\n")
    assert _texts(document, goal_propose.candidates(document, [], [], _frames(0.5))) == ["要全力完成年度目标任务。"]


def test_paragraph_candidates_become_goals_one_per_sentence() -> None:
    """The candidates of a meeting's paragraph the model is sure of are goals, each sentence's run its own goal."""
    document = _doc(MEETING)
    proposed = goal_propose.candidates(document, [], [], _frames(0.5))
    cls = goal_model.document_clauses(document)
    sure = [(s, e, k, 0.8 if (s, e) in proposed and "成绩" not in MEETING[s:e] and "2024年" != MEETING[s:e] else 0.0)
            for s, e, k in cls]
    texts = [g.text for g in goal_propose.proposed_goals(document, sure, proposed, [])]
    assert "要对照2024年工作目标和重点任务，迅速补短板、强弱项" in texts and "要聚焦民生关切，办好民生实事" in texts


def test_in_a_pdf_a_paragraph_runs_over_wrapped_lines_to_a_blank_line() -> None:
    """PDF lines wrap at the page width: a single line break does not end the requirement section, a blank line does."""
    text = ("会议强调，要全力完成年度目标任务，确保经济平稳运行。要对照年初确定的工作目标\n"
            "和重点任务，迅速补短板、强弱项。要聚焦民生关切，办好各项民生实事。\n\n"
            "下午，代表们分组审议了计划报告和预算报告，并提出意见建议。")
    document = Document(id="t", source="t.pdf", path="t.pdf", format="pdf", title="t", text=text,
                        pages=[Page(1, 0, len(text))])
    texts = _named(document, goal_propose.candidates(document, [], [], _frames(0.5)), "news_meeting")
    assert "迅速补短板、强弱项。" in texts and "办好各项民生实事。" in texts  # a sentence after the wrapped line
    assert not any("代表们" in t or "意见建议" in t for t in texts)
