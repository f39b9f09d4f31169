"""A sentence in the review tense: a result reported, not a goal set (session 14).

Why: a review's sentences carry the rules' commitment cues and outcome words too (2021年，…经济社会发展各项
目标任务高质量全面完成; 今年以来，…着力稳市场、稳预期，确保了上半年经济运行总体平稳; 全年争取到位…补助资金
9.66亿元), and the clause model keeps most of them (0.2-0.6). The rules read a report cue (了, 已, 累计 …;
``done_cues.txt``) only where it stands before the cue in its clause; the tense of the whole sentence is
what tells a review from a plan. A sentence is in the review tense (``review_tense.txt``) when

* it opens on a period already run (一年来, 今年以来, 2021年，, 截至6月底 …; a lead clause may come first),
  holds a report cue anywhere, and names nothing still ahead (要, 将, 下一步, 力争, 计划, 明年 …); or
* a commitment cue is read as done (确保了, 实现了, 争取到位) and nothing ahead is named.

A sentence opening on a period already run that compares a figure with the same period before (截至3月底，全区一般
预算收入完成6850万元，较上年同期…增长7.15%) reports results too, report cue or not: ``完成6850万元`` reads as a
target clause, and such sentences were certain goals (session 14, goalprec14b). Over the labelled sentences of
batches 1-36 and kinds12 this reading adds 22 sentences, every clause of them labelled 0.
A sentence opening on the problems a review found (存在的问题主要有：一是…，二是…，要更符合实际) lists them
(:func:`lists_problems`): 2 labelled sentences, both 0.

Over the labelled sentences of batches 1-34 and kinds12, the first reading holds 67 sentences, the second 16,
none of them a goal sentence. Only goals the model may veto go (:func:`nlp.goals.decide`). The readings are asked once per goal
(:mod:`nlp.goal_readings`).
"""
from __future__ import annotations

import functools
import re

from nlp import goal_cues
from nlp.regex_union import kinded_goal_vocabulary


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """``review_tense.txt``: one regex per kind (period, perfect, result, problems, ahead)."""
    return kinded_goal_vocabulary("review_tense.txt", ("period", "perfect", "result", "problems", "ahead"))


def in_review_tense(sentence: str) -> bool:
    """Whether the sentence reports what was done (the module's two readings), naming nothing ahead.

    (Not :func:`nlp.goal_grammar.is_review`, which asks only whether review words occur.)"""
    return done_tense(sentence) and not names_ahead(sentence)  # the cheap reading first: most sentences fail it


def done_tense(sentence: str, done: bool | None = None) -> bool:
    """The module's two readings of a sentence known to name nothing ahead: a commitment cue read as done, or a
    period already run with a report cue or a result. ``done``: whether it holds a report cue, if already read."""
    p = _patterns()
    if p["perfect"].search(sentence):
        return True
    if not p["period"].search(sentence):
        return False
    if done is None:
        done = goal_cues.cues()["done_cues"].first(sentence) is not None
    return done or p["result"].search(sentence) is not None


def names_ahead(sentence: str) -> bool:
    """Whether the sentence names anything still ahead (要, 将, 下一步, 明年 …): then it is no review."""
    return _patterns()["ahead"].search(sentence) is not None


def lists_problems(sentence: str) -> bool:
    """Whether the sentence opens on the problems a review found (存在的问题主要有：…): what it names ahead
    (要更符合实际需求) is a problem's remedy in passing, not a goal set."""
    return _patterns()["problems"].search(sentence) is not None
