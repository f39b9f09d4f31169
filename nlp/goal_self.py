"""Runs of requirements and measures in self-evaluation and rectification texts (session 13).

Why: a rectification meeting's report states its requirements sentence after sentence after one
speech verb (会议强调，…要提高政治站位…。各责任单位要综合施策，加快完成整改任务。坚持“能快则快”的原则，
按照既定的整改时间表、路线图完成整改任务。既整改具体问题，也要深挖症结所在…), and a self-evaluation or an
annual report states its measures after one 下一步 (针对存在问题，下一步，将切实抓好以下工作：一是…). The
labellers count each sentence of such a run as a goal; the cue rules see only the sentences with a cue
word, and no heading opens the run, so the section walk (:func:`nlp.goals._sections`) left them in no
section. Here a run is a next-steps section of its own: it opens after a sentence of
``self_run_openers.txt`` that also holds a modal, only in a text whose head marks it as reporting on its
own work (``self_texts.txt``), and ends at its paragraph's end, at a heading, or at a sentence of
``self_run_stops.txt`` (the meeting's report goes on). Session 15: a report's line framing requirements made
(…提出了整改时限和要求) opens a run when the list's first item follows (一是夯实整改责任。…), and an opener that states
a requirement itself (会议要求，要压实整改责任) is a goal of its run. Everything here is data in ``corpora/goals``.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Sequence

import corpora
from nlp.regex_union import goal_vocabulary

HEAD_CHARS = 150  # a document's head: its title lines and the start of its lead
HEADING_CHARS = 40  # a short line that may head a part (as nlp.goals._sections_of reads short intros)
NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")  # (三)绩效指标…: a new part
# a top-level part's mark (二、): it ends a goal part opened under a lower mark ((二)项目绩效目标) even when the page
# runs its heading on into its first sentence (二、绩效评价工作开展情况为加强…，…县本级机构减少173个) - session 18, fin18
TOP_MARK = re.compile(r"^\s*[一二三四五六七八九十]+、")
# a sentence that opens with its own label and a colon: an item mark, the label, the colon; the label a goal's or the next
# steps' (``inline_labels.txt``: （一）部门整体支出绩效目标：巩固…, (三)下一步工作：进一步加强…) - session 18, goalfin18
INLINE_LABEL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?\s*"
                          r"(?P<label>[^：:。，,；;！？]{2,20})[：:]")


MIN_STATED = 4  # what follows a label: at least this many characters, else the line is a heading


@functools.lru_cache(maxsize=1)
def _inline_labels() -> re.Pattern[str]:
    return goal_vocabulary("inline_labels.txt")


def inline_label_end(sentence: str) -> int:
    """Where a goal's or the next steps' own label and colon end at the sentence's start (0: no such label)."""
    m = INLINE_LABEL.match(sentence)
    if m is None or not _inline_labels().search(m.group("label")):
        return 0
    return m.end()
ORDINAL = re.compile(r"\s*(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]|首先)")  # 一是…: a listed item; .match only (at a position)
MODAL = re.compile(r"(?<![主需重只紧想必纲概])要(?!求)|务必|(?<![只必])需(?!要)|确保")  # not 必须: 更是必须履行的法定职责
Section = tuple[int, int, "str | None"]


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...], re.Pattern[str]]:
    """``self_texts.txt``, ``self_run_openers.txt`` (kind, pattern) and ``self_run_stops.txt``, compiled."""
    texts = goal_vocabulary("self_texts.txt")
    openers = []
    for number, line in enumerate(corpora.read_lines("goals", "self_run_openers.txt"), 1):
        kind, sep, pattern = line.partition("\t")
        if not sep or not pattern:
            raise ValueError(f"self_run_openers.txt: line {number}: want a kind and a pattern, tab-separated: {line[:40]!r}")
        openers.append((kind, re.compile(pattern)))
    stops = goal_vocabulary("self_run_stops.txt")
    return texts, tuple(openers), stops


@functools.lru_cache(maxsize=1)
def _goal_headings() -> re.Pattern[str]:
    """``self_goal_headings.txt``, compiled."""
    return goal_vocabulary("self_goal_headings.txt")


@functools.lru_cache(maxsize=1)
def _part_details() -> re.Pattern[str]:
    """``self_part_details.txt``, compiled: a goal part's sentences that state no goal (its funds, a breakdown)."""
    return goal_vocabulary("self_part_details.txt")


def is_goal_heading(line: str) -> bool:
    """A heading (or a short numbered line) stating a self-evaluation's goals: (二)总体绩效目标完成情况分析。"""
    line = line.strip()
    return len(line) <= HEADING_CHARS and _goal_headings().search(line) is not None


def is_self_text(text: str) -> bool:
    """The text's head says it reports on its own work (审计整改…会议, …绩效自评报告, …工作总结)."""
    return _lists()[0].search(text[:HEAD_CHARS]) is not None


def opens_run(sentence: str, following: str = "") -> str | None:
    """The kind of run the sentence opens (``None``: none): an opener of ``self_run_openers.txt``.

    A requirement's opener must have a modal after it (会议要求，要…) or an item mark right after it (会议强调，一是…);
    a list's framing line (…提出了整改时限和要求) opens a run only when the ``following`` sentence is its first
    item (一是…): without the items the line only reports that requirements were made.
    """
    for kind, p in _lists()[1]:
        m = p.search(sentence)
        if m is None:
            continue
        if kind == "requirement" and not (MODAL.search(sentence, m.end()) or ORDINAL.match(sentence, m.end())):
            continue
        if kind == "listed" and not ORDINAL.match(following):
            continue
        return kind
    return None


def states_requirement(sentence: str) -> bool:
    """A requirement run's opener states a requirement itself (会议要求，要压实整改责任): a modal after the opener."""
    return any(kind == "requirement" and (m := p.search(sentence)) is not None
               and MODAL.search(sentence, m.end()) is not None for kind, p in _lists()[1])


def ends_run(sentence: str) -> bool:
    """The sentence ends a run: the report of the meeting goes on (会议听取了…; …提出了具体的指导要求)."""
    return _lists()[2].search(sentence) is not None


def with_runs(text: str, sections: Sequence[Section], paragraphs: Sequence[tuple[int, int]],
              headings: Sequence[tuple[int, int]]) -> list[Section]:
    """``sections`` (every sentence with its section kind, in order) with the sentences of each run and of each
    goal part made ``"next"``, in a text that reports on its own work (else left as they are).

    A run opens after a sentence of ``self_run_openers.txt`` and ends at its paragraph's end, at the first
    heading after it or at a stop (``self_run_stops.txt``); a goal part opens after a heading or a short
    numbered line of ``self_goal_headings.txt`` and ends at the next heading or short numbered line (a sentence of
    it of ``self_part_details.txt``, the funds or a breakdown opening on 其中, keeps its kind). A requirement run's
    opener that states a requirement itself (会议要求，要压实整改责任) is ``"next"`` too.
    ``paragraphs``: the text's paragraph spans; ``headings``: the heading lines' spans (not in ``sections``).
    """
    if not is_self_text(text):
        return list(sections)
    ends = sorted(pe for _, pe in paragraphs)
    heads = sorted(headings)
    starts = [hs for hs, _ in heads]
    out: list[Section] = []
    run_end = -1  # the end of an open run (-1: none)
    part_end = -1  # the end of an open goal part (-1: none)
    last_head = -1  # the heading a goal part was last opened under
    part_top = True  # the goal part was opened by a top-level mark (一、): no 二、 sentence ends it but a heading
    for i, (ss, se, kind) in enumerate(sections):
        sentence = text[ss:se]
        k = bisect.bisect_right(starts, ss) - 1  # the last heading before this sentence
        if k >= 0 and k != last_head:
            last_head = k
            part_end = _next_start(starts, ss, len(text)) if is_goal_heading(text[heads[k][0]:heads[k][1]]) else -1
            part_top = bool(TOP_MARK.match(text[heads[k][0]:heads[k][1]]))
        label = inline_label_end(sentence)
        if label and len(sentence[label:].strip("。；;！!？? ")) >= MIN_STATED:
            out.append((ss, se, "next"))  # （一）部门整体支出绩效目标：巩固…: this sentence states the goal
            continue
        if len(sentence.strip()) <= HEADING_CHARS and NUMBERED.match(sentence):  # a short numbered line heads a part
            part_end = _next_start(starts, se, len(text)) if is_goal_heading(sentence) else -1
            part_top = bool(TOP_MARK.match(sentence))
            run_end = -1
            out.append((ss, se, None if part_end >= 0 else kind))
            continue
        if part_end >= 0 and not part_top and TOP_MARK.match(sentence):
            part_end = -1  # a higher part begins, its heading run on into this sentence
        if 0 <= part_end <= ss:
            part_end = -1
        if run_end >= 0 and (ss >= run_end or ends_run(sentence)):
            run_end = -1
        if (part_end >= 0 and not _part_details().search(sentence)) or (run_end >= 0 and kind != "review"):
            out.append((ss, se, "next"))
            continue
        following = text[sections[i + 1][0]:sections[i + 1][1]] if i + 1 < len(sections) else ""
        run = opens_run(sentence, following) if kind != "review" else None
        out.append((ss, se, "next" if run == "requirement" and states_requirement(sentence) else kind))
        if run:
            run_end = min([pe for pe in ends if pe >= se][:1] + [_next_start(starts, se, len(text))])
    return out


def _next_start(starts: Sequence[int], at: int, end: int) -> int:
    """The first heading start after ``at`` (``end`` when none)."""
    k = bisect.bisect_right(starts, at)
    return starts[k] if k < len(starts) else end
