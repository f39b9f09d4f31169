"""The sentence readings of a text's unsure goals, each sentence found and read once (session 15).

Why: the readings that may veto a goal the rules are unsure of (:func:`nlp.goals.read_as_no_goal`: a stance,
:mod:`nlp.goal_stance`; a report in the review tense, :mod:`nlp.goal_tense`; a framing line) and the reading that
keeps a reporting sentence from being certain (:func:`nlp.goals.reports`) each found a goal's sentence by scanning
the text back and forth for every sentence mark, and the carried review tense (:meth:`Readings.carried`) read every
sentence of the text for the first goal asked about. Goal finding asks :func:`nlp.goals.reports` of every rule goal
and both readings of every unsure one: 14% more goal time in session 14 (``bench/goal_speed.py``). Here a text's
sentence marks are found once (bisection finds a goal's sentence), each goal's answer is kept, and the carried
tense is read only in the paragraphs that hold a goal asked about. The answers are those of the scans.
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

from nlp import goal_cues, goal_frame, goal_stance, goal_tense
from nlp.items import Goal

SENTENCE_MARKS = re.compile(r"[。！？!?\n]")  # the marks a goal's own sentence ends at

# paragraphs (start, end, their sentences (start, end)), as nlp.goals._layout cuts them
Paragraphs = Sequence[tuple[int, int, Sequence[tuple[int, int]]]]


class SentenceIndex:
    """Where a text's sentence marks are, found once: the sentence around any span by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.marks = [m.start() for m in SENTENCE_MARKS.finditer(text)]

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """From after the last mark before ``start`` to the first mark at or after ``end`` (or the text's end)."""
        i = bisect.bisect_left(self.marks, start)
        j = bisect.bisect_left(self.marks, end)
        return (self.marks[i - 1] + 1 if i else 0), (self.marks[j] if j < len(self.marks) else len(self.text))

    def around(self, start: int, end: int) -> str:
        s, e = self.bounds(start, end)
        return self.text[s:e]


def carried_sentences(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of one paragraph the review tense of the sentence before carries into: each names nothing
    ahead and holds a report cue, and follows a review-tense sentence or such a sentence (:func:`nlp.goals.reports`).

    A sentence naming something ahead is neither (:func:`nlp.goal_tense.names_ahead`), but that is asked last: most
    sentences are neither already, and the cheaper readings tell so (no period run, nothing done, nothing carried).
    The report cue is read once and serves both tests.

    A sentence opening on the period run (``section_review.txt`` at its start: 一年来，…; 过去一年，我们…) leads the
    review: the sentences after it that name nothing ahead are carried without a report cue of their own (一年来，我国所面临
    的压力挑战前所未有。…取得来之不易的成绩。国内生产总值超过126万亿元，增长5.2%…, batch 42 `0`; session 17, helper goalread17).
    """
    done_cues = goal_cues.cues()["done_cues"]
    period = goal_cues.cues()["section_review"]
    out = []
    carried = led = False
    for ss, se in sentences:
        sent = text[ss:se]
        done = done_cues.first(sent) is not None if carried else None
        opens = period.opens(sent)  # 一年来，…; 过去一年，我们…: the period run leads what follows
        review = goal_tense.done_tense(sent, done) or opens
        listed = carried and (bool(done) or led)
        if (review or listed) and goal_tense.names_ahead(sent):
            review = listed = False
        if listed:
            out.append((ss, se))
        carried = review or listed
        led = carried and (opens or led)
    return out


class Readings:
    """The readings of one text's goals: each goal's sentence found once, each answer kept."""

    def __init__(self, text: str, paragraphs: Paragraphs) -> None:
        self.text = text
        self.index = SentenceIndex(text)
        self.paragraphs = paragraphs
        self.starts = [ps for ps, _, _ in paragraphs]
        self._carried: dict[int, list[tuple[int, int]]] = {}  # paragraph number -> its carried sentences
        self._reports: dict[tuple[int, int], bool] = {}
        self._no_goal: dict[tuple[int, int, str], bool] = {}
        self._frames_nothing: dict[tuple[int, int, str], bool] = {}

    def carried_in(self, n: int) -> list[tuple[int, int]]:
        """The carried sentences of paragraph ``n`` (:func:`carried_sentences`), read when first asked."""
        if n not in self._carried:
            self._carried[n] = carried_sentences(self.text, self.paragraphs[n][2])
        return self._carried[n]

    def carried(self) -> tuple[tuple[int, int], ...]:
        """Every carried sentence of the text, in order."""
        return tuple(span for n in range(len(self.paragraphs)) for span in self.carried_in(n))

    def carried_into(self, at: int) -> bool:
        """Whether position ``at`` lies in a carried sentence (only its paragraph is read)."""
        n = bisect.bisect_right(self.starts, at) - 1
        if n < 0 or at >= self.paragraphs[n][1]:
            return False
        return any(s <= at < e for s, e in self.carried_in(n))

    def reports(self, goal: Goal) -> bool:
        """:func:`nlp.goals.reports` of ``goal``: its sentence in the review tense, a problems list, or carried into."""
        key = (goal.start, goal.end)
        if key not in self._reports:
            sentence = self.index.around(goal.start, goal.end)
            self._reports[key] = (goal_tense.in_review_tense(sentence) or goal_tense.lists_problems(sentence)
                                  or self.carried_into(goal.start))
        return self._reports[key]

    def no_goal(self, goal: Goal) -> bool:
        """:func:`nlp.goals.read_as_no_goal` of ``goal``: a stance, a report, only a framing line, or a plan's drafting."""
        key = (goal.start, goal.end, goal.text)
        if key not in self._no_goal:
            self._no_goal[key] = (goal_stance.is_stance(self.index.around(goal.start, goal.end))
                                  or self.reports(goal) or goal_stance.only_frames(goal.text)
                                  or goal_frame.drafts_plan(goal.text))
        return self._no_goal[key]

    def frames_nothing(self, goal: Goal) -> bool:
        """:func:`nlp.goals.frames_nothing` of ``goal``: no outcome, in a sentence that mobilises, acts or talks."""
        key = (goal.start, goal.end, goal.text)
        if key not in self._frames_nothing:
            sentence = self.index.around(goal.start, goal.end)
            self._frames_nothing[key] = goal_frame.names_no_outcome(sentence, goal.text)
        return self._frames_nothing[key]
