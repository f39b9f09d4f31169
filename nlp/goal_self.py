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
``self_run_stops.txt`` (the meeting's report goes on). Everything here is data in ``corpora/goals``.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Sequence

import corpora

HEAD_CHARS = 150  # a document's head: its title lines and the start of its lead
MODAL = re.compile(r"(?<![主需重只紧想必纲概])要(?!求)|务必|(?<![只必])需(?!要)|确保")  # not 必须: 更是必须履行的法定职责
Section = tuple[int, int, "str | None"]


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...], re.Pattern[str]]:
    """``self_texts.txt``, ``self_run_openers.txt`` (kind, pattern) and ``self_run_stops.txt``, compiled."""
    texts = re.compile("|".join(f"(?:{p})" for p in corpora.read_lines("goals", "self_texts.txt")))
    openers = []
    for number, line in enumerate(corpora.read_lines("goals", "self_run_openers.txt"), 1):
        kind, sep, pattern = line.partition("\t")
        if not sep or not pattern:
            raise ValueError(f"self_run_openers.txt: line {number}: want a kind and a pattern, tab-separated: {line[:40]!r}")
        openers.append((kind, re.compile(pattern)))
    stops = re.compile("|".join(f"(?:{p})" for p in corpora.read_lines("goals", "self_run_stops.txt")))
    return texts, tuple(openers), stops


def is_self_text(text: str) -> bool:
    """The text's head says it reports on its own work (审计整改…会议, …绩效自评报告, …工作总结)."""
    return _lists()[0].search(text[:HEAD_CHARS]) is not None


def opens_run(sentence: str) -> bool:
    """The sentence opens a run: an opener of ``self_run_openers.txt`` (a requirement's with a modal after it)."""
    return any((m := p.search(sentence)) is not None
               and (kind != "requirement" or MODAL.search(sentence, m.end()) is not None)
               for kind, p in _lists()[1])


def ends_run(sentence: str) -> bool:
    """The sentence ends a run: the report of the meeting goes on (会议听取了…; …提出了具体的指导要求)."""
    return _lists()[2].search(sentence) is not None


def with_runs(text: str, sections: Sequence[Section], paragraphs: Iterable[tuple[int, int]],
              headings: frozenset[int]) -> list[Section]:
    """``sections`` (every sentence with its section kind, in order) with the sentences of each run made
    ``"next"``. ``paragraphs``: the text's paragraph spans; ``headings``: the starts of heading lines
    (not in ``sections``; the first after an opener ends its run). A text that does not report on its own work is left as it is.
    """
    if not is_self_text(text):
        return list(sections)
    ends = sorted(pe for _, pe in paragraphs)
    heads = sorted(headings)
    out: list[Section] = []
    run_end = -1  # the end of the paragraph of an open run (-1: none)
    for ss, se, kind in sections:
        sentence = text[ss:se]
        if run_end >= 0 and (ss >= run_end or ends_run(sentence)):
            run_end = -1
        if run_end >= 0 and kind != "review":
            out.append((ss, se, "next"))
            continue
        out.append((ss, se, kind))
        if kind != "review" and opens_run(sentence):
            run_end = min([pe for pe in ends if pe >= se][:1] + [h for h in heads if h >= se][:1] + [len(text)])
    return out
