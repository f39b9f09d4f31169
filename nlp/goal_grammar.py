"""Plan targets written as prose: a small grammar over the clause and a plan/review context.

Why: a plan is often written as running prose with no goal cue in its clauses (深圳2022年重大项目
计划共安排项目883个，总投资35674.8亿元，…其中，计划新开工项目98个，续建项目539个; 政府投资575.5
亿元，占25.7%). The label convention counts every planned count, amount and share there as a goal,
while the very same shape in a review (2021年完成投资达596.3亿元; 1-12月累计…同比增长6.4%) reports a
result. So a clause is a target by two decisions:

* **the clause grammar** (:func:`parse`): ``item noun phrase + quantity (number and unit) +
  optional qualifier`` (左右/以上/以内 …; ``target_qualifiers.txt``), compact, the quantity the
  clause's predicate (not 5.5%的增长目标, a modifier);
* **the context** (:func:`plan_frame`, used by ``nlp.goals``): a clause holding a plan opener
  (计划/规划/预期/目标/力争/拟/控制在/安排…项目; ``plan_openers.txt``) opens a plan frame; the frame
  covers the rest of the sentence and carries through the paragraph, and a colon intro that opens
  it carries it over the following paragraphs that open with an item clause (a list of parallel
  items: 现代产业类项目250个… / 基础设施类项目276个…). A review sentence (已/了/去年/完成情况/
  实际完成/完成63.5%/累计完成; ``plan_reviews.txt``) has no target and closes the frame; a
  measured change (同比/比上年) is a target only in a sentence that opens the plan itself.

The vocabularies are data in ``corpora/goals``; the section kinds and the paragraph layout are
those of :mod:`nlp.goals`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from nlp import goal_cues, vagueness

MAX_CLAUSE = 60  # a target clause is compact: an item, its quantity, a qualifier
MAX_TAIL = 12  # what may follow the quantity in the clause that opens the plan (规划投资1311亿元发展水利事业)
# …in a clause the frame only carries: a count before a noun names things (酒泉、天水两个区域中心城市,
# 白银集团7万吨锌基合金等项目, 两个基本法), a target's quantity ends its clause (续建项目539个)
TAIL_IN_FRAME = 2
DURATION = re.compile(r"年(?:间)?$")
# an enumeration mark (一是, （三）, 3．, ——), read by nlp.goals too, and the words that go on
# with the sentence or paragraph before
ENUMERATION = r"[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+\s*[、.．]|——"
GOES_ON = r"其中|同时|此外|另外"
LEAD = re.compile(rf"^\s*(?:{ENUMERATION}|{GOES_ON})?[，,]?\s*")


@dataclass(frozen=True)
class Target:
    """A clause read as ``item + quantity + qualifier``."""

    item: str  # the noun phrase (and plan verb) before the quantity: 重大项目计划共安排项目, 政府投资
    quantity: str  # the number and unit: 883个, 35674.8亿元, 65.9%
    qualifier: str  # 左右, 以上, 以内 … or ""
    tail: str  # the rest of the clause after them (、增长10.0%)
    verb: str  # the verb or comparator the item ends with (改建, 新增, 超 …; ``quantity_verbs.txt``), or ""


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, Callable[[str], re.Match[str] | None]]:
    """Each vocabulary's first-match search: the goal rules' own cue lists (``nlp.goal_cues.CueList``,
    one union of the patterns, one by one when they cannot be joined), read once for both."""
    names = ("plan_openers", "plan_reviews", "reported_met", "plan_nontargets", "plan_nonclauses", "target_qualifiers",
             "measured_changes", "quantity_verbs", "budget_drafts")
    return {n: goal_cues.cues()[n].first for n in names}


def _has(name: str, text: str) -> re.Match[str] | None:
    return _lists()[name](text)


def parse(clause: str) -> Target | None:
    """The clause as an item with its quantity, or ``None`` when it is not of that shape.

    Not of that shape: a budget line (``plan_nontargets.txt``) or a framing count (``plan_nonclauses.txt``), no quantity
    with a unit or only a span of years, a clause longer than :data:`MAX_CLAUSE`, a long
    predicate after the quantity (a means clause that mentions a count in passing), a quantity
    that modifies a noun (…的), or an item that is empty (a bare number continues the clause before).
    """
    body = clause[LEAD.match(clause).end():].rstrip("。；;！!？?")
    if not body or len(body) > MAX_CLAUSE:
        return None
    found = vagueness.quantities(body)
    if not found or all(DURATION.search(q) for q in found):
        return None  # no quantity, or only a span of time (在此基础上再奋斗五年, 用十五年时间)
    if _has("plan_nontargets", body) or _has("plan_nonclauses", body):
        return None  # asked after the quantity: most clauses have none, and the list is long
    first = body.find(found[0])
    last_q = found[-1]
    end = body.rfind(last_q) + len(last_q)
    if first <= 0 or end <= 0:
        return None
    rest = body[end:]
    qual = _has("target_qualifiers", rest[:3])
    qualifier = qual.group(0) if qual and qual.start() == 0 else ""
    tail = rest[len(qualifier):]
    if tail.startswith("的") or len(tail) > MAX_TAIL:
        return None
    verb = _has("quantity_verbs", body[max(0, first - 4):first])
    return Target(item=body[:first], quantity=body[first:end], qualifier=qualifier, tail=tail,
                  verb=verb.group(0) if verb and verb.end() == min(first, 4) else "")


QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|「[^「」]*」")


def opens_plan(clause: str) -> bool:
    """The clause holds a plan opener (计划, 预期, 目标, 控制在 …) outside quotes and titles: a
    programme's or a document's name (“倍增计划”试点企业, 《政府投资项目计划》) plans nothing."""
    if _has("plan_openers", clause) is None:
        return False
    return _has("plan_openers", QUOTED.sub(lambda m: "\0" * len(m.group(0)), clause)) is not None


def opens_frame(clause: str) -> bool:
    """The clause opens a plan frame: a plan opener (:func:`opens_plan`, a feature of the clause
    model's bench variants too) or a cited budget draft (:func:`cites_budget_draft`, the rules' only)."""
    return opens_plan(clause) or cites_budget_draft(clause)


def cites_budget_draft(sentence: str) -> bool:
    """The sentence cites a budget draft (根据预算草案，…; 按照预算，…如下：; ``budget_drafts.txt``): its
    figures for the year are planned, so it opens a plan frame, and the frame runs on over the
    paragraphs after it that open with a figure (a news account of the draft's books)."""
    return _has("budget_drafts", sentence) is not None


def is_review(sentence: str) -> bool:
    """The sentence reports what was done (已, 了, 去年, 完成情况, 完成63.5% …; targets reported met: ``reported_met.txt``)."""
    return _has("plan_reviews", sentence) is not None or _has("reported_met", sentence) is not None


def is_measured_change(clause: str) -> bool:
    """A change measured against a period (同比增长26.2%): a result unless the sentence plans it."""
    return _has("measured_changes", clause) is not None


CONTINUES = re.compile(rf"^(?:{GOES_ON})")  # a sentence or paragraph that goes on with the one before


def continues(clause: str) -> bool:
    """The clause goes on with what came before (其中, 同时 …): it stays in the frame before it."""
    return CONTINUES.match(clause) is not None


SCOPE = re.compile(r"^[^，,。；;]{1,8}方面$")  # a scope phrase before a figure (支出方面，…预算支出126123亿元)


def opens_with_figure(clauses: list[tuple[int, int]], text: str) -> bool:
    """The paragraph opens with a figure (``item + quantity``), after at most a scope phrase: a budget
    draft's next book (支出方面，全国政府性基金预算支出126123亿元). Stricter than a colon list's items
    (:data:`LIST_LEAD`): a digest's next numbered story (5、央行披露，7月，债券市场共发行…) opens no figure."""
    lead = clauses[:2] if clauses and SCOPE.match(text[clauses[0][0]:clauses[0][1]].strip()) else clauses[:1]
    return bool(lead) and parse(text[lead[-1][0]:lead[-1][1]]) is not None


LIST_LEAD = 3  # an item clause opens a list sentence, after at most two time or scope clauses (“十四五”期间，重点围绕…)


Parsed = dict[tuple[int, int], "Target | None"]  # a sentence's clauses parsed so far, by span


def parsed_at(text: str, span: tuple[int, int], parsed: Parsed) -> Target | None:
    """:func:`parse` of the clause at ``span``, parsed once per sentence walk.

    Why not an ``lru_cache``: the walk of one sentence asks for the same clause two or three
    times (the frame test, then the targets); a memo held by the walk costs nothing beyond it,
    where a process-wide cache would make a second ingest of the same text look faster than it is.
    """
    if span not in parsed:
        parsed[span] = parse(text[span[0]:span[1]])
    return parsed[span]


def opens_with_item(clauses: list[tuple[int, int]], text: str, lead: int = 1, parsed: Parsed | None = None) -> bool:
    """The sentence goes on with the plan before it: it opens with 其中/同时, or an item clause is
    among its first ``lead`` clauses (:data:`LIST_LEAD` for a paragraph of a plan list; within a
    paragraph the first: not 湖北下调最多，降低3个百分点, a statement of its own).
    ``parsed``: the clauses of this sentence already parsed (:func:`parsed_at`)."""
    if not clauses:
        return False
    if continues(text[clauses[0][0]:clauses[0][1]]):
        return True
    memo: Parsed = {} if parsed is None else parsed
    lead_clauses = [(cs, ce) for cs, ce in clauses if not continues(text[cs:ce])][:lead]
    return any(parsed_at(text, span, memo) is not None for span in lead_clauses)


def sentence_targets(clauses: list[tuple[int, int]], text: str, framed: bool,
                     lead: int = 1, parsed: Parsed | None = None) -> tuple[list[tuple[int, int]], bool]:
    """The target clauses of one sentence, and whether the plan frame is open after it.

    ``framed``: the frame is open from the sentences before (same paragraph or a plan list).
    The sentence stays in it when it goes on with them (:func:`opens_with_item`). A review
    sentence has no target and closes the frame. A clause is a target when the frame is open at
    it (kept, or opened by this clause or an earlier one of the sentence) and it parses as
    ``item + quantity``; a measured change only when this sentence opened the frame. The frame
    stays open after a sentence that found targets or ends in a colon (a list intro).
    ``parsed``: the clauses the caller has parsed already (each clause is parsed once).
    """
    sentence = text[clauses[0][0]:clauses[-1][1]] if clauses else ""
    if not clauses or is_review(sentence):
        return [], False
    memo: Parsed = {} if parsed is None else parsed
    framed = framed and opens_with_item(clauses, text, lead, memo)
    out = []
    own = False  # this sentence opened the frame itself
    for cs, ce in clauses:
        clause = text[cs:ce]
        opener = opens_frame(clause)
        own = own or opener
        target = parsed_at(text, (cs, ce), memo) if framed or own else None
        if target is None or (len(target.tail) > TAIL_IN_FRAME and not opener and not target.verb):
            continue
        if is_measured_change(clause) and not own:
            continue
        out.append((cs, ce))
    intro = text[clauses[-1][1]:clauses[-1][1] + 1] in ("：", ":")  # the colon ends the last clause
    return out, (framed or own) and bool(out or intro)
