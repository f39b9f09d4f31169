"""A commitment line that names no outcome: the labelling guide's stance test as a grammar over the sentence.

Why: the guide (``corpora/goals/README.md``, "Exhortations and commitments") counts a 要/将/努力 line as a goal
only when it names an outcome to reach; a stance, an orientation or resolve rhetoric is no goal. The rules
ask only whether an outcome word follows the cue (``outcome_words.txt``), and the words of a meeting's call
to its staff are outcome words too: 要保持昂扬士气, 必须要增强“舍我其谁”的使命感, 将以实际行动…奋力谱写威海
高质量发展新篇章. Those lines were the largest class of false goals in batches 1-34 (session 14: 78 of 312,
every one a rule goal the clause model may veto, most of them kept at 0.4-0.95), and the model scores them
as high as the true ones, so no threshold removes them.

The grammar: the sentence from its weak commitment cue on (:func:`nlp.goal_cues.weak_cue`: 要/务必/必须 with an
outcome word after it, 将, 努力 …) is cut into clauses. A clause states an outcome when it holds an outcome
word that is no part of a resolve phrase (``stance_rhetoric.txt``: 谱写…篇章, 作出…贡献, 以实际行动 …) or of a
quoted slogan (坚决做到“两个维护”), and
whose object, the rest of the clause, holds no stance object (``stance_objects.txt``: 意识, 使命感, 定力,
士气, 工作状态, 作风, 站位 …). The sentence is a stance when no clause states an outcome and one clause holds a
stance object or a resolve phrase; a sentence with a strong cue (确保, 力争, 目标 …), a stated target or a
quantified target clause is never one (it names what is to be reached, whatever else it says). Only goals the model may veto
are dropped (:func:`nlp.goals.decide`): a goal the rules are certain of stays.

A framing line is read here too (:func:`only_frames`): a goal whose every clause only says what a period or a
task is (…是…的关键时期; ``framing_copulas.txt``) names nothing to reach.
"""
from __future__ import annotations

import functools
import re

from nlp import goal_clauses, goal_cues
from nlp.regex_union import goal_vocabulary

CLAUSE_END = goal_clauses.clause_end("，,；;：:")
QUOTED = re.compile(r"“[^“”]{1,20}”|「[^「」]{1,20}」")  # a quoted name or slogan, no verb of the clause


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """``stance_objects.txt``, ``stance_rhetoric.txt`` and ``framing_copulas.txt``, each one regex."""
    return tuple(goal_vocabulary(f"{name}.txt")  # type: ignore[return-value]
                 for name in ("stance_objects", "stance_rhetoric", "framing_copulas"))


def _clauses(text: str) -> list[str]:
    """The text cut at every clause mark, ；and ： too (a commitment's ；-parts are clauses of its call)."""
    return [text[s:e] for s, e in goal_cues.spans(text, 0, len(text), CLAUSE_END)]


def states_outcome(clause: str) -> bool:
    """Whether an outcome word of the clause names a state to reach: not inside a resolve phrase, and
    no stance object after it (保持良好势头 yes; 保持战略定力, 奋力谱写…新篇章 no)."""
    objects, rhetoric, _ = _lists()
    pledges = [(m.start(), m.end()) for m in rhetoric.finditer(clause)]
    pledges += [(m.start(), m.end()) for m in QUOTED.finditer(clause)]  # a slogan's name: 坚决做到“两个维护”
    for m in goal_cues.cues()["outcome_words"].all(clause):
        if any(s < m.end() and m.start() < e for s, e in pledges):
            continue
        if not objects.search(clause, m.end()):
            return True
    return False


def is_stance(sentence: str) -> bool:
    """Whether a commitment sentence names a stance or a pledge and no outcome (the module's grammar)."""
    cue = goal_cues.weak_cue(sentence)
    if cue is None or goal_cues.cue(sentence, "goal_cues_strong") or goal_cues.cue(sentence, "stated_targets"):
        return False
    objects, rhetoric, _ = _lists()
    clauses = _clauses(sentence[cue.start():])
    if any(goal_cues.is_target_clause(c) for c in clauses):
        return False
    if not any(objects.search(c) or rhetoric.search(c) for c in clauses):
        return False
    return not any(states_outcome(c) for c in clauses)


def only_frames(goal: str) -> bool:
    """Whether every clause of a goal only says what a period or a task is (``framing_copulas.txt``:
    今后五年是关键时期; 是推进青海现代化建设的重要一年): the guide's framing line, no outcome."""
    copulas = _lists()[2]
    clauses = [c.strip("。；;！!？? \n\u3000") for c in _clauses(goal)]
    return bool(clauses) and all(copulas.search(c) for c in clauses if c)
