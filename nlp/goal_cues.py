"""The goal rules' cue lists and the readers every goal reading shares: one module, imported at top level.

Why a module of its own: the sentence readings (:mod:`nlp.goal_stance`, :mod:`nlp.goal_tense`), the plan-prose
grammar (:mod:`nlp.goal_grammar`) and the clause model (:mod:`nlp.goal_model`) read the same cue lists
(``corpora/goals/*.txt``) as the rules of :mod:`nlp.goals`, which imports them all; reaching those readers
through ``nlp.goals`` made each of them import it lazily inside a function (a circular import) and use its
private names. They live here now, and :mod:`nlp.goals` imports them like the others (session 15).
"""
from __future__ import annotations

import functools
import re
from typing import Callable

import corpora
from nlp import regex_union, vagueness
from nlp.sentences import trim


class CueList:
    """One cue list of ``corpora/goals``: its patterns and one regex of them all, built once.

    Why one regex: the rules ask of each clause and sentence whether a list matches and where
    first; fifteen lists of up to thirty patterns searched one by one per clause were most of
    goal finding. The alternation ``(?:p1)|(?:p2)|…`` finds the leftmost match, and at that
    position the first pattern (in list order) that matches there: exactly the match of
    ``min(p.search(text) for p in patterns, key=start)``. Lists whose patterns cannot be joined
    (a global flag, a repeated group name) keep the one-by-one search.
    """

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = [re.compile(p) for p in patterns]
        union = regex_union.Union(patterns)
        self.joined = union.regex
        # no match can start but at a lead character (None: any may start one)
        self.lead = union.lead if union.regex is not None and not union.anchored else None
        # first(text): the first match in ``text`` (leftmost; at one position, the earliest pattern):
        # the union's search (the joined regex's own when no lead characters are known)
        self.first: Callable[[str], re.Match[str] | None] = (
            self._first_one_by_one if self.joined is None
            else self.joined.search if union.lead is None and union.needs is None else union.search)

    def may_match_within(self, text: str) -> bool:
        """False when no part of ``text`` (a clause of this sentence) can match: no lead character in it."""
        return self.lead is None or self.lead.search(text) is not None

    def opens(self, text: str) -> bool:
        """Whether a match starts at the text's start: ``first(text)`` starting at 0, without searching the rest
        of the text (a leftmost match starts at 0 exactly when some pattern matches there)."""
        if self.joined is None:
            return any(p.match(text) for p in self.patterns)
        return self.joined.match(text) is not None

    def _first_one_by_one(self, text: str) -> re.Match[str] | None:
        hits = [m for p in self.patterns if (m := p.search(text))]
        return min(hits, key=lambda m: m.start()) if hits else None

    def all(self, text: str) -> list[re.Match[str]]:
        """Every pattern's own matches (patterns in list order), as each pattern's ``finditer`` gives them."""
        if self.joined is not None and self.first(text) is None:
            return []  # no pattern matches anywhere
        return [m for p in self.patterns for m in p.finditer(text)]


CUE_LISTS = ("goal_cues", "goal_cues_strong", "goal_cues_exhort", "outcome_words", "cue_vetoes",
             "goal_comments", "done_cues", "measured_changes", "list_intros", "target_verbs",
             "section_plan", "section_review", "section_next_steps", "section_other", "outcome_states", "estimates")
# lists the rules read that are no feature of the clause model (it was fitted without them)
RULE_ONLY_LISTS = ("reached_states", "next_intros", "certain_commitments", "horizons", "next_frames", "stated_targets",
                   "goal_statements", "requirement_intros", "outcome_leads", "reported_met",
                   # the plan-prose grammar's (nlp.goal_grammar)
                   "plan_openers", "plan_reviews", "plan_nontargets", "plan_nonclauses", "target_qualifiers", "quantity_verbs",
                   "budget_drafts", "goal_frames", "outline_intros", "review_leads", "review_lead_guards", "target_list_frames",
                   "goal_point_titles", "section_indicators", "duty_lines", "review_openers",
                   "section_duties", "review_intros", "list_announcements")


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, CueList]:
    return {name: CueList(corpora.read_lines("goals", f"{name}.txt")) for name in CUE_LISTS + RULE_ONLY_LISTS}


@functools.lru_cache(maxsize=512)
def veto_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """Where the cue vetoes match in a sentence (every pattern's matches), found once per sentence."""
    return tuple((m.start(), m.end()) for m in cues()["cue_vetoes"].all(sentence))


def vetoed(sentence: str, at: int) -> bool:
    """A cue word inside a phrase where it is no cue (比去年还要大, 向绩效要效益, 预计…将)."""
    return any(s <= at < e for s, e in veto_spans(sentence))


def cue(sentence: str, name: str) -> re.Match[str] | None:
    """The first match of a cue list in the sentence that is not vetoed.

    The list's first match is the answer unless a veto covers it; only then are all the
    list's matches looked at (each pattern's own ``finditer``, as the rules always did).
    """
    listed = cues()[name]
    m = listed.first(sentence)
    if m is None or not vetoed(sentence, m.start()):
        return m
    hits = [m for m in listed.all(sentence) if not vetoed(sentence, m.start())]
    return min(hits, key=lambda m: m.start()) if hits else None


def weak_cue(sentence: str) -> re.Match[str] | None:
    """The first weak cue; an exhortation (要, 必须) counts only when an outcome word follows it.

    Most exhortations in work reports name a stance or a means (要坚持…战略, 要勇往直前);
    they state a goal only when they say what is to be reached (要…确保…, 要…让…).
    """
    lists = cues()
    hits = [m for m in (cue(sentence, "goal_cues"),) if m]
    hits += [m for m in lists["goal_cues_exhort"].all(sentence)
             if not vetoed(sentence, m.start()) and lists["outcome_words"].first(sentence[m.end():])]
    return min(hits, key=lambda m: m.start()) if hits else None


def spans(text: str, start: int, end: int, splitter: re.Pattern[str],
          within: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Trimmed pieces of ``text[start:end]`` between the splitter's matches, less those that
    start inside a span of ``within`` (a quotation's own ；)."""
    out = []
    pos = start
    for m in splitter.finditer(text, start, end):
        if within and any(a < m.start() < b for a, b in within):
            continue
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [span for s, e in out if (span := trim(text, s, e))]


def is_target_clause(clause: str) -> bool:
    """A clause stating a quantity as a target: a number with a unit and a target verb, no report cue.

    A change measured against the same period (同比增长10.7%) is a reported statistic, no target;
    an estimate (预计新开工项目70个; ``estimates.txt``) is a prediction, no target.
    """
    lists = cues()
    return (bool(vagueness.quantities(clause)) and cue(clause, "target_verbs") is not None
            and lists["done_cues"].first(clause) is None and lists["measured_changes"].first(clause) is None
            and lists["estimates"].first(clause) is None)
