"""Sub-passage windows (bench.window_vectors.sentence_windows / passage_windows) and the
measurement that max-pools them into the semantic list (bench.window_vectors),
on real passages of the dev corpus."""
from __future__ import annotations

import numpy as np

from bench.window_vectors import max_pooled, rescored, window_inputs, without_windowed
from ingest.document import Document, Passage
from nlp.items import Analysis
from bench.window_vectors import WINDOW_CHARS, WINDOW_FROM, passage_windows, sentence_windows
from search.sqlite import SQLiteBackend

# ../shared/corpus gwr2026_guizhou.txt, one passage as the store cuts it (301 characters)
GUIZHOU = ("全面提升医疗服务能力。优化省市县乡村五级医疗卫生服务体系，推进5个国家区域医疗中心和6个省级区域"
           "医疗中心高效运行。持续实施医疗卫生强基工程和康复护理扩容提升工程，全面推进紧密型县域医共体建设。"
           "深化公立医院改革。完善妇幼健康服务体系。加强医务人员人才培养培训，强化村医队伍专业化规范化建设。"
           "提升省外三甲医院帮扶县级医疗机构质效，加强临床重点专科和医学重点学科建设。统筹推进中医药事业、"
           "产业、文化一体发展，加快县级中医院“两专科一中心”建设，评选表彰一批“贵州省名中医”，依托人才培养"
           "计划项目，大力培养岐黄学者、青年岐黄学者。加快提升疾控核心能力，推进传染病防控关口前移。")
# the same report, a short passage
SHORT = "深化公立医院改革。完善妇幼健康服务体系。"


def test_a_long_passage_is_cut_at_sentence_ends_into_windows_that_rebuild_it():
    windows = sentence_windows(GUIZHOU)
    assert len(GUIZHOU) > WINDOW_FROM and len(windows) >= 3
    assert "".join(windows) == GUIZHOU  # nothing lost, nothing repeated
    assert all(w.endswith("。") for w in windows)  # no sentence is split
    longest = max(len(s) + 1 for s in GUIZHOU.split("。"))
    assert all(len(w) <= WINDOW_CHARS + longest for w in windows)
    # the sentence a paraphrase would match stands in a window with few others
    assert any("传染病防控" in w and len(w) < len(GUIZHOU) / 2 for w in windows)


def test_a_short_passage_has_no_windows():
    assert len(SHORT) <= WINDOW_FROM
    assert sentence_windows(SHORT) == []
    assert passage_windows("贵州省2026年政府工作报告", SHORT) == []


def test_one_long_sentence_makes_no_windows():
    one = GUIZHOU.replace("。", "，")
    assert sentence_windows(one) == []  # one window would repeat the passage's own vector


def test_a_window_is_embedded_with_the_title_line_its_passage_has():
    title = "贵州省2026年政府工作报告"
    inputs = passage_windows(title, GUIZHOU)
    assert inputs and all(i.startswith(title + "\n") for i in inputs)
    assert [i.split("\n", 1)[1] for i in inputs] == sentence_windows(GUIZHOU)
    # a PDF line break inside the passage is a space, as in the passage's own input
    broken = passage_windows(title, GUIZHOU.replace("服务体系，", "服务体系，\n"))
    assert broken[0] == inputs[0].replace("服务体系，", "服务体系， ")


def test_windows_of_a_real_store_belong_to_their_passages(tmp_path):
    b = SQLiteBackend(tmp_path / "w.sqlite3")
    text = GUIZHOU + SHORT
    doc = Document(id="guizhou000000000", source="gwr2026_guizhou.txt", path="gwr2026_guizhou.txt",
                   format="text", title="贵州省2026年政府工作报告", text=text,
                   passages=[Passage(0, 0, len(GUIZHOU)), Passage(1, len(GUIZHOU), len(text))])
    b.add(doc, Analysis())
    b.close()
    inputs, owners = window_inputs(tmp_path / "w.sqlite3")
    assert inputs == passage_windows("贵州省2026年政府工作报告", GUIZHOU)
    assert len(set(owners)) == 1  # the short passage has none


def test_a_passage_counts_by_its_best_vector_and_once():
    rowids = np.array([1, 2, 1, 1], dtype=np.int64)  # passage 1 and two of its windows
    matrix = np.array([[0.0, 1.0], [0.6, 0.8], [1.0, 0.0], [0.8, 0.6]], dtype=np.float32)
    out = max_pooled(rowids, matrix, np.array([1.0, 0.0]), k=5)
    assert [r for _, r in out] == [1, 2]
    assert out[0][0] == 1.0  # the window, not the passage's own vector (0.0)


def test_rescoring_lifts_a_candidate_by_its_window_but_adds_no_passage_beyond_the_scan():
    # passages 1, 2, 3 (own vectors first), then a window of 1 and a window of 3
    rowids = np.array([1, 2, 3, 1, 3], dtype=np.int64)
    matrix = np.array([[0.6, 0.8], [0.8, 0.6], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]],
                      dtype=np.float32)
    q = np.array([1.0, 0.0])
    out = rescored(rowids, matrix, 3, q, k=5, scan=2)
    assert [r for _, r in out] == [1, 2]  # 1 lifted by its window; 3 was not scanned
    assert out[0][0] == 1.0
    assert [r for _, r in max_pooled(rowids, matrix, q, k=5)] == [1, 3, 2]


def test_windows_can_stand_for_their_passage():
    rowids = np.array([1, 2, 3], dtype=np.int64)
    matrix = np.eye(3, dtype=np.float32)
    kept_ids, kept = without_windowed(rowids, matrix, owners=[1, 1, 3])
    assert kept_ids.tolist() == [2] and kept.tolist() == [[0.0, 1.0, 0.0]]
