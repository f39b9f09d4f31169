"""Goal clauses no rule proposes: frames that make a clause a candidate the clause model keeps or drops.

Why: every miss counted in sessions 10 and 11 (corpora/goals/README.md, "Errors of batches 22 and 23" and
"Session 11 (helper goalprop11)") is a clause no rule proposes: an official's reported plan in news
(…表示，今年将…), a planned amount without a cue in a plan or budget part (中央预算内投资安排6400亿元), a target
verb with a number outside a cue sentence (失业率控制在4%以下). The clause model is a veto over rule goals;
adding any clause it scores high (its ADD lever) lost on work reports (sessions 8-9). Here only the clauses a
frame names are candidates, each frame gated by the kind of section it may stand in, and a candidate becomes
a goal when the model gives it at least its frame's threshold (chosen by leave-one-batch-out,
:mod:`bench.goal_propose`). :data:`nlp.goal_model.PROPOSE` false turns the proposer off.

The frames are data (``corpora/goals/propose_frames.txt``): a name, a scope (``after``: the clauses of the
sentence from the match on; ``clause``: the matching clause; ``paragraph``: the clauses from the match to the end
of its paragraph, for a meeting's requirement section or a speaker's plan that runs on over several sentences:
会议强调，要…。要…。要…), the sections it may stand in (``any``,
``notreview``, ``plan``: a plan or next-steps section), its threshold (above 1: off) and a regular expression.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Callable, NamedTuple

import corpora
from nlp import goal_clauses, goal_cues, goals
from ingest.document import Document
from nlp.items import Goal

SCOPES = ("after", "clause", "paragraph")
SECTIONS = {"any": None, "notreview": frozenset({None, "plan", "next"}), "plan": frozenset({"plan", "next"})}


class Frame(NamedTuple):
    name: str
    scope: str
    sections: frozenset[str | None] | None  # None: any section
    threshold: float  # the clause model's probability from which a candidate of this frame is a goal
    pattern: re.Pattern[str]


def parse_frames(lines: list[str], source: str = "propose_frames.txt") -> tuple[Frame, ...]:
    """Frames from ``name<TAB>scope<TAB>sections<TAB>threshold<TAB>regex`` lines; a bad line is an error
    naming the file and line."""
    out = []
    for number, line in enumerate(lines, 1):
        parts = line.split("\t")
        if len(parts) != 5 or parts[1] not in SCOPES or parts[2] not in SECTIONS or not _probability(parts[3]):
            raise ValueError(f"{source}: line {number}: want name, scope ({'/'.join(SCOPES)}), sections "
                             f"({'/'.join(SECTIONS)}), a threshold (0-1.01) and a pattern, tab-separated: {line[:40]!r}")
        try:
            pattern = re.compile(parts[4])
        except re.error as err:
            raise ValueError(f"{source}: line {number}: bad pattern ({err}): {parts[4][:40]!r}") from None
        out.append(Frame(parts[0], parts[1], SECTIONS[parts[2]], float(parts[3]), pattern))
    return tuple(out)


def _probability(text: str) -> bool:
    try:
        return 0 <= float(text) <= 1.01
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def frames() -> tuple[Frame, ...]:
    return parse_frames(corpora.read_lines("goals", "propose_frames.txt"))


def candidates(document: Document, rule_goals: list[Goal], skip: list[tuple[int, int]],
               frames_used: tuple[Frame, ...] | None = None) -> dict[tuple[int, int], Frame]:
    """(start, end) of each clause a frame proposes, with the frame (of the frames naming it, the one with
    the lowest threshold): running text outside the tables and the title, no rule goal overlapping it, no
    done cue in it, in a section the frame allows. ``frames_used``: these frames, not the shipped ones."""
    text = document.text
    cls = goal_clauses.clauses(text, wrapped=document.format == "pdf")
    sents = goal_clauses.sentences(text, wrapped=document.format == "pdf")
    covered = goals._overlap_test([(g.start, g.end) for g in rule_goals])
    in_table = goals._overlap_test(skip)
    title_end = goals._title_end(text)
    kind_of = _section_kind(text, skip)
    cues = goal_cues.cues()
    done = cues["done_cues"]
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for s, e, k in cls:
        by_sentence.setdefault(k, []).append((s, e))
    usable: dict[int, list[tuple[int, int]]] = {}  # sentence index -> its clauses, where a frame may propose
    for k, parts in by_sentence.items():
        ss, se = sents[k]
        sentence = text[ss:se]
        if ss < title_end or in_table(ss, se) or cues["reported_met"].first(sentence) \
                or cues["estimates"].first(sentence):
            continue  # the title, a table; 目标任务圆满完成 reports; 预计 estimates
        usable[k] = parts
    out: dict[tuple[int, int], Frame] = {}
    for k, parts in usable.items():
        ss, se = sents[k]
        section = kind_of(ss)
        sentence = text[ss:se]
        for frame in frames() if frames_used is None else frames_used:
            if frame.threshold > 1 or frame.sections is not None and section not in frame.sections:
                continue
            spans = _framed(frame, sentence, ss, parts)
            if frame.scope == "paragraph" and spans:
                spans += _paragraph_rest(text, k, sents, usable, frame, kind_of, document.format == "pdf")
            for s, e in spans:
                if ((s, e) not in out or out[(s, e)].threshold > frame.threshold) and not covered(s, e) \
                        and not done.first(text[s:e]):
                    out[(s, e)] = frame
    return out


def _paragraph_rest(text: str, k: int, sents: list[tuple[int, int]], usable: dict[int, list[tuple[int, int]]],
                    frame: Frame, kind_of: Callable[[int], str | None], wrapped: bool) -> list[tuple[int, int]]:
    """The clauses of the sentences after sentence ``k`` up to the end of its paragraph (a line break; in a PDF,
    whose lines wrap, a blank line), in the sections the frame allows."""
    end = text.find("\n\n" if wrapped else "\n", sents[k][1])
    end = len(text) if end < 0 else end
    out = []
    for j in range(k + 1, len(sents)):
        if sents[j][0] >= end:
            break
        if j in usable and (frame.sections is None or kind_of(sents[j][0]) in frame.sections):
            out += usable[j]
    return out


def _framed(frame: Frame, sentence: str, ss: int, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clauses of one sentence a frame names."""
    if frame.scope == "clause":
        return [(s, e) for s, e in parts if frame.pattern.search(sentence[s - ss:e - ss])]
    # after, paragraph: the clauses of this sentence from the match on (paragraph: and the sentences after it)
    m = frame.pattern.search(sentence)
    if not m or goal_cues.vetoed(sentence, m.end() - 1):
        return []  # a modal where the rules' cue vetoes say it is none (随着…，将对…形成支撑; 比去年还要大)
    at = ss + m.end() - 1  # the clause holding the frame's last character, and every clause after it
    return [(s, e) for s, e in parts if e > at]


def _section_kind(text: str, skip: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """``kind(offset)``: the rules' section kind (plan, next, review or None) of the sentence at an offset."""
    sections = goals._sections(text, skip)
    ends = [se for _, se, _ in sections]

    def kind(offset: int) -> str | None:
        i = bisect.bisect_right(ends, offset)
        return sections[i][2] if i < len(sections) and sections[i][0] <= offset + 1 else None

    return kind


def proposed_goals(document: Document, clauses: list[tuple[int, int, int, float]],
                   proposed: dict[tuple[int, int], Frame], kept: list[Goal]) -> list[Goal]:
    """Goals of the proposed clauses the model gives at least their frame's threshold, runs of one sentence
    joined and cut as the model's own goals are (:func:`nlp.goals._model_goals`)."""
    if not proposed:
        return []
    sure = {(s, e) for s, e, _, p in clauses if (s, e) in proposed and p >= proposed[(s, e)].threshold}
    every = goal_clauses.clauses(document.text, wrapped=document.format == "pdf")  # runs need the clauses between
    return goals._model_goals(document, [(s, e, k, 1.0 if (s, e) in sure else 0.0) for s, e, k in every], kept, 1.0)
