"""A requirement split by cases (有条件的要…；一时难以解决的，要…): one goal, not one per ；-item.

Why: a meeting's ；-call is cut item by item (the labelled batches' convention, ``goals.call_items``),
but a list whose items are the cases of one topic (对…的问题，有条件的要抓紧解决；一时难以解决的，要努力…
解决) states one requirement: its second item has no subject but "those that…" of the first's topic.
The dev gold keeps the 2017 work report's pair whole; items that each name their own topic (对立行立改类的
问题要…；对整改难度大的问题，要…) are separate goals in batch 32 and are not cases (their 的 modifies a noun).
The case opener is data: ``corpora/goals/call_cases.txt``.
"""
from __future__ import annotations

import functools
import re

from nlp.regex_union import goal_vocabulary


@functools.lru_cache(maxsize=1)
def _opener() -> re.Pattern[str]:
    return goal_vocabulary("call_cases.txt")


def case_split(text: str, pieces: list[tuple[int, int]]) -> bool:
    """Whether the ；-items ``pieces`` of ``text`` are the cases of one requirement: the first names a case
    (after its topic, if any) and every later item opens with one."""
    if len(pieces) < 2:
        return False
    opener = _opener()
    first = text[pieces[0][0]:pieces[0][1]].strip()
    return opener.search(first) is not None and all(
        opener.match(text[s:e].strip()) is not None for s, e in pieces[1:])


PARALLEL_MIN_ITEMS = 3  # a parallel call (排比) has three or more items
PARALLEL_SHARE = (3, 4)  # ... and three in four of them are means + outcome (a closing item may run on)
_COMMA = re.compile(r"[，,]")


def parallel_call(text: str, pieces: list[tuple[int, int]]) -> bool:
    """Whether a ；-call is a parallel list of its own items, each one means and its outcome
    (抢攻争资争项，谋深谋实项目；强攻招商引资，深化…；巧攻城乡建设，提升城市品位；…): three in four
    items or more are two comma clauses. In such a list each item names what it is for, so an item whose second
    clause is an outcome (提升城市品位) states a goal of its own; a call whose items run on over
    several clauses (团结…，加强…，巩固…；推进…，增强…；…，努力为…作出更大贡献) states its aim once."""
    if len(pieces) < PARALLEL_MIN_ITEMS:
        return False
    pairs = sum(len([c for c in _COMMA.split(text[s:e].strip("；;。 \n")) if c.strip()]) == 2 for s, e in pieces)
    return pairs * PARALLEL_SHARE[1] >= len(pieces) * PARALLEL_SHARE[0]
