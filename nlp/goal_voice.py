"""Who speaks: a commentator's voice, where 要/将/必须 lines are no plan's commitments.

Why: news quote experts and print talks. An economist's talk derives the growth a target needs
(我们的GDP增速必须要达到6%左右), predicts (GDP总量将在2028年超过美国) and advises (我们要突破卡脖子
问题); an expert quoted in a news item does the same (而是要让收入偏低的人更加富有). The label
convention calls these `0`: only the official targets they restate are goals, and those carry a
strong cue (目标是…, 预期目标). Two scopes, both on vocabularies in ``corpora/goals``:

* **a talk** (:func:`is_talk`): the document speaks in the first person to an audience, with at
  least :data:`TALK_MARKERS` different markers of ``commentary_talk.txt`` (我想, 我觉得, 跟大家分享,
  大家都知道 …); a work report speaks for a government (我们要…) and has at most one;
* **an expert's paragraph** (:func:`expert_paragraphs`): a speaker title (教授, 首席经济学家 …;
  ``commentary_speakers.txt``) or the name it introduces in the document (…终身教授曾刚告诉 -> 曾刚)
  given with a speech or opinion verb (认为, 表示, 预计 …; ``commentary_verbs.txt``).
"""
from __future__ import annotations

import functools
import re

import corpora

TALK_MARKERS = 3  # different first-person talk markers that make a document a talk
NEAR = 20  # at most this many characters (no sentence end) between a speaker and the verb
NAME = r"[\u4e00-\u9fff]{2,3}?"  # a Chinese personal name after the title (曾刚, 刘元春)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[list[re.Pattern[str]], str, str]:
    talk = [re.compile(p) for p in corpora.read_lines("goals", "commentary_talk.txt")]
    speakers = "|".join(f"(?:{p})" for p in corpora.read_lines("goals", "commentary_speakers.txt"))
    verbs = "|".join(f"(?:{p})" for p in corpora.read_lines("goals", "commentary_verbs.txt"))
    return talk, speakers, verbs


def is_talk(text: str) -> bool:
    """The document is a talk in the first person (at least :data:`TALK_MARKERS` different markers)."""
    talk, _, _ = _patterns()
    return sum(1 for p in talk if p.search(text)) >= TALK_MARKERS


def speaker_names(text: str) -> set[str]:
    """The names an expert title introduces (华东师范大学城市发展研究院院长、终身教授曾刚告诉城叔 -> 曾刚)."""
    _, speakers, verbs = _patterns()
    name = re.compile(f"(?:{speakers})({NAME})(?:{verbs}|对|在|：|:)")
    return {m.group(1) for m in name.finditer(text)}


@functools.lru_cache(maxsize=4)
def expert_paragraphs(text: str, paragraphs: tuple[tuple[int, int], ...]) -> frozenset[tuple[int, int]]:
    """The paragraphs (of ``paragraphs``) in an expert's voice: a speaker title or a name it
    introduces, followed within :data:`NEAR` characters of the same sentence by a speech verb;
    every paragraph of a talk (:func:`is_talk`)."""
    if is_talk(text):
        return frozenset(paragraphs)
    _, speakers, verbs = _patterns()
    who = [f"(?:{speakers})"] + [re.escape(n) for n in sorted(speaker_names(text))]
    voice = re.compile(f"(?:{'|'.join(who)})[^。！？!?\n]{{0,{NEAR}}}?(?:{verbs})")
    return frozenset((ps, pe) for ps, pe in paragraphs if voice.search(text, ps, pe))


def states_target(cue: str) -> bool:
    """A strong cue that names a target (目标是, 预期目标, 以…为目标), which a commentator restates;
    not a date (到2025年) or 力争/确保, which in his mouth predict or advise."""
    return "目标" in cue
