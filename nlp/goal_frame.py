"""The frame of a clause: what its predicate and its object are (session 16).

Why: the largest source of false goals is the unsure rule goal the clause model keeps (session 15, "false goals
by source": 165 in batches 1-28, 35 in 29-36): a meeting's mobilisation or means line (各单位要紧盯目标任务…),
a process line (讨论拟提请…), talk about a goal (实现今年预期目标并非易事), a rectification's stance (确保整改质效).
Their outcome words govern a goal, a task or the work itself (实现全年目标任务, 确保整改质效) and their predicates
mobilise (紧盯, 拼搏, 凝聚) rather than change a state (提高, 降低, 达到). The vocabulary of the classes is data
(``corpora/goals/clause_frames.txt``).

Two uses. :func:`names_no_outcome` reads an unsure goal and its sentence: no clause of the goal states an outcome
and one clause of the sentence mobilises, acts or talks; :func:`nlp.goals.below_keep` then asks the clause model for
``FRAME_KEEP`` instead of ``KEEP`` (shipped). :func:`document_flags` gives every clause the same reading as flags
of the clause model (``bench.goal_lobo``'s ``"all rows, frame, veto only"``; measured, not shipped: the model's
probabilities of these lines stay far above ``KEEP``). Clause flags (prefix ``f_``): each kind of the vocabulary
that matches; ``f_outcome`` when the clause states an outcome (:func:`nlp.goal_stance.states_outcome`) whose
object is neither a goal nor the work; ``f_outcome_on_meta`` when an outcome word governs such an object;
``f_reach_goal`` for a goal reached (完成…目标任务, a goal in the labels); ``f_watch_meta`` for a goal watched
(紧盯目标任务). Sentence flags (prefix ``fs_``): ``fs_no_outcome`` when no clause states an outcome or reaches a
goal and none holds a quantity; ``fs_mobilise`` / ``fs_process`` / ``fs_talk`` when one clause has that kind.
"""
from __future__ import annotations

import functools
import re

import corpora
from nlp import goal_cues, goal_stance, script, vagueness
from nlp.regex_union import goal_vocabulary, kinded_goal_vocabulary, needed_strings

KINDS = ("mobilise", "process", "talk", "meta_goal", "meta_work", "purpose")
REACH = re.compile(r"完成|实现|达到|达成")  # a goal or a task reached: the goal itself (确保完成全年目标任务)
TRIM = "。；;，,：:！!？? \n\u3000\t"


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, re.Pattern[str]]:
    """``clause_frames.txt``: one regex per kind."""
    return kinded_goal_vocabulary("clause_frames.txt", KINDS)


def clause_flags(clause: str) -> dict[str, float]:
    """The frame flags of one clause (no sentence flags)."""
    text = script.fold(clause.strip(TRIM))  # a traditional-script page read in simplified characters
    out = {f"f_{k}": 1.0 for k, rx in vocabulary().items() if rx.search(text)}
    meta = "f_meta_goal" in out or "f_meta_work" in out
    if meta and "f_mobilise" in out and not REACH.search(text):
        out["f_watch_meta"] = 1.0  # 紧盯目标任务, 聚焦…目标: a goal to watch (完成/实现…目标任务 is a goal)
    if "f_meta_goal" in out and REACH.search(text):
        out["f_reach_goal"] = 1.0  # 确保完成全年目标任务: the goal reached is a goal (labelled so)
    if goal_cues.cues()["outcome_words"].first(text):
        if meta:
            out["f_outcome_on_meta"] = 1.0
        elif goal_stance.states_outcome(text):
            out["f_outcome"] = 1.0
    return out


def sentence_flags(clauses: list[dict[str, float]], texts: list[str]) -> dict[str, float]:
    """The frame flags of a sentence from its clauses' flags."""
    out = {}
    if not any("f_outcome" in f or "f_reach_goal" in f for f in clauses) and not any(vagueness.quantities(t) for t in texts):
        out["fs_no_outcome"] = 1.0
    for k in ("mobilise", "process", "talk"):
        if any(f"f_{k}" in f for f in clauses):
            out[f"fs_{k}"] = 1.0
    return out


def document_flags(text: str, cls: list[tuple[int, int, int]]) -> list[dict[str, float]]:
    """Frame flags of every clause of a document (``cls``: start, end, sentence of each clause)."""
    own = [clause_flags(text[s:e]) for s, e, _ in cls]
    out: list[dict[str, float]] = []
    by_sentence: dict[int, list[int]] = {}
    for n, (_, _, k) in enumerate(cls):
        by_sentence.setdefault(k, []).append(n)
    sent = {k: sentence_flags([own[n] for n in ns], [text[cls[n][0]:cls[n][1]] for n in ns])
            for k, ns in by_sentence.items()}
    for n, (_, _, k) in enumerate(cls):
        out.append({**own[n], **sent[k]})
    return out


def states_nothing(goal: str) -> bool:
    """Whether no clause of a goal states an outcome or reaches a goal, and it holds no quantity."""
    if vagueness.quantities(goal):
        return False
    return not any("f_outcome" in f or "f_reach_goal" in f for f in map(clause_flags, goal_stance._clauses(goal)))


@functools.lru_cache(maxsize=1)
def _drafting_needs() -> tuple[str, ...] | None:
    """Strings one of which every match of ``plan_drafting.txt`` holds (规划…; :func:`nlp.regex_union.needed_strings`)."""
    return needed_strings(corpora.read_lines("goals", "plan_drafting.txt"))


@functools.lru_cache(maxsize=1)
def _drafting() -> re.Pattern[str]:
    return goal_vocabulary("plan_drafting.txt")


def drafts_plan(goal: str) -> bool:
    """Whether a goal the rules are unsure of only says how a plan is to be drafted (``plan_drafting.txt``: 确保规划
    建议编制工作始终沿着正确方向前进; 认真编制“十五五”规划，确保规划符合发展规律…): every clause of the goal that states
    an outcome (:func:`nlp.goal_stance.states_outcome`) has the plan drafted as its object or subject, there is one,
    and the goal holds no quantity. Batch 37's call (a report's drafting is no goal), extended to a plan's by batches
    39-40. Not: a drafted plan among outcomes of the place (要编制实施海洋战略规划，…，提高海洋科技水平，…), a means list
    without an outcome (通过编制规划、科技攻关…，打破部门、地区界限), a quantity (a figure is a target whatever the frame),
    or a meeting named for the drafting (召开全县“十五五”规划编制专题工作会，…，确保完成“十四五”的高质量收官…, batch 42 g:
    only the goal's own clauses are read)."""
    folded = script.fold(goal)  # a clause is a part of the goal, and fold keeps each character's place
    if (needs := _drafting_needs()) is not None and not any(s in folded for s in needs):
        return False  # no clause can name a drafting: its outcomes need not be read (most unsure goals)
    if vagueness.quantities(goal):
        return False
    outcomes = [c for c in goal_stance._clauses(goal) if goal_stance.states_outcome(c)]
    drafting = _drafting()
    return bool(outcomes) and all(drafting.search(script.fold(c)) for c in outcomes)


def names_no_outcome(sentence: str, goal: str) -> bool:
    """Whether a goal the rules are unsure of names no outcome in a frame that only mobilises, acts or talks.

    The goal: none of its clauses states an outcome (:func:`clause_flags`' ``f_outcome``: an outcome word whose
    object is no stance, no goal and not the work) or reaches a goal (完成…目标任务), and it holds no quantity.
    Its sentence: one clause mobilises (紧盯, 拼搏, 认清 …), acts for a meeting or a document (讨论, 部署, 印发 …) or
    talks about a goal (并非易事, 认为 …). 锚定“三县一城一枢纽”目标，加快建设“六个示范区”，…扎实做好经济运行调度 is
    one; 确保年底完成全年任务目标 (a goal reached) and 组织3次专题询问 (a quantity) are not. The model decides
    with a higher bar on such a goal (:func:`nlp.goals.below_keep`), it does not drop it outright.
    """
    if not states_nothing(goal):
        return False
    frames = [clause_flags(c) for c in goal_stance._clauses(sentence)]
    return any(f.get(k) for f in frames for k in ("f_mobilise", "f_process", "f_talk"))
