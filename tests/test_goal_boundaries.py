"""Where a goal starts and ends: goals found whole or in pieces are cut the way a labelled run is cut.

Real documents kept in ``corpora/goals/documents``: the 2023 national report digest (a speaker's frame
and a ；-list of targets; a planned amount and the tasks after it), the eight-ministries news item (a
striving with a quantity heading six outcomes), the 13th-plan news digest of the boundary sample, and a
sentence of Gansu's 2026 report (an outcome, a count target and a share target found in two pieces).
The bench that counts boundary errors (``bench.goal_boundaries``) is checked on hand-made items with
the shared scorer's own matching.
"""
from __future__ import annotations

import json

import pytest

import corpora
from bench import goal_boundaries, goal_items
from ingest.document import Document
from ingest.readers import read
from nlp import goal_model, goals
from tests.text_documents import one_page


def _texts(name: str, start: str, end: str) -> list[tuple[str, bool]]:
    document = goal_model.load_document(name)
    s = document.text.index(start)
    e = document.text.index(end, s) + len(end)
    return [(g.text, g.vague) for g in goals.extract(None, document) if s <= g.start < e]


def _doc(text: str) -> Document:
    return one_page(text, "t")


def test_a_speakers_frame_and_a_list_intro_are_cut_off_the_first_target() -> None:
    found = _texts("gwr2023_national_govcn_digest.txt", "李克强5日在政府工作报告中指出，今年发展主要预期目标是",
                   "城镇调查失业率5.5%左右")
    assert found[:3] == [("国内生产总值增长5%左右", False), ("城镇新增就业1200万人左右", False),
                         ("城镇调查失业率5.5%左右", False)]


def test_a_planned_amount_and_the_tasks_after_it_are_goals_each_with_its_own_vagueness() -> None:
    found = _texts("gwr2023_national_govcn_digest.txt", "今年拟安排地方政府专项债券3.8万亿元", "激发民间投资活力")
    assert found[:3] == [("今年拟安排地方政府专项债券3.8万亿元", False), ("加快实施“十四五”重大工程", True),
                         ("实施城市更新行动", True)]
    assert found[-1] == ("激发民间投资活力", True)


def test_a_striving_with_a_quantity_heads_one_goal_per_outcome() -> None:
    found = _texts("news2021_sina_eight_ministries.txt", "税务部门力争经过5年左右努力", "更好营造公平竞争的税收环境")
    assert [t for t, _ in found][:3] == ["税务部门力争经过5年左右努力", "基本建成以税收大数据为驱动力的智慧税务",
                                         "实现从经验式执法向科学精确执法转变"]
    assert len(found) == 7


def test_a_purpose_and_the_targets_after_it_are_goals_apart() -> None:
    found = _texts("news2016_13th_plan_draft_key_numbers.txt", "李克强表示要实现全面建成小康社会的目标", "翻一番")
    assert found == [("李克强表示要实现全面建成小康社会的目标", True),
                     ("到2020年国内生产总值和城乡居民人均收入比2010年翻一番", False)]


def test_goals_found_in_pieces_side_by_side_are_joined_into_the_run_they_belong_to() -> None:
    # Gansu 2026: the rules found the count target and the share target as two goals; one target run
    text = ("体现甘肃特色和优势的现代化产业体系加快构建，打造4个国家先进制造业集群、6个千亿级产业集群，"
            "工业和制造业占比、战略性新兴产业占比、数字经济核心产业占比稳步提高。")
    document = _doc(text)
    count = text.index("打造")
    share = text.index("工业和制造业")
    pieces = [goals._goal(document, count, share - 1, text[count:share - 1], source="text"),
              goals._goal(document, share, len(text) - 1, text[share:-1], source="text")]
    assert [g.text for g in goals._regrouped(document, pieces)] == [text[count:-1]]


def test_a_goal_that_starts_inside_a_clause_is_left_as_it_is() -> None:
    text = "会议强调，要确保全年粮食产量稳定在1.3万亿斤以上，城镇新增就业1100万人以上。"
    document = _doc(text)
    s = text.index("确保")
    goal = goals._goal(document, s, len(text) - 1, text[s:-1], source="text")
    assert goals._regrouped(document, [goal]) == [goal]


def test_a_plan_period_end_is_a_horizon() -> None:
    assert goals._is_horizon("到“十二五”期末")
    assert goals._is_horizon("“十四五”时期")
    assert not goals._is_horizon("“十二五”期末完成的项目")


@pytest.mark.parametrize("clause, frame", [
    ("国务院总理李克强5日在政府工作报告中指出", True),
    ("今年发展主要预期目标是", True),
    ("财政部有关负责人表示", True),
    ("确保完成全年目标任务", False),  # a goal, though it ends on 目标任务
    ("实现全年经济社会发展目标", False),
    ("权责更加明确", False),
])
def test_frame_clauses(clause: str, frame: bool) -> None:
    assert goals._is_frame(clause) is frame


def test_the_bench_tells_a_merged_goal_from_split_pieces_and_whole_errors() -> None:
    gold = [{"doc": "d", "type": "goal", "start": 0, "end": 10}, {"doc": "d", "type": "goal", "start": 11, "end": 20},
            {"doc": "d", "type": "goal", "start": 30, "end": 50}, {"doc": "d", "type": "goal", "start": 60, "end": 70}]
    pred = [{"doc": "d", "type": "goal", "start": 0, "end": 20},  # over the first two gold goals
            {"doc": "d", "type": "goal", "start": 30, "end": 38}, {"doc": "d", "type": "goal", "start": 40, "end": 50},
            {"doc": "d", "type": "goal", "start": 80, "end": 90}]  # no gold goal there
    gk, pk, pairs = goal_boundaries.classify(gold, pred, goal_items._scorer())
    assert [k for _, k in gk] == ["matched", "merged", "matched", "missed"]
    assert [k for _, k in pk] == ["matched", "split", "matched", "false"]
    assert len(pairs) == 2


@pytest.mark.parametrize("sample", ["boundary_sample.jsonl", "boundary_sample_b.jsonl"])
def test_the_boundary_samples_are_clauses_of_their_own_unused_documents(sample: str) -> None:
    rows = [json.loads(line) for line in corpora.path("goals", sample).open(encoding="utf-8")]
    used = {json.loads(line)["doc"] for p in corpora.path("goals").glob("clause_labels*.jsonl")
            for line in p.open(encoding="utf-8")}
    assert {r["doc"] for r in rows}.isdisjoint(used)
    for name in {r["doc"] for r in rows}:
        document = goal_model.load_document(name)
        cls = {(s, e) for s, e, _ in goal_model.document_clauses(document)}
        for r in (r for r in rows if r["doc"] == name):
            assert (r["start"], r["end"]) in cls and document.text[r["start"]:r["end"]] == r["text"]
            assert r["label"] in ("0", "g", "v")


def test_a_requirement_written_as_a_要_line_starts_at_its_outcomes() -> None:
    # 做好政府工作，要在…领导下，以…思想为指导，全面贯彻…，…，推动经济运行整体好转，…，为…开好局起好步。
    found = _texts("gwr2023_national_govcn_digest.txt", "做好政府工作，要在以习近平同志为核心的党中央坚强领导下", "开好局起好步")
    assert len(found) == 1
    text, vague = found[0]
    assert text.startswith("推动经济运行整体好转") and text.endswith("为全面建设社会主义现代化国家开好局起好步") and vague


def test_a_comment_after_a_target_goes_with_it() -> None:
    # the 2017 national report: a target and its comment (突出了…导向) are not a target and a second goal
    document = read(corpora.path("samples", "gwr_national_2017.txt"))
    start = document.text.index("城镇新增就业预期目标比去年多100万人")
    texts = [g.text for g in goals.extract(None, document) if start <= g.start < start + 40]
    assert texts == ["城镇新增就业预期目标比去年多100万人，突出了更加重视就业的导向"]


def test_an_unquantified_item_of_a_target_list_is_cut_per_target_as_the_dev_gold_cuts_it() -> None:
    # the 2017 national report's target list: 进出口回稳向好，国际收支基本平衡 is one ；-part of it, and
    # the dev gold has two goals there (it had become one when the ；-part was cut on its own)
    document = read(corpora.path("samples", "gwr_national_2017.txt"))
    text = document.text
    cls = goal_model.document_clauses(document)
    n = next(k for k, (s, e, _) in enumerate(cls) if text[s:e].startswith("国际收支基本平衡"))
    assert goals.in_target_list(text, cls, n) and goals.list_continues(text, cls, n - 1)
    assert not goals.list_continues(text, cls, n)  # 进出口… and 国际收支… are split by a comma only
    found = [g.text for g in goals.extract(None, document)]
    assert "进出口回稳向好" in found and "国际收支基本平衡" in found
    # a sentence that is no target list keeps its ；-parts apart
    plain = _doc("我们要加强基础研究，推进科技创新；完善人才政策，优化创新生态。")
    pcls = goal_model.document_clauses(plain)
    assert not any(goals.in_target_list(plain.text, pcls, k) for k in range(len(pcls)))


def test_the_labelled_gold_cuts_an_item_of_a_target_list_as_the_extractor_does() -> None:
    text = "今年主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；进出口回稳向好，国际收支基本平衡。"
    document = _doc(text)
    cls = goal_model.document_clauses(document)
    run = [(n, s, e, k, True) for n, (s, e, k) in enumerate(cls) if text[s:e].startswith(("进出口", "国际收支"))]
    gold = goal_items._goal("t.txt", document, run, cls)
    assert [g["text"].rstrip("。；") for g in gold] == ["进出口回稳向好", "国际收支基本平衡"]
